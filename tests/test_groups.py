"""Group shares and balances (seed 001) on hand-computed tables."""

from __future__ import annotations

import pandas as pd
import pytest

from geotrade.errors import InputFormatError
from geotrade.metrics.groups import (
    EMDE,
    UNCLASSIFIED,
    group_table,
    partner_group_shares,
    world_group_shares,
)

COLS = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]


def flows():
    rows = [
        (2022, "CHN", "USA", "export", "850760", 50.0),
        (2022, "CHN", "IND", "export", "850760", 30.0),
        (2022, "USA", "CHN", "export", "850760", 10.0),
        (2022, "IND", "USA", "export", "850760", 10.0),
        (2022, "CHN", "WLD", "export", "850760", 90.0),  # aggregate: excluded
        (2022, "USA", "CHN", "import", "850760", 45.0),  # not used with basis="exports"
    ]
    return pd.DataFrame(rows, columns=COLS)


def test_world_shares_by_hand():
    w = world_group_shares(flows(), groups="income3", focal="CHN").set_index("group")
    # world exports = 50 + 30 + 10 + 10 = 100
    assert w.loc["CHN", ["exports_usd", "imports_usd", "balance_usd"]].tolist() == [80, 10, 70]
    assert w.loc["High income", ["exports_usd", "imports_usd"]].tolist() == [10, 60]
    assert w.loc[EMDE, ["exports_usd", "imports_usd"]].tolist() == [10, 30]
    assert w["export_share_pct"].sum() == pytest.approx(100)
    assert w["import_share_pct"].sum() == pytest.approx(100)
    assert w["balance_usd"].sum() == pytest.approx(0)  # exports basis: world balance is 0
    assert any("FY26" in n for n in w.attrs["notes"])
    assert "WLD" in w.attrs["excluded"]["partner_iso3"].tolist()
    r = world_group_shares(flows(), groups="income3", focal="CHN", basis="reported")
    r = r.set_index("group")
    assert r.loc["High income", "imports_usd"] == 45.0  # USA's reported imports


def test_partner_group_shares_income_region_and_user_mapping(tmp_path):
    f = flows()
    inc = partner_group_shares(f, focal="CHN", by="income").set_index("group")
    assert inc.loc["High income", "share_pct"] == pytest.approx(62.5)  # 50 / 80
    assert inc.loc["Lower middle income", "share_pct"] == pytest.approx(37.5)
    reg = partner_group_shares(f, focal="CHN", by="region").set_index("group")
    assert reg.loc["North America", "value_usd"] == 50.0
    assert reg.loc["South Asia", "value_usd"] == 30.0
    assert reg["share_pct"].sum() == pytest.approx(100)
    csv = tmp_path / "g.csv"
    csv.write_text("iso3,group\nUSA,MSP\n", encoding="utf-8")
    u = partner_group_shares(f, focal="CHN", by=csv).set_index("group")
    assert u.loc["MSP", "value_usd"] == 50.0
    assert u.loc[UNCLASSIFIED, "value_usd"] == 30.0  # IND not in the user grouping: kept
    assert (
        partner_group_shares(f, focal="CHN", by={"IND": "X"})
        .set_index("group")
        .loc["X", "n_partners"]
        == 1
    )


def test_history_is_used_where_given_and_snapshot_is_flagged():
    hist = pd.DataFrame({"iso3": ["CHN"], "year": [2012], "group": ["Upper middle income"]})
    g = group_table(["CHN", "USA"], [2012, 2022], groups="income", history=hist)
    g = g.set_index(["iso3", "year"])
    assert g.loc[("CHN", 2012), ["group", "source"]].tolist() == ["Upper middle income", "history"]
    assert g.loc[("CHN", 2022), "source"] == "snapshot FY26"
    assert any("2012, 2022" in n or "2022" in n for n in g.attrs["notes"])
    with pytest.raises(InputFormatError, match="unknown grouping"):
        group_table(["CHN"], [2012], groups="continents")


def test_country_totals_give_correct_world_shares_or_a_clear_error():
    # IMF-dashboard-like country totals (partner World): China 2022 LCT exports 203.2,
    # imports 93.5 (bn USD, notes/data-sources.md); two high-income economies
    from geotrade.errors import ValidationError
    from geotrade.metrics.groups import world_group_shares

    f = pd.DataFrame(
        {
            "year": 2022,
            "reporter_iso3": ["CHN", "CHN", "USA", "USA", "DEU", "DEU"],
            "partner_iso3": "WLD",
            "flow": ["export", "import"] * 3,
            "hs_code": "TOTAL",
            "value_usd": [203.2, 93.5, 100.0, 150.0, 120.0, 80.0],
        }
    )
    t = world_group_shares(f, groups="income3", focal="CHN").set_index("group")
    assert t.loc["CHN", "export_share_pct"] == pytest.approx(100 * 203.2 / 423.2)
    assert t.loc["CHN", "import_share_pct"] == pytest.approx(100 * 93.5 / 323.5)
    assert t.loc["CHN", "balance_usd"] == pytest.approx(109.7)
    assert t.loc["High income", "exports_usd"] == pytest.approx(220.0)
    assert "unclassified" not in t.index or t.loc["unclassified", "exports_usd"] == 0
    assert any("no partner detail" in n for n in t.attrs["notes"])
    with pytest.raises(ValidationError, match="need partner detail"):
        world_group_shares(f.assign(partner_iso3="_899"))


def test_world_group_shares_with_the_world_bank_history():
    # real OGHIST excerpt (tests/data/real/worldbank): China LM in FY11, UM from FY12;
    # India LM; Taiwan, China H; JPN is not in the excerpt (snapshot, noted)
    from pathlib import Path

    from geotrade.io.readers.worldbank_income import income_groups_by_year, read_income_history

    hist = read_income_history(
        Path(__file__).parent / "data" / "real" / "worldbank" / "OGHIST_FY89-FY23_excerpt.xlsx"
    )
    rows = []
    for y in (2010, 2011):
        rows += [
            (y, "CHN", "USA", "export", "850760", 60.0),
            (y, "TWN", "CHN", "export", "850760", 30.0),
            (y, "IND", "CHN", "export", "850760", 10.0),
        ]
    rows.append((2011, "JPN", "USA", "export", "850760", 100.0))
    f = pd.DataFrame(rows, columns=COLS)
    w = world_group_shares(f, groups="income", focal=None, history=hist)
    w = w.set_index(["year", "group"])["exports_usd"]
    # 2010 uses FY11 (published July 2010): CHN + IND lower middle income
    assert w[(2010, "Lower middle income")] == 70.0
    assert w[(2010, "High income")] == 30.0
    assert w[(2010, "Upper middle income")] == 0.0
    # 2011 uses FY12: CHN upper middle income; JPN from the FY26 snapshot (high income)
    assert w[(2011, "Upper middle income")] == 60.0
    assert w[(2011, "Lower middle income")] == 10.0
    assert w[(2011, "High income")] == 130.0
    notes = world_group_shares(f, groups="income", focal=None, history=hist).attrs["notes"]
    assert any("not in the income history" in n and "JPN" in n for n in notes)
    assert any("FY(Y+1)" in n for n in notes)
    # the same through income_groups_by_year (iso3, year, group), as the lead's command uses
    by_year = income_groups_by_year(hist, [2010, 2011])
    w2 = world_group_shares(f, groups="income", focal=None, history=by_year)
    assert w2.set_index(["year", "group"])["exports_usd"][(2011, "Upper middle income")] == 60.0
    # the 'gni' rule: 2010 uses FY12 (GNI of 2010): China already upper middle income
    w3 = world_group_shares(f, groups="income", focal=None, history=hist, history_rule="gni")
    assert w3.set_index(["year", "group"])["exports_usd"][(2010, "Upper middle income")] == 60.0
    # income3 with CHN as focal: Taiwan is high income, India EMDE
    w4 = world_group_shares(f[f["year"] == 2010], groups="income3", focal="CHN", history=hist)
    w4 = w4.set_index("group")["exports_usd"]
    assert (w4["CHN"], w4["High income"], w4[EMDE]) == (60.0, 30.0, 10.0)


def test_history_unclassified_year_is_not_the_snapshot():
    from pathlib import Path

    from geotrade.io.readers.worldbank_income import read_income_history

    hist = read_income_history(
        Path(__file__).parent / "data" / "real" / "worldbank" / "OGHIST_FY89-FY23_excerpt.xlsx"
    )
    # Venezuela: UM in FY21, blank (unclassified) from FY22; Serbia '..' before FY08
    g = group_table(["VEN", "SRB"], [2006, 2007, 2020, 2021], groups="income", history=hist)
    g = g.set_index(["iso3", "year"])
    assert g.loc[("VEN", 2020), "group"] == "Upper middle income"
    assert g.loc[("VEN", 2021), ["group", "source"]].tolist() == [UNCLASSIFIED, "history"]
    assert g.loc[("SRB", 2006), "group"] == UNCLASSIFIED
    assert g.loc[("SRB", 2007), "group"] == "Upper middle income"
    # a year beyond the history (2023 needs FY24) falls back to the snapshot, noted
    g2 = group_table(["CHN"], [2023], groups="income", history=hist)
    assert g2["source"].tolist() == ["snapshot FY26"]
    assert any("2023" in n and "snapshot" in n for n in g2.attrs["notes"])
    # codes in a user history are accepted as labels
    u = pd.DataFrame({"iso3": ["CHN"], "year": [2012], "group": ["UM"]})
    assert group_table(["CHN"], [2012], groups="income", history=u)["group"].item() == (
        "Upper middle income"
    )
