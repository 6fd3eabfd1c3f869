r"""Spatial mismatch index (Duncan dissimilarity) with permutation and bootstrap intervals.

Definition
----------
For demand ``a`` (e.g. retired battery volume) and supply ``b`` (e.g. recycling outlets)
over units *i* with totals ``A = Σ aᵢ`` and ``B = Σ bᵢ``::

    SMI = ½ Σᵢ | aᵢ/A − bᵢ/B |                       ∈ [0, 1], symmetric in (a, b)

SMI is the share of supply (equivalently of demand) that would have to move between units
for the two distributions to coincide. It equals the Duncan & Duncan dissimilarity index of
``segregation.singlegroup.Dissim`` computed with group population ``aᵢ`` and total
population ``tᵢ = aᵢ + bᵢ`` after rescaling ``b`` to the total of ``a`` (see
:func:`dissimilarity`): Dissim = Σ tᵢ|pᵢ − P| / (2TP(1 − P)) with pᵢ = aᵢ/tᵢ reduces to
½ Σ|aᵢ/A − bᵢ/B| exactly when A = B.

**Contribution of a region** *g*: ``C_g = ½ Σ_{i∈g} |aᵢ/A − bᵢ/B|`` (Σ_g C_g = SMI), and
its share ``C_g / SMI``; the **within-region index** is the SMI computed inside *g* with
regional totals.

**Permutation test**: the supply values are randomly reassigned to units (``permutations``
times; a fixed-seed :class:`numpy.random.Generator`), giving the distribution of SMI when
supply is unrelated to where demand is. ``p_lower = (1 + #{SMI_perm ≤ SMI}) / (M + 1)``
tests "supply follows demand more closely than chance", ``p_upper`` the opposite.
**Bootstrap**: units are resampled with replacement; the percentile interval of SMI is the
``ci`` interval. The seed is recorded in the result.

Examples
--------
>>> dissimilarity([10, 0, 0], [0, 0, 5])
1.0
>>> r = smi([5, 3, 2, 0], [1, 1, 1, 1], permutations=99, bootstrap=99, seed=1)
>>> round(r.index, 4), r.seed
(0.3, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from geotrade.errors import Problem, ValidationError

__all__ = ["SMIResult", "dissimilarity", "smi"]

DEFAULT_SEED = 20241


def _arrays(a: ArrayLike, b: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    problems: list[Problem] = []
    if x.shape != y.shape:
        problems.append(Problem(f"demand and supply lengths differ: {len(x)} vs {len(y)}"))
    else:
        for name, v in (("demand", x), ("supply", y)):
            if not np.all(np.isfinite(v)):
                problems.append(Problem(f"{name} has missing or infinite values", column=name))
            elif (v < 0).any():
                problems.append(Problem(f"{name} has negative values", column=name))
            elif v.sum() <= 0:
                problems.append(Problem(f"{name} total is 0; shares undefined", column=name))
    if problems:
        raise ValidationError(problems)
    return x, y


def dissimilarity(a: ArrayLike, b: ArrayLike) -> float:
    """Return SMI = ½ Σ|aᵢ/A − bᵢ/B| of two non-negative vectors.

    Examples
    --------
    >>> dissimilarity([1, 1], [1, 1])
    0.0
    >>> round(dissimilarity([3, 1], [1, 3]), 3)
    0.5
    """
    x, y = _arrays(a, b)
    return float(0.5 * np.abs(x / x.sum() - y / y.sum()).sum())


def _fast(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise SMI of 2-D arrays (each row one sample)."""
    return 0.5 * np.abs(x / x.sum(axis=-1, keepdims=True) - y / y.sum(axis=-1, keepdims=True)).sum(
        axis=-1
    )


@dataclass(frozen=True, eq=False)
class SMIResult:
    """Spatial mismatch index with its intervals and regional decomposition.

    Attributes
    ----------
    index
        SMI of the observed data.
    n
        Number of units.
    permutations, bootstrap, seed, ci
        Settings (the seed reproduces the intervals exactly).
    null_mean, null_interval, p_lower, p_upper
        Permutation null distribution summary (``null_interval`` at level ``ci``).
    bootstrap_interval
        Percentile bootstrap interval at level ``ci`` (NaN when ``bootstrap == 0``).
    units
        Per unit: ``demand_share``, ``supply_share``, ``difference``, ``contribution``.
    regions
        Per region (when given): ``n, demand_share, supply_share, contribution,
        contribution_share, within_smi``.
    """

    index: float
    n: int
    permutations: int
    bootstrap: int
    seed: int
    ci: float
    null_mean: float
    null_interval: tuple[float, float]
    p_lower: float
    p_upper: float
    bootstrap_interval: tuple[float, float]
    units: pd.DataFrame
    regions: pd.DataFrame | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary (without the unit table)."""
        out: dict[str, Any] = {
            k: getattr(self, k)
            for k in (
                "index",
                "n",
                "permutations",
                "bootstrap",
                "seed",
                "ci",
                "null_mean",
                "p_lower",
                "p_upper",
            )
        }
        out["null_interval"] = list(self.null_interval)
        out["bootstrap_interval"] = list(self.bootstrap_interval)
        if self.regions is not None:
            out["regions"] = [
                {k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
                for r in self.regions.reset_index().to_dict(orient="records")
            ]
        return out


def smi(
    demand: ArrayLike,
    supply: ArrayLike,
    *,
    regions: Sequence[object] | None = None,
    ids: Sequence[object] | None = None,
    permutations: int = 999,
    bootstrap: int = 999,
    seed: int = DEFAULT_SEED,
    ci: float = 0.95,
) -> SMIResult:
    """Compute SMI with a permutation null, a bootstrap interval and a regional breakdown.

    Parameters
    ----------
    demand, supply
        Non-negative values per unit (same order); each must have a positive total.
    regions
        Region label per unit (e.g. East/Central/West, or the province of a prefecture).
    ids
        Unit identifiers for the ``units`` table (default 0..n-1).
    permutations, bootstrap
        Number of random reassignments / resamples (0 disables).
    seed
        Seed of :func:`numpy.random.default_rng`; recorded in the result.
    ci
        Interval level.

    Returns
    -------
    SMIResult

    Examples
    --------
    >>> r = smi([4, 4, 1, 1], [1, 1, 4, 4], regions=["E", "E", "W", "W"], permutations=0,
    ...         bootstrap=0)
    >>> round(r.index, 12), [round(c, 12) for c in r.regions["contribution"]]
    (0.6, [0.3, 0.3])
    """
    x, y = _arrays(demand, supply)
    n = len(x)
    if not 0 < ci < 1:
        raise ValidationError([Problem(f"ci must be in (0, 1), got {ci}")])
    for name, v in (("permutations", permutations), ("bootstrap", bootstrap)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValidationError([Problem(f"{name} must be an integer >= 0, got {v!r}")])
    ds, ss = x / x.sum(), y / y.sum()
    diff = ds - ss
    contrib = 0.5 * np.abs(diff)
    index = float(contrib.sum())
    rng = np.random.default_rng(seed)
    lo_q, hi_q = (1 - ci) / 2, 1 - (1 - ci) / 2
    if permutations:
        perm = rng.permuted(np.tile(y, (permutations, 1)), axis=1)
        null = _fast(np.broadcast_to(x, perm.shape), perm)
        eps = 1e-12
        p_lower = float((1 + (null <= index + eps).sum()) / (permutations + 1))
        p_upper = float((1 + (null >= index - eps).sum()) / (permutations + 1))
        null_mean = float(null.mean())
        null_int = (float(np.quantile(null, lo_q)), float(np.quantile(null, hi_q)))
    else:
        p_lower = p_upper = null_mean = float("nan")
        null_int = (float("nan"), float("nan"))
    if bootstrap:
        idx = rng.integers(0, n, size=(bootstrap, n))
        xb, yb = x[idx], y[idx]
        ok = (xb.sum(axis=1) > 0) & (yb.sum(axis=1) > 0)
        boot = _fast(xb[ok], yb[ok])
        boot_int = (float(np.quantile(boot, lo_q)), float(np.quantile(boot, hi_q)))
    else:
        boot_int = (float("nan"), float("nan"))
    units = pd.DataFrame(
        {
            "id": list(ids) if ids is not None else np.arange(n),
            "demand_share": ds,
            "supply_share": ss,
            "difference": diff,
            "contribution": contrib,
        }
    )
    reg_table = None
    if regions is not None:
        labels = pd.Series(list(regions), dtype=object)
        if len(labels) != n or labels.isna().any():
            msg = "regions must give one non-missing label per unit"
            raise ValidationError([Problem(msg, column="region")])
        units["region"] = labels.to_numpy()
        rows = []
        for g, sub in units.groupby("region", sort=True):
            xi, yi = x[sub.index], y[sub.index]
            within = (
                float(0.5 * np.abs(xi / xi.sum() - yi / yi.sum()).sum())
                if xi.sum() > 0 and yi.sum() > 0
                else float("nan")
            )
            c = float(sub["contribution"].sum())
            rows.append(
                {
                    "region": g,
                    "n": len(sub),
                    "demand_share": float(sub["demand_share"].sum()),
                    "supply_share": float(sub["supply_share"].sum()),
                    "contribution": c,
                    "contribution_share": c / index if index > 0 else float("nan"),
                    "within_smi": within,
                }
            )
        reg_table = pd.DataFrame(rows).set_index("region")
    return SMIResult(
        index=index,
        n=n,
        permutations=int(permutations),
        bootstrap=int(bootstrap),
        seed=int(seed),
        ci=float(ci),
        null_mean=null_mean,
        null_interval=null_int,
        p_lower=p_lower,
        p_upper=p_upper,
        bootstrap_interval=boot_int,
        units=units,
        regions=reg_table,
    )
