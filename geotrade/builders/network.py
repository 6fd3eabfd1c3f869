"""Product ``network``: the all-pairs interdependence network (seed 003).

Layers ``flow_lines_<year>``: each country's top-``n`` export partners as geodesic lines
between capitals (:func:`geotrade.maps.flowlines.flow_lines`), coloured by the pair's
dependence class; plus the tables ``network_summary`` (per year: nodes, edges, density,
reciprocity, communities) and ``nodes`` (centralities, communities), written as attribute
tables of the same GeoPackage.

Complete base geography (:func:`geotrade.join.complete_geography`) does not apply to the
flow lines: a feature is a line between a trading pair, and a pair without a flow (or a
country without trade) has no line to draw, so no "no data"/"not covered" features are
added; pairs left out for lack of capital coordinates are listed in the metadata
(``missing_coordinates``), never dropped silently.

Examples
--------
>>> from geotrade.builders.network import TABLE_LAYERS
>>> TABLE_LAYERS
('network_summary', 'nodes')
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from geotrade.builders.result import WORLD_CRS, ProductMetadata, ProductResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLE_LAYERS", "build_network"]

#: Attribute tables (no geometry) written with the flow lines.
TABLE_LAYERS: tuple[str, ...] = ("network_summary", "nodes")


def build_network(
    pairs: pd.DataFrame,
    *,
    summary: pd.DataFrame,
    nodes: pd.DataFrame,
    top_n: int = 5,
    synthetic: bool = False,
    source: str = "",
    source_files: list[str] | None = None,
    note: str = "",
    notes: list[str] | None = None,
    options: dict[str, Any] | None = None,
) -> ProductResult:
    """Build the flow-line layers and network tables from all-pairs GL results.

    Parameters
    ----------
    pairs
        Output of :func:`geotrade.metrics.network.pair_interdependence` (or the DuckDB
        engine's).
    summary, nodes
        :func:`geotrade.metrics.network.network_summary` and
        :func:`~geotrade.metrics.network.node_metrics` of ``pairs``.
    top_n
        Flow lines per exporter.
    synthetic, source, source_files, note, notes, options
        Provenance for the metadata.

    Returns
    -------
    ProductResult
        ``layers``: ``flow_lines_<year>`` and the two tables; ``extra`` metadata lists the
        pairs left out for lack of capital coordinates.
    """
    from geotrade.maps.flowlines import flow_lines
    from geotrade.style.canonical import dependence_style

    layers: dict[str, Any] = {}
    styles = {}
    missing: list[tuple[str, str]] = []
    for y in sorted({int(v) for v in pairs["year"]}):
        lines = flow_lines(pairs[pairs["year"] == y], top_n=top_n)
        missing += lines.attrs["missing_coordinates"]
        if lines.empty:
            continue
        lines["synthetic"] = bool(synthetic)
        name = f"flow_lines_{y}"
        layers[name] = lines
        counts = lines["dependence_class"].value_counts().to_dict()
        styles[name] = replace(
            dependence_style(counts=counts, focal_name_en="exporter", focal_name_zh="出口国"),
            title_en=f"Top-{top_n} export flows by dependence class, {y}",
            title_zh=f"前{top_n}位出口流向及相互依存类型（{y}年）",
        )
    layers["network_summary"] = summary
    layers["nodes"] = nodes
    meta = ProductMetadata(
        product="network",
        title_en="Trade interdependence network",
        title_zh="贸易相互依存网络",
        subtitle="X_ij = exports reported by i to j; M_ij = X_ji; GL per pair (seed 003)",
        synthetic=bool(synthetic),
        note=note,
        source=source,
        source_files=list(source_files or []),
        map_crs=WORLD_CRS,
        years=sorted({int(v) for v in pairs["year"]}),
        options={"top_n": top_n, **(options or {})},
        notes=list(notes or []),
        boundaries="capitals: CEPII GeoDist / World Bank WDI coordinates",
        extra={
            "flow_lines": f"top {top_n} export partners per country; WGS84 geodesics between "
            "capitals (CEPII/WDI coordinates), split at the antimeridian",
            "missing_coordinates": [f"{a}-{b}" for a, b in sorted(set(missing))],
        },
    )
    return ProductResult(
        metadata=meta,
        layers=layers,
        styles=styles,
        tables={"pairs": pairs, "summary": summary, "nodes": nodes},
    )
