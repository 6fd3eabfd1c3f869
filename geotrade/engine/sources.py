"""Resolve what the engine reads: a DataFrame, canonical parquet/CSV, or BACI parquet/CSV.

A *source* is one of

* a :class:`pandas.DataFrame` in the canonical flow layout (``year, reporter_iso3,
  partner_iso3, flow, hs_code, value_usd``, see :mod:`geotrade.io.canonical`) or in the BACI
  layout (``t, i, j, k, v``);
* a path, a glob (``data/BACI_HS17_Y*.parquet``) or a list of paths to parquet or CSV files
  in either layout. The layout is detected from the column names of the first file.

BACI files are read as CEPII ships them: ``v`` is in **thousand** USD (multiplied by 1000),
``i``/``j`` are BACI numeric country codes mapped to ISO3 through the release's
``country_codes_V*.csv`` next to the data (or a file given explicitly); without one, the
packaged reference table (:func:`geotrade.reference.comtrade_codes`, column ``baci_iso3``)
is used. BACI's 490 "Other Asia, nes" (ISO3 ``N/A``) becomes ``TWN``; a code without an ISO3
becomes ``"_" + code`` (an aggregate, excluded from pair metrics and reported).

Examples
--------
>>> import pandas as pd
>>> src = resolve_source(pd.DataFrame({"t": [2022], "i": [156], "j": [842], "k": [850760],
...                                    "v": [1.5]}))
>>> src.kind, src.layout
('frame', 'baci')
>>> codes = baci_code_table(src)
>>> codes.set_index("code").loc[[156, 490, 842], "iso3"].tolist()
['CHN', 'TWN', 'USA']
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError

__all__ = ["BACI_COLUMNS", "CANONICAL_COLUMNS", "Source", "baci_code_table", "resolve_source"]

#: Columns the engine needs from a canonical flow table.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "year",
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "value_usd",
)
#: Columns of a BACI file (``q`` is optional for the engine).
BACI_COLUMNS: tuple[str, ...] = ("t", "i", "j", "k", "v")

Kind = Literal["frame", "parquet", "csv"]
Layout = Literal["canonical", "baci"]
SourceLike: TypeAlias = pd.DataFrame | str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


@dataclass(frozen=True)
class Source:
    """A resolved input: what it is, where it is, and how to map BACI codes."""

    kind: Kind
    layout: Layout
    paths: tuple[str, ...] = ()
    frame: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    country_codes: str | None = None

    @property
    def label(self) -> str:
        """Short description for messages."""
        if self.kind == "frame":
            return "<DataFrame>"
        return (
            self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} (+{len(self.paths) - 1})"
        )


def _layout(columns: Sequence[str], where: str) -> Layout:
    cols = {str(c).strip() for c in columns}
    if set(CANONICAL_COLUMNS) <= cols:
        return "canonical"
    if set(BACI_COLUMNS) <= cols:
        return "baci"
    msg = (
        f"cannot tell the table layout from its columns {sorted(cols)}; expected the canonical "
        f"columns {', '.join(CANONICAL_COLUMNS)} or the BACI columns {', '.join(BACI_COLUMNS)}"
    )
    raise InputFormatError(msg, path=where)


def _expand(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    out: list[str] = []
    for item in items:
        text = os.fspath(item)
        if any(ch in text for ch in "*?["):
            hits = sorted(glob.glob(text))
            if not hits:
                msg = "no file matches this pattern; check the directory and the file names"
                raise DataNotFoundError(msg, path=text)
            out.extend(hits)
        elif not Path(text).is_file():
            msg = "file not found; check the path"
            raise DataNotFoundError(msg, path=text)
        else:
            out.append(text)
    if not out:
        msg = "no input files given"
        raise DataNotFoundError(msg)
    return out


def _file_kind(path: str) -> Kind:
    name = path.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".txt")):
        return "csv"
    msg = "unknown file type; expected .parquet or .csv (BACI or canonical layout)"
    raise InputFormatError(msg, path=path)


def _columns(path: str, kind: Kind) -> list[str]:
    if kind == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for broken files
            msg = f"cannot read the parquet schema ({exc}); is this a parquet file?"
            raise InputFormatError(msg, path=path) from exc
    import gzip

    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", errors="replace") as f:
        header = f.readline()
    return [c.strip().strip('"') for c in header.rstrip("\r\n").split(",")]


def resolve_source(
    source: SourceLike, *, country_codes: str | os.PathLike[str] | None = None
) -> Source:
    """Resolve ``source`` into a :class:`Source` (kind, layout, files).

    Parameters
    ----------
    source
        DataFrame, path, glob or list of paths (parquet or CSV; canonical or BACI layout).
    country_codes
        BACI ``country_codes_V*.csv`` to map ``i``/``j``. By default a file matching
        ``country_codes_V*.csv`` next to the first data file is used when there is one.

    Returns
    -------
    Source

    Raises
    ------
    DataNotFoundError
        If a file or pattern matches nothing.
    InputFormatError
        If the files mix types or the columns match neither layout.
    """
    cc = None if country_codes is None else os.fspath(country_codes)
    if cc is not None and not Path(cc).is_file():
        msg = "BACI country_codes file not found"
        raise DataNotFoundError(msg, path=cc)
    if isinstance(source, pd.DataFrame):
        return Source(
            "frame", _layout(source.columns, "<DataFrame>"), frame=source, country_codes=cc
        )
    paths = _expand(source)
    kinds = {_file_kind(p) for p in paths}
    if len(kinds) > 1:
        msg = "mixed parquet and CSV inputs; pass one kind of file at a time"
        raise InputFormatError(msg, path=paths[0])
    kind = kinds.pop()
    layout = _layout(_columns(paths[0], kind), paths[0])
    if layout == "baci" and cc is None:
        near = sorted(Path(paths[0]).parent.glob("country_codes_V*.csv"))
        cc = str(near[-1]) if near else None
    return Source(kind, layout, paths=tuple(paths), country_codes=cc)


def baci_code_table(source: Source) -> pd.DataFrame:
    """Return the BACI code → ISO3 table (columns ``code`` int64, ``iso3`` str).

    From ``source.country_codes`` when set (V202401 columns ``country_code, country_iso3``
    or older ``country_code, iso_3digit_alpha``), otherwise from the packaged reference
    table (``baci_iso3``). 490 → ``TWN``; former economies get their historical code
    (:func:`geotrade.schema.historical_by_comtrade_code`: 810 → ``SUN``, 58 → ``_58``).
    Codes without an ISO3 are left out: the engine turns them into ``"_" + code``, whose
    kind :mod:`geotrade.schema` decides (aggregates are excluded and reported).

    Parameters
    ----------
    source
        A resolved BACI source.

    Returns
    -------
    pandas.DataFrame
    """
    if source.country_codes is not None:
        path = source.country_codes
        try:
            t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except Exception as exc:
            msg = f"cannot read the BACI country codes file ({exc})"
            raise InputFormatError(msg, path=path) from exc
        iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in t.columns), None)
        if "country_code" not in t.columns or iso_col is None:
            msg = (
                f"expected columns country_code and country_iso3 (or iso_3digit_alpha), "
                f"got {list(t.columns)}"
            )
            raise InputFormatError(msg, path=path)
        codes = pd.to_numeric(t["country_code"].str.strip(), errors="coerce")
        iso = t[iso_col].str.strip().str.upper()
        out = pd.DataFrame({"code": codes, "iso3": iso})
        out = out[out["code"].notna()]
        out["code"] = out["code"].astype("int64")
        out.loc[out["code"] == 490, "iso3"] = "TWN"
        out = out[out["iso3"].str.fullmatch(r"[A-Z]{3}")]
    else:
        from geotrade.reference import comtrade_codes

        t = comtrade_codes()
        iso = t["baci_iso3"].where(t["baci_iso3"] != "", None)
        iso = iso.where(iso.notna() | (t["code"] != "490"), "TWN")
        out = pd.DataFrame({"code": pd.to_numeric(t["code"]), "iso3": iso})
        out = out[out["iso3"].notna()]
        out["code"] = out["code"].astype("int64")
    # Former economies keep their historical code (geotrade.schema), as in the readers.
    from geotrade.schema import historical_by_comtrade_code

    former = {int(k): v for k, v in historical_by_comtrade_code().items()}
    out = out[~out["code"].isin(former)]
    extra = pd.DataFrame({"code": list(former), "iso3": list(former.values())})
    out = pd.concat([out, extra.astype({"code": "int64"})], ignore_index=True)
    return out.drop_duplicates("code").reset_index(drop=True)
