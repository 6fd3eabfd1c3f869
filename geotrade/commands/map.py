"""``geotrade map``: any table of countries, provinces or prefectures as a styled map.

Reads the table (:func:`geotrade.io.maptable.read_map_table`), builds the ``table_map``
product (:func:`geotrade.builders.table_map.build_table_map`: every unit of the boundary
set, the join report, classes or categories) and writes any of a GeoPackage, web map,
PNG, PDF and CSV. A node table of ``geotrade network --nodes`` maps directly
(``--field degree --year 2022``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.commands._keys import AliasesOpt, ProvinceKeyOpt, user_aliases
from geotrade.options import (
    GpkgOption,
    HtmlOption,
    KOption,
    LevelOption,
    PdfOption,
    PngOption,
    QgzOption,
    SchemeOption,
    check_qgz,
    parse_level,
    parse_years,
    require_output,
)

__all__ = ["register"]

#: ``--key`` of ``map``: the shared option of the unit tables, with countries too.
MapKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key",
        help="Column holding the unit: ISO3 code, Comtrade numeric code or country name "
        "(country); adcode, Chinese, English or pinyin name (province, prefecture). "
        "Default: found by header, else by content.",
    ),
]


def _suffix(path: Path | None, option: str, suffix: str) -> None:
    if path is not None and path.suffix.lower() != suffix:
        msg = f"expected a {suffix} file name, got {path.name!r}"
        raise typer.BadParameter(msg, param_hint=f"'{option}'")


def map_cmd(
    table: Annotated[
        Path, typer.Argument(help="Table of units (CSV/TSV, XLSX or Parquet), one row per unit.")
    ],
    level: LevelOption,
    field: Annotated[str, typer.Option("--field", "-f", help="Column to map.")],
    key: MapKeyOpt = None,
    categorical: Annotated[
        bool,
        typer.Option(
            "--categorical", help="Map the field's values as categories (one colour each)."
        ),
    ] = False,
    scheme: SchemeOption = "fisher_jenks",
    k: KOption = 5,
    bins: Annotated[
        str | None, typer.Option("--bins", help="Upper bounds for user_defined, e.g. 1,5,10.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year to map when the table has a year column.")
    ] = None,
    province_key: ProvinceKeyOpt = None,
    aliases: AliasesOpt = None,
    gpkg: GpkgOption = None,
    html: HtmlOption = None,
    png: PngOption = None,
    pdf: PdfOption = None,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Output CSV: every unit with its value and status."),
    ] = None,
    qgz: QgzOption = None,
) -> None:
    """Map a column of any table of countries, provinces or prefectures.

    Keys: ISO3 codes, UN Comtrade numeric codes or country names (--level country);
    adcodes or Chinese, pinyin or English names (--level province|prefecture). Every unit
    of the boundary set is kept (status: data, no data, not covered); table keys without a
    geometry are listed in the join report. Numeric fields are classified (--scheme, --k);
    --categorical draws one colour per value.
    """
    from geotrade.commands.classify import _floats

    lvl = parse_level(level)
    if year is not None:
        parse_years(str(year), option="--year")
    require_output(gpkg=gpkg, html=html, png=png, pdf=pdf, csv=csv)
    check_qgz(qgz, gpkg)
    _suffix(png, "--png", ".png")
    _suffix(pdf, "--pdf", ".pdf")
    cut = _floats(bins)
    if cut is not None and scheme != "user_defined":
        msg = "--bins is used only with --scheme user_defined"
        raise typer.BadParameter(msg, param_hint="'--bins'")
    if scheme == "user_defined" and not cut and not categorical:
        msg = "--scheme user_defined needs --bins (upper class bounds, e.g. 1,5,10)"
        raise typer.BadParameter(msg, param_hint="'--bins'")
    from geotrade.io.atomic import check_outputs

    check_outputs(gpkg, html, png, pdf, csv, qgz)  # before anything is read or written
    from geotrade.builders.result import write_product
    from geotrade.builders.table_map import build_table_map
    from geotrade.commands.recycling import SYNTHETIC_NOTE, _reader_warnings, is_synthetic
    from geotrade.commands.trade import write_csv
    from geotrade.io.maptable import read_map_table

    rep = reporter()
    with rep.task("map", 4, "reading") as task:
        with _reader_warnings(rep):
            t = read_map_table(
                table,
                level=lvl,  # type: ignore[arg-type]
                field=field,
                categorical=categorical,
                key=key,
                province_key=province_key,
                aliases=user_aliases(aliases),
                year=year,
            )
        synthetic = is_synthetic(table, t)
        notes = list(t.attrs.get("notes", []))
        for n in notes:
            rep.log(n)
        task.advance(message="joining and classifying")
        product = build_table_map(
            t,
            level=lvl,  # type: ignore[arg-type]
            field=field,
            categorical=categorical,
            scheme=scheme,
            k=k,
            bins=cut,
            year=year,
            synthetic=synthetic,
            source_files=[str(table)],
            note=SYNTHETIC_NOTE if synthetic else "",
            notes=notes,
            options={"key_column": t.attrs.get("key_column")},
        )
        (name,) = product.layers
        jr = product.join_reports[name]
        rep.log(
            f"{name}: {jr['n_matched']} of {jr['n_table_keys']} table keys matched "
            f"{jr['n_geometry_keys']} units"
        )
        if jr["unmatched_table"]:
            sugg = jr["suggestions"]
            rep.log(
                "table keys without geometry (not mapped): "
                + "; ".join(
                    f"{u} (closest: {', '.join(sugg.get(u, [])) or 'none'})"
                    for u in jr["unmatched_table"][:20]
                ),
                level="warning",
            )
        task.advance(message="writing")
        outputs = write_product(product, gpkg=gpkg, html=html, png=png, pdf=pdf, qgz=qgz)
        if csv is not None:
            outputs["csv"] = str(write_csv(product.tables["joined"], csv))
        task.advance(message="done")
    meta = product.metadata
    record: dict[str, Any] = {
        "outputs": outputs,
        "layers": [name],
        "level": lvl,
        "field": field,
        "value_field": meta.extra["value_field"],
        "key_column": t.attrs.get("key_column"),
        "categorical": categorical,
        "year": year,
        "synthetic": synthetic,
        "classification": meta.classification[name],
        "status_counts": meta.extra["status_counts"],
        "join_reports": {name: jr},
        "notes": notes,
    }
    info = meta.classification[name]
    if categorical:
        cls = f"{len(info['categories'])} categories"
    else:
        cls = f"{info['scheme']}, {info['k']} classes, breaks " + ", ".join(
            f"{b:.4g}" for b in info["breaks"]
        )
    sc = meta.extra["status_counts"]
    human = [
        f"{name}: {cls}",
        f"  units: {sc['data']} with data, {sc['no data']} without a value, "
        f"{sc['not covered']} not in the table",
        f"  join: {jr['n_matched']} of {jr['n_table_keys']} table keys matched"
        + (
            f"; not mapped: {', '.join(jr['unmatched_table'][:10])}"
            if jr["unmatched_table"]
            else ""
        ),
        "Wrote " + ", ".join(outputs.values()),
    ]
    if synthetic:
        human.append("  (SYNTHETIC data)")
    emit_result("map", record, "\n".join(human))


def register(app: typer.Typer) -> None:
    """Add ``map`` to the main app."""
    app.command("map")(map_cmd)
