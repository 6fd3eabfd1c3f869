"""OGC Styled Layer Descriptor 1.1 (Symbology Encoding 1.1) for a layer style.

:func:`to_sld` writes one ``se:Rule`` per class of a
:class:`~geotrade.style.spec.LayerStyle`, for servers and desktop GIS that read SLD
(GeoServer, MapServer, QGIS's *Load Style -> SLD*). It is also stored in the ``styleSLD``
column of a GeoPackage's ``layer_styles`` table.

Filters:

categorized
    ``ogc:PropertyIsEqualTo`` (field = class value).
graduated, ``closed="right"``
    ``lower < x <= upper`` as ``ogc:And`` of ``ogc:PropertyIsGreaterThan`` and
    ``ogc:PropertyIsLessThanOrEqualTo``; the first class uses
    ``ogc:PropertyIsGreaterThanOrEqualTo`` so that it includes its lower bound.
graduated, ``closed="left"``
    ``lower <= x < upper`` (``ogc:PropertyIsLessThan``), the last class includes its upper
    bound.
status classes ("no data", "not covered")
    ``ogc:PropertyIsEqualTo`` on the status field (``status = 'not covered'``), before the
    no-data rule; "not covered" adds a second ``se:PolygonSymbolizer`` whose
    ``se:GraphicFill`` is QGIS's ``horline`` mark rotated 45° (diagonal hatch).
no-data class
    ``se:ElseFilter``: drawn for every feature no other rule matched (missing values and
    values outside all classes), as in :meth:`LayerStyle.class_for_value`.

Stroke widths are converted from millimetres to SE's default unit, the pixel, at the
OGC standardised rendering pixel of 0.28 mm.

Examples
--------
>>> import xml.etree.ElementTree as ET
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> style = LayerStyle(
...     kind="categorized", field="cls", title_en="Class", title_zh="类别",
...     classes=(ClassStyle(label_en="One-way", label_zh="单向", color="#08519c",
...                         value="a"),))
>>> root = ET.fromstring(to_sld(style, layer_name="countries"))
>>> len(root.findall(".//{http://www.opengis.net/se}Rule"))
1
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Literal

from geotrade.io.textsafe import xml_text
from geotrade.style.qml import (
    HATCH_DISTANCE_MM,
    HATCH_WIDTH_MM,
    LINE_WIDTH_MM,
    POINT_SIZE_MM,
    hex_to_qgis_color,
)
from geotrade.style.spec import ClassStyle, LayerStyle

__all__ = ["OGC_PIXEL_MM", "to_sld"]

OGC_PIXEL_MM = 0.28
"""Size of the OGC "standardised rendering pixel" in millimetres."""

_SLD = "http://www.opengis.net/sld"
_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XLINK = "http://www.w3.org/1999/xlink"

for _prefix, _uri in (("", _SLD), ("se", _SE), ("ogc", _OGC), ("xsi", _XSI), ("xlink", _XLINK)):
    ET.register_namespace(_prefix, _uri)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def to_sld(
    style: LayerStyle,
    *,
    layer_name: str,
    geometry: Literal["polygon", "line", "point"] = "polygon",
    lang: Literal["en", "zh", "both"] = "both",
) -> str:
    """Render a layer style as an SLD 1.1 document.

    Parameters
    ----------
    style
        Classes, colours and labels of the layer.
    layer_name
        The ``NamedLayer`` name (the GeoPackage table name).
    geometry
        Symbolizer to write: ``PolygonSymbolizer`` (fill + outline), ``LineSymbolizer``
        (class colour as stroke) or ``PointSymbolizer`` (a filled circle).
    lang
        Rule titles: ``"both"`` (``"English / 中文"``), ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The SLD document with an XML declaration, UTF-8 text.

    Raises
    ------
    ValueError
        If an option is invalid or a graduated bound is not finite.

    Examples
    --------
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(
    ...     kind="graduated", field="share", title_en="Share", title_zh="份额",
    ...     classes=(ClassStyle(label_en="Low", label_zh="低", color="#deebf7",
    ...                         lower=0.0, upper=0.5),))
    >>> "PropertyIsLessThanOrEqualTo" in to_sld(style, layer_name="t")
    True
    """
    if geometry not in ("polygon", "line", "point"):
        msg = f"geometry must be 'polygon', 'line' or 'point', got {geometry!r}"
        raise ValueError(msg)
    if lang not in ("en", "zh", "both"):
        msg = f"lang must be 'en', 'zh' or 'both', got {lang!r}"
        raise ValueError(msg)
    root = ET.Element(
        _q(_SLD, "StyledLayerDescriptor"),
        {
            "version": "1.1.0",
            _q(_XSI, "schemaLocation"): (
                "http://www.opengis.net/sld "
                "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"
            ),
        },
    )
    named = ET.SubElement(root, _q(_SLD, "NamedLayer"))
    ET.SubElement(named, _q(_SE, "Name")).text = layer_name
    user = ET.SubElement(named, _q(_SLD, "UserStyle"))
    ET.SubElement(user, _q(_SE, "Name")).text = layer_name
    desc = ET.SubElement(user, _q(_SE, "Description"))
    title = style.title_en if lang == "en" else style.title_zh if lang == "zh" else None
    if title is None:
        title = (
            style.title_en
            if style.title_en == style.title_zh
            else f"{style.title_en} / {style.title_zh}"
        )
    ET.SubElement(desc, _q(_SE, "Title")).text = title
    fts = ET.SubElement(user, _q(_SE, "FeatureTypeStyle"))
    last = len(style.classes) - 1
    for i, cls in enumerate(style.classes):
        rule = _rule(fts, cls, lang)
        filt = ET.SubElement(rule, _q(_OGC, "Filter"))
        if style.status_classes():  # the status wins over the value (every match is drawn)
            filt = ET.SubElement(filt, _q(_OGC, "And"))
            neither = ET.SubElement(filt, _q(_OGC, "Not"))
            if len(style.status_classes()) > 1:  # ogc:Or needs two or more operands
                neither = ET.SubElement(neither, _q(_OGC, "Or"))
            for sc in style.status_classes():
                _comparison(neither, "PropertyIsEqualTo", style.status_field, str(sc.value))
        if style.kind == "categorized":
            _comparison(filt, "PropertyIsEqualTo", style.field, str(cls.value))
        else:
            lo, hi = float(cls.lower), float(cls.upper)  # type: ignore[arg-type]
            if not (math.isfinite(lo) and math.isfinite(hi)):
                msg = f"class {cls.label_en!r} has a non-finite bound ({lo}, {hi})"
                raise ValueError(msg)
            if style.closed == "right":
                lower_op = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
                upper_op = "PropertyIsLessThanOrEqualTo"
            else:
                lower_op = "PropertyIsGreaterThanOrEqualTo"
                upper_op = "PropertyIsLessThanOrEqualTo" if i == last else "PropertyIsLessThan"
            both = ET.SubElement(filt, _q(_OGC, "And"))
            _comparison(both, lower_op, style.field, repr(lo))
            _comparison(both, upper_op, style.field, repr(hi))
        _symbolizer(rule, cls.color, style, geometry)
    for cls in style.status_classes():  # by status ("not covered", "no data"), not by value
        rule = _rule(fts, cls, lang)
        filt = ET.SubElement(rule, _q(_OGC, "Filter"))
        _comparison(filt, "PropertyIsEqualTo", style.status_field, str(cls.value))
        _symbolizer(rule, cls.color, style, geometry, hatch=cls.hatch)
    if style.nodata is not None:
        rule = _rule(fts, style.nodata, lang)
        ET.SubElement(rule, _q(_SE, "ElseFilter"))
        _symbolizer(rule, style.nodata.color, style, geometry)
    ET.indent(root, space=" ")
    # control characters from data-borne labels/titles are not allowed in XML 1.0
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_text(ET.tostring(root, "unicode")) + "\n"
    )


def _rule(parent: ET.Element, cls: ClassStyle, lang: Literal["en", "zh", "both"]) -> ET.Element:
    rule = ET.SubElement(parent, _q(_SE, "Rule"))
    ET.SubElement(rule, _q(_SE, "Name")).text = cls.label(lang)
    desc = ET.SubElement(rule, _q(_SE, "Description"))
    ET.SubElement(desc, _q(_SE, "Title")).text = cls.label(lang)
    return rule


def _comparison(parent: ET.Element, op: str, field: str, literal: str) -> None:
    comp = ET.SubElement(parent, _q(_OGC, op))
    ET.SubElement(comp, _q(_OGC, "PropertyName")).text = field
    ET.SubElement(comp, _q(_OGC, "Literal")).text = literal


def _param(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _q(_SE, "SvgParameter"), {"name": name}).text = value


def _rgb_opacity(color: str) -> tuple[str, str | None]:
    """Split ``#rrggbb[aa]``/``#rgb`` into SE's ``#rrggbb`` and an opacity (or None)."""
    r, g, b, a = (int(x) for x in hex_to_qgis_color(color).split(","))
    opacity = None if a == 255 else f"{a / 255:.3g}"
    return f"#{r:02x}{g:02x}{b:02x}", opacity


def _px(mm: float) -> str:
    return f"{mm / OGC_PIXEL_MM:.3g}"


def _stroke(parent: ET.Element, color: str, width_mm: float) -> None:
    stroke = ET.SubElement(parent, _q(_SE, "Stroke"))
    rgb, opacity = _rgb_opacity(color)
    _param(stroke, "stroke", rgb)
    if opacity is not None:
        _param(stroke, "stroke-opacity", opacity)
    _param(stroke, "stroke-width", _px(width_mm))
    _param(stroke, "stroke-linejoin", "bevel")


def _fill(parent: ET.Element, color: str) -> None:
    fill = ET.SubElement(parent, _q(_SE, "Fill"))
    rgb, opacity = _rgb_opacity(color)
    _param(fill, "fill", rgb)
    if opacity is not None:
        _param(fill, "fill-opacity", opacity)


def _symbolizer(
    rule: ET.Element, color: str, style: LayerStyle, geometry: str, *, hatch: str | None = None
) -> None:
    if geometry == "polygon":
        sym = ET.SubElement(rule, _q(_SE, "PolygonSymbolizer"))
        _fill(sym, color)
        _stroke(sym, style.outline_color, style.outline_width_mm)
        if hatch is not None:  # diagonal lines as QGIS writes a LinePatternFill
            hsym = ET.SubElement(rule, _q(_SE, "PolygonSymbolizer"))
            fill = ET.SubElement(hsym, _q(_SE, "Fill"))
            graphic = ET.SubElement(ET.SubElement(fill, _q(_SE, "GraphicFill")), _q(_SE, "Graphic"))
            mark = ET.SubElement(graphic, _q(_SE, "Mark"))
            ET.SubElement(mark, _q(_SE, "WellKnownName")).text = "horline"
            _stroke(mark, hatch, HATCH_WIDTH_MM)
            ET.SubElement(graphic, _q(_SE, "Size")).text = _px(HATCH_DISTANCE_MM)
            ET.SubElement(graphic, _q(_SE, "Rotation")).text = "45"
    elif geometry == "line":
        sym = ET.SubElement(rule, _q(_SE, "LineSymbolizer"))
        _stroke(sym, color, LINE_WIDTH_MM)
    else:
        sym = ET.SubElement(rule, _q(_SE, "PointSymbolizer"))
        graphic = ET.SubElement(sym, _q(_SE, "Graphic"))
        mark = ET.SubElement(graphic, _q(_SE, "Mark"))
        ET.SubElement(mark, _q(_SE, "WellKnownName")).text = "circle"
        _fill(mark, color)
        _stroke(mark, style.outline_color, style.outline_width_mm)
        ET.SubElement(graphic, _q(_SE, "Size")).text = _px(POINT_SIZE_MM)
