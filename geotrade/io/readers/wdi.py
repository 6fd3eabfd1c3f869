"""World Bank WDI/WGI bulk CSV files (``API_<indicator>_DS2_en_csv_v2_<n>.csv``), DataBank CSV.

The file (UTF-8 with BOM, CRLF) starts with four preamble lines ("Data Source", blank,
"Last Updated Date", blank), then the header ``Country Name, Country Code, Indicator
Name, Indicator Code, 1960, ..., <latest>`` and a trailing empty column. The zip from the
World Bank also holds ``Metadata_Country_*.csv`` (``Country Code, Region, IncomeGroup``);
aggregates (``WLD``, ``EAS``, ``HIC`` ...) are mixed in with the economies.

:func:`read_wdi` returns a tidy table ``iso3, country_name, year, indicator,
indicator_name, value, is_aggregate``. ``is_aggregate`` comes from the metadata file when
it is found (empty Region = aggregate), else from geotrade's country table (codes that are
not economies). Empty cells (years not yet published) are left out.

**DataBank exports** (databank.worldbank.org → Download options → CSV, the only way to get
archived series such as EN.ATM.CO2E.LF.KT from the WDI Database Archives) are read too, in
the default layout: header ``Series Name, Series Code, Country Name, Country Code, 2000
[YR2000], ...``, ``..`` for a missing value, then empty rows and the two footer lines
``Data from database: ...`` and ``Last Updated: MM/DD/YYYY`` (kept in ``attrs``). The zip
DataBank sends holds ``<id>_Data.csv`` and ``<id>_Metadata.csv``; the data member is chosen.
Renamed ISO codes (ZAR, ROM, TMP, BUR; :data:`geotrade.schema.CODE_ALIASES`) are mapped. An
other code that is no economy but carries the exact name of one (``ADO``, "Andorra", in 2015
exports) gets that economy's code, listed in ``attrs["recoded"]``; anything else keeps its
code (aggregates stay aggregates). Other layouts (Time in the rows) are refused with a
message saying which layout to choose.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from geotrade import reference
from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.io.canonical import ROW, as_str
from geotrade.io.numbers import parse_numbers
from geotrade.io.readers import _tabular
from geotrade.schema import CODE_ALIASES

__all__ = ["WDI_COLUMNS", "read_wdi"]

#: Columns of the tidy table.
WDI_COLUMNS = (
    "iso3",
    "country_name",
    "year",
    "indicator",
    "indicator_name",
    "value",
    "is_aggregate",
)
_ID_COLUMNS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
#: DataBank export: "Series" columns are the bulk file's "Indicator" columns.
_DATABANK_RENAME = {"Series Name": "Indicator Name", "Series Code": "Indicator Code"}
_DATABANK_YEAR = re.compile(r"^(\d{4}) \[YR(\d{4})\]$")


def _recode_by_name(iso3: pd.Series, names: pd.Series) -> dict[str, str]:
    """Old codes of an economy the file names exactly like a current one (ADO, Andorra).

    A code that is neither an ISO3 economy of geotrade's country table nor one of the
    renamings in :data:`geotrade.schema.CODE_ALIASES` keeps its rows only if its country name
    is exactly (case aside) the English name of one economy; World Bank aggregates ("World",
    "East Asia & Pacific") match no economy and stay aggregates.
    """
    ref = reference.countries()
    known = set(ref["iso3"])
    by_name: dict[str, str] = {}
    for col in ("name_en", "name_en_common"):
        for n, c in zip(ref[col].astype(str), ref["iso3"], strict=True):
            by_name.setdefault(n.strip().casefold(), c)
    out: dict[str, str] = {}
    present = set(iso3.dropna())
    pairs = pd.DataFrame({"code": iso3, "name": names}).dropna().drop_duplicates()
    for code, name in pairs.itertuples(index=False):
        if code in known or code in out:
            continue
        hit = by_name.get(str(name).strip().casefold())
        if hit is not None and hit not in present:  # never merge two codes of one file
            out[code] = hit
    return out


def _from_databank(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """DataBank layout -> the bulk layout (columns renamed, footer rows dropped)."""
    cols = {str(c).strip(): c for c in df.columns}
    if "Time" in cols or "Time Code" in cols:
        msg = (
            "a DataBank export with Time in the rows; export again with Layout: Time in "
            "the columns, Series and Country in the rows (the default)"
        )
        raise InputFormatError(msg, path=path, row=1, column="Time")
    rename = {cols[k]: v for k, v in _DATABANK_RENAME.items() if k in cols}
    for name, c in cols.items():
        m = _DATABANK_YEAR.match(name)
        if m is not None and m.group(1) == m.group(2):
            rename[c] = m.group(1)
    df = df.rename(columns=rename)
    code = as_str(df["Country Code"])
    series = as_str(df["Indicator Code"])
    footer = code.isna() & series.isna()  # empty rows, "Data from database", "Last Updated"
    notes = as_str(df.loc[footer, "Indicator Name"]).dropna().tolist()
    df = df.loc[~footer].copy()
    df.attrs["databank_footer"] = notes
    return df


def _preamble(path: Path, member: str | None) -> int:
    lines = _tabular.head_text(path, member=member, lines=6)
    if not lines or not "".join(lines).strip():
        msg = "the file is empty; expected a World Bank API_ CSV"
        raise InputFormatError(msg, path=path)
    first = lines[0].lstrip("\ufeff").strip().strip('"')
    return 4 if first.startswith("Data Source") else 0


def _metadata(path: Path, member: str | None) -> pd.Series | None:
    """Region of each country code from Metadata_Country_*.csv (next to it / in the zip)."""
    try:
        if _tabular.container(path) == "zip":
            meta = _tabular.select_member(path, None, patterns=(r"^Metadata_Country.*\.csv$",))[0]
            tables = list(_tabular.iter_table(path, member=meta))
        else:
            stem = path.name.split(".")[0]
            cands = sorted(path.parent.glob(f"Metadata_Country_{stem}*.csv")) or sorted(
                path.parent.glob("Metadata_Country_*.csv")
            )
            if not cands:
                return None
            tables = list(_tabular.iter_table(cands[0]))
    except InputFormatError:
        return None
    df = pd.concat(tables, ignore_index=True)
    if "Country Code" not in df.columns or "Region" not in df.columns:
        return None
    return pd.Series(as_str(df["Region"]).to_numpy(), index=as_str(df["Country Code"]).to_numpy())


def read_wdi(path: str | os.PathLike[str], *, member: str | None = None) -> pd.DataFrame:
    r"""Read a World Bank bulk indicator CSV (WDI, WGI) as a tidy table.

    Parameters
    ----------
    path
        ``API_*.csv`` (plain, ``.gz``) or the World Bank zip (the ``API_*`` member is
        chosen); ``.xlsx`` and files without the 4-line preamble are accepted too.
    member
        Zip member to read.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, country_name, year (int64), indicator, indicator_name, value
        (float64), is_aggregate (bool)``, sorted by indicator, iso3, year.

    Raises
    ------
    InputFormatError
        If the header is not the World Bank one.
    ValidationError
        If a year cell is not a number (rows and columns listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "API_PV.EST_DS2_en_csv_v2_1.csv"
    >>> _ = p.write_text('"Data Source","World Development Indicators",\n\n'
    ...     '"Last Updated Date","2025-07-01",\n\n'
    ...     '"Country Name","Country Code","Indicator Name","Indicator Code","2012","2022",\n'
    ...     '"China","CHN","Political Stability","PV.EST","-0.539","-0.451",\n'
    ...     '"World","WLD","Political Stability","PV.EST","","",\n', encoding="utf-8-sig")
    >>> read_wdi(p)[["iso3", "year", "value", "is_aggregate"]]
      iso3  year  value  is_aggregate
    0  CHN  2012 -0.539         False
    1  CHN  2022 -0.451         False
    """
    p = Path(path)
    if _tabular.container(p) == "zip" and member is None:
        member = _tabular.select_member(p, None, patterns=(r"^API_.*\.csv$", r".*_Data\.csv$"))[0]
    skip = 0 if _tabular.container(p) in ("parquet", "xlsx") else _preamble(p, member)
    tables = list(_tabular.iter_table(p, member=member, skiprows=skip))
    df = pd.concat(tables, ignore_index=True)
    names = {str(c).strip() for c in df.columns}
    databank = "Series Code" in names or {"Time", "Time Code"} <= names
    footer: list[str] = []
    if databank:
        df = _from_databank(df, p)
        footer = df.attrs.get("databank_footer", [])
    missing = [c for c in _ID_COLUMNS if c not in df.columns]
    if missing:
        msg = (
            f"missing column(s) {', '.join(map(repr, missing))}: not a World Bank bulk CSV "
            "(expected 4 preamble lines, then Country Name, Country Code, Indicator Name, "
            "Indicator Code, 1960, ...) nor a DataBank export (Series Name, Series Code, "
            "Country Name, Country Code, 2000 [YR2000], ...)"
        )
        raise InputFormatError(msg, path=p, row=skip + 1, column=missing[0])
    years = [c for c in df.columns if str(c).strip().isdigit() and len(str(c).strip()) == 4]
    long = df.melt(id_vars=[*_ID_COLUMNS, ROW], value_vars=years, var_name="year", value_name="raw")
    text = as_str(long["raw"])
    if databank:  # DataBank writes ".." for a missing value
        text = text.mask(text.str.strip() == "..")
    value = pd.Series(parse_numbers(text).values, index=text.index, dtype="float64")
    bad = text.notna() & value.isna()
    if bad.any():
        problems = [
            Problem(f"expected a number, got {t!r}", path=str(p), row=int(r), column=str(y))
            for t, r, y in zip(
                long.loc[bad, "raw"], long.loc[bad, ROW], long.loc[bad, "year"], strict=True
            )
        ][:50]
        raise ValidationError(problems)
    keep = text.notna().to_numpy()
    as_given = as_str(long["Country Code"]).str.upper()
    iso3 = as_given.replace(CODE_ALIASES)
    recoded = _recode_by_name(iso3, as_str(long["Country Name"]))
    if recoded:
        iso3 = iso3.replace(recoded)
    regions = _metadata(p, member)
    if regions is not None:  # the metadata file lists the codes as the data file gives them
        is_agg = as_given.map(lambda c: not isinstance(regions.get(c), str)).astype(bool)
    else:
        known = set(reference.countries()["iso3"])
        is_agg = ~iso3.isin(known)
    out = pd.DataFrame(
        {
            "iso3": iso3,
            "country_name": as_str(long["Country Name"]),
            "year": long["year"].astype("int64"),
            "indicator": as_str(long["Indicator Code"]),
            "indicator_name": as_str(long["Indicator Name"]),
            "value": value.astype("float64"),
            "is_aggregate": is_agg.to_numpy(dtype=bool),
        }
    ).loc[keep]
    out = out.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)
    out.attrs["format"] = "wdi_databank" if databank else "wdi"
    out.attrs["recoded"] = recoded
    if databank:
        updated = [n for n in footer if n.startswith("Last Updated")]
        out.attrs["last_updated"] = updated[0].split(":", 1)[1].strip() if updated else None
    out.attrs["path"] = str(p)
    out.attrs["empty_cells"] = int((~keep).sum())
    out.attrs["aggregates_from"] = "metadata file" if regions is not None else "geotrade reference"
    return out.loc[:, list(WDI_COLUMNS)]
