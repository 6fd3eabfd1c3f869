r"""Maps of model results: partner-level fitted values and residuals.

From a :class:`geotrade.models.gravity.GravityFit` (in-sample fitted values only; pyfixest's
out-of-sample prediction with fixed effects is not relied on), per partner, for one year
(default: the last estimation year). **Why one year:** with partner fixed effects the
residuals of each partner sum to zero over the estimation years by construction (the PPML
first-order condition gives :math:`\sum_t y_{it} = \sum_t \hat\mu_{it}`, OLS gives a zero
mean log residual), so a map pooled over years would be empty. :func:`residual_table` can
still pool (``year=None``) for models without partner effects.

* ``observed`` and ``fitted`` trade (USD). For PPML ``fitted`` is the estimated mean
  :math:`\hat\mu`; for OLS on logs it is :math:`\exp(\widehat{\ln y})` (no smearing
  correction: a geometric-mean prediction).
* ``resid_log`` = :math:`\ln(\text{observed}) - \ln(\text{fitted})`: positive = the partner
  trades **more** than the model predicts. Missing when observed trade is zero. Over several
  years: :math:`\ln(\sum y / \sum \hat y)` for PPML, the mean log residual for OLS.
* ``resid_pearson`` (PPML only) = :math:`(y - \hat\mu) / \sqrt{\hat\mu}` (sums over years),
  the Poisson Pearson residual; in USD\ :sup:`1/2` so only comparable within one map.

The residual layer is joined to :func:`geotrade.boundaries.world_countries` with
:func:`geotrade.join.complete_geography` (every country, with ``status``: ``not covered``
when the country is never a partner of the estimation panel; unmatched keys reported),
classed (on the covered countries) with breaks
symmetric around zero (:func:`geotrade.classification.classify`, ``scheme="symmetric"``, even
``k`` so that 0 is a break) and coloured red (less trade than predicted) to blue (more).

Examples
--------
>>> import pandas as pd
>>> fitted = pd.DataFrame({"partner_iso3": ["KOR", "KOR", "USA"], "year": [2021, 2022, 2022],
...                        "observed": [10.0, 30.0, 5.0], "fitted": [20.0, 20.0, 5.0]})
>>> t = residual_table(fitted, method="ppml")
>>> t[["partner_iso3", "observed", "fitted", "resid_log"]].round(3).values.tolist()
[['KOR', 40.0, 40.0, 0.0], ['USA', 5.0, 5.0, 0.0]]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from geotrade.style.spec import ClassStyle, LayerStyle

__all__ = ["residual_layer", "residual_style", "residual_table", "write_residual_gpkg"]

Field = Literal["resid_log", "resid_pearson"]


def residual_table(
    fitted: pd.DataFrame,
    *,
    method: str,
    id: str = "partner_iso3",
    time: str = "year",
    year: int | None = None,
) -> pd.DataFrame:
    """Partner-level observed, fitted and residual trade (see the module docstring).

    Parameters
    ----------
    fitted
        ``GravityFit.fitted``: ``id, time, observed, fitted``.
    method
        ``"ppml"`` or ``"ols"``.
    id, time
        Key columns.
    year
        One year, or ``None`` for all estimation years together.

    Returns
    -------
    pandas.DataFrame
        ``id, n_years, observed, fitted, resid_log, resid_pearson``.
    """
    f = fitted if year is None else fitted[fitted[time] == year]
    f = f.assign(
        _lr=np.log(f["observed"].where(f["observed"] > 0)) - np.log(f["fitted"]),
    )
    g = f.groupby(id, sort=True)
    out = pd.DataFrame(
        {
            "n_years": g.size(),
            "observed": g["observed"].sum(),
            "fitted": g["fitted"].sum(),
        }
    )
    if method == "ppml":
        obs = out["observed"].where(out["observed"] > 0)
        out["resid_log"] = np.log(obs) - np.log(out["fitted"])
        out["resid_pearson"] = (out["observed"] - out["fitted"]) / np.sqrt(out["fitted"])
    else:
        out["resid_log"] = g["_lr"].mean()
        out["resid_pearson"] = np.nan
    return out.reset_index()


def residual_style(
    values: pd.Series | np.ndarray, *, field: Field = "resid_log", k: int = 6, title: str = ""
) -> tuple[LayerStyle, dict[str, Any]]:
    """Graduated diverging style with breaks symmetric around zero.

    Returns
    -------
    (LayerStyle, dict)
        The style and the classification info (scheme, breaks, counts).

    Examples
    --------
    >>> s, info = residual_style(np.array([-1.0, -0.2, 0.3, 0.9]), k=4)
    >>> info["breaks"]
    [-0.5, 0.0, 0.5, 1.0]
    >>> s.classes[0].color != s.classes[-1].color
    True
    """
    from geotrade.classification import classify
    from geotrade.style.palettes import diverging_palette

    v = np.asarray(values, dtype=float)
    res = classify(v, k=k, scheme="symmetric", midpoint=0.0)
    mids = [(lo + hi) / 2 for lo, hi in zip(res.lower_bounds, res.bins, strict=True)]
    n_neg = sum(1 for m in mids if m < 0)
    n_pos = len(mids) - n_neg
    colors = diverging_palette(min(n_neg, 5), min(n_pos, 5), name="RdBu")
    if len(colors) != res.k:  # pragma: no cover - k <= 10 keeps both sides <= 5
        colors = tuple(colors) + ("#f7f7f7",) * (res.k - len(colors))
    labels = res.labels(fmt="{:+.2f}")
    classes = tuple(
        ClassStyle(
            label_en=labels[i],
            label_zh=labels[i],
            color=colors[i],
            lower=float(res.lower_bounds[i]),
            upper=float(res.bins[i]),
            count=int(res.counts[i]),
        )
        for i in range(res.k)
    )
    what = "ln(observed / fitted)" if field == "resid_log" else "Pearson residual"
    style = LayerStyle(
        kind="graduated",
        field=field,
        classes=classes,
        title_en=title or f"Gravity residual, {what}",
        title_zh=f"引力模型残差（{'ln(实际/拟合)' if field == 'resid_log' else 'Pearson 残差'}）",
        nodata=ClassStyle(
            label_en="Not in the estimation sample / no trade",
            label_zh="未进入估计样本或无贸易",
            color="#d9d9d9",
            count=int(np.isnan(v).sum()),
        ),
        extra={"scheme": "symmetric", "midpoint": 0.0},
    )
    info = {
        "scheme": "symmetric",
        "midpoint": 0.0,
        "k": int(res.k),
        "breaks": [float(b) for b in res.bins],
        "lower": float(res.lower_bounds[0]),
        "counts": [int(c) for c in res.counts],
        "closed": res.closed,
    }
    return style, info


def residual_layer(
    fit: Any,
    *,
    year: int | None = None,
    field: Field = "resid_log",
    k: int = 6,
    world: Any = None,
) -> tuple[Any, LayerStyle, dict[str, Any]]:
    """Join a fit's partner residuals to the world countries and style them.

    Parameters
    ----------
    fit
        A :class:`geotrade.models.gravity.GravityFit`; its ``id`` must hold ISO3 codes.
    year
        One year, or ``None`` for the last estimation year.
    field
        ``"resid_log"`` or ``"resid_pearson"`` (PPML only).
    k
        Number of symmetric classes (even: 0 is a break).
    world
        Geometries (default :func:`geotrade.boundaries.world_countries`).

    Returns
    -------
    (GeoDataFrame, LayerStyle, dict)
        The layer (every country; no-data where not estimated), its style, and info with
        the classification and the join report.
    """
    from geotrade.boundaries import world_countries
    from geotrade.join import STATUS_FIELD, STATUS_NOT_COVERED, complete_geography

    if field == "resid_pearson" and fit.method != "ppml":
        from geotrade.errors import InputFormatError

        msg = "Pearson residuals are defined for PPML fits only; use field='resid_log'"
        raise InputFormatError(msg)
    if year is None:
        year = int(fit.fitted[fit.time].max())
    table = residual_table(fit.fitted, method=fit.method, id=fit.id, time=fit.time, year=year)
    table = table.rename(columns={fit.id: "partner_iso3"})
    table["partner_iso3"] = table["partner_iso3"].astype(str).str.upper()
    base = world_countries() if world is None else world
    base = base[["iso_a3", "name", "geometry"]].copy()
    # every country; "not covered": never a partner of the estimation panel (any year)
    panel = {str(c).upper() for c in fit.fitted[fit.id].dropna()}
    gdf, report = complete_geography(
        table, base, left_on="partner_iso3", right_on="iso_a3", covered=panel,
        name_column="name",
    )  # fmt: skip
    gdf["model"] = f"{fit.method} {fit.y}"
    gdf["year"] = int(year)
    in_scope = gdf[STATUS_FIELD] != STATUS_NOT_COVERED
    style, info = residual_style(gdf.loc[in_scope, field], field=field, k=k)
    counts = {str(k_): int(v) for k_, v in gdf[STATUS_FIELD].value_counts().items()}
    style = style.with_status_classes(counts=counts, missing=False)
    info["join"] = report.to_dict()
    info["join_summary"] = report.summary()
    return gdf, style, info


def write_residual_gpkg(
    path: str | os.PathLike[str],
    fits: list[Any],
    *,
    year: int | None = None,
    k: int = 6,
    synthetic: bool = False,
    source: str = "",
) -> tuple[Path, dict[str, Any]]:
    """Write one residual layer per fit (``residuals_<method>_<y>``) to a GeoPackage.

    ``year`` as in :func:`residual_layer` (default: the last estimation year).

    Returns
    -------
    (Path, dict)
        The file and ``{layer: info}`` (classification and join report per layer).
    """
    from geotrade.io.geopackage import write_gpkg

    layers, styles, infos = {}, {}, {}
    for f in fits:
        name = f"residuals_{f.method}_{f.y}".lower()
        gdf, style, info = residual_layer(f, year=year, k=k)
        gdf["synthetic"] = bool(synthetic)
        layers[name], styles[name], infos[name] = gdf, style, info
    meta = {
        "title": "Gravity model fitted values and residuals",
        "synthetic": bool(synthetic),
        "note": (
            "SYNTHETIC DATA - not real statistics / 合成数据（非真实统计）" if synthetic else ""
        ),
        "source": source,
        "residual_definition": "resid_log = ln(observed) - ln(fitted); PPML: sums over years",
        "year": "last estimation year" if year is None else int(year),
        "layers": infos,
    }
    out = write_gpkg(path, layers, styles=styles, metadata=meta)
    return out, infos
