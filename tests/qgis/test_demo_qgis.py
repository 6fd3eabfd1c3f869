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
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsVectorLayer,
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
