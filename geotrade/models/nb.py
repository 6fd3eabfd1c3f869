r"""Negative binomial (NB2) regression of trade values, seed 000 eq. (2) and Table 5.

Model
-----
.. math:: E[y_i \mid x_i] = \mu_i = \exp(\beta_0 + \beta' x_i), \qquad
          \mathrm{Var}(y_i \mid x_i) = \mu_i + \alpha \mu_i^2

fitted by maximum likelihood with
:class:`statsmodels.discrete.discrete_model.NegativeBinomial` (``loglike_method="nb2"``,
Newton-Raphson). The seed estimates it separately per year and flow (Table 5: exports E and
imports I, 2017 and 2022); ``by=["year", "flow"]`` does the same.

Counts
------
The seed treats trade values as counts. The NB likelihood is defined for non-negative
integers, so the outcome is rounded: with ``round_thousand=True`` to **thousand USD**
(``round(y / 1000)``, the usual unit of trade tables; coefficients are unchanged in
expectation because the constant absorbs the scale), otherwise to whole units of ``y``.
How many values rounding changed is reported (``n_rounded``). Negative outcomes are an
error; rows with a missing outcome or regressor are dropped and listed (``dropped``).

Reported
--------
Coefficients, standard errors, z statistics, two-sided p-values and stars (``***`` p < 0.01,
``**`` p < 0.05, ``*`` p < 0.1, as in both seeds); log-likelihood; the LR chi² of the model
against the constant-only NB model with its p-value ("Prob > chi2" of the seed); the
dispersion :math:`\alpha` with its standard error and the LR test of :math:`H_0: \alpha = 0`
(Poisson) against NB2. Because :math:`\alpha = 0` lies on the boundary of the parameter
space, the LR statistic follows :math:`\bar\chi^2_{01}` (a 50:50 mixture of 0 and
:math:`\chi^2_1`), so the p-value is **half** the :math:`\chi^2_1` tail probability (Stata's
"LR test of alpha=0: chibar2(01)"). Variance inflation factors of the regressors
(:func:`statsmodels.stats.outliers_influence.variance_inflation_factor`, on the design with
the constant) check multicollinearity (the seed reports having done so).

Examples
--------
>>> from geotrade.synthetic.panel import make_panel
>>> p = make_panel(seed=5, n_partners=40)
>>> res = fit_nb(p, y="exports_usd", x=["gdp_log", "dist_log"], round_thousand=True)
>>> f = res.fits[0]
>>> f.n, list(f.coefs["variable"])
(480, ['gdp_log', 'dist_log', 'const'])
>>> bool(f.coefs.set_index("variable").loc["gdp_log", "p"] < 0.01)
True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geotrade.errors import EngineError, InputFormatError, Problem, ValidationError
from geotrade.models import stars

__all__ = ["NBFit", "NBResult", "fit_nb"]


@dataclass
class NBFit:
    """One NB2 fit (one group of ``by``)."""

    key: dict[str, Any]
    coefs: pd.DataFrame
    n: int
    llf: float
    llnull: float
    lr_chi2: float
    lr_df: int
    lr_p: float
    alpha: float
    alpha_se: float
    alpha_lr: float
    alpha_p: float
    llf_poisson: float
    converged: bool
    aic: float
    bic: float
    vif: pd.DataFrame
    dropped: pd.DataFrame
    n_rounded: int
    unit: str
    fitted: pd.Series = field(repr=False)
    notes: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, Any]:
        """Scalar statistics as a JSON-serialisable dict."""
        return {
            **{k: _plain(v) for k, v in self.key.items()},
            "n": self.n,
            "llf": self.llf,
            "llnull": self.llnull,
            "lr_chi2": self.lr_chi2,
            "lr_df": self.lr_df,
            "lr_p": self.lr_p,
            "alpha": self.alpha,
            "alpha_se": self.alpha_se,
            "alpha_lr_vs_poisson": self.alpha_lr,
            "alpha_p_vs_poisson": self.alpha_p,
            "converged": self.converged,
            "n_dropped": len(self.dropped),
            "n_rounded": self.n_rounded,
            "unit": self.unit,
        }


@dataclass
class NBResult:
    """All fits of :func:`fit_nb`, one per group of ``by`` (one if ``by`` is ``None``)."""

    y: str
    x: list[str]
    by: list[str]
    fits: list[NBFit]

    def coefficients(self) -> pd.DataFrame:
        """Tidy coefficient table: group keys, ``variable, coef, se, z, p, stars``."""
        frames = []
        for f in self.fits:
            c = f.coefs.copy()
            for i, (k, v) in enumerate(f.key.items()):
                c.insert(i, k, v)
            frames.append(c)
        return pd.concat(frames, ignore_index=True)

    def to_record(self) -> dict[str, Any]:
        """JSON-serialisable summary (the CLI ``result`` record)."""
        return {
            "y": self.y,
            "x": self.x,
            "by": self.by,
            "fits": [
                {
                    **f.stats(),
                    "coefficients": {
                        r.variable: {"coef": r.coef, "se": r.se, "z": r.z, "p": r.p}
                        for r in f.coefs.itertuples()
                    },
                    "vif": dict(zip(f.vif["variable"], f.vif["vif"], strict=True)),
                }
                for f in self.fits
            ],
        }


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _check(design: pd.DataFrame, y: str, x: Sequence[str], by: Sequence[str]) -> None:
    missing = [c for c in [y, *x, *by] if c not in design.columns]
    if missing:
        msg = (
            f"the design table has no column(s) {', '.join(map(repr, missing))}; "
            f"columns are {list(design.columns)}"
        )
        raise InputFormatError(msg)
    if not x:
        msg = "give at least one regressor (x)"
        raise InputFormatError(msg)
    if y in x:
        msg = f"the outcome {y!r} is also listed as a regressor"
        raise InputFormatError(msg)
    problems = []
    for c in [y, *x]:
        v = pd.to_numeric(design[c], errors="coerce")
        bad = v.isna() & design[c].notna()
        for i in np.flatnonzero(bad.to_numpy())[:10]:
            problems.append(
                Problem(f"not a number: {str(design[c].iloc[i])!r}", row=int(i) + 2, column=c)
            )
    yv = pd.to_numeric(design[y], errors="coerce")
    for i in np.flatnonzero((yv < 0).to_numpy())[:10]:
        problems.append(
            Problem(
                f"negative outcome {float(yv.iloc[i]):g}; a count model needs values >= 0",
                row=int(i) + 2,
                column=y,
            )
        )
    if problems:
        raise ValidationError(problems)


def _vif(X: pd.DataFrame) -> pd.DataFrame:
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    arr = X.to_numpy(dtype=float)
    rows = [
        {"variable": c, "vif": float(variance_inflation_factor(arr, i))}
        for i, c in enumerate(X.columns)
        if c != "const"
    ]
    return pd.DataFrame(rows, columns=["variable", "vif"])


def _ok(res: Any) -> bool:
    return bool(res.mle_retvals.get("converged", False)) and bool(
        np.all(np.isfinite(res.params)) and np.all(np.isfinite(res.bse))
    )


def _robust_fit(model: Any, start: np.ndarray) -> Any:
    """Newton from the Poisson start; else BFGS (log-alpha parametrisation) then Newton."""
    res = None
    try:
        res = model.fit(start_params=start, method="newton", maxiter=300, disp=0)
        if _ok(res):
            return res
    except (np.linalg.LinAlgError, ValueError, OverflowError):
        pass
    for a0 in (0.5, 1.0, 0.1, 2.0):
        s0 = np.append(start[:-1], a0)
        try:
            b = model.fit(start_params=s0, method="bfgs", maxiter=5000, disp=0)
            res = model.fit(start_params=b.params, method="newton", maxiter=300, disp=0)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            continue
        if _ok(res):
            return res
    return res


def _fit_one(
    d: pd.DataFrame, y: str, x: list[str], key: dict[str, Any], round_thousand: bool
) -> NBFit:
    from scipy import stats as st
    from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson

    num = d[[y, *x]].apply(pd.to_numeric, errors="coerce")
    bad = num.isna().any(axis=1).to_numpy()
    dropped = pd.DataFrame(
        {
            "row": np.flatnonzero(bad) + 2 if "_row" not in d else d.loc[bad, "_row"].to_numpy(),
            "missing": [
                ", ".join(c for c in [y, *x] if m[c]) for _, m in num[bad].isna().iterrows()
            ],
        }
    )
    num = num[~bad]
    label = ", ".join(f"{k}={v}" for k, v in key.items()) or "all rows"
    n, k = len(num), len(x) + 1
    if n <= k + 1:
        msg = f"group {label}: {n} complete rows for {k} coefficients and alpha; need more data"
        raise ValidationError([Problem(msg)])
    raw = num[y].to_numpy(dtype=float)
    unit = "thousand" if round_thousand else "unit"
    yy = np.round(raw / 1000.0) if round_thousand else np.round(raw)
    n_rounded = int(np.sum(yy * (1000.0 if round_thousand else 1.0) != raw))
    X = num[x].astype(float).copy()
    X.insert(len(x), "const", 1.0)
    if np.linalg.matrix_rank(X.to_numpy()) < X.shape[1]:
        const_like = [c for c in x if X[c].nunique() <= 1]
        msg = (
            f"group {label}: the regressors are perfectly collinear"
            + (f" ({', '.join(const_like)} constant within the group)" if const_like else "")
            + "; drop one of them"
        )
        raise ValidationError([Problem(msg)])
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pois = Poisson(yy, X).fit(method="newton", maxiter=300, disp=0)
        model = NegativeBinomial(yy, X, loglike_method="nb2")
        start = np.append(np.asarray(pois.params), 0.5)
        res = _robust_fit(model, start)
        llnull = float(res.llnull)
    notes += sorted({str(w.message).splitlines()[0] for w in caught})
    converged = bool(res.mle_retvals.get("converged", False))
    if not np.all(np.isfinite(res.params)):
        msg = f"group {label}: the NB2 fit did not produce finite estimates"
        raise EngineError(msg)
    if not converged:
        notes.append("the NB2 likelihood maximisation did not converge; treat with caution")
    params, bse = res.params, res.bse
    names = [*x, "const"]
    z = params[names] / bse[names]
    p = 2 * st.norm.sf(np.abs(z))
    coefs = pd.DataFrame(
        {
            "variable": names,
            "coef": params[names].to_numpy(dtype=float),
            "se": bse[names].to_numpy(dtype=float),
            "z": z.to_numpy(dtype=float),
            "p": np.asarray(p, dtype=float),
        }
    )
    coefs["stars"] = [stars(v) for v in coefs["p"]]
    alpha_lr = max(0.0, 2.0 * (float(res.llf) - float(pois.llf)))
    lr = float(res.llr)
    fitted = pd.Series(np.asarray(res.predict()), index=num.index, name="fitted")
    return NBFit(
        key=key,
        coefs=coefs,
        n=n,
        llf=float(res.llf),
        llnull=llnull,
        lr_chi2=lr,
        lr_df=len(x),
        lr_p=float(st.chi2.sf(lr, len(x))),
        alpha=float(params["alpha"]),
        alpha_se=float(bse["alpha"]),
        alpha_lr=alpha_lr,
        alpha_p=float(0.5 * st.chi2.sf(alpha_lr, 1)),
        llf_poisson=float(pois.llf),
        converged=converged,
        aic=float(res.aic),
        bic=float(res.bic),
        vif=_vif(X),
        dropped=dropped,
        n_rounded=n_rounded,
        unit=unit,
        fitted=fitted,
        notes=notes,
    )


def fit_nb(
    design: pd.DataFrame,
    *,
    y: str,
    x: Sequence[str],
    by: Sequence[str] | None = None,
    round_thousand: bool = False,
) -> NBResult:
    """Fit NB2 regressions of ``y`` on ``x`` (with a constant), optionally per group.

    Parameters
    ----------
    design
        One row per observation (e.g. partner, or partner-year-flow).
    y
        Outcome column (non-negative; rounded to counts, see the module docstring).
    x
        Regressor columns, in the order of the table rows; the constant comes last.
    by
        Columns defining separate regressions (e.g. ``["flow", "year"]``; Table 5 of seed
        000). Groups are fitted in sorted order.
    round_thousand
        Express the outcome in thousand units (``round(y / 1000)``) before fitting.

    Returns
    -------
    NBResult
        One :class:`NBFit` per group.

    Raises
    ------
    InputFormatError
        Unknown columns or no regressors.
    ValidationError
        Non-numeric or negative values (all listed), too few rows in a group, or
        perfectly collinear regressors.
    """
    xs, bys = list(x), list(by or [])
    _check(design, y, xs, bys)
    d = design.copy()
    d["_row"] = np.arange(len(d)) + 2
    fits: list[NBFit] = []
    if bys:
        miss = d[bys].isna().any(axis=1)
        if miss.any():
            rows = (np.flatnonzero(miss.to_numpy()) + 2).tolist()[:10]
            msg = f"missing value in a 'by' column ({', '.join(bys)}) on rows {rows}"
            raise ValidationError([Problem(msg)])
        for keyvals, g in d.groupby(bys, sort=True):
            kv = keyvals if isinstance(keyvals, tuple) else (keyvals,)
            key = {b: _plain(v) for b, v in zip(bys, kv, strict=True)}
            fits.append(_fit_one(g, y, xs, key, round_thousand))
    else:
        fits.append(_fit_one(d, y, xs, {}, round_thousand))
    return NBResult(y=y, x=xs, by=bys, fits=fits)
