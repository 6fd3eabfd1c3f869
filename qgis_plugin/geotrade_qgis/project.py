"""Save an editable QGIS project (.qgz) of geotrade GeoPackages *with* the print layout.

The engine writes the same project without a layout (``geotrade <command> --qgz``,
``geotrade.io.qgis_project``); this module builds it with QGIS itself so that the print
layout of :func:`geotrade_qgis.layout.export_layout` can be saved in it. The rules are the
engine's, so both projects look alike:

* one layer group per GeoPackage, named by the product title of its metadata (and
  ``title_zh``), the first group on top and the only one checked;
* every feature table of each GeoPackage (companion layers such as the South China Sea
  islands or boundary lines included), styled with its default style from the file;
* points above lines above polygons, the file's order otherwise; one data polygon layer
  checked per group (the first map layer, else the file's first; the others would hide
  it), companion polygon layers checked;
* the project CRS is the map CRS (the product's ``map_crs`` unless given);
* datasources relative to the project file;
* the print layout: one page per map layer, its map items drawing the project's own layers.

The file is written next to its target and then moved into place, so a failed save leaves
a previous project intact.
"""

from __future__ import annotations

import os
import re
import secrets

from qgis.core import (
    QgsLayoutItemMap,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)

from geotrade_qgis.layout import _feature_tables, export_layout, gpkg_metadata, map_crs_for

__all__ = ["save_project"]

_COMPANION = re.compile(r"south_china_sea|(^|_)scs(_|$)|nanhai|boundar|(^|_)base|island", re.I)
_ORDER = {
    QgsWkbTypes.GeometryType.PointGeometry: 0,
    QgsWkbTypes.GeometryType.LineGeometry: 1,
    QgsWkbTypes.GeometryType.PolygonGeometry: 2,
}


def _group_name(path: str) -> str:
    meta = gpkg_metadata(path)
    name = str(meta.get("title") or os.path.splitext(os.path.basename(path))[0])
    return f"{name} / {meta['title_zh']}" if meta.get("title_zh") else name


def save_project(
    path: str,
    gpkgs: list[str],
    *,
    map_layers: list[str] | None = None,
    map_crs=None,
    page_size: str = "A4",
    orientation: str = "landscape",
    layout: bool = True,
) -> dict:
    """Write a ``.qgz`` of ``gpkgs`` with a print layout of ``map_layers``; return a summary.

    Parameters
    ----------
    path
        The ``.qgz`` to write.
    gpkgs
        GeoPackages, one layer group each.
    map_layers
        Table names (of any of the GeoPackages) that get a layout page each; default the
        first data layer of the first GeoPackage.
    map_crs
        Project and layout CRS (QgsCoordinateReferenceSystem); default the product's.
    page_size, orientation
        Layout page (as :func:`geotrade_qgis.layout.export_layout`).
    layout
        False: no print layout.

    Returns
    -------
    dict
        ``{"path", "crs" (authid or proj), "layers": [names top to bottom], "pages": n,
        "layout": name or ""}``.

    Raises
    ------
    ValueError
        If ``path`` does not end in .qgz, a GeoPackage has no feature table or a layer is
        invalid; RuntimeError if QGIS cannot write the file.
    """
    if not path.lower().endswith(".qgz"):
        raise ValueError(f"a QGIS project must end in .qgz: {path}")
    project = QgsProject()
    root = project.layerTreeRoot()
    by_name: dict[str, QgsVectorLayer] = {}
    order: list[str] = []
    for i, gpkg in enumerate(gpkgs):
        tables = _feature_tables(gpkg)
        if not tables:
            raise ValueError(f"no feature table in {gpkg}")
        layers = []
        for table in tables:
            layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
            if not layer.isValid():
                raise ValueError(f"QGIS cannot open layer {table!r} of {gpkg}")
            layer.loadDefaultStyle()
            layers.append(layer)
        layers.sort(key=lambda lyr: _ORDER.get(lyr.geometryType(), 3))
        group = root.addGroup(_group_name(gpkg))
        group.setItemVisibilityChecked(i == 0)
        # the checked data polygon layer: the first map layer when it is in this file
        data = [
            lyr.name()
            for lyr in layers
            if lyr.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
            and not _COMPANION.search(lyr.name())
        ]
        shown = next((n for n in map_layers or [] if n in data), data[0] if data else "")
        for layer in layers:
            project.addMapLayer(layer, False)
            node = group.addLayer(layer)
            node.setItemVisibilityChecked(layer.name() not in data or layer.name() == shown)
            by_name.setdefault(layer.name(), layer)
            order.append(layer.name())
    if map_layers is None:
        data = [n for n in order if not _COMPANION.search(n)]
        map_layers = data[:1] or order[:1]
    pages = [by_name[n] for n in map_layers if n in by_name]
    if map_crs is None or not map_crs.isValid():
        map_crs = map_crs_for(pages[0] if pages else by_name[order[0]], project=project)
    project.setCrs(map_crs)
    project.setTitle(_group_name(gpkgs[0]))
    layout_name = ""
    if layout and pages:
        res = export_layout(
            pages,
            map_crs=map_crs,
            page_size=page_size,
            orientation=orientation,
            project=project,
        )
        print_layout = res["layout"]
        # the inset draws the GeoPackage's companion layers: use the project's own copies,
        # or the saved layout would point at layers the project does not hold
        by_source = {lyr.source(): lyr for lyr in by_name.values()}
        for item in print_layout.items():
            if isinstance(item, QgsLayoutItemMap):
                item.setLayers([by_source.get(lyr.source(), lyr) for lyr in item.layers()])
        project.layoutManager().addLayout(print_layout)
        layout_name = print_layout.name()
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp.qgz")
    try:
        if not project.write(tmp):
            raise RuntimeError(f"QGIS could not write the project {path}: {project.error()}")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return {
        "path": path,
        "crs": map_crs.authid() or map_crs.toProj(),
        "layers": order,
        "pages": len(pages) if layout else 0,
        "layout": layout_name,
    }
