"""Classify a numeric field of any vector layer and write it with an embedded graduated style.

This is the engine behind ``geotrade classify`` and the QGIS plugin's "Classify a field"
algorithm: read a layer (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, ...), classify one
field with :func:`geotrade.classification.classify` (exact natural breaks by default), and write a
GeoPackage whose default QGIS style shows exactly those classes (plus an optional ``.qml``
sidecar). Features whose value is missing are kept and drawn in a "No data" class; nothing
is dropped.

Examples
--------
>>> import tempfile, pathlib
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> gdf = gpd.GeoDataFrame({"v": [1.0, 2.0, 2.5, 9.0, 10.0, None]},
...     geometry=[box(i, 0, i + 1, 1) for i in range(6)], crs="EPSG:4326")
>>> gdf.to_file(d / "in.gpkg", layer="cells")
>>> res = classify_layer(d / "in.gpkg", field="v", k=2, out=d / "out.gpkg")
>>> res.layer, [float(b) for b in res.classification.bins], res.nodata
('cells', [2.5, 10.0], 1)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from geotrade.builders.classified import build_classified
from geotrade.builders.result import write_product
from geotrade.classification import Classification, Scheme
from geotrade.errors import DataNotFoundError, InputFormatError, OutputError
from geotrade.style.spec import LayerStyle

__all__ = ["ClassifiedLayer", "classify_layer"]

_MAX_LISTED = 20


@dataclass(frozen=True)
class ClassifiedLayer:
    """Result of :func:`classify_layer`.

    Attributes
    ----------
    out, qml
        Written GeoPackage and optional QML sidecar.
    layer
        Name of the layer in ``out``.
    classification
        The classification (bins, counts, GVF, ...).
    style
        The style embedded as the layer's default.
    nodata
        Number of features without a value (kept, drawn as "No data").
    """

    out: Path
    qml: Path | None
    layer: str
    classification: Classification
    style: LayerStyle
    nodata: int
    warnings: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """JSON-able summary (the ``geotrade --json classify`` result)."""
        c = self.classification
        outputs = {"gpkg": str(self.out)}
        if self.qml is not None:
            outputs["qml"] = str(self.qml)
        return {
            "outputs": outputs,
            "layer": self.layer,
            "field": self.style.field,
            "scheme": c.scheme,
            "k": int(c.k),
            "bins": [float(b) for b in c.bins],
            "counts": [int(n) for n in c.counts],
            "nodata": self.nodata,
            "gvf": None if c.gvf is None or np.isnan(c.gvf) else float(c.gvf),
            "warnings": list(self.warnings),
        }


def _read(path: Path, layer: str | None) -> tuple[Any, str]:
    import pyogrio

    if not path.exists():
        msg = "the input layer file does not exist; check the path"
        raise DataNotFoundError(msg, path=path)
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # pyogrio raises DataSourceError (not an OSError)
        msg = (
            f"cannot open as a vector data set ({exc}); expected a GeoPackage, Shapefile, "
            "GeoJSON or another OGR-readable vector file"
        )
        raise InputFormatError(msg, path=path) from exc
    if not names:
        msg = "the data set has no layers"
        raise InputFormatError(msg, path=path)
    if layer is None:
        if len(names) > 1:
            msg = (
                f"the data set has {len(names)} layers ({', '.join(names)}); "
                "choose one with --layer"
            )
            raise InputFormatError(msg, path=path)
        layer = names[0]
    elif layer not in names:
        msg = f"no layer named {layer!r}; the data set has: {', '.join(names)}"
        raise DataNotFoundError(msg, path=path)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
    except Exception as exc:
        msg = f"cannot read layer {layer!r}: {exc}"
        raise InputFormatError(msg, path=path) from exc
    return gdf, layer


def _check_geometry(gdf: Any, path: Path, layer: str) -> list[str]:
    """Reject a CRS that contradicts the coordinates; list empty and invalid geometries."""
    notes: list[str] = []
    geom = gdf.geometry if "geometry" in gdf.columns else None
    if geom is None:
        return [f"layer {layer!r} has no geometry: the output is a table without a map"]
    present = geom.notna() & ~geom.is_empty
    if not present.any():
        msg = (
            f"layer {layer!r} has no usable geometry: all {len(gdf)} features are empty or "
            "NULL; check that the file was exported with its geometries"
        )
        raise InputFormatError(msg, path=path)
    if gdf.crs is None:
        notes.append(f"layer {layer!r} has no CRS; QGIS will ask for one (set it in the source)")
    elif gdf.crs.is_geographic:
        xmin, ymin, xmax, ymax = geom[present].total_bounds
        if xmin < -181 or xmax > 361 or ymin < -91 or ymax > 91:
            msg = (
                f"layer {layer!r} declares the geographic CRS {gdf.crs.to_string()} but its "
                f"coordinates span x {xmin:.0f}..{xmax:.0f}, y {ymin:.0f}..{ymax:.0f}, which are "
                "not degrees: the CRS is wrong (probably a projected CRS in metres); assign the "
                "right CRS in the source file"
            )
            raise InputFormatError(msg, path=path)
    elif gdf.crs.is_projected:  # degrees labelled as metres (e.g. EPSG:3857 on lon/lat data)
        xmin, ymin, xmax, ymax = geom[present].total_bounds
        if max(abs(xmin), abs(xmax)) <= 180 and max(abs(ymin), abs(ymax)) <= 90 and xmax - xmin > 1:
            msg = (
                f"layer {layer!r} declares the projected CRS {gdf.crs.to_string()} (units: "
                f"{gdf.crs.axis_info[0].unit_name}) but its coordinates span x {xmin:.1f}.."
                f"{xmax:.1f}, y {ymin:.1f}..{ymax:.1f}, which look like degrees: the CRS is "
                "wrong (probably EPSG:4326); assign the right CRS in the source file"
            )
            raise InputFormatError(msg, path=path)
    missing = np.flatnonzero(~present.to_numpy())
    if len(missing):
        fids = ", ".join(str(gdf.index[i]) for i in missing[:_MAX_LISTED])
        notes.append(
            f"{len(missing)} feature(s) have empty or NULL geometry (FID {fids}); they are kept "
            "in the table but cannot be drawn"
        )
    invalid = np.flatnonzero((present & ~geom.is_valid).to_numpy())
    if len(invalid):
        fids = ", ".join(str(gdf.index[i]) for i in invalid[:_MAX_LISTED])
        notes.append(
            f"{len(invalid)} feature(s) have invalid geometry (FID {fids}), e.g. "
            "self-intersections; they are kept as they are (repair them with QGIS "
            "'Fix geometries' if the map draws them wrongly)"
        )
    return notes


def classify_layer(
    src: str | os.PathLike[str],
    *,
    field: str,
    out: str | os.PathLike[str],
    layer: str | None = None,
    out_layer: str | None = None,
    k: int = 5,
    scheme: Scheme = "fisher_jenks",
    bins: list[float] | None = None,
    palette_name: str | None = None,
    reverse: bool = False,
    fmt: str = "{:.2f}",
    title: str | None = None,
    qml: str | os.PathLike[str] | None = None,
) -> ClassifiedLayer:
    """Classify ``field`` of a vector layer and write a styled GeoPackage.

    Parameters
    ----------
    src
        Any OGR-readable vector file.
    field
        Numeric attribute to classify. Missing values are kept as "No data".
    out
        Output GeoPackage (replaced atomically; the input file is never modified).
    layer
        Layer of ``src``; needed when the data set has several.
    out_layer
        Layer name in ``out``; defaults to the input layer's name.
    k, scheme, bins
        Passed to :func:`geotrade.classification.classify` (``bins`` for ``"user_defined"``).
    palette_name
        Colour palette (see :mod:`geotrade.style.palettes`); default ``YlGnBu``, or ``RdBu``
        (reversed: blue low, red high) for the ``symmetric`` scheme.
    reverse
        Reverse the palette.
    fmt
        Format of the legend numbers.
    title
        Legend title (default: the field name).
    qml
        Also write the style as a QML sidecar here.

    Returns
    -------
    ClassifiedLayer

    Raises
    ------
    DataNotFoundError, InputFormatError, ValidationError, ClassificationError, OutputError
    """
    from geotrade.io.atomic import atomic_path, check_outputs
    from geotrade.style.qml import to_qml

    path = Path(src)
    check_outputs(out, qml)  # both writable before the GeoPackage is written
    if Path(out).suffix.lower() != ".gpkg":
        msg = (
            f"the output must be a .gpkg file (classify writes a styled GeoPackage; "
            f"got {Path(out).name!r}); name it *.gpkg (convert it in QGIS for another format)"
        )
        raise InputFormatError(msg, path=out)
    gdf, layer = _read(path, layer)
    notes = _check_geometry(gdf, path, layer)
    target = Path(out)
    if target.resolve() == path.resolve():
        msg = "the output must not overwrite the input file; choose another --out"
        raise OutputError(msg, path=target)
    name_out = out_layer or layer
    product = build_classified(
        gdf, field=field, layer=name_out, k=k, scheme=scheme, bins=bins,
        palette_name=palette_name, reverse=reverse, fmt=fmt, title=title, source=path,
        source_layer=layer, notes=notes,
    )  # fmt: skip
    style = product.styles[name_out]
    result = product.statistics["classification"]
    nodata = int(product.metadata.extra["nodata_features"])
    write_product(product, gpkg=target)
    qml_path: Path | None = None
    if qml is not None:
        qml_path = Path(qml)
        geom = str(gdf.geom_type.dropna().iloc[0]) if gdf.geom_type.notna().any() else ""
        geometry: Literal["line", "point", "polygon"] = (
            "line" if "Line" in geom else "point" if "Point" in geom else "polygon"
        )
        with atomic_path(qml_path) as tmp:
            tmp.write_text(to_qml(style, geometry=geometry), encoding="utf-8")
    return ClassifiedLayer(
        out=target,
        qml=qml_path,
        layer=name_out,
        classification=result,
        style=style,
        nodata=nodata,
        warnings=list(product.metadata.notes),
    )
