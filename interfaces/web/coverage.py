"""Pages of the coverage area (being built)."""

from flask import Blueprint

blueprint = Blueprint("coverage", __name__)
