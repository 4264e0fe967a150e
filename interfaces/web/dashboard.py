"""Pages of the dashboard area (being built)."""

from flask import Blueprint

blueprint = Blueprint("dashboard", __name__)
