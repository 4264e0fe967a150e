"""The Indonesian the web shows for English domain and schema messages (interfaces/messages.py).

The completeness tests read the source with ``ast``: every message raised in ``domain/``,
``application/`` and ``projections/`` and every message written in ``interfaces/schemas/`` must be translated by
exactly one catalogue entry, so a new message without a translation fails here. The examples
produce real messages by calling the domain and the schemas with bad input.
"""

import ast
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from domain.claim import KINDS as CLAIM_KINDS
from domain.rt import PHASES
from application.service import KampungBahagia
from domain.claim import Claim
from domain.errors import DomainError
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import JAKARTA
from domain.rt import RT
from domain.text import clean_text
from projections.webhooks.retention import SETTING as RETENTION_SETTING, retention_days
from projections.webhooks.targets import SETTING, SUBSCRIPTION_REFUSALS, TargetPolicy
from interfaces.messages import CATALOGUE, TERMS, indonesian, indonesian_errors
from interfaces.schemas.activities import JoinParticipants, PlanActivity
from interfaces.schemas.claims import AssessClaim, ReceiveDocuments, ReportAccident
from interfaces.schemas.queries import AuditQuery, CoverageQuery
from interfaces.schemas.rts import AppointKetuaRT, RegisterRT
from tests.unit.scenario import given
from tests.unit.world import (
    ADMIN,
    FLAT_RULE,
    KETUA,
    LAUNCHED,
    SIMPANG_IV_SIPIN,
    SITI,
    SITI_JOINED,
    VALUE,
    covered_activity,
    launched_rt,
    report_siti,
)

ROOT = Path(__file__).resolve().parents[2]
RT_CODE = "15.71.01.1001/RT-005"
AN_ID = UUID("0b7e1f3c-5a2d-4c1e-9f3a-2d6b8e4c7a10")

# A plausible value for each {expression} of an f-string message, by the expression's source text.
SAMPLES: dict[str, object] = {
    # domain
    "', '.join(KINDS)": "cleaning, road_repair, drainage",
    "', '.join(PARTICIPANT_ROLES)": "resident, ketua_rt, phl",
    "', '.join(PHASES)": "pilot, expansion",
    "', '.join(ROLES)": "admin, ketua_rt, claim_officer",
    "', '.join(checklist)": "ktp, kk, kronologis, surat_tugas",
    "', '.join(self.missing_documents)": "kk, surat_keterangan_dokter",
    "MAX_COVER_DAYS": 366,
    "amount": Decimal(1_500_000),
    "day.isoformat()": "2014-12-31",
    "document": "ktp",
    "doing": "add a participant",
    "field.replace('_', ' ')": "participant name",
    "_label(field)": "participant name",
    "code": "0007",
    "field": "since",
    "EARLIEST_DAY.isoformat()": "1970-01-01",
    "LATEST_DAY.isoformat()": "2099-12-31",
    "held_on": date(2025, 8, 10),
    "appointed_on": date(2025, 6, 1),
    "self.ketua.appointed_on": date(2025, 7, 1),
    "CLAIM_YEARS": 5,
    "index + 1": 2,
    "local_day(moment).isoformat()": "2025-10-03",
    "max_length": 100,
    "SETTING": "KAMPUNG_WEBHOOK_ALLOW",
    "from_position": 900,
    "status": "paused",
    "expected_status": "active",
    "entry": "intranet kota",
    "head": 850,
    "nik": SITI,
    "number": "ST/001/RT-005/IX/2025",
    "participant.name": "Siti Aminah",
    "reference": "TRF-2025-0913",
    "rt.code": RT_CODE,
    "user.username": "petugas.klaim.1",
    "user.rt_code": RT_CODE,
    "rt_code": "99.99/RT-1",
    "MIN_USERNAME": 3,
    "name": "nobody.here",
    "rt.launched_on": LAUNCHED,
    "rule_id": "PP44-2015",
    "self.code": RT_CODE,
    "self.enrolled_from": date(2025, 8, 1),
    "self.ketua.name": "Budi Santoso",
    "self.kind": "work_accident",
    "self.launched_on": LAUNCHED,
    "self.outstanding_amount": Decimal(1_000_000),
    "self.phase": "pilot",
    "self.premium_outstanding": Decimal(120_000),
    "self.role": "kepala",
    "self.rule_id": "PP44-2015",
    "self.status": "cancelled",
    "self.status.replace('_', ' ')": "coverage confirmed",
    "text[6:12]": "320290",
    "text[:2]": "99",
    "line.benefit": "bonus",
    # benefits
    "subject": "wage base",
    "rule['max_children']": 2,
    "unknown[0]": "kuliah",
    "', '.join(SCHOOL_LEVELS)": "tk, sd, smp, sma, higher",
    "name.replace('_', ' ')": "stmb days",
    "kind": "non_work_death",
    "years": 3,
    "benefit": "funeral",
    "benefits": "medical_care, transport",
    "outstanding": Decimal(250_000),
    "value": "1.500.000,50",
    # application
    "aggregate.version": 5,
    "aggregate_id": AN_ID,
    "subscription_id": AN_ID,
    "subscription.id": AN_ID,
    "cls.__name__": "Activity",
    "current.version": 4,
    "expected_version": 3,
    "kelurahan_code": "15.71.99.9999",
    "moment.isoformat()": "2025-07-01T08:00:00+07:00",
    "version": 9,
    "what": f"RT {RT_CODE}",
    "activity.title": "Gotong royong pembersihan drainase",
    "planned_period.start": date(2025, 9, 1),
    "EARLIEST_TODAY.isoformat()": "2026-03-01",
    "real_today.isoformat()": "2026-12-04",
    "reservation.number": "ST/001/RT-005/IX/2025",
    # projections
    "', '.join(FORMATS)": "csv, jsonl",
    "last.position": 120,
    "notification.id": 4711,
    "name": "coverage",
    "built.error": "OperationalError: the connection was closed",
    "position": 4711,
    "self.position": 4712,
    # schemas
    "MAX_ROWS": 500,
    "len(line)": 2,
    "seen[loaded['nik']]": 1,
}


def _error_names(error: type[DomainError]) -> set[str]:
    return {error.__name__}.union(*(_error_names(subclass) for subclass in error.__subclasses__()))


DOMAIN_ERRORS = _error_names(DomainError)


# --- reading the source ------------------------------------------------------------------


def _python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _message_nodes(node: ast.expr) -> list[ast.expr]:
    """The literal messages an argument can be: a string, an f-string, either arm of ``a if c else b``.
    Anything else (``error.message``) passes on a message checked where it was raised."""
    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.IfExp):
        return _message_nodes(node.body) + _message_nodes(node.orelse)
    return []


def _sites(path: Path, nodes: list[ast.expr]) -> list[tuple[str, ast.expr]]:
    return [(f"{path.relative_to(ROOT)}:{node.lineno}", message) for node in nodes for message in _message_nodes(node)]


def raised_messages() -> list[tuple[str, ast.expr]]:
    """``raise SomeDomainError(<message>, …)`` in domain/, application/ and projections/ (an export
    refused there reaches the web's error page too)."""
    sites = []
    for path in _python_files("domain") + _python_files("application") + _python_files("projections"):
        raises = [
            node.exc.args[0]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args
            and isinstance(node.exc.func, ast.Name) and node.exc.func.id in DOMAIN_ERRORS
        ]
        sites += _sites(path, raises)
    return sites


def schema_messages() -> list[tuple[str, ast.expr]]:
    """``ValidationError(<message>, …)`` and the messages put in a list (``errors[n] = [f"…"]``)."""
    sites = []
    for path in _python_files("interfaces/schemas"):
        found: list[ast.expr] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ValidationError":
                found += node.args[:1]
            elif isinstance(node, ast.List):
                found += node.elts
        sites += _sites(path, found)
    return sites


def created_names() -> list[tuple[str, ast.expr]]:
    """What the service calls a new aggregate (``self._create(x, "…")``, ``created={id: "…"}``):
    it becomes the message "… already exists"."""
    sites = []
    for path in _python_files("application"):
        names: list[ast.expr] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_create":
                names += node.args[1:2]
            if isinstance(node, ast.Call):
                names += [value for keyword in node.keywords if keyword.arg == "created"
                          and isinstance(keyword.value, ast.Dict) for value in keyword.value.values]
        sites += _sites(path, names)
    return sites


def sample(node: ast.expr) -> str:
    """The message of a literal; for an f-string, each {expression} replaced by its sample."""
    if isinstance(node, ast.Constant):
        return node.value
    parts = []
    assert isinstance(node, ast.JoinedStr)
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(value.value)
            continue
        assert isinstance(value, ast.FormattedValue)
        expression = ast.unparse(value.value)
        if expression not in SAMPLES:
            pytest.fail(f"no sample value for {{{expression}}}: add one to SAMPLES in {Path(__file__).name}")
        parts.append(repr(SAMPLES[expression]) if value.conversion == ord("r") else str(SAMPLES[expression]))
    return "".join(parts)


RAISED = raised_messages()
SCHEMA = schema_messages()
CREATED = created_names()


def matching_entries(message: str) -> list[str]:
    return [pattern for pattern, _ in CATALOGUE if re.fullmatch(pattern, message, re.DOTALL)]


def assert_translated_by_one_entry(message: str) -> None:
    translated = indonesian(message)
    assert translated != message, f"no Indonesian for {message!r}"
    entries = matching_entries(message)
    assert len(entries) == 1, f"{message!r} matches several entries: {entries}"


# --- completeness ------------------------------------------------------------------------


def test_the_source_scan_finds_the_messages():
    # A guard on the scan itself: if it stopped finding messages, the tests below would prove nothing.
    assert len(RAISED) >= 90
    assert len(SCHEMA) >= 5
    assert len(CREATED) >= 4
    texts = [sample(node) for _, node in RAISED]
    assert "amount cannot be negative" in texts and "amount must be more than zero" in texts  # both arms
    assert f"NIK {SITI} is not a participant of this activity" in texts


@pytest.mark.parametrize("node", [node for _, node in RAISED], ids=[site for site, _ in RAISED])
def test_every_raised_message_is_translated(node):
    assert_translated_by_one_entry(sample(node))


@pytest.mark.parametrize("node", [node for _, node in SCHEMA], ids=[site for site, _ in SCHEMA])
def test_every_schema_message_is_translated(node):
    assert_translated_by_one_entry(sample(node))


@pytest.mark.parametrize("node", [node for _, node in CREATED], ids=[site for site, _ in CREATED])
def test_already_exists_is_translated_for_everything_the_service_creates(node):
    assert_translated_by_one_entry(f"{sample(node)} already exists")


class Probe(Schema):
    """marshmallow's messages for fields and validators our schemas could use but do not exercise."""

    flag = fields.Boolean()
    count = fields.Integer(validate=validate.Range(min=1))
    ceiling = fields.Integer(validate=validate.Range(max=10))
    above = fields.Integer(validate=validate.Range(min=0, min_inclusive=False))
    below = fields.Integer(validate=validate.Range(max=10, max_inclusive=False))
    code = fields.String(validate=validate.Length(equal=3))
    short = fields.String(validate=validate.Length(max=3))
    long = fields.String(validate=validate.Length(min=3))
    many = fields.Nested(Schema.from_dict({"a": fields.String()}), many=True)


BAD_INPUT: list[tuple[Schema, object]] = [
    (PlanActivity(), {}),
    (PlanActivity(), ["not", "a", "form"]),
    (PlanActivity(), {"rt_id": "rt-5", "title": "x" * 151, "kind": "banjir", "location": 5, "total_value": "1.5",
                      "planned_start": "kemarin", "planned_end": "2025-02-30", "extra": "1"}),
    (PlanActivity(), {"expected_version": "tiga"}),
    (RegisterRT(), {"kelurahan_code": "15.71.99.9999", "rt_number": 1000}),
    (AppointKetuaRT(), {"nik": None, "phone": "nomor saya"}),
    (ReceiveDocuments(), {"documents": "ktp"}),
    (ReceiveDocuments(), {"documents": []}),
    (ReceiveDocuments(), {"documents": ["ijazah"]}),
    (AssessClaim(), {"medical_costs": 1.5, "stmb_days": "lama", "children": ["kuliah", "sd", "sd"],
                     "disability_item": "", "contribution_years": 81}),
    (ReportAccident(), {"incident_at": "kemarin pagi", "chronology": b"\xff"}),
    (AuditQuery(), {"after": -1, "limit": 501, "since": "2025-13-01T00:00"}),
    (CoverageQuery(), {"nik": "1571010101750000", "at": 5}),
    (JoinParticipants(), {"rows": "nik,nama,peran\n"}),
    (JoinParticipants(), {"rows": "1571014507900002,Siti\n" * 501}),
    (Probe(), {"flag": "mungkin", "count": float("inf"), "ceiling": 11, "above": 0, "below": 10, "code": "ab",
               "short": "abcd", "long": "ab", "many": "x"}),
    (Probe(), {"count": 0, "code": 3}),
]


def leaves(messages: object) -> Iterator[str]:
    if isinstance(messages, dict):
        for value in messages.values():
            yield from leaves(value)
    elif isinstance(messages, list):
        for value in messages:
            yield from leaves(value)
    else:
        yield str(messages)


@pytest.mark.parametrize(("schema", "data"), BAD_INPUT,
                         ids=[f"{type(schema).__name__}-{index}" for index, (schema, _) in enumerate(BAD_INPUT)])
def test_every_message_of_marshmallow_on_our_fields_is_translated(schema, data):
    with pytest.raises(ValidationError) as raised:
        schema.load(data)
    for message in leaves(raised.value.messages):
        assert_translated_by_one_entry(message)


def test_every_entry_is_a_valid_pattern_with_a_template_for_its_groups():
    for pattern, template in CATALOGUE:
        groups = re.compile(pattern).groups
        used = {int(number) for number in re.findall(r"\{(\d+)\}", template)}
        assert used == set(range(groups)), f"{pattern!r}: template uses {sorted(used)}, pattern has {groups} groups"
        assert template.endswith("."), template
    assert len({pattern for pattern, _ in CATALOGUE}) == len(CATALOGUE)


def _string_arguments(path: Path, functions: set[str], position: int) -> set[str]:
    """The string literals passed at ``position`` (-1: last) to calls of ``functions`` in ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and len(node.args) > max(position, -position - 1):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            argument = node.args[position]
            if name in functions and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def _claim_statuses() -> set[str]:
    tree = ast.parse((ROOT / "domain" / "claim.py").read_text(encoding="utf-8"))
    status = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "status")
    return {node.value for node in ast.walk(status) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_word_put_into_a_message_by_the_domain_has_an_indonesian_term():
    domain_files = _python_files("domain")
    cleaners = {"clean_text", "clean_paragraphs"}
    fields_ = {field for path in domain_files for field in _string_arguments(path, cleaners, 1)}
    steps = {step for path in domain_files for step in _string_arguments(path, {"check_open", "_refuse_unless"}, -1)}
    statuses = _claim_statuses() | {"completed", "cancelled"}
    assert {"participant_name", "chronology", "title"} <= fields_ and {"approve", "add a participant"} <= steps
    assert {"coverage_confirmed", "partially_paid"} <= statuses
    words = {word.replace("_", " ") for word in fields_ | statuses} | steps | set(CLAIM_KINDS) | set(PHASES)
    assert sorted(word for word in words if word not in TERMS) == []


def test_terms_translate_only_the_named_groups():
    # "Activity" is a term, but a participant named so is a person: the name group is not a term group.
    assert "Activity" in TERMS
    assert indonesian("Activity joined after the incident") == "Activity baru bergabung setelah kejadian."
    assert indonesian(f"no Activity with id {AN_ID}") == f"Data kegiatan dengan id {AN_ID} tidak ditemukan."


# --- examples: real messages and their exact Indonesian --------------------------------------


def message_of(call: Callable[[], object]) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.message


def _cancelled_activity():
    activity = covered_activity()
    activity.cancel("Hujan deras", datetime(2025, 9, 2, 8, 0, tzinfo=JAKARTA), ADMIN)
    return activity


def _activity_with_premium():
    activity = covered_activity()
    activity.assess_premium(FLAT_RULE.assess(VALUE), ADMIN)
    return activity


def _confirmed_claim() -> Claim:
    activity = covered_activity()
    claim = report_siti(activity)
    claim.confirm_coverage(activity, ADMIN)
    return claim


def _fresh_app() -> KampungBahagia:
    return KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def _ijazah() -> None:
    claim = report_siti(covered_activity())
    claim.receive_document("ijazah", ADMIN)


EXAMPLES: list[tuple[Callable[[], object], str, str]] = [
    (lambda: parse_nik("157101010175"),
     "NIK must be exactly 16 digits",
     "NIK harus tepat 16 angka."),
    (lambda: parse_nik("1571013202900002"),
     "NIK birth date 320290 is not a calendar date",
     "Tanggal lahir pada NIK (320290) bukan tanggal yang sah."),
    (lambda: rupiah("1.500.000,50"),
     "'1.500.000,50' is not an amount of rupiah",
     "'1.500.000,50' bukan jumlah rupiah yang sah."),
    (lambda: clean_text("   ", "participant_name"),
     "participant name is required",
     "Kolom nama peserta wajib diisi."),
    (lambda: launched_rt().launch(LAUNCHED, ADMIN),
     f"{RT_CODE} was already launched on 2025-08-24",
     f"{RT_CODE} sudah diluncurkan pada 2025-08-24."),
    (lambda: given(lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)).launch(LAUNCHED, ADMIN),
     f"{RT_CODE} needs a Ketua RT before it is launched",
     f"{RT_CODE} harus memiliki Ketua RT sebelum diluncurkan."),
    (lambda: covered_activity().join_participant(SITI, "Siti Aminah", "resident", SITI_JOINED, KETUA),
     f"NIK {SITI} is already a participant of this activity",
     f"NIK {SITI} sudah terdaftar sebagai peserta kegiatan ini."),
    (lambda: _cancelled_activity().join_participant("1571011203880003", "Ahmad", "resident", SITI_JOINED, KETUA),
     "the activity is cancelled: cannot add a participant",
     "Kegiatan sudah dibatalkan; tidak dapat menambahkan peserta."),
    (lambda: _activity_with_premium().record_premium_payment(200_000, "TRF-1", date(2025, 9, 2), date(2025, 9, 2),
                                                             ADMIN),
     "payment of 200000 exceeds the outstanding premium of 120000",
     "Pembayaran sebesar 200000 melebihi sisa iuran yang belum dibayar (120000)."),
    (lambda: covered_activity().check_covered(SITI, datetime(2025, 10, 3, 9, 0, tzinfo=JAKARTA)),
     "no task letter of this activity covers 2025-10-03",
     "Tidak ada surat tugas kegiatan ini yang berlaku pada tanggal 2025-10-03."),
    (lambda: report_siti(covered_activity()).approve(ADMIN),
     "cannot approve: coverage has not been confirmed",
     "Tidak dapat menyetujui klaim; perlindungan belum dikonfirmasi."),
    (lambda: _confirmed_claim().approve(ADMIN),
     "cannot approve: the claim is coverage confirmed",
     "Tidak dapat menyetujui klaim; status klaim: perlindungan dikonfirmasi."),
    (lambda: _confirmed_claim().close(ADMIN),
     "cannot close: the claim is coverage confirmed",
     "Tidak dapat menutup klaim; status klaim: perlindungan dikonfirmasi."),
    (_ijazah,
     "'ijazah' is not on the checklist of a work_accident claim: ktp, kk, kronologis, surat_tugas, laporan_tahap_1, "
     "surat_keterangan_dokter, kuitansi_pengobatan, laporan_polisi, keterangan_saksi",
     "'ijazah' tidak termasuk daftar dokumen klaim kecelakaan kerja: ktp, kk, kronologis, surat_tugas, "
     "laporan_tahap_1, surat_keterangan_dokter, kuitansi_pengobatan, laporan_polisi, keterangan_saksi."),
    (lambda: _fresh_app().get_activity(AN_ID),
     f"no Activity with id {AN_ID}",
     f"Data kegiatan dengan id {AN_ID} tidak ditemukan."),
    (lambda: _fresh_app().register_rt("15.71.99.9999", 5, ADMIN),
     "'15.71.99.9999' is not a kelurahan of Kota Jambi",
     "'15.71.99.9999' bukan kelurahan di Kota Jambi."),
]


@pytest.mark.parametrize(("call", "english", "expected"), EXAMPLES, ids=[e[1][:40] for e in EXAMPLES])
def test_a_real_domain_message_and_its_indonesian(call, english, expected):
    message = message_of(call)
    assert message == english
    assert indonesian(message) == expected


def test_a_second_rt_with_the_same_code_already_exists():
    app = _fresh_app()
    app.register_rt("15.71.01.1001", 5, ADMIN)
    message = message_of(lambda: app.register_rt("15.71.01.1001", 5, ADMIN))
    assert indonesian(message) == f"RT {RT_CODE} sudah terdaftar."


def test_real_schema_messages_and_their_indonesian():
    with pytest.raises(ValidationError) as raised:
        PlanActivity().load({
            "rt_id": "rt-5", "title": "Kerja bakti", "kind": "banjir", "location": "Jl. Sipin", "total_value": "0",
            "planned_start": "2025-09-10", "planned_end": "2025-09-01", "extra": "1",
        })
    assert indonesian_errors(raised.value.messages) == {
        "rt_id": ["Pengenal (UUID) tidak sah."],
        "kind": ["Harus salah satu dari: cleaning, road_repair, drainage, greening, public_facility, other."],
        "total_value": ["Jumlah harus lebih dari nol."],
        "extra": ["Kolom ini tidak dikenal."],
    }
    with pytest.raises(ValidationError) as raised:
        PlanActivity().load({
            "rt_id": str(AN_ID), "title": "Kerja bakti", "kind": "cleaning", "location": "Jl. Sipin",
            "total_value": "1000000", "planned_start": "2025-09-10", "planned_end": "2025-09-01",
        })
    assert indonesian_errors(raised.value.messages) == {
        "planned_end": ["Tanggal selesai lebih awal dari tanggal mulai."],
    }
    with pytest.raises(ValidationError) as raised:
        RegisterRT().load({"kelurahan_code": "15.71.01.1001", "rt_number": 1000})
    assert indonesian_errors(raised.value.messages) == {"rt_number": ["Nilai harus antara 1 dan 999."]}
    with pytest.raises(ValidationError) as raised:
        AppointKetuaRT().load({"nik": "1571010101750001", "name": "Budi", "phone": "nomor saya"})
    assert indonesian_errors(raised.value.messages) == {
        "phone": ["Format isian tidak sesuai."], "appointed_on": ["Wajib diisi."],
    }


def test_the_participant_list_keeps_its_nesting_rows_then_fields():
    rows = "\n".join([
        "NIK,nama,peran",
        f"{SITI},Siti Aminah,resident",
        f"{SITI},Siti A.,resident",
        "1571011203880003,Ahmad",
        "123,Ahmad,mandor",  # not a role: neither a code nor an Indonesian name
    ])
    with pytest.raises(ValidationError) as raised:
        JoinParticipants().load({"rows": rows})
    assert raised.value.messages == {"rows": {
        2: {"nik": ["Same NIK as row 1."]},
        3: ["Expected 3 columns (NIK,nama,peran), found 2."],
        4: {"nik": ["NIK must be exactly 16 digits"],
            "role": ["Must be one of: resident, ketua_rt, phl, petugas_syara, pokja_member, facilitator."]},
    }}
    assert indonesian_errors(raised.value.messages) == {"rows": {
        2: {"nik": ["NIK sama dengan baris 1."]},
        3: ["Baris harus berisi 3 kolom (NIK,nama,peran), tetapi berisi 2."],
        4: {"nik": ["NIK harus tepat 16 angka."],
            "role": ["Harus salah satu dari: resident, ketua_rt, phl, petugas_syara, pokja_member, facilitator."]},
    }}


# --- what is not in the catalogue ------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Sudah dalam bahasa Indonesia.",
    "Wajib diisi.",
    "",
    "Error: NIK must be exactly 16 digits",
    "NIK must be exactly 16 digits\n",
    "NIK must be exactly 16 digits or more",
    "missing data for required field.",
    "The request has invalid fields.",
])
def test_text_without_an_entry_passes_through_unchanged(text):
    assert indonesian(text) == text


def test_the_nesting_of_any_error_messages_is_kept():
    messages = {"_form": ["Unknown field."], "lines": {0: {"amount": ["amount must be whole rupiah"]}}}
    assert indonesian_errors(messages) == {
        "_form": ["Kolom ini tidak dikenal."],
        "lines": {0: {"amount": ["Jumlah harus dalam rupiah penuh, tanpa sen."]}},
    }
    assert indonesian_errors(["Tidak diubah."]) == ["Tidak diubah."]


def webhook_setting_messages() -> list[str]:
    """What the webhook targets and retention settings refuse (raised in interfaces/feed, shown too)."""
    refused = []
    for setting, call in ((SETTING, lambda: TargetPolicy.from_setting("10.0.0.0/8 http://x")),
                          (RETENTION_SETTING, lambda: retention_days({RETENTION_SETTING: "dertig"}))):
        with pytest.raises(DomainError) as raised:
            call()
        assert raised.value.field == setting
        refused.append(raised.value.message)
    return refused


@pytest.mark.parametrize("message", [*SUBSCRIPTION_REFUSALS.values(), *webhook_setting_messages()])
def test_every_refusal_of_a_webhook_target_or_setting_is_translated(message):
    assert_translated_by_one_entry(message)

