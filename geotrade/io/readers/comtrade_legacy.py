"""Legacy UN Comtrade CSV downloads (comtrade.un.org before 2023, WITS-style headers).

Columns (matched case-insensitively): ``Classification``, ``Year``, ``Period``,
``Trade Flow Code`` (1 import, 2 export, 3 re-export, 4 re-import), ``Trade Flow``
(``Export``, ``Import``, ``Re-Export``, ``Re-Import``), ``Reporter Code``, ``Reporter``,
``Reporter ISO``, ``Partner Code``, ``Partner``, ``Partner ISO``, ``Commodity Code``,
``Commodity``, ``Qty Unit``, ``Qty``, ``Netweight (kg)``, ``Trade Value (US$)``, ``Flag``.
Names are matched ignoring case and spaces, and the variants of the legacy API CSV are
accepted: ``TradeFlow Code``/``TradeFlow``, ``TradeValueUS``, ``Netweightkg``, ``CIF
TradeValue``, ``FOB Trade Value (US$)``. ``Aggregate Level`` (2, 4, 6) is the declared HS
level: chapters (``01``) and headings (``0101``) are data, and codes that lost their
leading zero (``1``) are padded to that level; ``Is Leaf Code`` is informational.

The mapping rules are those of :mod:`geotrade.io.readers.comtrade`: numeric codes through
geotrade's code table (490 -> TWN, 0 -> WLD), ``Trade Value (US$)`` is CIF for imports and
FOB for exports, ``Netweight (kg)`` is the quantity in kg (zero = not reported),
``Classification`` H0..H6 gives the HS revision.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from geotrade.io.canonical import Dedupe
from geotrade.io.readers._codes import UnknownCodes
from geotrade.io.readers._pipeline import Filters, collect, iter_checked
from geotrade.io.readers.comtrade import raw_chunks

__all__ = ["read_comtrade_legacy"]


def read_comtrade_legacy(
    path: str | os.PathLike[str],
    *,
    dedupe: Dedupe = "error",
    unknown_codes: UnknownCodes = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    r"""Read a legacy UN Comtrade CSV download as the canonical flow table.

    Parameters
    ----------
    path
        ``.csv``, ``.csv.gz``, ``.zip`` (one member), ``.parquet`` or ``.xlsx``.
    dedupe, unknown_codes, reporter, hs, member, sheet
        As for :func:`geotrade.io.readers.read_comtrade`.

    Returns
    -------
    pandas.DataFrame
        The canonical flow table, ``source`` = ``"comtrade"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "legacy.csv"
    >>> _ = p.write_text(
    ...     "Classification,Year,Trade Flow Code,Trade Flow,Reporter Code,Reporter,"
    ...     "Partner Code,Partner,Commodity Code,Netweight (kg),Trade Value (US$)\n"
    ...     "H4,2016,1,Import,156,China,410,Rep. of Korea,850760,120.5,3055000000\n")
    >>> read_comtrade_legacy(p).loc[0, ["partner_iso3", "flow", "valuation"]].tolist()
    ['KOR', 'import', 'CIF']
    """
    filters = Filters.make(reporter, hs)
    chunks = raw_chunks(
        path,
        unknown_codes=unknown_codes,
        member=member,
        sheet=sheet,
        legacy=True,
        excluded=filters.excluded,
    )
    out = collect(iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe)
    out.attrs["format"] = "comtrade-legacy"
    out.attrs["excluded"] = filters.excluded
    return out
