r"""Spatial weights, global Moran's I, local Moran (LISA) and bivariate local Moran.

Weights
-------
:func:`spatial_weights` builds queen (default) or rook contiguity from polygons with
libpysal. Units without a contiguous neighbour (**islands**: Hainan, Taiwan, Hong Kong,
Macao, …) get their ``island_k`` nearest neighbours by centroid distance in an
equal-area projection; the link is added in both directions so the graph stays symmetric.
Weights are row-standardised. The islands are listed in the result.

Missing values are never fed to the statistics (esda gives garbage with NaN,
pysal/esda#215): :func:`lisa` drops the units whose value is NaN, builds the weights on the
remaining units (so a unit whose only neighbours are NaN becomes an island and is treated as
one), and lists the NaN units; they get no cluster (NULL, drawn as "no data").

Statistics (z = standardised values, population standard deviation; ``lag = W z``)
--------------------------------------------------------------------------------
* global Moran ``I = (n / S0) · zᵀWz / zᵀz`` (S0 = n for row-standardised W);
* local Moran ``Iᵢ = (n − 1) zᵢ lagᵢ / Σ z²``; bivariate ``Iᵢ = (n − 1) xᵢ (W y)ᵢ / Σ x²``
  (the scaling of esda);
* quadrants: HH (z > 0, lag > 0), LH, LL, HL; z = 0 counts as low (as in esda);
* pseudo p-values by **conditional permutation**: for unit *i* the values of the other
  n − 1 units are permuted and its kᵢ neighbours drawn from them; ``p = (1 + #extreme) /
  (M + 1)`` folded to the smaller tail, as in esda/GeoDa. One seeded
  :class:`numpy.random.Generator` drives all draws; the seed is recorded;
* multiple testing: Benjamini–Hochberg false discovery rate (default) or none; a unit is
  significant when its p-value is at most the BH threshold (``alpha`` without correction).

Bivariate LISA compares a unit's value of x with its neighbours' values of y: it describes
co-location at one time, not that one variable drives the other.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> g = gpd.GeoDataFrame({"id": list("abcd")}, crs="EPSG:4326",
...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(5, 5, 6, 6)])
>>> w = spatial_weights(g, id_column="id")
>>> w.islands, w.neighbors["d"]
(('d',), ('b',))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from geotrade.errors import Problem, ValidationError

__all__ = [
    "LisaResult",
    "LocalMoranResult",
    "MoranResult",
    "SpatialWeights",
    "bh_threshold",
    "bivariate_local_moran",
    "lisa",
    "local_moran",
    "moran",
    "spatial_weights",
]

DEFAULT_SEED = 20241
Correction = Literal["fdr", "none"]
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True, eq=False)
class SpatialWeights:
    """Row-standardised spatial weights with the islands that were given kNN links."""

    ids: tuple[str, ...]
    neighbors: dict[str, tuple[str, ...]]
    kind: str
    island_k: int
    islands: tuple[str, ...] = field(default=())

    @property
    def n(self) -> int:
        """Number of units."""
        return len(self.ids)

    def matrix(self) -> NDArray[np.float64]:
        """Dense row-standardised matrix in ``ids`` order."""
        pos = {k: i for i, k in enumerate(self.ids)}
        m = np.zeros((self.n, self.n))
        for k, nb in self.neighbors.items():
            if nb:
                m[pos[k], [pos[j] for j in nb]] = 1.0 / len(nb)
        return m

    def to_libpysal(self) -> Any:
        """Return the same weights as a row-standardised :class:`libpysal.weights.W`."""
        from libpysal.weights import W

        w = W(
            {k: list(v) for k, v in self.neighbors.items()},
            id_order=list(self.ids),
            silence_warnings=True,
        )
        w.transform = "r"
        return w


def _projected_centroids(gdf: gpd.GeoDataFrame) -> NDArray[np.float64]:
    g = gdf.geometry
    if gdf.crs is not None and gdf.crs.is_geographic:
        minx, miny, maxx, maxy = g.total_bounds
        lat1, lat2 = miny + (maxy - miny) / 6, maxy - (maxy - miny) / 6
        aea = (
            f"+proj=aea +lat_1={lat1} +lat_2={lat2} +lat_0={(miny + maxy) / 2} "
            f"+lon_0={(minx + maxx) / 2} +datum=WGS84 +units=m"
        )
        g = g.to_crs(aea)
    c = g.representative_point()
    return np.column_stack([c.x.to_numpy(), c.y.to_numpy()])


def spatial_weights(
    gdf: gpd.GeoDataFrame,
    *,
    id_column: str,
    kind: Literal["queen", "rook"] = "queen",
    island_k: int = 1,
) -> SpatialWeights:
    """Contiguity weights; islands are linked to their ``island_k`` nearest units.

    Parameters
    ----------
    gdf
        Polygons with unique ids.
    id_column
        Column of unit ids (converted to ``str``).
    kind
        ``"queen"`` (shared vertex) or ``"rook"`` (shared edge).
    island_k
        Nearest neighbours given to each island (0 leaves islands without neighbours,
        which the statistics then reject).

    Returns
    -------
    SpatialWeights
    """
    from libpysal.weights import Queen, Rook

    if kind not in ("queen", "rook"):
        raise ValidationError([Problem(f"kind must be 'queen' or 'rook', got {kind!r}")])
    ids = [str(v) for v in gdf[id_column]]
    if len(set(ids)) != len(ids):
        raise ValidationError([Problem("unit ids are not unique", column=id_column)])
    if len(ids) < 3:
        raise ValidationError([Problem(f"need at least 3 units, got {len(ids)}")])
    frame = gpd.GeoDataFrame({"_id": ids}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    builder = Queen if kind == "queen" else Rook
    w = builder.from_dataframe(frame, ids="_id", use_index=False, silence_warnings=True)
    nb: dict[str, set[str]] = {k: {str(j) for j in w.neighbors.get(k, [])} for k in ids}
    islands = tuple(k for k in ids if not nb[k])
    if islands and island_k > 0:
        xy = _projected_centroids(frame)
        pos = {k: i for i, k in enumerate(ids)}
        for k in islands:
            d = np.hypot(*(xy - xy[pos[k]]).T)
            d[pos[k]] = np.inf
            for j in np.argsort(d, kind="mergesort")[: min(island_k, len(ids) - 1)]:
                nb[k].add(ids[j])
                nb[ids[j]].add(k)
    return SpatialWeights(
        ids=tuple(ids),
        neighbors={k: tuple(sorted(v)) for k, v in nb.items()},
        kind=kind,
        island_k=int(island_k),
        islands=islands,
    )


# --------------------------------------------------------------------------- statistics


def _z(values: ArrayLike, name: str, n: int) -> NDArray[np.float64]:
    y = np.asarray(values, dtype=float).ravel()
    if len(y) != n:
        msg = f"{name} has {len(y)} values for {n} units"
        raise ValidationError([Problem(msg)])
    if not np.all(np.isfinite(y)):
        msg = f"{name} has missing values; use lisa(), which drops and reports them"
        raise ValidationError([Problem(msg)])
    sd = y.std()
    if sd == 0:
        raise ValidationError([Problem(f"{name} is constant; Moran's I is undefined")])
    return (y - y.mean()) / sd


def _check_w(w: SpatialWeights) -> None:
    empty = [k for k in w.ids if not w.neighbors[k]]
    if empty:
        msg = f"units without neighbours: {empty}; build the weights with island_k >= 1"
        raise ValidationError([Problem(msg)])


def _pseudo_p(sim: NDArray[np.float64], obs: NDArray[np.float64] | float, m: int) -> Any:
    larger = (sim >= obs).sum(axis=0)
    larger = np.where(m - larger < larger, m - larger, larger)
    return (larger + 1.0) / (m + 1.0)


def bh_threshold(p: ArrayLike, alpha: float = 0.05) -> float:
    """Benjamini–Hochberg threshold on p-values, defined as in ``esda.fdr``.

    Returns ``alpha · k / n`` for the largest k with p₍ₖ₎ <= alpha · k / n, or the Bonferroni
    bound ``alpha / n`` when no p-value qualifies. "p <= threshold" then selects exactly the
    Benjamini–Hochberg discoveries.

    Examples
    --------
    >>> round(bh_threshold([0.001, 0.01, 0.03, 0.2], alpha=0.05), 6)
    0.0375
    """
    ps = np.sort(np.asarray(p, dtype=float))
    n = len(ps)
    ok = np.flatnonzero(ps <= alpha * np.arange(1, n + 1) / n)
    return float(alpha * (ok[-1] + 1) / n) if len(ok) else float(alpha / n)


@dataclass(frozen=True, eq=False)
class MoranResult:
    """Global Moran's I with its permutation pseudo p-value."""

    i: float
    expected_i: float
    p_sim: float
    z_sim: float
    n: int
    permutations: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict."""
        return dict(self.__dict__)


def moran(
    values: ArrayLike,
    weights: SpatialWeights,
    *,
    permutations: int = 999,
    seed: int = DEFAULT_SEED,
) -> MoranResult:
    """Global Moran's I (values in ``weights.ids`` order) with a permutation test.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"id": range(6)}, crs="EPSG:3857",
    ...                      geometry=[box(i, 0, i + 1, 1) for i in range(6)])
    >>> w = spatial_weights(g, id_column="id")
    >>> round(moran([1, 2, 3, 4, 5, 6], w, permutations=0).i, 4)
    0.7143
    """
    _check_w(weights)
    n = weights.n
    z = _z(values, "values", n)
    m = weights.matrix()
    i_obs = float(n / m.sum() * z @ m @ z / (z @ z))
    p = zs = float("nan")
    if permutations:
        rng = np.random.default_rng(seed)
        zp = rng.permuted(np.tile(z, (permutations, 1)), axis=1)
        sim = n / m.sum() * np.einsum("ij,ij->i", zp @ m.T, zp) / (z @ z)
        p = float(_pseudo_p(sim, i_obs, permutations))
        zs = float((i_obs - sim.mean()) / sim.std())
    return MoranResult(
        i=i_obs,
        expected_i=-1.0 / (n - 1),
        p_sim=p,
        z_sim=zs,
        n=n,
        permutations=int(permutations),
        seed=int(seed),
    )


@dataclass(frozen=True, eq=False)
class LocalMoranResult:
    """Local Moran statistics per unit (``table`` indexed like ``weights.ids``)."""

    table: pd.DataFrame
    alpha: float
    correction: str
    threshold: float
    permutations: int
    seed: int
    bivariate: bool


def _local(
    zx: NDArray[np.float64],
    zy: NDArray[np.float64],
    weights: SpatialWeights,
    *,
    permutations: int,
    seed: int,
    alpha: float,
    correction: Correction,
    bivariate: bool,
) -> LocalMoranResult:
    _check_w(weights)
    if correction not in ("fdr", "none"):
        raise ValidationError([Problem(f"correction must be 'fdr' or 'none', got {correction!r}")])
    n = weights.n
    m = weights.matrix()
    lag = m @ zy
    scale = (n - 1) / (zx @ zx)
    ii = scale * zx * lag
    q = np.where(zx > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    p = np.full(n, np.nan)
    if permutations:
        rng = np.random.default_rng(seed)
        kmax = int((m > 0).sum(axis=1).max())
        rids = np.array([rng.permutation(n - 1)[:kmax] for _ in range(permutations)])
        everyone = np.arange(n)
        for i in range(n):
            cols = np.flatnonzero(m[i] > 0)
            wi = m[i, cols]
            others = np.delete(everyone, i)
            draw = others[rids[:, : len(cols)]]
            sim = zx[i] * (zy[draw] @ wi) * scale
            p[i] = _pseudo_p(sim, ii[i], permutations)
    thr = bh_threshold(p, alpha) if correction == "fdr" else alpha
    sig = p <= thr
    labels = np.array([QUADRANTS[int(k)] for k in q], dtype=object)
    table = pd.DataFrame(
        {
            "id": list(weights.ids),
            "z": zx,
            "lag": lag,
            "local_i": ii,
            "quadrant": labels,
            "p_sim": p,
            "significant": sig,
            "cluster": np.where(sig, labels, "ns"),
            "significant_raw": p <= alpha,
        }
    ).set_index("id")
    return LocalMoranResult(
        table=table,
        alpha=float(alpha),
        correction=correction,
        threshold=float(thr),
        permutations=int(permutations),
        seed=int(seed),
        bivariate=bivariate,
    )


def local_moran(
    values: ArrayLike,
    weights: SpatialWeights,
    *,
    permutations: int = 999,
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
    correction: Correction = "fdr",
) -> LocalMoranResult:
    """Local Moran's Iᵢ, quadrant, conditional-permutation p-value and cluster label.

    Returns
    -------
    LocalMoranResult
        ``table`` columns ``z, lag, local_i, quadrant (HH/LH/LL/HL), p_sim, significant,
        cluster (quadrant or "ns"), significant_raw`` (p <= alpha without correction).
    """
    z = _z(values, "values", weights.n)
    return _local(
        z,
        z,
        weights,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        correction=correction,
        bivariate=False,
    )


def bivariate_local_moran(
    x: ArrayLike,
    y: ArrayLike,
    weights: SpatialWeights,
    *,
    permutations: int = 999,
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
    correction: Correction = "fdr",
) -> LocalMoranResult:
    """Bivariate local Moran: unit's x against the spatial lag of y (esda ``Moran_Local_BV``).

    Quadrant HH means: high x here, high y around.
    """
    zx = _z(x, "x", weights.n)
    zy = _z(y, "y", weights.n)
    return _local(
        zx,
        zy,
        weights,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        correction=correction,
        bivariate=True,
    )


@dataclass(frozen=True, eq=False)
class LisaResult:
    """Global and local Moran of one column of a layer, NaN units and islands reported."""

    moran: MoranResult
    local: LocalMoranResult
    table: pd.DataFrame
    nan_units: tuple[str, ...]
    islands: tuple[str, ...]
    weights: SpatialWeights
    bivariate: LocalMoranResult | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        counts = self.table["lisa_cluster"].value_counts(dropna=False)
        return {
            "moran": self.moran.to_dict(),
            "alpha": self.local.alpha,
            "correction": self.local.correction,
            "threshold": self.local.threshold,
            "cluster_counts": {str(k): int(v) for k, v in counts.items()},
            "nan_units": list(self.nan_units),
            "islands": list(self.islands),
            "weights": {"kind": self.weights.kind, "island_k": self.weights.island_k},
        }


def lisa(
    gdf: gpd.GeoDataFrame,
    column: str,
    *,
    id_column: str,
    bivariate_with: tuple[str, str] | None = None,
    kind: Literal["queen", "rook"] = "queen",
    island_k: int = 1,
    permutations: int = 999,
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
    correction: Correction = "fdr",
) -> LisaResult:
    """Global Moran and LISA of ``column``; NaN units dropped and listed, islands linked.

    Parameters
    ----------
    gdf
        Polygons with ``id_column`` and ``column``.
    column
        Variable (e.g. the ratio of volume share to outlet share).
    bivariate_with
        ``(x, y)`` column names for an additional bivariate local Moran (x here vs y
        around), computed on the units where both are finite.
    kind, island_k
        Passed to :func:`spatial_weights`.
    permutations, seed, alpha, correction
        Passed to :func:`moran` / :func:`local_moran`.

    Returns
    -------
    LisaResult
        ``table`` (one row per input unit, input order): ``id, value, local_i, quadrant,
        p_sim, lisa_cluster`` (None for NaN units) and, with ``bivariate_with``,
        ``bv_local_i, bv_p_sim, bv_cluster``.
    """
    ids = pd.Series([str(v) for v in gdf[id_column]])
    vals = pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(vals)
    nan_units = tuple(ids[~ok])
    sub = gdf.loc[ok]
    w = spatial_weights(sub, id_column=id_column, kind=kind, island_k=island_k)
    g = moran(vals[ok], w, permutations=permutations, seed=seed)
    loc = local_moran(
        vals[ok], w, permutations=permutations, seed=seed, alpha=alpha, correction=correction
    )
    table = pd.DataFrame({"id": ids, "value": vals})
    lt = loc.table.rename(columns={"cluster": "lisa_cluster"})
    table = table.merge(
        lt[["local_i", "quadrant", "p_sim", "lisa_cluster"]],
        left_on="id",
        right_index=True,
        how="left",
    )
    table["is_island"] = table["id"].isin(w.islands)
    bv = None
    if bivariate_with is not None:
        xcol, ycol = bivariate_with
        xv = pd.to_numeric(gdf[xcol], errors="coerce").to_numpy(dtype=float)
        yv = pd.to_numeric(gdf[ycol], errors="coerce").to_numpy(dtype=float)
        ok2 = np.isfinite(xv) & np.isfinite(yv)
        w2 = (
            w
            if ok2.tolist() == ok.tolist()
            else spatial_weights(gdf.loc[ok2], id_column=id_column, kind=kind, island_k=island_k)
        )
        bv = bivariate_local_moran(
            xv[ok2],
            yv[ok2],
            w2,
            permutations=permutations,
            seed=seed,
            alpha=alpha,
            correction=correction,
        )
        bt = bv.table.rename(
            columns={"local_i": "bv_local_i", "p_sim": "bv_p_sim", "cluster": "bv_cluster"}
        )
        table = table.merge(
            bt[["bv_local_i", "bv_p_sim", "bv_cluster"]], left_on="id", right_index=True, how="left"
        )
    return LisaResult(
        moran=g,
        local=loc,
        table=table,
        nan_units=nan_units,
        islands=w.islands,
        weights=w,
        bivariate=bv,
    )
