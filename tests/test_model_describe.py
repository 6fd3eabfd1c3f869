"""``geotrade model describe``: seed 001 Table 3 (N, mean, SD, min, max per variable)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from geotrade.cli import main
from geotrade.errors import InputFormatError
from geotrade.models.describe import summary_statistics, summary_table
from geotrade.synthetic.panel import make_panel


def _records(capsys):
    out = capsys.readouterr().out
    return [json.loads(ln) for ln in out.splitlines() if ln.strip()]


def test_hand_computed_values_and_per_variable_n():
    d = pd.DataFrame(
        {
            "partner_iso3": ["A", "B", "C", "D"],
            "year": [2020, 2020, 2021, 2021],
            "x": [1.0, 3.0, 5.0, 7.0],  # mean 4, squares 9+1+1+9 = 20, /3 -> sqrt(20/3)
            "y": [10.0, None, None, 20.0],  # n 2, mean 15, sd sqrt(50)
            "name": ["a", "b", "c", "d"],  # text: left out by default
            "synthetic": [True] * 4,
        }
    )
    s = summary_statistics(d).set_index("variable")
    assert list(s.index) == ["x", "y"]
    assert s.loc["x", ["n", "mean", "min", "max"]].tolist() == [4, 4.0, 1.0, 7.0]
    assert s.loc["x", "sd"] == pytest.approx(math.sqrt(20 / 3))
    assert s.loc["y", ["n", "mean"]].tolist() == [2, 15.0]
    assert s.loc["y", "sd"] == pytest.approx(math.sqrt(50))


def test_matches_pandas_describe_on_the_synthetic_panel():
    p = make_panel(n_partners=30)
    p.loc[p.index[::7], "edu"] = np.nan
    cols = ["gdp_log", "openness", "edu", "lct_imports"]
    s = summary_statistics(p, cols).set_index("variable")
    ref = p[cols].describe().T  # independent reference: count, mean, std (ddof=1), min, max
    np.testing.assert_array_equal(s["n"].to_numpy(), ref["count"].to_numpy())
    for mine, theirs in (("mean", "mean"), ("sd", "std"), ("min", "min"), ("max", "max")):
        np.testing.assert_allclose(s[mine], ref[theirs], rtol=1e-12)
    assert s.loc["edu", "n"] < len(p)


def test_table_layout_matches_seed_table_3():
    stats = pd.DataFrame(
        [
            {
                "variable": "x",
                "label": "LCT exports to China (1000 USD)",
                "n": 2964,
                "mean": 419596.861,
                "sd": 2291309.087,
                "min": 0.001,
                "max": 29231552.0,
            }
        ]
    )
    md = summary_table(stats).to_markdown()
    assert "| Variable | (1) N | (2) Mean | (3) Sd | (4) Min | (5) Max |" in md
    # the seed prints 2,964 | 419,596.861 | 2,291,309.087 | 0.001 | 29,231,552.000
    assert (
        "| LCT exports to China (1000 USD) | 2,964 | 419,596.861 | 2,291,309.087 | 0.001 | "
        "29,231,552.000 |" in md
    )
    assert "变量" in summary_table(stats, lang="zh").to_markdown()


def test_errors_name_the_column():
    d = pd.DataFrame({"partner_iso3": ["A", "B"], "year": [1, 2], "t": ["1", "x"]})
    with pytest.raises(InputFormatError, match="no column"):
        summary_statistics(d, ["z"])
    with pytest.raises(InputFormatError, match="'t' is not numeric") as info:
        summary_statistics(d, ["t"])
    assert info.value.row == 3
    with pytest.raises(InputFormatError, match="no numeric column"):
        summary_statistics(d)


def test_describe_command(tmp_path, capsys):
    p = make_panel(n_partners=20)
    path = tmp_path / "design.csv"
    p.to_csv(path, index=False)
    csv, md = tmp_path / "t3.csv", tmp_path / "t3.md"
    args = [
        "--json",
        "model",
        "describe",
        str(path),
        "--columns",
        "gdp_log,co2_kt",
        "--labels",
        "gdp_log=GDP (ln)",
        "--where",
        "year >= 2015",
        "--csv",
        str(csv),
        "--md",
        str(md),
    ]
    assert main(args) == 0
    rec = _records(capsys)[-1]
    assert rec["synthetic"] is True
    sub = p[p["year"] >= 2015]
    assert rec["rows"] == len(sub)
    out = pd.read_csv(csv).set_index("variable")
    assert out.loc["gdp_log", "n"] == len(sub)
    assert out.loc["co2_kt", "mean"] == pytest.approx(sub["co2_kt"].mean(), rel=1e-9)
    assert out.loc["co2_kt", "sd"] == pytest.approx(sub["co2_kt"].std(), rel=1e-9)
    text = md.read_text(encoding="utf-8")
    assert "| GDP (ln) |" in text
    assert "SYNTHETIC" in text
    assert main([*args[:4], "--labels", "nope=X"]) == 3
    assert "not described" in _records(capsys)[-1]["message"]
    assert main([*args[:4], "--where", "year >> 1"]) == 2
