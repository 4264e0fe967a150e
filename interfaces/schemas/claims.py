"""Commands on a claim."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, post_load, pre_load, validate

from domain.benefits import SCHOOL_LEVELS, AssessmentInputs
from domain.claim import BENEFITS, DOCUMENTS, KINDS
from interfaces.schemas.fields import (
    NIK, CommandSchema, ProgrammeDay, ProgrammeMoment, Rupiah, RupiahOrZero, Text, WholeNumber,
)

ALL_DOCUMENTS = sorted({document for checklist in DOCUMENTS.values() for document in checklist})
ALL_BENEFITS = sorted({benefit for benefits in BENEFITS.values() for benefit in benefits})


class ReportAccident(CommandSchema):
    activity_id = fields.UUID(required=True)
    nik = NIK(required=True)
    incident_at = ProgrammeMoment(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    chronology = Text(multiline=True, required=True, validate=validate.Length(1, 4000))
    reporter = Text(required=True, validate=validate.Length(1, 100))
    participant_name = Text(load_default=None, validate=validate.Length(1, 100))
    location = Text(load_default=None, validate=validate.Length(max=200),
                             metadata={"description": "Where the accident happened (free text); optional."})


class ConfirmCoverage(CommandSchema):
    pass


class DenyCoverage(CommandSchema):
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))


class ReceiveDocuments(CommandSchema):
    documents = fields.List(fields.String(validate=validate.OneOf(ALL_DOCUMENTS)), required=True,
                            validate=validate.Length(1, len(ALL_DOCUMENTS)))


class BenefitLineSchema(Schema):
    benefit = fields.String(required=True, validate=validate.OneOf(ALL_BENEFITS))
    description = Text(required=True, validate=validate.Length(1, 200))
    amount = Rupiah(required=True)


class AssessmentInputsSchema(Schema):
    """What the claim officer enters; the benefits are computed from it by the rule tables in force
    at the incident. Leave out what does not apply to the claim's kind."""

    medical_costs = RupiahOrZero(load_default=Decimal(0), metadata={
        "description": "Medical care costs incurred (JKK; actual cost, no ceiling)."})
    home_care_costs = RupiahOrZero(load_default=Decimal(0), metadata={
        "description": "Home care costs (JKK; capped by the rule table)."})
    transport_costs = RupiahOrZero(load_default=Decimal(0), metadata={
        "description": "Transport to care (JKK; capped by the rule table)."})
    stmb_days = WholeNumber(0, 3650, load_default=0, metadata={
        "description": "Days unable to work (JKK injury): STMB."})
    disability_item = Text(load_default=None, validate=validate.Length(1, 60), metadata={
        "description": "Item of the disability table (JKK injury), e.g. `right_thumb`, `total_permanent`."})
    children = fields.List(fields.String(validate=validate.OneOf(SCHOOL_LEVELS)), load_default=list,
                           validate=validate.Length(max=2), metadata={
                               "description": "School level of each child for the scholarship (at most two)."})
    contribution_years = WholeNumber(0, 80, load_default=0, metadata={
        "description": "Years of contributions (JKM: a scholarship needs 3)."})

    @pre_load
    def drop_blank_children(self, data: Any, **kwargs: Any) -> Any:
        # A form has a school-level select per child; one left blank means no child there.
        if isinstance(data, Mapping) and isinstance(data.get("children"), list):
            return {**data, "children": [level for level in data["children"] if not (isinstance(level, str)
                                                                                      and not level.strip())]}
        return data


class AssessClaim(CommandSchema, AssessmentInputsSchema):
    """Assess (or preview the assessment of) a claim: the officer's inputs, as the service takes them."""

    @post_load
    def to_inputs(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        expected_version = data.pop("expected_version")
        return {"expected_version": expected_version, "inputs": AssessmentInputs(**data)}


class ApproveClaim(CommandSchema):
    pass


class RejectClaim(CommandSchema):
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))


class PaySantunan(CommandSchema):
    benefit = fields.String(required=True, validate=validate.OneOf(ALL_BENEFITS),
                            metadata={"description": "The benefit line paid (see the claim's `lines`)."})
    amount = Rupiah(required=True)
    beneficiary = Text(required=True, validate=validate.Length(1, 100))
    reference = Text(required=True, validate=validate.Length(1, 60))
    paid_on = ProgrammeDay(required=True)


class WaiveOutstanding(CommandSchema):
    reason = Text(multiline=True, required=True, validate=validate.Length(1, 500))


class CloseClaim(CommandSchema):
    pass
