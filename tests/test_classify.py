"""Tests of geotrade.classification: exact Fisher–Jenks against ckwrap/jenkspy, other schemes
against hand computation or mapclassify, labels, no-data handling and property tests."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

# reference implementations (test extras); a missing one must fail the suite, not skip it
import ckwrap
import jenkspy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotrade._fisher_jenks import c_kernel_available, fisher_jenks_classes, numba_available
from geotrade.classification import (
    SCHEMES,
    Classification,
    classify,
    classify_pooled,
    pretty_breaks,
)
from geotrade.errors import ClassificationError
from geotrade.style.classed import graduated_style

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mapclassify


# --------------------------------------------------------------------------- helpers


def sse(x, labels, w=None):
    """Within-class (weighted) sum of squares, two-pass per class."""
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=float)
    total = 0.0
    for c in np.unique(labels):
        m = labels == c
        xc, wc = x[m], w[m]
        d = xc - np.sum(wc * xc) / np.sum(wc)  # exact for large offsets (Sterbenz)
        d = d - np.sum(wc * d) / np.sum(wc)  # second pass
        total += float(np.sum(wc * d * d))
    return total


def tss(x, w=None):
    return sse(x, np.zeros(len(x), dtype=int), w)


def jenkspy_labels(x, k):
    br = np.asarray(jenkspy.jenks_breaks(x, n_classes=k), dtype=float)
    return np.searchsorted(br[1:-1], x, side="left")


def make_case(rng, i):
    """Random test case number i: (x, k). Mostly small n; ties, offsets, clusters."""
    kind = i % 6
    n = int(rng.integers(2, 400)) if i % 10 else int(rng.integers(400, 3000))
    k = int(rng.integers(2, 9))
    if kind == 0:
        x = rng.lognormal(0, 1, n)
    elif kind == 1:
        x = rng.normal(0, 1, n)
    elif kind == 2:  # many ties
        x = rng.integers(0, int(rng.integers(3, 30)), n).astype(float)
    elif kind == 3:  # tiny spread at a large offset
        x = 1e9 + rng.normal(0, 1e-3, n)
    elif kind == 4:  # clusters with some repeated values
        centers = rng.uniform(0, 100, k)
        x = np.round(rng.choice(centers, n) + rng.normal(0, 2, n), 1)
    else:  # large offset with structure
        x = 1e9 + np.round(rng.exponential(50, n), 2)
    x = rng.permutation(x)
    k = max(1, min(k, np.unique(x).size, n))
    return x, k


# --------------------------------------------------------------------------- Fisher–Jenks


CASES = 240


@pytest.mark.parametrize("backend", ["numpy", "numba", "c"])
def test_fisher_jenks_matches_ckwrap_and_jenkspy(backend):
    if backend == "numba" and not numba_available():
        pytest.fail(
            "numba is a geotrade dependency but cannot be imported; reinstall with make test"
        )
    if backend == "c" and not c_kernel_available():
        pytest.fail("the C kernel was not built at install (hatch_build.py); reinstall")
    rng = np.random.default_rng(20240601)
    compared_jenkspy = 0
    jenkspy_worse = 0
    for i in range(CASES):
        x, k = make_case(rng, i)
        r = classify(x, k=k, backend=backend)
        assert r.k == k, (i, r.warnings)
        ours = sse(x, r.yb)
        assert r.sse == pytest.approx(ours, rel=1e-9, abs=1e-12 * tss(x))
        scale = 1e-9 * tss(x)
        ck = ckwrap.ckmeans(x, k)
        assert ours == pytest.approx(sse(x, ck.labels), rel=1e-9, abs=scale), i
        if x.size <= 2000:
            compared_jenkspy += 1
            jk = sse(x, jenkspy_labels(x, k))
            if i % 6 in (3, 5):
                # values near 1e9: jenkspy accumulates raw squares (~1e18) and loses
                # precision, so it can return a worse partition; never a better one.
                assert ours <= jk * (1 + 1e-9) + scale, i
                jenkspy_worse += ours < jk * (1 - 1e-9)
            else:
                assert ours == pytest.approx(jk, rel=1e-9, abs=scale), i
    assert compared_jenkspy >= 200
    assert jenkspy_worse > 0  # documents the jenkspy precision problem


def test_fisher_jenks_large_n_matches_ckwrap():
    rng = np.random.default_rng(7)
    for n, data in [
        (10_000, rng.lognormal(0, 1, 10_000)),
        (100_000, rng.lognormal(0, 1, 100_000)),
        (100_000, 1e9 + rng.normal(0, 1, 100_000)),
    ]:
        r = classify(data, k=6)
        ck = ckwrap.ckmeans(data, 6)
        assert r.counts.sum() == n
        assert sse(data, r.yb) == pytest.approx(sse(data, ck.labels), rel=1e-9)


def test_numba_and_numpy_backends_agree():
    if not numba_available():
        pytest.fail(
            "numba is a geotrade dependency but cannot be imported; reinstall with make test"
        )
    rng = np.random.default_rng(3)
    for _ in range(30):
        x = rng.lognormal(0, 1, int(rng.integers(20, 3000)))
        k = int(rng.integers(2, 10))
        a = classify(x, k=k, backend="numpy")
        b = classify(x, k=k, backend="numba")
        np.testing.assert_array_equal(a.bins, b.bins)
        np.testing.assert_array_equal(a.yb, b.yb)
        if c_kernel_available():
            c = classify(x, k=k, backend="c")
            np.testing.assert_array_equal(a.bins, c.bins)
            np.testing.assert_array_equal(a.yb, c.yb)


def test_c_kernel_is_built_and_used_by_auto():
    """The install compiles geotrade/_fj_kernel.so; auto then needs no numba import."""
    assert c_kernel_available(), "C kernel missing: reinstall geotrade (make test does)"
    code = (
        "import sys, numpy as np\n"
        "from geotrade.classification import classify\n"
        "x = np.random.default_rng(5).lognormal(size=400_000)\n"
        "r = classify(x, k=5)\n"
        "print(repr(r.sse), 'numba' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    sse_txt, numba_loaded = out.stdout.split()
    x = np.random.default_rng(5).lognormal(size=400_000)
    assert float(sse_txt) == pytest.approx(sse(x, ckwrap.ckmeans(x, 5).labels), rel=1e-9)
    assert numba_loaded == "False"


def test_c_kernel_can_be_disabled():
    env = dict(os.environ, GEOTRADE_DISABLE_C_KERNEL="1")
    code = "from geotrade._fisher_jenks import c_kernel_available; print(c_kernel_available())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_numpy_fallback_when_numba_cannot_be_imported():
    code = (
        "import sys; sys.modules['numba'] = None\n"
        "import numpy as np\n"
        "from geotrade._fisher_jenks import numba_available\n"
        "from geotrade.classification import classify\n"
        "assert not numba_available()\n"
        "x = np.random.default_rng(1).lognormal(size=200_000)\n"
        "r = classify(x, k=5)\n"
        "print(repr(r.sse))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    x = np.random.default_rng(1).lognormal(size=200_000)
    assert float(out.stdout.strip()) == pytest.approx(sse(x, ckwrap.ckmeans(x, 5).labels), rel=1e-9)


def test_numba_backend_disabled_by_environment():
    env = dict(os.environ, GEOTRADE_DISABLE_NUMBA="1")
    code = "from geotrade._fisher_jenks import numba_available; print(numba_available())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_offset_clusters_peers_case():
    """peers.md: 5 clusters of 60 points N(c*1000, 50) + 1e9 (mapclassify float32 fails)."""
    rng = np.random.default_rng(42)
    clusters = [rng.normal(c * 1000, 50, 60) + 1e9 for c in range(5)]
    x = rng.permutation(np.concatenate(clusters))
    backends = ["numpy", *(["numba"] if numba_available() else []),
                *(["c"] if c_kernel_available() else [])]  # fmt: skip
    for backend in backends:
        r = classify(x, k=5, backend=backend)
        np.testing.assert_array_equal(r.counts, [60] * 5)
        np.testing.assert_array_equal(r.bins, [c.max() for c in clusters])
        assert r.lower == min(c.min() for c in clusters)
        assert r.gvf > 0.99


def test_weighted_matches_ckwrap_weighted():
    rng = np.random.default_rng(11)
    for i in range(40):
        n = int(rng.integers(10, 800))
        x = rng.lognormal(0, 1, n) if i % 2 else rng.integers(0, 40, n).astype(float)
        w = rng.uniform(0.1, 10, n)
        k = int(min(rng.integers(2, 7), np.unique(x).size))
        r = classify(x, k=k, weights=w)
        ck = ckwrap.ckmeans(x, k, weights=w)
        ours = sse(x, r.yb, w)
        assert r.sse == pytest.approx(ours, rel=1e-9)
        assert ours == pytest.approx(sse(x, ck.labels, w), rel=1e-9, abs=1e-9 * tss(x, w))


def test_weights_change_the_optimum():
    x = np.array([0.0, 1.0, 2.0, 10.0])
    assert classify(x, k=2).bins.tolist() == [2.0, 10.0]
    # weights 50, 1, 50, 1: {0, 1 | 2, 10} has SSE 0.98 + 62.8 = 63.8 (means 1/51, 110/51)
    # while {0, 1, 2 | 10} has 50 * 1 + 0 + 50 * 1 = 100 (mean 1)
    r = classify(x, k=2, weights=[50, 1, 50, 1])
    assert r.bins.tolist() == [1.0, 10.0]
    assert r.sse == pytest.approx(
        50 * (1 / 51) ** 2 + (50 / 51) ** 2 + 50 * (2 - 110 / 51) ** 2 + (10 - 110 / 51) ** 2
    )


def test_ties_are_never_split():
    x = np.array([1, 1, 1, 2, 2, 2, 2, 3, 3, 50, 50, 51], dtype=float)
    r = classify(x, k=3)
    for v in np.unique(x):
        assert np.unique(r.yb[x == v]).size == 1


def test_k_larger_than_distinct_values_is_reduced_with_a_warning():
    r = classify([1, 1, 2, 2, 3, 3, 3], k=5)
    assert r.k == 3
    assert r.bins.tolist() == [1.0, 2.0, 3.0]
    assert r.counts.tolist() == [2, 2, 3]
    assert len(r.warnings) == 1
    assert "k=5" in r.warnings[0]
    assert "3 distinct" in r.warnings[0]
    single = classify([4.0, 4.0], k=3)
    assert single.k == 1
    assert single.gvf == 1.0
    assert single.tai == 1.0


def test_fisher_jenks_left_closure_keeps_the_optimal_partition():
    x = np.array([1.0, 2.0, 3.0, 10.0, 11.0, 20.0])
    right = classify(x, k=3)
    left = classify(x, k=3, closed="left")
    np.testing.assert_array_equal(right.yb, left.yb)
    assert right.bins.tolist() == [3.0, 11.0, 20.0]
    assert left.bins.tolist() == [10.0, 20.0, 20.0]
    assert left.lower_bounds.tolist() == [1.0, 10.0, 20.0]


def test_kernel_returns_distinct_values_and_starts():
    u, starts, wsum = fisher_jenks_classes(np.array([5.0, 1.0, 1.0, 9.0]), 2, backend="numpy")
    assert u.tolist() == [1.0, 5.0, 9.0]
    assert wsum.tolist() == [2.0, 1.0, 1.0]
    assert starts.tolist() == [0, 1] or starts.tolist() == [0, 2]


# --------------------------------------------------------------------------- missing values


def test_nan_goes_to_an_explicit_no_data_class():
    x = [3.0, np.nan, 1.0, None, 2.0, 10.0]
    r = classify(x, k=2)
    assert r.yb.tolist() == [0, -1, 0, -1, 0, 1]
    assert r.nodata_count == 2
    assert r.counts.tolist() == [3, 1]
    assert r.n == 4
    assert r.labels(nodata=True)[-1] == "No data"
    assert r.labels(nodata=True, lang="zh")[-1] == "无数据"
    assert r.labels(nodata=True, lang="both")[-1] == "No data / 无数据"
    assert r.find_bin([np.nan, 2.0]).tolist() == [-1, 0]


def test_all_nan_and_bad_input_raise_clear_errors():
    with pytest.raises(ClassificationError, match="no non-missing"):
        classify([np.nan, np.nan])
    with pytest.raises(ClassificationError, match="infinite"):
        classify([1.0, np.inf])
    with pytest.raises(ClassificationError, match="one-dimensional"):
        classify(np.ones((2, 2)))
    with pytest.raises(ClassificationError, match="cannot be converted"):
        classify(["a", "b"])
    with pytest.raises(ClassificationError, match="scheme must be one of"):
        classify([1.0, 2.0], scheme="natural_breaks")
    with pytest.raises(ClassificationError, match="positive integer"):
        classify([1.0, 2.0], k=0)
    with pytest.raises(ClassificationError, match="closed must be"):
        classify([1.0, 2.0], closed="both")
    with pytest.raises(ClassificationError, match="only used by scheme='user_defined'"):
        classify([1.0, 2.0], bins=[1.5])
    with pytest.raises(ClassificationError, match="only supported by scheme='fisher_jenks'"):
        classify([1.0, 2.0], scheme="quantiles", weights=[1, 1])
    with pytest.raises(ClassificationError, match="positive"):
        classify([1.0, 2.0], weights=[1, 0])
    with pytest.raises(ClassificationError, match="strictly ascending"):
        classify([1.0, 2.0], scheme="user_defined", bins=[2.0, 1.0])


def test_scheme_names_are_normalised():
    x = [1.0, 2.0, 3.0, 4.0]
    for name in ("Fisher-Jenks", "FisherJenks", "jenks", "fisher jenks"):
        assert classify(x, k=2, scheme=name).scheme == "fisher_jenks"
    assert classify(x, k=2, scheme="BoxPlot").scheme == "box_plot"
    assert classify(x, k=2, scheme="EqualInterval").scheme == "equal_interval"


# --------------------------------------------------------------------------- fit statistics


def test_gvf_and_tai_by_hand():
    r = classify([1, 2, 3, 10, 11, 12], k=2)
    assert r.bins.tolist() == [3.0, 12.0]
    # class means 2 and 11; overall mean 6.5
    assert r.sse == pytest.approx(4.0)
    assert r.gvf == pytest.approx(1 - 4.0 / 125.5)
    assert r.tai == pytest.approx(1 - 4.0 / 27.0)


def test_weighted_gvf_by_hand():
    r = classify([0.0, 1.0, 10.0], k=2, weights=[3.0, 1.0, 1.0])
    # classes {0 (w3), 1 (w1)} mean 0.25; {10}; overall weighted mean 11/5 = 2.2
    sdcm = 3 * 0.25**2 + 0.75**2
    sdam = 3 * 2.2**2 + 1.2**2 + 7.8**2
    assert r.gvf == pytest.approx(1 - sdcm / sdam)
    adcm = 3 * 0.25 + 0.75
    adam = 3 * 2.2 + 1.2 + 7.8
    assert r.tai == pytest.approx(1 - adcm / adam)


# --------------------------------------------------------------------------- other schemes


@pytest.fixture
def skewed():
    rng = np.random.default_rng(5)
    return np.concatenate([rng.lognormal(3, 1, 300), [0.01, 2000.0]])


def _mc(cls, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(*args, **kw)


def test_quantiles_match_mapclassify(skewed):
    for k in (2, 4, 5, 7):
        r = classify(skewed, k=k, scheme="quantiles")
        ref = _mc(mapclassify.Quantiles, skewed, k=k)
        np.testing.assert_allclose(r.bins, ref.bins, rtol=1e-12)
        np.testing.assert_array_equal(r.yb, ref.yb)


def test_quantiles_with_ties_reduce_k():
    r = classify([0, 0, 0, 0, 0, 0, 1, 2], k=4, scheme="quantiles")
    assert r.bins.tolist() == [0.0, 0.25, 2.0]
    assert r.k == 3
    assert "coincided" in r.warnings[0]
    left = classify([0, 0, 0, 0, 0, 0, 1, 2], k=4, scheme="quantiles", closed="left")
    assert left.bins.tolist() == [0.25, 2.0]
    assert left.counts.tolist() == [6, 2]


def test_equal_interval_matches_mapclassify_and_hand(skewed):
    r = classify(skewed, k=5, scheme="equal_interval")
    ref = _mc(mapclassify.EqualInterval, skewed, k=5)
    np.testing.assert_allclose(r.bins, ref.bins, rtol=1e-12)
    np.testing.assert_array_equal(r.yb, ref.yb)
    h = classify([0.0, 1.0, 4.0], k=4, scheme="equal_interval")
    assert h.bins.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert h.counts.tolist() == [2, 0, 0, 1]


def test_box_plot_matches_mapclassify_when_both_outlier_classes_exist(skewed):
    x = np.concatenate([skewed, [-500.0]])
    r = classify(x, scheme="box_plot")
    ref = _mc(mapclassify.BoxPlot, x)
    np.testing.assert_allclose(r.bins, ref.bins, rtol=1e-12)
    np.testing.assert_array_equal(r.yb, ref.yb)
    assert r.params["low_outlier_class"]
    assert r.params["high_outlier_class"]


def test_box_plot_without_low_outliers_has_no_empty_class(skewed):
    r = classify(skewed, scheme="box_plot")
    ref = _mc(mapclassify.BoxPlot, skewed)
    assert ref.counts[0] == 0  # mapclassify keeps an empty low-outlier class
    assert r.k == 5
    assert not r.params["low_outlier_class"]
    np.testing.assert_allclose(r.bins, ref.bins[1:], rtol=1e-12)
    np.testing.assert_array_equal(r.yb, ref.yb - 1)


def test_head_tail_breaks_match_mapclassify(skewed):
    r = classify(skewed, scheme="head_tail_breaks")
    ref = _mc(mapclassify.HeadTailBreaks, skewed)
    np.testing.assert_allclose(r.bins, ref.bins, rtol=1e-12)
    np.testing.assert_array_equal(r.yb, ref.yb)
    assert r.bins[-1] == skewed.max()


def test_head_tail_breaks_by_hand():
    x = np.array([1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 10.0, 40.0])
    # mean 7.375 -> head {10, 40}, mean 25 -> head {40}, mean 40
    r = classify(x, scheme="head_tail_breaks")
    assert r.bins.tolist() == [7.375, 25.0, 40.0]
    assert r.counts.tolist() == [6, 1, 1]


def test_std_mean_matches_mapclassify():
    rng = np.random.default_rng(9)
    x = rng.normal(10, 2, 500)
    r = classify(x, scheme="std_mean")
    ref = _mc(mapclassify.StdMean, x)
    np.testing.assert_allclose(r.bins, ref.bins, rtol=1e-12)
    np.testing.assert_array_equal(r.yb, ref.yb)
    mean, sd = x.mean(), x.std(ddof=1)
    b = classify(x, scheme="std_mean", anchor="break")
    np.testing.assert_allclose(b.bins[:-1], mean + sd * np.array([-2, -1, 0, 1, 2]))


def test_std_mean_drops_breaks_outside_the_data():
    x = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0])
    r = classify(x, scheme="std_mean")
    # mean 1, sd 10/sqrt(10) = 3.1623: -2, -1 sd are below the minimum
    assert r.bins.tolist() == pytest.approx([1 + np.sqrt(10), 1 + 2 * np.sqrt(10), 10.0])
    assert "dropped" in r.warnings[0]


def test_pretty_matches_r():
    # R: pretty(1:10) and pretty(c(0, 1)) as documented; the others hand-traced through
    # R_pretty (src/appl/pretty.c) with R's defaults
    assert pretty_breaks(0, 97).tolist() == [0, 20, 40, 60, 80, 100]
    assert pretty_breaks(1, 10).tolist() == [0, 2, 4, 6, 8, 10]
    assert pretty_breaks(0, 1).tolist() == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert pretty_breaks(-3.2, 7.7).tolist() == [-4, -2, 0, 2, 4, 6, 8]
    assert pretty_breaks(0.013, 0.087).tolist() == [0.0, 0.02, 0.04, 0.06, 0.08, 0.1]
    assert pretty_breaks(1234, 98765).tolist() == [0, 20000, 40000, 60000, 80000, 100000]


def test_pretty_scheme_uses_round_inner_breaks():
    r = classify([3.0, 15.0, 47.0, 97.0], scheme="pretty")
    assert r.bins.tolist() == [20.0, 40.0, 60.0, 80.0, 97.0]
    assert r.lower == 3.0
    assert r.counts.tolist() == [2, 0, 1, 0, 1]


def test_user_defined():
    r = classify([1.0, 5.0, 7.0, 12.0], scheme="user_defined", bins=[5, 10])
    assert r.bins.tolist() == [5.0, 10.0, 12.0]
    assert r.counts.tolist() == [2, 1, 1]
    assert "added" in r.warnings[0]
    ref = _mc(mapclassify.UserDefined, [1.0, 5.0, 7.0, 12.0], bins=[5, 10])
    np.testing.assert_array_equal(r.bins, ref.bins)
    np.testing.assert_array_equal(r.yb, ref.yb)
    fixed = classify([1.0, 2.0], scheme="user_defined", bins=[0.5, 1.5, 3.0])
    assert fixed.lower == 0.5
    assert fixed.counts.tolist() == [0, 1, 1]


def test_symmetric_equal_and_quantile_spread():
    x = np.array([-0.8, -0.1, 0.2, 0.5])
    r = classify(x, k=4, scheme="symmetric")
    assert r.bins.tolist() == pytest.approx([-0.4, 0.0, 0.4, 0.8])
    assert r.lower == pytest.approx(-0.8)
    odd = classify(x, k=5, scheme="symmetric", midpoint=0.0)
    # distances at 1/5, 3/5, 1 of R = 0.8
    assert odd.bins.tolist() == pytest.approx([-0.48, -0.16, 0.16, 0.48, 0.8])
    q = classify(np.array([-4.0, -1.0, 1.0, 2.0, 3.0]), k=2, scheme="symmetric", spread="quantiles")
    assert q.bins.tolist() == [0.0, 4.0]
    assert q.lower == -4.0
    shifted = classify([1.0, 2.0, 5.0], k=2, scheme="symmetric", midpoint=1.0)
    assert shifted.bins.tolist() == [1.0, 5.0]
    assert shifted.lower == -3.0


# --------------------------------------------------------------------------- labels and style


def test_labels_state_the_closure():
    r = classify([0.12, 0.3, 0.45, 0.6, 0.78], scheme="user_defined", bins=[0.45, 0.6])
    assert r.labels() == ["0.12 – 0.45", ">0.45 – 0.60", ">0.60 – 0.78"]
    assert r.labels(style="interval") == ["[0.12, 0.45]", "(0.45, 0.60]", "(0.60, 0.78]"]
    left = classify(
        [0.12, 0.3, 0.45, 0.6, 0.78], scheme="user_defined", bins=[0.45, 0.6], closed="left"
    )
    assert left.labels() == ["0.12 – <0.45", "0.45 – <0.60", "0.60 – 0.78"]
    assert left.labels(style="interval") == ["[0.12, 0.45)", "[0.45, 0.60)", "[0.60, 0.78]"]
    assert left.counts.tolist() == [2, 1, 2]
    assert r.labels(fmt="{:.0%}", unit="") == ["12% – 45%", ">45% – 60%", ">60% – 78%"]
    assert r.labels(fmt="{:.1f}", unit="kt")[0] == "0.1 – 0.5 kt"
    assert r.labels(fmt="{:.1f}", unit="%")[0] == "0.1 – 0.5%"
    assert "lower < x ≤ upper" in r.closure_note()
    assert "下限 ≤ x < 上限" in left.closure_note(lang="zh")
    with pytest.raises(ClassificationError, match=r"str\.format"):
        r.labels(fmt="{:.2f} {}")


def test_lower_bounds_and_to_dict():
    r = classify([2.0, 4.0, 6.0, 100.0, np.nan], k=2)
    assert r.lower_bounds.tolist() == [2.0, 6.0]
    d = r.to_dict()
    assert d["bins"] == [6.0, 100.0]
    assert d["nodata_count"] == 1
    assert d["k"] == 2
    assert "Classification(scheme='fisher_jenks', k=2" in repr(r)


def test_graduated_style_agrees_with_the_classification():
    rng = np.random.default_rng(2)
    x = np.append(rng.lognormal(size=200), [np.nan, np.nan])
    for closed in ("right", "left"):
        r = classify(x, k=5, closed=closed)
        s = graduated_style(
            r, field="v", colors=["#1", "#2", "#3", "#4", "#5"], title_en="V", title_zh="值"
        )
        assert s.closed == closed
        assert s.nodata is not None
        assert s.nodata.count == 2
        assert [c.count for c in s.classes] == r.counts.tolist()
        for v, c in zip(x, r.yb, strict=True):
            got = s.class_for_value(float(v))
            want = s.nodata if c < 0 else s.classes[c]
            assert got is want
    with pytest.raises(ClassificationError, match="one colour per class"):
        graduated_style(r, field="v", colors=["#1"], title_en="V", title_zh="值")


# --------------------------------------------------------------------------- pooled


def test_pooled_breaks_are_shared_and_cover_all_layers():
    rng = np.random.default_rng(4)
    years = [rng.lognormal(m, 1, n) for m, n in ((0, 50), (0.5, 80), (1.0, 65))]
    years[1][3] = np.nan
    rs = classify_pooled(years, k=5)
    pooled = np.concatenate(years)
    ref = classify(pooled, k=5)
    for r, y in zip(rs, years, strict=True):
        np.testing.assert_array_equal(r.bins, ref.bins)
        assert r.lower == ref.lower
        assert r.counts.sum() + r.nodata_count == y.size
        assert r.params["pooled_layers"] == 3
    assert rs[1].nodata_count == 1
    total = sum(r.counts for r in rs)
    np.testing.assert_array_equal(total, ref.counts)


def test_pooled_validation():
    with pytest.raises(ClassificationError, match="non-empty list"):
        classify_pooled([])
    with pytest.raises(ClassificationError, match="one array per layer"):
        classify_pooled([[1.0, 2.0], [3.0]], k=2, weights=[[1.0, 1.0]])
    rs = classify_pooled([[1.0, 2.0], [3.0, 4.0]], k=2, weights=[[1.0, 1.0], [1.0, 5.0]])
    assert rs[0].bins.tolist() == rs[1].bins.tolist()


# --------------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
maybe_nan = st.one_of(finite, finite, finite, st.just(float("nan")))
value_lists = st.lists(maybe_nan, min_size=1, max_size=60).filter(lambda v: any(x == x for x in v))
data_schemes = [s for s in SCHEMES if s != "user_defined"]


def check_membership(r: Classification, x: np.ndarray) -> None:
    steps = np.diff(r.bins)
    assert np.all(steps[:-1] > 0), r.bins
    # closed="left" may end with the single-value class [max, max]
    assert steps.size == 0 or steps[-1] > 0 or (r.closed == "left" and steps[-1] == 0), r.bins
    assert r.lower <= r.bins[0]
    ok = ~np.isnan(x)
    assert np.all(r.yb[~ok] == -1)
    assert np.all((r.yb[ok] >= 0) & (r.yb[ok] < r.k))
    assert r.counts.sum() == ok.sum()
    assert r.nodata_count == (~ok).sum()
    lo, hi = r.lower_bounds[r.yb[ok]], r.bins[r.yb[ok]]
    v = x[ok]
    if r.closed == "right":
        inside = ((lo < v) | ((r.yb[ok] == 0) & (v == lo))) & (v <= hi)
    else:
        inside = (lo <= v) & ((v < hi) | ((r.yb[ok] == r.k - 1) & (v == hi)))
    assert inside.all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    values=value_lists,
    k=st.integers(1, 8),
    scheme=st.sampled_from(data_schemes),
    closed=st.sampled_from(["right", "left"]),
)
def test_property_every_value_in_exactly_one_class(values, k, scheme, closed):
    x = np.array(values, dtype=float)
    r = classify(x, k=k, scheme=scheme, closed=closed)
    check_membership(r, x)
    if scheme not in ("symmetric",):
        assert r.lower == np.nanmin(x)
        assert r.bins[-1] == np.nanmax(x)


@settings(max_examples=60, deadline=None)
@given(
    layers=st.lists(value_lists, min_size=1, max_size=4),
    k=st.integers(1, 6),
    scheme=st.sampled_from(["fisher_jenks", "quantiles", "equal_interval", "symmetric"]),
)
def test_property_pooled_breaks_cover_all_inputs(layers, k, scheme):
    xs = [np.array(v, dtype=float) for v in layers]
    rs = classify_pooled(xs, k=k, scheme=scheme)
    for r, x in zip(rs, xs, strict=True):
        np.testing.assert_array_equal(r.bins, rs[0].bins)
        check_membership(r, x)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(finite, min_size=2, max_size=40), k=st.integers(2, 6))
def test_property_fisher_jenks_is_optimal_vs_ckwrap(values, k):
    x = np.array(values)
    k = min(k, np.unique(x).size)
    r = classify(x, k=k)
    ref = sse(x, ckwrap.ckmeans(x, k).labels) if k > 1 else sse(x, np.zeros(x.size, int))
    assert sse(x, r.yb) <= ref * (1 + 1e-9) + 1e-9 * tss(x) + 1e-300
