"""``geotrade flows inspect``: what is in a trade file, and what is wrong with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result

FORMAT_HELP = "Input format: auto, comtrade, comtrade-legacy, baci, wits or canonical."


def inspect(
    file: Annotated[
        Path, typer.Argument(help="Trade file (csv, csv.gz, zip, parquet, xlsx, json).")
    ],
    format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "auto",
    member: Annotated[
        str | None, typer.Option("--member", help="Zip member to read (when ambiguous).")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="xlsx worksheet name.")] = None,
) -> None:
    """Summarise a trade file: format, years, reporters, partners, products, problems.

    Also product levels (TOTAL/HS2/HS4/HS6), units, totals by year and flow, and the
    aggregates kept in the table. Exits with an error (validation, exit code 5) when the
    file has no usable row, listing why.
    """
    from typing import get_args

    from geotrade.errors import InputFormatError
    from geotrade.io.flows import inspect_flows
    from geotrade.io.readers import FlowFormat

    if format not in get_args(FlowFormat):
        msg = f"--format must be one of {', '.join(get_args(FlowFormat))}; got {format!r}"
        raise InputFormatError(msg)
    s = inspect_flows(file, format=format, member=member, sheet=sheet)  # type: ignore[arg-type]
    lines = [
        f"{file}: format {s['format']}, {s['rows']:,} rows",
        f"  years      {', '.join(map(str, s['years'])) or '-'}",
        f"  reporters  {s['reporters']['count']} ({', '.join(s['reporters']['examples'])})",
        f"  partners   {s['partners']['count']} ({', '.join(s['partners']['examples'])})",
        f"  products   {s['products']['count']} ({', '.join(s['products']['examples'])})"
        + (f"; levels {s['levels']}" if s.get("levels") else ""),
        f"  units      {s['units'] or '-'}; valuation {s['valuations'] or '-'}; "
        f"revisions {s['revisions'] or '-'}",
        "  totals (USD, aggregates excluded):",
    ]
    lines += [
        f"    {t['year']} {t['flow']:<9} {t['value_usd']:>20,.0f}  ({t['rows']} rows)"
        for t in s["totals"]
    ]
    if s["aggregates"]:
        lines.append("  aggregates (kept, flagged is_aggregate):")
        lines += [
            f"    {a['code']:<6} {a['hs_code']}  {a['value_usd']:>20,.0f}  ({a['rows']} rows)"
            for a in s["aggregates"]
        ]
    for e in s["excluded"]:
        lines.append(f"  left out: {e['rows']} {e['reason']}")
    lines.append(f"  problems: {len(s['problems']) or 'none'}")
    for p in s["problems"][:20]:
        where = ", ".join(
            x
            for x in (
                p.get("path"),
                p.get("row") and f"row {p['row']}",
                p.get("column") and f"column {p['column']!r}",
            )
            if x
        )
        lines.append(f"    - {where + ': ' if where else ''}{p['message']}")
    if s.get("indicators"):
        lines.append(f"  indicators: {', '.join(map(str, s['indicators']))}")
    lines += [f"  warning: {w}" for w in s.get("warnings", [])]
    if s["rows"] == 0:
        from geotrade.errors import Problem, ValidationError

        why = [
            Problem(p["message"], path=p.get("path"), row=p.get("row"), column=p.get("column"))
            for p in s["problems"]
        ] or [Problem("no data row passed the filters", path=str(file))]
        typer.echo("\n".join(lines), err=True)
        raise ValidationError([Problem(f"0 usable rows in {file}; reasons:", path=str(file)), *why])
    emit_result("flows inspect", {"file": str(file), "outputs": {}, **s}, "\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add the ``flows`` command group to the main app."""
    sub = typer.Typer(help="Inspect trade flow files.", no_args_is_help=True)
    sub.command("inspect")(inspect)
    app.add_typer(sub, name="flows")
