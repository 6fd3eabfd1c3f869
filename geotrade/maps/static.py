"""Print-ready static choropleth maps (PNG, PDF, SVG) drawn with matplotlib.

A static map draws exactly the classes of one :class:`~geotrade.style.spec.LayerStyle`
(colours, bilingual labels, no-data class), so its legend matches the QGIS style and the
web map.

Cartographic choices
--------------------
Projection
    ``"equal_earth"`` (EPSG:8857, equal-area) for world maps; ``"albers_china"`` (Albers
    equal-area conic, standard parallels 25°N and 47°N, central meridian 105°E) for maps of
    China; ``"auto"`` picks Albers when the data's bounding box is centred on China
    (73–135°E, 18–54°N) and spans at most 75° of longitude, Equal Earth otherwise.
World maps
    Show the whole world from 60°S to 90°N: Antarctica (south of 60°S) is clipped away, as it
    only distorts the area budget of a trade map. Natural Earth geometry is already split at
    the antimeridian, so no feature wraps around the map. A 30° graticule is drawn instead
    of a north arrow because north is not "up" away from the central meridian.
China maps
    The main frame is fitted to the data north of 17.5°N (mainland, Hainan, Taiwan), so the
    islands of the South China Sea (三沙) do not shrink the map. When the data has geometry
    south of 17.5°N in the South China Sea, the islands are drawn in an inset in the lower
    right corner (105–125°E, 2–25°N, same projection and scale conventions as Chinese
    published maps: "南海诸岛"). The north arrow is rotated to true north at its position.
Scale bar
    Its length is computed from the projection's real scale factor
    (:meth:`pyproj.Proj.get_factors`) at a stated reference point and is labelled with that
    point: along the equator for Equal Earth (scale varies across the map; equal-area is not
    equidistant), at the map centre on the central meridian for the Albers conic.
Determinism
    Files carry no creation date or software version metadata, so the same inputs give
    byte-identical PNG and PDF files.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> style = LayerStyle(
...     kind="categorized", field="cls", title_en="Class", title_zh="类别",
...     classes=(ClassStyle("Low", "低", "#fee08b", value="a"),
...              ClassStyle("High", "高", "#d73027", value="b")),
...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
>>> gdf = gpd.GeoDataFrame({"cls": ["a", "b", None]},
...     geometry=[box(0, 0, 20, 20), box(40, 10, 60, 30), box(-60, -10, -40, 10)], crs=4326)
>>> import tempfile, pathlib
>>> out = static_map(gdf, style, pathlib.Path(tempfile.mkdtemp()) / "demo",
...                  title="Demo", formats=("png",), dpi=50)
>>> [p.suffix for p in out]
['.png']
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from geotrade.errors import InputFormatError, OutputError
from geotrade.maps.crs import ALBERS_CHINA, EQUAL_EARTH, projection_for_bounds
from geotrade.maps.fonts import font_families
from geotrade.maps.webmap import _default_mode, _is_missing
from geotrade.style.spec import ClassStyle, LayerStyle

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = [
    "ALBERS_CHINA",
    "EQUAL_EARTH",
    "LegendEntry",
    "StaticMap",
    "render_static_map",
    "static_map",
]


Projection = Literal["equal_earth", "albers_china", "auto"]
Lang = Literal["en", "zh", "both"]
Format = Literal["png", "pdf", "svg"]

_PROJECTIONS = ("equal_earth", "albers_china", "auto")
_LANGS = ("en", "zh", "both")
_FORMATS = ("png", "pdf", "svg")
_COUNTS = ("map", "style", "none")

_WORLD_SOUTH = -60.0  # clip Antarctica
_CHINA_MAIN_SOUTH = 17.5  # main frame of China maps: north of this latitude
_SCS_BOX = (105.0, 2.0, 125.0, 25.0)  # South China Sea inset (lon/lat)
_UNCLASSIFIED = ClassStyle("Not classified", "未分类", "#ffffff")

_MARGIN_IN = 0.3  # left/right figure margin, inches
_INSET_FRAC = 0.17  # South China Sea inset width / main map width
_INK = "#222222"
_MUTED = "#555555"
_OCEAN = "#f2f5f8"
_BACKGROUND_FILL = "#ececec"
_BACKGROUND_EDGE = "#ffffff"
_LINE_INK = "#4d4d4d"  # boundary lines drawn over the map (the standard map's line)
_HATCH = "//////"  # diagonal lines of hatched classes ("not covered")


@dataclass(frozen=True)
class LegendEntry:
    """One legend row as drawn: label text, fill colour and feature count (or ``None``)."""

    label: str
    color: str
    count: int | None
    #: Colour of diagonal hatch lines over the fill ("not covered"), ``None`` for solid.
    hatch: str | None = None


@dataclass
class StaticMap:
    """A rendered (not yet saved) static map and what was drawn on it.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure; save it with :meth:`save` or close it with :meth:`close`.
    legend_entries : list of LegendEntry
        Legend rows in drawing order (classes, then the no-data class).
    legend_title : str
    lang : str
        Language actually used (``"en"`` when Chinese was requested but no CJK font exists).
    font_families : list of str
        matplotlib font families used for all text.
    projection : str
        ``"equal_earth"`` or ``"albers_china"``.
    crs : str
        The CRS the map is drawn in.
    scale_note : str
        Where the scale bar is true.
    inset : bool
        Whether a South China Sea inset was drawn.
    warnings : list of str
        Messages of warnings raised while rendering (e.g. a missing CJK font).
    """

    figure: Figure
    legend_entries: list[LegendEntry]
    legend_title: str
    lang: str
    font_families: list[str]
    projection: str
    crs: str
    scale_note: str
    inset: bool
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    note: str | None = None

    def save(
        self, path: str | os.PathLike[str], *, formats: Sequence[Format] = ("png",), dpi: int = 200
    ) -> list[Path]:
        """Write the figure once per format (``path`` with the format's suffix), atomically."""
        return _save(
            self.figure,
            Path(path),
            formats=formats,
            dpi=dpi,
            title=self.title,
            description=self.note,
        )

    def close(self) -> None:
        """Release the figure's memory."""
        import matplotlib.pyplot as plt

        plt.close(self.figure)


# --------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------


def static_map(
    gdf: gpd.GeoDataFrame,
    style: LayerStyle,
    path: str | os.PathLike[str],
    *,
    title: str,
    subtitle: str | None = None,
    note: str | None = None,
    source: str | None = None,
    projection: Projection = "auto",
    lang: Lang = "both",
    formats: Sequence[Format] = ("png",),
    dpi: int = 200,
    background: gpd.GeoDataFrame | None = None,
    background_label: str | None = None,
    counts: Literal["map", "style", "none"] = "map",
    north_arrow: bool | None = None,
    scs_inset: bool | None = None,
    width_in: float | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> list[Path]:
    """Draw a choropleth of ``gdf`` classed by ``style`` and save it as PNG/PDF/SVG.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Features with a CRS and the column ``style.field``.
    style : LayerStyle
        Classes, colours and labels; every class and the no-data class appear in the legend.
    path : str or path-like
        Output path; its suffix is replaced by each format's (``map.png`` -> ``map.pdf``).
    title : str
        Map title (give both languages yourself if wanted).
    subtitle : str, optional
        Second line under the title (e.g. year, product, classification method).
    note : str, optional
        Note printed at the bottom, e.g. ``"Synthetic data — not real trade statistics"``.
    source : str, optional
        Data source; printed with the projection and the geotrade version.
    projection : {"auto", "equal_earth", "albers_china"}
        See the module notes.
    lang : {"both", "en", "zh"}
        Label language; falls back to ``"en"`` (with a ``CJKFontWarning``) without a CJK font.
    formats : sequence of {"png", "pdf", "svg"}
    dpi : int, default 200
        Resolution of raster output.
    background : geopandas.GeoDataFrame, optional
        Context geometry drawn in light grey under the data (e.g. all countries, or the
        neighbours of China).
    background_label : str, optional
        Legend text for the background (e.g. ``"China (reporter) / 中国"``); without it the
        background has no legend entry.
    counts : {"map", "style", "none"}
        Legend counts: features per class in ``gdf`` (``"map"``), ``ClassStyle.count``
        (``"style"``), or none.
    north_arrow : bool, optional
        Default: drawn on China (conic) maps, not on world maps (which get a graticule).
    scs_inset : bool, optional
        South China Sea inset on China maps. Default: when the data reaches south of 17.5°N
        in the South China Sea.
    width_in : float, optional
        Figure width in inches (default 10 for world maps, 8 for China maps).
    lines : geopandas.GeoDataFrame, optional
        Boundary lines drawn on top of the map and the inset in dark grey, e.g. the
        ``china_boundary_line`` companion layer (:func:`geotrade.boundaries.
        china_companions`); no legend entry.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of ``formats``.

    Raises
    ------
    InputFormatError
        Missing CRS or field, unknown option values.
    OutputError
        The files cannot be written.

    Examples
    --------
    >>> import geopandas as gpd, tempfile, pathlib
    >>> from shapely.geometry import box
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(kind="graduated", field="ratio", title_en="Ratio",
    ...     title_zh="比例", classes=(ClassStyle("0–1", "0–1", "#fee8c8", lower=0, upper=1),
    ...                             ClassStyle("1–5", "1–5", "#e34a33", lower=1, upper=5)))
    >>> gdf = gpd.GeoDataFrame({"ratio": [0.5, 3.0]},
    ...     geometry=[box(100, 30, 110, 40), box(110, 25, 120, 35)], crs=4326)
    >>> files = static_map(gdf, style, pathlib.Path(tempfile.mkdtemp()) / "cn.png",
    ...     title="Ratio", formats=("png", "pdf"), dpi=40)
    >>> [f.name for f in files]
    ['cn.png', 'cn.pdf']
    """
    _check_formats(formats)
    rendered = render_static_map(
        gdf,
        style,
        title=title,
        subtitle=subtitle,
        note=note,
        source=source,
        projection=projection,
        lang=lang,
        background=background,
        background_label=background_label,
        counts=counts,
        north_arrow=north_arrow,
        scs_inset=scs_inset,
        width_in=width_in,
        lines=lines,
    )
    try:
        return rendered.save(path, formats=formats, dpi=dpi)
    finally:
        rendered.close()


def render_static_map(
    gdf: gpd.GeoDataFrame,
    style: LayerStyle,
    *,
    title: str,
    subtitle: str | None = None,
    note: str | None = None,
    source: str | None = None,
    projection: Projection = "auto",
    lang: Lang = "both",
    background: gpd.GeoDataFrame | None = None,
    background_label: str | None = None,
    counts: Literal["map", "style", "none"] = "map",
    north_arrow: bool | None = None,
    scs_inset: bool | None = None,
    width_in: float | None = None,
    lines: gpd.GeoDataFrame | None = None,
) -> StaticMap:
    """Render the map of :func:`static_map` without saving it.

    Returns a :class:`StaticMap` holding the figure and the legend entries as drawn, which
    is what tests and notebooks inspect. Parameters are those of :func:`static_map`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(kind="categorized", field="c", title_en="C", title_zh="类",
    ...     classes=(ClassStyle("A", "甲", "#1b9e77", value="a"),),
    ...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
    >>> gdf = gpd.GeoDataFrame({"c": ["a", "a", None]}, geometry=[box(0, 0, 9, 9),
    ...     box(20, 0, 29, 9), box(40, 0, 49, 9)], crs=4326)
    >>> m = render_static_map(gdf, style, title="T", lang="en")
    >>> [(e.label, e.count) for e in m.legend_entries]
    [('A', 2), ('No data', 1)]
    >>> m.close()
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    _check_choice("projection", projection, _PROJECTIONS)
    _check_choice("lang", lang, _LANGS)
    _check_choice("counts", counts, _COUNTS)
    if style.field not in gdf.columns:
        msg = (
            f"the style classifies column {style.field!r} but the GeoDataFrame has "
            f"{list(gdf.columns)}; join the values first or pass the matching style"
        )
        raise InputFormatError(msg, column=style.field)
    if gdf.crs is None:
        msg = "the GeoDataFrame has no CRS; set it, e.g. gdf.set_crs(4326)"
        raise InputFormatError(msg)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        families, lang_used = font_families(lang)
    for w in caught:  # re-emit for the caller, and keep a record
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    warning_msgs = [str(w.message) for w in caught]

    data = gdf.to_crs(4326)
    bg = background.to_crs(4326) if background is not None else None
    extra_lines = lines.to_crs(4326) if lines is not None and not lines.empty else None
    proj = _resolve_projection(projection, data)
    crs = EQUAL_EARTH if proj == "equal_earth" else ALBERS_CHINA

    statuses = (
        data[style.status_field].tolist()
        if style.status_field in data.columns
        else [None] * len(data)
    )
    found = [
        style.class_for_feature(None if _is_missing(v) else v, st)
        for v, st in zip(data[style.field], statuses, strict=True)
    ]
    entries_cls = list(style.all_classes())
    if any(c is None for c in found):  # no no-data class in the style: never drop silently
        entries_cls.append(_UNCLASSIFIED)
    classes = [c if c is not None else _UNCLASSIFIED for c in found]
    colors = [c.color for c in classes]
    n_by_class = {id(c): 0 for c in entries_cls}
    for c in classes:
        n_by_class[id(c)] += 1

    entries: list[LegendEntry] = []
    for c in entries_cls:
        if counts == "map":
            n: int | None = n_by_class[id(c)]
        elif counts == "style":
            n = c.count
        else:
            n = None
        entries.append(LegendEntry(c.label(lang_used), c.color, n, c.hatch))  # type: ignore[arg-type]
    if background is not None and background_label:
        entries.append(LegendEntry(background_label, _BACKGROUND_FILL, None))
    legend_title = _bilingual(style.title_en, style.title_zh, lang_used)

    rc: dict[RcKeyType, Any] = {
        "font.family": families,
        "pdf.fonttype": 42,
        "svg.hashsalt": "geotrade",
        "svg.fonttype": "path",
        "axes.unicode_minus": False,
        "path.simplify": True,
    }
    with mpl.rc_context(rc):
        fig = plt.figure(figsize=(width_in or (10.0 if proj == "equal_earth" else 8.0), 6.0))
        # geopandas redraws the whole figure after every .plot() (canvas.draw_idle): with six
        # layers that was 0.8 s of a 2.6 s map; the figure is drawn once, when it is saved
        fig.canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
        result = _draw(
            fig,
            data=data.assign(_color=colors, _hatch=[c.hatch for c in classes]),
            bg=bg,
            style=style,
            proj=proj,
            crs=crs,
            entries=entries,
            legend_title=legend_title,
            lang=lang_used,
            title=title,
            subtitle=subtitle,
            note=note,
            source=source,
            north_arrow=(proj == "albers_china") if north_arrow is None else north_arrow,
            scs_inset=scs_inset,
            lines=extra_lines,
        )
    scale_note, inset = result
    return StaticMap(
        figure=fig,
        legend_entries=entries,
        legend_title=legend_title,
        lang=lang_used,
        font_families=families,
        projection=proj,
        crs=crs,
        scale_note=scale_note,
        inset=inset,
        warnings=warning_msgs,
        title=title,
        note=note,
    )


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        msg = f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}"
        raise InputFormatError(msg)


def _check_formats(formats: Sequence[str]) -> None:
    if isinstance(formats, str) or not formats:
        msg = f"formats must be a non-empty sequence such as ('png', 'pdf'); got {formats!r}"
        raise InputFormatError(msg)
    for f in formats:
        _check_choice("format", f, _FORMATS)


def _bilingual(en: str, zh: str, lang: str) -> str:
    if lang == "en":
        return en
    if lang == "zh":
        return zh
    return en if en == zh else f"{en} / {zh}"


def _resolve_projection(projection: str, data: gpd.GeoDataFrame) -> str:
    if projection != "auto":
        return projection
    return projection_for_bounds(data.total_bounds)


def _clip(gdf: gpd.GeoDataFrame, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    import shapely

    out = gdf.copy()
    out["geometry"] = shapely.clip_by_rect(out.geometry.values, *bbox)
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def _densified_box(bbox: tuple[float, float, float, float], step: float = 1.0):
    from shapely.geometry import Polygon

    x0, y0, x1, y1 = bbox
    xs = np.arange(x0, x1 + step / 2, step)
    ys = np.arange(y0, y1 + step / 2, step)
    ring = (
        [(x, y0) for x in xs]
        + [(x1, y) for y in ys[1:]]
        + [(x, y1) for x in xs[::-1][1:]]
        + [(x0, y) for y in ys[::-1][1:]]
    )
    return Polygon(ring)


def _nice_length(target_km: float) -> float:
    exp = 10 ** math.floor(math.log10(target_km))
    for m in (5, 2, 1):
        if m * exp <= target_km:
            return m * exp
    return exp  # pragma: no cover


def _fit_width(fig: Figure, artist, width_in: float, *, min_size: float) -> None:
    """Shrink a text line to ``width_in`` (down to ``min_size`` pt), then wrap it."""
    import textwrap

    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()
    size = float(artist.get_fontsize())
    while artist.get_window_extent(renderer).width / fig.dpi > width_in and size > min_size:
        size = max(min_size, size - 0.5)
        artist.set_fontsize(size)
    text = artist.get_text()
    w = artist.get_window_extent(renderer).width / fig.dpi
    if w > width_in and len(text) > 20:  # still too wide at the smallest size: two lines
        per_line = max(20, int(len(text) * width_in / w))
        artist.set_text(textwrap.fill(text, width=per_line))


def _text_height_in(fig: Figure, artist) -> float:
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # figures here draw with Agg
    return artist.get_window_extent(renderer).height / fig.dpi


def _simplified(gdf: gpd.GeoDataFrame, tol: float) -> gpd.GeoSeries:
    """``gdf.geometry.simplify(tol)``, computed once per process for repeated boundaries."""
    import geopandas as gpd
    import shapely

    from geotrade.maps._memo import memo_geoms

    geoms = memo_geoms(
        "static.simplify",
        gdf.geometry.values,
        (float(tol),),
        lambda g: shapely.simplify(np.asarray(g, dtype=object), tol, preserve_topology=True),
        persist=True,
    )
    return gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)


def _draw(
    fig: Figure,
    *,
    data: gpd.GeoDataFrame,
    bg: gpd.GeoDataFrame | None,
    style: LayerStyle,
    proj: str,
    crs: str,
    entries: list[LegendEntry],
    legend_title: str,
    lang: str,
    title: str,
    subtitle: str | None,
    note: str | None,
    source: str | None,
    north_arrow: bool,
    scs_inset: bool | None,
    lines: gpd.GeoDataFrame | None = None,
) -> tuple[str, bool]:
    import geopandas as gpd
    from matplotlib.patches import Patch

    from geotrade import __version__

    lw = style.outline_width_mm * 72 / 25.4
    world = proj == "equal_earth"
    inset = False

    # ---- geometry in map coordinates ------------------------------------------------
    if world:
        clip_box = (-180.0, _WORLD_SOUTH, 180.0, 90.0)
        data = _clip(data, clip_box)
        bg = _clip(bg, clip_box) if bg is not None else None
        frame = gpd.GeoSeries([_densified_box(clip_box)], crs=4326).to_crs(crs)
        xmin, ymin, xmax, ymax = frame.total_bounds
    else:
        frame = None
        main = _clip(data, (-180.0, _CHINA_MAIN_SOUTH, 180.0, 90.0))
        if main.empty:
            main = data
        xmin, ymin, xmax, ymax = main.to_crs(crs).total_bounds
        if scs_inset is None:
            sx0, sy0, sx1, _ = _SCS_BOX
            scs = _clip(data, (sx0, sy0, sx1, _CHINA_MAIN_SOUTH))
            scs_inset = not scs.empty
        inset = bool(scs_inset)
    data_p = data.to_crs(crs)
    bg_p = bg.to_crs(crs) if bg is not None and not bg.empty else None
    lines_p = lines.to_crs(crs) if lines is not None else None
    padx, pady = 0.03 * (xmax - xmin), 0.03 * (ymax - ymin)
    if not world:
        xmin, xmax, ymin, ymax = xmin - padx, xmax + padx, ymin - pady, ymax + pady
    else:
        xmin, xmax, ymin, ymax = xmin - padx / 3, xmax + padx / 3, ymin - pady / 3, ymax + pady / 3
    if inset:
        xmax = _room_for_inset(data_p, xmin, ymin, xmax, ymax, crs)

    # print-resolution simplification: a quarter of a point at the printed size
    map_w = fig.get_figwidth() - 2 * _MARGIN_IN
    tol = (xmax - xmin) / (map_w * 72 * 4)
    data_p = data_p.assign(geometry=_simplified(data_p, tol))
    if bg_p is not None:
        bg_p = bg_p.assign(geometry=_simplified(bg_p, tol))

    # ---- layout (inches): title, subtitle, map, legend, footer ------------------------
    W = fig.get_figwidth()
    margin = _MARGIN_IN
    map_h = map_w * (ymax - ymin) / (xmax - xmin)

    t_title = fig.text(0.5, 1, title, ha="center", va="top", fontsize=15, weight="bold", color=_INK)
    t_sub = (
        fig.text(0.5, 1, subtitle, ha="center", va="top", fontsize=10.5, color=_MUTED)
        if subtitle
        else None
    )
    _fit_width(fig, t_title, W - 2 * _MARGIN_IN, min_size=11)
    if t_sub is not None:
        _fit_width(fig, t_sub, W - 2 * _MARGIN_IN, min_size=8)
    handles = [
        Patch(
            facecolor=e.color,
            edgecolor=e.hatch or style.outline_color,
            linewidth=0.6,
            hatch=_HATCH if e.hatch else None,
        )
        for e in entries
    ]
    labels = [e.label if e.count is None else f"{e.label}  (n = {e.count})" for e in entries]
    longest = max(len(s) + sum(1 for ch in s if ord(ch) > 0x2E80) for s in labels)
    col_w_in = 0.075 * longest + 0.6  # estimate, CJK characters count double
    ncol = max(1, min(len(entries), int(map_w // col_w_in)))
    if ncol < len(entries):  # balance rows
        rows = math.ceil(len(entries) / ncol)
        ncol = math.ceil(len(entries) / rows)
    leg = fig.legend(
        handles,
        labels,
        title=legend_title,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.5),
        ncol=ncol,
        fontsize=9,
        title_fontsize=10,
        frameon=False,
        handlelength=1.6,
        handleheight=1.1,
        columnspacing=1.6,
        borderaxespad=0,
        alignment="center",
    )
    foot_lines = []
    if note:
        foot_lines.append(
            fig.text(0.5, 0, note, ha="center", va="top", fontsize=9, style="italic", color=_INK)
        )
    proj_name = "Equal Earth (EPSG:8857)" if world else "Albers equal-area conic (25°N/47°N, 105°E)"
    src = f"Source: {source}" if source else None
    line = " · ".join(s for s in (src, f"Projection: {proj_name}", f"geotrade {__version__}") if s)
    foot_lines.append(fig.text(0.5, 0, line, ha="center", va="top", fontsize=7.5, color=_MUTED))

    h_title = _text_height_in(fig, t_title)
    h_sub = _text_height_in(fig, t_sub) if t_sub is not None else 0.0
    h_leg = _text_height_in(fig, leg)
    h_foot = [_text_height_in(fig, t) for t in foot_lines]
    gap = 0.12
    H = (
        0.2
        + h_title
        + (gap / 2 + h_sub if t_sub is not None else 0)
        + 0.2
        + map_h
        + 0.18
        + h_leg
        + 0.15
        + sum(h_foot)
        + gap / 2 * (len(h_foot) - 1)
        + 0.15
    )
    fig.set_size_inches(W, H)

    y = H - 0.2  # running top edge, inches from the bottom
    t_title.set_y(y / H)
    y -= h_title
    if t_sub is not None:
        y -= gap / 2
        t_sub.set_y(y / H)
        y -= h_sub
    y -= 0.2
    ax = fig.add_axes((margin / W, (y - map_h) / H, map_w / W, map_h / H))
    y -= map_h + 0.18
    leg.set_bbox_to_anchor((0.5, y / H), transform=fig.transFigure)
    y -= h_leg + 0.15
    for t, h in zip(foot_lines, h_foot, strict=True):
        t.set_y(y / H)
        y -= h + gap / 2

    # ---- map ------------------------------------------------------------------------
    _style_axes(ax)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    if world:
        assert frame is not None
        frame.plot(ax=ax, facecolor=_OCEAN, edgecolor="#9aa5b1", linewidth=0.6, zorder=0)
        _graticule(ax, crs)
    else:
        ax.set_facecolor("white")
        for side in ax.spines.values():
            side.set_visible(True)
            side.set_edgecolor("#9aa5b1")
            side.set_linewidth(0.6)
    _draw_layers(ax, data_p, bg_p, style, lw, lines_p)

    if world:
        ref_lon, ref_lat = 0.0, 0.0
        scale_note = "scale along the equator"
    else:
        ref_lon = 105.0
        from pyproj import Transformer

        inv = Transformer.from_crs(crs, 4326, always_xy=True)
        _, ref_lat = inv.transform(0.0, (ymin + ymax) / 2)
        ref_lat = float(round(ref_lat))
        scale_note = f"scale at {ref_lat:.0f}°N, {ref_lon:.0f}°E"
    _scale_bar(ax, crs, ref_lon, ref_lat, scale_note, lang)
    if north_arrow:
        _north_arrow(ax, crs)
    if inset:
        _scs_inset(fig, ax, data_p, bg_p, style, lw, crs, lang, lines_p)
    return scale_note, inset


def _room_for_inset(
    data_p: gpd.GeoDataFrame, xmin: float, ymin: float, xmax: float, ymax: float, crs: str
) -> float:
    """Return a new ``xmax`` so that the inset in the lower right covers no mapped feature."""
    import geopandas as gpd
    import shapely

    box_p = gpd.GeoSeries([_densified_box(_SCS_BOX, 0.5)], crs=4326).to_crs(crs)
    ix0, iy0, ix1, iy1 = box_p.total_bounds
    inset_aspect = (iy1 - iy0) / (ix1 - ix0)
    geoms = data_p.geometry.values
    for _ in range(5):
        width = xmax - xmin
        inset_w = _INSET_FRAC * width
        inset_top = ymin + inset_w * inset_aspect + 0.02 * (ymax - ymin)
        band = shapely.clip_by_rect(geoms, xmin, ymin, xmax, inset_top)
        band = band[~shapely.is_empty(band)]
        if len(band) == 0:
            break
        x_data = float(shapely.bounds(band)[:, 2].max())
        need = (x_data + 0.02 * width - _INSET_FRAC * xmin) / (1 - _INSET_FRAC)
        if need <= xmax:
            break
        xmax = need
    return xmax


def _style_axes(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal", adjustable="box")
    for side in ax.spines.values():
        side.set_visible(False)


def _draw_layers(
    ax: Axes,
    data_p: gpd.GeoDataFrame,
    bg_p: gpd.GeoDataFrame | None,
    style: LayerStyle,
    lw: float,
    lines_p: gpd.GeoDataFrame | None = None,
) -> None:
    if bg_p is not None:
        bg_p.plot(
            ax=ax, facecolor=_BACKGROUND_FILL, edgecolor=_BACKGROUND_EDGE, linewidth=lw, zorder=1
        )
    if not data_p.empty:
        data_p.plot(
            ax=ax,
            color=data_p["_color"].tolist(),
            edgecolor=style.outline_color,
            linewidth=lw,
            zorder=2,
        )
        hatched = data_p[data_p["_hatch"].notna()] if "_hatch" in data_p.columns else data_p[:0]
        for hatch_color, part in hatched.groupby("_hatch"):
            part.plot(
                ax=ax,
                facecolor="none",
                edgecolor=str(hatch_color),
                hatch=_HATCH,
                linewidth=0,
                zorder=2.5,
            )
            part.plot(
                ax=ax, facecolor="none", edgecolor=style.outline_color, linewidth=lw, zorder=2.6
            )
    if lines_p is not None:
        lines_p.plot(ax=ax, color=_LINE_INK, linewidth=max(1.0, 4 * lw), zorder=3)
    ax.set_xlabel("")
    ax.set_ylabel("")


def _graticule(ax: Axes, crs: str) -> None:
    import geopandas as gpd
    from shapely.geometry import LineString

    lines = [
        LineString([(lon, lat) for lat in np.arange(_WORLD_SOUTH, 90.01, 1.0)])
        for lon in range(-150, 180, 30)
    ] + [
        LineString([(lon, lat) for lon in np.arange(-180, 180.01, 1.0)])
        for lat in range(-30, 90, 30)
    ]
    gpd.GeoSeries(lines, crs=4326).to_crs(crs).plot(
        ax=ax, color="#c9d1da", linewidth=0.4, zorder=0.5
    )


def _scale_bar(ax: Axes, crs: str, lon: float, lat: float, note: str, lang: str) -> None:
    from matplotlib.patches import Rectangle
    from pyproj import Proj

    k = float(Proj(crs).get_factors(lon, lat).parallel_scale)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target_km = 0.18 * (x1 - x0) / 1000 / k
    km = _nice_length(target_km)
    length = km * 1000 * k
    bx, by = x0 + 0.025 * (x1 - x0), y0 + 0.06 * (y1 - y0)
    h = 0.012 * (y1 - y0)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (bx + i * length / 4, by),
                length / 4,
                h,
                facecolor=_INK if i % 2 == 0 else "white",
                edgecolor=_INK,
                linewidth=0.6,
                zorder=5,
            )
        )
    fmt = "{:,.0f}".format
    for frac in (0, 0.5, 1):
        lab = fmt(km * frac) + (" km" if frac == 1 else "")
        ax.text(
            bx + frac * length,
            by + 1.6 * h,
            lab,
            ha="center",
            va="bottom",
            fontsize=7,
            color=_INK,
            zorder=5,
        )
    ax.text(bx, by - 0.8 * h, note, ha="left", va="top", fontsize=6.5, color=_MUTED, zorder=5)


def _north_arrow(ax: Axes, crs: str) -> None:
    from pyproj import Transformer

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    ax_x, ax_y = 0.05, 0.84  # axes fraction of the arrow base
    px, py = x0 + ax_x * (x1 - x0), y0 + ax_y * (y1 - y0)
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(px, py)
    fx, fy = Transformer.from_crs(4326, crs, always_xy=True).transform(lon, lat + 0.5)
    angle = math.atan2(fx - px, fy - py)  # radians clockwise from map "up"
    length = 0.09  # axes fraction (vertical)
    aspect = (y1 - y0) / (x1 - x0) * ax.get_window_extent().width / ax.get_window_extent().height
    dx, dy = length * math.sin(angle) * aspect, length * math.cos(angle)
    ax.annotate(
        "",
        xy=(ax_x + dx, ax_y + dy),
        xytext=(ax_x, ax_y),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.8",
            "color": _INK,
            "linewidth": 1.2,
        },
        zorder=6,
    )
    ax.text(
        ax_x + dx * 1.25,
        ax_y + dy + 0.012,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        weight="bold",
        color=_INK,
        zorder=6,
    )


def _scs_inset(
    fig: Figure,
    ax: Axes,
    data_p: gpd.GeoDataFrame,
    bg_p: gpd.GeoDataFrame | None,
    style: LayerStyle,
    lw: float,
    crs: str,
    lang: str,
    lines_p: gpd.GeoDataFrame | None = None,
) -> None:
    import geopandas as gpd

    box_p = gpd.GeoSeries([_densified_box(_SCS_BOX, 0.5)], crs=4326).to_crs(crs)
    ix0, iy0, ix1, iy1 = box_p.total_bounds
    pos = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    w_in = pos.width * fig_w * _INSET_FRAC
    h_in = w_in * (iy1 - iy0) / (ix1 - ix0)
    left = pos.x1 - w_in / fig_w - 0.004
    bottom = pos.y0 + 0.006
    iax = fig.add_axes((left, bottom, w_in / fig_w, h_in / fig_h))
    _style_axes(iax)
    iax.set_xlim(ix0, ix1)
    iax.set_ylim(iy0, iy1)
    iax.set_facecolor("white")
    for side in iax.spines.values():
        side.set_visible(True)
        side.set_edgecolor(_INK)
        side.set_linewidth(0.7)
    _draw_layers(iax, data_p, bg_p, style, lw * 0.8, lines_p)
    label = {"en": "South China Sea\nIslands", "zh": "南海诸岛"}.get(lang, "南海诸岛\nSCS Islands")
    iax.text(
        0.04,
        0.03,
        label,
        transform=iax.transAxes,
        ha="left",
        va="bottom",
        fontsize=6,
        color=_INK,
        linespacing=1.1,
    )
    iax.set_zorder(10)


_NULLABLE = {"Software", "Creator", "Producer", "CreationDate", "Date"}


def _save(
    fig: Figure,
    path: Path,
    *,
    formats: Sequence[str],
    dpi: int,
    title: str = "",
    description: str | None = None,
) -> list[Path]:
    _check_formats(formats)
    # the title and the note (e.g. "synthetic data") are also stored in the file metadata,
    # so they travel with the image even when it is cropped
    meta: dict[str, dict[str, str | None]] = {
        "png": {"Software": None, "Title": title or None, "Description": description},
        "pdf": {
            "Creator": None,
            "Producer": None,
            "CreationDate": None,
            "Title": title or None,
            "Subject": description,
        },
        "svg": {"Creator": None, "Date": None, "Title": title or None, "Description": description},
    }
    meta = {
        k: {kk: vv for kk, vv in v.items() if vv is not None or kk in _NULLABLE}
        for k, v in meta.items()
    }
    out: list[Path] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta[fmt], facecolor="white")
            os.chmod(tmp, _default_mode())
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            msg = f"cannot write {target}: {exc}; check the directory exists and is writable"
            raise OutputError(msg, path=target) from exc
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        out.append(target)
    return out
