"""The claim's use cases: an accident or death reported, its coverage decided, documents received,
the assessment by the rule tables, the decision, santunan paid, what remains waived, and the close."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from application import rules
from application.base import ProgrammeStore, command
from domain.activity import Activity
from domain.actor import Actor
from domain.benefits import Assessment, AssessmentInputs
from domain.claim import Claim


class Claims(ProgrammeStore):
    def get_claim(self, claim_id: UUID, version: int | None = None) -> Claim:
        return self.get_at(Claim, claim_id, version)

    @command
    def report_accident(
        self, activity_id: UUID, nik: str, incident_at: datetime, kind: str, chronology: str, reporter: str,
        actor: Actor, participant_name: str | None = None, location: str | None = None,
    ) -> UUID:
        activity = self._load(Activity, activity_id)
        claim = Claim.report(
            activity=activity, nik=nik, incident_at=incident_at, kind=kind, chronology=chronology,
            reporter=reporter, now=self.clock.now(), actor=actor, participant_name=participant_name,
            location=location,
        )
        return self._create(claim, "a claim for this participant and incident").id

    @command
    def confirm_coverage(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.confirm_coverage(self._load(Activity, claim.activity_id), actor=actor)

    @command
    def deny_coverage(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.deny_coverage(reason=reason, actor=actor)

    @command
    def receive_document(
        self, claim_id: UUID, document: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        self.receive_documents(claim_id, [document], actor, expected_version)

    @command
    def receive_documents(
        self, claim_id: UUID, documents: Sequence[str], actor: Actor, expected_version: int | None = None
    ) -> None:
        """Tick several documents at once: all are recorded, or none if any is refused."""
        with self._changing(Claim, claim_id, expected_version) as claim:
            for document in documents:
                claim.receive_document(document=document, actor=actor)

    def preview_assessment(self, claim_id: UUID, inputs: AssessmentInputs) -> Assessment:
        """The assessment ``assess_claim`` would record for these inputs, without recording it."""
        return self._load(Claim, claim_id).preview_assessment(inputs, rules.benefit_tables())

    @command
    def assess_claim(
        self, claim_id: UUID, inputs: AssessmentInputs, actor: Actor, expected_version: int | None = None
    ) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.assess(inputs=inputs, tables=rules.benefit_tables(), actor=actor)

    @command
    def approve_claim(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.approve(actor=actor)

    @command
    def reject_claim(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.reject(reason=reason, actor=actor)

    @command
    def pay_santunan(
        self, claim_id: UUID, benefit: str, amount: object, beneficiary: str, reference: str, paid_on: date,
        actor: Actor, expected_version: int | None = None,
    ) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.pay_santunan(benefit=benefit, amount=amount, beneficiary=beneficiary, reference=reference,
                               paid_on=paid_on, today=self.clock.today(), actor=actor)

    @command
    def waive_outstanding(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.waive_outstanding(reason=reason, actor=actor)

    @command
    def close_claim(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Claim, claim_id, expected_version) as claim:
            claim.close(actor=actor)
