"""Access to the application service from a request."""

from flask import current_app

from application.service import KampungBahagia


def kampung() -> KampungBahagia:
    return current_app.extensions["kampung"]
