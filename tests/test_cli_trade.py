"""CLI: trade summary, interdependence and network on the SYNTHETIC demo table (in-process).

Published figures are from seed 000 (Table 2, §3.1); documented deviations of the demo data
are in geotrade/data/demo/README.md (C3-C7).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

import geotrade
from geotrade.cli import main

DEMO = Path(geotrade.__file__).parent / "data" / "demo" / "synthetic_li_ion_trade_2012_2022.csv"


def run(capsys, args):
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert lines, "no JSON output"
    return code, lines[-1]


def test_trade_summary_reproduces_published_figures(capsys, tmp_path):
    csv, md = tmp_path / "t2.csv", tmp_path / "t2.md"
    code, rec = run(capsys, ["trade", "summary", str(DEMO), "--focal", "CHN",
                             "--years", "2012,2017,2022", "--top", "10",
                             "--csv", str(csv), "--md", str(md)])  # fmt: skip
    assert code == 0
    assert rec["type"] == "result"
    assert rec["outputs"] == {"csv": str(csv), "md": str(md)}
    assert rec["synthetic"] is True
    s = {(r["year"], r["flow"]): r for r in rec["summary"]}
    # §3.1: 84 -> 539 亿 USD total, 45 -> 509 exports, 40 -> 30 imports; average growth
    # 20.38 / 27.56 / -2.81 % (10-year CAGRs, README C2)
    assert round(s[(2012, "total")]["total_usd"] / 1e8) == 84
    assert round(s[(2022, "total")]["total_usd"] / 1e8) == 539
    assert round(s[(2022, "export")]["total_usd"] / 1e8) == 509
    assert round(s[(2022, "import")]["total_usd"] / 1e8) == 30
    assert round(s[(2022, "total")]["cagr_pct"], 2) == 20.38
    assert round(s[(2022, "export")]["cagr_pct"], 2) == 27.56
    assert round(s[(2022, "import")]["cagr_pct"], 2) == -2.81
    # Table 2 partner counts and 合计 (imports 2017: 99.6 published, 98.6 achievable, C3)
    assert [s[(y, "export")]["n_partners"] for y in (2012, 2017, 2022)] == [127, 175, 189]
    assert [s[(y, "import")]["n_partners"] for y in (2012, 2017, 2022)] == [31, 43, 44]
    sums = [round(s[(y, "import")]["top_share_sum_pct"], 1) for y in (2012, 2017, 2022)]
    assert sums == [99.9, 98.6, 98.2]
    sums = [round(s[(y, "export")]["top_share_sum_pct"], 1) for y in (2012, 2017, 2022)]
    assert sums == [82.8, 73.3, 76.5]
    t = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert t["row"].tolist()[:11] == [*map(str, range(1, 11)), "合计"]
    # Table 2, first rows: 韩国 52.4 (imports 2012), 美国 19.4 (exports 2012), 德国 15.9 (2022)
    assert t.loc[0, "import_2012_partner"] == "韩国"
    assert float(t.loc[0, "import_2012_share_pct"]) == pytest.approx(52.4, abs=0.05)
    assert float(t.loc[0, "export_2012_share_pct"]) == pytest.approx(19.4, abs=0.05)
    assert t.loc[1, "export_2022_partner"] == "德国"
    assert float(t.loc[1, "export_2022_share_pct"]) == pytest.approx(15.9, abs=0.05)
    text = md.read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "合计" in text


def test_interdependence_csv_gpkg_html(capsys, tmp_path):
    csv, gpkg, html = tmp_path / "i.csv", tmp_path / "i.gpkg", tmp_path / "i.html"
    code, rec = run(capsys, ["interdependence", str(DEMO), "--focal", "CHN",
                             "--years", "2012,2022", "--csv", str(csv), "--gpkg", str(gpkg),
                             "--html", str(html)])  # fmt: skip
    assert code == 0, rec
    assert rec["layers"] == ["dependence_2012", "dependence_2022"]
    assert set(rec["outputs"]) == {"csv", "gpkg", "html"}
    # Table 3 with the documented deviations (README C4, C5, C7)
    assert rec["class_counts"]["2012"]["partner_one_way"] == 96
    assert rec["class_counts"]["2012"]["partner_high"] == 23
    assert rec["class_counts"]["2022"]["partner_one_way"] == 145
    assert rec["class_counts"]["2022"]["focal_low"] == 2
    t = pd.read_csv(csv, keep_default_na=False)
    for col in ("year", "partner_iso3", "exports", "imports", "gl", "index", "dependence_class",
                "partner_name_en", "partner_name_zh", "zone", "zone_label"):  # fmt: skip
        assert col in t.columns
    assert len(t) == 127 + 189
    assert set(t.loc[t["zone"] == "advantage", "zone_label"]) == {"贸易优势区"}
    layers = [name for name, _ in pyogrio.list_layers(gpkg)]
    assert {"dependence_2012", "dependence_2022", "layer_styles"} <= set(layers)
    g = pyogrio.read_dataframe(gpkg, layer="dependence_2022")
    assert (g.loc[g["iso_a3"] == "CHN", "dependence_class"] == "focal").all()
    assert g["synthetic"].all()
    assert int(g["dependence_class"].isin(["partner_one_way"]).sum()) == 145
    con = sqlite3.connect(gpkg)
    rows = con.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall()
    meta = con.execute("SELECT metadata FROM gpkg_metadata").fetchall()
    con.close()
    assert {r[0] for r in rows} == {"dependence_2012", "dependence_2022"}
    assert "partner_one_way" in rows[0][1]
    assert any('"synthetic": true' in m[0] for m in meta)
    assert "SYNTHETIC" in html.read_text(encoding="utf-8")


def test_network_edges_nodes_gpkg(capsys, tmp_path):
    e, n, gpkg = tmp_path / "e.csv", tmp_path / "n.csv", tmp_path / "n.gpkg"
    code, rec = run(capsys, ["network", str(DEMO), "--years", "2022", "--edges", str(e),
                             "--nodes", str(n), "--gpkg", str(gpkg), "--top-n", "3"])  # fmt: skip
    assert code == 0, rec
    assert rec["layers"] == ["flow_lines_2022"]
    edges = pd.read_csv(e, keep_default_na=False)
    assert list(edges.columns[:8]) == ["year", "iso3", "partner_iso3", "exports", "imports",
                                       "gl", "index", "dependence_class"]  # fmt: skip
    assert len(edges) == 2 * 189  # CHN -> j and the mirrored j -> CHN rows
    lines = pyogrio.read_dataframe(gpkg, layer="flow_lines_2022")
    # only CHN reports (X_j,CHN = 0 for every j): CHN's top 3 export partners
    assert len(lines) == 3
    assert lines["partner_iso3"].tolist() == ["USA", "DEU", "KOR"]  # Table 2, exports 2022
    con = sqlite3.connect(gpkg)
    styled = con.execute("SELECT f_table_name FROM layer_styles").fetchall()
    con.close()
    assert styled == [("flow_lines_2022",)]


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["trade", "summary", "missing.csv", "--focal", "CHN"], 4),
        (["interdependence", str(DEMO), "--focal", "CHN", "--csv", "x.csv", "--mirror", "bad"], 2),
        (["trade", "summary", str(DEMO), "--focal", "CHN", "--years", "20x2"], 2),
        (["trade", "summary", str(DEMO), "--focal", "USA"], 5),
    ],
)
def test_errors_give_exit_codes_and_json_error(capsys, tmp_path, monkeypatch, args, exit_code):
    monkeypatch.chdir(tmp_path)
    code, rec = run(capsys, args)
    assert code == exit_code
    assert rec["type"] == "error"


def _revision_flows(tmp_path):
    """CHN trade reported in HS2007 (850780, before 850760 existed) and HS2012 (850760)."""
    rows = [
        (2011, "USA", "export", "850780", "HS2007", 100.0),
        (2011, "USA", "import", "850780", "HS2007", 50.0),
        (2011, "KOR", "import", "850780", "HS2007", 80.0),
        (2011, "USA", "export", "850710", "HS2007", 999.0),  # lead-acid: never selected
        (2012, "USA", "export", "850760", "HS2012", 120.0),
        (2012, "KOR", "import", "850760", "HS2012", 90.0),
    ]
    df = pd.DataFrame(
        rows, columns=["year", "partner_iso3", "flow", "hs_code", "hs_revision", "value_usd"]
    )
    df.insert(1, "reporter_iso3", "CHN")
    path = tmp_path / "rev.csv"
    df.to_csv(path, index=False)
    return path


def test_interdependence_refuses_850760_in_hs2007_without_lumped(capsys, tmp_path):
    path = _revision_flows(tmp_path)
    out = tmp_path / "x.csv"
    code, rec = run(capsys, ["interdependence", str(path), "--focal", "CHN", "--hs", "850760",
                             "--csv", str(out)])  # fmt: skip
    assert code == 5
    assert rec["code"] == "validation"
    assert "850760" in rec["message"]
    assert "HS2007" in rec["message"]
    assert not out.exists()


def test_interdependence_lumped_relabels_pre_2012_rows(capsys, tmp_path):
    path = _revision_flows(tmp_path)
    out = tmp_path / "x.csv"
    code, rec = run(capsys, ["interdependence", str(path), "--focal", "CHN", "--hs", "850760",
                             "--lumped", "--csv", str(out)])  # fmt: skip
    assert code == 0, rec
    t = pd.read_csv(out).set_index(["year", "partner_iso3"])
    # 2011 from 850780 (HS2007): X=100, M=50 with USA -> GL = 1 - 50/150 = 2/3; lead-acid out
    assert t.loc[(2011, "USA"), "exports"] == 100.0
    assert t.loc[(2011, "USA"), "gl"] == pytest.approx(2 / 3)
    assert t.loc[(2011, "KOR"), "dependence_class"] == "focal_one_way"
    assert t.loc[(2012, "USA"), "dependence_class"] == "partner_one_way"
    assert any("relabelled" in n and "850780 -> 850760" in n for n in rec["notes"])


def test_network_duckdb_engine_agrees_with_pandas(capsys, tmp_path):
    parquet = tmp_path / "flows.parquet"
    assert main(["--quiet", "convert", str(DEMO), str(parquet)]) == 0
    capsys.readouterr()
    out = {}
    for engine in ("pandas", "duckdb"):
        edges = tmp_path / f"{engine}.csv"
        code, rec = run(capsys, ["network", str(parquet), "--years", "2017,2022",
                                 "--engine", engine, "--edges", str(edges)])  # fmt: skip
        assert code == 0, rec
        assert rec["synthetic"] is True
        out[engine] = pd.read_csv(edges).sort_values(["year", "iso3", "partner_iso3"])
    a, b = (out[k].reset_index(drop=True) for k in ("pandas", "duckdb"))
    assert len(a) > 100
    pd.testing.assert_frame_equal(a[b.columns.tolist()], b, check_exact=False, rtol=1e-12)
