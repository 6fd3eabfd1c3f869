"""Great-circle flow lines between capitals (origin → destination), antimeridian-safe.

Each line follows the geodesic on the WGS84 ellipsoid (``pyproj.Geod.npts``) between the
capitals of the two economies (:func:`geotrade.reference.countries`: CEPII/WDI capital
coordinates), so a line drawn in EPSG:4326 bends like the real shortest path. A geodesic that
crosses the ±180° meridian is split there into a ``MultiLineString`` (the crossing latitude is
interpolated), so no segment runs across the whole map.

Edges whose economies have no capital coordinates are never dropped silently: they are
listed in ``attrs["missing_coordinates"]`` (and counted in ``attrs["n_missing"]``).

Examples
--------
>>> import pandas as pd
>>> edges = pd.DataFrame({"year": 2022, "iso3": "CHN", "partner_iso3": ["USA", "KOR"],
...                       "exports": [10.0, 5.0]})
>>> lines = flow_lines(edges, top_n=2)
>>> lines[["iso3", "partner_iso3", "rank"]].values.tolist()
[['CHN', 'USA', 1], ['CHN', 'KOR', 2]]
>>> lines.geometry.geom_type.tolist()  # Beijing -> Washington crosses the Bering region
['MultiLineString', 'LineString']
>>> lines["distance_km"].round().tolist()
[11174.0, 957.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

__all__ = ["capital_coordinates", "flow_lines", "geodesic_line"]

_GEOD = Geod(ellps="WGS84")


def capital_coordinates() -> pd.DataFrame:
    """Capital coordinates from the reference table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``iso3`` with ``lon, lat`` (decimal degrees, WGS84); economies without
        coordinates in the cited sources are absent.

    Examples
    --------
    >>> c = capital_coordinates()
    >>> bool(c.loc["CHN", "lat"] > 39)
    True
    """
    from geotrade.reference import countries

    c = countries().set_index("iso3")
    out = c[["capital_lon", "capital_lat"]].rename(
        columns={"capital_lon": "lon", "capital_lat": "lat"}
    )
    return out.dropna()


def geodesic_line(
    lon1: float, lat1: float, lon2: float, lat2: float, *, npts: int = 64
) -> LineString | MultiLineString:
    """Geodesic between two points as a line, split at the antimeridian.

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        End points in decimal degrees (WGS84).
    npts
        Intermediate points (the line has ``npts + 2`` vertices before splitting).

    Returns
    -------
    shapely.LineString or shapely.MultiLineString
        A ``MultiLineString`` when the geodesic crosses ±180° longitude; every vertex lies
        within [-180, 180].

    Examples
    --------
    >>> g = geodesic_line(139.7, 35.7, -122.4, 37.8, npts=16)   # Tokyo -> San Francisco
    >>> g.geom_type, len(g.geoms)
    ('MultiLineString', 2)
    >>> bool(max(abs(x) for part in g.geoms for x, _ in part.coords) <= 180)
    True
    """
    mid = _GEOD.npts(lon1, lat1, lon2, lat2, npts) if npts > 0 else []
    pts = [(float(lon1), float(lat1)), *((float(x), float(y)) for x, y in mid)]
    pts.append((float(lon2), float(lat2)))
    parts: list[list[tuple[float, float]]] = [[pts[0]]]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if abs(x1 - x0) > 180.0:
            # crossing: unwrap x1 next to x0, interpolate the latitude at the meridian
            edge = 180.0 if x0 > 0 else -180.0
            x1u = x1 + 360.0 if x0 > 0 else x1 - 360.0
            t = (edge - x0) / (x1u - x0)
            yc = y0 + t * (y1 - y0)
            parts[-1].append((edge, yc))
            parts.append([(-edge, yc)])
        parts[-1].append((x1, y1))
    parts = [p for p in parts if len(p) >= 2]
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def flow_lines(
    edges: pd.DataFrame,
    *,
    origin: str = "iso3",
    destination: str = "partner_iso3",
    weight: str = "exports",
    by: Sequence[str] = ("year",),
    top_n: int | None = 5,
    coordinates: pd.DataFrame | None = None,
    npts: int = 64,
) -> gpd.GeoDataFrame:
    """Flow-line layer of the largest flows of every origin (e.g. each country's top partners).

    Parameters
    ----------
    edges
        One row per flow with ``origin``, ``destination`` and ``weight`` columns (e.g. the
        output of :func:`geotrade.metrics.network.pair_interdependence`); other columns
        are carried to the layer.
    origin, destination, weight
        Column names.
    by
        Columns that group the flows (top-N is taken per origin within each group); those
        missing from ``edges`` are ignored.
    top_n
        Keep the ``top_n`` largest positive flows per origin (``None``: all positive flows).
    coordinates
        Optional ``iso3``-indexed table with ``lon, lat``; default
        :func:`capital_coordinates`.
    npts
        Intermediate points per line.

    Returns
    -------
    geopandas.GeoDataFrame
        The kept rows with ``rank`` (1 = largest within origin and group), ``distance_km``
        (geodesic) and a line geometry (EPSG:4326). ``attrs["missing_coordinates"]`` lists
        ``(origin, destination)`` pairs left out for lack of coordinates.

    Raises
    ------
    ValueError
        If a column is missing or ``top_n < 1``.
    """
    for col in (origin, destination, weight):
        if col not in edges.columns:
            msg = f"edges have no column {col!r}; columns are {list(edges.columns)}"
            raise ValueError(msg)
    if top_n is not None and top_n < 1:
        msg = f"top_n must be a positive integer or None, got {top_n!r}"
        raise ValueError(msg)
    coords = capital_coordinates() if coordinates is None else coordinates
    keys = [c for c in by if c in edges.columns]
    e = edges[pd.to_numeric(edges[weight], errors="coerce") > 0].copy()
    e = e.sort_values(
        [*keys, origin, weight, destination],
        ascending=[*([True] * (len(keys) + 1)), False, True],
        kind="stable",
    )
    e["rank"] = e.groupby([*keys, origin], sort=False).cumcount() + 1
    if top_n is not None:
        e = e[e["rank"] <= top_n]
    known = set(coords.index)
    ok = e[origin].isin(known) & e[destination].isin(known)
    missing = sorted(
        {(str(a), str(b)) for a, b in zip(e.loc[~ok, origin], e.loc[~ok, destination], strict=True)}
    )
    e = e[ok].reset_index(drop=True)
    lon1 = e[origin].map(coords["lon"]).to_numpy(dtype=float)
    lat1 = e[origin].map(coords["lat"]).to_numpy(dtype=float)
    lon2 = e[destination].map(coords["lon"]).to_numpy(dtype=float)
    lat2 = e[destination].map(coords["lat"]).to_numpy(dtype=float)
    if len(e):
        _az1, _az2, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
        e["distance_km"] = np.asarray(dist, dtype=float) / 1000.0
    else:
        e["distance_km"] = pd.Series(dtype=float)
    geoms = [
        geodesic_line(a, b, c, d, npts=npts)
        for a, b, c, d in zip(lon1, lat1, lon2, lat2, strict=True)
    ]
    out = gpd.GeoDataFrame(e, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"), crs="EPSG:4326")
    out.attrs["missing_coordinates"] = missing
    out.attrs["n_missing"] = len(missing)
    return out
