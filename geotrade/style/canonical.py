"""Canonical layer styles of geotrade's standard maps.

These functions build the :class:`~geotrade.style.spec.LayerStyle` of each standard map.
``scripts/make_styles.py`` renders them to ``styles/*.qml`` and ``styles/*.sld`` (never
edited by hand); the demo and the command line use the same functions, so a style file in
``styles/`` and a layer written by geotrade look the same.

* :func:`dependence_style` — the 8-class Grubel-Lloyd typology of seed 000 (Table 1) plus
  ``balanced`` and the focal country: partner-depends classes in blues, focal-depends
  classes in reds (ColorBrewer RdBu), one-way darkest.
* :func:`capacity_ratio_style` — retired volume / licensed capacity (seed 004 §1): fixed
  breaks at 20 %, 50 %, 80 % and 100 % utilisation, a distinct "no capacity" class.
* :func:`matching_ratio_style` — share of demand / share of supply (seed 004 §2) on fixed,
  multiplicatively symmetric breaks around 1 (0.5, 0.8, 1.25, 2); the demo itself classes
  this ratio by exact natural breaks.
* :func:`lisa_style` — local Moran cluster types HH / LL / LH / HL / not significant.
* :func:`trade_balance_style` — signed balance, classes symmetric around 0 (RdBu).

Examples
--------
>>> s = dependence_style()
>>> [c.value for c in s.classes][:2]
['partner_one_way', 'partner_high']
>>> capacity_ratio_style(top=1.4).classes[-1].label_en
'>100% – 140%'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from geotrade.style.palettes import diverging_palette, palette
from geotrade.style.spec import ClassStyle, LayerStyle
from geotrade.typology import class_label

__all__ = [
    "capacity_ratio_style",
    "dependence_style",
    "lisa_style",
    "matching_ratio_style",
    "trade_balance_style",
]

_PARTNER = ("partner_one_way", "partner_high", "partner_moderate", "partner_low")
_FOCAL = ("focal_low", "focal_moderate", "focal_high", "focal_one_way")


def dependence_style(
    *,
    counts: Mapping[str, int] | None = None,
    focal_name_en: str = "China",
    focal_name_zh: str = "中国",
    field: str = "dependence_class",
) -> LayerStyle:
    """Categorized style of the interdependence typology (seed 000, Table 1).

    Parameters
    ----------
    counts
        Optional number of features per class slug (``"focal"`` for the focal country,
        ``"_nodata"`` for countries without trade), shown in legends.
    focal_name_en, focal_name_zh
        Name of the focal country used in the labels.
    field
        Attribute holding the class slug.

    Examples
    --------
    >>> dependence_style(focal_name_en="Korea", focal_name_zh="韩国").classes[0].label_zh
    '单向依存韩国'
    """
    counts = counts or {}
    cols = diverging_palette(4, 4, name="RdBu", neutral="#f7f7f7")
    reds, neutral, blues = cols[:4], cols[4], cols[5:]
    colors = dict(zip(_PARTNER, reversed(blues), strict=True))
    colors.update(zip(_FOCAL, reversed(reds), strict=True))
    colors["balanced"] = neutral
    names = {"focal_name_en": focal_name_en, "focal_name_zh": focal_name_zh}
    classes = [
        ClassStyle(
            label_en=class_label(s, lang="en", **names),
            label_zh=class_label(s, lang="zh", **names),
            color=colors[s],
            value=s,
            count=counts.get(s) if counts else None,
        )
        for s in (*_PARTNER, "balanced", *_FOCAL)
    ]
    classes.append(
        ClassStyle(
            label_en=f"{focal_name_en} (focal country)",
            label_zh=f"{focal_name_zh}（焦点国）",
            color="#525252",
            value="focal",
            count=counts.get("focal") if counts else None,
        )
    )
    return LayerStyle(
        kind="categorized",
        field=field,
        classes=tuple(classes),
        title_en=f"Trade interdependence with {focal_name_en}",
        title_zh=f"与{focal_name_zh}的贸易相互依存类型",
        nodata=ClassStyle(
            label_en=f"No trade with {focal_name_en}",
            label_zh="无贸易往来",
            color="#bdbdbd",
            count=counts.get("_nodata") if counts else None,
        ),
    )


def _ranges(
    breaks: list[float],
    colors: Sequence[str],
    labels: list[str],
    counts: list[int] | None,
) -> tuple[ClassStyle, ...]:
    return tuple(
        ClassStyle(
            label_en=lab,
            label_zh=lab,
            color=colors[i],
            lower=breaks[i],
            upper=breaks[i + 1],
            count=None if counts is None else counts[i],
        )
        for i, lab in enumerate(labels)
    )


def _pct(x: float) -> str:
    return f"{x:.0%}"


def capacity_ratio_style(
    *,
    top: float = 10.0,
    lowest: float = 0.0,
    counts: list[int] | None = None,
    nodata_count: int | None = None,
    year: int | None = None,
    field: str = "ratio",
) -> LayerStyle:
    """Graduated style of retired volume / licensed capacity with a "no capacity" class.

    Breaks: 20 % (the seed's under-utilisation threshold), 50 %, 80 % and 100 % (capacity
    shortage beyond), closed on the right; ``top`` is the upper bound of the last class
    (the data maximum; ``10`` = 1000 % in the canonical file). Provinces without licensed
    capacity have an undefined ratio and get their own class, never 0 or infinity.

    Examples
    --------
    >>> [c.label_en for c in capacity_ratio_style(top=0.6).classes]
    ['0% – 20%', '>20% – 50%', '>50% – 60%']
    """
    inner = [b for b in (0.2, 0.5, 0.8, 1.0) if lowest < b < top]
    breaks = [lowest, *inner, top]
    k = len(breaks) - 1
    colors = palette("YlOrRd", 5)[:k] if k >= 3 else palette("YlOrRd", 3)[:k]
    labels = [_pct(breaks[0]) + " – " + _pct(breaks[1])]
    labels += [f">{_pct(breaks[i])} – {_pct(breaks[i + 1])}" for i in range(1, k)]
    suffix = f", {year}" if year is not None else ""
    return LayerStyle(
        kind="graduated",
        field=field,
        classes=_ranges(breaks, colors, labels, counts),
        title_en=f"Retired volume / whitelist capacity{suffix}",
        title_zh=f"{year}年退役量/白名单产能" if year is not None else "退役量/白名单产能",
        nodata=ClassStyle(
            label_en="No whitelist capacity",
            label_zh="无白名单产能",
            color="#969696",
            count=nodata_count,
        ),
    )


def matching_ratio_style(*, top: float = 100.0, field: str = "share_ratio") -> LayerStyle:
    """Graduated style of share-of-demand / share-of-supply on breaks symmetric around 1.

    The classes 0–0.5, 0.5–0.8, 0.8–1.25, 1.25–2, >2 are symmetric on a log scale (a city
    with twice its "fair" share of outlets sits as far from 1 as one with half of it).

    Examples
    --------
    >>> [c.upper for c in matching_ratio_style().classes]
    [0.5, 0.8, 1.25, 2.0, 100.0]
    """
    breaks = [0.0, 0.5, 0.8, 1.25, 2.0, top]
    colors = palette("PuOr", 5, reverse=True)
    labels = ["0 – 0.5 (few volume)", ">0.5 – 0.8", ">0.8 – 1.25 (matched)", ">1.25 – 2"]
    labels.append(f">2 – {top:g} (few outlets)")
    zh = ["0 – 0.5（退役量少）", ">0.5 – 0.8", ">0.8 – 1.25（匹配）", ">1.25 – 2"]
    zh.append(f">2 – {top:g}（网点少）")
    classes = tuple(
        ClassStyle(label_en=e, label_zh=z, color=c, lower=lo, upper=hi)
        for e, z, c, lo, hi in zip(labels, zh, colors, breaks[:-1], breaks[1:], strict=True)
    )
    return LayerStyle(
        kind="graduated",
        field=field,
        classes=classes,
        title_en="Retired-volume share / outlet share",
        title_zh="退役量占比/网点占比",
        nodata=ClassStyle(
            label_en="No outlets (ratio undefined)",
            label_zh="无网点（比值无定义）",
            color="#969696",
        ),
    )


def lisa_style(*, field: str = "lisa_cluster") -> LayerStyle:
    """Categorized style of local Moran (LISA) cluster types, GeoDa's colours.

    Examples
    --------
    >>> [c.value for c in lisa_style().classes]
    ['HH', 'LL', 'LH', 'HL', 'ns']
    """
    spec = [
        ("HH", "High-High", "高-高", "#e31a1c"),
        ("LL", "Low-Low", "低-低", "#1f78b4"),
        ("LH", "Low-High", "低-高", "#a6cee3"),
        ("HL", "High-Low", "高-低", "#fb9a99"),
        ("ns", "Not significant", "不显著", "#f0f0f0"),
    ]
    return LayerStyle(
        kind="categorized",
        field=field,
        classes=tuple(ClassStyle(label_en=e, label_zh=z, color=c, value=v) for v, e, z, c in spec),
        title_en="Local Moran cluster type",
        title_zh="局部莫兰聚类类型",
        nodata=ClassStyle(label_en="No data / island", label_zh="无数据/孤岛", color="#bdbdbd"),
    )


def trade_balance_style(
    *, limit: float = 50e9, field: str = "balance_usd", unit: float = 1e9
) -> LayerStyle:
    """Graduated diverging style of a trade balance, symmetric around zero.

    Classes: ±``limit`` split at ±1 %, ±10 % and ±50 % of ``limit`` (deficits red, surpluses
    blue); labels in multiples of ``unit`` (billion USD by default).

    Examples
    --------
    >>> s = trade_balance_style(limit=10e9)
    >>> s.classes[0].lower, s.classes[-1].upper
    (-10000000000.0, 10000000000.0)
    """
    cuts = [-1.0, -0.5, -0.1, -0.01, 0.0, 0.01, 0.1, 0.5, 1.0]
    breaks = [c * limit for c in cuts]
    colors = diverging_palette(4, 4, name="RdBu")
    labels = [f"{breaks[i] / unit:+g} – {breaks[i + 1] / unit:+g}" for i in range(len(breaks) - 1)]
    return LayerStyle(
        kind="graduated",
        field=field,
        classes=_ranges(breaks, colors, labels, None),
        title_en=f"Trade balance (USD, ×{unit:g})",
        title_zh=f"贸易差额（美元，×{unit:g}）",
        nodata=ClassStyle(label_en="No trade", label_zh="无贸易", color="#e0e0e0"),
    )
