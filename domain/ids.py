"""Deterministic ids from natural keys, so creating the same thing twice is caught by the store."""

from uuid import NAMESPACE_URL, UUID, uuid5

NAMESPACE = uuid5(NAMESPACE_URL, "https://jambikota.go.id/kampung-bahagia")


def natural_id(kind: str, *parts: object) -> UUID:
    return uuid5(NAMESPACE, "/".join([kind, *map(str, parts)]))
