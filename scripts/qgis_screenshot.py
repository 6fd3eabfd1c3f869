"""Regenerate docs/screenshots/qgis_dependence_map.png: QGIS Desktop showing a geotrade map.

Run from the repository root (needs QGIS 3.22, xvfb-run and the engine venv)::

    python3 scripts/qgis_screenshot.py [--demo-dir output/demo] [--out docs/screenshots/...]

1. runs ``geotrade --json demo`` with the engine interpreter ($GEOTRADE_ENGINE_PYTHON,
   default .venv/bin/python) unless ``--demo-dir`` already holds the demo GeoPackage;
2. starts QGIS Desktop under Xvfb with an isolated profile in which the geotrade plugin is
   enabled (QGIS_PLUGINPATH=qgis_plugin), and a startup script (``--code``) that loads
   ``li_ion_interdependence.gpkg|layername=dependence_2022`` with its embedded style,
   zooms to it, waits for the map canvas to finish rendering, grabs the main window with
   ``iface.mainWindow().grab()`` and quits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

STARTUP = r"""
import os
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer, QSize, Qt
from qgis.PyQt.QtWidgets import QApplication, QDockWidget
from qgis.utils import iface

GPKG = os.environ["GT_SHOT_GPKG"]
OUT = os.environ["GT_SHOT_OUT"]

def shoot():
    img = iface.mainWindow().grab()
    img.save(OUT)
    QgsProject.instance().setDirty(False)
    QgsProject.instance().clear()
    QApplication.instance().exit(0)

def rendered():
    iface.mapCanvas().mapCanvasRefreshed.disconnect(rendered)
    QTimer.singleShot(1500, shoot)

def start():
    win = iface.mainWindow()
    win.resize(QSize(1600, 1000))
    win.showMaximized()
    layer = QgsVectorLayer(f"{GPKG}|layername=dependence_2022", "dependence_2022", "ogr")
    layer.loadDefaultStyle()
    QgsProject.instance().addMapLayer(layer)
    for dock in win.findChildren(QDockWidget):
        if dock.objectName() in ("Browser", "Browser2"):
            dock.hide()
    layers_dock = win.findChild(QDockWidget, "Layers")
    if layers_dock is not None:
        win.resizeDocks([layers_dock], [470], Qt.Horizontal)
    view = iface.layerTreeView()
    view.expandAll()
    canvas = iface.mapCanvas()
    canvas.mapCanvasRefreshed.connect(rendered)
    canvas.zoomToFullExtent()
    canvas.refresh()
    QTimer.singleShot(60000, shoot)  # safety net

QTimer.singleShot(3000, start)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=REPO / "docs/screenshots/qgis_dependence_map.png")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="geotrade-shot-"))
    demo = args.demo_dir or work / "demo"
    gpkg = demo / "li_ion_interdependence.gpkg"
    engine = os.environ.get("GEOTRADE_ENGINE_PYTHON") or str(REPO / ".venv/bin/python")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    if not gpkg.exists():
        subprocess.run(
            [engine, "-m", "geotrade", "--quiet", "demo", "--out", str(demo)], env=clean, check=True
        )
    profiles = work / "profiles"
    ini = profiles / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(
        "[PythonPlugins]\ngeotrade_qgis=true\n\n[qgis]\nshowTips=false\n"
        "checkVersion=false\nallowVersionCheck=false\n[UI]\nhidden=\n",
        encoding="utf-8",
    )
    script = work / "startup.py"
    script.write_text(STARTUP, encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **clean,
        "QGIS_PLUGINPATH": str(REPO / "qgis_plugin"),
        "GEOTRADE_ENGINE_PYTHON": engine,
        "GT_SHOT_GPKG": str(gpkg),
        "GT_SHOT_OUT": str(args.out.resolve()),
        "XDG_RUNTIME_DIR": str(work),
    }
    qgis = shutil.which("qgis.bin") or shutil.which("qgis") or "qgis"
    cmd = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1600x1000x24",
        qgis,
        "--noversioncheck",
        "--nologo",
        "--profiles-path",
        str(profiles),
        "--code",
        str(script),
    ]
    proc = subprocess.run(cmd, env=env, timeout=300, check=False, cwd=work)
    if not args.out.exists():
        print(f"no screenshot written (QGIS exit code {proc.returncode})", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
