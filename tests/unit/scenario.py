"""Given-events / when-command / then-events, for the pure domain tests.

    rt = given(lambda: RT.register(PLACE, 5, ADMIN), lambda rt: rt.enrol("pilot", AUG_1, ADMIN))
    rt.launch(...)                                   # when
    assert then_events(rt) == [("RT.RTLaunched", {"launched_on": ..., "actor": ADMIN})]
    refused(rt, lambda: rt.launch(...), AlreadyDone)  # a refusal records nothing
"""

from collections.abc import Callable
from typing import Any

import pytest

from domain.errors import DomainError

# Bookkeeping every event carries; the tests speak about the domain attributes only.
_BOOKKEEPING = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def given(create: Callable[[], Any], *steps: Callable[[Any], object]) -> Any:
    """Create an aggregate, run each step on it, and forget the events so far (they are history)."""
    aggregate = create()
    for step in steps:
        step(aggregate)
    aggregate.collect_events()
    return aggregate


def then_events(aggregate: Any) -> list[tuple[str, dict[str, object]]]:
    """The events recorded since ``given`` (or the last ``then_events``), as (class name, attributes)."""
    return [
        (type(event).__qualname__, {k: v for k, v in vars(event).items() if k not in _BOOKKEEPING})
        for event in aggregate.collect_events()
    ]


def refused(aggregates: Any, call: Callable[[], object], error_type: type[DomainError]) -> DomainError:
    """``call`` raises exactly ``error_type`` and no aggregate records an event or changes version.

    ``aggregates``: one aggregate, a tuple of them, or None when the refused call would create one.
    Returns the error, for assertions on its message or field.
    """
    if aggregates is None:
        aggregates = ()
    elif not isinstance(aggregates, tuple):
        aggregates = (aggregates,)
    versions = [aggregate.version for aggregate in aggregates]
    with pytest.raises(DomainError) as raised:
        call()
    got = type(raised.value)
    assert got is error_type, f"expected {error_type.__name__}, got {got.__name__}: {raised.value}"
    for aggregate, version in zip(aggregates, versions, strict=True):
        assert aggregate.pending_events == [], f"a refused command recorded {aggregate.pending_events}"
        assert aggregate.version == version
    return raised.value
