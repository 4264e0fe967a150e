"""Fields for the programme's values, validated by the domain's own parsers."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from domain.errors import InvalidValue
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import JAKARTA


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
    """A 16-digit NIK (a real calendar date, a known province, serial not 0000)."""

    parser = staticmethod(parse_nik)


class Rupiah(_DomainParsed):
    """Whole rupiah, more than zero; integer or decimal string (never a float)."""

    parser = staticmethod(rupiah)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else int(value)


# Perwal Kota Jambi 18/2025: nothing of the programme (enrolment, activities, letters, payments,
# accidents) happens before it began; a day past the century is a typing mistake (year 9999).
PROGRAMME_START = date(2025, 8, 1)
LATEST_DAY = date(2099, 12, 31)
OUTSIDE_PROGRAMME = (f"Must be between {PROGRAMME_START.isoformat()} (when the programme began)"
                     f" and {LATEST_DAY.isoformat()}.")


class ProgrammeDay(fields.Date):
    """An ISO date inside the programme's span."""

    def __init__(self, **kwargs: Any):
        super().__init__(validate=validate.Range(min=PROGRAMME_START, max=LATEST_DAY, error=OUTSIDE_PROGRAMME),
                         **kwargs)


class Moment(fields.DateTime):
    """ISO 8601 date-time; without an offset it is read as WIB (Asia/Jakarta), as a form's
    ``datetime-local`` input sends it."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=JAKARTA)


class ProgrammeMoment(Moment):
    """A moment (as ``Moment``) on a day inside the programme's span (in WIB)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not PROGRAMME_START <= moment.astimezone(JAKARTA).date() <= LATEST_DAY:
            raise ValidationError(OUTSIDE_PROGRAMME)
        return moment


class Lines(fields.List):
    """A list of strings; a form's textarea may send it as one text, one item per line."""

    def __init__(self, **kwargs: Any):
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            value = [line.strip() for line in value.splitlines() if line.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


class CommandSchema(Schema):
    """Base of command schemas: blank form fields count as missing, and the version the user saw
    (for optimistic concurrency) is always accepted."""

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @pre_load
    def drop_blanks(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if not (isinstance(value, str) and not value.strip())}
        return data
