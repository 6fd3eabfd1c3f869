"""The dependence typology of bilateral trade: class and zone slugs and their labels.

The slugs are computed by :func:`geotrade.metrics.trade.interdependence` (Grubel-Lloyd
index and trade balance, Table 1 of Wang et al. 2025; thresholds and definitions in
:mod:`geotrade.metrics.trade`). Their names and labels live here, without pandas, so that
the styles (:mod:`geotrade.style.canonical`) can label the classes without importing the
metrics.

Examples
--------
>>> DEPENDENCE_CLASSES[0], class_label(DEPENDENCE_CLASSES[0], lang="en")
('partner_one_way', 'One-way dependent on China')
>>> zone_label(ZONES[0])
'贸易优势区'
"""

from __future__ import annotations

from typing import Literal

__all__ = ["DEPENDENCE_CLASSES", "ZONES", "Lang", "class_label", "zone_label"]

Lang = Literal["zh", "en"]

#: Dependence classes in the order of the paper's Table 3, then ``balanced``.
DEPENDENCE_CLASSES: tuple[str, ...] = (
    "partner_one_way",
    "partner_high",
    "partner_moderate",
    "partner_low",
    "focal_one_way",
    "focal_high",
    "focal_moderate",
    "focal_low",
    "balanced",
)

#: Zones of the focal economy (seed 000 §2.1): partner depends on it / it depends on partner.
ZONES: tuple[str, ...] = ("advantage", "disadvantage", "balanced")

_DEGREE_ZH = {"one_way": "单向", "high": "高度", "moderate": "中度", "low": "低度"}
_DEGREE_EN = {"one_way": "one-way", "high": "highly", "moderate": "moderately", "low": "weakly"}


def class_label(
    slug: str,
    *,
    focal_name_zh: str = "中国",
    focal_name_en: str = "China",
    lang: Lang = "zh",
) -> str:
    """Return the human label of a dependence class (Table 1 wording).

    Parameters
    ----------
    slug
        One of :data:`DEPENDENCE_CLASSES`.
    focal_name_zh, focal_name_en
        Name of the focal economy; the defaults are right only when the focal economy is
        China (``CHN``). Pass the name for any other focal economy.
    lang
        ``"zh"`` (the paper's wording) or ``"en"``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``slug`` or ``lang`` is unknown.

    Examples
    --------
    >>> class_label("partner_high")
    '高度依存中国'
    >>> class_label("focal_low", lang="en")
    'China weakly dependent on partner'
    >>> class_label("partner_one_way", lang="en", focal_name_en="Korea")
    'One-way dependent on Korea'
    >>> class_label("balanced")
    '均衡'
    """
    if lang not in ("zh", "en"):
        msg = f"lang must be 'zh' or 'en', got {lang!r}"
        raise ValueError(msg)
    if slug not in DEPENDENCE_CLASSES:
        msg = f"unknown dependence class {slug!r}; expected one of {', '.join(DEPENDENCE_CLASSES)}"
        raise ValueError(msg)
    if slug == "balanced":
        return "均衡" if lang == "zh" else "Balanced"
    side, degree = slug.split("_", 1)
    if lang == "zh":
        d = _DEGREE_ZH[degree]
        return f"{d}依存{focal_name_zh}" if side == "partner" else f"{focal_name_zh}{d}依存"
    d = _DEGREE_EN[degree]
    if side == "partner":
        return f"{d[0].upper()}{d[1:]} dependent on {focal_name_en}"
    return f"{focal_name_en} {d} dependent on partner"


def zone_label(zone: str, *, lang: Lang = "zh") -> str:
    """Human label of a zone of :data:`ZONES` (seed 000 §2.1 wording).

    Parameters
    ----------
    zone
        ``"advantage"`` (partner depends on the focal economy, X > M), ``"disadvantage"``
        (X < M) or ``"balanced"``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str

    Examples
    --------
    >>> zone_label("advantage"), zone_label("disadvantage", lang="en")
    ('贸易优势区', 'Trade disadvantage zone')
    """
    labels = {
        "advantage": ("贸易优势区", "Trade advantage zone"),
        "disadvantage": ("贸易劣势区", "Trade disadvantage zone"),
        "balanced": ("均衡", "Balanced"),
    }
    if zone not in labels:
        msg = f"unknown zone {zone!r}; expected one of {', '.join(ZONES)}"
        raise ValueError(msg)
    if lang not in ("zh", "en"):
        msg = f"lang must be 'zh' or 'en', got {lang!r}"
        raise ValueError(msg)
    return labels[zone][0 if lang == "zh" else 1]
