"""The JSON API under /api/v1 (being built)."""

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API's blueprints and its OpenAPI document on ``app``."""
