"""What every product builder returns, and the one writer that consumes it.

A builder (:mod:`geotrade.builders`) turns validated tables into a :class:`ProductResult`:
styled layers (one documented schema per product), their join reports, one metadata record
(:class:`ProductMetadata`, the same keys for every product) and the tables behind the
layers. :func:`write_product` writes any subset of GeoPackage (layers + embedded QGIS
styles + metadata) and web map from it; the CLI, the demo and the QGIS algorithms (through
the CLI) all go through it, so a product looks the same whichever way it was made.

Examples
--------
>>> meta = ProductMetadata(product="example", title_en="Example", title_zh="示例")
>>> sorted(meta.to_dict())[:4]
['boundaries', 'classification', 'geotrade_version', 'map_crs']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geotrade.maps.crs import ALBERS_CHINA, EQUAL_EARTH, MAP_CRS_NAMES

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geotrade.style.spec import LayerStyle

__all__ = [
    "CHINA_CRS",
    "WORLD_CRS",
    "ProductMetadata",
    "ProductResult",
    "add_china_companions",
    "companion_styles",
    "static_paths",
    "write_product",
]

#: Map CRS of world products: Equal Earth (EPSG:8857), as in the static maps.
WORLD_CRS = EQUAL_EARTH
#: Map CRS of China products: the Albers conic of the static maps (no EPSG code).
CHINA_CRS = ALBERS_CHINA


@dataclass
class ProductMetadata:
    """The metadata of a product: one schema for all products.

    Stored as JSON in the GeoPackage (``gpkg_metadata``), returned in the command's JSON
    result, and read by the QGIS plugin for titles, sources and the map CRS.
    """

    product: str
    title_en: str
    title_zh: str
    subtitle: str = ""
    synthetic: bool = False
    note: str = ""
    source: str = ""
    source_files: list[str] = field(default_factory=list)
    map_crs: str = WORLD_CRS
    years: list[int] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    classification: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    boundaries: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """English title, with ``(SYNTHETIC)`` when the data are synthetic.

        The ``title`` metadata key; ``title_zh`` is a key of its own (the QGIS print layout
        puts it on a second line).
        """
        return self.title_en + (" (SYNTHETIC)" if self.synthetic else "")

    @property
    def bilingual_title(self) -> str:
        """English and Chinese title on one line (web maps)."""
        text = f"{self.title_en} / {self.title_zh}" if self.title_zh else self.title_en
        return text + (" (SYNTHETIC)" if self.synthetic else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable record (the ``gpkg_metadata`` document)."""
        from geotrade._version import __version__

        out = {
            "product": self.product,
            "title": self.title,
            "title_en": self.title_en,
            "title_zh": self.title_zh,
            "subtitle": self.subtitle,
            "synthetic": self.synthetic,
            "note": self.note,
            "source": self.source,
            "source_files": list(self.source_files),
            "map_crs": self.map_crs,
            "map_crs_name": MAP_CRS_NAMES.get(self.map_crs, self.map_crs),
            "years": list(self.years),
            "options": dict(self.options),
            "classification": dict(self.classification),
            "notes": list(self.notes),
            "boundaries": self.boundaries,
            "geotrade_version": __version__,
        }
        out.update(self.extra)
        return out


@dataclass
class ProductResult:
    """Layers, styles, join reports, metadata and tables of one product."""

    metadata: ProductMetadata
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    styles: dict[str, LayerStyle] = field(default_factory=dict)
    join_reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    tooltip_fields: list[str] = field(default_factory=list)
    #: In-memory result objects of the statistics (e.g. the SMI and LISA results).
    statistics: dict[str, Any] = field(default_factory=dict)

    def merged(self, other: ProductResult, *, metadata: ProductMetadata) -> ProductResult:
        """Both products' layers in one result (e.g. one GeoPackage of the demo)."""
        from geotrade.boundaries import COMPANION_LAYERS

        layers = {**self.layers, **other.layers}
        # thematic layers first, the companion layers of China maps last (drawn on top)
        layers = {
            **{n: g for n, g in layers.items() if n not in COMPANION_LAYERS},
            **{n: layers[n] for n in COMPANION_LAYERS if n in layers},
        }
        return ProductResult(
            metadata=metadata,
            layers=layers,
            styles={**self.styles, **other.styles},
            join_reports={**self.join_reports, **other.join_reports},
            tables={**self.tables, **other.tables},
            tooltip_fields=list(dict.fromkeys([*self.tooltip_fields, *other.tooltip_fields])),
        )


def companion_styles() -> dict[str, LayerStyle]:
    """Styles of the China companion layers (:data:`geotrade.boundaries.COMPANION_LAYERS`).

    ``south_china_sea``: outline only (dark grey, no fill), so the islands' own colour in
    the thematic layer below stays visible; ``china_boundary_line``: a dark grey line.

    Examples
    --------
    >>> sorted(companion_styles())
    ['china_boundary_line', 'south_china_sea']
    """
    from geotrade.style.spec import ClassStyle, LayerStyle

    ink = "#4d4d4d"
    return {
        "south_china_sea": LayerStyle(
            kind="categorized",
            field="feature",
            classes=(
                ClassStyle(
                    label_en="South China Sea Islands",
                    label_zh="南海诸岛",
                    color="#ffffff00",
                    value="south_china_sea_islands",
                ),
            ),
            title_en="South China Sea Islands",
            title_zh="南海诸岛",
            outline_color=ink,
            outline_width_mm=0.2,
        ),
        "china_boundary_line": LayerStyle(
            kind="categorized",
            field="feature",
            classes=(
                ClassStyle(
                    label_en="Maritime boundary line",
                    label_zh="海上边界线",
                    color=ink,
                    value="maritime_boundary",
                ),
            ),
            title_en="Boundary line of the standard map",
            title_zh="标准地图边界线",
            outline_color=ink,
        ),
    }


def add_china_companions(
    result: ProductResult, companions: Mapping[str, gpd.GeoDataFrame] | None = None
) -> ProductResult:
    """Add the companion layers of a China map to ``result`` (in place; returned).

    Parameters
    ----------
    result
        A China product.
    companions
        ``{"south_china_sea": ..., "china_boundary_line": ...}``; default
        :func:`geotrade.boundaries.china_companions` (cached with the China boundaries).

    Returns
    -------
    ProductResult
        ``result`` with the two layers, their styles (:func:`companion_styles`) and their
        sources in ``metadata.extra["companion_layers"]``.
    """
    from geotrade.boundaries import COMPANION_LAYERS, china_companions

    layers = dict(companions) if companions is not None else china_companions()
    styles = companion_styles()
    sources: dict[str, str] = {}
    for name in COMPANION_LAYERS:
        gdf = layers[name]
        result.layers[name] = gdf
        result.styles[name] = styles[name]
        sources[name] = str(gdf["source"].iloc[0]) if "source" in gdf.columns else ""
    result.metadata.extra["companion_layers"] = sources
    return result


def write_product(
    result: ProductResult,
    *,
    gpkg: str | Path | None = None,
    html: str | Path | None = None,
    png: str | Path | None = None,
    pdf: str | Path | None = None,
    layer_labels: Mapping[str, str] | None = None,
    tooltip_fields: Sequence[str] | None = None,
    qgz: str | Path | None = None,
    dpi: int = 200,
) -> dict[str, str]:
    """Write any of a product's GeoPackage, web map, QGIS project and static maps.

    The GeoPackage holds every layer with its embedded default QGIS style and the metadata
    (:meth:`ProductMetadata.to_dict` plus the join reports); the web map shows every layer
    (labelled by ``layer_labels``, default the layer names) with the same classes. The
    QGIS project (``qgz``, needs ``gpkg``) opens every layer of the GeoPackage styled and
    grouped in the product's map CRS (:func:`geotrade.io.qgis_project.write_qgz`). The
    static maps (:func:`geotrade.maps.static.static_map`, in the product's map CRS: Equal
    Earth or the China Albers) are one page per layer — at ``png``/``pdf`` itself for a
    one-layer product, else at ``<stem>_<layer>.png`` beside it. Returns the paths written:
    keys ``gpkg``, ``html``, ``qgz``, ``png``/``pdf`` (one layer) or ``png:<layer>``/
    ``pdf:<layer>``.
    """
    if qgz is not None and gpkg is None:
        from geotrade.errors import OutputError

        msg = "a QGIS project (--qgz) opens the product GeoPackage: also write --gpkg"
        raise OutputError(msg, path=qgz)
    outputs: dict[str, str] = {}
    meta = result.metadata
    if gpkg is not None:
        from geotrade.io.geopackage import write_gpkg

        record = {**meta.to_dict(), "join_reports": result.join_reports}
        outputs["gpkg"] = str(write_gpkg(gpkg, result.layers, styles=result.styles,
                                         metadata=record))  # fmt: skip
    if qgz is not None:
        from geotrade.io.qgis_project import write_qgz

        outputs["qgz"] = str(write_qgz(qgz, [outputs["gpkg"]], map_crs=meta.map_crs))
    if html is not None:
        from geotrade.boundaries import COMPANION_LAYERS
        from geotrade.maps.webmap import web_map

        labels = dict(layer_labels or {})
        # the web map switches between thematic layers; the boundary line of China maps is
        # always drawn on top (the SCS islands are part of the thematic layers already)
        shown = {n: g for n, g in result.layers.items() if n not in COMPANION_LAYERS}
        lines = [g for n, g in result.layers.items() if n.endswith("boundary_line")]
        outputs["html"] = str(
            web_map(
                [(labels.get(n, n), g, result.styles[n]) for n, g in shown.items()],
                html,
                title=meta.bilingual_title,
                note=meta.note or None,
                tooltip_fields=list(tooltip_fields or result.tooltip_fields),
                lines=lines,
            )
        )
    outputs.update(_static_maps(result, png=png, pdf=pdf, dpi=dpi, labels=layer_labels or {}))
    return outputs


def static_paths(result: ProductResult, target: str | Path) -> dict[str, Path]:
    """Where :func:`write_product` puts each layer's static map for ``target``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> empty = gpd.GeoDataFrame(geometry=[])
    >>> r = ProductResult(ProductMetadata("p", "P", "P"), layers={"a_2012": empty,
    ...     "a_2022": empty})
    >>> {k: v.name for k, v in static_paths(r, "out/map.png").items()}
    {'a_2012': 'map_a_2012.png', 'a_2022': 'map_a_2022.png'}
    """
    from geotrade.boundaries import COMPANION_LAYERS

    t = Path(target)
    maps = [n for n in result.layers if n not in COMPANION_LAYERS]  # drawn with each map
    if len(maps) == 1:
        return {maps[0]: t}
    return {n: t.with_name(f"{t.stem}_{n}{t.suffix}") for n in maps}


def _static_maps(
    result: ProductResult,
    *,
    png: str | Path | None,
    pdf: str | Path | None,
    dpi: int,
    labels: Mapping[str, str],
) -> dict[str, str]:
    """Render each layer once and save it in the formats asked for (see :func:`write_product`).

    The companion layers of China maps are not maps of their own: the boundary line is
    drawn on every map of the product (the South China Sea islands are part of its units).
    """
    from geotrade.maps.static import render_static_map

    targets = {fmt: static_paths(result, t) for fmt, t in (("png", png), ("pdf", pdf)) if t}
    if not targets:
        return {}
    meta = result.metadata
    projection = (
        "equal_earth"
        if meta.map_crs == WORLD_CRS
        else "albers_china"
        if meta.map_crs == CHINA_CRS
        else "auto"
    )
    source = meta.source or ", ".join(Path(f).name for f in meta.source_files) or None
    out: dict[str, str] = {}
    line = result.layers.get("china_boundary_line")
    maps = next(iter(targets.values()))
    for name, gdf in result.layers.items():
        if name not in maps:
            continue
        year = name.rsplit("_", 1)[-1]
        part = labels.get(name) or (year if year.isdigit() else "")
        title = meta.title_en + (f", {part}" if part else "")
        subtitle = " · ".join(x for x in (meta.title_zh, meta.subtitle) if x)
        unmatched = (result.join_reports.get(name) or {}).get("unmatched_table") or []
        if unmatched:
            shown = ", ".join(map(str, unmatched[:6])) + (" ..." if len(unmatched) > 6 else "")
            subtitle += f"; not mapped (no geometry): {shown}"
        rendered = render_static_map(
            gdf,
            result.styles[name],
            title=title + (" (SYNTHETIC)" if meta.synthetic else ""),
            subtitle=subtitle or None,
            note=meta.note or None,
            source=source,
            projection=projection,  # type: ignore[arg-type]
            lines=line,
        )
        try:
            for fmt, paths in targets.items():
                (written,) = rendered.save(paths[name], formats=(fmt,), dpi=dpi)  # type: ignore[arg-type]
                out[fmt if len(maps) == 1 else f"{fmt}:{name}"] = str(written)
        finally:
            rendered.close()
    return out
