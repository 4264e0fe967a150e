"""The API's own schemas: every response body, the list queries, and the two request bodies only
the API has (participants as a JSON list, the "state at" query). Command bodies are the shared
schemas of ``interfaces/schemas``.

Resources are dumped from the aggregates (the source of truth, current right after a command);
list items are dumped from the read models. Money is whole rupiah as an integer, moments are
ISO 8601 with an offset, days are ISO dates.

What a resource and its list item (or two resources) both show is declared once, in a ``…Fields``
base schema: marshmallow merges inherited fields into each schema, and apispec documents each
schema whole under its own name, so the bases never appear in the OpenAPI document.
"""

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from domain.activity import Activity
from domain.claim import DOCUMENTS, STATUSES as CLAIM_STATUSES, Claim
from domain.rt import PHASES, RT
from interfaces.api.pagination import Cursor, limit_field, page_schema
from interfaces.masking import ShownNIK
from interfaces.schemas.activities import MAX_ROWS, JoinParticipant
from interfaces.schemas.claims import AssessmentInputsSchema, BenefitLineSchema
from interfaces.schemas.fields import CommandSchema, Moment, Text, WholeNumber

ACTIVITY_STATUSES = ("planned", "active", "completed", "cancelled")


def _money(**kwargs: Any) -> fields.Integer:
    return fields.Integer(metadata={"description": "Whole rupiah."}, **kwargs)


def _uuid(**kwargs: Any) -> fields.String:
    # A string, not fields.UUID: the read models hold ids as text, and str() dumps the aggregates'
    # UUIDs the same way.
    return fields.String(metadata={"format": "uuid"}, **kwargs)


class ProblemSchema(Schema):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type = fields.String(required=True, metadata={"description": "urn:kampung-bahagia:error:<kind>"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(), values=fields.Raw(),
        metadata={"description": "Per field, its messages: {field: [message]} (nested per row for lists)."},
    )


class ActorSchema(Schema):
    user_id = fields.String(required=True)
    role = fields.String(required=True)


class AggregateSchema(Schema):
    id = fields.UUID(required=True)
    version = fields.Integer(required=True, metadata={"description": "Send it back as `expected_version`."})
    created_on = fields.DateTime(required=True)
    modified_on = fields.DateTime(required=True)


def _aggregate(aggregate: Any) -> dict[str, Any]:
    return {"id": aggregate.id, "version": aggregate.version, "created_on": aggregate.created_on,
            "modified_on": aggregate.modified_on}


# --- RT ---------------------------------------------------------------------------------


class PlaceSchema(Schema):
    kelurahan_code = fields.String(required=True)
    kelurahan = fields.String(required=True)
    kecamatan_code = fields.String(required=True)
    kecamatan = fields.String(required=True)


class KetuaRTSchema(Schema):
    nik = ShownNIK(required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True)
    appointed_on = fields.Date(required=True)


class MusyawarahSchema(Schema):
    held_on = fields.Date(required=True)
    priorities = fields.List(fields.String(), required=True)


class RTFields(Schema):
    """What an RT and its entry in the registry both show."""

    code = fields.String(required=True, metadata={"description": "Kelurahan code and RT number: 15.71.01.1001/RT-005"})
    rt_number = fields.Integer(required=True)
    phase = fields.String(required=True, allow_none=True, validate=validate.OneOf(PHASES))
    enrolled_from = fields.Date(required=True, allow_none=True)
    launched_on = fields.Date(required=True, allow_none=True)


class RTSchema(AggregateSchema, RTFields):
    place = fields.Nested(PlaceSchema, required=True)
    ketua = fields.Nested(KetuaRTSchema, required=True, allow_none=True)
    musyawarah = fields.List(fields.Nested(MusyawarahSchema), required=True)
    launched = fields.Boolean(required=True)

    @pre_dump
    def from_aggregate(self, rt: RT, **kwargs: Any) -> dict[str, Any]:
        return {
            **_aggregate(rt), "code": rt.code, "rt_number": rt.rt_number, "place": rt.place, "ketua": rt.ketua,
            "phase": rt.phase, "enrolled_from": rt.enrolled_from, "launched_on": rt.launched_on,
            "launched": rt.launched,
            "musyawarah": [{"held_on": held_on, "priorities": priorities} for held_on, priorities in rt.musyawarah],
        }


class RTSummarySchema(RTFields, PlaceSchema):
    """An RT as the registry lists it (read model)."""

    id = _uuid(required=True, attribute="rt_id")
    ketua_name = fields.String(required=True, allow_none=True)
    ketua_phone = fields.String(required=True, allow_none=True)
    musyawarah_count = fields.Integer(required=True)
    last_musyawarah_on = fields.Date(required=True, allow_none=True)
    registered_at = fields.DateTime(required=True)
    activities = fields.Integer(required=True)
    version = fields.Integer(required=True)


RTPageSchema = page_schema("RTPage", RTSummarySchema, "RTs ordered by code.")


class RTListQuery(Schema):
    kecamatan = Text(load_default=None, validate=validate.Length(max=20),
                     metadata={"description": "Kecamatan code, e.g. 15.71.01"})
    kelurahan = Text(load_default=None, validate=validate.Length(max=20),
                     metadata={"description": "Kelurahan code, e.g. 15.71.01.1001"})
    phase = fields.String(
        load_default=None, validate=validate.OneOf((*PHASES, "none")),
        metadata={"description": "Programme phase; `none`: not yet enrolled."},
    )
    limit = limit_field()
    cursor = Cursor("rts", str)


# --- Activity ---------------------------------------------------------------------------


class PremiumBreakdownSchema(Schema):
    value = _money(required=True)
    jkk = _money(required=True)
    jkm = _money(required=True)
    total = _money(required=True)
    rule = fields.String(required=True, metadata={"description": "The rate rule applied, e.g. PERMENAKER-44-2015."})


class PaymentFields(Schema):
    """What a premium payment and a santunan payment both show."""

    amount = _money(required=True)
    reference = fields.String(required=True)
    paid_on = fields.Date(required=True)


class PremiumPaymentSchema(PaymentFields):
    """A payment of an activity's premium."""


class CoverPeriodFields(Schema):
    """The days (WIB) a task letter covers."""

    cover_start = fields.Date(required=True)
    cover_end = fields.Date(required=True)


class TaskLetterCoverFields(CoverPeriodFields):
    """A task letter by its number, and the days it covers."""

    task_letter_number = fields.String(required=True)


class TaskLetterSchema(CoverPeriodFields):
    number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    ketua_nik = ShownNIK(required=True)
    ketua_name = fields.String(required=True)


class MembershipFields(Schema):
    """A person's part in an activity: as its participant, and among the person's covers."""

    name = fields.String(required=True)
    role = fields.String(required=True)
    joined_at = fields.DateTime(required=True)
    withdrawn_at = fields.DateTime(required=True, allow_none=True)


class ParticipantSchema(MembershipFields):
    nik = ShownNIK(required=True)
    withdrawn = fields.Boolean(required=True)


def participant_data(participant: Any) -> dict[str, Any]:
    return {"nik": participant.nik, "name": participant.name, "role": participant.role,
            "joined_at": participant.joined_at, "withdrawn_at": participant.withdrawn_at,
            "withdrawn": participant.withdrawn_at is not None}


def _letter(letter: Any) -> dict[str, Any]:
    return {"number": letter.number, "issued_on": letter.issued_on, "cover_start": letter.cover_period.start,
            "cover_end": letter.cover_period.end, "ketua_nik": letter.ketua_nik, "ketua_name": letter.ketua_name}


class PremiumSchema(Schema):
    """An activity's premium: the breakdown assessed, what was paid and what is outstanding."""

    activity_id = fields.UUID(required=True)
    breakdown = fields.Nested(PremiumBreakdownSchema, required=True, allow_none=True)
    assessed = _money(required=True)
    paid = _money(required=True)
    outstanding = _money(required=True)
    payments = fields.List(fields.Nested(PremiumPaymentSchema), required=True)
    version = fields.Integer(required=True)

    @pre_dump
    def from_aggregate(self, activity: Activity, **kwargs: Any) -> dict[str, Any]:
        return {
            "activity_id": activity.id, "breakdown": activity.premium,
            "assessed": activity.premium.total if activity.premium else 0, "paid": activity.premium_paid,
            "outstanding": activity.premium_outstanding, "payments": activity.payments, "version": activity.version,
        }


class ActivityFields(Schema):
    """What an activity and its entry in the activity list both show."""

    rt_id = _uuid(required=True)
    rt_code = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    location = fields.String(required=True)
    total_value = _money(required=True)
    planned_start = fields.Date(required=True)
    planned_end = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ACTIVITY_STATUSES))


class ActivitySchema(AggregateSchema, ActivityFields):
    premium = fields.Nested(PremiumSchema, required=True)
    task_letters = fields.List(fields.Nested(TaskLetterSchema), required=True)
    participants = fields.List(
        fields.Nested(ParticipantSchema), required=True, metadata={"description": "In join order."}
    )
    completed_at = fields.DateTime(required=True, allow_none=True)
    cancelled_at = fields.DateTime(required=True, allow_none=True)
    cancel_reason = fields.String(required=True, allow_none=True)

    @pre_dump
    def from_aggregate(self, activity: Activity, **kwargs: Any) -> dict[str, Any]:
        return {
            **_aggregate(activity), "rt_id": activity.rt_id, "rt_code": activity.rt_code, "title": activity.title,
            "kind": activity.kind, "location": activity.location, "total_value": activity.total_value,
            "planned_start": activity.planned_period.start, "planned_end": activity.planned_period.end,
            "status": activity.status, "premium": activity,
            "task_letters": [_letter(letter) for letter in activity.task_letters],
            "participants": [participant_data(p) for p in activity.participants.values()],
            "completed_at": activity.completed_at, "cancelled_at": activity.cancelled_at,
            "cancel_reason": activity.cancel_reason,
        }


class ActivitySummarySchema(ActivityFields):
    """An activity as the activity list shows it (read model)."""

    id = _uuid(required=True, attribute="activity_id")
    participants = fields.Integer(required=True, metadata={"description": "Participants not withdrawn."})
    premium_assessed = _money(required=True)
    premium_paid = _money(required=True)
    premium_outstanding = _money(required=True)
    version = fields.Integer(required=True)


ActivityPageSchema = page_schema("ActivityPage", ActivitySummarySchema, "Latest start first, ties by id.")
ParticipantPageSchema = page_schema("ParticipantPage", ParticipantSchema, "Participants in join order.")


class ActivityListQuery(Schema):
    rt_id = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(ACTIVITY_STATUSES))
    limit = limit_field()
    cursor = Cursor("activities", str)


class ParticipantListQuery(Schema):
    limit = limit_field()
    cursor = Cursor("participants", str)


class ParticipantRow(JoinParticipant):
    """One participant of a bulk join."""

    class Meta:
        exclude = ("expected_version",)


class JoinParticipantRows(CommandSchema):
    """Several participants at once, each NIK once: all are joined, or none if any row is refused."""

    rows = fields.List(fields.Nested(ParticipantRow), required=True, validate=validate.Length(1, MAX_ROWS))

    @validates_schema
    def distinct_niks(self, data: dict[str, Any], **kwargs: Any) -> None:
        first: dict[str, int] = {}
        duplicates = {}
        for index, row in enumerate(data.get("rows", [])):
            if row["nik"] in first:
                duplicates[index] = {"nik": [f"Same NIK as row {first[row['nik']]}."]}
            first.setdefault(row["nik"], index)
        if duplicates:
            raise ValidationError(duplicates, "rows")


# --- Claim ------------------------------------------------------------------------------


class ClaimCoverSchema(TaskLetterCoverFields):
    """The task letter a claim's coverage was confirmed under."""


class ChecklistItemSchema(Schema):
    document = fields.String(required=True)
    required = fields.Boolean(required=True)
    received = fields.Boolean(required=True)


class SantunanPaymentSchema(PaymentFields):
    beneficiary = fields.String(required=True)
    benefit = fields.String(required=True, allow_none=True, metadata={
        "description": "The benefit line paid; null on payments recorded before payments named their line."})


class LineBalanceSchema(BenefitLineSchema):
    """A benefit line with what has been paid and waived against it."""

    paid = _money(required=True)
    waived = _money(required=True)
    outstanding = _money(required=True)


def _line_balance(balance: Any) -> dict[str, Any]:
    line = balance.line
    return {"benefit": line.benefit, "description": line.description, "amount": line.amount,
            "paid": balance.paid, "waived": balance.waived, "outstanding": balance.outstanding}


class AssessmentBasisFields(Schema):
    """What an assessment was computed from, so that it can be recomputed."""

    inputs = fields.Nested(AssessmentInputsSchema, required=True, allow_none=True, metadata={
        "description": "The officer's inputs; null on an assessment typed by hand before benefits were computed."})
    wage_base = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Monthly wage base in whole rupiah (the UMK in force at the incident); null when no "
                       "benefit is reckoned on it."})
    rule_ids = fields.List(fields.String(), required=True, metadata={
        "description": "Rows of the rule tables applied (application/data/*.csv)."})
    table_version = fields.String(required=True, allow_none=True, metadata={
        "description": "Fingerprint of the rule tables used."})


class AssessmentSchema(AssessmentBasisFields):
    """An assessment computed from the rule tables (a preview records nothing)."""

    lines = fields.List(fields.Nested(BenefitLineSchema), required=True)
    total = _money(required=True)


class ClaimAssessmentBasisSchema(AssessmentBasisFields):
    """What the claim's recorded assessment was computed from."""


class ClaimFields(Schema):
    """What a claim and its entry on the claims board both show."""

    activity_id = _uuid(required=True)
    rt_id = _uuid(required=True)
    nik = ShownNIK(required=True)
    participant_name = fields.String(required=True)
    kind = fields.String(required=True)
    incident_at = fields.DateTime(required=True)
    reported_at = fields.DateTime(required=True)
    late = fields.Boolean(
        required=True, metadata={"description": "Reported more than 2 × 24 hours after the incident."}
    )
    status = fields.String(required=True, validate=validate.OneOf(CLAIM_STATUSES))
    assessed_amount = _money(required=True)
    paid_amount = _money(required=True)


class ClaimSchema(AggregateSchema, ClaimFields):
    location = fields.String(
        required=True, allow_none=True, metadata={"description": "Where the accident happened, when reported."}
    )
    chronology = fields.String(required=True)
    reporter = fields.String(required=True)
    cover = fields.Nested(ClaimCoverSchema, required=True, allow_none=True)
    denial_reason = fields.String(required=True, allow_none=True)
    checklist = fields.List(fields.Nested(ChecklistItemSchema), required=True)
    missing_documents = fields.List(fields.String(), required=True)
    benefit_lines = fields.List(fields.Nested(BenefitLineSchema), required=True)
    assessment_basis = fields.Nested(ClaimAssessmentBasisSchema, required=True, allow_none=True)
    lines = fields.List(fields.Nested(LineBalanceSchema), required=True, metadata={
        "description": "Each benefit line with paid, waived and outstanding amounts."})
    approved_amount = _money(required=True, allow_none=True)
    outstanding_amount = _money(required=True)
    waived_amount = _money(required=True)
    waiver_reason = fields.String(required=True, allow_none=True)
    rejection_reason = fields.String(required=True, allow_none=True)
    payments = fields.List(fields.Nested(SantunanPaymentSchema), required=True)
    closed = fields.Boolean(required=True)

    @pre_dump
    def from_aggregate(self, claim: Claim, **kwargs: Any) -> dict[str, Any]:
        cover = claim.cover
        return {
            **_aggregate(claim), "activity_id": claim.activity_id, "rt_id": claim.rt_id, "nik": claim.nik,
            "participant_name": claim.participant_name, "kind": claim.kind, "incident_at": claim.incident_at,
            "reported_at": claim.reported_at, "late": claim.late, "location": claim.location,
            "chronology": claim.chronology,
            "reporter": claim.reporter, "status": claim.status,
            "cover": None if cover is None else {
                "task_letter_number": cover.task_letter_number, "cover_start": cover.cover_period.start,
                "cover_end": cover.cover_period.end,
            },
            "denial_reason": claim.denial_reason,
            "checklist": [
                {"document": document, "required": required, "received": document in claim.documents}
                for document, required in DOCUMENTS[claim.kind].items()
            ],
            "missing_documents": claim.missing_documents, "benefit_lines": claim.benefit_lines,
            "assessment_basis": claim.assessment_basis,
            "lines": [_line_balance(balance) for balance in claim.line_balances],
            "waived_amount": claim.waived_amount, "waiver_reason": claim.waiver_reason,
            "assessed_amount": claim.assessed_amount, "approved_amount": claim.approved_amount,
            "paid_amount": claim.paid_amount, "outstanding_amount": claim.outstanding_amount,
            "rejection_reason": claim.rejection_reason, "payments": claim.payments, "closed": claim.closed,
        }


class ClaimSummarySchema(ClaimFields):
    """A claim as the claims board lists it (read model)."""

    id = _uuid(required=True, attribute="claim_id")
    rt_code = fields.String(required=True)
    kelurahan = fields.String(required=True)
    kecamatan = fields.String(required=True)
    task_letter_number = fields.String(required=True, allow_none=True)
    documents = fields.Integer(required=True, metadata={"description": "Documents received."})
    approved_amount = _money(required=True)
    closed_at = fields.DateTime(required=True, allow_none=True)
    days_open = fields.Integer(required=True)
    version = fields.Integer(required=True)


ClaimPageSchema = page_schema("ClaimPage", ClaimSummarySchema, "Most recent incident first, ties by id.")


class ClaimListQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(CLAIM_STATUSES))
    limit = limit_field()
    cursor = Cursor("claims", str)


# --- coverage ---------------------------------------------------------------------------


class CoveringLetterSchema(TaskLetterCoverFields):
    """A task letter under which the person is covered at the moment asked about."""

    activity_id = _uuid(required=True)
    activity_title = fields.String(required=True)
    rt_code = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)


class PersonCoverSchema(MembershipFields):
    """One activity the person took part in, with its cover and status today."""

    activity_id = _uuid(required=True)
    title = fields.String(required=True)
    rt_code = fields.String(required=True)
    kelurahan = fields.String(required=True)
    kecamatan = fields.String(required=True)
    cover_start = fields.Date(required=True, allow_none=True)
    cover_end = fields.Date(required=True, allow_none=True)
    letters = fields.Integer(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(("active", "ended", "pending", "withdrawn", "cancelled"))
    )


class CoverageSchema(Schema):
    nik = ShownNIK(required=True)
    at = fields.DateTime(required=True)
    covered = fields.Boolean(required=True)
    covered_by = fields.List(fields.Nested(CoveringLetterSchema), required=True)
    covers = fields.List(fields.Nested(PersonCoverSchema), required=True)


# --- audit and history ------------------------------------------------------------------


class EventFields(Schema):
    """What the audit trail and an aggregate's history both show of an event."""

    version = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True)
    actor = fields.Nested(ActorSchema, required=True)


class AuditEventSchema(EventFields):
    position = fields.Integer(
        required=True, metadata={"description": "Place in the event log; pass the last as `after`."}
    )
    aggregate_type = fields.String(required=True)
    aggregate_id = _uuid(required=True)
    event_type = fields.String(required=True)
    summary = fields.String(required=True, metadata={"description": "Readable summary (Bahasa Indonesia)."})
    payload = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


AuditPageSchema = page_schema(
    "AuditPage", AuditEventSchema, "By position.",
    next_field=fields.Integer(
        required=True, allow_none=True,
        metadata={"description": "Pass it as `after` for the next page; null on the last page."},
    ),
)


class ChangeSchema(Schema):
    before = fields.Raw(required=True, allow_none=True)
    after = fields.Raw(required=True, allow_none=True)


class HistoryEventSchema(EventFields):
    position = fields.Integer(
        required=True, allow_none=True,
        metadata={"description": "Place in the event log (null until the audit trail has caught up)."},
    )
    type = fields.String(required=True)
    data = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True,
                       metadata={"description": "The event's own fields."})
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeSchema), required=True,
                          metadata={"description": "The state fields the event changed."})


HistoryPageSchema = page_schema("HistoryPage", HistoryEventSchema, "Events by version.")


class HistoryQuery(Schema):
    limit = limit_field()
    cursor = Cursor("history", int)


class StateQuery(Schema):
    version = WholeNumber(1, load_default=None, metadata={"description": "The state after this version."})
    at = Moment(load_default=None, metadata={
        "description": "The state at this moment (ISO 8601; no offset: WIB). Give `version` or `at`, not both."})

    @validates_schema
    def one_of(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("version") is not None and data.get("at") is not None:
            raise ValidationError("Give either version or at, not both.", "at")


class AggregateStateSchema(Schema):
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.OneOf(("RT", "Activity", "Claim")))
    version = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True, metadata={"description": "When this version was recorded."})
    state = fields.Dict(
        keys=fields.String(), values=fields.Raw(), required=True,
        metadata={"description": "The resource as GET /rts/{id}, /activities/{id} or /claims/{id} shows it."},
    )
