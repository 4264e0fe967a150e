"""Queries: the coverage check and the audit trail filter."""

from marshmallow import Schema, fields, validate

from interfaces.schemas.fields import NIK, Moment


class CoverageQuery(Schema):
    nik = NIK(required=True)
    at = Moment(required=True)


class AuditQuery(Schema):
    aggregate = fields.UUID(load_default=None)
    actor = fields.String(load_default=None, validate=validate.Length(1, 64))
    type = fields.String(load_default=None, validate=validate.Length(1, 60))
    since = Moment(load_default=None)
    until = Moment(load_default=None)
    after = fields.Integer(load_default=0, validate=validate.Range(0))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))
