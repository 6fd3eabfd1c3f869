"""Product catalogue (named HS6 lists) and the HS revision guard.

Named lists
-----------
``li_ion``
    HS 850760, lithium-ion accumulators (seed 000 §2.3).
``li_chain``
    The lithium-battery chain: lithium, cobalt, nickel, natural graphite and manganese
    ores, intermediates and chemicals, plus the Li-ion cell (seed 002 note ③).
``lct``
    The low-carbon-technology scheme of seed 001 (Table 1: 7 sectors and their technology
    categories). Only the code the seed itself names is shipped (850760); load the full IMF
    list (124 codes, not available offline) from a user CSV with
    ``load_product_list(path, scheme="lct")``.
``transition_minerals``
    Battery minerals of seed 002 note ③ (and the key metals of seed 003) where an HS6 code
    with a citable description exists.

Every list has the columns ``hs_code, hs_revision, group, sector, technology, description,
source``; ``source`` names the document (and section) the row comes from. Codes without a
citable HS6 description (e.g. cathode/anode active materials) are not shipped; see
``geotrade/data/products/README.md``.

HS revisions
------------
Codes change between HS editions (HS1992, HS1996, HS2002, HS2007, HS2012, HS2017,
HS2022). :func:`check_hs_codes` first uses the project's documented facts (file
``hs_revisions.csv``): 850760 exists from HS2012 and was part of 850780 "other accumulators"
before; 854140's photovoltaic part became 854142/854143 in HS2022. Every other code is
looked up in the shipped UNSD correlation tables (:mod:`geotrade.concordance`), which list
the codes of every edition from HS1992 to HS2022. Asking for a code in a revision where it
does not exist raises :class:`~geotrade.errors.ValidationError` unless ``lumped=True``,
which substitutes the documented concordance or the UNSD conversion (e.g. 850760 → 850780,
a *superset*: it also contains other accumulator types) and says so in the returned notes.
Codes in no edition of the tables are *unknown*: they pass with a
:class:`HsRevisionWarning`.

Examples
--------
>>> product_list("li_ion")[["hs_code", "group"]].values.tolist()
[['850760', 'battery']]
>>> check = check_hs_codes(["850760"], ["HS2007", "HS2012"], lumped=True)
>>> check.query_codes("HS2007"), check.query_codes("HS2012")
(['850780'], ['850760'])
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError

__all__ = [
    "COLUMNS",
    "HS_REVISIONS",
    "LCT_SCHEME",
    "LCT_SECTOR_COUNTS",
    "HsCheck",
    "HsRevisionWarning",
    "ListName",
    "check_hs_codes",
    "list_products",
    "load_code_file",
    "load_product_list",
    "normalise_hs_code",
    "normalise_revision",
    "product_list",
    "resolve_product_list",
    "revision_in_force",
]

ListName = Literal["li_ion", "li_chain", "lct", "transition_minerals"]

#: Columns of every product list, in order.
COLUMNS: tuple[str, ...] = (
    "hs_code",
    "hs_revision",
    "group",
    "sector",
    "technology",
    "description",
    "source",
)

#: HS editions, oldest first. The year in the name is the year it entered into force.
HS_REVISIONS: tuple[str, ...] = (
    "HS1992",
    "HS1996",
    "HS2002",
    "HS2007",
    "HS2012",
    "HS2017",
    "HS2022",
)

# Comtrade classification codes (H0..H6) and short forms
_REVISION_ALIASES: dict[str, str] = {}
for _i, _rev in enumerate(HS_REVISIONS):
    _year = _rev[2:]
    _REVISION_ALIASES.update(
        {_rev: _rev, _year: _rev, f"HS{_year[2:]}": _rev, f"H{_i}": _rev, f"HS-{_year}": _rev}
    )

#: Seed 001 Table 1 (低碳技术产品分类): sector -> (Chinese label, {technology: Chinese label}).
LCT_SCHEME: dict[str, tuple[str, dict[str, str]]] = {
    "building": (
        "建筑",
        {"heating_cooling": "供暖/制冷", "insulation": "绝缘", "lighting": "照明", "other": "其他"},
    ),
    "energy_storage": ("能源存储", {"battery": "电池"}),
    "pollution_control": ("污染控制", {"air": "空气", "solid_waste": "固体废物", "water": "水"}),
    "power_generation": (
        "发电",
        {
            "bioenergy": "生物能源",
            "geothermal": "地热",
            "hydro": "水力发电",
            "nuclear": "核能",
            "solar": "太阳能",
            "wind": "风能",
            "renewable_components": "可再生能源模块部件",
        },
    ),
    "household_appliances": ("家用电器", {"energy_efficiency": "节能"}),
    "transport": ("交通", {"ev": "电动车 (EV)", "hybrid": "混合动力车", "other": "其他"}),
    "environmental_monitoring": ("环境监测", {"air": "空气", "water": "水", "other": "其他"}),
}

#: Number of IMF LCT products per sector as printed in seed 001 §三 (they add up to 123, not
#: the 124 of the list: the seed does not say where the last one goes).
LCT_SECTOR_COUNTS: dict[str, int] = {
    "power_generation": 30,
    "building": 20,
    "energy_storage": 13,
    "pollution_control": 24,
    "household_appliances": 10,
    "transport": 9,
    "environmental_monitoring": 17,
}

_LIST_TITLES: dict[str, str] = {
    "li_ion": "Lithium-ion accumulators (HS 850760)",
    "li_chain": "Lithium-battery chain: Li, Co, Ni, natural graphite, Mn ores/intermediates/"
    "chemicals and the Li-ion cell",
    "lct": "Low-carbon technology (IMF list, seed 001 sectors); only the seed-named code is "
    "shipped, load the full list from a user CSV",
    "transition_minerals": "Battery/transition minerals (seed 002 note 3, seed 003)",
}

_LIST_SOURCES: dict[str, str] = {
    "li_ion": "seed 000",
    "li_chain": "seed 002, seed 000",
    "lct": "seed 001",
    "transition_minerals": "seed 002, seed 003",
}


class HsRevisionWarning(UserWarning):
    """An HS code was asked for in a revision the catalogue knows nothing about."""


def _data_path(name: str) -> Path:
    return Path(str(resources.files("geotrade") / "data" / "products" / name))


# --- normalisation -------------------------------------------------------------------


def normalise_hs_code(value: object) -> str | None:
    """Return a 6-digit HS code string (or ``"TOTAL"``), or ``None`` if it is not one.

    Dots and spaces are removed (``"8507.60"``) and a 5-digit code gets its leading zero
    back (spreadsheets drop it: ``80110`` → ``"080110"``).

    Examples
    --------
    >>> normalise_hs_code("8507.60"), normalise_hs_code(80110), normalise_hs_code("8507")
    ('850760', '080110', None)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():  # 850760.0 read as a float
        value = int(value)
    text = str(value).strip().replace(".", "").replace(" ", "")
    if text.upper() == "TOTAL":
        return "TOTAL"
    if not text.isdigit():
        return None
    if len(text) == 5:
        text = "0" + text
    return text if len(text) == 6 else None


def normalise_revision(value: object) -> str | None:
    """Return the canonical revision name (``"HS2012"``) or ``None`` if unknown.

    Accepts ``"HS2012"``, ``"hs12"``, ``2012``, ``"2012"`` and Comtrade's classification
    codes ``"H0"`` (HS1992) … ``"H6"`` (HS2022).

    Examples
    --------
    >>> [normalise_revision(v) for v in ("H4", 2017, "hs22", "HS1988")]
    ['HS2012', 'HS2017', 'HS2022', None]
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _REVISION_ALIASES.get(str(value).strip().upper())


def revision_in_force(year: int) -> str:
    """HS edition in force in ``year`` (an edition's name is its entry-into-force year).

    Note that reporters do not switch on time: Comtrade returns HS *as reported* (e.g. some
    2021 data as HS2017, some as HS2022), so prefer the revision recorded per row.

    Examples
    --------
    >>> revision_in_force(2011), revision_in_force(2012), revision_in_force(2024)
    ('HS2007', 'HS2012', 'HS2022')
    """
    if year < 1988:
        msg = f"no HS edition was in force in {year} (the HS starts in 1988)"
        raise InputFormatError(msg)
    in_force = [r for r in HS_REVISIONS if int(r[2:]) <= year]
    return in_force[-1] if in_force else HS_REVISIONS[0]


# --- lists ---------------------------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        msg = "product list file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = (
            f"cannot read it as a UTF-8 CSV ({type(exc).__name__}: {exc}); save it as CSV UTF-8 "
            f"with the header {','.join(COLUMNS)}"
        )
        raise InputFormatError(msg, path=path) from exc


def _validate(
    df: pd.DataFrame,
    *,
    path: str | None,
    scheme: Literal["lct"] | None,
    default_source: str | None = None,
) -> pd.DataFrame:
    problems: list[Problem] = []
    cols = [str(c).strip() for c in df.columns]
    df = df.copy()
    df.columns = cols
    if default_source is not None:
        if "source" not in cols:
            df["source"] = ""
            cols.append("source")
        df["source"] = df["source"].astype(str).str.strip().replace("", default_source)
    for required in ("hs_code", "source"):
        if required not in cols:
            problems.append(
                Problem(
                    f"missing column {required!r}; expected the header {','.join(COLUMNS)}",
                    path=path,
                    row=1,
                )
            )
    if problems:
        raise ValidationError(problems)
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[list(COLUMNS)].astype(str).apply(lambda s: s.str.strip())
    seen: dict[str, int] = {}
    codes, revisions, sectors, techs = [], [], [], []
    for i, rec in enumerate(df.itertuples(index=False)):
        row = i + 2  # header is row 1
        code = normalise_hs_code(rec.hs_code)
        if code is None or code == "TOTAL":
            problems.append(
                Problem(
                    f"{rec.hs_code!r} is not a 6-digit HS code; write it as text, e.g. 850760",
                    path=path,
                    row=row,
                    column="hs_code",
                )
            )
        elif code in seen:
            problems.append(
                Problem(
                    f"HS code {code} is listed twice (also row {seen[code]}); keep one row",
                    path=path,
                    row=row,
                    column="hs_code",
                )
            )
        else:
            seen[code] = row
        codes.append(code or rec.hs_code)
        rev = rec.hs_revision
        if rev:
            norm = normalise_revision(rev)
            if norm is None:
                problems.append(
                    Problem(
                        f"unknown HS revision {rev!r}; expected one of {', '.join(HS_REVISIONS)}",
                        path=path,
                        row=row,
                        column="hs_revision",
                    )
                )
            rev = norm or rev
        revisions.append(rev)
        if not rec.source:
            problems.append(
                Problem(
                    "empty source; say which document (and section) the code comes from",
                    path=path,
                    row=row,
                    column="source",
                )
            )
        sector, tech = rec.sector, rec.technology
        if scheme == "lct":
            sector, tech = _check_lct(sector, tech, path=path, row=row, problems=problems)
        sectors.append(sector)
        techs.append(tech)
    if problems:
        raise ValidationError(problems)
    df["hs_code"], df["hs_revision"] = codes, revisions
    df["sector"], df["technology"] = sectors, techs
    return df.reset_index(drop=True)


def _check_lct(
    sector: str, tech: str, *, path: str | None, row: int, problems: list[Problem]
) -> tuple[str, str]:
    by_zh = {zh: key for key, (zh, _) in LCT_SCHEME.items()}
    key = sector if sector in LCT_SCHEME else by_zh.get(sector)
    if key is None:
        problems.append(
            Problem(
                f"unknown LCT sector {sector!r}; expected one of {', '.join(LCT_SCHEME)} "
                "(or their Chinese names, seed 001 Table 1)",
                path=path,
                row=row,
                column="sector",
            )
        )
        return sector, tech
    techs = LCT_SCHEME[key][1]
    tkey = tech if tech in techs else {zh: k for k, zh in techs.items()}.get(tech)
    if tkey is None:
        problems.append(
            Problem(
                f"technology {tech!r} is not a category of sector {key!r}; expected one of "
                f"{', '.join(techs)}",
                path=path,
                row=row,
                column="technology",
            )
        )
        return key, tech
    return key, tkey


def load_product_list(
    path: str | PathLike[str], *, scheme: Literal["lct"] | None = None
) -> pd.DataFrame:
    """Read and validate a user product list (CSV with the columns of :data:`COLUMNS`).

    Parameters
    ----------
    path
        CSV file (UTF-8, header row). ``hs_code`` and ``source`` are required, the other
        columns are optional (filled with ``""``).
    scheme
        ``"lct"`` also checks ``sector`` and ``technology`` against seed 001 Table 1
        (:data:`LCT_SCHEME`; English keys or Chinese labels) and stores the English keys.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, codes normalised to 6 digits.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputFormatError
        The file is not a readable CSV.
    ValidationError
        All problems at once: missing columns, bad or duplicate codes, unknown revisions,
        empty sources, sectors/technologies outside the scheme (row 1 = header).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = p.write_text("hs_code,source" + chr(10) + "85.07.60,my note" + chr(10))
    >>> load_product_list(p)["hs_code"].tolist()
    ['850760']
    """
    p = Path(path)
    return _validate(_read_csv(p), path=str(p), scheme=scheme)


def load_code_file(
    path: str | PathLike[str], *, scheme: Literal["lct"] | None = None
) -> pd.DataFrame:
    """Read a user file of HS codes for ``--product-list FILE``.

    Like :func:`load_product_list`, but only ``hs_code`` is required: a ``sector`` column
    (and any other column of :data:`COLUMNS`) is optional, and an empty or missing
    ``source`` becomes ``"user file <name>"``. Codes are validated the same way (6 digits,
    no duplicates, known revisions) and every problem names the file, row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "codes.csv"
    >>> _ = p.write_text("hs_code,sector" + chr(10) + "850760,storage" + chr(10))
    >>> load_code_file(p)[["hs_code", "sector", "source"]].values.tolist()
    [['850760', 'storage', 'user file codes.csv']]
    """
    p = Path(path)
    return _validate(_read_csv(p), path=str(p), scheme=scheme, default_source=f"user file {p.name}")


def resolve_product_list(
    spec: str | PathLike[str], *, scheme: Literal["lct"] | None = None
) -> pd.DataFrame:
    """Resolve ``--product-list NAME|FILE`` to a product table (columns :data:`COLUMNS`).

    A shipped list name (:func:`list_products`) returns that list; anything else is read as a
    CSV file of codes with :func:`load_code_file` (``hs_code`` required, ``sector``
    optional). Trade commands should call this instead of :func:`product_list` so that
    both forms work.

    Raises
    ------
    DataNotFoundError
        Neither a list name nor an existing file (the message lists the names).
    ValidationError
        The file has bad rows (file, row and column named).

    Examples
    --------
    >>> resolve_product_list("li_ion")["hs_code"].tolist()
    ['850760']
    """
    text = str(spec)
    if text in get_args(ListName):
        return product_list(text)  # type: ignore[arg-type]
    p = Path(text)
    if not p.is_file():
        msg = (
            f"{text!r} is neither a product list ({', '.join(get_args(ListName))}) nor an "
            "existing CSV file of HS codes (header hs_code[,sector])"
        )
        raise DataNotFoundError(msg)
    return load_code_file(p, scheme=scheme)


@functools.lru_cache(maxsize=8)
def _packaged(name: str) -> pd.DataFrame:
    scheme: Literal["lct"] | None = "lct" if name == "lct" else None
    return load_product_list(_data_path(f"{name}.csv"), scheme=scheme)


def product_list(name: ListName) -> pd.DataFrame:
    """Return a named product list shipped with geotrade.

    Parameters
    ----------
    name
        ``"li_ion"``, ``"li_chain"``, ``"lct"`` or ``"transition_minerals"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; one row per HS6 code, each with a non-empty ``source``.

    Raises
    ------
    DataNotFoundError
        Unknown name (the message lists the names).

    Examples
    --------
    >>> sorted(product_list("li_chain")["group"].unique())[:3]
    ['battery', 'cobalt', 'graphite']
    """
    if name not in get_args(ListName):
        msg = (
            f"no product list named {name!r}; available: {', '.join(get_args(ListName))} "
            "(or load your own CSV with geotrade.products.load_product_list)"
        )
        raise DataNotFoundError(msg)
    return _packaged(name).copy()


def list_products() -> pd.DataFrame:
    """List the named product lists with their number of codes and sources.

    Examples
    --------
    >>> t = list_products()
    >>> t.loc[t["name"] == "li_ion", "n_codes"].item()
    1
    """
    rows = [
        {
            "name": n,
            "n_codes": len(product_list(n)),
            "title": _LIST_TITLES[n],
            "sources": _LIST_SOURCES[n],
        }
        for n in get_args(ListName)
    ]
    return pd.DataFrame(rows, columns=["name", "n_codes", "title", "sources"])


# --- revision guard --------------------------------------------------------------------


@dataclass(frozen=True)
class _RevisionFact:
    exists_in: frozenset[str]
    absent_in: frozenset[str]
    lumped_into: tuple[str, ...]
    source: str


@functools.lru_cache(maxsize=1)
def _revision_facts() -> dict[str, _RevisionFact]:
    t = pd.read_csv(_data_path("hs_revisions.csv"), dtype=str, keep_default_na=False)

    def split(s: str) -> list[str]:
        return [x for x in s.split(";") if x]

    return {
        r.hs_code: _RevisionFact(
            frozenset(split(r.exists_in)),
            frozenset(split(r.absent_in)),
            tuple(split(r.lumped_into)),
            r.source,
        )
        for r in t.itertuples(index=False)
    }


@dataclass(frozen=True)
class HsCheck:
    """Result of :func:`check_hs_codes`.

    Attributes
    ----------
    table
        One row per (code, revision): ``hs_code``, ``hs_revision``, ``status``
        (``"exists"``, ``"lumped"`` or ``"unknown"``), ``query_codes`` (the codes to request
        in that revision, ``;``-separated) and ``note``.
    notes
        Human-readable notes on every substitution made (``lumped=True``).
    unknown
        (code, revision) pairs the catalogue knows nothing about (a warning was issued).
    """

    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    unknown: tuple[tuple[str, str], ...] = field(default=())

    def query_codes(self, revision: str) -> list[str]:
        """Codes to request for data in ``revision`` (sorted, without duplicates)."""
        rev = normalise_revision(revision) or revision
        rows = self.table[self.table["hs_revision"] == rev]
        return sorted({c for q in rows["query_codes"] for c in q.split(";") if c})

    def mapping(self, revision: str) -> dict[str, str]:
        """Map each code *found in the data* of ``revision`` back to the requested code.

        For ``lumped`` rows the data code (e.g. 850780) is mapped to the requested one
        (850760); use it to relabel rows and keep the ``note`` with the output.
        """
        rev = normalise_revision(revision) or revision
        out: dict[str, str] = {}
        for r in self.table[self.table["hs_revision"] == rev].itertuples(index=False):
            for c in r.query_codes.split(";"):
                out[c] = r.hs_code
        return out


def check_hs_codes(
    codes: Iterable[object] | str,
    revisions: Iterable[object] | str,
    *,
    lumped: bool = False,
) -> HsCheck:
    """Check that HS codes exist in the HS revisions of the data.

    Parameters
    ----------
    codes
        HS6 codes (``"850760"``, ``850760``, ``"8507.60"``; ``"TOTAL"`` passes).
    revisions
        The revisions the data is in (``"HS2012"``, ``2012``, Comtrade ``"H4"``, …).
    lumped
        Use the documented concordance where a code does not exist in a revision: 850760
        → 850780 (other accumulators; a superset that also holds non-Li-ion types) before
        HS2012; 854140 ↔ 854142 + 854143 across HS2022. Each substitution is described in
        :attr:`HsCheck.notes`; report it with the results.

    Returns
    -------
    HsCheck

    Raises
    ------
    ValidationError
        Invalid codes or revisions, or codes that do not exist in a requested revision
        (without ``lumped=True``). The message names the code, the revisions and the fix.

    Warns
    -----
    HsRevisionWarning
        For (code, revision) pairs the cited sources say nothing about.

    Examples
    --------
    >>> try:
    ...     check_hs_codes("850760", ["HS2007"])
    ... except ValidationError as e:
    ...     print(e.problems[0].message[:58])
    HS 850760 does not exist in HS2007: it was part of HS 8507
    """
    raw_codes = [codes] if isinstance(codes, str) else list(codes)
    raw_revs = [revisions] if isinstance(revisions, str) else list(revisions)
    problems: list[Problem] = []
    norm_codes: list[str] = []
    for c in raw_codes:
        n = normalise_hs_code(c)
        if n is None:
            problems.append(
                Problem(f"{c!r} is not a 6-digit HS code (e.g. 850760)", column="hs_code")
            )
        elif n not in norm_codes:
            norm_codes.append(n)
    norm_revs: list[str] = []
    for r in raw_revs:
        n = normalise_revision(r)
        if n is None:
            problems.append(
                Problem(
                    f"unknown HS revision {r!r}; expected one of {', '.join(HS_REVISIONS)}",
                    column="hs_revision",
                )
            )
        elif n not in norm_revs:
            norm_revs.append(n)
    norm_revs.sort(key=HS_REVISIONS.index)
    facts = _revision_facts()
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    unknown: list[tuple[str, str]] = []
    for code in norm_codes:
        fact = facts.get(code)
        if fact is None and code != "TOTAL":
            done = _check_unsd(code, norm_revs, lumped=lumped)
            if done is not None:  # the UNSD tables know the code
                problem, code_rows, code_notes = done
                if problem is not None:
                    problems.append(problem)
                rows += code_rows
                notes += code_notes
                continue
        absent = [r for r in norm_revs if fact is not None and r in fact.absent_in]
        if absent and not (lumped and fact is not None and fact.lumped_into):
            problems.append(Problem(_absent_message(code, absent, fact), column="hs_code"))
            continue
        lumped_revs: list[str] = []
        for rev in norm_revs:
            if code == "TOTAL" or (fact is not None and rev in fact.exists_in):
                rows.append(_row(code, rev, "exists", (code,), ""))
            elif rev in absent and fact is not None:
                rows.append(_row(code, rev, "lumped", fact.lumped_into, fact.source))
                lumped_revs.append(rev)
            else:
                unknown.append((code, rev))
                rows.append(_row(code, rev, "unknown", (code,), "no cited revision fact"))
        if lumped_revs and fact is not None:
            notes.append(_lumped_note(code, lumped_revs, fact))
    if problems:
        raise ValidationError(problems)
    if unknown:
        pairs = ", ".join(f"{c} in {r}" for c, r in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        warnings.warn(
            f"existence of HS {pairs}{more} is not documented: the code is in no HS edition "
            "of the shipped UNSD correlation tables (HS1992-HS2022) nor in "
            "geotrade/data/products/hs_revisions.csv; check the code",
            HsRevisionWarning,
            stacklevel=2,
        )
    table = pd.DataFrame(
        rows, columns=["hs_code", "hs_revision", "status", "query_codes", "note"], dtype=object
    )
    return HsCheck(table=table, notes=tuple(notes), unknown=tuple(unknown))


def _check_unsd(
    code: str, revs: list[str], *, lumped: bool
) -> tuple[Problem | None, list[dict[str, str]], list[str]] | None:
    """Existence of ``code`` in each of ``revs`` from the UNSD tables (``None``: unknown)."""
    from geotrade.concordance import edition_codes, revision_substitute

    editions = edition_codes()
    known_in = [r for r in HS_REVISIONS if code in editions[r]]
    if not known_in:
        return None
    absent = [r for r in revs if r not in known_in]
    subs = {r: revision_substitute(code, r) for r in absent}
    if absent and (not lumped or any(subs[r] is None for r in absent)):
        with_sub = [r for r in absent if subs[r] is not None]
        offer = (
            "; or pass lumped=True (CLI: --lumped) to use "
            + "; ".join(f"{' + '.join(subs[r][0])} in {r}" for r in with_sub)  # type: ignore[index]
            + " instead and report that substitution"
            if with_sub and not lumped
            else ""
        )
        none = [r for r in absent if subs[r] is None]
        gap = f"; no shipped UNSD table gives its equivalent in {', '.join(none)}" if none else ""
        msg = (
            f"HS {code} does not exist in {', '.join(absent)} (UNSD correlation tables: it is a "
            f"code of {', '.join(known_in)}); restrict the data to revisions where it exists"
            f"{offer}{gap}"
        )
        return Problem(msg, column="hs_code"), [], []
    rows, notes = [], []
    for rev in revs:
        sub = subs.get(rev)
        if sub is None:
            rows.append(_row(code, rev, "exists", (code,), "UNSD correlation tables"))
        else:
            rows.append(_row(code, rev, "lumped", tuple(sub[0]), sub[1]))
            notes.append(sub[1])
    return None, rows, notes


def _row(code: str, rev: str, status: str, query: tuple[str, ...], note: str) -> dict[str, str]:
    return {
        "hs_code": code,
        "hs_revision": rev,
        "status": status,
        "query_codes": ";".join(query),
        "note": note,
    }


def _absent_message(code: str, absent: list[str], fact: _RevisionFact | None) -> str:
    revs = ", ".join(absent)
    first = [r for r in HS_REVISIONS if fact is not None and r in fact.exists_in]
    if code == "850760":
        why = (
            f"it was part of HS 850780 ('other accumulators') before HS2012 "
            f"(exists in {', '.join(first)})"
        )
    elif fact is not None and fact.lumped_into:
        why = f"its trade is recorded under {' + '.join(fact.lumped_into)} there"
    else:
        why = "it is not part of that edition"
    fix = (
        "restrict the data to revisions where it exists, or pass lumped=True (CLI: --lumped) to "
        f"use {' + '.join(fact.lumped_into)} instead and report that substitution"
        if fact is not None and fact.lumped_into
        else "restrict the data to revisions where it exists"
    )
    return f"HS {code} does not exist in {revs}: {why}; {fix}"


def _lumped_note(code: str, revs: list[str], fact: _RevisionFact) -> str:
    from geotrade.concordance import revision_substitute

    target = " + ".join(fact.lumped_into)
    kind = (
        "a lumped superset (it also contains other products)"
        if len(fact.lumped_into) == 1
        else "the sum of its split successors"
    )
    unsd = {tuple(sub[0]) for r in revs if (sub := revision_substitute(code, r)) is not None}
    wider = sorted({c for t in unsd for c in t} - set(fact.lumped_into))
    if len(fact.lumped_into) > 1 and wider:  # UNSD sends part of the code elsewhere too
        kind = (
            f"a part of it only: the UNSD conversion also sends HS {code} to "
            f"{', '.join(wider)}, which is not used"
        )
    return (
        f"HS {code} does not exist in {', '.join(revs)}; HS {target} was used instead, "
        f"{kind} (source: {fact.source})"
    )
