"""Convert flow files to canonical parquet (bounded memory) and summarise them.

:func:`convert_flows` streams any supported flow file (:mod:`geotrade.io.readers`) in
checked chunks into a staging parquet file (``pyarrow.parquet.ParquetWriter``), then lets
DuckDB look for duplicate keys across the whole file and write the final canonical parquet
(resolving duplicates with ``dedupe="sum"``/``"first"``). DuckDB spills to disk, so memory
stays bounded by the chunk size whatever the file size. The output appears atomically.

:func:`inspect_flows` summarises a file (years, reporters, partners, products, units,
totals by year and flow, aggregates, problems) in one streamed pass.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError
from geotrade.io.atomic import atomic_path
from geotrade.io.canonical import (
    CANONICAL_COLUMNS,
    DUPLICATE_KEY,
    OPTIONAL_COLUMNS,
    ROW,
    Dedupe,
    finish_flows,
    hs_level,
)
from geotrade.io.readers import FlowFormat, iter_flows
from geotrade.io.readers._codes import UnknownCodes
from geotrade.io.readers._tabular import ReaderWarning
from geotrade.reporting import Reporter
from geotrade.schema import TOTAL_KINDS, code_kinds, is_aggregate_code

__all__ = ["ConvertResult", "convert_flows", "inspect_flows"]

_CONVERT_CHUNK = 250_000


class ConvertResult(dict):
    """Summary of a conversion: ``rows``, ``duplicates``, ``format``, ``seconds`` ..."""


@contextlib.contextmanager
def _reader_warnings(rep: Reporter | None = None) -> Iterator[list[str]]:
    """Collect the readers' :class:`ReaderWarning` messages (once each) into a list.

    Each is also logged as a ``warning`` on ``rep``; other warnings pass through.
    """
    found: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReaderWarning)
        try:
            yield found
        finally:
            others = []
            for w in caught:
                if not issubclass(w.category, ReaderWarning):
                    others.append(w)
                elif str(w.message) not in found:
                    found.append(str(w.message))
                    if rep is not None:
                        rep.log(str(w.message), level="warning")
    for w in others:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


#: Parquet key-value metadata: the ``unknown_codes`` choice a file was converted with.
KV_UNKNOWN_CODES = "geotrade.unknown_codes"


def _schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa

    types = {"year": pa.int64(), "value_usd": pa.float64(), "quantity": pa.float64()}
    types |= {"is_aggregate": pa.bool_(), ROW: pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _columns(chunk: pd.DataFrame) -> list[str]:
    cols = [*CANONICAL_COLUMNS] + [c for c in OPTIONAL_COLUMNS if c in chunk.columns]
    return [*cols, ROW]


def _sql_list(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def convert_flows(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    format: FlowFormat = "auto",
    dedupe: Dedupe = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    unknown_codes: UnknownCodes = "error",
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _CONVERT_CHUNK,
    memory_limit: str = "256MB",
    reporter_: Reporter | None = None,
) -> ConvertResult:
    """Convert a flow file to a canonical parquet file with bounded memory.

    Parameters
    ----------
    path
        Any file :func:`geotrade.read_flows` reads.
    out
        The parquet file to write (replaced atomically).
    format, dedupe, reporter, hs, unknown_codes, member, sheet
        As for :func:`geotrade.read_flows`.
    chunksize
        Rows per chunk while reading.
    memory_limit
        DuckDB's memory limit for the duplicate check and the final write.
    reporter_
        Progress reporter (one ``advance`` per chunk).

    Returns
    -------
    ConvertResult
        ``{"rows", "duplicates", "format", "chunks", "excluded", "warnings", "seconds",
        "out"}``; ``warnings`` lists the readers' warnings (encoding guessed as GBK/GB18030,
        implausible BACI values ...), also logged on ``reporter_``.

    Raises
    ------
    InputFormatError, ValidationError, DataNotFoundError, OutputError
        Nothing is written then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from importlib import resources
    >>> demo = resources.files("geotrade").joinpath(
    ...     "data", "demo", "synthetic_li_ion_trade_2012_2022.csv")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "demo.parquet"
    >>> res = convert_flows(demo, out)
    >>> res["rows"], res["format"], len(pd.read_parquet(out)) == res["rows"]
    (2263, 'canonical', True)
    """
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        from geotrade.errors import UsageError

        msg = f"chunksize must be a whole number of rows >= 1, got {chunksize!r}"
        raise UsageError(msg, column="chunksize")
    t0 = time.perf_counter()
    rep = reporter_ if reporter_ is not None else Reporter()
    info: dict[str, object] = {}
    out = Path(out)
    n_rows = n_chunks = 0
    with _reader_warnings(rep) as notes, atomic_path(out) as tmp:
        stage = tmp.with_name(tmp.name + ".stage.parquet")
        writer = None
        cols: list[str] = []
        try:
            with rep.task("convert", None, f"reading {Path(path).name}") as task:
                for chunk in iter_flows(
                    path,
                    format=format,
                    unknown_codes=unknown_codes,
                    reporter=reporter,
                    hs=hs,
                    member=member,
                    sheet=sheet,
                    chunksize=chunksize,
                    info=info,
                ):
                    if writer is None:
                        cols = _columns(chunk)
                        writer = pq.ParquetWriter(stage, _schema(cols), compression="zstd")
                    frame = finish_flows(chunk.reindex(columns=cols))
                    frame[ROW] = chunk[ROW].to_numpy(dtype="int64")
                    table = pa.Table.from_pandas(frame, schema=_schema(cols), preserve_index=False)
                    writer.write_table(table)
                    n_rows += len(frame)
                    n_chunks += 1
                    task.advance(message=f"{n_rows:,} rows")
            if writer is None:  # everything filtered out
                cols = [*CANONICAL_COLUMNS, "is_aggregate", ROW]
                writer = pq.ParquetWriter(stage, _schema(cols), compression="zstd")
            writer.close()
            writer = None
            n_dup, n_out = _finish(
                duckdb, stage, tmp, cols, dedupe, path, memory_limit, unknown_codes=unknown_codes
            )
        finally:
            if writer is not None:
                writer.close()
            stage.unlink(missing_ok=True)
    return ConvertResult(
        rows=n_out,
        rows_read=n_rows,
        duplicates=n_dup,
        format=info.get("format"),
        chunks=n_chunks,
        excluded=info.get("excluded", []),
        warnings=notes,
        seconds=round(time.perf_counter() - t0, 3),
        out=str(out),
    )


def _finish(
    duckdb: Any,
    stage: Path,
    target: Path,
    cols: list[str],
    dedupe: Dedupe,
    path: str | os.PathLike[str],
    memory_limit: str,
    *,
    unknown_codes: str = "error",
) -> tuple[int, int]:
    key = _sql_list(DUPLICATE_KEY)
    data = [c for c in cols if c != ROW]
    src = f"read_parquet('{stage.as_posix()}')"
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 1})
    try:
        con.execute("SET enable_progress_bar=false")
        con.execute(f"SET temp_directory='{stage.parent.as_posix()}/.duckdb_tmp'")
        dups = con.execute(
            f'SELECT {key}, list("{ROW}" ORDER BY "{ROW}")[1:10], count(*) AS n, '
            f"count(*) OVER () AS groups FROM {src} GROUP BY ALL HAVING count(*) > 1 "
            f'ORDER BY min("{ROW}") LIMIT 20'
        ).fetchall()
        n_dup = 0
        if dups:
            n_dup = int(
                con.execute(
                    f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {src} "
                    f"GROUP BY {key} HAVING count(*) > 1)"
                ).fetchone()[0]
            )
        if dups and dedupe == "error":
            problems = [
                Problem(
                    f"duplicate key (year, reporter, partner, flow, hs_code) = {tuple(r[:5])} on "
                    f"rows {', '.join(map(str, r[5]))}"
                    f"{' (+more)' if r[6] > 10 else ''}; remove the duplicates or convert with "
                    "--dedupe sum (add them up) or --dedupe first (keep the first)",
                    path=str(path),
                    row=int(r[5][1]),
                )
                for r in dups
            ]
            if dups[0][7] > len(dups):
                problems.append(
                    Problem(
                        f"... and {dups[0][7] - len(dups)} more duplicated keys", path=str(path)
                    )
                )
            raise ValidationError(problems)
        if dups and dedupe == "sum":
            rest = [
                c
                for c in data
                if c not in (*DUPLICATE_KEY, "value_usd", "quantity", "is_aggregate")
            ]
            agg = [f'arg_min("{c}", "{ROW}") AS "{c}"' for c in rest]
            agg += ['sum("value_usd") AS "value_usd"', 'sum("quantity") AS "quantity"']
            agg += ['bool_or("is_aggregate") AS "is_aggregate"']
            query = (
                f"SELECT {_sql_list(data)} FROM (SELECT {key}, {', '.join(agg)}, "
                f'min("{ROW}") AS first_row FROM {src} GROUP BY {key}) ORDER BY first_row'
            )
        elif dups and dedupe == "first":
            query = (
                f"SELECT {_sql_list(data)} FROM {src} QUALIFY row_number() OVER "
                f'(PARTITION BY {key} ORDER BY "{ROW}") = 1 ORDER BY "{ROW}"'
            )
        else:
            query = f"SELECT {_sql_list(data)} FROM {src}"
        # the file records the code choice it was written with, so that every command reads
        # what convert kept (geotrade.io.readers.canonical_csv honours it)
        kv = f", KV_METADATA {{'{KV_UNKNOWN_CODES}': '{unknown_codes}'}}"
        con.execute(
            f"COPY ({query}) TO '{target.as_posix()}' (FORMAT parquet, COMPRESSION zstd{kv})"
        )
        n_out = int(
            con.execute(f"SELECT count(*) FROM read_parquet('{target.as_posix()}')").fetchone()[0]
        )
    finally:
        con.close()
        tmpdir = stage.parent / ".duckdb_tmp"
        if tmpdir.is_dir():
            for f in tmpdir.iterdir():
                f.unlink(missing_ok=True)
            tmpdir.rmdir()
    return n_dup, n_out


def _examples(counter: Counter[str], n: int = 8) -> dict[str, Any]:
    return {"count": len(counter), "examples": [k for k, _ in counter.most_common(n)]}


def inspect_flows(
    path: str | os.PathLike[str],
    *,
    format: FlowFormat = "auto",
    member: str | None = None,
    sheet: str | int | None = None,
) -> dict[str, Any]:
    """Summarise a flow file without failing on its problems.

    Unknown area codes are kept (numeric ones as ``_<code>``) and reported; duplicate keys
    are counted; bad cells are listed under ``problems`` (then the other fields describe
    nothing). Reader warnings (an encoding guessed as GBK/GB18030, implausible values) are
    listed under ``warnings``. A World Bank indicator file (WDI/WGI) is summarised as
    indicators (``format="wdi"``; reporters = economies, products = indicators, plus
    ``countries``, ``indicators``, ``aggregate_areas``, ``empty_cells``) with a warning that
    it is not a trade flow table; so is the IMF "Trade in Low Carbon Technology Products"
    file (``format="imf-lct"``: reporters = economies, products = indicators, ``totals`` =
    the US-dollar exports and imports of the economies by year, plus ``indicators``,
    ``aggregate_areas``, ``no_iso3``). The product levels present (``TOTAL``, ``HS2``,
    ``HS4``, ``HS6``) are under ``levels``: a file mixing levels counts trade twice when
    its rows are added up.

    Returns
    -------
    dict
        ``format, rows, years, reporters, partners, products, units, valuations,
        revisions, totals (list of {year, flow, value_usd, rows}), aggregates, excluded,
        problems, warnings`` (JSON-serialisable).

    Examples
    --------
    >>> from importlib import resources
    >>> demo = resources.files("geotrade").joinpath(
    ...     "data", "demo", "synthetic_li_ion_trade_2012_2022.csv")
    >>> s = inspect_flows(demo)
    >>> s["format"], s["years"][0], s["reporters"]["examples"], s["problems"]
    ('canonical', 2012, ['CHN'], [])
    """
    from geotrade.io.detect import detect_format

    with _reader_warnings() as notes:
        fmt = detect_format(path, member=member) if format == "auto" else format
        if fmt == "wdi":
            summary = _inspect_wdi(path, member=member)
        elif fmt == "imf-lct":
            summary = _inspect_imf_lct(path, member=member)
        else:
            summary = _inspect_flows(path, fmt=fmt, member=member, sheet=sheet)
    summary["warnings"] = [*summary.get("warnings", []), *notes]
    return summary


def _inspect_wdi(path: str | os.PathLike[str], *, member: str | None) -> dict[str, Any]:
    """Summarise a World Bank indicator file in the shape of :func:`inspect_flows`."""
    from geotrade.io.readers import read_wdi

    t = read_wdi(path, member=member)
    countries = Counter(t.loc[~t["is_aggregate"], "iso3"].tolist())
    indicators = Counter(t["indicator"].tolist())
    aggs = t.loc[t["is_aggregate"]].groupby("iso3")["value"].size()
    return {
        "format": "wdi",
        "rows": len(t),
        "years": sorted(int(y) for y in t["year"].unique()),
        "reporters": _examples(countries),
        "partners": _examples(Counter()),
        "products": _examples(indicators),
        "units": {},
        "valuations": {},
        "revisions": {},
        "totals": [],
        "aggregates": [],
        "countries": _examples(countries),
        "indicators": {
            str(k): str(v)
            for k, v in t.drop_duplicates("indicator")[["indicator", "indicator_name"]].itertuples(
                index=False
            )
        },
        "aggregate_areas": {str(k): int(v) for k, v in aggs.items()},
        "empty_cells": int(t.attrs.get("empty_cells", 0)),
        "excluded": [],
        "problems": [],
        "warnings": [
            f"{path}: this is a World Bank indicator file (WDI/WGI), not a trade flow table: "
            "summarised as indicators (reporters = economies, products = indicators). Use it "
            "as covariates (geotrade.io.readers.read_wdi), not with the trade commands"
        ],
    }


def _inspect_imf_lct(path: str | os.PathLike[str], *, member: str | None) -> dict[str, Any]:
    """Summarise an IMF LCT file in the shape of :func:`inspect_flows`."""
    from geotrade.io.readers import read_imf_lct

    t = read_imf_lct(path, member=member)
    economies = t.loc[~t["is_aggregate"] & t["iso3"].notna()]
    dollars = economies.loc[economies["flow"].isin(["export", "import"])]
    tot = dollars.groupby(["year", "flow"])["value_usd"].agg(["sum", "size"]).reset_index()
    aggs = t.loc[t["is_aggregate"] & t["flow"].isin(["export", "import"])]
    agt = aggs.groupby(["iso3", "flow"])["value_usd"].agg(["sum", "size"]).reset_index()
    return {
        "format": "imf-lct",
        "rows": len(t),
        "years": sorted(int(y) for y in t["year"].unique()),
        "reporters": _examples(Counter(economies["iso3"].tolist())),
        "partners": _examples(Counter()),
        "products": _examples(Counter(t["indicator"].tolist()), 11),
        "levels": {},
        "units": {str(k): int(v) for k, v in t["unit"].value_counts().items()},
        "valuations": {},
        "revisions": {},
        "totals": [
            {
                "year": int(r.year),
                "flow": str(r.flow),
                "value_usd": float(r.sum),
                "rows": int(r.size),
            }
            for r in tot.itertuples()
        ],
        "aggregates": [
            {
                "code": str(r.iso3),
                "hs_code": str(r.flow),
                "value_usd": float(r.sum),
                "rows": int(r.size),
            }
            for r in agt.itertuples()
        ],
        "indicators": {
            str(k): str(v)
            for k, v in t.drop_duplicates("indicator")[["indicator", "unit"]].itertuples(
                index=False
            )
        },
        "aggregate_areas": {
            str(k): int(v) for k, v in t.loc[t["is_aggregate"]].groupby("iso3").size().items()
        },
        "no_iso3": list(t.attrs.get("no_iso3", [])),
        "empty_cells": int(t.attrs.get("empty_cells", 0)),
        "excluded": [],
        "problems": [],
        "warnings": [
            f"{path}: this is the IMF 'Trade in Low Carbon Technology Products' file: country "
            "totals by indicator (no partner, no product), not a trade flow table; summarised as "
            "indicators (totals = US-dollar exports and imports of the economies). Read it with "
            "geotrade.io.readers.read_imf_lct"
        ],
    }


def _inspect_flows(
    path: str | os.PathLike[str],
    *,
    fmt: str,
    member: str | None,
    sheet: str | int | None,
) -> dict[str, Any]:
    from geotrade.io.readers.canonical_csv import known_area_codes

    info: dict[str, object] = {}
    reporters: Counter[str] = Counter()
    partners: Counter[str] = Counter()
    products: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    units: Counter[str] = Counter()
    valuations: Counter[str] = Counter()
    revisions: Counter[str] = Counter()
    totals: list[pd.DataFrame] = []
    aggs: list[pd.DataFrame] = []
    hashes: list[np.ndarray] = []
    years: set[int] = set()
    rows = 0
    problems: list[dict[str, Any]] = []
    try:
        for chunk in iter_flows(
            path,
            format=fmt,  # type: ignore[arg-type]
            unknown_codes="keep",
            member=member,
            sheet=sheet,
            info=info,
        ):
            rows += len(chunk)
            years |= set(chunk["year"].unique().tolist())
            for counter, col in (
                (reporters, "reporter_iso3"),
                (partners, "partner_iso3"),
                (products, "hs_code"),
                (units, "quantity_unit"),
                (valuations, "valuation"),
                (revisions, "hs_revision"),
            ):
                counter.update(chunk[col].dropna().value_counts().to_dict())
            levels.update(
                cast("pd.Series", hs_level(chunk["hs_code"])).dropna().value_counts().to_dict()
            )
            agg = chunk["is_aggregate"].to_numpy(dtype=bool)
            # totals = trade of economies with economies and unspecified areas (the total
            # with the World, as trade summary reports it); World/group rows repeat others
            in_total = (
                code_kinds(chunk["reporter_iso3"]).isin(["economy", "historical", "unknown"])
                & code_kinds(chunk["partner_iso3"]).isin(sorted(TOTAL_KINDS))
            ).to_numpy()
            body = chunk.loc[in_total]
            totals.append(body.groupby(["year", "flow"])["value_usd"].agg(["sum", "size"]))
            ag = chunk.loc[agg]
            # the aggregate code of the row: the partner, or the reporter if that is one
            rep_agg = is_aggregate_code(ag["reporter_iso3"]).to_numpy()
            ag = ag.assign(partner_iso3=ag["partner_iso3"].where(~rep_agg, ag["reporter_iso3"]))
            aggs.append(ag.groupby(["partner_iso3", "hs_code"])["value_usd"].agg(["sum", "size"]))
            hashes.append(
                pd.util.hash_pandas_object(chunk[list(DUPLICATE_KEY)], index=False).to_numpy()
            )
    except ValidationError as err:
        problems = [
            {"message": p.message, "path": p.path, "row": p.row, "column": p.column}
            for p in err.problems
        ]
    if hashes:
        all_h = np.concatenate(hashes)
        n_dup = int(len(all_h) - len(np.unique(all_h)))
        if n_dup:
            problems.append(
                {
                    "message": f"{n_dup} rows repeat an earlier (year, reporter, partner, flow, "
                    "hs_code) key; add them up or keep the first (Python: read_flows(..., "
                    "dedupe='sum' or 'first'); command line: geotrade convert --dedupe sum (or "
                    "first), then use the parquet)",
                    "path": str(path),
                    "row": None,
                    "column": None,
                }
            )
    seen = pd.Series(sorted(set(partners) | set(reporters)), dtype=object)
    kinds = code_kinds(seen)
    unknown = sorted(c for c, k in zip(seen, kinds, strict=True) if k == "unknown" and c[:1] == "_")
    iso = set(known_area_codes())
    unknown_iso = sorted(
        c
        for c, k in zip(seen, kinds, strict=True)
        if k == "unknown" and not c.startswith("_") and c not in iso
    )
    if unknown_iso:
        problems.append(
            {
                "message": f"unknown ISO3 codes (no economy of geotrade.reference.countries(), "
                f"no aggregate code): {', '.join(unknown_iso[:20])}; reading the file fails "
                "unless unknown_codes='keep' (command line: --unknown-codes keep)",
                "path": str(path),
                "row": None,
                "column": None,
            }
        )
    if unknown:
        problems.append(
            {
                "message": f"unknown area codes (kept as '_<code>'): {', '.join(unknown[:20])}",
                "path": str(path),
                "row": None,
                "column": None,
            }
        )
    tot = (
        pd.concat(totals).groupby(level=[0, 1]).sum().reset_index()
        if totals
        else pd.DataFrame(columns=["year", "flow", "sum", "size"])
    )
    agt = (
        pd.concat(aggs).groupby(level=[0, 1]).sum().reset_index()
        if aggs
        else pd.DataFrame(columns=["partner_iso3", "hs_code", "sum", "size"])
    )
    return {
        "format": fmt,
        "rows": rows,
        "years": sorted(int(y) for y in years),
        "reporters": _examples(reporters),
        "partners": _examples(partners),
        "products": _examples(products),
        "levels": dict(levels),
        "units": dict(units),
        "valuations": dict(valuations),
        "revisions": dict(revisions),
        "totals": [
            {
                "year": int(r.year),
                "flow": str(r.flow),
                "value_usd": float(r.sum),
                "rows": int(r.size),
            }
            for r in tot.itertuples()
        ],
        "aggregates": [
            {
                "code": str(r.partner_iso3),
                "hs_code": str(r.hs_code),
                "value_usd": float(r.sum),
                "rows": int(r.size),
            }
            for r in agt.itertuples()
        ],
        "excluded": info.get("excluded", []),
        "problems": problems,
    }
