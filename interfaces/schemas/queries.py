"""Queries: the coverage check and the audit trail filter."""

from marshmallow import Schema, fields, validate

from interfaces.schemas.fields import NIK, Moment, Text, WholeNumber


class CoverageQuery(Schema):
    nik = NIK(required=True)
    at = Moment(required=True)


class AuditQuery(Schema):
    aggregate = fields.UUID(load_default=None)
    actor = Text(load_default=None, validate=validate.Length(1, 64))
    type = Text(load_default=None, validate=validate.Length(1, 60))
    since = Moment(load_default=None)
    until = Moment(load_default=None)
    after = WholeNumber(0, load_default=0)
    limit = WholeNumber(1, 500, load_default=50)
