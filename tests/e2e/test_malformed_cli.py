"""Malformed input on the ``kampung`` command line: a message on stderr naming what is wrong, a non-zero
exit, no traceback, and the store left exactly as it was."""

import pytest

from tests.e2e.test_cli import kampung
from tests.integration.conftest import launched_rt


def refused(result, message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["premium", "1e20"], "is not an amount of rupiah", id="value-exponent"),
    pytest.param(["premium", "99999999999999"], "implausibly large", id="value-absurd"),
    pytest.param(["premium", "NaN"], "is not an amount of rupiah", id="value-nan"),
    pytest.param(["premium", "Infinity"], "is not an amount of rupiah", id="value-infinity"),
    pytest.param(["premium", "Rp 1.000.000"], "is not an amount of rupiah", id="value-with-currency"),
    pytest.param(["premium", "1,5"], "is not an amount of rupiah", id="value-decimal-comma"),
    pytest.param(["premium", ""], "is not an amount of rupiah", id="value-empty"),
    pytest.param(["premium", "100000000", "--on", "01/09/2025"], "is not a date", id="day-local-format"),
    pytest.param(["premium", "100000000", "--on", "2025-09-01T08:00+07:00"], "is not a date", id="day-with-time"),
    pytest.param(["premium", "100000000", "--on", "2025-02-30"], "is not a date", id="day-30-february"),
    pytest.param(["premium", "100000000", "--on", "1980-01-01"], "no premium rate was in force", id="day-long-ago"),
    pytest.param(["premium", "100000000", "--on", "9999-12-31"], "on must be between 1970-01-01 and 2099-12-31",
                 id="day-year-9999"),
])
def test_a_bad_premium_question_is_a_message_and_exit_2(args, message) -> None:
    result = kampung(*args)
    refused(result, message)
    assert result.returncode == 2


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["--since", "kemarin"], "is not a date-time", id="since-words"),
    pytest.param(["--until", "2025-09-01T08:00+25:00"], "is not a date-time", id="until-offset-25-hours"),
    pytest.param(["--since", "2025-09-01 08.00 WIB"], "is not a date-time", id="since-zone-abbreviation"),
    pytest.param(["--format", "xml"], "Invalid value for '--format'", id="format-unknown"),
    pytest.param(["--since", "9999-12-31T23:59:59-05:00"], "since must be between 1970-01-01 and 2099-12-31",
                 id="since-year-9999"),
    pytest.param(["--until", "0001-01-01T00:00:00+05:00"], "until must be between", id="until-year-1"),
])
def test_a_bad_audit_export_is_a_message_and_writes_nothing(store, args, message) -> None:
    variables, service = store
    before = service.recorder.max_notification_id()
    result = kampung("audit", "export", *args, **variables)
    refused(result, message)
    assert service.recorder.max_notification_id() == before


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["--aggregate", "00d43aa0-438c-59db-95fd-087ce0581025"],
                 "no aggregate with id 00d43aa0-438c-59db-95fd-087ce0581025 in the audit trail", id="aggregate-unknown"),
    pytest.param(["--aggregate", "RT-005"], "'RT-005' is not a valid UUID", id="aggregate-not-an-id"),
    pytest.param(["--type", "SantunanDibayar"], "Invalid value for '--type': 'SantunanDibayar' is not one of",
                 id="type-unknown"),
    pytest.param(["--since", "2025-09-02T00:00", "--until", "2025-09-01T00:00"], "until must not be before since",
                 id="since-after-until"),
])
def test_an_audit_export_that_cannot_match_anything_is_refused_not_an_empty_file(store, tmp_path, args, message):
    variables, service = store
    launched_rt(service)
    output = tmp_path / "trail.csv"
    result = kampung("audit", "export", *args, "--output", str(output), **variables)
    refused(result, message)
    assert result.returncode == 2 and result.stdout == ""
    assert not output.exists(), "no file with a header and nothing else"


def test_an_audit_export_of_a_known_aggregate_and_type_is_written(store, tmp_path):
    variables, service = store
    rt_id = launched_rt(service)
    result = kampung("audit", "export", "--aggregate", str(rt_id), "--type", "RTLaunched", **variables)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("position,") and len(lines) == 2 and ",RTLaunched," in lines[1]


@pytest.mark.parametrize(("option", "value", "message"), [
    pytest.param("--reason", "Pindah\x07domisili", "reason contains a control character (U+0007)", id="reason-bell"),
    pytest.param("--reason", "Pindah\x1b[31m", "reason contains a control character (U+001B)", id="reason-escape"),
])
def test_a_text_with_a_control_character_is_a_message_and_changes_nothing(store, option, value, message) -> None:
    variables, service = store
    created = kampung("users", "create", "petugas.klaim.9", "--role", "claim_officer", "--generate-password",
                      **variables)
    assert created.returncode == 0, created.stderr
    before = service.recorder.max_notification_id()
    result = kampung("users", "disable", "petugas.klaim.9", option, value, **variables)
    refused(result, message)
    assert result.returncode == 2 and service.recorder.max_notification_id() == before
