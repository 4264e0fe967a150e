"""Column types shared by the read models: money as whole-rupiah integers, moments in UTC."""

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, Column, Date, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Money = BigInteger
Day = Date


class Moment(TypeDecorator):
    """A timezone-aware moment, stored as UTC. SQLite has no time zones: without this, moments
    written from different offsets would compare by their wall-clock text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a moment must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def uuid_column(name: str, **kwargs: Any) -> Column:
    # UUIDs as 36-character text: the same on SQLite and PostgreSQL, readable in exports.
    return Column(name, String(36), **kwargs)
