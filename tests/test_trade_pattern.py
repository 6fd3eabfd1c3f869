"""The trade-pattern product and the engine choice of the focal-economy commands.

- ``partner_shares_<year>`` layers: every country, shares recomputed here by hand from the
  raw rows of the SYNTHETIC demo file; the style's class counts match the layer.
- ``--engine duckdb`` (rows involving the focal economy selected out of core by
  :func:`geotrade.engine.focal.focal_rows`) gives the same tables as ``--engine pandas`` on
  a canonical CSV, its parquet conversion and a BACI file.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

import geotrade
from geotrade.builders.trade_pattern import SCHEMA
from geotrade.cli import main
from geotrade.engine.focal import focal_rows

DEMO = Path(geotrade.__file__).parent / "data" / "demo" / "synthetic_li_ion_trade_2012_2022.csv"
BACI = (
    "t,i,j,k,v,q\n2022,156,842,850760,1500,2\n2022,842,156,850760,500,1\n"
    "2022,156,410,850760,100,1\n2022,410,156,850760,300,1\n2022,410,842,850760,9,1\n"
    "2021,156,842,850760,70,1\n"
)


def run(capsys, args):
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert lines, "no JSON output"
    return code, lines[-1]


@pytest.fixture(scope="module")
def pattern_gpkg(tmp_path_factory):
    out = tmp_path_factory.mktemp("tp") / "tp.gpkg"
    code = main(["--quiet", "trade", "summary", str(DEMO), "--focal", "CHN",
                 "--years", "2012,2022", "--gpkg", str(out)])  # fmt: skip
    assert code == 0
    return out


def test_partner_share_layers_hold_every_country_and_hand_computed_shares(pattern_gpkg):
    layers = [str(n) for n in pyogrio.list_layers(pattern_gpkg)[:, 0] if n != "layer_styles"]
    assert layers == ["partner_shares_2012", "partner_shares_2022"]
    g = pyogrio.read_dataframe(pattern_gpkg, layer="partner_shares_2022")
    assert list(g.columns) == [*SCHEMA, "geometry"]
    from geotrade.boundaries import world_countries

    world = world_countries()
    assert set(world["iso_a3"]) <= set(g["iso_a3"])  # every country, data or not
    raw = pd.read_csv(DEMO, dtype={"hs_code": str})
    r = raw[(raw["reporter_iso3"] == "CHN") & (raw["year"] == 2022)]
    r = r[r["partner_iso3"].str.fullmatch(r"[A-Z]{3}") & (r["partner_iso3"] != "WLD")]
    by = r.groupby(["partner_iso3", "flow"])["value_usd"].sum().unstack(fill_value=0.0)
    trade = by.sum(axis=1)
    share = 100 * trade / trade.sum()
    gi = g.set_index("iso_a3")
    for iso in ("KOR", "USA", "DEU", "JPN"):
        assert gi.loc[iso, "trade_share_pct"] == pytest.approx(share[iso], rel=1e-9)
        assert gi.loc[iso, "exports_usd"] == pytest.approx(by.loc[iso, "export"], rel=1e-12)
    exp = 100 * by["export"] / by["export"].sum()
    assert gi.loc["USA", "export_share_pct"] == pytest.approx(exp["USA"], rel=1e-9)
    assert gi.loc[exp.idxmax(), "export_rank"] == 1
    no_trade = gi["trade_usd"].isna()
    assert no_trade.sum() > 0
    assert gi.loc[no_trade, "trade_share_pct"].isna().all()


def test_partner_share_style_counts_match_the_layer(pattern_gpkg):
    g = pyogrio.read_dataframe(pattern_gpkg, layer="partner_shares_2022")
    with sqlite3.connect(pattern_gpkg) as con:
        qml, meta = con.execute(
            "SELECT styleQML, (SELECT metadata FROM gpkg_metadata LIMIT 1) FROM layer_styles "
            "WHERE f_table_name = 'partner_shares_2022'"
        ).fetchone()
    assert "graduatedSymbol" in qml
    assert "trade_share_pct" in qml
    info = json.loads(meta)
    c = info["classification"]["partner_shares_2022"]
    v = g["trade_share_pct"].to_numpy(float)
    v = v[np.isfinite(v)]
    edges = [-np.inf, *c["breaks"]]
    counts = [int(((v > lo) & (v <= hi)).sum()) for lo, hi in itertools.pairwise(edges)]
    assert counts == c["counts"]
    assert sum(counts) == len(v)
    assert info["product"] == "trade_pattern"
    assert info["map_crs"] == "EPSG:8857"
    assert info["synthetic"] is True


def test_focal_rows_equal_the_reader_on_csv_and_parquet(tmp_path):
    ref = geotrade.read_flows(DEMO)
    ref = ref[(ref["reporter_iso3"] == "KOR") | (ref["partner_iso3"] == "KOR")]
    got = focal_rows(DEMO, focal="KOR")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), ref.reset_index(drop=True))
    pq = tmp_path / "demo.parquet"
    assert main(["--quiet", "convert", str(DEMO), str(pq)]) == 0
    got = focal_rows(pq, focal="KOR", years=[2022])
    want = ref[ref["year"] == 2022].reset_index(drop=True)
    cols = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), want[cols],
                                  check_dtype=False)  # fmt: skip


def test_focal_rows_of_baci_are_the_reader_with_reporter(tmp_path):
    p = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    p.write_text(BACI, encoding="utf-8")
    from geotrade.io.readers.baci import read_baci

    want = read_baci(p, reporter="CHN")
    got = focal_rows(p, focal="CHN")
    cols = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
    key = ["year", "flow", "partner_iso3"]
    a = got[cols].sort_values(key).reset_index(drop=True)
    b = want[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert "KOR" not in set(a.loc[a["partner_iso3"] == "USA", "reporter_iso3"])  # 410->842 out


@pytest.mark.parametrize("kind", ["csv", "parquet", "baci"])
def test_trade_summary_engines_agree(capsys, tmp_path, kind):
    if kind == "csv":
        src = DEMO
    elif kind == "parquet":
        src = tmp_path / "d.parquet"
        assert main(["--quiet", "convert", str(DEMO), str(src)]) == 0
    else:
        src = tmp_path / "BACI_HS17_Y2022_V202401.csv"
        src.write_text(BACI, encoding="utf-8")
    recs = {}
    for engine in ("pandas", "duckdb"):
        csv = tmp_path / f"{engine}.csv"
        code, rec = run(capsys, ["trade", "summary", str(src), "--focal", "CHN",
                                 "--csv", str(csv), "--engine", engine])  # fmt: skip
        assert code == 0, rec
        recs[engine] = (rec["summary"], pd.read_csv(csv, keep_default_na=False))
    assert recs["pandas"][0] == recs["duckdb"][0]
    pd.testing.assert_frame_equal(recs["pandas"][1], recs["duckdb"][1])
    if kind == "baci":  # imports come from the partners' exports (mirror auto)
        s = {(r["year"], r["flow"]): r["total_usd"] for r in recs["duckdb"][0]}
        assert s[(2022, "import")] == 800_000.0
        assert s[(2022, "export")] == 1_600_000.0


def test_duckdb_engine_names_the_file_it_cannot_scan(capsys, tmp_path):
    wits = Path(__file__).parent / "data" / "real" / "wits"
    files = sorted(wits.glob("*.csv"))
    assert files, "WITS real excerpt missing"
    code, rec = run(capsys, ["trade", "summary", str(files[0]), "--focal", "SGP",
                             "--csv", str(tmp_path / "x.csv"), "--engine", "duckdb"])  # fmt: skip
    assert code not in (0, 9), rec
    assert "duckdb engine" in rec["message"]
    assert "--engine pandas" in rec["message"]
    assert not (tmp_path / "x.csv").exists()


def test_static_maps_one_page_per_layer(capsys, tmp_path):
    png, pdf = tmp_path / "tp.png", tmp_path / "tp.pdf"
    code, rec = run(capsys, ["trade", "summary", str(DEMO), "--focal", "CHN",
                             "--years", "2012,2022", "--png", str(png),
                             "--pdf", str(pdf)])  # fmt: skip
    assert code == 0, rec
    want = {f"{fmt}:partner_shares_{y}": str(tmp_path / f"tp_partner_shares_{y}.{fmt}")
            for fmt in ("png", "pdf") for y in (2012, 2022)}  # fmt: skip
    assert rec["outputs"] == want
    from PIL import Image

    for key, path in want.items():
        assert Path(path).stat().st_size > 10_000, key
        if key.startswith("png"):
            with Image.open(path) as im:
                assert im.size[0] >= 1500
                assert "SYNTHETIC" in " ".join(str(v) for v in im.info.values())
    assert not png.exists()
    assert not pdf.exists()


def test_one_public_trade_api_engines_agree_on_a_file(tmp_path):
    from geotrade import trade

    pq = tmp_path / "d.parquet"
    assert main(["--quiet", "convert", str(DEMO), str(pq)]) == 0
    for fn, kw in ((trade.trade_summary, {"top": 5}), (trade.interdependence, {}),
                   (trade.partner_shares, {"flow": "import"})):  # fmt: skip
        a = fn(DEMO, focal="KOR", years=[2017, 2022], engine="pandas", **kw)
        b = fn(pq, focal="KOR", years=[2017, 2022], engine="duckdb", **kw)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True),
                                      check_dtype=False)  # fmt: skip
    t3 = trade.table3(pq, focal="KOR", years=[2022], engine="duckdb")
    ref = trade.table3(geotrade.read_flows(DEMO), focal="KOR", years=[2022])
    pd.testing.assert_frame_equal(t3, ref)
    with pytest.raises(ValueError, match="engine"):
        trade.trade_summary(DEMO, focal="KOR", engine="spark")  # type: ignore[arg-type]


def test_real_wits_excerpt_small_shares_keep_their_digits(tmp_path):
    """Real WITS excerpt (tests/data/real/PROVENANCE.md): Saudi Arabia has 0.019 % of
    Singapore's 2023 trade in it; its class must not read "0.0 – 0.0"."""
    import csv as _csv

    from geotrade.builders.trade_pattern import build_trade_pattern

    path = Path(__file__).parent / "data" / "real" / "wits"
    path = path / "Import_Export_by_Industry_SG_excerpt.csv"
    flows = geotrade.read_flows(path)
    p = build_trade_pattern(flows, focal="SGP", years=[2023])
    g = p.layers["partner_shares_2023"].set_index("iso_a3")
    # the same share by hand from the raw file (TradeValue in 1000 USD)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in _csv.DictReader(fh) if r["Year"] == "2023"]
    partners = [r for r in rows if r["PartnerISO3"] in set(g.index[g["status"] == "data"])]
    total = sum(float(r["TradeValue in 1000 USD"]) for r in partners)
    sau = sum(float(r["TradeValue in 1000 USD"]) for r in partners if r["PartnerISO3"] == "SAU")
    assert g.loc["SAU", "trade_share_pct"] == pytest.approx(100 * sau / total, rel=1e-9)
    assert g.loc["SAU", "trade_share_pct"] < 0.1
    labels = [c.label_en for c in p.styles["partner_shares_2023"].classes]
    assert not any(lab.startswith("0.0 ") for lab in labels), labels
    shown = [lab for lab in labels if "0.019" in lab]
    assert shown, labels
