"""Public functions of :mod:`geotrade.engine` (engine choice, delegation, focal metrics).

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
...     "partner_iso3": ["USA", "DEU", "KOR", "KOR"], "flow": ["export"] * 3 + ["import"],
...     "hs_code": "850760", "value_usd": [50.0, 30.0, 20.0, 60.0]})
>>> partner_shares(flows, focal="CHN", flow="export", engine="duckdb")
   year partner_iso3  value_usd  share_pct  rank
0  2022          USA       50.0       50.0     1
1  2022          DEU       30.0       30.0     2
2  2022          KOR       20.0       20.0     3
>>> s = pattern_summary(flows, focal="CHN", flow="export", top=2, engine="duckdb")
>>> s.loc[0, ["top_share_sum_pct", "hhi", "hhi_10000"]].tolist()
[80.0, 0.38, 3800.0]
>>> focal_interdependence(flows, focal="CHN", engine="duckdb")[["partner_iso3", "gl", "zone"]]
  partner_iso3   gl          zone
0          DEU  0.0     advantage
1          KOR  0.5  disadvantage
2          USA  0.0     advantage
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from geotrade.engine import duckdb_engine as dde
from geotrade.engine.pandas_engine import (
    classify_pairs,
    is_aggregate_code,
    load_flows,
    pair_interdependence_pandas,
)
from geotrade.engine.sources import Source, SourceLike, resolve_source
from geotrade.reporting import Reporter

__all__ = [
    "Basis",
    "Engine",
    "focal_interdependence",
    "group_aggregates",
    "pair_interdependence",
    "partner_shares",
    "pattern_summary",
]

Engine = Literal["duckdb", "pandas", "auto"]
Basis = Literal["auto", "reported", "exports"]
Flow = Literal["export", "import"]

#: DataFrames with fewer rows than this use pandas under ``engine="auto"``.
AUTO_PANDAS_MAX_ROWS = 200_000


def _choose(source: Source, engine: Engine) -> Literal["duckdb", "pandas"]:
    if engine not in ("duckdb", "pandas", "auto"):
        msg = f"engine must be 'duckdb', 'pandas' or 'auto', got {engine!r}"
        raise ValueError(msg)
    if engine != "auto":
        return engine
    if (
        source.kind == "frame"
        and source.frame is not None  # always, for a "frame" source
        and len(source.frame) < AUTO_PANDAS_MAX_ROWS
    ):
        return "pandas"
    return "duckdb"


def _check_thresholds(high: float, low: float) -> None:
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)


def pair_interdependence(
    source: SourceLike,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    engine: Engine = "auto",
    memory_limit: str = "1GB",
    threads: int | None = None,
    country_codes: str | os.PathLike[str] | None = None,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """Grubel-Lloyd interdependence and dependence class of every ordered pair of economies.

    For each year (and the selected products summed): ``X_ij`` = sum of ``value_usd`` over
    export rows with ``reporter_iso3 = i``, ``partner_iso3 = j``; ``M_ij = X_ji``. One row
    per ordered pair with ``X_ij + M_ij > 0``; ``gl = 2 min(X, M) / (X + M)``
    (``= 1 - |X - M| / (X + M)``), ``index = +gl`` if ``X >= M`` else ``-gl``; classes as in
    :func:`geotrade.metrics.trade.interdependence` with ``i`` as the focal economy
    (``partner_one_way`` when ``M = 0``, ``focal_one_way`` when ``X = 0``, ``balanced`` when
    ``X = M``, otherwise ``partner_``/``focal_`` + ``high``/``moderate``/``low``).
    Aggregates (``WLD``, ``_…`` codes, unknown BACI codes), missing codes and self pairs are
    excluded and listed in ``attrs["excluded"]``; import rows are not used.

    Parameters
    ----------
    source
        Canonical DataFrame, canonical or BACI parquet/CSV path, glob or list of paths.
    years, hs_codes
        Optional filters (HS codes as 6-digit strings or integers).
    high, low
        GL thresholds of the degree: ``gl <= high`` high, ``high < gl < low`` moderate.
    engine
        ``"duckdb"`` (streaming, bounded memory), ``"pandas"`` (in memory; delegates to
        :func:`geotrade.metrics.network.pair_interdependence` when installed) or ``"auto"``
        (pandas for DataFrames under 200 000 rows, DuckDB otherwise).
    memory_limit, threads
        DuckDB settings.
    country_codes
        BACI ``country_codes_V*.csv`` (default: the one next to the data, else the packaged
        reference table).
    reporter
        Progress reporter (rows selected per year/file).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, iso3, partner_iso3, exports, imports, gl, index,
        dependence_class`` sorted by ``year, iso3, partner_iso3``.

    Raises
    ------
    DataNotFoundError, InputFormatError, ValidationError
        For missing files, unreadable files and negative or missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["AAA", "BBB"],
    ...     "partner_iso3": ["BBB", "AAA"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [10.0, 90.0]})
    >>> pair_interdependence(flows, engine="duckdb")[["iso3", "gl", "index", "dependence_class"]]
      iso3   gl  index dependence_class
    0  AAA  0.2   -0.2       focal_high
    1  BBB  0.2    0.2     partner_high
    """
    _check_thresholds(high, low)
    src = resolve_source(source, country_codes=country_codes)
    if _choose(src, engine) == "duckdb":
        return dde.pair_interdependence_duckdb(
            src,
            years=years,
            hs_codes=hs_codes,
            high=high,
            low=low,
            memory_limit=memory_limit,
            threads=threads,
            reporter=reporter,
        )
    flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export",))
    network_pairs: Callable[..., pd.DataFrame] | None
    try:
        from geotrade.metrics.network import pair_interdependence as network_pairs
    except ImportError:
        network_pairs = None
    if network_pairs is not None:
        out = network_pairs(flows, years=years, hs_codes=hs_codes, high=high, low=low)
        out.attrs.setdefault("engine", "pandas (geotrade.metrics.network)")
        return out
    out = pair_interdependence_pandas(flows, years=years, hs_codes=hs_codes, high=high, low=low)
    out.attrs["engine"] = "pandas (geotrade.engine)"
    return out


# -----------------------------------------------------------------------------------------
# focal-country metrics
# -----------------------------------------------------------------------------------------


def _basis(src: Source, basis: Basis) -> Literal["reported", "exports"]:
    if basis not in ("auto", "reported", "exports"):
        msg = f"basis must be 'auto', 'reported' or 'exports', got {basis!r}"
        raise ValueError(msg)
    if basis == "auto":
        return "exports" if src.layout == "baci" else "reported"
    return basis


def _directed_sql(focal: str, basis: str) -> str:
    """Return the SQL of ``year, partner_iso3, flow, value`` for ``focal`` (table ``x``)."""
    f = dde._q(focal)
    if basis == "reported":
        inner = (
            f"SELECT year, j AS partner_iso3, flow, x AS value FROM x "
            f"WHERE i = {f} AND flow IN ('export', 'import')"
        )
    else:
        inner = (
            f"SELECT year, j AS partner_iso3, 'export' AS flow, x AS value FROM x "
            f"WHERE flow = 'export' AND i = {f} "
            f"UNION ALL SELECT year, i AS partner_iso3, 'import' AS flow, x AS value FROM x "
            f"WHERE flow = 'export' AND j = {f}"
        )
    return (
        f"SELECT * FROM ({inner}) AS d WHERE NOT {dde._agg_predicate('partner_iso3')} "
        f"AND partner_iso3 <> {f}"
    )


def _with_duckdb(src: Source, basis: str, years, hs_codes, memory_limit, threads, reporter, fn):
    flows = ("export", "import") if basis == "reported" else ("export",)
    with dde.connect(memory_limit=memory_limit, threads=threads) as con:
        dde.aggregate_exports(
            con, src, years=years, hs_codes=hs_codes, flows=flows, reporter=reporter
        )
        return fn(con)


def _exports_basis_frame(flows: pd.DataFrame, focal: str) -> pd.DataFrame:
    """Directed focal values from export rows only (the BACI view), pandas version."""
    e = flows[flows["flow"].astype(str).str.lower() == "export"]
    out_ = e[e["reporter_iso3"] == focal].assign(partner=e["partner_iso3"], d="export")
    in_ = e[e["partner_iso3"] == focal].assign(partner=e["reporter_iso3"], d="import")
    d = pd.concat([out_, in_], ignore_index=True)
    d = d[~is_aggregate_code(d["partner"]) & (d["partner"] != focal)]
    return d.rename(columns={"partner": "partner_iso3_", "d": "flow_"})[
        ["year", "partner_iso3_", "flow_", "value_usd"]
    ].set_axis(["year", "partner_iso3", "flow", "value"], axis=1)


def focal_interdependence(
    source: SourceLike,
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    basis: Basis = "auto",
    engine: Engine = "auto",
    memory_limit: str = "1GB",
    threads: int | None = None,
    country_codes: str | os.PathLike[str] | None = None,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """Grubel-Lloyd interdependence of one focal economy with every partner.

    Parameters
    ----------
    source
        See :func:`pair_interdependence`.
    focal
        ISO3 of the focal economy.
    years, hs_codes, high, low, engine, memory_limit, threads, country_codes, reporter
        See :func:`pair_interdependence`.
    basis
        ``"reported"``: the focal economy's own export and import rows, exactly
        :func:`geotrade.metrics.trade.interdependence`; ``"exports"``: exports of the focal
        economy and exports of the partners to it (the BACI view, all flows FOB);
        ``"auto"``: ``"exports"`` for BACI sources, ``"reported"`` otherwise.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, partner_iso3, exports, imports, gl, index, dependence_class, zone``.
    """
    _check_thresholds(high, low)
    focal = focal.strip().upper()
    src = resolve_source(source, country_codes=country_codes)
    b = _basis(src, basis)
    if _choose(src, engine) == "pandas":
        if b == "reported":
            from geotrade.metrics.trade import interdependence

            flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export", "import"))
            return interdependence(flows, focal=focal, high=high, low=low)
        flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export",))
        d = _exports_basis_frame(flows, focal)
        wide = (
            d.pivot_table(
                index=["year", "partner_iso3"], columns="flow", values="value", aggfunc="sum"
            )
            .reindex(columns=["export", "import"])
            .fillna(0.0)
            .reset_index()
        )
    else:

        def run(con: Any) -> pd.DataFrame:
            return con.execute(
                f"""
                WITH d AS ({_directed_sql(focal, b)})
                SELECT year, partner_iso3,
                       SUM(CASE WHEN flow = 'export' THEN value ELSE 0 END) AS export,
                       SUM(CASE WHEN flow = 'import' THEN value ELSE 0 END) AS import
                FROM d GROUP BY year, partner_iso3
                """
            ).df()

        wide = _with_duckdb(src, b, years, hs_codes, memory_limit, threads, reporter, run)
    wide = wide[(wide["export"] + wide["import"]) > 0]
    gl, index, cls = classify_pairs(
        wide["export"].to_numpy(float), wide["import"].to_numpy(float), high=high, low=low
    )
    out = pd.DataFrame(
        {
            "year": wide["year"].astype("int64").to_numpy(),
            "partner_iso3": wide["partner_iso3"].astype(object).to_numpy(),
            "exports": wide["export"].to_numpy(float),
            "imports": wide["import"].to_numpy(float),
            "gl": gl,
            "index": index,
            "dependence_class": cls,
        }
    )
    out["zone"] = [
        "advantage" if c.startswith("partner") else "disadvantage" if c.startswith("focal") else c
        for c in out["dependence_class"]
    ]
    return out.sort_values(["year", "partner_iso3"], kind="stable").reset_index(drop=True)


def partner_shares(
    source: SourceLike,
    *,
    focal: str,
    flow: Flow,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    basis: Basis = "auto",
    engine: Engine = "auto",
    memory_limit: str = "1GB",
    threads: int | None = None,
    country_codes: str | os.PathLike[str] | None = None,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """Value, share (percent) and rank of every partner of ``focal`` in one flow, per year.

    Same output as :func:`geotrade.metrics.trade.partner_shares` (``basis="reported"``);
    in DuckDB the shares and ranks are window functions.

    Parameters
    ----------
    source, focal, years, hs_codes, basis, engine, memory_limit, threads, country_codes
        See :func:`focal_interdependence`.
    flow
        ``"export"`` or ``"import"``.
    reporter
        Progress reporter.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, partner_iso3, value_usd, share_pct, rank`` (rank 1 = largest, ties
        by partner code); partners with a positive value only.
    """
    if flow not in ("export", "import"):
        msg = f"flow must be 'export' or 'import', got {flow!r}"
        raise ValueError(msg)
    focal = focal.strip().upper()
    src = resolve_source(source, country_codes=country_codes)
    b = _basis(src, basis)
    if _choose(src, engine) == "pandas":
        if b == "reported":
            from geotrade.metrics import trade

            flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export", "import"))
            return trade.partner_shares(flows, focal=focal, flow=flow)
        flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export",))
        d = _exports_basis_frame(flows, focal)
        v = d[d["flow"] == flow].groupby(["year", "partner_iso3"], as_index=False)["value"].sum()
        v = v.rename(columns={"value": "value_usd"})
        v = v[v["value_usd"] > 0]
        v = v.sort_values(["year", "value_usd", "partner_iso3"], ascending=[True, False, True])
        v["share_pct"] = 100.0 * v["value_usd"] / v.groupby("year")["value_usd"].transform("sum")
        v["rank"] = v.groupby("year").cumcount() + 1
        out = v.reset_index(drop=True)
    else:

        def run(con: Any) -> pd.DataFrame:
            return con.execute(
                f"""
                WITH d AS ({_directed_sql(focal, b)}),
                v AS (
                    SELECT year, partner_iso3, SUM(value) AS value_usd FROM d
                    WHERE flow = {dde._q(flow)} GROUP BY year, partner_iso3
                    HAVING SUM(value) > 0
                )
                SELECT year, partner_iso3, value_usd,
                       100.0 * value_usd / SUM(value_usd) OVER (PARTITION BY year) AS share_pct,
                       ROW_NUMBER() OVER (PARTITION BY year
                                          ORDER BY value_usd DESC, partner_iso3) AS rank
                FROM v ORDER BY year, rank
                """
            ).df()

        out = _with_duckdb(src, b, years, hs_codes, memory_limit, threads, reporter, run)
    return pd.DataFrame(
        {
            "year": out["year"].astype("int64").to_numpy(),
            "partner_iso3": out["partner_iso3"].astype(object).to_numpy(),
            "value_usd": out["value_usd"].astype(float).to_numpy(),
            "share_pct": out["share_pct"].astype(float).to_numpy(),
            "rank": out["rank"].astype("int64").to_numpy(),
        }
    )


def pattern_summary(
    source: SourceLike,
    *,
    focal: str,
    flow: Flow,
    top: int = 10,
    **kwargs: Any,
) -> pd.DataFrame:
    """Per-year totals, partner counts, top-N shares and HHI of one flow of ``focal``.

    Same columns as :func:`geotrade.metrics.trade.pattern_summary`, computed from
    :func:`partner_shares` (keyword arguments are passed on to it).

    Parameters
    ----------
    source, focal, flow
        See :func:`partner_shares`.
    top
        Number of leading partners.
    **kwargs
        ``years, hs_codes, basis, engine, memory_limit, threads, country_codes, reporter``.

    Returns
    -------
    pandas.DataFrame
        ``year, flow, total_usd, n_partners, top_partners, top_shares_pct,
        top_share_sum_pct, hhi`` (0-1), ``hhi_10000`` (0-10 000).
    """
    if top < 1:
        msg = f"top must be a positive integer, got {top!r}"
        raise ValueError(msg)
    sh = partner_shares(source, focal=focal, flow=flow, **kwargs)
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
    cols = [
        "year",
        "flow",
        "total_usd",
        "n_partners",
        "top_partners",
        "top_shares_pct",
        "top_share_sum_pct",
        "hhi",
        "hhi_10000",
    ]
    return pd.DataFrame(rows, columns=cols)


def group_aggregates(
    source: SourceLike,
    groups: Mapping[str, str],
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    other: str = "other",
    engine: Engine = "auto",
    memory_limit: str = "1GB",
    threads: int | None = None,
    country_codes: str | os.PathLike[str] | None = None,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """Sum exports by exporter group and importer group (e.g. BRI members, EU27, regions).

    Parameters
    ----------
    source
        See :func:`pair_interdependence`.
    groups
        ISO3 → group name. Economies not in the mapping go to ``other``.
    years, hs_codes, engine, memory_limit, threads, country_codes, reporter
        See :func:`pair_interdependence`.
    other
        Group of unmapped economies.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, reporter_group, partner_group, value_usd, pairs`` (number of
        exporter-importer pairs with trade), sorted. Aggregate codes and self pairs are
        excluded as in :func:`pair_interdependence` (``attrs["excluded"]``).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "CHN", "DEU"],
    ...     "partner_iso3": ["DEU", "FRA", "FRA"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [5.0, 3.0, 2.0]})
    >>> group_aggregates(flows, {"DEU": "EU", "FRA": "EU"}, engine="duckdb")
       year reporter_group partner_group  value_usd  pairs
    0  2022             EU            EU        2.0      1
    1  2022          other            EU        8.0      2
    """
    src = resolve_source(source, country_codes=country_codes)
    gmap = pd.DataFrame(
        {"iso3": [str(k).strip().upper() for k in groups], "grp": [str(v) for v in groups.values()]}
    )
    if _choose(src, engine) == "pandas":
        from geotrade.engine.pandas_engine import split_pairs

        flows = load_flows(src, years=years, hs_codes=hs_codes, flows=("export",))
        flows = flows.assign(year=flows["year"].astype("int64"))
        kept, excluded = split_pairs(flows)
        g = dict(zip(gmap["iso3"], gmap["grp"], strict=True))
        pair = kept.groupby(["year", "reporter_iso3", "partner_iso3"], as_index=False)[
            "value_usd"
        ].sum()
        pair = pair[pair["value_usd"] > 0]
        pair["reporter_group"] = pair["reporter_iso3"].map(g).fillna(other)
        pair["partner_group"] = pair["partner_iso3"].map(g).fillna(other)
        out = (
            pair.groupby(["year", "reporter_group", "partner_group"], as_index=False)
            .agg(value_usd=("value_usd", "sum"), pairs=("value_usd", "size"))
            .sort_values(["year", "reporter_group", "partner_group"])
        )
    else:

        def run(con: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
            con.register("groups_df", gmap)
            df = con.execute(
                f"""
                WITH e AS (
                    SELECT year, i, j, x FROM x
                    WHERE flow = 'export' AND ({dde._reason_sql()}) IS NULL AND x > 0
                )
                SELECT e.year, COALESCE(gi.grp, {dde._q(other)}) AS reporter_group,
                       COALESCE(gj.grp, {dde._q(other)}) AS partner_group,
                       SUM(e.x) AS value_usd, COUNT(*) AS pairs
                FROM e LEFT JOIN groups_df AS gi ON e.i = gi.iso3
                       LEFT JOIN groups_df AS gj ON e.j = gj.iso3
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """
            ).df()
            return df, dde.excluded_table(con)

        out, excluded = _with_duckdb(
            src, "exports", years, hs_codes, memory_limit, threads, reporter, run
        )
    out = pd.DataFrame(
        {
            "year": out["year"].astype("int64").to_numpy(),
            "reporter_group": out["reporter_group"].astype(object).to_numpy(),
            "partner_group": out["partner_group"].astype(object).to_numpy(),
            "value_usd": out["value_usd"].astype(float).to_numpy(),
            "pairs": out["pairs"].astype("int64").to_numpy(),
        }
    )
    out.attrs["excluded"] = excluded
    return out
