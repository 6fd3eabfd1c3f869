"""Graduated styles from classifications, shared by the CLI, the demo and the recycling commands.

:func:`graduated_style` turns a :class:`~geotrade.classification.Classification` into a
:class:`~geotrade.style.spec.LayerStyle`. The other functions classify values and return the
style (with class counts and a no-data class) plus a JSON-able description of the
classification for the GeoPackage metadata.

Examples
--------
>>> style, info = natural_breaks_style([0.5, 0.7, 1.8, 2.0, 4.0, float("nan")], field="r", k=3,
...     title_en="Ratio", title_zh="比值", nodata_en="No data", nodata_zh="无数据")
>>> info["breaks"], style.nodata.count
([0.7, 2.0, 4.0], 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from geotrade.errors import ClassificationError
from geotrade.style.spec import ClassStyle, LayerStyle

if TYPE_CHECKING:
    from geotrade.classification import Classification

__all__ = [
    "capacity_ratio_classes",
    "graduated_style",
    "natural_breaks_colors",
    "natural_breaks_style",
]


def graduated_style(
    result: Classification,
    *,
    field: str,
    colors: Sequence[str],
    title_en: str,
    title_zh: str,
    fmt: str = "{:.2f}",
    unit: str = "",
    nodata_color: str = "#d9d9d9",
    include_nodata: bool | None = None,
) -> LayerStyle:
    """Turn a classification into a graduated :class:`~geotrade.style.spec.LayerStyle`.

    Parameters
    ----------
    result
        Output of :func:`geotrade.classification.classify` or
        :func:`~geotrade.classification.classify_pooled`.
    field
        Attribute holding the classified values.
    colors
        One colour per class (``result.k``), lowest class first.
    title_en, title_zh
        Legend titles.
    fmt, unit
        Passed to :meth:`~geotrade.classification.Classification.labels`.
    nodata_color
        Fill of the no-data class.
    include_nodata
        Add the no-data class; by default only when ``result.nodata_count > 0``.

    Returns
    -------
    LayerStyle
        ``kind="graduated"`` with the same bounds, counts and closure as ``result``.

    Examples
    --------
    >>> from geotrade.classification import classify
    >>> r = classify([1.0, 2.0, 9.0, float("nan")], k=2)
    >>> s = graduated_style(r, field="v", colors=["#fee0d2", "#de2d26"],
    ...                     title_en="Value", title_zh="数值")
    >>> [c.label_en for c in s.all_classes()]
    ['1.00 – 2.00', '>2.00 – 9.00', 'No data']
    >>> s.class_for_value(9.0).color
    '#de2d26'
    """
    from geotrade.classification import NODATA_LABELS

    if len(colors) != result.k:
        msg = f"colors must hold one colour per class ({result.k}); got {len(colors)}."
        raise ClassificationError(msg)
    en = result.labels(fmt=fmt, unit=unit, lang="en")
    zh = result.labels(fmt=fmt, unit=unit, lang="zh")
    classes = tuple(
        ClassStyle(
            label_en=en[i],
            label_zh=zh[i],
            color=str(colors[i]),
            lower=float(result.lower_bounds[i]),
            upper=float(result.bins[i]),
            count=int(result.counts[i]),
        )
        for i in range(result.k)
    )
    want = result.nodata_count > 0 if include_nodata is None else include_nodata
    nodata = (
        ClassStyle(
            label_en=NODATA_LABELS["en"],
            label_zh=NODATA_LABELS["zh"],
            color=nodata_color,
            count=result.nodata_count,
        )
        if want
        else None
    )
    return LayerStyle(
        kind="graduated",
        field=field,
        classes=classes,
        title_en=title_en,
        title_zh=title_zh,
        nodata=nodata,
        closed=result.closed,
        extra={"scheme": result.scheme, "gvf": result.gvf, "tai": result.tai},
    )


def natural_breaks_colors(k: int) -> tuple[str, ...]:
    """Colours of ``k`` natural-breaks classes: ColorBrewer YlGnBu without its lightest steps.

    Natural breaks are not centred on any value, so a sequential ramp (light = low) is used
    rather than a diverging one; the two palest steps of YlGnBu-(k+2) (near-white yellow,
    pale green as light as the "no data" grey) are dropped so that no data class looks like
    a grey "no data" class or the hatched light grey "not covered" class (the former PuOr
    ramp had a near-white middle class). For k > 7 fewer steps can be dropped.

    Examples
    --------
    >>> natural_breaks_colors(5)
    ('#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84')
    """
    from geotrade.style.palettes import palette

    if k < 1:
        msg = f"k must be at least 1, got {k}"
        raise ClassificationError(msg)
    n = min(max(k + 2, 3), 9)
    if k > n:
        msg = f"at most {n} natural-breaks colours are available, got k={k}"
        raise ClassificationError(msg)
    return palette("YlGnBu", n)[n - k :]


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

    from geotrade.classification import classify

    v = np.asarray(values, dtype=float)
    res = classify(v, k=k, scheme="fisher_jenks")
    colors = natural_breaks_colors(res.k)
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

    from geotrade.classification import classify
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
