"""Where the data decides who may act: a Ketua RT's authority ends at their own RT's boundary.

Which role may use which page or endpoint at all is the route policy's business
(``interfaces/access.py``); this module answers what only the aggregate knows: which RT a
command or a read concerns.
"""

from collections.abc import Iterable
from functools import lru_cache
from uuid import UUID

from application.errors import NotPermitted
from domain.actor import Actor
from domain.aggregate import Aggregate
from domain.rt import RT


def own_rt_id(actor: Actor) -> UUID | None:
    """The RT a Ketua RT is confined to; ``None`` for the roles whose scope is the whole city."""
    if actor.role != "ketua_rt":
        return None
    if actor.rt_code is None:
        raise NotPermitted("a Ketua RT without an RT may not act for any RT")
    return _rt_id(actor.rt_code)


@lru_cache(maxsize=4096)
def _rt_id(code: str) -> UUID:
    # Asked for every event a Ketua RT records: a uuid5 each time is a measurable part of a command.
    return RT.create_id(code)


def ensure_within_rt(actor: Actor, rt_id: UUID) -> None:
    """Refuse a Ketua RT anything that concerns another RT."""
    own = own_rt_id(actor)
    if own is not None and own != rt_id:
        raise NotPermitted("a Ketua RT may act only for their own RT")


def rt_of(aggregate: Aggregate) -> UUID | None:
    """The RT an aggregate belongs to: an RT is its own, activities and claims name theirs."""
    if isinstance(aggregate, RT):
        return aggregate.id
    return getattr(aggregate, "rt_id", None)


def ensure_events_within_rt(aggregates: Iterable[Aggregate]) -> None:
    """Before anything is saved: every event a Ketua RT is about to record concerns their RT. Checked
    on the pending events, so each command (and any added later) is covered by its own outcome."""
    for aggregate in aggregates:
        rt_id = rt_of(aggregate)
        if rt_id is None:
            continue
        for event in aggregate.pending_events:
            actor = getattr(event, "actor", None)
            if isinstance(actor, Actor):
                ensure_within_rt(actor, rt_id)
