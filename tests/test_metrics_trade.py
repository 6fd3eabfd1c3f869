"""Tests of geotrade.metrics.trade: GL index, dependence typology, shares, HHI, growth.

Expected values are computed by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotrade.errors import ValidationError
from geotrade.metrics.trade import (
    DEPENDENCE_CLASSES,
    cagr,
    class_counts,
    class_label,
    focal_names,
    growth,
    interdependence,
    partner_shares,
    pattern_summary,
    split_aggregates,
    table2,
    table3,
    trade_summary,
    zone_label,
)


def flows_from(pairs: dict[str, tuple[float, float]], *, year: int = 2020) -> pd.DataFrame:
    """Build a CHN-reported table from {partner: (exports, imports)}; zero values omitted."""
    rows = []
    for p, (x, m) in pairs.items():
        if x:
            rows.append((year, "CHN", p, "export", "850760", float(x)))
        if m:
            rows.append((year, "CHN", p, "import", "850760", float(m)))
    return pd.DataFrame(
        rows, columns=["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
    )


def one(x: float, m: float) -> pd.Series:
    t = interdependence(flows_from({"AAA": (x, m)}), focal="CHN")
    assert len(t) == 1
    return t.iloc[0]


# --- hand-computed cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "m", "gl", "index", "cls", "zone"),
    [
        # one-way both directions: GL = 0
        (5.0, 0.0, 0.0, 0.0, "partner_one_way", "advantage"),
        (0.0, 5.0, 0.0, 0.0, "focal_one_way", "disadvantage"),
        # X = 9, M = 1: GL = 2*1/10 = 0.2 exactly -> high (GL <= 0.2)
        (9.0, 1.0, 0.2, 0.2, "partner_high", "advantage"),
        (1.0, 9.0, 0.2, -0.2, "focal_high", "disadvantage"),
        # X = 3, M = 1: GL = 2/4 = 0.5 exactly -> low (GL >= 0.5)
        (3.0, 1.0, 0.5, 0.5, "partner_low", "advantage"),
        (1.0, 3.0, 0.5, -0.5, "focal_low", "disadvantage"),
        # X = 4, M = 1: GL = 2/5 = 0.4 -> moderate
        (4.0, 1.0, 0.4, 0.4, "partner_moderate", "advantage"),
        (1.0, 4.0, 0.4, -0.4, "focal_moderate", "disadvantage"),
        # X = 19, M = 1: GL = 0.1 -> high; X = 1.5, M = 1: GL = 2/2.5 = 0.8 -> low
        (19.0, 1.0, 0.1, 0.1, "partner_high", "advantage"),
        (1.5, 1.0, 0.8, 0.8, "partner_low", "advantage"),
        # balanced: GL = 1, index = +1
        (7.0, 7.0, 1.0, 1.0, "balanced", "balanced"),
    ],
)
def test_hand_cases(x, m, gl, index, cls, zone):
    r = one(x, m)
    assert r["gl"] == pytest.approx(gl, abs=1e-15)
    assert r["index"] == pytest.approx(index, abs=1e-15)
    assert r["dependence_class"] == cls
    assert r["zone"] == zone
    assert r["exports"] == x
    assert r["imports"] == m


def test_thresholds_are_exact_at_boundaries():
    # GL = 0.2 and 0.5 exactly (computed as 2 min / sum, no 1 - ... rounding)
    assert one(9.0, 1.0)["gl"] == 0.2
    assert one(3.0, 1.0)["gl"] == 0.5
    # just beyond the limits
    assert one(9.0001, 1.0)["dependence_class"] == "partner_high"
    assert one(8.9999, 1.0)["dependence_class"] == "partner_moderate"
    assert one(3.0001, 1.0)["dependence_class"] == "partner_moderate"
    assert one(2.9999, 1.0)["dependence_class"] == "partner_low"


def test_japan_2012_example_from_the_paper():
    # Table 2 shares x published totals (亿 USD): X = 0.141 * 45, M = 0.417 * 40
    x, m = 0.141 * 45, 0.417 * 40
    r = one(x, m)
    assert r["gl"] == pytest.approx(1 - abs(x - m) / (x + m))
    assert r["gl"] == pytest.approx(0.5511, abs=1e-4)
    assert r["dependence_class"] == "focal_low"


def test_no_row_without_trade_and_custom_thresholds():
    t = interdependence(flows_from({"AAA": (0.0, 0.0), "BBB": (4.0, 1.0)}), focal="CHN")
    assert t["partner_iso3"].tolist() == ["BBB"]
    # GL = 0.4: with high = 0.45 it becomes "high"
    t2 = interdependence(flows_from({"BBB": (4.0, 1.0)}), focal="CHN", high=0.45, low=0.6)
    assert t2.loc[0, "dependence_class"] == "partner_high"
    with pytest.raises(ValueError, match="0 < high < low <= 1"):
        interdependence(flows_from({"BBB": (4.0, 1.0)}), focal="CHN", high=0.5, low=0.2)


def test_sums_duplicate_rows_hs_filter_and_years():
    f = pd.concat(
        [
            flows_from({"KOR": (1.0, 2.0)}, year=2012),
            flows_from({"KOR": (1.0, 2.0)}, year=2012),  # duplicates are summed
            flows_from({"KOR": (5.0, 0.0)}, year=2013),
        ]
    )
    extra = flows_from({"KOR": (100.0, 0.0)}, year=2012).assign(hs_code=850780)
    t = interdependence(pd.concat([f, extra]), focal="CHN", hs_codes=["850760"])
    assert t[["year", "exports", "imports"]].values.tolist() == [[2012, 2.0, 4.0], [2013, 5.0, 0.0]]
    t12 = interdependence(f, focal="CHN", years=[2012])
    assert t12["year"].tolist() == [2012]
    # integer HS codes are zero-padded: 850760 and "850760" are the same code
    t_all = interdependence(pd.concat([f, extra]), focal="CHN", hs_codes=[850780])
    assert t_all["exports"].tolist() == [100.0]


def test_aggregates_excluded_and_recorded():
    f = flows_from({"KOR": (1.0, 1.0), "WLD": (10.0, 5.0), "_X": (3.0, 0.0), "CHN": (2.0, 0.0)})
    f = pd.concat([f, f.iloc[[0]].assign(partner_iso3=None, value_usd=7.0)])
    f = pd.concat([f, f.iloc[[0]].assign(reporter_iso3="KOR", partner_iso3="CHN")])
    t = interdependence(f, focal="CHN")
    assert t["partner_iso3"].tolist() == ["KOR"]
    ex = t.attrs["excluded"].set_index("partner_iso3")
    assert ex.loc["WLD", "reason"] == "aggregate partner"
    assert ex.loc["WLD", "value_usd"] == 15.0
    assert ex.loc["_X", "reason"] == "unspecified area (in the total, not a partner)"
    assert ex.loc["", "reason"] == "missing partner code"
    reasons = set(ex["reason"])
    assert "partner is the focal economy" in reasons
    assert "reporter is not the focal economy" in reasons
    kept, excluded = split_aggregates(f, focal="chn")
    assert kept["partner_iso3"].unique().tolist() == ["KOR"]
    assert int(excluded["rows"].sum()) == len(f) - len(kept)


def test_validation_reports_all_problems():
    f = flows_from({"KOR": (1.0, 2.0)})
    f.loc[0, "flow"] = "transit"  # not a canonical flow ("re-export" is valid, see below)
    f.loc[1, "value_usd"] = -5.0
    with pytest.raises(ValidationError) as info:
        interdependence(f, focal="CHN")
    assert len(info.value.problems) == 2
    assert "2 problems found" in str(info.value)
    assert {p.column for p in info.value.problems} == {"flow", "value_usd"}
    with pytest.raises(ValidationError, match="missing column"):
        interdependence(f.drop(columns=["hs_code"]), focal="CHN")


# --- property tests ------------------------------------------------------------------------

pos = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(x=pos, m=pos)
def test_property_gl_range_and_sign(x, m):
    r = one(x, m)
    assert 0.0 <= r["gl"] <= 1.0
    assert r["gl"] == pytest.approx(1 - abs(x - m) / (x + m), abs=1e-12)
    assert abs(r["index"]) == r["gl"]
    if x != m:
        assert np.sign(r["index"]) == np.sign(x - m)


@settings(max_examples=80, deadline=None)
@given(x=pos, m=pos, k=st.floats(min_value=1e-3, max_value=1e3))
def test_property_scaling_invariance(x, m, k):
    a, b = one(x, m), one(k * x, k * m)
    assert b["gl"] == pytest.approx(a["gl"], rel=1e-9, abs=1e-12)
    # the class only changes if GL sits within rounding of a threshold
    if min(abs(a["gl"] - t) for t in (0.2, 0.5)) > 1e-9:
        assert a["dependence_class"] == b["dependence_class"]


@settings(max_examples=80, deadline=None)
@given(x=st.one_of(st.just(0.0), pos), m=st.one_of(st.just(0.0), pos))
def test_property_swap_swaps_class_family(x, m):
    if x == 0 and m == 0:
        return
    a, b = one(x, m), one(m, x)
    assert b["gl"] == a["gl"]
    if x != m:
        assert b["index"] == -a["index"]
    else:  # balanced: GL = 1 and index = +1 both ways
        assert a["index"] == b["index"] == 1.0
    ca, cb = a["dependence_class"], b["dependence_class"]
    if ca == "balanced":
        assert cb == "balanced"
    else:
        side_a, degree_a = ca.split("_", 1)
        side_b, degree_b = cb.split("_", 1)
        assert {side_a, side_b} == {"partner", "focal"}
        assert degree_a == degree_b


# --- labels and counts ---------------------------------------------------------------------


def test_class_labels():
    zh = [class_label(c) for c in DEPENDENCE_CLASSES]
    assert zh == [
        "单向依存中国",
        "高度依存中国",
        "中度依存中国",
        "低度依存中国",
        "中国单向依存",
        "中国高度依存",
        "中国中度依存",
        "中国低度依存",
        "均衡",
    ]
    assert class_label("partner_one_way", lang="en") == "One-way dependent on China"
    assert class_label("partner_high", lang="en") == "Highly dependent on China"
    assert class_label("focal_one_way", lang="en") == "China one-way dependent on partner"
    assert class_label("focal_high", lang="en") == "China highly dependent on partner"
    assert class_label("partner_low", focal_name_zh="韩国") == "低度依存韩国"
    assert class_label("focal_moderate", focal_name_en="Korea", lang="en") == (
        "Korea moderately dependent on partner"
    )
    with pytest.raises(ValueError, match="unknown dependence class"):
        class_label("very_high")
    with pytest.raises(ValueError, match="lang"):
        class_label("balanced", lang="fr")  # type: ignore[arg-type]


def test_class_counts_table3_shape():
    f = pd.concat(
        [
            flows_from({"IND": (5.0, 0.0), "KOR": (1.0, 4.0), "USA": (30.0, 1.0)}, year=2012),
            flows_from({"IND": (5.0, 1.0), "SGP": (1.0, 1.0)}, year=2022),
        ]
    )
    cc = class_counts(interdependence(f, focal="CHN"))
    assert cc.index.tolist() == list(DEPENDENCE_CLASSES)
    assert cc[(2012, "count")].sum() == 3
    assert cc.loc["partner_one_way", (2012, "count")] == 1
    assert cc.loc["partner_high", (2012, "examples")] == "USA"  # GL = 2/31 = 0.065
    assert cc.loc["focal_moderate", (2012, "examples")] == "KOR"  # GL = 0.4
    assert cc.loc["partner_moderate", (2022, "examples")] == "IND"  # GL = 2/6 = 0.33
    assert cc.loc["balanced", (2022, "count")] == 1
    assert cc.loc["focal_one_way", (2022, "examples")] == ""


# --- pattern: shares, HHI, growth ----------------------------------------------------------


def test_pattern_summary_by_hand():
    f = flows_from({"USA": (50.0, 0.0), "DEU": (30.0, 10.0), "KOR": (20.0, 30.0)})
    f = pd.concat([f, flows_from({"WLD": (100.0, 40.0)})])
    s = pattern_summary(f, focal="CHN", flow="export", top=2)
    r = s.iloc[0]
    assert r["total_usd"] == 100.0
    assert r["n_partners"] == 3
    assert r["top_partners"] == ["USA", "DEU"]
    assert r["top_shares_pct"] == [50.0, 30.0]
    assert r["top_share_sum_pct"] == pytest.approx(80.0)
    # HHI = 0.5^2 + 0.3^2 + 0.2^2 = 0.38; 50^2 + 30^2 + 20^2 = 3800
    assert r["hhi"] == pytest.approx(0.38)
    assert r["hhi_10000"] == pytest.approx(3800.0)
    assert "WLD" in s.attrs["excluded"]["partner_iso3"].tolist()
    m = pattern_summary(f, focal="CHN", flow="import").iloc[0]
    # imports: KOR 30, DEU 10 -> shares 75, 25; HHI = 0.5625 + 0.0625 = 0.625
    assert m["n_partners"] == 2
    assert m["top_shares_pct"] == [75.0, 25.0]
    assert m["hhi"] == pytest.approx(0.625)
    with pytest.raises(ValueError, match="flow must be"):
        pattern_summary(f, focal="CHN", flow="both")  # type: ignore[arg-type]


def test_partner_shares_ranks_and_ties():
    f = flows_from({"BBB": (1.0, 0.0), "AAA": (1.0, 0.0), "CCC": (2.0, 0.0)})
    sh = partner_shares(f, focal="CHN", flow="export")
    assert sh["partner_iso3"].tolist() == ["CCC", "AAA", "BBB"]
    assert sh["rank"].tolist() == [1, 2, 3]
    assert sh["share_pct"].sum() == pytest.approx(100.0)


def test_growth_and_cagr():
    # published totals, 亿 USD: 84 -> 539 over 10 years
    assert cagr(84, 539, 10) == pytest.approx(100 * ((539 / 84) ** 0.1 - 1))
    assert round(cagr(84, 539, 10), 2) == 20.43
    assert round(cagr(45, 509, 10), 2) == 27.45
    assert round(cagr(40, 30, 10), 2) == -2.84
    g = growth(pd.Series({2012: 100.0, 2013: 110.0, 2015: 121.0}))
    assert g["yoy_pct"].iloc[1] == pytest.approx(10.0)
    assert math.isnan(g["yoy_pct"].iloc[2])  # 2014 missing
    assert g["cagr_pct"].iloc[2] == pytest.approx(100 * (1.21 ** (1 / 3) - 1))
    with pytest.raises(ValueError, match="positive"):
        cagr(0, 1, 1)


# --- full canonical table: re-exports, is_aggregate (extension) -----------------------------


def test_reexports_ignored_by_default_and_reported():
    f = flows_from({"KOR": (10.0, 4.0)})
    extra = pd.DataFrame(
        [
            (2020, "CHN", "KOR", "re-export", "850760", 6.0),
            (2020, "CHN", "KOR", "re-import", "850760", 2.0),
        ],
        columns=f.columns,
    )
    full = pd.concat([f, extra], ignore_index=True)
    t = interdependence(full, focal="CHN")
    assert t[["exports", "imports"]].values.tolist() == [[10.0, 4.0]]
    ex = t.attrs["excluded"]
    row = ex[ex["reason"] == "re-export/re-import ignored"]
    assert int(row["rows"].sum()) == 2
    assert float(row["value_usd"].sum()) == 8.0
    # "include" adds them: X = 10 + 6, M = 4 + 2 -> GL = 2*6/22
    t2 = interdependence(full, focal="CHN", reexports="include")
    assert t2[["exports", "imports"]].values.tolist() == [[16.0, 6.0]]
    assert t2.loc[0, "gl"] == pytest.approx(12 / 22)


def test_is_aggregate_rows_excluded_and_reported():
    f = flows_from({"KOR": (10.0, 4.0), "USA": (5.0, 0.0)})
    f["is_aggregate"] = [False, False, True]  # the USA row is flagged as an aggregate
    t = interdependence(f, focal="CHN")
    assert t["partner_iso3"].tolist() == ["KOR"]
    ex = t.attrs["excluded"].set_index("reason")
    assert ex.loc["is_aggregate row", "partner_iso3"] == "USA"
    assert ex.loc["is_aggregate row", "value_usd"] == 5.0


def test_trade_summary_by_hand():
    # 2012: X USA 60, DEU 40; M KOR 20.  2013: X USA 90, IND 30, M KOR 10, JPN 30
    f = pd.concat(
        [
            flows_from({"USA": (60.0, 0.0), "DEU": (40.0, 0.0), "KOR": (0.0, 20.0)}, year=2012),
            flows_from(
                {"USA": (90.0, 0.0), "IND": (30.0, 0.0), "KOR": (0.0, 10.0), "JPN": (0.0, 30.0)},
                year=2013,
            ),
            flows_from({"USA": (200.0, 0.0)}, year=2015),
        ]
    )
    s = trade_summary(f, focal="CHN", years=[2012, 2013, 2015], top=1).set_index(["year", "flow"])
    x13 = s.loc[(2013, "export")]
    assert x13["total_usd"] == 120.0
    assert x13["yoy_pct"] == pytest.approx(20.0)  # 120 / 100 - 1
    assert x13["cagr_pct"] == pytest.approx(20.0)
    assert x13["entered"] == ["IND"]
    assert x13["exited"] == ["DEU"]
    assert x13["top_partners"] == ["USA"]
    assert x13["top_share_sum_pct"] == pytest.approx(75.0)
    assert x13["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert x13["hhi_10000"] == pytest.approx(75**2 + 25**2)
    assert x13["balance_usd"] == 80.0  # 120 - 40
    m13 = s.loc[(2013, "import")]
    assert m13["yoy_pct"] == pytest.approx(100.0)  # 40 / 20 - 1
    t13 = s.loc[(2013, "total")]
    assert t13["total_usd"] == 160.0
    assert t13["n_partners"] == 4
    # 2015: previous calendar year 2014 absent -> YoY NaN; CAGR 2012 -> 2015 over 3 years
    x15 = s.loc[(2015, "export")]
    assert math.isnan(x15["yoy_pct"])
    assert x15["cagr_pct"] == pytest.approx(100 * (2.0 ** (1 / 3) - 1))
    assert sorted(x15["exited"]) == ["IND"]


def test_table2_and_table3_shapes_and_labels():
    f = pd.concat(
        [
            flows_from({"USA": (75.0, 0.0), "DEU": (25.0, 0.0), "KOR": (1.0, 9.0)}, year=2012),
        ]
    )
    t2 = table2(f, focal="CHN", top=2)
    assert t2.index.tolist() == ["1", "2", "合计"]
    assert t2[("export", 2012, "partner_iso3")].tolist()[:2] == ["USA", "DEU"]
    # X shares: USA 75/101, DEU 25/101
    assert t2[("export", 2012, "share_pct")].iloc[2] == pytest.approx(100 * 100 / 101)
    t2en = table2(f, focal="CHN", top=2, lang="en")
    assert t2en[("export", 2012, "partner")].tolist() == ["United States", "Germany", "Total"]
    t3 = table3(interdependence(f, focal="KOR"), focal="KOR", lang="en")
    assert t3.empty or "Korea" in " ".join(t3.index)
    t3 = table3(interdependence(f, focal="CHN"), lang="zh")
    assert t3.index.tolist() == [class_label(c) for c in DEPENDENCE_CLASSES[:-1]]
    assert t3.loc["单向依存中国", (2012, "examples")] == "美国、德国"
    assert t3.loc["中国高度依存", (2012, "examples")] == "韩国"  # GL = 2/10 = 0.2
    assert t3.loc["中国单向依存", (2012, "examples")] == "无"


def test_focal_names_and_zone_labels():
    assert focal_names("chn") == ("China", "中国")
    assert focal_names("USA")[1] == "美国"
    assert zone_label("advantage") == "贸易优势区"
    assert zone_label("disadvantage") == "贸易劣势区"
    with pytest.raises(ValueError, match="unknown zone"):
        zone_label("neutral")
