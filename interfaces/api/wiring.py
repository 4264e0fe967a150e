"""The JSON API's wiring: its settings, its OpenAPI document object and its blueprints registered
on an app (``interfaces/app.py`` calls ``init_api``)."""

from flask import Flask

from interfaces.api import activities, audit, claims, coverage, history, rts, webhooks
from interfaces.api.pagination import Cursor
from interfaces.api.schemas import JoinParticipantRows
from interfaces.api.spec import DESCRIPTION, KampungApi
from interfaces.apibase.bearer import init_token_limit
from interfaces.apibase.blueprint import register_api_blueprint
from interfaces.schemas.activities import JoinParticipant
from interfaces.schemas.fields import NIK, Rupiah

API_PREFIX = "/api/v1"
CONFIG = {
    "API_TITLE": "Kampung Bahagia case manager",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs/",
    "OPENAPI_SWAGGER_UI_URL": f"{API_PREFIX}/docs/assets/",
    # No validator badge: Swagger UI would send the document to validator.swagger.io.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "deepLinking": True, "persistAuthorization": True},
}


def init_api(app: Flask) -> KampungApi:
    """Register the API's blueprints on ``app``; the API object, whose OpenAPI document other
    blueprints (the event feed's) join."""
    for key, value in CONFIG.items():
        app.config.setdefault(key, value)
    api = KampungApi(app, spec_kwargs={
        "info": {"description": DESCRIPTION},
        "security": [{"bearerToken": []}],
    })
    api.spec.components.security_scheme(
        "bearerToken",
        {"type": "http", "scheme": "bearer",
         "description": "An API token of an account, `kb_…` (`kampung users token`); scopes `read` and `write`."},
    )
    api.register_field(NIK, "string", None)
    api.register_field(Rupiah, "integer", "int64")
    api.register_field(Cursor, "string", None)
    # Before the blueprints: their rules are compiled with the converters known then.
    app.url_map.converters["nik"] = activities.NikConverter
    api.register_converter(activities.NikConverter, activities.nik_parameter)
    # The participants body is one of two schemas (see activities.JOIN_BODY), named here.
    api.spec.components.schema("JoinParticipant", schema=JoinParticipant)
    api.spec.components.schema("JoinParticipantRows", schema=JoinParticipantRows)
    for module in (rts, activities, claims, coverage, audit, history, webhooks):
        register_api_blueprint(app, api, module.blueprint)
    app.extensions["kampung.api"] = api
    init_token_limit(app)
    return api
