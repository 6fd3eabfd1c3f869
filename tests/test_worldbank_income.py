"""World Bank income classification readers on real excerpts (tests/data/real/worldbank)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.io.readers.worldbank_income import (
    fiscal_year_for,
    income_groups_by_year,
    read_income_class,
    read_income_history,
)

REAL = Path(__file__).parent / "data" / "real" / "worldbank"
OGHIST = REAL / "OGHIST_FY89-FY23_excerpt.xlsx"
CLASS = REAL / "CLASS_FY23_excerpt.xlsx"


def _at(h: pd.DataFrame, iso3: str, fy: int) -> str:
    return h.loc[(h["iso3"] == iso3) & (h["fy"] == fy), "income_group"].item()


def test_history_reads_the_published_workbook():
    h = read_income_history(OGHIST)
    assert list(h.columns) == ["iso3", "fy", "income_group", "marker", "name"]
    assert h.attrs["fiscal_years"] == list(range(1989, 2024))
    # the preamble row "Data for calendar year": FY89 <- 1987, FY23 <- 2021
    assert h.attrs["gni_year"][1989] == 1987
    assert h.attrs["gni_year"][2023] == 2021
    assert not any("does not follow" in n for n in h.attrs["notes"])
    # China: L until FY98, LM in FY99, L in FY00, LM FY01-FY11, UM from FY12 (as published)
    assert [_at(h, "CHN", fy) for fy in (1998, 1999, 2000, 2011, 2012, 2023)] == [
        "L",
        "LM",
        "L",
        "LM",
        "UM",
        "UM",
    ]
    # Taiwan, China: High income in every year
    tw = h[h["iso3"] == "TWN"]
    assert len(tw) == 35
    assert set(tw["income_group"]) == {"H"}
    assert tw["name"].iloc[0] == "Taiwan, China"
    assert _at(h, "USA", 2023) == "H"
    # Yemen FY89-FY90 are 'LM*': group LM with the marker
    y = h[(h["iso3"] == "YEM") & h["marker"]]
    assert y["fy"].tolist() == [1989, 1990]
    assert set(y["income_group"]) == {"LM"}
    assert int(h["marker"].sum()) == 2
    # '..' (Serbia before FY08) and blank cells (Venezuela FY22-FY23) are not rows
    assert h.loc[h["iso3"] == "SRB", "fy"].min() == 2008
    assert h.loc[h["iso3"] == "VEN", "fy"].max() == 2021
    # the former economies keep their codes, the non-ISO 'YUGf' included, and are noted
    assert {"YUG", "YUGf"} <= set(h.attrs["economies"])
    assert any("YUGf" in n for n in h.attrs["notes"])
    # Romania changes between UM and H in FY21-FY23
    assert [_at(h, "ROU", fy) for fy in (2021, 2022, 2023)] == ["H", "UM", "H"]


def test_history_bad_cell_names_row_and_column(tmp_path):
    wb = openpyxl.load_workbook(OGHIST)
    ws = wb["Country Analytical History"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "CHN")
    ws.cell(row, 3).value = "Upper"
    bad = tmp_path / "OGHIST.xlsx"
    wb.save(bad)
    with pytest.raises(ValidationError) as e:
        read_income_history(bad)
    p = e.value.problems[0]
    assert p.row == row
    assert p.column == "FY89 (C)"
    assert "'Upper'" in p.message
    assert str(bad) in str(e.value)


def test_history_wrong_workbook_or_missing_file(tmp_path):
    with pytest.raises(InputFormatError, match="no sheet 'Country Analytical History'"):
        read_income_history(CLASS)
    with pytest.raises(DataNotFoundError):
        read_income_history(tmp_path / "none.xlsx")
    csv = tmp_path / "x.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(InputFormatError, match="FY89"):
        read_income_history(csv)


def test_history_csv_conversion_semicolon(tmp_path):
    # the same cells as the real workbook, saved as a ';' CSV (as Excel does in Europe)
    ws = openpyxl.load_workbook(OGHIST, data_only=True)["Country Analytical History"]
    lines = [
        ";".join("" if v is None else str(v) for v in r) for r in ws.iter_rows(values_only=True)
    ]
    p = tmp_path / "OGHIST.csv"
    p.write_text("\n".join(lines), encoding="utf-8")
    a = read_income_history(p)
    b = read_income_history(OGHIST)
    pd.testing.assert_frame_equal(a, b)


def test_class_snapshot():
    c = read_income_class(CLASS)
    assert list(c.columns) == ["iso3", "name", "region", "income_group"]
    s = c.set_index("iso3")
    assert s.loc["TWN", ["name", "region", "income_group"]].tolist() == [
        "Taiwan, China",
        "East Asia & Pacific",
        "H",
    ]
    assert s.loc["CHN", "income_group"] == "UM"
    assert s.loc["USA", "region"] == "North America"
    assert s.loc["VEN", "income_group"] == ""
    assert c.attrs["unclassified"] == ["VEN"]
    assert c.attrs["aggregates"] == 3
    assert "WLD" not in s.index
    # CLASS (FY23) agrees with the FY23 column of OGHIST for every economy in both
    h = read_income_history(OGHIST)
    fy23 = h[h["fy"] == 2023].set_index("iso3")["income_group"]
    common = sorted(set(fy23.index) & set(s.index))
    assert len(common) == 14
    assert (s.loc[common, "income_group"] == fy23.loc[common]).all()


def test_class_bad_label_and_missing_column(tmp_path):
    wb = openpyxl.load_workbook(CLASS)
    ws = wb["List of economies"]
    ws.cell(3, 4).value = "Rich"
    bad = tmp_path / "CLASS.xlsx"
    wb.save(bad)
    with pytest.raises(ValidationError) as e:
        read_income_class(bad)
    assert (e.value.problems[0].row, e.value.problems[0].column) == (3, "Income group")
    ws.cell(1, 4).value = "Income"
    wb.save(bad)
    with pytest.raises(InputFormatError, match="Income group"):
        read_income_class(bad)


def test_trade_year_to_fiscal_year_rule():
    # FY(t) is published 1 July t-1 from GNI of t-2 (the workbook's calendar-year row)
    assert [fiscal_year_for(2011, rule=r) for r in ("published", "gni", "ending")] == [
        2012,
        2013,
        2011,
    ]
    with pytest.raises(ValueError, match="rule must be"):
        fiscal_year_for(2011, rule="july")  # type: ignore[arg-type]
    h = read_income_history(OGHIST)
    g = income_groups_by_year(h, [2010, 2011, 2021, 2022, 2023]).set_index(["iso3", "year"])
    # China became UM in FY12 (published July 2011): trade year 2011 is UM, 2010 LM
    assert g.loc[("CHN", 2010), "group"] == "Lower middle income"
    assert g.loc[("CHN", 2011), ["group", "fy"]].tolist() == ["Upper middle income", 2012]
    assert g.loc[("TWN", 2022), "group"] == "High income"
    # Venezuela unclassified from FY22: listed, empty group
    assert g.loc[("VEN", 2010), "group"] == "Upper middle income"
    assert g.loc[("VEN", 2021), "group"] == ""
    # 2023 needs FY24, which this history (FY89-FY23) does not have
    assert 2023 not in g.index.get_level_values("year")
    assert g.attrs["years_not_covered"] == [2023]
    # the 'gni' rule: 2010 -> FY12 (GNI of 2010) -> UM
    g2 = income_groups_by_year(h, [2010], rule="gni").set_index("iso3")
    assert g2.loc["CHN", "group"] == "Upper middle income"
