"""Editable QGIS projects (.qgz) opened by real QGIS 3.22.

* ``geotrade demo --qgz``: the engine writes the project XML itself (no QGIS); QGIS must
  read it with every layer valid and styled as stored in the GeoPackage, the groups and
  order as written, and the product's map CRS as the project CRS;
* the plugin's ``PROJECT_OUTPUT``: the same project built by QGIS, with the print layout.

Both are rendered to PNG (``$GEOTRADE_QGIS_PNG_DIR`` keeps them for a look).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, engine_python
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayoutExporter,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage

sys.path.insert(0, str(REPO / "qgis_plugin"))

ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs"
PROVINCES = REPO / "geotrade" / "data" / "demo" / "synthetic_recycling_provinces.csv"


def png_dir(tmp_path: Path) -> Path:
    keep = os.environ.get("GEOTRADE_QGIS_PNG_DIR")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def demo_qgz(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo_qgz")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(engine_python()), "-m", "geotrade.cli", "--json", "demo", "--out", str(out),
         "--qgz"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(f"geotrade demo --qgz failed (rc {proc.returncode}):\n{proc.stdout[-3000:]}")
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["type"] == "result"
    return out


def stored(gpkg: Path, table: str) -> ET.Element:
    con = sqlite3.connect(gpkg)
    (qml,) = con.execute(
        "SELECT styleQML FROM layer_styles WHERE f_table_schema = '' AND f_table_name = ?"
        " ORDER BY useAsDefault DESC LIMIT 1",
        (table,),
    ).fetchone()
    con.close()
    return ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")


def feature_tables(gpkg: Path) -> list[str]:
    con = sqlite3.connect(gpkg)
    rows = con.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid"
    ).fetchall()
    con.close()
    return [r[0] for r in rows]


def render(project: QgsProject, path: Path) -> QImage:
    """Draw the project's checked layers in the project CRS on the layers' extent."""
    layers = [n.layer() for n in project.layerTreeRoot().findLayers() if n.isVisible()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setTransformContext(project.transformContext())
    settings.setOutputSize(QSize(900, 600))
    settings.setBackgroundColor(QColor("white"))
    settings.setExtent(settings.fullExtent())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    assert image.save(str(path))
    return image


def colours(image: QImage) -> set[str]:
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 5)
        for y in range(0, image.height(), 5)
    }


@pytest.mark.parametrize(
    ("name", "crs", "renderer"),
    [
        ("li_ion_interdependence", "EPSG:8857", "categorizedSymbol"),
        ("recycling_mismatch", ALBERS, "graduatedSymbol"),
    ],
)
def test_engine_project_opens_styled_in_the_map_crs(demo_qgz, tmp_path, name, crs, renderer):
    gpkg = demo_qgz / f"{name}.gpkg"
    meta = sqlite3.connect(gpkg).execute("SELECT metadata FROM gpkg_metadata").fetchone()[0]
    meta = json.loads(meta)
    project = QgsProject()
    assert project.read(str(demo_qgz / f"{name}.qgz"))
    # project CRS = the product's map_crs
    assert meta["map_crs"] == crs
    want = (
        QgsCoordinateReferenceSystem(crs)
        if crs.startswith("EPSG")
        else (QgsCoordinateReferenceSystem.fromProj(crs))
    )
    assert project.crs().isValid()
    assert project.crs() == want, project.crs().toProj()
    # one group, the product's title; every feature table of the GeoPackage in it
    (group,) = project.layerTreeRoot().children()
    assert group.name() == f"{meta['title']} / {meta['title_zh']}"
    nodes = group.findLayers()
    tables = feature_tables(gpkg)
    assert sorted(n.name() for n in nodes) == sorted(tables)
    kinds = [n.layer().geometryType() for n in nodes]
    assert kinds == sorted(kinds, reverse=True) or all(k == kinds[0] for k in kinds)
    for node in nodes:
        layer = node.layer()
        assert layer.isValid(), node.name()
        assert Path(layer.source().split("|")[0]).resolve() == gpkg.resolve()
        want_r = stored(gpkg, node.name())
        got = layer.renderer()
        assert got.type() == want_r.get("type")
        if got.type() in ("categorizedSymbol", "graduatedSymbol"):
            assert got.classAttribute() == want_r.get("attr")
            key = "categories" if got.type() == "categorizedSymbol" else "ranges"
            items = got.categories() if key == "categories" else got.ranges()
            stored_items = list(want_r.find(key))
            assert len(items) == len(stored_items) >= 2
            if key == "ranges":
                for r, s in zip(items, stored_items, strict=True):
                    assert r.lowerValue() == pytest.approx(float(s.get("lower")))
                    assert r.upperValue() == pytest.approx(float(s.get("upper")))
                    assert r.label() == s.get("label")
            else:
                assert [c.label() for c in items] == [s.get("label") for s in stored_items]
    if renderer == "categorizedSymbol":  # all three years styled alike
        assert {n.layer().renderer().type() for n in nodes} == {renderer}
    # the first data layer is checked, the other years/products are not
    data = [t for t in tables if t.startswith(("dependence_", "province_", "prefecture_"))]
    checked = [n.name() for n in nodes if n.isVisible() and n.name() in data]
    assert checked == data[:1]
    image = render(project, png_dir(tmp_path) / f"project_{name}.png")
    assert len(colours(image)) >= 5  # several classes drawn, not a blank or single symbol


def test_relative_paths_survive_a_move(demo_qgz, tmp_path):
    moved = tmp_path / "moved"
    moved.mkdir()
    for f in ("recycling_mismatch.gpkg", "recycling_mismatch.qgz"):
        (moved / f).write_bytes((demo_qgz / f).read_bytes())
    project = QgsProject()
    assert project.read(str(moved / "recycling_mismatch.qgz"))
    for layer in project.mapLayers().values():
        assert layer.isValid()
        assert Path(layer.source().split("|")[0]).parent == moved


@pytest.fixture(scope="module")
def provider(qgis_processing):
    import geotrade_qgis
    from geotrade_qgis.engine import SETTING_ENGINE
    from processing.core.ProcessingConfig import ProcessingConfig
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    plugin = None
    if registry.providerById("geotrade") is None:
        plugin = geotrade_qgis.classFactory(None)
        plugin.initProcessing()
    ProcessingConfig.setSettingValue(SETTING_ENGINE, str(engine_python()))
    yield registry.providerById("geotrade")
    ProcessingConfig.setSettingValue(SETTING_ENGINE, "")
    if plugin is not None:
        plugin.unload()


def test_map_algorithm_saves_a_project_with_the_layout(provider, tmp_path):
    import processing

    qgz = tmp_path / "capacity.qgz"
    context = QgsProcessingContext()
    context.setProject(QgsProject())
    results = processing.run(
        "geotrade:province_capacity_ratio",
        {"INPUT": str(PROVINCES), "YEARS": "2025,2030",
         "OUTPUT_GPKG": str(tmp_path / "p.gpkg"), "PROJECT_OUTPUT": str(qgz)},
        context=context, feedback=QgsProcessingFeedback(),
    )  # fmt: skip
    assert results["PROJECT_OUTPUT"] == str(qgz)
    project = QgsProject()
    assert project.read(str(qgz))
    assert project.crs() == QgsCoordinateReferenceSystem.fromProj(ALBERS)
    names = [n.name() for n in project.layerTreeRoot().findLayers()]
    assert sorted(names) == sorted(feature_tables(tmp_path / "p.gpkg"))
    for layer in project.mapLayers().values():
        assert layer.isValid()
        assert layer.renderer().type() == stored(tmp_path / "p.gpkg", layer.name()).get("type")
    (layout,) = project.layoutManager().printLayouts()
    assert layout.pageCollection().pageCount() == 2  # one page per year
    maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
    assert maps
    project_layers = set(project.mapLayers().values())
    for item in maps:  # the saved map items draw the project's own layers
        assert item.layers()
        assert set(item.layers()) <= project_layers
        assert item.crs() == project.crs()
    legends = [i for i in layout.items() if isinstance(i, QgsLayoutItemLegend)]
    assert legends
    png = png_dir(tmp_path) / "project_layout.png"
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 60
    assert QgsLayoutExporter(layout).exportToImage(str(png), settings) == QgsLayoutExporter.Success
    image = QImage(str(png))
    assert image.width() > image.height()  # A4 landscape
    assert len(colours(image)) >= 5


def test_print_layout_algorithm_saves_a_project(provider, tmp_path):
    import processing

    gpkg = tmp_path / "p.gpkg"
    context = QgsProcessingContext()
    context.setProject(QgsProject())
    processing.run(
        "geotrade:province_capacity_ratio",
        {"INPUT": str(PROVINCES), "YEARS": "2025,2030", "OUTPUT_GPKG": str(gpkg)},
        context=context, feedback=QgsProcessingFeedback(),
    )  # fmt: skip
    qgz = tmp_path / "layout.qgz"
    res = processing.run(
        "geotrade:print_layout",
        {"INPUT": f"{gpkg}|layername=province_capacity_ratio_2030", "ALL_YEARS": False,
         "PROJECT_OUTPUT": str(qgz)},
        context=context, feedback=QgsProcessingFeedback(),
    )  # fmt: skip
    assert res["PROJECT_OUTPUT"] == str(qgz)
    project = QgsProject()
    assert project.read(str(qgz))
    (layout,) = project.layoutManager().printLayouts()
    assert layout.pageCollection().pageCount() == 1
    visible = [n.name() for n in project.layerTreeRoot().findLayers() if n.isVisible()]
    assert visible == ["province_capacity_ratio_2030"]  # the page's layer, not the 2025 one
    maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
    assert "province_capacity_ratio_2030" in {lyr.name() for m in maps for lyr in m.layers()}
