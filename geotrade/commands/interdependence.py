"""``geotrade interdependence``: GL index and dependence typology of a focal economy's partners.

Writes any of a CSV (one row per year and partner), a GeoPackage with one styled layer per
year (``dependence_<year>``, joined to the Natural Earth countries) and a web map. The
layers come from :func:`geotrade.builders.build_dependence`, as in the demo.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geotrade.builders.dependence import dependence_layers, label_table
from geotrade.commands._common import emit_result, reporter
from geotrade.options import (
    EngineOption,
    FocalOption,
    GpkgOption,
    HsOption,
    HtmlOption,
    LumpedOption,
    MirrorOption,
    PdfOption,
    PngOption,
    ProductListOption,
    QgzOption,
    UnknownCodesOption,
    YearsOption,
    check_qgz,
    parse_mirror,
)

if TYPE_CHECKING:
    pass

__all__ = ["dependence_layers", "label_table", "register"]


def interdependence_cmd(
    flows_path: Annotated[Path, typer.Argument(help="Flow file (canonical CSV/Parquet, ...).")],
    focal: FocalOption,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Output CSV (one row per year/partner).")
    ] = None,
    years: YearsOption = None,
    hs: HsOption = None,
    product_list: ProductListOption = None,
    unknown_codes: UnknownCodesOption = "error",
    lumped: LumpedOption = False,
    mirror: MirrorOption = "auto",
    engine: EngineOption = "pandas",
    high: Annotated[float, typer.Option("--high", help="GL <= high: high dependence.")] = 0.2,
    low: Annotated[float, typer.Option("--low", help="GL >= low: low dependence.")] = 0.5,
    lang: Annotated[str, typer.Option("--lang", help="Labels: zh or en.")] = "zh",
    gpkg: GpkgOption = None,
    html: HtmlOption = None,
    png: PngOption = None,
    pdf: PdfOption = None,
    qgz: QgzOption = None,
) -> None:
    """Grubel-Lloyd interdependence and dependence class of every partner (seed 000 §2.1).

    Partners with X > M lie in the focal economy's trade advantage zone (贸易优势区), those
    with X < M in its disadvantage zone (贸易劣势区). Thresholds: GL <= --high high,
    --high < GL < --low moderate, GL >= --low low dependence (Table 1).
    """
    from geotrade.commands.trade import (
        SYNTHETIC_NOTE,
        md_table,
        write_csv,
    )
    from geotrade.errors import Problem, ValidationError
    from geotrade.metrics.trade import interdependence, table3
    from geotrade.metrics.transitions import transitions

    if lang not in ("zh", "en"):
        msg = "expected zh or en"
        raise typer.BadParameter(msg, param_hint="--lang")
    mirror = parse_mirror(mirror)
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got {high} and {low}"
        raise typer.BadParameter(msg, param_hint="--high/--low")
    from geotrade.io.atomic import check_outputs

    check_qgz(qgz, gpkg)
    check_outputs(csv, gpkg, html, png, pdf, qgz)  # before anything is written
    focal = focal.strip().upper()
    rep = reporter()
    maps = any(o is not None for o in (gpkg, html, png, pdf))
    if csv is None and not maps:
        msg = "give at least one output: --csv, --gpkg, --html, --png or --pdf"
        raise typer.BadParameter(msg, param_hint="--csv/--gpkg/--html/--png/--pdf")
    steps = 3 + maps
    outputs: dict[str, str] = {}
    requested = mirror
    with rep.task("interdependence", steps, "reading flows") as task:
        from geotrade.commands.trade import focal_flows

        flows, synthetic, codes, notes, mirror, _years = focal_flows(
            flows_path, focal=focal, hs=hs, product_list=product_list, lumped=lumped,
            mirror=requested, years=years, unknown_codes=unknown_codes, engine=engine,
        )  # fmt: skip
        task.advance(message="interdependence")
        table = interdependence(
            flows, focal=focal, years=_years, hs_codes=codes, high=high, low=low
        )
        if table.empty:
            msg = f"no trade reported by {focal} for the selected years/products"
            raise ValidationError([Problem(msg, path=str(flows_path), column="reporter_iso3")])
        excluded_rows = _excluded_records(table)
        for r in excluded_rows:
            rep.log(
                f"excluded from the partner metrics: partner {r['partner_iso3'] or '(blank)'} "
                f"({r['reason']}): {r['rows']} rows, {r['value_usd']:,.0f} USD",
                level="warning",
            )
        labelled = label_table(table, focal=focal, lang=lang)
        if csv is not None:
            outputs["csv"] = str(write_csv(labelled, csv))
        yrs = sorted({int(y) for y in table["year"]})
        t3 = table3(table, focal=focal, lang=lang)  # type: ignore[arg-type]
        trans: dict[str, dict[str, int]] = {}
        for a, b in itertools.pairwise(yrs):
            tr = transitions(table, a, b)
            trans[f"{a}-{b}"] = {k: int(v) for k, v in tr["change"].value_counts().items()}
        task.advance(message="layers")
        layer_names: list[str] = []
        reports: dict[str, Any] = {}
        if maps:
            from geotrade.builders import build_dependence, write_product

            product = build_dependence(
                table,
                focal=focal,
                synthetic=synthetic,
                lang=lang,
                source=", ".join(sorted({str(s) for s in flows.get("source", [])})[:5]),
                source_files=[str(flows_path)],
                options={"hs_codes": codes or "all products in the file", "mirror": mirror,
                         "thresholds": [high, low]},
                notes=notes,
                note=SYNTHETIC_NOTE if synthetic else "",
                covered=_scope(flows),
            )  # fmt: skip
            layer_names = list(product.layers)
            reports = product.join_reports
            for name, r in reports.items():
                rep.log(
                    f"{name}: {r['n_matched']} of {r['n_table_keys']} partners matched; "
                    f"without geometry: {r['unmatched_table'] or 'none'}"
                )
            written = write_product(
                product,
                gpkg=gpkg,
                html=html,
                png=png,
                pdf=pdf,
                qgz=qgz,
                layer_labels={n: n.split("_")[-1] for n in layer_names},
            )
            outputs.update(written)
            task.advance(message="GeoPackage / web map")
    counts = {
        str(y): {slug: int(c) for slug, c in zip(t3.attrs["slugs"], t3[(y, "count")], strict=True)}
        for y in yrs
    }
    record = {
        "outputs": outputs,
        "layers": layer_names,
        "focal": focal,
        "years": yrs,
        "hs_codes": codes,
        "mirror": mirror,
        "mirror_requested": requested,
        "thresholds": [high, low],
        "synthetic": synthetic,
        "class_counts": counts,
        "transitions": trans,
        "join_reports": {
            k: {"n_matched": v["n_matched"], "unmatched_table": v["unmatched_table"]}
            for k, v in reports.items()
        },
        "excluded": excluded_rows,
        "notes": notes,
    }
    flat = t3.copy()
    flat.columns = [f"{y} {k}" for y, k in t3.columns]
    human = [f"Trade interdependence of {focal} (seed 000 Table 3 shape)"]
    if synthetic:
        human.append(SYNTHETIC_NOTE)
    human += ["", md_table(flat.reset_index()), ""]
    human += [
        f"Excluded: {r['partner_iso3'] or '(blank)'} ({r['reason']}), {r['rows']} rows, "
        f"{r['value_usd']:,.0f} USD"
        for r in excluded_rows
        if r["reason"] != "reporter is not the focal economy"
    ]
    human.append("Written: " + ", ".join(outputs.values()))
    emit_result("interdependence", record, "\n".join(human))


def _excluded_records(table: Any) -> list[dict[str, Any]]:
    """Rows the metrics left out (aggregates, blanks, other reporters), JSON-able."""
    excluded = table.attrs.get("excluded")
    if excluded is None or len(excluded) == 0:
        return []
    return [
        {
            "partner_iso3": str(r["partner_iso3"]),
            "reason": str(r["reason"]),
            "rows": int(r["rows"]),
            "value_usd": float(r["value_usd"]),
        }
        for r in excluded.to_dict("records")
    ]


def _scope(flows: Any) -> set[str]:
    """Return the reporters and partners of the flows (countries outside: "not covered")."""
    cols = [c for c in ("reporter_iso3", "partner_iso3", "partner") if c in flows.columns]
    return {str(v) for c in cols for v in flows[c].dropna().unique()}


def register(app: typer.Typer) -> None:
    """Add ``interdependence`` to the main app."""
    app.command("interdependence")(interdependence_cmd)
