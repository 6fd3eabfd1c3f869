"""``geotrade unit-values``: USD per kg by exporter, importer or pair (quality proxy, seed 003).

Parses options, reads the flows, calls :func:`geotrade.metrics.unit_values.unit_values` and
writes CSV / Markdown. A map of one year is ``geotrade map`` on the CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import (
    CsvOption,
    HsOption,
    MdOption,
    ProductListOption,
    UnknownCodesOption,
    YearsOption,
    parse_hs,
    parse_years,
    present_years,
    require_output,
)

__all__ = ["register"]


def unit_values_cmd(
    flows_path: Annotated[
        Path, typer.Argument(help="Flow file with quantities (BACI, Comtrade, WITS, canonical).")
    ],
    by: Annotated[
        str, typer.Option("--by", help="exporter, importer or pair (exporter -> importer).")
    ] = "exporter",
    flow: Annotated[
        str,
        typer.Option(
            "--flow",
            help="export rows (reported by the exporter, FOB; BACI) or import rows "
            "(reported by the importer, CIF).",
        ),
    ] = "export",
    pool: Annotated[
        bool, typer.Option("--pool", help="Pool all selected products (hs_code = all).")
    ] = False,
    years: YearsOption = None,
    hs: HsOption = None,
    product_list: ProductListOption = None,
    unknown_codes: UnknownCodesOption = "error",
    csv: CsvOption = None,
    md: MdOption = None,
) -> None:
    """Compute unit values (USD per kg) and relative unit values, a standard quality proxy.

    Example: ``geotrade unit-values re_scrap_flows.parquet --by importer --pool
    --years 2017,2022 --csv re_scrap_uv.csv``. The seed 003 recycling-quality model itself
    is not published in the seed; this is Schott (2004)'s measure, not that model.
    """
    from geotrade.commands.trade import (
        SYNTHETIC_NOTE,
        is_synthetic,
        load_flows,
        md_table,
        write_csv,
        write_text,
    )
    from geotrade.metrics.unit_values import unit_values

    if by not in ("exporter", "importer", "pair"):
        msg = f"expected exporter, importer or pair, got {by!r}"
        raise typer.BadParameter(msg, param_hint="--by")
    if flow not in ("export", "import"):
        msg = f"expected export or import, got {flow!r}"
        raise typer.BadParameter(msg, param_hint="--flow")
    require_output(csv=csv, md=md)
    from geotrade.io.atomic import check_outputs

    check_outputs(csv, md)
    rep = reporter()
    with rep.task("unit-values", 3, "reading flows") as task:
        codes = parse_hs(hs)
        notes: list[str] = []
        if product_list is not None:
            from geotrade.products import resolve_product_list

            pl = resolve_product_list(product_list)
            codes = [*(codes or []), *pl["hs_code"].astype(str)]
            notes.append(f"product list {product_list!r}: {len(pl)} HS codes")
        flows = load_flows(flows_path, unknown_codes=unknown_codes)
        synthetic = is_synthetic(flows)
        if codes:
            flows = flows[flows["hs_code"].astype(str).isin(codes)]
        want, year_notes = present_years(parse_years(years), flows["year"], path=flows_path)
        notes += year_notes
        for n in year_notes:
            rep.log(n, level="warning")
        task.advance(message="unit values")
        table = unit_values(
            flows,
            by=by,  # type: ignore[arg-type]
            flow=flow,  # type: ignore[arg-type]
            pool_products=pool,
            years=want,
            path=str(flows_path),
        )
        excluded = {k: v for k, v in table.attrs["excluded"].items() if v}
        if excluded:
            notes.append("rows left out: " + ", ".join(f"{k} {v:,}" for k, v in excluded.items()))
        n_noq = int(table["n_without_quantity"].sum())
        if n_noq:
            notes.append(
                f"rows without a quantity in kg: {n_noq:,} of {int(table['n_rows'].sum()):,} "
                "(counted in the table, not used in the unit values)"
            )
        notes.append(
            "unit value = sum(value) / sum(kg); relative = that / the world unit value of the "
            "product and year (Schott 2004; Hallak 2006). Not seed 003's quality model, whose "
            "formula the seed does not give"
        )
        task.advance(message="writing")
        outputs: dict[str, str] = {}
        if csv is not None:
            outputs["csv"] = str(write_csv(table, csv))
        if md is not None:
            text = ["# Unit values (USD per kg) / 单位价值（美元/千克）", ""]
            if synthetic:
                text += [f"> **{SYNTHETIC_NOTE}**", ""]
            text += [md_table(table, floatfmt="{:.4g}"), ""]
            text += [f"- {n}" for n in notes]
            outputs["md"] = str(write_text(md, "\n".join(text) + "\n"))
        task.advance(message="done")
    record = {
        "outputs": outputs,
        "by": by,
        "flow": flow,
        "years": sorted({int(y) for y in table["year"]}),
        "rows": len(table),
        "synthetic": synthetic,
        "excluded": table.attrs["excluded"],
        "notes": notes,
    }
    emit_result("unit-values", record, f"Wrote {', '.join(outputs.values())}")


def register(app: typer.Typer) -> None:
    """Add ``unit-values`` to the main app."""
    app.command("unit-values")(unit_values_cmd)
