"""Classified layer: one numeric field of any vector layer, classified and styled.

The builder behind ``geotrade classify`` and the QGIS "Classify a field" algorithm (through
the CLI): :func:`build_classified` classifies a field of a GeoDataFrame with
:func:`geotrade.classification.classify` and returns a
:class:`~geotrade.builders.result.ProductResult` whose one layer carries a graduated style
showing exactly those classes. Features without a value are kept in a "No data" class.
:func:`geotrade.classify_layer.classify_layer` reads the file, calls this builder and
writes the result with :func:`~geotrade.builders.result.write_product`.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> gdf = gpd.GeoDataFrame({"v": [1.0, 2.0, 2.5, 9.0, 10.0, None]},
...     geometry=[box(i, 0, i + 1, 1) for i in range(6)], crs="EPSG:4326")
>>> product = build_classified(gdf, field="v", layer="cells", k=2)
>>> [float(b) for b in product.statistics["classification"].bins]
[2.5, 10.0]
>>> product.metadata.product, product.metadata.extra["nodata_features"]
('classified', 1)
>>> [c.count for c in product.styles["cells"].all_classes()]
[3, 2, 1]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geotrade.builders.result import ProductMetadata, ProductResult
from geotrade.classification import MAX_ABS_VALUE, SCHEMES, Scheme
from geotrade.classification import classify as _classify
from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.style.classed import graduated_style
from geotrade.style.palettes import palette, palette_kind

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["build_classified"]

_MAX_LISTED = 20


def build_classified(
    gdf: gpd.GeoDataFrame,
    *,
    field: str,
    layer: str,
    k: int = 5,
    scheme: Scheme = "fisher_jenks",
    bins: list[float] | None = None,
    palette_name: str | None = None,
    reverse: bool = False,
    fmt: str = "{:.2f}",
    title: str | None = None,
    source: str | Path = "",
    source_layer: str | None = None,
    notes: list[str] | None = None,
) -> ProductResult:
    """Classify ``field`` of ``gdf`` into a styled one-layer product.

    Parameters
    ----------
    gdf
        Any vector layer (its CRS is kept and recorded as the product's map CRS).
    field
        Numeric attribute to classify. Missing values are kept as "No data".
    layer
        Name of the layer in the product.
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
        Legend and product title (default: the field name).
    source, source_layer
        The file and layer read (named in errors and recorded in the metadata).
    notes
        Notes on the input (e.g. geometry warnings), kept in the metadata.

    Returns
    -------
    ProductResult
        One layer named ``layer``; ``statistics["classification"]`` holds the
        :class:`~geotrade.classification.Classification`.

    Raises
    ------
    InputFormatError, ValidationError, ClassificationError
        For a missing or non-numeric field, an unknown scheme or palette, bad values.
    """
    where = str(source) if source else None
    values = _values(gdf, field, where, source_layer or layer)
    if scheme not in SCHEMES:
        msg = f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}"
        raise InputFormatError(msg)
    result = _classify(values, k=k, scheme=scheme, bins=bins)
    if palette_name is None:
        name, rev = ("RdBu", not reverse) if scheme == "symmetric" else ("YlGnBu", reverse)
    else:
        name, rev = palette_name, reverse
        try:
            kind = palette_kind(name)
        except ValueError as exc:
            raise InputFormatError(f"--palette: {exc}") from exc
        if kind == "qualitative":
            msg = f"palette {name!r} is qualitative; a graduated map needs an ordered palette"
            raise InputFormatError(msg)
    colors = _colors(name, result.k, reverse=rev)
    label = title or field
    style = graduated_style(
        result, field=field, colors=colors, title_en=label, title_zh=label, fmt=fmt
    )
    nodata = int(np.isnan(values).sum())
    warnings = list(notes or []) + list(result.warnings)
    crs = gdf.crs.to_string() if getattr(gdf, "crs", None) is not None else ""
    meta = ProductMetadata(
        product="classified",
        title_en=label,
        title_zh=label,
        source=str(source),
        source_files=[str(source)] if source else [],
        map_crs=crs,
        options={"field": field, "scheme": result.scheme, "k": int(result.k)},
        classification={
            "scheme": result.scheme,
            "k": int(result.k),
            "lower": float(result.lower),
            "breaks": [float(b) for b in result.bins],
            "counts": [int(c) for c in result.counts],
            "closed": result.closed,
            "gvf": result.gvf,
            "params": result.params,
            "warnings": list(result.warnings),
        },
        notes=warnings,
        extra={
            "tool": "geotrade classify",
            "source_layer": source_layer or layer,
            "field": field,
            "nodata_features": nodata,
        },
    )
    return ProductResult(
        metadata=meta,
        layers={layer: gdf},
        styles={layer: style},
        statistics={"classification": result},
    )


def _values(gdf: pd.DataFrame, column: str, path: str | None, layer: str) -> np.ndarray:
    if column not in gdf.columns or column == "geometry":
        fields = [c for c in gdf.columns if c != "geometry"]
        msg = f"layer {layer!r} has no field {column!r}; its fields are: {', '.join(fields)}"
        raise InputFormatError(msg, path=path, column=column)
    raw = gdf[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())
        problems = [
            Problem(
                f"feature {raw.index[i]} (FID) of layer {layer!r}: expected a number, "
                f"got {raw.iloc[i]!r}",
                path=path,
                column=column,
            )
            for i in rows[:_MAX_LISTED]
        ]
        if len(rows) > _MAX_LISTED:
            problems.append(Problem(f"... {len(rows) - _MAX_LISTED} more", column=column))
        raise ValidationError(problems)
    out = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero(~(np.abs(out) <= MAX_ABS_VALUE) & ~np.isnan(out))
    if len(huge):
        problems = [
            Problem(
                f"feature {raw.index[i]} (FID) of layer {layer!r}: expected a finite number of "
                f"magnitude <= {MAX_ABS_VALUE:.0e}, got {float(out[i]):.6g} (near the float limit "
                "1.7e308 or infinite: a missing-value code? classes would overflow; rescale or "
                "clean the field)",
                path=path,
                column=column,
            )
            for i in huge[:_MAX_LISTED]
        ]
        if len(huge) > _MAX_LISTED:
            problems.append(Problem(f"... {len(huge) - _MAX_LISTED} more", column=column))
        raise ValidationError(problems)
    return out


def _colors(name: str, k: int, *, reverse: bool) -> tuple[str, ...]:
    """``k`` colours of a palette; 1 or 2 classes take the ends of its 3-class version."""
    try:
        if k >= 3:
            return palette(name, k, reverse=reverse)
        three = palette(name, 3, reverse=reverse)
    except ValueError as exc:
        raise InputFormatError(f"--palette: {exc}", column=None) from exc
    return (three[1],) if k == 1 else (three[0], three[2])


