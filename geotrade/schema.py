"""The canonical schema: flow-table columns and the one partner-code policy.

Every reader returns the canonical flow table described in :mod:`geotrade.io.canonical`; its
column list, dtypes and keys are defined here once. So is the policy that decides what a
reporter or partner code *is*, which every reader, metric, engine and report applies.

Code kinds
----------
==============  ======================================================================
kind            codes
==============  ======================================================================
``economy``     an ISO3 code of :func:`geotrade.reference.countries` (``TWN`` included:
                Comtrade/BACI 490 "Other Asia, nes" is Taiwan, and so are ``_490``,
                ``S19`` and WITS ``OAS`` after :func:`normalise_codes`)
``historical``  a former economy of :func:`historical_economies` (``ANT``, ``CSK``,
                ``DDR``, ``SUN``, ``YUG``, ``SCG``, ``YMD``, ``_58`` Belgium-Luxembourg,
                ``_280``, ``_711`` SACU, ``_736`` former Sudan) or any other ``_nnn`` code
                that UN Comtrade lists as *former*: real economies of their years, never
                aggregates; they are drawn as in :func:`historical_economies`
``aggregate``   World (``WLD``, ``_0``, ``W00``) and groups of economies (``EUN`` EU,
                ``_97`` EU-28): they repeat other rows, so they are excluded from partner
                metrics *and* from totals (kept and reported)
``area``        trade with a partner that is not one identified economy: "nes" areas
                (``_899`` Areas nes, ``_X``, WITS ``UNS`` unspecified, ``XXX``, ``ZZZ``),
                bunkers, free zones, special categories, sub-national parts: counted in a
                reporter's total trade (with the World), never as a partner
``missing``     an empty cell
``unknown``     anything else (kept only with ``--unknown-codes keep``): analysed as an
                economy without geometry; the join report lists it as unmatched
==============  ======================================================================

Renamed codes (``ROM`` -> ``ROU``, ``ZAR`` -> ``COD``, ``TMP`` -> ``TLS``, ``BUR`` ->
``MMR``, ISO 3166-3), Comtrade+ ``W00``/``S19`` and ``_0``/``_490`` are mapped to their
canonical code by :func:`normalise_codes` before anything else.

Examples
--------
>>> import pandas as pd
>>> codes = pd.Series(["USA", "WLD", "_899", "_490", "XXX", "SUN", "_58", "", "QQQ"])
>>> code_kinds(normalise_codes(codes)).tolist()  # doctest: +NORMALIZE_WHITESPACE
['economy', 'aggregate', 'area', 'economy', 'area', 'historical', 'historical',
 'missing', 'unknown']
>>> is_aggregate_code(codes).tolist()
[False, True, True, False, True, False, False, True, False]
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "CANONICAL_COLUMNS",
    "CODE_ALIASES",
    "DEFAULT_VALUATION",
    "DUPLICATE_KEY",
    "EXCLUDED_KINDS",
    "FLOWS",
    "METRIC_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "TOTAL_KINDS",
    "VALUATIONS",
    "CodeKind",
    "aggregate_codes",
    "area_codes",
    "code_kinds",
    "group_codes",
    "historical_by_comtrade_code",
    "historical_economies",
    "historical_name",
    "is_aggregate_code",
    "normalise_codes",
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
#: Columns an input must have; the others get defaults.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "value_usd",
)
#: The columns trade metrics and engines read (a subset of the canonical ones).
METRIC_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS
#: A key may occur only once.
DUPLICATE_KEY: tuple[str, ...] = ("year", "reporter_iso3", "partner_iso3", "flow", "hs_code")
#: Valuation of a flow when the source does not say (Comtrade's convention).
DEFAULT_VALUATION: dict[str, str] = {
    "export": "FOB",
    "re-export": "FOB",
    "import": "CIF",
    "re-import": "CIF",
}

CodeKind = Literal["economy", "historical", "aggregate", "area", "missing", "unknown"]
#: Kinds that partner metrics leave out (and report); rows of these kinds are flagged
#: ``is_aggregate``.
EXCLUDED_KINDS: frozenset[str] = frozenset({"aggregate", "area", "missing"})
#: Kinds whose rows count in a reporter's total trade (with the World).
TOTAL_KINDS: frozenset[str] = frozenset({"economy", "historical", "unknown", "area"})

#: Codes replaced before classification: ISO 3166-3 renamings (Debian iso-codes 4.15.0,
#: ``iso_3166-3.json``: ROM/ROU, ZAR/COD, TMP/TLS, BUR/MMR), Comtrade+ ISO-like codes
#: (``W00`` World, ``S19`` Other Asia nes) and the numeric forms of World and Taiwan.
CODE_ALIASES: dict[str, str] = {
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "BUR": "MMR",
    "W00": "WLD",
    "S19": "TWN",
    "_0": "WLD",
    "_490": "TWN",
}
#: Three-letter codes of aggregates: World and the EU as reported by WITS (``EUN``;
#: notes/real-data.md).
_AGGREGATE_LITERALS: frozenset[str] = frozenset({"WLD", "EUN"})
#: Codes of unspecified partners: WITS ``UNS`` (notes/real-data.md); ``XXX`` and ``ZZZ``, which
#: lie in ISO 3166-1's user-assigned alpha-3 ranges (XAA-XZZ, ZZA-ZZZ) and so are no economy
#: (``XXX`` is "unspecified" in ICAO Doc 9303; issue #17's test file uses both as unknown
#: partners); Comtrade+ ``_X`` (areas nes).
_AREA_LITERALS: frozenset[str] = frozenset({"UNS", "XXX", "ZZZ", "_X"})
#: UN Comtrade area categories (``geotrade.reference.comtrade_codes()``): groups of
#: economies, and areas that are not one economy.
_AGGREGATE_CATEGORIES: frozenset[str] = frozenset({"aggregate"})
_AREA_CATEGORIES: frozenset[str] = frozenset({"nes", "special", "other", "subnational"})


@functools.cache
def historical_economies() -> pd.DataFrame:
    """Former economies and how they are drawn (``geotrade/data/historical_economies.csv``).

    Columns: ``code`` (canonical code), ``comtrade_code``, ``name_en``, ``iso3166_3``,
    ``withdrawn`` (ISO 3166-3 withdrawal date, empty where ISO has no entry),
    ``successors`` (``|``-separated ISO3), ``geometry`` (the policy: ``union of
    successors`` = the historical outline as the union of its successor states' outlines;
    ``successor outline`` = drawn as its successor, the old outline not being in the
    boundary set) and ``source``.

    Examples
    --------
    >>> h = historical_economies().set_index("code")
    >>> h.loc["CSK", "successors"]
    'CZE|SVK'
    >>> h.loc["_58", "name_en"]
    'Belgium-Luxembourg'
    """
    path = resources.files("geotrade.data").joinpath("historical_economies.csv")
    with resources.as_file(path) as p:
        return pd.read_csv(p, dtype=str, keep_default_na=False)


@functools.cache
def historical_by_comtrade_code() -> dict[str, str]:
    """UN Comtrade / BACI numeric code of a former economy -> its canonical code.

    Every reader and engine applies it before any source-specific table, so that a former
    economy is never merged into one successor (BACI's country file maps 58
    Belgium-Luxembourg to ``BEL``; geotrade keeps ``_58``) nor dropped as an aggregate.

    Examples
    --------
    >>> m = historical_by_comtrade_code()
    >>> m["810"], m["58"], m["230"]
    ('SUN', '_58', '_230')
    """
    from geotrade import reference

    t = reference.comtrade_codes()
    out = {c: f"_{c}" for c, cat in zip(t["code"], t["category"], strict=True) if cat == "former"}
    for code, comtrade in zip(
        historical_economies()["code"], historical_economies()["comtrade_code"], strict=True
    ):
        out[comtrade] = code
    return out


def historical_name(code: str) -> str | None:
    """English name of a historical economy (no cited Chinese names exist offline).

    Examples
    --------
    >>> historical_name("SUN"), historical_name("CHN")
    ('USSR', None)
    """
    h = historical_economies()
    names = dict(zip(h["code"], h["name_en"], strict=True))
    return names.get(str(code).strip().upper())


@functools.cache
def _economy_codes() -> frozenset[str]:
    from geotrade import reference

    return frozenset(reference.countries()["iso3"])


@functools.cache
def _comtrade_kinds() -> dict[str, str]:
    """``_nnn`` canonical code -> kind, from the UN Comtrade area table."""
    from geotrade import reference

    t = reference.comtrade_codes()
    out: dict[str, str] = {}
    for code, iso3, cat in zip(t["code"], t["iso3"], t["category"], strict=True):
        if cat in _AGGREGATE_CATEGORIES or code == "0":
            out[f"_{code}"] = "aggregate"
        elif cat in _AREA_CATEGORIES:
            out[f"_{code}"] = "area"
        elif cat == "former":
            out[f"_{code}"] = "historical"
        elif iso3:
            out[f"_{code}"] = "economy"
    return out


@functools.cache
def group_codes() -> frozenset[str]:
    """Every canonical code of kind ``aggregate`` (World and groups of economies).

    Examples
    --------
    >>> {"WLD", "_97", "EUN"} <= group_codes(), "_899" in group_codes()
    (True, False)
    """
    extra = {c for c, k in _comtrade_kinds().items() if k == "aggregate"}
    return frozenset(_AGGREGATE_LITERALS | extra)


@functools.cache
def area_codes() -> frozenset[str]:
    """Every canonical code of kind ``area`` (unspecified and "nes" partners).

    Examples
    --------
    >>> {"_899", "UNS", "_X"} <= area_codes(), "WLD" in area_codes()
    (True, False)
    """
    extra = {c for c, k in _comtrade_kinds().items() if k == "area"}
    return frozenset(_AREA_LITERALS | extra)


@functools.cache
def aggregate_codes() -> frozenset[str]:
    """Every code left out of partner metrics: aggregates and areas (finite, usable in SQL).

    Examples
    --------
    >>> {"WLD", "_899", "_97", "EUN"} <= aggregate_codes()
    True
    >>> "_58" in aggregate_codes()
    False
    """
    return group_codes() | area_codes()


@functools.cache
def _historical_codes() -> frozenset[str]:
    table = set(historical_economies()["code"])
    former = {c for c, k in _comtrade_kinds().items() if k == "historical"}
    return frozenset(table | former)


def _kind_of(code: str) -> str:
    if code == "":
        return "missing"
    if code in _economy_codes():
        return "economy"
    if code in group_codes():
        return "aggregate"
    if code in area_codes():
        return "area"
    if code in _historical_codes():
        return "historical"
    return "unknown"


def _clean(codes: pd.Series) -> tuple[np.ndarray, pd.Series]:
    values, uniques = pd.factorize(codes.astype(object), use_na_sentinel=True)
    u = pd.Series(uniques, dtype=object).map(lambda v: str(v).strip().upper())
    return values, u


def _take(values: np.ndarray, mapped: pd.Series, index: pd.Index, missing: object) -> pd.Series:
    arr = np.append(mapped.to_numpy(dtype=object), np.array([missing], dtype=object))
    return pd.Series(arr[values], index=index, dtype=object)


def normalise_codes(codes: pd.Series) -> pd.Series:
    """Trimmed, upper-case codes with :data:`CODE_ALIASES` applied; missing -> ``""``.

    Examples
    --------
    >>> normalise_codes(pd.Series([" rom", "_490", None, "W00"])).tolist()
    ['ROU', 'TWN', '', 'WLD']
    """
    values, u = _clean(codes)
    mapped = u.map(lambda c: CODE_ALIASES.get(c, "" if c in ("NAN", "NONE", "<NA>") else c))
    return _take(values, mapped, codes.index, "")


def code_kinds(codes: pd.Series) -> pd.Series:
    """Return the :data:`CodeKind` of each code (normalise first with :func:`normalise_codes`).

    Vectorised over distinct values, so it is fast on millions of rows.

    Examples
    --------
    >>> code_kinds(pd.Series(["CHN", "_899", "_810", "DDR", None])).tolist()
    ['economy', 'area', 'historical', 'historical', 'missing']
    """
    values, u = _clean(codes)
    u = u.map(lambda c: CODE_ALIASES.get(c, "" if c in ("NAN", "NONE", "<NA>") else c))
    return _take(values, u.map(_kind_of), codes.index, "missing")


def is_aggregate_code(codes: pd.Series) -> pd.Series:
    """Flag codes that are an aggregate or missing (:data:`EXCLUDED_KINDS`).

    Historical economies and unknown codes are *not* aggregates.

    Examples
    --------
    >>> is_aggregate_code(pd.Series(["USA", "WLD", "_899", None, "", "SCG"])).tolist()
    [False, True, True, True, True, False]
    """
    return code_kinds(codes).isin(EXCLUDED_KINDS).astype(bool)
