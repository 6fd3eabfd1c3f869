r"""Read any table of countries, provinces or prefectures for ``geotrade map``.

One row per unit, header in row 1, in any format :func:`geotrade.io.recycling.read_table`
reads (CSV/TSV in UTF-8 or GBK, XLSX, Parquet). :func:`read_map_table` finds the key
column, turns every key into the code of the boundary set and checks the mapped field.

Keys
----
``country``
    The column named by ``key`` (``--key``), else the first header among
    :data:`COUNTRY_KEY_HEADERS` (``iso3``, ``iso_a3``, ``partner_iso3``, ``country`` ...),
    else the column whose values are best recognised as countries (at least 60 % of its
    distinct values). A value may be an ISO3 code (aliases of
    :data:`geotrade.schema.CODE_ALIASES` applied: ``ROM`` -> ``ROU``, ``_490`` -> ``TWN``;
    historical economies such as ``SUN`` and ``_58`` kept), a UN Comtrade / BACI numeric
    area code (``842`` -> ``USA``, ``490`` -> ``TWN``, former ones such as ``810`` ->
    ``SUN``; :func:`geotrade.reference.comtrade_to_iso3`, then
    :func:`geotrade.schema.historical_by_comtrade_code`), else an ISO 3166-1 numeric code
    (``840`` -> ``USA``), or an English or Chinese country name of
    :func:`geotrade.reference.countries` (``China``, ``中国``). Other keys are kept as
    written: the join report lists them with the closest names.
``province``, ``prefecture``
    As every province/prefecture table (:func:`geotrade.io.recycling.read_unit_table`):
    adcodes or Chinese, pinyin or English names, aliases, an optional province column for
    prefecture names shared by two provinces.

Values
------
Numeric fields: numbers as :mod:`geotrade.io.numbers` reads them (negative values
allowed); empty cells and the missing-value marks of :data:`MISSING_MARKS` (``NA``,
``..`` of World Bank files, ``-``) are "no data", never zero. Anything else is an error
naming the file, the row and the column. Categorical fields (``categorical=True``): the
text of each cell (trimmed); empty cells are "no data".

With a ``year`` column (``year``, ``年份``), ``year`` selects one year; it is required when
the table has several.

Examples
--------
>>> import io
>>> csv = "iso3,degree\nCHN,12\nrom,3\n842,\"1,204\"\nWLD,\n"
>>> t = read_map_table(io.BytesIO(csv.encode()), level="country", field="degree")
>>> t[["key", "degree"]].values.tolist()
[['CHN', 12.0], ['ROU', 3.0], ['USA', 1204.0], ['WLD', nan]]
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence
from typing import IO, Literal

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem, ValidationError

__all__ = ["COUNTRY_KEY_HEADERS", "MISSING_MARKS", "country_codes", "read_map_table"]

Source = str | os.PathLike[str] | IO[bytes]
Level = Literal["country", "province", "prefecture"]

#: Headers recognised as the country key, in order of preference (case- and
#: space-insensitive).
COUNTRY_KEY_HEADERS: tuple[str, ...] = (
    "iso3",
    "iso_a3",
    "iso3_code",
    "country_iso3",
    "iso_3digit_alpha",
    "partner_iso3",
    "reporter_iso3",
    "iso",
    "country_code",
    "countrycode",
    "partnercode",
    "reportercode",
    "code",
    "economy",
    "country",
    "country_name",
    "name",
    "国家",
    "国家代码",
    "经济体",
)
#: Cells that mean "no value" in a numeric field (compared case-insensitively, trimmed).
MISSING_MARKS: frozenset[str] = frozenset({"", "na", "n/a", "nan", "null", "none", "..", "-", "—"})
_YEAR_HEADERS = ("year", "年份", "年")
_MAX_LISTED = 20


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    return unicodedata.normalize("NFKC", str(v)).strip()


@functools.cache
def _country_names() -> dict[str, str]:
    """Case-folded English and Chinese names of :func:`geotrade.reference.countries`."""
    from geotrade.reference import countries

    c = countries()
    out: dict[str, str] = {}
    for col in ("name_en", "name_en_common", "name_zh", "name_zh_common"):
        for name, iso in zip(c[col].astype(str), c["iso3"].astype(str), strict=True):
            key = _text(name).casefold()
            if key and key != "nan":
                out.setdefault(key, iso)
    return out


@functools.cache
def _iso_numeric() -> dict[str, str]:
    from geotrade.reference import countries

    c = countries()
    return {
        str(n).lstrip("0") or "0": str(i)
        for n, i in zip(c["iso_num"], c["iso3"], strict=True)
        if isinstance(n, str) and n.isdigit()
    }


def _one_country(value: object) -> tuple[str | None, bool]:
    """(code, recognised) of one key cell; ``None`` for an empty cell."""
    from geotrade.reference import comtrade_to_iso3
    from geotrade.schema import code_kinds, historical_by_comtrade_code, normalise_codes

    text = _text(value)
    if not text:
        return None, False
    digits = text[:-2] if text.endswith(".0") else text
    if digits.isdigit():
        n = digits.lstrip("0") or "0"
        iso = comtrade_to_iso3([n]).iloc[0]
        if iso is not pd.NA:
            return str(iso), True
        hist = historical_by_comtrade_code().get(n)
        if hist is not None:
            return hist, True
        iso_n = _iso_numeric().get(n)
        if iso_n is not None:
            return iso_n, True
        code = normalise_codes(pd.Series([f"_{n}"])).iloc[0]
        return str(code), code_kinds(pd.Series([code])).iloc[0] != "unknown"
    if re.fullmatch(r"_?[A-Za-z0-9]{1,3}", text):
        code = str(normalise_codes(pd.Series([text])).iloc[0])
        kind = code_kinds(pd.Series([code])).iloc[0]
        if kind != "unknown":
            return code, True
    iso = _country_names().get(text.casefold())
    if iso is not None:
        return iso, True
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else text, False


def country_codes(values: Sequence[object] | pd.Series) -> tuple[list[str | None], list[bool]]:
    """Turn country keys into ISO3 (or historical/aggregate) codes; see the module notes.

    Returns the codes (``None`` for empty cells) and whether each was recognised.

    Examples
    --------
    >>> country_codes(["chn", "156", "840", "_490", "810", "中国", "Atlantis"])[0]
    ['CHN', 'CHN', 'USA', 'TWN', 'SUN', 'CHN', 'Atlantis']
    """
    cache: dict[object, tuple[str | None, bool]] = {}
    codes: list[str | None] = []
    known: list[bool] = []
    for v in list(values):
        k = _text(v)
        if k not in cache:
            cache[k] = _one_country(k)
        c, ok = cache[k]
        codes.append(c)
        known.append(ok)
    return codes, known


def _folded(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def _find_column(df: pd.DataFrame, name: str, what: str, path: str) -> str:
    if name in df.columns:
        return name
    hit = {_folded(c): c for c in df.columns}.get(_folded(name))
    if hit is None:
        msg = f"{what} column {name!r} not in the table; columns: {list(df.columns)}"
        raise InputFormatError(msg, path=path, column=name)
    return hit


def _country_key(df: pd.DataFrame, key: str | None, path: str, exclude: set[str]) -> str:
    if key is not None:
        return _find_column(df, key, "--key", path)
    folded = {_folded(c): c for c in df.columns if c not in exclude}
    for h in COUNTRY_KEY_HEADERS:
        if _folded(h) in folded:
            return folded[_folded(h)]
    best, share = None, 0.0
    for c in df.columns:
        if c in exclude:
            continue
        distinct = [v for v in pd.unique(df[c].dropna()) if _text(v)][:200]
        if not distinct:
            continue
        s = sum(country_codes(distinct)[1]) / len(distinct)
        if s > share:
            best, share = c, s
    if best is None or share < 0.6:
        msg = (
            "the table needs a column of countries (ISO3 codes, Comtrade numeric codes or "
            f"names); no header is a known one and no column's content matches (columns: "
            f"{list(df.columns)}). Name it with --key"
        )
        raise InputFormatError(msg, path=path)
    return str(best)


def _year_column(df: pd.DataFrame) -> str | None:
    folded = {_folded(c): c for c in df.columns}
    for h in _YEAR_HEADERS:
        if _folded(h) in folded:
            return str(folded[_folded(h)])
    return None


def _select_year(
    df: pd.DataFrame, column: str, year: int | None, path: str, rows: np.ndarray
) -> pd.DataFrame:
    from geotrade.options import YEAR_MAX, YEAR_MIN

    problems: list[Problem] = []
    parsed: list[int | None] = []
    for raw, row in zip(df[column].tolist(), rows, strict=True):
        t = _text(raw).removesuffix("年")
        t = t[:-2] if t.endswith(".0") else t
        if re.fullmatch(r"\d{4}", t) and YEAR_MIN <= int(t) <= YEAR_MAX:
            parsed.append(int(t))
        else:
            parsed.append(None)
            problems.append(
                Problem(
                    f"expected a year ({YEAR_MIN}-{YEAR_MAX}), got {raw!r}",
                    path=path,
                    row=int(row),
                    column=column,
                )
            )
    if problems:
        raise ValidationError(problems[:_MAX_LISTED])
    present = sorted({y for y in parsed if y is not None})
    if year is None:
        if len(present) > 1:
            msg = f"the table has several years {present}; choose one with --year"
            raise InputFormatError(msg, path=path, column=column)
        return df
    if year not in present:
        msg = f"year {year} not in the table; years present: {present}"
        raise InputFormatError(msg, path=path, column=column)
    return df[[y == year for y in parsed]]


def _values(
    cells: pd.Series,
    rows: np.ndarray,
    *,
    field: str,
    categorical: bool,
    thousands: bool,
    path: str,
) -> pd.Series:
    """Parse the mapped field: floats (NaN = no data) or trimmed text (None = no data)."""
    from geotrade.io.numbers import number_hint, parse_number

    if categorical:
        out_c = [_text(v) or None for v in cells.tolist()]
        return pd.Series(out_c, index=cells.index, dtype=object)
    problems: list[Problem] = []
    out = np.full(len(cells), np.nan)
    for i, (raw, row) in enumerate(zip(cells.tolist(), rows, strict=True)):
        t = _text(raw)
        if t.casefold() in MISSING_MARKS:
            continue
        try:
            v = parse_number(t, thousands=thousands, fullwidth=True)
        except ValueError:
            hint = number_hint(t, thousands=thousands)
            problems.append(
                Problem(
                    f"not a number: {raw!r}"
                    + (f" ({hint})" if hint else "")
                    + "; leave the cell empty for no data, or map the field with --categorical",
                    path=path,
                    row=int(row),
                    column=field,
                )
            )
            continue
        out[i] = v
    if problems:
        extra = len(problems) - _MAX_LISTED
        listed = problems[:_MAX_LISTED]
        if extra > 0:
            listed.append(Problem(f"... {extra} more", path=path, column=field))
        raise ValidationError(listed)
    return pd.Series(out, index=cells.index)


def read_map_table(
    source: Source,
    *,
    level: Level,
    field: str,
    categorical: bool = False,
    key: str | None = None,
    province_key: str | None = None,
    aliases: object = None,
    year: int | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a table to map: one row per unit, keyed by the boundary set's codes.

    Parameters
    ----------
    source
        Path or binary stream (CSV/TSV, XLSX, Parquet).
    level
        ``"country"``, ``"province"`` or ``"prefecture"``.
    field
        Column to map (case- and space-insensitive match of the header).
    categorical
        Read ``field`` as categories (text) instead of numbers.
    key, province_key
        Header of the unit column (``--key``) and, for prefectures, of the province column
        (``--province-key``); found automatically by default.
    aliases
        :class:`geotrade.names.Aliases` of user spellings (provinces and prefectures).
    year
        Year to keep when the table has a year column.
    sheet
        XLSX sheet.

    Returns
    -------
    pandas.DataFrame
        ``key`` (ISO3/historical code or adcode), ``name_input`` (the key as written),
        ``source_row`` (the file's row) and ``field`` (float, NaN = no data; or object
        with ``None`` = no data). ``attrs``: ``key_column``, ``year_column``, ``notes``.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputFormatError
        No key column, no column ``field``, a key or field that is the same column, or a
        year problem.
    ValidationError
        Bad cells (every one listed with row and column), duplicated units, unknown
        Chinese names.
    """
    from geotrade.io.recycling import _label, _line_numbers, read_table, read_unit_table

    path = _label(source)
    notes: list[str] = []
    if level == "country":
        raw = read_table(source, sheet=sheet)
        field_col = _find_column(raw, field, "--field", path)
        ycol = _year_column(raw)
        exclude = {field_col} | ({ycol} if ycol else set())
        try:
            key_col = _country_key(raw, key, path, exclude if key is None else set())
        except InputFormatError:
            if _country_key(raw, None, path, set()) == field_col:
                msg = f"--field {field!r} is the key column; map another column"
                raise InputFormatError(msg, path=path, column=field_col) from None
            raise
        if key_col == field_col:
            msg = f"--field {field!r} is the key column; map another column"
            raise InputFormatError(msg, path=path, column=field_col)
        rows = _line_numbers(raw)
        df = raw
        if ycol is not None and ycol not in (key_col, field_col):
            df = _select_year(raw, ycol, year, path, rows)
            rows = _line_numbers(df)
        elif year is not None:
            msg = f"--year {year} given but the table has no year column"
            raise InputFormatError(msg, path=path)
        codes, _known = country_codes(df[key_col])
        problems = [
            Problem("missing country code or name", path=path, row=int(r), column=key_col)
            for c, r in zip(codes, rows, strict=True)
            if c is None
        ]
        first: dict[str, int] = {}
        for c, r, v in zip(codes, rows, df[key_col].tolist(), strict=True):
            if c is None:
                continue
            if c in first:
                problems.append(
                    Problem(
                        f"{v!r} is {c}, already on row {first[c]}; keep one row per country "
                        "(filter to one year or sum the rows first)",
                        path=path,
                        row=int(r),
                        column=key_col,
                    )
                )
            else:
                first[c] = int(r)
        if problems:
            raise ValidationError(problems[:_MAX_LISTED])
        cells = df[field_col]
        thousands = df.attrs.get("sep") != ";"
        out = pd.DataFrame(
            {
                "key": codes,
                "name_input": [_text(v) for v in df[key_col]],
                "source_row": rows.astype("int64"),
            }
        )
        out[field] = _values(
            cells.reset_index(drop=True), rows, field=field_col, categorical=categorical,
            thousands=thousands, path=path,
        ).to_numpy()  # fmt: skip
    else:
        unit = read_unit_table(
            source,
            level=level,
            numeric=[],
            year=year,
            sheet=sheet,
            key=key,
            province_key=province_key,
            aliases=aliases,  # type: ignore[arg-type]
        )
        if field in unit.columns:
            field_col = field
        else:
            hits = [c for c in unit.columns if _folded(str(c)) == _folded(field)]
            if not hits:
                if _folded(field) in ("year", "年份", "年"):
                    msg = f"--field {field!r} is the year column; map another column"
                else:
                    keyish = ("adcode", "name", "province_adcode", "province", "city")
                    cols = [c for c in unit.columns if c not in (*keyish, "source_row",
                            "name_input", "province_input")]  # fmt: skip
                    msg = (
                        f"--field column {field!r} not in the table (or it is the key "
                        f"column); columns to map: {cols}"
                    )
                raise InputFormatError(msg, path=path, column=field)
            field_col = str(hits[0])
        rows = unit["source_row"].to_numpy()
        out = pd.DataFrame(
            {
                "key": unit["adcode"].astype(str),
                "name_input": unit["name_input"].astype(str),
                "source_row": rows.astype("int64"),
            }
        )
        out[field] = _values(
            unit[field_col], rows, field=field_col, categorical=categorical, thousands=True,
            path=path,
        ).to_numpy()  # fmt: skip
        key_col = "adcode"
        ycol = None
    if not categorical and out[field].isna().all():
        msg = (
            f"column {field!r} has no numeric value (every cell empty or a missing-value "
            "mark); nothing to classify"
        )
        raise InputFormatError(msg, path=path, column=field)
    n_missing = int(pd.isna(out[field]).sum())
    if n_missing:
        notes.append(f"{n_missing} row(s) have no value in {field!r}: mapped as no data")
    out.attrs.update({"key_column": key_col, "year_column": ycol, "notes": notes})
    return out
