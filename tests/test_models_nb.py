"""NB2 regression: agreement with independent statsmodels paths, tests, VIF, planted effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from geotrade.errors import InputFormatError, ValidationError
from geotrade.models import stars
from geotrade.models.nb import fit_nb
from geotrade.synthetic.panel import TRUE_NB, TRUE_NB_ALPHA, make_panel

X = [k for k in TRUE_NB if k != "const"]


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def pooled(panel):
    return fit_nb(panel, y="exports_usd", x=X, round_thousand=True).fits[0]


def _design(panel):
    y = np.round(panel["exports_usd"].to_numpy() / 1000.0)
    Xc = sm.add_constant(panel[X].astype(float), prepend=False)
    return y, Xc


def test_coefficients_equal_glm_at_the_estimated_alpha(panel, pooled):
    # independent path: IRLS GLM with the NB2 family at fixed alpha has the same score for
    # beta, so its solution equals the ML estimate of beta
    y, Xc = _design(panel)
    glm = sm.GLM(y, Xc, family=sm.families.NegativeBinomial(alpha=pooled.alpha)).fit(
        tol=1e-14, maxiter=500
    )
    ours = pooled.coefs.set_index("variable")["coef"]
    np.testing.assert_allclose(ours[list(Xc.columns)].to_numpy(), glm.params.to_numpy(), atol=1e-8)


def test_coefficients_equal_formula_api(panel, pooled):
    import statsmodels.formula.api as smf

    d = panel.assign(yk=np.round(panel["exports_usd"] / 1000.0))
    res = smf.negativebinomial(f"yk ~ {' + '.join(X)}", d, loglike_method="nb2").fit(
        method="newton", maxiter=300, disp=0
    )
    ours = pooled.coefs.set_index("variable")["coef"]
    for v in X:
        assert ours[v] == pytest.approx(res.params[v], abs=1e-5)
    assert pooled.alpha == pytest.approx(res.params["alpha"], abs=1e-5)
    assert pooled.llf == pytest.approx(res.llf, abs=1e-6)


def test_lr_tests_against_independent_fits(panel, pooled):
    y, Xc = _design(panel)
    # constant-only NB2: the MLE of the mean is ybar; profile the likelihood over alpha
    ybar = y.mean()

    def nll(log_a):
        a = np.exp(log_a)
        r = 1 / a
        return -np.sum(stats.nbinom.logpmf(y, r, r / (r + ybar)))

    from scipy.optimize import minimize_scalar

    opt = minimize_scalar(nll, bounds=(-10, 5), method="bounded", options={"xatol": 1e-10})
    assert pooled.llnull == pytest.approx(-opt.fun, rel=1e-7)
    assert pooled.lr_chi2 == pytest.approx(2 * (pooled.llf + opt.fun), rel=1e-6)
    assert pooled.lr_p == pytest.approx(stats.chi2.sf(pooled.lr_chi2, len(X)))
    # alpha vs Poisson: boundary LR test, p halved
    pois = sm.GLM(y, Xc, family=sm.families.Poisson()).fit(tol=1e-12)
    lr = 2 * (pooled.llf - pois.llf)
    assert pooled.alpha_lr == pytest.approx(lr, rel=1e-6)
    assert pooled.alpha_p == pytest.approx(0.5 * stats.chi2.sf(lr, 1))


def test_vif_equals_one_over_one_minus_r2(panel, pooled):
    Xs = panel[X].astype(float)
    for v in ("gdp_log", "hte_log", "bri"):
        others = sm.add_constant(Xs.drop(columns=v))
        r2 = sm.OLS(Xs[v], others).fit().rsquared
        got = pooled.vif.set_index("variable").loc[v, "vif"]
        assert got == pytest.approx(1 / (1 - r2), rel=1e-8)
    assert pooled.vif.set_index("variable").loc["gdp_log", "vif"] > 2  # hte built on gdp


def test_planted_effects_recovered(pooled):
    c = pooled.coefs.set_index("variable")
    for v, true in TRUE_NB.items():
        assert abs(c.loc[v, "coef"] - true) < 3 * c.loc[v, "se"], v
        if true != 0:
            assert np.sign(c.loc[v, "coef"]) == np.sign(true), v
            assert c.loc[v, "p"] < 0.01, v
            assert c.loc[v, "stars"] == "***", v
    assert abs(c.loc["pol_stability", "z"]) < 2.58  # true effect is zero
    assert abs(pooled.alpha - TRUE_NB_ALPHA) < 3 * pooled.alpha_se
    assert pooled.alpha_p < 0.01  # overdispersion detected


def test_round_thousand_gives_the_planted_counts_back(panel, pooled):
    # exports_usd = 1000 * count + whole-dollar jitter in [-499, 499]
    assert pooled.n_rounded == int((panel["exports_usd"] % 1000 != 0).sum())
    assert pooled.unit == "thousand"


def test_z_and_p_are_consistent(pooled):
    c = pooled.coefs
    np.testing.assert_allclose(c["z"], c["coef"] / c["se"])
    np.testing.assert_allclose(c["p"], 2 * stats.norm.sf(np.abs(c["z"])))
    assert [stars(p) for p in c["p"]] == c["stars"].tolist()


def test_stars_thresholds_follow_the_seed():
    assert [stars(p) for p in (0.0099, 0.01, 0.0499, 0.05, 0.0999, 0.1, np.nan)] == [
        "***",
        "**",
        "**",
        "*",
        "*",
        "",
        "",
    ]


def test_by_groups_fit_separately_and_match_subset_fits(panel):
    long = pd.concat(
        [
            panel.assign(flow="export", value=panel["exports_usd"]),
            panel.assign(flow="import", value=panel["exports_usd"] * 0.5),
        ]
    )
    long = long[long["year"].isin([2017, 2022])]
    res = fit_nb(
        long, y="value", x=["gdp_log", "dist_log"], by=["flow", "year"], round_thousand=True
    )
    assert [f.key for f in res.fits] == [
        {"flow": "export", "year": 2017},
        {"flow": "export", "year": 2022},
        {"flow": "import", "year": 2017},
        {"flow": "import", "year": 2022},
    ]
    sub = panel[panel["year"] == 2022]
    alone = fit_nb(sub, y="exports_usd", x=["gdp_log", "dist_log"], round_thousand=True).fits[0]
    np.testing.assert_allclose(res.fits[1].coefs["coef"], alone.coefs["coef"], atol=1e-8)
    tidy = res.coefficients()
    assert list(tidy.columns[:2]) == ["flow", "year"]
    assert len(tidy) == 4 * 3


def test_missing_rows_are_reported_and_rounding_counted():
    p = make_panel(n_partners=30).head(200).copy()
    p.loc[[3, 7], "gdp_log"] = np.nan
    f = fit_nb(p, y="exports_usd", x=["gdp_log"]).fits[0]
    assert f.n == 198
    assert f.dropped["row"].tolist() == [5, 9]
    assert f.dropped["missing"].tolist() == ["gdp_log", "gdp_log"]
    assert f.n_rounded == 0  # integer dollars are counts already
    f2 = fit_nb(p.assign(exports_usd=p["exports_usd"] + 0.4), y="exports_usd", x=["gdp_log"]).fits[
        0
    ]
    assert f2.n_rounded == 198


def test_bad_inputs_raise_geotrade_errors():
    p = make_panel(n_partners=12).head(40).copy()
    with pytest.raises(InputFormatError, match="no column"):
        fit_nb(p, y="exports_usd", x=["nope"])
    q = p.copy()
    q.loc[2, "exports_usd"] = -5
    with pytest.raises(ValidationError, match="negative") as ei:
        fit_nb(q, y="exports_usd", x=["gdp_log"])
    assert ei.value.problems[0].row == 4
    with pytest.raises(ValidationError, match="collinear"):
        fit_nb(p.assign(c=1.0), y="exports_usd", x=["gdp_log", "c"])
