"""ColorBrewer 2.0 palettes for choropleth classes.

The colours are the ColorBrewer 2.0 schemes by Cynthia Brewer, Mark Harrower and The
Pennsylvania State University (https://colorbrewer2.org), transcribed as lowercase
``#rrggbb`` hex strings. ColorBrewer's colour specifications and designs are distributed
under the Apache License, Version 2.0 ("Apache-Style Software License for ColorBrewer
software and ColorBrewer Color Schemes", Copyright (c) 2002 Cynthia Brewer, Mark Harrower,
and The Pennsylvania State University). QGIS ships the same values
(``QgsColorBrewerPalette``); the QGIS test suite checks this module against it.

ColorBrewer schemes are designed per number of classes: the 5-class ``Blues`` is *not* a
subset of the 9-class one, so always ask for the exact ``k``.

Available schemes (number of classes):

sequential (3-9)
    ``Blues``, ``Greens``, ``Oranges``, ``Purples``, ``Reds``, ``YlOrRd``, ``YlGnBu``,
    ``PuBu``. Light = low, dark = high. All are colour-blind safe.
diverging (3-11)
    ``RdBu``, ``PuOr``, ``BrBG``, ``RdYlBu``. Two hue families meeting at a light neutral.
    All four are colour-blind safe (the popular ``RdYlGn`` and ``Spectral`` are not, and
    are deliberately absent).
qualitative (3-8)
    ``Set2``, ``Dark2``. Colour-blind safe only up to 3 classes; with more classes, always
    label the legend and the map (geotrade's legends are labelled in English and Chinese).

Colour-blind-safe defaults used by geotrade: :data:`DEFAULT_SEQUENTIAL` (``"YlGnBu"``,
multi-hue, also readable when photocopied), :data:`DEFAULT_DIVERGING` (``"RdBu"``) and
:data:`DEFAULT_QUALITATIVE` (``"Set2"``).

Examples
--------
>>> palette("Blues", 3)
('#deebf7', '#9ecae1', '#3182bd')
>>> palette("Blues", 3, reverse=True)[0]
'#3182bd'
>>> diverging_palette(2, 3)
('#ca0020', '#f4a582', '#d1e5f0', '#67a9cf', '#2166ac')
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "DEFAULT_DIVERGING",
    "DEFAULT_QUALITATIVE",
    "DEFAULT_SEQUENTIAL",
    "DIVERGING",
    "QUALITATIVE",
    "SEQUENTIAL",
    "diverging_palette",
    "palette",
    "palette_kind",
]

DEFAULT_SEQUENTIAL = "YlGnBu"
"""Default scheme for magnitudes (shares, values, counts)."""
DEFAULT_DIVERGING = "RdBu"
"""Default scheme for signed data (balances, differences)."""
DEFAULT_QUALITATIVE = "Set2"
"""Default scheme for unordered categories."""

SEQUENTIAL: dict[str, dict[int, tuple[str, ...]]] = {
    "Blues": {
        3: ("#deebf7", "#9ecae1", "#3182bd"),
        4: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"),
        5: ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
        6: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"),
        7: ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
        8: ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"),
        9: (
            "#f7fbff",
            "#deebf7",
            "#c6dbef",
            "#9ecae1",
            "#6baed6",
            "#4292c6",
            "#2171b5",
            "#08519c",
            "#08306b",
        ),
    },
    "Greens": {
        3: ("#e5f5e0", "#a1d99b", "#31a354"),
        4: ("#edf8e9", "#bae4b3", "#74c476", "#238b45"),
        5: ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
        6: ("#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"),
        7: ("#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"),
        8: ("#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"),
        9: (
            "#f7fcf5",
            "#e5f5e0",
            "#c7e9c0",
            "#a1d99b",
            "#74c476",
            "#41ab5d",
            "#238b45",
            "#006d2c",
            "#00441b",
        ),
    },
    "Oranges": {
        3: ("#fee6ce", "#fdae6b", "#e6550d"),
        4: ("#feedde", "#fdbe85", "#fd8d3c", "#d94701"),
        5: ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
        6: ("#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"),
        7: ("#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"),
        8: ("#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"),
        9: (
            "#fff5eb",
            "#fee6ce",
            "#fdd0a2",
            "#fdae6b",
            "#fd8d3c",
            "#f16913",
            "#d94801",
            "#a63603",
            "#7f2704",
        ),
    },
    "Purples": {
        3: ("#efedf5", "#bcbddc", "#756bb1"),
        4: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"),
        5: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
        6: ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"),
        7: ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"),
        8: ("#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"),
        9: (
            "#fcfbfd",
            "#efedf5",
            "#dadaeb",
            "#bcbddc",
            "#9e9ac8",
            "#807dba",
            "#6a51a3",
            "#54278f",
            "#3f007d",
        ),
    },
    "Reds": {
        3: ("#fee0d2", "#fc9272", "#de2d26"),
        4: ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"),
        5: ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
        6: ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"),
        7: ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"),
        8: ("#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"),
        9: (
            "#fff5f0",
            "#fee0d2",
            "#fcbba1",
            "#fc9272",
            "#fb6a4a",
            "#ef3b2c",
            "#cb181d",
            "#a50f15",
            "#67000d",
        ),
    },
    "YlOrRd": {
        3: ("#ffeda0", "#feb24c", "#f03b20"),
        4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
        5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
        6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
        7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
        9: (
            "#ffffcc",
            "#ffeda0",
            "#fed976",
            "#feb24c",
            "#fd8d3c",
            "#fc4e2a",
            "#e31a1c",
            "#bd0026",
            "#800026",
        ),
    },
    "YlGnBu": {
        3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
        4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
        5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
        6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
        7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        8: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
        9: (
            "#ffffd9",
            "#edf8b1",
            "#c7e9b4",
            "#7fcdbb",
            "#41b6c4",
            "#1d91c0",
            "#225ea8",
            "#253494",
            "#081d58",
        ),
    },
    "PuBu": {
        3: ("#ece7f2", "#a6bddb", "#2b8cbe"),
        4: ("#f1eef6", "#bdc9e1", "#74a9cf", "#0570b0"),
        5: ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"),
        6: ("#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"),
        7: ("#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"),
        8: ("#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"),
        9: (
            "#fff7fb",
            "#ece7f2",
            "#d0d1e6",
            "#a6bddb",
            "#74a9cf",
            "#3690c0",
            "#0570b0",
            "#045a8d",
            "#023858",
        ),
    },
}

DIVERGING: dict[str, dict[int, tuple[str, ...]]] = {
    "RdBu": {
        3: ("#ef8a62", "#f7f7f7", "#67a9cf"),
        4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
        5: ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"),
        6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
        7: ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"),
        8: ("#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"),
        9: (
            "#b2182b",
            "#d6604d",
            "#f4a582",
            "#fddbc7",
            "#f7f7f7",
            "#d1e5f0",
            "#92c5de",
            "#4393c3",
            "#2166ac",
        ),
        10: (
            "#67001f",
            "#b2182b",
            "#d6604d",
            "#f4a582",
            "#fddbc7",
            "#d1e5f0",
            "#92c5de",
            "#4393c3",
            "#2166ac",
            "#053061",
        ),
        11: (
            "#67001f",
            "#b2182b",
            "#d6604d",
            "#f4a582",
            "#fddbc7",
            "#f7f7f7",
            "#d1e5f0",
            "#92c5de",
            "#4393c3",
            "#2166ac",
            "#053061",
        ),
    },
    "PuOr": {
        3: ("#f1a340", "#f7f7f7", "#998ec3"),
        4: ("#e66101", "#fdb863", "#b2abd2", "#5e3c99"),
        5: ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"),
        6: ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"),
        7: ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"),
        8: ("#b35806", "#e08214", "#fdb863", "#fee0b6", "#d8daeb", "#b2abd2", "#8073ac", "#542788"),
        9: (
            "#b35806",
            "#e08214",
            "#fdb863",
            "#fee0b6",
            "#f7f7f7",
            "#d8daeb",
            "#b2abd2",
            "#8073ac",
            "#542788",
        ),
        10: (
            "#7f3b08",
            "#b35806",
            "#e08214",
            "#fdb863",
            "#fee0b6",
            "#d8daeb",
            "#b2abd2",
            "#8073ac",
            "#542788",
            "#2d004b",
        ),
        11: (
            "#7f3b08",
            "#b35806",
            "#e08214",
            "#fdb863",
            "#fee0b6",
            "#f7f7f7",
            "#d8daeb",
            "#b2abd2",
            "#8073ac",
            "#542788",
            "#2d004b",
        ),
    },
    "BrBG": {
        3: ("#d8b365", "#f5f5f5", "#5ab4ac"),
        4: ("#a6611a", "#dfc27d", "#80cdc1", "#018571"),
        5: ("#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"),
        6: ("#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"),
        7: ("#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"),
        8: ("#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#c7eae5", "#80cdc1", "#35978f", "#01665e"),
        9: (
            "#8c510a",
            "#bf812d",
            "#dfc27d",
            "#f6e8c3",
            "#f5f5f5",
            "#c7eae5",
            "#80cdc1",
            "#35978f",
            "#01665e",
        ),
        10: (
            "#543005",
            "#8c510a",
            "#bf812d",
            "#dfc27d",
            "#f6e8c3",
            "#c7eae5",
            "#80cdc1",
            "#35978f",
            "#01665e",
            "#003c30",
        ),
        11: (
            "#543005",
            "#8c510a",
            "#bf812d",
            "#dfc27d",
            "#f6e8c3",
            "#f5f5f5",
            "#c7eae5",
            "#80cdc1",
            "#35978f",
            "#01665e",
            "#003c30",
        ),
    },
    "RdYlBu": {
        3: ("#fc8d59", "#ffffbf", "#91bfdb"),
        4: ("#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"),
        5: ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"),
        6: ("#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"),
        7: ("#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"),
        8: ("#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"),
        9: (
            "#d73027",
            "#f46d43",
            "#fdae61",
            "#fee090",
            "#ffffbf",
            "#e0f3f8",
            "#abd9e9",
            "#74add1",
            "#4575b4",
        ),
        10: (
            "#a50026",
            "#d73027",
            "#f46d43",
            "#fdae61",
            "#fee090",
            "#e0f3f8",
            "#abd9e9",
            "#74add1",
            "#4575b4",
            "#313695",
        ),
        11: (
            "#a50026",
            "#d73027",
            "#f46d43",
            "#fdae61",
            "#fee090",
            "#ffffbf",
            "#e0f3f8",
            "#abd9e9",
            "#74add1",
            "#4575b4",
            "#313695",
        ),
    },
}

QUALITATIVE: dict[str, dict[int, tuple[str, ...]]] = {
    "Set2": {
        3: ("#66c2a5", "#fc8d62", "#8da0cb"),
        4: ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3"),
        5: ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"),
        6: ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f"),
        7: ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494"),
        8: ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"),
    },
    "Dark2": {
        3: ("#1b9e77", "#d95f02", "#7570b3"),
        4: ("#1b9e77", "#d95f02", "#7570b3", "#e7298a"),
        5: ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"),
        6: ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"),
        7: ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"),
        8: ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"),
    },
}

_ALL: dict[str, dict[int, tuple[str, ...]]] = {**SEQUENTIAL, **DIVERGING, **QUALITATIVE}
_BY_LOWER = {name.lower(): name for name in _ALL}


def _canonical(name: str) -> str:
    try:
        return _BY_LOWER[name.lower()]
    except KeyError:
        known = ", ".join(sorted(_ALL))
        msg = f"unknown palette {name!r}; expected one of: {known}"
        raise ValueError(msg) from None


def palette_kind(name: str) -> Literal["sequential", "diverging", "qualitative"]:
    """Return the kind of a ColorBrewer scheme.

    Parameters
    ----------
    name
        Scheme name, case-insensitive (``"ylgnbu"`` works).

    Returns
    -------
    str
        ``"sequential"``, ``"diverging"`` or ``"qualitative"``.

    Examples
    --------
    >>> palette_kind("RdBu")
    'diverging'
    """
    canon = _canonical(name)
    if canon in SEQUENTIAL:
        return "sequential"
    if canon in DIVERGING:
        return "diverging"
    return "qualitative"


def palette(name: str, k: int, *, reverse: bool = False) -> tuple[str, ...]:
    """Return the ``k``-class ColorBrewer scheme ``name`` as hex colours.

    Parameters
    ----------
    name
        Scheme name, case-insensitive; see the module docstring for the list.
    k
        Number of classes: 3-9 for sequential, 3-11 for diverging, 3-8 for qualitative
        schemes.
    reverse
        Return the colours in reverse order (dark to light for sequential schemes).

    Returns
    -------
    tuple of str
        ``k`` lowercase ``#rrggbb`` strings, light to dark for sequential schemes.

    Raises
    ------
    ValueError
        If the scheme is unknown or has no ``k``-class version.

    Examples
    --------
    >>> palette("YlOrRd", 4)
    ('#ffffb2', '#fecc5c', '#fd8d3c', '#e31a1c')
    >>> palette("set2", 3)
    ('#66c2a5', '#fc8d62', '#8da0cb')
    """
    canon = _canonical(name)
    versions = _ALL[canon]
    if isinstance(k, bool) or not isinstance(k, int) or k not in versions:
        msg = (
            f"palette {canon!r} has versions for {min(versions)}-{max(versions)} classes, "
            f"got k={k!r}; choose a k in that range or another scheme"
        )
        raise ValueError(msg)
    colors = versions[k]
    return tuple(reversed(colors)) if reverse else colors


def diverging_palette(
    k_neg: int,
    k_pos: int,
    *,
    name: str = DEFAULT_DIVERGING,
    neutral: bool | str | None = None,
    reverse: bool = False,
) -> tuple[str, ...]:
    """Return colours for signed data: ``k_neg`` negative classes, ``k_pos`` positive ones.

    Each side is one hue family of the diverging scheme, light next to zero and **darkest
    at the extreme**, whatever the number of classes on that side: the negative side is
    the first half of the ``(2 * k_neg + 1)``-class scheme, the positive side the second
    half of the ``(2 * k_pos + 1)``-class scheme. Asymmetric class counts (e.g. 2 negative
    and 4 positive classes around a zero break) therefore keep the full lightness range
    on both sides.

    Parameters
    ----------
    k_neg, k_pos
        Number of classes below and above the neutral point, each 0-5.
    name
        A diverging scheme (``RdBu``, ``PuOr``, ``BrBG``, ``RdYlBu``).
    neutral
        ``None`` (default): no neutral class. ``True``: insert the scheme's own central
        colour between the two sides. A hex string: insert that colour.
    reverse
        Swap the hue families (e.g. blue for negative values with ``RdBu``).

    Returns
    -------
    tuple of str
        ``k_neg (+1) + k_pos`` colours, ordered from the most negative class to the most
        positive one.

    Raises
    ------
    ValueError
        If ``name`` is not a diverging scheme, a side has more than 5 classes, or both
        sides are empty.

    Examples
    --------
    >>> diverging_palette(1, 1, neutral=True)
    ('#ef8a62', '#f7f7f7', '#67a9cf')
    >>> diverging_palette(1, 2, reverse=True)
    ('#67a9cf', '#f4a582', '#ca0020')
    """
    canon = _canonical(name)
    if canon not in DIVERGING:
        msg = f"diverging_palette needs a diverging scheme ({', '.join(DIVERGING)}), got {name!r}"
        raise ValueError(msg)
    for label, k in (("k_neg", k_neg), ("k_pos", k_pos)):
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= 5:
            msg = f"{label} must be an integer from 0 to 5, got {k!r}"
            raise ValueError(msg)
    if k_neg + k_pos == 0:
        msg = "diverging_palette needs at least one class (k_neg + k_pos >= 1)"
        raise ValueError(msg)
    scheme = DIVERGING[canon]
    first = list(scheme[2 * k_neg + 1][:k_neg]) if k_neg else []
    second = list(scheme[2 * k_pos + 1][k_pos + 1 :]) if k_pos else []
    if reverse:
        # the negative side takes the second hue family, darkest still at the extreme
        first, second = (
            list(reversed(scheme[2 * k_neg + 1][k_neg + 1 :])) if k_neg else [],
            list(reversed(scheme[2 * k_pos + 1][:k_pos])) if k_pos else [],
        )
    middle: list[str] = []
    if neutral is True:
        middle = [scheme[3][1]]
    elif isinstance(neutral, str):
        middle = [neutral]
    elif neutral not in (None, False):
        msg = f"neutral must be None, True or a hex colour string, got {neutral!r}"
        raise ValueError(msg)
    return (*first, *middle, *second)
