r"""Fixed-effects gravity regressions of partner-year trade (seed 001 eq. 1-4, Tables 4-5).

Models
------
For partner :math:`i` and year :math:`t`, with regressors :math:`X_{i,t-1}` lagged one year
(``lag=True``) and standardised to z-scores (``standardize=True``), as in seed 001 ("所有自变量
均进行了标准化和滞后一期处理"), partner effects :math:`\phi_i` and year effects
:math:`\eta_t`:

* ``method="ols"``: :math:`\ln y_{it} = \beta' X_{i,t-1} + \phi_i + \eta_t + \varepsilon_{it}`
  (seed 001 Table 4, "取自然对数"). Zeros have no log and are dropped (listed). With
  ``outcome="level"`` the outcome enters as it is, :math:`y_{it} = \beta' X_{i,t-1} + \phi_i
  + \eta_t + \varepsilon_{it}`, and zeros are kept (seed 001 Tables 6-10, columns 2-4:
  CO2 per capita in tonnes, per unit of GDP).
* ``method="ppml"``: Poisson pseudo-maximum likelihood
  :math:`E[y_{it}] = \exp(\beta' X_{i,t-1} + \phi_i + \eta_t)` (Santos Silva and Tenreyro
  2006), which keeps the zeros and is consistent under heteroskedasticity.

Both are estimated with pyfixest (``feols`` / ``fepois``); ``backend="statsmodels"`` fits the
same models with explicit dummy variables (statsmodels OLS / GLM Poisson), the reference
implementation and the fallback when pyfixest is missing. Interactions (seed 001 eq. 4: LCT
imports × a channel variable) are terms ``"a:b"`` in ``x``; their components are lagged and
standardised first and the product is formed afterwards.

Standard errors are clustered by partner (``cluster``; CRV1). The t statistics are reported
as pyfixest computes them.

Dropped observations (never silent)
-----------------------------------
``GravityFit.dropped`` lists every input row not used, with a reason:

* ``missing: <columns>`` — a missing outcome, regressor, fixed-effect or cluster value;
* ``no lag`` — the previous year of the same partner is not in the table (first year);
* ``log of zero`` — OLS on logs cannot use :math:`y \le 0`;
* ``singleton`` — the only observation of a fixed-effect level (it is fitted perfectly
  and carries no information; pyfixest ``fixef_rm="singleton"``);
* ``separation`` — PPML: the outcome is zero for every observation of a fixed-effect level
  (or separated by the regressors, pyfixest ``separation_check=["fe", "ir"]``); the maximum
  likelihood estimate does not exist for them (Correia, Guimarães and Zylkin 2021).

pyfixest's own warnings are collected in ``GravityFit.messages``.

Examples
--------
>>> from geotrade.synthetic.panel import make_panel
>>> p = make_panel(seed=4, n_partners=30)
>>> fits = fit_gravity(p, y="lct_imports", x=["gdp_log", "openness"], lag=True)
>>> f = fits[0]
>>> f.method, f.n + len(f.dropped) == len(p)
('ppml', True)
>>> sorted(set(f.dropped["reason"]))
['no lag', 'separation']
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from geotrade.errors import EngineError, InputFormatError, Problem, ValidationError
from geotrade.models import stars

__all__ = ["GravityFit", "fit_gravity"]

Method = Literal["ppml", "ols", "both"]
#: OLS outcome: its natural log (the gravity default) or the level as it is.
Outcome = Literal["log", "level"]
Backend = Literal["auto", "pyfixest", "statsmodels"]


@contextmanager
def _root_logging_kept() -> Iterator[None]:
    """Undo pyfixest's ``logging.basicConfig`` (it would echo pyogrio's INFO lines later)."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@dataclass
class GravityFit:
    """One gravity regression."""

    y: str
    method: str
    backend: str
    x: list[str]
    fe: list[str]
    id: str
    time: str
    cluster: str | None
    lagged: bool
    standardized: bool
    coefs: pd.DataFrame
    n: int
    dropped: pd.DataFrame
    fitted: pd.DataFrame = field(repr=False)
    messages: list[str] = field(default_factory=list)
    loglik: float | None = None
    r2_within: float | None = None
    outcome: Outcome = "log"

    @property
    def y_label(self) -> str:
        """Column group label: outcome and estimator."""
        ln = "ln " if self.method == "ols" and self.outcome == "log" else ""
        return f"{ln}{self.y} ({self.method.upper()})"

    def to_record(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        return {
            "y": self.y,
            "method": self.method,
            "outcome": self.outcome if self.method == "ols" else "exp-mean",
            "backend": self.backend,
            "fe": self.fe,
            "cluster": self.cluster,
            "lagged": self.lagged,
            "standardized": self.standardized,
            "n": self.n,
            "n_dropped": len(self.dropped),
            "dropped_by_reason": {
                str(k): int(v) for k, v in self.dropped["reason"].value_counts().items()
            },
            "messages": self.messages,
            "coefficients": {
                r.variable: {"coef": r.coef, "se": r.se, "t": r.stat, "p": r.p}
                for r in self.coefs.itertuples()
            },
        }


def _terms(x: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    base: dict[str, None] = {}
    parts = []
    for term in x:
        comps = [c.strip() for c in re.split(r"[:*]", term) if c.strip()]
        if not comps:
            msg = f"empty regressor term {term!r}"
            raise InputFormatError(msg)
        parts.append(comps)
        for c in comps:
            base.setdefault(c, None)
    return list(base), parts


def _drops(rows: pd.DataFrame, id: str, time: str, reason: str) -> list[dict[str, Any]]:
    return [
        {"row": int(r), id: i, time: t, "reason": reason}
        for r, i, t in zip(rows["_row"], rows[id], rows[time], strict=True)
    ]


def _resolve(name: str | None, id: str, time: str) -> str | None:
    if name is None:
        return None
    return {"partner": id, "year": time}.get(name, name)


def _prepare(
    panel: pd.DataFrame,
    y: str,
    base: list[str],
    fe: list[str],
    cluster: str | None,
    id: str,
    time: str,
    lag: bool,
    standardize: bool,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    from geotrade.covariates import lag as lag_fn
    from geotrade.covariates import zscore

    need = list(dict.fromkeys([y, *base, *fe, id, time, *([cluster] if cluster else [])]))
    missing = [c for c in need if c not in panel.columns]
    if missing:
        msg = (
            f"the panel has no column(s) {', '.join(map(repr, missing))}; "
            f"columns are {list(panel.columns)}"
        )
        raise InputFormatError(msg)
    d = panel.copy()
    d["_row"] = np.arange(len(d)) + 2
    problems = []
    for c in [y, *base]:
        v = pd.to_numeric(d[c], errors="coerce")
        for i in np.flatnonzero((v.isna() & d[c].notna()).to_numpy())[:10]:
            problems.append(Problem(f"not a number: {d[c].iloc[i]!r}", row=int(i) + 2, column=c))
        d[c] = v.astype("float64")
    yv = d[y]
    for i in np.flatnonzero((yv < 0).to_numpy())[:10]:
        problems.append(Problem(f"negative trade value {yv.iloc[i]!r}", row=int(i) + 2, column=y))
    dup = d.duplicated([id, time], keep=False) if lag else pd.Series(False, index=d.index)
    for i in np.flatnonzero(dup.to_numpy())[:10]:
        problems.append(
            Problem(
                f"duplicate {id}/{time} {d[id].iloc[i]!r}/{d[time].iloc[i]!r}: lagging needs "
                "one row per partner and year",
                row=int(i) + 2,
            )
        )
    if problems:
        raise ValidationError(problems)
    dropped: list[dict[str, Any]] = []
    if lag:
        d = lag_fn(d, base, id=id, time=time)
        prev_exists = (
            d.merge(
                d[[id, time]].assign(**{time: d[time] + 1, "_has_prev": True}),
                on=[id, time],
                how="left",
            )["_has_prev"]
            .fillna(False)
            .to_numpy(dtype=bool)
        )
        dropped += _drops(d.loc[~prev_exists], id, time, "no lag")
        d = d.loc[prev_exists].copy()
        for c in base:
            d[c] = d[f"{c}_lag1"]
    cols = list(dict.fromkeys([y, *base, *fe, *([cluster] if cluster else [])]))
    miss = d[cols].isna()
    bad = miss.any(axis=1)
    for (_, r), (_, m) in zip(d[bad].iterrows(), miss[bad].iterrows(), strict=True):
        dropped.append(
            {
                "row": r["_row"],
                id: r[id],
                time: r[time],
                "reason": "missing: " + ", ".join(c for c in cols if m[c]),
            }
        )
    d = d.loc[~bad].copy()
    if standardize:
        for c in base:
            d[c] = zscore(d[c].rename(c))
    return d, dropped


def _statsmodels_fit(
    d: pd.DataFrame,
    yname: str,
    terms: list[list[str]],
    names: list[str],
    fe: list[str],
    cluster: str | None,
    method: str,
) -> tuple[pd.DataFrame, np.ndarray, float | None]:
    import statsmodels.api as sm

    X = pd.DataFrame(
        {
            n: np.prod([d[c].to_numpy() for c in t], axis=0)
            for n, t in zip(names, terms, strict=True)
        },
        index=d.index,
    )
    dummies = [
        pd.get_dummies(d[f].astype(str), prefix=f"fe{i}", drop_first=True, dtype=float)
        for i, f in enumerate(fe)
    ]
    Xf = pd.concat([X, *dummies], axis=1)
    Xf.insert(0, "_const", 1.0)
    kw: dict[str, Any] = {}
    if cluster:
        kw = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d[cluster])[0]}}
    if method == "ppml":
        model = sm.GLM(d[yname].to_numpy(), Xf, family=sm.families.Poisson())
        res = model.fit(tol=1e-12, maxiter=500, **kw)
        fitted = np.asarray(res.fittedvalues)
        ll = float(res.llf)
    else:
        res = sm.OLS(d[yname].to_numpy(), Xf).fit(**kw)
        fitted = np.asarray(res.fittedvalues)
        ll = float(res.llf)
    stat = res.params / res.bse
    out = pd.DataFrame(
        {
            "variable": names,
            "coef": res.params[names].to_numpy(float),
            "se": res.bse[names].to_numpy(float),
            "stat": stat[names].to_numpy(float),
            "p": res.pvalues[names].to_numpy(float),
        }
    )
    return out, fitted, ll


def _drop_fe_problems(
    d: pd.DataFrame, yname: str, fe: list[str], ppml: bool
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Drop singletons and (PPML) all-zero fixed-effect levels (statsmodels path)."""
    out: list[tuple[int, str]] = []
    while True:
        changed = False
        for f in fe:
            sizes = d.groupby(f)[f].transform("size")
            single = sizes == 1
            if single.any():
                out += [(i, "singleton") for i in d.index[single]]
                d = d.loc[~single]
                changed = True
            if ppml:
                tot = d.groupby(f)[yname].transform("sum")
                sep = tot <= 0
                if sep.any():
                    out += [(i, "separation") for i in d.index[sep]]
                    d = d.loc[~sep]
                    changed = True
        if not changed:
            return d, out


def _fit_one(
    d: pd.DataFrame,
    dropped0: list[dict[str, Any]],
    *,
    y: str,
    x: list[str],
    base: list[str],
    parts: list[list[str]],
    fe: list[str],
    cluster: str | None,
    id: str,
    time: str,
    method: str,
    backend: str,
    lag: bool,
    standardize: bool,
    outcome: Outcome = "log",
) -> GravityFit:
    dropped = list(dropped0)
    d = d.copy()
    if method == "ols" and outcome == "log":
        nonpos = d[y] <= 0
        dropped += _drops(d[nonpos], id, time, "log of zero")
        d = d.loc[~nonpos].copy()
        d["_y"] = np.log(d[y])
    else:
        d["_y"] = d[y]
    if d.empty:
        msg = f"no usable observations for {y} ({method}) after dropping rows; see the report"
        raise ValidationError([Problem(msg)])
    safe = {c: f"v{i}" for i, c in enumerate(base)}
    work = d.rename(columns=safe)
    fe_safe = [f"fe_{i}" for i in range(len(fe))]
    for f, s in zip(fe, fe_safe, strict=True):
        work[s] = d[f].astype(str).to_numpy()
    cl_safe = None
    if cluster:
        cl_safe = "cl_"
        work[cl_safe] = d[cluster].astype(str).to_numpy()
    terms_safe = [":".join(safe[c] for c in t) for t in parts]
    messages: list[str] = []
    use = backend
    if backend == "auto":
        try:
            import pyfixest  # noqa: F401

            use = "pyfixest"
        except ImportError:  # pragma: no cover - pyfixest is installed with geotrade
            use = "statsmodels"
            messages.append("pyfixest is not installed; used statsmodels with dummy variables")
    loglik = r2w = None
    if use == "pyfixest":
        import pyfixest as pf

        fml = f"_y ~ {' + '.join(terms_safe)}"
        if fe_safe:
            fml += " | " + " + ".join(fe_safe)
        vcov: Any = {"CRV1": cl_safe} if cl_safe else "hetero"
        with warnings.catch_warnings(record=True) as caught, _root_logging_kept():
            warnings.simplefilter("always")
            try:
                data = work.reset_index(drop=True)  # pyfixest reports row positions
                if method == "ppml":
                    fit = pf.fepois(fml, data=data, vcov=vcov, separation_check=["fe", "ir"])
                else:
                    fit = pf.feols(fml, data=data, vcov=vcov)
            except Exception as exc:  # pyfixest raises plain exceptions on bad designs
                msg = f"{method.upper()} of {y} failed in pyfixest: {exc}"
                raise ValidationError([Problem(msg)]) from exc
        for w in caught:
            if issubclass(w.category, (DeprecationWarning, FutureWarning)):
                continue
            messages.append(str(w.message).splitlines()[0])
        messages = list(dict.fromkeys(messages))
        pos = np.asarray(fit._data.index, dtype=int)
        used = set(work.index[pos])
        na = {work.index[int(j)] for j in (getattr(fit, "_na_index", frozenset()) or ())}
        for i in work.index.difference(list(used)):
            reason = "singleton" if i in na else ("separation" if method == "ppml" else "singleton")
            dropped.append(
                {
                    "row": int(d.at[i, "_row"]),
                    id: d.at[i, id],
                    time: d.at[i, time],
                    "reason": reason,
                }
            )
        tidy = fit.tidy()
        inv = dict(zip(terms_safe, x, strict=True))
        collinear = [inv.get(v, v) for v in getattr(fit, "_collin_vars", []) or []]
        if collinear:
            messages.append(f"dropped as collinear with the fixed effects: {', '.join(collinear)}")
        coefs = pd.DataFrame(
            {
                "variable": [inv.get(v, v) for v in tidy.index],
                "coef": tidy["Estimate"].to_numpy(float),
                "se": tidy["Std. Error"].to_numpy(float),
                "stat": tidy["t value"].to_numpy(float),
                "p": tidy["Pr(>|t|)"].to_numpy(float),
            }
        )
        idx = work.index[pos]
        fitted_vals = (
            np.asarray(fit._Y_hat_response) if method == "ppml" else np.asarray(fit.predict())
        )
        loglik = float(fit._loglik) if method == "ppml" else None
        r2w = float(fit._r2_within) if method == "ols" and fit._r2_within is not None else None
    elif use == "statsmodels":
        work2, fe_drops = _drop_fe_problems(work, "_y", fe_safe, method == "ppml")
        for i, reason in fe_drops:
            dropped.append(
                {
                    "row": int(d.at[i, "_row"]),
                    id: d.at[i, id],
                    time: d.at[i, time],
                    "reason": reason,
                }
            )
        coefs, fitted_vals, loglik = _statsmodels_fit(
            work2,
            "_y",
            [[safe[c] for c in t] for t in parts],
            terms_safe,
            fe_safe,
            cl_safe,
            method,
        )
        coefs["variable"] = x
        idx = work2.index
    else:
        msg = f"backend must be 'auto', 'pyfixest' or 'statsmodels'; got {backend!r}"
        raise InputFormatError(msg)
    coefs["stars"] = [stars(p) for p in coefs["p"]]
    if not np.all(np.isfinite(coefs["coef"])):
        msg = f"{method.upper()} of {y} produced non-finite coefficients"
        raise EngineError(msg)
    obs = d.loc[idx, y].to_numpy(float)
    fitted = pd.DataFrame({id: d.loc[idx, id].to_numpy(), time: d.loc[idx, time].to_numpy()})
    fitted["observed"] = obs
    if method == "ppml":
        fitted["fitted"] = fitted_vals
        fitted["log_fitted"] = np.log(fitted_vals)
    elif outcome == "log":
        fitted["log_fitted"] = fitted_vals
        fitted["fitted"] = np.exp(fitted_vals)
    else:  # OLS in levels: a fitted value can be <= 0, which has no log
        fitted["fitted"] = fitted_vals
        fitted["log_fitted"] = np.log(np.where(fitted_vals > 0, fitted_vals, np.nan))
    dd = pd.DataFrame(dropped, columns=["row", id, time, "reason"])
    dd = dd.sort_values("row", kind="stable").reset_index(drop=True)
    return GravityFit(
        y=y,
        method=method,
        backend=use,
        x=list(x),
        fe=list(fe),
        id=id,
        time=time,
        cluster=cluster,
        lagged=lag,
        standardized=standardize,
        coefs=coefs,
        n=len(idx),
        dropped=dd,
        fitted=fitted,
        messages=messages,
        loglik=loglik,
        r2_within=r2w,
        outcome=outcome if method == "ols" else "log",
    )


def fit_gravity(
    panel: pd.DataFrame,
    *,
    y: str,
    x: Sequence[str],
    fe: Sequence[str] = ("partner", "year"),
    cluster: str | None = "partner",
    method: Method = "ppml",
    lag: bool = False,
    standardize: bool = False,
    id: str = "partner_iso3",
    time: str = "year",
    backend: Backend = "auto",
    outcome: Outcome = "log",
) -> list[GravityFit]:
    """Fit gravity regressions of ``y`` on ``x`` with fixed effects (see the module docstring).

    Parameters
    ----------
    panel
        One row per partner and year.
    y
        Trade value column (USD, >= 0).
    x
        Regressor terms; ``"a:b"`` is the product of ``a`` and ``b`` (add ``a`` and ``b``
        separately for the main effects, as in seed 001 eq. 4).
    fe
        Fixed effects; ``"partner"`` and ``"year"`` stand for ``id`` and ``time``; other
        names are columns. ``[]`` for none.
    cluster
        Column to cluster standard errors by (``"partner"`` = ``id``); ``None`` for
        heteroskedasticity-robust (HC1) errors.
    method
        ``"ppml"``, ``"ols"`` (log outcome) or ``"both"``.
    lag
        Use the previous year's regressors (within partner, matched by year).
    standardize
        z-score the (lagged) regressor components on the estimation sample (before
        method-specific drops, so that OLS and PPML share the scaling).
    id, time
        Panel keys.
    backend
        ``"auto"`` (pyfixest), ``"pyfixest"`` or ``"statsmodels"`` (dummy variables).
    outcome
        OLS only: ``"log"`` (default, zeros dropped and listed) or ``"level"`` (the outcome
        as it is, zeros kept). PPML models the level's mean and ignores it.

    Returns
    -------
    list of GravityFit
        One fit per method (OLS first with ``"both"``).

    Raises
    ------
    InputFormatError
        Unknown columns or options.
    ValidationError
        Non-numeric or negative values, duplicate partner-years with ``lag``, or a design
        the estimator rejects.
    """
    if method not in ("ppml", "ols", "both"):
        msg = f"method must be 'ppml', 'ols' or 'both'; got {method!r}"
        raise InputFormatError(msg)
    if not x:
        msg = "give at least one regressor (x)"
        raise InputFormatError(msg)
    if outcome not in ("log", "level"):
        msg = f"outcome must be 'log' or 'level'; got {outcome!r}"
        raise InputFormatError(msg)
    if outcome == "level" and method == "ppml":
        msg = "outcome='level' is for OLS (method 'ols' or 'both'); PPML already models the level"
        raise InputFormatError(msg)
    fes = [_resolve(f, id, time) for f in fe]
    cl = _resolve(cluster, id, time)
    base, parts = _terms(x)
    if y in base:
        msg = f"the outcome {y!r} is also a regressor"
        raise InputFormatError(msg)
    d, dropped = _prepare(panel, y, base, fes, cl, id, time, lag, standardize)  # type: ignore[arg-type]
    methods = ["ols", "ppml"] if method == "both" else [method]
    terms = [":".join(t) for t in parts]
    return [
        _fit_one(
            d,
            dropped,
            y=y,
            x=terms,
            base=base,
            parts=parts,
            fe=fes,  # type: ignore[arg-type]
            cluster=cl,
            id=id,
            time=time,
            method=m,
            backend=backend,
            lag=lag,
            standardize=standardize,
            outcome=outcome,
        )
        for m in methods
    ]
