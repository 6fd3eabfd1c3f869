"""``geotrade shares`` on real excerpts and on the synthetic demo, checked independently."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geotrade.cli import main

REAL = Path(__file__).parent / "data" / "real"
IMF = REAL / "imf_lct" / "Trade_in_Low_Carbon_Technology_Products_excerpt.csv"
OGHIST = REAL / "worldbank" / "OGHIST_FY89-FY23_excerpt.xlsx"
DEMO = Path(__file__).resolve().parents[1] / "geotrade" / "data" / "demo"
TRADE = DEMO / "synthetic_li_ion_trade_2012_2022.csv"


def run(capsys, args):
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    return code, lines[-1]


def _imf_by_hand(year: int) -> dict[str, float]:
    """Exports (USD) per economy straight from the published file, no geotrade code."""
    raw = pd.read_csv(IMF, encoding="utf-8-sig", keep_default_na=False)
    ex = raw[(raw["Indicator"] == "Exports of low carbon technology products")
             & (raw["Unit"] == "US Dollars")]  # fmt: skip
    scale = {"Units": 1.0, "Thousands": 1e3, "Millions": 1e6, "Billions": 1e9}
    out = {}
    for r in ex.itertuples():
        name = r.Country
        if name == "World":
            continue
        v = getattr(r, f"F{year}")
        if v != "":
            out[name] = float(v) * scale[r.Scale]
    return out


def test_imf_dashboard_world_shares_match_a_hand_computation(capsys, tmp_path):
    csv = tmp_path / "s.csv"
    code, rec = run(capsys, ["shares", str(IMF), "--by", "income3", "--years", "2022",
                             "--csv", str(csv), "--png", str(tmp_path / "s.png")])  # fmt: skip
    assert code == 0, rec
    hand = _imf_by_hand(2022)
    total = sum(hand.values())
    china = hand["China, P.R.: Mainland"]
    t = pd.read_csv(csv).set_index("group")
    assert t.loc["CHN", "export_share_pct"] == pytest.approx(100 * china / total, rel=1e-9)
    assert t.loc["CHN", "exports_usd"] == pytest.approx(203.24e9, rel=1e-3)  # notes/data-sources
    assert any("country totals" in n for n in rec["notes"])
    assert (tmp_path / "s.png").stat().st_size > 10_000
    assert (tmp_path / "s_balance.png").exists()


def test_historical_income_groups_follow_the_year(capsys, tmp_path):
    # China: lower middle income in FY11 (trade year 2010), upper middle from FY12 (2011)
    flows = tmp_path / "f.csv"
    flows.write_text(
        "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd\n"
        "2010,USA,CHN,export,850760,10\n2011,USA,CHN,export,850760,10\n",
        encoding="utf-8",
    )
    csv = tmp_path / "s.csv"
    code, rec = run(capsys, ["shares", str(flows), "--by", "income", "--basis", "partner",
                             "--focal", "USA", "--income-vintage", "historical",
                             "--income-history", str(OGHIST), "--csv", str(csv)])  # fmt: skip
    assert code == 0, rec
    t = pd.read_csv(csv)
    t = t[(t["flow"] == "export") & (t["value_usd"] > 0)].set_index("year")["group"]
    assert t.loc[2010] == "Lower middle income"
    assert t.loc[2011] == "Upper middle income"
    code, rec = run(capsys, ["shares", str(flows), "--income-vintage", "historical",
                             "--csv", str(csv)])  # fmt: skip
    assert code == 2
    assert "--income-history" in rec["message"]


def test_partner_basis_and_sectors_on_the_demo(capsys, tmp_path):
    plist = tmp_path / "p.csv"
    plist.write_text("hs_code,sector\n850760,Energy storage\n", encoding="utf-8")
    csv, md = tmp_path / "p.csv.out", tmp_path / "p.md"
    code, rec = run(capsys, ["shares", str(TRADE), "--basis", "partner", "--by", "region",
                             "--years", "2022", "--product-list", str(plist), "--by-sector",
                             "--csv", str(csv), "--md", str(md)])  # fmt: skip
    assert code == 0, rec
    t = pd.read_csv(csv)
    for flow in ("export", "import"):
        assert t.loc[t["flow"] == flow, "share_pct"].sum() == pytest.approx(100.0)
    text = md.read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "Energy storage" in text


def test_world_basis_sectors_give_the_focal_share_of_world_exports(capsys, tmp_path):
    # two sectors on a hand-made flow file: CHN's share of each sector's world exports
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd\n"
        "2022,CHN,USA,export,850760,60\n"
        "2022,DEU,USA,export,850760,40\n"
        "2022,CHN,DEU,export,854143,10\n"
        "2022,USA,DEU,export,854143,30\n"
        "2022,JPN,CHN,export,854143,60\n",
        encoding="utf-8",
    )
    plist = tmp_path / "lct.csv"
    plist.write_text("hs_code,sector\n850760,storage\n854143,solar\n", encoding="utf-8")
    csv = tmp_path / "w.csv"
    args = ["shares", str(flows), "--by", "income3", "--focal", "CHN"]
    code, rec = run(capsys, [*args, "--product-list", str(plist), "--by-sector", "--csv", str(csv)])
    assert code == 0, rec
    sectors = pd.read_csv(tmp_path / "w_sectors.csv").set_index("sector")
    assert rec["outputs"]["csv_sectors"] == str(tmp_path / "w_sectors.csv")
    # by hand: storage 100 of which CHN 60; solar 100 of which CHN 10
    assert sectors.loc["storage", "exports_usd"] == pytest.approx(100)
    assert sectors.loc["storage", "focal_share_of_world_pct"] == pytest.approx(60.0)
    assert sectors.loc["solar", "focal_exports_usd"] == pytest.approx(10)
    assert sectors.loc["solar", "focal_share_of_world_pct"] == pytest.approx(10.0)
    assert sectors["share_pct"].sum() == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("args", "option"),
    [(["--basis", "moon"], "--basis"), (["--by-sector"], "--by-sector"), ([], "--csv")],
)
def test_bad_options_are_usage_errors(capsys, tmp_path, args, option):
    extra = [] if option == "--csv" else ["--csv", str(tmp_path / "x.csv")]
    code, rec = run(capsys, ["shares", str(TRADE), *args, *extra])
    assert code == 2
    assert option in rec["message"]


def test_partner_basis_on_reconciled_data_takes_imports_from_partners_exports(tmp_path):
    """BACI-like data (exports only, many reporters): the focal economy's imports by partner
    group are its partners' exports to it (mirror 'auto'), not an empty table."""
    rows = [
        # exporter, importer, value
        ("CHL", "USA", 30.0),  # US FTA partner (2004)
        ("AUS", "USA", 10.0),  # US FTA partner (2005)
        ("CHN", "USA", 60.0),  # not an FTA partner
        ("USA", "CAN", 5.0),  # US export to an FTA partner
        ("USA", "CHN", 15.0),
        ("CHN", "DEU", 99.0),  # neither side is the focal economy
    ]
    flows = pd.DataFrame(
        [
            {"year": 2022, "reporter_iso3": i, "partner_iso3": j, "flow": "export",
             "hs_code": "283691", "value_usd": v, "source": "baci test rows"}
            for i, j, v in rows
        ]
    )  # fmt: skip
    src = tmp_path / "flows.csv"
    flows.to_csv(src, index=False)
    groups = tmp_path / "fta.csv"
    groups.write_text("iso3,group,from\nCHL,us_fta,2004\nAUS,us_fta,2005\nCAN,us_fta,1989\n")
    out = tmp_path / "s.csv"
    args = ["--json", "shares", str(src), "--basis", "partner", "--focal", "USA",
            "--by", str(groups), "--csv", str(out)]  # fmt: skip
    assert main(args) == 0
    s = pd.read_csv(out).set_index(["flow", "group"])
    # hand computation: imports 30 + 10 from FTA partners of 100 in all -> 40 %
    assert s.loc[("import", "us_fta"), "value_usd"] == pytest.approx(40.0)
    assert s.loc[("import", "us_fta"), "share_pct"] == pytest.approx(40.0)
    assert s.loc[("import", "unclassified"), "value_usd"] == pytest.approx(60.0)
    # exports 5 of 20 to FTA partners -> 25 %
    assert s.loc[("export", "us_fta"), "share_pct"] == pytest.approx(25.0)


@pytest.mark.parametrize(
    "extra",
    [
        ["--years", "2017,2022"],
        ["--basis", "partner", "--by", "region", "--years", "2022"],
        ["--by", "region", "--hs", "850760"],
    ],
    ids=["world", "partner", "hs"],
)
def test_engines_agree(capsys, tmp_path, extra):
    pq = tmp_path / "flows.parquet"
    assert main(["--quiet", "convert", str(TRADE), str(pq)]) == 0
    out = {}
    for src, engine in ((TRADE, "pandas"), (TRADE, "duckdb"), (pq, "duckdb")):
        code, rec = run(capsys, ["shares", str(src), *extra, "--engine", engine,
                                 "--csv", str(tmp_path / "s.csv")])  # fmt: skip
        assert code == 0, rec
        out[(src.suffix, engine)] = pd.read_csv(tmp_path / "s.csv")
    ref = out[(".csv", "pandas")]
    assert len(ref) > 3
    for key, t in out.items():
        pd.testing.assert_frame_equal(t, ref, obj=str(key))


def test_duckdb_engine_refuses_the_imf_dashboard_clearly(capsys, tmp_path):
    code, rec = run(capsys, ["shares", str(IMF), "--engine", "duckdb",
                             "--csv", str(tmp_path / "s.csv")])  # fmt: skip
    assert code not in (0, 9), rec
    assert "--engine pandas" in rec["message"]


def _reconciled(tmp_path, rows):
    flows = pd.DataFrame(
        [
            {"year": y, "reporter_iso3": i, "partner_iso3": j, "flow": "export",
             "hs_code": "283691", "value_usd": v, "source": "baci test rows"}
            for y, i, j, v in rows
        ]
    )  # fmt: skip
    src = tmp_path / "flows.csv"
    flows.to_csv(src, index=False)
    return src


def test_grouping_file_dates_count_only_in_member_years(tmp_path):
    """``from``/``to`` of a grouping file are honoured per year (ITA joins in 2023)."""
    src = _reconciled(
        tmp_path,
        [(2022, "ITA", "USA", 40.0), (2022, "JPN", "USA", 60.0),
         (2023, "ITA", "USA", 40.0), (2023, "JPN", "USA", 60.0)],
    )  # fmt: skip
    g = tmp_path / "g.csv"
    g.write_text("iso3,group,from,to\nITA,msp,2023,\nJPN,msp,2022,\n")
    out = tmp_path / "s.csv"
    args = ["shares", str(src), "--basis", "partner", "--focal", "USA", "--by", str(g),
            "--csv", str(out)]  # fmt: skip
    assert main(["--quiet", *args]) == 0
    s = pd.read_csv(out).query("flow == 'import'").set_index(["year", "group"])["share_pct"]
    # 2022: only JPN (60 of 100) is a member; 2023: both
    assert s.loc[(2022, "msp")] == pytest.approx(60.0)
    assert s.loc[(2022, "unclassified")] == pytest.approx(40.0)
    assert s.loc[(2023, "msp")] == pytest.approx(100.0)


def test_shipped_grouping_name_and_overlapping_groups(capsys, tmp_path):
    src = _reconciled(tmp_path, [(2023, "ITA", "USA", 40.0), (2023, "CHN", "USA", 60.0)])
    out = tmp_path / "s.csv"
    code, _rec = run(capsys, ["shares", str(src), "--basis", "partner", "--focal", "USA",
                              "--by", "msp", "--csv", str(out)])  # fmt: skip
    assert code == 0
    s = pd.read_csv(out).query("flow == 'import'").set_index("group")["share_pct"]
    assert s.loc["msp"] == pytest.approx(40.0)  # Italy joined the MSP in 2023
    g = tmp_path / "both.csv"
    g.write_text("iso3,group,from,to\nITA,msp,2023,\nITA,eu,1958,\n")
    code, rec = run(capsys, ["shares", str(src), "--basis", "partner", "--focal", "USA",
                             "--by", str(g), "--csv", str(out)])  # fmt: skip
    assert code == 3
    assert "ITA is in several groups in 2023" in rec["message"]
