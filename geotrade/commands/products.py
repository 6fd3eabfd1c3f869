"""``geotrade products``: the named HS6 product lists and user lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    from geotrade.errors import DataNotFoundError
    from geotrade.io.atomic import atomic_path
    from geotrade.io.textsafe import neutralise_csv
    from geotrade.products import list_products, load_product_list, product_list

    names = list_products()["name"].tolist()
    if name in names:
        t = product_list(name)  # type: ignore[arg-type]
    elif Path(name).is_file():
        t = load_product_list(name, scheme="lct" if lct else None)
    else:
        msg = f"no product list named {name!r} and no such file; lists: {', '.join(names)}"
        raise DataNotFoundError(msg)
    outputs: dict[str, str] = {}
    if csv is not None:
        with atomic_path(csv) as tmp:
            neutralise_csv(t).to_csv(tmp, index=False, encoding="utf-8")
        outputs["csv"] = str(csv)
    lines = [f"{name}: {len(t)} HS6 codes"]
    lines += [f"  {r.hs_code}  {r.group:<12} {r.description[:70]}" for r in t.itertuples()]
    if csv is not None:
        lines.append(f"Written to {csv}")
    emit_result(
        "products show",
        {"outputs": outputs, "name": name, "n_codes": len(t), "products": t.to_dict("records")},
        "\n".join(lines),
    )


def register(app: typer.Typer) -> None:
    """Add the ``products`` command group to the main app."""
    sub = typer.Typer(help="HS6 product lists (catalogue and user lists).", no_args_is_help=True)
    sub.command("list")(list_)
    sub.command("show")(show)
    app.add_typer(sub, name="products")
