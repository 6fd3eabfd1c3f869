"""QGIS test layer: the engine's GeoPackages opened by real QGIS 3.22.

Why this directory runs under a different interpreter
-----------------------------------------------------
The QGIS Python bindings (``qgis.core``, PyQt5, Debian's GDAL/numpy) belong to the system
interpreter ``/usr/bin/python3``. The geotrade engine runs in its own venv (``.venv``) with
pip wheels of geopandas, pyogrio (GDAL 3.12), pyproj (PROJ 9.5) and shapely (GEOS 3.13).
Loading those wheels into a QGIS process mixes two builds of GDAL/PROJ/GEOS and crashes
at exit (``double free or corruption``, rc 134/139), while pytest may still report green;
see the project's QGIS notes. So, exactly as the QGIS plugin will:

* these tests run in ``.venv-qgis`` (``scripts/make_qgis_venv.sh``: a
  ``--system-site-packages`` venv of ``/usr/bin/python3`` with only pytest and
  pytest-qgis), from the repository root::

      .venv-qgis/bin/python -m pytest tests/qgis

  (``tests/qgis/pytest.ini`` makes this directory its own pytest root, so the engine's
  pytest settings in ``pyproject.toml`` do not apply and pytest-qgis starts QGIS
  headless: ``qgis_gui_enabled = false`` sets ``QT_QPA_PLATFORM=offscreen``);
* they **never import geotrade** (nor geopandas, pyogrio, pyproj, shapely). The GeoPackages
  are produced by running the engine in a subprocess with the engine's interpreter:
  ``$GEOTRADE_ENGINE_PYTHON``, by default ``<repo>/.venv/bin/python``. The engine also
  writes ``expected.json``: what each LayerStyle says QGIS must show;
* a session check fails the run if any of those modules was imported here anyway.

pytest-qgis points ``QGIS_CUSTOM_CONFIG_PATH`` at ``tests/qgis/.qgis-settings/`` (an
isolated, git-ignored profile), so the user's QGIS profile is never touched.

When this directory is collected by the engine's own pytest (no ``qgis`` module), its tests
are ignored instead of failing at import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

try:  # the engine interpreter has no QGIS: skip collecting this directory there
    import qgis.core  # noqa: F401
except ImportError:  # pragma: no cover - depends on the interpreter
    collect_ignore_glob = ["test_*.py"]

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN_MODULES = ("geotrade", "geopandas", "pyogrio", "pyproj", "shapely", "fiona")

# Runs in the ENGINE interpreter (argv[1] = output directory). It builds small synthetic
# layers whose values sit on and around every class bound, writes them with write_gpkg, and
# records what QGIS must show according to LayerStyle (incl. class_for_value per feature).
# Layers with an explicit ``graduated_nodata`` mode (not the default) also get a sidecar
# ``<layer>.qml`` written with that mode, which the tests apply with loadNamedStyle (the
# GeoPackage row always holds the default style, as write_gpkg writes it).
ENGINE_SCRIPT = r"""
import json, sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import LineString, Point, box

import geotrade
from geotrade.io.geopackage import write_gpkg
from geotrade.style import palettes
from geotrade.style.qml import nodata_sentinel, qgis_renderer_type, to_qml
from geotrade.style.spec import ClassStyle, LayerStyle

out = Path(sys.argv[1])
NODATA = ClassStyle(label_en="No data", label_zh="无数据", color="#d9d9d9")
CELL = 1000.0  # metres, EPSG:3857: one 600 x 600 m square per feature, 1 km apart


def graduated(field, breaks, *, nodata=None, closed="right", scheme="YlGnBu"):
    colors = palettes.palette(scheme, len(breaks) - 1)
    classes = tuple(
        ClassStyle(label_en=f"{lo:g} - {hi:g}", label_zh=f"{lo:g} 至 {hi:g}",
                   color=colors[i], lower=lo, upper=hi)
        for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:]))
    )
    return LayerStyle(kind="graduated", field=field, classes=classes, title_en="Share",
                      title_zh="份额", nodata=nodata, closed=closed)


categorized = LayerStyle(
    kind="categorized", field="dep_class", title_en="Dependence", title_zh="依存",
    classes=tuple(
        ClassStyle(label_en=en, label_zh=zh, color=c, value=v)
        for (v, en, zh), c in zip(
            [("one_way", "One-way", "单向"), ("two_way", "Two-way", "双向"),
             ("same", "Same", "Same")],
            palettes.palette("Dark2", 3))
    ),
    nodata=NODATA, outline_color="#252525", outline_width_mm=0.3,
)
breaks = (0.0, 0.1, 0.35, 1.0)
on_bounds = [0.0, 0.05, 0.1, 0.1000001, 0.35, 0.5, 1.0, None, 2.0, -1.0]
left_values = [0.0, 0.0999999, 0.1, 0.35, 0.9, 1.0, None]
# name: (style, geometry, values, graduated_nodata mode or None for the default)
cases = {
    "dep_class": (categorized, "polygon",
                  ["one_way", "two_way", "same", None, "not_a_class", "one_way"], None),
    "share_graduated": (graduated("share", breaks), "polygon", on_bounds, None),
    "share_nodata": (graduated("share", breaks, nodata=NODATA), "polygon", on_bounds, None),
    "share_rules": (graduated("share", breaks, nodata=NODATA), "polygon", on_bounds, "rules"),
    "share_omit": (graduated("share", breaks, nodata=NODATA, scheme="Greens"), "polygon",
                   on_bounds, "omit"),
    "share_left": (graduated("share", breaks, closed="left", scheme="PuBu"), "polygon",
                   left_values, None),
    "share_left_nodata": (graduated("share", breaks, closed="left", nodata=NODATA,
                                    scheme="Purples"), "polygon", left_values, None),
    "share_left_rules": (graduated("share", breaks, closed="left", nodata=NODATA,
                                   scheme="Oranges"), "polygon", left_values, "rules"),
    "dep_lines": (categorized, "line", ["one_way", "same", None], None),
    "share_points": (graduated("share", breaks, nodata=NODATA), "point", [0.05, 0.5, None],
                     None),
}

# Status classes (complete base geography): the class is chosen by the "status" field, and
# the status wins over the value (LayerStyle.class_for_feature). Solid colours here (the
# hatch of "not covered" is checked on the demo layers), so every probe has one colour.
from dataclasses import replace as _replace
from geotrade.style.spec import missing_class, not_covered_class


def with_status(style):
    return _replace(style, missing=_replace(missing_class(), color="#e7298a"),
                    not_covered=_replace(not_covered_class(), color="#66a61e", hatch=None))


status_values = [0.05, None, None, None, 0.5, 2.0, "x"]
status_of = ["data", "data", "no data", "not covered", "not covered", "data", None]
status_cases = {
    "status_graduated": (with_status(graduated("share", breaks, nodata=NODATA)), "polygon",
                         status_values[:-1], None),
    "status_rules": (with_status(graduated("share", breaks, nodata=NODATA)), "polygon",
                     status_values[:-1], "rules"),
    "status_categorized": (with_status(categorized), "polygon",
                           ["one_way", None, None, None, "same", "not_a_class"], None),
}
cases.update(status_cases)


# The colour QGIS must draw (None: not drawn), from LayerStyle.class_for_value.
# Categorized and rule-based renderers draw exactly class_for_value (no-data colour for
# NULL and unmatched values). A graduated renderer draws only values inside a range: in
# "sentinel" mode NULL is mapped to the sentinel and its range has the no-data colour,
# which a value equal to the sentinel also matches; other out-of-range values are not
# drawn, and in "omit" mode (or without a no-data class) NULL is not drawn either.
def drawn_color(style, renderer, sentinel, value, status=None):
    chosen = style.class_for_feature(value, status)
    if chosen is not None and chosen in style.status_classes():
        return chosen.color  # every renderer draws the status classes (CASE / rules)
    cls = style.class_for_value(value)
    if renderer != "graduatedSymbol" or style.nodata is None or cls is not style.nodata:
        return None if cls is None else cls.color
    if sentinel is not None and (value is None or value == sentinel):
        return cls.color
    return None


def geometry(kind, i):
    x = i * CELL
    if kind == "polygon":
        return box(x, 0, x + 600, 600), (x + 300, 300)
    if kind == "line":
        return LineString([(x, 300), (x + 600, 300)]), (x + 300, 300)
    return Point(x + 300, 300), (x + 300, 300)


layers, styles, expected = {}, {}, {"layers": {}}
for name, (style, kind, values, mode) in cases.items():
    geoms, probes = zip(*(geometry(kind, i) for i in range(len(values))))
    statuses = status_of[: len(values)] if name in status_cases else [None] * len(values)
    columns = {style.field: values}
    if name in status_cases:
        columns["status"] = statuses
    layers[name] = gpd.GeoDataFrame(columns, geometry=list(geoms), crs="EPSG:3857")
    styles[name] = style
    options = {} if mode is None else {"graduated_nodata": mode}
    renderer = qgis_renderer_type(style, **options)
    sentinel = None
    if renderer == "graduatedSymbol" and style.nodata is not None and mode is None:
        sentinel = nodata_sentinel(style)
    qml = to_qml(style, geometry=kind, **options)
    qml_file = None
    if mode is not None:
        qml_file = f"{name}.qml"
        (out / qml_file).write_text(qml, encoding="utf-8")
    expected["layers"][name] = {
        "file": "styled.gpkg",
        "qml_file": qml_file,
        "mode": mode,
        "geometry": kind,
        "renderer": renderer,
        "gpkg_renderer": qgis_renderer_type(style),
        "sentinel": sentinel,
        "field": style.field,
        "closed": style.closed,
        "classes": [
            {"label": c.label(), "color": c.color, "value": c.value,
             "lower": c.lower, "upper": c.upper}
            for c in style.classes
        ],
        "nodata": None if style.nodata is None else
            {"label": style.nodata.label(), "color": style.nodata.color},
        "outline_color": style.outline_color,
        "outline_width_mm": style.outline_width_mm,
        "features": [
            {"value": v, "status": st, "x": p[0], "y": p[1],
             "color": None if c is None else c.color,
             "drawn": drawn_color(style, renderer, sentinel, v, st)}
            for v, st, p, c in zip(values, statuses, probes,
                                   (style.class_for_feature(v, st)
                                    for v, st in zip(values, statuses)))
        ],
        "qml": qml,
        "gpkg_qml": to_qml(style, geometry=kind),
    }
layers["flows"] = pd.DataFrame({"reporter": ["AAA", "BBB"], "value_usd": [1.5e6, 2.0e3]})
metadata = {"synthetic": True, "scheme": "fisher_jenks", "breaks": list(breaks), "gvf": 0.93}
write_gpkg(out / "styled.gpkg", layers, styles=styles, metadata=metadata)
expected["metadata"] = {**metadata, "geotrade_version": geotrade.__version__}
expected["palettes"] = {
    name: {str(k): list(cols) for k, cols in table[name].items()}
    for table in (palettes.SEQUENTIAL, palettes.DIVERGING, palettes.QUALITATIVE)
    for name in table
}
(out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
"""


def engine_python() -> Path:
    """The engine's interpreter: ``$GEOTRADE_ENGINE_PYTHON`` or ``<repo>/.venv/bin/python``."""
    return Path(os.environ.get("GEOTRADE_ENGINE_PYTHON") or REPO / ".venv" / "bin" / "python")


@pytest.fixture(scope="session")
def engine_output(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Run the engine once in a subprocess; return (output directory, expected.json)."""
    python = engine_python()
    if not python.exists():
        pytest.fail(
            f"engine interpreter {python} not found; create the engine venv or set "
            "GEOTRADE_ENGINE_PYTHON",
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("engine")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(python), "-c", ENGINE_SCRIPT, str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"engine subprocess failed (rc {proc.returncode}):\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    expected = json.loads((out / "expected.json").read_text(encoding="utf-8"))
    return out, expected


@pytest.fixture(scope="session", autouse=True)
def _no_engine_modules_in_qgis_process():
    """Fail the session if geotrade or its wheels were imported into this QGIS process."""
    yield
    loaded = sorted(m for m in FORBIDDEN_MODULES if m in sys.modules)
    assert not loaded, f"modules that must never load into a QGIS process were imported: {loaded}"
