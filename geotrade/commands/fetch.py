"""``geotrade fetch comtrade``: download HS trade from the UN Comtrade API to parquet."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import RequiredHsOption, RequiredYearsOption, parse_years


def comtrade(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output parquet file.")],
    reporter_: Annotated[
        str, typer.Option("--reporter", help="Reporters, ISO3 or Comtrade codes: CHN,USA")
    ],
    years: RequiredYearsOption,
    hs: RequiredHsOption,
    partner: Annotated[
        str, typer.Option("--partner", help="Partners (ISO3/codes) or 'all'.")
    ] = "all",
    flow: Annotated[str, typer.Option("--flow", help="X,M (also RX, RM)")] = "X,M",
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", help="Parquet cache directory.")
    ] = None,
) -> None:
    """Download annual HS trade from the UN Comtrade API into a canonical parquet file.

    The subscription key is read from the environment variable COMTRADE_API_KEY (data
    endpoint, 250 000 rows per call). Without it the public preview endpoint is used (500
    rows per call; truncated answers are split into smaller calls). Comtrade data may not be
    redistributed: keep the output local.
    """
    from geotrade.io.atomic import atomic_path
    from geotrade.io.comtrade_api import ENV_KEY, PREVIEW_LIMIT, clean_key, fetch_comtrade

    rep = reporter()
    year_list = parse_years(years) or []
    key = clean_key(os.environ.get(ENV_KEY))  # strips a Windows '\r\n'; never echoed
    if key is None:
        rep.log(
            f"{ENV_KEY} is not set: using the Comtrade preview endpoint, limited to "
            f"{PREVIEW_LIMIT} rows per call (queries are split; many calls may be needed)",
            level="warning",
        )
    table = fetch_comtrade(
        reporters=reporter_,
        partners=None if partner.strip().lower() == "all" else partner,
        years=year_list,
        hs_codes=hs,
        flows=flow,
        key=key,
        cache_dir=cache_dir,
        reporter=rep,
    )
    stats = table.attrs.get("fetch", {})
    table.attrs = {}
    with atomic_path(out) as tmp:
        table.to_parquet(tmp, index=False)
    record = {
        "outputs": {"parquet": str(out)},
        "rows": len(table),
        "years": year_list,
        "reporters": sorted(table["reporter_iso3"].unique().tolist()) if len(table) else [],
        "partners": int(table["partner_iso3"].nunique()) if len(table) else 0,
        "fetch": stats,
    }
    human = (
        f"Wrote {len(table)} rows to {out} ({stats.get('endpoint')} endpoint, "
        f"{stats.get('calls', 0)} calls, {stats.get('cache_hits', 0)} cache hits)."
    )
    for note in stats.get("notes", []):
        human += f"\n  note: {note}"
    emit_result("fetch comtrade", record, human)


def register(app: typer.Typer) -> None:
    """Add the ``fetch`` command group to the main app."""
    sub = typer.Typer(help="Download trade data from remote services.", no_args_is_help=True)
    sub.command("comtrade")(comtrade)
    app.add_typer(sub, name="fetch")
