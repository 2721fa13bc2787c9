"""The differential tests' tally, printed at the end of the session: how many cases were compared
against the real kubectl, and how many of them disagreed."""

from __future__ import annotations

import differential


def pytest_terminal_summary(terminalreporter):
    compared, mismatched = differential.summary()
    if not compared:
        return
    terminalreporter.section("patch differential")
    for test, count in sorted(differential.COMPARED.items()):
        terminalreporter.write_line(f"{test}: {count} cases, {differential.MISMATCHED[test]} mismatches")
    terminalreporter.write_line(f"patch differential: {compared} cases compared against kubectl, {mismatched} mismatches")
