"""Data-driven graduated styles shared by the demo and the recycling commands.

Each function classifies values and returns the :class:`~geotrade.style.spec.LayerStyle`
(with class counts and a no-data class) plus a JSON-able description of the classification
for the GeoPackage metadata.

Examples
--------
>>> style, info = natural_breaks_style([0.5, 0.7, 1.8, 2.0, 4.0, float("nan")], field="r", k=3,
...     title_en="Ratio", title_zh="比值", nodata_en="No data", nodata_zh="无数据")
>>> info["breaks"], style.nodata.count
([0.7, 2.0, 4.0], 1)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from geotrade.style.spec import LayerStyle

__all__ = ["capacity_ratio_classes", "natural_breaks_style"]


def natural_breaks_style(
    values: Any,
    *,
    field: str,
    k: int,
    title_en: str,
    title_zh: str,
    nodata_en: str,
    nodata_zh: str,
) -> tuple[LayerStyle, dict[str, Any]]:
    """Exact Fisher-Jenks classes of ``values`` as a graduated style with a no-data class."""
    import numpy as np

    from geotrade.classify import classify, graduated_style
    from geotrade.style.palettes import palette
    from geotrade.style.spec import ClassStyle

    v = np.asarray(values, dtype=float)
    res = classify(v, k=k, scheme="fisher_jenks")
    colors = palette("PuOr", res.k, reverse=True) if res.k >= 3 else palette("PuOr", 3)[: res.k]
    style = graduated_style(
        res, field=field, colors=colors, title_en=title_en, title_zh=title_zh, include_nodata=True
    )
    style = replace(
        style,
        nodata=ClassStyle(
            label_en=nodata_en, label_zh=nodata_zh, color="#969696", count=int(res.nodata_count)
        ),
    )
    info = {
        "scheme": "fisher_jenks",
        "k": int(res.k),
        "breaks": [float(b) for b in res.bins],
        "gvf": float(res.gvf),
        "closed": res.closed,
    }
    return style, info


def capacity_ratio_classes(values: Any, *, year: int) -> tuple[LayerStyle, dict[str, Any]]:
    """Capacity-ratio style (fixed class bounds of seed 004) with counts of ``values``."""
    import numpy as np

    from geotrade.classify import classify
    from geotrade.style.canonical import capacity_ratio_style

    v = np.asarray(values, dtype=float)
    lo, top = float(np.nanmin(v)), float(np.nanmax(v))
    shape = capacity_ratio_style(top=top, lowest=lo, year=year)
    bins = [float(c.upper) for c in shape.classes]  # type: ignore[arg-type]
    res = classify(v, scheme="user_defined", bins=bins)
    style = capacity_ratio_style(
        top=top,
        lowest=lo,
        year=year,
        counts=[int(c) for c in res.counts],
        nodata_count=int(res.nodata_count),
    )
    return style, {"scheme": "user_defined", "breaks": bins, "closed": "right"}
