"""``geotrade products``: the named HS6 product lists and user lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from geotrade.commands._common import emit_result


def list_() -> None:
    """List the named product lists with their number of codes and sources."""
    from geotrade.products import list_products

    t = list_products()
    lines = ["Product lists (geotrade products show NAME):"]
    lines += [
        f"  {r.name:<20} {r.n_codes:>3} codes  {r.title} [{r.sources}]" for r in t.itertuples()
    ]
    emit_result(
        "products list",
        {"outputs": {}, "lists": t.to_dict(orient="records")},
        "\n".join(lines),
    )


def show(
    name: Annotated[str, typer.Argument(help="List name (li_ion, li_chain, ...) or a CSV file.")],
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the list to this CSV.")] = None,
    lct: Annotated[
        bool, typer.Option("--lct", help="Check a user CSV against the LCT sector scheme.")
    ] = False,
) -> None:
    """Show one product list (codes, groups, descriptions, sources); optionally save it."""
    from geotrade.io.atomic import atomic_path
    from geotrade.io.textsafe import neutralise_csv
    from geotrade.products import (
        resolve_product_list,
    )

    t = resolve_product_list(name, scheme="lct" if lct else None)
    outputs: dict[str, str] = {}
    if csv is not None:
        with atomic_path(csv) as tmp:
            neutralise_csv(t).to_csv(tmp, index=False, encoding="utf-8")
        outputs["csv"] = str(csv)
    lines = [f"{name}: {len(t)} HS6 codes"]
    lines += [
        f"  {r.hs_code}  {r.sector or r.group:<20} {r.description[:60]}" for r in t.itertuples()
    ]
    counts = t.loc[t["sector"] != "", "sector"].value_counts().sort_index().to_dict()
    if counts:  # a transcription check, e.g. against seed 001 Table 1
        lines.append("Codes per sector:")
        if lct:
            from geotrade.products import LCT_SECTOR_COUNTS

            for sec in sorted(set(counts) | set(LCT_SECTOR_COUNTS)):
                want = LCT_SECTOR_COUNTS.get(sec)
                mark = "" if want is None or want == counts.get(sec, 0) else "  <- differs"
                lines.append(f"  {sec:<26} {counts.get(sec, 0):>3}  (seed 001: {want}){mark}")
        else:
            lines += [f"  {sec:<26} {n:>3}" for sec, n in counts.items()]
    if csv is not None:
        lines.append(f"Written to {csv}")
    emit_result(
        "products show",
        {
            "outputs": outputs,
            "name": name,
            "n_codes": len(t),
            "sector_counts": {str(k): int(v) for k, v in counts.items()},
            "products": t.to_dict("records"),
        },
        "\n".join(lines),
    )


def convert(
    name: Annotated[
        str, typer.Argument(help="Product list name or CSV file (hs_code[,hs_revision,sector])")
    ],
    to: Annotated[
        str, typer.Option("--to", help="Target HS edition: HS1992 ... HS2022, H0 ... H6.")
    ],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Edition of the list's codes (default: its hs_revision)."),
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="conversion: UNSD's Conversion sheet (the usual basket); correlation: every "
            "published link (the widest basket).",
        ),
    ] = "conversion",
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the converted list (for --product-list).")
    ] = None,
) -> None:
    """Carry a product list to another HS edition with the UNSD correlation tables.

    Every target code says whether it is exact or wider than the basket (it also holds
    codes outside it, listed in also_covers). The CSV works as --product-list FILE.
    """
    from geotrade.concordance import convert_products
    from geotrade.io.atomic import atomic_path
    from geotrade.io.textsafe import neutralise_csv
    from geotrade.products import resolve_product_list

    if method not in ("conversion", "correlation"):
        msg = f"expected conversion or correlation, got {method!r}"
        raise typer.BadParameter(msg, param_hint="--method")
    m: Literal["conversion", "correlation"] = method  # type: ignore[assignment]
    t = resolve_product_list(name)
    path = name if Path(name).is_file() else None
    conv = convert_products(t, to_revision=to, from_revision=from_, method=m, path=path)
    out = conv.products
    outputs: dict[str, str] = {}
    if csv is not None:
        with atomic_path(csv) as tmp:
            neutralise_csv(out).to_csv(tmp, index=False, encoding="utf-8")
        outputs["csv"] = str(csv)
    n_exact = int((out["precision"] == "exact").sum())
    lines = [
        f"{name}: {len(t)} {conv.from_revision} codes -> {len(out)} {conv.to_revision} codes "
        f"({conv.method}; {n_exact} exact, {len(out) - n_exact} wider)"
    ]
    lines += [
        f"  {r.hs_code}  {r.precision:<5}  from {r.from_codes.replace(';', ', ')}"
        + (f"  also holds {len(r.also_covers.split(';'))} other code(s)" if r.also_covers else "")
        for r in out.itertuples()
    ]
    lines += [f"Note: {n}" for n in conv.notes]
    if csv is not None:
        lines.append(f"Written to {csv}")
    emit_result(
        "products convert",
        {
            "outputs": outputs,
            "name": name,
            "from_revision": conv.from_revision,
            "to_revision": conv.to_revision,
            "method": conv.method,
            "exact": conv.exact,
            "unmapped": conv.unmapped,
            "notes": conv.notes,
            "products": out.to_dict("records"),
        },
        "\n".join(lines),
    )


def groups(
    name: Annotated[
        str | None,
        typer.Argument(help="Grouping name (eu, us_fta, msp, ipef, quad) or a CSV file."),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only members in this year.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the rows to this CSV.")] = None,
) -> None:
    """List the shipped country groupings, or show one (members, years, sources)."""
    import pandas as pd

    from geotrade.groupings import list_groupings, resolve_groupings
    from geotrade.io.atomic import atomic_path

    if name is None:
        t = list_groupings()
        lines = ["Country groupings (geotrade products groups NAME):"]
        lines += [
            f"  {r.name:<8} {r.n_members:>3} members  {'dated' if r.dated else 'undated'}  "
            f"{r.title}"
            for r in t.itertuples()
        ]
        emit_result(
            "products groups",
            {"outputs": {}, "groupings": t.to_dict(orient="records")},
            "\n".join(lines),
        )
        return
    t = resolve_groupings(name)
    if year is not None:
        f = t["from"].fillna(-10_000).astype("int64")
        to = t["to"].fillna(10_000).astype("int64")
        t = t[(f <= year) & (year <= to)].reset_index(drop=True)
    outputs: dict[str, str] = {}
    if csv is not None:
        with atomic_path(csv) as tmp:
            t.to_csv(tmp, index=False, encoding="utf-8")
        outputs["csv"] = str(csv)
    when = f" in {year}" if year is not None else ""
    lines = [f"{name}: {len(t)} memberships{when}"]
    lines += [
        f"  {r.iso3}  {r.group:<8} {'' if pd.isna(r[2]) else r[2]!s:>4}-"
        f"{'' if pd.isna(r.to) else r.to!s:<4}  {r.source[:60]}"
        for r in t.itertuples(index=False)
    ]
    records = t.astype(object).where(t.notna(), None).to_dict("records")
    emit_result(
        "products groups",
        {"outputs": outputs, "name": name, "year": year, "members": records},
        "\n".join(lines),
    )


def register(app: typer.Typer) -> None:
    """Add the ``products`` command group to the main app."""
    sub = typer.Typer(help="HS6 product lists (catalogue and user lists).", no_args_is_help=True)
    sub.command("list")(list_)
    sub.command("show")(show)
    sub.command("groups")(groups)
    sub.command("convert")(convert)
    app.add_typer(sub, name="products")
