"""Country groupings with their dates (``iso3,group[,from,to]``), shipped and user-supplied.

A grouping file lists one membership per row:

``iso3``
    ISO 3166-1 alpha-3 code (``CHN``); upper-cased on read.
``group``
    Group name (``eu``, ``msp``, ...); several groups may share one file.
``from``, ``to`` (optional)
    First and last calendar year (inclusive) of membership. Empty means open-ended on that
    side; a row with both empty is an *undated* membership that counts in every year.
``source`` (optional in user files, required in the shipped file)
    The document the row comes from.

Shipped groupings (``geotrade/data/groupings/groupings.csv``, every row cited; see
``docs/reference-lists.md``): ``eu`` (28 members with entry year; GBR to 2019), ``us_fta``
(the 20 U.S. FTA partners with entry-into-force year), ``msp`` (Minerals Security
Partnership country partners by joining year; the EU itself is a partner but not a
country), ``ipef`` (14 members) and ``quad`` (undated, seed 002). Income groups, WEO groups
and Belt and Road signatories are not shipped here.

Examples
--------
>>> g = groupings("quad")
>>> sorted(g["iso3"])
['AUS', 'IND', 'JPN', 'USA']
>>> members("msp", 2022)[:3], len(members("msp", 2024))
(['AUS', 'CAN', 'DEU'], 14)
"""

from __future__ import annotations

import functools
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError

__all__ = [
    "GROUPING_COLUMNS",
    "groupings",
    "list_groupings",
    "load_groupings",
    "members",
    "membership_by_year",
    "resolve_groupings",
    "shipped_names",
]

#: Columns of a grouping table, in order.
GROUPING_COLUMNS: tuple[str, ...] = ("iso3", "group", "from", "to", "source")

_TITLES: dict[str, str] = {
    "eu": "European Union (EEC/EC/EU) member states by entry year",
    "us_fta": "U.S. free-trade-agreement partners by entry-into-force year",
    "msp": "Minerals Security Partnership country partners by joining year",
    "ipef": "Indo-Pacific Economic Framework members",
    "quad": "Quad (US, Japan, India, Australia), undated",
}


def _shipped_path() -> Path:
    return Path(str(resources.files("geotrade") / "data" / "groupings" / "groupings.csv"))


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        msg = "grouping file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        msg = (
            f"cannot read it as a UTF-8 CSV ({type(exc).__name__}: {exc}); save it as CSV UTF-8 "
            "with the header iso3,group[,from,to][,source]"
        )
        raise InputFormatError(msg, path=path) from exc


def _year(text: str, *, path: str, row: int, column: str, problems: list[Problem]) -> int | None:
    if text == "":
        return None
    head = text[:4]
    if not (head.isdigit() and (len(text) == 4 or (len(text) == 10 and text[4] == "-"))):
        problems.append(
            Problem(
                f"{text!r} is not a year; write a 4-digit year (2004) or an ISO date "
                "(2004-05-01), or leave it empty",
                path=path,
                row=row,
                column=column,
            )
        )
        return None
    return int(head)


def _validate(df: pd.DataFrame, *, path: str, require_source: bool) -> pd.DataFrame:
    cols = [str(c).strip().lower() for c in df.columns]
    df = df.copy()
    df.columns = cols
    required = ["iso3", "group"] + (["source"] if require_source else [])
    missing = [c for c in required if c not in cols]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"missing column {c!r}; expected the header iso3,group[,from,to][,source]",
                    path=path,
                    row=1,
                )
                for c in missing
            ]
        )
    for c in GROUPING_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[list(GROUPING_COLUMNS)].astype(str).apply(lambda s: s.str.strip())
    problems: list[Problem] = []
    froms: list[int | None] = []
    tos: list[int | None] = []
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(df.itertuples(index=False)):
        row = i + 2
        iso = rec.iso3.upper()
        if not (len(iso) == 3 and iso.isalpha() and iso.isascii()):
            problems.append(
                Problem(
                    f"{rec.iso3!r} is not an ISO3 code; write three letters, e.g. CHN",
                    path=path,
                    row=row,
                    column="iso3",
                )
            )
        if not rec.group:
            problems.append(Problem("empty group name", path=path, row=row, column="group"))
        f = _year(rec[2], path=path, row=row, column="from", problems=problems)
        t = _year(rec[3], path=path, row=row, column="to", problems=problems)
        if f is not None and t is not None and t < f:
            problems.append(
                Problem(f"'to' ({t}) is before 'from' ({f})", path=path, row=row, column="to")
            )
        key = (iso, rec.group)
        if key in seen and iso and rec.group:
            problems.append(
                Problem(
                    f"{iso} is listed twice in group {rec.group!r} (also row {seen[key]}); "
                    "keep one row per membership spell",
                    path=path,
                    row=row,
                    column="iso3",
                )
            )
        seen.setdefault(key, row)
        if require_source and not rec.source:
            problems.append(
                Problem(
                    "empty source; say which document the membership comes from",
                    path=path,
                    row=row,
                    column="source",
                )
            )
        froms.append(f)
        tos.append(t)
    if problems:
        raise ValidationError(problems)
    out = pd.DataFrame(
        {
            "iso3": df["iso3"].str.upper(),
            "group": df["group"],
            "from": pd.array(froms, dtype="Int64"),
            "to": pd.array(tos, dtype="Int64"),
            "source": df["source"],
        }
    )
    return out.reset_index(drop=True)


def load_groupings(path: str | PathLike[str]) -> pd.DataFrame:
    """Read and validate a user grouping CSV (``iso3,group[,from,to][,source]``).

    Parameters
    ----------
    path
        UTF-8 CSV with a header row. ``from``/``to`` are years (``2004``) or ISO dates
        (``2004-05-01``, only the year is kept); empty means open-ended.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GROUPING_COLUMNS`; ``from``/``to`` as nullable integers.

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputFormatError
        The file is not a readable CSV.
    ValidationError
        All problems at once, each naming the file, row (header = row 1) and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.csv"
    >>> _ = p.write_text("iso3,group,from" + chr(10) + "chn,bri,2013" + chr(10))
    >>> load_groupings(p)[["iso3", "from"]].values.tolist()
    [['CHN', 2013]]
    """
    p = Path(path)
    return _validate(_read(p), path=str(p), require_source=False)


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    p = _shipped_path()
    return _validate(_read(p), path=str(p), require_source=True)


def shipped_names() -> list[str]:
    """Names of the shipped groupings, in file order.

    Examples
    --------
    >>> shipped_names()
    ['eu', 'us_fta', 'msp', 'ipef', 'quad']
    """
    return list(dict.fromkeys(_shipped()["group"]))


def list_groupings() -> pd.DataFrame:
    """Return the shipped groupings with their member counts (``name, n_members, dated, title``).

    Examples
    --------
    >>> t = list_groupings()
    >>> int(t.set_index("name").loc["eu", "n_members"])
    28
    """
    t = _shipped()
    rows = [
        {
            "name": name,
            "n_members": int((t["group"] == name).sum()),
            "dated": bool(t.loc[t["group"] == name, "from"].notna().any()),
            "title": _TITLES.get(name, ""),
        }
        for name in dict.fromkeys(t["group"])
    ]
    return pd.DataFrame(rows, columns=["name", "n_members", "dated", "title"])


def groupings(name: str | None = None) -> pd.DataFrame:
    """Return the shipped grouping table, or one group of it.

    Parameters
    ----------
    name
        A group name (see :func:`list_groupings`); ``None`` returns every group.

    Raises
    ------
    DataNotFoundError
        Unknown group name (the message lists the names).
    """
    t = _shipped()
    if name is None:
        return t.copy()
    if name not in set(t["group"]):
        names = ", ".join(dict.fromkeys(t["group"]))
        msg = f"no shipped grouping named {name!r}; available: {names} (or pass a CSV file)"
        raise DataNotFoundError(msg)
    return t[t["group"] == name].reset_index(drop=True)


def resolve_groupings(spec: str | PathLike[str]) -> pd.DataFrame:
    """Resolve ``NAME|FILE``: a shipped group name, or a user CSV read by :func:`load_groupings`.

    Examples
    --------
    >>> len(resolve_groupings("ipef"))
    14
    """
    text = str(spec)
    if text in set(_shipped()["group"]):
        return groupings(text)
    p = Path(text)
    if p.suffix.lower() == ".csv" or p.exists():
        return load_groupings(p)
    names = ", ".join(dict.fromkeys(_shipped()["group"]))
    msg = f"{text!r} is neither a shipped grouping ({names}) nor a CSV file"
    raise DataNotFoundError(msg)


def _active(t: pd.DataFrame, year: int) -> pd.Series:
    f = t["from"].fillna(-10_000).astype("int64")
    to = t["to"].fillna(10_000).astype("int64")
    return (f <= year) & (year <= to)


def members(group: str | pd.DataFrame, year: int | None = None) -> list[str]:
    """ISO3 codes of the members of ``group`` in ``year`` (all rows when ``year`` is None).

    ``group`` is a shipped name or a table from :func:`load_groupings` holding one group.

    Examples
    --------
    >>> "GBR" in members("eu", 2019), "GBR" in members("eu", 2020)
    (True, False)
    >>> len(members("eu", 1995)), len(members("eu", 2013))
    (15, 28)
    """
    t = groupings(group) if isinstance(group, str) else group
    if year is not None:
        t = t[_active(t, year)]
    return sorted(set(t["iso3"]))


def membership_by_year(table: pd.DataFrame, years: list[int] | range) -> pd.DataFrame:
    """Expand a grouping table to one row per (iso3, group, year) of membership.

    Examples
    --------
    >>> m = membership_by_year(groupings("msp"), [2022, 2023])
    >>> m.groupby("year").size().to_dict()
    {2022: 10, 2023: 13}
    """
    parts = []
    for y in years:
        sel = table[_active(table, int(y))]
        parts.append(pd.DataFrame({"iso3": sel["iso3"], "group": sel["group"], "year": int(y)}))
    if not parts:
        return pd.DataFrame(columns=["iso3", "group", "year"])
    return pd.concat(parts, ignore_index=True)
