r"""Battery-recycling spatial mismatch: capacity ratios, share matching, capital correlation.

Tables in, tables out; no geometry. Province tables are keyed by ``province_adcode`` (6-digit
GB/T 2260 code as a string) and ``year``; prefecture tables by ``adcode``.

Definitions
-----------
**Retired-volume / capacity ratio** of province *p* in year *y* (the "utilisation" that the
retired volume could support if every tonne were treated in its own province)::

    ratio[p, y] = retired_t[p, y] / capacity_t[p]          if capacity_t[p] > 0
                = NaN, with no_capacity = True               if capacity_t[p] == 0

A province without whitelist capacity never gets a ratio of 0 or infinity.

**Summary over provinces** (:func:`ratio_summary`), for one year:

* ``median_ratio`` = median of ``ratio`` over the provinces **that have capacity**;
* ``share_below`` = #(ratio < threshold) / #(provinces with capacity), and
  ``share_below_all`` = the same count / #(all provinces in the table);
* ``national_ratio`` = Σ retired_t / Σ capacity_t over all provinces;
* cluster ratio = Σ retired_t / Σ capacity_t over the provinces of a cluster. City clusters
  (:data:`CITY_CLUSTERS`) are lists of prefecture-level adcodes; at province level a cluster
  is approximated by the provinces that contain at least one member city
  (:func:`cluster_provinces`);
* OLS over the provinces with capacity: ``ratio = a + b · capacity_t / capacity_per + e``
  (statsmodels, non-robust standard errors); ``capacity_per`` = 10,000 t by default, so
  ``b`` is the change in ratio per 10⁴ t (1 万吨) of capacity.

**Share matching of prefectures** (:func:`prefecture_matching`), within one year::

    volume_share[i]     = retired_t[i] / Σ retired_t
    outlet_share[i]     = outlets[i] / Σ outlets
    share_difference[i] = volume_share[i] − outlet_share[i]
    share_ratio[i]      = volume_share[i] / outlet_share[i]   (NaN and no_outlets = True
                                                               when outlets[i] == 0)

**High-volume, low-outlet cities** (:func:`high_volume_low_outlet`): the cities with
``share_difference > 0`` (more of the national retired volume than of the national outlets),
ranked by ``volume_share`` descending (ties by adcode), first *n*.

**Capital vs whitelist firms** (:func:`capital_whitelist_correlation`): Pearson's r between
``registered_capital_cny`` and ``whitelist_firms`` across provinces (``scipy.stats.pearsonr``,
two-sided p).

Examples
--------
>>> import pandas as pd
>>> prov = pd.DataFrame({"province_adcode": ["110000", "140000"], "year": [2025, 2025],
...                      "retired_t": [300.0, 50.0], "capacity_t": [1000.0, 0.0]})
>>> province_capacity_ratio(prov)[["province_adcode", "ratio", "no_capacity"]]
  province_adcode  ratio  no_capacity
0          110000    0.3        False
1          140000    NaN         True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError
from geotrade.io.recycling import whitelist_by_province
from geotrade.reference import city_cluster_members

__all__ = [
    "CITY_CLUSTERS",
    "CLUSTER_LABELS",
    "ClusterName",
    "Correlation",
    "OLSResult",
    "RatioSummary",
    "capital_whitelist_correlation",
    "cluster_provinces",
    "high_volume_low_outlet",
    "prefecture_matching",
    "province_capacity_ratio",
    "ratio_summary",
    "whitelist_by_province",
]

ClusterName = Literal["yrd", "prd", "jjj", "cy"]

#: Four city clusters as prefecture-level adcodes. The single source is the reference table
#: ``geotrade/data/china_admin.csv`` (columns ``cluster_yrd`` … ``cluster_cy``; plans cited in
#: :data:`geotrade.reference.CLUSTER_PLANS` and ``geotrade/data/README.md``): Yangtze River
#: Delta = the 26 cities of 《长江三角洲城市群发展规划》 (2016); Pearl River Delta = 9 cities,
#: 《珠江三角洲地区改革发展规划纲要（2008—2020年）》; Beijing-Tianjin-Hebei = 13 units,
#: 《京津冀协同发展规划纲要》 (2015); Chengdu-Chongqing = 重庆 (500000, listed whole) and 15
#: cities of 四川, 《成渝城市群发展规划》 (2016).
CITY_CLUSTERS: dict[str, tuple[str, ...]] = {
    key: tuple(city_cluster_members(key)) for key in ("yrd", "prd", "jjj", "cy")
}

#: Chinese labels of the clusters.
CLUSTER_LABELS: dict[str, str] = {"yrd": "长三角", "prd": "珠三角", "jjj": "京津冀", "cy": "成渝"}

_PROVINCE_REQUIRED = ("province_adcode", "year", "retired_t", "capacity_t")
_PREFECTURE_REQUIRED = ("adcode", "retired_t", "outlets")
_CORRELATION_REQUIRED = ("province_adcode", "registered_capital_cny", "whitelist_firms")


class OLSResult(NamedTuple):
    """OLS of the ratio on capacity: ``ratio = intercept + slope · capacity_t / capacity_per``."""

    slope: float
    intercept: float
    t_slope: float
    p_slope: float
    r_squared: float
    n: int
    capacity_per: float


class Correlation(NamedTuple):
    """Pearson correlation: coefficient ``r``, two-sided ``p`` value, number of pairs ``n``."""

    r: float
    p: float
    n: int


@dataclass(frozen=True, eq=False)
class RatioSummary:
    """Summary of province retired-volume / capacity ratios for one year.

    Attributes
    ----------
    year
        The year summarised.
    n_provinces, n_with_capacity
        Rows in the table for that year, and those with ``capacity_t > 0``.
    median_ratio
        Median ratio over the provinces with capacity.
    threshold, n_below, share_below, share_below_all
        Count of provinces with capacity whose ratio is below ``threshold``, as a share of
        the provinces with capacity and of all provinces.
    national_ratio
        Σ retired_t / Σ capacity_t over all provinces.
    no_capacity, no_capacity_names
        Adcodes (and names, when the table has a ``province`` column) of the provinces
        without capacity.
    clusters
        One row per cluster: ``cluster, label, provinces, n_provinces, retired_t,
        capacity_t, ratio, min_province_ratio``.
    ols
        :class:`OLSResult` of the ratio on capacity.
    """

    year: int
    n_provinces: int
    n_with_capacity: int
    median_ratio: float
    threshold: float
    n_below: int
    share_below: float
    share_below_all: float
    national_ratio: float
    no_capacity: tuple[str, ...]
    no_capacity_names: tuple[str, ...]
    clusters: pd.DataFrame
    ols: OLSResult

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dictionary (cluster rows as a list of records)."""
        out: dict[str, Any] = {
            k: getattr(self, k)
            for k in (
                "year",
                "n_provinces",
                "n_with_capacity",
                "median_ratio",
                "threshold",
                "n_below",
                "share_below",
                "share_below_all",
                "national_ratio",
            )
        }
        out["no_capacity"] = list(self.no_capacity)
        out["no_capacity_names"] = list(self.no_capacity_names)
        out["clusters"] = [
            {k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
            for rec in self.clusters.to_dict(orient="records")
        ]
        out["ols"] = self.ols._asdict()
        return out


# --------------------------------------------------------------------------- validation


def _validate(
    df: pd.DataFrame,
    *,
    required: Sequence[str],
    nonnegative: Sequence[str],
    key: Sequence[str],
    what: str,
) -> pd.DataFrame:
    """Check columns, numbers and duplicate keys; collect every problem; return a copy."""
    problems: list[Problem] = []
    if not isinstance(df, pd.DataFrame):
        msg = f"expected a pandas DataFrame for the {what} table, got {type(df).__name__}"
        raise ValidationError([Problem(msg)])
    missing = [c for c in required if c not in df.columns]
    if missing:
        problems.append(
            Problem(
                f"{what} table is missing column(s) {missing}; "
                f"required: {list(required)}, found: {list(df.columns)}"
            )
        )
        raise ValidationError(problems)
    out = df.reset_index(drop=True).copy()
    for col in key:
        for i in np.flatnonzero(out[col].isna().to_numpy()):
            problems.append(Problem("missing key value", row=int(i) + 2, column=col))
        if col != "year":
            out[col] = out[col].astype(str)
    for col in nonnegative:
        values = pd.to_numeric(out[col], errors="coerce")
        bad_type = values.isna() & out[col].notna()
        for i in np.flatnonzero(bad_type.to_numpy()):
            problems.append(
                Problem(f"not a number: {out[col].iloc[i]!r}", row=int(i) + 2, column=col)
            )
        for i in np.flatnonzero(out[col].isna().to_numpy()):
            problems.append(
                Problem("missing value; expected a number >= 0", row=int(i) + 2, column=col)
            )
        for i in np.flatnonzero((values < 0).to_numpy()):
            problems.append(
                Problem(
                    f"negative value {values.iloc[i]}; expected >= 0", row=int(i) + 2, column=col
                )
            )
        out[col] = values.astype(float)
    dup = out.duplicated(subset=list(key), keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        keyval = ", ".join(f"{k}={out[k].iloc[i]!r}" for k in key)
        problems.append(
            Problem(f"duplicate row for {keyval}; keep one row per key", row=int(i) + 2)
        )
    if problems:
        raise ValidationError(problems)
    return out


def _single_year(df: pd.DataFrame, year: int | None, *, what: str) -> pd.DataFrame:
    """Restrict to one year, or check the table has at most one year when ``year`` is None."""
    if "year" not in df.columns:
        return df
    if year is not None:
        sub = df[df["year"] == year]
        if sub.empty:
            years = sorted(pd.unique(df["year"]).tolist())
            msg = f"no {what} rows for year {year}; years present: {years}"
            raise ValidationError([Problem(msg, column="year")])
        return sub
    years = sorted(pd.unique(df["year"]).tolist())
    if len(years) > 1:
        msg = f"the {what} table has several years {years}; pass year=... to choose one"
        raise ValidationError([Problem(msg, column="year")])
    return df


# --------------------------------------------------------------------------- province level


def cluster_provinces(
    clusters: Mapping[str, Collection[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Return, for each city cluster, the provinces that contain at least one member city.

    Parameters
    ----------
    clusters
        Cluster name -> prefecture-level adcodes. Defaults to :data:`CITY_CLUSTERS`.

    Returns
    -------
    dict
        Cluster name -> sorted province adcodes (``adcode[:2] + "0000"``).

    Examples
    --------
    >>> cluster_provinces()["jjj"]
    ('110000', '120000', '130000')
    >>> cluster_provinces({"x": ["310100", "320500"]})
    {'x': ('310000', '320000')}
    """
    src = CITY_CLUSTERS if clusters is None else clusters
    return {
        name: tuple(sorted({str(a)[:2] + "0000" for a in codes})) for name, codes in src.items()
    }


def province_capacity_ratio(
    df: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Retired volume over whitelist capacity, per province and year.

    Parameters
    ----------
    df
        Columns ``province_adcode, year, retired_t, capacity_t`` (tonnes, >= 0); other
        columns are kept. One row per (province_adcode, year).
    years
        Keep only these years (default: all).

    Returns
    -------
    pandas.DataFrame
        The input rows plus ``ratio`` (NaN where ``capacity_t == 0``) and ``no_capacity``
        (bool), sorted by year and province_adcode.

    Raises
    ------
    ValidationError
        Missing columns, non-numeric or negative values, duplicate keys, or a requested
        year that is absent.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"province_adcode": ["360000", "310000", "360000"],
    ...                    "year": [2025, 2025, 2030], "retired_t": [10, 60, 40],
    ...                    "capacity_t": [200, 100, 200]})
    >>> province_capacity_ratio(df, years=[2025])[["province_adcode", "ratio"]]
      province_adcode  ratio
    0          310000   0.60
    1          360000   0.05
    """
    out = _validate(
        df,
        required=_PROVINCE_REQUIRED,
        nonnegative=("retired_t", "capacity_t"),
        key=("province_adcode", "year"),
        what="province",
    )
    if years is not None:
        wanted = [int(y) for y in years]
        absent = sorted(set(wanted) - set(out["year"].astype(int)))
        if absent:
            present = sorted(pd.unique(out["year"]).tolist())
            msg = f"year(s) {absent} not in the province table; years present: {present}"
            raise ValidationError([Problem(msg, column="year")])
        out = out[out["year"].isin(wanted)]
    no_cap = out["capacity_t"].to_numpy() == 0
    ratio = np.full(len(out), np.nan)
    np.divide(out["retired_t"].to_numpy(), out["capacity_t"].to_numpy(), out=ratio, where=~no_cap)
    out = out.assign(ratio=ratio, no_capacity=no_cap)
    return out.sort_values(["year", "province_adcode"], kind="mergesort").reset_index(drop=True)


def _ols(x: np.ndarray, y: np.ndarray, *, capacity_per: float) -> OLSResult:
    """Least squares of ``y`` on ``x / capacity_per`` with an intercept, in closed form.

    The same estimates, t and two-sided p as ``statsmodels`` OLS (checked in
    ``tests/test_metrics_recycling.py``) without importing statsmodels (~2 s in a fresh
    process): slope ``Sxy / Sxx``, residual variance ``SSR / (n - 2)``, ``se = sqrt(s2 /
    Sxx)``, ``p = I_{df/(df+t^2)}(df/2, 1/2)`` (the Student t tail as an incomplete beta).
    """
    from scipy.special import betainc

    n = len(x)
    if n < 3:
        msg = f"OLS needs at least 3 provinces with capacity, got {n}"
        raise ValidationError([Problem(msg, column="capacity_t")])
    if np.ptp(x) == 0:
        msg = "OLS undefined: every province with capacity has the same capacity_t"
        raise ValidationError([Problem(msg, column="capacity_t")])
    xs = np.asarray(x, dtype=float) / capacity_per
    ys = np.asarray(y, dtype=float)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    sxx = float(dx @ dx)
    slope = float(dx @ dy) / sxx
    intercept = float(ys.mean() - slope * xs.mean())
    resid = ys - intercept - slope * xs
    ssr = float(resid @ resid)
    syy = float(dy @ dy)
    df = n - 2
    se = np.sqrt(ssr / df / sxx)
    t = slope / se if se > 0 else np.copysign(np.inf, slope)
    p = float(betainc(df / 2.0, 0.5, df / (df + t * t))) if np.isfinite(t) else 0.0
    return OLSResult(
        slope=slope,
        intercept=intercept,
        t_slope=float(t),
        p_slope=p,
        r_squared=1.0 - ssr / syy if syy > 0 else float("nan"),
        n=int(n),
        capacity_per=float(capacity_per),
    )


def ratio_summary(
    df: pd.DataFrame,
    *,
    year: int = 2025,
    threshold: float = 0.2,
    clusters: Mapping[str, Collection[str]] | None = None,
    capacity_per: float = 10_000.0,
) -> RatioSummary:
    """Summarise province ratios for one year: median, share below a threshold, clusters, OLS.

    Parameters
    ----------
    df
        A province table as accepted by :func:`province_capacity_ratio`; a ``province``
        (name) column is used for ``no_capacity_names`` when present.
    year
        Year to summarise.
    threshold
        Ratio threshold for ``share_below`` (0.2 = "utilisation below 20 %").
    clusters
        Cluster name -> **province** adcodes. Defaults to :func:`cluster_provinces` of
        :data:`CITY_CLUSTERS`. Provinces absent from the table are ignored.
    capacity_per
        Capacity unit of the OLS regressor, in tonnes (10,000 t = 1 万吨).

    Returns
    -------
    RatioSummary

    Raises
    ------
    ValidationError
        Invalid table, absent year, or fewer than 3 provinces with capacity (OLS).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "province_adcode": ["110000", "120000", "130000", "140000", "360000"],
    ...     "year": 2025, "retired_t": [90, 30, 20, 5, 10],
    ...     "capacity_t": [100, 100, 200, 0, 1000]})
    >>> s = ratio_summary(df, clusters={"jjj": ["110000", "120000", "130000"]})
    >>> s.median_ratio, s.n_below, s.share_below, s.share_below_all, s.no_capacity
    (0.2, 2, 0.5, 0.4, ('140000',))
    >>> float(s.clusters.loc[0, "ratio"])
    0.35
    >>> s.ols.slope < 0
    True
    """
    ratios = province_capacity_ratio(df, years=[year])
    has = ratios[~ratios["no_capacity"]]
    if has.empty:
        msg = f"no province has capacity_t > 0 in {year}; the ratio summary is undefined"
        raise ValidationError([Problem(msg, column="capacity_t")])
    r = has["ratio"].to_numpy(dtype=float)
    n_below = int((r < threshold).sum())
    no_cap = ratios[ratios["no_capacity"]]
    names_col = "province" if "province" in ratios.columns else "province_adcode"
    total_cap = float(ratios["capacity_t"].sum())
    cl = (
        cluster_provinces()
        if clusters is None
        else {k: tuple(str(a) for a in v) for k, v in clusters.items()}
    )
    rows = []
    for name, members in cl.items():
        sub = ratios[ratios["province_adcode"].isin(members)]
        cap = float(sub["capacity_t"].sum())
        ret = float(sub["retired_t"].sum())
        rows.append(
            {
                "cluster": name,
                "label": CLUSTER_LABELS.get(name, name),
                "provinces": ",".join(sub["province_adcode"]),
                "n_provinces": len(sub),
                "retired_t": ret,
                "capacity_t": cap,
                "ratio": ret / cap if cap > 0 else float("nan"),
                "min_province_ratio": float(sub["ratio"].min()) if len(sub) else float("nan"),
            }
        )
    return RatioSummary(
        year=int(year),
        n_provinces=len(ratios),
        n_with_capacity=len(has),
        median_ratio=float(np.median(r)),
        threshold=float(threshold),
        n_below=n_below,
        share_below=n_below / len(has),
        share_below_all=n_below / len(ratios),
        national_ratio=float(ratios["retired_t"].sum()) / total_cap,
        no_capacity=tuple(no_cap["province_adcode"]),
        no_capacity_names=tuple(str(v) for v in no_cap[names_col]),
        clusters=pd.DataFrame(rows),
        ols=_ols(has["capacity_t"].to_numpy(float), r, capacity_per=capacity_per),
    )


# --------------------------------------------------------------------------- prefecture level


def prefecture_matching(df: pd.DataFrame) -> pd.DataFrame:
    """National shares of retired volume and of recycling outlets, per prefecture.

    Parameters
    ----------
    df
        Columns ``adcode, retired_t, outlets`` (>= 0); other columns are kept. With a
        ``year`` column, shares are computed within each year and the key is (adcode, year).

    Returns
    -------
    pandas.DataFrame
        The input plus ``volume_share``, ``outlet_share``, ``share_difference``,
        ``share_ratio`` (NaN where ``outlets == 0``) and ``no_outlets`` (bool).

    Raises
    ------
    ValidationError
        Missing columns, non-numeric or negative values, duplicate keys, or a year whose
        volume or outlet total is 0.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"adcode": ["310100", "230100", "460300"],
    ...                    "retired_t": [60, 20, 20], "outlets": [1, 3, 0]})
    >>> m = prefecture_matching(df)
    >>> m[["adcode", "volume_share", "outlet_share", "share_ratio", "no_outlets"]]
       adcode  volume_share  outlet_share  share_ratio  no_outlets
    0  310100           0.6          0.25     2.400000       False
    1  230100           0.2          0.75     0.266667       False
    2  460300           0.2          0.00          NaN        True
    """
    key = ("adcode", "year") if "year" in df.columns else ("adcode",)
    out = _validate(
        df,
        required=_PREFECTURE_REQUIRED,
        nonnegative=("retired_t", "outlets"),
        key=key,
        what="prefecture",
    )
    if "year" in out.columns:
        groups = out.groupby("year", sort=False)
        tot_v = groups["retired_t"].transform("sum")
        tot_o = groups["outlets"].transform("sum")
    else:
        tot_v = pd.Series(out["retired_t"].sum(), index=out.index)
        tot_o = pd.Series(out["outlets"].sum(), index=out.index)
    problems = []
    if (tot_v == 0).any():
        problems.append(
            Problem("total retired_t is 0; volume shares undefined", column="retired_t")
        )
    if (tot_o == 0).any():
        problems.append(Problem("total outlets is 0; outlet shares undefined", column="outlets"))
    if problems:
        raise ValidationError(problems)
    vs = out["retired_t"] / tot_v
    os_ = out["outlets"] / tot_o
    no_out = out["outlets"].to_numpy() == 0
    ratio = np.full(len(out), np.nan)
    np.divide(vs.to_numpy(), os_.to_numpy(), out=ratio, where=~no_out)
    return out.assign(
        volume_share=vs,
        outlet_share=os_,
        share_difference=vs - os_,
        share_ratio=ratio,
        no_outlets=no_out,
    )


def high_volume_low_outlet(df: pd.DataFrame, *, n: int = 18) -> pd.DataFrame:
    """Cities with the most retired volume among those with relatively few outlets.

    A city qualifies when ``share_difference > 0`` (its share of the national retired volume
    exceeds its share of the national outlets); qualifying cities are ranked by
    ``volume_share`` descending (ties by adcode) and the first ``n`` are returned (per year
    when the table has a ``year`` column).

    Parameters
    ----------
    df
        A prefecture table (``adcode, retired_t, outlets``), raw or already passed through
        :func:`prefecture_matching`.
    n
        Number of cities to return (>= 1).

    Returns
    -------
    pandas.DataFrame
        The matching table restricted to the selected cities, with a 1-based ``rank``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"adcode": ["A", "B", "C", "D"], "retired_t": [50, 30, 15, 5],
    ...                    "outlets": [2, 6, 1, 1]})
    >>> high_volume_low_outlet(df, n=2)[["adcode", "rank", "retired_t"]]
      adcode  rank  retired_t
    0      A     1       50.0
    1      C     2       15.0
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        msg = f"n must be a positive integer, got {n!r}"
        raise ValidationError([Problem(msg)])
    needed = {"volume_share", "outlet_share", "share_difference"}
    m = df.copy() if needed <= set(df.columns) else prefecture_matching(df)
    cand = m[m["share_difference"] > 0]
    by = ["year"] if "year" in cand.columns else []
    cand = cand.sort_values(
        [*by, "volume_share", "adcode"],
        ascending=[*([True] * len(by)), False, True],
        kind="mergesort",
    )
    if by:
        top = cand.groupby("year", sort=False).head(n).copy()
        top["rank"] = top.groupby("year").cumcount() + 1
    else:
        top = cand.head(n).copy()
        top["rank"] = np.arange(1, len(top) + 1)
    return top.reset_index(drop=True)


def capital_whitelist_correlation(df: pd.DataFrame, *, year: int | None = None) -> Correlation:
    """Pearson correlation between registered capital and whitelist-firm count, by province.

    Parameters
    ----------
    df
        Columns ``province_adcode, registered_capital_cny, whitelist_firms``. With a ``year``
        column holding several years, pass ``year``, unless both columns are identical
        across years (then one row per province is used).
    year
        Year to use.

    Returns
    -------
    Correlation
        ``(r, p, n)`` from ``scipy.stats.pearsonr``.

    Raises
    ------
    ValidationError
        Invalid table, ambiguous years, fewer than 3 provinces, or a constant column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"province_adcode": ["a", "b", "c"],
    ...                    "registered_capital_cny": [1.0, 2.0, 3.0],
    ...                    "whitelist_firms": [3, 2, 1]})
    >>> r, p, n = capital_whitelist_correlation(df)
    >>> round(r, 6), n
    (-1.0, 3)
    """
    from scipy import stats

    work = df
    if "year" in df.columns and year is None:
        years = pd.unique(df["year"])
        if len(years) > 1:
            cols = ["province_adcode", "registered_capital_cny", "whitelist_firms"]
            missing = [c for c in cols if c not in df.columns]
            if not missing and len(df[cols].drop_duplicates()) == df["province_adcode"].nunique():
                work = df[cols].drop_duplicates()
            else:
                work = _single_year(df, None, what="province")
    elif "year" in df.columns:
        work = _single_year(df, year, what="province")
    work = _validate(
        work,
        required=_CORRELATION_REQUIRED,
        nonnegative=("registered_capital_cny", "whitelist_firms"),
        key=("province_adcode",),
        what="province",
    )
    x = work["registered_capital_cny"].to_numpy(float)
    y = work["whitelist_firms"].to_numpy(float)
    if len(work) < 3:
        msg = f"a correlation needs at least 3 provinces, got {len(work)}"
        raise ValidationError([Problem(msg)])
    for name, v in (("registered_capital_cny", x), ("whitelist_firms", y)):
        if np.ptp(v) == 0:
            msg = f"{name} is constant across provinces; the correlation is undefined"
            raise ValidationError([Problem(msg, column=name)])
    res = stats.pearsonr(x, y)
    return Correlation(r=float(res.statistic), p=float(res.pvalue), n=len(work))
