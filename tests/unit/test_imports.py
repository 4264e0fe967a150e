"""Every module of the project imports on its own, first, in a fresh interpreter.

An import cycle that runs through a package's ``__init__`` (module A imports package P, whose
``__init__`` imports module B, which imports A) passes unnoticed as long as something else happens to
be imported first; import-linter, which sees modules and not the order they load in, does not catch it
either. Here each module is the first of the project's to be imported, in a child forked from an
interpreter that has loaded only third-party libraries (forking keeps the test fast)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "application", "projections", "interfaces")
THIRD_PARTY = (
    "argon2", "click", "eventsourcing.application", "eventsourcing.postgres", "eventsourcing.sqlite", "flask",
    "flask_limiter", "flask_smorest", "flask_wtf", "gunicorn.app.base", "marshmallow", "nats", "psycopg",
    "sqlalchemy",
)
CHILD = r"""
import importlib, os, sys, traceback
for name in sys.argv[1].split(","):
    importlib.import_module(name)
assert not [name for name in sys.modules if name.split(".")[0] in {packages}], "a project module is loaded already"
failed = []
for module in sys.argv[2:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(module)
        except BaseException:
            print(f"--- importing {{module}} first fails:", file=sys.stderr)
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitpid(pid, 0)[1]:
        failed.append(module)
print(" ".join(failed))
"""


def project_modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_scan_finds_every_package_and_module():
    modules = project_modules()
    assert {"domain", "application.service", "projections.runner", "interfaces.app", "interfaces.cli.main"} <= set(
        modules)
    assert len(modules) > 100


def test_every_module_imports_alone_in_a_fresh_interpreter():
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(packages=set(PACKAGES)), ",".join(THIRD_PARTY), *project_modules()],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"modules that fail when imported first: {result.stdout}\n{result.stderr}"
