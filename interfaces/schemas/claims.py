"""Commands on a claim."""

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from domain.claim import BENEFITS, DOCUMENTS, KINDS, BenefitLine
from interfaces.schemas.fields import NIK, CommandSchema, Moment, Rupiah

ALL_DOCUMENTS = sorted({document for checklist in DOCUMENTS.values() for document in checklist})
ALL_BENEFITS = sorted({benefit for benefits in BENEFITS.values() for benefit in benefits})


class ReportAccident(CommandSchema):
    activity_id = fields.UUID(required=True)
    nik = NIK(required=True)
    incident_at = Moment(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    chronology = fields.String(required=True, validate=validate.Length(1, 4000))
    reporter = fields.String(required=True, validate=validate.Length(1, 100))
    participant_name = fields.String(load_default=None, validate=validate.Length(1, 100))
    location = fields.String(load_default=None, validate=validate.Length(max=200),
                             metadata={"description": "Where the accident happened (free text); optional."})


class ConfirmCoverage(CommandSchema):
    pass


class DenyCoverage(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(1, 500))


class ReceiveDocuments(CommandSchema):
    documents = fields.List(fields.String(validate=validate.OneOf(ALL_DOCUMENTS)), required=True,
                            validate=validate.Length(1, len(ALL_DOCUMENTS)))


class BenefitLineSchema(Schema):
    benefit = fields.String(required=True, validate=validate.OneOf(ALL_BENEFITS))
    description = fields.String(required=True, validate=validate.Length(1, 200))
    amount = Rupiah(required=True)

    @post_load
    def to_line(self, data: dict[str, Any], **kwargs: Any) -> BenefitLine:
        return BenefitLine(**data)


class AssessClaim(CommandSchema):
    lines = fields.List(fields.Nested(BenefitLineSchema), required=True, validate=validate.Length(1, 20))


class ApproveClaim(CommandSchema):
    pass


class RejectClaim(CommandSchema):
    reason = fields.String(required=True, validate=validate.Length(1, 500))


class PaySantunan(CommandSchema):
    amount = Rupiah(required=True)
    beneficiary = fields.String(required=True, validate=validate.Length(1, 100))
    reference = fields.String(required=True, validate=validate.Length(1, 60))
    paid_on = fields.Date(required=True)


class CloseClaim(CommandSchema):
    pass
