r"""Theil index with between/within decomposition, and the Gini coefficient.

Definitions
-----------
For values ``yᵢ >= 0`` with weights ``wᵢ > 0`` (default 1), weighted mean
``μ = Σ wᵢyᵢ / Σ wᵢ`` and income shares ``sᵢ = wᵢyᵢ / Σ wⱼyⱼ``::

    T = Σᵢ sᵢ · ln(yᵢ / μ)              (Theil T; terms with yᵢ = 0 contribute 0)

With groups *g* (weight share ``W_g``, share ``S_g = Σ_{i∈g} sᵢ``, mean ``μ_g``)::

    T = T_between + T_within
    T_between = Σ_g S_g · ln(μ_g / μ)
    T_within  = Σ_g S_g · T_g          (T_g: the Theil index inside g)

**Mismatch reading.** With ``y = supply / demand`` and ``w = demand`` (e.g. outlets per
tonne of retired batteries weighted by tonnes), ``sᵢ`` is unit *i*'s supply share ``bᵢ/B``
and ``T = Σ (bᵢ/B) ln((bᵢ/B) / (aᵢ/A))``: the Kullback–Leibler divergence of the supply
distribution from the demand distribution, 0 when supply is spread exactly like demand.

Gini (weighted; equal weights give the usual mean-difference form)::

    G = Σᵢ Σⱼ wᵢwⱼ |yᵢ − yⱼ| / (2 (Σ w)² μ)

Examples
--------
>>> round(theil([1, 1, 1, 1]).total, 12)
0.0
>>> round(gini([0, 0, 0, 1]), 4)
0.75
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from geotrade.errors import Problem, ValidationError

__all__ = ["TheilResult", "gini", "theil"]


def _check(
    values: ArrayLike, weights: ArrayLike | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y = np.asarray(values, dtype=float).ravel()
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float).ravel()
    problems = []
    if w.shape != y.shape:
        problems.append(Problem(f"values and weights lengths differ: {len(y)} vs {len(w)}"))
    elif not (np.all(np.isfinite(y)) and np.all(np.isfinite(w))):
        problems.append(Problem("values or weights have missing or infinite entries"))
    elif (y < 0).any() or (w <= 0).any():
        problems.append(Problem("values must be >= 0 and weights > 0"))
    elif len(y) == 0 or (w * y).sum() <= 0:
        problems.append(Problem("the weighted total of the values is 0; index undefined"))
    if problems:
        raise ValidationError(problems)
    return y, w


def _theil(y: NDArray[np.float64], w: NDArray[np.float64]) -> float:
    mu = (w * y).sum() / w.sum()
    s = w * y / (w * y).sum()
    pos = y > 0
    return float((s[pos] * np.log(y[pos] / mu)).sum())


@dataclass(frozen=True, eq=False)
class TheilResult:
    """Theil T index and its decomposition (``groups`` table when groups were given)."""

    total: float
    between: float
    within: float
    groups: pd.DataFrame | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        out: dict[str, Any] = {"total": self.total, "between": self.between, "within": self.within}
        if self.groups is not None:
            out["groups"] = [
                {k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
                for r in self.groups.reset_index().to_dict(orient="records")
            ]
        return out


def theil(
    values: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    groups: Sequence[object] | None = None,
) -> TheilResult:
    """Theil T index, decomposed into between- and within-group parts.

    Parameters
    ----------
    values
        ``yᵢ >= 0``.
    weights
        ``wᵢ > 0`` (default 1).
    groups
        One label per unit; without groups ``between = 0`` and ``within = total``.

    Returns
    -------
    TheilResult
        ``groups`` has ``n, weight_share, share, mean, theil, within_contribution``.

    Examples
    --------
    >>> r = theil([1, 3, 2, 6], groups=["a", "a", "b", "b"])
    >>> round(r.total, 6) == round(r.between + r.within, 6)
    True
    """
    y, w = _check(values, weights)
    total = _theil(y, w)
    if groups is None:
        return TheilResult(total=total, between=0.0, within=total, groups=None)
    g = pd.Series(list(groups), dtype=object)
    if len(g) != len(y) or g.isna().any():
        raise ValidationError([Problem("groups must give one non-missing label per unit")])
    mu = (w * y).sum() / w.sum()
    rows = []
    between = within = 0.0
    for label, idx in g.groupby(g, sort=True).groups.items():
        ii = np.asarray(idx)
        yg, wg = y[ii], w[ii]
        share = float((wg * yg).sum() / (w * y).sum())
        mu_g = float((wg * yg).sum() / wg.sum())
        t_g = _theil(yg, wg) if share > 0 else 0.0
        b = share * np.log(mu_g / mu) if share > 0 else 0.0
        between += b
        within += share * t_g
        rows.append(
            {
                "group": label,
                "n": len(ii),
                "weight_share": float(wg.sum() / w.sum()),
                "share": share,
                "mean": mu_g,
                "theil": t_g,
                "within_contribution": share * t_g,
                "between_term": float(b),
            }
        )
    return TheilResult(
        total=total,
        between=float(between),
        within=float(within),
        groups=pd.DataFrame(rows).set_index("group"),
    )


def gini(values: ArrayLike, *, weights: ArrayLike | None = None) -> float:
    """Gini coefficient ``Σᵢ Σⱼ wᵢwⱼ|yᵢ − yⱼ| / (2 (Σw)² μ)``.

    Examples
    --------
    >>> round(gini([1, 2, 3, 4]), 6)
    0.25
    >>> round(gini([1, 2], weights=[3, 1]), 6)
    0.15
    """
    y, w = _check(values, weights)
    mu = (w * y).sum() / w.sum()
    order = np.argsort(y, kind="mergesort")
    ys, ws = y[order], w[order]
    # Σᵢ Σⱼ wᵢwⱼ|yᵢ − yⱼ| = 2 Σᵢ wᵢ yᵢ (W_{<i} − W_{>i}) for sorted y, O(n log n)
    cw = np.cumsum(ws)
    below = cw - ws
    above = cw[-1] - cw
    s = 2.0 * (ws * ys * (below - above)).sum()
    return float(s / (2.0 * w.sum() ** 2 * mu))
