"""Safe row filters for ``--where``: ``column op value`` clauses joined by ``and``.

Nothing is evaluated as code: the text is split into tokens by a fixed grammar and each clause
becomes a vectorised pandas comparison.

Grammar
-------
::

    filter  := clause ("and" clause)*
    clause  := column op value | column ("in" | "not in") "(" value ("," value)* ")"
    op      := "==" | "=" | "!=" | "<" | "<=" | ">" | ">="
    column  := a name of letters, digits, "_" and "." (e.g. ``year``, ``ln_gdp_lag1``)
               or any name in backquotes (`` `GDP growth` ``)
    value   := a number (``2012``, ``-0.5``, ``1e6``) or a string, quoted ('H', "UM") or
               bare (``CHN``)

* A number compares numerically; the column's cells must then be numbers (or empty).
* A string compares as text and allows only ``==``, ``!=``, ``in`` and ``not in``.
* Keywords (``and``, ``in``, ``not``) are case-insensitive; ``or``, parentheses around
  clauses, functions and attribute access are not part of the grammar and are errors.
* A missing cell satisfies no comparison except ``!=`` and ``not in`` (it is dropped by
  ``==``, ``<``, ``in`` ...), as in SQL with ``IS DISTINCT FROM``; the number of rows removed
  is reported by :func:`apply_where`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"year": [2011, 2012, 2013], "iso3": ["CHN", "USA", "DEU"]})
>>> apply_where(df, "year >= 2012 and iso3 != 'DEU'")[0]["iso3"].tolist()
['USA']
>>> apply_where(df, "iso3 in (CHN, DEU)")[0]["year"].tolist()
[2011, 2013]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import UsageError

__all__ = ["Clause", "apply_where", "parse_where"]

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in"]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'[^']*'|"[^"]*")
    | (?P<bq>`[^`]+`)
    | (?P<op><=|>=|==|!=|=|<|>)
    | (?P<punct>[(),])
    | (?P<word>[^\s'"`<>=!(),]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clause:
    """One comparison ``column op value`` (``values`` holds one value except for ``in``)."""

    column: str
    op: Op
    values: tuple[float | str, ...]

    def __str__(self) -> str:
        vals = ", ".join(repr(v) if isinstance(v, str) else f"{v:g}" for v in self.values)
        return (
            f"{self.column} {self.op} ({vals})"
            if "in" in self.op
            else f"{self.column} {self.op} {vals}"
        )


def _tokens(text: str, option: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            msg = f"{option}: cannot read {text[pos:].strip()[:30]!r} (at character {pos + 1})"
            raise UsageError(msg)
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _value(kind: str, tok: str) -> float | str:
    if kind == "str":
        return tok[1:-1]
    try:
        v = float(tok)
    except ValueError:
        return tok
    return tok if not math.isfinite(v) else v


def parse_where(text: str, *, option: str = "--where") -> list[Clause]:
    """Parse a filter expression into clauses (see the module docstring for the grammar).

    Parameters
    ----------
    text
        The expression, e.g. ``"year >= 1993 and income != 'H'"``.
    option
        The option name used in error messages.

    Returns
    -------
    list of Clause

    Raises
    ------
    UsageError
        If the text is not in the grammar (the message names ``option`` and the problem).

    Examples
    --------
    >>> [str(c) for c in parse_where("year>=2012 AND iso3 not in ('CHN','HKG')")]
    ['year >= 2012', "iso3 not in ('CHN', 'HKG')"]
    """
    toks = _tokens(text, option)
    if not toks:
        msg = f"{option}: empty filter; write e.g. \"year >= 2012 and iso3 != 'CHN'\""
        raise UsageError(msg)
    clauses: list[Clause] = []
    i = 0

    def need(what: str) -> tuple[str, str]:
        if i >= len(toks):
            msg = f"{option}: {text.strip()!r} ends early; {what} expected"
            raise UsageError(msg)
        return toks[i]

    while True:
        kind, tok = need("a column name")
        if kind == "bq":
            col = tok[1:-1]
        elif kind == "word" and tok.lower() not in ("and", "or", "not", "in"):
            col = tok
        else:
            msg = f"{option}: a column name expected, got {tok!r} in {text!r}"
            raise UsageError(msg)
        i += 1
        kind, tok = need(f"an operator after {col!r}")
        low = tok.lower()
        op: Op
        if kind == "op":
            op = "==" if tok == "=" else tok  # type: ignore[assignment]
            i += 1
            vk, vt = need(f"a value after {col} {tok}")
            if vk not in ("str", "word"):
                msg = f"{option}: a value expected after {col} {tok}, got {vt!r}"
                raise UsageError(msg)
            values: tuple[float | str, ...] = (_value(vk, vt),)
            i += 1
        elif kind == "word" and low in ("in", "not"):
            if low == "not":
                i += 1
                _k2, t2 = need("'in' after 'not'")
                if t2.lower() != "in":
                    msg = f"{option}: 'not' must be followed by 'in', got {t2!r}"
                    raise UsageError(msg)
            op = "not in" if low == "not" else "in"
            i += 1
            _k3, t3 = need("'(' after 'in'")
            if t3 != "(":
                msg = f"{option}: write {col} {op} (a, b, ...) with parentheses"
                raise UsageError(msg)
            i += 1
            vals: list[float | str] = []
            while True:
                vk, vt = need("a value or ')'")
                if vk not in ("str", "word"):
                    msg = f"{option}: a value expected in the list of {col} {op}, got {vt!r}"
                    raise UsageError(msg)
                vals.append(_value(vk, vt))
                i += 1
                _sk, st = need("',' or ')'")
                i += 1
                if st == ")":
                    break
                if st != ",":
                    msg = f"{option}: ',' or ')' expected in the list of {col} {op}, got {st!r}"
                    raise UsageError(msg)
            values = tuple(vals)
        else:
            msg = (
                f"{option}: an operator (==, !=, <, <=, >, >=, in, not in) expected after "
                f"{col!r}, got {tok!r}"
            )
            raise UsageError(msg)
        kinds = {isinstance(v, str) for v in values}
        if len(kinds) > 1:
            msg = f"{option}: the list of {col} {op} mixes numbers and text; quote all or none"
            raise UsageError(msg)
        if kinds == {True} and op in ("<", "<=", ">", ">="):
            msg = (
                f"{option}: {col} {op} {values[0]!r} compares text; '<', '<=', '>', '>=' "
                "need a number"
            )
            raise UsageError(msg)
        clauses.append(Clause(col, op, values))
        if i == len(toks):
            return clauses
        kind, tok = toks[i]
        if tok.lower() != "and":
            hint = (
                " ('or' is not supported: run the command once per alternative)"
                if tok.lower() == "or"
                else ""
            )
            msg = f"{option}: 'and' expected between clauses, got {tok!r}{hint}"
            raise UsageError(msg)
        i += 1


def _mask(df: pd.DataFrame, c: Clause, option: str) -> np.ndarray:
    s = df[c.column]
    if isinstance(c.values[0], str):
        text = s.astype("string")
        hit = text.isin([str(v) for v in c.values]).fillna(False).to_numpy(dtype=bool)
        return ~hit if c.op in ("!=", "not in") else hit
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna() & s.notna() & s.astype("string").str.strip().ne("")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        msg = (
            f"{option}: {c} compares numbers but column {c.column!r} holds "
            f"{str(s[bad].iloc[0])!r} (row {row}); quote the value to compare text"
        )
        raise UsageError(msg)
    x = num.to_numpy(dtype="float64")
    vals = np.asarray(c.values, dtype="float64")
    with np.errstate(invalid="ignore"):
        if c.op in ("in", "not in", "==", "!="):
            hit = np.isin(x, vals)
            return ~hit if c.op in ("!=", "not in") else hit
        v = vals[0]
        return {
            "<": x < v,
            "<=": x <= v,
            ">": x > v,
            ">=": x >= v,
        }[c.op]


def apply_where(
    df: pd.DataFrame, where: str | list[Clause], *, option: str = "--where"
) -> tuple[pd.DataFrame, int]:
    """Keep the rows of ``df`` that satisfy every clause of ``where``.

    Parameters
    ----------
    df
        Any table.
    where
        A filter expression or clauses from :func:`parse_where`.
    option
        The option name used in error messages.

    Returns
    -------
    (DataFrame, int)
        The kept rows (index preserved) and the number of rows removed.

    Raises
    ------
    UsageError
        If the expression is not in the grammar, names a column the table does not have
        (the message lists the columns), or compares a number with a text column.
    """
    clauses = parse_where(where, option=option) if isinstance(where, str) else where
    keep = np.ones(len(df), dtype=bool)
    for c in clauses:
        if c.column not in df.columns:
            msg = (
                f"{option}: no column {c.column!r}; the table has {', '.join(map(str, df.columns))}"
            )
            raise UsageError(msg)
        keep &= _mask(df, c, option)
    return df.loc[keep], int((~keep).sum())
