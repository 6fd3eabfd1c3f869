"""``geotrade pairs``: all-pairs GL and typology of **every product** separately, to parquet.

One row per year, HS code and ordered pair of economies (the definition of ``geotrade
network``'s edges, product by product instead of summed), streamed by DuckDB into a parquet
file: a whole BACI year (about 11 M rows, 5 000 products) in bounded memory. Optionally the
node and network metrics of every product (``--nodes``, ``--summary``). Computed by
:func:`geotrade.engine.pair_interdependence_by_product` and
:func:`geotrade.engine.network_metrics_by_product`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import HsOption, ProductListOption, YearsOption, parse_hs, parse_years

__all__ = ["register"]


def _parquet_path(path: Path | None, option: str) -> None:
    if path is not None and path.suffix.lower() != ".parquet":
        msg = f"expected a .parquet file, got {path.name!r}"
        raise typer.BadParameter(msg, param_hint=option)


def pairs_cmd(
    flows_path: Annotated[
        Path, typer.Argument(help="BACI or canonical flows (parquet/CSV, a glob for several).")
    ],
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Output parquet: one row per year/product/pair.")
    ],
    years: YearsOption = None,
    hs: HsOption = None,
    product_list: ProductListOption = None,
    high: Annotated[float, typer.Option("--high", help="GL <= high: high dependence.")] = 0.2,
    low: Annotated[float, typer.Option("--low", help="GL >= low: low dependence.")] = 0.5,
    nodes: Annotated[
        Path | None,
        typer.Option("--nodes", help="Also write node metrics of every product (parquet)."),
    ] = None,
    summary: Annotated[
        Path | None,
        typer.Option("--summary", help="Also write network summaries per product (parquet)."),
    ] = None,
    communities: Annotated[
        bool,
        typer.Option(
            "--communities",
            help="With --nodes/--summary: Louvain communities too (compiled, the same "
            "partition as networkx's seeded Louvain; about 4 s for the 5 000 products of a "
            "BACI year).",
        ),
    ] = False,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit",
            help="DuckDB memory limit (default 700MB: a BACI year stays under 1 GiB in all).",
        ),
    ] = "700MB",
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, help="Worker threads (default: all cores).")
    ] = None,
) -> None:
    """All-pairs Grubel-Lloyd interdependence and dependence class of every product.

    X_ijk = exports reported by i to j in product k, M_ijk = X_jik; GL index, signed index
    and class per year, product and ordered pair (i is the focal economy). Aggregates,
    missing codes and self pairs are excluded and reported.
    """
    from geotrade.commands.network import _synthetic_source
    from geotrade.engine import network_metrics_by_product, pair_interdependence_by_product
    from geotrade.errors import DataNotFoundError

    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got {high} and {low}"
        raise typer.BadParameter(msg, param_hint="--high/--low")
    _parquet_path(parquet, "--parquet")
    _parquet_path(nodes, "--nodes")
    _parquet_path(summary, "--summary")
    if communities and nodes is None and summary is None:
        msg = "--communities needs --nodes or --summary"
        raise typer.BadParameter(msg, param_hint="--communities")
    if not any(c in str(flows_path) for c in "*?[") and not flows_path.exists():
        msg = "flow file not found; check the path"
        raise DataNotFoundError(msg, path=flows_path)
    codes = parse_hs(hs) or []
    if product_list:
        from geotrade.products import resolve_product_list

        codes += [str(c) for c in resolve_product_list(product_list)["hs_code"]]
    rep = reporter()
    info = pair_interdependence_by_product(
        str(flows_path),
        out=parquet,
        years=parse_years(years),
        hs_codes=codes or None,
        high=high,
        low=low,
        memory_limit=memory_limit,
        threads=threads,
        reporter=rep,
    )
    outputs = {"parquet": info["out"]}
    excluded = [
        {
            "year": int(r["year"]),
            "code": str(r["code"]),
            "reason": str(r["reason"]),
            "rows": int(r["rows"]),
            "value_usd": float(r["value_usd"]),
        }
        for r in info["excluded"].to_dict("records")
    ]
    for r in excluded:
        rep.log(
            f"excluded: {r['code'] or '(blank)'} ({r['reason']}), year {r['year']}: "
            f"{r['rows']} rows, {r['value_usd']:,.0f} USD",
            level="warning",
        )
    net_products = None
    if nodes is not None or summary is not None:
        net = network_metrics_by_product(
            parquet,
            nodes_out=nodes,
            summary_out=summary,
            communities=communities,
            threads=threads,
            reporter=rep,
        )
        net_products = net["products"]
        if nodes is not None:
            outputs["nodes"] = str(nodes)
        if summary is not None:
            outputs["summary"] = str(summary)
    synthetic = _synthetic_source(flows_path) if flows_path.exists() else False
    record = {
        "outputs": outputs,
        "rows": info["rows"],
        "products": info["products"],
        "years": info["years"],
        "economies": info["economies"],
        "rows_selected": info["rows_selected"],
        "hs_codes": codes or None,
        "thresholds": [high, low],
        "synthetic": synthetic,
        "network_products": net_products,
        "excluded": excluded,
        "seconds": info["seconds"],
    }
    human = (
        f"{info['rows']:,} pair rows for {info['products']:,} products, years "
        f"{', '.join(str(y) for y in info['years']) or '-'} ({info['rows_selected']:,} input "
        f"rows, {info['economies']} economies)\nWritten: " + ", ".join(outputs.values())
    )
    emit_result("pairs", record, human)


def register(app: typer.Typer) -> None:
    """Add ``pairs`` to the main app."""
    app.command("pairs")(pairs_cmd)
