"""Every fixture format reads to the same hand-written canonical table."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geotrade
from geotrade.io.canonical import CANONICAL_COLUMNS
from geotrade.io.detect import detect_format
from geotrade.io.readers import (
    read_baci,
    read_canonical,
    read_comtrade,
    read_comtrade_legacy,
    read_wdi,
)

DATA = Path(__file__).parent / "data" / "flows"
NAN = np.nan

# Hand-written expectation (see tests/data/flows/README.md): China's HS 850760 records.
EXPECTED = pd.DataFrame(
    {
        "year": [2021, 2022, 2022, 2022, 2022, 2022],
        "reporter_iso3": ["CHN"] * 6,
        "partner_iso3": ["USA", "USA", "TWN", "KOR", "WLD", "_899"],
        "flow": ["export", "export", "import", "import", "export", "export"],
        "hs_code": ["850760"] * 6,
        "hs_revision": ["HS2017", "HS2022", "HS2022", "HS2022", "HS2022", "HS2022"],
        "value_usd": [4942067377.0, 10140436891.0, 1.2e9, 2.5e9, 5.0e10, 1.0e6],
        "quantity": [1.8e8, 2.5e8, NAN, 3.0e7, 9.0e8, NAN],
        "quantity_unit": ["kg", "kg", NAN, "kg", "kg", NAN],
        "valuation": ["FOB", "FOB", "CIF", "CIF", "FOB", "FOB"],
        "source": ["comtrade"] * 6,
        "source_release": [NAN] * 6,
        "is_aggregate": [False, False, False, False, True, True],
    }
)
EXPECTED["year"] = EXPECTED["year"].astype("int64")
for _c in (
    "reporter_iso3",
    "partner_iso3",
    "flow",
    "hs_code",
    "hs_revision",
    "quantity_unit",
    "valuation",
    "source",
    "source_release",
):
    EXPECTED[_c] = EXPECTED[_c].astype("str")

COLS = [*CANONICAL_COLUMNS, "is_aggregate"]


def _same(t: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(t[COLS].reset_index(drop=True), EXPECTED[COLS])


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("comtrade_api.json", "comtrade"),
        ("comtrade_plus.csv", "comtrade"),
        ("comtrade_web.csv", "comtrade"),
        ("comtrade_legacy.csv", "comtrade-legacy"),
        ("canonical.csv", "canonical"),
    ],
)
def test_each_format_reads_to_the_same_table(name: str, fmt: str) -> None:
    path = DATA / name
    assert detect_format(path) == fmt
    t = geotrade.read_flows(path)
    _same(t)
    assert t.attrs["format"] == fmt


def test_explicit_readers_agree() -> None:
    _same(read_comtrade(DATA / "comtrade_api.json"))
    _same(read_comtrade_legacy(DATA / "comtrade_legacy.csv"))
    _same(read_canonical(DATA / "canonical.csv"))


def test_comtrade_codes_and_breakdown_rows() -> None:
    t = geotrade.read_flows(DATA / "comtrade_plus.csv")
    # 490 "Other Asia, nes" is Taiwan; 0 World; 899 "Areas, nes" kept as _899
    assert dict(zip(t["partner_code"], t["partner_iso3"], strict=True)) == {
        "842": "USA",
        "490": "TWN",
        "410": "KOR",
        "0": "WLD",
        "899": "_899",
    }
    # the mode-of-transport breakdown row (motCode 2100) is left out and reported
    assert t.attrs["excluded"] == [
        {"reason": "breakdown rows (partner2/motCode/customsCode not total)", "rows": 1}
    ]


def _variants(src: Path, tmp: Path) -> list[Path]:
    out = []
    gz = tmp / (src.name + ".gz")
    with open(src, "rb") as fi, gzip.open(gz, "wb") as fo:
        shutil.copyfileobj(fi, fo)
    out.append(gz)
    zp = tmp / (src.stem + ".zip")
    with zipfile.ZipFile(zp, "w") as zf:
        zf.write(src, src.name)
        zf.writestr("Readme.txt", "downloaded for a test")
    out.append(zp)
    text = src.read_text(encoding="utf-8-sig")
    bom = tmp / ("bom_" + src.name)
    bom.write_bytes(text.encode("utf-8-sig"))
    out.append(bom)
    gbk = tmp / ("gbk_" + src.name)
    gbk.write_bytes(text.replace("China", "中国").replace("USA,USA", "USA,美国").encode("gbk"))
    out.append(gbk)
    return out


@pytest.mark.parametrize("name", ["comtrade_plus.csv", "comtrade_legacy.csv", "canonical.csv"])
def test_containers_and_encodings(name: str, tmp_path: Path) -> None:
    for path in _variants(DATA / name, tmp_path):
        _same(geotrade.read_flows(path))


def test_parquet_and_xlsx(tmp_path: Path) -> None:
    raw = pd.read_csv(DATA / "comtrade_web.csv", dtype=str, encoding="utf-8-sig")
    xlsx = tmp_path / "web.xlsx"
    raw.to_excel(xlsx, index=False, sheet_name="Data")
    _same(geotrade.read_flows(xlsx))
    _same(geotrade.read_flows(xlsx, sheet="Data"))
    pq = tmp_path / "canonical.parquet"
    EXPECTED.to_parquet(pq)
    assert detect_format(pq) == "canonical"
    _same(geotrade.read_flows(pq))
    # numeric columns in parquet (hs_code as integer, codes as numbers) are normalised too
    num = raw.copy()
    for c in ("RefYear", "ReporterCode", "PartnerCode", "PrimaryValue", "NetWgt"):
        num[c] = pd.to_numeric(num[c])
    num["CmdCode"] = 850760
    num.to_parquet(tmp_path / "web.parquet")
    _same(geotrade.read_flows(tmp_path / "web.parquet", format="comtrade"))


def test_baci_units_codes_and_release() -> None:
    t = read_baci(DATA / "BACI_HS17_Y2022_V202401.csv")
    assert detect_format(DATA / "BACI_HS17_Y2022_V202401.csv") == "baci"
    # v is thousand USD -> x 1000; q tonnes -> kg; "NA" quantity -> NaN
    assert t["value_usd"].tolist() == [10140436891.0, 1.2e9, 2.5e9, 12345.0, 1000.0]
    np.testing.assert_array_equal(t["quantity"], [2.5e8, NAN, 3.0e7, 500.0, 1.0])
    assert t["reporter_iso3"].tolist() == ["CHN", "TWN", "KOR", "CHN", "CHN"]
    # Namibia's ISO2 "NA" must not become NaN; 490 (BACI ISO3 "N/A") falls back to TWN
    assert t["partner_iso3"].tolist() == ["USA", "CHN", "CHN", "NAM", "KOR"]
    assert t["hs_code"].tolist()[-1] == "010121"  # leading zero restored
    assert set(t["valuation"]) == {"FOB"}
    assert set(t["flow"]) == {"export"}
    assert set(t["source"]) == {"baci"}
    assert set(t["source_release"]) == {"V202401"}
    assert set(t["hs_revision"]) == {"HS2017"}
    assert t.attrs["country_codes"].endswith("country_codes_V202401.csv")
    assert t.attrs["products"]["850760"].startswith("Electric accumulators")


def test_baci_reporter_view_matches_comtrade_exports_and_imports() -> None:
    t = read_baci(DATA / "BACI_HS17_Y2022_V202401.csv", reporter="CHN", hs="850760")
    key = ["partner_iso3", "flow", "value_usd"]
    got = t[key].sort_values(key).reset_index(drop=True)
    want = EXPECTED.loc[(EXPECTED["year"] == 2022) & ~EXPECTED["is_aggregate"], key]
    want = pd.concat(
        [want, pd.DataFrame({"partner_iso3": ["NAM"], "flow": ["export"], "value_usd": [12345.0]})]
    )
    want["partner_iso3"] = want["partner_iso3"].astype("str")
    want["flow"] = want["flow"].astype("str")
    pd.testing.assert_frame_equal(got, want.sort_values(key).reset_index(drop=True))


def test_baci_release_zip(tmp_path: Path) -> None:
    zp = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        for name in (
            "BACI_HS17_Y2022_V202401.csv",
            "country_codes_V202401.csv",
            "product_codes_HS17_V202401.csv",
        ):
            zf.write(DATA / name, name)
        zf.writestr(
            "BACI_HS17_Y2021_V202401.csv", "t,i,j,k,v,q\n2021,156,842,850760,4942067.377,NA\n"
        )
        zf.writestr("Readme.txt", "BACI")
    assert detect_format(zp) == "baci"
    t = geotrade.read_flows(zp)
    assert sorted(t["year"].unique().tolist()) == [2021, 2022]
    assert len(t) == 6
    assert t.loc[t["year"] == 2021, "value_usd"].tolist() == [4942067377.0]
    one = geotrade.read_flows(zp, member="BACI_HS17_Y2021_V202401.csv")
    assert len(one) == 1


def test_wdi_tidy_and_aggregates(tmp_path: Path) -> None:
    path = DATA / "API_PV.EST_DS2_en_csv_v2_123.csv"
    assert detect_format(path) == "wdi"
    t = read_wdi(path)
    chn = t[t["iso3"] == "CHN"].set_index("year")["value"]
    assert chn.to_dict() == {2012: -0.539, 2017: -0.233, 2022: -0.451}  # WGI vintage 2025-07-01
    assert t.set_index("iso3")["is_aggregate"].groupby(level=0).first().to_dict() == {
        "CHN": False,
        "EAS": True,
        "NAM": False,
    }
    assert t.attrs["aggregates_from"] == "metadata file"
    assert t.attrs["empty_cells"] == 4 + 3  # 2023 blank in 4 rows + WLD 2012, 2017, 2022
    # without the metadata file the reference table decides
    lone = tmp_path / path.name
    shutil.copy(path, lone)
    t2 = read_wdi(lone)
    assert t2.attrs["aggregates_from"] == "geotrade reference"
    assert t2.groupby("iso3")["is_aggregate"].first().to_dict() == {
        "CHN": False,
        "EAS": True,
        "NAM": False,
    }
    with pytest.raises(geotrade.GeotradeError, match="World Bank indicator file"):
        geotrade.read_flows(path)


def test_demo_csv_reads_as_canonical() -> None:
    from importlib import resources

    from geotrade.synthetic.trade import CSV_NAME, read_demo

    path = resources.files("geotrade") / "data" / "demo" / CSV_NAME
    t = geotrade.read_flows(path)
    demo = read_demo()
    assert len(t) == len(demo)
    np.testing.assert_allclose(t["value_usd"], demo["value_usd"])
    assert (t["partner_iso3"].to_numpy() == demo["partner_iso3"].to_numpy()).all()
    assert t["source"].str.startswith("synthetic").all()
