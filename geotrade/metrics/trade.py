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
Rows flagged ``is_aggregate`` (an optional canonical column) and, by default,
``re-export`` / ``re-import`` rows are excluded too (``reexports="include"`` adds them to
exports / imports instead). Nothing is dropped silently: every result carries
``result.attrs["excluded"]``, a table of the excluded rows (partner code, reason, number of
rows, value), and the same table is available from :func:`split_aggregates`.

From the focal economy's point of view a partner with :math:`X > M` lies in its **trade
advantage zone** (贸易优势区), one with :math:`X < M` in its **trade disadvantage zone**
(贸易劣势区) (seed 000 §2.1); see :func:`zone_label`.

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
from geotrade.io.canonical import hs_match, normalise_hs, normalise_hs_filter
from geotrade.schema import METRIC_COLUMNS, aggregate_codes, code_kinds, normalise_codes
from geotrade.typology import DEPENDENCE_CLASSES, ZONES, Lang, class_label, zone_label

__all__ = [
    "AGGREGATE_PARTNER_CODES",
    "DEPENDENCE_CLASSES",
    "FLOW_COLUMNS",
    "ZONES",
    "cagr",
    "class_counts",
    "class_label",
    "focal_names",
    "growth",
    "interdependence",
    "partner_shares",
    "pattern_summary",
    "split_aggregates",
    "table2",
    "table3",
    "trade_summary",
    "zone_label",
]

#: Columns of the canonical tidy flow table (other columns are ignored).
FLOW_COLUMNS: tuple[str, ...] = METRIC_COLUMNS

#: Partner codes that denote aggregates rather than economies: the one policy of
#: :mod:`geotrade.schema` (World, EU, "nes" areas; historical economies are *not* aggregates).
AGGREGATE_PARTNER_CODES: frozenset[str] = aggregate_codes()
#: Exclusion reason of rows whose partner is an unspecified area (``_899``, ``UNS`` ...):
#: not a partner, but part of the reporter's total trade (``trade_summary``).
AREA_REASON = "unspecified area (in the total, not a partner)"

#: Flows of the canonical table; re-exports and re-imports are ignored unless included.
CANONICAL_FLOWS: tuple[str, ...] = ("export", "import", "re-export", "re-import")

Flow = Literal["export", "import"]
ReExports = Literal["ignore", "include"]


def focal_names(iso3: str) -> tuple[str, str]:
    """English and Chinese display names of a focal economy, for class labels.

    Parameters
    ----------
    iso3
        ISO3 code. ``CHN`` gives ``("China", "中国")``; other codes use the common names of
        :func:`geotrade.reference.country_name`; unknown codes fall back to the code itself.

    Returns
    -------
    (str, str)
        ``(name_en, name_zh)``.

    Examples
    --------
    >>> focal_names("CHN")
    ('China', '中国')
    >>> focal_names("KOR")
    ('South Korea', '韩国')
    >>> focal_names("_X1")
    ('_X1', '_X1')
    """
    code = str(iso3).strip().upper()
    if code == "CHN":
        return "China", "中国"
    from geotrade.errors import InputFormatError
    from geotrade.reference import country_name

    try:
        return (
            country_name(code, lang="en", common=True),
            country_name(code, lang="zh", common=True),
        )
    except InputFormatError:
        from geotrade.schema import historical_name

        name = historical_name(code) or code
        return name, name


# -----------------------------------------------------------------------------------------
# validation and filtering
# -----------------------------------------------------------------------------------------


def _check_flows(flows: pd.DataFrame, *, reexports: ReExports = "ignore") -> pd.DataFrame:
    """Validate the canonical columns, report all problems at once, return a clean copy.

    The copy has the :data:`FLOW_COLUMNS` plus ``_pre_reason`` (object): a reason to exclude
    the row decided before looking at partners (``is_aggregate`` rows, ignored re-exports),
    else ``None``. With ``reexports="include"`` re-exports count as exports and re-imports as
    imports.
    """
    if reexports not in ("ignore", "include"):
        msg = f"reexports must be 'ignore' or 'include', got {reexports!r}"
        raise ValueError(msg)
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
    for col in ("reporter_iso3", "partner_iso3"):  # _490 -> TWN, ROM -> ROU ...
        df[col] = normalise_codes(df[col])
    df["flow"] = df["flow"].astype(str).str.strip().str.lower()
    bad_flow = ~df["flow"].isin(CANONICAL_FLOWS)
    values = pd.to_numeric(df["value_usd"], errors="coerce")
    bad_value = values.isna() | (values < 0)
    years = pd.to_numeric(df["year"], errors="coerce")
    bad_year = years.isna() | (years != np.floor(years))
    for name, mask, expected in (
        ("flow", bad_flow, "'export', 'import', 're-export' or 're-import'"),
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
    df["year"] = years.astype("int64")
    df["hs_code"] = normalise_hs(df["hs_code"].astype(str))[0]
    df["reporter_iso3"] = df["reporter_iso3"].astype(str).str.strip().str.upper()
    pre = pd.Series(None, index=df.index, dtype=object)
    is_re = df["flow"].isin(("re-export", "re-import"))
    if reexports == "include":
        df.loc[is_re, "flow"] = df.loc[is_re, "flow"].str.removeprefix("re-")
    else:
        pre[is_re] = "re-export/re-import ignored"
    if "is_aggregate" in flows.columns:
        agg = flows["is_aggregate"].map(_truthy).to_numpy(dtype=bool)
        pre[agg] = "is_aggregate row"
    df["_pre_reason"] = pre
    return df


def _truthy(v: object) -> bool:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return False
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1", "yes", "t", "y")
    return bool(v)


def _partner_reasons(partners: pd.Series, focal: str | pd.Series) -> pd.Series:
    """Vectorised exclusion reason of partner codes (``None`` = a real partner economy)."""
    raw = partners.astype(object)
    s = raw.where(raw.notna(), "").astype(str).str.strip().str.upper()
    out = pd.Series(None, index=partners.index, dtype=object)
    is_self = s == (focal if isinstance(focal, str) else focal.astype(str))
    out[is_self] = "partner is the focal economy"
    kinds = code_kinds(s)
    out[kinds.eq("aggregate").to_numpy()] = "aggregate partner"
    out[kinds.eq("area").to_numpy()] = AREA_REASON
    is_missing = kinds.eq("missing").to_numpy()
    out[is_missing] = "missing partner code"
    return out


def _excluded_table(df: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    bad = reasons.notna()
    if not bad.any():
        return pd.DataFrame(
            {
                "partner_iso3": pd.Series(dtype=object),
                "reason": pd.Series(dtype=object),
                "rows": pd.Series(dtype="int64"),
                "value_usd": pd.Series(dtype=float),
            }
        )
    ex = df.loc[bad, ["partner_iso3", "value_usd"]].assign(reason=reasons[bad])
    p = ex["partner_iso3"].astype(object)
    ex["partner_iso3"] = p.where(p.notna(), "").astype(str)
    return (
        ex.groupby(["partner_iso3", "reason"], sort=True)["value_usd"]
        .agg(["size", "sum"])
        .rename(columns={"size": "rows", "sum": "value_usd"})
        .reset_index()
    )


def split_aggregates(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    reexports: ReExports = "ignore",
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
    reexports
        ``"ignore"`` (default: re-export/re-import rows are excluded and listed) or
        ``"include"`` (counted as exports/imports).

    Returns
    -------
    kept : pandas.DataFrame
        Canonical columns; rows reported by ``focal`` with a real partner code.
    excluded : pandas.DataFrame
        One row per excluded partner code and reason with columns ``partner_iso3``,
        ``reason``, ``rows``, ``value_usd``; also lists rows of other reporters (reason
        ``"reporter is not the focal economy"``), which are ignored (no mirror flows), rows
        flagged ``is_aggregate`` and ignored re-exports/re-imports.

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
    df = _check_flows(flows, reexports=reexports)
    if years is not None:
        df = df[df["year"].isin([int(y) for y in years])]
    if hs_codes is not None:
        df = df[hs_match(df["hs_code"], _hs_list(hs_codes))]
    reasons = _partner_reasons(df["partner_iso3"], focal)
    reasons[df["reporter_iso3"] != focal] = "reporter is not the focal economy"
    pre = df["_pre_reason"]
    reasons[pre.notna()] = pre[pre.notna()]
    excluded = _excluded_table(df, reasons)
    kept = df.loc[reasons.isna(), list(FLOW_COLUMNS)].copy()
    kept["partner_iso3"] = kept["partner_iso3"].astype(str).str.strip().str.upper()
    return kept.reset_index(drop=True), excluded


# -----------------------------------------------------------------------------------------
# interdependence
# -----------------------------------------------------------------------------------------


def _hs_list(hs_codes: Iterable[object] | str | int) -> list[str]:
    if isinstance(hs_codes, (str, int)):
        hs_codes = [hs_codes]
    return normalise_hs_filter([str(h) for h in hs_codes])


def _classify(x: np.ndarray, m: np.ndarray, gl: np.ndarray, high: float, low: float) -> np.ndarray:
    """Vectorised dependence class of (exports, imports, GL) triples (Table 1).

    Shared by :func:`interdependence` and :func:`geotrade.metrics.network.pair_interdependence`
    so the focal view and the all-pairs network classify identically.
    """
    x = np.asarray(x, dtype=float)
    m = np.asarray(m, dtype=float)
    gl = np.asarray(gl, dtype=float)
    side = np.where(x > m, "partner_", "focal_").astype(object)
    degree = np.select(
        [np.minimum(x, m) == 0, gl <= high, gl < low], ["one_way", "high", "moderate"], "low"
    ).astype(object)
    out = side + degree
    out[x == m] = "balanced"
    return out


def _zones(classes: np.ndarray) -> np.ndarray:
    c = pd.Series(classes, dtype=object)
    return np.where(
        c.str.startswith("partner"),
        "advantage",
        np.where(c.str.startswith("focal"), "disadvantage", c),
    ).astype(object)


def _check_thresholds(high: float, low: float) -> None:
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)


def _gl_columns(exports: pd.Series, imports: pd.Series, *, high: float, low: float) -> pd.DataFrame:
    """Compute ``exports, imports, gl, index, dependence_class, zone`` from X and M (USD)."""
    x = exports.to_numpy(dtype=float)
    m = imports.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gl = 2.0 * np.minimum(x, m) / (x + m)
    index = np.where(x >= m, gl, -gl) + 0.0  # "+ 0.0" turns -0.0 into 0.0
    classes = _classify(x, m, gl, high, low)
    return pd.DataFrame(
        {
            "exports": x,
            "imports": m,
            "gl": gl,
            "index": index,
            "dependence_class": classes,
            "zone": _zones(classes),
        },
        index=exports.index,
    )


def interdependence(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    reexports: ReExports = "ignore",
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
    reexports
        ``"ignore"`` (default) or ``"include"`` re-export/re-import rows (see
        :func:`split_aggregates`).

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
    _check_thresholds(high, low)
    kept, excluded = split_aggregates(
        flows, focal=focal, years=years, hs_codes=hs_codes, reexports=reexports
    )
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
    out = pd.concat(
        [
            wide[["year", "partner_iso3"]].astype({"year": "int64", "partner_iso3": str}),
            _gl_columns(wide["exports"], wide["imports"], high=high, low=low),
        ],
        axis=1,
    )
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
    reexports: ReExports = "ignore",
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
    reexports
        ``"ignore"`` (default) or ``"include"`` re-export/re-import rows.

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
    kept, excluded = split_aggregates(
        flows, focal=focal, years=years, hs_codes=hs_codes, reexports=reexports
    )
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
    v.attrs["excluded"] = excluded[
        excluded["reason"] != "reporter is not the focal economy"
    ].reset_index(drop=True)
    return v


def pattern_summary(
    flows: pd.DataFrame,
    *,
    focal: str,
    flow: Flow,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 10,
    reexports: ReExports = "ignore",
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
    reexports
        ``"ignore"`` (default) or ``"include"`` re-export/re-import rows.
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
    sh = partner_shares(
        flows, focal=focal, flow=flow, years=years, hs_codes=hs_codes, reexports=reexports
    )
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


# -----------------------------------------------------------------------------------------
# the pattern of one focal economy: seed 000 §3.1 and Table 2
# -----------------------------------------------------------------------------------------

SummaryFlow = Literal["export", "import", "total"]
_SUMMARY_FLOWS: tuple[str, ...] = ("export", "import", "total")


def _values(kept: pd.DataFrame, flow: str) -> pd.DataFrame:
    """``year, partner_iso3, value_usd`` (> 0) of one flow; ``total`` = exports + imports."""
    sel = kept if flow == "total" else kept[kept["flow"] == flow]
    v = sel.groupby(["year", "partner_iso3"], as_index=False)["value_usd"].sum()
    return v[v["value_usd"] > 0]


def _area_values(
    flows: pd.DataFrame, *, focal: str, hs_codes: Iterable[str] | None, reexports: ReExports
) -> dict[tuple[int, str], float]:
    """Sum the focal economy's trade with unspecified areas, per (year, flow)."""
    df = _check_flows(flows, reexports=reexports)
    if hs_codes is not None:
        df = df[hs_match(df["hs_code"], _hs_list(hs_codes))]
    sel = (
        (df["reporter_iso3"] == focal.strip().upper())
        & df["_pre_reason"].isna()
        & code_kinds(df["partner_iso3"]).eq("area").to_numpy()
    )
    sums = df[sel].groupby(["year", "flow"])["value_usd"].sum()
    out = {(int(y), str(f)): float(v) for (y, f), v in sums.items()}
    for y in {y for y, _ in out}:
        out[(y, "total")] = out.get((y, "export"), 0.0) + out.get((y, "import"), 0.0)
    return out


def trade_summary(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 5,
    reexports: ReExports = "ignore",
) -> pd.DataFrame:
    """Pattern metrics of a focal economy per year and flow (seed 000 §3.1, Table 2).

    For each selected year and each flow (``export``, ``import`` and ``total`` = exports +
    imports, the paper's 贸易额): total value, year-on-year growth, compound annual growth
    since the first selected year, number of partners, the top-``top`` partners and their
    shares, the sum of those shares, HHI, and the partners that entered / exited since the
    previous selected year.

    Parameters
    ----------
    flows
        Canonical flow table. Only rows reported by ``focal`` are used; aggregate partners,
        ``is_aggregate`` rows and (by default) re-exports are excluded and listed in
        ``attrs["excluded"]``.
    focal
        ISO3 of the reporter.
    years
        Years to report (default: all). YoY growth uses the previous *calendar* year of the
        data even when it is not selected (NaN when absent); CAGR runs from the first
        selected year; entries and exits compare with the previous *selected* year.
    hs_codes
        Optional product filter (values are summed over the codes).
    top
        Number of leading partners.
    reexports
        ``"ignore"`` or ``"include"`` re-export/re-import rows.

    Returns
    -------
    pandas.DataFrame
        One row per (year, flow) with ``year, flow, total_usd`` (trade with every identified
        partner plus ``unspecified_usd``, the trade with unspecified areas such as ``_899``
        Areas nes or WITS ``UNS``: the total with the World), ``unspecified_usd``,
        ``balance_usd`` (exports − imports, same for each flow of a year), ``yoy_pct,
        cagr_pct`` (of the totals), ``n_partners`` (identified partners; shares and HHI are
        over them),
        top_partners`` (list of ISO3), ``top_shares_pct`` (list, percent),
        ``top_share_sum_pct, hhi`` (0-1), ``hhi_10000``, ``entered, exited`` (lists of ISO3;
        empty for the first selected year), ``n_entered, n_exited``.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": [2012, 2012, 2013, 2013, 2013],
    ...     "reporter_iso3": "CHN", "partner_iso3": ["USA", "KOR", "USA", "DEU", "KOR"],
    ...     "flow": ["export", "import", "export", "export", "import"],
    ...     "hs_code": "850760", "value_usd": [100.0, 50.0, 150.0, 50.0, 40.0]})
    >>> s = trade_summary(flows, focal="CHN", top=1)
    >>> s[["year", "flow", "total_usd", "yoy_pct", "n_partners", "n_entered"]]
       year    flow  total_usd  yoy_pct  n_partners  n_entered
    0  2012  export      100.0      NaN           1          0
    1  2012  import       50.0      NaN           1          0
    2  2012   total      150.0      NaN           2          0
    3  2013  export      200.0    100.0           2          1
    4  2013  import       40.0    -20.0           1          0
    5  2013   total      240.0     60.0           3          1
    >>> s.loc[3, "entered"], float(s.loc[3, "hhi"])
    (['DEU'], 0.625)
    """
    if top < 1:
        msg = f"top must be a positive integer, got {top!r}"
        raise ValueError(msg)
    kept, excluded = split_aggregates(flows, focal=focal, hs_codes=hs_codes, reexports=reexports)
    # trade with unspecified areas (Areas nes, WITS UNS ...) is part of the total, never a
    # partner: shares, counts and HHI are over the identified partners
    areas = _area_values(flows, focal=focal, hs_codes=hs_codes, reexports=reexports)
    all_years = sorted(int(y) for y in kept["year"].unique())
    sel = all_years if years is None else sorted({int(y) for y in years})
    missing = [y for y in sel if y not in all_years]
    rows: list[dict[str, object]] = []
    balance = {
        y: float(
            kept.loc[(kept["year"] == y) & (kept["flow"] == "export"), "value_usd"].sum()
            + areas.get((y, "export"), 0.0)
            - kept.loc[(kept["year"] == y) & (kept["flow"] == "import"), "value_usd"].sum()
            - areas.get((y, "import"), 0.0)
        )
        for y in sel
    }
    per_flow: dict[str, tuple[pd.DataFrame, pd.Series]] = {}
    for flow in _SUMMARY_FLOWS:
        v = _values(kept, flow)
        tot = v.groupby("year")["value_usd"].sum()
        extra = pd.Series({y: a for (y, f), a in areas.items() if f == flow}, dtype=float)
        per_flow[flow] = (v, tot.add(extra, fill_value=0.0))
    for i, y in enumerate(sel):
        for flow in _SUMMARY_FLOWS:
            v, totals = per_flow[flow]
            g = v[v["year"] == y].sort_values(
                ["value_usd", "partner_iso3"], ascending=[False, True], kind="stable"
            )
            identified = float(g["value_usd"].sum())
            unspecified = areas.get((y, flow), 0.0)
            total = identified + unspecified
            share = g["value_usd"].to_numpy() / identified if identified > 0 else np.array([])
            prev_total = float(totals.get(y - 1, 0.0))
            first_total = float(totals.get(sel[0], 0.0))
            yoy = 100.0 * (total / prev_total - 1.0) if prev_total > 0 else np.nan
            cg = cagr(first_total, total, y - sel[0]) if i and first_total > 0 < total else np.nan
            partners = set(g["partner_iso3"])
            if i:
                prev = set(v.loc[v["year"] == sel[i - 1], "partner_iso3"])
                entered, exited = sorted(partners - prev), sorted(prev - partners)
            else:
                entered, exited = [], []
            head = share[:top]
            rows.append(
                {
                    "year": y,
                    "flow": flow,
                    "total_usd": total,
                    "unspecified_usd": unspecified,
                    "balance_usd": balance[y],
                    "yoy_pct": yoy,
                    "cagr_pct": cg,
                    "n_partners": len(g),
                    "top_partners": g["partner_iso3"].head(top).tolist(),
                    "top_shares_pct": [float(x) for x in 100.0 * head],
                    "top_share_sum_pct": float(100.0 * head.sum()),
                    "hhi": float(np.sum(share**2)) if identified > 0 else np.nan,
                    "hhi_10000": float(np.sum((100.0 * share) ** 2)) if identified > 0 else np.nan,
                    "entered": entered,
                    "exited": exited,
                    "n_entered": len(entered),
                    "n_exited": len(exited),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "year",
            "flow",
            "total_usd",
            "unspecified_usd",
            "balance_usd",
            "yoy_pct",
            "cagr_pct",
            "n_partners",
            "top_partners",
            "top_shares_pct",
            "top_share_sum_pct",
            "hhi",
            "hhi_10000",
            "entered",
            "exited",
            "n_entered",
            "n_exited",
        ],
    )
    out.attrs["excluded"] = excluded[
        excluded["reason"] != "reporter is not the focal economy"
    ].reset_index(drop=True)
    out.attrs["years_without_data"] = missing
    return out


def _partner_name(iso3: str, lang: Lang) -> str:
    from geotrade.errors import InputFormatError
    from geotrade.reference import country_name

    try:
        return country_name(iso3, lang=lang, common=True)
    except InputFormatError:
        from geotrade.schema import historical_name

        return historical_name(iso3) or iso3


def table2(
    flows: pd.DataFrame,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 10,
    lang: Lang = "zh",
    reexports: ReExports = "ignore",
) -> pd.DataFrame:
    """Top partners and their shares side by side, in the shape of seed 000 Table 2.

    Parameters
    ----------
    flows, focal, years, hs_codes, reexports
        As for :func:`trade_summary`.
    top
        Number of ranked rows (the paper: 10).
    lang
        Language of the partner names (``"zh"``: CLDR common names such as 美国, 韩国).

    Returns
    -------
    pandas.DataFrame
        Rows ``1 .. top`` and a last row ``"合计"`` (``"Total"`` in English) holding the sum
        of the top shares; columns a MultiIndex ``(flow, year, field)`` with flows
        ``import`` then ``export`` (the paper's order) and fields ``partner_iso3``,
        ``partner`` (name) and ``share_pct`` (percent of the flow's total; partners with
        ``rank > n_partners`` are blank).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["USA", "DEU", "KOR"], "flow": ["export", "export", "import"],
    ...     "hs_code": "850760", "value_usd": [75.0, 25.0, 10.0]})
    >>> t = table2(flows, focal="CHN", top=2)
    >>> t[("export", 2022, "partner")].tolist()
    ['美国', '德国', '合计']
    >>> t[("export", 2022, "share_pct")].tolist()
    [75.0, 25.0, 100.0]
    >>> t[("import", 2022, "partner")].tolist()
    ['韩国', '', '合计']
    """
    s = trade_summary(
        flows, focal=focal, years=years, hs_codes=hs_codes, top=top, reexports=reexports
    )
    total_label = "合计" if lang == "zh" else "Total"
    index = [str(i) for i in range(1, top + 1)] + [total_label]
    cols: dict[tuple[str, int, str], list[object]] = {}
    for flow in ("import", "export"):
        for r in s[s["flow"] == flow].itertuples():
            n = len(r.top_partners)
            pad = [""] * (top - n)
            cols[(flow, int(r.year), "partner_iso3")] = [*r.top_partners, *pad, ""]
            cols[(flow, int(r.year), "partner")] = [
                *(_partner_name(p, lang) for p in r.top_partners),
                *pad,
                total_label,
            ]
            cols[(flow, int(r.year), "share_pct")] = [
                *r.top_shares_pct,
                *([np.nan] * (top - n)),
                r.top_share_sum_pct,
            ]
    out = pd.DataFrame(cols, index=pd.Index(index, name="rank"))
    out.columns = pd.MultiIndex.from_tuples(list(cols), names=["flow", "year", "field"])
    out.attrs["summary"] = s
    return out


def table3(
    table: pd.DataFrame,
    *,
    focal: str = "CHN",
    lang: Lang = "zh",
    examples: int = 3,
    include_balanced: bool = False,
) -> pd.DataFrame:
    """Dependence-class counts and example partners per year, in the shape of seed 000 Table 3.

    Parameters
    ----------
    table
        Output of :func:`interdependence`.
    focal
        ISO3 of the focal economy (names the classes: 中国 only for ``CHN``).
    lang
        ``"zh"`` or ``"en"`` labels and partner names.
    examples
        Example partners per class (largest total trade first).
    include_balanced
        Keep the ``balanced`` row (not in the paper's table; always kept when non-zero).

    Returns
    -------
    pandas.DataFrame
        Index: class labels (``依存类别``) in the order of :data:`DEPENDENCE_CLASSES`;
        columns ``(year, "examples")`` (names joined by ``、``/``, ``, ``"无"``/``"none"``
        when empty) and ``(year, "count")``; ``attrs["slugs"]`` lists the class slugs.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2012, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["IND", "KOR", "KOR"], "flow": ["export", "export", "import"],
    ...     "hs_code": "850760", "value_usd": [5.0, 1.0, 4.0]})
    >>> t3 = table3(interdependence(flows, focal="CHN"))
    >>> t3.loc["单向依存中国", (2012, "examples")], int(t3.loc["中国中度依存", (2012, "count")])
    ('印度', 1)
    """
    cc = class_counts(table, examples=examples)
    name_en, name_zh = focal_names(focal)
    sep, none = ("、", "无") if lang == "zh" else (", ", "none")
    years = sorted({int(y) for y, _ in cc.columns})
    slugs = [
        c
        for c in DEPENDENCE_CLASSES
        if c != "balanced" or include_balanced or any(int(cc.loc[c, (y, "count")]) for y in years)
    ]
    cols: dict[tuple[int, str], list[object]] = {}
    for y in years:
        cols[(y, "examples")] = [
            sep.join(_partner_name(p, lang) for p in str(cc.loc[c, (y, "examples")]).split(", "))
            if cc.loc[c, (y, "examples")]
            else none
            for c in slugs
        ]
        cols[(y, "count")] = [int(cc.loc[c, (y, "count")]) for c in slugs]
    labels = [
        class_label(c, focal_name_en=name_en, focal_name_zh=name_zh, lang=lang) for c in slugs
    ]
    out = pd.DataFrame(cols, index=pd.Index(labels, name="依存类别" if lang == "zh" else "class"))
    out.columns = pd.MultiIndex.from_tuples(list(cols), names=["year", "field"])
    out.attrs["slugs"] = slugs
    return out
