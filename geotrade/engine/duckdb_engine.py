"""DuckDB path of the engine: trade metrics on BACI-size panels without loading them.

The work is split into two SQL stages, both plain relational steps (CTEs) that port to a
distributed SQL engine (see ``docs/engines.md``):

1. **scan → filter → aggregate**, one chunk at a time (one year of a parquet source, using
   row-group statistics to skip the other years; one file of a CSV source, as BACI ships one
   file per year; a DataFrame in one go). Each chunk is reduced to
   ``X(year, i, j, flow) = SUM(value_usd)`` (at most countries² rows per year) and appended
   to a small table. Memory is bounded by the DuckDB ``memory_limit`` and does not grow
   with the number of years; progress (rows selected per chunk) goes to the reporter.
2. **metrics** on that small table: all-pairs Grubel-Lloyd (self-join for ``M_ij = X_ji``,
   classification in a ``CASE``), focal-country GL, partner shares and HHI (window
   functions), group aggregates.

BACI rows are mapped on the fly: ``value_usd = v * 1000`` (``v`` is in thousand USD),
numeric ``i``/``j`` → ISO3 after aggregation (a join with a ~240-row code table).

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "KOR", "CHN"],
...     "partner_iso3": ["KOR", "CHN", "USA"], "flow": "export", "hs_code": "850760",
...     "value_usd": [300.0, 100.0, 50.0]})
>>> t = pair_interdependence_duckdb(flows)
>>> t[["iso3", "partner_iso3", "gl", "index", "dependence_class"]]
  iso3 partner_iso3   gl  index dependence_class
0  CHN          KOR  0.5    0.5      partner_low
1  CHN          USA  0.0    0.0  partner_one_way
2  KOR          CHN  0.5   -0.5        focal_low
3  USA          CHN  0.0    0.0    focal_one_way
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from geotrade.engine.pandas_engine import (
    EXCLUDED_COLUMNS,
    PAIR_COLUMNS,
    hs_series,
    normalise_hs,
)
from geotrade.engine.sources import Source, baci_code_table
from geotrade.errors import EngineError, InputFormatError, Problem, ValidationError
from geotrade.reporting import Reporter
from geotrade.schema import CODE_ALIASES, aggregate_codes

__all__ = [
    "aggregate_exports",
    "connect",
    "pair_interdependence_duckdb",
    "pair_sql",
]


def _q(text: str) -> str:
    """Quote ``text`` as an SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _hs_condition(column: str, hs: list[str], *, numeric: bool = False) -> str:
    """Return SQL for the HS filter rule of :func:`geotrade.io.canonical.hs_match`.

    A 6-digit code or TOTAL matches itself; a 2- or 4-digit code matches itself and its
    sub-codes (prefix). ``numeric``: ``column`` is an integer 6-digit code (BACI ``k``).

    Examples
    --------
    >>> _hs_condition("k", ["8507", "850760"], numeric=True)
    '(k BETWEEN 850700 AND 850799 OR k = 850760)'
    >>> _hs_condition("hs_code", ["85"])
    "(hs_code = '85' OR hs_code LIKE '85%')"
    """
    parts = []
    for h in hs:
        if numeric:
            if not h.isdigit():
                continue
            if len(h) == 6:
                parts.append(f"{column} = {int(h)}")
            else:
                width = 10 ** (6 - len(h))
                lo = int(h) * width
                parts.append(f"{column} BETWEEN {lo} AND {lo + width - 1}")
        elif h == "TOTAL" or len(h) == 6:
            parts.append(f"{column} = {_q(h)}")
        else:
            parts.append(f"{column} = {_q(h)} OR {column} LIKE {_q(h + '%')}")
    return "(" + (" OR ".join(parts) if parts else "FALSE") + ")"


def _in_list(values: Iterable[int | str], *, numeric: bool = False) -> str:
    vals = [str(int(v)) if numeric else _q(str(v)) for v in values]
    return "(" + (", ".join(vals) if vals else "NULL") + ")"


@contextmanager
def connect(
    *, memory_limit: str = "1GB", threads: int | None = None, temp_directory: str | None = None
) -> Iterator[Any]:
    """Open an in-memory DuckDB connection with a memory limit and a private spill directory.

    Parameters
    ----------
    memory_limit
        DuckDB ``memory_limit`` (``"1GB"``, ``"512MB"``); larger intermediate results spill
        to ``temp_directory``.
    threads
        Worker threads (``None`` = DuckDB's default, the number of cores).
    temp_directory
        Spill directory; by default a fresh temporary directory removed on exit.

    Yields
    ------
    duckdb.DuckDBPyConnection
    """
    import duckdb

    own = temp_directory is None
    tmp = tempfile.mkdtemp(prefix="geotrade-duckdb-") if own else temp_directory
    config: dict[str, Any] = {
        "memory_limit": memory_limit,
        "temp_directory": tmp,
        "preserve_insertion_order": False,
    }
    if threads is not None:
        config["threads"] = int(threads)
    try:
        con = duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:
        msg = f"cannot start DuckDB with memory_limit={memory_limit!r}, threads={threads!r}: {exc}"
        raise EngineError(msg) from exc
    try:
        yield con
    finally:
        con.close()
        if own:
            assert tmp is not None  # made by mkdtemp above
            shutil.rmtree(tmp, ignore_errors=True)


# -----------------------------------------------------------------------------------------
# stage 1: scan -> filter -> aggregate, chunk by chunk
# -----------------------------------------------------------------------------------------


def _scan(source: Source, paths: tuple[str, ...]) -> str:
    files = "[" + ", ".join(_q(p) for p in paths) + "]"
    if source.kind == "frame":
        return "src_frame"
    if source.kind == "parquet":
        return f"read_parquet({files})"
    if source.layout == "baci":
        types = "{'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', 'v': 'DOUBLE'}"
    else:
        types = (
            "{'year': 'BIGINT', 'reporter_iso3': 'VARCHAR', 'partner_iso3': 'VARCHAR', "
            "'flow': 'VARCHAR', 'hs_code': 'VARCHAR', 'value_usd': 'DOUBLE'}"
        )
    return f"read_csv({files}, header = true, delim = ',', quote = '\"', types = {types})"


def _chunk_sql(
    source: Source,
    paths: tuple[str, ...],
    *,
    years: list[int] | None,
    hs: list[str] | None,
    flows: tuple[str, ...],
    k_is_text: bool,
) -> str:
    """Return the SQL that aggregates one chunk to ``year, i, j, flow, x, n_rows, n_bad``."""
    scan = _scan(source, paths)
    bad = "CASE WHEN value_usd IS NULL OR isnan(value_usd) OR value_usd < 0 THEN 1 ELSE 0 END"
    if source.layout == "baci":
        where = []
        if years is not None:
            where.append(f"t IN {_in_list(years, numeric=True)}")
        if hs is not None:
            if k_is_text:
                where.append(_hs_condition("lpad(trim(k), 6, '0')", hs))
            else:
                where.append(_hs_condition("k", hs, numeric=True))
        cond = ("WHERE " + " AND ".join(where)) if where else ""
        return f"""
        WITH filtered AS (
            SELECT CAST(t AS BIGINT) AS year, i, j, CAST(v AS DOUBLE) * 1000 AS value_usd
            FROM {scan} {cond}
        ),
        agg AS (
            SELECT year, i, j, SUM(value_usd) AS x, COUNT(*) AS n_rows, SUM({bad}) AS n_bad
            FROM filtered GROUP BY year, i, j
        )
        SELECT agg.year,
               COALESCE(ci.iso3, '_' || CAST(agg.i AS VARCHAR)) AS i,
               COALESCE(cj.iso3, '_' || CAST(agg.j AS VARCHAR)) AS j,
               'export' AS flow, agg.x, agg.n_rows, agg.n_bad
        FROM agg
        LEFT JOIN baci_codes AS ci ON agg.i = ci.code
        LEFT JOIN baci_codes AS cj ON agg.j = cj.code
        """
    where = [f"flow IN {_in_list(flows)}"]
    if years is not None:
        where.append(f"year IN {_in_list(years, numeric=True)}")
    if hs is not None:
        where.append(_hs_condition("hs_code", hs))
    return f"""
    WITH filtered AS (
        SELECT CAST(year AS BIGINT) AS year, {_alias_sql("reporter_iso3")} AS i,
               {_alias_sql("partner_iso3")} AS j, flow,
               CAST(value_usd AS DOUBLE) AS value_usd
        FROM {scan} WHERE {" AND ".join(where)}
    )
    SELECT year, i, j, flow, SUM(value_usd) AS x, COUNT(*) AS n_rows, SUM({bad}) AS n_bad
    FROM filtered GROUP BY year, i, j, flow
    """


def _alias_sql(col: str) -> str:
    """Return SQL applying :data:`geotrade.schema.CODE_ALIASES` (``_490`` -> ``TWN``) to ``col``."""
    cases = " ".join(f"WHEN {_q(a)} THEN {_q(b)}" for a, b in sorted(CODE_ALIASES.items()))
    return f"(CASE upper(trim({col})) {cases} ELSE {col} END)"


def _frame_for_duckdb(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Normalise a DataFrame source (types, codes) so DuckDB sees clean columns."""
    if layout == "baci":
        df = frame.loc[:, ["t", "i", "j", "k", "v"]].copy()
        for c in ("t", "i", "j", "k"):
            df[c] = pd.to_numeric(df[c], errors="raise").astype("int64")
        df["v"] = pd.to_numeric(df["v"], errors="coerce").astype(float)
        return df
    df = frame.loc[:, ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]]

    def code(s: pd.Series) -> pd.Series:
        return s.astype("string").str.strip().str.upper()

    return pd.DataFrame(
        {
            "year": pd.to_numeric(df["year"], errors="raise").astype("int64"),
            "reporter_iso3": code(df["reporter_iso3"]),
            "partner_iso3": code(df["partner_iso3"]),
            "flow": df["flow"].astype(str).str.strip().str.lower(),
            "hs_code": hs_series(df["hs_code"]),
            "value_usd": pd.to_numeric(df["value_usd"], errors="coerce").astype(float),
        }
    )


def _year_range(path: str, col: str) -> tuple[int, int] | None:
    """Min and max of the year column from parquet row-group statistics (None if unknown)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        idx = meta.schema.names.index(col)
        lo, hi = None, None
        for g in range(meta.num_row_groups):
            st = meta.row_group(g).column(idx).statistics
            if st is None or not st.has_min_max:
                return None
            lo = int(st.min) if lo is None else min(lo, int(st.min))
            hi = int(st.max) if hi is None else max(hi, int(st.max))
    except (OSError, ValueError, TypeError):
        return None
    return None if lo is None or hi is None else (lo, hi)  # both are set together


def _chunks(
    con: Any, source: Source, years: list[int] | None
) -> list[tuple[str, tuple[str, ...], list[int] | None]]:
    """Units of work: (label, paths, years) — per year for parquet, per file for CSV.

    For parquet, the row-group statistics of the year column tell which files hold which
    years, so a year's chunk opens only those files (and no extra pass is needed to list
    the years when every file holds one year).
    """
    if source.kind == "frame":
        return [("DataFrame", (), years)]
    if source.kind == "csv":
        return [(os.path.basename(p), (p,), years) for p in source.paths]
    col = "t" if source.layout == "baci" else "year"
    ranges = {p: _year_range(p, col) for p in source.paths}
    if years is None:
        if all(r is not None and r[0] == r[1] for r in ranges.values()):
            years = sorted({r[0] for r in ranges.values() if r is not None})
        else:
            scan = _scan(source, source.paths)
            years = [
                int(r[0])
                for r in con.execute(f"SELECT DISTINCT {col} FROM {scan} ORDER BY 1").fetchall()
            ]
    out: list[tuple[str, tuple[str, ...], list[int] | None]] = []
    for y in years:
        files = tuple(p for p, r in ranges.items() if r is None or r[0] <= y <= r[1])
        if files:
            out.append((str(y), files, [y]))
    return out


def aggregate_exports(
    con: Any,
    source: Source,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    flows: tuple[str, ...] = ("export",),
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Stage 1: create the table ``x(year, i, j, flow, x, n_rows)`` in ``con``.

    Parameters
    ----------
    con
        DuckDB connection (from :func:`connect`).
    source
        Resolved source.
    years, hs_codes
        Optional filters.
    flows
        Flow directions kept from a canonical source (BACI rows are all exports).
    reporter
        Progress: one step per chunk, message ``"<chunk>: <rows> rows"``.

    Returns
    -------
    dict
        ``rows`` (rows selected), ``chunks``, ``seconds``.

    Raises
    ------
    InputFormatError
        If DuckDB cannot parse a file (its message names the line).
    ValidationError
        If selected values are missing or negative.
    """
    import duckdb

    rep = reporter or Reporter()
    ys = None if years is None else sorted({int(y) for y in years})
    hs = normalise_hs(hs_codes)
    if source.kind == "frame":
        con.register("src_frame", _frame_for_duckdb(source.frame, source.layout))
    k_is_text = False
    if source.layout == "baci":
        con.register("baci_codes_df", baci_code_table(source))
        con.execute("CREATE OR REPLACE TEMP TABLE baci_codes AS SELECT * FROM baci_codes_df")
        if source.kind == "parquet":
            desc = con.execute(f"DESCRIBE SELECT k FROM {_scan(source, source.paths)}").fetchall()
            k_is_text = "CHAR" in str(desc[0][1]).upper()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE xraw (year BIGINT, i VARCHAR, j VARCHAR, flow VARCHAR, "
        "x DOUBLE, n_rows BIGINT, n_bad BIGINT)"
    )
    t0 = time.perf_counter()
    total = 0
    try:
        chunks = _chunks(con, source, ys)
        with rep.task("scan", total=len(chunks), message=source.label) as task:
            for label, paths, cy in chunks:
                sql = _chunk_sql(source, paths, years=cy, hs=hs, flows=flows, k_is_text=k_is_text)
                con.execute(f"INSERT INTO xraw {sql}")
                n = con.execute("SELECT COALESCE(SUM(n_rows), 0) FROM xraw").fetchone()[0] - total
                total += int(n)
                task.advance(message=f"{label}: {int(n):,} rows")
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        msg = f"cannot read the input as a {source.layout} table: {first}"
        raise InputFormatError(msg, path=source.label) from exc
    n_bad = con.execute("SELECT COALESCE(SUM(n_bad), 0) FROM xraw").fetchone()[0]
    if n_bad:
        ex = con.execute(
            "SELECT year, i, j, flow, n_bad FROM xraw WHERE n_bad > 0 ORDER BY 1, 2, 3 LIMIT 20"
        ).fetchall()
        col = "v" if source.layout == "baci" else "value_usd"
        problems = [
            Problem(
                f"{nb} missing, NaN or negative value(s) in year {y}, {i} -> {j} ({f}); "
                "values must be non-negative numbers",
                path=source.label,
                column=col,
            )
            for y, i, j, f, nb in ex
        ]
        raise ValidationError(problems)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE x AS SELECT year, i, j, flow, SUM(x) AS x, "
        "SUM(n_rows) AS n_rows FROM xraw GROUP BY year, i, j, flow"
    )
    return {"rows": total, "chunks": len(chunks), "seconds": time.perf_counter() - t0}


# -----------------------------------------------------------------------------------------
# stage 2: metrics on the small aggregated table
# -----------------------------------------------------------------------------------------


def _agg_predicate(col: str) -> str:
    # the one aggregate policy (geotrade.schema): a finite code set
    codes = ", ".join(_q(c) for c in sorted(aggregate_codes()))
    return f"({col} IS NULL OR trim({col}) = '' OR {col} IN ({codes}))"


def _reason_sql() -> str:
    return (
        f"CASE WHEN {_agg_predicate('i')} THEN 'aggregate or missing reporter' "
        f"WHEN {_agg_predicate('j')} THEN 'aggregate or missing partner' "
        "WHEN i = j THEN 'reporter equals partner' END"
    )


def pair_sql(*, table: str = "x", high: float = 0.2, low: float = 0.5) -> str:
    """Return the all-pairs Grubel-Lloyd query on an aggregated export table.

    ``table`` has columns ``year, i, j, flow, x`` (one row per year, exporter, importer).

    Parameters
    ----------
    table
        Name of the aggregated table.
    high, low
        Degree thresholds.

    Returns
    -------
    str
        SQL returning :data:`~geotrade.engine.pandas_engine.PAIR_COLUMNS`.

    Examples
    --------
    >>> "FULL OUTER JOIN" in pair_sql()
    True
    """
    return f"""
    WITH exports AS (                    -- X_ij, aggregates and self pairs removed
        SELECT year, i, j, x FROM {table}
        WHERE flow = 'export' AND ({_reason_sql()}) IS NULL
    ),
    pairs AS (                           -- M_ij = X_ji by a self-join on the reversed pair
        SELECT COALESCE(a.year, b.year) AS year,
               COALESCE(a.i, b.j) AS iso3,
               COALESCE(a.j, b.i) AS partner_iso3,
               COALESCE(a.x, 0.0) AS exports,
               COALESCE(b.x, 0.0) AS imports
        FROM exports AS a
        FULL OUTER JOIN exports AS b ON a.year = b.year AND a.i = b.j AND a.j = b.i
    ),
    scored AS (
        SELECT *, CAST(2 AS DOUBLE) * LEAST(exports, imports) / (exports + imports) AS gl
        FROM pairs WHERE exports + imports > 0
    )
    SELECT year, iso3, partner_iso3, exports, imports, gl,
           CASE WHEN exports >= imports OR gl = 0 THEN gl ELSE -gl END AS "index",
           CASE
               WHEN exports = imports THEN 'balanced'
               WHEN imports = 0 THEN 'partner_one_way'
               WHEN exports = 0 THEN 'focal_one_way'
               ELSE CASE WHEN exports > imports THEN 'partner_' ELSE 'focal_' END
                    || CASE WHEN gl <= {float(high)!r} THEN 'high'
                            WHEN gl < {float(low)!r} THEN 'moderate'
                            ELSE 'low' END
           END AS dependence_class
    FROM scored
    ORDER BY year, iso3, partner_iso3
    """


def excluded_table(con: Any) -> pd.DataFrame:
    """Summary of the aggregated rows excluded from pair metrics (columns ``EXCLUDED_COLUMNS``)."""
    df = con.execute(
        f"""
        WITH r AS (
            SELECT year, CASE WHEN {_agg_predicate("i")} THEN i ELSE j END AS code,
                   {_reason_sql()} AS reason, n_rows, x
            FROM x WHERE flow = 'export'
        )
        SELECT year, COALESCE(code, '') AS code, reason, SUM(n_rows) AS rows, SUM(x) AS value_usd
        FROM r WHERE reason IS NOT NULL
        GROUP BY year, code, reason ORDER BY year, code, reason
        """
    ).df()
    df["year"] = df["year"].astype("int64")
    df["rows"] = df["rows"].astype("int64")
    df["code"] = df["code"].astype(object)
    df["reason"] = df["reason"].astype(object)
    return df.loc[:, list(EXCLUDED_COLUMNS)]


def _to_pairs_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Fix the dtypes (int64 year, float64 values, the default string dtype for codes)."""
    out = pd.DataFrame(
        {
            "year": df["year"].astype("int64"),
            "iso3": df["iso3"].astype(str),
            "partner_iso3": df["partner_iso3"].astype(str),
            "exports": df["exports"].astype(float),
            "imports": df["imports"].astype(float),
            "gl": df["gl"].astype(float),
            "index": df["index"].astype(float),
            "dependence_class": df["dependence_class"].astype(str),
        }
    )
    return out.loc[:, list(PAIR_COLUMNS)].reset_index(drop=True)


def pair_interdependence_duckdb(
    source: Source | pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    memory_limit: str = "1GB",
    threads: int | None = None,
    reporter: Reporter | None = None,
) -> pd.DataFrame:
    """All-pairs Grubel-Lloyd table and dependence classes computed in DuckDB.

    See :func:`geotrade.engine.pair_interdependence` for the definition and parameters.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~geotrade.engine.pandas_engine.PAIR_COLUMNS`; ``attrs`` hold
        ``excluded`` (aggregates, unknown codes, self pairs), ``rows_selected`` and
        ``engine``.
    """
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)
    if isinstance(source, pd.DataFrame):
        from geotrade.engine.sources import resolve_source

        source = resolve_source(source)
    with connect(memory_limit=memory_limit, threads=threads) as con:
        stats = aggregate_exports(
            con, source, years=years, hs_codes=hs_codes, flows=("export",), reporter=reporter
        )
        # via Arrow: string columns stay Arrow-backed (less memory than Python objects)
        out = _to_pairs_frame(con.sql(pair_sql(high=high, low=low)).to_arrow_table().to_pandas())
        excluded = excluded_table(con)
    out.attrs["excluded"] = excluded
    out.attrs["rows_selected"] = stats["rows"]
    out.attrs["engine"] = "duckdb"
    return out
