"""Rich progress rows in a narrow terminal: counter and elapsed time are never cut."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from geotrade.reporting import RichReporter

LONG = "simplifying 1,912,345 vertices of provinces and prefectures (cached after first use)"


def _render(width: int) -> list[str]:
    con = Console(file=io.StringIO(), width=width, color_system=None)
    rep = RichReporter(console=con)
    rep.progress("demo", 3, 8, "China boundaries (cached after first use)")
    rep.progress("china boundaries", 1, 3, LONG)
    rep.progress("a-very-long-step-name-indeed", 10, 10, "done")
    rep.close()
    return [line for line in con.file.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize("width", [80, 60])
def test_elapsed_time_and_counter_survive_a_narrow_terminal(width):
    lines = _render(width)
    assert len(lines) == 3
    for line, count in zip(lines, ["3/8", "1/3", "10/10"], strict=True):
        assert len(line) <= width
        assert re.search(rf"\b{count} \d+:\d\d:\d\d\b", line), line
        assert "0:…" not in line
    assert lines[0].startswith("demo ")
    assert lines[1].rstrip().endswith("…")  # the long message is cut, with an ellipsis
    assert "simplifying" in lines[1]
    assert "a-very-long-ste…" in lines[2]


def test_wide_terminal_shows_the_whole_message():
    lines = _render(160)
    assert LONG in lines[1]
    assert "China boundaries (cached after first use)" in lines[0]
