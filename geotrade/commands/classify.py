"""``geotrade classify``: classify a field of any vector layer into a styled GeoPackage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter
from geotrade.options import KOption, SchemeOption


def _floats(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(t) for t in text.split(",") if t.strip()]
    except ValueError:
        msg = f"--bins must be comma-separated numbers, got {text!r}"
        raise typer.BadParameter(msg) from None


def classify(
    src: Annotated[Path, typer.Argument(help="Vector file (GeoPackage, Shapefile, GeoJSON, ...).")],
    field: Annotated[str, typer.Option("--field", "-f", help="Numeric field to classify.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output GeoPackage (styled).")],
    layer: Annotated[
        str | None, typer.Option("--layer", "-l", help="Input layer (if several).")
    ] = None,
    out_layer: Annotated[
        str | None, typer.Option("--out-layer", help="Layer name in the output.")
    ] = None,
    k: KOption = 5,
    scheme: SchemeOption = "fisher_jenks",
    bins: Annotated[
        str | None, typer.Option("--bins", help="Upper bounds for user_defined, e.g. 1,5,10.")
    ] = None,
    palette: Annotated[
        str | None, typer.Option("--palette", help="Colour palette, e.g. YlGnBu, Reds, RdBu.")
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the palette.")] = False,
    fmt: Annotated[str, typer.Option("--fmt", help="Legend number format.")] = "{:.2f}",
    title: Annotated[str | None, typer.Option("--title", help="Legend title.")] = None,
    qml: Annotated[
        Path | None, typer.Option("--qml", help="Also write the style as a QML file.")
    ] = None,
) -> None:
    """Classify FIELD of a vector layer (exact natural breaks by default).

    Writes OUT as a GeoPackage whose default QGIS style shows exactly the computed classes;
    features without a value are kept in a "No data" class.
    """
    from geotrade.options import check_k

    k = check_k(k)
    from geotrade.classify_layer import classify_layer

    rep = reporter()
    with rep.task("classify", total=1) as t:
        res = classify_layer(
            src,
            field=field,
            out=out,
            layer=layer,
            out_layer=out_layer,
            k=k,
            scheme=scheme,  # type: ignore[arg-type]
            bins=_floats(bins),
            palette_name=palette,
            reverse=reverse,
            fmt=fmt,
            title=title,
            qml=qml,
        )
        t.advance()
    rec = res.to_record()
    lines = [f"{res.layer}: {rec['scheme']}, {rec['k']} classes -> {res.out}"]
    labels = res.style.all_classes()
    lines += [f"  {c.label_en:>24}  n={c.count}" for c in labels]
    if res.qml is not None:
        lines.append(f"QML: {res.qml}")
    lines += [f"note: {w}" for w in res.warnings]
    emit_result("classify", rec, "\n".join(lines))


def register(app: typer.Typer) -> None:
    """Add ``classify`` to the main app."""
    app.command()(classify)
