"""IMF Climate Change Indicators Dashboard: "Trade in Low Carbon Technology Products".

The CSV (UTF-8 with BOM) has one row per economy x indicator with the columns
``ObjectId, Country, ISO2, ISO3, Indicator, Unit, Source, CTS_Code, CTS_Name,
CTS_Full_Descriptor, Trade_Flow, Scale`` and one wide column per year ``F1994 ... F2023``.
There are 11 indicators: exports, imports, total trade and trade balance in US dollars,
the same as percent of GDP, exports/imports as a share of total exports/imports, and a
comparative-advantage index. Values are **country totals** (no partner, no product
breakdown), so this is not a flow table: :func:`geotrade.read_flows` refuses it and
:func:`read_imf_lct` returns a tidy table instead.

Mapping
-------
* ``iso3`` from ``ISO3``; the row "Other Asia, nes" has no ISO3 and is Taiwan (``TWN``),
  as in Comtrade-derived data; ``World`` (empty ISO3) -> ``WLD``, flagged ``is_aggregate``.
  Belgium-Luxembourg, Fmr Sudan and the South African Common Customs Area (no ISO3 in the
  2024 file) are historical economies: ``_58``, ``_736`` and ``_711`` as in
  :mod:`geotrade.schema`; any other row without ISO3 keeps a missing ``iso3``, is not
  flagged, and is listed in ``df.attrs["no_iso3"]``;
* ``flow``: ``export``, ``import``, ``total`` or ``balance`` for the four US-dollar
  indicators, missing for the others;
* ``value`` is the number as published times ``Scale`` (Units 1, Thousands 1e3, Millions
  1e6, Billions 1e9); ``value_usd`` is that value for the US-dollar indicators only
  (percentages and the index have none);
* empty cells (years without data) are left out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.io.canonical import ROW, as_str
from geotrade.io.readers import _tabular

__all__ = ["IMF_LCT_COLUMNS", "SCALES", "read_imf_lct"]

#: Columns of the tidy table.
IMF_LCT_COLUMNS = (
    "iso3",
    "country",
    "year",
    "indicator",
    "cts_code",
    "flow",
    "unit",
    "scale",
    "value",
    "value_usd",
    "is_aggregate",
)
#: ``Scale`` -> multiplier.
SCALES: dict[str, float] = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_ID = ("Country", "ISO3", "Indicator", "Unit", "Scale")
#: Names of the rows without ISO3 that have a code (source: the file itself; "Other Asia,
#: nes" is Comtrade's area for Taiwan, see notes/real-data.md).
#: The three historical reporting units get the historical codes of geotrade.schema
#: (UN Comtrade areas 58, 736 and 711; geotrade/data/historical_economies.csv).
_NAMED = {
    "other asia, nes": ("TWN", False),
    "world": ("WLD", True),
    "belgium-luxembourg": ("_58", False),
    "fmr sudan": ("_736", False),
    "south african common customs area": ("_711", False),
}
_DOLLAR_FLOWS = (
    (r"^exports of ", "export"),
    (r"^imports of ", "import"),
    (r"^total trade ", "total"),
    (r"^trade balance ", "balance"),
)


def _flow(indicator: str, unit: str) -> str | None:
    if unit.strip().lower() != "us dollars":
        return None
    low = indicator.strip().lower()
    for rx, name in _DOLLAR_FLOWS:
        if re.search(rx, low):
            return name
    return None


def read_imf_lct(path: str | os.PathLike[str], *, member: str | None = None) -> pd.DataFrame:
    r"""Read the IMF "Trade in Low Carbon Technology Products" CSV as a tidy table.

    Parameters
    ----------
    path
        The CSV as downloaded (``.csv``, ``.csv.gz``, ``.zip`` member, ``.xlsx``).
    member
        Zip member to read.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`IMF_LCT_COLUMNS`: ``iso3, country, year (int64), indicator,
        cts_code, flow, unit, scale, value (float64, scaled), value_usd (float64, US-dollar
        indicators only), is_aggregate (bool)``, sorted by indicator, iso3, year
        (``CTS_Code`` is shared by several indicators: use ``indicator`` as the key).

    Raises
    ------
    InputFormatError
        If the columns are not those of the IMF file, or a ``Scale`` is unknown.
    ValidationError
        If a year cell is not a number (rows and columns listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "lct.csv"
    >>> _ = p.write_text(
    ...     "ObjectId,Country,ISO2,ISO3,Indicator,Unit,Source,CTS_Code,CTS_Name,"
    ...     "CTS_Full_Descriptor,Trade_Flow,Scale,F2021,F2022\n"
    ...     "1,China,CN,CHN,Exports of low carbon technology products,US Dollars,IMF,ECBTLX,"
    ...     "x,x,Exports,Millions,,203238.47506\n")
    >>> read_imf_lct(p)[["iso3", "year", "flow", "value_usd"]]
      iso3  year    flow     value_usd
    0  CHN  2022  export  2.032385e+11
    """
    p = Path(path)
    tables = list(_tabular.iter_table(p, member=member))
    df = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    missing = [c for c in _ID if c not in df.columns]
    years = [c for c in df.columns if re.fullmatch(r"F\d{4}", str(c).strip())]
    if missing or not years:
        what = ", ".join(map(repr, missing)) if missing else "the year columns F1994 ..."
        msg = (
            f"missing {what}: not the IMF 'Trade in Low Carbon Technology Products' CSV "
            "(expected ObjectId, Country, ISO2, ISO3, Indicator, Unit, ..., Trade_Flow, Scale, "
            "F1994 ... F2023)"
        )
        raise InputFormatError(msg, path=p, row=1, column=missing[0] if missing else None)
    scale_text = as_str(df["Scale"]).fillna("Units")
    factor = scale_text.str.lower().map(SCALES)
    if factor.isna().any():
        pos = int(np.flatnonzero(factor.isna().to_numpy())[0])
        msg = (
            f"unknown Scale {scale_text.iloc[pos]!r}; expected one of Units, Thousands, "
            "Millions, Billions"
        )
        raise InputFormatError(msg, path=p, row=int(df[ROW].iloc[pos]), column="Scale")
    country = as_str(df["Country"])
    iso3 = as_str(df["ISO3"]).str.upper()
    agg = np.zeros(len(df), dtype=bool)
    no_iso: list[str] = []
    for i in np.flatnonzero(iso3.isna().to_numpy()):
        name = str(country.iloc[i])
        code = _NAMED.get(name.strip().lower())
        if code is not None:
            iso3.iloc[i] = code[0]
            agg[i] = code[1]
        elif name not in no_iso:
            no_iso.append(name)
    cts = as_str(df["CTS_Code"]) if "CTS_Code" in df.columns else as_str(df["Indicator"])
    ids = pd.DataFrame(
        {
            "iso3": iso3,
            "country": country,
            "indicator": as_str(df["Indicator"]),
            "cts_code": cts,
            "flow": [
                _flow(str(a), str(b)) for a, b in zip(df["Indicator"], df["Unit"], strict=True)
            ],
            "unit": as_str(df["Unit"]),
            "scale": scale_text,
            "_factor": factor.astype("float64"),
            "is_aggregate": agg,
            ROW: df[ROW].to_numpy(),
        }
    )
    wide = pd.concat([ids, df[years].reset_index(drop=True)], axis=1)
    long = wide.melt(id_vars=list(ids.columns), value_vars=years, var_name="col", value_name="raw")
    text = as_str(long["raw"])
    num = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & num.isna()
    if bad.any():
        problems = [
            Problem(f"expected a number, got {t!r}", path=str(p), row=int(r), column=str(c))
            for t, r, c in zip(
                long.loc[bad, "raw"], long.loc[bad, ROW], long.loc[bad, "col"], strict=True
            )
        ][:50]
        raise ValidationError(problems)
    keep = text.notna().to_numpy()
    long = long.loc[keep].copy()
    long["year"] = long["col"].str[1:].astype("int64")
    long["value"] = (num[keep] * long["_factor"]).astype("float64")
    dollars = long["unit"].str.lower().eq("us dollars").fillna(False).to_numpy(dtype=bool)
    long["value_usd"] = np.where(dollars, long["value"].to_numpy(), np.nan)
    long["flow"] = long["flow"].astype("str")
    out = long.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)
    out = out.loc[:, list(IMF_LCT_COLUMNS)]
    out["is_aggregate"] = out["is_aggregate"].astype(bool)
    out.attrs.update(
        format="imf-lct",
        path=str(p),
        empty_cells=int((~keep).sum()),
        no_iso3=no_iso,
    )
    return out
