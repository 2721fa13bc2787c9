"""The differential tests' tally, printed at the end of the session: how many cases were compared
against the real kubectl, and how many of them disagreed. Under pytest-xdist each worker counts its own
cases and hands them to the controller when it finishes, which prints the sum."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# Here, not in tests/patch/, so that the xdist controller (which collects nothing) loads these hooks too.
sys.path.insert(0, str(Path(__file__).parent / "patch"))
import differential  # noqa: E402

_OUTPUT_KEY = "patch_differential"


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: send the tally to the controller
        workeroutput[_OUTPUT_KEY] = json.dumps([differential.COMPARED, differential.MISMATCHED])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    tally = getattr(node, "workeroutput", {}).get(_OUTPUT_KEY)
    if tally:
        compared, mismatched = json.loads(tally)
        differential.COMPARED.update(compared)
        differential.MISMATCHED.update(mismatched)


def pytest_terminal_summary(terminalreporter):
    compared, mismatched = differential.summary()
    if not compared:
        return
    terminalreporter.section("patch differential")
    for test, count in sorted(differential.COMPARED.items()):
        terminalreporter.write_line(f"{test}: {count} cases, {differential.MISMATCHED[test]} mismatches")
    terminalreporter.write_line(f"patch differential: {compared} cases compared against kubectl, {mismatched} mismatches")
