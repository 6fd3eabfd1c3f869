"""``--key``, ``--province-key`` and ``--aliases``: the options of every province/prefecture table.

Every command that reads a province or prefecture table takes the same three options; by
default the unit column and the province column are found by header alias and, failing
that, by content (:func:`geotrade.names.detect_admin_columns`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.names import Aliases, load_aliases

__all__ = ["AliasesOpt", "KeyOpt", "ProvinceKeyOpt", "user_aliases"]

KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key",
        help="Column holding the unit (adcode, Chinese, English or pinyin name). "
        "Default: found by header, else by content.",
    ),
]
ProvinceKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--province-key",
        help="Column holding the province, to decide names shared by two prefectures "
        "(Taizhou, Suzhou, ...). Default: found by header, else by content.",
    ),
]
AliasesOpt = Annotated[
    Path | None,
    typer.Option(
        "--aliases",
        help="CSV 'alias,adcode[,level]' of extra spellings (e.g. English names such as "
        "Hohhot, Ordos that are not pinyin).",
    ),
]


def user_aliases(path: Path | None) -> Aliases | None:
    """Load the ``--aliases`` file (``None`` when not given).

    Examples
    --------
    >>> user_aliases(None) is None
    True
    """
    return None if path is None else load_aliases(path)
