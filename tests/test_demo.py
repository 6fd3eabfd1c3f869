"""End-to-end: `geotrade demo` writes every output, each labelled synthetic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyogrio
import pytest

EXPECTED_LAYERS = {
    "li_ion_interdependence.gpkg": ["dependence_2012", "dependence_2017", "dependence_2022"],
    "recycling_mismatch.gpkg": [
        "province_capacity_ratio_2025",
        "province_capacity_ratio_2030",
        "prefecture_matching_2025",
    ],
}


def test_demo_exits_zero_with_json_lines(demo_run):
    _, proc, records = demo_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    types = {r["type"] for r in records}
    assert {"progress", "result"} <= types
    result = records[-1]
    assert result["type"] == "result"
    assert result["command"] == "demo"
    assert result["synthetic"] is True
    for name, f in result["outputs"].items():
        assert Path(f).is_file(), f
        assert Path(f).name == name


def test_demo_profile_times_every_stage_without_font_warnings(demo_run):
    _, proc, records = demo_run
    prof = records[-1]["profile"]
    assert prof["startup_seconds"] > 0
    stages = [(s["step"], s["stage"]) for s in prof["stages"]]
    assert stages[0] == ("demo", "reading synthetic demo data")
    assert ("demo", "web maps") in stages
    assert ("demo", "static maps") in stages
    assert all(s["seconds"] >= 0 for s in prof["stages"])
    demo_total = sum(s["seconds"] for s in prof["stages"] if s["step"] == "demo")
    assert demo_total == pytest.approx(prof["seconds"], abs=0.5)
    assert "Glyph" not in proc.stderr
    assert "findfont" not in proc.stderr


def test_demo_layers_listed_by_ogr(demo_run):
    out, _, _ = demo_run
    for gpkg, layers in EXPECTED_LAYERS.items():
        names = [row[0] for row in pyogrio.list_layers(out / gpkg)]
        for layer in layers:
            assert layer in names
        for layer in layers:
            df = pyogrio.read_dataframe(out / gpkg, layer=layer)
            assert len(df) > 30
            assert bool(df["synthetic"].all())


def test_demo_gpkg_has_default_style_per_layer(demo_run):
    out, _, _ = demo_run
    for gpkg, layers in EXPECTED_LAYERS.items():
        con = sqlite3.connect(out / gpkg)
        rows = con.execute(
            "SELECT f_table_name, f_table_schema, useAsDefault, styleQML FROM layer_styles"
        ).fetchall()
        con.close()
        styled = {r[0] for r in rows if r[1] == "" and r[2]}
        assert set(layers) <= styled
        for r in rows:
            assert ("categorizedSymbol" in r[3]) or ("graduatedSymbol" in r[3])


def test_every_demo_output_says_synthetic(demo_run):
    out, _, _ = demo_run
    for gpkg in EXPECTED_LAYERS:
        con = sqlite3.connect(out / gpkg)
        meta = " ".join(str(r[0]) for r in con.execute("SELECT metadata FROM gpkg_metadata"))
        con.close()
        assert "SYNTHETIC" in meta.upper()
    for html in out.glob("*.html"):
        assert "SYNTHETIC" in html.read_text(encoding="utf-8").upper()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in report
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 6
    for png in pngs:
        # the note is drawn on the map; its text is also stored in the PNG metadata
        from PIL import Image

        with Image.open(png) as im:
            text = " ".join(str(v) for v in im.info.values())
            assert im.size[0] > 800
        assert "synthetic" in text.lower(), png
