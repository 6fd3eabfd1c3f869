"""The canonical flow table: one row per (year, reporter, partner, flow, HS code).

Every trade reader of geotrade (UN Comtrade+, legacy Comtrade, CEPII BACI, our own CSV or
parquet) returns this table, and the metrics consume only this table.

Definitions and units
---------------------
======================  ==========  =========================================================
column                  dtype       meaning
======================  ==========  =========================================================
``year``                int64       calendar year of the flow
``reporter_iso3``       str         ISO3 of the reporting economy (exporter for BACI)
``partner_iso3``        str         ISO3 of the partner; ``WLD`` = World; other aggregates and
                                    "nes" areas without ISO3 are ``_`` + Comtrade numeric code
                                    (``_899``); Comtrade 490 "Other Asia, nes" is ``TWN``
``flow``                str         one of :data:`FLOWS`, from the reporter's point of view
``hs_code``             str         6-digit HS code (leading zero kept) or ``TOTAL``
``hs_revision``         str         ``HS2012``, ``HS2017``, ``HS2022`` ... or missing if unknown
``value_usd``           float64     value in **US dollars** (not thousands), >= 0
``quantity``            float64     net weight in **kg** when known (Comtrade ``netWgt``, BACI
                                    ``q`` x 1000), else the reported quantity; NaN if missing
``quantity_unit``       str         unit of ``quantity`` (``kg``, ``u``, ...), missing if NaN
``valuation``           str         ``FOB`` or ``CIF`` (Comtrade imports are CIF, exports FOB;
                                    BACI is FOB throughout)
``source``              str         ``comtrade``, ``baci``, ``synthetic ...``, ``user`` ...
``source_release``      str         e.g. ``V202401`` for BACI; missing when unknown
======================  ==========  =========================================================

Optional columns: ``reporter_code``/``partner_code`` (the original numeric codes, as str),
``is_aggregate`` (bool; always added by :func:`validate_flows`) and ``provenance``
(``reporter`` or ``mirror``, set by a mirror policy).

Aggregates stay in the table but are flagged: ``is_aggregate`` is true when the partner or
reporter is ``WLD`` or a ``_nnn`` code, when ``hs_code`` is ``TOTAL``, or when the source
itself flags the record (Comtrade's ``isAggregate``). Metrics exclude them.

The duplicate key is :data:`DUPLICATE_KEY`. Duplicates are an error by default (all rows
listed); ``dedupe="sum"`` adds them up (value and quantity), ``dedupe="first"`` keeps the
first row of each key.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"year": [2022, 2022], "reporter_iso3": "CHN",
...     "partner_iso3": ["USA", "WLD"], "flow": "export", "hs_code": [850760, "850760"],
...     "value_usd": ["10140436891", 5.0]})
>>> t = validate_flows(raw)
>>> t[["partner_iso3", "hs_code", "value_usd", "valuation", "is_aggregate"]]
  partner_iso3 hs_code     value_usd valuation  is_aggregate
0          USA  850760  1.014044e+10       FOB         False
1          WLD  850760  5.000000e+00       FOB          True
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Literal, get_args

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.io.numbers import number_hint, parse_numbers

__all__ = [
    "CANONICAL_COLUMNS",
    "DEFAULT_VALUATION",
    "DUPLICATE_KEY",
    "FLOWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "VALUATIONS",
    "Dedupe",
    "check_flows",
    "dedupe_flows",
    "empty_flows",
    "validate_flows",
]

#: Allowed values of ``flow``.
FLOWS: tuple[str, ...] = ("export", "import", "re-export", "re-import")
#: Allowed values of ``valuation``.
VALUATIONS: tuple[str, ...] = ("FOB", "CIF")
#: Columns of the canonical table, in order.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "hs_revision",
    "value_usd",
    "quantity",
    "quantity_unit",
    "valuation",
    "source",
    "source_release",
)
#: Optional columns, kept (in this order, after the canonical ones) when present.
OPTIONAL_COLUMNS: tuple[str, ...] = ("reporter_code", "partner_code", "is_aggregate", "provenance")
#: Columns an input must have; the others get defaults (valuation from the flow, source
#: ``"user"``, missing revision/quantity/unit/release).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "value_usd",
)
_OPTIONAL_INPUT = tuple(
    c for c in (*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS) if c not in REQUIRED_COLUMNS
)
#: A key may occur only once.
DUPLICATE_KEY: tuple[str, ...] = ("year", "reporter_iso3", "partner_iso3", "flow", "hs_code")
#: Valuation of a flow when the source does not say (Comtrade's convention).
DEFAULT_VALUATION: dict[str, str] = {
    "export": "FOB",
    "re-export": "FOB",
    "import": "CIF",
    "re-import": "CIF",
}

Dedupe = Literal["error", "sum", "first"]

#: Internal column carrying the 1-based line number of each row in its file.
ROW = "_row"
_MAX_PER_COLUMN = 20
_CODE_RE = r"^(?:[A-Z]{3}|_[0-9A-Z]+)$"
_REVISION_RE = r"^HS(?:19|20)\d\d$"
_STR_COLUMNS = (
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "hs_revision",
    "quantity_unit",
    "valuation",
    "source",
    "source_release",
    "reporter_code",
    "partner_code",
    "provenance",
)


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        msg = f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        raise InputFormatError(msg)


def as_str(values: pd.Series | Iterable[object]) -> pd.Series:
    """Return stripped strings with missing values (None, NaN, ``""``) as missing.

    Examples
    --------
    >>> as_str(pd.Series([" CHN", None, "", 842])).tolist()
    ['CHN', nan, nan, '842']
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if s.dtype != "str":
        s = s.astype(object).where(s.notna(), None).astype("str")
    s = s.str.strip()
    return s.where(s != "", np.nan)


def empty_flows() -> pd.DataFrame:
    """Return an empty canonical table with the right dtypes.

    Examples
    --------
    >>> empty_flows().dtypes["value_usd"]
    dtype('float64')
    """
    data: dict[str, pd.Series] = {}
    for col in (*CANONICAL_COLUMNS, "is_aggregate"):
        if col == "year":
            data[col] = pd.Series([], dtype="int64")
        elif col in ("value_usd", "quantity"):
            data[col] = pd.Series([], dtype="float64")
        elif col == "is_aggregate":
            data[col] = pd.Series([], dtype="bool")
        else:
            data[col] = pd.Series([], dtype="str")
    return pd.DataFrame(data)


def normalise_hs(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Normalise HS codes to 6-digit strings; return them and a mask of invalid codes.

    Five-digit codes get their lost leading zero back (``10121`` -> ``"010121"``); ``8507.60``
    loses its dot; ``total`` becomes ``TOTAL``. Codes of other lengths (chapters, headings)
    are invalid.

    Examples
    --------
    >>> codes, bad = normalise_hs(pd.Series([850760, "10121", "8507.60", "total", "8507"]))
    >>> codes.tolist(), bad.tolist()
    (['850760', '010121', '850760', 'TOTAL', '8507'], [False, False, False, False, True])
    """
    s = as_str(values)
    s = s.str.replace(r"\.0$", "", regex=True).str.replace(".", "", regex=False)
    s = s.where(s.str.upper() != "TOTAL", "TOTAL")
    five = s.str.fullmatch(r"\d{5}").fillna(False).astype(bool)
    s = s.where(~five, "0" + s)
    ok = s.str.fullmatch(r"\d{6}").fillna(False).astype(bool) | (s == "TOTAL").fillna(False)
    return s, ~ok.to_numpy(dtype=bool)


def _rows(df: pd.DataFrame) -> np.ndarray:
    if ROW in df.columns:
        return pd.to_numeric(df[ROW], errors="coerce").fillna(-1).to_numpy(dtype="int64")
    return np.arange(len(df), dtype="int64") + 2


def _report(
    problems: list[Problem],
    mask: np.ndarray,
    rows: np.ndarray,
    original: pd.Series,
    column: str,
    expected: str,
    path: str | None,
    *,
    hint: bool = False,
) -> None:
    idx = np.flatnonzero(mask)
    for pos in idx[:_MAX_PER_COLUMN]:
        value = original.iloc[pos]
        shown = "an empty cell" if _is_missing(value) else repr(value)
        why = ""
        if hint and isinstance(value, str) and not _is_missing(value):
            bad = parse_numbers(pd.Series([value], dtype=object)).bad[0]
            why = f" ({number_hint(value)})" if bad and number_hint(value) else ""
        problems.append(
            Problem(
                f"expected {expected}, got {shown}{why}",
                path=path,
                row=int(rows[pos]),
                column=column,
            )
        )
    if len(idx) > _MAX_PER_COLUMN:
        problems.append(
            Problem(
                f"... and {len(idx) - _MAX_PER_COLUMN} more rows with the same problem",
                path=path,
                column=column,
            )
        )


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _as_bool(values: pd.Series) -> pd.Series:
    if values.dtype == bool:
        return values
    text = as_str(values).str.lower()
    return text.isin(["true", "1", "yes", "t", "y"]).astype(bool)


def check_flows(
    df: pd.DataFrame, *, path: str | os.PathLike[str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Coerce and check a flow table; return the clean table and the problems found.

    Like :func:`validate_flows` but never raises for bad cells and does not look for
    duplicates: readers call it chunk by chunk and raise once at the end. Rows carrying
    problems are left out of the returned table (the problems name them). A ``_row``
    column, when present, gives the file line numbers used in the problems and is kept.

    Parameters
    ----------
    df
        A table with at least :data:`REQUIRED_COLUMNS`.
    path
        The file the table comes from (for messages).

    Returns
    -------
    tuple of (pandas.DataFrame, list of Problem)

    Raises
    ------
    ValidationError
        If required columns are missing (nothing else can be checked then).

    Examples
    --------
    >>> raw = pd.DataFrame({"year": [2022], "reporter_iso3": ["CHN"],
    ...     "partner_iso3": ["USA"], "flow": ["export"], "hs_code": ["850760"],
    ...     "value_usd": ["-3"]})
    >>> clean, problems = check_flows(raw, path="f.csv")
    >>> len(clean), str(problems[0])
    (0, "f.csv, row 2, column 'value_usd': expected a non-negative number (USD), got '-3'")
    """
    where = None if path is None else str(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValidationError(
            Problem(
                f"missing required column {c!r}; a flow table needs the columns "
                f"{', '.join(REQUIRED_COLUMNS)} (optional: "
                f"{', '.join(_OPTIONAL_INPUT)})",
                path=where,
                row=1,
                column=c,
            )
            for c in missing
        )
    n = len(df)
    rows = _rows(df)
    problems: list[Problem] = []
    bad_any = np.zeros(n, dtype=bool)
    out: dict[str, pd.Series] = {}

    def check(column: str, mask: np.ndarray, expected: str, *, hint: bool = False) -> None:
        nonlocal bad_any
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            _report(problems, mask, rows, df[column], column, expected, where, hint=hint)
            bad_any |= mask

    yv = parse_numbers(df["year"]).values
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(yv) | (yv != np.floor(yv)) | (yv < 1900) | (yv > 2100)
    check("year", bad, "an integer year (1900-2100)")
    out["year"] = pd.Series(np.where(bad, 0, yv).astype("int64"), index=df.index)

    for col in ("reporter_iso3", "partner_iso3"):
        s = as_str(df[col]).str.upper()
        bad = ~s.str.fullmatch(_CODE_RE).fillna(False).astype(bool).to_numpy()
        check(col, bad, "an ISO3 code (3 letters, 'WLD' for World) or '_' + a numeric code")
        out[col] = s

    flow = as_str(df["flow"]).str.lower()
    bad = ~flow.isin(FLOWS).to_numpy()
    check("flow", bad, f"one of {', '.join(FLOWS)}")
    out["flow"] = flow

    hs, bad = normalise_hs(df["hs_code"])
    check("hs_code", bad, "a 6-digit HS code or 'TOTAL'")
    out["hs_code"] = hs

    if "hs_revision" in df.columns:
        rev = as_str(df["hs_revision"]).str.upper()
        bad = (rev.notna() & ~rev.str.fullmatch(_REVISION_RE).fillna(False)).to_numpy(dtype=bool)
        check("hs_revision", bad, "an HS revision such as 'HS2017' or an empty cell")
    else:
        rev = pd.Series(np.nan, index=df.index, dtype="str")
    out["hs_revision"] = rev

    vv = parse_numbers(df["value_usd"]).values
    value = pd.Series(vv, index=df.index, dtype="float64")
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(vv) | (vv < 0)
    check("value_usd", bad, "a non-negative number (USD)", hint=True)
    out["value_usd"] = value

    if "quantity" in df.columns:
        qv = parse_numbers(df["quantity"]).values
        qty = pd.Series(qv, index=df.index, dtype="float64")
        given = as_str(df["quantity"]).notna().to_numpy(dtype=bool)
        with np.errstate(invalid="ignore"):
            bad = given & (np.isnan(qv) | (qv < 0) | np.isinf(qv))
        check("quantity", bad, "a non-negative number or an empty cell", hint=True)
    else:
        qty = pd.Series(np.nan, index=df.index, dtype="float64")
    out["quantity"] = qty
    unit = (
        as_str(df["quantity_unit"])
        if "quantity_unit" in df.columns
        else pd.Series(np.nan, index=df.index, dtype="str")
    )
    out["quantity_unit"] = unit.where(qty.notna(), np.nan)

    default_val = flow.map(DEFAULT_VALUATION)
    if "valuation" in df.columns:
        val = as_str(df["valuation"]).str.upper()
        bad = (val.notna() & ~val.isin(VALUATIONS)).to_numpy(dtype=bool)
        check(
            "valuation", bad, "'FOB' or 'CIF' (or an empty cell: FOB for exports, CIF for imports)"
        )
        val = val.where(val.notna(), default_val)
    else:
        val = default_val
    out["valuation"] = val.astype("str")

    source = as_str(df["source"]) if "source" in df.columns else None
    out["source"] = (
        pd.Series("user", index=df.index, dtype="str")
        if source is None
        else source.where(source.notna(), "user").astype("str")
    )
    out["source_release"] = (
        as_str(df["source_release"])
        if "source_release" in df.columns
        else pd.Series(np.nan, index=df.index, dtype="str")
    )

    for col in ("reporter_code", "partner_code"):
        if col in df.columns:
            out[col] = as_str(df[col])
    flagged = (
        out["partner_iso3"].eq("WLD").fillna(False)
        | out["partner_iso3"].str.startswith("_").fillna(False)
        | out["reporter_iso3"].eq("WLD").fillna(False)
        | out["reporter_iso3"].str.startswith("_").fillna(False)
        | out["hs_code"].eq("TOTAL").fillna(False)
    ).astype(bool)
    if "is_aggregate" in df.columns:
        flagged = flagged | _as_bool(df["is_aggregate"])
    out["is_aggregate"] = flagged
    if "provenance" in df.columns:
        prov = as_str(df["provenance"]).str.lower()
        bad = (prov.notna() & ~prov.isin(["reporter", "mirror"])).to_numpy(dtype=bool)
        check("provenance", bad, "'reporter', 'mirror' or an empty cell")
        out["provenance"] = prov

    clean = pd.DataFrame(out, index=df.index)
    if ROW in df.columns:
        clean[ROW] = rows
    clean = clean.loc[~bad_any].reset_index(drop=True)
    return clean, problems


def _duplicate_problems(
    df: pd.DataFrame, dup: np.ndarray, path: str | None, *, limit: int = 20
) -> list[Problem]:
    rows = _rows(df)
    sub = df.loc[dup, list(DUPLICATE_KEY)].copy()
    sub["__line"] = rows[dup]
    problems = []
    groups = sub.groupby(list(DUPLICATE_KEY), sort=False, dropna=False)["__line"]
    n_groups = groups.ngroups
    for i, (key, lines) in enumerate(groups):
        if i >= limit:
            problems.append(Problem(f"... and {n_groups - limit} more duplicated keys", path=path))
            break
        shown = ", ".join(str(v) for v in lines.tolist()[:10])
        more = "" if len(lines) <= 10 else f" (+{len(lines) - 10} more)"
        problems.append(
            Problem(
                f"duplicate key (year, reporter, partner, flow, hs_code) = {tuple(key)} on "
                f"rows {shown}{more}; remove the duplicates, or add them up / keep the first "
                "(Python: read with dedupe='sum' or dedupe='first'; command line: geotrade "
                "convert --dedupe sum (or first), then use the parquet)",
                path=path,
                row=int(lines.iloc[1]),
            )
        )
    return problems


def dedupe_flows(
    df: pd.DataFrame, *, dedupe: Dedupe = "error", path: str | os.PathLike[str] | None = None
) -> tuple[pd.DataFrame, int]:
    """Resolve duplicate keys; return the table and the number of duplicate rows found.

    Parameters
    ----------
    df
        A checked flow table (see :func:`check_flows`).
    dedupe
        ``"error"``: raise listing every duplicated key and its rows; ``"sum"``: add up
        ``value_usd`` and ``quantity`` (the other columns come from the first row;
        ``is_aggregate`` is true if any row is); ``"first"``: keep the first row.
    path
        The file the table comes from (for messages).

    Returns
    -------
    tuple of (pandas.DataFrame, int)

    Raises
    ------
    ValidationError
        With ``dedupe="error"`` when a key occurs more than once.

    Examples
    --------
    >>> t = validate_flows(pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["USA", "USA"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [1.0, 2.0]}), dedupe="sum")
    >>> t["value_usd"].tolist()
    [3.0]
    """
    _check_choice("dedupe", dedupe, get_args(Dedupe))
    if df.empty:
        return df, 0
    dup = df.duplicated(list(DUPLICATE_KEY), keep=False).to_numpy()
    n_dup = int(dup.sum())
    if n_dup == 0:
        return df, 0
    if dedupe == "error":
        raise ValidationError(_duplicate_problems(df, dup, None if path is None else str(path)))
    if dedupe == "first":
        out = df.loc[~df.duplicated(list(DUPLICATE_KEY), keep="first")]
        return out.reset_index(drop=True), n_dup
    grouped = df.groupby(list(DUPLICATE_KEY), sort=False, dropna=False)
    out = grouped.first()
    out["value_usd"] = grouped["value_usd"].sum()
    out["quantity"] = grouped["quantity"].sum(min_count=1)
    out["is_aggregate"] = grouped["is_aggregate"].any()
    out = out.reset_index()
    out["quantity_unit"] = out["quantity_unit"].where(out["quantity"].notna(), np.nan)
    return out.loc[:, list(df.columns)], n_dup


def finish_flows(df: pd.DataFrame) -> pd.DataFrame:
    """Order the columns canonically, drop internal ones and fix dtypes."""
    cols = [*CANONICAL_COLUMNS] + [c for c in OPTIONAL_COLUMNS if c in df.columns]
    if df.empty and len(df.columns) == 0:
        return empty_flows()
    out = df.loc[:, cols].reset_index(drop=True)
    out["year"] = out["year"].astype("int64")
    for col in ("value_usd", "quantity"):
        out[col] = out[col].astype("float64")
    out["is_aggregate"] = out["is_aggregate"].astype(bool)
    for col in _STR_COLUMNS:
        if col in out.columns and out[col].dtype != "str":
            out[col] = out[col].astype("str")
    return out


def validate_flows(
    df: pd.DataFrame,
    *,
    path: str | os.PathLike[str] | None = None,
    dedupe: Dedupe = "error",
) -> pd.DataFrame:
    """Validate a flow table and return it in canonical form.

    Checks the required columns, types, allowed flow values, 6-digit HS codes (or
    ``TOTAL``), non-negative values, ``FOB``/``CIF`` valuation and duplicate keys; fills
    defaults for missing optional columns and flags aggregates. All problems are collected
    and raised together.

    Parameters
    ----------
    df
        The table; a ``_row`` column, when present, holds the file line number of each row.
    path
        The file the table comes from (for messages).
    dedupe
        What to do with duplicate keys, see :func:`dedupe_flows`.

    Returns
    -------
    pandas.DataFrame
        :data:`CANONICAL_COLUMNS` then the :data:`OPTIONAL_COLUMNS` present
        (``is_aggregate`` always), index ``0..n-1``.

    Raises
    ------
    ValidationError
        Listing every problem with its row (1-based, header = row 1) and column.

    Examples
    --------
    >>> bad = pd.DataFrame({"year": ["2022", "x"], "reporter_iso3": "CHN",
    ...     "partner_iso3": "USA", "flow": "export", "hs_code": ["850760", "8507"],
    ...     "value_usd": 1.0})
    >>> try:
    ...     validate_flows(bad, path="flows.csv")
    ... except ValidationError as err:
    ...     print(err)
    2 problems found:
      - flows.csv, row 3, column 'year': expected an integer year (1900-2100), got 'x'
      - flows.csv, row 3, column 'hs_code': expected a 6-digit HS code or 'TOTAL', got '8507'
    """
    _check_choice("dedupe", dedupe, get_args(Dedupe))
    clean, problems = check_flows(df, path=path)
    if problems:
        raise ValidationError(problems)
    clean, _ = dedupe_flows(clean, dedupe=dedupe, path=path)
    return finish_flows(clean)
