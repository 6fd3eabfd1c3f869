r"""UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017), a user-supplied file.

Bailey, Strezhnev and Voeten estimate one *ideal point* per state and General Assembly
session from its roll-call votes ("Estimating Dynamic State Preferences from United Nations
Voting Data", *Journal of Conflict Resolution* 61(2), 430-456, 2017). The estimates are
published on Harvard Dataverse (Voeten, "United Nations General Assembly Voting Data",
doi:10.7910/DVN/LEJUQZ) as ``IdealpointestimatesAll_<Mon><Year>.csv``, e.g.
``IdealpointestimatesAll_Jun2024.csv``: one row per state and session, with the columns

``"", ccode, session, NVotesAll, IdealPointAll, QO%All, Q5%All, Q10%All, Q50%All,
Q90%All, Q95%All, Q100%All, iso3c, Countryname, USAgree, RUSSAgree, BrazilAgree,
ChinaAgree, IndiaAgree, IsraelAgree``

(``ccode``: Correlates of War state code; ``NVotesAll``: roll calls the state voted in;
``IdealPointAll``: the estimate, ``Q..%All`` its posterior quantiles; ``NA`` = missing).
geotrade ships no copy: download the file and give its path.

Year rule: **year = session + 1945**. The General Assembly holds one regular session a year,
the first in 1946 (session 1 = 1946; the R package ``unvotes``, built on Voeten's data,
documents ``session`` as "The UN holds one session per year; these started in 1946"). A
session opens in September of its year and runs into the next, so session 78 (2023) is the
session opened in September 2023.

Codes: ISO3 comes from the file's ``iso3c`` column, mapped with
:func:`geotrade.schema.normalise_codes`. One correction, by the file's own ``ccode``: the
Jun2024 file gives COW 680 "Yemen People's Republic" (South Yemen) the same ``iso3c`` as
COW 678 "Yemen Arab Republic", ``YAR``, which makes 23 sessions (22-44) appear twice;
COW 680 is mapped to ``YMD`` (ISO 3166-3 Democratic Yemen, a historical economy of
:func:`geotrade.schema.historical_economies`) and listed in ``attrs["recoded"]``. Codes
that are not ISO3 (``YAR``) or are historical (``YUG``, ``CSK``, ``DDR``, ``YMD``) are kept as
published and listed in ``attrs["kept_codes"]``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError
from geotrade.io.readers._tabular import check_header
from geotrade.schema import code_kinds, normalise_codes

__all__ = [
    "UNGA_COLUMNS",
    "UNGA_SESSION_OFFSET",
    "ideal_point_distances",
    "read_unga_ideal_points",
]

#: Columns :func:`read_unga_ideal_points` needs (``Countryname`` is used when present).
UNGA_COLUMNS: tuple[str, ...] = ("ccode", "session", "NVotesAll", "IdealPointAll", "iso3c")
#: ``year = session + UNGA_SESSION_OFFSET`` (session 1 = 1946).
UNGA_SESSION_OFFSET = 1945
#: Correlates of War codes whose ``iso3c`` in the published file is replaced (see above).
_CCODE_ISO3: dict[int, str] = {680: "YMD"}
_NA = ("NA", "", "nan", "NaN")


def _load(p: Path) -> pd.DataFrame:
    try:
        raw = p.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
        header = raw.splitlines()[0] if raw else ""
        check_header(header, ",", path=p)
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        msg = f"cannot read the file as a UNGA ideal point CSV ({exc})"
        raise InputFormatError(msg, path=p) from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _numbers(
    text: pd.Series, rows: np.ndarray, *, path: Path, column: str, what: str
) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """Numbers of a text column: the values, the ``NA`` mask and the problems."""
    t = text.astype(str).str.strip()
    na = t.isin(_NA)
    v = pd.to_numeric(t.where(~na), errors="coerce").astype("float64")
    bad = v.isna() & ~na | ~np.isfinite(v.fillna(0.0))
    problems = [
        Problem(f"expected {what} or NA, got {s!r}", path=str(path), row=int(r), column=column)
        for r, s in zip(rows[bad.to_numpy()][:10], t[bad][:10], strict=False)
    ]
    return v, na, problems


def read_unga_ideal_points(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read the Bailey-Strezhnev-Voeten UNGA ideal point estimates as published.

    Parameters
    ----------
    path
        ``IdealpointestimatesAll_<Mon><Year>.csv`` from Harvard Dataverse
        (doi:10.7910/DVN/LEJUQZ), comma-separated, ``NA`` = missing.

    Returns
    -------
    pandas.DataFrame
        ``iso3, year, session, ideal_point, n_votes, ccode, country``, one row per state and
        session, in the file's order. ``year = session + 1945`` (session 1 = 1946; see the
        module docstring). ``ideal_point`` is ``IdealPointAll``; ``n_votes`` is
        ``NVotesAll`` (``Int64``, ``<NA>`` where the file has ``NA``). Rows whose
        ``IdealPointAll`` is ``NA`` are left out and counted. ``attrs``: ``format``,
        ``path``, ``n_rows`` (data rows read), ``n_missing_ideal_point`` and
        ``missing_ideal_point_rows`` (file rows left out), ``n_no_iso3`` (rows left out
        because ``iso3c`` is ``NA``) and ``no_iso3`` (their ``ccode`` -> ``Countryname``),
        ``recoded`` (``"ccode 680: YAR -> YMD"``), ``kept_codes`` (codes that are not a
        current ISO3 economy), ``year_rule``.

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InputFormatError
        If a needed column is missing (the error lists them) or the file is not a CSV.
    ValidationError
        If a session is not a whole number >= 1, ``ccode`` not a whole number,
        ``IdealPointAll`` or ``NVotesAll`` not a number (or ``NA``), or a state appears
        twice in a session (after the ccode 680 correction); each problem names the row
        (header = row 1) and the column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "IdealpointestimatesAll.csv"
    >>> _ = p.write_text(
    ...     '"","ccode","session","NVotesAll","IdealPointAll","iso3c","Countryname"\n'
    ...     '"1",2,78,87,2.500157,"USA","United States"\n'
    ...     '"2",710,78,86,-0.8006785,"CHN","China"\n'
    ...     '"3",20,19,NA,NA,"CAN","Canada"\n')
    >>> ip = read_unga_ideal_points(p)
    >>> ip[["iso3", "year", "session", "ideal_point", "n_votes"]]
      iso3  year  session  ideal_point  n_votes
    0  USA  2023       78     2.500157       87
    1  CHN  2023       78    -0.800678       86
    >>> ip.attrs["n_missing_ideal_point"], ip.attrs["missing_ideal_point_rows"]
    (1, [4])
    """
    p = Path(path)
    if not p.is_file():
        msg = (
            "file not found; download IdealpointestimatesAll_<date>.csv from Harvard "
            "Dataverse (doi:10.7910/DVN/LEJUQZ) and give its path"
        )
        raise DataNotFoundError(msg, path=p)
    df = _load(p)
    missing = [c for c in UNGA_COLUMNS if c not in df.columns]
    if missing:
        found = ", ".join(df.columns[:8]) + (" ..." if len(df.columns) > 8 else "")
        msg = (
            f"missing column(s) {', '.join(missing)}: not the UNGA ideal point estimates "
            f"(expected {', '.join(UNGA_COLUMNS)}; found {found})"
        )
        if len(df.columns) == 1:
            msg += "; the header is one column: is the file separated by another character?"
        raise InputFormatError(msg, path=p, row=1, column=missing[0])
    rows = np.arange(2, 2 + len(df))
    problems: list[Problem] = []
    ideal, ideal_na, pr = _numbers(
        df["IdealPointAll"], rows, path=p, column="IdealPointAll", what="an ideal point"
    )
    problems += pr
    votes, _votes_na, pr = _numbers(
        df["NVotesAll"], rows, path=p, column="NVotesAll", what="a number of votes"
    )
    problems += pr
    for col in ("session", "ccode"):
        t = df[col].astype(str).str.strip()
        v = pd.to_numeric(t, errors="coerce")
        low = 1 if col == "session" else 0
        bad = v.isna() | (v != v.round()) | (v < low)
        what = "a session number (a whole number >= 1)" if col == "session" else "a COW code"
        for r, s in zip(rows[bad.to_numpy()][:10], t[bad][:10], strict=False):
            problems.append(
                Problem(f"expected {what}, got {s!r}", path=str(p), row=int(r), column=col)
            )
    bad_votes = votes.notna() & ((votes != votes.round()) | (votes < 0))
    for r, s in zip(rows[bad_votes.to_numpy()][:10], df["NVotesAll"][bad_votes][:10], strict=False):
        problems.append(
            Problem(
                f"expected a whole number of votes >= 0, got {s!r}",
                path=str(p),
                row=int(r),
                column="NVotesAll",
            )
        )
    if problems:
        raise ValidationError(problems)
    ccode = pd.to_numeric(df["ccode"].str.strip()).astype("int64")
    session = pd.to_numeric(df["session"].str.strip()).astype("int64")
    raw_iso = df["iso3c"].astype(str).str.strip().str.upper()
    iso = normalise_codes(raw_iso.where(~raw_iso.isin(_NA), ""))
    recoded: dict[str, str] = {}
    for cc, code in _CCODE_ISO3.items():
        hit = (ccode == cc) & (iso != code)
        if hit.any():
            recoded[f"ccode {cc}: {', '.join(sorted(set(raw_iso[hit])))} -> {code}"] = code
            iso = iso.where(~hit, code)
    changed = (raw_iso != iso) & (iso != "") & ~ccode.isin(list(_CCODE_ISO3))
    for a, b in zip(raw_iso[changed], iso[changed], strict=True):
        recoded[a] = b
    country = df["Countryname"] if "Countryname" in df.columns else pd.Series("", index=df.index)
    no_iso = iso == ""
    keep = ~ideal_na & ~no_iso
    dup = pd.DataFrame({"iso3": iso, "session": session})[keep].duplicated(keep=False)
    dup_rows = rows[keep.to_numpy()][dup.to_numpy()]
    if len(dup_rows):
        kept_iso, kept_ses = iso[keep][dup], session[keep][dup]
        kept_cc = ccode[keep][dup]
        raise ValidationError(
            Problem(
                f"{i} appears more than once in session {s} (here ccode {c}); keep one row "
                "per state and session",
                path=str(p),
                row=int(r),
                column="iso3c",
            )
            for r, i, s, c in list(zip(dup_rows, kept_iso, kept_ses, kept_cc, strict=True))[:20]
        )
    out = pd.DataFrame(
        {
            "iso3": iso[keep].astype(str),
            "year": (session[keep] + UNGA_SESSION_OFFSET).astype("int64"),
            "session": session[keep],
            "ideal_point": ideal[keep],
            "n_votes": votes[keep].round().astype("Int64"),
            "ccode": ccode[keep],
            "country": country[keep].astype(str),
        }
    ).reset_index(drop=True)
    kinds = code_kinds(out["iso3"])
    out.attrs.update(
        {
            "format": "unga-ideal-points",
            "path": str(p),
            "n_rows": len(df),
            "n_missing_ideal_point": int((ideal_na & ~no_iso).sum()),
            "missing_ideal_point_rows": [int(r) for r in rows[(ideal_na & ~no_iso).to_numpy()]],
            "n_no_iso3": int(no_iso.sum()),
            "no_iso3": {
                int(c): str(n) for c, n in zip(ccode[no_iso], country[no_iso], strict=True)
            },
            "recoded": recoded,
            "kept_codes": sorted(set(out.loc[(kinds != "economy").to_numpy(), "iso3"])),
            "year_rule": f"year = session + {UNGA_SESSION_OFFSET} (session 1 = 1946)",
        }
    )
    return out


def ideal_point_distances(
    ideal: pd.DataFrame,
    iso3: pd.Series,
    year: pd.Series,
    *,
    focal: str,
) -> pd.DataFrame:
    """Each partner's ideal point and its distance to the focal economy's, per year.

    ``ideal_distance = |ideal_point(partner, t) - ideal_point(focal, t)|``, the ideal point
    distance of Bailey, Strezhnev & Voeten (2017). A partner or focal economy without an
    estimate in year ``t`` gives ``NaN``.

    Parameters
    ----------
    ideal
        Table from :func:`read_unga_ideal_points` (``iso3, year, ideal_point``).
    iso3, year
        Keys of the panel rows (partner ISO3 and year).
    focal
        ISO3 code of the focal economy, e.g. ``"CHN"``.

    Returns
    -------
    pandas.DataFrame
        ``ideal_point, ideal_distance`` aligned with ``iso3`` (same index).

    Raises
    ------
    InputFormatError
        If a column is missing or the focal economy has no estimate in any year.

    Examples
    --------
    >>> ip = pd.DataFrame({"iso3": ["USA", "CHN", "USA"], "year": [2023, 2023, 2022],
    ...                    "ideal_point": [2.500157, -0.8006785, 2.509641]})
    >>> d = ideal_point_distances(ip, pd.Series(["USA", "USA", "KOR"]),
    ...                           pd.Series([2023, 2022, 2023]), focal="CHN")
    >>> d.round(6).values.tolist()
    [[2.500157, 3.300836], [2.509641, nan], [nan, nan]]
    """
    need = ["iso3", "year", "ideal_point"]
    miss = [c for c in need if c not in ideal.columns]
    if miss:
        msg = f"the ideal point table lacks column(s) {', '.join(miss)}"
        raise InputFormatError(msg, path=ideal.attrs.get("path"))
    f = str(focal).strip().upper()
    table = ideal.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])["ideal_point"]
    fy = ideal.loc[ideal["iso3"] == f].set_index("year")["ideal_point"]
    if fy.empty:
        msg = f"the focal economy {f} has no ideal point in the UNGA file (--unga-focal)"
        raise InputFormatError(msg, path=ideal.attrs.get("path"), column="iso3c")
    keys = pd.MultiIndex.from_arrays(
        [iso3.astype(str).str.upper().to_numpy(), pd.to_numeric(year).astype("int64").to_numpy()]
    )
    partner = table.reindex(keys).to_numpy(dtype="float64")
    own = fy.reindex(keys.get_level_values(1)).to_numpy(dtype="float64")
    return pd.DataFrame(
        {"ideal_point": partner, "ideal_distance": np.abs(partner - own)}, index=iso3.index
    )
