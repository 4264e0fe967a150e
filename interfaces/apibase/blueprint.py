"""The base of the API's blueprints: who is acting, JSON bodies only, problem documents.

Every request to an API blueprint sends a bearer token (401 otherwise; 403 when the token lacks
the method's scope; 429 while its address has had too many tokens refused) and every write with a
body sends ``application/json`` (415 otherwise; an empty body reads as ``{}``; a POST always has a
body, a DELETE has none). The API takes no session cookie, so it needs no CSRF protection.

Domain, application and schema errors are mapped by ``interfaces/errors.py``; here only the HTTP
errors raised inside the blueprint are turned into problem documents, among them webargs' own
400 (malformed JSON) and 422 (invalid fields), whose messages become ``errors`` {field: [messages]}.
"""

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, TypeVar

from flask import Flask, Response, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from interfaces.apibase import idempotency
from interfaces.apibase.bearer import SCHEME, resolve_actor
from interfaces.apibase.parser import ApiParser
from interfaces.errors import SignInRequired, own_headers, problem_response

F = TypeVar("F", bound=Callable[..., Any])

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
AUTH_CHALLENGE = f'{SCHEME} realm="kampung-bahagia"'
DETAILS = {
    HTTPStatus.BAD_REQUEST: "The request body is not valid JSON.",
    HTTPStatus.UNPROCESSABLE_ENTITY: "The request has invalid fields.",
}


def _string_keys(messages: Any) -> Any:
    """marshmallow keys list items by index; JSON objects need string keys."""
    if isinstance(messages, Mapping):
        return {str(key): _string_keys(value) for key, value in messages.items()}
    return messages


def field_errors(messages: Any) -> Any:
    """webargs nests messages by location (``{"json": {...}, "query": {...}}``); clients want
    ``{field: [messages]}``, so the locations are merged (a body is either JSON or absent)."""
    if not isinstance(messages, Mapping):
        return {"_schema": messages} if messages else None
    merged: dict[str, Any] = {}
    for location, errors in messages.items():
        if isinstance(errors, Mapping):
            merged.update(errors)
        else:
            merged[location] = errors
    return _string_keys(merged)


def http_problem(error: HTTPException) -> tuple[Response, int]:
    status = HTTPStatus(error.code or 500)
    data = getattr(error, "data", None) or {}
    errors = field_errors(data.get("messages")) if "messages" in data else None
    if errors and status in DETAILS:
        detail = DETAILS[status]
    elif status >= 500:
        detail = status.phrase
    else:
        detail = error.description or status.phrase
    kind = "ValidationError" if status == HTTPStatus.UNPROCESSABLE_ENTITY else type(error).__name__
    response, code = problem_response(status, detail, kind, errors)
    for name, value in {**own_headers(error), **(data.get("headers") or {})}.items():
        response.headers[name] = value
    return response, code


def no_actor(error: SignInRequired) -> tuple[Response, int]:
    return problem_response(
        HTTPStatus.UNAUTHORIZED, "Send an API token: Authorization: Bearer <token> (kampung users token).",
        "SignInRequired",
    )


def _has_body() -> bool:
    return request.method != "DELETE" or bool(request.content_length) or "Transfer-Encoding" in request.headers


def identify_and_check_body() -> None:
    resolve_actor()
    if request.method in WRITING_METHODS and _has_body() and not request.is_json:
        raise UnsupportedMediaType("Send the body as application/json (an empty POST body needs it too).")


def challenge(response: Response) -> Response:
    if response.status_code == HTTPStatus.UNAUTHORIZED:
        response.headers.setdefault("WWW-Authenticate", AUTH_CHALLENGE)
    return response


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose operations are tagged ``tag`` in the OpenAPI document."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, name: str, import_name: str, *, tag: str, description: str, url_prefix: str):
        super().__init__(name, import_name, url_prefix=url_prefix, description=description)
        self.tag = tag
        self.before_request(identify_and_check_body)
        self.before_request(idempotency.begin)
        self.after_request(idempotency.finish)
        self.teardown_request(idempotency.release_unfinished)
        self.after_request(challenge)
        self.register_error_handler(HTTPException, http_problem)
        self.register_error_handler(SignInRequired, no_actor)

    def route(self, rule: str, *, parameters: Any = None, tags: Any = None, **options: Any) -> Callable[[F], F]:
        """Register a view; its 401, 403 and 429 (and, for writes, 400, 413 and 415) problems are documented here."""
        register = super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)
        writes = bool(WRITING_METHODS.intersection(options.get("methods", ("GET",))))
        codes = (401, 403, 429, 400, 413, 415) if writes else (401, 403, 429)

        posts = "POST" in options.get("methods", ())

        def decorate(func: F) -> F:
            documented = self.problems(*codes)(func)
            return register(self.doc(parameters=[idempotency.PARAMETER])(documented) if posts else documented)

        return decorate

    def problems(self, *codes: int) -> Callable[[F], F]:
        """Document problem responses an operation may give (the 422 of ``arguments`` is
        documented by flask-smorest itself)."""

        def decorate(func: F) -> F:
            for code in codes:
                func = self.alt_response(code, HTTPStatus(code).name)(func)
            return func

        return decorate


def register_api_blueprint(app: Flask, api: Any, blueprint: ApiBlueprint) -> None:
    """Register an API blueprint on ``app`` and in the OpenAPI document of ``api``. CSRF protection (for
    the web's forms) does not apply: its writes must be JSON, which a cross-site form cannot send."""
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)
    api.register_blueprint(blueprint)
