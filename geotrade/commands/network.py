"""``geotrade network``: all-pairs interdependence network, node metrics and flow lines.

Edges (CSV): one row per ordered pair and year (:func:`~geotrade.metrics.network.
pair_interdependence`). Nodes (CSV): degree, strength, betweenness, community and
dependence counts. GeoPackage: ``flow_lines_<year>`` (great-circle lines between capitals,
each country's top-N export partners, styled by dependence class) and the attribute tables
``network_summary`` and ``nodes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import (
    EngineOption,
    HsOption,
    LumpedOption,
    MirrorOption,
    ProductListOption,
    QgzOption,
    UnknownCodesOption,
    YearsOption,
    check_qgz,
    parse_mirror,
    present_years,
)

__all__ = ["register"]


def network_cmd(
    flows_path: Annotated[Path, typer.Argument(help="Flow file with many reporters (BACI...).")],
    edges: Annotated[Path, typer.Option("--edges", help="Output CSV of country pairs.")],
    years: YearsOption = None,
    hs: HsOption = None,
    product_list: ProductListOption = None,
    unknown_codes: UnknownCodesOption = "error",
    lumped: LumpedOption = False,
    nodes: Annotated[Path | None, typer.Option("--nodes", help="Output CSV of nodes.")] = None,
    gpkg: Annotated[Path | None, typer.Option("--gpkg", help="Output GeoPackage.")] = None,
    qgz: QgzOption = None,
    top_n: Annotated[
        int, typer.Option("--top-n", min=1, help="Flow lines: top partners per country.")
    ] = 5,
    high: Annotated[float, typer.Option("--high", help="GL <= high: high dependence.")] = 0.2,
    low: Annotated[float, typer.Option("--low", help="GL >= low: low dependence.")] = 0.5,
    group_a: Annotated[
        str | None, typer.Option("--group-a", help="Compare a group (ISO3 list, e.g. CHN)...")
    ] = None,
    group_b: Annotated[
        str | None, typer.Option("--group-b", help="...with another (e.g. your MSP list).")
    ] = None,
    engine: EngineOption = "pandas",
    mirror: MirrorOption = "auto",
) -> None:
    """Interdependence network of every country pair (seed 003).

    X_ij = exports reported by i to j, M_ij = X_ji; GL index and dependence class per ordered
    pair with i as the focal economy. Network metrics use the export-weighted digraph.
    """
    from geotrade.commands.trade import (
        SYNTHETIC_NOTE,
        is_synthetic,
        load_flows,
        parse_hs,
        parse_years,
        select_products,
        write_csv,
    )
    from geotrade.errors import Problem, ValidationError
    from geotrade.metrics.network import (
        group_interdependence,
        network_summary,
        node_metrics,
        pair_interdependence,
    )

    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got {high} and {low}"
        raise typer.BadParameter(msg, param_hint="--high/--low")
    if (group_a is None) != (group_b is None):
        msg = "give both --group-a and --group-b"
        raise typer.BadParameter(msg, param_hint="--group-a/--group-b")
    for opt, text in (("--group-a", group_a), ("--group-b", group_b)):
        if text is not None:
            _group_codes(text, opt)  # shape only; codes unknown to the data are checked later
    if engine not in ("pandas", "duckdb"):
        msg = f"expected pandas or duckdb, got {engine!r}"
        raise typer.BadParameter(msg, param_hint="--engine")
    mirror = parse_mirror(mirror)
    if engine == "duckdb" and mirror not in ("auto", "reporter"):
        msg = (
            "the duckdb engine uses each exporter's records (auto or reporter); use "
            "--engine pandas for partner, max or prefer-reporter"
        )
        raise typer.BadParameter(msg, param_hint="--mirror")
    from geotrade.io.atomic import check_outputs

    check_qgz(qgz, gpkg)
    check_outputs(edges, nodes, gpkg, qgz)  # before anything is written: no mixed output set
    rep = reporter()
    outputs: dict[str, str] = {}
    with rep.task("network", 4, "reading flows") as task:
        if engine == "duckdb":
            pairs, synthetic, codes, notes = _pairs_duckdb(
                flows_path, hs=hs, product_list=product_list, years=years, high=high, low=low
            )
        else:
            flows = load_flows(flows_path, unknown_codes=unknown_codes)
            synthetic = is_synthetic(flows)
            flows, codes, notes = select_products(
                flows, parse_hs(hs), product_list, lumped=lumped, path=flows_path
            )
            flows, mirror_note = _mirrored(flows, mirror)
            notes.append(mirror_note)
            rep.log(mirror_note)
            task.advance(message="pairs")
            _years, year_notes = present_years(parse_years(years), flows["year"], path=flows_path)
            notes += year_notes
            for n in year_notes:
                rep.log(n, level="warning")
            pairs = pair_interdependence(flows, years=_years, hs_codes=codes, high=high, low=low)
        if pairs.empty:
            msg = "no bilateral export rows for the selected years/products"
            raise ValidationError([Problem(msg, path=str(flows_path), column="flow")])
        ga = gb = None
        if group_a and group_b:
            ga = _group_codes(group_a, "--group-a", pairs, rep)
            gb = _group_codes(group_b, "--group-b", pairs, rep)
        outputs["edges"] = str(write_csv(pairs, edges))
        task.advance(message="network metrics")
        summ = network_summary(pairs)
        node_tab = node_metrics(pairs)
        if nodes is not None:
            outputs["nodes"] = str(write_csv(node_tab, nodes))
        comparison: list[dict[str, Any]] = []
        if ga and gb:
            cmp_ = group_interdependence(
                pairs, ga, gb, name_a="group_a", name_b="group_b", high=high, low=low
            )
            comparison = [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                for r in cmp_.to_dict("records")
            ]
        task.advance(message="flow lines")
        from geotrade.builders import build_network, write_product

        product = build_network(
            pairs,
            summary=summ,
            nodes=node_tab,
            top_n=top_n,
            synthetic=synthetic,
            source_files=[str(flows_path)],
            note=SYNTHETIC_NOTE if synthetic else "",
            notes=notes,
            options={"hs_codes": codes or "all products in the file", "thresholds": [high, low],
                     "mirror": mirror, "engine": engine},
        )  # fmt: skip
        layer_names = [n for n in product.layers if n.startswith("flow_lines_")]
        missing = [tuple(m.split("-", 1)) for m in product.metadata.extra["missing_coordinates"]]
        if gpkg is not None:
            outputs.update(write_product(product, gpkg=gpkg, qgz=qgz))
        task.advance(message="done")
    if missing:
        rep.log(
            f"{len(set(missing))} flow lines left out for lack of capital coordinates: "
            + ", ".join(f"{a}-{b}" for a, b in sorted(set(missing))[:10]),
            level="warning",
        )
    record: dict[str, Any] = {
        "outputs": outputs,
        "layers": layer_names,
        "years": sorted({int(v) for v in pairs["year"]}),
        "hs_codes": codes,
        "synthetic": synthetic,
        "summary": [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in summ.to_dict("records")
        ],
        "group_comparison": comparison,
        "missing_coordinates": [f"{a}-{b}" for a, b in sorted(set(missing))],
        "notes": notes,
    }
    human = ["Interdependence network" + (f" — {SYNTHETIC_NOTE}" if synthetic else "")]
    human += [
        f"  {r['year']}: {r['nodes']} nodes, {r['edges']} edges, density {r['density']:.3f}, "
        f"reciprocity {r['reciprocity']:.3f}, {r['communities']} communities"
        for r in record["summary"]
    ]
    human.append("Written: " + ", ".join(outputs.values()))
    emit_result("network", record, "\n".join(human))


def _mirrored(flows: Any, mirror: str) -> tuple[Any, str]:
    """Apply ``--mirror`` to every pair: the export table X_ij and a note saying how."""
    from geotrade.mirror import exporter_view, resolve_mirror

    policy, note = resolve_mirror(flows, mirror=mirror)  # type: ignore[arg-type]
    if policy != "reporter":
        return exporter_view(flows, mirror=policy), note
    own = exporter_view(flows, mirror="reporter")
    only_importer = len(exporter_view(flows, mirror="prefer-reporter")) - len(own)
    if only_importer:
        note += (
            f"; {only_importer} flows reported only by the importer are not used "
            "(--mirror prefer-reporter or max uses them)"
        )
    return flows, note


def _pairs_duckdb(
    path: Path,
    *,
    hs: str | None,
    product_list: str | None,
    years: str | None,
    high: float,
    low: float,
) -> tuple[Any, bool, list[str] | None, list[str]]:
    """All-pairs GL straight from parquet/CSV through the DuckDB engine (bounded memory)."""
    from geotrade.commands.trade import parse_hs, parse_years
    from geotrade.engine import pair_interdependence as pairs_duckdb
    from geotrade.errors import DataNotFoundError

    if not path.exists():
        msg = "flow file not found; check the path"
        raise DataNotFoundError(msg, path=path)
    codes = parse_hs(hs) or []
    notes: list[str] = ["engine: DuckDB (streamed year by year)"]
    if product_list:
        from geotrade.products import resolve_product_list

        codes += [str(c) for c in resolve_product_list(product_list)["hs_code"]]
        notes.append(f"product list {product_list!r}")
    if codes:
        notes.append("HS revisions not checked on the DuckDB path (use convert + pandas)")
    pairs = pairs_duckdb(
        path,
        years=parse_years(years),
        hs_codes=codes or None,
        high=high,
        low=low,
        engine="duckdb",
        reporter=reporter(),
    )
    return pairs, _synthetic_source(path), codes or None, notes


def _synthetic_source(path: Path) -> bool:
    """Tell whether the file name or its ``source`` column says synthetic (DuckDB scan)."""
    if "synthetic" in path.name.lower():
        return True
    import duckdb

    fn = "read_parquet" if path.suffix.lower() == ".parquet" else "read_csv_auto"
    try:
        con = duckdb.connect()
        try:
            row = con.execute(
                f"SELECT bool_or(lower(CAST(source AS VARCHAR)) LIKE 'synthetic%') FROM {fn}(?)",
                [str(path)],
            ).fetchone()
        finally:
            con.close()
    except duckdb.Error:  # no 'source' column (e.g. BACI): not labelled synthetic
        return False
    return bool(row and row[0])


def register(app: typer.Typer) -> None:
    """Add ``network`` to the main app."""
    app.command("network")(network_cmd)


def _group_codes(text: str, option: str, pairs: Any = None, rep: Any = None) -> list[str]:
    """Parse a ``--group-a``/``--group-b`` list of ISO3 codes (comma-separated).

    A code must be 3 letters or digits; with ``pairs`` given, a code that is neither an
    ISO3 code of :func:`geotrade.reference.countries` nor an economy of the data is a
    usage error naming the codes, and a known code absent from the data is logged.
    """
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    bad = [c for c in codes if len(c) != 3 or not c.isalnum()]
    if not codes or bad:
        got = ", ".join(repr(c) for c in bad) if bad else repr(text)
        msg = f"expected a comma-separated list of ISO3 codes (e.g. CHN,KOR), got {got}"
        raise typer.BadParameter(msg, param_hint=f"'{option}'")
    if pairs is None:
        return codes
    from geotrade.errors import UsageError
    from geotrade.reference import countries

    in_data = set(pairs["iso3"].astype(str)) | set(pairs["partner_iso3"].astype(str))
    known = set(countries()["iso3"].astype(str))
    unknown = [c for c in codes if c not in known and c not in in_data]
    if unknown:
        msg = (
            f"{option}: unknown code(s) {', '.join(unknown)}: neither an ISO3 code of "
            "geotrade.reference.countries() nor an economy in the data; check the spelling"
        )
        raise UsageError(msg)
    absent = [c for c in codes if c not in in_data]
    if absent and rep is not None:
        rep.log(f"{option}: {', '.join(absent)} not in the selected trade data", level="warning")
    return codes
