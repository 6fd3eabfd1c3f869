"""Every geotrade Processing algorithm run in real QGIS 3.22 with processing.run.

The engine is the normal geotrade install (``$GEOTRADE_ENGINE_PYTHON``, pip wheels) and
runs out of process; outputs are loaded like Processing does and must carry their embedded
style. An engine command that does not exist yet makes its test fail with a clear message
(set GEOTRADE_PLUGIN_ALLOW_MISSING=1 to skip those instead, while the engine is incomplete).
"""

from __future__ import annotations

import csv
import functools
import math
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, engine_python
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor, QImage

sys.path.insert(0, str(REPO / "qgis_plugin"))

DEMO_DATA = REPO / "geotrade" / "data" / "demo"
TRADE = DEMO_DATA / "synthetic_li_ion_trade_2012_2022.csv"
PROVINCES = DEMO_DATA / "synthetic_recycling_provinces.csv"
PREFECTURES = DEMO_DATA / "synthetic_recycling_prefectures.csv"


@functools.cache
def engine_has(*words: str) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(engine_python()), "-m", "geotrade", *words, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return proc.returncode == 0


def require(*words: str) -> None:
    if engine_has(*words):
        return
    msg = f"engine command `geotrade {' '.join(words)}` does not exist (yet)"
    if os.environ.get("GEOTRADE_PLUGIN_ALLOW_MISSING"):
        pytest.skip(msg)
    pytest.fail(msg, pytrace=False)


@pytest.fixture(scope="module")
def provider(qgis_processing):
    """The plugin loaded as QGIS loads it (classFactory + initProcessing), engine configured."""
    import geotrade_qgis
    from geotrade_qgis.engine import SETTING_ENGINE
    from processing.core.ProcessingConfig import ProcessingConfig

    registry = QgsApplication.processingRegistry()
    plugin = None
    if registry.providerById("geotrade") is None:
        plugin = geotrade_qgis.classFactory(None)
        plugin.initProcessing()
        assert plugin.provider is not None
    ProcessingConfig.setSettingValue(SETTING_ENGINE, str(engine_python()))
    yield registry.providerById("geotrade")
    ProcessingConfig.setSettingValue(SETTING_ENGINE, "")
    if plugin is not None:
        plugin.unload()


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors: list[str] = []
        self.infos: list[str] = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)

    def pushInfo(self, info):
        self.infos.append(info)


def run(alg_id: str, params: dict):
    """processing.run with our own context; returns (results, context, feedback)."""
    import processing

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = Feedback()
    results = processing.run(alg_id, params, context=context, feedback=feedback)
    return results, context, feedback


#: Companion layers of every China product (south China Sea islands, boundary line).
COMPANIONS = ("south_china_sea", "china_boundary_line")


def loaded_layers(context) -> dict[str, QgsVectorLayer]:
    """Load what the algorithm registered, as Processing does, and run its post-processor."""
    out = {}
    for uri, details in context.layersToLoadOnCompletion().items():
        layer = QgsProcessingUtils.mapLayerFromString(uri, context)
        assert layer is not None, uri
        assert layer.isValid(), uri
        layer.setName(details.name)
        if layer.isSpatial():  # Processing alone would show a single symbol
            assert layer.renderer().type() == "singleSymbol"
        if details.postProcessor() is not None:
            details.postProcessor().postProcessLayer(layer, context, QgsProcessingFeedback())
        out[details.name] = layer
    return out


def stored_renderer(gpkg, layer: str) -> ET.Element:
    con = sqlite3.connect(str(gpkg))
    (qml,) = con.execute(
        "SELECT styleQML FROM layer_styles WHERE f_table_schema = '' AND f_table_name = ? "
        "ORDER BY useAsDefault DESC LIMIT 1",
        (layer,),
    ).fetchone()
    con.close()
    root = ET.fromstring(qml.split("\n", 1)[1] if qml.startswith("<!DOCTYPE") else qml)
    return root.find("renderer-v2")


def assert_styled(layer: QgsVectorLayer, gpkg) -> None:
    stored = stored_renderer(gpkg, layer.name())
    assert layer.renderer().type() == stored.get("type") != "singleSymbol"
    assert layer.renderer().classAttribute() == stored.get("attr")


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_all_algorithms_are_registered(provider):
    names = sorted(a.name() for a in provider.algorithms())
    assert names == sorted(
        [
            "interdependence",
            "trade_summary",
            "shares",
            "unit_values",
            "province_capacity_ratio",
            "prefecture_matching",
            "mismatch",
            "classify",
            "table_map",
            "model_nb",
            "model_gravity",
            "print_layout",
            "sample_data",
            "demo",
        ]
    )
    for alg in provider.algorithms():
        assert alg.shortHelpString()
        assert alg.group()
        ok, msg = alg.canExecute()
        assert ok, msg


def test_can_execute_explains_a_missing_engine(provider, tmp_path):
    from geotrade_qgis.engine import SETTING_ENGINE
    from processing.core.ProcessingConfig import ProcessingConfig

    alg = provider.algorithm("interdependence")
    bogus = tmp_path / "nowhere-geotrade"
    bogus.write_text("not a program")  # exists (the settings page checks that) but not runnable
    ProcessingConfig.setSettingValue(SETTING_ENGINE, str(bogus))
    try:
        ok, msg = alg.canExecute()
    finally:
        ProcessingConfig.setSettingValue(SETTING_ENGINE, str(engine_python()))
    assert not ok
    assert "pip install geotrade" in msg
    assert "nowhere" in msg
    # the pure-QGIS layout export does not need the engine
    assert provider.algorithm("print_layout").canExecute()[0]


def polygon_layer(values, name="values") -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", name, "memory")
    dp = layer.dataProvider()
    dp.addAttributes([QgsField("code", QVariant.String), QgsField("v", QVariant.Double)])
    layer.updateFields()
    feats = []
    for i, v in enumerate(values):
        f = QgsFeature(layer.fields())
        f.setAttributes([f"c{i}", v])
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(i, 0, i + 0.8, 0.8)))
        feats.append(f)
    dp.addFeatures(feats)
    layer.updateExtents()
    return layer


def test_classify_memory_layer_exact_breaks(provider, tmp_path):
    require("classify")
    # four well-separated groups: the optimal 4-class partition is the groups themselves,
    # so the exact natural breaks (class upper bounds) are the group maxima (by hand)
    values = [1, 2, 3, 10, 11, 12, 30, 31, 32, 100, 101, 102]
    layer = polygon_layer(values)
    out = tmp_path / "classified.gpkg"
    qml = tmp_path / "classified.qml"
    results, context, fb = run(
        "geotrade:classify",
        {
            "INPUT": layer,
            "FIELD": "v",
            "K": 4,
            "SCHEME": 1,  # 1 = fisher_jenks
            "OUTPUT": str(out),
            "OUTPUT_QML": str(qml),
        },
    )
    assert results["OUTPUT"] == str(out)
    assert out.exists()
    assert results["OUTPUT_QML"] == str(qml)
    assert qml.exists()
    assert [float(b) for b in results["BINS"].split(",")] == [3.0, 12.0, 32.0, 102.0]
    (styled,) = loaded_layers(context).values()
    assert styled.featureCount() == len(values)
    assert_styled(styled, out)
    uppers = [r.upperValue() for r in styled.renderer().ranges()]
    assert uppers[-4:] == [3.0, 12.0, 32.0, 102.0] or uppers[:4] == [3.0, 12.0, 32.0, 102.0]
    assert any("geotrade engine:" in i for i in fb.infos)


def test_classify_engine_error_is_shown_verbatim(provider, tmp_path):
    """A field the engine cannot find: its error message reaches QGIS unchanged."""
    require("classify")
    import json

    from qgis.core import QgsProcessingException, QgsVectorFileWriter

    src = tmp_path / "values.gpkg"
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV3(
        polygon_layer([1.0, 2.0, 3.0]), str(src), QgsProject.instance().transformContext(), opts
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    direct = subprocess.run(
        [
            str(engine_python()),
            "-m",
            "geotrade",
            "--json",
            "classify",
            str(src),
            "--field",
            "no_such_field",
            "--k",
            "4",
            "--out",
            str(tmp_path / "direct.gpkg"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert direct.returncode in (3, 4, 5, 7)
    expected = json.loads(direct.stdout.strip().splitlines()[-1])["message"]
    assert "no_such_field" in expected
    alg = provider.algorithm("classify").create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    with pytest.raises(QgsProcessingException) as err:
        # processAlgorithm directly: the dialog would not offer a field that does not exist
        alg.processAlgorithm(
            {
                "INPUT": str(src),
                "FIELD": "no_such_field",
                "K": 4,
                "SCHEME": 0,
                "PALETTE": "",
                "OUTPUT": str(tmp_path / "o.gpkg"),
                "OUTPUT_QML": None,
            },
            context,
            Feedback(),
        )
    assert str(err.value) == expected
    assert not (tmp_path / "o.gpkg").exists()


@pytest.fixture(scope="module")
def demo_project(provider, tmp_path_factory):
    """geotrade:demo through processing.runAndLoadResults: layers land in the project."""
    import processing

    out = tmp_path_factory.mktemp("demo")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results = processing.runAndLoadResults(
        "geotrade:demo", {"OUTPUT": str(out)}, feedback=Feedback(), context=context
    )
    return out, results


def test_demo_loads_styled_layers_into_the_project(demo_project):
    _out, results = demo_project
    names = results["LAYERS"].split(",")
    assert names == [
        "dependence_2012",
        "dependence_2017",
        "dependence_2022",
        "province_capacity_ratio_2025",
        "province_capacity_ratio_2030",
        "prefecture_matching_2025",
        *COMPANIONS,
    ]
    for name in names:
        (layer,) = QgsProject.instance().mapLayersByName(name)
        gpkg = layer.source().split("|")[0]
        assert_styled(layer, gpkg)
        assert layer.featureCount() == 1 if name in COMPANIONS else layer.featureCount() > 30


def image_stats(path) -> tuple[int, float]:
    img = QImage(str(path))
    assert not img.isNull()
    colors, vals = set(), []
    for x in range(0, img.width(), 7):
        for y in range(0, img.height(), 7):
            c = QColor(img.pixel(x, y))
            colors.add(c.name())
            vals.append(c.lightness())
    mean = sum(vals) / len(vals)
    var = sum((v - mean) ** 2 for v in vals) / len(vals)
    return len(colors), var


def test_print_layout_of_a_synthetic_layer(demo_project, tmp_path):
    (layer,) = QgsProject.instance().mapLayersByName("dependence_2022")
    pdf, png = tmp_path / "map.pdf", tmp_path / "map.png"
    results, _, _fb = run(
        "geotrade:print_layout",
        {
            "INPUT": layer,
            "TITLE": "China Li-ion trade dependence 2022",
            "DPI": 60,
            "OUTPUT_PDF": str(pdf),
            "OUTPUT_PNG": str(png),
        },
    )
    assert results["SYNTHETIC"] is True
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000
    n_colors, var = image_stats(png)
    assert n_colors > 8
    assert var > 100
    img = QImage(str(png))
    assert img.width() > img.height()  # A4 landscape


def test_print_layout_of_a_plain_layer_has_no_synthetic_note(provider, tmp_path):
    layer = polygon_layer([1.0, 2.0, 3.0], name="measured")
    png = tmp_path / "plain.png"
    results, _, _ = run(
        "geotrade:print_layout", {"INPUT": layer, "DPI": 50, "OUTPUT_PNG": str(png)}
    )
    assert results["SYNTHETIC"] is False
    assert png.exists()
    assert image_stats(png)[1] > 10


def test_sample_data(provider, tmp_path):
    require("sample-data")
    results, _, _ = run("geotrade:sample_data", {"OUTPUT": str(tmp_path / "s")})
    for key, cols in (
        ("TRADE", {"year", "reporter_iso3", "partner_iso3", "value_usd"}),
        ("PROVINCES", {"province_adcode", "retired_t"}),
        ("PREFECTURES", {"adcode", "retired_t", "outlets"}),
    ):
        rows = read_csv(results[key])
        assert rows
        assert cols <= set(rows[0])


def test_interdependence(provider, tmp_path):
    require("interdependence")
    out = {
        k: str(tmp_path / f"i.{e}")
        for k, e in (("OUTPUT_CSV", "csv"), ("OUTPUT_GPKG", "gpkg"), ("OUTPUT_HTML", "html"))
    }
    results, context, _ = run(
        "geotrade:interdependence",
        {
            "FLOWS": str(TRADE),
            "FOCAL": "CHN",
            "YEARS": "2012,2022",
            "HS": "850760",
            "HIGH": 0.2,
            "LOW": 0.5,
            **out,
        },
    )
    assert results["LAYERS"] == "dependence_2012,dependence_2022"
    rows = read_csv(results["OUTPUT_CSV"])
    assert {"year", "partner_iso3", "exports", "imports", "gl", "index", "dependence_class"} <= set(
        rows[0]
    )
    # Grubel-Lloyd by hand: GL = 1 - |X - M| / (X + M)
    checked = 0
    for r in rows:
        x, m = float(r["exports"] or 0), float(r["imports"] or 0)
        if x + m > 0 and r["gl"] not in ("", "nan"):
            assert math.isclose(float(r["gl"]), 1 - abs(x - m) / (x + m), abs_tol=1e-9)
            checked += 1
    assert checked > 50
    layers = loaded_layers(context)
    assert sorted(layers) == ["dependence_2012", "dependence_2022"]
    for layer in layers.values():
        assert_styled(layer, out["OUTPUT_GPKG"])
        assert layer.renderer().type() == "categorizedSymbol"
    assert os.path.getsize(results["OUTPUT_HTML"]) > 1000


def test_trade_summary(provider, tmp_path):
    require("trade", "summary")
    results, context, _ = run(
        "geotrade:trade_summary",
        {
            "FLOWS": str(TRADE),
            "FOCAL": "CHN",
            "YEARS": "2012,2017,2022",
            "HS": "",
            "TOP": 3,
            "OUTPUT_CSV": str(tmp_path / "s.csv"),
            "OUTPUT_MD": str(tmp_path / "s.md"),
        },
    )
    assert read_csv(results["OUTPUT_CSV"])
    assert "2022" in Path(results["OUTPUT_MD"]).read_text(encoding="utf-8")
    assert list(context.layersToLoadOnCompletion()) == [results["OUTPUT_CSV"]]


def test_trade_summary_partner_share_maps(provider, tmp_path):
    require("trade", "summary")
    results, context, _ = run(
        "geotrade:trade_summary",
        {
            "FLOWS": str(TRADE),
            "FOCAL": "CHN",
            "YEARS": "2012,2022",
            "HS": "",
            "TOP": 3,
            "OUTPUT_CSV": str(tmp_path / "s.csv"),
            "OUTPUT_GPKG": str(tmp_path / "tp.gpkg"),
        },
    )
    layers = loaded_layers(context)
    maps = {n: lyr for n, lyr in layers.items() if lyr.isSpatial()}
    assert sorted(maps) == ["partner_shares_2012", "partner_shares_2022"]
    for layer in maps.values():
        assert_styled(layer, results["OUTPUT_GPKG"])
        assert layer.renderer().type() == "graduatedSymbol"
        assert layer.featureCount() >= 239  # every country, data or not


def test_shares_world_and_partner_basis(provider, tmp_path):
    require("shares")
    results, context, _ = run(
        "geotrade:shares",
        {
            "FLOWS": str(TRADE),
            "BY": "income3",
            "BASIS": 1,  # world
            "FOCAL": "CHN",
            "YEARS": "2017,2022",
            "OUTPUT_CSV": str(tmp_path / "w.csv"),
            "OUTPUT_PNG": str(tmp_path / "w.png"),
        },
    )
    rows = read_csv(results["OUTPUT_CSV"])
    assert {r["year"] for r in rows} == {"2017", "2022"}
    assert any(Path(results["OUTPUT_PNG"]).parent.glob("w*.png"))
    assert list(context.layersToLoadOnCompletion()) == [results["OUTPUT_CSV"]]
    results, _, _ = run(
        "geotrade:shares",
        {
            "FLOWS": str(TRADE),
            "BY": "region",
            "BASIS": 2,  # partner
            "FOCAL": "CHN",
            "YEARS": "2022",
            "OUTPUT_CSV": str(tmp_path / "p.csv"),
        },
    )
    rows = read_csv(results["OUTPUT_CSV"])
    for flow in ("export", "import"):
        total = sum(float(r["share_pct"]) for r in rows if r["flow"] == flow)
        assert abs(total - 100.0) < 1e-6, flow


def test_unit_values_match_the_engine_and_a_hand_computation(provider, tmp_path):
    require("unit-values")
    baci = REPO / "tests" / "data" / "flows" / "BACI_HS17_Y2022_V202401.csv"
    results, context, _ = run(
        "geotrade:unit_values",
        {
            "FLOWS": str(baci),
            "BY": 2,  # importer
            "POOL": True,
            "OUTPUT_CSV": str(tmp_path / "uv.csv"),
        },
    )
    rows = {r["importer"]: r for r in read_csv(results["OUTPUT_CSV"])}
    # USA buys one row from CHN: v = 10140436.891 thousand USD, q = 250000 t
    assert float(rows["USA"]["unit_value_usd_per_kg"]) == pytest.approx(
        10140436.891e3 / 250000e3, rel=1e-9
    )
    assert rows["USA"]["hs_code"] == "all"
    assert list(context.layersToLoadOnCompletion()) == [results["OUTPUT_CSV"]]


def test_province_capacity_ratio(provider, tmp_path):
    require("recycling", "provinces")
    gpkg = tmp_path / "p.gpkg"
    results, context, _ = run(
        "geotrade:province_capacity_ratio",
        {
            "INPUT": str(PROVINCES),
            "YEARS": "2025,2030",
            "OUTPUT_GPKG": str(gpkg),
            "OUTPUT_REPORT": str(tmp_path / "p.md"),
        },
    )
    layers = loaded_layers(context)
    assert sorted(layers) == sorted(
        ["province_capacity_ratio_2025", "province_capacity_ratio_2030", *COMPANIONS]
    )
    for name, layer in layers.items():
        assert_styled(layer, gpkg)
        if name in COMPANIONS:
            continue
        assert layer.renderer().type() == "graduatedSymbol"
        assert layer.featureCount() == 34  # every provincial-level unit, 710000 included
    assert os.path.exists(results["OUTPUT_REPORT"])


def test_map_algorithm_sets_map_crs_on_an_empty_project_and_exports_a_layout(provider, tmp_path):
    require("recycling", "provinces")
    import processing

    project = QgsProject()  # empty: the product's map CRS becomes the project CRS
    context = QgsProcessingContext()
    context.setProject(project)
    pdf = tmp_path / "capacity.pdf"
    results = processing.run(
        "geotrade:province_capacity_ratio",
        {
            "INPUT": str(PROVINCES),
            "YEARS": "2025,2030",
            "OUTPUT_GPKG": str(tmp_path / "p.gpkg"),
            "LAYOUT_OUTPUT": str(pdf),
            "PAGE_SIZE": 1,  # A3
            "ORIENTATION": 1,  # portrait
        },
        context=context,
        feedback=Feedback(),
    )
    assert "+proj=aea" in project.crs().toProj()
    assert "+lat_1=25" in project.crs().toProj()
    assert results["LAYOUT_PAGES"] == 2  # one page per year
    assert results["LAYOUT_FILES"] == str(pdf)
    assert results["OUTPUT_GPKG"] == str(tmp_path / "p.gpkg")  # engine outputs are kept
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert int(fields["Pages"]) == 2
    assert fields["Page size"].strip().endswith("(A3)")
    width, height = (float(v) for v in fields["Page size"].split("pts")[0].split(" x "))
    assert width < height  # portrait


def test_map_crs_parameter_wins(provider, tmp_path):
    require("recycling", "provinces")
    import processing

    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    png = tmp_path / "m.png"
    results = processing.run(
        "geotrade:province_capacity_ratio",
        {
            "INPUT": str(PROVINCES),
            "YEARS": "2030",
            "OUTPUT_GPKG": str(tmp_path / "p.gpkg"),
            "MAP_CRS": "EPSG:3857",
            "LAYOUT_OUTPUT": str(png),
        },
        context=context,
        feedback=Feedback(),
    )
    assert project.crs().authid() == "EPSG:3857"
    assert results["LAYOUT_FILES"] == str(png)
    img = QImage(str(png))
    assert img.width() > img.height()  # landscape by default


def test_print_layout_pages_per_year_svg(demo_project, tmp_path):
    out, _ = demo_project
    svg = tmp_path / "dep.svg"
    results, _, _ = run(
        "geotrade:print_layout",
        {
            "INPUT": f"{out / 'li_ion_interdependence.gpkg'}|layername=dependence_2017",
            "DPI": 40,
            "OUTPUT_SVG": str(svg),
        },
    )
    assert results["PAGES"] == 3
    files = results["FILES"].split(",")
    assert files == [str(svg), str(tmp_path / "dep_2.svg"), str(tmp_path / "dep_3.svg")]
    assert all(os.path.getsize(f) > 10_000 for f in files)
    results, _, _ = run(
        "geotrade:print_layout",
        {
            "INPUT": f"{out / 'li_ion_interdependence.gpkg'}|layername=dependence_2017",
            "DPI": 40,
            "ALL_YEARS": False,
            "OUTPUT_PNG": str(tmp_path / "one.png"),
        },
    )
    assert results["PAGES"] == 1


def test_prefecture_matching(provider, tmp_path):
    require("recycling", "cities")
    gpkg = tmp_path / "c.gpkg"
    _, context, _ = run(
        "geotrade:prefecture_matching",
        {"INPUT": str(PREFECTURES), "YEAR": 2025, "K": 5, "OUTPUT_GPKG": str(gpkg)},
    )
    layers = loaded_layers(context)
    assert sorted(layers) == sorted(["prefecture_matching_2025", *COMPANIONS])
    for layer in layers.values():
        assert_styled(layer, gpkg)
    assert layers["prefecture_matching_2025"].featureCount() == 370


def test_mismatch(provider, tmp_path):
    require("mismatch")
    gpkg = tmp_path / "m.gpkg"
    results, context, _ = run(
        "geotrade:mismatch",
        {
            "INPUT": str(PREFECTURES),
            "DEMAND": "retired_t",
            "SUPPLY": "outlets",
            "LEVEL": 2,
            "YEAR": 2025,
            "PERMUTATIONS": 99,
            "SEED": 1,  # 2 = prefecture
            "OUTPUT_GPKG": str(gpkg),
            "OUTPUT_HTML": str(tmp_path / "m.html"),
        },
    )
    layers = loaded_layers(context)
    assert sorted(layers) == sorted(["mismatch_prefecture", *COMPANIONS])
    for layer in layers.values():
        assert_styled(layer, gpkg)
    assert 0.0 <= results["GINI"] <= 1.0
    assert 0.0 <= results["MORAN_P"] <= 1.0
    assert os.path.getsize(results["OUTPUT_HTML"]) > 500


def test_table_map_of_a_network_node_table(provider, tmp_path):
    require("map")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    nodes = tmp_path / "nodes.csv"
    subprocess.run(
        [str(engine_python()), "-m", "geotrade", "network", str(TRADE), "--years", "2022",
         "--edges", str(tmp_path / "e.csv"), "--nodes", str(nodes)],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    gpkg = tmp_path / "m.gpkg"
    results, context, _ = run(
        "geotrade:table_map",
        {
            "INPUT": str(nodes),
            "FIELD": "strength",
            "LEVEL": 0,  # country
            "SCHEME": 2,  # quantiles (0 = engine default)
            "K": 4,
            "OUTPUT_GPKG": str(gpkg),
            "OUTPUT_PNG": str(tmp_path / "m.png"),
            "PROJECT_OUTPUT": str(tmp_path / "m.qgz"),
        },
    )
    assert results["PROJECT_OUTPUT"] == str(tmp_path / "m.qgz")
    assert (tmp_path / "m.qgz").stat().st_size > 1000
    layers = loaded_layers(context)
    assert list(layers) == ["country_strength"]
    layer = layers["country_strength"]
    assert_styled(layer, gpkg)
    assert layer.renderer().type() == "graduatedSymbol"
    assert layer.featureCount() == 239
    assert len(results["BINS_OUT"].split(",")) == 4
    assert results["UNMATCHED"] == ""
    assert QImage(results["OUTPUT_PNG"]).width() > 500
    strength = {r["iso3"]: float(r["strength"]) for r in read_csv(nodes) if r["year"] == "2022"}
    values = sorted(strength.values())
    top = max(values)
    assert float(results["BINS_OUT"].split(",")[-1]) == pytest.approx(top)


def test_table_map_reports_keys_without_geometry(provider, tmp_path):
    require("map")
    table = tmp_path / "c.csv"
    table.write_text("country,v\nChina,3\n842,-1.5\nWLD,10\nFrnace,2\n", encoding="utf-8")
    results, context, _ = run(
        "geotrade:table_map",
        {"INPUT": str(table), "FIELD": "v", "LEVEL": 0, "K": 2,
         "OUTPUT_GPKG": str(tmp_path / "c.gpkg"), "OUTPUT_CSV": str(tmp_path / "c.csv.out")},
    )  # fmt: skip
    assert results["UNMATCHED"].split(",") == ["Frnace", "WLD"]
    rows = {r["iso_a3"]: r for r in read_csv(results["OUTPUT_CSV"])}
    assert rows["USA"]["v"] == "-1.5"
    assert rows["USA"]["status"] == "data"
    assert rows["FRA"]["status"] == "not covered"
    assert list(loaded_layers(context)) == ["country_v"]


def test_table_map_of_a_project_table_layer(provider, tmp_path):
    """A table layer without geometry (exported to CSV for the engine) maps like a file."""
    require("map")
    table = QgsVectorLayer("None", "scores", "memory")
    table.dataProvider().addAttributes(
        [QgsField("code", QVariant.String), QgsField("score", QVariant.Double)]
    )
    table.updateFields()
    feats = []
    for code, score in (("156", 4.0), ("DEU", 1.0), ("USA", 2.5), ("IND", 0.5)):
        f = QgsFeature(table.fields())
        f.setAttributes([code, score])
        feats.append(f)
    assert table.dataProvider().addFeatures(feats)[0]
    QgsProject.instance().addMapLayer(table)
    try:
        results, _, _ = run(
            "geotrade:table_map",
            {"INPUT": table.id(), "FIELD": "score", "KEY": "code", "LEVEL": 0, "K": 2,
             "OUTPUT_CSV": str(tmp_path / "s.csv"), "OUTPUT_GPKG": str(tmp_path / "s.gpkg")},
        )  # fmt: skip
    finally:
        QgsProject.instance().removeMapLayer(table.id())
    rows = {r["iso_a3"]: r for r in read_csv(results["OUTPUT_CSV"])}
    assert float(rows["CHN"]["score"]) == 4.0
    assert rows["CHN"]["name_input"] == "156"
    # exact natural breaks of 0.5, 1, 2.5, 4 in two classes: {0.5, 1} and {2.5, 4}
    assert results["BINS_OUT"] == "1.0,4.0"


def test_table_map_categorical_provinces(provider, tmp_path):
    require("map")
    from qgis.core import QgsProcessingException

    table = tmp_path / "p.csv"
    rows = "省份,group\n广东,south\nHubei,central\nheilongjiang,north\n广西,south\n"
    table.write_text(rows, encoding="utf-8")
    gpkg = tmp_path / "p.gpkg"
    params = {"INPUT": str(table), "FIELD": "group", "LEVEL": 1, "CATEGORICAL": True,
              "OUTPUT_GPKG": str(gpkg)}  # fmt: skip
    _, context, _ = run("geotrade:table_map", params)
    layer = loaded_layers(context)["province_group"]
    assert_styled(layer, gpkg)
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol"
    assert [c.value() for c in renderer.categories() if c.value() != ""][:3] == [
        "central", "north", "south",
    ]  # fmt: skip
    assert layer.featureCount() == 34
    table.write_text(rows + "Atlantis,x\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="Atlantis"):
        run("geotrade:table_map", {**params, "OUTPUT_GPKG": str(tmp_path / "q.gpkg")})


@pytest.fixture(scope="module")
def panel(tmp_path_factory) -> tuple[str, list[str]]:
    require("model", "sample-panel")
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    subprocess.run(
        [str(engine_python()), "-m", "geotrade", "model", "sample-panel", str(path)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    return str(path), header


def test_model_gravity(provider, panel, tmp_path):
    require("model", "gravity")
    path, header = panel
    assert {"lct_imports", "gdp_log", "pol_stability", "partner_iso3", "year"} <= set(header)
    gpkg = tmp_path / "g.gpkg"
    results, context, _ = run(
        "geotrade:model_gravity",
        {
            "INPUT": path,
            "Y": "lct_imports",
            "X": "gdp_log,pol_stability",
            "FE": "partner,year",
            "CLUSTER": "partner",
            "METHOD": 1,  # 1 = ppml
            "OUTPUT_CSV": str(tmp_path / "g.csv"),
            "OUTPUT_MD": str(tmp_path / "g.md"),
            "OUTPUT_GPKG": str(gpkg),
        },
    )
    text = Path(results["OUTPUT_CSV"]).read_text(encoding="utf-8")
    assert "gdp_log" in text
    assert "pol_stability" in text
    assert os.path.exists(results["OUTPUT_MD"])
    layers = {k: v for k, v in loaded_layers(context).items() if v.isSpatial()}
    assert layers, "the residual map was not loaded"
    for layer in layers.values():
        assert_styled(layer, gpkg)


def test_model_gravity_ols_in_levels(provider, panel, tmp_path):
    require("model", "gravity")
    path, _ = panel
    common = {"INPUT": path, "Y": "lct_imports", "X": "gdp_log,pol_stability", "METHOD": 2}
    log_md, level_md = tmp_path / "log.md", tmp_path / "level.md"
    run("geotrade:model_gravity", {**common, "OUTPUT_CSV": str(tmp_path / "a.csv"),
                                   "OUTPUT_MD": str(log_md)})  # fmt: skip
    run("geotrade:model_gravity", {**common, "OUTCOME": 2, "OUTPUT_CSV": str(tmp_path / "b.csv"),
                                   "OUTPUT_MD": str(level_md)})  # fmt: skip
    assert "ln lct_imports (OLS)" in log_md.read_text(encoding="utf-8")  # 2 = ols
    level = level_md.read_text(encoding="utf-8")
    assert "lct_imports (OLS)" in level  # 2 = level: the outcome as it is
    assert "ln lct_imports" not in level


def test_model_nb(provider, panel, tmp_path):
    require("model", "nb")
    path, header = panel
    assert {"exports_usd", "gdp_log", "openness"} <= set(header)
    results, context, _ = run(
        "geotrade:model_nb",
        {
            "INPUT": path,
            "Y": "exports_usd",
            "X": "gdp_log,openness",
            "BY": "",
            "ROUND_THOUSAND": True,
            "OUTPUT_CSV": str(tmp_path / "nb.csv"),
            "OUTPUT_TEX": str(tmp_path / "nb.tex"),
        },
    )
    text = Path(results["OUTPUT_CSV"]).read_text(encoding="utf-8")
    assert "gdp_log" in text
    assert "openness" in text
    assert "\\" in Path(results["OUTPUT_TEX"]).read_text(encoding="utf-8")
    assert list(context.layersToLoadOnCompletion()) == [results["OUTPUT_CSV"]]
