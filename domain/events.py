"""The catalogue of the domain's events: every aggregate and each event class it records.

An event's schema version is its class's ``class_version`` (1 unless declared). A change to an
event's fields is a new version with an ``upcast_vN_vN+1(state)`` static method on the class: the
library upcasts stored events of an older version as they are read, so everything downstream (the
aggregates, the read models, the event feed) only ever sees current versions.
"""

from domain.activity import Activity, TaskLetterNumber
from domain.aggregate import Aggregate
from domain.claim import Claim
from domain.rt import RT

# Accounts (domain.user.User) and webhook subscriptions (domain.webhook) are left out on purpose: the
# catalogue is what integrators see, and those are the deployment's own operations (in the audit trail).
AGGREGATES: tuple[type[Aggregate], ...] = (RT, Activity, TaskLetterNumber, Claim)
# The library's base classes on every aggregate: never recorded themselves.
_BASES = ("Event", "Created", "Snapshot")


def events_of(aggregate: type[Aggregate]) -> tuple[type, ...]:
    """The event classes ``aggregate`` records, in the order the class declares them."""
    return tuple(
        value for name, value in vars(aggregate).items()
        if name not in _BASES and isinstance(value, type) and issubclass(value, aggregate.Event)
    )


def event_classes() -> tuple[type, ...]:
    return tuple(cls for aggregate in AGGREGATES for cls in events_of(aggregate))


def schema_version(event_class: type) -> int:
    return int(getattr(event_class, "class_version", 1))
