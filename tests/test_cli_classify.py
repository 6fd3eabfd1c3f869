"""`geotrade classify` and `geotrade sample-data` end to end (in-process CLI)."""

from __future__ import annotations

import json
import re
import sqlite3

import geopandas as gpd
import jenkspy
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from geotrade import errors
from geotrade.cli import main


@pytest.fixture
def cells(tmp_path):
    rng = np.random.default_rng(7)
    values = np.round(rng.lognormal(2.0, 1.0, 60), 3)
    values[[5, 17]] = np.nan  # kept as no data
    gdf = gpd.GeoDataFrame(
        {"name": [f"c{i}" for i in range(60)], "v": values},
        geometry=[box(i % 10, i // 10, i % 10 + 1, i // 10 + 1) for i in range(60)],
        crs="EPSG:4326",
    )
    path = tmp_path / "cells.gpkg"
    gdf.to_file(path, layer="cells")
    return path, values


def _last(capsys):
    lines = capsys.readouterr().out.strip().splitlines()
    return [json.loads(line) for line in lines][-1]


def test_classify_matches_jenkspy_and_embeds_style(cells, tmp_path, capsys):
    path, values = cells
    out = tmp_path / "out.gpkg"
    qml = tmp_path / "out.qml"
    code = main(
        [
            "--json",
            "classify",
            str(path),
            "--field",
            "v",
            "--k",
            "4",
            "--out",
            str(out),
            "--qml",
            str(qml),
        ]
    )
    rec = _last(capsys)
    assert code == 0, rec
    assert rec["type"] == "result"
    assert rec["command"] == "classify"
    finite = values[~np.isnan(values)]
    ref = jenkspy.jenks_breaks(finite.tolist(), n_classes=4)  # [min, b1, b2, b3, max]
    np.testing.assert_allclose(rec["bins"], ref[1:])
    assert sum(rec["counts"]) == 58
    assert rec["nodata"] == 2
    # every feature is kept, values unchanged
    back = pyogrio.read_dataframe(out, layer="cells")
    assert len(back) == 60
    np.testing.assert_array_equal(np.isnan(back["v"].to_numpy()), np.isnan(values))
    # the default style is embedded and shows the break values
    con = sqlite3.connect(out)
    (style_qml, default) = con.execute(
        "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = 'cells'"
    ).fetchone()
    con.close()
    assert default == 1
    assert "graduatedSymbol" in style_qml
    ranges = [
        (float(lo), float(hi))
        for lo, hi in re.findall(r'<range [^>]*lower="([^"]+)"[^>]*upper="([^"]+)"', style_qml)
    ]
    data_ranges = [r for r in ranges if r[0] != r[1]]  # [S, S] is the no-data sentinel range
    np.testing.assert_allclose([hi for _, hi in data_ranges], ref[1:])
    assert len(ranges) == len(data_ranges) + 1
    assert qml.read_text(encoding="utf-8").startswith("<!DOCTYPE qgis")


def test_classify_human_output_and_other_scheme(cells, tmp_path, capsys):
    path, values = cells
    out = tmp_path / "q.gpkg"
    code = main(
        [
            "--quiet",
            "classify",
            str(path),
            "-f",
            "v",
            "--scheme",
            "quantiles",
            "-k",
            "5",
            "-o",
            str(out),
            "--out-layer",
            "quintiles",
        ]
    )
    assert code == 0
    back = pyogrio.read_dataframe(out, layer="quintiles")
    assert len(back) == 60
    finite = np.sort(values[~np.isnan(values)])
    assert np.isclose(np.quantile(finite, 1.0), finite[-1])


@pytest.mark.parametrize(
    ("args", "error", "needle"),
    [
        (["--field", "nope"], errors.InputFormatError, "its fields are: name, v"),
        (["--field", "name"], errors.ValidationError, "expected a number, got 'c0'"),
        (["--field", "v", "--palette", "Set2"], errors.InputFormatError, "qualitative"),
        (["--field", "v", "--palette", "NoSuch"], errors.InputFormatError, "--palette"),
        (["--field", "v", "--layer", "other"], errors.DataNotFoundError, "no layer named"),
    ],
)
def test_classify_errors(cells, tmp_path, capsys, args, error, needle):
    path, _ = cells
    out = tmp_path / "bad.gpkg"
    code = main(["--json", "classify", str(path), *args, "--out", str(out)])
    rec = _last(capsys)
    assert code == error.exit_code
    assert rec["type"] == "error"
    assert rec["code"] == error.code
    assert needle in rec["message"]
    assert "Traceback" not in rec["message"]
    assert not out.exists()


def test_classify_missing_file_and_same_output(cells, tmp_path, capsys):
    path, _ = cells
    assert (
        main(["classify", str(tmp_path / "none.gpkg"), "-f", "v", "-o", str(tmp_path / "x.gpkg")])
        == 4
    )
    before = path.read_bytes()
    assert main(["classify", str(path), "-f", "v", "-o", str(path)]) == errors.OutputError.exit_code
    assert path.read_bytes() == before
    err = capsys.readouterr().err
    assert "must not overwrite the input" in err


def test_classify_multi_layer_needs_layer(cells, tmp_path, capsys):
    path, _ = cells
    extra = gpd.GeoDataFrame({"v": [1.0]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    extra.to_file(path, layer="second", mode="a")
    code = main(["--json", "classify", str(path), "-f", "v", "-o", str(tmp_path / "o.gpkg")])
    rec = _last(capsys)
    assert code == errors.InputFormatError.exit_code
    assert "choose one with --layer" in rec["message"]


def test_sample_data_copies_synthetic_inputs(tmp_path, capsys):
    code = main(["--json", "sample-data", str(tmp_path / "s")])
    rec = _last(capsys)
    assert code == 0
    trade = pd.read_csv(rec["outputs"]["trade"], dtype={"hs_code": str})
    assert trade["source"].str.startswith("synthetic").all()
    for key in ("provinces", "prefectures"):
        df = pd.read_csv(rec["outputs"][key])
        assert df["source"].str.startswith("synthetic").all()
        meta = tmp_path / "s" / (rec["outputs"][key].rsplit("/", 1)[-1] + ".meta.json")
        assert "synthetic" in meta.read_text(encoding="utf-8").lower()
