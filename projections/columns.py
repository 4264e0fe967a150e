"""Column types shared by the read models: money as whole-rupiah integers, moments in UTC, text
with its control characters made visible."""

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, Column, Date, DateTime, String, Text
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


# C0 controls but tab, line feed and carriage return, and DEL, each as its Unicode control picture.
_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n\r"} | {0x7F: 0x2421}


class Printable(TypeDecorator):
    """Text written for people to read (a summary, an error): control characters become their
    visible pictures (NUL as ␀), so text holding one is shown rather than hidden, and PostgreSQL,
    whose text refuses NUL, takes it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or value.isprintable():  # nearly always: a check 20 times cheaper than the translation
            return value
        return value.translate(_PICTURES)
