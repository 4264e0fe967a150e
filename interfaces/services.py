"""Access to the application service and the read models from a request."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import Connection, Table

from application.service import KampungBahagia
from projections.runner import ProjectionRunner


def kampung() -> KampungBahagia:
    return current_app.extensions["kampung"]


def readmodels() -> ProjectionRunner:
    return current_app.extensions["kampung.readmodels"]


@contextmanager
def reading(name: str) -> Iterator[tuple[Connection, dict[str, Table]]]:
    with readmodels().reading(name) as view:
        yield view
