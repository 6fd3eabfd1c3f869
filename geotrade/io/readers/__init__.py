"""Trade-data readers: every source becomes the canonical flow table.

=====================  ===================================================================
reader                 source
=====================  ===================================================================
:func:`read_comtrade`  UN Comtrade+ API JSON, camelCase CSV (API/bulk), PascalCase web CSV
:func:`read_comtrade_legacy`  legacy Comtrade CSV (``Trade Flow``, ``Trade Value (US$)``)
:func:`read_baci`      CEPII BACI (``t,i,j,k,v,q`` + country/product code files)
:func:`read_wits`      World Bank WITS downloads (``TradeValue in 1000 USD``)
:func:`read_canonical` geotrade's own CSV/parquet (the demo CSV)
:func:`read_wdi`       World Bank WDI/WGI bulk CSV -> tidy indicator table (not flows)
:func:`read_imf_lct`   IMF "Trade in Low Carbon Technology Products" -> tidy country totals
:func:`read_flows`     any of the flow formats, auto-detected (:mod:`geotrade.io.detect`)
:func:`iter_flows`     the same, streamed in checked chunks (bounded memory)
=====================  ===================================================================

Containers: ``.csv``, ``.csv.gz``, ``.zip`` (one data member, BACI year files, or
``member=``), ``.parquet``, ``.xlsx`` (first sheet or ``sheet=``), ``.json`` (Comtrade).
Encodings: UTF-8, UTF-8 with BOM, GBK/GB18030. Errors name the file, the line number
(header = row 1) and the column; nothing is dropped silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Literal, get_args

import pandas as pd

from geotrade.errors import InputFormatError
from geotrade.io.canonical import Dedupe
from geotrade.io.readers import _tabular
from geotrade.io.readers._codes import UnknownCodes
from geotrade.io.readers._pipeline import Filters, collect, iter_checked
from geotrade.io.readers.baci import read_baci
from geotrade.io.readers.canonical_csv import read_canonical
from geotrade.io.readers.comtrade import read_comtrade
from geotrade.io.readers.comtrade_legacy import read_comtrade_legacy
from geotrade.io.readers.imf_lct import read_imf_lct
from geotrade.io.readers.wdi import read_wdi
from geotrade.io.readers.wits import read_wits

__all__ = [
    "FlowFormat",
    "iter_flows",
    "read_baci",
    "read_canonical",
    "read_comtrade",
    "read_comtrade_legacy",
    "read_flows",
    "read_imf_lct",
    "read_wdi",
    "read_wits",
]

FlowFormat = Literal["auto", "comtrade", "comtrade-legacy", "baci", "wits", "canonical"]


def _resolve(path: str | os.PathLike[str], fmt: str, member: str | None) -> str:
    choices = get_args(FlowFormat)
    if fmt not in choices:
        msg = f"format must be one of {', '.join(choices)}; got {fmt!r}"
        raise InputFormatError(msg)
    if fmt != "auto":
        return fmt
    from geotrade.io.detect import detect_format

    found = detect_format(path, member=member)
    if found == "wdi":
        msg = (
            "this is a World Bank indicator file (WDI/WGI), not a trade flow table; read it "
            "with geotrade.io.readers.read_wdi"
        )
        raise InputFormatError(msg, path=path)
    if found == "imf-lct":
        msg = (
            "this is the IMF 'Trade in Low Carbon Technology Products' file: country totals "
            "by indicator (no partner, no product), not a trade flow table; read it with "
            "geotrade.io.readers.read_imf_lct (command line: geotrade flows inspect summarises it)"
        )
        raise InputFormatError(msg, path=path)
    return found


def iter_flows(
    path: str | os.PathLike[str],
    *,
    format: FlowFormat = "auto",
    unknown_codes: UnknownCodes = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
    info: dict[str, object] | None = None,
) -> Iterator[pd.DataFrame]:
    """Stream a flow file as checked canonical chunks (duplicates are *not* resolved).

    Each chunk has the canonical columns plus ``_row`` (file line numbers). Problems are
    collected over the whole file and raised together after the last chunk, so a caller
    writing the chunks somewhere must write atomically. Use this for files too big for
    :func:`read_flows` (``geotrade convert`` does).

    Parameters
    ----------
    path, format, unknown_codes, reporter, hs, member, sheet
        As for :func:`read_flows`.
    chunksize
        Rows read per chunk.
    info
        If given, receives ``format`` and reader details (BACI code file, excluded rows).

    Yields
    ------
    pandas.DataFrame
    """
    fmt = _resolve(path, format, member)
    filters = Filters.make(reporter, hs)
    details: dict[str, object] = {"format": fmt, "excluded": filters.excluded}
    if info is not None:
        info.update(details)
        details = info
    if fmt == "baci":
        from geotrade.io.readers import baci

        raw = baci.raw_chunks(
            path,
            unknown_codes=unknown_codes,
            member=member,
            reporter=filters.reporter,
            chunksize=chunksize,
            attrs=details,
        )
    elif fmt == "wits":
        from geotrade.io.readers import wits

        raw = wits.raw_chunks(
            path, unknown_codes=unknown_codes, member=member, sheet=sheet, chunksize=chunksize
        )
    elif fmt in ("comtrade", "comtrade-legacy"):
        from geotrade.io.readers import comtrade

        raw = comtrade.raw_chunks(
            path,
            unknown_codes=unknown_codes,
            member=member,
            sheet=sheet,
            chunksize=chunksize,
            legacy=fmt == "comtrade-legacy",
            excluded=filters.excluded,
        )
    else:
        from geotrade.io.readers import canonical_csv

        raw = canonical_csv.raw_chunks(
            path, member=member, sheet=sheet, chunksize=chunksize, unknown_codes=unknown_codes
        )
    yield from iter_checked(raw, path=path, filters=filters)


def read_flows(
    path: str | os.PathLike[str],
    *,
    format: FlowFormat = "auto",
    dedupe: Dedupe = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    unknown_codes: UnknownCodes = "error",
    member: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read any supported trade file as the canonical flow table.

    Parameters
    ----------
    path
        A UN Comtrade+ JSON/CSV, legacy Comtrade CSV, CEPII BACI file or release zip, a WITS
        download, or a canonical CSV/parquet; ``.gz``, ``.zip``, ``.parquet`` and ``.xlsx``
        containers.
    format
        ``"auto"`` (detect from the columns, see :mod:`geotrade.io.detect`), ``"comtrade"``,
        ``"comtrade-legacy"``, ``"baci"``, ``"wits"`` or ``"canonical"``.
    dedupe
        Duplicate (year, reporter, partner, flow, hs_code) keys: ``"error"`` (default;
        every duplicated key and its rows are listed), ``"sum"`` or ``"first"``.
    reporter
        Keep only these reporters (ISO3; list or comma-separated). For BACI, the selected
        economies' imports (rows with ``j`` = economy) are added as ``flow="import"``.
    hs
        Keep only these HS codes (2, 4 or 6 digits, or TOTAL): a heading keeps its own rows
        and its subheadings (:func:`geotrade.io.canonical.hs_match`).
    unknown_codes
        Area codes missing from geotrade's code table: ``"error"`` (rows listed) or
        ``"keep"`` (as ``_<code>``).
    member
        Zip member to read.
    sheet
        Worksheet of an ``.xlsx`` file.

    Returns
    -------
    pandas.DataFrame
        The canonical flow table (:mod:`geotrade.io.canonical`); ``df.attrs`` holds the
        ``format``, ``path`` and the number of ``duplicates`` resolved, if any.

    Raises
    ------
    DataNotFoundError
        If the file (or zip member) does not exist.
    InputFormatError
        If the file cannot be decoded or its format is not recognised.
    ValidationError
        Listing every bad cell, unknown code and duplicate key with its row and column.

    Examples
    --------
    >>> import geotrade
    >>> from importlib import resources
    >>> demo = resources.files("geotrade").joinpath(
    ...     "data", "demo", "synthetic_li_ion_trade_2012_2022.csv")
    >>> t = geotrade.read_flows(demo)
    >>> t.attrs["format"], int(t["year"].min()), int(t["year"].max())
    ('canonical', 2012, 2022)
    """
    info: dict[str, object] = {}
    chunks = iter_flows(
        path,
        format=format,
        unknown_codes=unknown_codes,
        reporter=reporter,
        hs=hs,
        member=member,
        sheet=sheet,
        info=info,
    )
    out = collect(chunks, path=path, dedupe=dedupe)
    out.attrs.update(info)
    return out
