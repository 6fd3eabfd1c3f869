"""Raster output: burn a classified layer into a paletted GeoTIFF.

For users who combine a thematic map with raster data (land cover, population grids, ...),
:func:`rasterize_classes` burns every feature's class index from one
:class:`~geotrade.style.spec.LayerStyle` into a single-band ``uint8`` GeoTIFF. The file
carries everything needed to read it without the style:

Pixel values
    ``i`` is the index of the feature's class in ``style.all_classes()`` (the classes in
    legend order, then the no-data class when the style has one). Features whose value
    falls in no class and the style has no no-data class, and pixels no feature covers,
    hold ``nodata_index`` (255 by default), which is the band's nodata value.
Colour table
    Entry ``i`` is the class colour, opaque: TIFF palettes have no alpha channel, so the
    alpha of ``#rrggbbaa`` colours is kept only in the QGIS sidecar. The
    ``nodata_index`` entry is black, and GDAL reports it as transparent.
Metadata (GDAL tags)
    ``CLASS_<i>_LABEL`` (``"English / 中文"``), ``CLASS_<i>_LABEL_EN``,
    ``CLASS_<i>_LABEL_ZH``; ``CLASS_<i>_LOWER`` and ``CLASS_<i>_UPPER`` for graduated
    classes or ``CLASS_<i>_VALUE`` for categorized ones (the no-data class has
    ``CLASS_<i>_NODATA=YES`` instead); ``CLASS_COUNT``, ``CLASSIFIED_FIELD``,
    ``CLASS_KIND``, ``INTERVALS_CLOSED`` (graduated) and ``NODATA_INDEX``; plus the
    caller's ``tags`` (e.g. a note that the data are synthetic). The band description is
    the bilingual layer title.
Grid
    Square pixels of ``resolution`` CRS units. The grid origin is snapped to a multiple
    of ``resolution`` (like ``gdalwarp -tap``), so rasters written at the same resolution
    and CRS line up pixel for pixel with each other and with other aligned rasters. The
    grid covers the total bounds of the (reprojected) features. A pixel takes the class
    of the feature covering its centre (or, with ``all_touched=True``, of any feature
    touching it); where features overlap, the later row wins.
QGIS
    A sidecar ``<name>.qml`` (paletted renderer with the same colours and labels) is
    written next to the GeoTIFF unless ``qml=False``; QGIS loads it automatically.

Both files are written atomically (see :func:`geotrade.io.atomic.atomic_path`).

Examples
--------
>>> import geopandas as gpd, rasterio, tempfile, pathlib
>>> from shapely.geometry import box
>>> from geotrade.style.spec import ClassStyle, LayerStyle
>>> style = LayerStyle(
...     kind="categorized", field="cls", title_en="Class", title_zh="类别",
...     classes=(ClassStyle("Low", "低", "#fee08b", value="a"),
...              ClassStyle("High", "高", "#d73027", value="b")))
>>> gdf = gpd.GeoDataFrame({"cls": ["a", "b"]},
...     geometry=[box(0, 0, 20, 20), box(20, 0, 40, 20)], crs=3857)
>>> out = rasterize_classes(gdf, style, pathlib.Path(tempfile.mkdtemp()) / "cls.tif",
...                         resolution=10)
>>> with rasterio.open(out) as src:
...     print(src.read(1).tolist(), src.tags()["CLASS_1_LABEL"])
[[0, 0, 1, 1], [0, 0, 1, 1]] High / 高
"""

from __future__ import annotations

import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from geotrade.errors import InputFormatError
from geotrade.io.atomic import atomic_path
from geotrade.maps.webmap import _is_missing
from geotrade.style.qml import QGIS_STYLE_VERSION, hex_to_qgis_color
from geotrade.style.spec import ClassStyle, LayerStyle

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["MAX_PIXELS", "class_indices", "rasterize_classes"]

MAX_PIXELS = 100_000_000
"""Largest grid (width * height) :func:`rasterize_classes` writes (100 MB as ``uint8``)."""

_TILE = 256


def class_indices(gdf: gpd.GeoDataFrame, style: LayerStyle, *, nodata_index: int = 255) -> Any:
    """Return each feature's class index in ``style.all_classes()``.

    Parameters
    ----------
    gdf
        Features with the column ``style.field``.
    style
        The classes; missing values (None, NaN, NaT, ``pd.NA``) fall in its no-data class.
    nodata_index
        Index given to features that fall in no class (only possible when the style has
        no no-data class).

    Returns
    -------
    numpy.ndarray
        ``uint8`` array, one entry per row of ``gdf``.

    Raises
    ------
    InputFormatError
        If ``gdf`` has no column ``style.field``, or ``nodata_index`` is not in 0-255 or
        equals a class index.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(
    ...     kind="graduated", field="v", title_en="V", title_zh="V",
    ...     classes=(ClassStyle("Low", "低", "#fee08b", lower=0, upper=1),
    ...              ClassStyle("High", "高", "#d73027", lower=1, upper=2)),
    ...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
    >>> class_indices(gpd.GeoDataFrame({"v": [0.5, 2.0, None]}), style).tolist()
    [0, 1, 2]
    """
    classes = style.all_classes()
    _check_nodata_index(nodata_index, len(classes))
    if style.field not in gdf.columns:
        msg = (
            f"the style classifies column {style.field!r} but the GeoDataFrame has "
            f"{list(gdf.columns)}; join the values first or pass the matching style"
        )
        raise InputFormatError(msg, column=style.field)
    # classes are frozen dataclasses and may compare equal; map by identity
    position = {id(c): i for i, c in enumerate(classes)}
    out = np.empty(len(gdf), dtype=np.uint8)
    statuses = (
        gdf[style.status_field].tolist() if style.status_field in gdf.columns else [None] * len(gdf)
    )
    for k, (v, st) in enumerate(zip(gdf[style.field].tolist(), statuses, strict=True)):
        cls = style.class_for_feature(None if _is_missing(v) else v, st)
        out[k] = nodata_index if cls is None else position[id(cls)]
    return out


def rasterize_classes(
    gdf: gpd.GeoDataFrame,
    style: LayerStyle,
    path: str | os.PathLike[str],
    *,
    resolution: float,
    crs: Any = None,
    nodata_index: int = 255,
    all_touched: bool = False,
    tags: Mapping[str, str] | None = None,
    qml: bool = True,
) -> Path:
    """Burn the class of each feature into a paletted single-band GeoTIFF.

    See the module docstring for the pixel values, colour table, metadata tags and grid.

    Parameters
    ----------
    gdf
        Features (polygons, lines or points) with the column ``style.field`` and a CRS.
        Rows with a missing or empty geometry are skipped.
    style
        Classes, colours and labels; the same object the vector outputs use.
    path
        The GeoTIFF to create or replace (its directory must exist).
    resolution
        Pixel size in units of the output CRS (metres for EPSG:3857, degrees for
        EPSG:4326).
    crs
        Output CRS (anything :meth:`geopandas.GeoDataFrame.to_crs` accepts). Default: the
        CRS of ``gdf``.
    nodata_index
        Pixel value of "no feature / no class", 0-255; must not be a class index.
    all_touched
        Burn every pixel a feature touches, not only those whose centre it covers. Useful
        for small features and lines at coarse resolutions.
    tags
        Extra GDAL metadata written to the dataset, e.g.
        ``{"NOTE": "synthetic data, not real trade flows"}``. Keys must not clash with
        the class tags.
    qml
        Also write ``<path stem>.qml`` (QGIS paletted raster style) next to the GeoTIFF.

    Returns
    -------
    pathlib.Path
        The GeoTIFF written.

    Raises
    ------
    InputFormatError
        If ``gdf`` has no CRS (and ``crs`` cannot be used), lacks ``style.field``, has no
        non-empty geometry or non-finite bounds; if ``resolution`` is not a positive
        number; if ``nodata_index`` is invalid; if the style has more than 255 classes; if
        a tag clashes with a class tag; or if the grid would exceed :data:`MAX_PIXELS`.
    OutputError
        If the file cannot be written (missing or read-only directory, full disk, ...).

    Examples
    --------
    >>> import geopandas as gpd, rasterio, tempfile, pathlib
    >>> from shapely.geometry import box
    >>> from geotrade.style.spec import ClassStyle, LayerStyle
    >>> style = LayerStyle(
    ...     kind="graduated", field="v", title_en="Value", title_zh="数值",
    ...     classes=(ClassStyle("Low", "低", "#fee08b", lower=0, upper=1),),
    ...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"))
    >>> gdf = gpd.GeoDataFrame({"v": [0.5, float("nan")]},
    ...     geometry=[box(0, 0, 2, 1), box(3, 0, 4, 1)], crs=4326)
    >>> out = rasterize_classes(gdf, style, pathlib.Path(tempfile.mkdtemp()) / "v.tif",
    ...                         resolution=1, tags={"NOTE": "synthetic"})
    >>> with rasterio.open(out) as src:
    ...     print(src.read(1).tolist(), src.nodata, src.colormap(1)[1], src.tags()["NOTE"])
    [[0, 0, 255, 1]] 255.0 (217, 217, 217, 255) synthetic
    >>> out.with_suffix(".qml").exists()
    True
    """
    import rasterio
    import rasterio.features
    from rasterio.transform import Affine

    classes = style.all_classes()
    if len(classes) > 255:
        msg = (
            f"a uint8 raster holds at most 255 classes plus nodata; the style has "
            f"{len(classes)}; merge classes or use a vector output"
        )
        raise InputFormatError(msg)
    _check_nodata_index(nodata_index, len(classes))
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, (int, float, np.integer, np.floating))
        or not math.isfinite(float(resolution))
        or resolution <= 0
    ):
        msg = f"resolution must be a positive number of CRS units per pixel; got {resolution!r}"
        raise InputFormatError(msg)
    res = float(resolution)
    if gdf.crs is None:
        msg = (
            "the GeoDataFrame has no CRS, so its coordinates cannot be placed on a grid; "
            "set it first, e.g. gdf.set_crs(4326)"
        )
        raise InputFormatError(msg)

    index = class_indices(gdf, style, nodata_index=nodata_index)
    if crs is not None:
        gdf = gdf.to_crs(crs)
    geoms = gdf.geometry
    keep = (~(geoms.isna() | geoms.is_empty)).to_numpy()
    if not keep.any():
        msg = "the GeoDataFrame has no non-empty geometry to rasterise; check the input layer"
        raise InputFormatError(msg)
    geoms, index = geoms[keep], index[keep]
    minx, miny, maxx, maxy = (float(b) for b in geoms.total_bounds)
    if not all(math.isfinite(b) for b in (minx, miny, maxx, maxy)):
        msg = (
            f"the features have non-finite bounds {(minx, miny, maxx, maxy)} in "
            f"{gdf.crs.to_string()}; they may lie outside the CRS's area of use"
        )
        raise InputFormatError(msg)

    # snap the grid to multiples of the resolution (target-aligned pixels)
    x0, y1 = math.floor(minx / res) * res, math.ceil(maxy / res) * res
    width = max(1, math.ceil((maxx - x0) / res - 1e-9))
    height = max(1, math.ceil((y1 - miny) / res - 1e-9))
    if width * height > MAX_PIXELS:
        coarser = res * math.sqrt(width * height / MAX_PIXELS) * 1.01
        msg = (
            f"a grid of {width} x {height} pixels at resolution {res:g} exceeds the limit "
            f"of {MAX_PIXELS:,} pixels; use a coarser resolution (at least about "
            f"{coarser:.3g} CRS units)"
        )
        raise InputFormatError(msg)
    transform = Affine(res, 0.0, x0, 0.0, -res, y1)

    grid = rasterio.features.rasterize(
        zip(geoms.to_numpy(), index.tolist(), strict=True),
        out_shape=(height, width),
        transform=transform,
        fill=nodata_index,
        all_touched=all_touched,
        dtype="uint8",
    )

    metadata = _class_tags(style, classes, nodata_index)
    for key, value in (tags or {}).items():
        if key.upper() in metadata:
            msg = f"tag {key!r} clashes with a class tag geotrade writes; rename it"
            raise InputFormatError(msg)
        metadata[str(key)] = str(value)
    # TIFF palettes store no alpha (GDAL reads 255 back), so write what is kept
    colormap = {i: (*_rgba(c.color)[:3], 255) for i, c in enumerate(classes)}
    colormap[nodata_index] = (0, 0, 0, 0)

    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "uint8",
        "crs": gdf.crs,
        "transform": transform,
        "nodata": nodata_index,
        "compress": "deflate",
    }
    if width >= _TILE and height >= _TILE:
        profile.update(tiled=True, blockxsize=_TILE, blockysize=_TILE)

    target = Path(path)
    # rasterio closes (flushes) the file before atomic_path moves it into place
    with atomic_path(target) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(grid, 1)
        dst.write_colormap(1, colormap)
        dst.set_band_description(1, _title(style))
        dst.update_tags(**metadata)
    if qml:
        with atomic_path(target.with_suffix(".qml")) as tmp:
            tmp.write_text(_paletted_qml(classes), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- helpers


def _check_nodata_index(nodata_index: int, n_classes: int) -> None:
    if (
        isinstance(nodata_index, bool)
        or not isinstance(nodata_index, (int, np.integer))
        or not 0 <= nodata_index <= 255
    ):
        msg = f"nodata_index must be an integer 0-255 (uint8); got {nodata_index!r}"
        raise InputFormatError(msg)
    if nodata_index < n_classes:
        msg = (
            f"nodata_index {nodata_index} is the index of a class (the style has "
            f"{n_classes} classes, indices 0-{n_classes - 1}); use a value of "
            f"{n_classes} or more, e.g. the default 255"
        )
        raise InputFormatError(msg)


def _rgba(color: str) -> tuple[int, int, int, int]:
    try:
        r, g, b, a = (int(p) for p in hex_to_qgis_color(color).split(","))
    except ValueError as exc:
        raise InputFormatError(str(exc)) from exc
    return r, g, b, a


def _title(style: LayerStyle) -> str:
    if style.title_en == style.title_zh:
        return style.title_en
    return f"{style.title_en} / {style.title_zh}"


def _num(x: float | None) -> str:
    return repr(float(x))  # type: ignore[arg-type]


def _class_tags(
    style: LayerStyle, classes: tuple[ClassStyle, ...], nodata_index: int
) -> dict[str, str]:
    tags = {
        "CLASSIFIED_FIELD": style.field,
        "CLASS_KIND": style.kind,
        "CLASS_COUNT": str(len(classes)),
        "NODATA_INDEX": str(nodata_index),
    }
    if style.kind == "graduated":
        tags["INTERVALS_CLOSED"] = style.closed
    for i, c in enumerate(classes):
        tags[f"CLASS_{i}_LABEL"] = c.label("both")
        tags[f"CLASS_{i}_LABEL_EN"] = c.label_en
        tags[f"CLASS_{i}_LABEL_ZH"] = c.label_zh
        tags[f"CLASS_{i}_COLOR"] = c.color
        if style.nodata is not None and i == len(style.classes):
            tags[f"CLASS_{i}_NODATA"] = "YES"
        elif any(c is s for s in style.status_classes()):
            tags[f"CLASS_{i}_STATUS"] = str(c.value)
        elif style.kind == "graduated":
            tags[f"CLASS_{i}_LOWER"] = _num(c.lower)
            tags[f"CLASS_{i}_UPPER"] = _num(c.upper)
        else:
            tags[f"CLASS_{i}_VALUE"] = str(c.value)
    return tags


def _paletted_qml(classes: tuple[ClassStyle, ...]) -> str:
    root = ET.Element("qgis", {"version": QGIS_STYLE_VERSION, "styleCategories": "Symbology"})
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe,
        "rasterrenderer",
        {"type": "paletted", "band": "1", "opacity": "1", "alphaBand": "-1", "nodataColor": ""},
    )
    ET.SubElement(renderer, "rasterTransparency")
    palette = ET.SubElement(renderer, "colorPalette")
    for i, c in enumerate(classes):
        r, g, b, a = _rgba(c.color)
        ET.SubElement(
            palette,
            "paletteEntry",
            {
                "value": str(i),
                "color": f"#{r:02x}{g:02x}{b:02x}",
                "label": c.label("both"),
                "alpha": str(a),
            },
        )
    ET.SubElement(root, "blendMode").text = "0"
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"
