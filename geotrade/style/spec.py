"""Renderer-neutral description of a thematic layer's classes.

One :class:`LayerStyle` is built per mapped layer and then rendered to every output:
QGIS QML (and the GeoPackage ``layer_styles`` row), the folium legend and the static
matplotlib legend. Because they all read the same object, the classes, colours and labels
are identical everywhere.

Two kinds exist:

``categorized``
    Each :class:`ClassStyle` has a ``value``; a feature belongs to the class whose value
    equals the feature's ``field`` value (e.g. a dependence-class slug).
``graduated``
    Each :class:`ClassStyle` has ``lower`` and ``upper`` bounds on a numeric ``field``;
    intervals are closed as stated by ``closed`` (``"right"``: lower < x <= upper, the first
    class also includes its lower bound).

An optional ``nodata`` class describes features whose value is missing (NaN/NULL); it is
drawn in every output and never silently dropped.

Examples
--------
>>> s = LayerStyle(
...     kind="categorized", field="dependence_class",
...     classes=(ClassStyle(label_en="One-way", label_zh="单向", color="#08519c", value="a"),),
...     title_en="Dependence", title_zh="依存")
>>> s.class_for_value("a").label_en
'One-way'
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["ClassStyle", "LayerStyle"]


@dataclass(frozen=True)
class ClassStyle:
    """One legend entry: label in English and Chinese, fill colour, membership rule."""

    label_en: str
    label_zh: str
    color: str
    value: str | None = None
    lower: float | None = None
    upper: float | None = None
    count: int | None = None

    def label(self, lang: Literal["en", "zh", "both"] = "both") -> str:
        """Return the label in one language or both (``"English / 中文"``)."""
        if lang == "en":
            return self.label_en
        if lang == "zh":
            return self.label_zh
        if self.label_en == self.label_zh:
            return self.label_en
        return f"{self.label_en} / {self.label_zh}"


@dataclass(frozen=True)
class LayerStyle:
    """Classes of one thematic layer, shared by QML, web map and static map."""

    kind: Literal["categorized", "graduated"]
    field: str
    classes: tuple[ClassStyle, ...]
    title_en: str
    title_zh: str
    nodata: ClassStyle | None = None
    closed: Literal["right", "left"] = "right"
    outline_color: str = "#636363"
    outline_width_mm: float = 0.15
    # dataclasses.field: the attribute ``field`` shadows the name inside the class body
    extra: dict[str, object] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind == "graduated":
            for c in self.classes:
                if c.lower is None or c.upper is None:
                    msg = f"graduated class {c.label_en!r} needs lower and upper bounds"
                    raise ValueError(msg)
        elif any(c.value is None for c in self.classes):
            msg = "categorized classes need a value"
            raise ValueError(msg)

    def class_for_value(self, value: object) -> ClassStyle | None:
        """Return the class a raw field value falls into (``nodata`` for missing values)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.nodata
        if self.kind == "categorized":
            for c in self.classes:
                if c.value == value:
                    return c
            return self.nodata
        x = float(value)  # type: ignore[arg-type]
        for i, c in enumerate(self.classes):
            lo, hi = float(c.lower), float(c.upper)  # type: ignore[arg-type]
            if self.closed == "right":
                if (lo < x <= hi) or (i == 0 and x == lo):
                    return c
            elif (lo <= x < hi) or (i == len(self.classes) - 1 and x == hi):
                return c
        return self.nodata

    def all_classes(self) -> tuple[ClassStyle, ...]:
        """Classes in legend order, followed by the no-data class when there is one."""
        return self.classes + ((self.nodata,) if self.nodata is not None else ())
