"""Containers and encodings shared by the readers: plain, .gz, .zip, parquet, xlsx, JSON.

Text files are decoded as UTF-8 (with or without BOM), then GBK/GB18030, in that order; a
file that decodes as neither is rejected with the byte offset and row of the first bad
byte. CSV files are read in chunks of strings so that every value can be checked and every
problem named by its line number in the file (``_row``; header = row 1; blank lines and
quoted fields spanning lines are counted, so the number is the line an editor shows).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Literal

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError

__all__ = [
    "CHUNKSIZE",
    "ENCODINGS",
    "Container",
    "ReaderWarning",
    "check_header",
    "container",
    "head_text",
    "iter_table",
    "open_binary",
    "select_member",
    "sniff_encoding",
    "zip_members",
]

#: Encodings tried, in order (``utf-8-sig`` also reads UTF-8 without BOM).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
#: Default number of rows per chunk.
CHUNKSIZE = 500_000
ROW = "_row"
_SAMPLE = 1 << 20

Container = Literal["csv", "gz", "zip", "parquet", "xlsx", "json"]
_IGNORED_MEMBERS = re.compile(
    r"(^|/)(readme[^/]*|__macosx/.*|\..*|metadata_[^/]*|country_codes[^/]*|product_codes[^/]*)$",
    re.IGNORECASE,
)


class ReaderWarning(UserWarning):
    """A file was read but something in it looks wrong (encoding guessed, implausible values).

    The command line shows these as ``warning`` log records and in the result record.
    """


def container(path: str | os.PathLike[str]) -> Container:
    """Return the kind of file from its name.

    Examples
    --------
    >>> container("BACI_HS17_Y2022_V202401.csv.gz"), container("x.XLSX"), container("a.txt")
    ('gz', 'xlsx', 'csv')
    """
    name = str(path).lower()
    for suffix, kind in (
        (".gz", "gz"),
        (".zip", "zip"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
        (".xlsx", "xlsx"),
        (".xlsm", "xlsx"),
        (".json", "json"),
    ):
        if name.endswith(suffix):
            return kind  # type: ignore[return-value]
    return "csv"


def _exists(path: Path) -> None:
    if not path.exists():
        msg = "file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    if path.is_dir():
        msg = "expected a file, got a directory"
        raise InputFormatError(msg, path=path)


def zip_members(path: str | os.PathLike[str]) -> list[str]:
    """Names of the files in a zip archive (directories left out)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return [i.filename for i in zf.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as exc:
        msg = "not a valid zip archive (corrupt or truncated download?); download it again"
        raise InputFormatError(msg, path=path) from exc


def select_member(
    path: str | os.PathLike[str],
    member: str | None = None,
    *,
    patterns: Sequence[str] = (),
    allow_many: bool = False,
) -> list[str]:
    r"""Choose the data member(s) of a zip archive.

    Parameters
    ----------
    path
        The archive.
    member
        An explicit member name (or its base name).
    patterns
        Regular expressions on the base name, tried in order; the first that matches
        something wins (e.g. ``^BACI_.*\.csv$`` for the BACI year files).
    allow_many
        Return every match of the winning pattern (BACI year files) instead of requiring one.

    Returns
    -------
    list of str

    Raises
    ------
    InputFormatError
        If nothing matches or the choice is ambiguous; the message lists the members.
    """
    members = zip_members(path)
    listing = ", ".join(members) if members else "(empty archive)"
    if member is not None:
        hits = [m for m in members if m == member or m.rsplit("/", 1)[-1] == member]
        if not hits:
            msg = f"the zip archive has no member {member!r}; its members are: {listing}"
            raise DataNotFoundError(msg, path=path)
        return hits[:1]
    for pattern in patterns:
        rx = re.compile(pattern, re.IGNORECASE)
        hits = [m for m in members if rx.search(m.rsplit("/", 1)[-1])]
        if hits and (allow_many or len(hits) == 1):
            return sorted(hits)
        if hits:
            break
    data = [m for m in members if not _IGNORED_MEMBERS.search(m)]
    if len(data) == 1:
        return data
    if not data:
        msg = f"the zip archive holds no data file; its members are: {listing}"
    else:
        msg = (
            f"the zip archive holds {len(data)} candidate data files and geotrade cannot tell "
            f"which one to read: {', '.join(data)}. Choose one with member=... "
            "(command line: --member NAME)"
        )
    raise InputFormatError(msg, path=path)


@contextlib.contextmanager
def open_binary(path: str | os.PathLike[str], *, member: str | None = None) -> Iterator[IO[bytes]]:
    """Open a file (plain, ``.gz`` or a zip member) for reading bytes."""
    p = Path(path)
    _exists(p)
    kind = container(p)
    if kind == "zip":
        name = select_member(p, member)[0]
        with zipfile.ZipFile(p) as zf, zf.open(name) as fh:
            yield fh
    elif kind == "gz":
        with gzip.open(p, "rb") as fh:
            yield fh  # type: ignore[misc]
    else:
        with open(p, "rb") as fh:
            yield fh


def _read_sample(path: str | os.PathLike[str], member: str | None, size: int = _SAMPLE) -> bytes:
    try:
        with open_binary(path, member=member) as fh:
            return fh.read(size)
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        msg = f"cannot read the file ({exc}); it may be corrupt or truncated"
        raise InputFormatError(msg, path=path) from exc


def _first_bad_byte(
    path: str | os.PathLike[str], member: str | None, encoding: str
) -> tuple[int, int, int] | None:
    """Return (byte offset, line number, byte value) of the first undecodable byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines = 0, 1
    with open_binary(path, member=member) as fh:
        while True:
            block = fh.read(_SAMPLE)
            pending = decoder.getstate()[0]
            data = pending + block
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                pos = max(0, exc.start)
                at = offset - len(pending) + pos
                return at, lines + data[:pos].count(b"\n") - pending.count(b"\n"), data[pos]
            if not block:
                return None
            offset += len(block)
            lines += block.count(b"\n")


def _latin1_hint(sample: bytes) -> str:
    r"""Say whether GB18030-decoded bytes look like Latin-1/Windows-1252 text instead.

    Common Chinese text (GB2312 range) has lead *and* trail bytes >= 0xA1; accented letters
    of Latin-1 text are single high bytes followed by ASCII (``C\xf4te`` -> 0xF4 't'), which
    GB18030 pairs up into rare characters with an ASCII trail byte.
    """
    pairs = re.findall(rb"[\x81-\xfe][\x00-\xff]", sample)
    if not pairs:
        return ""
    ascii_trail = [p for p in pairs if p[1] < 0x80]
    if len(ascii_trail) * 2 < len(pairs):
        return ""
    try:
        latin = sample.decode("cp1252")
    except UnicodeDecodeError:
        latin = sample.decode("latin-1")
    words = list(dict.fromkeys(re.findall(r"\w*[^\x00-\x7f]\w*", latin)))[:3]
    shown = ", ".join(
        f"{w!r} (read as {w.encode('cp1252', 'replace').decode('gb18030', 'replace')!r})"
        for w in words
    )
    return (
        f" {len(ascii_trail)} of its {len(pairs)} non-ASCII characters look like Latin-1/"
        "Windows-1252 accented letters" + (f", e.g. {shown}" if shown else "") + ": the file "
        "is probably Latin-1/cp1252 (Western European Excel), not Chinese. Re-save it as "
        "UTF-8 (Excel: Save As > 'CSV UTF-8'; or iconv -f cp1252 -t utf-8 in.csv > out.csv)"
    )


def sniff_encoding(
    path: str | os.PathLike[str], *, member: str | None = None, warn: bool = False
) -> str:
    r"""Return the first of :data:`ENCODINGS` that decodes the start of the file.

    Parameters
    ----------
    path
        The file.
    member
        Zip member.
    warn
        Emit a :class:`ReaderWarning` when the file is not UTF-8 and is decoded as
        GBK/GB18030 (saying so, and whether it looks like Latin-1 text instead: Latin-1
        bytes often decode as GB18030, turning accented names into Chinese characters).

    Raises
    ------
    InputFormatError
        If the file looks like UTF-16 or binary, or no encoding decodes it (the message
        gives the byte offset and row of the first bad byte).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "gbk.csv"
    >>> _ = p.write_bytes("name\n中国\n".encode("gbk"))
    >>> sniff_encoding(p)
    'gb18030'
    """
    sample = _read_sample(path, member)
    if b"\x00" in sample:
        msg = (
            "the file contains NUL bytes: it looks like UTF-16 or a binary file, not a UTF-8 "
            "or GBK text file; re-save it as 'CSV UTF-8'"
        )
        raise InputFormatError(msg, path=path)
    for enc in ENCODINGS:
        try:
            codecs.getincrementaldecoder(enc)().decode(sample, final=len(sample) < _SAMPLE)
        except UnicodeDecodeError:
            continue
        if warn and enc == "gb18030":
            where = f"{path}!{member}" if member else str(path)
            hint = _latin1_hint(sample[: 1 << 16])
            msg = f"{where}: not UTF-8; decoded as GBK/GB18030 (Chinese Windows encoding).{hint}"
            if not hint:
                msg += " If names look garbled, re-save the file as UTF-8"
            warnings.warn(msg, ReaderWarning, stacklevel=2)
        return enc
    bad = _first_bad_byte(path, member, "utf-8-sig")
    where = "" if bad is None else f"; first invalid byte 0x{bad[2]:02x} at byte offset {bad[0]}"
    msg = (
        "cannot decode the file as UTF-8 (with or without BOM) or GBK/GB18030"
        f"{where}. Re-save it as UTF-8 (Excel: 'CSV UTF-8')"
    )
    raise InputFormatError(msg, path=path, row=None if bad is None else bad[1])


def head_text(
    path: str | os.PathLike[str], *, member: str | None = None, lines: int = 6
) -> list[str]:
    """Return the first decoded lines of a text file (for format detection)."""
    enc = sniff_encoding(path, member=member)
    sample = _read_sample(path, member, 1 << 16)
    text = codecs.getincrementaldecoder(enc)(errors="replace").decode(sample, final=False)
    return text.splitlines()[:lines]


def check_header(header: str, sep: str, *, path: str | os.PathLike[str], row: int = 1) -> None:
    """Raise :class:`InputFormatError` when a column name appears twice in the header line.

    pandas would silently rename the second ``value_usd`` to ``value_usd.1`` and read only
    the first. Names are compared after trimming spaces; empty names (a trailing delimiter)
    are ignored.

    Examples
    --------
    >>> check_header("a,b,c", ",", path="t.csv")
    >>> check_header("year,value_usd, value_usd", ",", path="t.csv")
    Traceback (most recent call last):
    ...
    geotrade.errors.InputFormatError: t.csv, row 1, column 'value_usd': the header names \
the column 'value_usd' twice (columns 2 and 3); rename or delete one of them
    """
    try:
        names = next(csv.reader([header], delimiter=sep))
    except (csv.Error, StopIteration):
        return
    seen: dict[str, int] = {}
    for i, raw in enumerate(names, start=1):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            continue
        if name in seen:
            msg = (
                f"the header names the column {name!r} twice (columns {seen[name]} and {i}); "
                "rename or delete one of them"
            )
            raise InputFormatError(msg, path=path, row=row, column=name)
        seen[name] = i


def _sniff_sep(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda s: counts[s]) if max(counts.values()) > 0 else ","


def _decode_error(
    path: str | os.PathLike[str], member: str | None, encoding: str, exc: UnicodeDecodeError
) -> InputFormatError:
    bad = _first_bad_byte(path, member, encoding)
    name = "UTF-8" if encoding.startswith("utf-8") else "GBK/GB18030"
    where = "" if bad is None else f": invalid byte 0x{bad[2]:02x} at byte offset {bad[0]}"
    msg = (
        f"the file started as {name} but a later part cannot be decoded as {name}{where}. "
        "The file mixes encodings; re-save it as UTF-8"
    )
    err = InputFormatError(msg, path=path, row=None if bad is None else bad[1])
    err.__cause__ = exc
    return err


_RAGGED_HEAD = 1000  # data lines checked for extra cells before pandas reads the file
_MAX_RAGGED = 10


def _long_rows(lines: list[str], sep: str, header_line: int) -> tuple[int, list[tuple[int, int]]]:
    """Count the header's fields; list (line, fields) of the data lines with more fields.

    ``lines`` starts with the header (at file line ``header_line``). Lines with fewer
    fields are left to the checks of the cells (their missing cells are empty).
    """
    reader = csv.reader(lines, delimiter=sep)
    n = len(next(reader, []))
    long: list[tuple[int, int]] = []
    for fields in reader:
        if len(fields) > n:
            long.append((header_line + reader.line_num - 1, len(fields)))
    return n, long


def _iter_csv(
    path: str | os.PathLike[str],
    *,
    member: str | None,
    skiprows: int,
    chunksize: int,
    usecols: Sequence[str] | None,
) -> Iterator[pd.DataFrame]:
    """Read a CSV in string chunks.

    pandas never takes a column as the index (``index_col=False``): when the first data
    row has one cell more than the header (a trailing delimiter), pandas would otherwise
    use the first column as the index and shift every column. The first data lines are
    checked for extra cells first (listing up to 10 such rows); later ones stop pandas
    with the line number.
    """
    enc = sniff_encoding(path, member=member, warn=True)
    lines = head_text(path, member=member, lines=skiprows + 1 + _RAGGED_HEAD)
    if len(lines) <= skiprows or not lines[skiprows].strip():
        msg = "the file is empty (no header row); expected a CSV table with a header"
        raise InputFormatError(msg, path=path, row=skiprows + 1 if lines else None)
    sep = _sniff_sep(lines[skiprows])
    header_line = skiprows + 1
    check_header(lines[skiprows], sep, path=path, row=header_line)
    try:
        n, long = _long_rows(lines[skiprows:], sep, header_line)
    except csv.Error:  # e.g. an unterminated quote: let pandas say where
        n, long = 0, []
    if long:
        listed = "; ".join(f"Expected {n} fields in line {r}, saw {k}" for r, k in long[:10])
        more = f" (+{len(long) - _MAX_RAGGED} more)" if len(long) > _MAX_RAGGED else ""
        msg = (
            f"malformed CSV: the header has {n} fields but data rows have more: {listed}{more}"
            ". An extra cell or a trailing delimiter shifts every column: remove it, or quote "
            "cells that contain the delimiter"
        )
        raise InputFormatError(msg, path=path, row=long[0][0])
    with open_binary(path, member=member) as fh:
        try:
            reader = pd.read_csv(
                fh,
                sep=sep,
                encoding=enc,
                dtype=str,
                index_col=False,
                keep_default_na=False,
                na_values=[""],
                skiprows=skiprows,
                skip_blank_lines=False,
                chunksize=chunksize,
                usecols=(lambda c: c.strip() in usecols) if usecols is not None else None,
                encoding_errors="strict",
            )
            start = header_line + 1
            for chunk in reader:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                chunk[ROW], start = _line_numbers(chunk, start)
                blank = chunk.drop(columns=ROW).isna().all(axis=1)
                if blank.any():
                    chunk = chunk.loc[~blank]
                yield chunk.reset_index(drop=True)
        except UnicodeDecodeError as exc:
            raise _decode_error(path, member, enc, exc) from exc
        except pd.errors.ParserError as exc:
            m = re.search(r"line (\d+)", str(exc))
            row = int(m.group(1)) + skiprows if m else None
            msg = f"the CSV is malformed ({exc}); check quotes and the number of fields"
            raise InputFormatError(msg, path=path, row=row) from exc
        except pd.errors.EmptyDataError as exc:
            msg = "the file is empty; expected a CSV table with a header"
            raise InputFormatError(msg, path=path) from exc


def _line_numbers(chunk: pd.DataFrame, start: int) -> tuple[np.ndarray, int]:
    r"""File line of each record of a CSV chunk starting at line ``start``; the next start.

    A quoted cell holding line breaks makes its record span several lines: the following
    records move down by as many lines (blank lines are records of their own here).

    Examples
    --------
    >>> lines, nxt = _line_numbers(pd.DataFrame({"a": ["x", "two\nlines", "y"]}), 2)
    >>> lines.tolist(), nxt
    ([2, 3, 5], 6)
    """
    extra = np.zeros(len(chunk), dtype="int64")
    for c in chunk.columns:
        col = chunk[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            extra += col.str.count("\n").fillna(0).to_numpy(dtype="int64")
    if not extra.any():
        return np.arange(start, start + len(chunk), dtype="int64"), start + len(chunk)
    ends = start + np.arange(len(chunk), dtype="int64") + np.cumsum(extra)
    return ends - extra, int(ends[-1]) + 1 if len(chunk) else start


def _iter_parquet(path: Path, *, chunksize: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        msg = f"cannot read the file as parquet ({exc})"
        raise InputFormatError(msg, path=path) from exc
    start = 2
    for batch in pf.iter_batches(batch_size=chunksize):
        chunk = batch.to_pandas()
        chunk[ROW] = np.arange(start, start + len(chunk), dtype="int64")
        start += len(chunk)
        yield chunk


def _read_xlsx(path: Path, *, sheet: str | int | None, skiprows: int) -> pd.DataFrame:
    try:
        df = pd.read_excel(
            path,
            sheet_name=0 if sheet is None else sheet,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skiprows=skiprows,
            engine="openpyxl",
        )
    except ValueError as exc:
        msg = f"cannot read the sheet {sheet!r} of the workbook ({exc})"
        raise InputFormatError(msg, path=path) from exc
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        msg = f"cannot read the file as an .xlsx workbook ({exc})"
        raise InputFormatError(msg, path=path) from exc
    df.columns = [str(c).strip() for c in df.columns]
    df[ROW] = np.arange(skiprows + 2, skiprows + 2 + len(df), dtype="int64")
    blank = df.drop(columns=ROW).isna().all(axis=1)
    return df.loc[~blank].reset_index(drop=True)


def iter_table(
    path: str | os.PathLike[str],
    *,
    member: str | None = None,
    sheet: str | int | None = None,
    skiprows: int = 0,
    chunksize: int = CHUNKSIZE,
    usecols: Sequence[str] | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield a tabular file in chunks, with a ``_row`` column of file line numbers.

    CSV (plain, ``.gz`` or zip member) and xlsx cells come as strings (missing = NaN);
    parquet keeps its column types.

    Parameters
    ----------
    path
        The file.
    member
        Zip member to read (default: the only data member).
    sheet
        Worksheet name or 0-based index for ``.xlsx`` (default: the first).
    skiprows
        Lines before the header (4 for World Bank bulk files).
    chunksize
        Rows per chunk.
    usecols
        Only these columns (CSV only).

    Yields
    ------
    pandas.DataFrame
    """
    p = Path(path)
    _exists(p)
    kind = container(p)
    if kind == "parquet":
        yield from _iter_parquet(p, chunksize=chunksize)
    elif kind == "xlsx":
        yield _read_xlsx(p, sheet=sheet, skiprows=skiprows)
    elif kind == "json":
        msg = "JSON files are read by the Comtrade reader only"
        raise InputFormatError(msg, path=p)
    else:
        yield from _iter_csv(
            p, member=member, skiprows=skiprows, chunksize=chunksize, usecols=usecols
        )


def read_text(path: str | os.PathLike[str], *, member: str | None = None) -> str:
    """Read a whole (small) text file, decoding as :func:`sniff_encoding` says."""
    enc = sniff_encoding(path, member=member, warn=True)
    with open_binary(path, member=member) as fh, io.TextIOWrapper(fh, encoding=enc) as text:
        try:
            return text.read()
        except UnicodeDecodeError as exc:
            raise _decode_error(path, member, enc, exc) from exc
