"""The one number parser of geotrade's readers: only unambiguous numbers are accepted.

Every reader that turns text cells into numbers uses :func:`parse_numbers` (a column) or
:func:`parse_number` (one cell), so that a cell means the same in every file format.

Accepted (after trimming):

* plain decimals with a decimal point: ``19290``, ``19290.5``, ``-3``, ``.5``, ``1e6``;
* with ``thousands=True`` only: thousands separators in the one consistent form
  ``1,234,567.5`` (groups of exactly three digits after the first, comma separators,
  decimal point last);
* with ``fullwidth=True`` only: full-width digits and punctuation (``８２,０００``), as typed
  in Chinese input methods (NFKC-normalised first).

Rejected, with a hint (:func:`number_hint`): ``19290,5`` (a decimal comma: the old readers
that stripped every comma made it 192905, ten times too large), ``1.234,5``, ``12,34``,
``1,234`` where thousands separators are not allowed (in a semicolon-separated file a comma
is most likely a decimal comma), ``NaN``, ``inf``, text. Empty cells are missing (NaN), not
errors: callers decide whether a value is required.

Examples
--------
>>> parse_number("1,234,567.5", thousands=True)
1234567.5
>>> try:
...     parse_number("19290,5", thousands=True)
... except ValueError as e:
...     print(e)
not an unambiguous number: '19290,5' (a decimal comma? write 19290.5 with a decimal point '.')
>>> import pandas as pd
>>> p = parse_numbers(pd.Series(["12", "3,5", None, "1,000"]), thousands=False)
>>> p.values.tolist()[:1], p.bad.tolist()
([12.0], [False, True, False, True])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ParsedNumbers", "number_hint", "parse_number", "parse_numbers"]

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_SPACED = re.compile(r"[+-]?\d+(?:[ \u00a0\u202f]\d+)+(?:\.\d+)?")
_EURO = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")


@dataclass(frozen=True)
class ParsedNumbers:
    """The result of :func:`parse_numbers`.

    Attributes
    ----------
    values
        float64 array; NaN where the cell is empty or bad.
    bad
        True where the cell holds text that is not an accepted number.
    """

    values: np.ndarray
    bad: np.ndarray


def _clean(text: str, *, fullwidth: bool) -> str:
    if fullwidth:
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def number_hint(text: object, *, thousands: bool = False) -> str:
    """Explain why ``text`` is not accepted (for error messages).

    Examples
    --------
    >>> number_hint("4942067377,5")
    "a decimal comma? write 4942067377.5 with a decimal point '.'"
    >>> number_hint("10,140,436,891")
    'thousands separators are not accepted here: write 10140436891'
    >>> number_hint("n/a")  # nothing more specific to say
    ''
    """
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if _EURO.fullmatch(s):
        return "a decimal comma with '.' thousands separators? write " + (
            s.replace(".", "").replace(",", ".") + " with a decimal point '.'"
        )
    if _GROUPED.fullmatch(s) and not thousands:
        return f"thousands separators are not accepted here: write {s.replace(',', '')}"
    if _DECIMAL_COMMA.fullmatch(s):
        return f"a decimal comma? write {s.replace(',', '.')} with a decimal point '.'"
    if "," in s:
        return "commas are accepted only as thousands separators in the form 1,234,567.5"
    if _SPACED.fullmatch(s):
        return f"no spaces inside a number: write {_SPACES.sub('', s)}"
    if s.lower().lstrip("+-") in ("nan", "inf", "infinity") or (
        _PLAIN.fullmatch(s) and not np.isfinite(float(s))
    ):
        return "NaN and infinity are not numbers here; leave the cell empty for no data"
    return ""


def parse_number(text: object, *, thousands: bool = False, fullwidth: bool = False) -> float:
    """Parse one cell; raise :class:`ValueError` with a hint if it is not a number.

    Parameters
    ----------
    text
        The cell.
    thousands
        Accept ``1,234,567.5`` thousands separators.
    fullwidth
        Accept full-width digits and punctuation.

    Raises
    ------
    ValueError
        Empty or not an unambiguous number.
    """
    s = _clean(str(text), fullwidth=fullwidth)
    if _PLAIN.fullmatch(s) and np.isfinite(float(s)):
        return float(s)
    if thousands and _GROUPED.fullmatch(s):
        return float(s.replace(",", ""))
    hint = number_hint(text, thousands=thousands)
    msg = f"not an unambiguous number: {str(text)!r}" + (f" ({hint})" if hint else "")
    raise ValueError(msg)


def parse_numbers(
    values: pd.Series | Iterable[object], *, thousands: bool = False, fullwidth: bool = False
) -> ParsedNumbers:
    """Parse a column of cells (strings, numbers or missing) with the rules above.

    Numeric columns (e.g. from parquet or XLSX) are taken as they are, except that NaN and
    infinite values stay NaN and are not flagged.

    Parameters
    ----------
    values
        The cells.
    thousands, fullwidth
        As in :func:`parse_number`.

    Returns
    -------
    ParsedNumbers
        Values and the mask of bad cells.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    s = s.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(object)
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return ParsedNumbers(v, np.zeros(len(v), dtype=bool))
    if pd.api.types.infer_dtype(s, skipna=True) not in ("string", "empty"):
        # mixed cells (an XLSX column): numbers as text, missing stays missing
        s = s.map(lambda x: x if isinstance(x, str) or pd.isna(x) else str(x))
    s = s.astype(object)
    if fullwidth:
        s = s.map(lambda x: unicodedata.normalize("NFKC", x) if isinstance(x, str) else x)
    missing = s.isna().to_numpy()
    # fast path: pandas parses the plain numbers; only what it rejects or reads as NaN/inf
    # (text such as 'NaN' or 'inf'), and any non-ASCII cell, is looked at one at a time
    v = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    odd = ~missing & ~np.isfinite(v)
    if not "".join(s[~missing].tolist()).isascii():
        odd |= s.map(lambda x: isinstance(x, str) and not x.isascii()).to_numpy(dtype=bool)
    out = v.copy()
    bad = np.zeros(len(s), dtype=bool)
    for i in np.flatnonzero(odd):
        cell = str(s.iloc[i]).strip()
        if cell == "":
            out[i] = np.nan
        elif _PLAIN.fullmatch(cell) and np.isfinite(float(cell)):
            out[i] = float(cell)
        elif thousands and _GROUPED.fullmatch(cell):
            out[i] = float(cell.replace(",", ""))
        else:
            out[i], bad[i] = np.nan, True
    return ParsedNumbers(out, bad)
