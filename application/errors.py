"""Errors the application adds to the domain's: what the store tells us, in the project's terms."""

from domain.errors import DomainError, NotAuthenticated, RuleRefused


class AlreadyExists(RuleRefused):
    """Creating something whose natural key is already taken (the same RT code, the same claim)."""


class StoreUnreadable(DomainError):
    """The stored events cannot be decoded with the configured encryption key (or its absence)."""


class StoredEventDamaged(DomainError):
    """A stored event whose state is no longer bytes (its column edited behind the application's back)."""


class AuthenticationFailed(NotAuthenticated):
    """A sign-in refused, for whichever reason: the reasons are not told apart on purpose."""


class NotPermitted(DomainError):
    """The acting user is known, but their role (or, for a Ketua RT, their RT) does not allow this."""


class StoreNotEmpty(RuleRefused):
    """An import of a backup into a store that already holds events."""
