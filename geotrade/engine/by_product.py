"""Every product of a BACI year: all-pairs Grubel-Lloyd and typology per HS code, to parquet.

:func:`pair_interdependence_by_product` is :func:`geotrade.engine.pair_interdependence`
computed **separately for each product** (each HS code of the data, or of ``hs_codes``)
instead of for the products summed, streamed from DuckDB into one parquet file. A BACI year
(about 11 M rows, 5 000 HS6 codes) gives about 21 M rows; nothing of that size is held in
pandas.

How (DuckDB, three steps per run):

1. **codes** — one pass over ``year, i, j, v`` gives ``n_rows``, ``SUM(v)`` and the number of
   bad values per (year, exporter, importer): at most years x countries² rows. It is used to
   check the values (missing, NaN or negative values stop the run before anything is
   written), to list the excluded rows (aggregates, missing codes, self pairs) exactly as
   ``attrs["excluded"]`` of :func:`~geotrade.engine.pair_interdependence`, and to number the
   kept economies ``0 .. n-1`` in ISO3 order (codes that map to one ISO3 share a number,
   so their trade is summed as in the pandas path).
2. **pairs** — one pass over the data: each export row ``(year, k, i, j, v)`` is sent to its
   *unordered* pair ``{a, b}`` (``a < b``) with its value in the ``a -> b`` or the
   ``b -> a`` column, and one hash aggregation on a packed integer key gives
   ``X_ab`` and ``X_ba`` of every product and pair at once. This replaces the usual
   aggregate + full outer self-join (``M_ij = X_ji``) by a single ``GROUP BY``. Each
   unordered pair then yields its two ordered rows; GL, signed index and class are computed
   in SQL with the definitions of :func:`geotrade.engine.pandas_engine.classify_pairs`.
3. **write** — DuckDB streams Arrow record batches of small integers (economy numbers,
   product, class number) that become dictionary-encoded string columns and are written by
   one :class:`pyarrow.parquet.ParquetWriter`.

The row order of the file is not specified (sort after reading when it matters).

Examples
--------
>>> import pandas as pd, tempfile, os
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "KOR", "CHN", "KOR"],
...     "partner_iso3": ["KOR", "CHN", "USA", "CHN"], "flow": "export",
...     "hs_code": ["850760", "850760", "850760", "280530"],
...     "value_usd": [300.0, 100.0, 50.0, 7.0]})
>>> out = os.path.join(tempfile.mkdtemp(), "pairs.parquet")
>>> info = pair_interdependence_by_product(flows, out=out)
>>> info["rows"], info["products"]
(6, 2)
>>> t = pd.read_parquet(out).astype({"hs_code": str, "iso3": str, "partner_iso3": str})
>>> t = t.sort_values(["hs_code", "iso3", "partner_iso3"])
>>> print(t[["hs_code", "iso3", "partner_iso3", "gl", "dependence_class"]].to_string(index=False))
hs_code iso3 partner_iso3  gl dependence_class
 280530  CHN          KOR 0.0    focal_one_way
 280530  KOR          CHN 0.0  partner_one_way
 850760  CHN          KOR 0.5      partner_low
 850760  CHN          USA 0.0  partner_one_way
 850760  KOR          CHN 0.5        focal_low
 850760  USA          CHN 0.0    focal_one_way
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geotrade.engine import duckdb_engine as dde
from geotrade.engine.pandas_engine import EXCLUDED_COLUMNS, normalise_hs
from geotrade.engine.sources import Source, SourceLike, baci_code_table, resolve_source
from geotrade.errors import InputFormatError, OutputError, Problem, ValidationError
from geotrade.metrics.network import NODE_METRIC_COLUMNS
from geotrade.reporting import Reporter
from geotrade.schema import is_aggregate_code, normalise_codes
from geotrade.typology import DEPENDENCE_CLASSES

__all__ = ["BY_PRODUCT_COLUMNS", "pair_interdependence_by_product"]

#: Columns of the parquet file written by :func:`pair_interdependence_by_product`.
BY_PRODUCT_COLUMNS: tuple[str, ...] = (
    "year",
    "hs_code",
    "iso3",
    "partner_iso3",
    "exports",
    "imports",
    "gl",
    "index",
    "dependence_class",
)

_BITS = 12  # economy numbers are packed in 12 bits each (up to 4 096 economies)
_MAX_ECONOMIES = 1 << _BITS


def _check_thresholds(high: float, low: float) -> None:
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got high={high!r}, low={low!r}"
        raise ValueError(msg)


def _class_sql(high: float, low: float) -> str:
    """Return SQL of the class position in :data:`DEPENDENCE_CLASSES` (from ``x, m, gl``)."""
    pos = {c: n for n, c in enumerate(DEPENDENCE_CLASSES)}
    h, lo = float(high), float(low)
    return f"""CAST(CASE
        WHEN x = m THEN {pos["balanced"]}
        WHEN m = 0 THEN {pos["partner_one_way"]}
        WHEN x = 0 THEN {pos["focal_one_way"]}
        WHEN x > m THEN CASE WHEN gl <= {h!r} THEN {pos["partner_high"]}
                             WHEN gl < {lo!r} THEN {pos["partner_moderate"]}
                             ELSE {pos["partner_low"]} END
        ELSE CASE WHEN gl <= {h!r} THEN {pos["focal_high"]}
                  WHEN gl < {lo!r} THEN {pos["focal_moderate"]}
                  ELSE {pos["focal_low"]} END
    END AS UTINYINT)"""


def _filters(source: Source, *, years: list[int] | None, hs: list[str] | None, k_text: bool):
    """WHERE conditions (list of SQL) of the selected rows."""
    where: list[str] = []
    if source.layout == "baci":
        if years is not None:
            where.append(f"t IN {dde._in_list(years, numeric=True)}")
        if hs is not None:
            if k_text:
                where.append(dde._hs_condition("lpad(trim(k), 6, '0')", hs))
            else:
                where.append(dde._hs_condition("k", hs, numeric=True))
        return where
    where.append("lower(trim(flow)) = 'export'")
    if years is not None:
        where.append(f"year IN {dde._in_list(years, numeric=True)}")
    if hs is not None:
        where.append(dde._hs_condition("hs_code", hs))
    return where


def _columns_sql(source: Source, k_text: bool) -> tuple[str, str, str, str, str]:
    """Return SQL of year, exporter, importer, product and value (USD) of a source row."""
    if source.layout == "baci":
        k = "CAST(lpad(trim(k), 6, '0') AS INTEGER)" if k_text else "CAST(k AS INTEGER)"
        return "CAST(t AS BIGINT)", "i", "j", k, "CAST(v AS DOUBLE) * 1000"
    return (
        "CAST(year AS BIGINT)",
        dde._alias_sql("reporter_iso3"),
        dde._alias_sql("partner_iso3"),
        "hs_code",
        "CAST(value_usd AS DOUBLE)",
    )


def _codes_table(con: Any, source: Source, scan: str, where: list[str], k_text: bool):
    """Step 1: rows, value and bad values per (year, exporter, importer) code."""
    y, i, j, _k, v = _columns_sql(source, k_text)
    bad = f"CASE WHEN {v} IS NULL OR isnan({v}) OR {v} < 0 THEN 1 ELSE 0 END"
    cond = ("WHERE " + " AND ".join(where)) if where else ""
    return con.execute(
        f"""
        SELECT {y} AS year, {i} AS i, {j} AS j, COUNT(*) AS n_rows,
               SUM({v}) AS value_usd, SUM({bad}) AS n_bad
        FROM {scan} {cond} GROUP BY 1, 2, 3
        """
    ).df()


def _economies(source: Source, codes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Map every raw code to its ISO3 and to a number (kept economies) or -1 (excluded)."""
    raw = pd.Series(pd.unique(pd.concat([codes["i"], codes["j"]], ignore_index=True)))
    if source.layout == "baci":
        table = baci_code_table(source).set_index("code")["iso3"]
        num = raw.astype("int64")
        iso = num.map(table).fillna("_" + num.astype(str)).astype(object)
    else:
        iso = normalise_codes(raw.astype(object))
    bad = is_aggregate_code(iso).to_numpy()
    names = sorted({str(c) for c, b in zip(iso, bad, strict=True) if not b})
    if len(names) > _MAX_ECONOMIES:
        msg = f"{len(names)} economies; the by-product engine handles up to {_MAX_ECONOMIES}"
        raise ValidationError([Problem(msg, path=source.label)])
    number = {c: n for n, c in enumerate(names)}
    ids = np.array([-1 if b else number[str(c)] for c, b in zip(iso, bad, strict=True)])
    return pd.DataFrame({"code": raw.to_numpy(), "iso3": iso.to_numpy(), "id": ids}), names


def _excluded(codes: pd.DataFrame, econ: pd.DataFrame) -> pd.DataFrame:
    """``attrs["excluded"]`` of the summed-products table, from the per-code table."""
    iso = dict(zip(econ["code"], econ["iso3"], strict=True))
    ids = dict(zip(econ["code"], econ["id"], strict=True))
    i_id = codes["i"].map(ids).to_numpy()
    j_id = codes["j"].map(ids).to_numpy()
    reason = np.select(
        [i_id < 0, j_id < 0, i_id == j_id],
        [
            "aggregate or missing reporter",
            "aggregate or missing partner",
            "reporter equals partner",
        ],
        "",
    )
    code = np.where(i_id < 0, codes["i"].map(iso), codes["j"].map(iso))
    keep = reason != ""
    ex = pd.DataFrame(
        {
            "year": codes["year"].to_numpy()[keep].astype("int64"),
            "code": pd.Series(code[keep], dtype=object).fillna("").astype(str).to_numpy(),
            "reason": reason[keep].astype(object),
            "rows": codes["n_rows"].to_numpy()[keep].astype("int64"),
            "value_usd": codes["value_usd"].to_numpy()[keep].astype(float),
        }
    )
    out = ex.groupby(["year", "code", "reason"], as_index=False, sort=True)[
        ["rows", "value_usd"]
    ].sum()
    return out.loc[:, list(EXCLUDED_COLUMNS)].reset_index(drop=True)


def _check_values(source: Source, codes: pd.DataFrame) -> None:
    bad = codes[codes["n_bad"] > 0].sort_values(["year", "i", "j"]).head(20)
    if bad.empty:
        return
    col = "v" if source.layout == "baci" else "value_usd"
    raise ValidationError(
        [
            Problem(
                f"{int(r.n_bad)} missing, NaN or negative value(s) in year {int(r.year)}, "
                f"{r.i} -> {r.j}; values must be non-negative numbers",
                path=source.label,
                column=col,
            )
            for r in bad.itertuples()
        ]
    )


def _pairs_sql(source: Source, scan: str, where: list[str], k_text: bool, cls: str) -> str:
    """Step 2: the by-product pair table as small integers (see the module docstring)."""
    y, i, j, k, v = _columns_sql(source, k_text)
    cond = " AND ".join([*where, "ci.id >= 0", "cj.id >= 0", "ci.id <> cj.id"])
    b = _BITS
    mask = (1 << b) - 1
    if source.layout == "baci":
        # one packed integer key: year (10 bits), product (20 bits), a and b (12 bits each)
        key = (
            f"(CAST({y} - 1900 AS BIGINT) << {20 + 2 * b}) | (CAST({k} AS BIGINT) << {2 * b}) "
            f"| (CAST(least(ci.id, cj.id) AS BIGINT) << {b}) | greatest(ci.id, cj.id)"
        )
        group = "key"
        select_key = f"{key} AS key"
        unpack = (
            f"CAST((key >> {20 + 2 * b}) + 1900 AS BIGINT) AS year, "
            f"CAST((key >> {2 * b}) & {(1 << 20) - 1} AS INTEGER) AS hs, "
            f"CAST((key >> {b}) & {mask} AS SMALLINT) AS a, CAST(key & {mask} AS SMALLINT) AS b"
        )
    else:
        pair = f"(CAST(least(ci.id, cj.id) AS BIGINT) << {b}) | greatest(ci.id, cj.id)"
        select_key = f"{y} AS year, {k} AS hs, {pair} AS key"
        group = "year, hs, key"
        unpack = (
            f"year, hs, CAST((key >> {b}) & {mask} AS SMALLINT) AS a, "
            f"CAST(key & {mask} AS SMALLINT) AS b"
        )
    return f"""
    WITH s AS (
        SELECT {select_key},
               CASE WHEN ci.id < cj.id THEN {v} END AS vab,
               CASE WHEN ci.id > cj.id THEN {v} END AS vba
        FROM {scan} AS src
        JOIN econ AS ci ON {i} = ci.code
        JOIN econ AS cj ON {j} = cj.code
        WHERE {cond}
    ),
    u AS (
        SELECT {unpack}, COALESCE(SUM(vab), 0.0) AS xab, COALESCE(SUM(vba), 0.0) AS xba
        FROM s GROUP BY {group}
    ),
    p AS (
        SELECT year, hs, CASE WHEN d THEN a ELSE b END AS i, CASE WHEN d THEN b ELSE a END AS j,
               CASE WHEN d THEN xab ELSE xba END AS x, CASE WHEN d THEN xba ELSE xab END AS m
        FROM u CROSS JOIN (VALUES (true), (false)) AS dd(d) WHERE xab + xba > 0
    ),
    g AS (SELECT *, CAST(2 AS DOUBLE) * least(x, m) / (x + m) AS gl FROM p)
    SELECT year, hs, i, j, x, m, gl,
           CASE WHEN x >= m OR gl = 0 THEN gl ELSE -gl END AS idx, {cls} AS cls
    FROM g
    """


def _econ_for_sql(econ: pd.DataFrame, layout: str) -> pd.DataFrame:
    if layout == "baci":
        return pd.DataFrame(
            {"code": econ["code"].astype("int64"), "id": econ["id"].astype("int16")}
        )
    return pd.DataFrame({"code": econ["code"].astype(str), "id": econ["id"].astype("int16")})


def pair_interdependence_by_product(
    source: SourceLike,
    *,
    out: str | os.PathLike[str],
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    memory_limit: str = "700MB",
    threads: int | None = None,
    country_codes: str | os.PathLike[str] | None = None,
    row_group_size: int = 1_000_000,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """All-pairs Grubel-Lloyd and dependence class of **each product** separately, to parquet.

    For every year, HS code ``k`` (each code of the data, or of the selection ``hs_codes``)
    and ordered pair of economies ``(i, j)``: ``X_ijk`` = sum of export values reported by
    ``i`` to ``j`` in product ``k``, ``M_ijk = X_jik``; one row per ``(year, k, i, j)`` with
    ``X + M > 0``; ``gl``, ``index`` and ``dependence_class`` as in
    :func:`geotrade.engine.pair_interdependence` (which sums the selected products). The
    rows of one product are exactly ``pair_interdependence(source, hs_codes=[k])``.
    Aggregates, missing codes and self pairs are excluded as there.

    Parameters
    ----------
    source
        Canonical DataFrame, canonical or BACI parquet/CSV path, glob or list of paths
        (see :mod:`geotrade.engine.sources`).
    out
        Parquet file to write (replaced atomically: written as ``<out>.part`` first).
    years, hs_codes
        Optional filters; a 2- or 4-digit code selects its subheadings, each kept
        separately.
    high, low
        GL thresholds of the degree: ``gl <= high`` high, ``high < gl < low`` moderate.
    memory_limit, threads
        DuckDB settings; the hash aggregation spills to disk beyond ``memory_limit``. The
        default leaves room for Python, pandas and pyarrow: on a BACI year (11 M rows) the
        whole process stays under 1 GiB (``benchmarks/RESULTS.md``, B5).
    country_codes
        BACI ``country_codes_V*.csv`` (default: the one next to the data, else the packaged
        reference table).
    row_group_size
        Rows per record batch and parquet row group.
    reporter
        Progress reporter (three steps).

    Returns
    -------
    dict
        ``out`` (path), ``rows`` (rows written), ``products``, ``years``, ``rows_selected``
        (input rows used), ``excluded`` (DataFrame, as ``attrs["excluded"]`` of
        :func:`~geotrade.engine.pair_interdependence`), ``seconds`` (per step).

    Raises
    ------
    DataNotFoundError, InputFormatError
        For missing or unreadable inputs.
    ValidationError
        If selected values are missing, NaN or negative (nothing is written).
    OutputError
        If ``out`` cannot be written.

    Notes
    -----
    The parquet columns are :data:`BY_PRODUCT_COLUMNS`: ``year`` int64, ``hs_code``,
    ``iso3``, ``partner_iso3`` and ``dependence_class`` dictionary-encoded strings (read as
    categoricals by pandas), ``exports``, ``imports``, ``gl``, ``index`` float64 (USD;
    BACI ``v`` is multiplied by 1000). Row order is not specified.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> baci = pd.DataFrame({"t": 2022, "i": [156, 410, 156], "j": [410, 156, 842],
    ...     "k": [850760, 850760, 280530], "v": [3.0, 1.0, 2.0]})
    >>> out = os.path.join(tempfile.mkdtemp(), "pairs.parquet")
    >>> pair_interdependence_by_product(baci, out=out)["rows"]
    4
    >>> t = pd.read_parquet(out).astype({"hs_code": str, "iso3": str})
    >>> t = t.sort_values(["hs_code", "iso3"])
    >>> print(t[["hs_code", "iso3", "partner_iso3", "exports", "dependence_class"]].to_string(
    ...     index=False))
    hs_code iso3 partner_iso3  exports dependence_class
     280530  CHN          USA   2000.0  partner_one_way
     280530  USA          CHN      0.0    focal_one_way
     850760  CHN          KOR   3000.0      partner_low
     850760  KOR          CHN   1000.0        focal_low
    """
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    _check_thresholds(high, low)
    rep = reporter or Reporter()
    src = resolve_source(source, country_codes=country_codes)
    ys = None if years is None else sorted({int(y) for y in years})
    hs = normalise_hs(hs_codes)
    target = Path(out)
    if not target.parent.is_dir():
        msg = "the output directory does not exist"
        raise OutputError(msg, path=target)
    tmp = target.with_name(target.name + ".part")
    seconds: dict[str, float] = {}
    with dde.connect(memory_limit=memory_limit, threads=threads) as con:
        if src.kind == "frame":
            assert src.frame is not None  # a "frame" source carries its frame
            con.register("src_frame", dde._frame_for_duckdb(src.frame, src.layout))
        scan = dde._scan(src, src.paths)
        k_text = False
        if src.layout == "baci" and src.kind == "parquet":
            desc = con.execute(f"DESCRIBE SELECT k FROM {scan}").fetchall()
            k_text = "CHAR" in str(desc[0][1]).upper()
        where = _filters(src, years=ys, hs=hs, k_text=k_text)
        with rep.task("by-product pairs", total=3, message=src.label) as task:
            t0 = time.perf_counter()
            try:
                codes = _codes_table(con, src, scan, where, k_text)
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else str(exc)
                msg = f"cannot read the input as a {src.layout} table: {first}"
                raise InputFormatError(msg, path=src.label) from exc
            _check_values(src, codes)
            econ, names = _economies(src, codes)
            excluded = _excluded(codes, econ)
            con.register("econ_df", _econ_for_sql(econ, src.layout))
            con.execute("CREATE OR REPLACE TEMP TABLE econ AS SELECT * FROM econ_df")
            seconds["codes"] = time.perf_counter() - t0
            task.advance(message=f"{int(codes['n_rows'].sum()):,} rows, {len(names)} economies")
            t1 = time.perf_counter()
            sql = _pairs_sql(src, scan, where, k_text, _class_sql(high, low))
            iso_dict = pa.array(names, pa.string())
            cls_dict = pa.array(list(DEPENDENCE_CLASSES), pa.string())
            dict_type = pa.dictionary(pa.int16(), pa.string())
            schema = pa.schema(
                [
                    ("year", pa.int64()),
                    ("hs_code", pa.dictionary(pa.int32(), pa.string())),
                    ("iso3", dict_type),
                    ("partner_iso3", dict_type),
                    ("exports", pa.float64()),
                    ("imports", pa.float64()),
                    ("gl", pa.float64()),
                    ("index", pa.float64()),
                    ("dependence_class", pa.dictionary(pa.int8(), pa.string())),
                ]
            )
            n_out = 0
            products: set[Any] = set()
            yrs: set[int] = set()
            # a writer thread encodes and writes batch n while DuckDB produces batch n + 1
            # (both release the GIL); the queue holds at most one batch waiting
            todo: queue.Queue[Any] = queue.Queue(maxsize=1)
            failed: list[BaseException] = []

            def write_all() -> None:
                try:
                    with pq.ParquetWriter(
                        tmp,
                        schema,
                        compression="snappy",
                        # dictionary pages for the codes only: the float columns are nearly
                        # all distinct, and trying a dictionary for them doubles the time
                        use_dictionary=[
                            "year",
                            "hs_code",
                            "iso3",
                            "partner_iso3",
                            "dependence_class",
                        ],
                    ) as writer:
                        while (item := todo.get()) is not None:
                            writer.write_batch(item)
                except BaseException as exc:  # reported by the main thread
                    failed.append(exc)
                    while todo.get() is not None:  # let the producer finish
                        pass

            thread = threading.Thread(target=write_all, name="geotrade-parquet-writer")
            thread.start()
            try:
                reader = con.sql(sql).to_arrow_reader(row_group_size)
                for batch in reader:
                    if batch.num_rows == 0:
                        continue
                    hs_col = pc.dictionary_encode(batch.column("hs"))
                    hs_vals = hs_col.dictionary
                    products.update(hs_vals.to_pylist())
                    if src.layout == "baci":
                        hs_vals = pa.array(
                            [f"{int(h):06d}" for h in hs_vals.to_pylist()], pa.string()
                        )
                    else:
                        hs_vals = hs_vals.cast(pa.string())
                    years_col = batch.column("year")
                    yrs.update(pc.unique(years_col).to_pylist())
                    cols = [
                        years_col.cast(pa.int64()),
                        pa.DictionaryArray.from_arrays(hs_col.indices.cast(pa.int32()), hs_vals),
                        pa.DictionaryArray.from_arrays(
                            batch.column("i").cast(pa.int16()), iso_dict
                        ),
                        pa.DictionaryArray.from_arrays(
                            batch.column("j").cast(pa.int16()), iso_dict
                        ),
                        batch.column("x"),
                        batch.column("m"),
                        batch.column("gl"),
                        batch.column("idx"),
                        pa.DictionaryArray.from_arrays(
                            batch.column("cls").cast(pa.int8()), cls_dict
                        ),
                    ]
                    todo.put(pa.RecordBatch.from_arrays(cols, schema=schema))
                    n_out += batch.num_rows
                    if failed:
                        break
            except duckdb.Error as exc:
                todo.put(None)
                thread.join()
                tmp.unlink(missing_ok=True)
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else str(exc)
                msg = f"cannot compute the by-product pairs: {first}"
                raise InputFormatError(msg, path=src.label) from exc
            except BaseException:
                todo.put(None)
                thread.join()
                tmp.unlink(missing_ok=True)
                raise
            todo.put(None)
            thread.join()
            if failed:
                tmp.unlink(missing_ok=True)
                error = failed[0]
                if isinstance(error, OSError):
                    msg = f"cannot write the parquet file ({error})"
                    raise OutputError(msg, path=target) from error
                raise error
            try:
                os.replace(tmp, target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise OutputError(f"cannot write the parquet file ({exc})", path=target) from exc
            seconds["pairs_and_write"] = time.perf_counter() - t1
            task.advance(message=f"{n_out:,} pair rows, {len(products):,} products")
            task.advance(message=str(target))
    return {
        "out": str(target),
        "rows": n_out,
        "products": len(products),
        "years": sorted(int(y) for y in yrs),
        "rows_selected": int(codes["n_rows"].sum()),
        "economies": len(names),
        "excluded": excluded,
        "seconds": seconds,
    }


# -----------------------------------------------------------------------------------------
# network metrics of every product
# -----------------------------------------------------------------------------------------

NODE_COLUMNS: tuple[str, ...] = ("year", "hs_code", *NODE_METRIC_COLUMNS[1:])
SUMMARY_COLUMNS: tuple[str, ...] = (
    "year",
    "hs_code",
    "nodes",
    "edges",
    "density",
    "reciprocity",
    "communities",
    "modularity",
    "total_exports_usd",
)


def _dict_column(table: Any, name: str) -> tuple[np.ndarray, list[str]]:
    """Return indices (int32) and values of a string column, one dictionary for all chunks."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = table.column(name)
    if not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(col)
    col = col.unify_dictionaries() if isinstance(col, pa.ChunkedArray) else col
    if isinstance(col, pa.ChunkedArray):
        chunks = col.chunks
        values = chunks[0].dictionary if chunks else pa.array([], pa.string())
        idx = (
            np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
            if chunks
            else np.zeros(0, np.int64)
        )
    else:
        values, idx = col.dictionary, col.indices.to_numpy(zero_copy_only=False)
    return idx.astype(np.int32), [str(v) for v in values.to_pylist()]


def network_metrics_by_product(
    pairs: str | os.PathLike[str] | pd.DataFrame,
    *,
    nodes_out: str | os.PathLike[str] | None = None,
    summary_out: str | os.PathLike[str] | None = None,
    communities: bool = False,
    threads: int | None = None,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Node and network metrics of the export network of every product and year.

    The same definitions as :func:`geotrade.metrics.network.node_metrics` and
    :func:`geotrade.metrics.network.network_summary`, for each ``(year, hs_code)`` of a
    by-product pair table (:func:`pair_interdependence_by_product`): the directed graph has
    an edge ``i -> j`` weighted by ``X_ij`` for every ``X_ij > 0``. Degrees, strengths,
    partner and dependence counts, density and reciprocity are counted for all products at
    once (``numpy.bincount`` over ``(product, economy)`` keys); betweenness (normalised,
    unweighted) is Brandes' algorithm compiled by numba, graphs spread over the threads.

    Parameters
    ----------
    pairs
        The parquet file written by :func:`pair_interdependence_by_product`, or a DataFrame
        with its columns.
    nodes_out, summary_out
        Optional parquet files for the two tables.
    communities
        Also find Louvain communities on every graph (compiled; the same partition as
        networkx's seeded Louvain, as :func:`~geotrade.metrics.network.node_metrics`
        finds it; about 1 ms per product, ``benchmarks/RESULTS.md``, B5). Without it
        ``community``, ``communities`` and ``modularity`` are missing.
    threads
        numba threads for the betweenness, and threads for the communities (``None``:
        numba's default, the number of cores).
    reporter
        Progress reporter.

    Returns
    -------
    dict
        ``nodes`` (columns :data:`NODE_COLUMNS`), ``summary`` (:data:`SUMMARY_COLUMNS`),
        ``products`` (number of year-product graphs), ``seconds`` (per step).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "DEU", "CHN", "USA"],
    ...     "partner_iso3": ["DEU", "CHN", "USA", "DEU"], "flow": "export",
    ...     "hs_code": ["850760", "850760", "850760", "280530"],
    ...     "value_usd": [90.0, 10.0, 50.0, 5.0]})
    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "pairs.parquet")
    >>> _ = pair_interdependence_by_product(flows, out=out)
    >>> net = network_metrics_by_product(out)
    >>> net["summary"][["hs_code", "nodes", "edges", "density", "reciprocity"]]
      hs_code  nodes  edges  density  reciprocity
    0  280530      2      1      0.5     0.000000
    1  850760      3      3      0.5     0.666667
    >>> n = net["nodes"]
    >>> n.loc[n["hs_code"] == "850760", ["iso3", "out_degree", "in_degree", "betweenness"]]
      iso3  out_degree  in_degree  betweenness
    2  CHN           2          1          0.5
    3  DEU           1          1          0.0
    4  USA           0          1          0.0
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geotrade.engine._betweenness import batched_betweenness

    rep = reporter or Reporter()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()

    def column(name: str) -> Any:  # one column at a time: the peak is one column, not all
        if isinstance(pairs, pd.DataFrame):
            return pa.Table.from_pandas(pairs.loc[:, [name]], preserve_index=False)
        return pq.read_table(os.fspath(pairs), columns=[name])

    year = column("year").column(0).to_numpy()
    y0 = int(year.min()) if year.size else 0
    year = (year - y0).astype(np.int32)
    hs_idx, hs_names = _dict_column(column("hs_code"), "hs_code")
    n_hs = max(len(hs_names), 1)
    graph = year * np.int32(n_hs) + hs_idx  # (year, product) number, int32
    del year, hs_idx
    used = np.bincount(graph, minlength=1) > 0 if graph.size else np.zeros(0, bool)
    dense = (np.cumsum(used) - 1).astype(np.int32)
    graph = dense[graph]
    n_g = int(used.sum())
    g_year = (np.flatnonzero(used) // n_hs) + y0
    g_hs = np.asarray(hs_names, dtype=object)[np.flatnonzero(used) % n_hs]
    i_idx, names = _dict_column(column("iso3"), "iso3")
    n_e = max(len(names), 1)
    size = n_g * n_e
    key_type = np.int32 if size < 2**31 else np.int64
    key = graph.astype(key_type) * n_e + i_idx  # (graph, exporter) number
    del i_idx
    j_raw, j_names = _dict_column(column("partner_iso3"), "partner_iso3")
    if j_names != names:  # re-number the partners in the iso3 dictionary
        pos = {c: n for n, c in enumerate(names)}
        j_raw = np.array([pos[c] for c in j_names], dtype=np.int32)[j_raw]
    tkey = graph.astype(key_type) * n_e + j_raw  # (graph, importer) number
    del j_raw
    cls_idx, cls_names = _dict_column(column("dependence_class"), "dependence_class")
    side = np.array([c.split("_", 1)[0] for c in cls_names], dtype=object)
    n_partners = np.bincount(key, minlength=size)
    n_depend_on = np.bincount(key[(side == "partner")[cls_idx]], minlength=size)
    n_depends = np.bincount(key[(side == "focal")[cls_idx]], minlength=size)
    exports = column("exports").column(0).to_numpy()
    seconds["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    edge = exports > 0
    src = key[edge]
    tgt = tkey[edge]
    w = exports[edge]
    one_way = np.array([c == "partner_one_way" for c in cls_names])[cls_idx[edge]]
    del key, tkey, exports, cls_idx
    edge_graph = graph[edge]
    del graph, edge
    out_deg = np.bincount(src, minlength=size)
    in_deg = np.bincount(tgt, minlength=size)
    out_str = np.bincount(src, weights=w, minlength=size)
    in_str = np.bincount(tgt, weights=w, minlength=size)
    present = np.flatnonzero(n_partners > 0)
    rank = np.full(size, -1, dtype=np.int64)
    rank[present] = np.arange(present.size)
    nodes_per_graph = np.bincount(present // n_e, minlength=n_g)
    node_ptr = np.concatenate([[0], np.cumsum(nodes_per_graph)])
    edges_per_graph = np.bincount(edge_graph, minlength=n_g)
    mutual = np.bincount(edge_graph[~one_way], minlength=n_g)
    total = np.bincount(edge_graph, weights=w, minlength=n_g)
    del edge_graph, one_way
    seconds["counts"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    order = np.argsort(src.astype(np.int64) * n_e + tgt % n_e)  # by source, then target
    src = src[order]
    tgt = tgt[order]
    w = w[order]
    del order
    s_rank = rank[src]
    t_local = (rank[tgt] - node_ptr[tgt // n_e]).astype(np.int32)
    del src, tgt
    edge_ptr = np.concatenate([[0], np.cumsum(np.bincount(s_rank, minlength=present.size))])
    if threads is not None:
        try:
            import numba

            most = int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))
            numba.set_num_threads(max(1, min(int(threads), most)))
        except ImportError:  # pragma: no cover - numba is a dependency
            pass
    with rep.task("betweenness", total=1, message=f"{n_g:,} graphs") as task:
        btw = batched_betweenness(node_ptr, edge_ptr, t_local)
        task.advance()
    seconds["betweenness"] = time.perf_counter() - t2
    p_graph = present // n_e
    nodes = pd.DataFrame(
        {
            "year": g_year[p_graph].astype("int64"),
            "hs_code": g_hs[p_graph],
            "iso3": np.asarray(names, dtype=object)[present % n_e],
            "out_degree": out_deg[present].astype("int64"),
            "in_degree": in_deg[present].astype("int64"),
            "degree": (out_deg + in_deg)[present].astype("int64"),
            "out_strength": out_str[present],
            "in_strength": in_str[present],
            "strength": out_str[present] + in_str[present],
            "betweenness": btw,
            "community": np.full(present.size, -1, dtype="int64"),
            "n_partners": n_partners[present].astype("int64"),
            "n_depend_on": n_depend_on[present].astype("int64"),
            "n_depends": n_depends[present].astype("int64"),
        }
    )
    npart = nodes["n_partners"].where(nodes["n_partners"] > 0)
    nodes["share_depend_on_pct"] = 100.0 * nodes["n_depend_on"] / npart
    nodes["share_depends_pct"] = 100.0 * nodes["n_depends"] / npart
    n_nodes = nodes_per_graph.astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(n_nodes > 1, edges_per_graph / (n_nodes * (n_nodes - 1.0)), np.nan)
        recip = np.where(edges_per_graph > 0, mutual / edges_per_graph, np.nan)
    summary = pd.DataFrame(
        {
            "year": g_year.astype("int64"),
            "hs_code": g_hs,
            "nodes": n_nodes,
            "edges": edges_per_graph.astype("int64"),
            "density": density,
            "reciprocity": recip,
            "communities": np.zeros(n_g, dtype="int64"),
            "modularity": np.full(n_g, np.nan),
            "total_exports_usd": total,
        }
    )
    if communities:
        t3 = time.perf_counter()
        _louvain_all(nodes, summary, node_ptr, edge_ptr, t_local, w, rep, threads=threads)
        seconds["communities"] = time.perf_counter() - t3
    else:
        nodes = nodes.drop(columns="community")
        summary = summary.drop(columns=["communities", "modularity"])
    nodes = nodes.sort_values(["year", "hs_code", "iso3"], kind="stable").reset_index(drop=True)
    summary = summary.sort_values(["year", "hs_code"], kind="stable").reset_index(drop=True)
    t4 = time.perf_counter()
    for frame, path in ((nodes, nodes_out), (summary, summary_out)):
        if path is not None:
            target = Path(path)
            tmp = target.with_name(target.name + ".part")
            try:
                frame.to_parquet(tmp, index=False)
                os.replace(tmp, target)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise OutputError(f"cannot write the parquet file ({exc})", path=target) from exc
    seconds["write"] = time.perf_counter() - t4
    return {"nodes": nodes, "summary": summary, "products": n_g, "seconds": seconds}


def _louvain_all(nodes, summary, node_ptr, edge_ptr, targets, weights, rep, *, threads) -> None:
    """Louvain communities of every graph, as ``node_metrics`` finds them on ``trade_graph``.

    The CSR graph is already in ``trade_graph``'s order (sorted nodes, out-edges in CSR
    order), so the compiled Louvain takes it as it is. The compiled steps release the GIL,
    so chunks of graphs run in a thread pool; results do not depend on the thread count
    (every graph has its own seeded generator).
    """
    from concurrent.futures import ThreadPoolExecutor

    from geotrade.engine._louvain import louvain
    from geotrade.metrics.network import LOUVAIN_SEED

    comm = nodes["community"].to_numpy().copy()
    n_comm = summary["communities"].to_numpy().copy()
    modularity = summary["modularity"].to_numpy().copy()
    n_g = len(summary)

    def chunk(bounds: tuple[int, int]) -> int:
        for g in range(*bounds):
            lo, hi = int(node_ptr[g]), int(node_ptr[g + 1])
            e_lo, e_hi = int(edge_ptr[lo]), int(edge_ptr[hi])
            src = np.repeat(np.arange(hi - lo), np.diff(edge_ptr[lo : hi + 1]))
            member, q = louvain(
                hi - lo, src, targets[e_lo:e_hi], weights[e_lo:e_hi], seed=LOUVAIN_SEED
            )
            comm[lo:hi] = member
            n_comm[g] = int(member.max()) + 1 if member.size else 0
            modularity[g] = q
        return bounds[1] - bounds[0]

    workers = max(1, int(threads) if threads is not None else (os.cpu_count() or 1))
    step = 64
    parts = [(a, min(a + step, n_g)) for a in range(0, n_g, step)]
    with rep.task("communities", total=n_g) as task:
        if n_g:
            task.advance(chunk((0, 1)))  # compile (or load) the kernels outside the pool
            parts[0] = (1, parts[0][1])
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(chunk, parts):
                task.advance(done)
    nodes["community"] = comm
    summary["communities"] = n_comm
    summary["modularity"] = modularity
