"""The event feed's wiring: its blueprint joins the JSON API's OpenAPI document on an app
(``interfaces/app.py`` calls ``init_feed`` with the API object)."""

from typing import Any

from flask import Flask

from interfaces.apibase.blueprint import register_api_blueprint
from interfaces.feed import api as feed


def init_feed(app: Flask, api: Any) -> None:
    register_api_blueprint(app, api, feed.blueprint)
