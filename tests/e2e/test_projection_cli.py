"""``kampung projections`` and ``kampung audit export`` as an operator runs them, on both stores."""

import csv
import io
import json
import signal
import subprocess
import time


from tests.e2e.test_cli import KAMPUNG
from tests.integration.conftest import launched_rt
from tests.integration.poison import make_undecodable, repair
from tests.integration.raw_store import appointed_rts

# Retries of an event a read model cannot apply, without waiting (the backoff is a setting).
QUICK_RETRIES = {"KAMPUNG_PROJECTION_BACKOFF": "0"}


def kampung(variables, *args):
    return subprocess.run([str(KAMPUNG), *args], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", **variables})


def status_lines(variables) -> dict[str, list[str]]:
    result = kampung(variables, "projections", "status")
    assert result.returncode == 0, result.stderr
    return {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}


def test_status_rebuild_and_export(store):
    variables, service = store
    launched_rt(service)
    head = service.recorder.max_notification_id()
    assert {name: fields[1:] for name, fields in status_lines(variables).items()} == {
        name: ["0", str(head), str(head), "0"] for name in ("coverage", "audit", "claims")}

    rebuilt = kampung(variables, "projections", "rebuild", "coverage")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.strip() == f"coverage: generation 2, position {head}, lag 0, parked 0"

    exported = kampung(variables, "audit", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["event_type"] for row in rows] == [
        "RTRegistered", "KetuaRTAppointed", "RTEnrolled", "MusyawarahHeld", "RTLaunched"]
    lines = kampung(variables, "audit", "export", "--format", "jsonl", "--type", "RTLaunched").stdout.splitlines()
    assert [json.loads(line)["payload"]["launched_on"] for line in lines] == ["2025-08-24"]


def test_a_store_holding_a_poison_event_is_rebuilt_and_the_event_parked_listed_and_replayed_after_a_fix(store):
    variables, service = store
    variables = {**variables, **QUICK_RETRIES}
    appointed_rts(service)  # six events; the fourth, RT 2's Ketua RT, will not decode
    make_undecodable(service.env, 4)

    rebuilt = kampung(variables, "projections", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.splitlines() == [
        "coverage: generation 2, position 6, lag 0, parked 1",
        "audit: generation 2, position 6, lag 0, parked 1",
        "claims: generation 2, position 6, lag 0, parked 0",
    ]
    assert {name: fields[-1] for name, fields in status_lines(variables).items()} == {
        "coverage": "1", "audit": "1", "claims": "0"}

    listed = kampung(variables, "projections", "parked")
    assert listed.returncode == 0, listed.stderr
    heading, coverage_row, coverage_error, audit_row, audit_error = listed.stdout.splitlines()
    assert heading.split() == ["read", "model", "position", "event", "type", "aggregate", "id", "version",
                               "attempts", "first", "failed", "last", "failed"]
    assert coverage_row.split()[:3] == ["coverage", "4", "KetuaRTAppointed"] and coverage_row.split()[4:6] == ["2", "3"]
    assert audit_row.split()[:3] == ["audit", "4", "KetuaRTAppointed"] and coverage_row.endswith("WIB")
    assert coverage_error.strip() == audit_error.strip() == (
        "UndecodableEvent: the stored event at position 4 cannot be decoded: run kampung audit verify")

    still = kampung(variables, "projections", "replay-parked", "coverage")
    assert still.returncode == 1
    assert "coverage: 0 replayed, 1 still parked" in still.stdout and "still parked: 1 events" in still.stderr

    repair(service.env, 4)  # the fix: the event restored from a backup
    fixed = kampung(variables, "projections", "replay-parked", "coverage")
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout.splitlines() == ["coverage: replaying 1 parked events …", "coverage: 1 replayed, 0 still parked"]
    assert kampung(variables, "projections", "parked", "coverage").stdout == "No parked events.\n"


def test_the_worker_parks_a_poison_event_and_follows_on(store):
    variables, service = store
    variables = {**variables, **QUICK_RETRIES}
    appointed_rts(service)
    make_undecodable(service.env, 4)
    worker = subprocess.Popen([str(KAMPUNG), "projections", "run", "--poll", "0.1"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin", **variables})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(
                fields[1] == "6" for fields in status_lines(variables).values()):
            time.sleep(0.2)
        assert {name: (fields[1], fields[-1]) for name, fields in status_lines(variables).items()} == {
            "coverage": ("6", "1"), "audit": ("6", "1"), "claims": ("6", "0")}
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "read model coverage parked the event at position 4" in err


def test_bad_arguments_are_refused_with_a_message(store):
    variables, _ = store
    unknown = kampung(variables, "projections", "rebuild", "kas")
    assert unknown.returncode == 2 and "unknown read model kas" in unknown.stderr
    for command in ("parked", "replay-parked"):
        refused = kampung(variables, "projections", command, "kas")
        assert refused.returncode == 2 and "unknown read model kas; one of coverage, audit, claims" in refused.stderr
    setting = kampung({**variables, "KAMPUNG_PROJECTION_ATTEMPTS": "drei"}, "projections", "status")
    assert setting.returncode == 2
    assert "KAMPUNG_PROJECTION_ATTEMPTS must be a whole number from 1 to 100" in setting.stderr
    assert "Traceback" not in setting.stderr
    since = kampung(variables, "audit", "export", "--since", "kemarin")
    assert since.returncode == 2 and "is not a date-time" in since.stderr
    assert "Traceback" not in unknown.stderr + since.stderr


def test_the_worker_follows_new_events_until_stopped(store):
    variables, service = store
    worker = subprocess.Popen([str(KAMPUNG), "projections", "run", "--poll", "0.1"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin", **variables})
    try:
        launched_rt(service)
        head = service.recorder.max_notification_id()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(fields[1] == str(head) for fields in status_lines(variables).values()):
                break
            time.sleep(0.2)
        assert all(fields[1] == str(head) for fields in status_lines(variables).values())
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "Stopped; positions are saved." in out
