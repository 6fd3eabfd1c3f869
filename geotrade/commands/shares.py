"""``geotrade shares``: trade by country group and by sector (seed 001 Figures 1-4, Table 2).

Parses options, reads the flows (any flow format, or the IMF dashboard's country totals),
calls :func:`geotrade.builders.shares.build_shares` and writes CSV / Markdown / charts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import (
    CsvOption,
    EngineOption,
    HsOption,
    MdOption,
    ProductListOption,
    UnknownCodesOption,
    YearsOption,
    parse_focal,
    parse_hs,
    parse_years,
    present_years,
    require_output,
)

__all__ = ["register"]


def _read(
    path: Path,
    unknown_codes: str,
    *,
    engine: str = "pandas",
    years: list[int] | None = None,
    hs: list[str] | None = None,
) -> tuple[Any, str]:
    from geotrade.commands.trade import load_flows
    from geotrade.errors import DataNotFoundError
    from geotrade.io.detect import detect_format

    if not path.exists():
        msg = "flow file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    if engine == "duckdb":  # the years and products asked for, scanned out of core
        from geotrade.engine.focal import focal_rows

        rows = focal_rows(path, focal=None, years=years, hs=hs, unknown_codes=unknown_codes)
        return rows, "flows"
    if detect_format(path) == "imf-lct":
        from geotrade.builders.shares import country_totals_from_imf
        from geotrade.io.readers.imf_lct import read_imf_lct

        return country_totals_from_imf(read_imf_lct(path)), "imf-lct"
    return load_flows(path, unknown_codes=unknown_codes), "flows"


def shares_cmd(
    flows_path: Annotated[
        Path, typer.Argument(help="Flow file (BACI, Comtrade, WITS, canonical) or IMF LCT file.")
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="income3 (focal / high income / EMDE), income, region, a shipped grouping "
            "(eu, us_fta, msp, ipef, quad) or a CSV grouping (iso3,group[,from,to]; members "
            "count only in their from-to years).",
        ),
    ] = "income3",
    basis: Annotated[
        str, typer.Option("--basis", help="world (group shares of world trade) or partner.")
    ] = "world",
    focal: Annotated[
        str, typer.Option("--focal", help="Economy shown on its own / whose partners are grouped.")
    ] = "CHN",
    years: YearsOption = None,
    hs: HsOption = None,
    product_list: ProductListOption = None,
    by_sector: Annotated[
        bool,
        typer.Option(
            "--by-sector",
            help="Also exports by sector (the product list's sector column): in --md, as "
            "<csv>_sectors.csv and <png>_sectors.png; on the world basis with the --focal "
            "economy's share of world exports in each sector.",
        ),
    ] = False,
    income_vintage: Annotated[
        str,
        typer.Option(
            "--income-vintage",
            help="latest (the FY26 snapshot) or historical (needs --income-history).",
        ),
    ] = "latest",
    income_history: Annotated[
        Path | None,
        typer.Option(
            "--income-history",
            help="Your World Bank OGHIST.xlsx (income classification by fiscal year).",
        ),
    ] = None,
    income_fy_rule: Annotated[
        str,
        typer.Option(
            "--income-fy-rule",
            help="Trade year Y -> fiscal year: published (FY(Y+1), published July Y; "
            "default), gni (FY(Y+2), GNI of Y) or ending (FY(Y), ending June Y).",
        ),
    ] = "published",
    unknown_codes: UnknownCodesOption = "error",
    engine: EngineOption = "pandas",
    csv: CsvOption = None,
    md: MdOption = None,
    png: Annotated[Path | None, typer.Option("--png", help="Output chart (PNG).")] = None,
) -> None:
    """Group shares of world trade, or a focal economy's trade by partner group (seed 001)."""
    from geotrade.builders.shares import build_shares, write_charts
    from geotrade.commands.trade import (
        SYNTHETIC_NOTE,
        is_synthetic,
        md_table,
        write_csv,
        write_text,
    )

    focal = parse_focal(focal)
    if basis not in ("world", "partner"):
        msg = f"expected world or partner, got {basis!r}"
        raise typer.BadParameter(msg, param_hint="--basis")
    if income_vintage not in ("latest", "historical"):
        msg = f"expected latest or historical, got {income_vintage!r}"
        raise typer.BadParameter(msg, param_hint="--income-vintage")
    if income_vintage == "historical" and income_history is None:
        msg = "--income-vintage historical needs --income-history OGHIST.xlsx"
        raise typer.BadParameter(msg, param_hint="--income-history")
    if income_vintage == "latest" and income_history is not None:
        msg = (
            "--income-history is used only with --income-vintage historical (latest uses "
            "the FY26 snapshot)"
        )
        raise typer.BadParameter(msg, param_hint="--income-vintage")
    if income_fy_rule not in ("published", "gni", "ending"):
        msg = f"expected published, gni or ending, got {income_fy_rule!r}"
        raise typer.BadParameter(msg, param_hint="--income-fy-rule")
    if by_sector and product_list is None:
        msg = "--by-sector needs --product-list (a list with a sector column)"
        raise typer.BadParameter(msg, param_hint="--by-sector")
    require_output(csv=csv, md=md, png=png)
    from geotrade.io.atomic import check_outputs

    check_outputs(csv, md, png)
    rep = reporter()
    with rep.task("shares", 3, "reading flows") as task:
        codes = parse_hs(hs)
        sectors = None
        notes: list[str] = []
        if product_list is not None:
            from geotrade.products import resolve_product_list

            pl = resolve_product_list(product_list)
            codes = [*(codes or []), *pl["hs_code"].astype(str)]
            sectors = pl if by_sector else None
            notes.append(f"product list {product_list!r}: {len(pl)} HS codes")
        flows, kind = _read(flows_path, unknown_codes, engine=engine, years=parse_years(years),
                            hs=codes)  # fmt: skip
        synthetic = is_synthetic(flows)
        if engine == "duckdb":
            notes.insert(0, f"engine: DuckDB ({len(flows):,} rows of the selected years and "
                         "products scanned out of core; only those rows were checked)")  # fmt: skip
        if kind == "imf-lct":
            notes.append("IMF dashboard: country totals (no partner detail), US-dollar indicators")
        history = None
        if income_vintage == "historical" and income_history is not None:
            from geotrade.io.readers.worldbank_income import read_income_history

            history = read_income_history(income_history)
            notes.append(
                f"income groups by year from {income_history.name} (user-supplied OGHIST, "
                f"fiscal years FY{min(history.attrs['fiscal_years']) % 100:02d}-"
                f"FY{max(history.attrs['fiscal_years']) % 100:02d})"
            )
        want, year_notes = present_years(parse_years(years), flows["year"], path=flows_path)
        notes += year_notes
        for n in year_notes:
            rep.log(n, level="warning")
        task.advance(message="shares")
        product = build_shares(
            flows,
            by=by,
            basis=basis,  # type: ignore[arg-type]
            focal=focal,
            years=want,
            hs_codes=None if kind == "imf-lct" else codes,
            history=history,
            history_rule=income_fy_rule,  # type: ignore[arg-type]
            income_vintage=income_vintage,  # type: ignore[arg-type]
            sectors=sectors,
            synthetic=synthetic,
            source_files=[str(flows_path)],
            note=SYNTHETIC_NOTE if synthetic else "",
            notes=notes,
        )
        task.advance(message="writing")
        shares = product.tables["shares"]
        outputs: dict[str, str] = {}
        if csv is not None:
            outputs["csv"] = str(write_csv(shares, csv))
            if "sectors" in product.tables:  # next to it, named like the sector chart
                sectors_csv = csv.with_name(f"{csv.stem}_sectors{csv.suffix}")
                outputs["csv_sectors"] = str(write_csv(product.tables["sectors"], sectors_csv))
        if md is not None:
            text = [f"# {product.metadata.title_en} / {product.metadata.title_zh}", ""]
            if synthetic:
                text += [f"> **{SYNTHETIC_NOTE}**", ""]
            text += [md_table(shares, floatfmt="{:.4g}"), ""]
            if "sectors" in product.tables:
                text += ["## Exports by sector", "", md_table(product.tables["sectors"]), ""]
            text += [f"- {n}" for n in product.metadata.notes]
            outputs["md"] = str(write_text(md, "\n".join(text) + "\n"))
        if png is not None:
            outputs.update(write_charts(product, png))
        task.advance(message="done")
    record = {
        "outputs": outputs,
        "basis": basis,
        "by": by,
        "focal": focal,
        "years": product.metadata.years,
        "synthetic": synthetic,
        "shares": shares.to_dict("records"),
        "notes": product.metadata.notes,
    }
    human = f"Wrote {', '.join(outputs.values())}"
    emit_result("shares", record, human)


def register(app: typer.Typer) -> None:
    """Add ``shares`` to the main app."""
    app.command("shares")(shares_cmd)
