"""Errors the application adds to the domain's: what the store tells us, in the project's terms."""

from domain.errors import DomainError, RuleRefused


class NotFound(DomainError):
    """No aggregate of the expected kind has this id."""


class AlreadyExists(RuleRefused):
    """Creating something whose natural key is already taken (the same RT code, the same claim)."""


class ConcurrencyConflict(DomainError):
    """Someone changed the aggregate since it was read: reload and try again."""
