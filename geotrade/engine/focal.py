"""The rows of a large flow file that involve one economy, selected by DuckDB out of core.

The focal-economy commands (``trade summary``, ``interdependence``, ``shares --focal``)
need only the rows in which the focal economy is the reporter or the partner (the partner
rows serve ``--mirror``). With ``--engine duckdb`` those rows are selected from a canonical
parquet/CSV file (as ``geotrade convert`` writes) or a BACI file by a DuckDB scan with a
memory limit, and the small result goes through the same checks and the same metrics as
``--engine pandas``, which reads and checks the whole file; so both engines give the same
numbers (only the rows used are checked on the DuckDB path).

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "KOR", "USA", "_490"],
...     "partner_iso3": ["KOR", "CHN", "DEU", "CHN"], "flow": "export",
...     "hs_code": "850760", "value_usd": [3.0, 1.0, 5.0, 2.0]}).to_parquet(d / "f.parquet")
>>> t = focal_rows(d / "f.parquet", focal="CHN")
>>> t[["reporter_iso3", "partner_iso3", "value_usd"]].sort_values("value_usd").values.tolist()
[['KOR', 'CHN', 1.0], ['TWN', 'CHN', 2.0], ['CHN', 'KOR', 3.0]]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from geotrade.errors import DataNotFoundError, InputFormatError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["focal_rows"]


def _codes_of(focal: str) -> list[str]:
    """``focal`` and every code alias that means it (``_490`` for TWN, ``ROM`` for ROU)."""
    from geotrade.schema import CODE_ALIASES

    return sorted({focal, *(a for a, b in CODE_ALIASES.items() if b == focal)})


def focal_rows(
    path: str | os.PathLike[str],
    *,
    focal: str | None,
    years: Iterable[int] | None = None,
    hs: str | Iterable[str] | None = None,
    unknown_codes: str = "error",
    memory_limit: str = "1GB",
    threads: int | None = None,
) -> pd.DataFrame:
    """Canonical flow rows of ``path`` with ``focal`` as reporter or partner.

    Parameters
    ----------
    path
        A canonical parquet or CSV file (columns ``year, reporter_iso3, partner_iso3, flow,
        hs_code, value_usd`` …), or a BACI year file (``t, i, j, k, v, q``).
    focal
        ISO3 of the economy (its code aliases, e.g. ``_490`` for TWN, are matched too);
        ``None``: every economy (the scan then selects by ``years`` and ``hs`` only, e.g.
        the LCT basket of a BACI year for ``geotrade shares``).
    years, hs
        Optional filters applied in the scan (HS codes as for ``--hs``: 2, 4 or 6 digits).
    unknown_codes
        As for :func:`geotrade.read_flows`.
    memory_limit, threads
        DuckDB settings.

    Returns
    -------
    pandas.DataFrame
        The canonical flow table of the selected rows, checked like
        :func:`geotrade.read_flows` (BACI rows of other exporters to ``focal`` become its
        import rows, as the BACI reader does with ``reporter=``).

    Raises
    ------
    DataNotFoundError, InputFormatError, ValidationError
        A missing file, a file that is neither canonical nor BACI, bad cells in the rows.
    """
    from geotrade.engine import duckdb_engine as dde
    from geotrade.engine.sources import resolve_source
    from geotrade.io.canonical import normalise_hs_filter
    from geotrade.io.readers._pipeline import Filters, collect, iter_checked
    from geotrade.io.readers._tabular import ROW

    p = Path(path)
    if not p.exists():
        msg = "flow file not found; check the path"
        raise DataNotFoundError(msg, path=p)
    try:
        src = resolve_source(str(p))
    except InputFormatError as exc:
        msg = (
            f"the duckdb engine reads canonical parquet/CSV (as `geotrade convert` writes) and "
            f"BACI files; this file is neither ({exc.message})"
            "; convert it first or use --engine pandas"
        )
        raise InputFormatError(msg, path=p) from exc
    focal = None if focal is None else focal.strip().upper()
    hs_list = None if hs is None else normalise_hs_filter(hs)
    yrs = None if years is None else [int(y) for y in years]
    scan = dde._scan(src, src.paths)
    if src.kind == "csv":  # every cell as text, as the pandas reader sees it
        scan = f"read_csv({dde._q(str(p))}, header = true, all_varchar = true)"
    cond = ["TRUE"]
    year_list = None if yrs is None else ", ".join(str(y) for y in yrs)
    if src.layout == "baci":
        if focal is not None:
            from geotrade.engine.sources import baci_code_table

            codes = baci_code_table(src)
            mine = [int(c) for c, iso in zip(codes["code"], codes["iso3"], strict=True)
                    if str(iso).upper() in _codes_of(focal)]  # fmt: skip
            if not mine:
                msg = f"{focal} has no code in the BACI country table"
                raise InputFormatError(msg, path=p, column="i")
            inside = ", ".join(str(c) for c in mine)
            cond.append(f"(CAST(i AS INTEGER) IN ({inside}) OR CAST(j AS INTEGER) IN ({inside}))")
        if year_list is not None:
            cond.append(f"CAST(t AS INTEGER) IN ({year_list})")
        if hs_list is not None:  # a prefilter; the reader's own HS filter decides below
            cond.append(dde._hs_condition("lpad(trim(CAST(k AS VARCHAR)), 6, '0')", hs_list))
    else:
        if focal is not None:
            alias = ", ".join(dde._q(c) for c in _codes_of(focal))
            cond.append(
                f"(upper(trim(reporter_iso3)) IN ({alias}) OR upper(trim(partner_iso3)) IN "
                f"({alias}))"
            )
        if year_list is not None:
            cond.append(f"TRY_CAST(year AS BIGINT) IN ({year_list})")
    sql = (
        f"SELECT * FROM (SELECT *, row_number() OVER () + 1 AS {ROW} FROM {scan}) "
        f"WHERE {' AND '.join(cond)} ORDER BY {ROW}"
    )
    with dde.connect(memory_limit=memory_limit, threads=threads) as con:
        if src.layout == "baci":
            con.register("baci_codes", baci_code_table(src))
        table = con.execute(sql).df()
    if src.layout == "baci":
        return _baci_rows(table, path=p, focal=focal, hs=hs_list, unknown_codes=unknown_codes)
    from geotrade.io.readers.canonical_csv import _converted_with_keep, unknown_iso3_problems

    table.columns = [str(c).strip().lower() if c != ROW else c for c in table.columns]
    keep = unknown_codes == "keep" or _converted_with_keep(p)
    problems = [] if keep else unknown_iso3_problems(table, str(p))
    filters = Filters.make(None, hs_list)
    out = collect(iter_checked([(table, problems)], path=p, filters=filters), path=p,
                  dedupe="error")  # fmt: skip
    out.attrs["format"] = "canonical"
    out.attrs["engine"] = "duckdb (focal rows)"
    return out


def _baci_rows(
    table: pd.DataFrame, *, path: Path, focal: str | None, hs: list[str] | None, unknown_codes: str
) -> pd.DataFrame:
    """Convert selected BACI rows as the BACI reader does with ``reporter=focal``."""
    from geotrade.io.readers import baci as _baci
    from geotrade.io.readers._pipeline import Filters, collect, iter_checked

    info = _baci.baci_file_info(path.name)
    table = table.astype({c: object for c in table.columns if c != "_row"})
    found = _baci._find_sibling(path, r"^country_codes.*\.csv$", info["source_release"])
    codes = _baci.read_baci_country_codes(found[0], member=found[1]) if found else None
    overrides = _baci._overrides(codes) if codes is not None else {}
    raw, problems = _baci._convert(
        table, path=str(path), info=info, overrides=overrides,
        unknown_codes=unknown_codes,  # type: ignore[arg-type]
        reporter=None if focal is None else (focal,),
    )  # fmt: skip
    out = collect(iter_checked([(raw, problems)], path=path, filters=Filters.make(None, hs)),
                  path=path, dedupe="error")  # fmt: skip
    out.attrs["format"] = "baci"
    out.attrs["engine"] = "duckdb (focal rows)"
    return out
