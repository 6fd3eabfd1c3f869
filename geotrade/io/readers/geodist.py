"""CEPII GeoDist ``dist_cepii``: bilateral distances and dummies (Mayer & Zignago 2011).

The file has one row per ordered pair of 224 economies (CEPII's own codes), with columns
``iso_o, iso_d, contig, comlang_off, comlang_ethno, colony, comcol, curcol, col45, smctry,
dist, distcap, distw, distwces``:

* ``dist``: great-circle distance (km) between the most populated cities;
* ``distcap``: between the capitals;
* ``distw``, ``distwces``: population-weighted distances (missing, ``.``, for a few small
  territories);
* ``contig`` (common border), ``comlang_off`` (common official language), ``comlang_ethno``
  (language spoken by at least 9 %), ``colony`` (ever in a colonial link), ``comcol``
  (common coloniser after 1945), ``curcol`` (currently in a colonial link), ``col45``
  (colonial link after 1945), ``smctry`` (were the same country): 0/1.

CEPII distributes ``dist_cepii.xls`` and ``.dta``; CSV conversions are common, separated by
``,`` or ``;``, with ``.`` for missing values. :func:`read_geodist` reads CSV, ``.xlsx`` and
``.dta`` (``.xls`` must be re-saved). CEPII's old codes are mapped with
:func:`geotrade.schema.normalise_codes` (``ROM`` -> ``ROU``, ``ZAR`` -> ``COD``, ``TMP`` ->
``TLS``); historical codes (``YUG`` Yugoslavia, ``ANT`` Netherlands Antilles) and ``PAL``
(not an ISO3 code; one public copy of the file recodes it to ``PSE``, West Bank and Gaza —
**confirm** with CEPII's ``geo_cepii`` before mapping it) are kept as published and listed
in ``attrs["kept_codes"]``.

The distances are those of CEPII's release: geotrade's own capital distances differ for
economies whose capital differs (notes/real-data.md: Myanmar by 14 %, Naypyidaw vs Yangon).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError
from geotrade.io.readers._tabular import check_header
from geotrade.schema import normalise_codes

__all__ = [
    "GEODIST_COLUMNS",
    "GEODIST_DISTANCES",
    "GEODIST_DUMMIES",
    "GeodistColumn",
    "geodist_pairs",
    "read_geodist",
]

GeodistColumn = Literal["distcap", "dist", "distw", "distwces"]
#: Distance columns (km).
GEODIST_DISTANCES: tuple[str, ...] = ("dist", "distcap", "distw", "distwces")
#: 0/1 columns.
GEODIST_DUMMIES: tuple[str, ...] = (
    "contig",
    "comlang_off",
    "comlang_ethno",
    "colony",
    "comcol",
    "curcol",
    "col45",
    "smctry",
)
#: Columns of ``dist_cepii`` in the published order.
GEODIST_COLUMNS: tuple[str, ...] = ("iso_o", "iso_d", *GEODIST_DUMMIES, *GEODIST_DISTANCES)
_KEEP = ("YUG", "ANT", "PAL", "SCG", "CSK", "SUN", "DDR")


def _load(p: Path) -> tuple[pd.DataFrame, int]:
    """Raw table (all text) and the spreadsheet row number of its first data row."""
    suffix = p.suffix.lower()
    try:
        if suffix == ".xls":
            msg = "old .xls workbooks are not read; open it and save as .xlsx or CSV"
            raise InputFormatError(msg, path=p)
        if suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, dtype=str, keep_default_na=False, engine="openpyxl")
        elif suffix == ".dta":
            df = pd.read_stata(p).astype(object)
            df = df.where(df.notna(), "")
            df = df.astype(str)
        else:
            raw = p.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
            header = raw.splitlines()[0] if raw else ""
            counts = {s: header.count(s) for s in (",", ";", "\t", "|")}
            sep = max(counts, key=lambda s: counts[s])
            check_header(header, sep, path=p)
            df = pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        if isinstance(exc, InputFormatError):
            raise
        msg = f"cannot read the file as a GeoDist table ({exc})"
        raise InputFormatError(msg, path=p) from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df, 2


def read_geodist(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read CEPII's ``dist_cepii`` as published.

    Parameters
    ----------
    path
        ``dist_cepii`` as CSV (``,`` ``;`` or tab; ``.`` = missing), ``.xlsx`` or ``.dta``.

    Returns
    -------
    pandas.DataFrame
        The 14 published columns: ``iso_o, iso_d`` (codes mapped: ROM -> ROU, ZAR -> COD,
        TMP -> TLS), the dummies as ``int64`` and the distances (km) as ``float64``
        (``NaN`` where CEPII has ``.``). Other columns are kept after them. ``attrs``:
        ``recoded`` (CEPII code -> ISO3 applied), ``kept_codes`` (historical or non-ISO
        codes kept), ``missing`` (count of ``.`` per distance column).

    Raises
    ------
    DataNotFoundError
        If the file does not exist.
    InputFormatError
        If a published column is missing (the error lists them).
    ValidationError
        If a distance is not a number or ``.``, a dummy not 0/1, or a pair appears twice
        (also after recoding, e.g. a file with both ``ZAR`` and ``COD``); each problem names
        the row and the column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "dist_cepii.csv"
    >>> _ = p.write_text(
    ...     "iso_o;iso_d;contig;comlang_off;comlang_ethno;colony;comcol;curcol;col45;smctry;"
    ...     "dist;distcap;distw;distwces\n"
    ...     "CHN;ROM;0;0;0;0;0;0;0;0;7068.477;7068.477;7395.016;7369.036\n"
    ...     "CHN;MAC;1;1;1;0;0;0;0;1;1982.745;1982.745;.;.\n")
    >>> g = read_geodist(p)
    >>> g[["iso_o", "iso_d", "contig", "distcap", "distw"]]
      iso_o iso_d  contig   distcap     distw
    0   CHN   ROU       0  7068.477  7395.016
    1   CHN   MAC       1  1982.745       NaN
    >>> g.attrs["recoded"]
    {'ROM': 'ROU'}
    """
    p = Path(path)
    if not p.is_file():
        msg = "file not found; download dist_cepii from CEPII (GeoDist) and give its path"
        raise DataNotFoundError(msg, path=p)
    df, first_row = _load(p)
    missing = [c for c in GEODIST_COLUMNS if c not in df.columns]
    if missing:
        found = ", ".join(df.columns[:8]) + (" ..." if len(df.columns) > 8 else "")
        msg = (
            f"missing column(s) {', '.join(missing)}: not CEPII dist_cepii (expected "
            f"{', '.join(GEODIST_COLUMNS)}; found {found})"
        )
        if len(df.columns) == 1:
            msg += "; the header is one column: is the file separated by another character?"
        raise InputFormatError(msg, path=p, row=1, column=missing[0])
    rows = np.arange(first_row, first_row + len(df))
    problems: list[Problem] = []
    out = pd.DataFrame(index=df.index)
    raw_codes: dict[str, pd.Series] = {}
    for c in ("iso_o", "iso_d"):
        raw_codes[c] = df[c].astype(str).str.strip().str.upper()
        out[c] = normalise_codes(df[c])
        blank = out[c] == ""
        for r in rows[blank.to_numpy()][:10]:
            problems.append(Problem("empty country code", path=str(p), row=int(r), column=c))
    for c in GEODIST_DUMMIES:
        t = df[c].astype(str).str.strip()
        v = pd.to_numeric(t, errors="coerce")
        bad = ~v.isin([0, 1])
        for r, s in zip(rows[bad.to_numpy()][:10], t[bad][:10], strict=False):
            problems.append(
                Problem(f"expected 0 or 1, got {s!r}", path=str(p), row=int(r), column=c)
            )
        out[c] = v.fillna(0).astype("int64")
    n_missing: dict[str, int] = {}
    for c in GEODIST_DISTANCES:
        t = df[c].astype(str).str.strip()
        na = t.isin([".", "", "nan", "NaN"])
        v = pd.to_numeric(t.where(~na), errors="coerce")
        bad = v.isna() & ~na
        for r, s in zip(rows[bad.to_numpy()][:10], t[bad][:10], strict=False):
            problems.append(
                Problem(
                    f"expected a distance in km or '.', got {s!r}",
                    path=str(p),
                    row=int(r),
                    column=c,
                )
            )
        neg = v < 0
        for r in rows[neg.to_numpy()][:10]:
            problems.append(Problem("negative distance", path=str(p), row=int(r), column=c))
        out[c] = v.astype("float64")
        n_missing[c] = int(na.sum())
    dup = out.duplicated(["iso_o", "iso_d"], keep=False)
    if dup.any():
        for r, o, d, ro, rd in list(
            zip(
                rows[dup.to_numpy()],
                out.loc[dup, "iso_o"],
                out.loc[dup, "iso_d"],
                raw_codes["iso_o"][dup],
                raw_codes["iso_d"][dup],
                strict=True,
            )
        )[:10]:
            problems.append(
                Problem(
                    f"the pair {o}-{d} appears more than once (as {ro}-{rd} here; CEPII's old "
                    "codes ROM/ZAR/TMP are mapped to ROU/COD/TLS)",
                    path=str(p),
                    row=int(r),
                    column="iso_o",
                )
            )
    if problems:
        raise ValidationError(problems)
    extra = [c for c in df.columns if c not in GEODIST_COLUMNS]
    for c in extra:
        out[c] = df[c]
    recoded: dict[str, str] = {}
    for c in ("iso_o", "iso_d"):
        changed = raw_codes[c] != out[c]
        for a, b in zip(raw_codes[c][changed], out.loc[changed, c], strict=True):
            recoded[a] = b
    codes = set(out["iso_o"]) | set(out["iso_d"])
    out.attrs.update(
        {
            "format": "cepii-geodist",
            "path": str(p),
            "recoded": dict(sorted(recoded.items())),
            "kept_codes": sorted(c for c in codes if c in _KEEP),
            "missing": n_missing,
        }
    )
    return out.reset_index(drop=True)


def geodist_pairs(
    geodist: pd.DataFrame,
    iso3s: list[str] | pd.Index | pd.Series,
    *,
    to: str,
    column: GeodistColumn = "distcap",
) -> pd.DataFrame:
    """Distance and dummies between ``to`` and each economy, from :func:`read_geodist`.

    The row ``iso_o = to, iso_d = iso3`` is used, else the reverse row (the file is
    symmetric).

    Parameters
    ----------
    geodist
        Table from :func:`read_geodist`.
    iso3s
        Partner codes.
    to
        The focal economy (``iso_o``), e.g. ``"CHN"``.
    column
        Distance column: ``distcap`` (capitals, default), ``dist`` (largest cities),
        ``distw`` or ``distwces`` (population-weighted).

    Returns
    -------
    pandas.DataFrame
        ``iso3, dist_km, contig, comlang_off, colony, in_geodist`` (``NaN`` and
        ``in_geodist = False`` for pairs not in the file).

    Examples
    --------
    >>> g = pd.DataFrame({"iso_o": ["CHN"], "iso_d": ["KOR"], "contig": [0],
    ...     "comlang_off": [0], "colony": [0], "distcap": [955.6511]})
    >>> geodist_pairs(g, ["KOR", "ATA"], to="CHN")
      iso3   dist_km  contig  comlang_off  colony  in_geodist
    0  KOR  955.6511     0.0          0.0     0.0        True
    1  ATA       NaN     NaN          NaN     NaN       False
    """
    if column not in GEODIST_DISTANCES:
        msg = f"column must be one of {', '.join(GEODIST_DISTANCES)}; got {column!r}"
        raise InputFormatError(msg)
    need = ["iso_o", "iso_d", column, "contig", "comlang_off", "colony"]
    miss = [c for c in need if c not in geodist.columns]
    if miss:
        msg = f"the GeoDist table lacks column(s) {', '.join(miss)}"
        raise InputFormatError(msg, path=geodist.attrs.get("path"))
    f = str(to).strip().upper()
    fwd = geodist.loc[geodist["iso_o"] == f].set_index("iso_d")
    rev = geodist.loc[geodist["iso_d"] == f].set_index("iso_o")
    cols = [column, "contig", "comlang_off", "colony"]
    rows = []
    for iso in dict.fromkeys(str(i).strip().upper() for i in iso3s):
        src = fwd if iso in fwd.index else rev if iso in rev.index else None
        if src is None:
            rows.append((iso, np.nan, np.nan, np.nan, np.nan, False))
        else:
            v = src.loc[iso, cols]
            rows.append((iso, *(float(x) for x in v), True))  # type: ignore[arg-type]
    return pd.DataFrame(
        rows, columns=["iso3", "dist_km", "contig", "comlang_off", "colony", "in_geodist"]
    )
