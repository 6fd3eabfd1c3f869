r"""World Bank income classification: the history (OGHIST) and the current list (CLASS).

Both workbooks are published by the World Bank ("World Bank Country and Lending Groups",
CC BY 4.0) and read as published, without renaming anything:

* ``OGHIST.xlsx``, sheet ``Country Analytical History``: a preamble (title, the row
  ``Bank's fiscal year:`` with the headers ``FY89 ... FY26``, the row ``Data for calendar
  year :`` with the GNI year of each fiscal year, four threshold rows), then one row per
  economy (column A code, column B name) with ``L``, ``LM``, ``UM``, ``H`` or ``..`` (not
  classified) per fiscal year, then a note. A few cells carry a ``*`` (``LM*``: Yemen,
  FY89-FY90, a footnote marker); the marker is kept in ``marker``. A CSV conversion of
  that sheet is read the same way.
* ``CLASS.xlsx``, sheet ``List of economies``: ``Economy, Code, Region, Income group,
  Lending category, ...``, the economies first, then aggregates (``WLD``, ``HIC`` ...)
  with no region.

Which classification applies to a trade year
--------------------------------------------
The classification of fiscal year FY\ *t* is published on 1 July of *t* − 1, based on GNI
per capita of calendar year *t* − 2, and is fixed until 30 June of *t* (the workbook's
"Data for calendar year" row: FY89 ↔ 1987). :func:`fiscal_year_for` maps a trade
(calendar) year *Y* to a fiscal year by an explicit ``rule``:

* ``"published"`` (default): FY(*Y* + 1), the classification **published in July of Y**
  (GNI of *Y* − 1), in force from July *Y* to June *Y* + 1 — the one in force for most of
  the second half of *Y* and the one an analyst in *Y* would have used;
* ``"gni"``: FY(*Y* + 2), the classification **computed from GNI of Y** (published July
  *Y* + 1): the income level *of* year *Y*;
* ``"ending"``: FY(*Y*), the fiscal year ending 30 June *Y* (in force January-June *Y*).

Taiwan (``TWN``, "Taiwan, China") is listed and classified High income in both files.

Examples
--------
>>> fiscal_year_for(2012), fiscal_year_for(2012, rule="gni"), fiscal_year_for(2012, rule="ending")
(2013, 2014, 2012)
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError
from geotrade.schema import CODE_ALIASES

__all__ = [
    "CLASS_COLUMNS",
    "HISTORY_COLUMNS",
    "INCOME_CODES",
    "INCOME_LABELS",
    "FiscalYearRule",
    "fiscal_year_for",
    "income_groups_by_year",
    "read_income_class",
    "read_income_history",
]

FiscalYearRule = Literal["published", "gni", "ending"]
_OFFSET: dict[str, int] = {"published": 1, "gni": 2, "ending": 0}

#: Income-group codes of OGHIST and their labels (the labels CLASS.xlsx uses).
INCOME_LABELS: dict[str, str] = {
    "L": "Low income",
    "LM": "Lower middle income",
    "UM": "Upper middle income",
    "H": "High income",
}
#: Label -> code.
INCOME_CODES: dict[str, str] = {v: k for k, v in INCOME_LABELS.items()}
#: Columns of :func:`read_income_history`.
HISTORY_COLUMNS = ("iso3", "fy", "income_group", "marker", "name")
#: Columns of :func:`read_income_class`.
CLASS_COLUMNS = ("iso3", "name", "region", "income_group")

_HISTORY_SHEET = "Country Analytical History"
_CLASS_SHEET = "List of economies"
_FY = re.compile(r"^FY\s?(\d{2})$", re.IGNORECASE)
_UNCLASSIFIED = {"", "..", "n/a", "na"}


def fiscal_year_for(year: int, *, rule: FiscalYearRule = "published") -> int:
    """Fiscal year (four digits: FY13 -> 2013) whose classification a trade year uses.

    Parameters
    ----------
    year
        Calendar (trade) year.
    rule
        ``"published"`` (default; FY(year + 1), published July ``year``, GNI of year − 1),
        ``"gni"`` (FY(year + 2), based on GNI of ``year``) or ``"ending"`` (FY(year)). See
        the module docstring.

    Examples
    --------
    >>> fiscal_year_for(2022)  # FY23: published 1 July 2022, GNI per capita of 2021
    2023
    """
    if rule not in _OFFSET:
        msg = f"rule must be one of {', '.join(_OFFSET)}; got {rule!r}"
        raise ValueError(msg)
    return int(year) + _OFFSET[rule]


def _fy_year(two: str) -> int:
    n = int(two)
    return 1900 + n if n >= 50 else 2000 + n


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _exists(p: Path) -> None:
    if not p.is_file():
        msg = "file not found"
        raise DataNotFoundError(msg, path=p)


def _xlsx_rows(p: Path, sheet: str) -> list[tuple[object, ...]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        msg = f"cannot read the file as an .xlsx workbook ({exc})"
        raise InputFormatError(msg, path=p) from exc
    try:
        if sheet not in wb.sheetnames:
            msg = (
                f"the workbook has no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)}); "
                "expected the World Bank workbook as downloaded"
            )
            raise InputFormatError(msg, path=p)
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def _csv_rows(p: Path) -> list[tuple[object, ...]]:
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    counts = {s: sample.count(s) for s in (",", ";", "\t")}
    sep = max(counts, key=lambda s: counts[s])
    return [tuple(r) for r in csv.reader(io.StringIO(text), delimiter=sep)]


def _rows(path: str | os.PathLike[str], sheet: str) -> tuple[Path, list[tuple[object, ...]]]:
    p = Path(path)
    _exists(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return p, _xlsx_rows(p, sheet)
    if p.suffix.lower() == ".xls":
        msg = "old .xls workbooks are not read; open it and save as .xlsx (or CSV)"
        raise InputFormatError(msg, path=p)
    return p, _csv_rows(p)


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _code(raw: str) -> str:
    """Economy code as published; three-letter codes upper-cased and legacy ones mapped."""
    if len(raw) == 3 and raw.isalpha():
        u = raw.upper()
        return CODE_ALIASES.get(u, u)
    return raw


def _check_fy_sequence(
    p: Path, header: tuple[object, ...], header_i: int, fy_cols: dict[int, int]
) -> None:
    """FY columns must be adjacent and consecutive: a gap would silently lose years."""
    cols = sorted(fy_cols)
    for a, b in itertools.pairwise(cols):
        if b != a + 1 or fy_cols[b] != fy_cols[a] + 1:
            prev = _text(header[a])
            got = _text(header[a + 1]) if a + 1 < len(header) else ""
            msg = (
                f"the fiscal-year header is not consecutive after {prev}: expected "
                f"FY{(fy_cols[a] + 1) % 100:02d}, got {got!r} (a formula without a saved "
                "value? re-save the workbook in Excel)"
            )
            raise InputFormatError(
                msg, path=p, row=header_i + 1, column=f"{got or '(empty)'} ({_col_letter(a + 1)})"
            )


def read_income_history(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read the World Bank income classification history (OGHIST) as a long table.

    Parameters
    ----------
    path
        ``OGHIST.xlsx`` as downloaded (sheet ``Country Analytical History``) or a CSV
        conversion of that sheet (``,``, ``;`` or tab).

    Returns
    -------
    pandas.DataFrame
        ``iso3, fy (int64, FY13 -> 2013), income_group ('L', 'LM', 'UM', 'H'), marker
        (bool: the cell carried a '*'), name``, one row per economy and fiscal year in
        which it was classified; ``..`` and blank cells (not classified) are not rows.
        Codes are as published (legacy ROM/ZAR/TMP mapped to ROU/COD/TLS; the former
        economies keep their codes, e.g. ``YUG`` "Serbia and Montenegro (former)" and the
        non-ISO ``YUGf`` "Yugoslavia (former)"). ``attrs``: ``fiscal_years`` (all FY
        columns), ``economies`` (every code listed), ``gni_year`` (FY -> GNI year from the
        "Data for calendar year" row, when present), ``unclassified_cells``, ``notes``.

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InputFormatError
        If the sheet or the ``FY..`` header row is missing.
    ValidationError
        If a cell is not L, LM, UM, H (optionally with ``*``) or ``..``; each problem names
        the row (spreadsheet numbering) and the FY column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "OGHIST.csv"
    >>> _ = p.write_text("World Bank Analytical Classifications\n"
    ...     ",Bank's fiscal year:,FY12,FY13\n,Data for calendar year :,2010,2011\n"
    ...     "CHN,China,UM,UM\nTWN,\"Taiwan, China\",H,H\nSRB,Serbia,..,UM\n")
    >>> read_income_history(p)
      iso3    fy income_group  marker           name
    0  CHN  2012           UM   False          China
    1  CHN  2013           UM   False          China
    2  SRB  2013           UM   False         Serbia
    3  TWN  2012            H   False  Taiwan, China
    4  TWN  2013            H   False  Taiwan, China
    """
    p, rows = _rows(path, _HISTORY_SHEET)
    header_i = None
    fy_cols: dict[int, int] = {}
    for i, r in enumerate(rows[:40]):
        matches = {j: _FY.match(_text(v)) for j, v in enumerate(r)}
        found = {j: m for j, m in matches.items() if m is not None}
        if len(found) >= 2:
            header_i = i
            fy_cols = {j: _fy_year(m.group(1)) for j, m in found.items()}
            break
    if header_i is None:
        msg = (
            "no header row with fiscal years (FY89, FY90, ...) in the first 40 rows; expected "
            f"the World Bank OGHIST workbook (sheet {_HISTORY_SHEET!r})"
        )
        raise InputFormatError(msg, path=p)
    _check_fy_sequence(p, rows[header_i], header_i, fy_cols)
    first_fy = min(fy_cols)
    if first_fy < 2:
        msg = "expected the economy code and name in the two columns before the first FY column"
        raise InputFormatError(msg, path=p, row=header_i + 1, column=_text(rows[header_i][0]))
    code_j, name_j = 0, 1
    gni: dict[int, int] = {}
    problems: list[Problem] = []
    records: list[tuple[str, int, str, bool, str]] = []
    economies: list[str] = []
    unclassified = 0
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        label = _text(r[name_j]) if len(r) > name_j else ""
        code = _text(r[code_j]) if len(r) > code_j else ""
        if not code:
            if label.lower().startswith("data for calendar year"):
                for j, fy in fy_cols.items():
                    t = _text(r[j]) if j < len(r) else ""
                    if t.isdigit():
                        gni[fy] = int(t)
            continue  # thresholds, blank rows, the closing note
        iso = _code(code)
        economies.append(iso)
        for j, fy in fy_cols.items():
            t = _text(r[j]) if j < len(r) else ""
            if t.lower() in _UNCLASSIFIED:
                unclassified += 1
                continue
            marker = t.endswith("*")
            g = t.rstrip("*").strip().upper()
            if g not in INCOME_LABELS:
                problems.append(
                    Problem(
                        f"expected L, LM, UM, H (optionally with '*') or '..', got {t!r}",
                        path=str(p),
                        row=i + 1,
                        column=f"{_text(rows[header_i][j])} ({_col_letter(j)})",
                    )
                )
                continue
            records.append((iso, fy, g, marker, label))
    if problems:
        raise ValidationError(problems)
    if not economies:
        msg = "no economy rows below the FY header (expected code, name, L/LM/UM/H ...)"
        raise InputFormatError(msg, path=p, row=header_i + 2)
    out = pd.DataFrame(records, columns=list(HISTORY_COLUMNS)).astype(
        {"fy": "int64", "marker": bool}
    )
    out = out.sort_values(["iso3", "fy"], kind="stable").reset_index(drop=True)
    notes: list[str] = []
    bad_gni = {fy: g for fy, g in gni.items() if g != fy - 2}
    if bad_gni:
        notes.append(
            "the 'Data for calendar year' row does not follow FY(t) <- GNI of t-2 for "
            + ", ".join(f"FY{fy % 100:02d}: {g}" for fy, g in sorted(bad_gni.items()))
        )
    odd = sorted({e for e in economies if not (len(e) == 3 and e.isalpha() and e.isupper())})
    if odd:
        notes.append(f"codes that are not ISO3 are kept as published: {', '.join(odd)}")
    if int(out["marker"].sum()):
        starred = sorted(set(out.loc[out["marker"], "iso3"]))
        notes.append(f"cells with a '*' marker (see the workbook's notes): {', '.join(starred)}")
    out.attrs.update(
        {
            "format": "wb-oghist",
            "path": str(p),
            "fiscal_years": sorted(fy_cols.values()),
            "economies": sorted(set(economies)),
            "gni_year": dict(sorted(gni.items())),
            "unclassified_cells": unclassified,
            "notes": notes,
        }
    )
    return out


def read_income_class(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read the World Bank's current classification list (``CLASS.xlsx``).

    Parameters
    ----------
    path
        ``CLASS.xlsx`` as downloaded (sheet ``List of economies``; header ``Economy, Code,
        Region, Income group, ...``) or a CSV with that header.

    Returns
    -------
    pandas.DataFrame
        ``iso3, name, region, income_group`` (``'L', 'LM', 'UM', 'H'``, or ``""`` for an
        economy the World Bank leaves unclassified, e.g. Venezuela since FY22), one row
        per economy. Aggregates (rows without a region: ``WLD``, ``HIC`` ...) are left
        out and counted in ``attrs["aggregates"]``; unclassified economies are listed in
        ``attrs["unclassified"]``.

    Raises
    ------
    InputFormatError
        If the sheet or a column is missing.
    ValidationError
        If an income group is not one of the four World Bank labels.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "CLASS.csv"
    >>> _ = p.write_text("Economy,Code,Region,Income group,Lending category\n"
    ...     '"Taiwan, China",TWN,East Asia & Pacific,High income,\n'
    ...     "China,CHN,East Asia & Pacific,Upper middle income,IBRD\nWorld,WLD,,,\n")
    >>> read_income_class(p)
      iso3           name               region income_group
    0  TWN  Taiwan, China  East Asia & Pacific            H
    1  CHN          China  East Asia & Pacific           UM
    """
    p, rows = _rows(path, _CLASS_SHEET)
    need = ("Economy", "Code", "Region", "Income group")
    header_i = next(
        (i for i, r in enumerate(rows[:20]) if {_text(v) for v in r} >= set(need)), None
    )
    if header_i is None:
        first = [_text(v) for v in rows[0]] if rows else []
        msg = (
            f"expected a header with columns {', '.join(need)} (World Bank CLASS.xlsx, sheet "
            f"{_CLASS_SHEET!r}); found {', '.join(c for c in first if c) or 'nothing'}"
        )
        raise InputFormatError(msg, path=p, row=1)
    head = [_text(v) for v in rows[header_i]]
    col = {c: head.index(c) for c in need}
    problems: list[Problem] = []
    records: list[tuple[str, str, str, str]] = []
    aggregates = 0
    unclassified: list[str] = []
    for i in range(header_i + 1, len(rows)):
        r = rows[i]
        cell = {c: (_text(r[j]) if j < len(r) else "") for c, j in col.items()}
        if not cell["Code"]:
            continue
        if not cell["Region"]:
            aggregates += 1
            continue
        label = cell["Income group"]
        if label and label not in INCOME_CODES:
            problems.append(
                Problem(
                    f"expected one of {', '.join(INCOME_CODES)} or blank, got {label!r}",
                    path=str(p),
                    row=i + 1,
                    column="Income group",
                )
            )
            continue
        iso = _code(cell["Code"])
        if not label:
            unclassified.append(iso)
        records.append((iso, cell["Economy"], cell["Region"], INCOME_CODES.get(label, "")))
    if problems:
        raise ValidationError(problems)
    out = pd.DataFrame(records, columns=list(CLASS_COLUMNS))
    out.attrs.update(
        {
            "format": "wb-class",
            "path": str(p),
            "aggregates": aggregates,
            "unclassified": unclassified,
        }
    )
    return out


def income_groups_by_year(
    history: pd.DataFrame,
    years: Iterable[int],
    *,
    rule: FiscalYearRule = "published",
) -> pd.DataFrame:
    """World Bank income group of each economy in each trade year, from the history.

    Parameters
    ----------
    history
        The table from :func:`read_income_history`.
    years
        Trade (calendar) years.
    rule
        Trade year -> fiscal year (:func:`fiscal_year_for`); default ``"published"``: the
        classification published in July of the year, FY(year + 1).

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, group, fy``; ``group`` is the World Bank label (``"High income"``
        ...) or ``""`` where the economy is listed but was not classified in that fiscal
        year (``..``). Years whose fiscal year is not in the history have no rows (listed
        in ``attrs["years_not_covered"]``). ``attrs["rule"]``.

    Examples
    --------
    >>> h = pd.DataFrame({"iso3": ["CHN", "CHN"], "fy": [2011, 2012],
    ...     "income_group": ["LM", "UM"], "marker": False, "name": "China"})
    >>> income_groups_by_year(h, [2010, 2011, 2015])
      iso3  year                group    fy
    0  CHN  2010  Lower middle income  2011
    1  CHN  2011  Upper middle income  2012
    >>> income_groups_by_year(h, [2010, 2011, 2015]).attrs["years_not_covered"]
    [2015]
    """
    missing = set(HISTORY_COLUMNS[:3]) - set(history.columns)
    if missing:
        msg = (
            f"the income history needs columns iso3, fy, income_group (from "
            f"read_income_history); missing {', '.join(sorted(missing))}"
        )
        raise InputFormatError(msg)
    fys = set(history.attrs.get("fiscal_years") or history["fy"].astype("int64"))
    econ = sorted(set(history.attrs.get("economies") or history["iso3"].astype(str)))
    yrs = sorted({int(y) for y in years})
    fy_of = {y: fiscal_year_for(y, rule=rule) for y in yrs}
    covered = [y for y in yrs if fy_of[y] in fys]
    lookup = {
        (str(i), int(f)): INCOME_LABELS.get(str(g).rstrip("*").upper(), "")
        for i, f, g in zip(history["iso3"], history["fy"], history["income_group"], strict=True)
    }
    rows = [(e, y, lookup.get((e, fy_of[y]), ""), fy_of[y]) for e in econ for y in covered]
    out = pd.DataFrame(rows, columns=["iso3", "year", "group", "fy"]).astype(
        {"year": "int64", "fy": "int64"}
    )
    out.attrs["rule"] = rule
    out.attrs["years_not_covered"] = [y for y in yrs if y not in covered]
    return out
