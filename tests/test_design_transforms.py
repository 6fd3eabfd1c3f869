"""Seed 001 design transforms: the 4-year rolling SD and the safe ``--where`` filter."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from geotrade.cli import main
from geotrade.covariates import build_design, rolling_sd
from geotrade.errors import InputFormatError, UsageError
from geotrade.filters import apply_where, parse_where


def _records(capsys):
    out = capsys.readouterr().out
    return [json.loads(ln) for ln in out.splitlines() if ln.strip()]


def _sd(*xs: float) -> float:
    """Sample SD written out: sqrt(sum((x - mean)^2) / (n - 1))."""
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


# --------------------------------------------------------------------------- rolling SD


def test_rolling_sd_hand_computed_window_4():
    # inflation 2, 4, 4, 4, 5, 5, 7, 9: the window of 2004 is 2001-2004 = (2, 4, 4, 4)
    p = pd.DataFrame(
        {
            "partner_iso3": "KOR",
            "year": range(2001, 2009),
            "inflation": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
        }
    )
    got = rolling_sd(p, ["inflation"])["inflation_rsd4"].tolist()
    assert all(math.isnan(v) for v in got[:3])  # fewer than 4 years: no value
    # (2,4,4,4): mean 3.5, squares 2.25+0.25*3 = 3.0, /3 = 1 -> 1.0
    assert got[3] == pytest.approx(1.0)
    # (4,4,4,5): mean 4.25, squares 0.0625*3 + 0.5625 = 0.75, /3 = 0.25 -> 0.5
    assert got[4] == pytest.approx(0.5)
    # (4,4,5,5): mean 4.5, squares 4 * 0.25 = 1, /3 -> sqrt(1/3)
    assert got[5] == pytest.approx(math.sqrt(1 / 3))
    assert got[6] == pytest.approx(_sd(4, 5, 5, 7))
    assert got[7] == pytest.approx(_sd(5, 5, 7, 9))


def test_rolling_sd_matches_pandas_rolling_per_country_and_ignores_row_order():
    rng = np.random.default_rng(3)
    rows = []
    for iso in ("USA", "DEU", "BRA"):
        for y in range(1990, 2023):
            rows.append({"partner_iso3": iso, "year": y, "x": rng.normal(5, 3)})
    p = pd.DataFrame(rows)
    shuffled = p.sample(frac=1.0, random_state=1).reset_index(drop=True)
    got = rolling_sd(shuffled, ["x"], window=4)
    # independent reference: pandas rolling std on each country's sorted series
    ref = p.sort_values(["partner_iso3", "year"]).copy()
    ref["ref"] = ref.groupby("partner_iso3")["x"].transform(
        lambda s: s.rolling(4, min_periods=4).std()
    )
    m = got.merge(ref[["partner_iso3", "year", "ref"]], on=["partner_iso3", "year"])
    assert m["x_rsd4"].isna().sum() == 3 * 3
    np.testing.assert_allclose(m["x_rsd4"], m["ref"], rtol=1e-12, equal_nan=True)


def test_rolling_sd_missing_year_is_a_gap_not_a_shorter_window():
    # 2003 is absent: windows containing 2003 are incomplete
    p = pd.DataFrame(
        {
            "partner_iso3": "A",
            "year": [2000, 2001, 2002, 2004, 2005, 2006, 2007],
            "x": [1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    got = rolling_sd(p, ["x"]).set_index("year")["x_rsd4"]
    assert got.loc[[2002, 2004, 2005, 2006]].isna().all()
    assert got.loc[2007] == pytest.approx(_sd(5, 6, 7, 8))
    # with min_periods=3 the window 2003-2006 has three observed values
    got3 = rolling_sd(p, ["x"], min_periods=3).set_index("year")["x_rsd4"]
    assert got3.loc[2006] == pytest.approx(_sd(5, 6, 7))
    assert got3.loc[2004] == pytest.approx(_sd(2, 3, 5))


def test_rolling_sd_errors():
    p = pd.DataFrame({"partner_iso3": ["A", "A"], "year": [2000, 2000], "x": [1.0, 2.0]})
    with pytest.raises(InputFormatError, match="twice"):
        rolling_sd(p, ["x"])
    with pytest.raises(InputFormatError, match="window"):
        rolling_sd(p, ["x"], window=1)
    with pytest.raises(InputFormatError, match="min_periods"):
        rolling_sd(p.iloc[:1], ["x"], window=4, min_periods=5)
    with pytest.raises(InputFormatError, match="'y'"):
        rolling_sd(p, ["y"])


def test_build_design_rolling_then_lag_then_where_keeps_early_years_in_windows():
    p = pd.DataFrame(
        {
            "partner_iso3": "KOR",
            "year": range(2001, 2009),
            "inflation": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
        }
    )
    d, rep = build_design(
        p,
        rolling=[("inflation", 4)],
        lags=["inflation_rsd4"],
        where="year >= 2006",
        interpolate=[],
    )
    assert d["year"].tolist() == [2006, 2007, 2008]
    # the lag of 2006 is the 2005 window (2002-2005): (4,4,4,5) -> 0.5
    assert d["inflation_rsd4_lag1"].tolist() == pytest.approx(
        [0.5, math.sqrt(1 / 3), _sd(4, 5, 5, 7)]
    )
    assert rep.n_filtered == 5
    assert rep.to_dict()["n_filtered"] == 5


# --------------------------------------------------------------------------- --where


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "iso3": ["CHN", "USA", "DEU", "NA", "KOR"],
            "year": [2012, 2017, 2022, 2017, None],
            "income": ["UM", "H", "H", "UM", "H"],
            "gdp growth": [7.9, 2.5, 1.8, 1.0, 3.0],
        }
    )


@pytest.mark.parametrize(
    ("expr", "iso3"),
    [
        ("year >= 2017", ["USA", "DEU", "NA"]),
        ("year > 2017", ["DEU"]),
        ("year = 2017", ["USA", "NA"]),
        ("year != 2017", ["CHN", "DEU", "KOR"]),  # a missing year is "not 2017"
        ("year < 2017 AND income == UM", ["CHN"]),
        ("income == 'H' and year <= 2022", ["USA", "DEU"]),
        ("iso3 in (NA, 'CHN')", ["CHN", "NA"]),  # NA is Namibia, a code, not missing
        ("iso3 not in (NA,CHN) and `gdp growth` > 2", ["USA", "KOR"]),
        ("year in (2012, 2022)", ["CHN", "DEU"]),
        ("`gdp growth` >= -1e1", ["CHN", "USA", "DEU", "NA", "KOR"]),
    ],
)
def test_where_keeps_the_matching_rows(table, expr, iso3):
    kept, removed = apply_where(table, expr)
    assert kept["iso3"].tolist() == iso3
    assert removed == len(table) - len(iso3)


@pytest.mark.parametrize(
    ("expr", "match"),
    [
        ("", "empty filter"),
        ("year >= 2017 or income == H", "'or' is not supported"),
        ("__import__('os').system('x')", "operator"),
        ("year >= ", "ends early; a value after year >= expected"),
        ("year >= 2017 and", "ends early; a column name expected"),
        ("income < 'H'", "need a number"),
        ("iso3 in CHN", "parentheses"),
        ("iso3 in (CHN, 3)", "mixes numbers and text"),
        ("year >= 2017 income == H", "'and' expected"),
        ("year ~ 3", "cannot read|operator"),
        ("not in (1)", "column name expected"),
    ],
)
def test_where_syntax_errors_name_the_option(expr, match):
    with pytest.raises(UsageError, match=match) as info:
        parse_where(expr, option="--where")
    assert str(info.value).startswith("--where")


def test_where_column_and_type_errors(table):
    with pytest.raises(UsageError, match=r"no column 'gdp'; the table has iso3, year"):
        apply_where(table, "gdp > 1")
    with pytest.raises(UsageError, match="compares numbers but column 'income' holds 'UM'"):
        apply_where(table, "income > 1")


def test_design_command_rolling_sd_and_where(tmp_path, capsys):
    p = pd.DataFrame(
        {
            "partner_iso3": ["KOR"] * 8 + ["NA"] * 8,
            "year": list(range(2001, 2009)) * 2,
            "inflation": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] + [1.0] * 8,
        }
    )
    base, out = tmp_path / "base.csv", tmp_path / "design.csv"
    p.to_csv(base, index=False)
    args = [
        "--json",
        "model",
        "design",
        str(base),
        "--out",
        str(out),
        "--rolling-sd",
        "inflation",
        "--rolling-sd",
        "inflation:3",
        "--lag",
        "inflation_rsd4",
        "--where",
        "year >= 2005 and partner_iso3 != NA",
    ]
    assert main(args) == 0
    rec = _records(capsys)[-1]
    assert rec["n_filtered"] == 4 + 8
    assert {"inflation_rsd4", "inflation_rsd3", "inflation_rsd4_lag1"} <= set(rec["columns"])
    d = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert d["year"].tolist() == [2005, 2006, 2007, 2008]
    assert d["inflation_rsd4"].tolist() == pytest.approx(
        [0.5, math.sqrt(1 / 3), _sd(4, 5, 5, 7), _sd(5, 5, 7, 9)]
    )
    assert d["inflation_rsd3"].iloc[0] == pytest.approx(_sd(4, 4, 5))
    assert d["inflation_rsd4_lag1"].iloc[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("extra", "code", "text"),
    [
        (["--rolling-sd", "inflation:1"], 2, "--rolling-sd"),
        (["--rolling-sd", "inflation:x"], 2, "--rolling-sd"),
        (["--where", "year >> 3"], 2, "--where"),
        (["--where", "gdp > 3"], 2, "no column 'gdp'"),
        (["--rolling-sd", "cpi"], 3, "'cpi'"),
    ],
)
def test_design_command_option_errors(tmp_path, capsys, extra, code, text):
    base = tmp_path / "base.csv"
    pd.DataFrame(
        {"partner_iso3": ["KOR"] * 3, "year": [2001, 2002, 2003], "inflation": [1.0, 2.0, 3.0]}
    ).to_csv(base, index=False)
    args = ["--json", "model", "design", str(base), "--out", str(tmp_path / "d.csv"), *extra]
    assert main(args) == code
    assert text in _records(capsys)[-1]["message"]


def test_design_keep_missing_skips_listwise_deletion(tmp_path, capsys):
    # the first three years have no 4-year window: deleted by default, kept with --keep-missing
    base, out = tmp_path / "base.csv", tmp_path / "design.csv"
    pd.DataFrame(
        {"partner_iso3": "KOR", "year": range(2001, 2007), "cpi": [1.0, 2.0, 4.0, 7.0, 8.0, 9.0]}
    ).to_csv(base, index=False)
    args = ["--json", "model", "design", str(base), "--out", str(out), "--rolling-sd", "cpi"]
    assert main(args) == 0
    assert _records(capsys)[-1]["n_dropped"] == 3
    assert len(pd.read_csv(out)) == 3
    assert main([*args, "--keep-missing"]) == 0
    rec = _records(capsys)[-1]
    assert (rec["n_out"], rec["n_dropped"]) == (6, 0)
    d = pd.read_csv(out)
    assert d["cpi_rsd4"].isna().tolist() == [True, True, True, False, False, False]
    assert d["cpi_rsd4"].iloc[3] == pytest.approx(_sd(1, 2, 4, 7))


def test_design_wdi_directory_reads_every_api_file(tmp_path, capsys):
    import shutil
    from pathlib import Path

    src = Path(__file__).parent / "data" / "wdi"
    wdi = tmp_path / "wdi"
    wdi.mkdir()
    for f in src.glob("API_*.csv"):
        shutil.copy(f, wdi / f.name)
    (wdi / "README.txt").write_text("not a WDI file")  # ignored: not API_*
    base, out = tmp_path / "base.csv", tmp_path / "design.csv"
    pd.DataFrame({"partner_iso3": ["KOR"] * 5, "year": range(2014, 2019)}).to_csv(base, index=False)
    args = ["--json", "model", "design", str(base), "--out", str(out), "--wdi", str(wdi),
            "--names", "NY.GDP.MKTP.CD=gdp,PV.EST=psi"]  # fmt: skip
    assert main(args) == 0
    assert {"gdp", "psi"} <= set(_records(capsys)[-1]["columns"])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([*args[:6], "--wdi", str(empty)]) == 4
    assert "no World Bank API_" in _records(capsys)[-1]["message"]


def test_indicator_rolling_sd_uses_years_before_the_panel():
    # WDI inflation 2001-2008, panel only 2005-2008: the 2005 window is 2002-2005
    tidy = pd.DataFrame(
        {"iso3": "KOR", "year": range(2001, 2009), "indicator": "FP.CPI.TOTL.ZG",
         "value": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]}
    )  # fmt: skip
    panel = pd.DataFrame({"partner_iso3": "KOR", "year": range(2005, 2009)})
    d, rep = build_design(
        panel,
        indicators=tidy,
        indicator_names={"FP.CPI.TOTL.ZG": "inflation"},
        rolling=[("inflation", 4)],
    )
    assert rep.n_out == 4
    assert d["inflation_rsd4"].tolist() == pytest.approx(
        [0.5, math.sqrt(1 / 3), _sd(4, 5, 5, 7), _sd(5, 5, 7, 9)]
    )
    # the same window on a panel-only column has no value before the 4th panel year
    p2 = panel.assign(x=[5.0, 5.0, 7.0, 9.0])
    d2, _ = build_design(p2, rolling=[("x", 4)], interpolate=[], required=[])
    assert d2["x_rsd4"].isna().tolist() == [True, True, True, False]


def test_group_dummy_reads_geotrade_grouping_files():
    from geotrade.covariates import group_dummy

    # as written by `geotrade products groups msp --csv` / quad (undated)
    m = pd.DataFrame(
        {"iso3": ["IND", "GBR", "AUS"], "group": "x", "from": [2023, 2004, None],
         "to": [None, 2019, None]}
    )  # fmt: skip
    iso = pd.Series(["IND", "IND", "GBR", "GBR", "AUS", "USA"])
    yr = pd.Series([2022, 2023, 2019, 2020, 1990, 2023])
    assert group_dummy(m, iso, yr).tolist() == [0, 1, 1, 0, 1, 0]
