"""Pages of the claims area (being built)."""

from flask import Blueprint

blueprint = Blueprint("claims", __name__)
