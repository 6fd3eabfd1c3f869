"""geotrade's own canonical flow files (CSV, .csv.gz, zip, parquet, xlsx).

The columns are those of :mod:`geotrade.io.canonical`; only ``year, reporter_iso3,
partner_iso3, flow, hs_code, value_usd`` are required (the packaged demo CSV has these
plus ``source``). Missing optional columns get their defaults: valuation FOB for exports
and CIF for imports, ``source = "user"``, no revision, quantity, unit or release.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from geotrade import reference
from geotrade.errors import Problem
from geotrade.io.canonical import ROW, Dedupe, as_str
from geotrade.io.readers import _tabular
from geotrade.io.readers._codes import UnknownCodes
from geotrade.io.readers._pipeline import Filters, collect, iter_checked

__all__ = ["read_canonical"]


@functools.cache
def known_area_codes() -> frozenset[str]:
    """Three-letter codes accepted in a canonical file: every code :mod:`geotrade.schema` knows.

    The ISO3 codes of :func:`geotrade.reference.countries`, the aggregate codes
    (:func:`geotrade.schema.aggregate_codes`: ``WLD``, ``EUN``, ``XXX`` ...), historical
    economies (``SUN``, ``CSK`` ...) and the aliases (``ROM``, ``W00`` ...). ``_<code>``
    codes are checked against the Comtrade code table.

    Examples
    --------
    >>> {"CHN", "TWN", "WLD", "ZZZ", "SUN", "ROM"} <= known_area_codes()
    True
    >>> "QQQ" in known_area_codes()
    False
    """
    from geotrade.schema import CODE_ALIASES, aggregate_codes, historical_economies

    return (
        frozenset(reference.countries()["iso3"])
        | aggregate_codes()
        | frozenset(historical_economies()["code"])
        | frozenset(CODE_ALIASES)
    )


def unknown_iso3_problems(
    table: pd.DataFrame, path: str | None, *, limit: int = 20
) -> list[Problem]:
    """One problem per three-letter reporter/partner code that is no known area code.

    Other shapes (``_899``, bad cells) are left to :func:`geotrade.io.canonical.check_flows`.
    """
    problems: list[Problem] = []
    known = known_area_codes()
    for col in ("reporter_iso3", "partner_iso3"):
        if col not in table.columns:
            continue
        codes = as_str(table[col]).str.upper()
        unknown = (codes.str.fullmatch(r"[A-Z]{3}").fillna(False) & ~codes.isin(known)).to_numpy(
            dtype=bool
        )
        if not unknown.any():
            continue
        rows = (
            table[ROW].to_numpy()[unknown] if ROW in table.columns else np.flatnonzero(unknown) + 2
        )
        frame = pd.DataFrame({"code": codes.to_numpy(dtype=object)[unknown], "row": rows})
        for code, grp in frame.groupby("code", sort=True):
            if len(problems) >= limit:
                problems.append(Problem("... and more unknown codes", path=path, column=col))
                return problems
            lines = grp["row"].tolist()
            label = "rows" if len(lines) > 1 else "row"
            shown = ", ".join(map(str, lines[:10])) + (
                f" (+{len(lines) - 10} more)" if len(lines) > 10 else ""
            )
            problems.append(
                Problem(
                    f"unknown ISO3 code {code!r} on {label} {shown}: it is no economy of "
                    "geotrade.reference.countries() nor an aggregate code (WLD, '_' + Comtrade "
                    "code such as '_899'); fix the code or read with unknown_codes='keep' "
                    "(command line: --unknown-codes keep) to keep it as it is",
                    path=path,
                    row=int(lines[0]),
                    column=col,
                )
            )
    return problems


def raw_chunks(
    path: str | os.PathLike[str],
    *,
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
    unknown_codes: UnknownCodes = "error",
) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """Yield the file's chunks with lower-case column names (used by the readers).

    Three-letter reporter/partner codes that are no known area code are problems unless
    ``unknown_codes="keep"`` — or unless the file is a parquet written by
    ``geotrade convert --unknown-codes keep``, which records that choice.
    """
    if _converted_with_keep(path):
        unknown_codes = "keep"
    for table in _tabular.iter_table(path, member=member, sheet=sheet, chunksize=chunksize):
        table.columns = [str(c).strip().lower() if c != ROW else c for c in table.columns]
        problems = [] if unknown_codes == "keep" else unknown_iso3_problems(table, str(path))
        yield table, problems


def _converted_with_keep(path: str | os.PathLike[str]) -> bool:
    """Tell whether a parquet file was written by ``convert --unknown-codes keep``."""
    if not str(path).lower().endswith(".parquet"):
        return False
    try:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata.metadata or {}
    except Exception:
        return False
    return meta.get(b"geotrade.unknown_codes") == b"keep"


def read_canonical(
    path: str | os.PathLike[str],
    *,
    dedupe: Dedupe = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
    unknown_codes: UnknownCodes = "error",
) -> pd.DataFrame:
    """Read a canonical flow file (our own format, e.g. the demo CSV).

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, UTF-8-BOM or GBK), ``.csv.gz``, ``.zip``, ``.parquet``, ``.xlsx``.
    dedupe, reporter, hs, member, sheet
        As for :func:`geotrade.io.readers.read_comtrade`.
    unknown_codes
        Three-letter reporter/partner codes that are no economy of
        :func:`geotrade.reference.countries` nor an aggregate code: ``"error"`` (rows
        listed) or ``"keep"`` (kept as they are).

    Returns
    -------
    pandas.DataFrame
        The validated canonical flow table.

    Examples
    --------
    >>> from geotrade.synthetic.trade import CSV_NAME
    >>> from importlib import resources
    >>> demo = resources.files("geotrade") / "data" / "demo" / CSV_NAME
    >>> t = read_canonical(demo)
    >>> bool(t["source"].str.startswith("synthetic").all()), t["valuation"].unique().tolist()
    (True, ['FOB', 'CIF'])
    """
    filters = Filters.make(reporter, hs)
    chunks = raw_chunks(path, member=member, sheet=sheet, unknown_codes=unknown_codes)
    out = collect(iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe)
    out.attrs["format"] = "canonical"
    return out
