"""WDI DataBank exports (the archive's only format): the real excerpt, a zip, bad layouts."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from geotrade.errors import InputFormatError
from geotrade.io.readers.wdi import read_wdi

REAL = Path(__file__).parent / "data" / "real" / "worldbank" / "Popular_indicators_Data_excerpt.csv"


def _by_hand() -> dict[tuple[str, str, int], float]:
    """Every number of the excerpt, read with the csv module (no geotrade code)."""
    out = {}
    with REAL.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for r in rows[1:]:
        if not r[1]:
            continue  # empty rows and the footer
        for col, cell in zip(header[4:], r[4:], strict=True):
            if cell != "..":
                out[(r[3], r[1], int(col[:4]))] = float(cell)
    return out


def test_real_databank_excerpt_reads_every_number():
    t = read_wdi(REAL)
    ref = _by_hand()
    assert len(t) == len(ref)
    alias = {"ZAR": "COD", "ADO": "AND"}
    got = {(r.iso3, r.indicator, r.year): r.value for r in t.itertuples()}
    want = {(alias.get(c, c), s, y): v for (c, s, y), v in ref.items()}
    assert got == want
    assert t.attrs["format"] == "wdi_databank"
    assert t.attrs["last_updated"] == "12/22/2015"
    # ".." is missing, not zero: Andorra's exports share is all ".." in this vintage
    assert not ((t["iso3"] == "AND") & (t["indicator"] == "NE.EXP.GNFS.ZS")).any()
    # renamed ISO code mapped (ZAR -> COD); the old World Bank code ADO carries the exact
    # name of an economy ("Andorra"), so it is read as AND and reported
    assert "COD" in set(t["iso3"])
    assert "ZAR" not in set(t["iso3"])
    assert t.attrs["recoded"] == {"ADO": "AND"}
    assert not t.loc[t["iso3"] == "AND", "is_aggregate"].any()
    agg = dict(zip(t["iso3"], t["is_aggregate"], strict=False))
    assert agg["WLD"]
    assert not agg["CHN"]
    assert t.loc[(t["iso3"] == "CHN") & (t["year"] == 2000), "indicator_name"].tolist() == [
        "Exports of goods and services (% of GDP)",
        "GDP at market prices (current US$)",
    ]


def test_the_databank_zip_picks_its_data_member(tmp_path):
    z = tmp_path / "Data_Extract_From_World_Development_Indicators.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(REAL, "abc123_Data.csv")
        zf.writestr("abc123_Metadata.csv", "Code,License Type\nNY.GDP.MKTP.CD,CC BY-4.0\n")
    assert len(read_wdi(z)) == len(read_wdi(REAL))


def test_time_in_rows_layout_is_one_clear_error(tmp_path):
    bad = tmp_path / "time_rows_Data.csv"
    bad.write_text(
        "Time,Time Code,Country Name,Country Code,GDP (current US$) [NY.GDP.MKTP.CD]\n"
        "2000,YR2000,China,CHN,1205260678391.96\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFormatError) as e:
        read_wdi(bad)
    text = str(e.value)
    assert "time_rows_Data.csv" in text
    assert "Time in the columns" in text


def test_model_design_takes_a_databank_file(tmp_path, capsys):
    from geotrade.cli import main

    panel = tmp_path / "panel.csv"
    panel.write_text(
        "partner_iso3,year,exports\nUSA,2001,5\nUSA,2002,6\nCOD,2001,1\nCOD,2002,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "design.csv"
    code = main(
        ["model", "design", str(panel), "--out", str(out), "--wdi", str(REAL),
         "--names", "NY.GDP.MKTP.CD=gdp"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    import pandas as pd

    d = pd.read_csv(out).set_index(["partner_iso3", "year"])
    ref = _by_hand()
    assert d.loc[("USA", 2001), "gdp"] == pytest.approx(ref[("USA", "NY.GDP.MKTP.CD", 2001)])
    assert d.loc[("COD", 2002), "gdp"] == pytest.approx(ref[("ZAR", "NY.GDP.MKTP.CD", 2002)])


def test_a_recoded_code_keeps_its_region_from_the_metadata_file(tmp_path):
    # handwritten bulk zip in the API_ layout: the metadata file lists the code as the data
    # file gives it (ADO), so the recoded economy (AND) is still an economy, not an aggregate
    z = tmp_path / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.zip"
    data = (
        '"Data Source","World Development Indicators",\n\n"Last Updated Date","2015-12-22",\n\n'
        '"Country Name","Country Code","Indicator Name","Indicator Code","2000",\n'
        '"Andorra","ADO","GDP (current US$)","NY.GDP.MKTP.CD","1401694155.6973",\n'
        '"World","WLD","GDP (current US$)","NY.GDP.MKTP.CD","33291695779188.9",\n'
    )
    meta = '"Country Code","Region","IncomeGroup",\n"ADO","Europe & Central Asia","High income",\n'
    meta += '"WLD","","",\n'
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv", data)
        zf.writestr("Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv", meta)
    t = read_wdi(z).set_index("iso3")
    assert t.attrs["recoded"] == {"ADO": "AND"}
    assert not t.loc["AND", "is_aggregate"]
    assert t.loc["WLD", "is_aggregate"]
    assert t.loc["AND", "value"] == pytest.approx(1401694155.6973)
