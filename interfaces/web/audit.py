"""Pages of the audit area (being built)."""

from flask import Blueprint

blueprint = Blueprint("audit", __name__)
