"""QML and SLD written from a LayerStyle, and the ColorBrewer palettes they use.

QGIS itself is exercised in tests/qgis (separate interpreter); here the documents are
checked structurally with xml.etree.
"""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from geotrade.style.palettes import (
    DIVERGING,
    QUALITATIVE,
    SEQUENTIAL,
    diverging_palette,
    palette,
    palette_kind,
)
from geotrade.style.qml import hex_to_qgis_color, nodata_sentinel, qgis_renderer_type, to_qml
from geotrade.style.sld import to_sld
from geotrade.style.spec import ClassStyle, LayerStyle

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"

NODATA = ClassStyle(label_en="No data", label_zh="无数据", color="#d9d9d9")


def categorized(nodata: ClassStyle | None = NODATA) -> LayerStyle:
    return LayerStyle(
        kind="categorized",
        field="dep_class",
        title_en="Dependence",
        title_zh="依存",
        classes=(
            ClassStyle(label_en="One-way", label_zh="单向", color="#1b9e77", value="one_way"),
            ClassStyle(label_en="Two-way", label_zh="双向", color="#d95f02", value="two_way"),
            ClassStyle(label_en="Same", label_zh="Same", color="#7570b3", value="same"),
        ),
        nodata=nodata,
        outline_color="#636363",
        outline_width_mm=0.2,
    )


def graduated(
    nodata: ClassStyle | None = None, closed: str = "right", breaks=(0.0, 0.1, 0.35, 1.0)
) -> LayerStyle:
    colors = palette("Blues", 3)
    classes = tuple(
        ClassStyle(label_en=f"c{i}", label_zh=f"类{i}", color=colors[i], lower=lo, upper=hi)
        for i, (lo, hi) in enumerate(itertools.pairwise(breaks))
    )
    return LayerStyle(
        kind="graduated",
        field="share",
        title_en="Share",
        title_zh="份额",
        classes=classes,
        nodata=nodata,
        closed=closed,  # type: ignore[arg-type]
    )


def parse_qml(text: str) -> ET.Element:
    assert text.startswith("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n")
    root = ET.fromstring(text)
    assert root.tag == "qgis"
    assert root.get("version") == "3.22.0"
    return root


def symbol_colors(renderer: ET.Element) -> dict[str, str]:
    out = {}
    for sym in renderer.find("symbols"):
        opts = {o.get("name"): o.get("value") for o in sym.iter("Option") if o.get("name")}
        out[sym.get("name")] = opts.get("color") or opts.get("line_color")
    return out


# --------------------------------------------------------------------------- palettes


def test_palettes_cover_3_to_9_classes_with_valid_hex():
    for table, kmax in ((SEQUENTIAL, 9), (DIVERGING, 11), (QUALITATIVE, 8)):
        for name, versions in table.items():
            assert sorted(versions) == list(range(3, kmax + 1)), name
            for k, colors in versions.items():
                assert len(colors) == k
                assert len(set(colors)) == k
                for c in colors:
                    hex_to_qgis_color(c)  # raises on malformed colours
                    assert c == c.lower()


def test_palettes_match_an_independent_colorbrewer_copy():
    """branca (a folium dependency) ships ColorBrewer 2.0 too; the values must agree."""
    schemes = json.loads(resources.files("branca").joinpath("_schemes.json").read_text())
    for table in (SEQUENTIAL, DIVERGING, QUALITATIVE):
        for name, versions in table.items():
            for k, colors in versions.items():
                assert colors == tuple(c.lower() for c in schemes[f"{name}_{k:02d}"])


def test_sequential_palettes_go_light_to_dark():
    def luminance(c: str) -> float:
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for name in SEQUENTIAL:
        for k in range(3, 10):
            lum = [luminance(c) for c in palette(name, k)]
            assert lum == sorted(lum, reverse=True), (name, k)


def test_palette_lookup_options_and_errors():
    assert palette("blues", 3) == ("#deebf7", "#9ecae1", "#3182bd")
    assert palette("Blues", 3, reverse=True) == ("#3182bd", "#9ecae1", "#deebf7")
    assert palette_kind("PuOr") == "diverging"
    assert palette_kind("Dark2") == "qualitative"
    with pytest.raises(ValueError, match="unknown palette 'Viridis'"):
        palette("Viridis", 5)
    with pytest.raises(ValueError, match="3-9 classes, got k=10"):
        palette("Blues", 10)
    with pytest.raises(ValueError, match="3-8 classes, got k=2"):
        palette("Set2", 2)
    with pytest.raises(ValueError, match="k=True"):
        palette("Blues", True)  # type: ignore[arg-type]


def test_diverging_palette_darkest_at_both_extremes():
    def lightness(c: str) -> int:
        return sum(int(c[i : i + 2], 16) for i in (1, 3, 5))

    for name in DIVERGING:
        for k_neg in range(0, 6):
            for k_pos in range(0, 6):
                if k_neg + k_pos == 0:
                    continue
                cols = diverging_palette(k_neg, k_pos, name=name)
                assert len(cols) == k_neg + k_pos
                neg, pos = cols[:k_neg], cols[k_neg:]
                # lighter towards zero on both sides
                assert [lightness(c) for c in neg] == sorted(lightness(c) for c in neg)
                assert [lightness(c) for c in pos] == sorted(
                    (lightness(c) for c in pos), reverse=True
                )
                # the extremes are the darkest colours of the full scheme
                if k_neg:
                    assert neg[0] == DIVERGING[name][2 * k_neg + 1][0]
                if k_pos:
                    assert pos[-1] == DIVERGING[name][2 * k_pos + 1][-1]


def test_diverging_palette_neutral_reverse_and_errors():
    assert diverging_palette(2, 2, neutral=True) == palette("RdBu", 5)
    assert diverging_palette(1, 1, neutral="#ffffff") == ("#ef8a62", "#ffffff", "#67a9cf")
    assert diverging_palette(2, 1, reverse=True) == ("#0571b0", "#92c5de", "#ef8a62")
    assert diverging_palette(0, 2, name="PuOr") == ("#b2abd2", "#5e3c99")
    with pytest.raises(ValueError, match="diverging scheme"):
        diverging_palette(2, 2, name="Blues")
    with pytest.raises(ValueError, match="k_pos must be an integer from 0 to 5"):
        diverging_palette(2, 6)
    with pytest.raises(ValueError, match="at least one class"):
        diverging_palette(0, 0)


# --------------------------------------------------------------------------- QML


def test_hex_to_qgis_color():
    assert hex_to_qgis_color("#08519c") == "8,81,156,255"
    assert hex_to_qgis_color("#ABC") == "170,187,204,255"
    assert hex_to_qgis_color("#0000ff80") == "0,0,255,128"
    for bad in ("08519c", "#08519", "red", "#gggggg"):
        with pytest.raises(ValueError, match="expected a hex colour"):
            hex_to_qgis_color(bad)


def test_categorized_qml_structure():
    style = categorized()
    root = parse_qml(to_qml(style))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == "dep_class"
    cats = renderer.find("categories").findall("category")
    assert [c.get("value") for c in cats] == ["one_way", "two_way", "same", ""]
    assert [c.get("label") for c in cats] == [
        "One-way / 单向",
        "Two-way / 双向",
        "Same",
        "No data / 无数据",
    ]
    colors = symbol_colors(renderer)
    expected = [hex_to_qgis_color(c.color) for c in style.all_classes()]
    assert [colors[c.get("symbol")] for c in cats] == expected
    assert root.findtext("layerGeometryType") == "2"
    fill = renderer.find("symbols/symbol/layer")
    assert fill.get("class") == "SimpleFill"
    opts = {o.get("name"): o.get("value") for o in fill.iter("Option") if o.get("name")}
    assert opts["outline_color"] == "99,99,99,255"
    assert opts["outline_width"] == "0.2"
    assert opts["outline_width_unit"] == "MM"
    assert opts["style"] == "solid"


@pytest.mark.parametrize(("lang", "label"), [("en", "One-way"), ("zh", "单向")])
def test_qml_label_language(lang, label):
    root = parse_qml(to_qml(categorized(nodata=None), lang=lang))
    cats = root.find("renderer-v2/categories").findall("category")
    assert len(cats) == 3
    assert cats[0].get("label") == label


def test_graduated_qml_exact_ranges_and_neutral_method():
    style = graduated(breaks=(0.0, 0.1, 1 / 3, 1.0))
    root = parse_qml(to_qml(style))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == "share"
    assert renderer.get("graduatedMethod") == "GraduatedColor"
    ranges = renderer.find("ranges").findall("range")
    assert len(ranges) == 3
    bounds = [(float(r.get("lower")), float(r.get("upper"))) for r in ranges]
    assert bounds == [(0.0, 0.1), (0.1, 1 / 3), (1 / 3, 1.0)]  # exact float64 round trip
    assert [r.get("label") for r in ranges] == ["c0 / 类0", "c1 / 类1", "c2 / 类2"]
    assert renderer.find("classificationMethod").get("id") == "Custom"
    colors = symbol_colors(renderer)
    assert [colors[r.get("symbol")] for r in ranges] == [
        hex_to_qgis_color(c) for c in palette("Blues", 3)
    ]


def test_graduated_left_closed_upper_bounds_step_below_the_break():
    style = graduated(closed="left", breaks=(0.0, 0.5, 2.0))
    ranges = parse_qml(to_qml(style)).find("renderer-v2/ranges").findall("range")
    uppers = [float(r.get("upper")) for r in ranges]
    assert uppers == [math.nextafter(0.5, -math.inf), 2.0]
    assert float(ranges[1].get("lower")) == 0.5


@pytest.mark.parametrize("closed", ["right", "left"])
def test_graduated_with_nodata_default_is_sentinel_range(closed):
    style = graduated(nodata=NODATA, closed=closed)
    assert qgis_renderer_type(style) == "graduatedSymbol"
    assert qgis_renderer_type(style, graduated_nodata="sentinel") == "graduatedSymbol"
    text = to_qml(style)
    assert text == to_qml(style, graduated_nodata="sentinel")
    renderer = parse_qml(text).find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == 'coalesce("share", -1)'
    assert renderer.find("classificationMethod").get("id") == "Custom"
    ranges = renderer.find("ranges").findall("range")
    assert len(ranges) == len(style.classes) + 1
    bounds = [(float(r.get("lower")), float(r.get("upper"))) for r in ranges]
    first_upper = 0.1 if closed == "right" else math.nextafter(0.1, -math.inf)
    second_upper = 0.35 if closed == "right" else math.nextafter(0.35, -math.inf)
    assert bounds == [(0.0, first_upper), (0.1, second_upper), (0.35, 1.0), (-1.0, -1.0)]
    labels = [r.get("label") for r in ranges]
    assert labels == ["c0 / 类0", "c1 / 类1", "c2 / 类2", "No data / 无数据"]
    colors = symbol_colors(renderer)
    assert [colors[r.get("symbol")] for r in ranges] == [
        *(hex_to_qgis_color(c) for c in palette("Blues", 3)),
        "217,217,217,255",
    ]
    assert len(renderer.find("symbols")) == 4


@pytest.mark.parametrize(
    ("breaks", "sentinel", "literal"),
    [
        ((0.0, 0.5, 2.0), -1.0, "-1"),
        ((0.25, 0.5, 2.0), -1.0, "-1"),
        ((-1.5, 0.0, 2.0), -3.0, "-3"),
        ((-2.0, 0.0, 2.0), -3.0, "-3"),
        ((1e6, 2e6, 3e6), 999_999.0, "999999"),
        ((-1e300, 0.0, 1.0), math.nextafter(-1e300, -math.inf), None),
    ],
)
def test_nodata_sentinel_is_strictly_below_every_class(breaks, sentinel, literal):
    style = graduated(nodata=NODATA, breaks=breaks)
    assert nodata_sentinel(style) == sentinel
    assert sentinel < min(c.lower for c in style.classes)
    renderer = parse_qml(to_qml(style)).find("renderer-v2")
    last = renderer.find("ranges").findall("range")[-1]
    assert float(last.get("lower")) == float(last.get("upper")) == sentinel
    literal = literal or repr(sentinel)
    assert renderer.get("attr") == f'coalesce("share", {literal})'


def test_sentinel_expression_quotes_the_field_and_only_with_nodata():
    style = LayerStyle(
        kind="graduated",
        field='odd "name"',
        title_en="t",
        title_zh="t",
        classes=(ClassStyle(label_en="a", label_zh="a", color="#000000", lower=0, upper=1),),
        nodata=NODATA,
    )
    renderer = parse_qml(to_qml(style)).find("renderer-v2")
    assert renderer.get("attr") == 'coalesce("odd ""name""", -1)'
    # without a no-data class the attribute stays the bare field, with no extra range
    plain = parse_qml(to_qml(graduated(), graduated_nodata="sentinel")).find("renderer-v2")
    assert plain.get("attr") == "share"
    assert len(plain.find("ranges")) == 3


def test_graduated_with_nodata_rules_mode_is_rule_renderer():
    style = graduated(nodata=NODATA)
    assert qgis_renderer_type(style, graduated_nodata="rules") == "RuleRenderer"
    root = parse_qml(to_qml(style, graduated_nodata="rules"))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "RuleRenderer"
    rules = renderer.find("rules").findall("rule")
    assert [r.get("filter") for r in rules] == [
        '"share" >= 0.0 AND "share" <= 0.1',
        '"share" > 0.1 AND "share" <= 0.35',
        '"share" > 0.35 AND "share" <= 1.0',
        "ELSE",
    ]
    assert rules[-1].get("label") == "No data / 无数据"
    keys = [r.get("key") for r in rules] + [renderer.find("rules").get("key")]
    assert len(set(keys)) == len(keys)
    assert all(k.startswith("{") and k.endswith("}") for k in keys)
    colors = symbol_colors(renderer)
    assert colors[rules[-1].get("symbol")] == "217,217,217,255"


def test_rule_filters_for_left_closed_classes():
    style = graduated(nodata=NODATA, closed="left", breaks=(0.0, 0.5, 2.0))
    qml = to_qml(style, graduated_nodata="rules")
    rules = parse_qml(qml).find("renderer-v2/rules").findall("rule")
    assert [r.get("filter") for r in rules] == [
        '"share" >= 0.0 AND "share" < 0.5',
        '"share" >= 0.5 AND "share" <= 2.0',
        "ELSE",
    ]


def test_graduated_nodata_omit_keeps_graduated_renderer():
    style = graduated(nodata=NODATA)
    assert qgis_renderer_type(style, graduated_nodata="omit") == "graduatedSymbol"
    root = parse_qml(to_qml(style, graduated_nodata="omit"))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == "share"
    assert len(renderer.find("ranges")) == 3
    assert len(renderer.find("symbols")) == 3


@pytest.mark.parametrize(
    ("geometry", "symbol_type", "layer_class", "code"),
    [("line", "line", "SimpleLine", "1"), ("point", "marker", "SimpleMarker", "0")],
)
def test_qml_for_lines_and_points(geometry, symbol_type, layer_class, code):
    root = parse_qml(to_qml(categorized(), geometry=geometry))
    sym = root.find("renderer-v2/symbols/symbol")
    assert sym.get("type") == symbol_type
    assert sym.find("layer").get("class") == layer_class
    assert root.findtext("layerGeometryType") == code
    assert symbol_colors(root.find("renderer-v2"))["0"] == "27,158,119,255"


def test_qml_is_deterministic_and_escapes_markup():
    style = LayerStyle(
        kind="categorized",
        field='odd "name" & <x>',
        title_en="t",
        title_zh="t",
        classes=(ClassStyle(label_en="a < b & c", label_zh="甲", color="#000000", value='"q"'),),
    )
    text = to_qml(style)
    assert text == to_qml(style)
    renderer = parse_qml(text).find("renderer-v2")
    assert renderer.get("attr") == 'odd "name" & <x>'
    assert renderer.find("categories/category").get("value") == '"q"'


def test_qml_rejects_bad_options_and_values():
    with pytest.raises(ValueError, match="geometry must be one of"):
        to_qml(categorized(), geometry="raster")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang must be one of"):
        to_qml(categorized(), lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="graduated_nodata must be one of"):
        to_qml(categorized(), graduated_nodata="hide")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-finite bound"):
        to_qml(graduated(breaks=(0.0, 1.0, math.inf)))
    bad = LayerStyle(
        kind="categorized",
        field="f",
        title_en="t",
        title_zh="t",
        classes=(ClassStyle(label_en="a", label_zh="a", color="blue", value="a"),),
    )
    with pytest.raises(ValueError, match="expected a hex colour like"):
        to_qml(bad)
    empty = LayerStyle(kind="categorized", field="f", title_en="t", title_zh="t", classes=())
    with pytest.raises(ValueError, match="has no classes"):
        to_qml(empty)


# --------------------------------------------------------------------------- SLD


def test_sld_categorized_one_rule_per_class():
    style = categorized()
    root = ET.fromstring(to_sld(style, layer_name="countries"))
    assert root.tag == "{http://www.opengis.net/sld}StyledLayerDescriptor"
    assert root.get("version") == "1.1.0"
    assert root.find(f"{{http://www.opengis.net/sld}}NamedLayer/{SE}Name").text == "countries"
    rules = root.findall(f".//{SE}Rule")
    assert len(rules) == len(style.classes) + 1
    for rule, cls in zip(rules, style.classes, strict=False):
        eq = rule.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo")
        assert eq.find(f"{OGC}PropertyName").text == "dep_class"
        assert eq.find(f"{OGC}Literal").text == cls.value
        fill = rule.find(f"{SE}PolygonSymbolizer/{SE}Fill/{SE}SvgParameter")
        assert fill.get("name") == "fill"
        assert fill.text == cls.color
    assert rules[-1].find(f"{SE}ElseFilter") is not None
    assert rules[-1].find(f"{SE}Description/{SE}Title").text == "No data / 无数据"


def test_sld_graduated_comparison_operators():
    style = graduated(breaks=(0.0, 0.5, 2.0))
    rules = ET.fromstring(to_sld(style, layer_name="t")).findall(f".//{SE}Rule")
    assert len(rules) == 2
    ops = [[el.tag.removeprefix(OGC) for el in r.find(f"{OGC}Filter/{OGC}And")] for r in rules]
    assert ops == [
        ["PropertyIsGreaterThanOrEqualTo", "PropertyIsLessThanOrEqualTo"],
        ["PropertyIsGreaterThan", "PropertyIsLessThanOrEqualTo"],
    ]
    literals = [float(el.text) for el in rules[1].iter(f"{OGC}Literal")]
    assert literals == [0.5, 2.0]
    left = ET.fromstring(to_sld(graduated(closed="left", breaks=(0, 1, 2)), layer_name="t"))
    ops = [
        [el.tag.removeprefix(OGC) for el in r.find(f"{OGC}Filter/{OGC}And")]
        for r in left.findall(f".//{SE}Rule")
    ]
    assert ops == [
        ["PropertyIsGreaterThanOrEqualTo", "PropertyIsLessThan"],
        ["PropertyIsGreaterThanOrEqualTo", "PropertyIsLessThanOrEqualTo"],
    ]


@pytest.mark.parametrize(
    ("geometry", "symbolizer"),
    [("polygon", "PolygonSymbolizer"), ("line", "LineSymbolizer"), ("point", "PointSymbolizer")],
)
def test_sld_symbolizers(geometry, symbolizer):
    root = ET.fromstring(to_sld(categorized(), layer_name="x", geometry=geometry))
    for rule in root.findall(f".//{SE}Rule"):
        assert rule.find(f"{SE}{symbolizer}") is not None
