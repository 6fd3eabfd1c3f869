"""Summary statistics of a design table in the layout of seed 001 Table 3.

Seed 001 (CCICED 2024) Table 3, "统计数据汇总(原始值)", reports for every variable of the
regressions, on the **raw** (not standardised) values: ``(1) N``, ``(2) Mean``, ``(3) Sd``,
``(4) Min``, ``(5) Max``. Its N differs by variable (2,964 for LCT exports to China, 4,697 for
population growth), so each variable is described on its own non-missing values, not on a
listwise-complete sample. ``Sd`` is the sample standard deviation (``ddof=1``, as Stata's
``summarize`` and pandas' ``describe``).

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"partner_iso3": ["A", "B", "C"], "year": 2020,
...                   "gdp": [1.0, 2.0, 6.0], "psi": [0.5, None, -0.5]})
>>> summary_statistics(d)[["variable", "n", "mean", "sd", "min", "max"]]
  variable  n  mean        sd  min  max
0      gdp  3   3.0  2.645751  1.0  6.0
1      psi  2   0.0  0.707107 -0.5  0.5
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import InputFormatError
from geotrade.models.tables import RegressionTable

__all__ = ["STAT_COLUMNS", "summary_statistics", "summary_table"]

#: The statistics of seed 001 Table 3, in its order.
STAT_COLUMNS: tuple[str, ...] = ("n", "mean", "sd", "min", "max")
_HEADERS = (("(1)", "N"), ("(2)", "Mean"), ("(3)", "Sd"), ("(4)", "Min"), ("(5)", "Max"))
_NOT_VARIABLES = ("synthetic",)


def _numeric(s: pd.Series) -> pd.Series | None:
    """``s`` as float64 if every non-empty cell is a number, else ``None``."""
    if pd.api.types.is_bool_dtype(s):
        return None
    x = pd.to_numeric(s, errors="coerce")
    filled = s.notna() & s.astype("string").str.strip().ne("")
    if (x.isna() & filled).any():
        return None
    return x.astype("float64")


def summary_statistics(
    df: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    id: str = "partner_iso3",
    time: str = "year",
    labels: Mapping[str, str] | None = None,
    path: str | None = None,
) -> pd.DataFrame:
    """N, mean, SD, min and max of each variable (seed 001 Table 3).

    Parameters
    ----------
    df
        Design table (one row per observation).
    columns
        Variables in display order. Default: every numeric column except the panel keys
        ``id`` and ``time`` and the ``synthetic`` marker.
    id, time
        Panel keys, left out of the default selection.
    labels
        Display names ``{column: label}`` (default: the column name).
    path
        Input file, only used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``variable, label, n, mean, sd, min, max`` (``n`` the number of non-missing values;
        ``sd`` with ``ddof=1``, missing when ``n < 2``).

    Raises
    ------
    InputFormatError
        If a requested column is absent or holds text, or nothing numeric is left.
    """
    if columns is None:
        chosen = [
            str(c)
            for c in df.columns
            if c not in (id, time, *_NOT_VARIABLES) and _numeric(df[c]) is not None
        ]
    else:
        chosen = list(columns)
        missing = [c for c in chosen if c not in df.columns]
        if missing:
            msg = (
                f"no column(s) {', '.join(map(repr, missing))}; the table has "
                f"{', '.join(map(str, df.columns))}"
            )
            raise InputFormatError(msg, path=path, column=missing[0])
    if not chosen:
        msg = "no numeric column to describe (panel keys and text columns are left out)"
        raise InputFormatError(msg, path=path)
    rows = []
    for c in chosen:
        x = _numeric(df[c])
        if x is None:
            s = df[c]
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2 if bad.any() else None
            msg = (
                f"column {c!r} is not numeric (e.g. {str(s[bad].iloc[0])!r})"
                if bad.any()
                else (f"column {c!r} is not numeric")
            )
            raise InputFormatError(msg, path=path, row=row, column=c)
        v = x.dropna()
        n = len(v)
        rows.append(
            {
                "variable": c,
                "label": (labels or {}).get(c, c),
                "n": n,
                "mean": float(v.mean()) if n else np.nan,
                "sd": float(v.std(ddof=1)) if n > 1 else np.nan,
                "min": float(v.min()) if n else np.nan,
                "max": float(v.max()) if n else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["variable", "label", *STAT_COLUMNS])


def _fmt(v: float, digits: int) -> str:
    return "" if not np.isfinite(v) else f"{v:,.{digits}f}"


def summary_table(
    stats: pd.DataFrame,
    *,
    digits: int = 3,
    lang: Literal["en", "zh"] = "en",
    title: str = "",
    note: str = "",
) -> RegressionTable:
    """Render :func:`summary_statistics` as a publication table (Markdown/LaTeX/CSV).

    Numbers are printed as in seed 001 Table 3: thousands separators, ``digits`` decimals
    (N as a whole number).

    Parameters
    ----------
    stats
        Output of :func:`summary_statistics`.
    digits
        Decimals of mean, SD, min and max.
    lang
        ``"en"`` ("Variable") or ``"zh"`` ("变量"); the statistic headers are the seed's
        (``(1) N`` ... ``(5) Max``) in both.
    title
        Caption (default "Summary statistics (raw values)" / "统计数据汇总(原始值)").
    note
        Text after the fixed note.

    Returns
    -------
    RegressionTable
        With ``write(path, fmt="md"|"tex"|"csv")``.
    """
    rows = [
        (
            str(r["label"]),
            [f"{int(r['n']):,}", *(_fmt(float(r[k]), digits) for k in STAT_COLUMNS[1:])],
        )
        for _, r in stats.iterrows()
    ]
    words = {
        "en": (
            "Variable",
            "Summary statistics (raw values)",
            "N: non-missing values of each variable; Sd: sample standard deviation.",
        ),
        "zh": ("变量", "统计数据汇总(原始值)", "N 为各变量的非缺失值个数；Sd 为样本标准差。"),
    }[lang]
    return RegressionTable(
        headers=list(_HEADERS),
        rows=rows,
        note=words[2] + (" " + note if note else ""),
        title=title or words[1],
        variable_label=words[0],
        n_coef_rows=len(rows),
    )
