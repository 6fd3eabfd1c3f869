"""Product ``dependence``: the Grubel-Lloyd dependence typology of a focal economy's partners.

One layer per year, ``dependence_<year>``: every country of the boundary set (Natural
Earth) plus the historical economies in the data (drawn from their successors), joined to
:func:`geotrade.metrics.trade.interdependence` by :func:`geotrade.join.complete_geography`.
``status``: ``data`` (a partner of the focal economy that year, and the focal economy),
``no data`` (in the input's scope — a reporter or partner of the input file — but no trade
with the focal economy that year: drawn as "No trade"), ``not covered`` (never in the
input file: the file says nothing about it). Used by ``geotrade interdependence``, the
demo and the QGIS ``interdependence`` algorithm.

Layer schema (:data:`SCHEMA`, in this order, then ``geometry``)
--------------------------------------------------------------
==================  ========  ==============================================================
field               type      meaning
==================  ========  ==============================================================
``iso_a3``          str       ISO3 (or historical code) of the country
``name``            str       Natural Earth name (historical: its English name)
``exports_usd``     float     focal economy's exports to the country, USD (empty: no data)
``imports_usd``     float     focal economy's imports from the country, USD
``gl``              float     Grubel-Lloyd index 1 − |X − M| / (X + M)
``index``           float     signed GL: + in the advantage zone (X > M), − otherwise
``dependence_class`` str      slug of the 8-class typology, ``focal`` for the focal economy
``zone``            str       ``advantage``, ``disadvantage`` or ``balanced``
``partner_name_en`` str       common English name
``partner_name_zh`` str       common Chinese name
``class_label_en``  str       class label, English
``class_label_zh``  str       class label, Chinese
``zone_label``      str       zone label in the chosen language
``year``            int       year of the layer
``status``          str       ``data``, ``no data`` or ``not covered``
``synthetic``       bool      true when the input data are synthetic
==================  ========  ==============================================================

Examples
--------
>>> SCHEMA[:3]
('iso_a3', 'name', 'exports_usd')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from geotrade.builders.result import WORLD_CRS, ProductMetadata, ProductResult

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geotrade.style.spec import LayerStyle

__all__ = ["SCHEMA", "build_dependence", "dependence_layers", "label_table"]

#: Fields of every ``dependence_<year>`` layer, in order (``geometry`` follows).
SCHEMA: tuple[str, ...] = (
    "iso_a3",
    "name",
    "exports_usd",
    "imports_usd",
    "gl",
    "index",
    "dependence_class",
    "zone",
    "partner_name_en",
    "partner_name_zh",
    "class_label_en",
    "class_label_zh",
    "zone_label",
    "year",
    "status",
    "synthetic",
)


def label_table(table: pd.DataFrame, *, focal: str, lang: str = "zh") -> pd.DataFrame:
    """Add partner names (en, zh), class labels (en, zh, and ``class_label`` in ``lang``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"partner_iso3": ["KOR"], "dependence_class": ["focal_low"],
    ...                   "zone": ["disadvantage"]})
    >>> label_table(t, focal="USA", lang="en").iloc[0][["class_label", "zone_label"]].tolist()
    ['United States weakly dependent on partner', 'Trade disadvantage zone']
    """
    from geotrade.metrics.trade import _partner_name, class_label, focal_names, zone_label

    name_en, name_zh = focal_names(focal)
    out = table.copy()
    names = {p: (_partner_name(p, "en"), _partner_name(p, "zh")) for p in out["partner_iso3"]}
    out["partner_name_en"] = out["partner_iso3"].map(lambda p: names[p][0])
    out["partner_name_zh"] = out["partner_iso3"].map(lambda p: names[p][1])
    kw = {"focal_name_en": name_en, "focal_name_zh": name_zh}
    out["class_label_en"] = [class_label(c, lang="en", **kw) for c in out["dependence_class"]]
    out["class_label_zh"] = [class_label(c, lang="zh", **kw) for c in out["dependence_class"]]
    out["class_label"] = out["class_label_zh" if lang == "zh" else "class_label_en"]
    if "zone" in out.columns:
        out["zone_label"] = [zone_label(z, lang=lang) for z in out["zone"]]  # type: ignore[arg-type]
    return out


def dependence_layers(
    table: pd.DataFrame,
    *,
    focal: str,
    world: gpd.GeoDataFrame | None = None,
    synthetic: bool = False,
    title_en: str | None = None,
    title_zh: str | None = None,
    lang: str = "zh",
    covered: Iterable[str] | None = None,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerStyle], dict[str, dict[str, Any]]]:
    """Build one styled country layer per year from an interdependence table.

    Parameters
    ----------
    table
        Output of :func:`geotrade.metrics.trade.interdependence`.
    focal
        ISO3 of the focal economy (drawn as its own class ``"focal"``).
    world
        Country polygons (``iso_a3``, ``name``); default the vendored Natural Earth layer.
    synthetic
        Flag stored in every feature.
    title_en, title_zh
        Legend titles (default: the canonical dependence style's).
    lang
        Language of ``zone_label``.
    covered
        Codes in the input's scope (e.g. every reporter and partner of the input file);
        countries outside it are ``not covered``. Default: the focal economy and every
        partner of ``table`` in any year.

    Returns
    -------
    (layers, styles, join_reports)
        ``dependence_<year>`` → GeoDataFrame with the fields of :data:`SCHEMA` (every
        country; no data where no trade), its
        :func:`~geotrade.style.canonical.dependence_style` and join report (dict).
    """
    from geotrade.join import (
        STATUS_DATA,
        STATUS_FIELD,
        STATUS_NOT_COVERED,
        complete_geography,
        with_status_counts,
    )
    from geotrade.metrics.trade import focal_names
    from geotrade.style.canonical import dependence_style

    if world is None:
        from geotrade.boundaries import world_countries

        world = world_countries()
    focal = focal.strip().upper()
    name_en, name_zh = focal_names(focal)
    base = world[["iso_a3", "name", "geometry"]].copy()
    layers: dict[str, gpd.GeoDataFrame] = {}
    styles: dict[str, LayerStyle] = {}
    reports: dict[str, dict[str, Any]] = {}
    labelled = label_table(table, focal=focal, lang=lang)
    scope = {focal, *table["partner_iso3"].astype(str)}
    if covered is not None:
        scope |= {str(c).strip().upper() for c in covered}
    for year in sorted({int(y) for y in table["year"]}):
        t = labelled[labelled["year"] == year].drop(columns=["year", "class_label"])
        t = t.rename(columns={"exports": "exports_usd", "imports": "imports_usd"})
        gdf, report = complete_geography(
            t, base, left_on="partner_iso3", right_on="iso_a3", covered=scope,
            name_column="name",
        )  # fmt: skip
        gdf = gdf.drop(columns=["partner_iso3"], errors="ignore")
        is_focal = gdf["iso_a3"] == focal
        gdf.loc[is_focal, STATUS_FIELD] = STATUS_DATA
        report = with_status_counts(report, gdf)
        gdf.loc[is_focal, "dependence_class"] = "focal"
        gdf.loc[is_focal, "class_label_en"] = f"{name_en} (focal country)"
        gdf.loc[is_focal, "class_label_zh"] = f"{name_zh}（焦点国）"
        gdf["year"] = year
        gdf["synthetic"] = bool(synthetic)
        for col in SCHEMA:
            if col not in gdf.columns:
                gdf[col] = None
        gdf = gdf[[*SCHEMA, gdf.geometry.name]]
        counts = gdf["dependence_class"].value_counts().to_dict()
        outside = gdf[STATUS_FIELD] == STATUS_NOT_COVERED
        counts["_nodata"] = int((gdf["dependence_class"].isna() & ~outside).sum())
        name = f"dependence_{year}"
        style = dependence_style(counts=counts, focal_name_en=name_en, focal_name_zh=name_zh)
        # "no data" (in scope, no trade) is the style's own "No trade" class
        style = style.with_status_classes(counts={STATUS_NOT_COVERED: int(outside.sum())},
                                          missing=False)  # fmt: skip
        if title_en or title_zh:
            style = replace(
                style, title_en=title_en or style.title_en, title_zh=title_zh or style.title_zh
            )
        layers[name], styles[name], reports[name] = gdf, style, report.to_dict()
    return layers, styles, reports


def build_dependence(
    table: pd.DataFrame,
    *,
    focal: str,
    synthetic: bool = False,
    world: gpd.GeoDataFrame | None = None,
    title_en: str | None = None,
    title_zh: str | None = None,
    lang: str = "zh",
    source: str = "",
    source_files: list[str] | None = None,
    options: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    note: str = "",
    covered: Iterable[str] | None = None,
) -> ProductResult:
    """Build the ``dependence`` product from an interdependence table.

    Parameters
    ----------
    table
        Output of :func:`geotrade.metrics.trade.interdependence` (its ``attrs["excluded"]``
        goes into the metadata).
    focal, synthetic, world, title_en, title_zh, lang, covered
        As for :func:`dependence_layers`.
    source, source_files, options, notes, note
        Provenance for :class:`~geotrade.builders.result.ProductMetadata` (``note``: e.g.
        the synthetic-data note).

    Returns
    -------
    ProductResult
        Layers ``dependence_<year>``, styles, join reports, the labelled table
        (``tables["interdependence"]``) and metadata (map CRS Equal Earth).
    """
    from geotrade.metrics.trade import focal_names

    layers, styles, reports = dependence_layers(
        table, focal=focal, world=world, synthetic=synthetic, title_en=title_en,
        title_zh=title_zh, lang=lang, covered=covered,
    )  # fmt: skip
    name_en, name_zh = focal_names(focal)
    excluded = table.attrs.get("excluded")
    meta = ProductMetadata(
        product="dependence",
        title_en=title_en or f"Trade interdependence of {name_en}",
        title_zh=title_zh or f"{name_zh}贸易相互依存类型",
        subtitle="Grubel-Lloyd index, 8-class dependence typology (seed 000 Table 1)",
        synthetic=bool(synthetic),
        note=note,
        source=source,
        source_files=list(source_files or []),
        map_crs=WORLD_CRS,
        years=sorted({int(y) for y in table["year"]}),
        options={"focal": focal.strip().upper(), **(options or {})},
        classification={"scheme": "categorical Grubel-Lloyd typology (seed 000 Table 1)"},
        notes=list(notes or []),
        boundaries="Natural Earth 5.1.1 admin-0 (public domain)",
        extra={
            "excluded_rows": [] if excluded is None else excluded.to_dict("records"),
        },
    )
    return ProductResult(
        metadata=meta,
        layers=layers,
        styles=styles,
        join_reports=reports,
        tables={"interdependence": label_table(table, focal=focal, lang=lang)},
        tooltip_fields=[
            "name",
            "exports_usd",
            "imports_usd",
            "gl",
            "class_label_en",
            "class_label_zh",
        ],
    )
