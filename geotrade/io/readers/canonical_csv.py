"""geotrade's own canonical flow files (CSV, .csv.gz, zip, parquet, xlsx).

The columns are those of :mod:`geotrade.io.canonical`; only ``year, reporter_iso3,
partner_iso3, flow, hs_code, value_usd`` are required (the packaged demo CSV has these
plus ``source``). Missing optional columns get their defaults: valuation FOB for exports
and CIF for imports, ``source = "user"``, no revision, quantity, unit or release.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import pandas as pd

from geotrade.errors import Problem
from geotrade.io.canonical import Dedupe
from geotrade.io.readers import _tabular
from geotrade.io.readers._pipeline import Filters, collect, iter_checked

__all__ = ["read_canonical"]


def raw_chunks(
    path: str | os.PathLike[str],
    *,
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """Yield the file's chunks with lower-case column names (used by the readers)."""
    for table in _tabular.iter_table(path, member=member, sheet=sheet, chunksize=chunksize):
        table.columns = [str(c).strip().lower() if c != "_row" else c for c in table.columns]
        yield table, []


def read_canonical(
    path: str | os.PathLike[str],
    *,
    dedupe: Dedupe = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a canonical flow file (our own format, e.g. the demo CSV).

    Parameters
    ----------
    path
        ``.csv`` (UTF-8, UTF-8-BOM or GBK), ``.csv.gz``, ``.zip``, ``.parquet``, ``.xlsx``.
    dedupe, reporter, hs, member, sheet
        As for :func:`geotrade.io.readers.read_comtrade`.

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
    chunks = raw_chunks(path, member=member, sheet=sheet)
    out = collect(iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe)
    out.attrs["format"] = "canonical"
    return out
