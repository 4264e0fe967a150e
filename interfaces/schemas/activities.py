"""Commands on an activity, and the bulk participant list (pasted or uploaded CSV)."""

import csv
import io
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from domain.activity import KINDS, PARTICIPANT_ROLES
from domain.period import Period
from interfaces.schemas.fields import NIK, CommandSchema, ProgrammeDay, Rupiah, Text


def _period(data: dict[str, Any], start: str, end: str, into: str) -> dict[str, Any]:
    data[into] = Period(data.pop(start), data.pop(end))
    return data


def _check_order(data: dict[str, Any], start: str, end: str) -> None:
    if start in data and end in data and data[end] < data[start]:
        raise ValidationError("The end date is before the start date.", end)


class PlanActivity(CommandSchema):
    rt_id = fields.UUID(required=True)
    title = Text(required=True, validate=validate.Length(1, 150))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    location = Text(required=True, validate=validate.Length(1, 200))
    total_value = Rupiah(required=True)
    planned_start = ProgrammeDay(required=True)
    planned_end = ProgrammeDay(required=True)

    @validates_schema
    def check_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        _check_order(data, "planned_start", "planned_end")

    @post_load
    def to_period(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return _period(data, "planned_start", "planned_end", "planned_period")


class IssueTaskLetter(CommandSchema):
    number = Text(required=True, validate=validate.Length(1, 60))
    issued_on = ProgrammeDay(required=True)
    cover_start = ProgrammeDay(required=True)
    cover_end = ProgrammeDay(required=True)
    issued_by_nik = NIK(required=True)

    @validates_schema
    def check_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        _check_order(data, "cover_start", "cover_end")

    @post_load
    def to_period(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return _period(data, "cover_start", "cover_end", "cover_period")


class JoinParticipant(CommandSchema):
    nik = NIK(required=True)
    name = Text(required=True, validate=validate.Length(1, 100))
    role = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_ROLES))


class JoinParticipants(CommandSchema):
    """Rows ``NIK,nama,peran`` pasted into a textarea or uploaded as a CSV file; a header row
    is skipped. Every row is checked; one bad row refuses the whole list."""

    rows = Text(multiline=True, required=True, validate=validate.Length(1, 200_000))

    @post_load
    def parse_rows(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["rows"] = parse_participant_rows(data["rows"])
        return data


MAX_ROWS = 500

# The Indonesian names people write in a pasted list for each role, besides its code.
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "resident": ("warga",),
    "ketua_rt": ("ketua rt",),
    "phl": ("pekerja harian lepas",),
    "petugas_syara": ("petugas syara'", "petugas syara", "petugas sara"),
    "pokja_member": ("pokja", "anggota pokja"),
    "facilitator": ("pendamping", "fasilitator"),
}
_ROLE_BY_NAME = {name: role for role in PARTICIPANT_ROLES for name in (role, *ROLE_NAMES.get(role, ()))}


def participant_role(written: str) -> str:
    """The role code for a role as written in a list: its code or one of its Indonesian names, in
    any case and spacing (a word processor's ’ counts as '). Anything else is returned as written,
    for the schema to refuse with the list of codes."""
    name = " ".join(written.replace("\u2019", "'").split()).lower()
    return _ROLE_BY_NAME.get(name, written.strip())


def parse_participant_rows(text: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    errors: dict[int, dict[str, list[str]] | list[str]] = {}
    seen: dict[str, int] = {}
    lines = [line for line in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in line)]
    if lines and lines[0] and lines[0][0].strip().lower() in ("nik", "no_nik", "nomor nik"):
        lines = lines[1:]
    if not lines:
        raise ValidationError("No participant rows.", "rows")
    if len(lines) > MAX_ROWS:
        raise ValidationError(f"At most {MAX_ROWS} rows at once.", "rows")
    schema = JoinParticipant()
    for number, line in enumerate(lines, start=1):
        if len(line) != 3:
            errors[number] = [f"Expected 3 columns (NIK,nama,peran), found {len(line)}."]
            continue
        # Spaces around a cell are ignored, as around a NIK anywhere; a tab in a cell is refused like one in a field.
        nik, name, role = (cell.strip(" ") for cell in line)
        try:
            loaded = schema.load({"nik": nik, "name": name, "role": participant_role(role)})
        except ValidationError as error:
            errors[number] = error.messages  # type: ignore[assignment]
            continue
        if loaded["nik"] in seen:
            errors[number] = {"nik": [f"Same NIK as row {seen[loaded['nik']]}."]}
            continue
        seen[loaded["nik"]] = number
        rows.append((loaded["nik"], loaded["name"], loaded["role"]))
    if errors:
        raise ValidationError({"rows": errors})
    return rows


class WithdrawParticipant(CommandSchema):
    nik = NIK(required=True)
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))


class RecordPremiumPayment(CommandSchema):
    amount = Rupiah(required=True)
    reference = Text(required=True, validate=validate.Length(1, 60))
    paid_on = ProgrammeDay(required=True)


class ReviseValue(CommandSchema):
    total_value = Rupiah(required=True)
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))


class CompleteActivity(CommandSchema):
    pass


class CancelActivity(CommandSchema):
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))
