"""Styled, reproducible GeoPackages that open in QGIS 3.22 with their classes.

:func:`write_gpkg` writes one or more layers into a GeoPackage 1.2 file and embeds, per
layer:

* a default QGIS style (QML from :func:`geotrade.style.qml.to_qml`) and an SLD 1.1
  version (:func:`geotrade.style.sld.to_sld`) in the ``layer_styles`` table that QGIS reads
  when the layer is opened (``f_table_schema=''``, ``f_geometry_column`` = the real
  geometry column, ``useAsDefault=1``), registered in ``gpkg_contents``;
* provenance metadata (a JSON document) for the whole file in the GeoPackage metadata
  extension (``gpkg_metadata`` + ``gpkg_metadata_reference``, declared in
  ``gpkg_extensions``), read back with :func:`read_gpkg_metadata`.

Keys geotrade adds to that document (unless the caller gives them):

``geotrade_version``
    The engine version.
``map_crs``, ``map_crs_name``
    The projection intent of the product (:mod:`geotrade.maps.crs`): ``"EPSG:8857"``
    (Equal Earth) for world products, the Albers conic PROJ string (``+proj=aea ...``) for
    China products, chosen from the lon/lat extent of all feature tables as the static maps
    choose it, or given with ``map_crs=``. The QGIS plugin sets it on an empty project and
    draws its print layouts in it.
``layer_titles``
    ``{table: {"title_en": ..., "title_zh": ...}}``: the bilingual title of each styled
    table's style (legend titles and layout subtitles in QGIS).

Guarantees:

* **GeoPackage 1.2** (``PRAGMA user_version`` = 10200): QGIS 3.22 (GDAL 3.6) warns on
  every open of the 1.4 files that current GDAL writes by default.
* **Reproducible:** the same inputs give a byte-identical file. GDAL's timestamps are
  pinned with ``OGR_CURRENT_DATE`` and every timestamp geotrade writes is
  :data:`FIXED_TIMESTAMP`.
* **Atomic:** the file is written to a hidden temporary file in the same directory and
  moved into place only when complete (:func:`geotrade.io.atomic.atomic_path`); on any
  failure a previous file is left untouched.

Examples
--------
>>> import tempfile, pathlib
>>> import geopandas as gpd
>>> from shapely import box
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> gdf = gpd.GeoDataFrame({"cls": ["a", None]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
...                        crs="EPSG:4326")
>>> style = LayerStyle(
...     kind="categorized", field="cls", title_en="Class", title_zh="类别",
...     classes=(ClassStyle(label_en="A", label_zh="甲", color="#1b9e77", value="a"),),
...     nodata=ClassStyle(label_en="No data", label_zh="无数据", color="#d9d9d9"))
>>> out = write_gpkg(pathlib.Path(tempfile.mkdtemp()) / "demo.gpkg", {"countries": gdf},
...                  styles={"countries": style}, metadata={"synthetic": True})
>>> meta = read_gpkg_metadata(out)
>>> meta["synthetic"], meta["map_crs"]
(True, 'EPSG:8857')
>>> meta["layer_titles"]["countries"]["title_zh"]
'类别'
>>> 'type="categorizedSymbol"' in read_gpkg_style(out, "countries")
True
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from geotrade._version import __version__
from geotrade.errors import DataNotFoundError, InputFormatError, OutputError
from geotrade.io.atomic import atomic_path
from geotrade.style.qml import to_qml
from geotrade.style.sld import to_sld
from geotrade.style.spec import LayerStyle

__all__ = [
    "FIXED_TIMESTAMP",
    "METADATA_MIME_TYPE",
    "METADATA_STANDARD_URI",
    "read_gpkg_metadata",
    "read_gpkg_style",
    "write_gpkg",
]

FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"
"""Timestamp written everywhere a GeoPackage asks for one, so that files are reproducible."""

METADATA_STANDARD_URI = "https://geotrade.invalid/metadata/provenance/1"
"""``gpkg_metadata.md_standard_uri`` of geotrade's provenance document."""

METADATA_MIME_TYPE = "application/json"
"""``gpkg_metadata.mime_type`` of geotrade's provenance document."""

_METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"

# DDL as QGIS 3.22 creates it (see the module docstring of tests/qgis and qgis.md)
_LAYER_STYLES_DDL = """
CREATE TABLE IF NOT EXISTS "layer_styles" (
 "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
 "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256),
 "f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT,
 "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30),
 "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
"""

# GeoPackage 1.2, clause 2.5.2 (absent when a file holds only attribute tables)
_EXTENSIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT,"
    " extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,"
    " CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
)

# GeoPackage 1.2, clause F.8 (metadata extension); identical to what GDAL creates
_METADATA_DDL = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata ("
    "id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,"
    "md_scope TEXT NOT NULL DEFAULT 'dataset',"
    "md_standard_uri TEXT NOT NULL,"
    "mime_type TEXT NOT NULL DEFAULT 'text/xml',"
    "metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference ("
    "reference_scope TEXT NOT NULL,"
    "table_name TEXT,"
    "column_name TEXT,"
    "row_id_value INTEGER,"
    "timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
    "md_file_id INTEGER NOT NULL,"
    "md_parent_id INTEGER,"
    "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),"
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
)

_GEOMETRY_KIND: dict[str, Literal["polygon", "line", "point"]] = {
    "POLYGON": "polygon",
    "MULTIPOLYGON": "polygon",
    "CURVEPOLYGON": "polygon",
    "MULTISURFACE": "polygon",
    "LINESTRING": "line",
    "MULTILINESTRING": "line",
    "CIRCULARSTRING": "line",
    "COMPOUNDCURVE": "line",
    "MULTICURVE": "line",
    "POINT": "point",
    "MULTIPOINT": "point",
}


# --------------------------------------------------------------------------- writing


def write_gpkg(
    path: str | os.PathLike[str],
    layers: Mapping[str, pd.DataFrame],
    *,
    styles: Mapping[str, LayerStyle] | None = None,
    metadata: Mapping[str, object] | None = None,
    map_crs: str | None = "auto",
    overwrite: bool = True,
) -> Path:
    """Write layers, their default QGIS styles and provenance metadata to a GeoPackage.

    Parameters
    ----------
    path
        Output ``.gpkg`` file. Its directory must exist.
    layers
        Table name -> data, written in the mapping's order. A
        :class:`geopandas.GeoDataFrame` becomes a feature table (with a spatial index); a
        plain :class:`pandas.DataFrame` becomes an attribute table (no geometry).
    styles
        Table name -> style for some or all feature tables. Each becomes the default
        style of its layer (QML) with an SLD copy. A graduated style with a no-data class
        is written as a rule-based QGIS renderer so that no-data features are drawn (see
        :mod:`geotrade.style.qml`).
    metadata
        Provenance of the whole file (source files, synthetic flag, classification
        scheme, breaks, GVF, ...). Must be JSON-serialisable after converting NumPy
        scalars and arrays, paths, dates and tuples; NaN and infinities become ``null``.
        ``geotrade_version``, ``map_crs``/``map_crs_name`` and ``layer_titles`` are added
        unless given (see the module docstring).
    map_crs
        The product's map CRS recorded as ``map_crs``: ``"auto"`` (default) picks Equal
        Earth or the China Albers conic from the feature tables' extent
        (:func:`geotrade.maps.crs.map_crs_for_bounds`; no key when there is no feature
        table); any other string (an ``EPSG:`` code or a PROJ string) is written as given;
        ``None`` writes no ``map_crs``. A ``map_crs`` key in ``metadata`` wins.
    overwrite
        Replace an existing file (atomically). With ``False`` an existing file is an error.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputFormatError
        If a table name is empty or reserved, a style refers to an unknown or aspatial
        table, a style's field is not a column of its table, or metadata is not JSON.
    OutputError
        If the file exists and ``overwrite=False``, or it cannot be written (read-only
        directory, full disk, ...). A previous file is left intact.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "table.gpkg"
    >>> _ = write_gpkg(out, {"flows": pd.DataFrame({"iso3": ["CHN"], "value": [1.5]})})
    >>> import sqlite3
    >>> sqlite3.connect(out).execute("PRAGMA user_version").fetchone()[0]
    10200
    """
    import pyogrio  # local: keeps `import geotrade` light

    path = Path(path)
    styles = dict(styles or {})
    _check_inputs(layers, styles)
    document = _metadata_document(_with_intent(metadata, layers, styles, map_crs=map_crs))
    if path.exists() and not overwrite:
        msg = "the file exists and overwrite=False; pass overwrite=True or choose another path"
        raise OutputError(msg, path=path)

    with atomic_path(path) as tmp, _pinned_gdal_date():
        for name, frame in layers.items():
            try:
                pyogrio.write_dataframe(
                    frame,
                    tmp,
                    layer=name,
                    driver="GPKG",
                    dataset_options={"VERSION": "1.2"},
                    layer_options={"SPATIAL_INDEX": "YES"} if _is_spatial(frame) else None,
                )
            except OSError:
                raise
            except Exception as exc:  # pyogrio's own errors are not OSErrors
                msg = f"could not write layer {name!r}: {exc}"
                raise OutputError(msg, path=path) from exc
        try:
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.execute("BEGIN")
                _write_styles(con, layers, styles)
                _write_metadata(con, document)
                con.execute("COMMIT")
            finally:
                con.close()
        except sqlite3.Error as exc:
            msg = f"could not write styles/metadata: {exc}"
            raise OutputError(msg, path=path) from exc
    return path


def _with_intent(
    metadata: Mapping[str, object] | None,
    layers: Mapping[str, pd.DataFrame],
    styles: Mapping[str, LayerStyle],
    *,
    map_crs: str | None,
) -> dict[str, object]:
    """``metadata`` plus ``map_crs``/``map_crs_name`` and ``layer_titles`` (callers' keys win)."""
    from geotrade.maps.crs import MAP_CRS_NAMES, map_crs_for_bounds

    doc = dict(metadata or {})
    if map_crs is not None and "map_crs" not in doc:
        crs: str | None = map_crs
        if map_crs == "auto":
            bounds = _lonlat_bounds(layers)
            crs = None if bounds is None else map_crs_for_bounds(bounds)
        if crs is not None:
            doc["map_crs"] = crs
            if crs in MAP_CRS_NAMES:
                doc.setdefault("map_crs_name", MAP_CRS_NAMES[crs])
    if styles and "layer_titles" not in doc:
        doc["layer_titles"] = {
            name: {"title_en": styles[name].title_en, "title_zh": styles[name].title_zh}
            for name in layers
            if name in styles
        }
    return doc


def _lonlat_bounds(layers: Mapping[str, pd.DataFrame]) -> tuple[float, ...] | None:
    """Union of the feature tables' bounds in EPSG:4326 (None: no georeferenced geometry)."""
    boxes = []
    for frame in layers.values():
        if not _is_spatial(frame) or frame.crs is None or frame.geometry.is_empty.all():
            continue
        geo = frame.geometry if frame.crs.equals("EPSG:4326") else frame.geometry.to_crs(4326)
        box = tuple(float(v) for v in geo.total_bounds)
        if all(math.isfinite(v) for v in box):
            boxes.append(box)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _is_spatial(frame: pd.DataFrame) -> bool:
    import geopandas as gpd

    return isinstance(frame, gpd.GeoDataFrame) and frame.active_geometry_name in frame.columns


def _check_inputs(layers: Mapping[str, pd.DataFrame], styles: Mapping[str, LayerStyle]) -> None:
    if not layers:
        msg = "no layers to write; pass at least one {'name': GeoDataFrame} item"
        raise InputFormatError(msg)
    for name, frame in layers.items():
        if not isinstance(name, str) or not name.strip():
            msg = f"layer names must be non-empty strings, got {name!r}"
            raise InputFormatError(msg)
        lowered = name.lower()
        if lowered == "layer_styles" or lowered.startswith(("gpkg_", "rtree_", "sqlite_")):
            msg = f"layer name {name!r} is reserved by GeoPackage/QGIS; choose another name"
            raise InputFormatError(msg)
        if not isinstance(frame, pd.DataFrame):
            msg = f"layer {name!r} must be a (Geo)DataFrame, got {type(frame).__name__}"
            raise InputFormatError(msg)
    for name, style in styles.items():
        if name not in layers:
            msg = (
                f"a style is given for {name!r} but there is no such layer; layers: {list(layers)}"
            )
            raise InputFormatError(msg)
        if not _is_spatial(layers[name]):
            msg = f"layer {name!r} has no geometry, so it cannot have a map style"
            raise InputFormatError(msg)
        if style.field not in layers[name].columns:
            msg = (
                f"the style of layer {name!r} classifies field {style.field!r}, which is not "
                f"a column; columns: {list(layers[name].columns)}"
            )
            raise InputFormatError(msg)


@contextlib.contextmanager
def _pinned_gdal_date() -> Iterator[None]:
    """Pin GDAL's GeoPackage timestamps (``gpkg_contents.last_change``), then restore."""
    old = os.environ.get("OGR_CURRENT_DATE")
    os.environ["OGR_CURRENT_DATE"] = FIXED_TIMESTAMP
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OGR_CURRENT_DATE", None)
        else:
            os.environ["OGR_CURRENT_DATE"] = old


def _write_styles(
    con: sqlite3.Connection,
    layers: Mapping[str, pd.DataFrame],
    styles: Mapping[str, LayerStyle],
) -> None:
    con.execute(_LAYER_STYLES_DDL)
    con.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description,"
        " last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?)",
        (FIXED_TIMESTAMP,),
    )
    for name in layers:  # the layers' order, not the styles mapping's order
        if name not in styles:
            continue
        row = con.execute(
            "SELECT column_name, geometry_type_name FROM gpkg_geometry_columns"
            " WHERE lower(table_name) = lower(?)",
            (name,),
        ).fetchone()
        if row is None:  # pragma: no cover - checked before writing
            msg = f"layer {name!r} has no geometry column in gpkg_geometry_columns"
            raise OutputError(msg)
        geom_column, geom_type = row
        kind = _GEOMETRY_KIND.get(str(geom_type).upper(), "polygon")
        style = styles[name]
        con.execute(
            'INSERT INTO "layer_styles" ("f_table_catalog", "f_table_schema", "f_table_name",'
            ' "f_geometry_column", "styleName", "styleQML", "styleSLD", "useAsDefault",'
            ' "description", "owner", "ui", "update_time")'
            " VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
            (
                name,
                geom_column,
                name,
                to_qml(style, geometry=kind),
                to_sld(style, layer_name=name, geometry=kind),
                f"geotrade {__version__}: {style.title_en} / {style.title_zh}",
                FIXED_TIMESTAMP,
            ),
        )


def _write_metadata(con: sqlite3.Connection, document: str) -> None:
    for ddl in (_EXTENSIONS_DDL, *_METADATA_DDL):
        con.execute(ddl)
    for table in ("gpkg_metadata", "gpkg_metadata_reference"):
        exists = con.execute(
            "SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name ="
            " 'gpkg_metadata'",
            (table,),
        ).fetchone()
        if not exists:
            con.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name,"
                " definition, scope) VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')",
                (table, _METADATA_EXTENSION),
            )
    cur = con.execute(
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata)"
        " VALUES ('dataset', ?, ?, ?)",
        (METADATA_STANDARD_URI, METADATA_MIME_TYPE, document),
    )
    con.execute(
        "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name,"
        " row_id_value, timestamp, md_file_id, md_parent_id)"
        " VALUES ('geopackage', NULL, NULL, NULL, ?, ?, NULL)",
        (FIXED_TIMESTAMP, cur.lastrowid),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if hasattr(value, "tolist"):  # NumPy scalars and arrays, pandas Index/Series
        return _jsonable(value.tolist())
    msg = f"metadata value {value!r} ({type(value).__name__}) is not JSON-serialisable"
    raise InputFormatError(msg)


def _metadata_document(metadata: Mapping[str, object] | None) -> str:
    doc = _jsonable(dict(metadata or {}))
    doc.setdefault("geotrade_version", __version__)
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False)


# --------------------------------------------------------------------------- reading


def _connect_ro(path: str | os.PathLike[str]) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        msg = "GeoPackage not found; check the path"
        raise DataNotFoundError(msg, path=path)
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:  # pragma: no cover - depends on the file system
        msg = f"cannot open the GeoPackage: {exc}"
        raise InputFormatError(msg, path=path) from exc


def read_gpkg_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the provenance document :func:`write_gpkg` stored in a GeoPackage.

    Parameters
    ----------
    path
        A GeoPackage written by :func:`write_gpkg`.

    Returns
    -------
    dict
        The metadata as written (JSON types), including ``geotrade_version``; an empty
        dict if the file has no geotrade metadata.

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InputFormatError
        If the file is not an SQLite/GeoPackage file or the document is not valid JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.gpkg"
    >>> _ = write_gpkg(out, {"t": pd.DataFrame({"a": [1]})}, metadata={"breaks": (0.5, 1.0)})
    >>> read_gpkg_metadata(out)["breaks"]
    [0.5, 1.0]
    """
    con = _connect_ro(path)
    try:
        has_table = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_metadata'"
        ).fetchone()
        if not has_table:
            return {}
        row = con.execute(
            "SELECT metadata FROM gpkg_metadata WHERE md_standard_uri = ? AND mime_type = ?"
            " ORDER BY id DESC LIMIT 1",
            (METADATA_STANDARD_URI, METADATA_MIME_TYPE),
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        msg = f"not a GeoPackage: {exc}"
        raise InputFormatError(msg, path=path) from exc
    finally:
        con.close()
    if row is None:
        return {}
    try:
        doc = json.loads(row[0])
    except json.JSONDecodeError as exc:
        msg = f"the geotrade metadata is not valid JSON: {exc}"
        raise InputFormatError(msg, path=path) from exc
    return dict(doc)


def read_gpkg_style(
    path: str | os.PathLike[str],
    layer: str,
    *,
    fmt: Literal["qml", "sld"] = "qml",
) -> str:
    """Return the style QGIS applies by default to ``layer`` of a GeoPackage.

    The row is chosen exactly as QGIS 3.22 does: ``f_table_schema=''``, the layer's table
    name and real geometry column, default styles first, then the newest.

    Parameters
    ----------
    path
        A GeoPackage file.
    layer
        The table name.
    fmt
        ``"qml"`` (default) or ``"sld"``.

    Returns
    -------
    str
        The QML (or SLD) document.

    Raises
    ------
    DataNotFoundError
        If the file, the layer or its style does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> pts = gpd.GeoDataFrame({"v": [1.0]}, geometry=[Point(0, 0)], crs="EPSG:4326")
    >>> style = LayerStyle(kind="graduated", field="v", title_en="V", title_zh="V",
    ...     classes=(ClassStyle(label_en="all", label_zh="全部", color="#3182bd",
    ...                         lower=0.0, upper=2.0),))
    >>> out = write_gpkg(pathlib.Path(tempfile.mkdtemp()) / "p.gpkg", {"pts": pts},
    ...                  styles={"pts": style})
    >>> "SimpleMarker" in read_gpkg_style(out, "pts")
    True
    """
    if fmt not in ("qml", "sld"):
        msg = f"fmt must be 'qml' or 'sld', got {fmt!r}"
        raise ValueError(msg)
    column = '"styleQML"' if fmt == "qml" else '"styleSLD"'
    con = _connect_ro(path)
    try:
        geom = con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
        if geom is None:
            msg = f"no feature table {layer!r} in the GeoPackage"
            raise DataNotFoundError(msg, path=path)
        has_styles = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'"
        ).fetchone()
        row = None
        if has_styles:
            row = con.execute(
                f"SELECT {column} FROM layer_styles WHERE f_table_schema = ''"
                " AND f_table_name = ? AND f_geometry_column = ?"
                " ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1",
                (layer, geom[0]),
            ).fetchone()
    finally:
        con.close()
    if row is None or row[0] is None:
        msg = f"layer {layer!r} has no default style in layer_styles"
        raise DataNotFoundError(msg, path=path)
    return str(row[0])
