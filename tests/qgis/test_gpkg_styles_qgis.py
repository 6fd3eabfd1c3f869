"""QGIS 3.22 opens the engine's GeoPackages with the embedded default styles.

The GeoPackage and ``expected.json`` come from the engine (subprocess, see conftest.py);
this module only uses QGIS, PyQt and Debian's GDAL bindings. For every layer it checks the
renderer QGIS builds from the ``layer_styles`` row (or, for the non-default
``graduated_nodata`` modes "rules" and "omit", from the sidecar QML loaded with *Load
Style*), and then renders the layer to an image and reads the colour of every feature, so
the drawn map is compared with ``LayerStyle.class_for_value`` (including no-data features
and values on class bounds).
"""

from __future__ import annotations

import json
import math

import pytest
from osgeo import gdal
from qgis.core import (
    NULL,
    QgsColorBrewerPalette,
    QgsCoordinateReferenceSystem,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

BACKGROUND = QColor(255, 0, 255)  # in no palette: "not drawn"

LAYERS = [
    "dep_class",
    "share_graduated",
    "share_nodata",
    "share_rules",
    "share_omit",
    "share_left",
    "share_left_nodata",
    "share_left_rules",
    "dep_lines",
    "share_points",
]
SENTINEL_LAYERS = ["share_nodata", "share_left_nodata", "share_points"]
# complete base geography: classes chosen by the "status" field (conftest.py status_cases)
STATUS_LAYERS = ["status_graduated", "status_rules", "status_categorized"]


def open_layer(path, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid(), f"QGIS cannot open {path}|layername={name}"
    return layer


def styled_layer(path, exp: dict, name: str) -> QgsVectorLayer:
    """The layer with the style under test: the GeoPackage default or the sidecar QML."""
    layer = open_layer(path, name)
    if exp["qml_file"]:
        # loadFromLocalDb=True: read the .qml file (as *Load Style* does), not the GPKG's
        # layer_styles row, which loadNamedStyle(uri) prefers for GeoPackage layers
        message, ok = layer.loadNamedStyle(str(path.parent / exp["qml_file"]), True)
        assert ok, message
    return layer


@pytest.fixture(scope="module")
def gpkg(engine_output):
    out, _ = engine_output
    return out / "styled.gpkg"


@pytest.fixture(scope="module")
def expected(engine_output):
    _, exp = engine_output
    return exp


def qcolor(hex_color: str) -> str:
    return QColor(hex_color).name()


def render(layer: QgsVectorLayer, features: list[dict]) -> dict[int, str | None]:
    """Draw ``layer`` alone and return the colour at each feature's probe point."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    xs = [f["x"] for f in features]
    settings.setExtent(QgsRectangle(min(xs) - 500, -200, max(xs) + 500, 800))
    settings.setOutputSize(QSize(100 * len(features), 100))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(BACKGROUND)
    settings.setFlag(QgsMapSettings.Antialiasing, False)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    to_pixel = settings.mapToPixel()
    out = {}
    for i, feat in enumerate(features):
        p = to_pixel.transform(QgsPointXY(feat["x"], feat["y"]))
        color = QColor(image.pixel(round(p.x()), round(p.y())))
        out[i] = None if color == BACKGROUND else color.name()
    return out


# --------------------------------------------------------------------------- file level


def test_gdal_of_qgis_opens_gpkg_1_2_without_warnings(gpkg):
    """QGIS 3.22's GDAL 3.6 warns on GeoPackage 1.4 files; 1.2 must open silently."""
    messages = []

    def handler(level, number, msg):
        messages.append((level, msg))

    gdal.PushErrorHandler(handler)
    try:
        ds = gdal.OpenEx(str(gpkg), gdal.OF_VECTOR)
        names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
        ds = None
    finally:
        gdal.PopErrorHandler()
    assert messages == []
    assert set(LAYERS) <= set(names)
    assert "flows" in names


def test_gdal_validate_gpkg_passes(gpkg):
    """GDAL's GeoPackage validator (Debian python3-gdal), warnings count as errors."""
    validate_gpkg = pytest.importorskip("osgeo_utils.samples.validate_gpkg")
    validate_gpkg.check(str(gpkg), extra_checks=True, warning_as_error=True)


def test_metadata_json_is_readable_without_geotrade(gpkg, expected):
    ds = gdal.OpenEx(str(gpkg), gdal.OF_VECTOR)
    try:
        sql = ds.ExecuteSQL(
            "SELECT metadata FROM gpkg_metadata WHERE mime_type = 'application/json'"
        )
        docs = [json.loads(f.GetField(0)) for f in sql]
        ds.ReleaseResultSet(sql)
    finally:
        ds = None
    assert len(docs) == 1
    # every key the engine was given comes back as written; write_gpkg adds the map CRS
    # and the bilingual layer titles for the QGIS print layout
    assert {k: v for k, v in docs[0].items() if k in expected["metadata"]} == expected["metadata"]
    assert {"map_crs", "layer_titles"} <= set(docs[0])


def test_attribute_table_opens(gpkg):
    layer = open_layer(gpkg, "flows")
    assert layer.featureCount() == 2
    assert not layer.isSpatial()


def test_palettes_equal_qgis_colorbrewer(expected):
    for name, versions in expected["palettes"].items():
        assert set(map(int, versions)) <= set(QgsColorBrewerPalette.listSchemeVariants(name))
        for k, colors in versions.items():
            qgis_colors = [c.name() for c in QgsColorBrewerPalette.listSchemeColors(name, int(k))]
            assert colors == qgis_colors, (name, k)


# --------------------------------------------------------------------------- per layer


@pytest.mark.parametrize("name", LAYERS)
def test_default_style_loads(gpkg, expected, name):
    exp = expected["layers"][name]
    layer = open_layer(gpkg, name)
    # already applied on open (layer option loadDefaultStyle) ...
    assert layer.renderer().type() == exp["gpkg_renderer"]
    # ... and explicitly, as the plugin's post-processor will do
    message, ok = layer.loadDefaultStyle()
    assert ok, message
    assert message == "Loaded from Provider"  # the layer_styles row, not a .qml sidecar
    assert layer.renderer().type() == exp["gpkg_renderer"]
    # the default style is never rule-based (acceptance: categorized or graduated)
    assert exp["gpkg_renderer"] in ("categorizedSymbol", "graduatedSymbol")
    if exp["qml_file"]:
        assert styled_layer(gpkg, exp, name).renderer().type() == exp["renderer"]


@pytest.mark.parametrize("name", [n for n in LAYERS if n.startswith("dep")])
def test_categorized_renderer(gpkg, expected, name):
    exp = expected["layers"][name]
    layer = open_layer(gpkg, name)  # keep a reference: the layer owns its renderer
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol"
    assert renderer.classAttribute() == exp["field"]
    cats = renderer.categories()
    assert len(cats) == len(exp["classes"]) + 1
    assert [c.value() for c in cats] == [c["value"] for c in exp["classes"]] + [""]
    assert [c.label() for c in cats] == [c["label"] for c in exp["classes"]] + [
        exp["nodata"]["label"]
    ]
    assert [c.symbol().color().name() for c in cats] == [
        qcolor(c["color"]) for c in exp["classes"]
    ] + [qcolor(exp["nodata"]["color"])]
    if exp["geometry"] == "polygon":
        fill = cats[0].symbol().symbolLayer(0)
        assert fill.layerType() == "SimpleFill"
        assert fill.strokeColor().name() == qcolor(exp["outline_color"])
        assert fill.strokeWidth() == pytest.approx(exp["outline_width_mm"])


def check_class_ranges(ranges, exp: dict) -> None:
    last = len(exp["classes"]) - 1
    for i, (rng, cls) in enumerate(zip(ranges, exp["classes"], strict=True)):
        assert rng.lowerValue() == cls["lower"]  # exact float64, no rounding
        upper = cls["upper"]
        if exp["closed"] == "left" and i < last:
            upper = math.nextafter(upper, -math.inf)
        assert rng.upperValue() == upper
        assert rng.label() == cls["label"]
        assert rng.symbol().color().name() == qcolor(cls["color"])


@pytest.mark.parametrize("name", ["share_graduated", "share_left", "share_omit"])
def test_graduated_renderer(gpkg, expected, name):
    exp = expected["layers"][name]
    assert exp["mode"] == ("omit" if name == "share_omit" else None)
    layer = styled_layer(gpkg, exp, name)  # keep a reference: the layer owns its renderer
    renderer = layer.renderer()
    assert renderer.type() == "graduatedSymbol"
    assert renderer.classAttribute() == exp["field"]
    # neutral method: "Classify" must not silently recompute the engine's breaks
    assert renderer.classificationMethod().id() == "Custom"
    ranges = renderer.ranges()
    assert len(ranges) == len(exp["classes"])
    check_class_ranges(ranges, exp)


@pytest.mark.parametrize("name", SENTINEL_LAYERS)
def test_graduated_with_nodata_uses_sentinel_range(gpkg, expected, name):
    """Default for graduated + no-data: graduated renderer on coalesce(field, sentinel)."""
    exp = expected["layers"][name]
    assert exp["mode"] is None  # the GeoPackage's default style
    layer = open_layer(gpkg, name)  # keep a reference: the layer owns its renderer
    renderer = layer.renderer()
    assert renderer.type() == "graduatedSymbol"
    sentinel = exp["sentinel"]
    lowest = min(c["lower"] for c in exp["classes"])
    assert sentinel == math.floor(lowest) - 1
    assert sentinel < lowest
    assert renderer.classAttribute() == f'coalesce("{exp["field"]}", {int(sentinel)})'
    assert renderer.classificationMethod().id() == "Custom"
    ranges = renderer.ranges()
    assert len(ranges) == len(exp["classes"]) + 1
    check_class_ranges(ranges[:-1], exp)
    nodata = ranges[-1]  # listed last: legend order = classes, then no data
    assert (nodata.lowerValue(), nodata.upperValue()) == (sentinel, sentinel)
    assert nodata.label() == exp["nodata"]["label"]
    assert nodata.symbol().color().name() == qcolor(exp["nodata"]["color"])
    # the field values stay NULL in the file: only the symbology maps NULL to the sentinel
    values = [f[exp["field"]] for f in layer.getFeatures()]
    assert [v == NULL for v in values] == [f["value"] is None for f in exp["features"]]
    assert any(f["value"] is None for f in exp["features"])


@pytest.mark.parametrize("name", ["share_rules", "share_left_rules"])
def test_graduated_with_nodata_rules_mode_is_rule_based(gpkg, expected, name):
    exp = expected["layers"][name]
    assert exp["mode"] == "rules"
    layer = styled_layer(gpkg, exp, name)  # keep a reference: the layer owns its renderer
    renderer = layer.renderer()
    assert renderer.type() == "RuleRenderer"
    rules = renderer.rootRule().children()
    assert len(rules) == len(exp["classes"]) + 1
    assert [r.label() for r in rules] == [c["label"] for c in exp["classes"]] + [
        exp["nodata"]["label"]
    ]
    assert [r.symbol().color().name() for r in rules] == [
        qcolor(c["color"]) for c in exp["classes"]
    ] + [qcolor(exp["nodata"]["color"])]
    assert [r.isElse() for r in rules] == [False] * len(exp["classes"]) + [True]
    for rule in rules[:-1]:
        assert f'"{exp["field"]}"' in rule.filterExpression()


@pytest.mark.parametrize("name", LAYERS + STATUS_LAYERS)
def test_rendered_colours_follow_class_for_value(gpkg, expected, name):
    """What QGIS draws = LayerStyle.class_for_value, feature by feature.

    Categorized and rule-based renderers draw NULL and unmatched values in the no-data
    colour. Graduated renderers draw in-range values in their class colour (values on a
    bound in the class ``closed`` says) and NULL in the no-data colour through the
    sentinel range ("sentinel" mode); NULL ("omit" mode, no no-data class) and values
    outside every range are not drawn (expected colour None). See ``drawn_color`` in
    conftest.py.
    """
    exp = expected["layers"][name]
    layer = styled_layer(gpkg, exp, name)
    assert layer.renderer().type() == exp["renderer"]
    drawn = render(layer, exp["features"])
    want = {
        i: None if f["drawn"] is None else qcolor(f["drawn"]) for i, f in enumerate(exp["features"])
    }
    assert drawn == want, [
        (f["value"], f.get("status"), drawn[i], want[i]) for i, f in enumerate(exp["features"])
    ]
    if name in STATUS_LAYERS:  # the status classes are really drawn, in their own colours
        statuses = [f["status"] for f in exp["features"]]
        assert {"no data", "not covered"} <= set(statuses)
        assert {want[i] for i, st in enumerate(statuses) if st == "not covered"} == {"#66a61e"}
        assert {want[i] for i, st in enumerate(statuses) if st == "no data"} == {"#e7298a"}


def test_expected_colours_cover_nodata_and_bounds(expected):
    """The drawn-colour check above really covers NULL and on-bound values per mode."""
    layers = expected["layers"]

    def null_colors(name):
        return [f["drawn"] for f in layers[name]["features"] if f["value"] is None]

    nodata = layers["share_nodata"]["nodata"]["color"]
    for name in ("share_nodata", "share_left_nodata", "share_points", "share_rules"):
        assert null_colors(name) == [nodata], name  # drawn grey, never as 0 or a class
    for name in ("share_graduated", "share_omit"):
        assert null_colors(name) == [None], name  # QGIS's graduated renderer skips NULL
    for name in ("share_nodata", "share_left_nodata"):
        exp = layers[name]
        bounds = {c["lower"] for c in exp["classes"]} | {c["upper"] for c in exp["classes"]}
        on_bound = [f for f in exp["features"] if f["value"] in bounds]
        assert len(on_bound) == len(bounds), name
        assert all(f["drawn"] == f["color"] is not None for f in on_bound), name
        # right-closed: 0.1 is in the first class; left-closed: in the second
        at_01 = next(f for f in exp["features"] if f["value"] == 0.1)
        k = 0 if exp["closed"] == "right" else 1
        assert at_01["drawn"] == exp["classes"][k]["color"], name


def test_layer_styles_row_is_what_qgis_lists(gpkg, expected):
    layer = open_layer(gpkg, "dep_class")
    # styles of this layer come first (``count`` of them), then the file's other styles
    count, ids, names, _descriptions, _ = layer.listStylesInDatabase()
    assert count == 1
    assert names[:count] == ["dep_class"]
    # QGIS 3.22.16 repeats the "other" styles once per extra row (7 rows -> 37 names);
    # the table itself holds exactly one row per styled layer (tests/test_geopackage.py)
    assert set(names) == set(LAYERS + STATUS_LAYERS)
    qml = layer.getStyleFromDatabase(ids[0])
    if isinstance(qml, tuple):  # PyQt returns (qml, error message)
        qml = qml[0]
    assert qml == expected["layers"]["dep_class"]["gpkg_qml"]
