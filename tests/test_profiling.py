"""Stage timings read off progress reports (geotrade demo --profile)."""

from __future__ import annotations

import io
import json

from geotrade.profiling import StageTimer
from geotrade.reporting import JsonReporter


def test_nested_steps_are_timed_and_listed_in_start_order():
    ticks = iter([0.0, 1.0, 1.5, 4.0, 4.5, 6.0, 9.0])
    buf = io.StringIO()
    timer = StageTimer(JsonReporter(stream=buf), clock=ticks.__next__)
    timer.progress("demo", 0, 3, "read")  # 0.0
    timer.progress("demo", 1, 3, "boundaries")  # 1.0
    timer.progress("china", 0, 2, "parse")  # 1.5
    timer.progress("china", 1, 2, "simplify")  # 4.0
    timer.progress("china", 2, 2, "done")  # 4.5
    timer.progress("demo", 2, 3, "maps")  # 6.0
    timer.progress("demo", 3, 3, "done")  # 9.0
    got = [(s.step, s.stage, s.seconds) for s in timer.stages()]
    assert got == [
        ("demo", "read", 1.0),
        ("demo", "boundaries", 5.0),
        ("china", "parse", 2.5),
        ("china", "simplify", 0.5),
        ("demo", "maps", 3.0),
    ]
    # every report still reaches the wrapped reporter
    assert len(buf.getvalue().splitlines()) == 7
    assert json.loads(buf.getvalue().splitlines()[-1])["percent"] == 100.0
    table = timer.table(startup=0.25, total=9.25).splitlines()
    assert table[2].split() == ["start-up", "and", "imports", "0.25"]
    assert table[4].split() == ["boundaries", "5.00"]
    assert table[5].split() == ["china:", "parse", "2.50"]
    assert table[-1].split() == ["total", "9.25"]
    assert timer.stages()[1].to_dict() == {"step": "demo", "stage": "boundaries", "seconds": 5.0}
