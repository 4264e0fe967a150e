"""The API object: the OpenAPI document at /api/v1/openapi.json and its Swagger UI at /api/v1/docs/,
served from the ``swagger_ui_bundle`` package (nothing is loaded from the internet)."""

import threading
from http import HTTPStatus
from typing import Any

import swagger_ui_bundle
from apispec import APISpec
from flask import Blueprint, abort, send_from_directory
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.wrappers import Response

from interfaces.api.schemas import ProblemSchema

PROBLEM_JSON = "application/problem+json"
DOCS_BLUEPRINT = "api_docs"
# The files the Swagger UI page loads, and their favicons.
SWAGGER_UI_ASSETS = frozenset({
    "swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-16x16.png",
    "favicon-32x32.png",
})

DESCRIPTION = """
JSON API of the Kampung Bahagia case manager (Program Kampung Bahagia, Kota Jambi): RTs, gotong-royong
activities with their task letters, participants and premium, JKK/JKM claims, coverage checks, the audit
trail and the history of every aggregate.

**Authentication.** Every request sends an API token of an account: `Authorization: Bearer kb_…`. An
administrator issues tokens (`kampung users token USERNAME --scope read --scope write`); each is shown
once. `read` allows GET, `write` every other method. A missing, unknown or revoked token, or a token of a
disabled account: 401 with `WWW-Authenticate: Bearer`; a token without the scope: 403; past 30 refused
tokens a minute from one address, 429 with `Retry-After`. Every event records the account (user name and
role) as its actor.

**Requests.** A write with a body sends `Content-Type: application/json` (an empty POST body reads as `{}`),
else 415; a DELETE has no body and needs no `Content-Type`. A body nested deeper than 32 levels, or with a
number of more than 1000 digits, `NaN` or `Infinity`, is 400, as malformed JSON is; a body over 2 MiB is 413.
Unknown fields, and query parameters an operation does not have, are refused (422). A method a path does
not have is 405 with `Allow`.

**Values.** Every limit the server enforces is in this document: lengths, `minimum`/`maximum`, `pattern`.
Numbers are JSON numbers, never strings (`"150000"` and `"1e5"` are refused); money is whole rupiah, an
integer from 1 (or 0 for a cost) to 10 000 000 000 000. Days are ISO dates (`YYYY-MM-DD`) and moments ISO
8601 (`YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM]`), read as WIB (Asia/Jakarta) without an offset, of the
years 1970–2099; the days and moments of the programme (activities, letters, payments, accidents) from
2025-08-01, as written. A NIK is 16 digits of a known province, a real birth date (day + 40 for women) and a
serial other than 0000; spaces around it are ignored, here as in the web forms, the CLI and pasted lists.
Text is normalised to NFC (lengths are counted after) and may not hold control characters (C0, DEL, C1) or
unpaired surrogates (422 naming the field); multi-line fields (`x-multiline`: a chronology, every `reason`,
the pasted participant `rows`) may also hold tabs and line breaks. Required text holds more than spaces.

**Rules the document cannot state** are said here and at each operation: a cursor is only one a page gave
(else 422); `version` or `at`, not both (422); a period ends on or after its start (422); a list of
participants names each NIK once (422). A command the document allows may still be refused by a rule of
the programme applied to the resource or to today: 409 for its state (a cancelled activity, a claim not
yet covered), and 422 of type `InvalidValue` for a value wrong in context (a payment dated in the future,
a document not on this claim's checklist, a position past the end of the event log).

**Retries.** Every POST takes an `Idempotency-Key` header (1–200 printable ASCII characters, not starting or
ending with a space; e.g. a UUID): a
retry with the same key, by the same user within 24 hours, and the same body gets the first response
again (with `Idempotent-Replayed: true`) and records nothing twice; the same key with another body is
422; a retry while the first request is still being served is 409.

**Optimistic concurrency.** Each resource has a `version`; commands accept `expected_version` and answer
409 when the resource was changed meanwhile.

**Errors** are RFC 9457 problem documents (`application/problem+json`): 400 malformed JSON, 401 no token, 403 scope,
404 unknown resource, 405 method not allowed, 409 refused by a rule of the programme or a stale
`expected_version`, 413 too large, 415 not JSON, 422 invalid fields with `errors` {field: [messages]}, 429 too
many refused tokens. No input is answered with a 5xx.

**Lists** are paged: `limit` and `cursor`; each page gives `next`, the cursor of the following page (null
on the last). Orders are stable (they end with a unique id), so rows added meanwhile never shift a page.
"""


def swagger_ui_asset(filename: str) -> Response:
    if filename not in SWAGGER_UI_ASSETS:
        abort(404)
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


class KampungApi(Api):
    """flask-smorest's Api with problem documents as its error responses, the docs under one
    blueprint named ``api_docs`` (``api_docs.index`` is the Swagger UI page the web links to), no
    error handler of its own (``interfaces/errors.py`` and the API blueprints handle errors), and
    its blueprints' operations described when the document is first asked for, not when the app is
    made: describing them was a third of ``create_app``, which every server worker and test pays."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any):
        self._undescribed: list[tuple[Any, str, Any]] = []  # (blueprint, name, parameters), in order
        self._describing = threading.RLock()  # two first requests for the document describe once
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def spec(self) -> APISpec:
        with self._describing:
            while self._undescribed:
                blp, name, parameters = self._undescribed.pop(0)
                blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                self._spec.tag({"name": getattr(blp, "tag", name), "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, spec: APISpec) -> None:
        self._spec = spec

    def _make_doc_blueprint_name(self) -> str:
        return DOCS_BLUEPRINT

    def _register_swagger_ui_rule(self, blueprint: Blueprint) -> None:
        path = "/" + self.config["OPENAPI_SWAGGER_UI_PATH"].strip("/") + "/"
        self._swagger_ui_url = self.config["OPENAPI_SWAGGER_UI_URL"]
        blueprint.add_url_rule(path, endpoint="index", view_func=self._openapi_swagger_ui)
        blueprint.add_url_rule(path + "assets/<path:filename>", endpoint="asset", view_func=swagger_ui_asset)

    def _register_error_handlers(self) -> None:
        # flask-smorest would handle every HTTPException of the whole app (web pages included).
        pass

    def _register_pagination_header(self) -> None:
        # The API pages with cursors in the body (pagination.py), not flask-smorest's header.
        pass

    def _register_responses(self) -> None:
        for status in HTTPStatus:
            if status >= 400:
                response: dict[str, Any] = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                prepare_response(response, self.spec, PROBLEM_JSON)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """As flask-smorest's, but the operations' tag is the blueprint's ``tag``, not its name, and
        the operations are described later (``spec``)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        with self._describing:
            self._undescribed.append((blp, name, parameters))
