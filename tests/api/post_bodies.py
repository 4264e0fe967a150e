"""A valid request body for each POST of the API, for the tests that walk every POST of the OpenAPI
document (idempotency, optimistic concurrency)."""

import re
from typing import Any

from tests.integration.conftest import AHMAD, KETUA_NIK, SITI

# A request body for each POST of the API, by path template, in the order the document lists them
# (a life cycle: later steps act on what earlier ones created). A new POST must be added here.
BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/rts": {"kelurahan_code": "15.71.01.1002", "rt_number": 3},
    "/api/v1/rts/{rt_id}/ketua": {"nik": KETUA_NIK, "name": "Rahmat Hidayat", "phone": "081234567891",
                                  "appointed_on": "2025-07-01"},
    "/api/v1/rts/{rt_id}/enrolment": {"phase": "pilot", "from_date": "2025-08-01"},
    "/api/v1/rts/{rt_id}/musyawarah": {"held_on": "2025-08-10", "priorities": ["Penghijauan"]},
    "/api/v1/rts/{rt_id}/launch": {"launched_on": "2025-08-24"},
    "/api/v1/activities": {"rt_id": "{world_rt_id}", "title": "Penghijauan jalur hijau", "kind": "greening",
                           "location": "Jl. Sipin Ujung", "total_value": 10_000_000, "planned_start": "2025-09-02",
                           "planned_end": "2025-09-20"},
    "/api/v1/activities/{activity_id}/task-letters": {
        "number": "ST/002/RT-005/IX/2025", "issued_on": "2025-09-01", "cover_start": "2025-09-02",
        "cover_end": "2025-09-20", "issued_by_nik": KETUA_NIK},
    "/api/v1/activities/{activity_id}/participants": {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "resident"},
    "/api/v1/activities/{activity_id}/participants/{nik}/withdrawal": {"reason": "Pindah domisili"},
    "/api/v1/activities/{activity_id}/premium-payments": {"amount": 10_000, "reference": "TRF-2025-0901",
                                                          "paid_on": "2025-09-01"},
    "/api/v1/activities/{activity_id}/value": {"total_value": 12_000_000, "reason": "Tambah bibit"},
    "/api/v1/activities/{activity_id}/completion": {},
    "/api/v1/activities/{activity_id}/cancellation": {"reason": "Hujan terus"},
    "/api/v1/claims": {"activity_id": "{world_activity_id}", "nik": SITI, "incident_at": "2025-09-02T09:00:00+07:00",
                       "kind": "work_accident", "chronology": "Kaki terkilir saat mengangkat batu.",
                       "reporter": "Budi"},
    "/api/v1/claims/{claim_id}/coverage-confirmation": {},
    "/api/v1/claims/{claim_id}/coverage-denial": {"reason": "Tidak tercakup"},
    "/api/v1/claims/{claim_id}/documents": {"documents": ["ktp"]},
    "/api/v1/claims/{claim_id}/assessment": {},
    "/api/v1/claims/{claim_id}/assessment-preview": {},
    "/api/v1/claims/{claim_id}/approval": {},
    "/api/v1/claims/{claim_id}/rejection": {"reason": "Dokumen palsu"},
    "/api/v1/claims/{claim_id}/santunan-payments": {"benefit": "medical_care", "amount": 100_000,
                                                    "beneficiary": "Siti Aminah", "reference": "BPJSTK-1",
                                                    "paid_on": "2025-09-01"},
    "/api/v1/claims/{claim_id}/waiver": {"reason": "Sisa kecil"},
    "/api/v1/claims/{claim_id}/closure": {},
    "/api/v1/webhooks": {"url": "https://bpjs.example.org/kampung", "event_types": []},
    "/api/v1/webhooks/{subscription_id}/pause": {},
    "/api/v1/webhooks/{subscription_id}/resume": {},
    "/api/v1/webhooks/{subscription_id}/redeliver": {"from_position": 1},
}
# What a creation's Location names, by the path it was posted to.
CREATED = {"/api/v1/rts": "rt_id", "/api/v1/activities": "activity_id", "/api/v1/claims": "claim_id",
           "/api/v1/webhooks": "subscription_id"}


def post_operations(api) -> list[str]:
    spec = api.client.get("/api/v1/openapi.json").get_json()
    return [path for path, item in spec["paths"].items() if "post" in item]


def fill(template: Any, ids: dict[str, str]) -> Any:
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, ids) for value in template]
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda match: ids[match.group(1)], template)
    return template
