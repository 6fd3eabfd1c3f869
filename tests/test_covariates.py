"""Covariate assembly: distances, interpolation, lags, logs, z-scores, dummies, deletion report."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade import covariates as cv
from geotrade.errors import InputFormatError, ValidationError

WDI = Path(__file__).parent / "data" / "wdi"


def _haversine_km(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def test_capital_distances_match_published_and_spherical_reference():
    d = cv.capital_distances(["USA", "KOR"], to="CHN").set_index("iso3")["dist_km"]
    # CEPII GeoDist distcap: CHN-USA 11 159 km, CHN-KOR 956 km (within 1 %)
    assert d["USA"] == pytest.approx(11159, rel=0.01)
    assert d["KOR"] == pytest.approx(956, rel=0.01)
    # independent: a spherical great circle on the same coordinates agrees within 0.5 %
    from geotrade.reference import countries

    c = countries().set_index("iso3")
    for iso in ("USA", "KOR"):
        ref = _haversine_km(
            c.loc["CHN", "capital_lat"],
            c.loc["CHN", "capital_lon"],
            c.loc[iso, "capital_lat"],
            c.loc[iso, "capital_lon"],
        )
        assert d[iso] == pytest.approx(ref, rel=0.005)


def test_capital_distances_reports_missing_coordinates():
    from geotrade.reference import countries

    c = countries()
    no_coord = c.loc[c["capital_lat"].isna(), "iso3"].iloc[0]
    d = cv.capital_distances(["KOR", no_coord])
    row = d.set_index("iso3").loc[no_coord]
    assert not row["has_coordinates"]
    assert np.isnan(row["dist_km"])


def test_interpolate_interior_fills_only_interior_gaps_and_counts():
    p = pd.DataFrame(
        {
            "partner_iso3": ["A"] * 5 + ["B"] * 3,
            "year": [2010, 2011, 2012, 2013, 2014, 2010, 2011, 2012],
            "x": [np.nan, 1.0, np.nan, np.nan, 7.0, 5.0, np.nan, np.nan],
        }
    )
    out, rep = cv.interpolate_interior(p, ["x"])
    # A: 2012 -> 3, 2013 -> 5 (linear between 1 in 2011 and 7 in 2014); leading NaN stays
    assert out["x"].tolist()[:5] == pytest.approx([np.nan, 1.0, 3.0, 5.0, 7.0], nan_ok=True)
    # B: trailing gaps stay missing
    assert out["x"].iloc[6:].isna().all()
    r = rep.set_index("variable").loc["x"]
    assert r["n_filled"] == 2
    assert r["n_missing_left"] == 3


def test_interpolation_uses_years_not_row_order():
    p = pd.DataFrame({"partner_iso3": "A", "year": [2014, 2010, 2012], "x": [8.0, 0.0, np.nan]})
    out, _ = cv.interpolate_interior(p, ["x"])
    assert out.loc[2, "x"] == pytest.approx(4.0)


def test_lag_matches_previous_year_within_country():
    p = pd.DataFrame(
        {
            "partner_iso3": ["A", "A", "B", "B", "A"],
            "year": [2011, 2010, 2010, 2011, 2013],
            "x": [2.0, 1.0, 10.0, 20.0, 4.0],
        }
    )
    out = cv.lag(p, ["x"])
    assert out["x_lag1"].tolist() == pytest.approx([1.0, np.nan, np.nan, 10.0, np.nan], nan_ok=True)
    assert list(out.index) == list(p.index)


def test_log_values_zero_handling():
    s = pd.Series([math.e, 0.0, -1.0, np.nan], name="v")
    out, nz, nn = cv.log_values(s)
    assert out.tolist()[0] == pytest.approx(1.0)
    assert out.iloc[1:].isna().all()
    assert (nz, nn) == (1, 1)
    out2, _, _ = cv.log_values(s, zeros="log1p")
    assert out2.iloc[1] == 0.0
    assert out2.iloc[0] == pytest.approx(math.log1p(math.e))
    with pytest.raises(InputFormatError, match="zero"):
        cv.log_values(s, zeros="error")


def test_zscore_against_numpy():
    x = pd.Series([3.0, 1.0, 4.0, 1.0, 5.0, np.nan])
    z = cv.zscore(x)
    v = x.dropna().to_numpy()
    assert z.iloc[:5].to_numpy() == pytest.approx((v - v.mean()) / v.std(ddof=1))
    with pytest.raises(InputFormatError, match="no variation"):
        cv.zscore(pd.Series([1.0, 1.0], name="c"))


def test_group_dummy_year_list_and_ranges():
    iso = pd.Series(["PAK", "PAK", "PAK", "USA", "KAZ"])
    yr = pd.Series([2013, 2014, 2020, 2014, 2016])
    by_year = pd.DataFrame({"iso3": ["PAK", "KAZ"], "year": [2014, 2016]})
    assert cv.group_dummy(by_year, iso, yr).tolist() == [0, 1, 0, 0, 1]
    ranges = pd.DataFrame(
        {"iso3": ["pak", "KAZ"], "start_year": [2014, 2013], "end_year": [2018, None]}
    )
    assert cv.group_dummy(ranges, iso, yr).tolist() == [0, 1, 0, 0, 1]
    with pytest.raises(InputFormatError, match="start_year"):
        cv.group_dummy(pd.DataFrame({"iso3": ["PAK"]}), iso, yr)


def test_listwise_delete_reports_rows_and_columns():
    p = pd.DataFrame(
        {"partner_iso3": ["A", "B", "C"], "year": 2020, "x": [1.0, None, None], "z": [1, 2, None]}
    )
    kept, dropped = cv.listwise_delete(p, ["x", "z"])
    assert kept["partner_iso3"].tolist() == ["A"]
    assert dropped["row"].tolist() == [3, 4]
    assert dropped["missing"].tolist() == ["x", "x, z"]


def test_trade_totals_world_rows_win_and_aggregates_never_added():
    f = pd.DataFrame(
        {
            "year": 2022,
            "reporter_iso3": ["DEU", "DEU", "FRA", "FRA", "FRA", "FRA"],
            "partner_iso3": ["WLD", "USA", "DEU", "_899", "USA", "USA"],
            "flow": ["export", "export", "export", "import", "import", "export"],
            "hs_code": ["870380", "870380", "870360", "870380", "870340", "850760"],
            "value_usd": [10.0, 4.0, 2.0, 100.0, 3.0, 1000.0],
        }
    )
    t = cv.trade_totals(f).set_index("iso3")
    assert t.loc["DEU", "ev_trade_usd"] == 10.0
    assert t.loc["DEU", "basis"] == "world"
    # FRA: 2 + 3 (the "_899" nes area and the non-EV HS code are not added)
    assert t.loc["FRA", "ev_trade_usd"] == 5.0
    assert t.loc["FRA", "basis"] == "bilateral"


def test_wide_indicators_rejects_duplicates():
    t = pd.DataFrame({"iso3": ["KOR", "KOR"], "year": 2020, "indicator": "X", "value": [1, 2]})
    with pytest.raises(ValidationError, match="duplicate"):
        cv.wide_indicators(t)


def test_build_design_from_handwritten_wdi_files():
    read_wdi = pytest.importorskip("geotrade.io.readers.wdi").read_wdi
    tidy = pd.concat(
        [
            read_wdi(WDI / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_handwritten.csv"),
            read_wdi(WDI / "API_PV.EST_DS2_en_csv_v2_handwritten.csv"),
        ],
        ignore_index=True,
    )
    years = list(range(2014, 2019))
    panel = pd.DataFrame(
        {"partner_iso3": np.repeat(["KOR", "DEU", "NAM"], 5), "year": years * 3, "y": 1.0}
    )
    bri = pd.DataFrame({"iso3": ["KOR"], "start_year": [2016]})
    design, rep = cv.build_design(
        panel,
        indicators=tidy,
        indicator_names={"NY.GDP.MKTP.CD": "gdp", "PV.EST": "psi"},
        distance_to="CHN",
        groups={"bri": bri},
        log=["gdp"],
        lags=["ln_gdp"],
        standardize=["psi"],
    )
    filled = rep.interpolated.set_index("variable")["n_filled"].to_dict()
    assert filled == {"gdp": 3, "psi": 1}  # KOR 2016, DEU 2015-2016; DEU 2017
    kor = design[design["partner_iso3"] == "KOR"].set_index("year")
    assert kor.loc[2016, "gdp"] == pytest.approx(1.2e12)
    assert kor.loc[2017, "ln_gdp_lag1"] == pytest.approx(math.log(1.2e12))
    assert kor.index.tolist() == [2015, 2016, 2017, 2018]  # 2014 has no lag
    assert kor["bri"].tolist() == [0, 1, 1, 1]  # member from 2016
    # dropped: every 2014 row (no lag), NAM 2015 (lag of a missing 2014 GDP), NAM 2018 (GDP)
    d = rep.dropped
    assert len(d) + len(design) == len(panel) == rep.n_in
    nam = d[d["partner_iso3"] == "NAM"].set_index("year")["missing"].to_dict()
    assert nam[2018] == "gdp, ln_gdp"
    assert "ln_gdp_lag1" in nam[2015]
    assert set(d.loc[d["year"] == 2014, "partner_iso3"]) == {"KOR", "DEU", "NAM"}
    # z-scores on the final sample
    assert design["z_psi"].mean() == pytest.approx(0.0, abs=1e-12)
    assert design["z_psi"].std(ddof=1) == pytest.approx(1.0)
    assert design["ln_dist"].iloc[0] == pytest.approx(math.log(design["dist_km"].iloc[0]))


def test_ratio_columns_by_hand_and_before_logs():
    panel = pd.DataFrame(
        {
            "partner_iso3": ["USA", "USA", "DEU", "DEU"],
            "year": [2020, 2021, 2020, 2021],
            "res": [10.0, 12.0, 5.0, np.nan],
            "gdp": [200.0, 0.0, 50.0, 40.0],
        }
    )
    d, rep = cv.build_design(
        panel, ratios={"reserves": ("res", "gdp", 100.0)}, log=["reserves"], required=[]
    )
    d = d.set_index(["partner_iso3", "year"])
    assert d.loc[("USA", 2020), "reserves"] == pytest.approx(5.0)  # 100 * 10 / 200
    assert d.loc[("DEU", 2020), "reserves"] == pytest.approx(10.0)
    assert np.isnan(d.loc[("USA", 2021), "reserves"])  # zero denominator: missing, not inf
    assert np.isnan(d.loc[("DEU", 2021), "reserves"])  # missing numerator
    assert d.loc[("DEU", 2020), "ln_reserves"] == pytest.approx(math.log(10.0))
    r = rep.ratios.set_index("variable").loc["reserves"]
    assert r["n_zero_denominator"] == 1
    assert r["n_missing"] == 2
    assert rep.to_dict()["ratios"][0]["denominator"] == "gdp"
    with pytest.raises(InputFormatError):
        cv.build_design(panel, ratios={"x": ("res", "nope", 1.0)})


def test_cli_ratio_option(tmp_path, capsys):
    from geotrade.cli import main

    panel = tmp_path / "p.csv"
    panel.write_text("partner_iso3,year,res,gdp\nUSA,2020,10,200\nDEU,2020,5,50\n", "utf-8")
    out = tmp_path / "d.csv"
    code = main(["model", "design", str(panel), "--out", str(out), "--ratio", "r=res/gdp*100"])
    assert code == 0, capsys.readouterr()
    got = pd.read_csv(out).set_index("partner_iso3")["r"].to_dict()
    assert got == pytest.approx({"USA": 5.0, "DEU": 10.0})
    code = main(["model", "design", str(panel), "--out", str(out), "--ratio", "r=res"])
    assert code != 0
    assert "NAME=A/B" in capsys.readouterr().err
