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
``hs_code``             str         HS code at the level the source publishes: 6-digit
                                    subheading, 4-digit heading or 2-digit chapter (leading
                                    zero kept), or ``TOTAL``; see :func:`hs_level`
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

Product level: a file may hold chapters (``85``), headings (``8507``), subheadings
(``850760``) or ``TOTAL``; that is a property of the data, not an error.
:func:`normalise_hs` restores leading zeros lost by integer parsing: with the source's
declared level (legacy Comtrade ``Aggregate Level``) the code is zero-padded to that many
digits; without one, an odd number of digits gets one leading zero (``1`` -> ``01``,
``101`` -> ``0101``, ``10121`` -> ``010121``), since HS codes have 2, 4 or 6 digits.
:func:`hs_match` is the product filter rule (``hs=`` / ``--hs``): a requested code matches
rows with that code and the rows of its sub-codes (``8507`` keeps ``8507`` and
``850710``...``850790``; it is never read as ``008507``).

Optional columns: ``reporter_code``/``partner_code`` (the original numeric codes, as str),
``is_aggregate`` (bool; always added by :func:`validate_flows`) and ``provenance``
(``reporter`` or ``mirror``, set by a mirror policy).

Aggregates stay in the table but are flagged: ``is_aggregate`` is true when the partner or
reporter is of kind ``aggregate`` in :mod:`geotrade.schema` (World, EU, "nes" areas such as
``_899``), or when the source itself flags the record (Comtrade's ``isAggregate``). Metrics
exclude them. Historical economies (``SUN``, ``CSK``, ``_58`` Belgium-Luxembourg ...) are
real economies, and ``TOTAL`` is a product level (total trade), not an aggregate.

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
from typing import Literal, cast, get_args

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
    "hs_level",
    "hs_match",
    "normalise_hs",
    "normalise_hs_filter",
    "validate_flows",
]

# The column list, keys and the partner-code policy live in geotrade.schema (one place).
from geotrade.schema import (
    CANONICAL_COLUMNS,
    DEFAULT_VALUATION,
    DUPLICATE_KEY,
    FLOWS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    VALUATIONS,
    code_kinds,
    normalise_codes,
)

_OPTIONAL_INPUT = tuple(
    c for c in (*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS) if c not in REQUIRED_COLUMNS
)

Dedupe = Literal["error", "sum", "first"]

#: Internal column carrying the 1-based line number of each row in its file.
ROW = "_row"
#: Internal column: the number of HS digits the source declares for a row (2, 4, 6; else
#: missing), e.g. legacy Comtrade's ``Aggregate Level``. Used to restore leading zeros.
HS_DIGITS = "_hs_digits"
#: Values of :func:`hs_level`.
HSLevel = Literal["TOTAL", "HS2", "HS4", "HS6"]
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


def normalise_hs(
    values: pd.Series, *, digits: pd.Series | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Normalise HS codes; return them and a mask of invalid codes.

    Valid codes have 2, 4 or 6 digits (chapter, heading, subheading) or are ``TOTAL``.
    ``8507.60`` loses its dot; ``total`` (any case, spaces around) becomes ``TOTAL``.
    Leading zeros lost by integer parsing come back: with ``digits`` (the level the source
    declares for each row: 2, 4 or 6, missing if unknown) a code is zero-padded to that
    length, and a code longer than its declared level is invalid; otherwise an odd number
    of digits gets one leading zero (``10121`` -> ``010121``, ``101`` -> ``0101``).

    Examples
    --------
    >>> codes, bad = normalise_hs(pd.Series([850760, "10121", "8507.60", " Total", "8507",
    ...     "85", "1", "8507601"]))
    >>> codes.tolist()
    ['850760', '010121', '850760', 'TOTAL', '8507', '85', '01', '8507601']
    >>> bad.tolist()
    [False, False, False, False, False, False, False, True]
    >>> normalise_hs(pd.Series(["1", "101", "101"]), digits=pd.Series([2, 4, 6]))[0].tolist()
    ['01', '0101', '000101']
    """
    s = as_str(values)
    s = s.str.replace(r"\.0$", "", regex=True).str.replace(".", "", regex=False)
    s = s.where(s.str.upper() != "TOTAL", "TOTAL")
    is_digits = s.str.fullmatch(r"\d{1,6}").fillna(False).astype(bool)
    if digits is not None:
        want = pd.to_numeric(pd.Series(np.asarray(digits), index=s.index), errors="coerce")
        declared = want.isin([2, 4, 6]).to_numpy(dtype=bool) & is_digits.to_numpy(dtype=bool)
    else:
        want = pd.Series(np.nan, index=s.index)
        declared = np.zeros(len(s), dtype=bool)
    lengths = s.str.len().fillna(0).to_numpy(dtype="int64")
    odd = is_digits.to_numpy(dtype=bool) & (lengths % 2 == 1) & ~declared
    s = s.where(~odd, "0" + s)
    too_long = np.zeros(len(s), dtype=bool)
    if declared.any():
        w = want.to_numpy(dtype="float64", na_value=np.nan)
        too_long = declared & (lengths > np.nan_to_num(w, nan=6))
        padded = [
            str(c).zfill(int(n)) if d else c
            for c, n, d in zip(s.tolist(), np.nan_to_num(w, nan=0), declared, strict=True)
        ]
        s = pd.Series(padded, index=s.index, dtype=s.dtype)
    ok = s.str.fullmatch(r"\d\d|\d{4}|\d{6}").fillna(False).astype(bool) | (s == "TOTAL").fillna(
        False
    )
    return s, ~ok.to_numpy(dtype=bool) | too_long


def hs_level(codes: object) -> HSLevel | pd.Series:
    """Product level of normalised HS codes: ``TOTAL``, ``HS2``, ``HS4`` or ``HS6``.

    A single code gives one level; a Series (or list) gives a Series of levels (missing
    for a code that is none of these).

    Examples
    --------
    >>> hs_level("8507"), hs_level("TOTAL")
    ('HS4', 'TOTAL')
    >>> hs_level(pd.Series(["85", "850760", "TOTAL"])).tolist()
    ['HS2', 'HS6', 'TOTAL']
    """
    names = {2: "HS2", 4: "HS4", 6: "HS6"}
    if isinstance(codes, str):
        c = codes.strip().upper()
        if c == "TOTAL":
            return "TOTAL"
        if c.isdigit() and len(c) in names:
            return names[len(c)]
        msg = f"not a normalised HS code (2, 4 or 6 digits, or TOTAL): {codes!r}"
        raise InputFormatError(msg)
    if not isinstance(codes, pd.Series):
        codes = pd.Series(list(cast("Iterable[object]", codes)), dtype=object)
    s = as_str(codes)
    lv = s.str.len().map(names)
    lv = lv.where(s.str.fullmatch(r"\d+").fillna(False).astype(bool), np.nan)
    return lv.where(s.str.upper() != "TOTAL", "TOTAL").astype("str")


def normalise_hs_filter(codes: str | int | Iterable[object]) -> list[str]:
    """Normalise product-filter codes (``hs=`` / ``--hs``): 2, 4 or 6 digits, or ``TOTAL``.

    Comma-separated strings are split. Odd lengths get one leading zero (an integer that
    lost it: ``101`` -> ``0101``); codes are never padded to 6 digits.

    Raises
    ------
    InputFormatError
        Naming the codes that are not HS codes.

    Examples
    --------
    >>> normalise_hs_filter("8507, 850760,total")
    ['8507', '850760', 'TOTAL']
    >>> normalise_hs_filter([10121, "85"])
    ['010121', '85']
    """
    items = [codes] if isinstance(codes, (str, int)) else list(codes)
    parts = [s.strip() for x in items for s in str(x).split(",") if s.strip()]
    norm, bad = normalise_hs(pd.Series(parts, dtype=object))
    if bad.any():
        wrong = [c for c, b in zip(parts, bad, strict=True) if b]
        msg = (
            "hs filter: expected HS codes of 2 digits (chapter, e.g. 85), 4 digits (heading, "
            f"e.g. 8507) or 6 digits (subheading, e.g. 850760), or TOTAL; got {', '.join(wrong)}"
        )
        raise InputFormatError(msg)
    return list(dict.fromkeys(norm.tolist()))


def hs_match(codes: pd.Series, wanted: Iterable[str]) -> pd.Series:
    """Boolean mask of the rows whose HS code matches a filter (see the module docstring).

    A requested code matches its own rows and the rows of its sub-codes: ``8507`` keeps
    ``8507`` and ``850760``; ``850760`` keeps only ``850760`` (not the heading ``8507``);
    ``TOTAL`` keeps only ``TOTAL``. ``wanted`` must be normalised
    (:func:`normalise_hs_filter`). A file holding both a heading and its subheadings gives
    both for the heading: check the levels (:func:`hs_level`) before adding them up.

    Examples
    --------
    >>> hs_match(pd.Series(["8507", "850760", "850440", "TOTAL", "85"]), ["8507"]).tolist()
    [True, True, False, False, False]
    """
    s = as_str(codes)
    keep = pd.Series(False, index=codes.index)
    for w in wanted:
        if w == "TOTAL" or len(w) == 6:
            keep |= (s == w).fillna(False)
        else:
            keep |= s.str.startswith(w).fillna(False) & (s != "TOTAL").fillna(False)
    return keep.astype(bool)


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


_TRUE = ("true", "1", "1.0", "yes", "t", "y")
_FALSE = ("false", "0", "0.0", "no", "f", "n")


def _as_bool(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse true/false, 1/0, yes/no flags (empty = false); also return the other values."""
    if values.dtype == bool:
        return values, np.zeros(len(values), dtype=bool)
    text = as_str(values).str.strip().str.lower()
    given = text.notna() & (text != "")
    bad = (given & ~text.isin(_TRUE + _FALSE)).to_numpy(dtype=bool)
    return text.isin(_TRUE).astype(bool), bad


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
        # ISO 3166-3 renamings, Comtrade+ W00/S19, _0 (World) and _490 (Taiwan).
        out[col] = normalise_codes(s).replace("", np.nan).astype("str")

    flow = as_str(df["flow"]).str.lower()
    bad = ~flow.isin(FLOWS).to_numpy()
    check("flow", bad, f"one of {', '.join(FLOWS)}")
    out["flow"] = flow

    hs, bad = normalise_hs(df["hs_code"], digits=df[HS_DIGITS] if HS_DIGITS in df.columns else None)
    check(
        "hs_code",
        bad,
        "an HS code of 2, 4 or 6 digits (chapter, heading, subheading; no longer than the "
        "declared level) or 'TOTAL'",
    )
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
    # One policy (geotrade.schema): aggregates and "nes" areas are flagged; historical
    # economies and product levels (TOTAL, chapters, headings) are data, not aggregates.
    flagged = pd.Series(
        code_kinds(out["partner_iso3"]).isin(["aggregate", "area"]).to_numpy()
        | code_kinds(out["reporter_iso3"]).isin(["aggregate", "area"]).to_numpy(),
        index=df.index,
    )
    if "is_aggregate" in df.columns:
        flags, bad = _as_bool(df["is_aggregate"])
        check("is_aggregate", bad, "true or false (or 1/0, yes/no, an empty cell)")
        flagged = flagged | flags
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

    Checks the required columns, types, allowed flow values, HS codes (2, 4 or 6 digits,
    or ``TOTAL``), non-negative values, ``FOB``/``CIF`` valuation and duplicate keys; fills
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
    ...     "partner_iso3": "USA", "flow": "export", "hs_code": ["850760", "8507x"],
    ...     "value_usd": 1.0})
    >>> try:
    ...     validate_flows(bad, path="flows.csv")
    ... except ValidationError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    2 problems found:
      - flows.csv, row 3, column 'year': expected an integer year (1900-2100), got 'x'
      - flows.csv, row 3, column 'hs_code': expected an HS code of 2, 4 or 6 digits ..., got '8507x'
    """
    _check_choice("dedupe", dedupe, get_args(Dedupe))
    clean, problems = check_flows(df, path=path)
    if problems:
        raise ValidationError(problems)
    clean, _ = dedupe_flows(clean, dedupe=dedupe, path=path)
    return finish_flows(clean)
