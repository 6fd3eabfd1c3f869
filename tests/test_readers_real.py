"""Readers on small excerpts of real public files (tests/data/real/PROVENANCE.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import geotrade
from geotrade.cli import app, main
from geotrade.errors import InputFormatError, ValidationError
from geotrade.io.canonical import hs_level, hs_match, normalise_hs_filter
from geotrade.io.detect import detect_format
from geotrade.io.flows import inspect_flows
from geotrade.io.readers import read_comtrade_legacy, read_imf_lct, read_wits
from geotrade.io.readers._codes import map_codes
from geotrade.io.readers.baci import _overrides, baci_file_info, read_baci_country_codes

REAL = Path(__file__).parent / "data" / "real"
WITS = REAL / "wits" / "Import_Export_by_Industry_SG_excerpt.csv"
LEGACY = REAL / "comtrade_legacy" / "live_animals_2016_excerpt.csv"
LCT = REAL / "imf_lct" / "Trade_in_Low_Carbon_Technology_Products_excerpt.csv"
WITS_HEADER = (
    "Nomenclature;ReporterISO3;ProductCode;ReporterName;PartnerISO3;PartnerName;Year;"
    "TradeFlowName;TradeFlowCode;TradeValue in 1000 USD\n"
)
runner = CliRunner()


# --- WITS ----------------------------------------------------------------------------------


def test_wits_real_excerpt() -> None:
    assert detect_format(WITS) == "wits"
    t = geotrade.read_flows(WITS)
    assert t.attrs["format"] == "wits"
    assert len(t) == 12
    first = t.iloc[0]
    # file row: H6,SGP,91,Singapore,MYS,Malaysia,2023,Export,6,477741.105 (thousand USD)
    assert (first["year"], first["reporter_iso3"], first["partner_iso3"]) == (2023, "SGP", "MYS")
    assert (first["flow"], first["hs_code"], first["hs_revision"]) == ("export", "91", "HS2022")
    assert first["value_usd"] == pytest.approx(477_741_105.0)
    assert first["valuation"] == "FOB"
    assert first["source"] == "wits"
    assert set(hs_level(t["hs_code"])) == {"HS2"}
    imports = t.loc[t["flow"] == "import"]
    assert set(imports["valuation"]) == {"CIF"}


def test_wits_semicolon_total_and_legacy_codes(tmp_path: Path) -> None:
    # hand-made rows in the published layout (see notes/real-data.md): semicolons, " Total",
    # legacy World Bank codes and WITS groups
    p = tmp_path / "wits.csv"
    p.write_text(
        WITS_HEADER + "H6;CHN; Total;China;OAS;Other Asia, nes;2022;Import;5;2.5\n"
        "H6;ROM;850760;Romania;EUN;European Union;2022;Export;6;1\n"
        "H6;CHN;850760;China;UNS;Unspecified;2022;Export;6;3\n"
        "H6;CHN;850760;China;ZAR;Congo, Dem. Rep.;2022;Export;6;4\n"
        "H6;CHN;850760;China;WLD;World;2022;Export;6;10\n",
        encoding="utf-8",
    )
    assert detect_format(p) == "wits"
    t = read_wits(p)
    assert t["partner_iso3"].tolist() == ["TWN", "EUN", "UNS", "COD", "WLD"]
    assert t["reporter_iso3"].tolist() == ["CHN", "ROU", "CHN", "CHN", "CHN"]
    assert t["partner_code"].tolist() == ["OAS", "EUN", "UNS", "ZAR", "WLD"]
    assert t["hs_code"].tolist()[:2] == ["TOTAL", "850760"]
    assert t["value_usd"].tolist() == [2500.0, 1000.0, 3000.0, 4000.0, 10000.0]
    assert t["is_aggregate"].tolist()[1:] == [True, True, False, True]
    # filters: a heading keeps its subheadings
    assert len(read_wits(p, hs="8507")) == 4
    assert len(read_wits(p, hs="TOTAL")) == 1


def test_wits_unknown_code_and_gross_flow(tmp_path: Path) -> None:
    p = tmp_path / "wits.csv"
    p.write_text(
        WITS_HEADER + "H6;CHN;850760;China;QQQ;Nowhere;2022;Export;6;1\n"
        "H6;CHN;850760;China;USA;USA;2022;Gross Exp.;6;1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as exc:
        read_wits(p)
    found = {(q.row, q.column) for q in exc.value.problems}
    assert found == {(2, "PartnerISO3"), (3, "TradeFlowName")}
    assert "QQQ" in str(exc.value)
    assert "Gross Exp." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        read_wits(p, unknown_codes="keep")
    assert {(q.row, q.column) for q in exc.value.problems} == {(3, "TradeFlowName")}


# --- legacy Comtrade -------------------------------------------------------------------------


def test_legacy_comtrade_real_variant_headers() -> None:
    # TradeFlow Code / TradeFlow / TradeValueUS / Netweightkg / Aggregate Level 2
    assert detect_format(LEGACY) == "comtrade-legacy"
    t = read_comtrade_legacy(LEGACY)
    assert len(t) == 12
    assert set(t["hs_code"]) == {"01"}
    assert set(t["partner_iso3"]) == {"WLD"}
    row = t.loc[(t["reporter_iso3"] == "AUS") & (t["flow"] == "export")].iloc[0]
    assert row["value_usd"] == 1_398_835_890.0  # TradeValueUS as published
    assert row["hs_revision"] == "HS2012"  # H4
    assert set(t.loc[t["reporter_iso3"] == "AUS", "flow"]) == {"import", "export", "re-import"}


def test_legacy_aggregate_level_restores_zeros(tmp_path: Path) -> None:
    head = LEGACY.read_text(encoding="utf-8").splitlines()[:2]
    # the same real row with the code as a spreadsheet saves it (01 -> 1)
    cells = head[1].split(",")
    i = head[0].split(",").index("Commodity Code")
    cells[i] = "1"
    p = tmp_path / "legacy.csv"
    p.write_text(head[0] + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    assert read_comtrade_legacy(p)["hs_code"].tolist() == ["01"]


# --- HS levels and filters -------------------------------------------------------------------


def test_hs_filter_rule() -> None:
    assert normalise_hs_filter("8507") == ["8507"]
    codes = pd.Series(["8507", "850760", "850780", "850440", "TOTAL"])
    assert hs_match(codes, ["8507"]).tolist() == [True, True, True, False, False]
    assert hs_match(codes, ["850760"]).tolist() == [False, True, False, False, False]
    with pytest.raises(InputFormatError, match="2 digits"):
        normalise_hs_filter("85076000")


def test_cli_parse_hs_keeps_headings() -> None:
    from geotrade.commands.trade import parse_hs

    assert parse_hs("8507, 850760") == ["8507", "850760"]


# --- IMF LCT ---------------------------------------------------------------------------------


def test_imf_lct_china_2022() -> None:
    assert detect_format(LCT) == "imf-lct"
    t = read_imf_lct(LCT)
    chn = t.loc[(t["iso3"] == "CHN") & (t["year"] == 2022)].set_index("flow")
    # notes/data-sources.md: exports 203.24 bn, imports 93.55 bn, balance +109.69 bn
    assert chn.loc["export", "value_usd"] / 1e9 == pytest.approx(203.24, abs=0.005)
    assert chn.loc["import", "value_usd"] / 1e9 == pytest.approx(93.55, abs=0.005)
    assert chn.loc["balance", "value_usd"] / 1e9 == pytest.approx(109.69, abs=0.005)
    # balance = exports - imports, total = exports + imports (independent check)
    assert chn.loc["balance", "value_usd"] == pytest.approx(
        chn.loc["export", "value_usd"] - chn.loc["import", "value_usd"], rel=1e-9
    )
    assert chn.loc["total", "value_usd"] == pytest.approx(
        chn.loc["export", "value_usd"] + chn.loc["import", "value_usd"], rel=1e-9
    )
    ind = t.loc[(t["iso3"] == "CHN") & (t["year"] == 2022)]
    assert ind["indicator"].nunique() == 11
    assert ind["value_usd"].notna().sum() == 4  # only the US-dollar indicators
    rca = ind.loc[ind["unit"] == "Index", "value"].iloc[0]
    assert rca == pytest.approx(1.277, abs=5e-4)


def test_imf_lct_taiwan_world_and_no_iso3_rows() -> None:
    t = read_imf_lct(LCT)
    assert "TWN" in set(t["iso3"])
    assert not t.loc[t["iso3"] == "TWN", "is_aggregate"].any()
    world = t.loc[t["iso3"] == "WLD"]
    assert world["is_aggregate"].all()
    assert len(world)
    w22 = world.loc[(world["year"] == 2022) & (world["flow"] == "export"), "value_usd"]
    assert w22.iloc[0] / 1e9 == pytest.approx(1091.2, abs=0.05)  # notes/data-sources.md
    assert t.attrs["no_iso3"] == []  # Belgium-Luxembourg is the historical economy _58
    assert (t.loc[t["country"] == "Belgium-Luxembourg", "iso3"] == "_58").all()


def test_imf_lct_scale_applied(tmp_path: Path) -> None:
    text = LCT.read_text(encoding="utf-8-sig").replace(",Units,", ",Thousands,")
    p = tmp_path / "lct_thousands.csv"
    p.write_text(text, encoding="utf-8")
    a, b = read_imf_lct(LCT), read_imf_lct(p)
    assert b["value"].to_numpy() == pytest.approx(a["value"].to_numpy() * 1000)


def test_imf_lct_not_a_flow_table_and_inspect() -> None:
    with pytest.raises(InputFormatError, match="read_imf_lct"):
        geotrade.read_flows(LCT)
    s = inspect_flows(LCT)
    assert s["format"] == "imf-lct"
    tot = {(r["year"], r["flow"]): r for r in s["totals"]}
    # CHN + USA + DEU + TWN exports 2022, independent sum from the tidy table
    t = read_imf_lct(LCT)
    sel = t.loc[(t["year"] == 2022) & (t["flow"] == "export") & ~t["is_aggregate"]]
    assert tot[(2022, "export")]["value_usd"] == pytest.approx(sel["value_usd"].sum())
    assert tot[(2022, "export")]["rows"] == 4
    res = runner.invoke(app, ["flows", "inspect", str(LCT)])
    assert res.exit_code == 0, res.output
    assert "imf-lct" in res.output


# --- BACI ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["country_codes_V202301_excerpt.csv", "country_codes_V202501_excerpt.csv"]
)
def test_baci_country_code_headers(name: str) -> None:
    codes = read_baci_country_codes(REAL / "baci" / name)
    assert len(codes) >= 30
    by = dict(zip(codes["code"], codes["iso3"], strict=True))
    assert by["156"] == "CHN"
    assert by["516"] == "NAM"
    assert codes["name"].notna().all()
    mapped, _ = map_codes(
        pd.Series(["490", "842", "58", "156"]), include_former=True, overrides=_overrides(codes)
    )
    # 490: N/A (V2023) or S19 (V2025) is TWN; 58 Belgium-Luxembourg stays a historical economy
    assert mapped.tolist() == ["TWN", "USA", "_58", "CHN"]


@pytest.mark.parametrize(
    ("tag", "rev"),
    [
        ("HS92", "HS1992"),
        ("HS96", "HS1996"),
        ("HS02", "HS2002"),
        ("HS07", "HS2007"),
        ("HS12", "HS2012"),
        ("HS17", "HS2017"),
        ("HS22", "HS2022"),
    ],
)
def test_baci_revisions_from_file_names(tag: str, rev: str) -> None:
    info = baci_file_info(f"BACI_{tag}_Y1995_V202301.csv")
    assert info == {"hs_revision": rev, "source_release": "V202301", "year": "1995"}


# --- flows inspect with no usable row --------------------------------------------------------


def test_inspect_fails_when_no_usable_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(WITS_HEADER + "H6;CHN;850760;China;USA;USA;2022;Export;6;lots\n")
    assert main(["flows", "inspect", str(p)]) == ValidationError.exit_code
    err = capsys.readouterr().err
    assert "0 usable rows" in err
    assert "'lots'" in err


def test_inspect_reports_levels() -> None:
    res = runner.invoke(app, ["--json", "flows", "inspect", str(WITS)])
    assert res.exit_code == 0, res.output
    rec = [json.loads(x) for x in res.output.splitlines() if '"result"' in x][-1]
    assert rec["levels"] == {"HS2": 12}


def test_imf_lct_inspect_lists_the_11_indicators() -> None:
    s = inspect_flows(LCT)
    assert s["products"]["count"] == 11
    assert s["indicators"]["Exports of low carbon technology products"] == "US Dollars"
