"""A step on one aggregate, as the API's write endpoints take it: the service's command, run as the
acting user, answered with the aggregate as it is after the step."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from interfaces.api.actor import acting
from interfaces.services import kampung

Step = Callable[[UUID, str, dict[str, Any]], Any]


def stepper(getter: str) -> Step:
    """``step(aggregate_id, method, command)`` for the aggregates the service reads with ``getter``."""

    def step(aggregate_id: UUID, method: str, command: dict[str, Any]) -> Any:
        service = kampung()
        getattr(service, method)(aggregate_id, **command, actor=acting())
        return getattr(service, getter)(aggregate_id)

    return step
