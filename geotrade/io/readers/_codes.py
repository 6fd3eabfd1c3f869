"""Map Comtrade/BACI numeric area codes and Comtrade ISO codes to canonical codes.

Rules (see :mod:`geotrade.schema`): an economy gets its ISO3 (490 "Other Asia, nes"
-> ``TWN``; 842 ``USA``, 251 ``FRA``, 757 ``CHE``, 699 ``IND``); 0 World -> ``WLD``; a former
economy gets its historical code (810 -> ``SUN``, 58 -> ``_58``); other aggregates, "nes"
areas and special codes without ISO3 -> ``_`` + code (``_899``).
Codes missing from :func:`geotrade.reference.comtrade_codes` are *unknown*: reported as an
error listing their rows, or kept as ``_`` + code with ``unknown_codes="keep"``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from geotrade import reference
from geotrade.errors import Problem
from geotrade.io.canonical import as_str
from geotrade.schema import historical_by_comtrade_code

__all__ = ["UnknownCodes", "map_codes", "map_iso", "unknown_code_problems"]

UnknownCodes = Literal["error", "keep"]

#: Comtrade+ ISO-like codes that are not ISO3.
_COMTRADE_ISO_ALIASES = {"W00": "WLD", "S19": "TWN", "WLD": "WLD"}


@functools.cache
def _table(include_former: bool) -> dict[str, str]:
    # include_former is kept for callers; former economies always get their historical
    # code (geotrade.schema), never an aggregate code nor one successor's ISO3.
    del include_former
    t = reference.comtrade_codes()
    former = historical_by_comtrade_code()
    out: dict[str, str] = {}
    for code, iso3, cat in zip(t["code"], t["iso3"], t["category"], strict=True):
        if cat in ("economy", "economy_comtrade_code") and iso3:
            out[code] = iso3
        elif code == "0":
            out[code] = "WLD"
        elif code in former:
            out[code] = former[code]
        else:
            out[code] = f"_{code}"
    return out


@functools.cache
def _known_iso3() -> frozenset[str]:
    return frozenset(reference.countries()["iso3"])


def _norm_unique(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Factorise, then normalise the distinct values only (fast on millions of rows)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    u = as_str(pd.Series(uniques, dtype=object)).str.replace(r"\.0$", "", regex=True)
    digits = u.str.fullmatch(r"\d+").fillna(False).astype(bool)
    u = u.where(~digits, u.str.lstrip("0").replace("", "0"))
    return codes, u


def _take(codes: np.ndarray, uniques: pd.Series, index: pd.Index) -> pd.Series:
    arr = np.append(uniques.to_numpy(dtype=object, na_value=None), np.array([None], dtype=object))
    return pd.Series(arr[codes], index=index, dtype=object).astype("str")


def _norm(values: pd.Series) -> pd.Series:
    codes, u = _norm_unique(values)
    return _take(codes, u, values.index)


def map_codes(
    codes: pd.Series,
    *,
    include_former: bool = False,
    overrides: Mapping[str, str] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Map numeric area codes; return (canonical codes, normalised original codes).

    Unknown codes come back as missing; the normalised codes let the caller report them.

    Examples
    --------
    >>> iso, code = map_codes(pd.Series(["490", "0", "899", "842.0", "12345"]))
    >>> iso.tolist(), code.tolist()
    (['TWN', 'WLD', '_899', 'USA', nan], ['490', '0', '899', '842', '12345'])
    """
    fcodes, u = _norm_unique(codes)
    table = _table(include_former)
    if overrides:
        table = {**table, **overrides}
    mapped = u.map(table)
    return _take(fcodes, mapped, codes.index), _take(fcodes, u, codes.index)


def map_iso(values: pd.Series) -> pd.Series:
    """Map Comtrade ISO-like codes (``W00`` World, ``S19`` Other Asia nes) to canonical ones.

    Codes that are not an ISO3 of :func:`geotrade.reference.countries` come back missing.

    Examples
    --------
    >>> map_iso(pd.Series(["usa", "W00", "S19", "X1", None])).tolist()
    ['USA', 'WLD', 'TWN', nan, nan]
    """
    fcodes, u = _norm_unique(values)
    u = u.str.upper()
    known = _known_iso3()
    mapped = u.map(
        lambda v: _COMTRADE_ISO_ALIASES.get(v, v if v in known else None), na_action="ignore"
    )
    return _take(fcodes, mapped, values.index)


def unknown_code_problems(
    codes: pd.Series, rows: np.ndarray, column: str, path: str | None, *, limit: int = 20
) -> list[Problem]:
    """One problem per distinct unknown code, listing its first rows."""
    problems: list[Problem] = []
    frame = pd.DataFrame({"code": codes.to_numpy(dtype=object), "row": rows})
    for code, grp in frame.groupby("code", sort=True, dropna=False):
        if len(problems) >= limit:
            problems.append(Problem("... and more unknown codes", path=path, column=column))
            break
        lines = grp["row"].tolist()
        shown = ", ".join(map(str, lines[:10])) + (
            f" (+{len(lines) - 10} more)" if len(lines) > 10 else ""
        )
        label = (
            "an empty cell"
            if code is None or (isinstance(code, float) and np.isnan(code))
            else repr(code)
        )
        problems.append(
            Problem(
                f"unknown area code {label} on rows {shown}: it is not in geotrade's Comtrade "
                "code table (geotrade.reference.comtrade_codes()); fix the code or read with "
                "unknown_codes='keep' (command line: --unknown-codes keep) to keep it as '_<code>'",
                path=path,
                row=int(lines[0]),
                column=column,
            )
        )
    return problems
