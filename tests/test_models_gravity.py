"""Fixed-effects gravity: pyfixest vs statsmodels dummies, planted effects, drop reports, maps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geotrade.errors import InputFormatError, ValidationError
from geotrade.models.gravity import fit_gravity
from geotrade.synthetic.panel import NEVER_TRADE, TRUE_CO2, TRUE_PPML, make_panel

PPML_X = list(TRUE_PPML)
CO2_X = ["lct_log", "edu", "lct_log:edu"]


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def ppml(panel):
    return fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True)[0]


@pytest.fixture(scope="module")
def ppml_sm(panel):
    return fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True, backend="statsmodels")[0]


def test_ppml_pyfixest_equals_statsmodels_dummy_glm(ppml, ppml_sm):
    assert ppml.backend == "pyfixest"
    assert ppml_sm.backend == "statsmodels"
    np.testing.assert_allclose(ppml.coefs["coef"], ppml_sm.coefs["coef"], atol=1e-6)
    assert ppml.n == ppml_sm.n
    # same rows dropped for the same reasons
    a = ppml.dropped.sort_values("row")[["row", "reason"]].to_numpy()
    b = ppml_sm.dropped.sort_values("row")[["row", "reason"]].to_numpy()
    assert (a == b).all()
    # cluster-robust SEs agree up to small-sample corrections
    np.testing.assert_allclose(ppml.coefs["se"], ppml_sm.coefs["se"], rtol=0.1)


def test_ppml_recovers_planted_parameters(ppml):
    c = ppml.coefs.set_index("variable")
    for v, true in TRUE_PPML.items():
        assert abs(c.loc[v, "coef"] - true) < 3 * c.loc[v, "se"], v
        if true != 0:
            assert np.sign(c.loc[v, "coef"]) == np.sign(true), v
            assert c.loc[v, "p"] < 0.01, v
    assert abs(c.loc["ev_log", "stat"]) < 2.58  # planted zero


def test_drop_report_reasons_and_counts(panel, ppml):
    n_years = panel["year"].nunique()
    counts = ppml.dropped["reason"].value_counts().to_dict()
    assert counts["no lag"] == panel["partner_iso3"].nunique()  # the first year of everyone
    # never-trading partners: all-zero outcome -> separated by their fixed effect
    assert counts["separation"] == NEVER_TRADE * (n_years - 1)
    sep = set(ppml.dropped.loc[ppml.dropped["reason"] == "separation", "partner_iso3"])
    assert sep == set(panel["partner_iso3"].unique()[-NEVER_TRADE:])
    assert ppml.n + len(ppml.dropped) == len(panel)
    assert any("separation" in m for m in ppml.messages)


def test_ols_drops_zeros_and_equals_statsmodels(panel):
    a = fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True, method="ols")[0]
    b = fit_gravity(
        panel, y="lct_imports", x=PPML_X, lag=True, method="ols", backend="statsmodels"
    )[0]
    np.testing.assert_allclose(a.coefs["coef"], b.coefs["coef"], atol=1e-6)
    first = panel["year"].min()
    n_zero = int(((panel["lct_imports"] == 0) & (panel["year"] > first)).sum())
    assert (a.dropped["reason"] == "log of zero").sum() == n_zero
    assert a.n == len(panel) - panel["partner_iso3"].nunique() - n_zero


def test_interaction_recovered_by_ols_with_fe(panel):
    fits = fit_gravity(panel, y="co2_kt", x=CO2_X, lag=True, method="ols")
    c = fits[0].coefs.set_index("variable")
    assert list(c.index) == CO2_X
    for v, true in TRUE_CO2.items():
        assert abs(c.loc[v, "coef"] - true) < 3 * c.loc[v, "se"], v
        assert np.sign(c.loc[v, "coef"]) == np.sign(true), v
        assert c.loc[v, "p"] < 0.01, v
    ref = fit_gravity(panel, y="co2_kt", x=CO2_X, lag=True, method="ols", backend="statsmodels")
    np.testing.assert_allclose(c["coef"], ref[0].coefs["coef"], atol=1e-6)


def test_lag_uses_previous_year_values(panel):
    # an independent lag: shift within partner after sorting by year
    p = panel.sort_values(["partner_iso3", "year"])
    p = p.assign(gdp_prev=p.groupby("partner_iso3")["gdp_log"].shift(1))
    manual = fit_gravity(p, y="lct_imports", x=["gdp_prev"], method="ols")[0]
    ours = fit_gravity(panel, y="lct_imports", x=["gdp_log"], lag=True, method="ols")[0]
    assert ours.coefs["coef"].iloc[0] == pytest.approx(manual.coefs["coef"].iloc[0], abs=1e-10)


def test_standardized_coefficients_scale_with_sd(panel):
    raw = fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True)[0]
    std = fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True, standardize=True)[0]
    # sd of the lagged regressors on the common sample (rows with a lag)
    p = panel.sort_values(["partner_iso3", "year"])
    lagged = p.groupby("partner_iso3")[PPML_X].shift(1).dropna()
    sd = lagged.std(ddof=1)
    np.testing.assert_allclose(
        std.coefs["coef"].to_numpy(),
        (raw.coefs["coef"] * sd[PPML_X].to_numpy()).to_numpy(),
        rtol=1e-6,
    )
    np.testing.assert_allclose(std.coefs["stat"], raw.coefs["stat"], rtol=1e-5)


def test_both_methods_and_fitted_values(panel):
    fits = fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True, method="both")
    assert [f.method for f in fits] == ["ols", "ppml"]
    ppml = fits[1]
    f = ppml.fitted
    assert len(f) == ppml.n
    assert {"observed", "fitted", "log_fitted"} <= set(f.columns)
    # PPML first-order condition with partner FE: observed and fitted sums agree per partner
    g = f.groupby("partner_iso3")[["observed", "fitted"]].sum()
    np.testing.assert_allclose(g["observed"], g["fitted"], rtol=1e-5)


def test_missing_values_reported_with_columns(panel):
    p = panel.copy()
    p.loc[p.index[5], "openness"] = np.nan  # row 7 in the CSV; its lag is missing next year
    f = fit_gravity(p, y="lct_imports", x=["openness"], method="ols", lag=False)[0]
    d = f.dropped.set_index("row")
    assert d.loc[7, "reason"] == "missing: openness"


def test_input_errors(panel):
    with pytest.raises(InputFormatError, match="no column"):
        fit_gravity(panel, y="lct_imports", x=["nope"])
    with pytest.raises(InputFormatError, match="method"):
        fit_gravity(panel, y="lct_imports", x=["gdp_log"], method="nb")  # type: ignore[arg-type]
    q = panel.copy()
    q.loc[0, "lct_imports"] = -1.0
    with pytest.raises(ValidationError, match="negative"):
        fit_gravity(q, y="lct_imports", x=["gdp_log"])
    dup = pd.concat([panel, panel.head(1)])
    with pytest.raises(ValidationError, match="duplicate"):
        fit_gravity(dup, y="lct_imports", x=["gdp_log"], lag=True)


def test_residual_gpkg_layers_and_symmetric_breaks(tmp_path, panel):
    import geopandas as gpd
    import pyogrio

    from geotrade.models.maps import residual_table, write_residual_gpkg

    fits = fit_gravity(panel, y="lct_imports", x=PPML_X, lag=True, method="both")
    out, infos = write_residual_gpkg(tmp_path / "res.gpkg", fits, synthetic=True)
    names = [n for n, _ in pyogrio.list_layers(out)]
    assert {"residuals_ols_lct_imports", "residuals_ppml_lct_imports"} <= set(names)
    last = int(panel["year"].max())
    for name, info in infos.items():
        b = np.array([info["lower"], *info["breaks"]])
        np.testing.assert_allclose(b, -b[::-1], atol=1e-12)  # symmetric around 0
        assert 0.0 in info["breaks"]
        layer = gpd.read_file(out, layer=name)
        assert len(layer) == 239
        assert set(layer["year"]) == {last}
        fit = fits[0] if "ols" in name else fits[1]
        # complete base geography: countries never in the estimation panel are not covered
        in_panel = set(fit.fitted[fit.id].astype(str))
        outside = set(layer.loc[layer["status"] == "not covered", "iso_a3"])
        assert outside == set(layer["iso_a3"]) - in_panel
        assert layer.loc[layer["status"] == "not covered", "resid_log"].isna().all()
        t = residual_table(fit.fitted, method=fit.method, year=last).set_index("partner_iso3")
        got = layer.set_index("iso_a3").loc[t.index, "resid_log"]
        np.testing.assert_allclose(got.to_numpy(), t["resid_log"].to_numpy(), equal_nan=True)
        # independent residual: ln(observed) - ln(fitted) for the last year
        f = fit.fitted[fit.fitted["year"] == last].set_index("partner_iso3")
        ok = f["observed"] > 0
        ref = np.log(f.loc[ok, "observed"]) - np.log(f.loc[ok, "fitted"])
        np.testing.assert_allclose(got.loc[ref.index].to_numpy(), ref.to_numpy())
    import sqlite3

    con = sqlite3.connect(out)
    n_styles = con.execute("select count(*) from layer_styles").fetchone()[0]
    con.close()
    assert n_styles >= 2


def test_ols_in_levels_keeps_zeros_and_matches_an_explicit_dummy_regression(panel):
    # independent reference: statsmodels OLS with partner and year dummies, written here
    import statsmodels.formula.api as smf

    x = ["edu", "openness"] if "openness" in panel.columns else ["edu"]
    fit = fit_gravity(panel, y="lct_imports", x=x, method="ols", outcome="level")[0]
    assert fit.outcome == "level"
    assert not fit.y_label.startswith("ln ")
    assert "log of zero" not in set(fit.dropped["reason"])
    d = panel.dropna(subset=["lct_imports", *x]).copy()
    ref = smf.ols(f"lct_imports ~ {' + '.join(x)} + C(partner_iso3) + C(year)", data=d).fit()
    got = fit.coefs.set_index("variable")["coef"]
    for v in x:
        assert got[v] == pytest.approx(ref.params[v], rel=1e-8, abs=1e-10)
    assert fit.n == int(ref.nobs)  # every row, zeros included (no singletons here)
    assert (panel["lct_imports"] == 0).any()
    assert fit.to_record()["outcome"] == "level"


def test_level_outcome_is_for_ols_only(panel):
    with pytest.raises(InputFormatError, match="PPML"):
        fit_gravity(panel, y="lct_imports", x=["edu"], method="ppml", outcome="level")
    with pytest.raises(InputFormatError, match="log' or 'level"):
        fit_gravity(panel, y="lct_imports", x=["edu"], method="ols", outcome="sqrt")  # type: ignore[arg-type]
