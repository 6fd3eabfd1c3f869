"""The demo GeoPackages opened in real QGIS 3.22: each layer gets its embedded style.

The engine runs ``geotrade --json demo`` in a subprocess with its own interpreter (see
conftest.py for why); this process only opens the files with QGIS.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import REPO, engine_python
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPointXY,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

DEMO_LAYERS = {
    "li_ion_interdependence.gpkg": {
        "dependence_2012": "categorizedSymbol",
        "dependence_2017": "categorizedSymbol",
        "dependence_2022": "categorizedSymbol",
    },
    "recycling_mismatch.gpkg": {
        "province_capacity_ratio_2025": "graduatedSymbol",
        "province_capacity_ratio_2030": "graduatedSymbol",
        "prefecture_matching_2025": "graduatedSymbol",
    },
}
CASES = [(g, lyr, t) for g, layers in DEMO_LAYERS.items() for lyr, t in layers.items()]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(engine_python()), "-m", "geotrade.cli", "--json", "demo", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"geotrade demo failed (rc {proc.returncode}):\n{proc.stdout[-3000:]}")
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["type"] == "result"
    return out


def stored_qml(path, layer: str) -> ET.Element:
    con = sqlite3.connect(path)
    (qml,) = con.execute(
        "SELECT styleQML FROM layer_styles WHERE f_table_schema = '' AND f_table_name = ? "
        "AND useAsDefault",
        (layer,),
    ).fetchone()
    con.close()
    return ET.fromstring(qml.split("\n", 1)[1])


@pytest.mark.parametrize(("gpkg", "layer", "renderer_type"), CASES)
def test_demo_layer_opens_with_its_embedded_style(demo_dir, gpkg, layer, renderer_type):
    path = demo_dir / gpkg
    vl = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    assert vl.isValid()
    assert vl.featureCount() > 30
    message, ok = vl.loadDefaultStyle()
    assert ok, message
    renderer = vl.renderer()
    assert renderer.type() == renderer_type  # not singleSymbol
    root = stored_qml(path, layer).find("renderer-v2")
    assert renderer.classAttribute() == root.get("attr")
    if renderer_type == "categorizedSymbol":
        items = renderer.categories()
        stored = root.find("categories").findall("category")
        assert [c.value() or "" for c in items] == [c.get("value") for c in stored]
    else:
        items = renderer.ranges()
        stored = root.find("ranges").findall("range")
        assert [(r.lowerValue(), r.upperValue()) for r in items] == [
            (float(r.get("lower")), float(r.get("upper"))) for r in stored
        ]
    assert len(items) >= 5
    assert [i.label() for i in items] == [s.get("label") for s in stored]
    # every class has its own fill colour (no two classes look alike)
    colors = [i.symbol().color().name() for i in items]
    assert len(set(colors)) == len(colors)


@pytest.mark.parametrize(("gpkg", "layer", "renderer_type"), CASES)
def test_demo_layer_renders_in_several_colours(demo_dir, gpkg, layer, renderer_type):
    """Draw the styled layer offscreen: a classed map, not one flat colour."""
    vl = QgsVectorLayer(f"{demo_dir / gpkg}|layername={layer}", layer, "ogr")
    vl.loadDefaultStyle()
    settings = QgsMapSettings()
    settings.setLayers([vl])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(vl.extent())
    settings.setOutputSize(QSize(400, 300))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    seen = {QColor(img.pixel(x, y)).name() for x in range(0, 400, 4) for y in range(0, 300, 4)}
    assert len(seen) >= 4, seen


@pytest.mark.parametrize(
    ("qml", "gpkg", "layer", "renderer_type"),
    [
        (
            "dependence_typology",
            "li_ion_interdependence.gpkg",
            "dependence_2022",
            "categorizedSymbol",
        ),
        (
            "capacity_ratio",
            "recycling_mismatch.gpkg",
            "province_capacity_ratio_2030",
            "graduatedSymbol",
        ),
        (
            "matching_degree",
            "recycling_mismatch.gpkg",
            "prefecture_matching_2025",
            "graduatedSymbol",
        ),
    ],
)
def test_canonical_style_files_load_in_qgis(demo_dir, qml, gpkg, layer, renderer_type):
    vl = QgsVectorLayer(f"{demo_dir / gpkg}|layername={layer}", layer, "ogr")
    message, ok = vl.loadNamedStyle(str(REPO / "styles" / f"{qml}.qml"), True)
    assert ok, message
    assert vl.renderer().type() == renderer_type
    n = len(
        vl.renderer().categories()
        if renderer_type == "categorizedSymbol"
        else vl.renderer().ranges()
    )
    assert n >= 5


# --------------------------------------------------------------------------- base geography

COMPLETE = {
    # layer: (features, key field, a "not covered" unit of the layer)
    "province_capacity_ratio_2025": (34, "adcode", "710000"),
    "province_capacity_ratio_2030": (34, "adcode", "710000"),
    "prefecture_matching_2025": (370, "adcode", "710000"),
    "dependence_2022": (239, "iso_a3", "GRL"),
}


def _gpkg_of(layer: str) -> str:
    return (
        "li_ion_interdependence.gpkg"
        if layer.startswith("dependence")
        else ("recycling_mismatch.gpkg")
    )


def _not_covered_symbol(renderer):
    """The renderer's symbol of the "Not covered" class (categorized or graduated)."""
    items = renderer.categories() if renderer.type() == "categorizedSymbol" else renderer.ranges()
    (item,) = [i for i in items if i.label().startswith("Not covered by the data")]
    # clone: the items (and their symbols) are copies owned by this list
    return item.symbol().clone(), [i.symbol().color().name() for i in items if i is not item]


@pytest.mark.parametrize("layer", list(COMPLETE))
def test_every_unit_is_a_feature_with_a_status(demo_dir, layer):
    n, key, outside = COMPLETE[layer]
    vl = QgsVectorLayer(f"{demo_dir / _gpkg_of(layer)}|layername={layer}", layer, "ogr")
    assert vl.isValid()
    assert vl.featureCount() == n
    status = {f[key]: f["status"] for f in vl.getFeatures()}
    assert status[outside] == "not covered"
    assert set(status.values()) <= {"data", "no data", "not covered"}
    if layer.startswith("province"):
        assert {k for k, v in status.items() if v == "not covered"} == {
            "710000", "810000", "820000"
        }  # fmt: skip


@pytest.mark.parametrize("layer", list(COMPLETE))
def test_not_covered_renders_hatched_in_its_own_colours(demo_dir, layer):
    """Draw the styled layer around a not-covered unit: only its fill and hatch colours."""
    _, key, outside = COMPLETE[layer]
    vl = QgsVectorLayer(f"{demo_dir / _gpkg_of(layer)}|layername={layer}", layer, "ogr")
    message, ok = vl.loadDefaultStyle()
    assert ok, message
    symbol, data_colors = _not_covered_symbol(vl.renderer())
    assert symbol.symbolLayerCount() == 2
    assert symbol.symbolLayer(1).layerType() == "LinePatternFill"
    fill = symbol.symbolLayer(0).color().name()
    hatch = symbol.symbolLayer(1).subSymbol().color().name()
    assert fill != hatch
    assert fill not in data_colors
    assert hatch not in data_colors
    (feat,) = list(vl.getFeatures(QgsFeatureRequest(QgsExpression(f"\"{key}\" = '{outside}'"))))
    geom = feat.geometry()
    settings = QgsMapSettings()
    settings.setLayers([vl])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(geom.boundingBox())
    settings.setOutputSize(QSize(300, 300))
    settings.setBackgroundColor(QColor(255, 0, 255))
    settings.setFlag(QgsMapSettings.Antialiasing, False)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    to_map = settings.mapToPixel()
    inside: dict[str, int] = {}
    for x in range(0, 300, 3):
        for y in range(0, 300, 3):
            pt = to_map.toMapCoordinates(x, y)
            # well inside the unit: away from its outline (drawn in the outline colour)
            probe = QgsGeometry.fromPointXY(QgsPointXY(pt.x(), pt.y())).buffer(
                geom.boundingBox().width() / 60, 4
            )
            if geom.contains(probe):
                c = QColor(img.pixel(x, y)).name()
                inside[c] = inside.get(c, 0) + 1
    assert sum(inside.values()) > 50, inside
    # nothing else is drawn inside: every pixel is the fill, the hatch or a blend of the two
    # (QGIS renders the line pattern antialiased into its texture)
    f_rgb, h_rgb = QColor(fill).getRgb()[:3], QColor(hatch).getRgb()[:3]
    share = {c: _blend_share(QColor(c).getRgb()[:3], f_rgb, h_rgb) for c in inside}
    assert all(t is not None for t in share.values()), (inside, share)
    assert inside.get(fill, 0) > 0, inside
    # hatched, not a flat fill: line pixels at least 40 % of the way to the hatch colour
    assert sum(n for c, n in inside.items() if share[c] >= 0.4) > 20, (inside, share)


def _blend_share(c, a, b, tol=4):
    """t with c = a + t (b - a) per channel (within ``tol``), or None if c is no such blend."""
    ts = [(ci - ai) / (bi - ai) for ci, ai, bi in zip(c, a, b, strict=True) if bi != ai]
    t = sum(ts) / len(ts)
    if not -0.02 <= t <= 1.02:
        return None
    ok = all(abs(ci - (ai + t * (bi - ai))) <= tol for ci, ai, bi in zip(c, a, b, strict=True))
    return t if ok else None


@pytest.mark.parametrize(
    ("layer", "renderer_type", "geometry"),
    [
        ("south_china_sea", "categorizedSymbol", QgsWkbTypes.PolygonGeometry),
        ("china_boundary_line", "categorizedSymbol", QgsWkbTypes.LineGeometry),
    ],
)
def test_companion_layers_open_styled(demo_dir, layer, renderer_type, geometry):
    vl = QgsVectorLayer(f"{demo_dir / 'recycling_mismatch.gpkg'}|layername={layer}", layer, "ogr")
    assert vl.isValid()
    assert vl.featureCount() == 1
    assert vl.geometryType() == geometry
    message, ok = vl.loadDefaultStyle()
    assert ok, message
    assert vl.renderer().type() == renderer_type
    (cat,) = vl.renderer().categories()
    assert cat.label().split(" / ")[-1] in ("南海诸岛", "海上边界线")
    # drawn: the line (or the islands' outlines) shows up in the rendered image
    settings = QgsMapSettings()
    settings.setLayers([vl])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(vl.extent())
    settings.setOutputSize(QSize(300, 300))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    dark = sum(
        QColor(img.pixel(x, y)).lightness() < 160 for x in range(300) for y in range(0, 300, 2)
    )
    assert dark > 20
