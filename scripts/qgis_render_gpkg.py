"""Render every layer of a GeoPackage with its embedded default style, using QGIS itself.

Run with the QGIS interpreter (never the engine venv)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis_render_gpkg.py OUT.gpkg PNG_DIR

Writes ``PNG_DIR/<layer>.png`` (1200 px wide) with a legend strip, so a human can look at
what QGIS shows for the styles geotrade wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def main(gpkg: str, out_dir: str) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md = QgsProviderRegistry.instance().providerMetadata("ogr")
    subs = md.querySublayers(gpkg) if hasattr(md, "querySublayers") else []
    names = [s.name() for s in subs] if subs else []
    if not names:
        from osgeo import ogr

        ds = ogr.Open(gpkg)
        names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    for name in names:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid() or not layer.isSpatial():
            continue
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(layer.crs())
        settings.setExtent(layer.extent())
        settings.setOutputSize(QSize(1200, 700))
        settings.setBackgroundColor(QColor("white"))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        img = job.renderedImage()
        path = out / f"{name}.png"
        img.save(str(path), "PNG")
        r = layer.renderer()
        print(f"{path}: renderer={r.type() if r else None}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
