r"""Assemble a partner-year design table for the trade regressions (seed 000 Table 4, seed 001).

Inputs
------
* **Indicator tables** in tidy form ``iso3, year, indicator, value`` (World Bank WDI/WGI,
  e.g. ``NY.GDP.MKTP.CD``, ``NE.TRD.GNFS.ZS``, ``PV.EST``, ``TX.VAL.TECH.CD``). Read the
  World Bank bulk CSV (``API_<indicator>_DS2_...csv``) with
  ``geotrade.io.readers.read_wdi(path)``; this module only takes DataFrames.
* **The trade table itself** (canonical flows): a country's trade in a product group, e.g.
  EV trade from HS 870380/870360/870340 (:data:`EV_HS`), see :func:`trade_totals`.
* **Distances**, ``distance="capital"`` (default): geodesic distance between capitals on the
  WGS84 ellipsoid (``pyproj.Geod``) from the CEPII capital coordinates of
  :func:`geotrade.reference.countries`, via :func:`geotrade.reference.capital_distance_km`;
  see :func:`capital_distances`. ``distance="cepii"``: the distances of CEPII GeoDist
  ``dist_cepii`` (:func:`geotrade.io.readers.geodist.read_geodist`; column ``distcap``,
  ``dist``, ``distw`` or ``distwces``), which also bring the dummies ``contig``,
  ``comlang_off`` and ``colony``. The two agree closely for capitals (CHN-USA: CEPII
  ``distcap`` 11,159.25 km, geotrade 11,173.9 km).
* **UN General Assembly ideal points** (geo-affinity): the Bailey-Strezhnev-Voeten estimates
  (``IdealpointestimatesAll_<date>.csv``, Harvard Dataverse doi:10.7910/DVN/LEJUQZ; read with
  :func:`geotrade.io.readers.unga.read_unga_ideal_points`, **user-supplied**). With
  ``unga_focal``, each row gets the partner's ``ideal_point`` of that year and
  ``ideal_distance = |ideal_point(partner, t) - ideal_point(focal, t)|`` (Bailey, Strezhnev
  & Voeten 2017); a year without an estimate of either economy gives ``NaN`` (counted in
  ``DesignReport.unga``).
* **Group dummies** (Belt and Road, free-trade agreements, ...): **user-supplied**
  membership tables, ``iso3, year`` (member in that year) or ``iso3, start_year
  [, end_year]``. geotrade ships no membership list (no authoritative machine-readable Belt
  and Road list exists); see :func:`group_dummy`.

Transformations (every one reports what it did; nothing is silent)
------------------------------------------------------------------
* ``log``: natural log. Zeros and negatives have no log; ``zeros="missing"`` (default) makes
  them missing (later listed by the listwise-deletion report), ``zeros="log1p"`` uses
  ``ln(1 + x)`` for the whole variable, ``zeros="error"`` raises. Negative values are always
  made missing and counted.
* ``zscore``: ``(x - mean) / sd`` with ``sd`` of ``ddof=1``, computed on the final estimation
  sample (after listwise deletion), as in seed 001 ("all regressors standardised").
* ``lag``: one-period lag within a country: the value of year ``t - 1`` of the same country
  (matched by year, not by row order: a missing year gives a missing lag).
* ``rolling_sd``: rolling standard deviation of a country's series over the ``window``
  years ending in year ``t`` (``t - window + 1 .. t``, the current year included), sample SD
  (``ddof=1``), by default only where all ``window`` years are observed
  (``min_periods = window``); years are matched by value, so a missing year counts as a
  missing value in the window, not as a shorter window. Seed 001 uses a 4-year rolling SD of
  inflation and of the real effective exchange rate (Table 3 "(滚动标准差)", §六: "以 4 年滚动
  标准差衡量"); the seed does not say whether the window includes the current year or how
  many observations it needs, so those are the documented defaults here. Lag the result
  (``lags=["<col>_rsd4"]``) for the seed's ``X_{i,t-1}``.
* ``interpolate``: linear interpolation in time of **interior** gaps of a country's series
  (between two observed years); leading and trailing gaps stay missing. The number of values
  filled per variable is reported (seed 000 §2.3: "其余部分缺失值均用插值法填补").
* listwise deletion: rows with a missing value in a required column are dropped and listed
  with the missing columns (seed 000: "删去个别数据缺失的地区").

Examples
--------
>>> import pandas as pd
>>> tidy = pd.DataFrame({"iso3": ["KOR"] * 3, "year": [2015, 2016, 2017],
...                      "indicator": "GDP", "value": [1.0, None, 3.0]})
>>> panel = pd.DataFrame({"partner_iso3": ["KOR"] * 3, "year": [2015, 2016, 2017]})
>>> design, rep = build_design(panel, indicators=tidy, log=["GDP"], distance_to="CHN")
>>> design["GDP"].tolist()
[1.0, 2.0, 3.0]
>>> rep.interpolated.set_index("variable").loc["GDP", "n_filled"]
np.int64(1)
>>> round(float(design["ln_dist"].iloc[0]), 3)
6.864
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem, ValidationError

__all__ = [
    "EV_HS",
    "DesignReport",
    "build_design",
    "capital_distances",
    "group_dummy",
    "interpolate_interior",
    "lag",
    "listwise_delete",
    "log_values",
    "rolling_sd",
    "trade_totals",
    "wide_indicators",
    "zscore",
]

#: HS 2017/2022 subheadings of electric and hybrid passenger cars used as "EV trade" (seed 000
#: variable EV): 870380 battery-electric, 870360 / 870340 plug-in and other hybrids.
EV_HS: tuple[str, ...] = ("870380", "870360", "870340")

Zeros = Literal["missing", "log1p", "error"]
DistanceSource = Literal["capital", "cepii"]
#: GeoDist dummies added with ``distance="cepii"``.
GEODIST_DESIGN_DUMMIES: tuple[str, ...] = ("contig", "comlang_off", "colony")
_TIDY = ("iso3", "year", "indicator", "value")
_AGG = {"WLD", "W00", ""}


def _need(df: pd.DataFrame, cols: Iterable[str], what: str, path: str | None = None) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = (
            f"{what} needs the column(s) {', '.join(map(repr, missing))}; found {list(df.columns)}"
        )
        raise InputFormatError(msg, path=path)


# --------------------------------------------------------------------------- inputs


def wide_indicators(
    tidy: pd.DataFrame,
    *,
    indicators: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    path: str | None = None,
) -> pd.DataFrame:
    """Pivot a tidy indicator table (``iso3, year, indicator, value``) to one column each.

    Parameters
    ----------
    tidy
        Tidy table, e.g. from ``geotrade.io.readers.read_wdi``. Several tables can be
        concatenated first.
    indicators
        Indicator codes to keep (default: all).
    names
        Optional renaming ``{indicator code: column name}`` (e.g.
        ``{"NY.GDP.MKTP.CD": "gdp"}``).
    path
        Input file, only used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``iso3, year`` and one float column per indicator.

    Raises
    ------
    InputFormatError
        If a tidy column is missing.
    ValidationError
        If an ``(iso3, year, indicator)`` appears twice or a requested indicator is absent.

    Examples
    --------
    >>> t = pd.DataFrame({"iso3": ["USA", "USA"], "year": [2020, 2020],
    ...                   "indicator": ["A", "B"], "value": [1.0, 2.0]})
    >>> wide_indicators(t, names={"A": "a"}).columns.tolist()
    ['iso3', 'year', 'a', 'B']
    """
    _need(tidy, _TIDY, "an indicator table", path)
    t = tidy[list(_TIDY)].copy()
    t["iso3"] = t["iso3"].astype("string").str.upper()
    t["year"] = pd.to_numeric(t["year"], errors="coerce")
    t["value"] = pd.to_numeric(t["value"], errors="coerce").astype("float64")
    t["indicator"] = t["indicator"].astype("string")
    problems: list[Problem] = []
    if indicators is not None:
        have = set(t["indicator"].dropna())
        for ind in indicators:
            if ind not in have:
                problems.append(Problem(f"indicator {ind!r} is not in the table", path=path))
        t = t[t["indicator"].isin(list(indicators))]
    bad_year = t["year"].isna()
    for i in np.flatnonzero(bad_year.to_numpy())[:20]:
        problems.append(Problem("year is not a number", path=path, row=int(i) + 2, column="year"))
    t = t[~bad_year]
    dup = t.duplicated(["iso3", "year", "indicator"], keep="first")
    for i in np.flatnonzero(dup.to_numpy())[:20]:
        r = t.iloc[i]
        problems.append(
            Problem(
                f"duplicate value for {r['iso3']} {int(r['year'])} {r['indicator']}; "
                "keep one row per country, year and indicator",
                path=path,
                column="indicator",
            )
        )
    if problems:
        raise ValidationError(problems)
    t["year"] = t["year"].astype("int64")
    wide = t.pivot(index=["iso3", "year"], columns="indicator", values="value")
    wide.columns = [str(c) for c in wide.columns]
    order = list(indicators) if indicators is not None else list(wide.columns)
    wide = wide[order].reset_index()
    if names:
        wide = wide.rename(columns=dict(names))
    wide["iso3"] = wide["iso3"].astype(str)
    return wide


def trade_totals(
    flows: pd.DataFrame,
    *,
    hs_codes: Iterable[str] = EV_HS,
    flows_kind: Iterable[str] = ("export", "import"),
    name: str = "ev_trade_usd",
) -> pd.DataFrame:
    """Each reporter's total trade in a product group per year (e.g. EV trade, seed 000 EV).

    For a reporter-year with rows to partner ``WLD`` (World) the World rows are used;
    otherwise the bilateral rows are summed. Aggregate partners (``WLD``/``W00``, codes
    starting with ``_``, rows flagged ``is_aggregate``) are never added to bilateral sums, so
    nothing is double counted.

    Parameters
    ----------
    flows
        Canonical flow table (``year, reporter_iso3, partner_iso3, flow, hs_code,
        value_usd``).
    hs_codes
        Six-digit HS codes to add up (default :data:`EV_HS`).
    flows_kind
        Flows to add (default exports and imports: total trade).
    name
        Name of the value column.

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, <name>, basis`` (``"world"`` or ``"bilateral"``), in USD.

    Examples
    --------
    >>> f = pd.DataFrame({"year": 2022, "reporter_iso3": ["DEU", "DEU", "DEU", "FRA"],
    ...     "partner_iso3": ["WLD", "CHN", "USA", "DEU"], "flow": "export",
    ...     "hs_code": ["870380", "870380", "870380", "870360"],
    ...     "value_usd": [10.0, 4.0, 5.0, 2.0]})
    >>> trade_totals(f)
      iso3  year  ev_trade_usd      basis
    0  DEU  2022          10.0      world
    1  FRA  2022           2.0  bilateral
    """
    _need(flows, ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"], "flows")
    codes = {str(c).zfill(6) for c in hs_codes}
    f = flows[
        flows["hs_code"].astype(str).str.zfill(6).isin(codes) & flows["flow"].isin(list(flows_kind))
    ].copy()
    partner = f["partner_iso3"].astype("string").fillna("")
    world = partner.isin(["WLD", "W00"])
    agg = partner.str.startswith("_") | partner.eq("")
    if "is_aggregate" in f:
        agg |= f["is_aggregate"].fillna(False).astype(bool) & ~world
    f["value_usd"] = pd.to_numeric(f["value_usd"], errors="coerce")
    keys = ["reporter_iso3", "year"]
    w = f[world].groupby(keys, as_index=False)["value_usd"].sum()
    w["basis"] = "world"
    b = f[~world & ~agg].groupby(keys, as_index=False)["value_usd"].sum()
    b["basis"] = "bilateral"
    both = pd.concat([w, b], ignore_index=True).drop_duplicates(keys, keep="first")
    out = both.rename(columns={"reporter_iso3": "iso3", "value_usd": name})
    out = out.sort_values(["iso3", "year"]).reset_index(drop=True)
    out["year"] = out["year"].astype("int64")
    return out[["iso3", "year", name, "basis"]]


def capital_distances(iso3s: Iterable[str], *, to: str = "CHN") -> pd.DataFrame:
    """Geodesic distance between the capital of each economy and the capital of ``to``.

    Uses :func:`geotrade.reference.capital_distance_km` (``pyproj.Geod(ellps="WGS84")`` on the
    CEPII capital coordinates of :func:`geotrade.reference.countries`). Economies without
    capital coordinates get ``NaN`` and ``has_coordinates = False`` (reported, not dropped).

    Parameters
    ----------
    iso3s
        ISO3 codes.
    to
        ISO3 code of the other end (the focal economy, default China).

    Returns
    -------
    pandas.DataFrame
        ``iso3, dist_km, has_coordinates``.

    Examples
    --------
    >>> d = capital_distances(["USA", "KOR"])
    >>> d["dist_km"].round(-1).tolist()
    [11170.0, 960.0]
    """
    from geotrade.reference import capital_distance_km

    rows = []
    for iso in dict.fromkeys(str(i).upper() for i in iso3s):
        try:
            km = capital_distance_km(to, iso)
        except InputFormatError:
            km = float("nan")
        rows.append({"iso3": iso, "dist_km": km, "has_coordinates": bool(np.isfinite(km))})
    return pd.DataFrame(rows, columns=["iso3", "dist_km", "has_coordinates"])


def group_dummy(
    membership: pd.DataFrame,
    iso3: pd.Series,
    year: pd.Series,
    *,
    path: str | None = None,
) -> pd.Series:
    """0/1 membership dummy (Belt and Road, an FTA, ...) from a user-supplied table.

    Parameters
    ----------
    membership
        Either ``iso3, year`` (one row per member and year), ``iso3, start_year`` with an
        optional ``end_year`` (inclusive; missing = still a member), or a geotrade grouping
        file ``iso3, group, from, to`` (``geotrade products groups NAME --csv``; an empty
        ``from`` counts in every year). Belt and Road membership is not shipped: supply your
        own and cite its source.
    iso3, year
        Keys of the panel rows.
    path
        Input file, only used in error messages.

    Returns
    -------
    pandas.Series
        ``int64`` 0/1 aligned with ``iso3``.

    Examples
    --------
    >>> m = pd.DataFrame({"iso3": ["PAK"], "start_year": [2015]})
    >>> group_dummy(m, pd.Series(["PAK", "PAK", "USA"]), pd.Series([2014, 2015, 2015])).tolist()
    [0, 1, 0]
    """
    _need(membership, ["iso3"], "a membership table", path)
    iso = iso3.astype(str).str.upper().to_numpy()
    yr = pd.to_numeric(year).to_numpy()
    m = membership.copy()
    m["iso3"] = m["iso3"].astype(str).str.upper()
    if "year" not in m.columns and "start_year" not in m.columns and "from" in m.columns:
        # a geotrade grouping file (``geotrade products groups NAME --csv``):
        # iso3,group,from,to; an empty 'from' (undated, e.g. the Quad) is a member every year
        m = m.rename(columns={"from": "start_year", "to": "end_year"})
        m["start_year"] = pd.to_numeric(m["start_year"], errors="coerce").fillna(-np.inf)
    if "year" in m.columns:
        pairs = set(zip(m["iso3"], pd.to_numeric(m["year"]).astype("int64"), strict=True))
        vals = [int((a, int(b)) in pairs) for a, b in zip(iso, yr, strict=True)]
    elif "start_year" in m.columns:
        start = dict(zip(m["iso3"], pd.to_numeric(m["start_year"]), strict=True))
        endc = m["end_year"] if "end_year" in m.columns else pd.Series(np.nan, index=m.index)
        end = dict(zip(m["iso3"], pd.to_numeric(endc), strict=True))
        vals = [
            int(a in start and b >= start[a] and (pd.isna(end.get(a, np.nan)) or b <= end[a]))
            for a, b in zip(iso, yr, strict=True)
        ]
    else:
        msg = (
            "a membership table needs 'iso3' and either 'year', 'start_year' [, 'end_year'] "
            "or 'from' [, 'to'] (a geotrade grouping file)"
        )
        raise InputFormatError(msg, path=path)
    return pd.Series(vals, index=iso3.index, dtype="int64")


# --------------------------------------------------------------------------- transformations


def log_values(values: pd.Series, *, zeros: Zeros = "missing") -> tuple[pd.Series, int, int]:
    """Natural log with documented handling of zeros and negatives.

    Parameters
    ----------
    values
        Numbers.
    zeros
        ``"missing"``: ln of a zero is missing (counted); ``"log1p"``: ``ln(1 + x)`` for all
        values; ``"error"``: raise on zeros.

    Returns
    -------
    (Series, n_zero, n_negative)
        Logged values and how many zeros and negative values were found (negative values
        always become missing).

    Raises
    ------
    InputFormatError
        With ``zeros="error"`` when a zero is present, or an unknown ``zeros``.

    Examples
    --------
    >>> s, nz, nn = log_values(pd.Series([1.0, 0.0, -2.0]))
    >>> s.round(3).tolist(), nz, nn
    ([0.0, nan, nan], 1, 1)
    >>> log_values(pd.Series([0.0]), zeros="log1p")[0].tolist()
    [0.0]
    """
    if zeros not in ("missing", "log1p", "error"):
        msg = f"zeros must be 'missing', 'log1p' or 'error'; got {zeros!r}"
        raise InputFormatError(msg)
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    n_zero = int((x == 0).sum())
    n_neg = int((x < 0).sum())
    if zeros == "error" and n_zero:
        msg = f"{values.name!r} has {n_zero} zero value(s); ln(0) is undefined"
        raise InputFormatError(msg, column=str(values.name))
    x = x.where(x >= 0)
    out = np.log1p(x) if zeros == "log1p" else np.log(x.where(x > 0))
    return out, n_zero, n_neg


def zscore(values: pd.Series) -> pd.Series:
    """Standardise to mean 0 and standard deviation 1 (``ddof=1``), ignoring missing values.

    Examples
    --------
    >>> zscore(pd.Series([1.0, 2.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    x = pd.to_numeric(values, errors="coerce").astype("float64")
    sd = x.std(ddof=1)
    if not np.isfinite(sd) or sd == 0:
        msg = f"cannot standardise {values.name!r}: it has no variation"
        raise InputFormatError(msg, column=str(values.name))
    return (x - x.mean()) / sd


def lag(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    id: str = "partner_iso3",
    time: str = "year",
    periods: int = 1,
    suffix: str = "_lag1",
) -> pd.DataFrame:
    """Add one-period lags within each country, matched by year (``t - periods``).

    Parameters
    ----------
    df
        Panel with ``id`` and ``time`` columns (one row per id and time).
    columns
        Columns to lag.
    id, time
        Panel keys.
    periods
        Lag length in years.
    suffix
        Suffix of the new columns.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``<column><suffix>`` columns.

    Examples
    --------
    >>> p = pd.DataFrame({"partner_iso3": ["A", "A", "A"], "year": [2010, 2011, 2013],
    ...                   "x": [1.0, 2.0, 3.0]})
    >>> lag(p, ["x"])["x_lag1"].tolist()
    [nan, 1.0, nan]
    """
    _need(df, [id, time, *columns], "lag")
    prev = df[[id, time, *columns]].copy()
    prev[time] = prev[time] + periods
    prev = prev.rename(columns={c: f"{c}{suffix}" for c in columns})
    out = df.drop(columns=[f"{c}{suffix}" for c in columns if f"{c}{suffix}" in df])
    merged = out.merge(prev, on=[id, time], how="left", validate="one_to_one")
    merged.index = df.index
    return merged


def rolling_sd(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    window: int = 4,
    min_periods: int | None = None,
    id: str = "partner_iso3",
    time: str = "year",
    suffix: str | None = None,
) -> pd.DataFrame:
    """Add the rolling standard deviation of each country's series over ``window`` years.

    The window of year ``t`` is the years ``t - window + 1 .. t`` (the current year
    included); the SD is the sample SD (``ddof=1``, as pandas and Stata). Years are matched
    by value, not by row order: a year absent from the panel is a missing value inside the
    window.

    Parameters
    ----------
    df
        Panel with ``id`` and ``time`` columns (one row per id and time).
    columns
        Columns to transform.
    window
        Window length in years (>= 2; seed 001 uses 4).
    min_periods
        Observed values needed in a window (default ``window``: a full window; at least 2,
        since one value has no sample SD).
    id, time
        Panel keys.
    suffix
        Suffix of the new columns (default ``_rsd<window>``, e.g. ``inflation_rsd4``).

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``<column><suffix>`` columns.

    Raises
    ------
    InputFormatError
        If a column is missing, the window or ``min_periods`` is out of range, or a country
        has a year twice.

    Examples
    --------
    >>> p = pd.DataFrame({"partner_iso3": "A", "year": [2010, 2011, 2012, 2013, 2014],
    ...                   "x": [1.0, 2.0, 4.0, 7.0, 11.0]})
    >>> rolling_sd(p, ["x"], window=3)["x_rsd3"].round(4).tolist()
    [nan, nan, 1.5275, 2.5166, 3.5119]
    """
    _need(df, [id, time, *columns], "rolling_sd")
    if not isinstance(window, int) or isinstance(window, bool) or window < 2:
        msg = f"the rolling window must be a whole number of years >= 2; got {window!r}"
        raise InputFormatError(msg)
    mp = window if min_periods is None else min_periods
    if not 2 <= mp <= window:
        msg = f"min_periods must be between 2 and the window ({window}); got {mp!r}"
        raise InputFormatError(msg)
    sfx = f"_rsd{window}" if suffix is None else suffix
    years = pd.to_numeric(df[time], errors="coerce")
    if years.isna().any():
        row = int(np.flatnonzero(years.isna().to_numpy())[0]) + 2
        msg = "year is not a number"
        raise InputFormatError(msg, row=row, column=time)
    dup = pd.DataFrame({id: df[id].to_numpy(), time: years.to_numpy()}).duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        msg = (
            f"{df[id].iloc[i]} has year {int(years.iloc[i])} twice; a rolling SD needs one "
            "row per country and year"
        )
        raise InputFormatError(msg, row=i + 2, column=time)
    out = df.copy()
    yr = years.astype("int64").to_numpy()
    for col in columns:
        x = pd.to_numeric(df[col], errors="coerce").astype("float64").to_numpy()
        res = np.full(len(df), np.nan)
        for _, idx in df.groupby(id, sort=False).indices.items():
            t = yr[idx]
            full = pd.Series(np.nan, index=np.arange(t.min(), t.max() + 1), dtype="float64")
            full.loc[t] = x[idx]
            sd = full.rolling(window, min_periods=mp).std(ddof=1)
            res[idx] = sd.loc[t].to_numpy()
        out[f"{col}{sfx}"] = res
    return out


def interpolate_interior(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    id: str = "partner_iso3",
    time: str = "year",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill interior gaps of each country's series by linear interpolation in time.

    Only values between two observed years of the same country are filled; leading and
    trailing gaps stay missing.

    Returns
    -------
    (DataFrame, DataFrame)
        The filled copy and a report ``variable, n_filled, n_missing_left``.

    Examples
    --------
    >>> p = pd.DataFrame({"partner_iso3": "A", "year": [2010, 2011, 2013, 2014],
    ...                   "x": [1.0, None, 4.0, None]})
    >>> out, rep = interpolate_interior(p, ["x"])
    >>> out["x"].tolist(), int(rep["n_filled"].iloc[0])
    ([1.0, 2.0, 4.0, nan], 1)
    """
    _need(df, [id, time, *columns], "interpolation")
    out = df.copy()
    rows = []
    for col in columns:
        x = pd.to_numeric(out[col], errors="coerce").astype("float64")
        filled = x.copy()
        for _, idx in out.groupby(id, sort=False).groups.items():
            t = out.loc[idx, time].to_numpy(dtype=float)
            v = x.loc[idx].to_numpy()
            ok = ~np.isnan(v)
            if ok.sum() < 2:
                continue
            lo, hi = t[ok].min(), t[ok].max()
            gap = ~ok & (t > lo) & (t < hi)
            if gap.any():
                order = np.argsort(t[ok])
                v2 = v.copy()
                v2[gap] = np.interp(t[gap], t[ok][order], v[ok][order])
                filled.loc[idx] = v2
        n_filled = int((x.isna() & filled.notna()).sum())
        out[col] = filled
        rows.append(
            {"variable": col, "n_filled": n_filled, "n_missing_left": int(filled.isna().sum())}
        )
    return out, pd.DataFrame(rows, columns=["variable", "n_filled", "n_missing_left"])


def listwise_delete(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    keys: Sequence[str] = ("partner_iso3", "year"),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop rows with a missing value in ``columns`` and say which rows and why.

    Returns
    -------
    (DataFrame, DataFrame)
        The kept rows and the dropped ones: ``row`` (1-based data row as in a spreadsheet
        with a header, i.e. position + 2), the ``keys``, and ``missing`` (the missing
        columns, comma-separated).

    Examples
    --------
    >>> p = pd.DataFrame({"partner_iso3": ["A", "B"], "year": 2020, "x": [1.0, None]})
    >>> kept, dropped = listwise_delete(p, ["x"])
    >>> len(kept), dropped[["partner_iso3", "missing"]].values.tolist()
    (1, [['B', 'x']])
    """
    _need(df, list(columns), "listwise deletion")
    miss = df[list(columns)].apply(pd.to_numeric, errors="coerce").isna()
    bad = miss.any(axis=1).to_numpy()
    ks = [k for k in keys if k in df.columns]
    dropped = df.loc[bad, ks].copy()
    dropped.insert(0, "row", np.flatnonzero(bad) + 2)
    dropped["missing"] = [", ".join(c for c in columns if m[c]) for _, m in miss[bad].iterrows()]
    return df.loc[~bad].copy(), dropped.reset_index(drop=True)


# --------------------------------------------------------------------------- assembly


@dataclass
class DesignReport:
    """What :func:`build_design` did, so that nothing happens silently."""

    interpolated: pd.DataFrame = field(default_factory=pd.DataFrame)
    logs: pd.DataFrame = field(default_factory=pd.DataFrame)
    ratios: pd.DataFrame = field(default_factory=pd.DataFrame)
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    no_coordinates: list[str] = field(default_factory=list)
    distance_source: str = ""
    unga: dict[str, object] = field(default_factory=dict)
    trade_basis: dict[str, int] = field(default_factory=dict)
    n_in: int = 0
    n_filtered: int = 0
    n_out: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-serialisable summary."""
        return {
            "n_in": self.n_in,
            "n_filtered": self.n_filtered,
            "n_out": self.n_out,
            "n_dropped": len(self.dropped),
            "interpolated": self.interpolated.to_dict(orient="records"),
            "logs": self.logs.to_dict(orient="records"),
            "ratios": self.ratios.to_dict(orient="records"),
            "no_coordinates": self.no_coordinates,
            "distance_source": self.distance_source,
            "unga": self.unga,
            "trade_basis": self.trade_basis,
        }


def build_design(
    panel: pd.DataFrame,
    *,
    indicators: pd.DataFrame | None = None,
    indicator_names: Mapping[str, str] | None = None,
    flows: pd.DataFrame | None = None,
    ev_hs: Iterable[str] = EV_HS,
    distance_to: str | None = None,
    distance: DistanceSource = "capital",
    geodist: pd.DataFrame | None = None,
    geodist_column: Literal["distcap", "dist", "distw", "distwces"] = "distcap",
    unga: pd.DataFrame | None = None,
    unga_focal: str | None = None,
    groups: Mapping[str, pd.DataFrame] | None = None,
    interpolate: Sequence[str] | None = None,
    ratios: Mapping[str, tuple[str, str, float]] | None = None,
    log: Sequence[str] = (),
    zeros: Zeros = "missing",
    rolling: Sequence[tuple[str, int]] = (),
    lags: Sequence[str] = (),
    where: str | None = None,
    required: Sequence[str] | None = None,
    standardize: Sequence[str] = (),
    id: str = "partner_iso3",
    time: str = "year",
) -> tuple[pd.DataFrame, DesignReport]:
    """Assemble a partner-year design table and report every step.

    Steps, in order: merge indicators (wide, by ``id``/``time``) → EV trade from ``flows``
    (``ev_trade_usd``) → ``dist_km`` and ``ln_dist`` to ``distance_to`` → UNGA
    ``ideal_point`` and ``ideal_distance`` to ``unga_focal`` → group dummies →
    interpolation of interior gaps (``interpolate``; default: the indicator columns) → ratios
    (``ratios``) → logs
    (``ln_<col>``) → rolling SDs (``<col>_rsd<w>``) → lags (``<col>_lag1``) → the ``where``
    filter → listwise deletion on ``required`` → z-scores (``z_<col>``) on the remaining rows.

    Lags and rolling windows are computed on the whole panel *before* ``where``, so a filter
    such as ``year >= 1993`` keeps the 1992 values inside the 1993 lag and window.

    Parameters
    ----------
    panel
        Base table with ``id`` and ``time`` (and usually the outcome columns).
    indicators
        Tidy ``iso3, year, indicator, value`` table (WDI/WGI).
    indicator_names
        Renaming of indicator codes to column names.
    flows
        Canonical flows for :func:`trade_totals` of ``ev_hs``.
    ev_hs
        HS codes of the EV trade variable.
    distance_to
        ISO3 of the other end for ``dist_km``/``ln_dist`` (``None``: no distance).
    distance
        ``"capital"`` (geotrade's capital distance, default) or ``"cepii"`` (``geodist``,
        with the dummies ``contig, comlang_off, colony`` as columns too).
    geodist
        Table from :func:`geotrade.io.readers.geodist.read_geodist` (for ``"cepii"``).
    geodist_column
        GeoDist distance column: ``distcap`` (capitals, default), ``dist`` (largest
        cities), ``distw``/``distwces`` (population-weighted).
    unga
        UNGA ideal points from :func:`geotrade.io.readers.unga.read_unga_ideal_points`
        (``iso3, year, ideal_point``).
    unga_focal
        ISO3 of the economy the ideal point distance is measured to (needed with ``unga``).
    groups
        ``{dummy name: membership table}`` (see :func:`group_dummy`).
    interpolate
        Columns to interpolate (default: the indicator columns; ``[]`` for none).
    ratios
        ``{name: (numerator, denominator, scale)}``: ``name = scale * numerator /
        denominator`` on the (interpolated) columns, e.g. total reserves in % of GDP
        ``{"reserves": ("FI.RES.TOTL.CD", "NY.GDP.MKTP.CD", 100.0)}`` (seed 001). A zero or
        missing denominator gives a missing value, counted in ``DesignReport.ratios``.
    log
        Columns to log into ``ln_<col>`` (zeros per ``zeros``, see :func:`log_values`).
    zeros
        Zero handling of the logs.
    rolling
        ``(column, window)`` pairs: rolling SD over ``window`` years ending in the current
        year into ``<col>_rsd<window>`` (see :func:`rolling_sd`; seed 001: window 4). For an
        indicator column the SD is computed on the indicator's whole published series before
        it is merged (so the panel's first years get full windows from earlier years; no
        interpolation); for any other column, on the panel's rows.
    lags
        Columns (after logging and rolling SDs, e.g. ``"ln_GDP"``, ``"inflation_rsd4"``) to
        lag into ``<col>_lag1``.
    where
        Row filter (``column op value`` clauses joined by ``and``; see
        :mod:`geotrade.filters`), applied after the transforms and before listwise deletion
        and z-scores; the rows removed are counted in ``DesignReport.n_filtered``.
    required
        Columns that must be present for a row to stay (default: every column created
        here). ``[]`` keeps all rows.
    standardize
        Columns to z-score into ``z_<col>`` after deletion.
    id, time
        Panel keys.

    Returns
    -------
    (DataFrame, DesignReport)
    """
    _need(panel, [id, time], "the panel")
    d = panel.copy()
    d[id] = d[id].astype(str).str.upper()
    d[time] = pd.to_numeric(d[time]).astype("int64")
    rep = DesignReport(n_in=len(d))
    created: list[str] = []
    ind_cols: list[str] = []
    if indicators is not None:
        w = wide_indicators(indicators, names=indicator_names).rename(columns={"iso3": id})
        w = w.rename(columns={"year": time})
        ind_cols = [c for c in w.columns if c not in (id, time)]
        # an indicator's rolling SD uses its whole published series (years before the
        # panel's first year too), not only the panel's rows
        for col, window in rolling:
            if col in ind_cols:
                w = rolling_sd(w, [col], window=window, id=id, time=time)
        d = d.drop(columns=[c for c in w.columns if c in d and c not in (id, time)])
        d = d.merge(w, on=[id, time], how="left")
        created += ind_cols + [f"{c}_rsd{win}" for c, win in rolling if c in ind_cols]
    if flows is not None:
        ev = trade_totals(flows, hs_codes=ev_hs).rename(columns={"iso3": id, "year": time})
        d = d.merge(ev.drop(columns="basis"), on=[id, time], how="left")
        rep.trade_basis = {str(k): int(v) for k, v in ev["basis"].value_counts().items()}
        created.append("ev_trade_usd")
    if distance not in ("capital", "cepii"):
        msg = f"distance must be 'capital' or 'cepii'; got {distance!r}"
        raise InputFormatError(msg)
    if distance == "cepii" and (geodist is None or distance_to is None):
        msg = "distance='cepii' needs a GeoDist table (geodist=) and distance_to"
        raise InputFormatError(msg)
    if distance_to is not None and distance == "cepii" and geodist is not None:
        from geotrade.io.readers.geodist import geodist_pairs

        gp = geodist_pairs(geodist, d[id].unique(), to=distance_to, column=geodist_column)
        keep = ["iso3", "dist_km", *GEODIST_DESIGN_DUMMIES]
        d = d.drop(columns=[c for c in keep[1:] if c in d])
        d = d.merge(gp[keep].rename(columns={"iso3": id}), on=id, how="left")
        d["ln_dist"] = np.log(d["dist_km"])
        rep.no_coordinates = gp.loc[~gp["in_geodist"], "iso3"].tolist()
        rep.distance_source = f"CEPII GeoDist {geodist_column}"
        created += ["dist_km", "ln_dist", *GEODIST_DESIGN_DUMMIES]
    elif distance_to is not None:
        dist = capital_distances(d[id].unique(), to=distance_to)
        d = d.merge(dist[["iso3", "dist_km"]].rename(columns={"iso3": id}), on=id, how="left")
        d["ln_dist"] = np.log(d["dist_km"])
        rep.no_coordinates = dist.loc[~dist["has_coordinates"], "iso3"].tolist()
        rep.distance_source = "geotrade capital distance (WGS84 geodesic)"
        created += ["dist_km", "ln_dist"]
    if (unga is None) != (unga_focal is None):
        msg = "the UNGA ideal point distance needs both unga= (the table) and unga_focal="
        raise InputFormatError(msg)
    if unga is not None and unga_focal is not None:
        from geotrade.io.readers.unga import ideal_point_distances

        ipd = ideal_point_distances(unga, d[id], d[time], focal=unga_focal)
        d = d.drop(columns=[c for c in ipd.columns if c in d])
        d = pd.concat([d, ipd], axis=1)
        focal = str(unga_focal).strip().upper()
        focal_years = set(unga.loc[unga["iso3"] == focal, "year"].astype(int))
        no_partner = d["ideal_point"].isna()
        rep.unga = {
            "focal": focal,
            "source": str(unga.attrs.get("path", "")),
            "year_rule": str(unga.attrs.get("year_rule", "")),
            "n_missing_ideal_point": int(no_partner.sum()),
            "n_missing_distance": int(d["ideal_distance"].isna().sum()),
            "focal_years_missing": sorted({int(y) for y in d[time].unique()} - focal_years),
            "partners_missing": sorted(set(d.loc[no_partner, id].astype(str))),
        }
        created += ["ideal_point", "ideal_distance"]
    for name, table in (groups or {}).items():
        d[name] = group_dummy(table, d[id], d[time])
        created.append(name)
    interp = list(ind_cols if interpolate is None else interpolate)
    if interp:
        d, rep.interpolated = interpolate_interior(d, interp, id=id, time=time)
    else:
        rep.interpolated = pd.DataFrame(columns=["variable", "n_filled", "n_missing_left"])
    ratio_rows = []
    for name, (num, den, scale) in (ratios or {}).items():
        _need(d, [num, den], f"the ratio {name}")
        a = pd.to_numeric(d[num], errors="coerce")
        b = pd.to_numeric(d[den], errors="coerce")
        zero = b == 0
        d[name] = (float(scale) * a / b.where(~zero)).astype("float64")
        ratio_rows.append(
            {
                "variable": name,
                "numerator": num,
                "denominator": den,
                "scale": float(scale),
                "n_zero_denominator": int(zero.sum()),
                "n_missing": int(d[name].isna().sum()),
            }
        )
        created.append(name)
    ratio_cols = ["variable", "numerator", "denominator", "scale", "n_zero_denominator"]
    rep.ratios = pd.DataFrame(ratio_rows, columns=[*ratio_cols, "n_missing"])
    log_rows = []
    for col in log:
        _need(d, [col], "log")
        d[f"ln_{col}"], nz, nn = log_values(d[col].rename(col), zeros=zeros)
        log_rows.append({"variable": col, "n_zero": nz, "n_negative": nn, "zeros": zeros})
        created.append(f"ln_{col}")
    rep.logs = pd.DataFrame(log_rows, columns=["variable", "n_zero", "n_negative", "zeros"])
    for col, window in rolling:
        if col not in ind_cols:
            d = rolling_sd(d, [col], window=window, id=id, time=time)
            created.append(f"{col}_rsd{window}")
    if lags:
        d = lag(d, list(lags), id=id, time=time)
        created += [f"{c}_lag1" for c in lags]
    if where:
        from geotrade.filters import apply_where

        d, rep.n_filtered = apply_where(d, where)
        d = d.reset_index(drop=True)
    req = list(dict.fromkeys(created if required is None else required))
    d, rep.dropped = listwise_delete(d, req, keys=(id, time)) if req else (d, pd.DataFrame())
    for col in standardize:
        d[f"z_{col}"] = zscore(d[col].rename(col))
    rep.n_out = len(d)
    return d.reset_index(drop=True), rep
