"""``geotrade convert``: any trade file -> canonical parquet, in bounded memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import HsOption, UnknownCodesOption


def convert(
    file: Annotated[
        Path, typer.Argument(help="Trade file (Comtrade, legacy Comtrade, BACI, WITS, canonical).")
    ],
    out: Annotated[Path, typer.Argument(help="Output canonical parquet file.")],
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="auto, comtrade, comtrade-legacy, baci, wits or canonical."
        ),
    ] = "auto",
    dedupe: Annotated[
        str, typer.Option("--dedupe", help="Duplicate keys: error, sum or first.")
    ] = "error",
    reporter_: Annotated[
        str | None,
        typer.Option("--reporter", help="Keep only these reporters (ISO3, comma-separated)."),
    ] = None,
    hs: HsOption = None,
    unknown_codes: UnknownCodesOption = "error",
    member: Annotated[str | None, typer.Option("--member", help="Zip member to read.")] = None,
    chunksize: Annotated[
        int, typer.Option("--chunksize", min=1, max=100_000_000, help="Rows per chunk.")
    ] = 250_000,
) -> None:
    """Convert a trade file to geotrade's canonical parquet (streamed, atomic)."""
    from typing import get_args

    from geotrade.errors import InputFormatError
    from geotrade.io.canonical import Dedupe
    from geotrade.io.flows import convert_flows
    from geotrade.io.readers import FlowFormat
    from geotrade.io.readers._codes import UnknownCodes

    for name, value, choices in (
        ("--format", format, get_args(FlowFormat)),
        ("--dedupe", dedupe, get_args(Dedupe)),
        ("--unknown-codes", unknown_codes, get_args(UnknownCodes)),
    ):
        if value not in choices:
            msg = f"{name} must be one of {', '.join(choices)}; got {value!r}"
            raise InputFormatError(msg)
    if out.suffix.lower() not in (".parquet", ".pq"):
        msg = "the output must be a .parquet file"
        raise InputFormatError(msg, path=out)
    res = convert_flows(
        file,
        out,
        format=format,  # type: ignore[arg-type]
        dedupe=dedupe,  # type: ignore[arg-type]
        reporter=reporter_,
        hs=hs,
        unknown_codes=unknown_codes,  # type: ignore[arg-type]
        member=member,
        chunksize=chunksize,
        reporter_=reporter(),
    )
    record = {"outputs": {"parquet": str(out)}, **{k: v for k, v in res.items() if k != "out"}}
    human = (
        f"Wrote {out} ({res['rows']:,} rows, format {res['format']}, "
        f"{res['duplicates']} duplicate rows, {res['seconds']:.1f} s)"
    )
    emit_result("convert", record, human)


def register(app: typer.Typer) -> None:
    """Add ``convert`` to the main app."""
    app.command("convert")(convert)
