"""A step on one aggregate, as the API's write endpoints take it: the service's command run as the
acting user, answered with the aggregate as it is after the step."""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from interfaces.apibase.bearer import acting

A = TypeVar("A")


def step(command: Callable[..., None], aggregate_id: UUID, fields: dict[str, Any], read: Callable[[UUID], A]) -> A:
    """Run ``command`` on the aggregate with the request's ``fields``; the aggregate as ``read`` finds it after."""
    command(aggregate_id, **fields, actor=acting())
    return read(aggregate_id)
