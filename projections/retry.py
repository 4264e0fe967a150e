"""How a consumer of the event log retries what failed before giving up on it: a webhook
subscription stops after its failures in a row, a read model parks the event (projections.parking)."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: the n-th consecutive failure waits ``base × 2^(n-1)`` seconds (at
    most ``cap``) before the next attempt; after ``max_failures`` in a row the consumer gives up
    on it and waits for an operator."""

    base: float = 1.0
    cap: float = 300.0
    max_failures: int = 8

    def delay(self, failures: int) -> timedelta:
        return timedelta(seconds=min(self.base * 2 ** max(failures - 1, 0), self.cap))
