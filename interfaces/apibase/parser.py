"""How the API reads a request's arguments (webargs, under flask-smorest): JSON bodies within
bounds (``interfaces/bounded_json.py``) and their numbers as JSON numbers; a query parameter the
operation does not have is refused, as an unknown body field is."""

from typing import Any

from flask import Request
from marshmallow import RAISE, Schema
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request

from interfaces.bounded_json import loads
from interfaces.schemas.fields import json_body


class ApiParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}

    def _raw_load_json(self, req: Request) -> Any:
        # As webargs' own, with the bounded parser; an empty body is no body ({}).
        if not is_json_request(req):
            return missing
        return loads(req.get_data(cache=True).decode("utf-8"))

    def _process_location_data(self, location_data: Any, schema: Schema, req: Request, location: str,
                               unknown: str | None, validators: Any) -> Any:
        if location != "json":
            return super()._process_location_data(location_data, schema, req, location, unknown, validators)
        with json_body():
            return super()._process_location_data(location_data, schema, req, location, unknown, validators)
