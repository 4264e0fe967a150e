"""Malformed input on the ``kampung`` command line: a message on stderr naming what is wrong, a non-zero
exit, no traceback, and the store left exactly as it was."""

import pytest

from tests.e2e.test_cli import kampung


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
    pytest.param(["premium", "100000000", "--on", "1900-01-01"], "no premium rate was in force", id="day-long-ago"),
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
])
def test_a_bad_audit_export_is_a_message_and_writes_nothing(store, args, message) -> None:
    variables, service = store
    before = service.recorder.max_notification_id()
    result = kampung("audit", "export", *args, **variables)
    refused(result, message)
    assert service.recorder.max_notification_id() == before
