r"""Read and validate battery-recycling input tables (CSV or XLSX).

Four table formats, one row per record, header in row 1. Files may be CSV (UTF-8,
UTF-8 with BOM, or GBK/GB18030 as saved by Chinese Excel) or XLSX (first sheet unless
``sheet=`` is given). Column names are matched case-insensitively after trimming; the
Chinese headers listed below are accepted as aliases. Numbers may contain thousands
separators (only as ``1,234,567.5``; none in semicolon-separated files, where ``19290,5``
is rejected as a likely decimal comma) and full-width digits. Places are given by
adcode or by Chinese/English name (any variant accepted by :mod:`geotrade.names`); every
unmatched name is reported, with the closest candidates, in a single
:class:`~geotrade.errors.ValidationError` that names the file, the spreadsheet row and the
column.

**Province retired volume** (:func:`read_province_volumes`)

=========================  ==========================  =====================================
column                     aliases                     content
=========================  ==========================  =====================================
``province``               省份, 省, province_adcode   name or adcode (required)
``year``                   年份, 年                    integer year (required)
``retired_t``              退役量                      retired volume, tonnes, >= 0
                                                       (forecasts allowed)
``capacity_t``             产能                        optional whitelist capacity, tonnes
``whitelist_firms``        白名单企业数                optional count, integer >= 0
``registered_capital_cny`` 注册资本                    optional, CNY
``forecast``               预测                        optional flag (true/false, 是/否)
=========================  ==========================  =====================================

**Whitelist enterprises** (:func:`read_whitelist`): ``name`` (企业名称, required),
``province`` (省份, required), ``city`` (城市, optional, checked against the province when
given), ``batch`` (批次, integer 1–20), ``capacity_t`` (名义产能/产能, tonnes; may be empty
when unknown — counted in ``capacity_unknown_firms``), ``type`` (类型: 梯次利用, 再生利用 or
both, e.g. ``梯次利用/再生利用``; English ``cascade``/``second-life``/``echelon`` and
``recycling``/``regeneration``/``material recovery`` are accepted).

**Registered capital by province** (:func:`read_capital`): ``province`` and one of
``registered_capital_cny`` (注册资本), ``registered_capital_10k_cny`` (注册资本万元, ×10⁴) or
``registered_capital_100m_cny`` (注册资本亿元, ×10⁸); optional ``firms``.

**Prefecture volume and outlets** (:func:`read_prefectures`): ``adcode`` or ``city``
(城市, 地级市, name; ``name`` is accepted too), optional ``province`` (decides ambiguous
city names and is checked), optional ``year``, ``retired_t`` (退役量, >= 0), ``outlets``
(回收网点, 网点数, integer >= 0).

When a table has both an adcode key and a name column (``adcode`` and ``city``,
``province_adcode`` and ``province``), the names are checked against the codes: rows whose
name is another unit are an error when they are at least a quarter of the rows (and two or
more: a shifted column), else a warning listing them (the adcode is used).

Every reader returns a table keyed by adcodes (``province_adcode`` or ``adcode``, 6-char
strings) with the reference name in ``province`` / ``name``, the original spelling in
``name_input`` where it differed, and the row number in ``source_row``.

Examples
--------
>>> import io
>>> csv = "省份,年份,退役量\n内蒙古,2025,1200\n广西壮族自治区,2025,\"3,400\"\n"
>>> read_province_volumes(io.BytesIO(csv.encode("gbk")))[["province_adcode", "retired_t"]]
  province_adcode  retired_t
0          150000     1200.0
1          450000     3400.0
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError
from geotrade.io.numbers import number_hint, parse_number
from geotrade.io.readers._tabular import check_header
from geotrade.names import Aliases, detect_admin_columns, name_index, resolve_admin_column

__all__ = [
    "WHITELIST_TYPES",
    "read_capital",
    "read_prefectures",
    "read_province_table",
    "read_province_volumes",
    "read_table",
    "read_unit_table",
    "read_whitelist",
    "whitelist_by_province",
]

Source = str | os.PathLike[str] | IO[bytes]

#: Canonical whitelist firm types.
WHITELIST_TYPES = ("梯次利用", "再生利用")

_ALIASES: dict[str, tuple[str, ...]] = {
    "province": ("province", "省份", "省", "省区市", "省级行政区", "province_name"),
    "province_adcode": ("province_adcode", "省级代码", "province_code"),
    "year": ("year", "年份", "年"),
    "retired_t": ("retired_t", "退役量", "退役量_t", "退役量(吨)", "retired", "volume_t"),
    "capacity_t": ("capacity_t", "产能", "名义产能", "产能(吨)", "nameplate_capacity_t"),
    "whitelist_firms": ("whitelist_firms", "白名单企业数", "白名单企业数量"),
    "registered_capital_cny": ("registered_capital_cny", "注册资本", "注册资本(元)"),
    "registered_capital_10k_cny": ("registered_capital_10k_cny", "注册资本万元", "注册资本(万元)"),
    "registered_capital_100m_cny": (
        "registered_capital_100m_cny",
        "注册资本亿元",
        "注册资本(亿元)",
    ),
    "forecast": ("forecast", "预测", "is_forecast"),
    "name": ("name", "企业名称", "企业", "company", "enterprise"),
    "city": ("city", "城市", "地级市", "市", "prefecture", "city_name"),
    "adcode": ("adcode", "城市代码", "行政区划代码", "code"),
    "batch": ("batch", "批次"),
    "type": ("type", "类型", "企业类型"),
    "outlets": ("outlets", "回收网点", "网点数", "网点", "outlet_count"),
    "firms": ("firms", "企业数"),
}


# --------------------------------------------------------------------------- reading


def _label(source: Source) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


def read_table(source: Source, *, sheet: str | int | None = None) -> pd.DataFrame:
    r"""Read a CSV/TSV (UTF-8, UTF-8-BOM or GBK/GB18030), XLSX or Parquet file as strings.

    Parameters
    ----------
    source
        Path or binary stream. ``.xlsx``/``.xlsm`` are read with openpyxl, ``.parquet``
        with pyarrow (cells turned into their text), everything else as CSV (the
        delimiter is sniffed among ``,``, ``;``, tab).
    sheet
        Sheet name or 0-based index (XLSX only; default the first sheet).

    Returns
    -------
    pandas.DataFrame
        Every cell as ``str`` (empty cells as missing), columns trimmed.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputFormatError
        The file is not valid CSV/XLSX/Parquet or its text is in none of the supported encodings.

    Examples
    --------
    >>> read_table(io.BytesIO("\ufeffa,b\n1,x\n".encode("utf-8"))).columns.tolist()
    ['a', 'b']
    """
    label = _label(source)
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if not p.is_file():
            msg = "file not found; check the path"
            raise DataNotFoundError(msg, path=label)
        data = p.read_bytes()
        suffix = p.suffix.lower()
    else:
        data = source.read()
        suffix = Path(label).suffix.lower()
    if suffix == ".parquet" or data[:4] == b"PAR1":
        try:
            df = pd.read_parquet(io.BytesIO(data))
        except Exception as e:
            msg = f"cannot read as a Parquet file ({type(e).__name__}: {e})"
            raise InputFormatError(msg, path=label) from e
        df = df.astype(object).where(df.notna(), np.nan)
        df = df.apply(lambda c: c.map(lambda v: v if v is np.nan else str(v)))
    elif suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        try:
            df = pd.read_excel(
                io.BytesIO(data), sheet_name=0 if sheet is None else sheet, dtype=str
            )
        except Exception as e:
            msg = f"cannot read as an XLSX workbook ({type(e).__name__}: {e})"
            raise InputFormatError(msg, path=label) from e
    else:
        text = None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:  # pragma: no cover - gb18030 decodes almost anything
            msg = "the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV"
            raise InputFormatError(msg, path=label)
        first = text.split("\n", 1)[0]
        sep = max((",", ";", "\t"), key=first.count)
        check_header(first.rstrip("\r"), sep, path=label)
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False)
        except Exception as e:
            msg = f"cannot read as CSV ({type(e).__name__}: {e})"
            raise InputFormatError(msg, path=label) from e
        df = df.replace("", np.nan)
        df.attrs["sep"] = sep
        lines = _record_lines(text, sep)
        if lines is not None and len(lines) == len(df):
            df.attrs["source_lines"] = lines
    df.columns = [unicodedata.normalize("NFKC", str(c)).strip() for c in df.columns]
    if df.empty:
        msg = "the table has a header but no data rows"
        raise InputFormatError(msg, path=label)
    return df


def _record_lines(text: str, sep: str) -> np.ndarray | None:
    r"""File line number where each data record starts (blank lines skipped as pandas does).

    A quoted cell may span lines and blank lines are skipped, so the n-th data row is not
    always on line n + 1.

    Examples
    --------
    >>> _record_lines('a,b\n\n1,"x\ny"\n2,z\n', ",").tolist()
    [3, 5]
    """
    import csv

    starts: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    before = 0
    try:
        for record in reader:
            if record and any(cell != "" for cell in record):
                starts.append(before + 1)
            before = reader.line_num
    except csv.Error:
        return None
    return np.asarray(starts[1:], dtype="int64")


def _line_numbers(df: pd.DataFrame) -> np.ndarray:
    """File line (CSV) or spreadsheet row (XLSX) of each row of a :func:`read_table` table.

    ``df`` keeps the index of :func:`read_table` (it may be a filtered subset).
    """
    idx = df.index.to_numpy()
    lines = df.attrs.get("source_lines")
    return np.asarray(lines, dtype="int64")[idx] if lines is not None else idx + 2


def _rename(df: pd.DataFrame, wanted: Sequence[str]) -> pd.DataFrame:
    """Rename alias headers to canonical names (first alias found wins)."""
    norm = {re.sub(r"\s+", "", c).lower(): c for c in df.columns}
    mapping: dict[str, str] = {}
    for canon in wanted:
        for alias in _ALIASES.get(canon, (canon,)):
            key = re.sub(r"\s+", "", alias).lower()
            if key in norm and norm[key] not in mapping:
                mapping[norm[key]] = canon
                break
    return df.rename(columns=mapping)


def _keyed(
    raw: pd.DataFrame,
    *,
    level: Literal["province", "prefecture"],
    key: str | None,
    province_key: str | None,
    aliases: Aliases | None,
    path: str,
    wanted: Sequence[str],
) -> tuple[pd.DataFrame, str, str | None, dict[str, str]]:
    """Find the key (and province) column (:func:`geotrade.names.detect_admin_columns`).

    Returns the table with the key renamed to its canonical name (``adcode``/``city`` or
    ``province_adcode``/``province``) and the province column to ``province``, the other
    alias headers renamed as by :func:`_rename`, and ``{canonical: original header}`` for
    error messages.
    """
    if level == "province":
        code_names, name_names = _ALIASES["province_adcode"], _ALIASES["province"]
        key_names = (*code_names, *name_names)
        prov_names: tuple[str, ...] = ()
    else:
        code_names, name_names = _ALIASES["adcode"], (*_ALIASES["city"], *_ALIASES["name"])
        key_names = (*code_names, *name_names)
        prov_names = _ALIASES["province"]
    key_col, prov_col = detect_admin_columns(
        raw,
        level=level,
        key=key,
        province_key=province_key,
        key_names=key_names,
        province_names=prov_names,
        aliases=aliases,
        path=path,
    )
    folded = re.sub(r"\s+", "", key_col).lower()
    is_code = folded in {re.sub(r"\s+", "", a).lower() for a in code_names} or (
        raw[key_col].dropna().astype(str).str.fullmatch(r"\s*\d{6}(\.0)?\s*").all()
    )
    canon_key = (
        ("province_adcode" if is_code else "province")
        if level == "province"
        else ("adcode" if is_code else "city")
    )
    fixed = {key_col: canon_key}
    if prov_col is not None:
        fixed[prov_col] = "province"
    taken = set(fixed.values())
    # other columns that already carry a canonical key name keep it with a suffix
    clash = {c: f"{c}_input" for c in raw.columns if c in taken and c not in fixed}
    df = raw.rename(columns={**clash, **fixed})
    rest = [w for w in wanted if w not in taken and w not in ("adcode", "city", "name")]
    if level == "province":
        rest = [w for w in rest if w not in ("province_adcode", "province")]
    norm = {re.sub(r"\s+", "", c).lower(): c for c in df.columns if c not in taken}
    headers = {v: k for k, v in fixed.items()}
    mapping: dict[str, str] = {}
    for canon in rest:
        for alias in _ALIASES.get(canon, (canon,)):
            k = re.sub(r"\s+", "", alias).lower()
            if k in norm and norm[k] not in mapping:
                mapping[norm[k]] = canon
                headers[canon] = norm[k]
                break
    return df.rename(columns=mapping), canon_key, "province" if prov_col else None, headers


def _original_headers(problems: list[Problem], headers: dict[str, str]) -> None:
    """Report the file's own header names (``Procince``, ``城市``) in the problems."""
    for p in problems:
        if p.column in headers and headers[p.column] != p.column:
            object.__setattr__(p, "column", headers[p.column])


def _province_codes(
    df: pd.DataFrame, path: str, problems: list[Problem], aliases: Aliases | None
) -> pd.Series:
    """Province adcodes of a prefecture table's ``province`` column (``None`` where empty)."""
    has = df["province"].map(normalize_cell) != ""
    prov = pd.Series([None] * len(df), index=df.index, dtype=object)
    if has.any():
        sub = df[has]
        try:
            prov[has] = resolve_admin_column(
                sub.reset_index(drop=True),
                "province",
                level="province",
                path=path,
                aliases=aliases,
            ).to_numpy()
        except ValidationError as e:
            rows = np.flatnonzero(has.to_numpy()) + 2
            for p in e.problems:
                problems.append(
                    Problem(
                        p.message, path=p.path, row=int(rows[(p.row or 2) - 2]), column=p.column
                    )
                )
    return prov


def _check_provinces(
    codes: pd.Series,
    prov: pd.Series,
    df: pd.DataFrame,
    key_col: str,
    path: str,
    problems: list[Problem],
) -> None:
    """Report matched prefectures that lie outside the province given on their row."""
    pindex = name_index("prefecture")
    for i, (c, p) in enumerate(zip(codes, prov, strict=True)):
        pc = pindex.province_of.get(c) if isinstance(c, str) else None
        if isinstance(pc, str) and isinstance(p, str) and pc != p:
            problems.append(
                Problem(
                    f"{df[key_col].iloc[i]!r} is {pindex.names.get(c)} ({c}) of province "
                    f"{pc}, not in {df['province'].iloc[i]!r} ({p})",
                    path=path,
                    row=i + 2,
                    column="province",
                )
            )


#: A code table whose name column disagrees with its codes on at least this share of the
#: compared rows (and on at least two rows) is an error (a shifted column); fewer is a warning.
NAME_DISAGREEMENT_ERROR_SHARE = 0.25


def _check_names(
    df: pd.DataFrame,
    key_col: str,
    codes: pd.Series,
    *,
    level: Literal["province", "prefecture"],
    path: str,
    problems: list[Problem],
    provinces: pd.Series | None = None,
    aliases: Aliases | None = None,
) -> None:
    """Compare a name column with the adcode key (a shifted column: ``110100`` labelled 上海市).

    Only when the key is an adcode column and the table also has a name column. Rows whose
    name matches another unit than their adcode are listed; on at least
    :data:`NAME_DISAGREEMENT_ERROR_SHARE` of the rows where both are given (and at least two
    rows) they are errors, else a :class:`~geotrade.io.readers._tabular.ReaderWarning`
    naming the rows (the adcode wins). Names that match no unit are not compared.
    """
    import warnings

    from geotrade.io.readers._tabular import ReaderWarning
    from geotrade.names import match_admin

    alias_keys = ("city", "name") if level == "prefecture" else ("province",)
    folded = {re.sub(r"\s+", "", a).lower() for k in alias_keys for a in _ALIASES[k]}
    skip = {key_col, "province"} if level == "prefecture" else {key_col}
    cols = [c for c in df.columns if c not in skip and re.sub(r"\s+", "", str(c)).lower() in folded]
    if level == "prefecture" and "city" in df.columns and key_col != "city":
        cols = ["city", *[c for c in cols if c != "city"]]
    if not cols:
        return
    col = cols[0]
    names = df[col].map(normalize_cell)
    given = (names != "") & codes.map(lambda c: isinstance(c, str)).to_numpy()
    if not given.any():
        return
    provs = None if provinces is None else provinces[given].tolist()
    matched = match_admin(names[given].tolist(), level=level, provinces=provs, aliases=aliases)
    index = name_index(level)
    bad: list[tuple[int, str, str, str]] = []
    for p_np, m in zip(np.flatnonzero(given.to_numpy()), matched, strict=True):
        pos = int(p_np)
        c = codes.iloc[pos]
        if m is not None and m != c:
            bad.append((int(pos), str(df[col].iloc[pos]), str(c), str(m)))
    if not bad:
        return
    header = str(col)
    lines = df.attrs.get("source_lines")

    def line(pos: int) -> int:
        return int(lines[pos]) if lines is not None and pos < len(lines) else pos + 2

    if len(bad) >= 2 and len(bad) >= NAME_DISAGREEMENT_ERROR_SHARE * int(given.sum()):
        for pos, name, c, m in bad:
            problems.append(
                Problem(
                    f"name {name!r} is {index.names.get(m)} ({m}), but the adcode on this row is "
                    f"{c} ({index.names.get(c)}): {len(bad)} of {int(given.sum())} rows disagree "
                    "(a shifted column?); fix the names or the codes",
                    path=path,
                    row=int(pos) + 2,
                    column=header,
                )
            )
        return
    listed = "; ".join(
        f"row {line(pos)}: {name!r} is {index.names.get(m)} ({m}), "
        f"adcode {c} is {index.names.get(c)}"
        for pos, name, c, m in bad[:10]
    )
    more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
    msg = (
        f"{path}: column {header!r} names another unit than the adcode on {len(bad)} of "
        f"{int(given.sum())} rows (the adcode is used): {listed}{more}"
    )
    warnings.warn(msg, ReaderWarning, stacklevel=3)


def _require(df: pd.DataFrame, groups: Sequence[Sequence[str]], path: str, what: str) -> None:
    missing = [g for g in groups if not any(c in df.columns for c in g)]
    if missing:
        need = "; ".join(" or ".join(repr(c) for c in g) for g in missing)
        msg = (
            f"the {what} table needs column(s) {need}; found {list(df.columns)}. "
            f"Accepted headers are listed in geotrade.io.recycling"
        )
        raise InputFormatError(msg, path=path)


def _numbers(
    df: pd.DataFrame,
    column: str,
    problems: list[Problem],
    path: str,
    *,
    required: bool,
    integer: bool = False,
    scale: float = 1.0,
) -> pd.Series:
    """Parse a numeric column; append a problem for every bad, negative or missing cell.

    Numbers follow :mod:`geotrade.io.numbers` (full-width digits accepted; thousands
    separators ``1,234,567.5`` too, except in a semicolon-separated file, where a comma is
    most likely a decimal comma and is rejected with that hint).
    """
    thousands = df.attrs.get("sep") != ";"
    out = np.full(len(df), np.nan)
    for i, raw in enumerate(df[column].tolist()):
        row = i + 2
        if raw is None or (isinstance(raw, float) and np.isnan(raw)) or str(raw).strip() == "":
            if required:
                problems.append(
                    Problem("missing value; enter a number >= 0", path=path, row=row, column=column)
                )
            continue
        try:
            v = parse_number(raw, thousands=thousands, fullwidth=True)
        except ValueError:
            hint = number_hint(raw, thousands=thousands)
            problems.append(
                Problem(
                    f"not a number: {raw!r}" + (f" ({hint})" if hint else ""),
                    path=path,
                    row=row,
                    column=column,
                )
            )
            continue
        if not np.isfinite(v) or v < 0:
            problems.append(
                Problem(f"expected a number >= 0, got {raw!r}", path=path, row=row, column=column)
            )
            continue
        if integer and v != int(v):
            problems.append(
                Problem(f"expected a whole number, got {raw!r}", path=path, row=row, column=column)
            )
            continue
        out[i] = v * scale
    return pd.Series(out, index=df.index)


def _years(df: pd.DataFrame, problems: list[Problem], path: str) -> pd.Series:
    out: list[Any] = []
    for i, raw in enumerate(df["year"].tolist()):
        text = unicodedata.normalize("NFKC", str(raw)).strip().removesuffix("年")
        text = text[:-2] if text.endswith(".0") else text
        if not re.fullmatch(r"\d{4}", text) or not 1990 <= int(text) <= 2100:
            problems.append(
                Problem(
                    f"expected a year between 1990 and 2100, got {raw!r}",
                    path=path,
                    row=i + 2,
                    column="year",
                )
            )
            out.append(pd.NA)
        else:
            out.append(int(text))
    return pd.Series(out, index=df.index, dtype="Int64")


def _resolve(
    df: pd.DataFrame,
    column: str,
    *,
    level: str,
    path: str,
    problems: list[Problem],
    province_codes: Sequence[str | None] | None = None,
    aliases: Aliases | None = None,
) -> pd.Series:
    try:
        return resolve_admin_column(
            df,
            column,
            level=level,  # type: ignore[arg-type]
            path=path,
            province_codes=province_codes,
            aliases=aliases,
        )
    except ValidationError as e:
        problems.extend(e.problems)
        from geotrade.names import match_admin

        codes = match_admin(
            df[column].tolist(),
            level=level,  # type: ignore[arg-type]
            provinces=province_codes,
            aliases=aliases,
        )
        return pd.Series(codes, index=df.index, dtype=object)


def _duplicates(
    df: pd.DataFrame, key: Sequence[str], problems: list[Problem], path: str, column: str
) -> None:
    ok = df[list(key)].notna().all(axis=1)
    dup = df[ok].duplicated(list(key), keep=False)
    seen: dict[tuple[Any, ...], int] = {}
    for i in np.flatnonzero(dup.to_numpy()):
        idx = df[ok].index[i]
        k = tuple(df.loc[idx, list(key)])
        row = int(df.index.get_loc(idx)) + 2
        if k in seen:
            problems.append(
                Problem(
                    f"duplicate {'/'.join(key)} {k} (first on row {seen[k]}); "
                    "keep one row per key or sum them first",
                    path=path,
                    row=row,
                    column=column,
                )
            )
        else:
            seen[k] = row


def _finish(
    problems: list[Problem],
    df: pd.DataFrame | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Raise the problems (rows as ``i + 2`` of ``df`` become the file's line numbers)."""
    if headers:
        _original_headers(problems, headers)
    lines = None if df is None else df.attrs.get("source_lines")
    if problems and lines is not None:
        for p in problems:
            if p.row is not None and 2 <= p.row < len(lines) + 2:
                object.__setattr__(p, "row", int(lines[p.row - 2]))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise ValidationError(problems)


def _names(codes: pd.Series, level: str) -> pd.Series:
    names = name_index(level).names
    return codes.map(lambda c: names.get(c) if isinstance(c, str) else None)


# --------------------------------------------------------------------------- readers


def read_province_volumes(
    source: Source,
    *,
    sheet: str | int | None = None,
    key: str | None = None,
    province_key: str | None = None,
    aliases: Aliases | None = None,
) -> pd.DataFrame:
    r"""Read provincial retired volumes by year (forecasts allowed).

    Parameters
    ----------
    source
        CSV/XLSX path or binary stream (format in the module docstring).
    sheet
        XLSX sheet.
    key, province_key
        Header of the unit column and of the province column (CLI ``--key`` /
        ``--province-key``); by default found by header alias, else by content
        (:func:`geotrade.names.detect_admin_columns`).
    aliases
        User spellings (:func:`geotrade.names.load_aliases`).

    Returns
    -------
    pandas.DataFrame
        ``province_adcode, province, year, retired_t`` plus the optional columns present
        (``capacity_t, whitelist_firms, registered_capital_cny, forecast``), then
        ``name_input`` and ``source_row``; other input columns are kept.

    Raises
    ------
    InputFormatError, ValidationError

    Examples
    --------
    >>> csv = b"province,year,retired_t,capacity_t\n420000,2025,10,100\nHubei,2030,40,100\n"
    >>> read_province_volumes(io.BytesIO(csv))["province_adcode"].tolist()
    ['420000', '420000']
    """
    path = _label(source)
    cols = (
        "province",
        "province_adcode",
        "year",
        "retired_t",
        "capacity_t",
        "whitelist_firms",
        "registered_capital_cny",
        "forecast",
    )
    df, key_col, _p, headers = _keyed(
        read_table(source, sheet=sheet),
        level="province",
        key=key,
        province_key=province_key,
        aliases=aliases,
        path=path,
        wanted=cols,
    )
    _require(df, [("year",), ("retired_t",)], path, "province")
    problems: list[Problem] = []
    codes = _resolve(df, key_col, level="province", path=path, problems=problems, aliases=aliases)
    if key_col == "province_adcode":
        _check_names(
            df, key_col, codes, level="province", path=path, problems=problems, aliases=aliases
        )
    out = pd.DataFrame(index=df.index)
    out["province_adcode"] = codes
    out["province"] = _names(codes, "province")
    out["year"] = _years(df, problems, path)
    out["retired_t"] = _numbers(df, "retired_t", problems, path, required=True)
    if "capacity_t" in df.columns:
        out["capacity_t"] = _numbers(df, "capacity_t", problems, path, required=True)
    if "whitelist_firms" in df.columns:
        out["whitelist_firms"] = _numbers(
            df, "whitelist_firms", problems, path, required=True, integer=True
        )
    if "registered_capital_cny" in df.columns:
        out["registered_capital_cny"] = _numbers(
            df, "registered_capital_cny", problems, path, required=False
        )
    if "forecast" in df.columns:
        out["forecast"] = _flags(df["forecast"], problems, path)
    _duplicates(out, ("province_adcode", "year"), problems, path, key_col)
    _finish(problems, df, headers)
    out["name_input"] = df[key_col].astype(str)
    out["source_row"] = _line_numbers(df)
    extra = [c for c in df.columns if c not in out.columns and c not in cols]
    out = pd.concat([out, df[extra]], axis=1)
    out["year"] = out["year"].astype("int64")
    if "whitelist_firms" in out:
        out["whitelist_firms"] = out["whitelist_firms"].astype("int64")
    return out.reset_index(drop=True)


def _flags(s: pd.Series, problems: list[Problem], path: str) -> pd.Series:
    true = {"true", "1", "yes", "y", "是", "预测", "t"}
    false = {"false", "0", "no", "n", "否", "实际", "f", "nan", ""}
    out = []
    for i, v in enumerate(s.tolist()):
        t = normalize_cell(v).lower()
        if t in true:
            out.append(True)
        elif t in false:
            out.append(False)
        else:
            problems.append(
                Problem(
                    f"expected true/false (是/否), got {v!r}",
                    path=path,
                    row=i + 2,
                    column="forecast",
                )
            )
            out.append(False)
    return pd.Series(out, index=s.index, dtype=bool)


def normalize_cell(v: object) -> str:
    """NFKC-normalised, trimmed text of a cell (``""`` for missing)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return unicodedata.normalize("NFKC", str(v)).strip()


_TYPE_WORDS = {
    "梯次利用": (
        "梯次利用",
        "梯次",
        "cascade",
        "cascadeutilization",
        "second-life",
        "secondlife",
        "echelon",
        "echelonutilization",
        "reuse",
    ),
    "再生利用": (
        "再生利用",
        "再生",
        "recycling",
        "regeneration",
        "materialrecovery",
        "material recovery",
        "hydrometallurgy",
    ),
}


def _firm_type(raw: object) -> tuple[bool, bool] | None:
    text = normalize_cell(raw).lower().replace(" ", "")
    parts = [p for p in re.split(r"[/、,;+&和及与]|and", text) if p]
    if not parts:
        return None
    cascade = regen = False
    for p in parts:
        if p in _TYPE_WORDS["梯次利用"]:
            cascade = True
        elif p in [w.replace(" ", "") for w in _TYPE_WORDS["再生利用"]]:
            regen = True
        else:
            return None
    return cascade, regen


def read_whitelist(source: Source, *, sheet: str | int | None = None) -> pd.DataFrame:
    r"""Read the MIIT whitelist of power-battery recycling enterprises.

    Parameters
    ----------
    source
        CSV/XLSX path or stream (format in the module docstring).
    sheet
        XLSX sheet.

    Returns
    -------
    pandas.DataFrame
        One row per firm: ``name, province_adcode, province, city_adcode, city, batch,
        capacity_t (NaN = unknown), cascade, regeneration, type, source_row``.

    Raises
    ------
    InputFormatError, ValidationError

    Examples
    --------
    >>> csv = ("企业名称,省份,城市,批次,名义产能,类型\n"
    ...        "甲公司,江西,赣州市,1,50000,再生利用\n乙公司,湖南省,长沙,2,,梯次利用/再生利用\n")
    >>> w = read_whitelist(io.BytesIO(csv.encode("utf-8")))
    >>> w[["province_adcode", "city_adcode", "cascade", "regeneration"]].values.tolist()
    [['360000', '360700', False, True], ['430000', '430100', True, True]]
    """
    path = _label(source)
    cols = ("name", "province", "city", "batch", "capacity_t", "type")
    df = _rename(read_table(source, sheet=sheet), cols)
    _require(df, [("name",), ("province",), ("type",)], path, "whitelist")
    problems: list[Problem] = []
    prov = _resolve(df, "province", level="province", path=path, problems=problems)
    out = pd.DataFrame(index=df.index)
    names = [normalize_cell(v) for v in df["name"]]
    for i, n in enumerate(names):
        if not n:
            problems.append(Problem("missing enterprise name", path=path, row=i + 2, column="name"))
    out["name"] = names
    out["province_adcode"] = prov
    out["province"] = _names(prov, "province")
    if "city" in df.columns:
        has_city = df["city"].map(normalize_cell) != ""
        sub = df[has_city]
        if len(sub):
            city = _resolve_subset(sub, prov[has_city], path, problems)
            out["city_adcode"] = city.reindex(df.index)
            for idx in sub.index:
                c, p = out.at[idx, "city_adcode"], prov[idx]
                if (
                    isinstance(c, str)
                    and isinstance(p, str)
                    and name_index("prefecture").province_of.get(c) != p
                ):
                    problems.append(
                        Problem(
                            f"city {df.at[idx, 'city']!r} ({c}) is not in province "
                            f"{df.at[idx, 'province']!r} ({p})",
                            path=path,
                            row=int(df.index.get_loc(idx)) + 2,
                            column="city",
                        )
                    )
        else:
            out["city_adcode"] = None
        out["city"] = _names(out["city_adcode"], "prefecture")
    else:
        out["city_adcode"] = None
        out["city"] = None
    if "batch" in df.columns:
        b = _numbers(df, "batch", problems, path, required=False, integer=True)
        for i in np.flatnonzero(((b < 1) | (b > 20)).to_numpy()).tolist():
            problems.append(
                Problem(
                    f"batch must be 1-20, got {df['batch'].iloc[i]!r}",
                    path=path,
                    row=int(i) + 2,
                    column="batch",
                )
            )
        out["batch"] = b.astype("Int64")
    else:
        out["batch"] = pd.array([pd.NA] * len(df), dtype="Int64")
    out["capacity_t"] = (
        _numbers(df, "capacity_t", problems, path, required=False)
        if "capacity_t" in df.columns
        else np.nan
    )
    cascade, regen = [], []
    for i, raw in enumerate(df["type"].tolist()):
        t = _firm_type(raw)
        if t is None:
            problems.append(
                Problem(
                    f"unknown enterprise type {raw!r}; expected 梯次利用, 再生利用 or both "
                    "(e.g. 梯次利用/再生利用)",
                    path=path,
                    row=i + 2,
                    column="type",
                )
            )
            t = (False, False)
        cascade.append(t[0])
        regen.append(t[1])
    out["cascade"] = cascade
    out["regeneration"] = regen
    out["type"] = [
        "/".join(w for w, f in zip(WHITELIST_TYPES, (c, r), strict=True) if f)
        for c, r in zip(cascade, regen, strict=True)
    ]
    _duplicates(out, ("name",), problems, path, "name")
    _finish(problems, df)
    out["source_row"] = _line_numbers(df)
    return out.reset_index(drop=True)


def _resolve_subset(
    sub: pd.DataFrame, prov: pd.Series, path: str, problems: list[Problem]
) -> pd.Series:
    """Resolve the city names of some rows (the table has a RangeIndex: row = index + 2)."""
    codes: dict[Any, str | None] = {}
    for idx in sub.index:
        try:
            res = resolve_admin_column(
                sub.loc[[idx]],
                "city",
                level="prefecture",
                path=path,
                province_codes=[prov[idx]],
                first_row=int(idx) + 2,
            )
            codes[idx] = res.iloc[0]
        except ValidationError as e:
            problems.extend(e.problems)
            codes[idx] = None
    return pd.Series(codes, dtype=object)


def whitelist_by_province(firms: pd.DataFrame) -> pd.DataFrame:
    """Aggregate whitelist enterprises to provincial capacity and firm counts.

    Parameters
    ----------
    firms
        One row per firm with ``province_adcode``, ``capacity_t`` (NaN = unknown) and
        optionally the booleans ``cascade`` (梯次利用) and ``regeneration`` (再生利用), as
        returned by :func:`read_whitelist`. Also available as
        ``geotrade.metrics.recycling.whitelist_by_province``.

    Returns
    -------
    pandas.DataFrame
        One row per province with at least one firm: ``province_adcode, province,
        whitelist_firms, capacity_t`` (sum of the known capacities),
        ``capacity_unknown_firms`` (firms whose capacity is not given), ``firms_cascade``,
        ``firms_regeneration`` (a firm of both types counts in both), sorted by adcode.
        Provinces without a firm are absent; joined to a province table they get 0 firms
        and 0 capacity (the "no capacity" class).

    Examples
    --------
    >>> firms = pd.DataFrame({"province_adcode": ["360000", "360000", "430000"],
    ...                       "capacity_t": [50_000, float("nan"), 20_000],
    ...                       "cascade": [False, True, True],
    ...                       "regeneration": [True, True, False]})
    >>> agg = whitelist_by_province(firms)
    >>> agg[["province_adcode", "whitelist_firms", "capacity_t"]]
      province_adcode  whitelist_firms  capacity_t
    0          360000                2     50000.0
    1          430000                1     20000.0
    >>> agg["capacity_unknown_firms"].tolist(), agg["firms_cascade"].tolist()
    ([1, 0], [1, 1])
    """
    missing = [c for c in ("province_adcode", "capacity_t") if c not in firms.columns]
    if missing:
        msg = f"whitelist table is missing column(s) {missing}"
        raise ValidationError([Problem(msg)])
    f = firms.copy()
    for c in ("cascade", "regeneration"):
        if c not in f.columns:
            f[c] = False
    cap = pd.to_numeric(f["capacity_t"], errors="coerce")
    f = f.assign(_cap=cap.fillna(0.0), _unknown=cap.isna().astype(int))
    g = f.groupby("province_adcode", sort=True)
    out = pd.DataFrame(
        {
            "whitelist_firms": g.size(),
            "capacity_t": g["_cap"].sum(),
            "capacity_unknown_firms": g["_unknown"].sum(),
            "firms_cascade": g["cascade"].sum().astype(int),
            "firms_regeneration": g["regeneration"].sum().astype(int),
        }
    ).reset_index()
    if "province" in f.columns:
        names = f.drop_duplicates("province_adcode").set_index("province_adcode")["province"]
        out.insert(1, "province", out["province_adcode"].map(names))
    else:
        out.insert(1, "province", out["province_adcode"])
    return out


def read_capital(source: Source, *, sheet: str | int | None = None) -> pd.DataFrame:
    r"""Read the registered capital of recycling firms by province.

    Returns
    -------
    pandas.DataFrame
        ``province_adcode, province, registered_capital_cny`` (+ ``firms`` when given),
        ``source_row``.

    Examples
    --------
    >>> csv = "省份,注册资本(亿元)\n北京,980\n江西,60\n".encode("utf-8")
    >>> read_capital(io.BytesIO(csv))["registered_capital_cny"].tolist()
    [98000000000.0, 6000000000.0]
    """
    path = _label(source)
    cols = (
        "province",
        "registered_capital_cny",
        "registered_capital_10k_cny",
        "registered_capital_100m_cny",
        "firms",
    )
    df = _rename(read_table(source, sheet=sheet), cols)
    _require(
        df,
        [
            ("province",),
            (
                "registered_capital_cny",
                "registered_capital_10k_cny",
                "registered_capital_100m_cny",
            ),
        ],
        path,
        "capital",
    )
    problems: list[Problem] = []
    prov = _resolve(df, "province", level="province", path=path, problems=problems)
    out = pd.DataFrame({"province_adcode": prov, "province": _names(prov, "province")})
    for col, scale in (
        ("registered_capital_cny", 1.0),
        ("registered_capital_10k_cny", 1e4),
        ("registered_capital_100m_cny", 1e8),
    ):
        if col in df.columns:
            out["registered_capital_cny"] = _numbers(
                df, col, problems, path, required=True, scale=scale
            )
            break
    if "firms" in df.columns:
        out["firms"] = _numbers(df, "firms", problems, path, required=False, integer=True)
    _duplicates(out, ("province_adcode",), problems, path, "province")
    _finish(problems, df)
    out["source_row"] = _line_numbers(df)
    return out.reset_index(drop=True)


def read_prefectures(
    source: Source,
    *,
    sheet: str | int | None = None,
    key: str | None = None,
    province_key: str | None = None,
    aliases: Aliases | None = None,
) -> pd.DataFrame:
    r"""Read prefecture retired volume and recycling-outlet counts.

    Parameters
    ----------
    source
        CSV/XLSX path or stream (format in the module docstring).
    sheet
        XLSX sheet.
    key, province_key
        Header of the unit column and of the province column (CLI ``--key`` /
        ``--province-key``); by default found by header alias, else by content
        (:func:`geotrade.names.detect_admin_columns`).
    aliases
        User spellings (:func:`geotrade.names.load_aliases`).

    Returns
    -------
    pandas.DataFrame
        ``adcode, name, province_adcode, [year], retired_t, outlets, name_input,
        source_row`` plus other input columns.

    Examples
    --------
    >>> csv = "城市,省份,退役量,回收网点\n恩施州,湖北,120,3\n上海,,900,30\n".encode("utf-8")
    >>> read_prefectures(io.BytesIO(csv))[["adcode", "name", "outlets"]].values.tolist()
    [['422800', '恩施土家族苗族自治州', 3], ['310100', '上海市', 30]]
    """
    path = _label(source)
    cols = ("adcode", "city", "name", "province", "year", "retired_t", "outlets")
    df, key_col, prov_col, headers = _keyed(
        read_table(source, sheet=sheet),
        level="prefecture",
        key=key,
        province_key=province_key,
        aliases=aliases,
        path=path,
        wanted=cols,
    )
    _require(df, [("retired_t",), ("outlets",)], path, "prefecture")
    problems: list[Problem] = []
    prov = None if prov_col is None else _province_codes(df, path, problems, aliases)
    codes = _resolve(
        df,
        key_col,
        level="prefecture",
        path=path,
        problems=problems,
        province_codes=None if prov is None else prov.tolist(),
        aliases=aliases,
    )
    pindex = name_index("prefecture")
    out = pd.DataFrame({"adcode": codes, "name": _names(codes, "prefecture")})
    out["province_adcode"] = codes.map(
        lambda c: pindex.province_of.get(c) if isinstance(c, str) else None
    )
    if prov is not None:
        _check_provinces(codes, prov, df, key_col, path, problems)
    if key_col == "adcode":
        _check_names(
            df,
            key_col,
            codes,
            level="prefecture",
            path=path,
            problems=problems,
            provinces=prov,
            aliases=aliases,
        )
    unique_key: tuple[str, ...] = ("adcode",)
    if "year" in df.columns:
        out["year"] = _years(df, problems, path)
        unique_key = ("adcode", "year")
    out["retired_t"] = _numbers(df, "retired_t", problems, path, required=True)
    out["outlets"] = _numbers(df, "outlets", problems, path, required=True, integer=True)
    _duplicates(out, unique_key, problems, path, key_col)
    _finish(problems, df, headers)
    out["outlets"] = out["outlets"].astype("int64")
    if "year" in out:
        out["year"] = out["year"].astype("int64")
    out["name_input"] = df[key_col].astype(str)
    out["source_row"] = _line_numbers(df)
    extra = [c for c in df.columns if c not in out.columns and c not in cols]
    return pd.concat([out, df[extra]], axis=1).reset_index(drop=True)


def read_province_table(
    volumes: Source,
    *,
    whitelist: Source | None = None,
    capital: Source | None = None,
    key: str | None = None,
    aliases: Aliases | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Assemble the province table used by the metrics from up to three files.

    ``capacity_t`` and ``whitelist_firms`` come from the whitelist when one is given
    (aggregated with :func:`whitelist_by_province`; provinces without a listed firm get 0
    and therefore the "no capacity" class), otherwise from the volume table, which must
    then have a ``capacity_t`` column.

    Parameters
    ----------
    volumes
        Province retired-volume table.
    whitelist
        Whitelist enterprises.
    capital
        Registered capital by province.
    key
        Province column of the volume table (default: by header, else by content).
    aliases
        User spellings (:func:`geotrade.names.load_aliases`) for the volume table.

    Returns
    -------
    (pandas.DataFrame, dict)
        The merged table and notes (which file supplied which column; firms with unknown
        capacity; provinces of the whitelist absent from the volume table).

    Raises
    ------
    InputFormatError
        No capacity available.
    """
    prov = read_province_volumes(volumes, key=key, aliases=aliases)
    notes: dict[str, Any] = {"volumes": _label(volumes)}
    if whitelist is not None:
        w = read_whitelist(whitelist)
        agg = whitelist_by_province(w)
        notes["whitelist"] = _label(whitelist)
        notes["whitelist_firms"] = len(w)
        notes["capacity_unknown_firms"] = int(agg["capacity_unknown_firms"].sum())
        missing = sorted(set(agg["province_adcode"]) - set(prov["province_adcode"]))
        notes["whitelist_provinces_without_volume"] = missing
        replaced = [c for c in ("capacity_t", "whitelist_firms") if c in prov.columns]
        if replaced:
            notes["replaced_by_whitelist"] = replaced
        prov = prov.drop(columns=replaced).merge(
            agg.drop(columns=["province"]), on="province_adcode", how="left"
        )
        for c in (
            "capacity_t",
            "whitelist_firms",
            "firms_cascade",
            "firms_regeneration",
            "capacity_unknown_firms",
        ):
            prov[c] = prov[c].fillna(0)
        prov["whitelist_firms"] = prov["whitelist_firms"].astype("int64")
    elif "capacity_t" not in prov.columns:
        msg = (
            "no capacity: give the province table a 'capacity_t' column or pass a whitelist "
            "file (--whitelist)"
        )
        raise InputFormatError(msg, path=_label(volumes))
    if capital is not None:
        cap = read_capital(capital)
        notes["capital"] = _label(capital)
        prov = prov.drop(columns=[c for c in ("registered_capital_cny",) if c in prov]).merge(
            cap[["province_adcode", "registered_capital_cny"]], on="province_adcode", how="left"
        )
        notes["capital_missing"] = sorted(
            set(prov.loc[prov["registered_capital_cny"].isna(), "province_adcode"])
        )
    return prov, notes


def read_unit_table(
    source: Source,
    *,
    level: Literal["province", "prefecture"],
    numeric: Sequence[str],
    year: int | None = None,
    sheet: str | int | None = None,
    key: str | None = None,
    province_key: str | None = None,
    aliases: Aliases | None = None,
) -> pd.DataFrame:
    r"""Read a generic table of provinces or prefectures with given numeric columns.

    Keys: ``province_adcode``/``province`` (province level) or ``adcode``/``city``/``name``
    (prefecture level), names or adcodes, or the column given as ``key`` (else found by
    content); at prefecture level an optional province column (``province``,
    ``province_key`` or found by content) decides ambiguous names and is checked. With a
    ``year`` column, ``year`` selects one year (required when several are present).

    Parameters
    ----------
    key, province_key
        Header of the unit column and of the province column (CLI ``--key`` /
        ``--province-key``); by default found by header alias, else by content
        (:func:`geotrade.names.detect_admin_columns`).
    aliases
        User spellings (:func:`geotrade.names.load_aliases`).

    Returns
    -------
    pandas.DataFrame
        ``adcode, name`` (+ ``province_adcode`` at prefecture level), the numeric columns
        (float, >= 0, missing cells reported), ``source_row``, ``name_input`` (the key as
        written), ``province_input`` (when a province column was used), the other input
        columns.

    Examples
    --------
    >>> csv = "province,demand,supply\n广东,5,1\n江西,1,5\n湖北,2,2\n".encode("utf-8")
    >>> read_unit_table(io.BytesIO(csv), level="province", numeric=["demand", "supply"]
    ...                 )[["adcode", "demand"]].values.tolist()
    [['440000', 5.0], ['360000', 1.0], ['420000', 2.0]]
    """
    path = _label(source)
    keys = ("province_adcode", "province") if level == "province" else ("adcode", "city", "name")
    raw = read_table(source, sheet=sheet)
    _require(raw, [(c,) for c in numeric], path, level)
    df, key_col, prov_col, headers = _keyed(
        raw,
        level=level,
        key=key,
        province_key=province_key,
        aliases=aliases,
        path=path,
        wanted=("year",),
    )
    problems: list[Problem] = []
    if "year" in df.columns:
        years = _years(df, problems, path)
        _finish(problems, df)
        present = sorted(int(y) for y in years.dropna().unique())
        if year is None and len(present) > 1:
            msg = f"the table has several years {present}; choose one with --year"
            raise InputFormatError(msg, path=path, column="year")
        if year is not None:
            if year not in present:
                msg = f"year {year} not in the table; years present: {present}"
                raise InputFormatError(msg, path=path, column="year")
            df = df[(years == year).to_numpy()]
    row_numbers = _line_numbers(df)
    df = df.reset_index(drop=True)
    prov = None if prov_col is None else _province_codes(df, path, problems, aliases)
    codes = _resolve(
        df,
        key_col,
        level=level,
        path=path,
        problems=problems,
        province_codes=None if prov is None else prov.tolist(),
        aliases=aliases,
    )
    out = pd.DataFrame({"adcode": codes, "name": _names(codes, level)})
    if level == "prefecture":
        pof = name_index("prefecture").province_of
        out["province_adcode"] = codes.map(lambda c: pof.get(c) if isinstance(c, str) else None)
        if prov is not None:
            _check_provinces(codes, prov, df, key_col, path, problems)
    for c in numeric:
        out[c] = _numbers(df, c, problems, path, required=True)
    _duplicates(out, ("adcode",), problems, path, key_col)
    for p in problems:  # report spreadsheet rows of the original file
        if p.row is not None and 2 <= p.row < len(row_numbers) + 2:
            object.__setattr__(p, "row", int(row_numbers[p.row - 2]))
    _finish(problems, headers=headers)
    out["source_row"] = row_numbers
    extra = [
        c
        for c in df.columns
        if c not in out.columns and c not in (*keys, "year", key_col, prov_col)
    ]
    out["name_input"] = df[key_col].astype(str)
    if prov_col is not None:
        out["province_input"] = df[prov_col].astype(str)
    return pd.concat([out, df[extra]], axis=1)
