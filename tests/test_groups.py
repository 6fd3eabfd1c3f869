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
