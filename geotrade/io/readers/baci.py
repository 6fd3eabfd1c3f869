"""CEPII BACI bilateral trade files (``BACI_HS17_Y2022_V202401.csv``).

A BACI release is one zip per HS revision (``BACI_HS17_V202401.zip``) holding one CSV per
year with the columns ``t`` (year), ``i`` (exporter code), ``j`` (importer code), ``k``
(HS6 code), ``v`` (value, **thousand current USD**), ``q`` (quantity, **metric tonnes**,
``NA`` when unknown), plus ``country_codes_V202401.csv`` (``country_code, country_name,
country_iso2, country_iso3``) and ``product_codes_HS17_V202401.csv`` (``code,
description``).

Mapping to the canonical table (:mod:`geotrade.io.canonical`)
-------------------------------------------------------------
* every row is an export record ``i -> j``: ``flow = "export"``, ``reporter_iso3`` = i,
  ``partner_iso3`` = j; with ``reporter=`` the rows where j is a selected economy are added
  as that economy's *imports* from i (``flow = "import"``), so a focal economy gets both
  directions from one reconciled source;
* ``value_usd = v * 1000`` (USD; a :class:`~geotrade.io.readers._tabular.ReaderWarning`
  when one flow exceeds :data:`PLAUSIBLE_MAX_USD`, i.e. ``v`` was in USD already),
  ``quantity = q * 1000`` kg, ``valuation = "FOB"`` (BACI
  removes estimated CIF costs), ``source = "baci"``;
* ``hs_revision`` from the file name (``HS17`` -> ``HS2017``) and ``source_release`` from
  it (``V202401``);
* codes through the release's own ``country_codes`` file (read with
  ``keep_default_na=False``: Namibia's ``NA`` stays a code), falling back to geotrade's
  reference table for codes whose BACI ISO3 is not an ISO3 (490 "Other Asia, nes" has
  ISO3 ``N/A`` in BACI -> ``TWN``) and for former entities (58 -> BEL, 280 -> DEU, as BACI
  does); unknown codes are an error listing their rows unless ``unknown_codes="keep"``.

The file is streamed in chunks, so an 11-million-row year needs memory for the result
only; filter with ``reporter=``/``hs=`` to keep that small, or convert it to parquet with
``geotrade convert`` (bounded memory).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from geotrade import reference
from geotrade.errors import DataNotFoundError, InputFormatError, Problem
from geotrade.io.canonical import ROW, Dedupe, as_str
from geotrade.io.numbers import parse_numbers
from geotrade.io.readers import _tabular
from geotrade.io.readers._codes import UnknownCodes, map_codes, unknown_code_problems
from geotrade.io.readers._pipeline import Filters, collect, iter_checked
from geotrade.schema import historical_by_comtrade_code

__all__ = ["BACI_REVISIONS", "baci_file_info", "read_baci", "read_baci_country_codes"]

#: BACI file-name revision tags -> HS revision.
BACI_REVISIONS: dict[str, str] = {
    "HS92": "HS1992",
    "HS96": "HS1996",
    "HS02": "HS2002",
    "HS07": "HS2007",
    "HS12": "HS2012",
    "HS17": "HS2017",
    "HS22": "HS2022",
}
_DATA_RX = r"^BACI_.*\.csv(\.gz)?$"
_COLUMNS = ("t", "i", "j", "k", "v", "q")
#: Largest plausible value of one bilateral HS6 flow in one year, in USD. The largest real
#: ones are in the tens of billions (crude oil, chips); world trade in all goods is ~2.5e13.
PLAUSIBLE_MAX_USD = 1e12


def baci_file_info(name: str | os.PathLike[str]) -> dict[str, str | None]:
    """Read the HS revision and release from a BACI file name.

    Examples
    --------
    >>> baci_file_info("BACI_HS17_Y2022_V202401.csv")
    {'hs_revision': 'HS2017', 'source_release': 'V202401', 'year': '2022'}
    >>> baci_file_info("flows.csv")
    {'hs_revision': None, 'source_release': None, 'year': None}
    """
    base = Path(str(name)).name
    rev = re.search(r"(?:^|_)(HS\d\d)(?:_|\.|$)", base, re.IGNORECASE)
    rel = re.search(r"(?:^|_)(V\d{6}[a-z]?)(?:_|\.|$)", base, re.IGNORECASE)
    year = re.search(r"_Y(\d{4})(?:_|\.|$)", base)
    return {
        "hs_revision": BACI_REVISIONS.get(rev.group(1).upper()) if rev else None,
        "source_release": rel.group(1).upper() if rel else None,
        "year": year.group(1) if year else None,
    }


def read_baci_country_codes(
    path: str | os.PathLike[str], *, member: str | None = None
) -> pd.DataFrame:
    """Read a BACI ``country_codes_V*.csv`` as ``code, name, iso3`` strings.

    Both the current (``country_code, country_name, country_iso2, country_iso3``) and the
    older (V2022 and before: ``country_code, country_name_abbreviation, country_name_full,
    iso_2digit_alpha, iso_3digit_alpha``) headers are accepted.
    """
    tables = list(_tabular.iter_table(path, member=member))
    df = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    cols = {c.lower(): c for c in df.columns}
    code = cols.get("country_code")
    iso3 = cols.get("country_iso3") or cols.get("iso_3digit_alpha")
    name = (
        cols.get("country_name")
        or cols.get("country_name_abbreviation")
        or cols.get("country_name_full")
    )
    if code is None or iso3 is None:
        msg = (
            "not a BACI country_codes file: expected the columns 'country_code' and "
            f"'country_iso3'; found {', '.join(map(repr, df.columns))}"
        )
        raise InputFormatError(msg, path=path, row=1)
    # missing cells are read as NaN; "N/A" and "NA" stay text (keep_default_na=False)
    return pd.DataFrame(
        {
            "code": as_str(df[code])
            .str.replace(r"\.0$", "", regex=True)
            .str.lstrip("0")
            .replace("", "0"),
            "name": as_str(df[name]) if name else np.nan,
            "iso3": as_str(df[iso3]).str.upper(),
        }
    )


def _overrides(codes: pd.DataFrame) -> dict[str, str]:
    known = set(reference.countries()["iso3"])
    former = historical_by_comtrade_code()
    return {
        c: i
        for c, i in zip(codes["code"], codes["iso3"], strict=True)
        if isinstance(i, str) and i in known and c not in former
    }


def _find_sibling(path: Path, pattern: str, release: str | None) -> tuple[Path, str | None] | None:
    """Find a codes file next to ``path`` (a file or, inside a zip, a member)."""
    rx = re.compile(pattern, re.IGNORECASE)
    if _tabular.container(path) == "zip":
        members = [m for m in _tabular.zip_members(path) if rx.search(m.rsplit("/", 1)[-1])]
        if release:
            members = [m for m in members if release.upper() in m.upper()] or members
        return (path, sorted(members)[-1]) if members else None
    files = sorted(p for p in path.parent.iterdir() if rx.search(p.name))
    if release:
        files = [p for p in files if release.upper() in p.name.upper()] or files
    return (files[-1], None) if files else None


def _convert(
    table: pd.DataFrame,
    *,
    path: str,
    info: dict[str, str | None],
    overrides: dict[str, str],
    unknown_codes: UnknownCodes,
    reporter: tuple[str, ...] | None,
) -> tuple[pd.DataFrame, list[Problem]]:
    table.columns = [c.lower() for c in table.columns]
    missing = [c for c in _COLUMNS[:5] if c not in table.columns]
    if missing:
        msg = (
            f"missing BACI column(s) {', '.join(missing)}; a BACI file has the columns "
            f"t, i, j, k, v, q (found {', '.join(c for c in table.columns if c != ROW)})"
        )
        raise InputFormatError(msg, path=path, row=1, column=missing[0])
    rows = table[ROW].to_numpy()
    problems: list[Problem] = []
    iso: dict[str, pd.Series] = {}
    for col in ("i", "j"):
        mapped, norm = map_codes(table[col], include_former=True, overrides=overrides)
        unknown = mapped.isna().to_numpy()
        if unknown.any():
            mapped = mapped.where(~unknown, "_" + norm.fillna("NA"))
            if unknown_codes != "keep":
                problems += unknown_code_problems(norm[unknown], rows[unknown], col, path)
        iso[col] = mapped
    v_text = as_str(table["v"])
    v = pd.Series(parse_numbers(v_text).values, index=v_text.index, dtype="float64")
    value = np.round(v.to_numpy() * 1000.0, 3)
    bad_v = v_text.notna().to_numpy() & np.isnan(value)
    value_out = pd.Series(value, dtype=object)
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero(value > PLAUSIBLE_MAX_USD)
    if len(huge):
        top = huge[np.argmax(value[huge])]
        msg = (
            f"{path}: {len(huge)} row(s) have v above {PLAUSIBLE_MAX_USD / 1000:.0e}, i.e. a "
            f"single bilateral HS6 flow above {PLAUSIBLE_MAX_USD:.0e} USD after v x 1000 (row "
            f"{int(rows[top])}: v = {table['v'].iloc[top]} -> {value[top]:.3g} USD). BACI's v "
            "must be in thousand USD; this file looks pre-scaled to USD (values 1000 times too "
            "large): divide v by 1000 or use the original BACI file"
        )
        warnings.warn(msg, _tabular.ReaderWarning, stacklevel=2)
    if bad_v.any():  # keep the text so that the checker names it
        value_out[bad_v] = v_text[bad_v].to_numpy()
    if "q" in table.columns:
        q_text = as_str(table["q"])
        q_text = q_text.where(q_text.str.upper() != "NA", np.nan)
        q = pd.Series(parse_numbers(q_text).values, index=q_text.index, dtype="float64")
        bad_q = q_text.notna().to_numpy() & q.isna().to_numpy()
        for pos in np.flatnonzero(bad_q)[:20]:
            problems.append(
                Problem(
                    f"expected a quantity in tonnes or NA, got {table['q'].iloc[pos]!r}",
                    path=path,
                    row=int(rows[pos]),
                    column="q",
                )
            )
        quantity = np.round(q.to_numpy() * 1000.0, 3)
    else:
        quantity = np.full(len(table), np.nan)
    raw = pd.DataFrame(
        {
            "year": table["t"].to_numpy(dtype=object),
            "reporter_iso3": iso["i"].to_numpy(dtype=object),
            "partner_iso3": iso["j"].to_numpy(dtype=object),
            "flow": "export",
            "hs_code": table["k"].to_numpy(dtype=object),
            "hs_revision": info["hs_revision"] or np.nan,
            "value_usd": value_out.to_numpy(),
            "quantity": quantity,
            # numpy's stubs reject None, a valid (object) scalar here
            "quantity_unit": np.where(np.isnan(quantity), None, "kg"),  # type: ignore[call-overload]
            "valuation": "FOB",
            "source": "baci",
            "source_release": info["source_release"] or np.nan,
            "reporter_code": table["i"].to_numpy(dtype=object),
            "partner_code": table["j"].to_numpy(dtype=object),
            ROW: rows,
        }
    )
    if reporter is not None:
        exports = raw.loc[raw["reporter_iso3"].isin(reporter)]
        imports = raw.loc[raw["partner_iso3"].isin(reporter)].copy()
        swap = {"reporter_iso3": "partner_iso3", "partner_iso3": "reporter_iso3"}
        swap |= {"reporter_code": "partner_code", "partner_code": "reporter_code"}
        imports = imports.rename(columns=swap)
        imports["flow"] = "import"
        raw = pd.concat([exports, imports.loc[:, list(raw.columns)]], ignore_index=True)
    raw.attrs["source_columns"] = {
        "year": "t",
        "reporter_iso3": "i",
        "partner_iso3": "j",
        "hs_code": "k",
        "value_usd": "v",
    }
    return raw, problems


def _data_members(path: Path, member: str | None) -> list[str | None]:
    if _tabular.container(path) != "zip":
        return [None]
    return list(_tabular.select_member(path, member, patterns=(_DATA_RX,), allow_many=True))


def raw_chunks(
    path: str | os.PathLike[str],
    *,
    country_codes: str | os.PathLike[str] | None = None,
    unknown_codes: UnknownCodes = "error",
    member: str | None = None,
    reporter: tuple[str, ...] | None = None,
    chunksize: int = _tabular.CHUNKSIZE,
    attrs: dict[str, object] | None = None,
) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
    """Yield raw canonical chunks of a BACI file or release zip (used by the readers)."""
    p = Path(path)
    if not p.exists():
        msg = "file not found; check the path"
        raise DataNotFoundError(msg, path=p)
    members = _data_members(p, member)
    info0 = baci_file_info(members[0] or p.name)
    if info0["source_release"] is None and _tabular.container(p) == "zip":
        info0 = {**info0, **{k: v for k, v in baci_file_info(p.name).items() if v}}
    if country_codes is not None:
        codes = read_baci_country_codes(country_codes)
        codes_src: str | None = str(country_codes)
    else:
        found = _find_sibling(p, r"^country_codes.*\.csv$", info0["source_release"])
        codes = read_baci_country_codes(found[0], member=found[1]) if found else None
        codes_src = None if found is None else (found[1] or str(found[0]))
    overrides = _overrides(codes) if codes is not None else {}
    if attrs is not None:
        attrs["country_codes"] = (
            codes_src or "geotrade reference table (no BACI country_codes file found)"
        )
        attrs["members"] = [m for m in members if m]
    for m in members:
        info = baci_file_info(m or p.name)
        for key in ("hs_revision", "source_release"):
            info[key] = info[key] or info0[key]
        where = f"{p}!{m}" if m else str(p)
        for table in _tabular.iter_table(p, member=m, chunksize=chunksize):
            raw, problems = _convert(
                table,
                path=where,
                info=info,
                overrides=overrides,
                unknown_codes=unknown_codes,
                reporter=reporter,
            )
            yield raw, problems


def read_baci(
    path: str | os.PathLike[str],
    *,
    country_codes: str | os.PathLike[str] | None = None,
    product_codes: str | os.PathLike[str] | None = None,
    dedupe: Dedupe = "error",
    unknown_codes: UnknownCodes = "error",
    reporter: str | Sequence[str] | None = None,
    hs: str | Sequence[str] | None = None,
    member: str | None = None,
) -> pd.DataFrame:
    r"""Read a CEPII BACI year file (or a whole release zip) as the canonical flow table.

    Parameters
    ----------
    path
        ``BACI_HS17_Y2022_V202401.csv`` (also ``.csv.gz``) or the release zip
        ``BACI_HS17_V202401.zip`` (every ``BACI_*.csv`` member is read, or ``member=``).
    country_codes
        The release's ``country_codes_V*.csv``; default: found next to the file or in the
        zip, else geotrade's reference table only.
    product_codes
        The release's ``product_codes_HS*_V*.csv``; default: found next to the file or in
        the zip. Its descriptions of the codes read are in ``df.attrs["products"]``.
    dedupe, unknown_codes, hs, member
        As for :func:`geotrade.io.readers.read_comtrade`.
    reporter
        Keep only flows of these economies: their exports (rows with ``i`` = economy) and,
        as ``flow = "import"``, their imports (rows with ``j`` = economy).

    Returns
    -------
    pandas.DataFrame
        The canonical flow table: values in USD (``v`` x 1000), quantities in kg
        (``q`` x 1000), valuation FOB, ``source = "baci"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "BACI_HS17_Y2022_V202401.csv").write_text(
    ...     "t,i,j,k,v,q\n2022,156,842,850760,10140436.891,NA\n2022,490,156,850760,1.5,0.25\n")
    >>> t = read_baci(d / "BACI_HS17_Y2022_V202401.csv", reporter="CHN")
    >>> t[["reporter_iso3", "partner_iso3", "flow", "value_usd", "quantity"]]
      reporter_iso3 partner_iso3    flow     value_usd  quantity
    0           CHN          USA  export  1.014044e+10       NaN
    1           CHN          TWN  import  1.500000e+03     250.0
    >>> t.loc[0, ["hs_revision", "source_release", "valuation"]].tolist()
    ['HS2017', 'V202401', 'FOB']
    """
    filters = Filters.make(reporter, hs)
    attrs: dict[str, object] = {}
    chunks = raw_chunks(
        path,
        country_codes=country_codes,
        unknown_codes=unknown_codes,
        member=member,
        reporter=filters.reporter,
        attrs=attrs,
    )
    out = collect(
        iter_checked(chunks, path=path, filters=filters), path=path, dedupe=dedupe, attrs=attrs
    )
    out.attrs["format"] = "baci"
    p = Path(path)
    info = baci_file_info(p.name)
    found = (
        (Path(product_codes), None)
        if product_codes is not None
        else _find_sibling(p, r"^product_codes.*\.csv$", info["source_release"])
    )
    if found is not None and len(out):
        tables = list(_tabular.iter_table(found[0], member=found[1]))
        prod = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
        cols = {c.lower(): c for c in prod.columns}
        if "code" not in cols or "description" not in cols:
            msg = "not a BACI product_codes file: expected the columns 'code' and 'description'"
            raise InputFormatError(msg, path=found[1] or found[0], row=1)
        code = as_str(prod[cols["code"]]).str.zfill(6)
        wanted = set(out["hs_code"].unique())
        desc = dict(zip(code, as_str(prod[cols["description"]]), strict=True))
        out.attrs["products"] = {c: desc[c] for c in sorted(wanted) if c in desc}
    return out
