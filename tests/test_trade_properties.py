"""Property tests (hypothesis) of the trade metrics: GL, typology, shares, HHI, all-pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotrade.metrics.network import pair_interdependence
from geotrade.metrics.trade import interdependence, partner_shares, trade_summary

COLS = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
pos = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)
val = st.one_of(st.just(0.0), pos)
CODES = ["AAA", "BBB", "CCC", "DDD", "EEE"]


def table(xs: list[float], ms: list[float]) -> pd.DataFrame:
    rows = []
    for code, x, m in zip(CODES, xs, ms, strict=False):
        if x:
            rows.append((2020, "CHN", code, "export", "850760", x))
        if m:
            rows.append((2020, "CHN", code, "import", "850760", m))
    return pd.DataFrame(rows, columns=COLS)


@settings(max_examples=60, deadline=None)
@given(xs=st.lists(val, min_size=5, max_size=5), ms=st.lists(val, min_size=5, max_size=5))
def test_gl_range_sign_and_index(xs, ms):
    t = interdependence(table(xs, ms), focal="CHN")
    assert ((t["gl"] >= 0) & (t["gl"] <= 1)).all()
    diff = t["exports"] - t["imports"]
    nz = diff != 0
    same_sign = np.sign(t.loc[nz, "index"]) == np.sign(diff[nz])
    assert (same_sign | (t.loc[nz, "gl"] == 0)).all()
    assert np.allclose(t["index"].abs(), t["gl"])
    # the zone follows the sign of X - M (seed 000 §2.1)
    assert (t.loc[diff > 0, "zone"] == "advantage").all()
    assert (t.loc[diff < 0, "zone"] == "disadvantage").all()


@settings(max_examples=60, deadline=None)
@given(x=val, m=val)
def test_swap_swaps_class_family(x, m):
    if x == 0 and m == 0:
        return
    a = interdependence(table([x], [m]), focal="CHN").iloc[0]
    b = interdependence(table([m], [x]), focal="CHN").iloc[0]
    ca, cb = a["dependence_class"], b["dependence_class"]
    if ca == "balanced":
        assert cb == "balanced"
        return
    sa, da = ca.split("_", 1)
    sb, db = cb.split("_", 1)
    assert {sa, sb} == {"partner", "focal"}
    assert da == db


@settings(max_examples=60, deadline=None)
@given(x=pos, m=pos, k=st.sampled_from([2.0, 10.0, 0.5, 1e3, 0.125]))
def test_scaling_by_power_of_two_like_factors_keeps_class(x, m, k):
    a = interdependence(table([x], [m]), focal="CHN").iloc[0]
    b = interdependence(table([k * x], [k * m]), focal="CHN").iloc[0]
    assert b["gl"] == pytest.approx(a["gl"], rel=1e-12, abs=1e-15)
    if min(abs(a["gl"] - t) for t in (0.2, 0.5)) > 1e-9:
        assert a["dependence_class"] == b["dependence_class"]


@pytest.mark.parametrize(
    ("x", "m", "cls"),
    [
        (9.0, 1.0, "partner_high"),  # GL = 0.2 exactly: GL <= 0.2 is high
        (1.0, 9.0, "focal_high"),
        (3.0, 1.0, "partner_low"),  # GL = 0.5 exactly: GL >= 0.5 is low
        (1.0, 3.0, "focal_low"),
        (90.0, 10.0, "partner_high"),
        (30.0, 10.0, "partner_low"),
    ],
)
def test_thresholds_exactly_at_boundaries(x, m, cls):
    assert interdependence(table([x], [m]), focal="CHN").iloc[0]["dependence_class"] == cls


@settings(max_examples=60, deadline=None)
@given(xs=st.lists(pos, min_size=1, max_size=5))
def test_shares_sum_to_100_and_hhi_in_unit_interval(xs):
    f = table(xs, [0.0] * len(xs))
    sh = partner_shares(f, focal="CHN", flow="export")
    assert sh["share_pct"].sum() == pytest.approx(100.0)
    s = trade_summary(f, focal="CHN", top=5)
    r = s[s["flow"] == "export"].iloc[0]
    assert 0 < r["hhi"] <= 1 + 1e-12
    assert r["hhi_10000"] == pytest.approx(1e4 * r["hhi"])
    assert r["hhi"] >= 1 / len(xs) - 1e-12  # equal shares give the minimum 1/n
    assert r["top_share_sum_pct"] == pytest.approx(100.0)


@settings(max_examples=25, deadline=None)
@given(vals=st.lists(val, min_size=12, max_size=12))
def test_all_pairs_agree_with_focal_view(vals):
    # 4 economies, all 12 ordered export flows; each country's focal view from the
    # same data (its exports + mirrored imports) must equal its rows of the pair table
    codes = ["AAA", "BBB", "CCC", "DDD"]
    pairs_ij = [(i, j) for i in codes for j in codes if i != j]
    f = pd.DataFrame(
        [(2020, i, j, "export", "850760", v) for (i, j), v in zip(pairs_ij, vals, strict=True)],
        columns=COLS,
    )
    p = pair_interdependence(f)
    f = f[f["value_usd"] > 0]
    for c in codes:
        own = f[f["reporter_iso3"] == c]
        if own.empty and not (f["partner_iso3"] == c).any():
            assert (p["iso3"] != c).all()
            continue
        inbound = f[f["partner_iso3"] == c]
        mirrored = inbound.assign(
            reporter_iso3=c, partner_iso3=inbound["reporter_iso3"], flow="import"
        )
        view = interdependence(pd.concat([own, mirrored]), focal=c)
        mine = p[p["iso3"] == c].reset_index(drop=True)
        assert mine["partner_iso3"].tolist() == view["partner_iso3"].tolist()
        np.testing.assert_allclose(mine["exports"], view["exports"])
        np.testing.assert_allclose(mine["imports"], view["imports"])
        np.testing.assert_allclose(mine["gl"], view["gl"])
        assert mine["dependence_class"].tolist() == view["dependence_class"].tolist()
