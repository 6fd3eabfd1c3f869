r"""Recognise the format of a trade or indicator file from its content.

Rules, applied to the column names (case-insensitive) of the first table in the file:

* ``t, i, j, k, v`` -> ``baci``; a zip holding ``BACI_*.csv`` members -> ``baci``;
* ``Country Code`` + ``Indicator Code`` (after the World Bank's 4 preamble lines) -> ``wdi``;
* ``reporter_iso3, partner_iso3, flow, value_usd`` -> ``canonical``;
* ``TradeValue in 1000 USD`` or ``ReporterISO3`` + ``ProductCode`` + ``TradeFlowName``
  -> ``wits`` (checked before legacy Comtrade: WITS also has ``TradeFlowCode``);
* ``ISO3`` + ``Indicator`` + ``Scale`` + ``F<year>`` columns -> ``imf-lct`` (IMF "Trade in
  Low Carbon Technology Products", country totals);
* ``Trade Flow`` / ``TradeFlow`` / ``Trade Value (US$)`` / ``TradeValueUS`` / ``Commodity
  Code`` -> ``comtrade-legacy``;
* ``primaryValue``/``cmdCode``/``flowCode`` (camelCase or PascalCase), or a ``.json`` file
  -> ``comtrade``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
>>> _ = p.write_text("t,i,j,k,v,q\n2022,156,842,850760,1.0,NA\n")
>>> detect_format(p)
'baci'
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from geotrade.errors import InputFormatError
from geotrade.io.readers import _tabular

__all__ = ["FORMATS", "Format", "detect_format"]

Format = Literal["comtrade", "comtrade-legacy", "baci", "wits", "wdi", "imf-lct", "canonical"]
#: Formats geotrade reads.
FORMATS: tuple[str, ...] = (
    "comtrade",
    "comtrade-legacy",
    "baci",
    "wits",
    "wdi",
    "imf-lct",
    "canonical",
)


def _columns(path: Path, member: str | None) -> list[str]:
    kind = _tabular.container(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for non-parquet files
            msg = f"cannot read the file as parquet ({exc})"
            raise InputFormatError(msg, path=path) from exc
    if kind == "xlsx":
        table = next(_tabular.iter_table(path))
        return [c for c in table.columns if c != "_row"]
    lines = _tabular.head_text(path, member=member, lines=6)
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        msg = "the file is empty; expected a trade table with a header row"
        raise InputFormatError(msg, path=path, row=1)
    first = lines[0].lstrip("\ufeff").strip()
    if first.strip('"').startswith("Data Source") and len(lines) >= 3:
        first = lines[2].lstrip("\ufeff")
    sep = max((",", ";", "\t", "|"), key=first.count)
    return [c.strip().strip('"') for c in first.split(sep)]


def detect_format(path: str | os.PathLike[str], *, member: str | None = None) -> Format:
    """Return the format of a file (see the module docstring for the rules).

    Parameters
    ----------
    path
        The file (``.csv``, ``.csv.gz``, ``.zip``, ``.parquet``, ``.xlsx``, ``.json``).
    member
        Zip member to look at.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InputFormatError
        If the columns match no known format (the message lists what was found).
    """
    p = Path(path)
    kind = _tabular.container(p)
    if not p.exists():
        from geotrade.errors import DataNotFoundError

        msg = "file not found; check the path"
        raise DataNotFoundError(msg, path=p)
    if kind == "json":
        return "comtrade"
    if kind == "zip" and member is None:
        members = _tabular.zip_members(p)
        names = [m.rsplit("/", 1)[-1] for m in members]
        if any(n.upper().startswith("BACI_") and n.lower().endswith(".csv") for n in names):
            return "baci"
        if any(n.startswith("API_") for n in names):
            return "wdi"
        member = _tabular.select_member(p)[0]
        if member.lower().endswith(".json"):
            return "comtrade"
    cols = _columns(p, member)
    low = {c.lower().replace(" ", "") for c in cols}
    if {"t", "i", "j", "k", "v"} <= low:
        return "baci"
    if {"countrycode", "indicatorcode"} <= low:
        return "wdi"
    if {"reporter_iso3", "partner_iso3", "flow", "value_usd"} <= low:
        return "canonical"
    if "tradevaluein1000usd" in low or {"reporteriso3", "productcode", "tradeflowname"} <= low:
        return "wits"
    if {"iso3", "indicator", "scale"} <= low and any(
        c.startswith("f") and c[1:].isdigit() and len(c) == 5 for c in low
    ):
        return "imf-lct"
    legacy = {"tradeflow", "tradeflowcode", "tradevalue(us$)", "tradevalueus", "commoditycode"}
    if low & legacy:
        return "comtrade-legacy"
    if low & {"primaryvalue", "cmdcode", "flowcode"}:
        return "comtrade"
    shown = ", ".join(repr(c) for c in cols[:12]) + (" ..." if len(cols) > 12 else "")
    msg = (
        f"cannot recognise the format from the columns {shown}. Expected UN Comtrade+ "
        "(refYear/period, reporterCode, partnerCode, flowCode, cmdCode, primaryValue), legacy "
        "Comtrade (Year, Trade Flow, Reporter Code, ..., Trade Value (US$)), CEPII BACI (t, i, "
        "j, k, v, q), WITS (..., TradeValue in 1000 USD), a World Bank API_ file or "
        "geotrade's canonical columns (year, reporter_iso3, partner_iso3, flow, hs_code, "
        "value_usd); or pass the format explicitly"
    )
    raise InputFormatError(msg, path=p, row=1)
