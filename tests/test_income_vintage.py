"""Income vintage of group shares: ``income_vintage`` latest|historical, the FY89-FY25 OGHIST.

Real data: ``tests/data/real/worldbank/OGHIST_FY89-FY25_excerpt.xlsx`` (World Bank OGHIST
of July 2024, CC BY 4.0, see PROVENANCE.md) and the FY89-FY23 excerpt of July 2022. The
flow tables below are small hand-made test rows (not trade statistics): they only carry
the economies whose classification is checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geotrade.cli import main
from geotrade.errors import InputFormatError
from geotrade.io.readers.worldbank_income import read_income_history
from geotrade.metrics.groups import UNCLASSIFIED, group_table, world_group_shares

REAL = Path(__file__).parent / "data" / "real" / "worldbank"
FY25 = REAL / "OGHIST_FY89-FY25_excerpt.xlsx"
FY23 = REAL / "OGHIST_FY89-FY23_excerpt.xlsx"
HIST_ARGS = ["--income-vintage", "historical", "--income-history", str(FY25)]
COLS = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]


@pytest.fixture(scope="module")
def hist25() -> pd.DataFrame:
    return read_income_history(FY25)


def test_fy25_vintage_is_read_as_published(hist25):
    h = hist25
    assert h.attrs["fiscal_years"] == list(range(1989, 2026))
    # "Data for calendar year :" row of the workbook: FY25 <- GNI of 2023 (t - 2)
    assert h.attrs["gni_year"][2025] == 2023
    assert h.attrs["gni_year"][1989] == 1987
    g = h.set_index(["iso3", "fy"])["income_group"]
    # July 2024 reclassifications in this workbook: Russia UM -> H, Algeria LM -> UM
    assert (g[("RUS", 2024)], g[("RUS", 2025)]) == ("UM", "H")
    assert (g[("DZA", 2024)], g[("DZA", 2025)]) == ("LM", "UM")
    # Taiwan, China: high income in every fiscal year
    twn = h[h["iso3"] == "TWN"]
    assert len(twn) == 37
    assert set(twn["income_group"]) == {"H"}
    assert twn["name"].iloc[0] == "Taiwan, China"
    # the '*' marker (Yemen FY89-FY90) and the former economies below the footnote
    assert h.loc[h["marker"], ["iso3", "fy"]].values.tolist() == [["YEM", 1989], ["YEM", 1990]]
    assert {"CSK", "ANT", "YUG", "SUN", "YUGf", "MYT"} <= set(h["iso3"])
    myt = h[h["iso3"] == "MYT"]
    assert (myt["fy"].min(), myt["fy"].max()) == (1992, 2012)
    # Venezuela: blank (unclassified) from FY22, so no rows
    assert h[h["iso3"] == "VEN"]["fy"].max() == 2021


def test_two_published_vintages_agree_on_the_common_years(hist25):
    # OGHIST keeps each year's classification "as published on July 1 of each fiscal
    # year": the July 2022 and July 2024 workbooks must agree on FY89-FY23
    old = read_income_history(FY23)
    common = set(old["iso3"]) & set(hist25["iso3"])
    assert {"CHN", "USA", "TWN", "YEM", "YUGf", "SRB"} <= common
    new = hist25[hist25["iso3"].isin(common) & (hist25["fy"] <= 2023)]
    old = old[old["iso3"].isin(common)]
    key = ["iso3", "fy"]
    m = old.merge(new, on=key, how="outer", suffixes=("_22", "_24"), indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["income_group_22"] == m["income_group_24"]).all()
    assert (m["marker_22"] == m["marker_24"]).all()


def test_income_vintage_option(hist25):
    econ, years = ["TWN", "RUS", "SRB", "CHN"], [2006, 2024]
    latest = group_table(econ, years, groups="income", income_vintage="latest")
    hist = group_table(econ, years, groups="income", history=hist25, income_vintage="historical")
    assert latest.attrs["income_vintage"] == "latest"
    assert hist.attrs["income_vintage"] == "historical"
    lt = latest.set_index(["iso3", "year"])["group"]
    ht = hist.set_index(["iso3", "year"])["group"]
    # Taiwan is high income in the latest vintage too, as in the World Bank's CLASS
    # workbook (the WDI metadata behind the FY26 snapshot leaves it out), and in the history
    assert lt[("TWN", 2024)] == "High income"
    assert ht[("TWN", 2006)] == ht[("TWN", 2024)] == "High income"
    # 2024 -> FY25 (published July 2024): Russia high income; 2006 -> FY07: Serbia '..'
    assert ht[("RUS", 2024)] == "High income"
    assert ht[("SRB", 2006)] == UNCLASSIFIED
    assert ht[("CHN", 2006)] == "Lower middle income"
    # the rule is explicit: 'ending' gives FY24 for 2024 (Russia still upper middle)
    end = group_table(["RUS"], [2024], groups="income", history=hist25, history_rule="ending")
    assert end["group"].item() == "Upper middle income"
    # None keeps the old behaviour: a history means historical
    assert group_table(econ, years, history=hist25).attrs["income_vintage"] == "historical"


@pytest.mark.parametrize(
    ("vintage", "with_history", "needle"),
    [
        ("historical", False, "needs history="),
        ("latest", True, "would ignore the history"),
        ("2024", False, "must be 'latest' or 'historical'"),
    ],
)
def test_income_vintage_errors(hist25, vintage, with_history, needle):
    f = pd.DataFrame([(2024, "CHN", "USA", "export", "850760", 1.0)], columns=COLS)
    with pytest.raises(InputFormatError, match=needle):
        world_group_shares(
            f, groups="income", history=hist25 if with_history else None, income_vintage=vintage
        )


def _flows(tmp_path: Path) -> Path:
    rows = [
        (2006, "CHN", "USA", "export", "850780", "HS2002", 60.0),
        (2006, "TWN", "CHN", "export", "850780", "HS2002", 30.0),
        (2006, "SRB", "DEU", "export", "850780", "HS2002", 10.0),
        (2024, "RUS", "CHN", "export", "850760", "HS2022", 50.0),
        (2024, "TWN", "USA", "export", "850760", "HS2022", 20.0),
        (2024, "CHN", "DEU", "export", "850760", "HS2022", 30.0),
    ]
    t = pd.DataFrame(
        rows,
        columns=[
            "year",
            "reporter_iso3",
            "partner_iso3",
            "flow",
            "hs_code",
            "hs_revision",
            "value_usd",
        ],
    )
    t["valuation"] = "FOB"
    t["source"] = "test"
    p = tmp_path / "flows.csv"
    t.to_csv(p, index=False)
    return p


def _exports(path: Path) -> pd.Series:
    s = pd.read_csv(path)
    return s.set_index(["year", "group"])["exports_usd"]


def test_shares_command_income_vintage(tmp_path, capsys):
    flows = _flows(tmp_path)
    out = tmp_path / "s.csv"
    base = ["--json", "shares", str(flows), "--by", "income", "--csv", str(out)]
    hist = HIST_ARGS
    assert main([*base, *hist]) == 0
    rec = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert any("user-supplied OGHIST" in n and "FY89-FY25" in n for n in rec["notes"])
    e = _exports(out)
    # 2006 (FY07): CHN LM, TWN H, SRB '..' -> unclassified (not the FY26 snapshot)
    assert e[(2006, "Lower middle income")] == 60.0
    assert e[(2006, "High income")] == 30.0
    assert e[(2006, UNCLASSIFIED)] == 10.0
    # 2024 (FY25, published July 2024): RUS and TWN high income, CHN upper middle
    assert e[(2024, "High income")] == 70.0
    assert e[(2024, "Upper middle income")] == 30.0
    # --income-fy-rule ending: 2024 -> FY24, Russia upper middle income
    assert main([*base, *hist, "--income-fy-rule", "ending"]) == 0
    capsys.readouterr()
    e = _exports(out)
    assert (e[(2024, "High income")], e[(2024, "Upper middle income")]) == (20.0, 80.0)
    # latest: the FY26 snapshot (Taiwan high income as in CLASS): nothing unclassified
    assert main([*base, "--income-vintage", "latest"]) == 0
    capsys.readouterr()
    latest = _exports(out)
    assert (2024, UNCLASSIFIED) not in latest.index or latest[(2024, UNCLASSIFIED)] == 0.0


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--income-vintage", "historical"], "needs --income-history"),
        (["--income-history", str(FY25)], "only with --income-vintage historical"),
        (
            [*HIST_ARGS, "--income-fy-rule", "july"],
            "published, gni or ending",
        ),
    ],
)
def test_shares_command_income_option_errors(tmp_path, capsys, extra, needle):
    flows = _flows(tmp_path)
    args = ["--json", "shares", str(flows), "--by", "income", "--csv", str(tmp_path / "s.csv")]
    assert main([*args, *extra]) == 2
    assert needle in capsys.readouterr().out


def test_a_gap_in_the_fiscal_year_header_is_an_error(tmp_path):
    # e.g. header cells that are formulas without a saved value: years would be lost
    p = tmp_path / "OGHIST.csv"
    p.write_text(
        "World Bank Analytical Classifications\n"
        ",Bank's fiscal year:,FY16,FY17,,FY19\n"
        "CHN,China,UM,UM,UM,UM\n"
    )
    with pytest.raises(InputFormatError, match=r"row 2, column '\(empty\) \(E\)'.*FY18"):
        read_income_history(p)
