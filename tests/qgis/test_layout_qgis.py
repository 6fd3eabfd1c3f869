"""Print layouts of the demo products, exported by real QGIS 3.22 (geotrade_qgis.layout).

The demo GeoPackages are written once by the engine (``geotrade demo``) in a subprocess;
the layouts are exported to PDF/PNG/SVG and checked: titles from the metadata, the map CRS
of the product, class counts in the legend, scale bar/north arrow/inset only where they are
meaningful, page size and orientation, one page per year, non-blank output.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, engine_python
from qgis.core import (
    NULL,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QImage

sys.path.insert(0, str(REPO / "qgis_plugin"))

from geotrade_qgis import layout as L


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout_demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(engine_python()), "-m", "geotrade", "demo", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"geotrade demo failed: {proc.stderr[-3000:]}", pytrace=False)
    return out


def metadata(gpkg) -> dict:
    con = sqlite3.connect(str(gpkg))
    try:
        (text,) = con.execute("SELECT metadata FROM gpkg_metadata ORDER BY id DESC").fetchone()
    finally:
        con.close()
    return json.loads(text)


def styled(gpkg, table) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    assert layer.isValid()
    assert layer.loadDefaultStyle()[1]
    return layer


def items(layout, cls, page) -> list:
    pages = layout.pageCollection()
    return [
        i
        for i in layout.items()
        if isinstance(i, cls) and pages.pageNumberForPoint(i.pos()) == page
    ]


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    (line,) = [x for x in out.stdout.splitlines() if x.startswith("Pages:")]
    return int(line.split()[1])


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def ink(path) -> float:
    """Share of sampled pixels that are not white (a blank page gives 0)."""
    img = QImage(str(path))
    assert not img.isNull()
    n = dark = 0
    for x in range(0, img.width(), 5):
        for y in range(0, img.height(), 5):
            n += 1
            dark += QColor(img.pixel(x, y)).lightness() < 245
    return dark / n


@pytest.fixture(scope="module")
def world(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("world")
    gpkg = demo / "li_ion_interdependence.gpkg"
    layer = styled(gpkg, "dependence_2022")
    layers = L.page_layers(layer)
    res = L.export_layout(
        layers, pdf=str(out / "w.pdf"), png=str(out / "w.png"), dpi=60, project=QgsProject()
    )
    return gpkg, layers, res


@pytest.fixture(scope="module")
def china(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("china")
    gpkg = demo / "recycling_mismatch.gpkg"
    layers = L.page_layers(styled(gpkg, "province_capacity_ratio_2030"))
    res = L.export_layout(
        layers,
        pdf=str(out / "c.pdf"),
        png=str(out / "c.png"),
        svg=str(out / "c.svg"),
        dpi=60,
        page_size="A3",
        orientation="portrait",
        project=QgsProject(),
    )
    return gpkg, layers, res


def test_engine_records_the_map_crs(demo):
    assert metadata(demo / "li_ion_interdependence.gpkg")["map_crs"] == "EPSG:8857"
    albers = metadata(demo / "recycling_mismatch.gpkg")["map_crs"]
    assert albers.startswith("+proj=aea")
    assert "+lat_1=25 +lat_2=47" in albers


def test_world_layout_titles_come_from_metadata(world):
    gpkg, layers, res = world
    meta = metadata(gpkg)
    assert [lyr.name() for lyr in layers] == [
        "dependence_2012",
        "dependence_2017",
        "dependence_2022",
    ]
    # the English title, then the Chinese one on its own line (both from the metadata)
    assert meta["title_zh"]
    assert res["titles"] == [f"{meta['title']}\n{meta['title_zh']}"] * 3
    t = meta["layer_titles"]["dependence_2022"]
    assert res["subtitles"][2] == f"{t['title_en']} / {t['title_zh']}, 2022"
    text = pdf_text(res["pdf"])
    # pdftotext splits runs of digits off; check the title's words in order
    words = [w for w in meta["title"].split() if not any(c.isdigit() for c in w)]
    pos = 0
    for word in words:
        pos = text.index(word, pos) + len(word)
    assert "dependence_2022" not in text  # never the layer name
    assert "Source: geotrade" not in text
    assert "geotrade demo, calibrated to seed" in text  # provenance source
    assert "Natural Earth" in text  # boundaries
    assert "合成数据" in text  # the metadata's synthetic note


def test_world_layout_has_no_scale_bar_or_north_arrow(world):
    _gpkg, _layers, res = world
    assert res["scalebar"] == [False] * 3
    assert res["north"] == [False] * 3
    assert res["inset"] == [False] * 3
    layout = res["layout"]
    assert not [i for i in layout.items() if isinstance(i, QgsLayoutItemScaleBar)]
    assert not [i for i in layout.items() if isinstance(i, QgsLayoutItemPicture)]
    (map_item,) = items(layout, QgsLayoutItemMap, 0)
    assert map_item.crs().authid() == "EPSG:8857"


def test_world_layout_one_page_per_year_a4_landscape(world):
    _gpkg, _layers, res = world
    assert res["pages"] == 3
    assert pdf_pages(res["pdf"]) == 3
    assert len(res["png"]) == 3
    for png in res["png"]:
        img = QImage(png)
        assert abs(img.width() / img.height() - 297 / 210) < 0.01
        assert ink(png) > 0.15  # the map fills the page


def test_legend_counts_every_feature(world, china):
    for _gpkg, layers, res in (world, china):
        layout = res["layout"]
        for page, layer in enumerate(layers):
            (legend,) = items(layout, QgsLayoutItemLegend, page)
            (node,) = legend.model().rootGroup().findLayers()
            labels = [n.data(Qt.DisplayRole) for n in legend.model().layerLegendNodes(node)]
            total = 0
            for label in labels:
                assert "(n = " in label, label
                total += int(label.rsplit("(n = ", 1)[1].rstrip(")"))
            assert total == layer.featureCount()  # each feature in exactly one class


def test_class_counts_match_a_hand_count(demo):
    layer = styled(demo / "recycling_mismatch.gpkg", "province_capacity_ratio_2030")
    counts = L.class_counts(layer)
    ranges = layer.renderer().ranges()
    feats = list(layer.getFeatures())
    ratios = [None if f["ratio"] == NULL else f["ratio"] for f in feats]
    status = [f["status"] for f in feats]
    # no-data class: provinces of the data without a ratio (no capacity); the units outside
    # the statistics (Taiwan, Hong Kong, Macao) are the "not covered" class
    nulls = sum(1 for r, s in zip(ratios, status, strict=True) if r is None and s == "data")
    assert nulls > 0
    keys = layer.renderer().legendSymbolItems()
    by_label = {k.label(): counts.get(k.ruleKey(), 0) for k in keys}
    nodata = [r.label() for r in ranges if r.lowerValue() == r.upperValue() == -1.0]
    assert by_label[nodata[0]] == nulls
    outside = [r.label() for r in ranges if r.label().startswith("Not covered")]
    assert by_label[outside[0]] == status.count("not covered") == 3
    first = ranges[0]
    assert by_label[first.label()] == sum(
        1 for r in ratios if r is not None and first.lowerValue() <= r <= first.upperValue()
    )


def test_china_layout_has_scale_bar_north_arrow_and_inset(china):
    _gpkg, layers, res = china
    assert [lyr.name() for lyr in layers] == [
        "province_capacity_ratio_2025",
        "province_capacity_ratio_2030",
    ]
    assert res["scalebar"] == [True, True]
    assert res["north"] == [True, True]
    assert res["inset"] == [True, True]
    layout = res["layout"]
    for page in (0, 1):
        maps = items(layout, QgsLayoutItemMap, page)
        assert len(maps) == 2
        main, inset = sorted(maps, key=lambda m: -m.rect().width())
        assert "+proj=aea" in main.crs().toProj()
        assert "+lat_1=25" in main.crs().toProj()
        # the inset shows the South China Sea: its extent reaches 2-25°N, 105-125°E
        assert inset.extent().yMinimum() < main.extent().yMinimum()
        assert inset.rect().width() < 0.3 * main.rect().width()
        (bar,) = items(layout, QgsLayoutItemScaleBar, page)
        assert bar.linkedMap() is main
        (arrow,) = items(layout, QgsLayoutItemPicture, page)
        assert arrow.northMode() == QgsLayoutItemPicture.TrueNorth
        # the standard map's boundary line is drawn above the data, in both map items
        for m in (main, inset):
            names = [lyr.name() for lyr in m.layers()]
            assert names[0] == "china_boundary_line", names
            assert layers[page].name() in names
        assert "south_china_sea" in [lyr.name() for lyr in inset.layers()]


def test_china_layout_a3_portrait_pdf_png_svg(china):
    _gpkg, _layers, res = china
    assert pdf_pages(res["pdf"]) == 2
    assert "南海诸岛" in pdf_text(res["pdf"])
    assert "Albers" in pdf_text(res["pdf"])
    assert len(res["png"]) == 2
    assert len(res["svg"]) == 2
    for png in res["png"]:
        img = QImage(png)
        assert abs(img.width() / img.height() - 297 / 420) < 0.01
        assert ink(png) > 0.08
    for svg in res["svg"]:
        assert Path(svg).read_text(encoding="utf-8")[:2000].lstrip().startswith("<?xml")


def test_pdf_is_not_blank(world, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) not found", pytrace=False)
    _gpkg, _layers, res = world
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", res["pdf"], str(tmp_path / "p")],
        check=True,
    )
    (page,) = tmp_path.glob("p*.png")
    assert ink(page) > 0.15


def test_map_crs_override_and_single_year(demo, tmp_path):
    layer = styled(demo / "li_ion_interdependence.gpkg", "dependence_2017")
    res = L.export_layout(
        L.page_layers(layer, all_years=False),
        png=str(tmp_path / "m.png"),
        dpi=40,
        map_crs="EPSG:3857",
        orientation="portrait",
        project=QgsProject(),
    )
    assert res["pages"] == 1
    (map_item,) = items(res["layout"], QgsLayoutItemMap, 0)
    assert map_item.crs().authid() == "EPSG:3857"
    img = QImage(res["png"][0])
    assert img.height() > img.width()
    with pytest.raises(ValueError, match="page size"):
        L.export_layout([layer], png=str(tmp_path / "x.png"), page_size="Letter")
