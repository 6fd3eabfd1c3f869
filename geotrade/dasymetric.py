r"""Dasymetric allocation of provincial totals to prefectures.

Each province's total ``T_p`` is split among its zones *i* in proportion to a weight
``wᵢ``: the zonal sum of a user-supplied weight raster (population, vehicle density, …)
inside the zone, or a vector weight column::

    allocated_i = T_p · wᵢ / Σ_{j ∈ p} wⱼ

Zonal sums count the pixels whose centre falls inside the zone
(:func:`rasterio.features.geometry_mask`, ``all_touched=False``) after reprojecting the
zones to the raster's CRS; nodata pixels count 0. If every zone of a province has zero
weight the province falls back to **area shares** (equal-area projection) and is listed in
``fallback_provinces``; single zones with zero weight in a province that has weight get 0
and are listed in ``zero_weight_zones``. Totals are preserved per province: the last
rounding residual goes to the largest zone so that ``math.fsum`` of the allocations equals
the total (with ``integer=True``, largest-remainder rounding to whole units).

Examples
--------
>>> import geopandas as gpd, pandas as pd
>>> from shapely.geometry import box
>>> zones = gpd.GeoDataFrame({"adcode": ["a", "b"], "province_adcode": ["P", "P"],
...                           "w": [3.0, 1.0]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
...                          crs="EPSG:4326")
>>> r = allocate(pd.DataFrame({"province_adcode": ["P"], "value": [100.0]}), zones,
...              weight_column="w")
>>> r.table["allocated"].tolist()
[75.0, 25.0]
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError

__all__ = ["DasymetricResult", "allocate", "zonal_sums"]


@dataclass(frozen=True, eq=False)
class DasymetricResult:
    """Allocation table and what needed special handling."""

    table: pd.DataFrame
    fallback_provinces: tuple[str, ...]
    zero_weight_zones: tuple[str, ...]
    weight_source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary."""
        return {
            "fallback_provinces": list(self.fallback_provinces),
            "zero_weight_zones": list(self.zero_weight_zones),
            "weight_source": self.weight_source,
        }


def zonal_sums(zones: gpd.GeoDataFrame, raster: str | os.PathLike[str]) -> np.ndarray:
    """Sum of raster band 1 inside each zone (pixel centres; nodata and NaN count 0).

    Returns
    -------
    numpy.ndarray
        One float per zone, in ``zones`` order.
    """
    import rasterio
    from rasterio.features import geometry_mask
    from rasterio.windows import from_bounds

    if not os.path.isfile(raster):
        msg = "weight raster not found"
        raise DataNotFoundError(msg, path=str(raster))
    try:
        src = rasterio.open(raster)
    except Exception as e:
        raise InputFormatError(f"cannot read the weight raster ({e})", path=str(raster)) from e
    with src:
        z = zones.to_crs(src.crs) if src.crs is not None and zones.crs is not None else zones
        out = np.zeros(len(z))
        for i, geom in enumerate(z.geometry):
            if geom is None or geom.is_empty:
                continue
            win = from_bounds(*geom.bounds, transform=src.transform).round_offsets().round_lengths()
            win = win.intersection(rasterio.windows.Window(0, 0, src.width, src.height))
            if win.width <= 0 or win.height <= 0:
                continue
            data = src.read(1, window=win, masked=True).astype(float).filled(0.0)
            data = np.where(np.isfinite(data), data, 0.0)
            mask = geometry_mask(
                [geom], out_shape=data.shape, transform=src.window_transform(win), invert=True
            )
            out[i] = float(data[mask].sum())
    if (out < 0).any():
        raise ValidationError(
            [Problem("the weight raster has negative values inside zones", path=str(raster))]
        )
    return out


def _split(total: float, w: np.ndarray, integer: bool) -> np.ndarray:
    share = w / w.sum()
    if integer:
        raw = total * share
        base = np.floor(raw)
        rest = round(total - base.sum())
        order = np.argsort(-(raw - base), kind="mergesort")
        base[order[:rest]] += 1
        return base
    alloc = total * share
    big = int(np.argmax(w))
    alloc[big] = 0.0
    alloc[big] = total - math.fsum(alloc)
    return alloc


def allocate(
    totals: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    *,
    raster: str | os.PathLike[str] | None = None,
    weight_column: str | None = None,
    value_column: str = "value",
    zone_id: str = "adcode",
    province_column: str = "province_adcode",
    integer: bool = False,
) -> DasymetricResult:
    """Allocate provincial totals to zones by raster or vector weights.

    Parameters
    ----------
    totals
        ``province_column`` and ``value_column`` (>= 0), one row per province.
    zones
        Polygons with ``zone_id`` and ``province_column``.
    raster, weight_column
        Exactly one: a weight GeoTIFF (zonal sums) or a numeric column of ``zones``.
    integer
        Round to whole units (largest remainder); totals must then be whole numbers.

    Returns
    -------
    DasymetricResult
        ``table``: ``zone_id, province_column, weight, share, allocated, fallback``.

    Raises
    ------
    ValidationError
        Provinces of ``totals`` without zones, negative weights or totals.
    """
    if (raster is None) == (weight_column is None):
        msg = "give exactly one of raster= or weight_column="
        raise InputFormatError(msg)
    problems: list[Problem] = []
    t = totals[[province_column, value_column]].copy()
    t[province_column] = t[province_column].astype(str)
    vals = pd.to_numeric(t[value_column], errors="coerce")
    for i in np.flatnonzero((vals.isna() | (vals < 0)).to_numpy()):
        problems.append(
            Problem(
                f"total must be a number >= 0, got {t[value_column].iloc[i]!r}",
                row=int(i) + 2,
                column=value_column,
            )
        )
    if integer:
        for i in np.flatnonzero((vals.notna() & (vals != vals.round())).to_numpy()):
            problems.append(
                Problem(
                    "integer=True needs whole-number totals", row=int(i) + 2, column=value_column
                )
            )
    zp = zones[province_column].astype(str)
    missing = sorted(set(t[province_column]) - set(zp))
    if missing:
        problems.append(Problem(f"provinces without zones: {missing}", column=province_column))
    if raster is not None:
        w = zonal_sums(zones, raster)
        source = f"raster {raster}"
    else:
        w = pd.to_numeric(zones[weight_column], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(w) | (w < 0)
        for i in np.flatnonzero(bad):
            problems.append(
                Problem(
                    f"weight must be a number >= 0, got {zones[weight_column].iloc[i]!r}",
                    row=int(i) + 2,
                    column=weight_column,
                )
            )
        source = f"column {weight_column}"
    if problems:
        raise ValidationError(problems)
    area = (
        zones.geometry.to_crs("+proj=cea +datum=WGS84").area.to_numpy()
        if zones.crs
        else (zones.geometry.area.to_numpy())
    )
    table = pd.DataFrame(
        {
            zone_id: zones[zone_id].astype(str).to_numpy(),
            province_column: zp.to_numpy(),
            "weight": w,
        }
    )
    table["share"] = np.nan
    table["allocated"] = np.nan
    table["fallback"] = False
    fallback: list[str] = []
    zero: list[str] = []
    tot = dict(zip(t[province_column], vals.astype(float), strict=True))
    for p, idx in table.groupby(province_column, sort=True).groups.items():
        if p not in tot:
            continue
        ii = np.asarray([table.index.get_loc(k) for k in idx])
        wp = w[ii]
        if wp.sum() <= 0:
            fallback.append(str(p))
            wp = area[ii]
            table.iloc[ii, table.columns.get_loc("fallback")] = True
        else:
            zero += table.iloc[ii][zone_id][wp == 0].tolist()
        table.iloc[ii, table.columns.get_loc("share")] = wp / wp.sum()
        table.iloc[ii, table.columns.get_loc("allocated")] = _split(tot[p], wp, integer)
    return DasymetricResult(
        table=table,
        fallback_provinces=tuple(fallback),
        zero_weight_zones=tuple(zero),
        weight_source=source,
    )
