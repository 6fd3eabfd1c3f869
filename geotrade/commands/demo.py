"""``geotrade demo``: the whole pipeline on the embedded synthetic data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geotrade.commands._common import emit_result, reporter


def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory (created if missing).")
    ] = Path("output/demo"),
    profile: Annotated[
        bool,
        typer.Option(
            "--profile",
            help="Time every stage (start-up and imports included); print the table and add "
            "it to the JSON result as 'profile'.",
        ),
    ] = False,
    qgz: Annotated[
        bool,
        typer.Option(
            "--qgz",
            help="Also write an editable QGIS project next to each GeoPackage "
            "(li_ion_interdependence.qgz, recycling_mismatch.qgz): every layer styled and "
            "grouped, in the product's map CRS.",
        ),
    ] = False,
) -> None:
    """Run the whole pipeline offline on the embedded SYNTHETIC demo data.

    Writes li_ion_interdependence.gpkg (one layer per year 2012/2017/2022),
    recycling_mismatch.gpkg (province capacity ratio, prefecture matching degree), a web map
    per GeoPackage, a PNG map per layer and report.md; with --qgz also a QGIS project per
    GeoPackage. Every output is labelled synthetic.
    """
    from geotrade.demo import run_demo

    rep = reporter()
    if not profile:
        result = run_demo(out, reporter=rep, qgz=qgz)
        record = result.to_record()
    else:
        from geotrade.profiling import StageTimer, process_age

        startup = process_age()
        timer = StageTimer(rep)
        result = run_demo(out, reporter=timer, qgz=qgz)
        record = result.to_record()
        record["profile"] = {
            "startup_seconds": None if startup is None else round(startup, 3),
            "seconds": round(result.seconds, 3),
            "stages": [s.to_dict() for s in timer.stages()],
        }
    lines = [f"Demo written to {result.out_dir} (synthetic data, {result.seconds:.1f} s):"]
    lines += [f"  {p}" for p in result.files]
    if profile:
        total = result.seconds + (startup or 0.0)
        lines += ["", timer.table(startup=startup, total=total)]
    emit_result("demo", record, "\n".join(lines))


def sample_data(
    out: Annotated[Path, typer.Argument(help="Directory to write the sample inputs into.")],
) -> None:
    """Copy the SYNTHETIC demo input tables (and their provenance sidecars) into OUT.

    These are the inputs `geotrade demo` uses: a bilateral HS 850760 trade table for China
    2012-2022 and province/prefecture battery-recycling tables, all synthetic and calibrated
    to the published aggregates. Use them to try every command on realistic shapes.
    """
    from geotrade.synthetic.samples import copy_samples

    rep = reporter()
    with rep.task("sample-data", total=1) as t:
        files = copy_samples(out)
        t.advance()
    human = "\n".join(
        [f"Synthetic sample inputs written to {out}:"] + [f"  {p}" for p in files.values()]
    )
    emit_result("sample-data", {"outputs": {k: str(v) for k, v in files.items()}}, human)


def register(app: typer.Typer) -> None:
    """Add ``demo`` and ``sample-data`` to the main app."""
    app.command()(demo)
    app.command("sample-data")(sample_data)
