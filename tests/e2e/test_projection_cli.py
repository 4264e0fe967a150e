"""``kampung projections`` and ``kampung audit export`` as an operator runs them, on both stores."""

import csv
import io
import json
import signal
import subprocess
import time


from tests.e2e.test_cli import KAMPUNG
from tests.integration.conftest import launched_rt


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
        name: ["0", str(head), str(head)] for name in ("coverage", "audit", "claims")}

    rebuilt = kampung(variables, "projections", "rebuild", "coverage")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.strip() == f"coverage: generation 2, position {head}, lag 0"

    exported = kampung(variables, "audit", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["event_type"] for row in rows] == [
        "RTRegistered", "KetuaRTAppointed", "RTEnrolled", "MusyawarahHeld", "RTLaunched"]
    lines = kampung(variables, "audit", "export", "--format", "jsonl", "--type", "RTLaunched").stdout.splitlines()
    assert [json.loads(line)["payload"]["launched_on"] for line in lines] == ["2025-08-24"]


def test_bad_arguments_are_refused_with_a_message(store):
    variables, _ = store
    unknown = kampung(variables, "projections", "rebuild", "kas")
    assert unknown.returncode == 2 and "unknown read model kas" in unknown.stderr
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
