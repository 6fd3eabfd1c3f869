"""Product ``trade_pattern``: a focal economy's trade partners and their shares (seed 000 §3.1).

The tables of seed 000 Table 2 (top partners and shares side by side, totals, growth, partner
counts, HHI, entries and exits; :func:`geotrade.metrics.trade.table2`) and one map layer
per year, ``partner_shares_<year>``: every country of the boundary set (Natural Earth) plus
the historical economies in the data, with the focal economy's exports to and imports from
it and their shares, classified by exact natural breaks of the share of total trade. Used by
``geotrade trade summary`` and the demo.

Layer schema (:data:`SCHEMA`, in this order, then ``geometry``)
--------------------------------------------------------------
====================  ======  ============================================================
field                 type    meaning
====================  ======  ============================================================
``iso_a3``            str     ISO3 (or historical code) of the country
``name``              str     Natural Earth name (historical: its English name)
``exports_usd``       float   focal economy's exports to the country, USD (empty: none)
``imports_usd``       float   focal economy's imports from the country, USD
``trade_usd``         float   exports + imports
``export_share_pct``  float   share of the focal economy's exports to identified partners, %
``import_share_pct``  float   share of its imports from identified partners, %
``trade_share_pct``   float   share of its total trade (exports + imports), % (classified)
``export_rank``       int     rank as an export destination (1 = largest)
``import_rank``       int     rank as an import origin
``partner_name_en``   str     common English name
``partner_name_zh``   str     common Chinese name
``year``              int     year of the layer
``status``            str     ``data`` (a partner that year), ``no data`` (a reporter or
                              partner of the input, no trade with the focal economy that
                              year; the focal economy itself), ``not covered`` (never in
                              the input file); :func:`geotrade.join.complete_geography`
``synthetic``         bool    true when the input data are synthetic
====================  ======  ============================================================

Shares are of the trade with identified partners: aggregates and unspecified areas
(``_899`` Areas nes, ``UNS``…) count in the totals of the summary table (``total_usd``,
``unspecified_usd``) but are never a partner (:mod:`geotrade.schema`).

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
...     "partner_iso3": ["USA", "DEU", "KOR", "_899"], "flow": ["export"] * 3 + ["import"],
...     "hs_code": "850760", "value_usd": [60.0, 30.0, 10.0, 5.0]})
>>> p = build_trade_pattern(flows, focal="CHN", k=2)
>>> g = p.layers["partner_shares_2022"].set_index("iso_a3")
>>> g.loc[["USA", "DEU", "KOR"], "trade_share_pct"].tolist()
[60.0, 30.0, 10.0]
>>> float(p.tables["summary"].set_index("flow").loc["import", "unspecified_usd"])
5.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from geotrade.builders.result import WORLD_CRS, ProductMetadata, ProductResult

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["SCHEMA", "build_trade_pattern"]

#: Fields of every ``partner_shares_<year>`` layer, in order (``geometry`` follows).
SCHEMA: tuple[str, ...] = (
    "iso_a3",
    "name",
    "exports_usd",
    "imports_usd",
    "trade_usd",
    "export_share_pct",
    "import_share_pct",
    "trade_share_pct",
    "export_rank",
    "import_rank",
    "partner_name_en",
    "partner_name_zh",
    "year",
    "status",
    "synthetic",
)

#: Sequential palette of the share classes (ColorBrewer YlOrRd, light = small share).
_PALETTE = "YlOrRd"


def _share_format(bounds: list[float]) -> str:
    """Legend format with enough decimals that the smallest class bound is not shown as 0.0.

    Examples
    --------
    >>> _share_format([0.5, 12.0, 64.5]), _share_format([0.019, 35.5, 64.5])
    ('{:.1f}', '{:.3f}')
    """
    import math

    pos = [abs(float(b)) for b in bounds if b and math.isfinite(float(b))]
    small = min(pos) if pos else 1.0
    decimals = 1 if small >= 0.1 else min(4, math.ceil(-math.log10(small)) + 1)
    return f"{{:.{decimals}f}}"


def _partner_table(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: list[int] | None,
    hs_codes: list[str] | None,
) -> pd.DataFrame:
    """One row per (year, partner): values, shares and ranks of exports, imports, trade."""
    import pandas as pd

    from geotrade.metrics.trade import partner_shares

    parts = []
    flow_names: tuple[Literal["export", "import"], ...] = ("export", "import")
    for flow in flow_names:
        prefix = flow
        s = partner_shares(flows, focal=focal, flow=flow, years=years, hs_codes=hs_codes)
        s.attrs = {}  # the excluded rows are reported by the summary table
        parts.append(
            s.rename(
                columns={
                    "value_usd": f"{prefix}s_usd",
                    "share_pct": f"{prefix}_share_pct",
                    "rank": f"{prefix}_rank",
                }
            ).set_index(["year", "partner_iso3"])
        )
    t = pd.concat(parts, axis=1).reset_index()
    for c in ("exports_usd", "imports_usd"):
        t[c] = t[c].fillna(0.0)
    for c in ("export_share_pct", "import_share_pct"):
        t[c] = t[c].fillna(0.0)
    t["trade_usd"] = t["exports_usd"] + t["imports_usd"]
    t["trade_share_pct"] = 100.0 * t["trade_usd"] / t.groupby("year")["trade_usd"].transform("sum")
    for c in ("export_rank", "import_rank"):
        t[c] = t[c].astype("Int64")
    return t.sort_values(["year", "trade_usd"], ascending=[True, False]).reset_index(drop=True)


def build_trade_pattern(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 5,
    lang: Literal["zh", "en"] = "zh",
    k: int = 5,
    synthetic: bool = False,
    layers: bool = True,
    world: gpd.GeoDataFrame | None = None,
    source: str = "",
    source_files: list[str] | None = None,
    options: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    note: str = "",
) -> ProductResult:
    """Build the ``trade_pattern`` product of a focal economy.

    Parameters
    ----------
    flows
        Canonical flow table (whose record of a flow is used is decided before, by
        :func:`geotrade.mirror.apply_mirror`).
    focal
        ISO3 of the focal economy.
    years, hs_codes
        Years and products (summed); default all in ``flows``.
    top
        Number of leading partners in the tables.
    lang
        Language of the partner names in ``tables["table2"]``.
    k
        Number of natural-breaks classes of ``trade_share_pct`` (fewer when a year has
        fewer distinct shares).
    synthetic, world
        Synthetic flag of every feature and the metadata; country polygons (default
        :func:`geotrade.boundaries.world_countries`).
    layers
        ``False``: the tables only (no boundary join), for table outputs.
    source, source_files, options, notes, note
        Provenance for :class:`~geotrade.builders.result.ProductMetadata`.

    Returns
    -------
    ProductResult
        Layers ``partner_shares_<year>`` (fields :data:`SCHEMA`), their graduated styles
        and join reports; tables ``table2`` (seed 000 Table 2 shape), ``summary`` (one row
        per year and flow: totals, growth, partner counts, HHI, entries/exits),
        ``partners`` (every partner and year) and ``excluded`` (rows not used).
    """
    import numpy as np

    from geotrade.classification import classify
    from geotrade.join import STATUS_FIELD, STATUS_NOT_COVERED, complete_geography
    from geotrade.metrics.trade import focal_names, table2
    from geotrade.reference import country_name
    from geotrade.style.classed import graduated_style
    from geotrade.style.palettes import palette

    focal = focal.strip().upper()
    yrs = None if years is None else [int(y) for y in years]
    codes = None if hs_codes is None else [str(c) for c in hs_codes]
    t2 = table2(flows, focal=focal, years=yrs, hs_codes=codes, top=top, lang=lang)
    summary: pd.DataFrame = t2.attrs["summary"]
    partners = _partner_table(flows, focal=focal, years=yrs, hs_codes=codes)
    name_en, name_zh = focal_names(focal)

    def _name(iso3: str, language: Literal["en", "zh"]) -> str | None:
        try:
            return country_name(iso3, lang=language, common=True)
        except Exception:
            from geotrade.schema import historical_name

            return historical_name(iso3)

    result = ProductResult(
        metadata=ProductMetadata(
            product="trade_pattern",
            title_en=f"Trade partners of {name_en}",
            title_zh=f"{name_zh}贸易伙伴格局",
            subtitle="share of total trade (exports + imports) with identified partners, %; "
            "exact natural breaks (seed 000 §3.1)",
            synthetic=bool(synthetic),
            note=note,
            source=source,
            source_files=list(source_files or []),
            map_crs=WORLD_CRS,
            years=sorted({int(y) for y in summary["year"]}),
            options={"focal": focal, "top": int(top), **(options or {})},
            notes=list(notes or []),
            boundaries="Natural Earth 5.1.1 admin-0 (public domain)",
        ),
        tables={
            "table2": t2,
            "summary": summary,
            "partners": partners,
            "excluded": summary.attrs.get("excluded"),
        },
        tooltip_fields=["name", "exports_usd", "imports_usd", "trade_share_pct"],
    )
    if not layers:
        return result
    if world is None:
        from geotrade.boundaries import world_countries

        world = world_countries()
    base = world[["iso_a3", "name", "geometry"]].copy()
    # the input's scope: every reporter and partner of the file ("not covered" outside it)
    scope = {focal} | {
        str(v).upper()
        for c in ("reporter_iso3", "partner_iso3")
        if c in flows.columns
        for v in flows[c].dropna().unique()
    }
    for year in sorted({int(y) for y in partners["year"]}):
        t = partners[partners["year"] == year].drop(columns=["year"])
        t = t.assign(
            partner_name_en=[_name(c, "en") for c in t["partner_iso3"]],
            partner_name_zh=[_name(c, "zh") for c in t["partner_iso3"]],
        )
        gdf, report = complete_geography(
            t, base, left_on="partner_iso3", right_on="iso_a3", covered=scope,
            name_column="name",
        )  # fmt: skip
        gdf = gdf.drop(columns=["partner_iso3"], errors="ignore")
        gdf["year"] = year
        gdf["synthetic"] = bool(synthetic)
        gdf = gdf[[*SCHEMA, gdf.geometry.name]]
        outside = (gdf[STATUS_FIELD] == STATUS_NOT_COVERED).to_numpy()
        # classes and the no-data count of the covered countries only
        values = gdf["trade_share_pct"].to_numpy(dtype=float)[~outside]
        distinct = np.unique(values[np.isfinite(values)])
        kk = max(1, min(int(k), len(distinct)))
        cls = classify(values, k=kk)
        colors = palette(_PALETTE, max(kk, 3))
        colors = colors[-kk:] if kk < 3 else colors
        style = graduated_style(
            cls,
            field="trade_share_pct",
            colors=colors,
            title_en=f"Share of {name_en}'s trade, {year} (%)",
            title_zh=f"占{name_zh}贸易额比重，{year}年（%）",
            fmt=_share_format([cls.lower, *cls.bins]),
        )
        if style.nodata is not None:  # the covered countries without a share this year
            from dataclasses import replace

            style = replace(
                style,
                nodata=replace(
                    style.nodata,
                    label_en=f"No trade with {name_en} this year, or {name_en} itself",
                    label_zh=f"当年与{name_zh}无贸易，或为{name_zh}",
                ),
            )
        counts = {str(k_): int(v) for k_, v in gdf[STATUS_FIELD].value_counts().items()}
        style = style.with_status_classes(counts=counts, missing=False)
        name = f"partner_shares_{year}"
        result.layers[name], result.styles[name] = gdf, style
        result.join_reports[name] = report.to_dict()
        result.metadata.classification[name] = {
            "scheme": cls.scheme,
            "k": int(cls.k),
            "breaks": [float(b) for b in cls.bins],
            "counts": [int(c) for c in cls.counts],
            "field": "trade_share_pct",
        }
    return result
