"""The plugin imports only QGIS and the standard library; no engine module reaches QGIS.

1. Static: an AST scan of every module under qgis_plugin/geotrade_qgis.
2. Dynamic: load the plugin as QGIS does, register the provider, run an algorithm that
   drives the engine, then inspect sys.modules: no geotrade, geopandas, pyogrio, pyproj,
   shapely, pandas, and nothing loaded from the engine's environment (its numpy wheel).
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

from conftest import REPO, engine_python

PLUGIN = REPO / "qgis_plugin" / "geotrade_qgis"
ALLOWED_TOP = {"qgis", "processing", "geotrade_qgis"}  # geotrade_qgis: the plugin itself
FORBIDDEN = (
    "geotrade",
    "geopandas",
    "pyogrio",
    "pyproj",
    "shapely",
    "fiona",
    "pandas",
    "numba",
    "statsmodels",
    "esda",
    "libpysal",
    "typer",
    "rich",
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            found.append((node.lineno, "__import__(...)"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
        ):
            found.append((node.lineno, "importlib.import_module(...)"))
    return found


def test_plugin_sources_import_only_qgis_and_stdlib():
    files = sorted(PLUGIN.rglob("*.py"))
    assert len(files) >= 10
    bad = []
    for path in files:
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in ALLOWED_TOP or top in sys.stdlib_module_names:
                continue
            bad.append(f"{path.relative_to(REPO)}:{line}: {module}")
    assert not bad, "non-QGIS, non-stdlib imports:\n" + "\n".join(bad)


def test_scanner_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom geopandas import read_file\nimport numpy as np\n")
    tops = {m.split(".")[0] for _, m in imported_modules(bad)}
    assert {"geopandas", "numpy"} <= tops - set(sys.stdlib_module_names)


def test_running_the_plugin_loads_no_engine_module(qgis_processing, tmp_path):
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProject

    sys.path.insert(0, str(REPO / "qgis_plugin"))
    import geotrade_qgis

    plugin = None
    if QgsApplication.processingRegistry().providerById("geotrade") is None:
        plugin = geotrade_qgis.classFactory(None)
        plugin.initProcessing()
    import processing
    from geotrade_qgis.engine import SETTING_ENGINE
    from processing.core.ProcessingConfig import ProcessingConfig

    ProcessingConfig.setSettingValue(SETTING_ENGINE, str(engine_python()))
    try:
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        res = processing.run(
            "geotrade:sample_data", {"OUTPUT": str(tmp_path / "s")}, context=context
        )
        assert Path(res["TRADE"]).exists()
    finally:
        ProcessingConfig.setSettingValue(SETTING_ENGINE, "")
        if plugin is not None:
            plugin.unload()
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)
    assert not loaded, loaded
    # the engine venv (not resolved: its python is a symlink to the base interpreter)
    engine_prefix = Path(os.path.abspath(engine_python())).parent.parent
    assert (engine_prefix / "pyvenv.cfg").exists() or (engine_prefix / "lib").exists()
    from_engine = sorted(
        name
        for name, mod in list(sys.modules.items())
        if getattr(mod, "__file__", None)
        and Path(os.path.abspath(mod.__file__)).is_relative_to(engine_prefix)
    )
    assert not from_engine, from_engine
    numpy = sys.modules.get("numpy")
    if numpy is not None:  # QGIS itself may load Debian's numpy; never a wheel
        assert "site-packages" not in numpy.__file__, numpy.__file__
