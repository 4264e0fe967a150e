"""Fields for the programme's values, validated by the domain's own parsers, each stating in the
API document exactly what it accepts (``pattern``, ``minimum``/``maximum``, lengths).

Numbers: a JSON body carries them as JSON numbers, never as strings (``"1e5"``, ``"150000"``);
form fields and query parameters are text, so there a number is written in digits.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from domain.errors import InvalidValue
from domain.money import MAX_RUPIAH, rupiah
from domain.nik import nik_pattern, parse_nik
from domain.period import EARLIEST_DAY, JAKARTA, LATEST_DAY
from domain.text import is_blank, normalised
from interfaces.schemas.patterns import DAY, MOMENT, day_pattern, moment_pattern, text_pattern

# What an INTEGER column holds on PostgreSQL (the read models keep positions and versions so): the
# bound of every position, version and count a request may name, on either store.
MAX_INTEGER = 2**31 - 1
NOT_AN_INTEGER = "Not a valid integer."
_JSON_BODY: ContextVar[bool] = ContextVar("json_body", default=False)
_DIGITS = re.compile("-?[0-9]+")


@contextmanager
def json_body() -> Iterator[None]:
    """Load a JSON body within this: its numbers must be JSON numbers."""
    token = _JSON_BODY.set(True)
    try:
        yield
    finally:
        _JSON_BODY.reset(token)


def _number_text_allowed(value: Any) -> bool:
    """Text written in digits (spaces around ignored), where a number may come as text (a form, a query)."""
    return isinstance(value, str) and not _JSON_BODY.get() and bool(_DIGITS.fullmatch(value.strip(" ")))


def _with_metadata(kwargs: dict[str, Any], **documented: Any) -> dict[str, Any]:
    kwargs["metadata"] = {**documented, **kwargs.get("metadata", {})}
    return kwargs


class Text(fields.String):
    """Text under the text rule (``domain/text.py``): NFC before any length is checked; control
    characters and lone surrogates refused with the field's name. ``multiline`` text may hold tabs
    and line breaks."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any):
        self.multiline = multiline
        pattern = text_pattern(multiline=multiline, required=bool(kwargs.get("required")))
        documented = {"pattern": pattern}
        if multiline:
            documented["x-multiline"] = True
        super().__init__(**_with_metadata(kwargs, **documented))

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalised(text, self.name or attr or "text", multiline=self.multiline)
        except InvalidValue as error:
            raise ValidationError(error.message) from None


class WholeNumber(fields.Integer):
    """An integer between ``minimum`` and ``maximum`` (never a float, a boolean or, in a JSON body,
    a string)."""

    def __init__(self, minimum: int, maximum: int = MAX_INTEGER, **kwargs: Any):
        # Unbounded in practice (a position, a version): a number too small hears only of the minimum.
        ranges = ((validate.Range(min=minimum), validate.Range(max=maximum)) if maximum == MAX_INTEGER
                  else (validate.Range(minimum, maximum),))
        super().__init__(strict=True, validate=ranges, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise ValidationError(NOT_AN_INTEGER)
        if _number_text_allowed(value):
            value = int(value.strip(" "))
        return super()._deserialize(value, attr, data, **kwargs)


class _DomainParsed(fields.Field):
    """Deserialises with a domain parser, turning its ``InvalidValue`` into a field error."""

    parser: Callable[[Any], Any]

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        try:
            return type(self).parser(value)
        except InvalidValue as error:
            raise ValidationError(error.message) from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value


class NIK(_DomainParsed):
    """A 16-digit NIK (a real calendar date, a known province, serial not 0000); spaces around it
    are ignored."""

    parser = staticmethod(parse_nik)
    PATTERN = f"^ *{nik_pattern()} *$"

    def __init__(self, **kwargs: Any):
        super().__init__(**_with_metadata(kwargs, pattern=self.PATTERN))


class Rupiah(_DomainParsed):
    """Whole rupiah, more than zero: a JSON integer (or, in a form, digits)."""

    minimum = 1

    def __init__(self, **kwargs: Any):
        super().__init__(**_with_metadata(kwargs, minimum=self.minimum, maximum=int(MAX_RUPIAH)))

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        if isinstance(value, str) and _JSON_BODY.get():
            raise ValidationError(NOT_AN_INTEGER)
        return super()._deserialize(value, attr, data, **kwargs)

    @staticmethod
    def parser(value: Any) -> Any:
        return rupiah(value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else int(value)


class RupiahOrZero(Rupiah):
    """Whole rupiah, zero allowed: a cost the officer enters, none when left blank."""

    minimum = 0

    @staticmethod
    def parser(value: Any) -> Any:
        return rupiah(value, allow_zero=True)


# Perwal Kota Jambi 18/2025: nothing of the programme (enrolment, activities, letters, payments,
# accidents) happens before it began; a day past the century is a typing mistake (year 9999).
PROGRAMME_START = date(2025, 8, 1)
OUTSIDE_PROGRAMME = (f"Must be between {PROGRAMME_START.isoformat()} (when the programme began)"
                     f" and {LATEST_DAY.isoformat()}.")


def _matching(pattern: str, value: Any, error: ValidationError) -> None:
    if isinstance(value, str) and not re.fullmatch(pattern, value):
        raise error


class Day(fields.Date):
    """An ISO date, YYYY-MM-DD, of the years 1970–2099."""

    PATTERN = day_pattern(EARLIEST_DAY, LATEST_DAY)
    OUTSIDE = f"Must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."

    def __init__(self, **kwargs: Any):
        super().__init__(**_with_metadata(kwargs, pattern=self.PATTERN))

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> date:
        # A well-formed day outside the window gets the message saying the window.
        _matching(DAY, value, self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE))
        _matching(self.PATTERN, value, ValidationError(self.OUTSIDE))
        return super()._deserialize(value, attr, data, **kwargs)


class ProgrammeDay(Day):
    """An ISO date inside the programme's span."""

    PATTERN = day_pattern(PROGRAMME_START, LATEST_DAY)
    OUTSIDE = OUTSIDE_PROGRAMME


class Moment(fields.DateTime):
    """ISO 8601 date-time, YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM], of the years 1970–2099; without
    an offset it is read as WIB (Asia/Jakarta), as a form's ``datetime-local`` input sends it."""

    PATTERN = moment_pattern(EARLIEST_DAY, LATEST_DAY)
    OUTSIDE = f"Must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."

    def __init__(self, **kwargs: Any):
        super().__init__(**_with_metadata(kwargs, pattern=self.PATTERN))

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        _matching(MOMENT, value, self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE))
        _matching(self.PATTERN, value, ValidationError(self.OUTSIDE))
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=JAKARTA)


class ProgrammeMoment(Moment):
    """A moment (as ``Moment``) written on a day inside the programme's span."""

    PATTERN = moment_pattern(PROGRAMME_START, LATEST_DAY)
    OUTSIDE = OUTSIDE_PROGRAMME


class Lines(fields.List):
    """A list of lines of text; a form's textarea may send it as one text, one item per line."""

    def __init__(self, item_length: int, **kwargs: Any):
        super().__init__(Text(required=True, validate=validate.Length(1, item_length)), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            try:
                text = normalised(value, self.name or attr or "lines", multiline=True)
            except InvalidValue as error:
                raise ValidationError(error.message) from None
            value = [line.strip() for line in text.split("\n") if not is_blank(line)]
        return super()._deserialize(value, attr, data, **kwargs)


class CommandSchema(Schema):
    """Base of command schemas: blank form fields count as missing, and the version the user saw
    (for optimistic concurrency) is always accepted."""

    expected_version = WholeNumber(1, load_default=None, allow_none=True)

    @pre_load
    def drop_blanks(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if not (isinstance(value, str) and is_blank(value))}
        return data
