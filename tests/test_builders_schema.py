"""One builder per product: the demo and the command line write the same layer schemas.

For every map product the demo makes, the same product made by its command from the same
synthetic inputs must have byte-for-byte the same GeoPackage schema (field names, order and
types) and the same metadata keys.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyogrio
import pytest

from geotrade.builders.dependence import SCHEMA
from geotrade.cli import main

DATA = Path(__file__).resolve().parents[1] / "geotrade" / "data" / "demo"


def _schema(path: Path, layer: str) -> list[tuple[str, str]]:
    info = pyogrio.read_info(path, layer=layer)
    return [(str(f), str(t)) for f, t in zip(info["fields"], info["dtypes"], strict=True)] + [
        ("geometry", str(info["geometry_type"]))
    ]


def _meta_keys(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        docs = [json.loads(r[0]) for r in con.execute("SELECT metadata FROM gpkg_metadata")]
    return set().union(*(d.keys() for d in docs if isinstance(d, dict)))


@pytest.fixture(scope="module")
def cli_products(tmp_path_factory, china_cache_dir, monkeypatch_module):
    monkeypatch_module.setenv("GEOTRADE_CACHE_DIR", str(china_cache_dir))
    out = tmp_path_factory.mktemp("cli")
    runs = {
        "dependence": ["interdependence", str(DATA / "synthetic_li_ion_trade_2012_2022.csv"),
                       "--focal", "CHN", "--years", "2012,2017,2022",
                       "--gpkg", str(out / "dep.gpkg")],
        "provinces": ["recycling", "provinces", str(DATA / "synthetic_recycling_provinces.csv"),
                      "--years", "2025,2030", "--gpkg", str(out / "prov.gpkg")],
        "cities": ["recycling", "cities", str(DATA / "synthetic_recycling_prefectures.csv"),
                   "--year", "2025", "--k", "5", "--gpkg", str(out / "pref.gpkg")],
        "pattern": ["trade", "summary", str(DATA / "synthetic_li_ion_trade_2012_2022.csv"),
                    "--focal", "CHN", "--years", "2022", "--gpkg", str(out / "tp.gpkg")],
    }  # fmt: skip
    for name, args in runs.items():
        assert main(["--quiet", *args]) == 0, name
    classify = ["classify", str(out / "pref.gpkg"), "--layer", "prefecture_matching_2025",
                "--field", "share_ratio", "--out", str(out / "cls.gpkg")]  # fmt: skip
    assert main(["--quiet", *classify]) == 0, "classify"
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize(
    ("demo_file", "layer", "cli_file"),
    [
        ("li_ion_interdependence.gpkg", "dependence_2012", "dep.gpkg"),
        ("li_ion_interdependence.gpkg", "dependence_2022", "dep.gpkg"),
        ("recycling_mismatch.gpkg", "province_capacity_ratio_2025", "prov.gpkg"),
        ("recycling_mismatch.gpkg", "province_capacity_ratio_2030", "prov.gpkg"),
        ("recycling_mismatch.gpkg", "prefecture_matching_2025", "pref.gpkg"),
    ],
)
def test_demo_and_cli_write_the_same_schema(demo_run, cli_products, demo_file, layer, cli_file):
    out, proc, _ = demo_run
    assert proc.returncode == 0, proc.stderr
    assert _schema(out / demo_file, layer) == _schema(cli_products / cli_file, layer)


def test_dependence_schema_is_the_documented_one(demo_run, cli_products):
    out, _, _ = demo_run
    names = [f for f, _ in _schema(out / "li_ion_interdependence.gpkg", "dependence_2022")]
    assert names == [*SCHEMA, "geometry"]


def test_one_metadata_schema_for_every_product(demo_run, cli_products):
    out, _, _ = demo_run
    keys = [
        _meta_keys(out / "li_ion_interdependence.gpkg"),
        _meta_keys(out / "recycling_mismatch.gpkg"),
    ]
    keys += [_meta_keys(cli_products / f)
             for f in ("dep.gpkg", "prov.gpkg", "pref.gpkg", "tp.gpkg", "cls.gpkg")]  # fmt: skip
    core = {"product", "title", "title_en", "title_zh", "synthetic", "note", "source_files",
            "map_crs", "years", "classification", "join_reports", "geotrade_version"}  # fmt: skip
    for k in keys:
        assert core <= k
