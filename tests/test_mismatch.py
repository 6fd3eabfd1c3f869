"""geotrade.mismatch against independent references (segregation, esda, hand computation)."""

from __future__ import annotations

import warnings

# esda's first Moran_Local call compiles its numba kernels (tens of seconds on a busy
# machine); the geotrade functions themselves run in well under a second.
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotrade.errors import ValidationError
from geotrade.mismatch import (
    NBS_REGIONS,
    bh_threshold,
    bivariate_local_moran,
    dissimilarity,
    gini,
    lisa,
    local_moran,
    moran,
    smi,
    spatial_weights,
    theil,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:The alternative hypothesis for conditional randomization:DeprecationWarning"
)


@pytest.fixture(scope="module")
def pref():
    """Demo prefecture table joined to the prefecture polygons (synthetic values)."""
    from geotrade.boundaries import china_prefectures
    from geotrade.metrics.recycling import prefecture_matching
    from geotrade.synthetic.recycling import read_demo

    m = prefecture_matching(read_demo("prefectures")).drop(columns=["name"])
    g = china_prefectures()
    return g.merge(m, on="adcode", how="inner").reset_index(drop=True)


# --------------------------------------------------------------------------- SMI


def test_smi_equals_segregation_dissim() -> None:
    from segregation.singlegroup import Dissim

    rng = np.random.default_rng(5)
    a = rng.gamma(2.0, 10.0, 40)
    b = rng.gamma(1.0, 3.0, 40)
    # Dissim = Σ tᵢ|pᵢ − P| / (2TP(1−P)) with pᵢ = aᵢ/tᵢ. With tᵢ = aᵢ + bᵢ·A/B (b rescaled
    # to the total of a) it equals ½Σ|aᵢ/A − bᵢ/B| exactly.
    df = pd.DataFrame({"a": a, "t": a + b * a.sum() / b.sum()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = Dissim(df, group_pop_var="a", total_pop_var="t").statistic
    assert dissimilarity(a, b) == pytest.approx(ref, rel=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 1e6), st.floats(0, 1e6)), min_size=1, max_size=30).filter(
        lambda r: sum(x for x, _ in r) > 1e-3 and sum(y for _, y in r) > 1e-3
    )
)
def test_smi_bounds_and_symmetry(rows: list[tuple[float, float]]) -> None:
    a = [x for x, _ in rows]
    b = [y for _, y in rows]
    d = dissimilarity(a, b)
    assert -1e-12 <= d <= 1 + 1e-12
    assert d == pytest.approx(dissimilarity(b, a), abs=1e-12)


def test_smi_decomposition_and_seed() -> None:
    a = np.array([10.0, 5, 5, 1, 1, 8])
    b = np.array([2.0, 2, 6, 4, 4, 2])
    regions = ["E", "E", "C", "W", "W", "E"]
    r1 = smi(a, b, regions=regions, permutations=199, bootstrap=199, seed=7)
    r2 = smi(a, b, regions=regions, permutations=199, bootstrap=199, seed=7)
    assert r1.regions["contribution"].sum() == pytest.approx(r1.index)
    # hand: shares a = [10,5,5,1,1,8]/30, b = [2,2,6,4,4,2]/20
    by_hand = 0.5 * sum(abs(x / 30 - y / 20) for x, y in zip(a, b, strict=True))
    assert r1.index == pytest.approx(by_hand)
    east = [0, 1, 5]
    assert r1.regions.loc["E", "contribution"] == pytest.approx(
        0.5 * sum(abs(a[i] / 30 - b[i] / 20) for i in east)
    )
    assert r1.bootstrap_interval == r2.bootstrap_interval
    assert r1.seed == 7
    lo, hi = r1.bootstrap_interval
    assert 0 <= lo <= hi <= 1
    assert 0 < r1.p_lower <= 1


def test_smi_rejects_bad_input() -> None:
    with pytest.raises(ValidationError):
        smi([1, -1], [1, 1])
    with pytest.raises(ValidationError):
        smi([0, 0], [1, 1])


# --------------------------------------------------------------------------- Theil, Gini


def test_theil_by_hand_and_decomposition() -> None:
    y = np.array([1.0, 3.0, 2.0, 6.0])
    g = ["a", "a", "b", "b"]
    mu = y.mean()
    total = np.mean(y / mu * np.log(y / mu))
    r = theil(y, groups=g)
    assert r.total == pytest.approx(total, rel=1e-12)
    mua, mub = 2.0, 4.0
    sa, sb = 4 / 12, 8 / 12
    between = sa * np.log(mua / mu) + sb * np.log(mub / mu)
    ta = np.mean(y[:2] / mua * np.log(y[:2] / mua))
    tb = np.mean(y[2:] / mub * np.log(y[2:] / mub))
    assert r.between == pytest.approx(between, rel=1e-12)
    assert r.within == pytest.approx(sa * ta + sb * tb, rel=1e-12)
    assert r.total == pytest.approx(r.between + r.within, rel=1e-12)


def test_weighted_theil_is_kl_divergence() -> None:
    a = np.array([4.0, 1.0, 5.0])
    b = np.array([1.0, 1.0, 8.0])
    s, d = b / b.sum(), a / a.sum()
    assert theil(b / a, weights=a).total == pytest.approx(np.sum(s * np.log(s / d)))


def test_gini_by_hand() -> None:
    y = np.array([3.0, 1.0, 7.0, 2.0, 2.0])
    n = len(y)
    ref = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * y.mean())
    assert gini(y) == pytest.approx(ref, rel=1e-12)
    w = np.array([1.0, 2.0, 1.0, 3.0, 1.0])
    mu = (w * y).sum() / w.sum()
    ref_w = (w[:, None] * w[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (
        2 * w.sum() ** 2 * mu
    )
    assert gini(y, weights=w) == pytest.approx(ref_w, rel=1e-12)
    # integer weights = repeated observations
    assert gini(y, weights=w) == pytest.approx(gini(np.repeat(y, w.astype(int))), rel=1e-12)


# --------------------------------------------------------------------------- Moran / LISA


@pytest.mark.china
def test_weights_islands_are_hainan(pref) -> None:
    w = spatial_weights(pref, id_column="adcode")
    assert set(w.islands) == {"460100", "460200", "460300", "460400"}
    m = w.matrix()
    np.testing.assert_allclose(m.sum(axis=1), 1.0)
    assert np.array_equal(m > 0, (m > 0).T)  # symmetric links


@pytest.mark.china
def test_moran_vs_esda(pref) -> None:
    import esda

    sub = pref[pref["share_ratio"].notna()].reset_index(drop=True)
    w = spatial_weights(sub, id_column="adcode")
    y = sub["share_ratio"].to_numpy()
    ours = moran(y, w, permutations=999, seed=1)
    ref = esda.Moran(y, w.to_libpysal(), permutations=999)
    assert ours.i == pytest.approx(ref.I, rel=1e-10)
    assert ours.expected_i == pytest.approx(ref.EI)
    assert abs(ours.p_sim - ref.p_sim) < 0.02


@pytest.mark.china
def test_local_moran_vs_esda(pref) -> None:
    import esda

    sub = pref[pref["share_ratio"].notna()].reset_index(drop=True)
    w = spatial_weights(sub, id_column="adcode")
    y = sub["share_ratio"].to_numpy()
    # 9999 draws: every unit shares the same random draws (in esda too), so with 999 the
    # errors are correlated across units and the mean difference is itself noisy
    ours = local_moran(y, w, permutations=9999, seed=3, correction="none")
    ref = esda.Moran_Local(y, w.to_libpysal(), permutations=9999, seed=3)
    np.testing.assert_allclose(ours.table["local_i"], ref.Is, rtol=1e-10)
    quad = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert ours.table["quadrant"].tolist() == [quad[int(q)] for q in ref.q]
    diff = np.abs(ours.table["p_sim"].to_numpy() - ref.p_sim)
    # permutation noise only: the SE of one p-value near 0.5 is 0.016 with 999 draws
    assert diff.max() < 0.1
    assert diff.mean() < 0.01
    # significance agrees wherever the p-value is not close to alpha
    clear = np.abs(ref.p_sim - 0.05) > 0.03
    np.testing.assert_array_equal(
        ours.table["significant"].to_numpy()[clear], (ref.p_sim <= 0.05)[clear]
    )


@pytest.mark.china
def test_bivariate_local_moran_vs_esda(pref) -> None:
    import esda

    w = spatial_weights(pref, id_column="adcode")
    x = pref["volume_share"].to_numpy()
    y = pref["outlet_share"].to_numpy()
    ours = bivariate_local_moran(x, y, w, permutations=9999, seed=4, correction="none")
    ref = esda.Moran_Local_BV(x, y, w.to_libpysal(), permutations=9999, seed=4)
    np.testing.assert_allclose(ours.table["local_i"], ref.Is, rtol=1e-10)
    quad = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert ours.table["quadrant"].tolist() == [quad[int(q)] for q in ref.q]
    diff = np.abs(ours.table["p_sim"].to_numpy() - ref.p_sim)
    assert diff.max() < 0.05  # largest of 338 correlated permutation errors
    assert diff.mean() < 0.006


def test_fdr_vs_esda() -> None:
    import esda

    p = np.random.default_rng(2).uniform(0, 0.2, 50) ** 2
    assert bh_threshold(p, 0.05) == pytest.approx(esda.fdr(p, 0.05))
    none = np.full(10, 0.5)
    assert bh_threshold(none, 0.05) == pytest.approx(esda.fdr(none, 0.05))
    # hand: sorted p (0.001, 0.01, 0.03, 0.2) vs 0.05·k/4 = (0.0125, 0.025, 0.0375, 0.05)
    assert bh_threshold([0.2, 0.03, 0.001, 0.01], 0.05) == pytest.approx(0.0375)


@pytest.mark.china
def test_lisa_reports_nan_and_islands(pref) -> None:
    r = lisa(pref, "share_ratio", id_column="adcode", permutations=99, seed=1)
    nan = set(pref.loc[pref["share_ratio"].isna(), "adcode"])
    assert set(r.nan_units) == nan
    assert len(nan) == 11
    assert r.table.loc[r.table["id"].isin(nan), "lisa_cluster"].isna().all()
    assert "460100" in r.islands  # Hainan, linked by k-nearest neighbours
    assert set(r.table["lisa_cluster"].dropna()) <= {"HH", "LL", "LH", "HL", "ns"}


@pytest.mark.china
def test_same_seed_same_result(pref) -> None:
    sub = pref[pref["share_ratio"].notna()].reset_index(drop=True)
    w = spatial_weights(sub, id_column="adcode")
    y = sub["share_ratio"].to_numpy()
    a = local_moran(y, w, permutations=99, seed=9).table["p_sim"]
    b = local_moran(y, w, permutations=99, seed=9).table["p_sim"]
    pd.testing.assert_series_equal(a, b)


@pytest.mark.china
def test_nan_rejected_by_low_level_functions(pref) -> None:
    w = spatial_weights(pref, id_column="adcode")
    with pytest.raises(ValidationError, match="missing"):
        moran(pref["share_ratio"].to_numpy(), w)


def test_nbs_regions_cover_31_provinces() -> None:
    from collections import Counter

    assert Counter(NBS_REGIONS.values()) == {"east": 10, "central": 6, "west": 12, "northeast": 3}


# --------------------------------------------------------------------------- province metrics


def test_ols_and_pearson_vs_statsmodels_scipy() -> None:
    import statsmodels.api as sm
    from scipy import stats

    from geotrade.metrics.recycling import capital_whitelist_correlation, ratio_summary
    from geotrade.synthetic.recycling import read_demo

    prov = read_demo("provinces")
    s = ratio_summary(prov, year=2025)
    p = prov[(prov["year"] == 2025) & (prov["capacity_t"] > 0)]
    y = p["retired_t"] / p["capacity_t"]
    fit = sm.OLS(y.to_numpy(), sm.add_constant(p["capacity_t"].to_numpy() / 1e4)).fit()
    assert s.ols.slope == pytest.approx(fit.params[1], rel=1e-10)
    assert s.ols.t_slope == pytest.approx(fit.tvalues[1], rel=1e-10)
    assert s.ols.r_squared == pytest.approx(fit.rsquared, rel=1e-10)
    assert s.ols.n == 24
    c = capital_whitelist_correlation(prov, year=2025)
    q = prov[prov["year"] == 2025]
    ref = stats.pearsonr(q["registered_capital_cny"], q["whitelist_firms"])
    assert c.r == pytest.approx(ref.statistic, rel=1e-12)
    assert c.p == pytest.approx(ref.pvalue, rel=1e-10)
    assert round(c.r, 2) == -0.03  # the seed's published figure
