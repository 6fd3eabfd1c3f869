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

Complete base geography (:func:`geotrade.join.complete_geography`) adds two more optional
classes, chosen by the feature's ``status_field`` (``status``) rather than by its value:
``missing`` for ``status == "no data"`` (covered by the source, no row; without it such
features fall into ``nodata``) and ``not_covered`` for ``status == "not covered"`` (drawn
hatched: :data:`NOT_COVERED_HATCH` over :data:`NOT_COVERED_FILL`, visibly different from
every data class and from "no data"). :func:`not_covered_class` and :func:`missing_class`
are the one definition of both.

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

__all__ = [
    "MISSING_FILL",
    "NOT_COVERED_FILL",
    "NOT_COVERED_HATCH",
    "ClassStyle",
    "LayerStyle",
    "missing_class",
    "not_covered_class",
]

#: Fill of the "not covered" class: a light grey, always drawn with the hatch below.
NOT_COVERED_FILL = "#f2f2f2"
#: Colour of the diagonal hatch lines of the "not covered" class.
NOT_COVERED_HATCH = "#8c8c8c"
#: Fill of the "no data" class of features covered by the source but without a row.
MISSING_FILL = "#c6c6c6"


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
    #: Colour of diagonal hatch lines drawn over the fill (``None``: solid fill).
    hatch: str | None = None

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
    #: Class of features whose ``status_field`` is ``"no data"`` (``None``: ``nodata``).
    missing: ClassStyle | None = None
    #: Class of features whose ``status_field`` is ``"not covered"``.
    not_covered: ClassStyle | None = None
    status_field: str = "status"

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

    def class_for_feature(self, value: object, status: object = None) -> ClassStyle | None:
        """Return the class of a feature from its value and its ``status_field`` value.

        ``"not covered"`` features get :attr:`not_covered`, ``"no data"`` features
        :attr:`missing` (when the style has these classes); otherwise
        :meth:`class_for_value`.

        Examples
        --------
        >>> s = LayerStyle(kind="categorized", field="c", title_en="C", title_zh="类",
        ...     classes=(ClassStyle("A", "甲", "#1b9e77", value="a"),),
        ...     nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
        ...     not_covered=not_covered_class())
        >>> s.class_for_feature(None, "not covered").label_en
        'Not covered by the data'
        >>> s.class_for_feature(None, "no data").label_en
        'No data'
        """
        if status == "not covered" and self.not_covered is not None:
            return self.not_covered
        if status == "no data" and self.missing is not None:
            return self.missing
        return self.class_for_value(value)

    def status_classes(self) -> tuple[ClassStyle, ...]:
        """Return the status-chosen classes the style has (``missing``, ``not_covered``)."""
        return tuple(c for c in (self.missing, self.not_covered) if c is not None)

    def all_classes(self) -> tuple[ClassStyle, ...]:
        """Classes in legend order, then the no-data class, then the status classes."""
        return (
            self.classes
            + ((self.nodata,) if self.nodata is not None else ())
            + self.status_classes()
        )

    def with_status_classes(
        self, *, counts: dict[str, int] | None = None, missing: bool = True
    ) -> LayerStyle:
        """Return this style with the "not covered" (and "no data") classes added.

        Parameters
        ----------
        counts
            Features per status value (``{"no data": n, "not covered": m}``), shown in
            legends.
        missing
            Add the separate :func:`missing_class` when some feature is ``"no data"`` (use
            ``False`` when the style's own ``nodata`` class already means "no row", e.g.
            "No trade"). The "not covered" class is always added, so every product's
            legend shows it.
        """
        counts = counts or {}
        n_missing = int(counts.get("no data", 0))
        return dataclasses.replace(
            self,
            missing=missing_class(count=n_missing) if missing and n_missing > 0 else None,
            not_covered=not_covered_class(count=counts.get("not covered", 0)),
        )


def not_covered_class(*, count: int | None = None) -> ClassStyle:
    """Return the "not covered" legend class of every product (hatched light grey).

    Examples
    --------
    >>> c = not_covered_class(count=3)
    >>> c.label_zh, c.color, c.hatch, c.count
    ('数据未覆盖', '#f2f2f2', '#8c8c8c', 3)
    """
    return ClassStyle(
        label_en="Not covered by the data",
        label_zh="数据未覆盖",
        color=NOT_COVERED_FILL,
        value="not covered",
        count=count,
        hatch=NOT_COVERED_HATCH,
    )


def missing_class(*, count: int | None = None) -> ClassStyle:
    """Return the "no data" class of units covered by the source but without a row.

    Examples
    --------
    >>> missing_class().label_en
    'No data'
    """
    return ClassStyle(
        label_en="No data", label_zh="无数据", color=MISSING_FILL, value="no data", count=count
    )
