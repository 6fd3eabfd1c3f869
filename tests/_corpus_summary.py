"""pytest plugin: summary of the bad-input corpus at the end of the test run.

Enabled from ``tests/conftest.py``. After the run it prints, for the cases of
``tests/data/bad/cases.csv`` that ran (``tests/test_bad_inputs.py::test_bad_input``), how
many there are per expected outcome (error class, ``ok``, ``warning``) and how they ended:
passed, known bug (strict xfail), failed, skipped. Nothing is printed when no corpus case
ran.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

_MANIFEST = Path(__file__).resolve().parent / "data" / "bad" / "cases.csv"
_PREFIX = "test_bad_inputs.py::test_bad_input["
_OUTCOMES = ("passed", "known bug", "failed", "skipped")
_results: dict[str, str] = {}


def _case_id(nodeid: str) -> str | None:
    i = nodeid.find(_PREFIX)
    return nodeid[i + len(_PREFIX) : -1] if i >= 0 and nodeid.endswith("]") else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record the outcome of each corpus case (setup skips, call results)."""
    case = _case_id(report.nodeid)
    if case is None:
        return
    if hasattr(report, "wasxfail"):
        _results[case] = "known bug" if report.skipped else "failed"  # strict xfail passing
    elif report.skipped:
        _results[case] = "skipped"
    elif report.failed:
        _results[case] = "failed"
    elif report.when == "call":
        _results.setdefault(case, "passed")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the table of corpus cases by expected outcome."""
    if not _results or not _MANIFEST.is_file():
        return
    with _MANIFEST.open(encoding="utf-8", newline="") as fh:
        expect = {row["id"]: row["expect"] for row in csv.DictReader(fh)}
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for case, outcome in _results.items():
        table[expect.get(case, "?")][outcome] += 1
    tr = terminalreporter
    tr.section("bad-input corpus (tests/data/bad/cases.csv)")
    tr.write_line(f"{'expected':<16}{'cases':>6}" + "".join(f"{o:>11}" for o in _OUTCOMES))
    for key in sorted(table):
        c = table[key]
        tr.write_line(
            f"{key:<16}{sum(c.values()):>6}" + "".join(f"{c.get(o, 0):>11}" for o in _OUTCOMES)
        )
    total = Counter()
    for c in table.values():
        total.update(c)
    tr.write_line(
        f"{'total':<16}{sum(total.values()):>6}"
        + "".join(f"{total.get(o, 0):>11}" for o in _OUTCOMES)
    )
