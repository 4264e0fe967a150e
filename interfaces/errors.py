"""The one place where domain and application errors become HTTP statuses and CLI exits.

Views and commands hold no try/except: they let these errors rise to here.
"""

from http import HTTPStatus

import click
from flask import Flask, Response, jsonify, render_template, request

from application.errors import ConcurrencyConflict, NotFound
from domain.errors import DomainError, InvalidValue, RuleRefused

# Most specific first: AlreadyExists is a RuleRefused, ConcurrencyConflict stands alone.
STATUS_BY_ERROR: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (NotFound, HTTPStatus.NOT_FOUND),
    (ConcurrencyConflict, HTTPStatus.CONFLICT),
    (InvalidValue, HTTPStatus.UNPROCESSABLE_ENTITY),
    (RuleRefused, HTTPStatus.CONFLICT),
)


def status_for(error: DomainError) -> HTTPStatus:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return HTTPStatus.BAD_REQUEST


def problem(error: DomainError) -> dict[str, object]:
    """An RFC 9457 problem document."""
    status = status_for(error)
    body: dict[str, object] = {
        "type": f"urn:kampung-bahagia:error:{type(error).__name__}",
        "title": status.phrase,
        "status": int(status),
        "detail": error.message,
    }
    if error.field:
        body["errors"] = {error.field: [error.message]}
    return body


def register_http_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[Response | str, int]:
        status = status_for(error)
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            response = jsonify(problem(error))
            response.mimetype = "application/problem+json"
            return response, int(status)
        return render_template("error.html", error=error, status=status), int(status)


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
