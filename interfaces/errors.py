"""The one place where errors become HTTP responses and CLI exits.

Views and commands hold no try/except: domain and application errors, schema validation
errors and sign-in requirements rise to here. A web form gets its page back with the field
errors beside the fields and the input kept; the API gets an RFC 9457 problem document.
"""

from http import HTTPStatus
from typing import Any

import click
from eventsourcing.persistence import OperationalError as StoreOperationalError
from flask import Flask, Response, g, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError as ReadModelOperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from application.errors import NotPermitted
from domain.errors import (
    ConcurrencyConflict, DomainError, InvalidValue, NotAuthenticated, NotFound, RuleRefused, ScopeMissing,
)
from interfaces.messages import indonesian, indonesian_errors

# Most specific first: AlreadyExists is a RuleRefused, ConcurrencyConflict stands alone.
STATUS_BY_ERROR: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (NotFound, HTTPStatus.NOT_FOUND),
    (NotAuthenticated, HTTPStatus.UNAUTHORIZED),
    (ScopeMissing, HTTPStatus.FORBIDDEN),
    (NotPermitted, HTTPStatus.FORBIDDEN),
    (ConcurrencyConflict, HTTPStatus.CONFLICT),
    (InvalidValue, HTTPStatus.UNPROCESSABLE_ENTITY),
    (RuleRefused, HTTPStatus.CONFLICT),
)

TOO_MANY_MESSAGE_ID = "Terlalu banyak percobaan dalam waktu singkat. Tunggu satu menit, lalu coba lagi."
CONFLICT_MESSAGE_ID = "Data ini telah diubah orang lain sementara itu. Muat ulang halaman, lalu coba lagi."
BUSY_MESSAGE_ID = ("Server sedang sibuk melayani banyak pengguna; data Anda belum tersimpan. Tunggu sebentar, "
                   "lalu kirim ulang.")
BUSY_MESSAGE = "The store is busy with other writers; nothing was recorded. Retry shortly."
BUSY_RETRY_AFTER_SECONDS = 2
# How a store says it gave up waiting for its write lock: SQLite's busy timeout (through the event
# recorder or SQLAlchemy); the event recorder's own writer pool raises ConnectionUnavailableError,
# a StoreOperationalError too.
BUSY_SIGNS = ("database is locked", "database is busy", "Timed out waiting for return of writer")


class SignInRequired(Exception):
    """A page or command needs to know who is acting."""


class TooManyFailedTokens(Exception):
    """Too many API tokens refused from one client address: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def status_for(error: DomainError) -> HTTPStatus:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return HTTPStatus.BAD_REQUEST


def problem(status: HTTPStatus, detail: str, kind: str, errors: Any = None) -> dict[str, Any]:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": f"urn:kampung-bahagia:error:{kind}",
        "title": status.phrase,
        "status": int(status),
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: HTTPStatus, detail: str, kind: str, errors: Any = None) -> tuple[Response, int]:
    response = jsonify(problem(status, detail, kind, errors))
    response.mimetype = "application/problem+json"
    return response, int(status)


def own_headers(error: HTTPException) -> dict[str, str]:
    """The headers an HTTP error carries besides its body's type: ``Allow`` of a 405 (RFC 9110), …"""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_http_handlers(app: Flask) -> None:
    def form_again(errors: dict[str, Any], status: HTTPStatus) -> tuple[str, int] | None:
        page = g.get("form_page")
        if page is None or wants_json():
            return None
        return page.render(errors=indonesian_errors(errors), status=int(status))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        status = status_for(error)
        if wants_json():
            return problem_response(status, error.message, type(error).__name__,
                                    {error.field: [error.message]} if error.field else None)
        message = CONFLICT_MESSAGE_ID if isinstance(error, ConcurrencyConflict) else error.message
        # A refusal of who is asking is no mistake in the form: the error page says so instead.
        refused = status == HTTPStatus.FORBIDDEN
        shown = None if refused else form_again({error.field or "_form": [message]}, status)
        if shown is not None:
            return shown
        return render_template("error.html", message=indonesian(message), status=status), int(status)

    @app.errorhandler(ValidationError)
    def invalid_input(error: ValidationError) -> Any:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        messages = error.messages if isinstance(error.messages, dict) else {"_form": error.messages}
        if wants_json():
            return problem_response(status, "The request has invalid fields.", "ValidationError", messages)
        shown = form_again(messages, status)
        if shown is not None:
            return shown
        return render_template("error.html", message="Masukan tidak valid.", status=status), int(status)

    @app.errorhandler(SignInRequired)
    def sign_in_required(error: SignInRequired) -> Any:
        if wants_json():
            return problem_response(HTTPStatus.UNAUTHORIZED, "Sign in first.", "SignInRequired")
        target = request.full_path.rstrip("?") if request.method == "GET" else request.path
        return redirect(url_for("actor.sign_in", next=target))

    @app.errorhandler(TooManyFailedTokens)
    def too_many_failed_tokens(error: TooManyFailedTokens) -> Any:
        # Only the API takes tokens, so the answer is a problem document.
        response, code = problem_response(
            HTTPStatus.TOO_MANY_REQUESTS, "Too many requests with a refused API token from this address; wait.",
            "TooManyFailedTokens",
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response, code

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Any:
        status = HTTPStatus.BAD_REQUEST
        shown = form_again({"_form": ["Formulir kedaluwarsa atau tidak sah; kirim ulang."]}, status)
        if shown is not None:
            return shown
        return render_template("error.html", message="Formulir tidak sah; muat ulang halaman.", status=status), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Any:
        # werkzeug's own text names no limit; the sender needs it to split an upload.
        status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        limit = f"{app.config['MAX_CONTENT_LENGTH'] / 2**20:g} MiB"
        if wants_json():
            return problem_response(status, f"The request is larger than {limit}, the most one request may carry.",
                                    "RequestEntityTooLarge")
        message = f"Kiriman terlalu besar: paling banyak {limit} sekali kirim. Bagi berkasnya, lalu kirim lagi."
        return render_template("error.html", message=message, status=status), int(status)

    @app.errorhandler(StoreOperationalError)
    @app.errorhandler(ReadModelOperationalError)
    def store_busy(error: Exception) -> Any:
        # The transaction that timed out was rolled back, so the request can simply be sent again.
        if not any(sign in str(error) for sign in BUSY_SIGNS):
            raise error
        status = HTTPStatus.SERVICE_UNAVAILABLE
        if wants_json():
            response, code = problem_response(status, BUSY_MESSAGE, "StoreBusy")
        else:
            # A form comes back with its input kept, ready to be sent again.
            response, code = form_again({"_form": [BUSY_MESSAGE_ID]}, status) or (
                render_template("error.html", message=BUSY_MESSAGE_ID, status=status), int(status))
        return response, code, {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = HTTPStatus(error.code or 500)
        if wants_json():
            response, code = problem_response(status, error.description or status.phrase, type(error).__name__)
            return response, code, own_headers(error)
        message = TOO_MANY_MESSAGE_ID if status == HTTPStatus.TOO_MANY_REQUESTS else None
        return render_template("error.html", message=message, status=status), int(status), own_headers(error)


class CLIError(click.ClickException):
    """A refused or invalid command on the CLI: a message on stderr and a non-zero exit."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        # 2 is click's own code for bad usage; bad values are the same kind of mistake.
        self.exit_code = 2 if isinstance(error, InvalidValue) else 1

    def format_message(self) -> str:
        return self.message


class TranslatingGroup(click.Group):
    """A click group whose commands report domain errors as CLI errors."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DomainError as error:
            raise CLIError(error) from None
