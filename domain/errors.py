"""Typed errors raised by the domain.

Two families, because callers treat them differently: an ``InvalidValue`` is bad
input (the request can be fixed and sent again), a ``RuleRefused`` is a valid
request that the programme's rules do not allow in the current state.
"""


class DomainError(Exception):
    """Base of every error the domain raises; ``str()`` is a message for people."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(DomainError, ValueError):
    """A value is malformed or out of range (a NIK, an amount, a period)."""


class NotFound(DomainError):
    """Nothing of the expected kind has this id (an aggregate, a webhook subscription)."""


class ConcurrencyConflict(DomainError):
    """Someone changed it since it was read: reload and try again."""


class RuleRefused(DomainError):
    """A command is well-formed but a rule of the programme refuses it."""


class RTNotLaunched(RuleRefused):
    pass


class NotCurrentKetuaRT(RuleRefused):
    pass


class MusyawarahRequired(RuleRefused):
    pass


class AlreadyDone(RuleRefused):
    """The command would repeat a one-time step (enrol twice, launch twice, …)."""


class ActivityClosed(RuleRefused):
    """The activity is completed or cancelled and takes no more changes of this kind."""


class ParticipantAlreadyJoined(RuleRefused):
    pass


class NotAParticipant(RuleRefused):
    pass


class PremiumOverpaid(RuleRefused):
    pass


class ClaimStepRefused(RuleRefused):
    """A claim step that its life cycle does not allow now (approve before cover, …)."""


class NotCovered(RuleRefused):
    pass


class SantunanExceedsApproved(RuleRefused):
    pass


class NotAuthenticated(DomainError):
    """Who is asking cannot be established: the credentials are unknown or no longer count."""


class UserDisabled(NotAuthenticated):
    pass


class UnknownToken(NotAuthenticated):
    pass


class TokenRevoked(NotAuthenticated):
    pass


class ScopeMissing(DomainError):
    """The caller is known, but their API token does not allow this kind of request."""
