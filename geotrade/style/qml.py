"""QGIS layer styles (QML) written without QGIS.

:func:`to_qml` turns a :class:`~geotrade.style.spec.LayerStyle` into a minimal QGIS 3.22
style document (about 1-3 KB): renderer, classes, labels and symbols, nothing else. The
same string is stored as the default style in a GeoPackage's ``layer_styles`` table by
:func:`geotrade.io.geopackage.write_gpkg`; it also loads with *Layer Properties -> Style ->
Load Style* in QGIS.

Renderer chosen for each style (all verified by loading the output in QGIS 3.22.16, see
``tests/qgis``):

categorized (``categorizedSymbol``)
    One category per class, in legend order. A no-data class becomes the category with
    the empty value ``value=""``. In QGIS this is the "all other values" category: it
    draws features whose value is NULL **and** features whose value matches no category,
    which is exactly :meth:`LayerStyle.class_for_value`.
graduated without a no-data class (``graduatedSymbol``)
    One range per class with the exact engine bounds. QGIS ranges include both ends and
    the first matching range wins, so right-closed classes (``lower < x <= upper``, the
    default) are reproduced exactly. For left-closed classes (``lower <= x < upper``) the
    upper bound of every class but the last is written as the next float below the break
    (``math.nextafter``), which is the same interval for float64 data. NULL values and
    values outside all ranges are not drawn: QGIS's graduated renderer never draws NULL.
graduated with a no-data class, default (``graduatedSymbol`` with a sentinel)
    QGIS's graduated renderer never draws a feature whose class attribute is NULL. So the
    renderer's attribute is not the bare field but the QGIS expression
    ``coalesce("v", S)``, where the sentinel ``S`` is a number strictly below every class's
    lower bound (``math.floor(min lower) - 1``, e.g. ``-1`` for classes starting at 0).
    The ranges are one per class as above, followed by one last range ``[S, S]``
    (``lower == upper == S``) with the no-data class's colour and label. The data are not
    changed: the values stay NULL in the file, only the symbology maps NULL to ``S``.
    QGIS opens the layer with the *Graduated* panel (legend, histogram, colour ramp; the
    *Value* box shows the expression), and the method id stays ``Custom``. Trade-off:
    reclassifying in QGIS (*Classify* with one of QGIS's modes such as Jenks or Quantile)
    recomputes the ranges from the expression's values and drops the sentinel range; the
    NULL features, now worth ``S``, then fall into the lowest new class (checked in QGIS
    3.22.16: ``updateClasses`` with the unregistered ``Custom`` id keeps the ranges, with
    ``Quantile`` the first class became ``-1 - 0.05``). As without a no-data class, non-NULL
    values outside all classes are not drawn; only a value exactly equal to ``S`` would be
    drawn as no-data, and classes computed from the data never leave such values.
graduated with a no-data class, ``graduated_nodata="rules"`` (``RuleRenderer``)
    A rule-based renderer: one rule per class with an explicit filter expression
    (``"v" >= 0 AND "v" <= 1.5``, then ``"v" > 1.5 AND "v" <= 3``, ...) and a final
    ``ELSE`` rule for the no-data class (NULL **and** out-of-range values, exactly
    :meth:`LayerStyle.class_for_value`). The map and legend look the same; the
    *Graduated* editing panel (histogram, *Classify*) is not available.
graduated with a no-data class, ``graduated_nodata="omit"`` (``graduatedSymbol``)
    The plain graduated renderer on the bare field, without the no-data class: QGIS then
    does not draw features with NULL values. Alternatively classify into a categorical
    class column and use a categorized style.

Status classes (``LayerStyle.missing`` for ``status = 'no data'``, ``LayerStyle.not_covered``
for ``status = 'not covered'``; see :func:`geotrade.join.complete_geography`) are chosen by
the feature's status, not its value. Categorized: the renderer's attribute is the expression
``CASE WHEN "status" = 'not covered' THEN 'not covered' ... ELSE "field" END`` and each
status class is the category of its status value. Graduated (sentinel): the expression maps
each status to its own sentinel below the no-data sentinel (``S - 1``, ``S - 2``) with its
own one-value range. Rules: one rule per status class (``"status" = 'not covered'``) before
the ``ELSE`` rule, and the value rules exclude those statuses (QGIS draws every matching
rule), so the status wins everywhere, as in :meth:`LayerStyle.class_for_feature`.
The "not covered" class is drawn hatched: a ``SimpleFill`` under a
``LinePatternFill`` of thin diagonal lines (:data:`HATCH_DISTANCE_MM` apart).

The classification method written for graduated renderers is ``Custom``, not ``Jenks``:
QGIS's own Jenks differs from the engine's exact Fisher-Jenks, and a ``Jenks`` hint would
let *Classify* silently replace the engine's breaks.

Examples
--------
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> style = LayerStyle(
...     kind="graduated", field="share", title_en="Share", title_zh="份额",
...     classes=(
...         ClassStyle(label_en="Low", label_zh="低", color="#deebf7", lower=0.0, upper=0.2),
...         ClassStyle(label_en="High", label_zh="高", color="#3182bd", lower=0.2, upper=1.0),
...     ))
>>> qml = to_qml(style)
>>> qml.startswith("<!DOCTYPE qgis")
True
>>> 'type="graduatedSymbol"' in qml and 'lower="0.2"' in qml
True
"""

from __future__ import annotations

import math
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Literal

from geotrade.io.textsafe import xml_text
from geotrade.style.spec import ClassStyle, LayerStyle

__all__ = [
    "LINE_WIDTH_MM",
    "POINT_SIZE_MM",
    "QGIS_STYLE_VERSION",
    "hex_to_qgis_color",
    "nodata_sentinel",
    "qgis_renderer_type",
    "to_qml",
]

QGIS_STYLE_VERSION = "3.22.0"
"""The QGIS version written into the ``<qgis version=...>`` element."""

Geometry = Literal["polygon", "line", "point"]
Lang = Literal["en", "zh", "both"]
GraduatedNodata = Literal["sentinel", "rules", "omit"]

LINE_WIDTH_MM = 0.6
"""Stroke width of line symbols (the class colour is the line colour)."""
POINT_SIZE_MM = 2.6
"""Diameter of point symbols (circles filled with the class colour)."""
HATCH_DISTANCE_MM = 1.2
"""Spacing of the diagonal hatch lines of hatched classes ("not covered")."""
HATCH_WIDTH_MM = 0.25
"""Width of the hatch lines."""

_GEOMETRY_CODE = {"point": "0", "line": "1", "polygon": "2"}
_SYMBOL_TYPE = {"point": "marker", "line": "line", "polygon": "fill"}
_RULE_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4a8e-9d7c-2f6b1e0a9c41")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def hex_to_qgis_color(color: str) -> str:
    """Convert ``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` to QGIS's ``"r,g,b,a"`` notation.

    Parameters
    ----------
    color
        A CSS-style hex colour.

    Returns
    -------
    str
        The colour as four comma-separated integers 0-255 (alpha last).

    Raises
    ------
    ValueError
        If ``color`` is not a hex colour.

    Examples
    --------
    >>> hex_to_qgis_color("#08519c")
    '8,81,156,255'
    >>> hex_to_qgis_color("#f00")
    '255,0,0,255'
    >>> hex_to_qgis_color("#00000080")
    '0,0,0,128'
    """
    if not isinstance(color, str) or not _HEX.match(color):
        msg = f"expected a hex colour like '#08519c', got {color!r}"
        raise ValueError(msg)
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    if len(digits) == 6:
        digits += "ff"
    r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
    return f"{r},{g},{b},{a}"


def qgis_renderer_type(
    style: LayerStyle, *, graduated_nodata: GraduatedNodata = "sentinel"
) -> Literal["categorizedSymbol", "graduatedSymbol", "RuleRenderer"]:
    """Return the QGIS renderer type :func:`to_qml` writes for ``style``.

    Examples
    --------
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> c = ClassStyle(label_en="a", label_zh="a", color="#000000", value="a")
    >>> qgis_renderer_type(LayerStyle(kind="categorized", field="f", classes=(c,),
    ...                               title_en="t", title_zh="t"))
    'categorizedSymbol'
    """
    _check_choice("graduated_nodata", graduated_nodata, ("sentinel", "rules", "omit"))
    if style.kind == "categorized":
        return "categorizedSymbol"
    if (style.nodata is not None or style.status_classes()) and graduated_nodata == "rules":
        return "RuleRenderer"
    return "graduatedSymbol"


def to_qml(
    style: LayerStyle,
    *,
    geometry: Geometry = "polygon",
    lang: Lang = "both",
    graduated_nodata: GraduatedNodata = "sentinel",
) -> str:
    """Render a layer style as a QGIS 3.22 QML document.

    Parameters
    ----------
    style
        Classes, colours and labels of the layer.
    geometry
        Geometry type of the layer the style is for. QGIS refuses to apply a style to a
        layer of another geometry type. Polygons get a ``SimpleFill`` (class colour, outline
        colour and width from ``style``), lines a ``SimpleLine`` (class colour,
        :data:`LINE_WIDTH_MM` wide), points a ``SimpleMarker`` circle (class colour,
        :data:`POINT_SIZE_MM`, outlined like polygons).
    lang
        Legend labels: ``"both"`` (``"English / 中文"``, default), ``"en"`` or ``"zh"``.
    graduated_nodata
        For graduated styles with a no-data class (see the module docstring):
        ``"sentinel"`` (default) writes a graduated renderer on the expression
        ``coalesce("field", S)`` with a last range ``[S, S]`` for the no-data class, so
        NULL features are drawn in the no-data colour; ``"rules"`` writes a rule-based
        renderer that also draws no-data (and out-of-range) features; ``"omit"`` writes a
        graduated renderer on the bare field, and QGIS then does not draw NULL features.

    Returns
    -------
    str
        The QML document (UTF-8 text, no XML declaration, ends with a newline).

    Raises
    ------
    ValueError
        If an option is invalid, a colour is not a hex colour, a bound is not finite, or
        the style has no classes.

    Examples
    --------
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(
    ...     kind="categorized", field="cls", title_en="Class", title_zh="类别",
    ...     classes=(ClassStyle(label_en="One-way", label_zh="单向", color="#08519c",
    ...                         value="a"),),
    ...     nodata=ClassStyle(label_en="No data", label_zh="无数据", color="#d9d9d9"))
    >>> qml = to_qml(style, lang="en")
    >>> 'value="a" label="One-way"' in qml and 'value="" label="No data"' in qml
    True
    """
    _check_choice("geometry", geometry, tuple(_GEOMETRY_CODE))
    _check_choice("lang", lang, ("en", "zh", "both"))
    renderer_type = qgis_renderer_type(style, graduated_nodata=graduated_nodata)
    if not style.classes:
        msg = f"style for field {style.field!r} has no classes; add at least one ClassStyle"
        raise ValueError(msg)

    root = ET.Element("qgis", {"version": QGIS_STYLE_VERSION, "styleCategories": "Symbology"})
    if renderer_type == "categorizedSymbol":
        renderer, symbol_classes = _categorized(style, lang)
    elif renderer_type == "graduatedSymbol":
        has_extra = style.nodata is not None or bool(style.status_classes())
        sentinel = has_extra and graduated_nodata == "sentinel"
        renderer, symbol_classes = _graduated(style, lang, sentinel=sentinel)
    else:
        renderer, symbol_classes = _rules(style, lang)
    root.append(renderer)
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(symbol_classes):
        symbols.append(_symbol(str(i), cls.color, style, geometry, hatch=cls.hatch))
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_CODE[geometry]
    ET.indent(root, space=" ")
    # control characters from data-borne labels/titles are not allowed in XML 1.0
    body = xml_text(ET.tostring(root, encoding="unicode"))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


# --------------------------------------------------------------------------- renderers


def _renderer_element(renderer_type: str, **attrs: str) -> ET.Element:
    return ET.Element(
        "renderer-v2",
        {
            "type": renderer_type,
            **attrs,
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
        },
    )


def _status_cases(style: LayerStyle, then: dict[int, str]) -> str:
    """``WHEN "status" = '...' THEN ...`` clauses of the status classes, in order."""
    status = _quote_field(style.status_field)
    return " ".join(
        f"WHEN {status} = {_quote_string(str(cls.value))} THEN {then[id(cls)]}"
        for cls in style.status_classes()
    )


def _quote_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _categorized(style: LayerStyle, lang: Lang) -> tuple[ET.Element, list[ClassStyle]]:
    attr = style.field
    if style.status_classes():
        cases = _status_cases(
            style, {id(c): _quote_string(str(c.value)) for c in style.status_classes()}
        )
        attr = f"CASE {cases} ELSE {_quote_field(style.field)} END"
    renderer = _renderer_element("categorizedSymbol", attr=attr)
    categories = ET.SubElement(renderer, "categories")
    classes = list(style.all_classes())
    for i, cls in enumerate(classes):
        value = "" if cls is style.nodata else str(cls.value)
        ET.SubElement(
            categories,
            "category",
            {"render": "true", "symbol": str(i), "value": value, "label": cls.label(lang)},
        )
    return renderer, classes


def _bounds(style: LayerStyle) -> list[tuple[float, float]]:
    """Return (lower, upper) per class as QGIS must store them (inclusive both ends)."""
    out = []
    last = len(style.classes) - 1
    for i, cls in enumerate(style.classes):
        lo, hi = float(cls.lower), float(cls.upper)  # type: ignore[arg-type]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            msg = f"class {cls.label_en!r} has a non-finite bound ({lo}, {hi}); use finite breaks"
            raise ValueError(msg)
        if style.closed == "left" and i < last:
            hi = math.nextafter(hi, -math.inf)
        out.append((lo, hi))
    return out


def _num(x: float) -> str:
    """Shortest text that reads back as the same float64 (QString::toDouble accepts it)."""
    return repr(float(x))


def nodata_sentinel(style: LayerStyle) -> float:
    """Return the number that stands for NULL in the ``"sentinel"`` graduated renderer.

    It is ``math.floor(lowest lower bound) - 1``, so it is an integer strictly below every
    class (below the first class's included lower bound as well) and easy to read in the
    QGIS expression, e.g. ``-1`` for classes starting at ``0`` and ``-3`` for ``-1.5``. Only
    the symbology uses it: the data keep their NULLs.

    Raises
    ------
    ValueError
        If a bound is not finite or no finite number lies below the classes.

    Examples
    --------
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> c = ClassStyle(label_en="a", label_zh="a", color="#000000", lower=-1.5, upper=2.0)
    >>> nodata_sentinel(LayerStyle(kind="graduated", field="v", classes=(c,),
    ...                            title_en="t", title_zh="t"))
    -3.0
    """
    lowest = min(lo for lo, _ in _bounds(style))
    sentinel = float(math.floor(lowest) - 1)
    if not sentinel < lowest:  # |lowest| >= 2**53: the float spacing is larger than 1
        sentinel = math.nextafter(lowest, -math.inf)
    if not math.isfinite(sentinel):
        msg = f"no finite no-data sentinel below the lowest class bound {lowest!r}"
        raise ValueError(msg)
    return sentinel


def _expr_num(x: float) -> str:
    """Format a number literal for a QGIS expression (integers without ``.0``)."""
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else _num(x)


def _graduated(
    style: LayerStyle, lang: Lang, *, sentinel: bool = False
) -> tuple[ET.Element, list[ClassStyle]]:
    bounds = _bounds(style)
    classes = list(style.classes)
    attr = style.field
    if sentinel:
        s = nodata_sentinel(style)
        attr = _quote_field(style.field)
        if style.nodata is not None:
            attr = f"coalesce({attr}, {_expr_num(s)})"
            bounds.append((s, s))
            classes.append(style.nodata)
        then: dict[int, str] = {}
        for j, cls in enumerate(style.status_classes(), start=1):
            bounds.append((s - j, s - j))
            classes.append(cls)
            then[id(cls)] = _expr_num(s - j)
        if then:
            attr = f"CASE {_status_cases(style, then)} ELSE {attr} END"
    renderer = _renderer_element("graduatedSymbol", attr=attr, graduatedMethod="GraduatedColor")
    ranges = ET.SubElement(renderer, "ranges")
    for i, (cls, (lo, hi)) in enumerate(zip(classes, bounds, strict=True)):
        ET.SubElement(
            ranges,
            "range",
            {
                "render": "true",
                "symbol": str(i),
                "lower": _num(lo),
                "upper": _num(hi),
                "label": cls.label(lang),
            },
        )
    method = ET.SubElement(renderer, "classificationMethod", {"id": "Custom"})
    ET.SubElement(method, "symmetricMode", {"enabled": "0", "symmetrypoint": "0", "astride": "0"})
    ET.SubElement(
        method,
        "labelFormat",
        {"format": "%1 - %2", "labelprecision": "4", "trimtrailingzeroes": "1"},
    )
    ET.SubElement(method, "extraInformation")
    return renderer, classes


def _quote_field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rules(style: LayerStyle, lang: Lang) -> tuple[ET.Element, list[ClassStyle]]:
    field = _quote_field(style.field)
    renderer = _renderer_element("RuleRenderer")
    root_key = _rule_key(style, "root")
    rules = ET.SubElement(renderer, "rules", {"key": root_key})
    bounds = _bounds(style)
    first, last = 0, len(bounds) - 1
    for i, (cls, (lo, hi)) in enumerate(zip(style.classes, bounds, strict=True)):
        if style.closed == "right":
            lower_op = ">=" if i == first else ">"
            upper_op = "<="
        else:
            lower_op = ">="
            upper_op = "<=" if i == last else "<"
            if i < last:
                hi = float(cls.upper)  # type: ignore[arg-type]  # exact break with "<"
        expr = f"{field} {lower_op} {_num(lo)} AND {field} {upper_op} {_num(hi)}"
        if style.status_classes():  # a feature's status wins over its value (as CASE does)
            chosen = ", ".join(_quote_string(str(c.value)) for c in style.status_classes())
            expr += f" AND coalesce({_quote_field(style.status_field)}, '') NOT IN ({chosen})"
        ET.SubElement(
            rules,
            "rule",
            {
                "key": _rule_key(style, str(i)),
                "filter": expr,
                "symbol": str(i),
                "label": cls.label(lang),
            },
        )
    extra = list(style.status_classes())
    status = _quote_field(style.status_field)
    for j, cls in enumerate(extra):
        ET.SubElement(
            rules,
            "rule",
            {
                "key": _rule_key(style, f"status:{cls.value}"),
                "filter": f"{status} = {_quote_string(str(cls.value))}",
                "symbol": str(len(bounds) + j),
                "label": cls.label(lang),
            },
        )
    if style.nodata is None:
        return renderer, [*style.classes, *extra]
    ET.SubElement(
        rules,
        "rule",
        {
            "key": _rule_key(style, "nodata"),
            "filter": "ELSE",
            "symbol": str(len(bounds) + len(extra)),
            "label": style.nodata.label(lang),
        },
    )
    return renderer, [*style.classes, *extra, style.nodata]


def _rule_key(style: LayerStyle, part: str) -> str:
    """Deterministic rule key in QGIS's ``{uuid}`` form (same style -> same QML bytes)."""
    return "{" + str(uuid.uuid5(_RULE_NAMESPACE, f"{style.field}\x1f{part}")) + "}"


# --------------------------------------------------------------------------- symbols


def _options(parent: ET.Element, values: Iterable[tuple[str, str]]) -> None:
    opt_map = ET.SubElement(parent, "Option", {"type": "Map"})
    for name, value in values:
        ET.SubElement(opt_map, "Option", {"type": "QString", "name": name, "value": value})


def _mm(x: float) -> str:
    return f"{float(x):g}"


def _symbol(
    name: str, color: str, style: LayerStyle, geometry: Geometry, *, hatch: str | None = None
) -> ET.Element:
    fill = hex_to_qgis_color(color)
    outline = hex_to_qgis_color(style.outline_color)
    width = _mm(style.outline_width_mm)
    symbol = ET.Element(
        "symbol",
        {
            "type": _SYMBOL_TYPE[geometry],
            "name": name,
            "alpha": "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    layer_attrs = {"enabled": "1", "locked": "0", "pass": "0"}
    if geometry == "polygon":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", **layer_attrs})
        _options(
            layer,
            [
                ("color", fill),
                ("joinstyle", "bevel"),
                ("outline_color", outline),
                ("outline_style", "solid"),
                ("outline_width", width),
                ("outline_width_unit", "MM"),
                ("style", "solid"),
            ],
        )
        if hatch is not None:
            symbol.append(_hatch_layer(name, hatch))
    elif geometry == "line":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleLine", **layer_attrs})
        _options(
            layer,
            [
                ("capstyle", "round"),
                ("joinstyle", "round"),
                ("line_color", fill),
                ("line_style", "solid"),
                ("line_width", _mm(LINE_WIDTH_MM)),
                ("line_width_unit", "MM"),
            ],
        )
    else:
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker", **layer_attrs})
        _options(
            layer,
            [
                ("color", fill),
                ("name", "circle"),
                ("outline_color", outline),
                ("outline_style", "solid"),
                ("outline_width", width),
                ("outline_width_unit", "MM"),
                ("size", _mm(POINT_SIZE_MM)),
                ("size_unit", "MM"),
            ],
        )
    return symbol


def _hatch_layer(symbol_name: str, color: str) -> ET.Element:
    """Return a ``LinePatternFill`` of thin 45° lines (the hatch of "not covered")."""
    attrs = {"class": "LinePatternFill", "enabled": "1", "locked": "0", "pass": "0"}
    layer = ET.Element("layer", attrs)
    _options(
        layer,
        [
            ("angle", "45"),
            ("color", hex_to_qgis_color(color)),
            ("distance", _mm(HATCH_DISTANCE_MM)),
            ("distance_unit", "MM"),
            ("line_width", _mm(HATCH_WIDTH_MM)),
            ("line_width_unit", "MM"),
            ("offset", "0"),
            ("offset_unit", "MM"),
        ],
    )
    sub = ET.SubElement(
        layer,
        "symbol",
        {
            "type": "line",
            "name": f"@{symbol_name}@1",
            "alpha": "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    line = ET.SubElement(sub, "layer", {**attrs, "class": "SimpleLine"})
    _options(
        line,
        [
            ("capstyle", "square"),
            ("joinstyle", "bevel"),
            ("line_color", hex_to_qgis_color(color)),
            ("line_style", "solid"),
            ("line_width", _mm(HATCH_WIDTH_MM)),
            ("line_width_unit", "MM"),
        ],
    )
    return layer


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        msg = f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}"
        raise ValueError(msg)
