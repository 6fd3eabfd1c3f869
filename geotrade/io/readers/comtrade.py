"""UN Comtrade+ (API JSON, camelCase CSV) and the PascalCase web download.

Accepted inputs
---------------
* API JSON responses ``{"elapsedTime": ..., "count": ..., "data": [{...}], "error": ""}``
  as returned by ``https://comtradeapi.un.org/data/v1/get/C/A/HS`` (or saved by
  ``comtradeapicall``); records use camelCase keys.
* CSV/xlsx/parquet with the same camelCase columns (API / bulk files: ``refYear``,
  ``period``, ``reporterCode``, ``reporterISO``, ``partnerCode``, ``partnerISO``,
  ``flowCode``, ``cmdCode``, ``primaryValue``, ``cifvalue``, ``fobvalue``, ``netWgt``,
  ``qty``, ``qtyUnitAbbr``, ``isAggregate``, ``classificationCode`` ...).
* The comtradeplus.un.org web download with PascalCase columns (``Period``,
  ``ReporterISO``, ``FlowCode``, ``CmdCode``, ``NetWgt``, ``PrimaryValue`` ...). Column
  names are matched case-insensitively, so both spellings are one format.

Mapping to the canonical table (:mod:`geotrade.io.canonical`)
-------------------------------------------------------------
* ``year``: ``refYear``, else the first 4 digits of ``period``.
* ``reporter_iso3``/``partner_iso3``: from the numeric ``reporterCode``/``partnerCode``
  through geotrade's Comtrade code table (490 -> TWN, 0 -> WLD, 899 -> ``_899``); the
  ``*ISO`` columns are used only when the code column is missing (``W00`` -> WLD,
  ``S19`` -> TWN). Unknown codes are an error (rows listed) unless
  ``unknown_codes="keep"``.
* ``flow``: ``flowCode`` X, M, RX, RM (or ``flowDesc``) -> export, import, re-export,
  re-import.
* Valuation: Comtrade's ``primaryValue`` is **CIF for imports and FOB for exports**.
  For imports ``cifvalue`` is used when given (valuation CIF), else ``fobvalue`` (FOB),
  else ``primaryValue`` (CIF). For exports ``fobvalue``, else ``primaryValue`` (FOB).
* ``quantity``: ``netWgt`` in kg when positive (a zero net weight is Comtrade's way of
  saying "not reported" and becomes missing), else ``qty`` in ``qtyUnitAbbr``.
* ``hs_revision``: ``classificationCode`` H0..H6 -> HS1992, HS1996, HS2002, HS2007,
  HS2012, HS2017, HS2022 (``HS`` "as reported" -> missing).
* ``is_aggregate``: ``isAggregate`` or the canonical rules (WLD, ``_nnn``, TOTAL).
* Breakdown rows: when ``partner2Code``, ``motCode`` or ``customsCode`` hold both the
  total (0, 0, C00) and breakdowns, only the totals are kept; the number of breakdown rows
  left out is in ``df.attrs["excluded"]``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem
from geotrade.io.canonical import HS_DIGITS, ROW, Dedupe, as_str
from geotrade.io.numbers import number_hint, parse_numbers
from geotrade.io.readers import _tabular
from geotrade.io.readers._codes import UnknownCodes, map_codes, map_iso, unknown_code_problems
from geotrade.io.readers._pipeline import Filters, collect, iter_checked

__all__ = ["CLASSIFICATIONS", "FLOW_CODES", "read_comtrade"]

#: Comtrade classification codes -> HS revision.
CLASSIFICATIONS: dict[str, str] = {
    "H0": "HS1992",
    "H1": "HS1996",
    "H2": "HS2002",
    "H3": "HS2007",
    "H4": "HS2012",
    "H5": "HS2017",
    "H6": "HS2022",
}
#: Comtrade flow codes and descriptions -> canonical flow.
FLOW_CODES: dict[str, str] = {
    "X": "export",
    "M": "import",
    "RX": "re-export",
    "RM": "re-import",
    "EXPORT": "export",
    "IMPORT": "import",
    "RE-EXPORT": "re-export",
    "RE-IMPORT": "re-import",
    "RE-EXPORTS": "re-export",
    "RE-IMPORTS": "re-import",
    "EXPORTS": "export",
    "IMPORTS": "import",
    "2": "export",
    "1": "import",
    "3": "re-export",
    "4": "re-import",
}
_BREAKDOWNS = (("partner2code", "0"), ("motcode", "0"), ("customscode", "C00"))


def _col(df: pd.DataFrame, *names: str) -> pd.Series | None:
    lower = {c.lower().replace(" ", ""): c for c in df.columns}
    for n in names:
        key = n.lower().replace(" ", "")
        if key in lower:
            return df[lower[key]]
    return None


def _num(s: pd.Series | None, n: int) -> pd.Series:
    if s is None:
        return pd.Series(np.nan, index=range(n), dtype="float64")
    # thousands separators only as 1,234,567.5: '19290,5' is rejected, not read as 192905
    return pd.Series(parse_numbers(s, thousands=True).values, index=s.index, dtype="float64")


def _bad_numbers(
    s: pd.Series | None, parsed: pd.Series, rows: np.ndarray, column: str, path: str
) -> list[Problem]:
    if s is None:
        return []
    given = as_str(s).notna().to_numpy()
    bad = given & parsed.isna().to_numpy()
    out = []
    for pos in np.flatnonzero(bad)[:20]:
        out.append(
            Problem(
                f"expected a number, got {s.iloc[pos]!r}"
                + (f" ({h})" if (h := number_hint(s.iloc[pos], thousands=True)) else ""),
                path=path,
                row=int(rows[pos]),
                column=column,
            )
        )
    return out


def area(
    df: pd.DataFrame,
    *,
    code_names: Sequence[str],
    iso_names: Sequence[str],
    label: str,
    unknown_codes: UnknownCodes,
    path: str,
    include_former: bool = False,
    overrides: dict[str, str] | None = None,
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Map one area (reporter or partner); return (canonical, original code, problems)."""
    n = len(df)
    rows = df[ROW].to_numpy()
    code = _col(df, *code_names)
    iso = _col(df, *iso_names)
    if code is None and iso is None:
        msg = (
            f"missing the {label} column: expected one of "
            f"{', '.join(repr(c) for c in (*code_names, *iso_names))}"
        )
        raise InputFormatError(msg, path=path, row=1, column=code_names[0])
    if code is not None:
        mapped, norm = map_codes(
            code.reset_index(drop=True), include_former=include_former, overrides=overrides
        )
        column = str(code.name)
        original = norm
    else:
        assert iso is not None
        mapped = map_iso(iso.reset_index(drop=True))
        column = str(iso.name)
        original = as_str(iso.reset_index(drop=True)).str.upper()
        norm = original
    unknown = mapped.isna().to_numpy()
    problems: list[Problem] = []
    if unknown.any():
        # kept as "_<code>"; with unknown_codes="error" the problems make the read fail
        mapped = mapped.where(~unknown, "_" + norm.fillna("NA"))
        if unknown_codes != "keep":
            problems = unknown_code_problems(norm[unknown], rows[unknown], column, path)
    return mapped.set_axis(range(n)), original.set_axis(range(n)), problems


def comtrade_raw(
    df: pd.DataFrame,
    *,
    path: str,
    unknown_codes: UnknownCodes,
    legacy: bool = False,
) -> tuple[pd.DataFrame, list[Problem], int]:
    """Turn one chunk of Comtrade columns into canonical columns (not yet checked)."""
    df = df.reset_index(drop=True)
    n = len(df)
    rows = df[ROW].to_numpy()
    problems: list[Problem] = []
    excluded = 0
    # breakdown rows (partner2, mode of transport, customs procedure)
    keep = np.ones(n, dtype=bool)
    for name, total in _BREAKDOWNS:
        s = _col(df, name)
        if s is None:
            continue
        v = as_str(s).str.upper().str.replace(r"\.0$", "", regex=True)
        is_total = (v == total).fillna(False).to_numpy(dtype=bool)
        if is_total.any() and not is_total.all():
            keep &= is_total
    if not keep.all():
        excluded = int((~keep).sum())
        df = df.loc[keep].reset_index(drop=True)
        n, rows = len(df), df[ROW].to_numpy()

    year_s = _col(df, "refYear", "Year")
    if year_s is None:
        period = _col(df, "period")
        if period is None:
            msg = "missing the year column: expected 'refYear' or 'period' (Comtrade+) or 'Year'"
            raise InputFormatError(msg, path=path, row=1, column="refYear")
        year_s = as_str(period).str[:4]
    year = as_str(year_s).str.replace(r"\.0$", "", regex=True)

    reporter, rcode, p = area(
        df,
        code_names=("reporterCode", "Reporter Code"),
        iso_names=("reporterISO", "Reporter ISO"),
        label="reporter",
        unknown_codes=unknown_codes,
        path=path,
    )
    problems += p
    partner, pcode, p = area(
        df,
        code_names=("partnerCode", "Partner Code"),
        iso_names=("partnerISO", "Partner ISO"),
        label="partner",
        unknown_codes=unknown_codes,
        path=path,
    )
    problems += p

    flow_s = _col(df, "Trade Flow", "flowDesc") if legacy else _col(df, "flowCode", "flowDesc")
    if flow_s is None:
        flow_s = _col(df, "Trade Flow Code", "flowCode", "flowDesc", "Trade Flow")
    if flow_s is None:
        msg = "missing the flow column: expected 'flowCode' (X, M, RX, RM) or 'flowDesc'"
        raise InputFormatError(msg, path=path, row=1, column="flowCode")
    flow_text = as_str(flow_s).str.upper().str.replace(r"\.0$", "", regex=True)
    flow = flow_text.map(FLOW_CODES)
    bad = flow.isna().to_numpy()
    for pos in np.flatnonzero(bad)[:20]:
        problems.append(
            Problem(
                f"expected a Comtrade flow code X, M, RX or RM (Export, Import, Re-export, "
                f"Re-import), got {flow_s.iloc[pos]!r}",
                path=path,
                row=int(rows[pos]),
                column=str(flow_s.name),
            )
        )
    flow = flow.where(flow.notna(), "export")  # placeholder: the problem is recorded

    hs = _col(df, "cmdCode", "Commodity Code")
    if hs is None:
        msg = "missing the commodity column: expected 'cmdCode' (or 'Commodity Code')"
        raise InputFormatError(msg, path=path, row=1, column="cmdCode")

    prim_s = _col(df, "primaryValue", "Trade Value (US$)", "TradeValueUS", "TradeValue (US$)")
    cif_s = _col(df, "cifvalue", "CIF TradeValue", "CIF Trade Value (US$)")
    fob_s = _col(df, "fobvalue", "FOB Trade Value (US$)", "FOB TradeValue")
    if prim_s is None and cif_s is None and fob_s is None:
        msg = "missing the value column: expected 'primaryValue' (or 'cifvalue'/'fobvalue')"
        raise InputFormatError(msg, path=path, row=1, column="primaryValue")
    prim, cif, fob = _num(prim_s, n), _num(cif_s, n), _num(fob_s, n)
    is_import = flow.isin(["import", "re-import"]).to_numpy()
    value = np.where(
        is_import,
        np.where(cif.notna(), cif, np.where(fob.notna(), fob, prim)),
        np.where(fob.notna(), fob, prim),
    )
    valuation = np.where(is_import, np.where(cif.notna() | fob.isna(), "CIF", "FOB"), "FOB")
    # a missing value with a value column present is reported by check_flows (value_usd)
    value_src = prim_s if prim_s is not None else (cif_s if cif_s is not None else fob_s)
    assert value_src is not None  # one of the three exists (checked above)
    value_out = pd.Series(value, dtype="float64")
    value_out = value_out.where(value_out.notna(), as_str(value_src).reset_index(drop=True))

    wgt_s = _col(df, "netWgt", "Netweight (kg)", "Netweightkg", "NetWeight")
    qty_s = _col(df, "qty", "Qty", "Alt Qty")
    unit_s = _col(df, "qtyUnitAbbr", "Qty Unit")
    wgt, qty = _num(wgt_s, n), _num(qty_s, n)
    for s, parsed in ((wgt_s, wgt), (qty_s, qty)):
        if s is not None:
            problems += _bad_numbers(s, parsed, rows, str(s.name), path)
    use_wgt = (wgt > 0).to_numpy()
    unit = (
        as_str(unit_s).reset_index(drop=True)
        if unit_s is not None
        else pd.Series(np.nan, index=range(n), dtype="str")
    )
    use_qty = ~use_wgt & (qty > 0).to_numpy() & unit.notna().to_numpy()
    quantity = np.where(use_wgt, wgt, np.where(use_qty, qty, np.nan))
    qunit = np.where(use_wgt, "kg", np.where(use_qty, unit.fillna("").to_numpy(dtype=object), None))

    cls = _col(df, "classificationCode", "Classification")
    revision = (
        as_str(cls).str.upper().map(CLASSIFICATIONS)
        if cls is not None
        else pd.Series(np.nan, index=range(n), dtype="str")
    )
    agg_s = _col(df, "isAggregate")
    is_agg = (
        as_str(agg_s).str.lower().isin(["true", "1"]).to_numpy()
        if agg_s is not None
        else np.zeros(n, dtype=bool)
    )
    raw = pd.DataFrame(
        {
            "year": year.to_numpy(dtype=object),
            "reporter_iso3": reporter.to_numpy(dtype=object),
            "partner_iso3": partner.to_numpy(dtype=object),
            "flow": flow.to_numpy(dtype=object),
            "hs_code": as_str(hs).to_numpy(dtype=object),
            "hs_revision": revision.to_numpy(dtype=object),
            "value_usd": value_out.to_numpy(dtype=object),
            "quantity": quantity,
            "quantity_unit": pd.Series(qunit, dtype=object).to_numpy(),
            "valuation": valuation,
            "source": "comtrade",
            "source_release": np.nan,
            "reporter_code": rcode.to_numpy(dtype=object),
            "partner_code": pcode.to_numpy(dtype=object),
            "is_aggregate": is_agg,
            ROW: rows,
        }
    )
    level_s = _col(df, "aggrLevel", "Aggregate Level")
    if level_s is not None:  # declared HS level: 2/4/6 digits (0 = TOTAL, left as it is)
        raw[HS_DIGITS] = pd.to_numeric(as_str(level_s), errors="coerce").to_numpy()
    raw.attrs["source_columns"] = {
        "year": str(year_s.name) if year_s.name is not None else "period",
        "hs_code": str(hs.name),
        "value_usd": str(value_src.name),
    }
    return raw, problems, excluded


def _json_chunks(path: Path) -> pd.DataFrame:
    text = _tabular.read_text(path)
    if not text.strip():
        msg = "the file is empty; expected a UN Comtrade+ API JSON response"
        raise InputFormatError(msg, path=path)
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        raise InputFormatError(msg, path=path, row=exc.lineno) from exc
    if isinstance(doc, dict):
        err = doc.get("error")
        if err:
            msg = f"the Comtrade API returned an error instead of data: {err}"
            raise InputFormatError(msg, path=path)
        data = doc.get("data")
        if data is None:
            msg = "expected a Comtrade+ API response with a 'data' list; found keys " + ", ".join(
                map(repr, doc)
            )
            raise InputFormatError(msg, path=path)
    else:
        data = doc
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        msg = "expected 'data' to be a list of records (objects)"
        raise InputFormatError(msg, path=path)
    if not data:
        msg = "the Comtrade response holds no data records (count 0); check the query"
        raise InputFormatError(msg, path=path)
    df = pd.DataFrame.from_records(data)
    # JSON has no line numbers: rows are the 1-based record numbers + 1 (header = row 1)
    df[ROW] = np.arange(2, len(df) + 2, dtype="int64")
    return df


def raw_chunks(
    path: str | os.PathLike[str],
    *,
    unknown_codes: UnknownCodes = "error",
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
    legacy: bool = False,
    excluded: list[dict[str, object]] | None = None,
) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """Yield raw canonical chunks of a Comtrade file (used by the readers)."""
    p = Path(path)
    if _tabular.container(p) == "json":
        tables: Iterator[pd.DataFrame] = iter([_json_chunks(p)])
    else:
        tables = _tabular.iter_table(p, member=member, sheet=sheet, chunksize=chunksize)
    for table in tables:
        raw, problems, n_excl = comtrade_raw(
            table, path=str(p), unknown_codes=unknown_codes, legacy=legacy
        )
        if n_excl and excluded is not None:
            excluded.append(
                {
                    "reason": "breakdown rows (partner2/motCode/customsCode not total)",
                    "rows": n_excl,
                }
            )
        yield raw, problems


def read_comtrade(
    path: str | os.PathLike[str],
    *,
    dedupe: Dedupe = "error",
    unknown_codes: UnknownCodes = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a UN Comtrade+ API JSON response or CSV export as the canonical flow table.

    Parameters
    ----------
    path
        ``.json``, ``.csv``, ``.csv.gz``, ``.zip`` (one member), ``.parquet`` or ``.xlsx``.
    dedupe
        Duplicate keys: ``"error"`` (default, rows listed), ``"sum"`` or ``"first"``.
    unknown_codes
        Area codes missing from geotrade's code table: ``"error"`` or ``"keep"`` (as
        ``_<code>``).
    reporter, hs
        Keep only these reporters (ISO3) / HS codes (comma-separated string or list).
    member, sheet
        Zip member / worksheet to read.

    Returns
    -------
    pandas.DataFrame
        The canonical flow table (see :mod:`geotrade.io.canonical`), ``source`` =
        ``"comtrade"``, with ``reporter_code``/``partner_code``. ``df.attrs["excluded"]``
        lists rows left out on purpose (breakdown rows).

    Raises
    ------
    InputFormatError, ValidationError, DataNotFoundError

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "resp.json"
    >>> rec = {"refYear": 2022, "reporterCode": 156, "partnerCode": 490, "flowCode": "M",
    ...        "cmdCode": "850760", "classificationCode": "H6", "primaryValue": 1.5e9,
    ...        "cifvalue": 1.5e9, "netWgt": 0, "isAggregate": False}
    >>> _ = p.write_text(json.dumps({"elapsedTime": "0.1 secs", "count": 1,
    ...     "data": [rec], "error": ""}))
    >>> t = read_comtrade(p)
    >>> t.loc[0, ["reporter_iso3", "partner_iso3", "flow", "valuation", "hs_revision"]].tolist()
    ['CHN', 'TWN', 'import', 'CIF', 'HS2022']
    >>> bool(t["quantity"].isna().all())   # zero netWgt = not reported
    True
    """
    filters = Filters.make(reporter, hs)
    chunks = raw_chunks(
        path, unknown_codes=unknown_codes, member=member, sheet=sheet, excluded=filters.excluded
    )
    out = collect(iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe)
    out.attrs["format"] = "comtrade"
    out.attrs["excluded"] = filters.excluded
    return out
