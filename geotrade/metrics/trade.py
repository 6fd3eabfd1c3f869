r"""Bilateral trade metrics: Grubel-Lloyd interdependence, dependence typology, concentration.

Definitions and units
---------------------
All values are in **current US dollars** (``value_usd``); shares are in **percent** unless
the column name says otherwise. For a focal economy :math:`c` (the reporter, e.g. ``CHN``)
and a partner :math:`f`, from the rows *reported by the focal economy*:

* :math:`X_f` = exports :math:`c \to f` (USD), :math:`M_f` = imports :math:`c \leftarrow f`
  (USD), summed over the selected HS codes.
* Grubel-Lloyd index (dimensionless, :math:`[0, 1]`)

  .. math:: GL_f = 1 - \frac{|X_f - M_f|}{X_f + M_f} = \frac{2 \min(X_f, M_f)}{X_f + M_f}

  :math:`GL = 0` for one-way trade, :math:`GL = 1` for balanced trade.
* Signed interdependence index :math:`LiGL_f = +GL_f` if :math:`X_f \ge M_f`,
  :math:`-GL_f` if :math:`X_f < M_f`, so :math:`|LiGL_f| = GL_f \in [0, 1]` and the sign
  says who depends on whom (Wang et al. 2025, eq. 1; the printed negative branch
  ":math:`-1 - |X-M|/(X+M)`" is a sign typo: it would lie in :math:`[-2, -1]`, contradicting
  the paper's own statement :math:`|LiGL| \in [0, 1]` and its Table 1).
* Dependence classes (Table 1 of the paper; thresholds ``high = 0.2``, ``low = 0.5``).
  When :math:`X > M` the **partner depends on the focal economy** (focal *advantage*):
  ``partner_one_way`` (:math:`M = 0`), ``partner_high`` (:math:`0 < GL \le 0.2`),
  ``partner_moderate`` (:math:`0.2 < GL < 0.5`), ``partner_low`` (:math:`GL \ge 0.5`).
  When :math:`X < M` the **focal economy depends on the partner** (focal *disadvantage*):
  ``focal_one_way`` (:math:`X = 0`), ``focal_high``, ``focal_moderate``, ``focal_low`` with
  the same thresholds. ``balanced`` when :math:`X = M > 0`; partners with
  :math:`X = M = 0` get no row. A *low* GL means *one-sided* trade and hence *high*
  dependence (Table 1; the paper's prose in §2.1 states the opposite wording, Table 1 is
  followed here).
* Partner share (percent) :math:`s_f = 100\,V_f / \sum_g V_g` of one flow in one year.
* Herfindahl-Hirschman index :math:`HHI = \sum_f (V_f / \sum_g V_g)^2 \in (0, 1]`, also
  reported on the antitrust scale :math:`0..10\,000` (shares in percent, squared).
* Growth: year-on-year :math:`100 (V_t / V_{t-1} - 1)` and compound annual growth rate
  :math:`100 ((V_t / V_{t_0})^{1/(t - t_0)} - 1)` (percent per year).

Aggregate partners (``WLD``, ``W00``, codes starting with ``_`` such as ``_X`` "areas nes",
blank/missing codes, and the focal economy itself) are **excluded** from partner metrics.
Nothing is dropped silently: every result carries ``result.attrs["excluded"]``, a table of
the excluded rows (partner code, reason, number of rows, value), and the same table is
available from :func:`split_aggregates`.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({
...     "year": 2022, "reporter_iso3": "CHN", "partner_iso3": ["KOR", "KOR", "USA"],
...     "flow": ["export", "import", "export"], "hs_code": "850760",
...     "value_usd": [300.0, 100.0, 50.0]})
>>> interdependence(flows, focal="CHN")[["partner_iso3", "gl", "index", "dependence_class"]]
  partner_iso3   gl  index dependence_class
0          KOR  0.5    0.5      partner_low
1          USA  0.0    0.0  partner_one_way
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError

__all__ = [
    "AGGREGATE_PARTNER_CODES",
    "DEPENDENCE_CLASSES",
    "FLOW_COLUMNS",
    "cagr",
    "class_counts",
    "class_label",
    "growth",
    "interdependence",
    "partner_shares",
    "pattern_summary",
    "split_aggregates",
]

#: Columns of the canonical tidy flow table (other columns are ignored).
FLOW_COLUMNS: tuple[str, ...] = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "value_usd",
)

#: Partner codes that denote aggregates rather than economies (besides codes starting with
#: ``_`` and blank codes): World (``WLD``; Comtrade ``W00``), unspecified (``XXX``, ``ZZZ``).
AGGREGATE_PARTNER_CODES: frozenset[str] = frozenset({"WLD", "W00", "XXX", "ZZZ", "_X"})

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

Flow = Literal["export", "import"]
Lang = Literal["zh", "en"]

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


# -----------------------------------------------------------------------------------------
# validation and filtering
# -----------------------------------------------------------------------------------------


def _check_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Validate the canonical columns, report all problems at once, return a clean copy."""
    problems: list[Problem] = []
    missing = [c for c in FLOW_COLUMNS if c not in flows.columns]
    if missing:
        problems.append(
            Problem(
                f"missing column(s) {', '.join(missing)}; expected the canonical flow table "
                f"columns {', '.join(FLOW_COLUMNS)}"
            )
        )
        raise ValidationError(problems)
    df = flows.loc[:, list(FLOW_COLUMNS)].copy()
    df["flow"] = df["flow"].astype(str).str.strip().str.lower()
    bad_flow = ~df["flow"].isin(("export", "import"))
    values = pd.to_numeric(df["value_usd"], errors="coerce")
    bad_value = values.isna() | (values < 0)
    years = pd.to_numeric(df["year"], errors="coerce")
    bad_year = years.isna() | (years != np.floor(years))
    for name, mask, expected in (
        ("flow", bad_flow, "'export' or 'import'"),
        ("value_usd", bad_value, "a non-negative number (USD)"),
        ("year", bad_year, "an integer year"),
    ):
        for pos in np.flatnonzero(mask.to_numpy())[:20]:
            problems.append(
                Problem(
                    f"expected {expected}, got {flows[name].iloc[pos]!r}",
                    row=int(pos) + 2,
                    column=name,
                )
            )
        if mask.sum() > 20:
            problems.append(Problem(f"... {int(mask.sum()) - 20} more bad values", column=name))
    if problems:
        raise ValidationError(problems)
    df["value_usd"] = values.astype(float)
    df["year"] = years.astype(int)
    df["hs_code"] = df["hs_code"].astype(str).str.strip().str.zfill(6)
    df["reporter_iso3"] = df["reporter_iso3"].astype(str).str.strip().str.upper()
    return df


def _reason(code: object, focal: str) -> str | None:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "missing partner code"
    s = str(code).strip().upper()
    if s in ("", "NAN", "NONE"):
        return "missing partner code"
    if s in AGGREGATE_PARTNER_CODES or s.startswith("_"):
        return "aggregate partner"
    if s == focal:
        return "partner is the focal economy"
    return None


def split_aggregates(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Select the focal economy's reported rows and separate aggregate partners.

    Parameters
    ----------
    flows
        Canonical tidy flow table (see :data:`FLOW_COLUMNS`).
    focal
        ISO3 code of the reporter whose exports and imports are analysed.
    years, hs_codes
        Optional filters; ``None`` keeps all. HS codes are compared as 6-character strings
        (``850760``; integers are zero-padded).

    Returns
    -------
    kept : pandas.DataFrame
        Canonical columns; rows reported by ``focal`` with a real partner code.
    excluded : pandas.DataFrame
        One row per excluded partner code and reason with columns ``partner_iso3``,
        ``reason``, ``rows``, ``value_usd``; also lists rows of other reporters (reason
        ``"reporter is not the focal economy"``), which are ignored (no mirror flows).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["KOR", "WLD", None], "flow": "export", "hs_code": 850760,
    ...     "value_usd": [1.0, 5.0, 2.0]})
    >>> kept, excluded = split_aggregates(flows, focal="CHN")
    >>> kept["partner_iso3"].tolist()
    ['KOR']
    >>> excluded[["partner_iso3", "reason", "value_usd"]]
      partner_iso3                reason  value_usd
    0               missing partner code        2.0
    1          WLD     aggregate partner        5.0
    """
    focal = focal.strip().upper()
    df = _check_flows(flows)
    if years is not None:
        df = df[df["year"].isin([int(y) for y in years])]
    if hs_codes is not None:
        df = df[df["hs_code"].isin([str(h).strip().zfill(6) for h in hs_codes])]
    reasons = pd.Series(
        [_reason(p, focal) for p in df["partner_iso3"]], index=df.index, dtype=object
    )
    other_reporter = df["reporter_iso3"] != focal
    reasons[other_reporter] = "reporter is not the focal economy"
    bad = reasons.notna()
    ex = df[bad].assign(reason=reasons[bad])
    ex["partner_iso3"] = ex["partner_iso3"].where(ex["partner_iso3"].notna(), "").astype(str)
    if ex.empty:
        excluded = pd.DataFrame(
            {
                "partner_iso3": pd.Series(dtype=object),
                "reason": pd.Series(dtype=object),
                "rows": pd.Series(dtype="int64"),
                "value_usd": pd.Series(dtype=float),
            }
        )
    else:
        excluded = (
            ex.groupby(["partner_iso3", "reason"], sort=True)["value_usd"]
            .agg(["size", "sum"])
            .rename(columns={"size": "rows", "sum": "value_usd"})
            .reset_index()
        )
    kept = df[~bad].copy()
    kept["partner_iso3"] = kept["partner_iso3"].astype(str).str.strip().str.upper()
    return kept.reset_index(drop=True), excluded


# -----------------------------------------------------------------------------------------
# interdependence
# -----------------------------------------------------------------------------------------


def _classify(x: np.ndarray, m: np.ndarray, gl: np.ndarray, high: float, low: float) -> list[str]:
    out: list[str] = []
    for xi, mi, g in zip(x, m, gl, strict=True):
        if xi == mi:
            out.append("balanced")
            continue
        side = "partner" if xi > mi else "focal"
        if min(xi, mi) == 0:
            degree = "one_way"
        elif g <= high:
            degree = "high"
        elif g < low:
            degree = "moderate"
        else:
            degree = "low"
        out.append(f"{side}_{degree}")
    return out


def interdependence(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    high: float = 0.2,
    low: float = 0.5,
) -> pd.DataFrame:
    """Grubel-Lloyd interdependence and dependence class of every partner and year.

    Parameters
    ----------
    flows
        Canonical tidy flow table (``year, reporter_iso3, partner_iso3, flow, hs_code,
        value_usd``). Only rows reported by ``focal`` are used (no mirror flows).
    focal
        ISO3 code of the focal economy (e.g. ``"CHN"``).
    years, hs_codes
        Optional filters. Values of several HS codes are summed.
    high, low
        GL thresholds: ``GL <= high`` is *high* dependence, ``high < GL < low`` *moderate*,
        ``GL >= low`` *low* dependence (Table 1 of the paper: 0.2 and 0.5).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, partner_iso3, exports, imports, gl, index, dependence_class, zone``
        (USD, USD, [0, 1], [-1, 1], slug of :data:`DEPENDENCE_CLASSES`, ``"advantage"`` /
        ``"disadvantage"`` / ``"balanced"`` from the focal economy's point of view), sorted
        by year and partner. ``attrs["excluded"]`` lists excluded aggregate rows.

    Raises
    ------
    ValidationError
        If columns are missing or values are invalid (all problems are reported at once).
    ValueError
        If the thresholds are not ``0 < high < low <= 1``.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2012, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["JPN", "JPN", "SGP", "SGP"], "flow": ["export", "import"] * 2,
    ...     "hs_code": "850760", "value_usd": [10.0, 90.0, 50.0, 50.0]})
    >>> t = interdependence(flows, focal="CHN")
    >>> t[["partner_iso3", "gl", "index", "dependence_class", "zone"]]
      partner_iso3   gl  index dependence_class          zone
    0          JPN  0.2   -0.2       focal_high  disadvantage
    1          SGP  1.0    1.0         balanced      balanced
    """
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)
    kept, excluded = split_aggregates(flows, focal=focal, years=years, hs_codes=hs_codes)
    wide = (
        kept.groupby(["year", "partner_iso3", "flow"], sort=True)["value_usd"]
        .sum()
        .unstack("flow", fill_value=0.0)
        .reindex(columns=["export", "import"], fill_value=0.0)
        .rename(columns={"export": "exports", "import": "imports"})
        .reset_index()
    )
    wide.columns.name = None
    wide = wide[(wide["exports"] + wide["imports"]) > 0].reset_index(drop=True)
    x = wide["exports"].to_numpy(dtype=float)
    m = wide["imports"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gl = 2.0 * np.minimum(x, m) / (x + m)
    index = np.where(x >= m, gl, -gl) + 0.0  # "+ 0.0" turns -0.0 into 0.0
    classes = _classify(x, m, gl, high, low)
    out = pd.DataFrame(
        {
            "year": wide["year"].astype(int),
            "partner_iso3": wide["partner_iso3"].astype(str),
            "exports": x,
            "imports": m,
            "gl": gl,
            "index": index,
            "dependence_class": classes,
        }
    )
    out["zone"] = [
        "advantage" if c.startswith("partner") else "disadvantage" if c.startswith("focal") else c
        for c in classes
    ]
    out = out.sort_values(["year", "partner_iso3"], kind="stable").reset_index(drop=True)
    out.attrs["excluded"] = excluded
    return out


def class_counts(table: pd.DataFrame, *, examples: int = 3) -> pd.DataFrame:
    """Count partners per dependence class and year (the shape of the paper's Table 3).

    Parameters
    ----------
    table
        Output of :func:`interdependence`.
    examples
        How many example partners to list per class, largest total trade
        (exports + imports) first.

    Returns
    -------
    pandas.DataFrame
        Index: all :data:`DEPENDENCE_CLASSES` in order (named ``dependence_class``).
        Columns: a MultiIndex ``(year, "count")`` (int) and ``(year, "examples")``
        (comma-separated ISO3 codes, ``""`` when the class is empty).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2012, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["KOR", "KOR", "IND", "BRA"],
    ...     "flow": ["export", "import", "export", "export"],
    ...     "hs_code": "850760", "value_usd": [1.0, 4.0, 3.0, 2.0]})
    >>> cc = class_counts(interdependence(flows, focal="CHN"))
    >>> int(cc.loc["partner_one_way", (2012, "count")])
    2
    >>> cc.loc["partner_one_way", (2012, "examples")]
    'IND, BRA'
    >>> int(cc.loc["focal_moderate", (2012, "count")])
    1
    """
    years = sorted(int(y) for y in table["year"].unique())
    cols: dict[tuple[int, str], list[object]] = {}
    t = table.assign(_total=table["exports"] + table["imports"])
    for y in years:
        ty = t[t["year"] == y]
        counts: list[object] = []
        ex: list[object] = []
        for c in DEPENDENCE_CLASSES:
            tc = ty[ty["dependence_class"] == c].sort_values(
                ["_total", "partner_iso3"], ascending=[False, True], kind="stable"
            )
            counts.append(len(tc))
            ex.append(", ".join(tc["partner_iso3"].head(examples)))
        cols[(y, "count")] = counts
        cols[(y, "examples")] = ex
    out = pd.DataFrame(cols, index=pd.Index(DEPENDENCE_CLASSES, name="dependence_class"))
    out.columns = pd.MultiIndex.from_tuples(list(cols), names=["year", "field"])
    for y in years:
        out[(y, "count")] = out[(y, "count")].astype(int)
    return out


# -----------------------------------------------------------------------------------------
# pattern: totals, shares, concentration, growth
# -----------------------------------------------------------------------------------------


def partner_shares(
    flows: pd.DataFrame,
    *,
    focal: str,
    flow: Flow,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Value, share (percent) and rank of every partner in one flow, per year.

    Parameters
    ----------
    flows
        Canonical tidy flow table.
    focal
        ISO3 of the reporter.
    flow
        ``"export"`` or ``"import"``.
    years, hs_codes
        Optional filters.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, partner_iso3, value_usd, share_pct, rank`` (rank 1 = largest; ties
        broken by partner code), only partners with a positive value.
        ``attrs["excluded"]`` lists excluded aggregate rows.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["USA", "DEU", "WLD"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [3.0, 1.0, 4.0]})
    >>> partner_shares(flows, focal="CHN", flow="export")
       year partner_iso3  value_usd  share_pct  rank
    0  2022          USA        3.0       75.0     1
    1  2022          DEU        1.0       25.0     2
    """
    if flow not in ("export", "import"):
        msg = f"flow must be 'export' or 'import', got {flow!r}"
        raise ValueError(msg)
    kept, excluded = split_aggregates(flows, focal=focal, years=years, hs_codes=hs_codes)
    v = (
        kept[kept["flow"] == flow]
        .groupby(["year", "partner_iso3"], as_index=False)["value_usd"]
        .sum()
    )
    v = v[v["value_usd"] > 0]
    v = v.sort_values(["year", "value_usd", "partner_iso3"], ascending=[True, False, True])
    v["share_pct"] = 100.0 * v["value_usd"] / v.groupby("year")["value_usd"].transform("sum")
    v["rank"] = v.groupby("year").cumcount() + 1
    v = v.reset_index(drop=True)
    v.attrs["excluded"] = excluded[excluded["reason"] != "reporter is not the focal economy"]
    return v


def pattern_summary(
    flows: pd.DataFrame,
    *,
    focal: str,
    flow: Flow,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 10,
) -> pd.DataFrame:
    """Per-year totals, partner counts, top-N shares and HHI of one flow (Table 2 shape).

    Parameters
    ----------
    flows
        Canonical tidy flow table.
    focal
        ISO3 of the reporter.
    flow
        ``"export"`` or ``"import"``.
    years, hs_codes
        Optional filters.
    top
        Number of leading partners to report.

    Returns
    -------
    pandas.DataFrame
        One row per year with ``year, flow, total_usd, n_partners, top_partners`` (list of
        ISO3), ``top_shares_pct`` (list, percent), ``top_share_sum_pct``, ``hhi`` (0-1) and
        ``hhi_10000`` (0-10 000). Aggregate partners are excluded (see ``attrs``).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["USA", "DEU", "KOR"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [50.0, 30.0, 20.0]})
    >>> s = pattern_summary(flows, focal="CHN", flow="export", top=2)
    >>> s.loc[0, ["total_usd", "top_share_sum_pct", "hhi", "hhi_10000"]].tolist()
    [100.0, 80.0, 0.38, 3800.0]
    >>> s.loc[0, "top_partners"]
    ['USA', 'DEU']
    """
    if top < 1:
        msg = f"top must be a positive integer, got {top!r}"
        raise ValueError(msg)
    sh = partner_shares(flows, focal=focal, flow=flow, years=years, hs_codes=hs_codes)
    rows = []
    for y, g in sh.groupby("year", sort=True):
        s = g["share_pct"].to_numpy() / 100.0
        head = g.head(top)
        rows.append(
            {
                "year": int(y),
                "flow": flow,
                "total_usd": float(g["value_usd"].sum()),
                "n_partners": len(g),
                "top_partners": head["partner_iso3"].tolist(),
                "top_shares_pct": head["share_pct"].round(6).tolist(),
                "top_share_sum_pct": float(head["share_pct"].sum()),
                "hhi": float(np.sum(s**2)),
                "hhi_10000": float(np.sum((100.0 * s) ** 2)),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "year",
            "flow",
            "total_usd",
            "n_partners",
            "top_partners",
            "top_shares_pct",
            "top_share_sum_pct",
            "hhi",
            "hhi_10000",
        ],
    )
    out.attrs["excluded"] = sh.attrs["excluded"]
    return out


def cagr(first: float, last: float, periods: float) -> float:
    """Compound annual growth rate in percent per period.

    Parameters
    ----------
    first, last
        Positive values at the start and the end.
    periods
        Number of periods between them (years: ``last_year - first_year``).

    Returns
    -------
    float
        :math:`100 ((last / first)^{1/periods} - 1)`.

    Examples
    --------
    >>> round(cagr(84e8, 539e8, 10), 2)
    20.43
    """
    if first <= 0 or last <= 0 or periods <= 0:
        msg = f"cagr needs positive values and periods, got {first!r}, {last!r}, {periods!r}"
        raise ValueError(msg)
    return 100.0 * ((last / first) ** (1.0 / periods) - 1.0)


def growth(totals: pd.Series) -> pd.DataFrame:
    """Year-on-year growth and CAGR since the first year of a series of totals.

    Parameters
    ----------
    totals
        Values indexed by integer year (e.g. ``pattern_summary(...).set_index("year")
        ["total_usd"]``).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, value, yoy_pct`` (NaN when the previous calendar year is absent)
        and ``cagr_pct`` (since the first year; NaN for the first year).

    Examples
    --------
    >>> import pandas as pd
    >>> g = growth(pd.Series([100.0, 200.0, 400.0], index=[2020, 2021, 2022]))
    >>> g[["year", "yoy_pct", "cagr_pct"]]
       year  yoy_pct  cagr_pct
    0  2020      NaN       NaN
    1  2021    100.0     100.0
    2  2022    100.0     100.0
    """
    s = totals.sort_index()
    years = [int(y) for y in s.index]
    values = s.to_numpy(dtype=float)
    prev = dict(zip(years, values, strict=True))
    y0, v0 = years[0], values[0]
    yoy = [
        100.0 * (v / prev[y - 1] - 1.0) if (y - 1) in prev and prev[y - 1] > 0 else np.nan
        for y, v in zip(years, values, strict=True)
    ]
    cg = [
        cagr(v0, v, y - y0) if y > y0 and v0 > 0 and v > 0 else np.nan
        for y, v in zip(years, values, strict=True)
    ]
    return pd.DataFrame({"year": years, "value": values, "yoy_pct": yoy, "cagr_pct": cg})
