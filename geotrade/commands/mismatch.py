"""``geotrade mismatch``: spatial mismatch of a demand and a supply column (SMI, Theil, Gini, LISA).

For each unit (province or prefecture): ``demand_share = a/A``, ``supply_share = b/B``,
``ratio = demand_share / supply_share`` (NaN where supply is 0). The result record has
``smi`` (½Σ|aᵢ/A − bᵢ/B|), ``smi_ci`` (bootstrap interval), ``theil`` and ``gini`` of supply
per unit of demand weighted by demand, and Moran's I of the ratio with its permutation
p-value. The layer ``mismatch_<level>`` carries the shares, the ratio and the LISA cluster
(HH/LL/LH/HL/ns, Benjamini–Hochberg FDR at 5 %) with an embedded categorized style.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.commands._keys import AliasesOpt, KeyOpt, ProvinceKeyOpt, user_aliases
from geotrade.options import GpkgOption, HtmlOption, MdOption, PdfOption, PngOption, QgzOption


def build_mismatch(
    table: Path,
    *,
    demand: str,
    supply: str,
    level: Literal["province", "prefecture"],
    year: int | None,
    region: str | None,
    permutations: int,
    seed: int,
    gpkg: Path | None,
    alpha: float = 0.05,
    correction: Literal["fdr", "none"] = "fdr",
    html: Path | None,
    report: Path | None,
    png: Path | None = None,
    pdf: Path | None = None,
    key: str | None = None,
    province_key: str | None = None,
    aliases: Path | None = None,
    qgz: Path | None = None,
) -> dict[str, Any]:
    """Run ``geotrade mismatch`` and return the result record."""
    import pandas as pd

    from geotrade.boundaries import china_prefectures, china_provinces
    from geotrade.commands.recycling import SYNTHETIC_NOTE, is_synthetic, md_table, write_text
    from geotrade.errors import InputFormatError
    from geotrade.io.recycling import read_unit_table
    from geotrade.mismatch import NBS_REGIONS, NBS_SOURCE

    if level not in ("province", "prefecture"):
        msg = f"--level must be 'province' or 'prefecture', got {level!r}"
        raise InputFormatError(msg)
    from geotrade.io.atomic import check_outputs
    from geotrade.options import check_qgz, require_output

    require_output(gpkg=gpkg, html=html, png=png, pdf=pdf, md=report)
    check_qgz(qgz, gpkg)
    check_outputs(gpkg, report, html, png, pdf, qgz)  # before anything is written
    rep = reporter()
    with rep.task("mismatch", 5, "reading") as task:
        t = read_unit_table(
            table,
            level=level,
            numeric=[demand, supply],
            year=year,
            key=key,
            province_key=province_key,
            aliases=user_aliases(aliases),
        )
        synthetic = is_synthetic(table, t)
        if region is not None:
            if region not in t.columns:
                msg = f"--region column {region!r} not in the table; columns: {list(t.columns)}"
                raise InputFormatError(msg, path=str(table), column=region)
            regions = t[region].astype(str)
            region_source = f"column {region!r} of the input"
        elif level == "province":
            regions = t["adcode"].map(NBS_REGIONS).fillna("not assigned")
            region_source = NBS_SOURCE
        else:
            regions = t["province_adcode"]
            region_source = "province of each prefecture (province → prefecture)"
        task.advance(message="SMI, Theil, Gini, Moran / LISA")
        from geotrade.builders.mismatch import build_mismatch as _build

        geoms = (
            china_provinces(reporter=rep)
            if level == "province"
            else china_prefectures(reporter=rep)
        )
        product = _build(
            t,
            demand=demand,
            supply=supply,
            level=level,
            regions=regions,
            region_source=region_source,
            geometries=geoms,
            permutations=permutations,
            seed=seed,
            alpha=alpha,
            correction=correction,
            synthetic=synthetic,
            source_files=[str(table)],
            note=SYNTHETIC_NOTE if synthetic else "",
            year=year,
        )
        (name,) = product.layers
        gdf = product.layers[name]
        jr = product.join_reports[name]
        summary = product.metadata.extra["statistics"]
        s, th, gi, lr = (product.statistics[k] for k in ("smi", "theil", "gini", "lisa"))
        task.advance(message="writing")
        from geotrade.builders import write_product

        outputs = write_product(product, gpkg=gpkg, html=html, png=png, pdf=pdf, qgz=qgz)
        task.advance(message="report")
        if report is not None:
            from geotrade.io.textsafe import md_text

            lines = [
                f"# Spatial mismatch: {md_text(demand)} (demand) vs {md_text(supply)} (supply), "
                f"{level}",
                "",
            ]
            if synthetic:
                lines += [f"> **{SYNTHETIC_NOTE}.**", ""]
            lines += [
                "| statistic | value |",
                "|---|---|",
                f"| SMI ½Σ\\|aᵢ/A − bᵢ/B\\| | {s.index:.4f} |",
                f"| SMI bootstrap {s.ci:.0%} interval | {s.bootstrap_interval[0]:.4f} – "
                f"{s.bootstrap_interval[1]:.4f} |",
                f"| SMI permutation null {s.ci:.0%} interval | {s.null_interval[0]:.4f} – "
                f"{s.null_interval[1]:.4f} (p lower {s.p_lower:.4f}) |",
                f"| Theil T (between / within) | {th.total:.4f} ({th.between:.4f} / "
                f"{th.within:.4f}) |",
                f"| Gini | {gi:.4f} |",
                f"| Moran's I of the ratio (p-sim) | {lr.moran.i:.4f} ({lr.moran.p_sim:.4f}) |",
                f"| permutations / seed | {permutations} / {seed} |",
                "",
                f"Regions: {md_text(region_source)}.",
                f"Islands given k-nearest neighbours: {md_text(', '.join(lr.islands) or 'none')}. "
                f"Units without a ratio (supply 0): {md_text(', '.join(lr.nan_units) or 'none')}.",
                "",
            ]
            if s.regions is not None:
                lines += [
                    "## Regional contributions to the SMI",
                    "",
                    md_table(s.regions.reset_index()),
                    "",
                ]
            cc = gdf["lisa_cluster"].fillna("no data").value_counts()
            lines += [
                f"## LISA clusters (p <= {alpha:g}"
                + (", Benjamini-Hochberg FDR)" if correction == "fdr" else ", no correction)"),
                "",
                md_table(cc.rename_axis("cluster").reset_index(name="units")),
                "",
                f"Join: {jr['n_matched']} of {jr['n_table_keys']} units matched; without "
                f"geometry: {md_text(', '.join(jr['unmatched_table']) or 'none')}.",
                "",
            ]
            write_text(report, "\n".join(lines))
            outputs["md"] = str(report)
    del pd
    return {"outputs": outputs, "layers": [name], "synthetic": synthetic, **summary}


def _china_level(value: str) -> str:
    """``--level`` of the shared vocabulary (:func:`geotrade.options.parse_level`), China only."""
    from geotrade.options import parse_level

    level = parse_level(value)
    if level == "country":
        msg = "expected province or prefecture (the mismatch indices are for China)"
        raise typer.BadParameter(msg, param_hint="'--level'")
    return level


def mismatch(
    table: Annotated[Path, typer.Argument(help="Province or prefecture table (CSV/XLSX).")],
    demand: Annotated[str, typer.Option("--demand", help="Demand column (e.g. retired_t).")],
    supply: Annotated[str, typer.Option("--supply", help="Supply column (e.g. outlets).")],
    level: Annotated[
        str,
        typer.Option("--level", help="province or prefecture.", callback=_china_level),
    ] = "prefecture",
    year: Annotated[int | None, typer.Option("--year", help="Year to use.")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Region column for decompositions.")
    ] = None,
    permutations: Annotated[int, typer.Option("--permutations", min=0)] = 999,
    seed: Annotated[int, typer.Option("--seed")] = 20241,
    alpha: Annotated[
        float, typer.Option("--alpha", min=0.0, max=1.0, help="LISA significance level.")
    ] = 0.05,
    correction: Annotated[
        str,
        typer.Option(
            "--correction",
            help="LISA multiple-testing correction: fdr (Benjamini-Hochberg) or none.",
        ),
    ] = "fdr",
    report: MdOption = None,
    gpkg: GpkgOption = None,
    html: HtmlOption = None,
    png: PngOption = None,
    pdf: PdfOption = None,
    qgz: QgzOption = None,
    key: KeyOpt = None,
    province_key: ProvinceKeyOpt = None,
    aliases: AliasesOpt = None,
) -> None:
    """Spatial mismatch index, Theil, Gini, Moran's I and LISA clusters (layer mismatch_<level>)."""
    rec = build_mismatch(
        table,
        demand=demand,
        supply=supply,
        level=level,  # type: ignore[arg-type]
        year=year,
        region=region,
        permutations=permutations,
        seed=seed,
        alpha=alpha,
        correction=correction,  # type: ignore[arg-type]
        gpkg=gpkg,
        html=html,
        png=png,
        pdf=pdf,
        qgz=qgz,
        report=report,
        key=key,
        province_key=province_key,
        aliases=aliases,
    )
    human = (
        f"Wrote {', '.join(rec['outputs'].values())}\n  SMI {rec['smi']:.4f} "
        f"(CI {rec['smi_ci'][0]:.4f}–{rec['smi_ci'][1]:.4f}), Theil {rec['theil']:.4f}, "
        f"Gini {rec['gini']:.4f}, Moran's I {rec['moran_i']:.4f} (p {rec['moran_p']:.4f})"
        + ("\n  (SYNTHETIC data)" if rec["synthetic"] else "")
    )
    emit_result("mismatch", rec, human)


def register(app: typer.Typer) -> None:
    """Add ``mismatch`` to the main app."""
    app.command("mismatch")(mismatch)
