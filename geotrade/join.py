"""Join metric tables to geometries: the only place where codes meet polygons.

A join never drops a key silently. :func:`join_to_geometry` returns the joined
GeoDataFrame **and** a :class:`JoinReport` listing

* ``matched`` keys,
* ``unmatched_table`` keys: rows of the table with no geometry (they cannot be mapped; each
  comes with the closest geometry keys/names as suggestions),
* ``unmatched_geometry`` keys: geometries with no table row (drawn as "no data").

With ``strict=True`` any unmatched table key raises :class:`~geotrade.errors.JoinError`.

Complete base geography
-----------------------
A product layer holds **every** unit of its boundary set (all countries, all 34
provincial-level or 370 prefecture-level units of China), not only the units with data:
:func:`complete_geography` (used by every builder in :mod:`geotrade.builders`) joins the
table to all geometries and adds the field :data:`STATUS_FIELD` (``status``), one of
:data:`STATUS_VALUES`:

``data``
    the unit has a row in the table (its mapped value may still be undefined, e.g. a
    capacity ratio where the capacity is 0: the style's no-data class says why);
``no data``
    the unit is covered by the source's statistics but the table has no row for it;
``not covered``
    the source's statistics do not cover the unit at all: Taiwan (710000), Hong Kong
    (810000) and Macao (820000) in mainland provincial and prefecture statistics
    (:data:`CHINA_NOT_COVERED`), or a country outside the input file's reporter/partner
    scope.

Statistics (classification breaks, class counts, SMI, LISA) are computed on the ``data``
units only; the added features carry missing values.

Examples
--------
>>> import geopandas as gpd, pandas as pd
>>> from shapely.geometry import box
>>> geoms = gpd.GeoDataFrame({"iso_a3": ["AAA", "BBB"], "name": ["Aa", "Bb"]},
...                          geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
>>> table = pd.DataFrame({"partner_iso3": ["AAA", "ZZZ"], "v": [1.0, 2.0]})
>>> joined, report = join_to_geometry(table, geoms, left_on="partner_iso3", right_on="iso_a3")
>>> list(joined["v"])
[1.0, nan]
>>> report.unmatched_table
('ZZZ',)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geotrade.errors import JoinError

__all__ = [
    "CHINA_NOT_COVERED",
    "STATUS_DATA",
    "STATUS_FIELD",
    "STATUS_NODATA",
    "STATUS_NOT_COVERED",
    "STATUS_VALUES",
    "JoinReport",
    "Status",
    "china_covered",
    "complete_geography",
    "join_to_geometry",
    "with_status_counts",
]

#: Field of every product layer saying whether a feature has data (see the module docstring).
STATUS_FIELD = "status"
#: The unit has a row in the table.
STATUS_DATA = "data"
#: The unit is covered by the source's statistics but has no row.
STATUS_NODATA = "no data"
#: The source's statistics do not cover the unit at all.
STATUS_NOT_COVERED = "not covered"
Status = Literal["data", "no data", "not covered"]
#: The values of :data:`STATUS_FIELD`, in legend order.
STATUS_VALUES: tuple[Status, ...] = ("data", "no data", "not covered")
#: Units of the China boundary set outside mainland (provincial and prefecture) statistics:
#: Taiwan 710000 台湾省, Hong Kong 810000 and Macao 820000 (the statistical yearbooks of
#: the National Bureau of Statistics cover the 31 mainland provincial-level units).
CHINA_NOT_COVERED: tuple[str, ...] = ("710000", "810000", "820000")


@dataclass(frozen=True)
class JoinReport:
    """What matched and what did not in a table-to-geometry join."""

    table_key: str
    geometry_key: str
    n_table_keys: int
    n_geometry_keys: int
    matched: tuple[str, ...]
    unmatched_table: tuple[str, ...]
    unmatched_geometry: tuple[str, ...]
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Keys drawn with a geometry derived from others (historical economies), and how.
    derived: dict[str, str] = field(default_factory=dict)
    #: Features per ``status`` value (:func:`complete_geography`; empty for a plain join).
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every table key found a geometry."""
        return not self.unmatched_table

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable dict (stored in GeoPackage metadata)."""
        return {
            "table_key": self.table_key,
            "geometry_key": self.geometry_key,
            "n_table_keys": self.n_table_keys,
            "n_geometry_keys": self.n_geometry_keys,
            "n_matched": len(self.matched),
            "unmatched_table": list(self.unmatched_table),
            "unmatched_geometry": list(self.unmatched_geometry),
            "suggestions": {k: list(v) for k, v in self.suggestions.items()},
            "derived_geometries": dict(self.derived),
            "status_counts": dict(self.status_counts),
        }

    def summary(self) -> str:
        """One human-readable paragraph."""
        parts = [
            f"{len(self.matched)} of {self.n_table_keys} table keys matched "
            f"{self.n_geometry_keys} geometries"
        ]
        if self.unmatched_table:
            sugg = "; ".join(
                f"{k} (closest: {', '.join(self.suggestions.get(k, ())) or 'none'})"
                for k in self.unmatched_table[:10]
            )
            n_more = len(self.unmatched_table) - 10
            more = f" and {n_more} more" if n_more > 0 else ""
            parts.append(f"table keys without geometry: {sugg}{more}")
        if self.derived:
            parts.append(
                "historical economies drawn from their successors: "
                + "; ".join(f"{k} ({v})" for k, v in self.derived.items())
            )
        if self.status_counts:
            parts.append(
                "features by status: "
                + ", ".join(f"{k} {self.status_counts.get(k, 0)}" for k in STATUS_VALUES)
            )
        elif self.unmatched_geometry:
            parts.append(f"{len(self.unmatched_geometry)} geometries have no data")
        return "; ".join(parts) + "."


def _suggest(key: str, candidates: Sequence[str], labels: dict[str, str]) -> tuple[str, ...]:
    pool = list(candidates) + [v for v in labels.values() if v]
    close = difflib.get_close_matches(str(key), pool, n=3, cutoff=0.5)
    inv = {v: k for k, v in labels.items()}
    return tuple(dict.fromkeys(f"{inv[c]} ({c})" if c in inv else c for c in close))


def _historical_features(
    keys: Sequence[str], geometries: gpd.GeoDataFrame, right_on: str, name_column: str | None
) -> tuple[gpd.GeoDataFrame | None, dict[str, str]]:
    """Geometries of historical economies among ``keys``, from their successors' outlines."""
    from geotrade.schema import historical_economies

    hist = historical_economies().set_index("code")
    gkeys = geometries[right_on].astype("string")
    rows: list[dict[str, object]] = []
    how: dict[str, str] = {}
    for key in keys:
        if key not in hist.index:
            continue
        successors = [s for s in str(hist.loc[key, "successors"]).split("|") if s]
        present = [s for s in successors if s in set(gkeys.dropna())]
        if not present:
            continue
        shape = geometries.loc[gkeys.isin(present).to_numpy()].geometry.union_all()
        row: dict[str, object] = {right_on: key, geometries.geometry.name: shape}
        if name_column is not None and name_column in geometries.columns:
            row[name_column] = str(hist.loc[key, "name_en"])
        rows.append(row)
        policy = str(hist.loc[key, "geometry"])
        missing = sorted(set(successors) - set(present))
        how[key] = f"{policy}: {'+'.join(present)}" + (
            f" (not in the boundary set: {', '.join(missing)})" if missing else ""
        )
    if not rows:
        return None, how
    extra = gpd.GeoDataFrame(rows, geometry=geometries.geometry.name, crs=geometries.crs)
    return extra, how


def join_to_geometry(
    table: pd.DataFrame,
    geometries: gpd.GeoDataFrame,
    *,
    left_on: str,
    right_on: str,
    how: Literal["geometry", "inner"] = "geometry",
    strict: bool = False,
    name_column: str | None = None,
    historical: bool = True,
) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Attach a table (one row per key) to geometries and report unmatched keys.

    Parameters
    ----------
    table
        Metric table, at most one row per ``left_on`` key.
    geometries
        Polygons keyed by ``right_on``.
    left_on, right_on
        Key columns of the table and of the geometries.
    how
        ``"geometry"`` (default) keeps every geometry (unmatched ones get missing values:
        they are mapped as "no data"); ``"inner"`` keeps only matched geometries.
    strict
        Raise :class:`JoinError` when a table key has no geometry.
    name_column
        Column of ``geometries`` with display names, used for suggestions.
    historical
        Draw table keys that are historical economies (:func:`geotrade.schema.
        historical_economies`: ``SUN``, ``CSK``, ``_58`` ...) and have no geometry of their
        own with the outline their geometry policy gives (the union of their successors'
        outlines), appended after the other features so that they are drawn on top; the
        report says so in ``derived``.

    Returns
    -------
    (GeoDataFrame, JoinReport)
        The joined layer (geometry columns first, then table columns) and the report.

    Raises
    ------
    JoinError
        If keys are duplicated in the table, or ``strict`` and keys are unmatched.
    """
    if left_on not in table.columns:
        msg = f"table has no key column {left_on!r}; columns are {list(table.columns)}"
        raise JoinError(msg)
    if right_on not in geometries.columns:
        msg = f"geometries have no key column {right_on!r}; columns are {list(geometries.columns)}"
        raise JoinError(msg)
    tkeys = table[left_on].astype("string")
    dup = tkeys[tkeys.duplicated(keep=False)].dropna().unique().tolist()
    if dup:
        msg = (
            f"table key {left_on!r} must be unique before joining to geometries; duplicated: "
            f"{', '.join(map(str, dup[:10]))}. Filter to one year/flow or aggregate first."
        )
        raise JoinError(msg)
    gkeys = geometries[right_on].astype("string")
    derived: dict[str, str] = {}
    if historical:
        missing_keys = sorted(set(tkeys.dropna()) - set(gkeys.dropna()))
        extra, derived = _historical_features(missing_keys, geometries, right_on, name_column)
        if extra is not None:
            geometries = gpd.GeoDataFrame(
                pd.concat([geometries, extra], ignore_index=True),
                geometry=geometries.geometry.name,
                crs=geometries.crs,
            )
            gkeys = geometries[right_on].astype("string")
    tset, gset = set(tkeys.dropna()), set(gkeys.dropna())
    matched = tuple(sorted(tset & gset))
    un_t = tuple(sorted(tset - gset))
    un_g = tuple(sorted(gset - tset))
    labels: dict[str, str] = {}
    if name_column is not None and name_column in geometries.columns:
        labels = dict(zip(gkeys, geometries[name_column].astype(str), strict=False))
    suggestions = {k: _suggest(k, sorted(gset), labels) for k in un_t}
    report = JoinReport(
        table_key=left_on,
        geometry_key=right_on,
        n_table_keys=len(tset),
        n_geometry_keys=len(gset),
        matched=matched,
        unmatched_table=un_t,
        unmatched_geometry=un_g,
        suggestions=suggestions,
        derived=derived,
    )
    if strict and un_t:
        msg = f"{len(un_t)} table keys have no geometry: {report.summary()}"
        raise JoinError(msg)
    right = table.copy()
    right["_join_key"] = tkeys
    if left_on == right_on:
        right = right.drop(columns=[left_on])
    left = geometries.copy()
    left["_join_key"] = gkeys
    merged = left.merge(right, on="_join_key", how="left" if how == "geometry" else "inner")
    merged = merged.drop(columns="_join_key")
    out = gpd.GeoDataFrame(merged, geometry=geometries.geometry.name, crs=geometries.crs)
    return out, report


def china_covered(units: gpd.GeoDataFrame, *, key: str = "adcode") -> list[str]:
    """Keys of China units covered by mainland statistics (all but :data:`CHINA_NOT_COVERED`).

    Works for the province and the prefecture layer (Taiwan, Hong Kong and Macao have the
    same adcode in both).

    Examples
    --------
    >>> import geopandas as gpd
    >>> units = gpd.GeoDataFrame({"adcode": ["110000", "710000", "810000"]}, geometry=[None] * 3)
    >>> china_covered(units)
    ['110000']
    """
    keys = units[key].astype(str)
    return [k for k in keys if k not in CHINA_NOT_COVERED]


def complete_geography(
    table: pd.DataFrame,
    geometries: gpd.GeoDataFrame,
    *,
    left_on: str,
    right_on: str,
    covered: Iterable[str] | None,
    name_column: str | None = None,
    historical: bool = True,
    value_columns: Sequence[str] | None = None,
) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Join a table to **every** geometry and add the :data:`STATUS_FIELD` of each feature.

    The one function every product builder uses to make a layer: all units of the
    boundary set are features, in the boundary set's order (historical economies of the
    table appended, as in :func:`join_to_geometry`); units without a row get missing values.

    Parameters
    ----------
    table
        Metric table, at most one row per ``left_on`` key.
    geometries
        The boundary set, keyed by ``right_on``.
    left_on, right_on
        Key columns.
    covered
        Keys of the units the source's statistics cover (e.g. :func:`china_covered`, or
        the reporters and partners of a trade file). A unit without a row is
        ``"no data"`` if its key is in ``covered``, ``"not covered"`` otherwise. ``None``:
        every unit of the boundary set is covered. Keys of the table are always covered.
    name_column, historical
        As for :func:`join_to_geometry`.
    value_columns
        For tables whose rows may lack the mapped value (a user's table): a row whose
        ``value_columns`` are all missing is ``"no data"`` (covered, value missing), not
        ``"data"``. Default: any row is data (a metric's undefined value, e.g. a ratio with
        a zero denominator, is still data; the style's no-data class says why).

    Returns
    -------
    (GeoDataFrame, JoinReport)
        The layer with ``status`` as its last attribute column and the join report
        (unmatched table keys are reported, never dropped silently).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> geoms = gpd.GeoDataFrame({"k": ["A", "B", "C"]}, geometry=[box(0, 0, 1, 1),
    ...     box(1, 0, 2, 1), box(2, 0, 3, 1)], crs="EPSG:4326")
    >>> t = pd.DataFrame({"k": ["A", "Z"], "v": [float("nan"), 2.0]})
    >>> gdf, rep = complete_geography(t, geoms, left_on="k", right_on="k", covered=["B"])
    >>> gdf[["k", "v", "status"]].values.tolist()
    [['A', nan, 'data'], ['B', nan, 'no data'], ['C', nan, 'not covered']]
    >>> rep.unmatched_table
    ('Z',)
    """
    gdf, report = join_to_geometry(
        table.assign(_has_row=True),
        geometries,
        left_on=left_on,
        right_on=right_on,
        how="geometry",
        name_column=name_column,
        historical=historical,
    )
    in_table = gdf["_has_row"].eq(True).to_numpy(dtype=bool, copy=True)
    has_row = in_table.copy()
    if value_columns:
        has_row &= gdf[list(value_columns)].notna().any(axis=1).to_numpy(dtype=bool)
    keys = gdf[right_on].astype("string")
    if covered is None:
        in_scope = np.ones(len(gdf), dtype=bool)
    else:
        scope = {str(k) for k in covered}
        in_scope = keys.isin(scope).fillna(False).to_numpy(dtype=bool, copy=True)
    in_scope |= in_table  # keys of the table are always covered
    status = np.where(has_row, STATUS_DATA, np.where(in_scope, STATUS_NODATA, STATUS_NOT_COVERED))
    gdf = gdf.drop(columns="_has_row")
    gdf[STATUS_FIELD] = pd.Series(status, index=gdf.index, dtype=object)
    return gdf, with_status_counts(report, gdf)


def with_status_counts(report: JoinReport, layer: gpd.GeoDataFrame) -> JoinReport:
    """Return ``report`` with the features per :data:`STATUS_FIELD` value of ``layer``."""
    from dataclasses import replace

    counts = layer[STATUS_FIELD].value_counts()
    return replace(report, status_counts={k: int(counts.get(k, 0)) for k in STATUS_VALUES})
