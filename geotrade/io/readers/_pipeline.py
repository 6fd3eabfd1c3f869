"""Shared reader pipeline: raw chunks -> checked canonical chunks -> one table."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd

from geotrade.errors import InputFormatError, Problem, ValidationError
from geotrade.io.canonical import (
    ROW,
    Dedupe,
    check_flows,
    dedupe_flows,
    empty_flows,
    finish_flows,
    hs_match,
    normalise_hs_filter,
)

__all__ = ["Filters", "RawChunks", "collect", "iter_checked"]

#: A raw chunk (canonical column names, ``_row``) and the problems found while making it.
RawChunks = Iterable[tuple[pd.DataFrame, list[Problem]]]
_MAX_PROBLEMS = 200


@dataclass
class Filters:
    """Row filters applied while streaming (keep memory bounded on big files)."""

    reporter: tuple[str, ...] | None = None
    hs: tuple[str, ...] | None = None
    excluded: list[dict[str, object]] = field(default_factory=list)

    @classmethod
    def make(cls, reporter: str | Sequence[str] | None, hs: str | Sequence[str] | None) -> Filters:
        """Normalise the user's filter values.

        HS codes follow :func:`geotrade.io.canonical.normalise_hs_filter` (2, 4 or 6
        digits, or TOTAL) and match by :func:`geotrade.io.canonical.hs_match` (a heading
        keeps its own rows and its subheadings).
        """

        def as_tuple(v: str | Sequence[str] | None) -> tuple[str, ...] | None:
            if v is None:
                return None
            items = [v] if isinstance(v, str) else list(v)
            items = [s.strip() for x in items for s in str(x).split(",") if s.strip()]
            return tuple(items) or None

        rep = as_tuple(reporter)
        codes = as_tuple(hs)
        if codes is not None:
            codes = tuple(normalise_hs_filter(codes))
        return cls(reporter=None if rep is None else tuple(r.upper() for r in rep), hs=codes)

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """Keep the rows that pass the filters."""
        keep = pd.Series(True, index=df.index)
        if self.reporter is not None:
            keep &= df["reporter_iso3"].isin(self.reporter)
        if self.hs is not None:
            keep &= hs_match(df["hs_code"], self.hs)
        return df if bool(keep.all()) else df.loc[keep]


def iter_checked(
    raw: RawChunks,
    *,
    path: str | os.PathLike[str],
    filters: Filters | None = None,
    post: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Iterator[pd.DataFrame]:
    """Check each raw chunk; yield clean chunks; raise all problems together at the end.

    Once a problem is found no more chunks are yielded (the caller's output is discarded),
    but the file is read to the end to list every problem (up to 200).
    """
    problems: list[Problem] = []
    where = str(path)
    any_rows = False
    for chunk, found in raw:
        if len(chunk):
            any_rows = True
        if len(problems) < _MAX_PROBLEMS:
            problems += found
        clean, bad = check_flows(chunk, path=where)
        names = chunk.attrs.get("source_columns", {})
        if len(problems) < _MAX_PROBLEMS:
            problems += [
                Problem(q.message, path=q.path, row=q.row, column=names.get(q.column, q.column))
                for q in bad
            ]
        if problems:
            continue
        if filters is not None:
            clean = filters.apply(clean)
        if post is not None:
            clean = post(clean)
        yield clean
    if problems:
        if len(problems) >= _MAX_PROBLEMS:
            problems = [
                *problems[:_MAX_PROBLEMS],
                Problem("... further problems not listed", path=where),
            ]
        raise ValidationError(problems)
    if not any_rows:
        msg = "the file has a header but no data rows"
        raise InputFormatError(msg, path=path, row=2)


def collect(
    chunks: Iterable[pd.DataFrame],
    *,
    path: str | os.PathLike[str],
    dedupe: Dedupe,
    attrs: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Concatenate checked chunks, resolve duplicates and return the canonical table."""
    parts = [c for c in chunks if len(c)]
    if not parts:
        out = empty_flows()
    else:
        df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        df, n_dup = dedupe_flows(df, dedupe=dedupe, path=path)
        out = finish_flows(df.drop(columns=[ROW], errors="ignore"))
        if n_dup:
            out.attrs["duplicates"] = n_dup
    out.attrs.update(attrs or {})
    out.attrs["path"] = str(path)
    return out
