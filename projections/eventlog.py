"""What every consumer of the notification log (read models, webhook deliveries, the relay) reads it
through: the event store's recorder and the mapper that decodes its stored events."""

from collections.abc import Sequence
from typing import Any, Protocol


class EventLog(Protocol):
    def select_notifications(
        self, start: int | None, limit: int, stop: int | None = None, topics: Sequence[str] = ()
    ) -> Sequence[Any]: ...

    def max_notification_id(self) -> int | None: ...


class EventMapper(Protocol):
    def to_domain_event(self, stored: Any) -> Any: ...
