"""The geotrade algorithms behave like Processing algorithms: pickers, help, Cancel, batch.

* vector/table inputs are layer pickers (feature sources: a file or a layer of the project,
  tables without geometry included) with field pickers on them;
* every algorithm's help has a worked example;
* Cancel stops the engine's child process (and its workers) within seconds;
* batch mode: one algorithm object run on two parameter sets, as the batch dialog does.
"""

from __future__ import annotations

import csv
import math
import os
import sys
import time

import pytest
from conftest import REPO, engine_python
from qgis.core import (
    NULL,
    QgsApplication,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingUtils,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

sys.path.insert(0, str(REPO / "qgis_plugin"))

PROVINCES = REPO / "geotrade" / "data" / "demo" / "synthetic_recycling_provinces.csv"


@pytest.fixture(scope="module")
def provider(qgis_processing):
    import geotrade_qgis
    from geotrade_qgis.engine import SETTING_ENGINE
    from processing.core.ProcessingConfig import ProcessingConfig

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


# --------------------------------------------------------------------------- pickers, help


def test_tables_and_layers_are_pickers_with_field_pickers(provider):
    files = []
    for alg in provider.algorithms():
        for param in alg.parameterDefinitions():
            if isinstance(param, QgsProcessingParameterFile):
                files.append((alg.name(), param.name()))
            if isinstance(param, QgsProcessingParameterField):
                parent = alg.parameterDefinition(param.parentLayerParameterName())
                assert isinstance(parent, QgsProcessingParameterFeatureSource), param.name()
    # only the trade flow files stay file inputs: BACI zips, Parquet and Comtrade bulk
    # files are formats QGIS cannot open as layers (and too big to export); OGHIST.xlsx is a
    # many-sheet workbook read as the World Bank publishes it
    assert sorted(files) == [("interdependence", "FLOWS"), ("shares", "FLOWS"),
                             ("shares", "INCOME_HISTORY"), ("trade_summary", "FLOWS"),
                             ("unit_values", "FLOWS")]  # fmt: skip
    for alg_id, fields in {
        "mismatch": ["DEMAND", "SUPPLY"],
        "model_nb": ["Y", "X"],
        "model_gravity": ["Y", "X"],
        "classify": ["FIELD"],
        "table_map": ["FIELD", "KEY"],
    }.items():
        alg = provider.algorithm(alg_id)
        assert isinstance(alg.parameterDefinition("INPUT"), QgsProcessingParameterFeatureSource)
        for name in fields:
            assert isinstance(alg.parameterDefinition(name), QgsProcessingParameterField), name
    assert provider.algorithm("model_gravity").parameterDefinition("X").allowMultiple()
    for alg_id in ("province_capacity_ratio", "prefecture_matching", "mismatch", "table_map"):
        src = provider.algorithm(alg_id).parameterDefinition("INPUT")
        assert isinstance(src, QgsProcessingParameterFeatureSource)
        # any vector layer, tables without geometry too
        assert src.dataTypes() == [QgsProcessing.SourceType.TypeVector]


def test_every_algorithm_has_help_with_an_example(provider):
    for alg in provider.algorithms():
        text = alg.shortHelpString()
        assert "<b>Example</b>: " in text, alg.name()
        example = text.split("<b>Example</b>: ", 1)[1]
        names = [p.name() for p in alg.parameterDefinitions()]
        assert any(f"{n} = " in example for n in names), (alg.name(), example)


# --------------------------------------------------------------------------- table layers


def _run(alg_id: str, params: dict, project: QgsProject | None = None):
    import processing

    context = QgsProcessingContext()
    context.setProject(project or QgsProject())
    results = processing.run(alg_id, params, context=context, feedback=QgsProcessingFeedback())
    return results, context


def _ratios(gpkg: str, layer: str) -> dict[str, float]:
    lyr = QgsVectorLayer(f"{gpkg}|layername={layer}", layer, "ogr")
    assert lyr.isValid()
    return {
        str(f["adcode"]): None if f["ratio"] == NULL else float(f["ratio"])
        for f in lyr.getFeatures()
    }


def test_a_table_layer_of_the_project_is_an_input(provider, tmp_path):
    with open(PROVINCES, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    table = QgsVectorLayer("None", "provinces table", "memory")  # no geometry
    table.dataProvider().addAttributes([QgsField(c, QVariant.String) for c in rows[0]])
    table.updateFields()
    feats = []
    for row in rows:
        f = QgsFeature(table.fields())
        f.setAttributes(list(row.values()))
        feats.append(f)
    assert table.dataProvider().addFeatures(feats)[0]
    project = QgsProject()
    project.addMapLayer(table)
    from_layer, _ = _run(
        "geotrade:province_capacity_ratio",
        {"INPUT": table.id(), "YEARS": "2030", "OUTPUT_GPKG": str(tmp_path / "layer.gpkg")},
        project,
    )
    from_file, _ = _run(
        "geotrade:province_capacity_ratio",
        {"INPUT": str(PROVINCES), "YEARS": "2030", "OUTPUT_GPKG": str(tmp_path / "file.gpkg")},
    )
    got = _ratios(from_layer["OUTPUT_GPKG"], "province_capacity_ratio_2030")
    want = _ratios(from_file["OUTPUT_GPKG"], "province_capacity_ratio_2030")
    assert len(want) >= 30
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert (got[key] is None and value is None) or got[key] == pytest.approx(value)
    # the file goes to the engine as it is; the memory layer was exported to CSV first
    assert from_file["OUTPUT_GPKG"].endswith("file.gpkg")


def test_mismatch_fields_picked_from_a_file_table(provider, tmp_path):
    prefectures = REPO / "geotrade" / "data" / "demo" / "synthetic_recycling_prefectures.csv"
    results, _ = _run(
        "geotrade:mismatch",
        {"INPUT": str(prefectures), "DEMAND": "retired_t", "SUPPLY": "outlets",
         "LEVEL": 2, "YEAR": 2025, "PERMUTATIONS": 9, "SEED": 1,
         "OUTPUT_GPKG": str(tmp_path / "m.gpkg")},
    )  # fmt: skip
    assert 0.0 <= results["GINI"] <= 1.0


# --------------------------------------------------------------------------- Cancel


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_cancel_stops_the_engine_process(provider, tmp_path):
    from geotrade_qgis.engine import KILL_GRACE

    out = tmp_path / "demo"
    alg = QgsApplication.processingRegistry().createAlgorithmById("geotrade:demo")
    context = QgsProcessingContext()
    context.setProject(QgsProject())
    feedback = QgsProcessingFeedback()
    done: dict = {}
    task = QgsProcessingAlgRunnerTask(alg, {"OUTPUT": str(out)}, context, feedback)
    task.executed.connect(lambda ok, results: done.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    engines: list[int] = []

    def engine_started() -> bool:
        engines[:] = [p for p in _children(os.getpid()) if " demo --out " in _cmdline(p)]
        return bool(engines) and feedback.progress() > 0

    assert _wait(engine_started, 120), "the demo engine process did not start"
    (child,) = engines
    workers = _children(child)  # the demo's map renderers
    t0 = time.monotonic()
    feedback.cancel()
    assert _wait(lambda: not _alive(child), 2 * KILL_GRACE)
    elapsed = time.monotonic() - t0
    assert elapsed < KILL_GRACE, f"stopped after {elapsed:.1f} s: killed, not terminated"
    assert _wait(lambda: not any(_alive(w) for w in workers), KILL_GRACE)
    assert _wait(lambda: "ok" in done, 30), "the task did not finish"
    assert done["ok"] is False
    written = [p for p in out.rglob("*") if p.suffix in (".gpkg", ".html", ".png")]
    assert not written, written


# --------------------------------------------------------------------------- batch


def _polygons(values: list[float], name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", name, "memory")
    layer.dataProvider().addAttributes([QgsField("v", QVariant.Double)])
    layer.updateFields()
    feats = []
    for i, v in enumerate(values):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(i, 0, i + 0.9, 1)))
        f.setAttributes([v])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_batch_runs_one_algorithm_on_two_inputs(provider, tmp_path):
    """As the batch dialog: the same algorithm object and context, one run per row."""
    small = [1.0, 1.2, 1.4, 5.0, 5.5, 6.0, 20.0, 21.0]
    large = [100.0 * v for v in (3.0, 3.1, 9.0, 9.5, 40.0, 41.0, 42.0, 90.0, 95.0)]
    project = QgsProject()
    layers = [_polygons(small, "small"), _polygons(large, "large")]
    project.addMapLayers(layers)
    context = QgsProcessingContext()
    context.setProject(project)
    alg = QgsApplication.processingRegistry().createAlgorithmById("geotrade:classify")
    rows = [
        {"INPUT": lyr.id(), "FIELD": "v", "K": 3, "SCHEME": 0,
         "OUTPUT": str(tmp_path / f"{lyr.name()}.gpkg")}
        for lyr in layers
    ]  # fmt: skip
    results = []
    for params in rows:
        feedback = QgsProcessingFeedback()
        res, ok = alg.run(params, context, feedback)
        assert ok, params
        results.append(res)
    # the natural groups, by hand: {1, 1.2, 1.4} {5, 5.5, 6} {20, 21}; and
    # {300, 310, 900, 950} {4000, 4100, 4200} {9000, 9500} (SDCM 530,700; moving 900/950
    # into the middle class costs more)
    expected = ([1.4, 6.0, 21.0], [950.0, 4200.0, 9500.0])
    for res, values, params, want in zip(results, (small, large), rows, expected, strict=True):
        assert res["OUTPUT"] == params["OUTPUT"]
        bins = [float(b) for b in res["BINS"].split(",")]
        assert bins == pytest.approx(want)
        assert all(any(math.isclose(b, v) for v in values) for b in bins)  # breaks are data
        out = QgsVectorLayer(f"{params['OUTPUT']}", "o", "ogr")
        assert sorted(f["v"] for f in out.getFeatures()) == sorted(values)
    assert results[0]["BINS"] != results[1]["BINS"]
    loaded = [
        QgsProcessingUtils.mapLayerFromString(uri, context).source().split("|")[0]
        for uri in context.layersToLoadOnCompletion()
    ]
    assert sorted(loaded) == sorted(r["OUTPUT"] for r in rows)
