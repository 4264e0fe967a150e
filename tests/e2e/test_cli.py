"""The ``kampung`` command line, run as the installed console script."""

import json
import os
import pty
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import launched_rt

KAMPUNG = Path(sys.executable).with_name("kampung")


def kampung(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KAMPUNG), *args], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_premium_prints_the_breakdown_as_json():
    result = kampung("premium", "100000000", "--on", "2025-09-01")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "value": 100000000, "jkk": 210000, "jkm": 30000, "total": 240000, "rule": "PERMENAKER-44-2015",
    }


def test_premium_applies_the_bands_marginally():
    # 100 juta × 0.24 % + 50 juta × (0.17 % + 0.02 %) = 240,000 + 95,000
    result = kampung("premium", "150000000", "--on", "2025-09-01")
    assert json.loads(result.stdout)["total"] == 335000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["premium", "sejuta"], "is not an amount of rupiah"),
        (["premium", "--", "-5"], "is not an amount of rupiah"),
        (["premium", "0"], "more than zero"),
        (["premium", "1500.50"], "is not an amount of rupiah"),
        (["premium", "100000000", "--on", "2025-13-01"], "is not a date"),
        (["premium", "100000000", "--on", "2010-01-01"], "no premium rate was in force"),
    ],
)
def test_bad_input_is_a_message_and_a_non_zero_exit(args, message):
    result = kampung(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_refused_before_anything_is_written(tmp_path):
    result = kampung("demo", DATABASE_URL="mysql://root@localhost/test", KAMPUNG_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "DATABASE_URL must look like postgresql://" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_serve_on_a_port_in_use_says_so_in_one_line_and_exits(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kampung("serve", "--port", str(port), KAMPUNG_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: port {port} on 127.0.0.1 is in use (another server?): stop it, or choose another port with "
        "--port (make run PORT=…)"
    ]


def test_a_long_rebuild_shows_a_progress_bar_on_a_terminal(store):
    """click draws the bar only on a terminal: stderr is one here; stdout stays the result."""
    variables, service = store
    launched_rt(service)
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [str(KAMPUNG), "projections", "rebuild", "coverage"], stdout=subprocess.PIPE, stderr=terminal,
            text=True, timeout=60, env={"PATH": "/usr/bin:/bin", **variables},
        )
        os.close(terminal)
        drawn = b""
        while chunk := _read(controller):
            drawn += chunk
    finally:
        os.close(controller)
    assert result.returncode == 0
    assert result.stdout.startswith("coverage: generation 2, position ")
    assert "Rebuilding coverage" in drawn.decode() and "100%" in drawn.decode()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal's other end is closed: everything was read
        return b""
