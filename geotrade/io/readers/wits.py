"""World Bank WITS trade downloads (``TradeValue in 1000 USD``).

A WITS "raw data" / bulk download is a CSV (semicolon- or comma-separated, both seen) with
the columns ``Nomenclature, ReporterISO3, ProductCode, ReporterName, PartnerISO3,
PartnerName, Year, TradeFlowName, TradeFlowCode, TradeValue in 1000 USD`` and, in some
downloads, ``NetWeight in KGM, Quantity, QtyUnit``. WITS redistributes UN Comtrade data.

Mapping to the canonical table (:mod:`geotrade.io.canonical`)
-------------------------------------------------------------
* ``value_usd = TradeValue in 1000 USD x 1000`` (WITS values are thousands of USD);
* ``flow`` from ``TradeFlowName`` (``Export``, ``Import``, ``Re-Export``, ``Re-Import``;
  ``TradeFlowCode`` 6 = Export, 5 = Import in the files seen) -- "Gross" flows are refused
  because they add re-exports/re-imports to the flows;
* ``hs_code`` from ``ProductCode``: HS codes at the level of the download (``91``,
  ``8507``, ``850760``; a lost leading zero comes back), `` Total`` (with its leading space)
  -> ``TOTAL``; ``hs_revision`` from ``Nomenclature`` (``H0`` ... ``H6``);
* areas: ``ReporterISO3``/``PartnerISO3`` are ISO3 except for the World Bank's legacy codes
  in :data:`WITS_LEGACY_CODES` (``ROM`` -> ``ROU``, ``OAS`` "Other Asia, nes" -> ``TWN``
  ...); ``WLD`` (World), ``EUN`` (European Union) and ``UNS`` (unspecified) are kept as they
  are and flagged ``is_aggregate``. Other three-letter codes go through the same check as
  canonical files (unknown codes are an error unless ``unknown_codes="keep"``);
* valuation: WITS takes Comtrade's reported values, so imports are CIF and exports FOB;
  ``quantity`` from ``NetWeight in KGM`` (kg) when positive; ``source = "wits"``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem
from geotrade.io.canonical import ROW, Dedupe, as_str
from geotrade.io.readers import _tabular
from geotrade.io.readers._codes import UnknownCodes
from geotrade.io.readers._pipeline import Filters, collect, iter_checked
from geotrade.io.readers.comtrade import CLASSIFICATIONS

__all__ = ["WITS_AGGREGATES", "WITS_FLOWS", "WITS_LEGACY_CODES", "read_wits"]

#: World Bank legacy area codes used by WITS instead of ISO3 (source: geotrade design note
#: notes/real-data.md, "WITS bulk/export downloads", verified on real WITS files
#: 2026-12-07; the codes are those of the WITS country list, wits.worldbank.org).
WITS_LEGACY_CODES: dict[str, str] = {
    "ROM": "ROU",  # Romania
    "ZAR": "COD",  # Congo, Dem. Rep. (former Zaire)
    "TMP": "TLS",  # Timor-Leste (former East Timor)
    "SER": "SRB",  # Serbia
    "MNT": "MNE",  # Montenegro
    "OAS": "TWN",  # "Other Asia, nes" = Taiwan's trade in Comtrade-derived data
}
#: WITS codes for groups, kept as they are and flagged as aggregates (same source).
WITS_AGGREGATES: dict[str, str] = {
    "WLD": "World",
    "EUN": "European Union",
    "UNS": "Unspecified",
}
#: ``TradeFlowName`` values -> canonical flow.
WITS_FLOWS: dict[str, str] = {
    "EXPORT": "export",
    "IMPORT": "import",
    "RE-EXPORT": "re-export",
    "RE-IMPORT": "re-import",
}
_VALUE = "TradeValue in 1000 USD"
_REQUIRED = ("ReporterISO3", "PartnerISO3", "ProductCode", "Year", "TradeFlowName", _VALUE)


def _columns(df: pd.DataFrame, path: str) -> dict[str, str]:
    lower = {c.lower().replace(" ", ""): c for c in df.columns if c != ROW}
    found: dict[str, str] = {}
    for name in (*_REQUIRED, "Nomenclature", "NetWeight in KGM", "TradeFlowCode"):
        key = name.lower().replace(" ", "")
        if key in lower:
            found[name] = lower[key]
    missing = [c for c in _REQUIRED if c not in found]
    if missing:
        msg = (
            f"missing WITS column(s) {', '.join(map(repr, missing))}; a WITS download has "
            f"the columns {', '.join(_REQUIRED)} (found "
            f"{', '.join(repr(c) for c in df.columns if c != ROW)})"
        )
        raise InputFormatError(msg, path=path, row=1, column=missing[0])
    return found


def _areas(
    values: pd.Series, rows: np.ndarray, column: str, path: str, unknown_codes: UnknownCodes
) -> tuple[pd.Series, np.ndarray, list[Problem]]:
    from geotrade.io.readers.canonical_csv import known_area_codes

    codes = as_str(values).str.upper().reset_index(drop=True)
    mapped = codes.map(lambda c: WITS_LEGACY_CODES.get(c, c), na_action="ignore")
    is_agg = mapped.isin(list(WITS_AGGREGATES)).to_numpy(dtype=bool)
    problems: list[Problem] = []
    if unknown_codes != "keep":
        known = known_area_codes() | set(WITS_AGGREGATES)
        unknown = (mapped.str.fullmatch(r"[A-Z]{3}").fillna(False) & ~mapped.isin(known)).to_numpy(
            dtype=bool
        )
        frame = pd.DataFrame({"code": mapped[unknown].to_numpy(), "row": rows[unknown]})
        for code, grp in frame.groupby("code", sort=True):
            lines = grp["row"].tolist()
            problems.append(
                Problem(
                    f"unknown area code {code!r} on rows {', '.join(map(str, lines[:10]))}"
                    f"{' (+more)' if len(lines) > 10 else ''}: neither an ISO3 code of "
                    "geotrade.reference.countries(), a WITS legacy code ("
                    f"{', '.join(WITS_LEGACY_CODES)}) nor a WITS group ("
                    f"{', '.join(WITS_AGGREGATES)}); fix it or read with unknown_codes='keep' "
                    "(command line: --unknown-codes keep)",
                    path=path,
                    row=int(lines[0]),
                    column=column,
                )
            )
    return mapped, is_agg, problems


def _convert(
    table: pd.DataFrame, *, path: str, unknown_codes: UnknownCodes
) -> tuple[pd.DataFrame, list[Problem]]:
    cols = _columns(table, path)
    table = table.reset_index(drop=True)
    rows = table[ROW].to_numpy()
    problems: list[Problem] = []
    reporter, r_agg, p = _areas(
        table[cols["ReporterISO3"]], rows, cols["ReporterISO3"], path, unknown_codes
    )
    problems += p
    partner, p_agg, p = _areas(
        table[cols["PartnerISO3"]], rows, cols["PartnerISO3"], path, unknown_codes
    )
    problems += p
    names = as_str(table[cols["TradeFlowName"]])
    flow = names.str.upper().map(WITS_FLOWS)
    bad = flow.isna().to_numpy()
    for pos in np.flatnonzero(bad)[:20]:
        problems.append(
            Problem(
                f"expected a WITS trade flow Export, Import, Re-Export or Re-Import, got "
                f"{table[cols['TradeFlowName']].iloc[pos]!r} (gross flows include re-exports/"
                "re-imports: download Export and Import instead)",
                path=path,
                row=int(rows[pos]),
                column=cols["TradeFlowName"],
            )
        )
    flow = flow.where(flow.notna(), "export")  # placeholder: the problem is recorded
    v_text = as_str(table[cols[_VALUE]]).str.replace(",", "", regex=False)
    v = pd.to_numeric(v_text, errors="coerce").to_numpy(dtype="float64")
    value = pd.Series(np.round(v * 1000.0, 3), dtype=object)
    bad_v = v_text.notna().to_numpy() & np.isnan(v)
    if bad_v.any():  # keep the text so that the checker names it
        value[bad_v] = v_text[bad_v].to_numpy()
    if "NetWeight in KGM" in cols:
        w = pd.to_numeric(as_str(table[cols["NetWeight in KGM"]]), errors="coerce")
        quantity = w.where(w > 0).to_numpy(dtype="float64")
    else:
        quantity = np.full(len(table), np.nan)
    revision = (
        as_str(table[cols["Nomenclature"]]).str.upper().map(CLASSIFICATIONS)
        if "Nomenclature" in cols
        else pd.Series(np.nan, index=table.index, dtype="str")
    )
    raw = pd.DataFrame(
        {
            "year": table[cols["Year"]].to_numpy(dtype=object),
            "reporter_iso3": reporter.to_numpy(dtype=object),
            "partner_iso3": partner.to_numpy(dtype=object),
            "flow": flow.to_numpy(dtype=object),
            "hs_code": table[cols["ProductCode"]].to_numpy(dtype=object),
            "hs_revision": revision.to_numpy(dtype=object),
            "value_usd": value.to_numpy(),
            "quantity": quantity,
            # numpy's stubs reject None, a valid (object) scalar here
            "quantity_unit": np.where(np.isnan(quantity), None, "kg"),  # type: ignore[call-overload]
            "source": "wits",
            "source_release": np.nan,
            "reporter_code": as_str(table[cols["ReporterISO3"]]).str.upper().to_numpy(),
            "partner_code": as_str(table[cols["PartnerISO3"]]).str.upper().to_numpy(),
            "is_aggregate": r_agg | p_agg,
            ROW: rows,
        }
    )
    raw.attrs["source_columns"] = {
        "year": cols["Year"],
        "reporter_iso3": cols["ReporterISO3"],
        "partner_iso3": cols["PartnerISO3"],
        "flow": cols["TradeFlowName"],
        "hs_code": cols["ProductCode"],
        "value_usd": cols[_VALUE],
    }
    return raw, problems


def raw_chunks(
    path: str | os.PathLike[str],
    *,
    unknown_codes: UnknownCodes = "error",
    member: str | None = None,
    sheet: str | int | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """Yield raw canonical chunks of a WITS file (used by the readers)."""
    for table in _tabular.iter_table(path, member=member, sheet=sheet, chunksize=chunksize):
        yield _convert(table, path=str(path), unknown_codes=unknown_codes)


def read_wits(
    path: str | os.PathLike[str],
    *,
    dedupe: Dedupe = "error",
    unknown_codes: UnknownCodes = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    r"""Read a WITS trade download as the canonical flow table.

    Parameters
    ----------
    path
        ``.csv`` (``;`` or ``,``), ``.csv.gz``, ``.zip`` (one member), ``.xlsx``.
    dedupe, unknown_codes, reporter, hs, member, sheet
        As for :func:`geotrade.io.readers.read_comtrade`.

    Returns
    -------
    pandas.DataFrame
        The canonical flow table, values in USD, ``source = "wits"``; ``reporter_code`` /
        ``partner_code`` keep the codes as published (``OAS``, ``ROM`` ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wits.csv"
    >>> _ = p.write_text(
    ...     "Nomenclature;ReporterISO3;ProductCode;ReporterName;PartnerISO3;PartnerName;Year;"
    ...     "TradeFlowName;TradeFlowCode;TradeValue in 1000 USD\n"
    ...     "H6;CHN; Total;China;OAS;Other Asia, nes;2022;Import;5;1.5\n")
    >>> t = read_wits(p)
    >>> t.loc[0, ["partner_iso3", "hs_code", "valuation"]].tolist(), float(t.loc[0, "value_usd"])
    (['TWN', 'TOTAL', 'CIF'], 1500.0)
    """
    filters = Filters.make(reporter, hs)
    chunks = raw_chunks(path, unknown_codes=unknown_codes, member=member, sheet=sheet)
    out = collect(iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe)
    out.attrs["format"] = "wits"
    return out
