"""One code policy (geotrade.schema) everywhere: readers, metrics, both engines, the CLI.

Expected values are hand sums over small files; the policy is the one documented in
geotrade/schema.py (aggregates excluded, historical economies and Taiwan kept).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import geotrade
from geotrade.cli import main
from geotrade.engine import pair_interdependence
from geotrade.join import join_to_geometry
from geotrade.schema import code_kinds, historical_economies, is_aggregate_code

HEADER = "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd\n"
# partners: 2 economies (USA; _490 = Taiwan) + 5 aggregate/special codes (_0 = World)
SPECIAL = {
    "USA": 1000.0,
    "_490": 1000.0,
    "_899": 1000.0,
    "XXX": 1000.0,
    "ZZZ": 1000.0,
    "_0": 1000.0,
    "_X": 1000.0,
}


def run(capsys, args):
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    return code, lines[-1]


@pytest.fixture
def special_file(tmp_path: Path) -> Path:
    rows = [f"2022,CHN,{p},export,850760,{v}\n" for p, v in SPECIAL.items()]
    rows += [f"2022,{p},CHN,export,850760,{v / 2}\n" for p, v in SPECIAL.items() if p != "_490"]
    p = tmp_path / "special.csv"
    p.write_text(HEADER + "".join(rows), encoding="utf-8")
    return p


def test_kinds_by_hand():
    codes = pd.Series(["CHN", "TWN", "_490", "WLD", "_0", "_899", "_X", "EUN", "_97", "SUN",
                       "CSK", "_58", "_736", "_230", "ROM", "", None, "QQQ", "_12345"])  # fmt: skip
    assert code_kinds(codes).tolist() == [
        "economy", "economy", "economy", "aggregate", "aggregate", "area", "area",
        "aggregate", "aggregate", "historical", "historical", "historical", "historical",
        "historical", "economy", "missing", "missing", "unknown", "unknown",
    ]  # fmt: skip
    assert not is_aggregate_code(pd.Series(["SUN", "QQQ"])).any()


def test_historical_table_cites_and_successors_exist():
    h = historical_economies()
    countries = set(geotrade.reference.countries()["iso3"])
    assert h["source"].str.len().gt(10).all()
    for code, succ in zip(h["code"], h["successors"], strict=True):
        assert set(succ.split("|")) <= countries, code


def test_one_aggregate_policy_inspect_summary_interdependence_network(
    capsys, tmp_path, special_file
):
    # CHN exports: USA 1000 + _490 (= TWN) 1000 to partners, plus 4000 to unspecified areas
    # (_899, XXX, ZZZ, _X) = 6000 with the World; _0 (World) repeats them and is left out
    code, rec = run(capsys, ["flows", "inspect", str(special_file)])
    assert code == 0
    totals = {(t["year"], t["flow"]): t["value_usd"] for t in rec["totals"]}
    code, summ = run(capsys, ["trade", "summary", str(special_file), "--focal", "CHN"])
    assert code == 0
    s = {r["flow"]: r for r in summ["summary"]}
    assert s["export"]["total_usd"] == 6000.0
    assert s["export"]["unspecified_usd"] == 4000.0
    assert s["export"]["n_partners"] == 2  # USA and TWN
    # inspect's export total covers every non-aggregate row of every reporter:
    # CHN's 6000 plus USA->CHN 500 (rows reported by an area or the World are not counted)
    assert totals[(2022, "export")] == 6500.0
    assert not [p for p in rec["problems"] if "unknown" in p["message"]]
    aggs = {a["code"]: a["value_usd"] for a in rec["aggregates"]}
    assert aggs == {"WLD": 1000.0 + 500.0, "_899": 1500.0, "XXX": 1500.0, "ZZZ": 1500.0,
                    "_X": 1500.0}  # fmt: skip
    csv = tmp_path / "i.csv"
    code, _ = run(capsys, ["interdependence", str(special_file), "--focal", "CHN",
                           "--csv", str(csv)])  # fmt: skip
    assert code == 0
    t = pd.read_csv(csv, keep_default_na=False).set_index("partner_iso3")
    assert t.loc["TWN", "exports"] == 1000.0
    assert t.loc["USA", "exports"] == 1000.0
    assert set(t.index) == {"USA", "TWN"}
    edges = tmp_path / "e.csv"
    for engine in ("pandas", "duckdb"):
        code, _ = run(capsys, ["network", str(special_file), "--edges", str(edges),
                               "--engine", engine])  # fmt: skip
        assert code == 0, engine
        e = pd.read_csv(edges, keep_default_na=False).set_index(["iso3", "partner_iso3"])
        assert e.loc[("CHN", "TWN"), "exports"] == 1000.0, engine
        assert e.loc[("CHN", "TWN"), "imports"] == 0.0, engine
        assert set(e.index.get_level_values(0)) == {"CHN", "USA", "TWN"}, engine


def test_engines_agree_on_special_codes(special_file):
    flows = geotrade.read_flows(special_file)
    a = pair_interdependence(flows, engine="pandas").reset_index(drop=True)
    b = pair_interdependence(flows, engine="duckdb").reset_index(drop=True)
    cols = ["year", "iso3", "partner_iso3", "exports", "imports", "dependence_class"]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)


BACI = "t,i,j,k,v,q\n2022,156,842,850760,1500,2\n2022,842,156,850760,500,1\n" \
    "2022,156,410,850760,100,1\n2022,410,156,850760,300,1\n1995,810,156,850760,7,1\n" \
    "1995,58,156,850760,2,1\n1995,200,156,850760,3,1\n"


@pytest.fixture
def baci_file(tmp_path: Path) -> Path:
    p = tmp_path / "BACI_HS92_Y2022_V202401.csv"
    p.write_text(BACI, encoding="utf-8")
    return p


def test_baci_imports_are_not_zero_and_historical_economies_kept(capsys, tmp_path, baci_file):
    csv = tmp_path / "i.csv"
    gpkg = tmp_path / "i.gpkg"
    code, rec = run(capsys, ["interdependence", str(baci_file), "--focal", "CHN",
                             "--csv", str(csv), "--gpkg", str(gpkg)])  # fmt: skip
    assert code == 0, rec
    assert rec["mirror"] == "prefer-reporter"
    assert rec["mirror_requested"] == "auto"
    t = pd.read_csv(csv, keep_default_na=False).set_index(["year", "partner_iso3"])
    # BACI v is in thousand USD
    assert t.loc[(2022, "USA"), "imports"] == 500_000.0
    assert t.loc[(2022, "KOR"), "imports"] == 300_000.0
    assert t.loc[(1995, "SUN"), "imports"] == 7_000.0  # USSR: a real economy in 1995
    assert t.loc[(1995, "_58"), "imports"] == 2_000.0  # Belgium-Luxembourg
    assert t.loc[(1995, "CSK"), "imports"] == 3_000.0  # Czechoslovakia
    derived = rec["join_reports"]
    assert derived  # layers were written
    code, summ = run(capsys, ["trade", "summary", str(baci_file), "--focal", "CHN",
                              "--years", "2022"])  # fmt: skip
    s = {r["flow"]: r["total_usd"] for r in summ["summary"]}
    assert s["import"] == 800_000.0
    # the reporter policy on reconciled data is allowed but says it empties imports
    code, rec = run(capsys, ["interdependence", str(baci_file), "--focal", "CHN",
                             "--csv", str(csv), "--mirror", "reporter"])  # fmt: skip
    assert any("empty" in n for n in rec["notes"])


def test_historical_geometry_is_union_of_successors():
    from geotrade.boundaries import world_countries

    world = world_countries()[["iso_a3", "name", "geometry"]]
    table = pd.DataFrame({"partner_iso3": ["CSK", "USA"], "v": [1.0, 2.0]})
    gdf, report = join_to_geometry(table, world, left_on="partner_iso3", right_on="iso_a3",
                                   name_column="name")  # fmt: skip
    assert report.ok
    assert "CSK" in report.derived
    assert "CZE+SVK" in report.derived["CSK"]
    csk = gdf.loc[gdf["iso_a3"] == "CSK"].geometry.iloc[0]
    parts = world.loc[world["iso_a3"].isin(["CZE", "SVK"])].geometry.union_all()
    assert csk.symmetric_difference(parts).area < 1e-9
    assert gdf["iso_a3"].tolist()[-1] == "CSK"  # drawn on top
    assert gdf.loc[gdf["iso_a3"] == "CSK", "name"].iloc[0] == "Czechoslovakia"


def test_network_mirror_uses_importer_only_flows(capsys, tmp_path):
    p = tmp_path / "ct.csv"
    p.write_text(
        HEADER + "2022,CHN,USA,export,850760,100\n2022,USA,CHN,export,40,\n".replace(
            "40,", "850760,40"
        )
        + "2022,KOR,CHN,import,850760,70\n",  # only Korea reported this flow (CHN -> KOR)
        encoding="utf-8",
    )
    edges = tmp_path / "e.csv"
    code, rec = run(capsys, ["network", str(p), "--edges", str(edges)])
    assert code == 0
    e = pd.read_csv(edges).set_index(["iso3", "partner_iso3"])
    assert ("CHN", "KOR") not in e.index
    assert any("reported only by the importer" in n for n in rec["notes"])
    code, rec = run(capsys, ["network", str(p), "--edges", str(edges),
                             "--mirror", "prefer-reporter"])  # fmt: skip
    assert code == 0
    e = pd.read_csv(edges).set_index(["iso3", "partner_iso3"])
    assert e.loc[("CHN", "KOR"), "exports"] == 70.0
    assert e.loc[("CHN", "USA"), "exports"] == 100.0


def test_what_convert_keeps_every_command_analyses(capsys, tmp_path):
    src = tmp_path / "unk.csv"
    src.write_text(HEADER + "2022,CHN,USA,export,850760,10\n2022,CHN,QQQ,export,850760,5\n"
                   "2022,QQQ,CHN,export,850760,3\n", encoding="utf-8")  # fmt: skip
    pq = tmp_path / "unk.parquet"
    code, _ = run(capsys, ["convert", str(src), str(pq)])
    assert code == 5  # QQQ is in no code table: an error by default ...
    assert not pq.exists()
    code, _ = run(capsys, ["convert", str(src), str(pq), "--unknown-codes", "keep"])
    assert code == 0  # ... or kept on request, and the parquet remembers the choice
    code, s = run(capsys, ["trade", "summary", str(pq), "--focal", "CHN"])
    assert code == 0
    assert {r["flow"]: r["total_usd"] for r in s["summary"]}["export"] == 15.0
    code, _ = run(capsys, ["interdependence", str(pq), "--focal", "CHN",
                             "--csv", str(tmp_path / "i.csv")])  # fmt: skip
    assert code == 0
    t = pd.read_csv(tmp_path / "i.csv").set_index("partner_iso3")
    assert t.loc["QQQ", "imports"] == 3.0
    code, _ = run(capsys, ["network", str(pq), "--edges", str(tmp_path / "e.csv")])
    assert code == 0
    # on the CSV itself the same choice is one option, the same on every command
    for args in (["trade", "summary", str(src), "--focal", "CHN"],
                 ["network", str(src), "--edges", str(tmp_path / "e.csv")]):  # fmt: skip
        assert run(capsys, args)[0] == 5
        assert run(capsys, [*args, "--unknown-codes", "keep"])[0] == 0


def test_interdependence_engines_agree_on_baci(capsys, tmp_path, baci_file):
    out = {}
    for engine in ("pandas", "duckdb"):
        csv = tmp_path / f"{engine}.csv"
        code, rec = run(capsys, ["interdependence", str(baci_file), "--focal", "CHN",
                                 "--csv", str(csv), "--engine", engine])  # fmt: skip
        assert code == 0, rec
        assert rec["mirror"] == "prefer-reporter"
        cols = ["year", "partner_iso3", "exports", "imports", "gl", "dependence_class"]
        out[engine] = pd.read_csv(csv, keep_default_na=False)[cols]
        out[engine] = out[engine].sort_values(["year", "partner_iso3"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(out["pandas"], out["duckdb"], check_dtype=False)
