"""An editable QGIS project (``.qgz``) of product GeoPackages, written without QGIS.

A ``.qgz`` is a zip archive holding one ``.qgs`` file, the project's XML. :func:`write_qgz`
writes that XML itself from what the GeoPackages hold, so the core never needs QGIS:

* **layers**: every feature table of every GeoPackage (``gpkg_contents``, in the file's
  order), whatever wrote it: product layers and companion layers (base geography, South
  China Sea islands, boundary lines) alike. Each points at its GeoPackage by a **relative
  path** (``./product.gpkg|layername=<table>``), so the project and its GeoPackages move
  together;
* **styles**: each layer's default style from the GeoPackage's ``layer_styles`` (the row
  QGIS itself would pick, :func:`geotrade.io.geopackage.read_gpkg_style`) is inlined into
  the layer's ``<maplayer>`` element: QGIS does not load a layer's default style when it
  reads a project, the project carries the style. A layer without a stored style gets
  QGIS's default single symbol;
* **groups and order**: one group per GeoPackage, named by the product title of its
  metadata (else the file name). Within a group points are drawn above lines and lines
  above polygons (the layer tree lists the top layer first); layers of the same geometry
  keep the file's order. All layers are checked except the second and later *data*
  polygon layers of a group (e.g. the other years of a product, which would hide one
  another); companion polygon layers (South China Sea, boundary, base, island in the
  name) stay checked. Only the first group is checked;
* **CRS**: the project CRS is the product's map CRS (``map_crs`` of the first GeoPackage's
  metadata: Equal Earth for world products, the China Albers conic for China, see
  :mod:`geotrade.maps.crs`), written as WKT so that a CRS without an EPSG code (the
  Albers) is kept exactly; the canvas opens on the layers' extent in that CRS.

The print layout is **not** part of this file: a QGIS layout's XML is QGIS's own
serialisation of a dozen item types. The QGIS plugin's map algorithms write a ``.qgz``
*with* the print layout (their ``PROJECT_OUTPUT`` parameter), built by QGIS itself.

Examples
--------
>>> import tempfile, pathlib
>>> import geopandas as gpd
>>> from shapely import box
>>> from geotrade.io.geopackage import write_gpkg
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> g = gpd.GeoDataFrame({"v": [1.0]}, geometry=[box(100, 20, 110, 30)], crs="EPSG:4326")
>>> _ = write_gpkg(d / "p.gpkg", {"cells": g}, metadata={"title": "Cells"})
>>> out = write_qgz(d / "p.qgz", [d / "p.gpkg"])
>>> sorted(project_layers(out))
['cells']
"""

from __future__ import annotations

import os
import re
import sqlite3
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geotrade.errors import DataNotFoundError, InputFormatError, OutputError

__all__ = ["QGIS_PROJECT_VERSION", "ProjectLayer", "project_layers", "read_layers", "write_qgz"]

#: The QGIS version the project declares (the oldest the plugin supports).
QGIS_PROJECT_VERSION = "3.22.0-Białowieża"
_NAMESPACE = uuid.UUID("2b8e6f0c-5d3a-4f4e-9a51-7c0d3e9b6a12")
_GEOMETRY = {
    "POINT": ("Point", "point"),
    "MULTIPOINT": ("Point", "point"),
    "LINESTRING": ("Line", "line"),
    "MULTILINESTRING": ("Line", "line"),
    "POLYGON": ("Polygon", "polygon"),
    "MULTIPOLYGON": ("Polygon", "polygon"),
}
_WKB_NAMES = {
    "POINT": "Point",
    "MULTIPOINT": "MultiPoint",
    "LINESTRING": "LineString",
    "MULTILINESTRING": "MultiLineString",
    "POLYGON": "Polygon",
    "MULTIPOLYGON": "MultiPolygon",
}
#: Drawing order within a group: top of the layer tree first.
_KIND_ORDER = {"point": 0, "line": 1, "polygon": 2}
#: Companion polygon layers (always checked): SCS islands, boundaries, base geography.
_COMPANION = re.compile(r"south_china_sea|(^|_)scs(_|$)|nanhai|boundar|(^|_)base|island", re.I)


@dataclass(frozen=True)
class ProjectLayer:
    """One feature table of a GeoPackage, as the project references it."""

    gpkg: Path
    table: str
    kind: str  # "point" | "line" | "polygon"
    geometry_type: str  # GeoPackage geometry type name, e.g. MULTIPOLYGON
    srs_wkt: str
    srs_auth: str  # e.g. "EPSG:4326" ("" when the SRS has no authority code)
    bounds: tuple[float, float, float, float] | None
    style_qml: str | None
    title: str


def read_layers(gpkg: str | os.PathLike[str]) -> tuple[list[ProjectLayer], dict[str, Any]]:
    """Return the feature tables of ``gpkg`` (file order) and its geotrade metadata.

    Raises
    ------
    DataNotFoundError
        If the file does not exist or has no feature table.
    InputFormatError
        If it is not a GeoPackage.
    """
    from geotrade.io.geopackage import read_gpkg_metadata, read_gpkg_style

    path = Path(gpkg)
    if not path.is_file():
        msg = "the GeoPackage does not exist"
        raise DataNotFoundError(msg, path=path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT c.table_name, g.geometry_type_name, s.organization,"
                " s.organization_coordsys_id, s.definition, c.min_x, c.min_y, c.max_x, c.max_y"
                " FROM gpkg_contents c JOIN gpkg_geometry_columns g"
                " ON lower(g.table_name) = lower(c.table_name)"
                " LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
                " WHERE c.data_type = 'features' ORDER BY c.rowid"
            ).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        msg = f"not a GeoPackage (no gpkg_contents/gpkg_geometry_columns): {exc}"
        raise InputFormatError(msg, path=path) from exc
    if not rows:
        msg = "the GeoPackage has no feature table"
        raise DataNotFoundError(msg, path=path)
    meta = read_gpkg_metadata(path)
    titles = meta.get("layer_titles") or {}
    layers = []
    for table, gtype, org, code, wkt, x0, y0, x1, y1 in rows:
        gname = str(gtype).upper()
        if gname not in _GEOMETRY:
            msg = f"layer {table!r}: geometry type {gtype!r} is not a point, line or polygon type"
            raise InputFormatError(msg, path=path)
        try:
            qml: str | None = read_gpkg_style(path, table)
        except DataNotFoundError:
            qml = None
        t = titles.get(table) or {}
        title = " / ".join(x for x in (t.get("title_en"), t.get("title_zh")) if x)
        bounds = None if None in (x0, y0, x1, y1) else (float(x0), float(y0), float(x1), float(y1))
        layers.append(
            ProjectLayer(
                gpkg=path,
                table=str(table),
                kind=_GEOMETRY[gname][1],
                geometry_type=gname,
                srs_wkt=str(wkt or ""),
                srs_auth=f"{org.upper()}:{code}" if org and code and int(code) > 0 else "",
                bounds=bounds,
                style_qml=qml,
                title=title,
            )
        )
    return layers, meta


def _srs_element(parent: ET.Element, crs_text: str) -> None:
    """Append a QGIS ``<spatialrefsys>`` for ``crs_text`` (EPSG code, PROJ string or WKT)."""
    from pyproj import CRS

    crs = CRS.from_user_input(crs_text)
    srs = ET.SubElement(parent, "spatialrefsys", {"nativeFormat": "Wkt"})
    ET.SubElement(srs, "wkt").text = crs.to_wkt("WKT2_2019")
    with warnings.catch_warnings():  # "lose important projection information": WKT is kept
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4() or ""
    ET.SubElement(srs, "proj4").text = proj4
    # srsid 0: QGIS builds the CRS from the WKT (exact also for CRSs without an EPSG code)
    ET.SubElement(srs, "srsid").text = "0"
    auth = crs.to_authority(min_confidence=100) if crs_text.upper().startswith("EPSG:") else None
    ET.SubElement(srs, "srid").text = auth[1] if auth else "0"
    ET.SubElement(srs, "authid").text = f"{auth[0]}:{auth[1]}" if auth else ""
    ET.SubElement(srs, "description").text = crs.name
    m = re.search(r"\+proj=(\S+)", proj4)
    ET.SubElement(srs, "projectionacronym").text = m.group(1) if m else ""
    m = re.search(r"\+ellps=(\S+)", proj4)
    ET.SubElement(srs, "ellipsoidacronym").text = m.group(1) if m else ""
    ET.SubElement(srs, "geographicflag").text = "true" if crs.is_geographic else "false"


def _layer_id(layer: ProjectLayer) -> str:
    key = uuid.uuid5(_NAMESPACE, f"{layer.gpkg.name}|{layer.table}").hex
    return f"{re.sub(r'[^0-9A-Za-z_]', '_', layer.table)}_{key}"


def _datasource(layer: ProjectLayer, project_dir: Path) -> str:
    rel = os.path.relpath(layer.gpkg.resolve(), project_dir.resolve())
    rel = rel.replace(os.sep, "/")
    if not rel.startswith("."):
        rel = "./" + rel
    return f"{rel}|layername={layer.table}"


def _ordered(layers: list[ProjectLayer]) -> list[ProjectLayer]:
    return sorted(layers, key=lambda lyr: _KIND_ORDER[lyr.kind])  # stable: file order kept


def _checked(layer: ProjectLayer, first_polygon: bool) -> bool:
    return layer.kind != "polygon" or first_polygon or bool(_COMPANION.search(layer.table))


def _extent(layers: Sequence[ProjectLayer], map_crs: str) -> tuple[float, ...] | None:
    from pyproj import CRS, Transformer

    boxes = []
    for lyr in layers:
        if lyr.bounds is None or not (lyr.srs_wkt or lyr.srs_auth):
            continue
        src = CRS.from_user_input(lyr.srs_auth or lyr.srs_wkt)
        tr = Transformer.from_crs(src, CRS.from_user_input(map_crs), always_xy=True)
        try:
            boxes.append(tr.transform_bounds(*lyr.bounds, densify_pts=21))
        except Exception:
            continue
    finite = [b for b in boxes if all(abs(v) < 1e30 for v in b)]
    if not finite:
        return None
    return (
        min(b[0] for b in finite),
        min(b[1] for b in finite),
        max(b[2] for b in finite),
        max(b[3] for b in finite),
    )


def _maplayer(layer: ProjectLayer, project_dir: Path) -> ET.Element:
    geom, _kind = _GEOMETRY[layer.geometry_type]
    el = ET.Element(
        "maplayer",
        {
            "type": "vector",
            "geometry": geom,
            "wkbType": _WKB_NAMES[layer.geometry_type],
            "autoRefreshEnabled": "0",
            "autoRefreshTime": "0",
            "hasScaleBasedVisibilityFlag": "0",
            "maxScale": "0",
            "minScale": "100000000",
            "readOnly": "0",
            "refreshOnNotifyEnabled": "0",
            "simplifyDrawingHints": "1",
            "simplifyDrawingTol": "1",
            "simplifyLocal": "1",
            "simplifyAlgorithm": "0",
            "simplifyMaxScale": "1",
            "labelsEnabled": "0",
            "styleCategories": "AllStyleCategories",
        },
    )
    if layer.bounds is not None:
        ext = ET.SubElement(el, "extent")
        for tag, v in zip(("xmin", "ymin", "xmax", "ymax"), layer.bounds, strict=True):
            ET.SubElement(ext, tag).text = repr(v)
    ET.SubElement(el, "id").text = _layer_id(layer)
    ET.SubElement(el, "datasource").text = _datasource(layer, project_dir)
    ET.SubElement(el, "layername").text = layer.table
    if layer.srs_auth or layer.srs_wkt:
        _srs_element(ET.SubElement(el, "srs"), layer.srs_auth or layer.srs_wkt)
    if layer.title:
        ET.SubElement(el, "title").text = layer.title
    ET.SubElement(el, "provider", {"encoding": "UTF-8"}).text = "ogr"
    if layer.style_qml:
        try:
            style = ET.fromstring(layer.style_qml)
        except ET.ParseError as exc:
            msg = f"layer {layer.table!r}: its default style is not valid XML ({exc})"
            raise InputFormatError(msg, path=layer.gpkg) from exc
        for child in style:
            el.append(child)
    return el


def _tree_layer(parent: ET.Element, layer: ProjectLayer, project_dir: Path, checked: bool) -> None:
    node = ET.SubElement(
        parent,
        "layer-tree-layer",
        {
            "id": _layer_id(layer),
            "name": layer.table,
            "source": _datasource(layer, project_dir),
            "providerKey": "ogr",
            "checked": "Qt::Checked" if checked else "Qt::Unchecked",
            "expanded": "1",
            "legend_exp": "",
        },
    )
    ET.SubElement(node, "customproperties")


def project_xml(
    gpkgs: Sequence[str | os.PathLike[str]],
    *,
    project_dir: str | os.PathLike[str],
    map_crs: str | None = None,
    title: str = "",
) -> str:
    """Return the ``.qgs`` XML of a project of ``gpkgs`` (see the module docstring).

    ``project_dir`` is the directory the project file will be in (datasources are relative
    to it). ``map_crs`` (EPSG code or PROJ string) overrides the first GeoPackage's
    ``map_crs``; without either, the CRS is picked from the layers' extent
    (:func:`geotrade.maps.crs.map_crs_for_bounds`). ``title`` overrides the project title
    (default: the first product's title).
    """
    from geotrade.maps.crs import map_crs_for_bounds

    if not gpkgs:
        msg = "a QGIS project needs at least one GeoPackage"
        raise InputFormatError(msg)
    pdir = Path(project_dir)
    groups = []
    for g in gpkgs:
        layers, meta = read_layers(g)
        name = str(meta.get("title") or Path(g).stem)
        if meta.get("title_zh"):
            name = f"{name} / {meta['title_zh']}"
        groups.append((name, _ordered(layers), meta))
    all_layers = [lyr for _, layers, _ in groups for lyr in layers]
    crs = map_crs or str(groups[0][2].get("map_crs") or "")
    if not crs:
        lonlat = _extent(all_layers, "EPSG:4326")
        crs = map_crs_for_bounds(lonlat) if lonlat else "EPSG:4326"
    title = title or groups[0][0]

    root = ET.Element(
        "qgis", {"projectname": title, "version": QGIS_PROJECT_VERSION, "saveUser": "geotrade"}
    )
    ET.SubElement(root, "homePath", {"path": ""})
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "autotransaction", {"active": "0"})
    ET.SubElement(root, "evaluateDefaultValues", {"active": "0"})
    ET.SubElement(root, "trust", {"active": "0"})
    _srs_element(ET.SubElement(root, "projectCrs"), crs)

    tree = ET.SubElement(root, "layer-tree-group")
    ET.SubElement(tree, "customproperties")
    order: list[ProjectLayer] = []
    for i, (name, layers, _meta) in enumerate(groups):
        group = ET.SubElement(
            tree,
            "layer-tree-group",
            {
                "name": name,
                "checked": "Qt::Checked" if i == 0 else "Qt::Unchecked",
                "expanded": "1",
            },
        )
        ET.SubElement(group, "customproperties")
        first_polygon = True
        for lyr in layers:
            is_data_polygon = lyr.kind == "polygon" and not _COMPANION.search(lyr.table)
            _tree_layer(group, lyr, pdir, _checked(lyr, first_polygon))
            if is_data_polygon:
                first_polygon = False
            order.append(lyr)
    ET.SubElement(tree, "custom-order", {"enabled": "0"})

    canvas = ET.SubElement(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    ET.SubElement(canvas, "units").text = "degrees" if crs.upper() == "EPSG:4326" else "meters"
    extent = _extent(all_layers, crs)
    if extent is not None:
        ext = ET.SubElement(canvas, "extent")
        for tag, v in zip(("xmin", "ymin", "xmax", "ymax"), extent, strict=True):
            ET.SubElement(ext, tag).text = repr(float(v))
    ET.SubElement(canvas, "rotation").text = "0"
    _srs_element(ET.SubElement(canvas, "destinationsrs"), crs)
    ET.SubElement(canvas, "rendermaptile").text = "0"

    projectlayers = ET.SubElement(root, "projectlayers")
    for lyr in order:
        projectlayers.append(_maplayer(lyr, pdir))
    layerorder = ET.SubElement(root, "layerorder")
    for lyr in order:
        ET.SubElement(layerorder, "layer", {"id": _layer_id(lyr)})

    props = ET.SubElement(root, "properties")
    paths = ET.SubElement(props, "Paths")
    ET.SubElement(paths, "Absolute", {"type": "bool"}).text = "false"
    # QGIS 3.22 reads <projectCrs> only when this flag is set (else the project has no CRS)
    srs_props = ET.SubElement(props, "SpatialRefSys")
    ET.SubElement(srs_props, "ProjectionsEnabled", {"type": "int"}).text = "1"
    ET.indent(root, space=" ")
    from geotrade.io.textsafe import xml_text

    body = xml_text(ET.tostring(root, encoding="unicode"))
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def write_qgz(
    path: str | os.PathLike[str],
    gpkgs: Sequence[str | os.PathLike[str]],
    *,
    map_crs: str | None = None,
    title: str = "",
) -> Path:
    """Write an editable QGIS project of ``gpkgs`` to ``path`` (``.qgz``), atomically.

    Parameters
    ----------
    path
        Output ``.qgz`` file; its directory must exist. The GeoPackages are referenced
        relative to it.
    gpkgs
        Product GeoPackages; one layer group each, the first on top.
    map_crs
        Project CRS (EPSG code or PROJ string); default the first product's ``map_crs``.
    title
        Project title; default the first product's title.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OutputError
        If ``path`` does not end in ``.qgz`` or cannot be written.
    DataNotFoundError, InputFormatError
        If a GeoPackage is missing, has no feature table, or is not a GeoPackage.
    """
    from geotrade.io.atomic import atomic_path

    path = Path(path)
    if path.suffix.lower() != ".qgz":
        msg = "a QGIS project must end in .qgz (a zip holding the .qgs)"
        raise OutputError(msg, path=path)
    xml = project_xml(gpkgs, project_dir=path.parent, map_crs=map_crs, title=title)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{path.stem}.qgs", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, xml.encode("utf-8"))
    return path


def project_layers(path: str | os.PathLike[str]) -> dict[str, str]:
    """Return ``{layer name: datasource}`` of a ``.qgz`` written by :func:`write_qgz`.

    Raises
    ------
    InputFormatError
        If the file is not a zip holding a ``.qgs``.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".qgs")]
            if not names:
                msg = "the .qgz holds no .qgs project file"
                raise InputFormatError(msg, path=path)
            root = ET.fromstring(zf.read(names[0]))
    except (zipfile.BadZipFile, ET.ParseError) as exc:
        raise InputFormatError(f"not a QGIS project archive: {exc}", path=path) from exc
    return {
        str(el.findtext("layername")): str(el.findtext("datasource"))
        for el in root.iter("maplayer")
    }
