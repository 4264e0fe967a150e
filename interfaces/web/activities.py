"""Pages of the activities area (being built)."""

from flask import Blueprint

blueprint = Blueprint("activities", __name__)
