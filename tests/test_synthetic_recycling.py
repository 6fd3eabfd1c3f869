"""The committed synthetic recycling demo tables: reproducible and calibrated.

Every calibrated figure is re-derived from the committed CSVs with the public metrics
functions, so a change to either the generator or the metrics shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade.metrics.recycling import (
    capital_whitelist_correlation,
    high_volume_low_outlet,
    prefecture_matching,
    province_capacity_ratio,
    ratio_summary,
)
from geotrade.synthetic import recycling as synth

DEMO = Path(synth.__file__).resolve().parents[1] / "data" / "demo"
FILES = [
    synth.PROVINCE_FILE,
    f"{synth.PROVINCE_FILE}.meta.json",
    synth.PREFECTURE_FILE,
    f"{synth.PREFECTURE_FILE}.meta.json",
]
NO_WHITELIST = {"山西省", "内蒙古自治区", "新疆维吾尔自治区", "黑龙江省", "青海省", "西藏自治区",
                "海南省"}  # fmt: skip


@pytest.fixture(scope="module")
def prov() -> pd.DataFrame:
    return synth.read_demo("provinces")


@pytest.fixture(scope="module")
def pref() -> pd.DataFrame:
    return synth.read_demo("prefectures")


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    assert synth.main(["--out", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_files_are_labelled_synthetic(prov: pd.DataFrame, pref: pd.DataFrame) -> None:
    for name in FILES:
        assert "synthetic" in name
    for df in (prov, pref):
        assert df["source"].str.startswith("synthetic").all()
    for name in FILES[1::2]:
        meta = json.loads((DEMO / name).read_text(encoding="utf-8"))
        assert meta["synthetic"] is True
        assert "SYNTHETIC" in meta["warning"]
        assert meta["not_calibrated"]["national_retired_2025_t"] == 400_000


def test_province_table_shape(prov: pd.DataFrame) -> None:
    assert list(prov.columns) == [
        "province_adcode", "province", "year", "retired_t", "whitelist_firms", "capacity_t",
        "registered_capital_cny", "source",
    ]  # fmt: skip
    assert sorted(prov["year"].unique()) == [2024, 2025, 2030]
    assert prov.groupby("year").size().tolist() == [31, 31, 31]
    assert not prov["province_adcode"].isin(["710000", "810000", "820000"]).any()
    assert prov["province_adcode"].str.fullmatch(r"\d{6}").all()
    # capacity, firms and capital are one snapshot repeated across years
    snap = prov[["province_adcode", "whitelist_firms", "capacity_t", "registered_capital_cny"]]
    assert len(snap.drop_duplicates()) == 31


def test_whitelist_and_capacity_totals(prov: pd.DataFrame) -> None:
    p25 = prov[prov.year == 2025]
    assert p25["whitelist_firms"].sum() == 156
    assert p25["capacity_t"].sum() == 4_233_000
    none = p25[p25.whitelist_firms == 0]
    assert set(none["province"]) == NO_WHITELIST
    assert (none["capacity_t"] == 0).all()
    assert (p25.loc[p25.whitelist_firms > 0, "capacity_t"] > 0).all()


def test_ratio_summary_2025(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov, year=2025)
    assert s.n_with_capacity == 24
    assert s.median_ratio == pytest.approx(0.115, abs=0.0005)
    assert set(s.no_capacity_names) == NO_WHITELIST
    # "近一半省份" below 20 %: 14 provinces = 45.2 % of 31 (58.3 % of the 24 with capacity)
    assert s.n_below == 14
    assert s.share_below_all == pytest.approx(14 / 31)
    assert s.share_below == pytest.approx(14 / 24)
    assert s.ols.slope < 0
    assert s.ols.n == 24


def test_ratio_summary_2030_clusters_and_inland(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov, year=2030)
    cl = s.clusters.set_index("cluster")
    assert (cl["ratio"] > 0.8).all()
    assert (cl["min_province_ratio"] > 0.8).all()  # "普遍": every member province
    assert s.ols.slope < 0
    r = province_capacity_ratio(prov, years=[2030]).set_index("province")["ratio"]
    for name in ("江西省", "湖南省", "湖北省", "贵州省"):
        assert r[name] < 0.25, name
    r25 = province_capacity_ratio(prov, years=[2025]).set_index("province")["ratio"]
    inland = ["江西省", "湖南省", "湖北省", "贵州省"]
    assert r25[inland].max() < r25.median()


def test_no_capacity_ratios_are_nan(prov: pd.DataFrame) -> None:
    r = province_capacity_ratio(prov)
    assert r.loc[r.no_capacity, "ratio"].isna().all()
    assert np.isfinite(r.loc[~r.no_capacity, "ratio"]).all()


def test_capital_correlation_and_beijing(prov: pd.DataFrame) -> None:
    r, p, n = capital_whitelist_correlation(prov)
    assert r == pytest.approx(-0.03, abs=0.005)
    assert n == 31
    assert p > 0.5
    p25 = prov[prov.year == 2025].set_index("province")
    assert p25["registered_capital_cny"].idxmax() == "北京市"
    assert p25.loc["北京市", "whitelist_firms"] == 1
    top5 = set(p25["registered_capital_cny"].nlargest(5).index)
    assert top5 == {"北京市", "山东省", "湖北省", "上海市", "辽宁省"}


def test_prefecture_units(pref: pd.DataFrame) -> None:
    assert len(pref) == 338
    assert pref["adcode"].is_unique
    assert not pref["province_adcode"].isin(["710000", "810000", "820000"]).any()
    county = pref["adcode"].str[2:4] == "90"
    assert pref.loc[county, "adcode"].tolist() == ["419001"]
    assert {"110100", "120100", "310100", "500000"} <= set(pref["adcode"])
    assert (pref["year"] == 2025).all()


def test_prefecture_volumes_sum_to_provinces(prov: pd.DataFrame, pref: pd.DataFrame) -> None:
    p25 = prov[prov.year == 2025].set_index("province_adcode")["retired_t"]
    sums = pref.groupby("province_adcode")["retired_t"].sum()
    pd.testing.assert_series_equal(
        sums.sort_index(), p25.sort_index(), check_names=False, check_dtype=False
    )


def test_shanghai_shares_and_outlets(pref: pd.DataFrame) -> None:
    m = prefecture_matching(pref).set_index("adcode")
    assert m.loc["310100", "volume_share"] == pytest.approx(0.067, abs=0.00005)
    assert m.loc["310100", "outlet_share"] == pytest.approx(0.0297, abs=0.00005)
    assert pref["outlets"].sum() > 10_000
    assert (pref["outlets"] > 0).sum() == 327
    assert m.loc[m.no_outlets, "share_ratio"].isna().all()


def test_high_volume_low_outlet_18_cities(pref: pd.DataFrame) -> None:
    top = high_volume_low_outlet(pref, n=18)
    assert len(top) == 18
    assert top["retired_t"].sum() == 170_000
    assert "310100" in set(top["adcode"])
    assert (top["volume_share"] > 1 / 338).all()  # far above the average city
    assert (top["share_ratio"] > 1.2).all()


def test_low_volume_high_outlet_cities(pref: pd.DataFrame) -> None:
    m = prefecture_matching(pref).set_index("name")
    for name in ("哈尔滨市", "福州市", "昆明市"):
        assert m.loc[name, "volume_share"] < 1 / 338, name
        assert m.loc[name, "outlet_share"] > 2 * m.loc[name, "volume_share"], name


def test_read_demo_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="'provinces' or 'prefectures'"):
        synth.read_demo("cities")  # type: ignore[arg-type]
