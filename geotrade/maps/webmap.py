"""Self-contained, offline interactive web maps (folium / Leaflet).

:func:`web_map` writes one HTML file with one GeoJSON overlay per layer (e.g. one per year),
a layer switcher, a legend listing every class of the layer's
:class:`~geotrade.style.spec.LayerStyle` (same colours and bilingual labels as the QGIS style
and the static map, plus feature counts), bilingual tooltips, a title and a visible note.

Offline by construction
    folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. geotrade drops those
    links and inlines the vendored Leaflet 1.9.4 JavaScript and CSS
    (``geotrade/maps/_vendor/leaflet``, BSD-2-Clause), with the layer-control icons as data
    URIs. No tile basemap is used unless ``tiles=`` is given (tiles need the internet).
    The written file references no ``http(s)://`` script or stylesheet.
Geometry for the web
    Geometry is simplified (Douglas–Peucker with topology preserved) and coordinates are
    rounded, to keep the file small: by default 0.05° for layers spanning more than 90° of
    longitude (world maps) and 0.01° (about 1 km) otherwise. On world layers, polygon parts
    smaller than the tolerance squared are dropped (a feature keeps its largest part), and
    geometry south of 60°S is clipped because Antarctica dominates a Web-Mercator map.
    Small islands are never dropped from regional (e.g. China) layers.

Examples
--------
>>> import geopandas as gpd, tempfile, pathlib
>>> from shapely.geometry import box
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> style = LayerStyle(kind="categorized", field="c", title_en="Class", title_zh="类别",
...     classes=(ClassStyle("Low", "低", "#fee08b", value="a"),
...              ClassStyle("High", "高", "#d73027", value="b")),
...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
>>> gdf = gpd.GeoDataFrame({"c": ["a", "b", None]}, geometry=[box(0, 0, 9, 9),
...     box(20, 0, 29, 9), box(40, 0, 49, 9)], crs=4326)
>>> out = web_map([("2022", gdf, style)], pathlib.Path(tempfile.mkdtemp()) / "m.html",
...               title="Demo", note="Synthetic data")
>>> html = out.read_text(encoding="utf-8")
>>> "Low / 低" in html and "#d73027" in html and "cdn.jsdelivr" not in html
True
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import json
import logging
import math
import numbers
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial, wraps
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from geotrade.errors import InputFormatError, OutputError
from geotrade.maps._memo import memo_geoms
from geotrade.style.spec import ClassStyle, LayerStyle

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["WebLegend", "legend_entries", "web_map"]

logger = logging.getLogger(__name__)

Lang = Literal["en", "zh", "both"]
_LANGS = ("en", "zh", "both")
_COUNTS = ("map", "style", "none")
_UNCLASSIFIED = ClassStyle("Not classified", "未分类", "#ffffff")
_WORLD_SOUTH = -60.0
_FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", '
    '"Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)


@dataclass(frozen=True)
class WebLegend:
    """Legend of one web-map layer: title and ``(label, colour, count)`` rows."""

    layer: str
    title: str
    rows: tuple[tuple[str, str, int | None], ...]
    #: Hatch colour of each row (``None``: solid swatch), same order as ``rows``.
    hatches: tuple[str | None, ...] = ()


# --------------------------------------------------------------------------------------
# vendored Leaflet
# --------------------------------------------------------------------------------------


@cache
def _vendored_leaflet() -> tuple[str, str]:
    """Return (javascript, css) of the vendored Leaflet, with images as data URIs."""
    base = resources.files("geotrade.maps") / "_vendor" / "leaflet"
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    for img in ("layers.png", "layers-2x.png"):
        data = base64.b64encode((base / img).read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{img})", f"url(data:image/png;base64,{data})")
    # marker icons are never used by geotrade maps; drop the relative reference
    css = css.replace("url(images/marker-icon.png)", "none")
    # "</script>" inside inlined code would end the script element early
    js = js.replace("</script", "<\\/script")
    return js, css


# --------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------


def legend_entries(
    gdf: gpd.GeoDataFrame,
    style: LayerStyle,
    *,
    lang: Lang = "both",
    counts: Literal["map", "style", "none"] = "map",
) -> list[tuple[str, str, int | None]]:
    """Return the legend rows ``(label, colour, count)`` for one layer.

    Rows follow :meth:`LayerStyle.all_classes` (classes, then the no-data class). Features
    that match no class of a style without a no-data class get a ``"Not classified / 未分类"``
    row, so nothing is dropped silently.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> s = LayerStyle(kind="categorized", field="c", title_en="C", title_zh="类",
    ...     classes=(ClassStyle("A", "甲", "#111111", value="a"),),
    ...     nodata=ClassStyle("No data", "无数据", "#cccccc"))
    >>> g = gpd.GeoDataFrame({"c": ["a", None, "a"]}, geometry=[Point(0, 0)] * 3)
    >>> legend_entries(g, s, lang="en")
    [('A', '#111111', 2), ('No data', '#cccccc', 1)]
    """
    _check_choice("lang", lang, _LANGS)
    _check_choice("counts", counts, _COUNTS)
    classes = _classes_of(gdf, style)
    rows_cls = list(style.all_classes())
    if any(c is _UNCLASSIFIED for c in classes):
        rows_cls.append(_UNCLASSIFIED)
    out: list[tuple[str, str, int | None]] = []
    for c in rows_cls:
        if counts == "map":
            n: int | None = sum(1 for k in classes if k is c)
        elif counts == "style":
            n = c.count
        else:
            n = None
        out.append((c.label(lang), c.color, n))
    return out


@contextmanager
def _deterministic_ids() -> Iterator[None]:
    """Give folium/branca elements sequential ids instead of random ones.

    The same inputs then give the same page bytes; branca's generator is restored after.
    """
    from branca.element import Element

    original = Element.__dict__["_generate_id"]
    counter = iter(range(1, 1 << 62))

    def _next_id(cls: type) -> str:
        return f"{next(counter):032x}"

    Element._generate_id = classmethod(_next_id)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def _deterministic(func: Callable[..., Path]) -> Callable[..., Path]:
    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> Path:
        with _deterministic_ids():
            return func(*args, **kwargs)

    return wrapper


@_deterministic
def web_map(
    layers: Sequence[tuple[str, gpd.GeoDataFrame, LayerStyle]],
    path: str | os.PathLike[str],
    *,
    title: str,
    note: str | None = None,
    tooltip_fields: Sequence[str] = (),
    lang: Lang = "both",
    tiles: str | None = None,
    attribution: str | None = None,
    simplify: float | None = None,
    counts: Literal["map", "style", "none"] = "map",
    fill_opacity: float = 0.85,
    exclusive: bool = True,
    lines: Sequence[gpd.GeoDataFrame] = (),
) -> Path:
    """Write an offline, self-contained HTML web map of one or more classified layers.

    Parameters
    ----------
    layers : sequence of (name, GeoDataFrame, LayerStyle)
        One overlay per item, in this order in the layer switcher; only the first is shown
        when the page opens. Each GeoDataFrame needs a CRS and the column ``style.field``.
    path : str or path-like
        Output ``.html`` file; written atomically (temporary file, then rename).
    title : str
        Page and map title.
    note : str, optional
        Note shown on the map, e.g. ``"Synthetic data — not real trade statistics / 合成数据"``.
    tooltip_fields : sequence of str
        Extra columns shown in the hover tooltip, before the classified value and its class
        (columns missing from a layer are skipped).
    lang : {"both", "en", "zh"}
        Language of legend, class labels and tooltip headings.
    tiles : str, optional
        A folium tile name or URL template for a basemap. Default: none, so the map works
        offline; a basemap needs the internet.
    attribution : str, optional
        Tile attribution, required by folium for custom tile URLs.
    simplify : float, optional
        Simplification tolerance in degrees; ``0`` disables. Default: 0.05 for layers
        spanning more than 90° of longitude, otherwise 0.01.
    counts : {"map", "style", "none"}
        Legend counts: features per class in the layer (``"map"``), ``ClassStyle.count``
        (``"style"``) or none.
    fill_opacity : float, default 0.85
    exclusive : bool, default True
        Show one layer at a time (radio buttons, e.g. one layer per year). ``False`` gives
        independent check boxes; the legends of all visible layers are then stacked.
    lines : sequence of GeoDataFrame
        Line layers always drawn above every thematic layer, outside the layer switcher
        (e.g. the standard map's boundary line of China maps), dark grey, not interactive.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    InputFormatError
        No layers, a layer without CRS or without the style's field, unknown options.
    OutputError
        The file cannot be written.

    Examples
    --------
    >>> import geopandas as gpd, tempfile, pathlib
    >>> from shapely.geometry import box
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> s = LayerStyle(kind="graduated", field="r", title_en="Ratio", title_zh="比例",
    ...     classes=(ClassStyle("0–1", "0–1", "#fee8c8", lower=0, upper=1),
    ...              ClassStyle("1–5", "1–5", "#e34a33", lower=1, upper=5)),
    ...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
    >>> g = gpd.GeoDataFrame({"r": [0.4, 2.0], "name": ["A", "B"]},
    ...     geometry=[box(100, 30, 105, 35), box(110, 25, 115, 30)], crs=4326)
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> p = web_map([("2017", g, s), ("2022", g, s)], d / "cn.html", title="Ratio",
    ...             tooltip_fields=["name"], lang="en")
    >>> p.name, p.stat().st_size < 400_000
    ('cn.html', True)
    """
    import folium
    from branca.element import Figure, MacroElement
    from jinja2 import Template

    _check_choice("lang", lang, _LANGS)
    _check_choice("counts", counts, _COUNTS)
    if not layers:
        msg = "web_map needs at least one (name, GeoDataFrame, LayerStyle) layer; got none"
        raise InputFormatError(msg)
    if not 0 <= fill_opacity <= 1:
        msg = f"fill_opacity must be between 0 and 1; got {fill_opacity!r}"
        raise InputFormatError(msg)
    names = [name for name, _, _ in layers]
    if len(set(names)) != len(names):
        msg = f"layer names must be unique (they label the layer switcher); got {names}"
        raise InputFormatError(msg)

    prepared = []
    for name, gdf, style in layers:
        if style.field not in gdf.columns:
            msg = (
                f"layer {name!r}: the style classifies column {style.field!r} but the data "
                f"has {list(gdf.columns)}"
            )
            raise InputFormatError(msg, column=style.field)
        if gdf.crs is None:
            msg = f"layer {name!r} has no CRS; set it, e.g. gdf.set_crs(4326)"
            raise InputFormatError(msg)
        prepared.append((name, _prepare(gdf, style, simplify), style, gdf))

    bounds = _union_bounds([p[1] for p in prepared])
    m = folium.Map(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        zoom_start=2,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    if tiles is not None:  # always on, outside the layer switcher
        folium.TileLayer(tiles, attr=attribution, control=False).add_to(m)
    # offline: no CDN links; Leaflet is inlined below
    m.default_js = []
    m.default_css = []
    js, css = _vendored_leaflet()
    root = cast(Figure, m.get_root())  # a Map's root is its Figure
    root.header.add_child(_raw(f"<style>{css}</style>"), name="geotrade_leaflet_css")
    root.header.add_child(_raw(f"<script>{js}</script>"), name="geotrade_leaflet_js")
    root.header.add_child(_raw(f"<style>{_page_css()}</style>"), name="geotrade_css")
    # branca renders Figure.title unescaped: only this escaped <title> is written
    root.header.add_child(_raw(f"<title>{_html.escape(title)}</title>"), name="geotrade_title_tag")

    legends: list[WebLegend] = []
    geo_layers: list[MacroElement] = []
    geom_vars: dict[str, str] = {}
    for i, (name, gdf, style, original) in enumerate(prepared):
        geom_json = _geometry_json(gdf)
        key = hashlib.sha256(geom_json.encode()).hexdigest()[:16]
        if key not in geom_vars:  # layers of several years share one copy of the geometry
            geom_vars[key] = f"gt_geom_{key}"
            _JsVar(geom_vars[key], geom_json).add_to(m)
        layer = _ClassedLayer(
            _html.escape(name),  # Leaflet's layer switcher shows names as HTML
            geom_var=geom_vars[key],
            props=_feature_props(gdf, style, tooltip_fields, lang, name),
            outline=style.outline_color,
            weight=round(max(0.4, style.outline_width_mm * 96 / 25.4 * 1.5), 2),
            fill_opacity=fill_opacity,
            show=(i == 0),
            overlay=not exclusive,
        )
        layer.add_to(m)
        geo_layers.append(layer)
        rows = tuple(legend_entries(original, style, lang=lang, counts=counts))
        hatch_of = {(c.label(lang), c.color): c.hatch for c in style.all_classes()}
        hatches = tuple(hatch_of.get((label, color)) for label, color, _ in rows)
        legends.append(WebLegend(name, _title_of(style, lang), rows, hatches))

    for line in lines:  # always on, above the thematic layers, not in the switcher
        g = line.to_crs(4326)
        g = g[~(g.geometry.isna() | g.geometry.is_empty)]
        if len(g):
            import shapely

            features = [
                {"type": "Feature", "properties": {}, "geometry": json.loads(part)}
                for part in shapely.to_geojson(g.geometry.values)
            ]
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                control=False,
                interactive=False,
                style_function=lambda _f: {"color": "#4d4d4d", "weight": 1.6, "opacity": 1.0},
            ).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])

    root.html.add_child(_raw(_overlay_html(title, note, legends)), name="geotrade_overlay")
    defs = _hatch_defs([p[2] for p in prepared])
    if defs:  # SVG patterns for hatched classes ("not covered"), referenced as url(#id)
        root.html.add_child(_raw(defs), name="geotrade_hatch_defs")

    pairs = ", ".join(
        f"[{g.get_name()}, {json.dumps(f'gt-legend-{i}')}]" for i, g in enumerate(geo_layers)
    )
    script = MacroElement()
    script._template = Template(
        "{% macro script(this, kwargs) %}\n(function () {\n"
        f"  var map = {m.get_name()};\n"
        f"  var pairs = [{pairs}];\n"
        "  function box(id, pos) {\n"
        "    var el = document.getElementById(id);\n"
        "    if (!el) { return; }\n"
        "    var c = L.control({position: pos});\n"
        "    c.onAdd = function () { L.DomEvent.disableClickPropagation(el);\n"
        "      L.DomEvent.disableScrollPropagation(el); el.style.display = ''; return el; };\n"
        "    c.addTo(map);\n"
        "  }\n"
        "  box('gt-legends', 'bottomleft');\n"
        "  box('gt-note', 'bottomright');\n"
        "  function sync() {\n"
        "    pairs.forEach(function (p) {\n"
        "      var el = document.getElementById(p[1]);\n"
        "      if (el) { el.style.display = map.hasLayer(p[0]) ? '' : 'none'; }\n"
        "    });\n"
        "  }\n"
        "  map.on('layeradd layerremove', sync);\n"
        "  sync();\n"
        "})();\n{% endmacro %}"
    )
    script.add_to(m)

    page = root.render()
    out = _write_atomic(Path(path), page)
    logger.info("web map written to %s (%.1f kB)", out, out.stat().st_size / 1024)
    return out


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _raw(text: str) -> Any:
    """Return a branca element that writes ``text`` as it is.

    ``branca.element.Element(text)`` compiles ``text`` as a Jinja template: slow for the
    inlined Leaflet (≈ 0.5 s a map) and wrong for data-borne text, in which ``{{ ... }}``
    would be evaluated.
    """
    from branca.element import Element

    class Raw(Element):
        def __init__(self, body: str) -> None:
            super().__init__()
            self._body = body

        def render(self, **kwargs: Any) -> str:
            return self._body

    return Raw(text)


@cache
def _element_classes():
    """Build the folium element classes lazily (folium is imported only when used)."""
    from branca.element import MacroElement
    from folium.map import Layer
    from jinja2 import Template

    class JsVar(MacroElement):
        """A global JavaScript variable holding shared data (the layer geometry)."""

        _template = Template(
            "{% macro script(this, kwargs) %}var {{ this.var }} = {{ this.json }};{% endmacro %}"
        )

        def __init__(self, var: str, json_text: str) -> None:
            super().__init__()
            self._name = "JsVar"
            self.var = var
            self.json = json_text

    class ClassedLayer(Layer):
        """A GeoJSON overlay: shared geometry + per-feature fill colour and tooltip."""

        _template = Template(
            """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var geom = {{ this.geom_var }};
  var props = {{ this.props_json }};
  var features = geom.map(function (g, i) {
    return {type: "Feature", geometry: g, properties: {fill: props[i][0], tip: props[i][1]}};
  });
  var base = {color: {{ this.outline|tojson }}, weight: {{ this.weight }},
              opacity: 0.9, fillOpacity: {{ this.fill_opacity }}};
  var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
    style: function (f) { return Object.assign({fillColor: f.properties.fill}, base); },
    onEachFeature: function (f, l) {
      l.bindTooltip(f.properties.tip, {sticky: true, className: "gt-tooltip"});
      l.on("mouseover", function (e) {
        e.target.setStyle({weight: 2, color: "#111111"});
        if (e.target.bringToFront) { e.target.bringToFront(); }
      });
      l.on("mouseout", function (e) { layer.resetStyle(e.target); });
    }
  });
  return layer;
})();
{% endmacro %}"""
        )

        def __init__(
            self,
            name: str,
            *,
            geom_var: str,
            props: list[list[str]],
            outline: str,
            weight: float,
            fill_opacity: float,
            show: bool,
            overlay: bool,
        ) -> None:
            super().__init__(name=name, overlay=overlay, control=True, show=show)
            self._name = "ClassedLayer"
            self.geom_var = geom_var
            self.props_json = json.dumps(props, ensure_ascii=False, separators=(",", ":"))
            self.props_json = self.props_json.replace("</", "<\\/")
            self.outline = outline
            self.weight = weight
            self.fill_opacity = fill_opacity

    return JsVar, ClassedLayer


def _JsVar(var: str, json_text: str):
    return _element_classes()[0](var, json_text)


def _ClassedLayer(name: str, **kwargs: object):
    return _element_classes()[1](name, **kwargs)


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        msg = f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}"
        raise InputFormatError(msg)


def _title_of(style: LayerStyle, lang: str) -> str:
    if lang == "en":
        return style.title_en
    if lang == "zh":
        return style.title_zh
    return (
        style.title_en
        if style.title_en == style.title_zh
        else (f"{style.title_en} / {style.title_zh}")
    )


def _classes_of(gdf: gpd.GeoDataFrame, style: LayerStyle) -> list[ClassStyle]:
    """Class of each feature, from its value and (if the layer has one) its status."""
    out = []
    statuses = (
        gdf[style.status_field].tolist() if style.status_field in gdf.columns else [None] * len(gdf)
    )
    for v, st in zip(gdf[style.field], statuses, strict=True):
        c = style.class_for_feature(None if _is_missing(v) else v, st)
        out.append(c if c is not None else _UNCLASSIFIED)
    return out


def _hatch_id(cls: ClassStyle) -> str:
    """Id of the SVG pattern of a hatched class (one per fill/hatch colour pair)."""
    return f"gt-hatch-{cls.color.lstrip('#')}-{str(cls.hatch).lstrip('#')}"


def _fill_of(cls: ClassStyle) -> str:
    """SVG fill of a class: its colour, or its hatch pattern (``url(#...)``)."""
    return f"url(#{_hatch_id(cls)})" if cls.hatch else cls.color


def _swatch_css(cls_color: str, hatch: str | None) -> str:
    """CSS background of a legend swatch (diagonal stripes for hatched classes)."""
    if not hatch:
        return f"background:{cls_color}"
    return (
        f"background:repeating-linear-gradient(45deg,{hatch} 0 1px,{cls_color} 1px 4px),{cls_color}"
    )


def _hatch_defs(styles: Sequence[LayerStyle]) -> str:
    """Hidden ``<svg>`` with one diagonal-line ``<pattern>`` per hatched class."""
    pats: dict[str, ClassStyle] = {}
    for st in styles:
        for c in st.all_classes():
            if c.hatch:
                pats.setdefault(_hatch_id(c), c)
    if not pats:
        return ""
    body = "".join(
        f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6"'
        f' patternTransform="rotate(45)"><rect width="6" height="6" fill="{c.color}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{c.hatch}" stroke-width="1.6"/></pattern>'
        for pid, c in pats.items()
    )
    return (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true">'
        f"<defs>{body}</defs></svg>"
    )


def _is_missing(v: object) -> bool:
    """Return True for None, NaN, NaT and pd.NA (scalars only)."""
    import pandas as pd

    try:
        r = pd.isna(v)
    except (TypeError, ValueError):  # pragma: no cover - exotic objects
        return False
    return bool(r) if isinstance(r, (bool, np.bool_)) else False


def _prepare(gdf: gpd.GeoDataFrame, style: LayerStyle, tol: float | None) -> gpd.GeoDataFrame:

    g = gdf.to_crs(4326)
    g = g[~(g.geometry.isna() | g.geometry.is_empty)]
    xmin, _, xmax, _ = g.total_bounds if len(g) else (0, 0, 0, 0)
    world = (xmax - xmin) > 90
    if tol is None:
        tol = 0.05 if world else 0.01
    # the same boundaries are shown once per layer (year): simplify them once per process
    geoms = memo_geoms(
        "webmap.prepare",
        g.geometry.values,
        (world, float(tol)),
        partial(_simplify, world=world, tol=tol),
        persist=True,
    )
    g = g.assign(geometry=geoms)
    return g[~(g.geometry.isna() | g.geometry.is_empty)]


def _simplify(geoms: np.ndarray, *, world: bool, tol: float) -> np.ndarray:
    import shapely

    if world:
        geoms = _polygonal(shapely.clip_by_rect(geoms, -180.0, _WORLD_SOUTH, 180.0, 90.0))
    if tol > 0:
        geoms = shapely.simplify(geoms, tol, preserve_topology=True)
        if world:  # islands of a few km² are invisible on a world map (never on China maps)
            geoms = _drop_specks(geoms, tol * tol)
        # round coordinates to about a tenth of the tolerance: short, exact decimal JSON
        decimals = max(0, min(7, math.ceil(-math.log10(tol / 10))))
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    return geoms


def _drop_specks(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Drop polygon parts smaller than ``min_area``; a feature always keeps its largest part."""
    import shapely

    out = geoms.copy()
    for i, geom in enumerate(geoms):
        if geom is None or geom.geom_type != "MultiPolygon":
            continue
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        keep = (areas >= min_area) | (areas == areas.max())
        if not keep.all():
            out[i] = shapely.MultiPolygon(list(parts[keep]))
    return out


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts (clipping can leave lines and points behind)."""
    import shapely

    out = geoms.copy()
    for i, geom in enumerate(geoms):
        if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
            continue
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        out[i] = shapely.union_all(parts) if parts else shapely.Polygon()
    return out


def _union_bounds(gdfs: Sequence[gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    bs = [g.total_bounds for g in gdfs if len(g)]
    if not bs:
        return (-180.0, -60.0, 180.0, 85.0)
    return (
        min(b[0] for b in bs),
        max(min(b[1] for b in bs), -85.0),
        max(b[2] for b in bs),
        min(max(b[3] for b in bs), 85.0),
    )


def _fmt(v: object) -> str:
    """Format a value for a tooltip: thousands separators, 4 significant digits."""
    if _is_missing(v):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, numbers.Integral):
        return f"{int(v):,}"
    if isinstance(v, numbers.Real):
        x = float(v)
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        if abs(x) >= 1e6 or abs(x) < 1e-3:
            return f"{x:.4g}"
        return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.1f}"
    return str(v)


def _geometry_json(gdf: gpd.GeoDataFrame) -> str:
    import shapely

    parts = shapely.to_geojson(gdf.geometry.values)
    return "[" + ",".join(parts) + "]"


def _feature_props(
    gdf: gpd.GeoDataFrame, style: LayerStyle, tooltip_fields: Sequence[str], lang: str, name: str
) -> list[list[str]]:
    """Return ``[fill colour, tooltip HTML]`` per feature (HTML-escaped in Python)."""
    esc = _html.escape
    classes = _classes_of(gdf, style)
    extra = [f for f in tooltip_fields if f in gdf.columns and f != style.field]
    value_alias = _title_of(style, lang)
    class_alias = {"en": "Class", "zh": "类别", "both": "Class / 类别"}[lang]
    layer_alias = {"en": "Layer", "zh": "图层", "both": "Layer / 图层"}[lang]
    out = []
    records = gdf[[*extra, style.field]].to_dict("records")
    for rec, cls in zip(records, classes, strict=True):
        rows = [(layer_alias, name)] + [(f, _fmt(rec[f])) for f in extra]
        if style.kind == "graduated":  # a categorized slug adds nothing to its class label
            rows.append((value_alias, _fmt(rec[style.field])))
        rows.append((class_alias, cls.label(lang)))  # type: ignore[arg-type]
        html = (
            "<table>"
            + "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(v)}</td></tr>" for k, v in rows)
            + "</table>"
        )
        out.append([_fill_of(cls), html])
    return out


def _page_css() -> str:
    return (
        f"html, body {{font-family: {_FONT_STACK};}}\n"
        ".folium-map, .leaflet-container {background: #eef2f6;}\n"
        f".leaflet-container {{font-family: {_FONT_STACK};}}\n"
        "#gt-title {position: absolute; top: 10px; left: 50%; transform: translateX(-50%);"
        " z-index: 1000; max-width: 56%; background: rgba(255,255,255,0.92);"
        " padding: 6px 14px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);"
        " font-size: 16px; font-weight: 600; color: #222; text-align: center;}\n"
        ".gt-box {background: rgba(255,255,255,0.94); padding: 8px 10px; border-radius: 4px;"
        " box-shadow: 0 1px 4px rgba(0,0,0,0.3); color: #222; font-size: 12px;"
        " line-height: 1.35;}\n"
        "#gt-legends {max-height: 60vh; overflow-y: auto;}\n"
        ".gt-legend + .gt-legend {margin-top: 8px; padding-top: 6px;"
        " border-top: 1px solid #ddd;}\n"
        ".gt-legend-title {font-weight: 600; margin-bottom: 4px;}\n"
        ".gt-legend-layer {font-weight: 400; color: #555;}\n"
        ".gt-row {display: flex; align-items: center; gap: 6px; margin: 2px 0;}\n"
        ".gt-swatch {display: inline-block; width: 18px; height: 12px; flex: none;"
        " border: 1px solid #636363;}\n"
        ".gt-count {color: #666; margin-left: auto; padding-left: 8px;"
        " white-space: nowrap;}\n"
        "#gt-note {max-width: 340px; font-style: italic;}\n"
        ".leaflet-control-layers {font-size: 13px;}\n"
        ".gt-tooltip th {text-align: left; padding-right: 8px; font-weight: 600;}\n"
        ".leaflet-tooltip table {border-collapse: collapse;}\n"
    )


def _overlay_html(title: str, note: str | None, legends: Sequence[WebLegend]) -> str:
    esc = _html.escape
    parts = [f'<div id="gt-title">{esc(title)}</div>']
    blocks = []
    for i, lg in enumerate(legends):
        hatches = lg.hatches or (None,) * len(lg.rows)
        rows = "".join(
            f'<div class="gt-row"><span class="gt-swatch" style="{esc(_swatch_css(color, h))}">'
            f'</span><span class="gt-label">{esc(label)}</span>'
            + (f'<span class="gt-count">n = {n}</span>' if n is not None else "")
            + "</div>"
            for (label, color, n), h in zip(lg.rows, hatches, strict=True)
        )
        blocks.append(
            f'<div class="gt-legend" id="gt-legend-{i}" data-layer="{esc(lg.layer)}">'
            f'<div class="gt-legend-title">{esc(lg.title)} '
            f'<span class="gt-legend-layer">· {esc(lg.layer)}</span></div>{rows}</div>'
        )
    parts.append(
        f'<div id="gt-legends" class="gt-box" style="display:none">{"".join(blocks)}</div>'
    )
    if note:
        parts.append(f'<div id="gt-note" class="gt-box" style="display:none">{esc(note)}</div>')
    return "\n".join(parts)


def _default_mode() -> int:
    """Permissions of a newly created file under the current umask (mkstemp uses 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_atomic(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # pid-stamped like geotrade.io.atomic, so that a later run removes it after a SIGKILL
        stamp = f"{os.getpid()}-{secrets.token_hex(6)}"
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{stamp}.tmp", dir=path.parent)
    except OSError as exc:
        msg = f"cannot write {path}: {exc}; check the directory exists and is writable"
        raise OutputError(msg, path=path) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, _default_mode())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        msg = f"cannot write {path}: {exc}; check free disk space and permissions"
        raise OutputError(msg, path=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
