"""``geotrade interdependence``: GL index and dependence typology of a focal economy's partners.

Writes a CSV (one row per year and partner), optionally a GeoPackage with one styled layer
per year (``dependence_<year>``, joined to the Natural Earth countries) and a web map.
:func:`dependence_layers` builds the layers and styles; the demo can use it too.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geotrade.commands._common import emit_result, reporter

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geotrade.style.spec import LayerStyle

__all__ = ["dependence_layers", "label_table", "register"]


def label_table(table: pd.DataFrame, *, focal: str, lang: str = "zh") -> pd.DataFrame:
    """Add partner names (en, zh), class labels (en, zh, and ``class_label`` in ``lang``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"partner_iso3": ["KOR"], "dependence_class": ["focal_low"],
    ...                   "zone": ["disadvantage"]})
    >>> label_table(t, focal="USA", lang="en").iloc[0][["class_label", "zone_label"]].tolist()
    ['United States weakly dependent on partner', 'Trade disadvantage zone']
    """
    from geotrade.metrics.trade import _partner_name, class_label, focal_names, zone_label

    name_en, name_zh = focal_names(focal)
    out = table.copy()
    names = {p: (_partner_name(p, "en"), _partner_name(p, "zh")) for p in out["partner_iso3"]}
    out["partner_name_en"] = out["partner_iso3"].map(lambda p: names[p][0])
    out["partner_name_zh"] = out["partner_iso3"].map(lambda p: names[p][1])
    kw = {"focal_name_en": name_en, "focal_name_zh": name_zh}
    out["class_label_en"] = [class_label(c, lang="en", **kw) for c in out["dependence_class"]]
    out["class_label_zh"] = [class_label(c, lang="zh", **kw) for c in out["dependence_class"]]
    out["class_label"] = out["class_label_zh" if lang == "zh" else "class_label_en"]
    if "zone" in out.columns:
        out["zone_label"] = [zone_label(z, lang=lang) for z in out["zone"]]  # type: ignore[arg-type]
    return out


def dependence_layers(
    table: pd.DataFrame,
    *,
    focal: str,
    world: gpd.GeoDataFrame | None = None,
    synthetic: bool = False,
    title_en: str | None = None,
    title_zh: str | None = None,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerStyle], dict[str, dict[str, Any]]]:
    """Build one styled country layer per year from an interdependence table.

    Parameters
    ----------
    table
        Output of :func:`geotrade.metrics.trade.interdependence`.
    focal
        ISO3 of the focal economy (drawn as its own class ``"focal"``).
    world
        Country polygons keyed by ``iso_a3`` (default
        :func:`geotrade.boundaries.world_countries`).
    synthetic
        Adds ``synthetic = True`` to every feature.
    title_en, title_zh
        Legend titles (default: "Trade interdependence with <focal>").

    Returns
    -------
    (layers, styles, join_reports)
        ``dependence_<year>`` → GeoDataFrame (every country; no data where no trade),
        its :func:`~geotrade.style.canonical.dependence_style` and join report (dict).
    """
    from dataclasses import replace

    from geotrade.join import join_to_geometry
    from geotrade.metrics.trade import focal_names
    from geotrade.style.canonical import dependence_style

    if world is None:
        from geotrade.boundaries import world_countries

        world = world_countries()
    focal = focal.strip().upper()
    name_en, name_zh = focal_names(focal)
    base = world[["iso_a3", "name", "geometry"]].copy()
    layers: dict[str, gpd.GeoDataFrame] = {}
    styles: dict[str, LayerStyle] = {}
    reports: dict[str, dict[str, Any]] = {}
    labelled = label_table(table, focal=focal)
    for year in sorted({int(y) for y in table["year"]}):
        t = labelled[labelled["year"] == year].drop(columns=["year", "class_label"])
        t = t.rename(columns={"exports": "exports_usd", "imports": "imports_usd"})
        gdf, report = join_to_geometry(
            t, base, left_on="partner_iso3", right_on="iso_a3", name_column="name"
        )
        gdf = gdf.drop(columns=["partner_iso3"], errors="ignore")
        is_focal = gdf["iso_a3"] == focal
        gdf.loc[is_focal, "dependence_class"] = "focal"
        gdf.loc[is_focal, "class_label_en"] = f"{name_en} (focal country)"
        gdf.loc[is_focal, "class_label_zh"] = f"{name_zh}（焦点国）"
        gdf["year"] = year
        gdf["synthetic"] = bool(synthetic)
        counts = gdf["dependence_class"].value_counts().to_dict()
        counts["_nodata"] = int(gdf["dependence_class"].isna().sum())
        name = f"dependence_{year}"
        style = dependence_style(counts=counts, focal_name_en=name_en, focal_name_zh=name_zh)
        if title_en or title_zh:
            style = replace(
                style, title_en=title_en or style.title_en, title_zh=title_zh or style.title_zh
            )
        layers[name], styles[name], reports[name] = gdf, style, report.to_dict()
    return layers, styles, reports


def interdependence_cmd(
    flows_path: Annotated[Path, typer.Argument(help="Flow file (canonical CSV/Parquet, ...).")],
    focal: Annotated[str, typer.Option("--focal", help="ISO3 of the focal economy.")],
    csv: Annotated[Path, typer.Option("--csv", help="Output CSV (one row per year/partner).")],
    years: Annotated[str | None, typer.Option("--years", help="e.g. 2012,2017,2022.")] = None,
    hs: Annotated[str | None, typer.Option("--hs", help="HS6 codes, e.g. 850760.")] = None,
    product_list: Annotated[
        str | None, typer.Option("--product-list", help="Named product list (e.g. li_ion).")
    ] = None,
    lumped: Annotated[
        bool,
        typer.Option(
            "--lumped",
            help="Use the documented HS concordance where a code does not exist in the "
            "data's revision (850760 -> 850780 before HS2012; a superset).",
        ),
    ] = False,
    mirror: Annotated[
        str, typer.Option("--mirror", help="reporter | partner | max | prefer-reporter.")
    ] = "reporter",
    high: Annotated[float, typer.Option("--high", help="GL <= high: high dependence.")] = 0.2,
    low: Annotated[float, typer.Option("--low", help="GL >= low: low dependence.")] = 0.5,
    lang: Annotated[str, typer.Option("--lang", help="Labels: zh or en.")] = "zh",
    gpkg: Annotated[Path | None, typer.Option("--gpkg", help="Output GeoPackage.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Output web map.")] = None,
) -> None:
    """Grubel-Lloyd interdependence and dependence class of every partner (seed 000 §2.1).

    Partners with X > M lie in the focal economy's trade advantage zone (贸易优势区), those
    with X < M in its disadvantage zone (贸易劣势区). Thresholds: GL <= --high high,
    --high < GL < --low moderate, GL >= --low low dependence (Table 1).
    """
    from geotrade.commands.trade import (
        SYNTHETIC_NOTE,
        is_synthetic,
        load_flows,
        md_table,
        parse_hs,
        parse_years,
        select_products,
        write_csv,
    )
    from geotrade.errors import Problem, ValidationError
    from geotrade.metrics.trade import interdependence, table3
    from geotrade.metrics.transitions import transitions

    if lang not in ("zh", "en"):
        msg = "expected zh or en"
        raise typer.BadParameter(msg, param_hint="--lang")
    policies = ("reporter", "partner", "max", "prefer-reporter")
    if mirror not in policies:
        msg = f"expected one of {', '.join(policies)}"
        raise typer.BadParameter(msg, param_hint="--mirror")
    if not (0 < high < low <= 1):
        msg = f"thresholds must satisfy 0 < high < low <= 1, got {high} and {low}"
        raise typer.BadParameter(msg, param_hint="--high/--low")
    from geotrade.io.atomic import check_outputs

    check_outputs(csv, gpkg)  # before anything is written: no mixed output set
    focal = focal.strip().upper()
    rep = reporter()
    steps = 3 + (gpkg is not None) + (html is not None)
    outputs: dict[str, str] = {}
    with rep.task("interdependence", steps, "reading flows") as task:
        flows = load_flows(flows_path)
        synthetic = is_synthetic(flows)
        flows, codes, notes = select_products(
            flows, parse_hs(hs), product_list, lumped=lumped, path=flows_path
        )
        if mirror != "reporter":
            from geotrade.mirror import focal_view

            flows = focal_view(flows, focal=focal, mirror=mirror)  # type: ignore[arg-type]
            notes.append(f"mirror policy {mirror!r} (geotrade.mirror.focal_view)")
        task.advance(message="interdependence")
        table = interdependence(
            flows, focal=focal, years=parse_years(years), hs_codes=codes, high=high, low=low
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
        if gpkg is not None or html is not None:
            layers, styles, reports = dependence_layers(table, focal=focal, synthetic=synthetic)
            layer_names = list(layers)
            for name, r in reports.items():
                rep.log(
                    f"{name}: {r['n_matched']} of {r['n_table_keys']} partners matched; "
                    f"without geometry: {r['unmatched_table'] or 'none'}"
                )
        if gpkg is not None:
            from geotrade._version import __version__
            from geotrade.io.geopackage import write_gpkg

            excluded = table.attrs.get("excluded")
            meta = {
                "title": f"Trade interdependence of {focal}"
                + (" (SYNTHETIC)" if synthetic else ""),
                "synthetic": synthetic,
                "note": SYNTHETIC_NOTE if synthetic else "",
                "source_files": [str(flows_path)],
                "source": sorted({str(s) for s in flows.get("source", [])})[:5],
                "focal": focal,
                "hs_codes": codes or "all products in the file",
                "mirror_policy": mirror,
                "classification": {
                    "scheme": "categorical Grubel-Lloyd typology (seed 000 Table 1)",
                    "thresholds": [high, low],
                },
                "join_reports": reports,
                "excluded_rows": [] if excluded is None else excluded.to_dict("records"),
                "notes": notes,
                "boundaries": "Natural Earth 5.1.1 admin-0 (public domain)",
                "geotrade_version": __version__,
            }
            outputs["gpkg"] = str(write_gpkg(gpkg, layers, styles=styles, metadata=meta))
            task.advance(message="GeoPackage")
        if html is not None:
            from geotrade.maps.webmap import web_map

            title = f"Trade interdependence of {focal}" + (" (SYNTHETIC)" if synthetic else "")
            outputs["html"] = str(
                web_map(
                    [(n.split("_")[-1], layers[n], styles[n]) for n in layer_names],
                    html,
                    title=title,
                    note=SYNTHETIC_NOTE if synthetic else None,
                    tooltip_fields=[
                        "name",
                        "exports_usd",
                        "imports_usd",
                        "gl",
                        "class_label_en",
                        "class_label_zh",
                    ],
                )
            )
            task.advance(message="web map")
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


def register(app: typer.Typer) -> None:
    """Add ``interdependence`` to the main app."""
    app.command("interdependence")(interdependence_cmd)
