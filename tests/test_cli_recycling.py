"""CLI: geotrade recycling provinces|cities and geotrade mismatch (in-process, --json)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from geotrade.cli import main

DEMO = Path(__file__).resolve().parents[1] / "geotrade" / "data" / "demo"
DATA = Path(__file__).parent / "data" / "recycling"

pytestmark = [
    pytest.mark.china,
    pytest.mark.filterwarnings(
        "ignore:The alternative hypothesis for conditional randomization:DeprecationWarning"
    ),
]


def _run(capsys, args: list[str]) -> tuple[int, dict]:
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert lines, "no JSON output"
    assert lines[-1]["type"] in ("result", "error")
    return code, lines[-1]


def _styles(gpkg: str) -> dict[str, str]:
    with sqlite3.connect(gpkg) as con:
        return dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall())


def test_provinces_demo_reproduces_seed_figures(tmp_path: Path, capsys) -> None:
    out = tmp_path / "p.gpkg"
    md = tmp_path / "p.md"
    code, rec = _run(
        capsys,
        [
            "recycling",
            "provinces",
            str(DEMO / "synthetic_recycling_provinces.csv"),
            "--years",
            "2025,2030",
            "--gpkg",
            str(out),
            "--report",
            str(md),
            "--html",
            str(tmp_path / "p.html"),
        ],
    )
    assert code == 0, rec
    assert rec["layers"] == ["province_capacity_ratio_2025", "province_capacity_ratio_2030"]
    assert set(rec["outputs"]) == {"gpkg", "html", "md"}
    assert rec["synthetic"] is True
    s = rec["summaries"]["2025"]
    assert round(s["median_ratio"], 4) == 0.1150
    assert len(s["no_capacity"]) == 7
    assert s["n_below"] == 14
    assert round(rec["capital_whitelist_correlation"]["r"], 4) == -0.0300
    text = md.read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "11.50%" in text
    assert "r = -0.0300" in text
    assert "7: 山西省、内蒙古自治区、黑龙江省" in text
    styles = _styles(str(out))
    assert "No whitelist capacity" in styles["province_capacity_ratio_2025"]
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "SYNTHETIC" in html


def test_cities_demo_shanghai_and_top18(tmp_path: Path, capsys) -> None:
    out = tmp_path / "c.gpkg"
    md = tmp_path / "c.md"
    code, rec = _run(
        capsys,
        [
            "recycling",
            "cities",
            str(DEMO / "synthetic_recycling_prefectures.csv"),
            "--year",
            "2025",
            "--k",
            "5",
            "--gpkg",
            str(out),
            "--report",
            str(md),
        ],
    )
    assert code == 0, rec
    assert rec["layers"] == ["prefecture_matching_2025"]
    assert rec["n_units"] == 338
    assert rec["high_volume_low_outlet"]["retired_t"] == 170_000
    assert rec["classification"]["scheme"] == "fisher_jenks"
    text = md.read_text(encoding="utf-8")
    assert "| 1 | 上海市 | 310100 | 26,800 | 300 | 6.700% | 2.970% |" in text
    assert "SYNTHETIC" in text
    assert "No recycling outlets" in _styles(str(out))["prefecture_matching_2025"]


def test_mismatch_demo(tmp_path: Path, capsys) -> None:
    import geopandas as gpd

    from geotrade.mismatch import dissimilarity
    from geotrade.synthetic.recycling import read_demo

    out = tmp_path / "m.gpkg"
    code, rec = _run(
        capsys,
        [
            "mismatch",
            str(DEMO / "synthetic_recycling_prefectures.csv"),
            "--demand",
            "retired_t",
            "--supply",
            "outlets",
            "--level",
            "prefecture",
            "--permutations",
            "99",
            "--seed",
            "20241",
            "--gpkg",
            str(out),
            "--report",
            str(tmp_path / "m.md"),
        ],
    )
    assert code == 0, rec
    pref = read_demo("prefectures")
    assert rec["smi"] == pytest.approx(dissimilarity(pref["retired_t"], pref["outlets"]))
    lo, hi = rec["smi_ci"]
    assert lo <= rec["smi"] <= hi
    for k in ("theil", "gini", "moran_i", "moran_p"):
        assert isinstance(rec[k], float)
    assert rec["seed"] == 20241
    assert len(rec["nan_units"]) == 11
    gdf = gpd.read_file(out, layer="mismatch_prefecture")
    assert set(gdf["lisa_cluster"].dropna()) <= {"HH", "LL", "LH", "HL", "ns"}
    assert gdf["lisa_cluster"].isna().sum() == 11
    assert "High-High" in _styles(str(out))["mismatch_prefecture"]


def test_validation_error_exit_code(tmp_path: Path, capsys) -> None:
    code, rec = _run(
        capsys,
        [
            "recycling",
            "cities",
            str(DATA / "prefectures_bad.csv"),
            "--gpkg",
            str(tmp_path / "x.gpkg"),
        ],
    )
    assert code == 5
    assert rec["type"] == "error"
    assert any(p["row"] == 3 and p["column"] == "city" for p in rec["problems"])
    assert not (tmp_path / "x.gpkg").exists()


def test_missing_file_and_usage(tmp_path: Path, capsys) -> None:
    code, _ = _run(
        capsys,
        ["recycling", "provinces", str(tmp_path / "none.csv"), "--gpkg", str(tmp_path / "x.gpkg")],
    )
    assert code == 4
    code, _ = _run(capsys, ["mismatch", str(DATA / "capital.csv"), "--gpkg", "x.gpkg"])
    assert code == 2


def test_whitelist_option(tmp_path: Path, capsys) -> None:
    code, rec = _run(
        capsys,
        [
            "recycling",
            "provinces",
            str(DATA / "provinces_gbk.csv"),
            "--whitelist",
            str(DATA / "whitelist.csv"),
            "--gpkg",
            str(tmp_path / "w.gpkg"),
        ],
    )
    assert code == 0, rec
    s = rec["summaries"]["2025"]
    # by hand: capacities 江西 80000, 湖南 20000, 广东 10000, 上海 4000; 内蒙古/广西 none
    assert sorted(s["no_capacity"]) == ["150000", "450000"]
    # ratios 0.01 (江西), 0.045 (湖南), 0.5 (广东), 0.65 (上海): median (0.045 + 0.5) / 2
    assert s["median_ratio"] == pytest.approx((0.045 + 0.5) / 2)
    assert rec["synthetic"] is False


REAL = Path(__file__).parent / "data" / "real" / "lunar"


def test_mismatch_key_on_real_english_table(tmp_path: Path, capsys) -> None:
    """2019 vs 2023 flows of the real excerpt, keyed by English/pinyin names + province."""
    import csv

    import numpy as np

    rows19 = list(csv.DictReader((REAL / "s1_excerpt.csv").open(encoding="utf-8")))
    m23 = {
        (r["city"], r["prov"]): r["m"]
        for r in csv.DictReader((REAL / "s5_excerpt.csv").open(encoding="utf-8"))
    }
    table = tmp_path / "flows.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["City Name", "Procince", "m2019", "m2023"])
        for r in rows19:
            w.writerow([r["city"], r["prov"], r["m"], m23[(r["city"], r["prov"])]])
    args = [
        "mismatch",
        str(table),
        "--demand",
        "m2019",
        "--supply",
        "m2023",
        "--gpkg",
        str(tmp_path / "m.gpkg"),
        "--permutations",
        "99",
        "--key",
        "City Name",
        "--province-key",
        "Procince",
    ]
    code, rec = _run(capsys, args)
    assert code != 0, rec  # Hohhot, Ordos, ... need the alias file
    assert rec["code"] == "validation"
    assert {p["row"] for p in rec["problems"]} == {3, 9, 13, 29, 35}
    assert {p["column"] for p in rec["problems"]} == {"City Name"}
    code, rec = _run(capsys, [*args, "--aliases", str(REAL / "aliases.csv")])
    assert code == 0, rec
    a = np.array([float(r["m"]) for r in rows19])
    b = np.array([float(m23[(r["city"], r["prov"])]) for r in rows19])
    assert rec["smi"] == pytest.approx(0.5 * np.abs(a / a.sum() - b / b.sum()).sum())
    import geopandas as gpd

    gdf = gpd.read_file(tmp_path / "m.gpkg", layer="mismatch_prefecture")
    assert len(gdf) == 36
    assert {"320500", "341300", "321200", "331000", "230700", "360900"} <= set(gdf["adcode"])


def test_cities_key_and_province_key(tmp_path: Path, capsys) -> None:
    # tiny hand-made table (numbers are not data): names as in English-language tables
    t = tmp_path / "c.csv"
    t.write_text(
        "Unit,Procince,retired_t,outlets\n"
        "Taizhou,Jiangsu,100,2\nTaizhou,Zhejiang,300,1\nEnshi Tujia and Miao Autonomous "
        "Prefecture,Hubei,50,1\nAnshan City,Liaoning,80,4\nShanghai,Shanghai,900,30\n",
        encoding="utf-8",
    )
    out = tmp_path / "c.gpkg"
    code, rec = _run(
        capsys,
        [
            "recycling",
            "cities",
            str(t),
            "--gpkg",
            str(out),
            "--key",
            "Unit",
            "--province-key",
            "Procince",
            "--k",
            "2",
            "--top",
            "2",
        ],
    )
    assert code == 0, rec
    assert rec["n_units"] == 5
    code, rec = _run(
        capsys,
        ["recycling", "cities", str(t), "--gpkg", str(out), "--key", "Nope"],
    )
    assert code != 0
    assert "Nope" in rec["message"]
