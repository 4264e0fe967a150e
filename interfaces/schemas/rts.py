"""Commands on an RT."""

from marshmallow import fields, validate

from application.rules import places
from domain.rt import PHASES
from interfaces.schemas.fields import NIK, CommandSchema, Day, Lines, ProgrammeDay, Text, WholeNumber


class RegisterRT(CommandSchema):
    kelurahan_code = fields.String(required=True, validate=validate.OneOf(sorted(places())))
    rt_number = WholeNumber(1, 999, required=True)


class AppointKetuaRT(CommandSchema):
    nik = NIK(required=True)
    name = Text(required=True, validate=validate.Length(1, 100))
    phone = fields.String(required=True, validate=validate.Regexp(r"^\+?[0-9 ]{8,20}$"))
    appointed_on = Day(required=True)


class EnrolRT(CommandSchema):
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    from_date = ProgrammeDay(required=True)


class HoldMusyawarah(CommandSchema):
    held_on = ProgrammeDay(required=True)
    priorities = Lines(200, required=True, validate=validate.Length(1, 20))


class LaunchRT(CommandSchema):
    launched_on = ProgrammeDay(required=True)
