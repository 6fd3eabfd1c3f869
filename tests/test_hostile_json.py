"""Issue #18 item 7: ``--json`` output is strict JSON (no bare NaN/Infinity: ``null``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from geotrade.cli import main
from geotrade.reporting import JsonReporter

BAD = Path(__file__).parent / "data" / "bad"


def _strict(line: str) -> dict:
    def refuse(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name} in {line[:200]}")

    return json.loads(line, parse_constant=refuse)


def _records(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [_strict(ln) for ln in capsys.readouterr().out.splitlines() if ln.strip()]


def test_reporter_writes_null_for_nan_and_infinity() -> None:
    buf = io.StringIO()
    rep = JsonReporter(stream=buf)
    rep.result(
        {"a": float("nan"), "b": [np.inf, -np.inf, np.float64("nan"), 1.5], "c": {"d": np.nan}}
    )
    rep.log("x")
    rep.progress("s", 1, 0)
    recs = [_strict(ln) for ln in buf.getvalue().splitlines()]
    assert (recs[0]["a"], recs[0]["b"], recs[0]["c"]) == (
        None,
        [None, None, None, 1.5],
        {"d": None},
    )


def test_mismatch_without_permutations_is_strict_json(tmp_path, capsys) -> None:
    table = tmp_path / "m.csv"
    table.write_text(
        "province,retired_t,outlets\n广东,82000,120\n湖南,31000,40\n江西,25000,60\n湖北,600,45\n",
        encoding="utf-8",
    )
    code = main(
        [
            "--json", "mismatch", str(table), "--demand", "retired_t", "--supply", "outlets",
            "--level", "province", "--permutations", "0", "--gpkg", str(tmp_path / "m.gpkg"),
        ]
    )  # fmt: skip
    recs = _records(capsys)
    assert code == 0, recs[-1]
    assert recs[-1]["smi_ci"] == [None, None]
    assert recs[-1]["moran_p"] is None
    assert recs[-1]["smi"] == pytest.approx(0.2115222304)


def test_trade_summary_of_an_empty_year_is_strict_json(tmp_path, capsys) -> None:
    code = main(
        ["--json", "trade", "summary", str(BAD / "flows_utf8_bom.csv"), "--focal", "CHN",
         "--years", "2021,2022"]
    )  # fmt: skip
    recs = _records(capsys)
    assert code == 0, recs[-1]
    rows = {(r["year"], r["flow"]): r for r in recs[-1]["summary"]}
    assert rows[(2021, "import")]["hhi_10000"] is None  # no imports in 2021: no HHI
