"""Read models "as of" a past moment or position, built from the events up to it into a
scratch in-memory database: the live tables are not touched."""

from collections.abc import Sequence
from datetime import datetime

from projections.engine import make_engine
from projections.readmodel import ReadModel
from projections.eventlog import EventLog, EventMapper
from projections.runner import ProjectionRunner


def as_of(
    log: EventLog,
    mapper: EventMapper,
    models: Sequence[ReadModel],
    position: int | None = None,
    moment: datetime | None = None,
) -> ProjectionRunner:
    """A runner over a fresh in-memory database holding the models as they were at ``position``
    (inclusive) and/or ``moment`` (events recorded at or before it). Read it with ``reading``."""
    runner = ProjectionRunner(make_engine("sqlite://"), log, mapper, models, page_size=5000, until=moment)
    runner.setup()
    head = log.max_notification_id() or 0
    runner.catch_up(stop=head if position is None else min(position, head))
    return runner
