"""Classify values for choropleth maps: one set of breaks for every output.

A :class:`Classification` is the result of :func:`classify` (one layer) or
:func:`classify_pooled` (several layers sharing one legend). Its definitions:

``bins``
    Ascending upper bounds of the ``k`` classes. For data-driven schemes the last bin is
    the data maximum. With ``closed="left"``, Fisher–Jenks bins are the minima of the next
    classes, so when the top class is the single value ``max`` the last two bins are equal
    (the class ``[max, max]``); otherwise bins are strictly ascending.
``lower_bounds``
    Lower bound of each class: the first is the data minimum (or the scheme's lower extent
    for ``symmetric`` and ``user_defined``), the others are ``bins[:-1]``.
``closed``
    ``"right"`` (default): ``lower < x <= upper`` and the first class also includes its
    lower bound. ``"left"``: ``lower <= x < upper`` and the last class also includes its
    upper bound.
``yb``
    Class index (0-based) of each input value; ``-1`` for missing values (NaN/None), which
    are counted in ``nodata_count`` and never silently dropped.
GVF (goodness of variance fit)
    ``1 - SDCM / SDAM`` with ``SDCM = sum w (x - mean of its class)^2`` and
    ``SDAM = sum w (x - overall mean)^2`` (``w = 1`` unless weights are given).
TAI (tabular accuracy index, Jenks & Caspall 1971, as in R ``classInt``)
    ``1 - ADCM / ADAM`` with absolute deviations from the class means and overall mean.
    Both indices are ``1.0`` when all values are equal.

Schemes (``scheme=``): ``"fisher_jenks"`` (exact natural breaks; minimum within-class sum
of squares, float64, no sampling), ``"quantiles"``, ``"equal_interval"``, ``"std_mean"``,
``"head_tail_breaks"``, ``"box_plot"``, ``"pretty"`` (R's ``pretty()``),
``"user_defined"`` and ``"symmetric"`` (around a midpoint, for balances and signed
indices). Names are case-insensitive and ``-``/space/``_`` are interchangeable; ``"jenks"``,
``"quantile"``, ``"manual"``, ``"boxplot"`` and ``"head_tail"`` are accepted aliases.
(mapclassify's ``NaturalBreaks`` is k-means; geotrade has no scheme of that name.)

Adjustments (a reduced ``k``, dropped breaks) are recorded as strings in
``result.warnings`` rather than raised, so the command line can report them next to the map.

Examples
--------
>>> import numpy as np
>>> from geotrade.classification import classify
>>> r = classify([1.0, 2.0, 2.5, 10.0, 11.0, 30.0, np.nan], k=3)
>>> r.bins.tolist(), r.yb.tolist(), r.counts.tolist(), r.nodata_count
([2.5, 11.0, 30.0], [0, 0, 0, 1, 1, 2, -1], [3, 2, 1], 1)
>>> r.labels(fmt="{:.1f}")
['1.0 – 2.5', '>2.5 – 11.0', '>11.0 – 30.0']
>>> round(r.gvf, 4)
0.9972
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geotrade._fisher_jenks import Backend, fisher_jenks_classes
from geotrade.errors import ClassificationError

__all__ = [
    "MAX_ABS_VALUE",
    "NODATA_LABELS",
    "SCHEMES",
    "Classification",
    "Closed",
    "Scheme",
    "classify",
    "classify_pooled",
    "pretty_breaks",
]

#: Largest magnitude a value to classify may have: squares and sums of up to ~10^7 such
#: values stay finite in float64 (variance, goodness of variance fit, class widths).
MAX_ABS_VALUE = 1e150

Scheme = Literal[
    "fisher_jenks",
    "quantiles",
    "equal_interval",
    "std_mean",
    "head_tail_breaks",
    "box_plot",
    "pretty",
    "user_defined",
    "symmetric",
]
Closed = Literal["right", "left"]
Lang = Literal["en", "zh", "both"]
LabelStyle = Literal["range", "interval"]
Spread = Literal["equal", "quantiles"]
StdAnchor = Literal["midpoint", "break"]
#: Class breaks while they are computed (float64 at run time; numpy types some results as
#: floating[Any]); :class:`Classification` stores them as float64.
_Breaks: TypeAlias = NDArray[np.floating[Any]]

SCHEMES: tuple[str, ...] = (
    "fisher_jenks",
    "quantiles",
    "equal_interval",
    "std_mean",
    "head_tail_breaks",
    "box_plot",
    "pretty",
    "user_defined",
    "symmetric",
)
_ALIASES = {
    "jenks": "fisher_jenks",
    "fisherjenks": "fisher_jenks",
    "quantile": "quantiles",
    "equalinterval": "equal_interval",
    "stdmean": "std_mean",
    "standarddeviation": "std_mean",
    "headtail": "head_tail_breaks",
    "headtailbreaks": "head_tail_breaks",
    "boxplot": "box_plot",
    "boxmap": "box_plot",
    "manual": "user_defined",
    "userdefined": "user_defined",
}
#: Label of the no-data class (missing values), by language.
NODATA_LABELS = {"en": "No data", "zh": "无数据", "both": "No data / 无数据"}
_NO_SPACE_UNITS = ("%", "‰", "°")


def _choice(
    name: str, value: object, choices: Sequence[str], aliases: dict[str, str] | None = None
) -> str:
    """Validate a string option (the one validator of this module) and normalise it."""
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in choices:
            return key
        if aliases:
            squashed = key.replace("_", "")
            for c in choices:
                if c.replace("_", "") == squashed:
                    return c
            if squashed in aliases:
                return aliases[squashed]
    msg = (
        f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}. "
        f"Pass one of the listed names."
    )
    raise ClassificationError(msg)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class Classification:
    """Classes of one layer: breaks, membership, counts and fit statistics.

    Build it with :func:`classify` or :func:`classify_pooled`, not directly.

    Attributes
    ----------
    scheme
        Canonical scheme name (see :data:`SCHEMES`).
    bins
        Ascending upper bounds, one per class.
    yb
        Class index per input value, ``-1`` for missing values.
    counts
        Number of (non-missing) values per class.
    lower
        Lower bound of the first class (the data minimum for data-driven schemes).
    closed
        Interval closure, ``"right"`` or ``"left"``.
    nodata_count
        Number of missing values.
    gvf, tai, sse
        Goodness of variance fit, tabular accuracy index and within-class sum of squares.
    warnings
        Notes about adjustments (reduced ``k``, dropped breaks, ...).
    params
        Scheme parameters actually used (``k`` requested, midpoint, fences, ...).

    Examples
    --------
    >>> r = classify([0.0, 1.0, 2.0, 3.0], k=2, scheme="equal_interval")
    >>> r.k, r.lower_bounds.tolist(), r.bins.tolist()
    (2, [0.0, 1.5], [1.5, 3.0])
    """

    scheme: str
    bins: NDArray[np.float64]
    yb: NDArray[np.int64]
    counts: NDArray[np.int64]
    lower: float
    closed: Closed
    nodata_count: int
    gvf: float
    tai: float
    sse: float
    warnings: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def k(self) -> int:
        """Number of classes actually used."""
        return int(self.bins.size)

    @property
    def n(self) -> int:
        """Number of non-missing values."""
        return int(self.counts.sum())

    @property
    def lower_bounds(self) -> NDArray[np.float64]:
        """Lower bound of each class (first = :attr:`lower`, then ``bins[:-1]``)."""
        return np.concatenate([[self.lower], self.bins[:-1]])

    @property
    def upper_bounds(self) -> NDArray[np.float64]:
        """Upper bound of each class (same as :attr:`bins`)."""
        return self.bins

    def find_bin(self, values: ArrayLike) -> NDArray[np.int64]:
        """Return the class index of new values under these breaks (``-1`` for NaN).

        Values outside ``[lower, bins[-1]]`` go to the first or last class.

        Parameters
        ----------
        values
            Numbers to place in the existing classes.

        Returns
        -------
        ndarray of int
            Class index per value.

        Examples
        --------
        >>> r = classify([1.0, 2.0, 3.0, 4.0], k=2, scheme="equal_interval")
        >>> r.find_bin([0.0, 2.5, 2.6, 99.0, float("nan")]).tolist()
        [0, 0, 1, 1, -1]
        """
        x = np.atleast_1d(np.asarray(values, dtype=np.float64))
        out = np.full(x.shape, -1, dtype=np.int64)
        ok = ~np.isnan(x)
        out[ok] = _assign(x[ok], self.bins, self.closed)
        return out

    def closure_note(self, lang: Lang = "en") -> str:
        """Return a sentence stating the interval closure, for legends and metadata.

        Parameters
        ----------
        lang
            ``"en"``, ``"zh"`` or ``"both"``.

        Returns
        -------
        str
            The closure convention in words.

        Examples
        --------
        >>> print(classify([1.0, 2.0, 3.0], k=2).closure_note(lang="zh"))
        各类含上限（下限 < x ≤ 上限），第一类同时含下限。
        """
        lang = _choice("lang", lang, ("en", "zh", "both"))  # type: ignore[assignment]
        if self.closed == "right":
            en = (
                "Classes include their upper bound (lower < x ≤ upper); "
                "the first class also includes its lower bound."
            )
            zh = "各类含上限（下限 < x ≤ 上限），第一类同时含下限。"
        else:
            en = (
                "Classes include their lower bound (lower ≤ x < upper); "
                "the last class also includes its upper bound."
            )
            zh = "各类含下限（下限 ≤ x < 上限），最后一类同时含上限。"
        return {"en": en, "zh": zh, "both": f"{en} / {zh}"}[lang]

    def labels(
        self,
        fmt: str = "{:.2f}",
        unit: str = "",
        lang: Lang = "en",
        *,
        style: LabelStyle = "range",
        nodata: bool = False,
    ) -> list[str]:
        """Return one legend label per class (plus an optional no-data label).

        Parameters
        ----------
        fmt
            ``str.format`` pattern for one bound, e.g. ``"{:.2f}"`` or ``"{:,.0f}"``.
        unit
            Appended to each label (``"%"``, ``"‰"`` and ``"°"`` without a space).
        lang
            Language of the no-data label: ``"en"``, ``"zh"`` or ``"both"``.
        style
            ``"range"``: ``"0.12 – 0.45"``, with ``>`` marking an excluded lower bound
            (``closed="right"``) or ``<`` an excluded upper bound (``closed="left"``).
            ``"interval"``: ``"[0.12, 0.45]"``, ``"(0.45, 0.78]"``.
        nodata
            Append ``"No data"`` / ``"无数据"`` / ``"No data / 无数据"``.

        Returns
        -------
        list of str
            ``k`` labels (``k + 1`` with ``nodata=True``).

        Examples
        --------
        >>> r = classify([0.12, 0.3, 0.45, 0.6, 0.78], k=2, scheme="user_defined", bins=[0.45])
        >>> r.labels()
        ['0.12 – 0.45', '>0.45 – 0.78']
        >>> r.labels(style="interval", unit="%", nodata=True, lang="both")
        ['[0.12, 0.45]%', '(0.45, 0.78]%', 'No data / 无数据']
        """
        lang = _choice("lang", lang, ("en", "zh", "both"))  # type: ignore[assignment]
        style = _choice("style", style, ("range", "interval"))  # type: ignore[assignment]
        try:
            lo = [fmt.format(float(v)) for v in self.lower_bounds]
            hi = [fmt.format(float(v)) for v in self.bins]
        except (ValueError, IndexError, KeyError) as exc:
            msg = f"fmt must be a str.format pattern for one number, e.g. '{{:.2f}}'; got {fmt!r}"
            raise ClassificationError(msg) from exc
        k = self.k
        out = []
        for i in range(k):
            if style == "interval":
                if self.closed == "right":
                    left = "[" if i == 0 else "("
                    right = "]"
                else:
                    left = "["
                    right = "]" if i == k - 1 else ")"
                text = f"{left}{lo[i]}, {hi[i]}{right}"
            elif self.closed == "right":
                text = f"{lo[i]} – {hi[i]}" if i == 0 else f">{lo[i]} – {hi[i]}"
            else:
                text = f"{lo[i]} – {hi[i]}" if i == k - 1 else f"{lo[i]} – <{hi[i]}"
            if unit:
                text += unit if unit in _NO_SPACE_UNITS else f" {unit}"
            out.append(text)
        if nodata:
            out.append(NODATA_LABELS[lang])
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary (breaks, counts, statistics, notes).

        Returns
        -------
        dict
            Plain Python types only.

        Examples
        --------
        >>> d = classify([1.0, 2.0, 3.0, 10.0], k=2).to_dict()
        >>> d["bins"], d["lower_bounds"], d["counts"]
        ([3.0, 10.0], [1.0, 3.0], [3, 1])
        """
        return {
            "scheme": self.scheme,
            "k": self.k,
            "closed": self.closed,
            "bins": [float(v) for v in self.bins],
            "lower_bounds": [float(v) for v in self.lower_bounds],
            "counts": [int(c) for c in self.counts],
            "nodata_count": self.nodata_count,
            "gvf": self.gvf,
            "tai": self.tai,
            "sse": self.sse,
            "warnings": list(self.warnings),
            "params": {k: _plain(v) for k, v in self.params.items()},
        }

    def __repr__(self) -> str:
        head = (
            f"Classification(scheme={self.scheme!r}, k={self.k}, n={self.n}, "
            f"nodata={self.nodata_count}, closed={self.closed!r}, "
            f"GVF={self.gvf:.4f}, TAI={self.tai:.4f})"
        )
        labels = self.labels(fmt="{:.6g}", style="interval")
        width = max(len(s) for s in labels)
        rows = [f"  {s:<{width}}  {c:>8d}" for s, c in zip(labels, self.counts, strict=True)]
        if self.nodata_count:
            rows.append(f"  {'No data':<{width}}  {self.nodata_count:>8d}")
        return "\n".join([head, *rows])


def _plain(v: object) -> object:
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


# --------------------------------------------------------------------------- helpers


def _as_values(values: ArrayLike, name: str = "values") -> NDArray[np.float64]:
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = (
            f"{name} must be numbers (NaN/None for missing); got something that cannot be "
            f"converted to float ({exc}). Convert the column first, e.g. "
            f"series.to_numpy(dtype=float, na_value=np.nan)."
        )
        raise ClassificationError(msg) from exc
    if x.ndim == 0:
        x = x.reshape(1)
    if x.ndim != 1:
        msg = f"{name} must be one-dimensional; got an array of shape {x.shape}. Pass one column."
        raise ClassificationError(msg)
    if np.isinf(x).any():
        msg = (
            f"{name} contains {int(np.isinf(x).sum())} infinite value(s); expected finite "
            f"numbers or NaN. Replace ±inf (e.g. from a division by zero) with NaN."
        )
        raise ClassificationError(msg)
    with np.errstate(invalid="ignore"):
        huge = np.abs(x) > MAX_ABS_VALUE
    if huge.any():
        worst = float(x[np.flatnonzero(huge)[np.argmax(np.abs(x[huge]))]])
        msg = (
            f"{name} contains {int(huge.sum())} value(s) beyond ±{MAX_ABS_VALUE:.0e} (largest "
            f"{worst:.6g}): sums of squares and class widths would overflow to infinity. "
            "Rescale the field (e.g. divide by 1e6 and say so in the legend) or fix the "
            "values (1.7e308 is the largest float: a missing-value code?)"
        )
        raise ClassificationError(msg)
    return x


def _as_weights(weights: ArrayLike, x: NDArray[np.float64]) -> NDArray[np.float64]:
    w = _as_values(weights, "weights")
    if w.shape != x.shape:
        msg = f"weights must have the same length as values ({x.size}); got {w.size}."
        raise ClassificationError(msg)
    ok = ~np.isnan(x)
    if np.isnan(w[ok]).any() or (w[ok] <= 0).any():
        msg = (
            "weights must be positive numbers wherever values are not missing; found "
            f"{int((np.isnan(w[ok]) | (w[ok] <= 0)).sum())} missing, zero or negative "
            "weight(s). Drop those rows or set their value to NaN."
        )
        raise ClassificationError(msg)
    return w


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or int(k) < 1:
        msg = f"k must be a positive integer number of classes; got {k!r}."
        raise ClassificationError(msg)
    return int(k)


def _assign(x: NDArray[np.float64], bins: _Breaks, closed: str) -> NDArray[np.int64]:
    side: Literal["left", "right"] = "left" if closed == "right" else "right"
    idx = np.searchsorted(bins, x, side=side)
    return np.minimum(idx, bins.size - 1).astype(np.int64)


def _dedupe(bins: _Breaks, lower: float, closed: str, notes: list[str], scheme: str) -> _Breaks:
    """Make bins strictly ascending and drop classes that cannot hold any value."""
    b = np.unique(bins)
    if closed == "left" and b.size > 1 and b[0] <= lower:
        b = b[b > lower] if (b > lower).any() else b[-1:]
    if b.size < bins.size:
        notes.append(
            f"{scheme}: {bins.size - b.size} break(s) coincided (ties in the data); "
            f"using k={b.size} instead of {bins.size}."
        )
    return b


def _fit_stats(
    x: NDArray[np.float64], yb: NDArray[np.int64], k: int, w: NDArray[np.float64] | None
) -> tuple[float, float, float]:
    if x.size == 0:
        return math.nan, math.nan, math.nan
    ww = np.ones_like(x) if w is None else w
    wc = np.bincount(yb, weights=ww, minlength=k)
    has = wc > 0
    # shift each value by a rounded first-pass mean (x - c is exact for 1e9 + noise), then
    # take moments of the small residuals: SS = sum w d^2 - (sum w d)^2 / W
    c = np.divide(np.bincount(yb, weights=ww * x, minlength=k), wc, out=np.zeros(k), where=has)
    d = x - c[yb]
    corr = np.divide(np.bincount(yb, weights=ww * d, minlength=k), wc, out=np.zeros(k), where=has)
    dc = d - corr[yb]
    wt = float(np.sum(ww))
    c0 = float(np.sum(ww * x)) / wt
    d0 = x - c0
    da = d0 - float(np.sum(ww * d0)) / wt
    sdcm = float(np.sum(ww * dc * dc))
    sdam = float(np.sum(ww * da * da))
    adcm = float(np.sum(ww * np.abs(dc)))
    adam = float(np.sum(ww * np.abs(da)))
    gvf = 1.0 if sdam == 0 else 1.0 - sdcm / sdam
    tai = 1.0 if adam == 0 else 1.0 - adcm / adam
    return gvf, tai, sdcm


def _build(
    x: NDArray[np.float64],
    bins: _Breaks,
    lower: float,
    closed: Closed,
    scheme: str,
    weights: NDArray[np.float64] | None,
    notes: list[str],
    params: dict[str, Any],
) -> Classification:
    ok = ~np.isnan(x)
    yb = np.full(x.shape, -1, dtype=np.int64)
    xv = x[ok]
    yv = _assign(xv, bins, closed)
    yb[ok] = yv
    k = int(bins.size)
    counts = np.bincount(yv, minlength=k).astype(np.int64)
    gvf, tai, sse = _fit_stats(xv, yv, k, None if weights is None else weights[ok])
    return Classification(
        scheme=scheme,
        bins=bins.astype(np.float64),
        yb=yb,
        counts=counts,
        lower=float(lower),
        closed=closed,
        nodata_count=int((~ok).sum()),
        gvf=gvf,
        tai=tai,
        sse=sse,
        warnings=list(notes),
        params=dict(params),
    )


# --------------------------------------------------------------------------- pretty


def pretty_breaks(lo: float, hi: float, n: int = 5) -> NDArray[np.float64]:
    """Return "pretty" round numbers covering ``[lo, hi]``, as R's ``pretty()``.

    Port of ``R_pretty`` (R ``src/appl/pretty.c``) with R's defaults (``min.n = n %/% 3``,
    ``shrink.sml = 0.75``, ``high.u.bias = 1.5``, ``u5.bias = 2.75``).

    Parameters
    ----------
    lo, hi
        Range to cover.
    n
        Desired number of intervals.

    Returns
    -------
    ndarray
        Equally spaced round numbers from ``<= lo`` to ``>= hi``.

    Examples
    --------
    >>> pretty_breaks(0, 97).tolist()
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> pretty_breaks(1, 10).tolist()
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    eps = np.finfo(np.float64).eps
    rounding_eps = 1e-10
    h, h5 = 1.5, 0.5 + 1.5 * 1.5
    min_n = n // 3
    ndiv = n
    dx = hi - lo
    if dx == 0 and hi == 0:
        cell, i_small = 1.0, True
    else:
        cell = max(abs(lo), abs(hi))
        u = 1 + (1 / (1 + h) if h5 >= 1.5 * h + 0.5 else 1.5 / (1 + h5))
        u *= max(1, ndiv) * eps
        i_small = bool(dx < cell * u * 3)
    if i_small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= 0.75
        if min_n > 1:
            cell /= min_n
    else:
        cell = dx
        if ndiv > 1:
            cell /= ndiv
    cell = max(cell, 2.0**-20 * np.finfo(np.float64).tiny)
    base = 10.0 ** math.floor(math.log10(cell))
    unit = base
    if 2 * base - cell < h * (cell - unit):
        unit = 2 * base
        if 5 * base - cell < h5 * (cell - unit):
            unit = 5 * base
            if 10 * base - cell < h * (cell - unit):
                unit = 10 * base
    ns = math.floor(lo / unit + rounding_eps)
    nu = math.ceil(hi / unit - rounding_eps)
    while ns * unit > lo + rounding_eps * unit:
        ns -= 1
    while nu * unit < hi - rounding_eps * unit:
        nu += 1
    kk = int(0.5 + nu - ns)
    if kk < min_n:
        kk = min_n - kk
        if ns >= 0:
            nu += kk // 2
            ns -= kk // 2 + kk % 2
        else:
            ns -= kk // 2
            nu += kk // 2 + kk % 2
        ndiv = min_n
    else:
        ndiv = kk
    steps = np.arange(ns, ns + ndiv + 1, dtype=np.float64)
    decimals = max(0, -math.floor(math.log10(unit))) + 1
    return np.round(steps * unit, decimals) + 0.0


# --------------------------------------------------------------------------- schemes


def _breaks(
    scheme: str,
    x: NDArray[np.float64],
    k: int,
    closed: Closed,
    weights: NDArray[np.float64] | None,
    opts: dict[str, Any],
    notes: list[str],
    params: dict[str, Any],
) -> tuple[_Breaks, float]:
    """Return ``(bins, lower)`` for finite values ``x`` (non-empty)."""
    xmin, xmax = float(x.min()), float(x.max())
    if scheme == "fisher_jenks":
        u, starts, _ = fisher_jenks_classes(x, k, weights=weights, backend=opts["backend"])
        if starts.size < k:
            notes.append(
                f"fisher_jenks: k={k} requested but the data have only {u.size} distinct "
                f"value(s); using k={starts.size}."
            )
        nxt = u[starts[1:]] if closed == "left" else u[starts[1:] - 1]
        return np.append(nxt, u[-1]), xmin
    if xmin == xmax and scheme not in ("user_defined", "symmetric"):
        if k > 1:
            notes.append(f"{scheme}: all values are equal ({xmin!r}); using one class.")
        return np.array([xmax]), xmin
    if scheme == "quantiles":
        q = np.quantile(x, np.arange(1, k + 1) / k)
        q[-1] = xmax
        return _dedupe(q, xmin, closed, notes, scheme), xmin
    if scheme == "equal_interval":
        width = (xmax - xmin) / k
        b = xmin + width * np.arange(1, k + 1)
        b[-1] = xmax
        return _dedupe(b, xmin, closed, notes, scheme), xmin
    if scheme == "std_mean":
        mean = float(x.mean())
        sd = float(x.std(ddof=1)) if x.size > 1 else 0.0
        anchor = opts["anchor"]
        mult = opts["multiples"]
        if mult is None:
            mult = (-2.0, -1.0, 1.0, 2.0) if anchor == "midpoint" else (-2.0, -1.0, 0.0, 1.0, 2.0)
        mult = np.sort(np.asarray(mult, dtype=np.float64))
        cuts = mean + sd * mult
        keep = (cuts < xmax) & ((cuts >= xmin) if closed == "right" else (cuts > xmin))
        if not keep.all():
            notes.append(
                f"std_mean: break(s) at {mult[~keep].tolist()} standard deviations fall outside "
                f"the data range [{xmin:.6g}, {xmax:.6g}] and were dropped."
            )
        params.update(mean=mean, std=sd, multiples=mult[keep].tolist())
        # sd * multiple can underflow (subnormal spreads): equal cuts are merged
        return _dedupe(np.append(cuts[keep], xmax), xmin, closed, notes, scheme), xmin
    if scheme == "head_tail_breaks":
        means: list[float] = []
        v = x
        while True:
            m = float(np.mean(v))
            if means and means[-1] == m:
                break
            means.append(m)
            if v.min() < v.max():
                v = v[v > m]
            else:
                break
            if v.size == 0:  # the mean rounded to the maximum (subnormal spreads)
                break
        b = np.array(means)
        b[-1] = xmax
        return _dedupe(b, xmin, closed, notes, scheme), xmin
    if scheme == "box_plot":
        hinge = float(opts["hinge"])
        q1, q2, q3 = (float(v) for v in np.percentile(x, [25, 50, 75]))
        iqr = q3 - q1
        lf, uf = q1 - hinge * iqr, q3 + hinge * iqr
        low = xmin <= lf if closed == "right" else xmin < lf
        high = xmax > uf if closed == "right" else xmax >= uf
        edges = ([lf] if low else []) + [q1, q2, q3] + ([uf] if high else []) + [xmax]
        params.update(
            hinge=hinge, fences=[lf, uf], low_outlier_class=bool(low), high_outlier_class=bool(high)
        )
        return _dedupe(np.array(edges), xmin, closed, notes, scheme), xmin
    if scheme == "pretty":
        p = pretty_breaks(xmin, xmax, k)
        inner = p[(p > xmin) & (p < xmax)]
        params.update(pretty=p.tolist())
        return np.append(inner, xmax), xmin
    if scheme == "user_defined":
        b = opts["bins"]
        if xmax > b[-1]:
            notes.append(
                f"user_defined: the data maximum {xmax:.6g} is above the last break "
                f"{b[-1]:.6g}; added it as an extra upper class."
            )
            b = np.append(b, xmax)
        return b, min(xmin, float(b[0]))
    if scheme == "symmetric":
        mid = float(opts["midpoint"])
        r = max(abs(xmin - mid), abs(xmax - mid))
        if r == 0:
            notes.append(f"symmetric: all values equal the midpoint {mid!r}; using one class.")
            return np.array([mid]), mid
        h = k // 2
        p = (2.0 * np.arange(1, h + 1) / k) if k % 2 == 0 else (2.0 * np.arange(h + 1) + 1) / k
        d = r * p if opts["spread"] == "equal" else np.quantile(np.abs(x - mid), p)
        d[-1] = r
        d = np.unique(d[d > 0])
        parts = [(mid - d[::-1])[1:]] + ([np.array([mid])] if k % 2 == 0 else []) + [mid + d]
        b = np.unique(np.concatenate(parts))
        if b.size < k:
            notes.append(
                f"symmetric: {k - b.size} break(s) coincided (ties in the data); "
                f"using k={b.size} instead of {k}."
            )
        params.update(midpoint=mid, spread=opts["spread"], half_range=r)
        return b, mid - r
    raise AssertionError(scheme)  # pragma: no cover - validated before


_SCHEME_OPTIONS = {
    "bins": "user_defined",
    "midpoint": "symmetric",
    "spread": "symmetric",
    "multiples": "std_mean",
    "anchor": "std_mean",
    "hinge": "box_plot",
}


def _prepare(
    scheme: object,
    k: object,
    closed: object,
    options: dict[str, Any],
) -> tuple[str, int, Closed, dict[str, Any]]:
    name = _choice("scheme", scheme, SCHEMES, _ALIASES)
    kk = _check_k(k)
    cl: Closed = _choice("closed", closed, ("right", "left"))  # type: ignore[assignment]
    for opt, owner in _SCHEME_OPTIONS.items():
        if options.get(opt) is not None and owner != name:
            msg = f"option {opt}= is only used by scheme={owner!r}; got scheme={name!r}. Drop it."
            raise ClassificationError(msg)
    opts: dict[str, Any] = {
        "backend": _choice(
            "backend", options.get("backend", "auto"), ("auto", "c", "numba", "numpy")
        ),
        "midpoint": 0.0 if options.get("midpoint") is None else float(options["midpoint"]),
        "spread": _choice("spread", options.get("spread") or "equal", ("equal", "quantiles")),
        "anchor": _choice("anchor", options.get("anchor") or "midpoint", ("midpoint", "break")),
        "multiples": options.get("multiples"),
        "hinge": 1.5 if options.get("hinge") is None else float(options["hinge"]),
        "bins": None,
    }
    if name == "user_defined":
        if options.get("bins") is None:
            msg = "scheme='user_defined' needs bins=[upper bounds...]; got none."
            raise ClassificationError(msg)
        b = _as_values(options["bins"], "bins")
        if b.size == 0 or np.isnan(b).any() or (np.diff(b) <= 0).any():
            msg = f"bins must be non-empty, finite and strictly ascending; got {b.tolist()}."
            raise ClassificationError(msg)
        opts["bins"] = b
    if opts["hinge"] <= 0 or not math.isfinite(opts["hinge"]):
        msg = f"hinge must be a positive number (1.5 is Tukey's); got {opts['hinge']!r}."
        raise ClassificationError(msg)
    if not math.isfinite(opts["midpoint"]):
        msg = f"midpoint must be a finite number; got {opts['midpoint']!r}."
        raise ClassificationError(msg)
    return name, kk, cl, opts


# --------------------------------------------------------------------------- public API


def classify(
    values: ArrayLike,
    k: int = 5,
    scheme: Scheme = "fisher_jenks",
    *,
    closed: Closed = "right",
    weights: ArrayLike | None = None,
    bins: ArrayLike | None = None,
    midpoint: float | None = None,
    spread: Spread | None = None,
    multiples: Sequence[float] | None = None,
    anchor: StdAnchor | None = None,
    hinge: float | None = None,
    backend: Backend = "auto",
) -> Classification:
    """Classify values into ``k`` classes with a named scheme.

    Parameters
    ----------
    values
        One-dimensional numbers; NaN/None are missing and go to the no-data class
        (``yb == -1``).
    k
        Requested number of classes (ignored by ``head_tail_breaks``, ``box_plot`` and
        ``user_defined``; ``pretty`` treats it as a target). The actual number is
        ``result.k``; reductions are noted in ``result.warnings``.
    scheme
        One of :data:`SCHEMES` (see the module docstring).
    closed
        ``"right"`` (``lower < x <= upper``, default) or ``"left"`` (``lower <= x < upper``).
    weights
        Positive weights, ``fisher_jenks`` only (weighted within-class sum of squares; the
        GVF/TAI are weighted too).
    bins
        ``user_defined``: ascending upper bounds. The data maximum is added as a last class
        if it lies above them.
    midpoint
        ``symmetric``: centre of the classes (default 0).
    spread
        ``symmetric``: ``"equal"`` widths (default) or ``"quantiles"`` of ``|x - midpoint|``.
    multiples
        ``std_mean``: breaks at ``mean + multiples * sd`` (``sd`` with ``ddof=1``, as
        mapclassify and R). Breaks outside the data range are dropped (noted).
    anchor
        ``std_mean`` when ``multiples`` is not given: ``"midpoint"`` (default; the mean is the
        midpoint of the central class, multiples -2, -1, 1, 2 as in mapclassify) or
        ``"break"`` (the mean is a break: -2, -1, 0, 1, 2).
    hinge
        ``box_plot``: fence multiplier of the IQR (default 1.5). Outlier classes exist only
        when some value lies beyond a fence (see ``result.params``).
    backend
        ``fisher_jenks`` kernel: ``"auto"``, ``"c"`` (compiled at install), ``"numba"`` or
        ``"numpy"`` (identical results).

    Returns
    -------
    Classification
        Breaks, membership, counts, GVF/TAI and notes.

    Raises
    ------
    ClassificationError
        Unknown scheme, bad ``k``, infinite values, no non-missing values, or an option
        that the chosen scheme does not use.

    Examples
    --------
    >>> r = classify([5, 1, 4, 2, 3, 100], k=2)
    >>> r.bins.tolist(), r.counts.tolist()
    ([5.0, 100.0], [5, 1])
    >>> classify([-0.8, -0.1, 0.2, 0.5], k=4, scheme="symmetric").bins.tolist()
    [-0.4, 0.0, 0.4, 0.8]
    """
    name, kk, cl, opts = _prepare(
        scheme,
        k,
        closed,
        {
            "bins": bins,
            "midpoint": midpoint,
            "spread": spread,
            "multiples": multiples,
            "anchor": anchor,
            "hinge": hinge,
            "backend": backend,
        },
    )
    x = _as_values(values)
    w = _check_weights(weights, x, name)
    ok = ~np.isnan(x)
    if not ok.any():
        msg = (
            f"values has no non-missing entries ({x.size} value(s), all NaN); nothing to classify."
        )
        raise ClassificationError(msg)
    notes: list[str] = []
    params: dict[str, Any] = {"k_requested": kk}
    b, lower = _breaks(name, x[ok], kk, cl, None if w is None else w[ok], opts, notes, params)
    return _build(x, b, lower, cl, name, w, notes, params)


def _check_weights(
    weights: ArrayLike | None, x: NDArray[np.float64], name: str
) -> NDArray[np.float64] | None:
    if weights is None:
        return None
    if name != "fisher_jenks":
        msg = f"weights= is only supported by scheme='fisher_jenks'; got scheme={name!r}."
        raise ClassificationError(msg)
    return _as_weights(weights, x)


def classify_pooled(
    layers: Sequence[ArrayLike],
    k: int = 5,
    scheme: Scheme = "fisher_jenks",
    *,
    closed: Closed = "right",
    weights: Sequence[ArrayLike] | None = None,
    bins: ArrayLike | None = None,
    midpoint: float | None = None,
    spread: Spread | None = None,
    multiples: Sequence[float] | None = None,
    anchor: StdAnchor | None = None,
    hinge: float | None = None,
    backend: Backend = "auto",
) -> list[Classification]:
    """Classify several layers (e.g. years) with breaks computed on all of them together.

    The breaks are computed once on the pooled non-missing values, so maps of 2012, 2017
    and 2022 share one legend. Each result has the same ``bins`` and ``lower_bounds`` but
    its own ``yb``, ``counts``, ``nodata_count`` and GVF/TAI (computed on that layer).

    Parameters
    ----------
    layers
        Sequence of one-dimensional value arrays.
    k, scheme, closed, bins, midpoint, spread, multiples, anchor, hinge, backend
        As in :func:`classify`.
    weights
        One weight array per layer (``fisher_jenks`` only), or ``None``.

    Returns
    -------
    list of Classification
        One result per layer, in input order, sharing bins.

    Examples
    --------
    >>> a, b = [1.0, 2.0, 3.0], [2.0, 10.0, 11.0, float("nan")]
    >>> ra, rb = classify_pooled([a, b], k=2)
    >>> ra.bins.tolist() == rb.bins.tolist() == [3.0, 11.0]
    True
    >>> ra.counts.tolist(), rb.counts.tolist(), rb.nodata_count
    ([3, 0], [1, 2], 1)
    """
    name, kk, cl, opts = _prepare(
        scheme,
        k,
        closed,
        {
            "bins": bins,
            "midpoint": midpoint,
            "spread": spread,
            "multiples": multiples,
            "anchor": anchor,
            "hinge": hinge,
            "backend": backend,
        },
    )
    if (isinstance(layers, np.ndarray) and layers.ndim == 1) or not len(layers):
        msg = "layers must be a non-empty list of value arrays, e.g. [values_2012, values_2017]."
        raise ClassificationError(msg)
    xs = [_as_values(v, f"layers[{i}]") for i, v in enumerate(layers)]
    if weights is not None and len(weights) != len(xs):
        msg = f"weights must hold one array per layer ({len(xs)}); got {len(weights)}."
        raise ClassificationError(msg)
    ws = [
        None if weights is None else _check_weights(weights[i], x, name) for i, x in enumerate(xs)
    ]
    pooled = np.concatenate(xs)
    ok = ~np.isnan(pooled)
    if not ok.any():
        msg = "all layers are empty or all-NaN; nothing to classify."
        raise ClassificationError(msg)
    # weights given: each layer has an ArrayLike entry, for which _check_weights returns an array
    pw = None if weights is None else np.concatenate(cast("list[NDArray[np.float64]]", ws))[ok]
    notes: list[str] = []
    params: dict[str, Any] = {
        "k_requested": kk,
        "pooled_layers": len(xs),
        "pooled_n": int(ok.sum()),
    }
    b, lower = _breaks(name, pooled[ok], kk, cl, pw, opts, notes, params)
    return [_build(x, b, lower, cl, name, w, notes, params) for x, w in zip(xs, ws, strict=True)]
