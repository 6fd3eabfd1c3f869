"""Recycling input readers: encodings, aliases, validation, whitelist aggregation."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.io.recycling import (
    read_capital,
    read_prefectures,
    read_province_table,
    read_province_volumes,
    read_table,
    read_unit_table,
    read_whitelist,
)
from geotrade.metrics.recycling import whitelist_by_province

DATA = Path(__file__).parent / "data" / "recycling"


def test_gbk_province_volumes() -> None:
    df = read_province_volumes(DATA / "provinces_gbk.csv")
    assert df["province_adcode"].tolist() == [
        "150000",
        "450000",
        "360000",
        "430000",
        "440000",
        "310000",
    ]
    assert df.loc[1, "retired_t"] == 3400.0  # "3,400" with a thousands separator
    assert df["province"].iloc[0] == "内蒙古自治区"


def test_utf8_bom_and_xlsx(tmp_path: Path) -> None:
    src = pd.DataFrame({"城市": ["恩施州", "上海"], "退役量": [1, 2], "网点数": [3, 4]})
    x = tmp_path / "p.xlsx"
    src.to_excel(x, index=False)
    df = read_prefectures(x)
    assert df["adcode"].tolist() == ["422800", "310100"]
    c = tmp_path / "p.csv"
    c.write_bytes("\ufeff城市,退役量,网点数\n恩施州,1,3\n".encode())
    assert read_prefectures(c)["adcode"].tolist() == ["422800"]


def test_whitelist_aggregation_by_hand() -> None:
    w = read_whitelist(DATA / "whitelist.csv")
    assert len(w) == 6
    assert w.loc[3, "province_adcode"] == "440000"  # 廣東 (traditional)
    assert w.loc[1, "city_adcode"] == "360900"  # 宜春
    agg = whitelist_by_province(w).set_index("province_adcode")
    # by hand: 江西 50000 + 30000; 广东 10000 (+ one firm of unknown capacity)
    assert agg.loc["360000", "capacity_t"] == 80_000
    assert agg.loc["360000", "whitelist_firms"] == 2
    assert agg.loc["440000", "capacity_t"] == 10_000
    assert agg.loc["440000", "capacity_unknown_firms"] == 1
    assert agg.loc["360000", "firms_cascade"] == 1
    assert agg.loc["360000", "firms_regeneration"] == 2
    assert agg["whitelist_firms"].sum() == 6


def test_province_table_from_three_files() -> None:
    prov, notes = read_province_table(
        DATA / "provinces_gbk.csv", whitelist=DATA / "whitelist.csv", capital=DATA / "capital.csv"
    )
    p = prov.set_index("province_adcode")
    assert p.loc["150000", "capacity_t"] == 0
    assert p.loc["150000", "whitelist_firms"] == 0
    assert p.loc["310000", "registered_capital_cny"] == 64e8
    assert notes["capacity_unknown_firms"] == 1


def test_all_problems_in_one_error() -> None:
    with pytest.raises(ValidationError) as ei:
        read_prefectures(DATA / "prefectures_bad.csv")
    probs = ei.value.problems
    where = {(p.row, p.column) for p in probs}
    assert (3, "city") in where  # 苏洲 misspelt
    assert (5, "retired_t") in where  # negative
    assert (6, "city") in where  # Atlantis
    assert all(p.path.endswith("prefectures_bad.csv") for p in probs)
    assert any("苏州市 (320500)" in p.message for p in probs)


def test_city_not_in_province() -> None:
    csv = "city,province,retired_t,outlets\n苏州,浙江,1,1\n".encode()
    with pytest.raises(ValidationError, match="not in"):
        read_prefectures(io.BytesIO(csv))


def test_duplicates_and_bad_years() -> None:
    csv = "province,year,retired_t\n广东,2025,1\n广东省,2025,2\n江西,20x5,1\n".encode()
    with pytest.raises(ValidationError) as ei:
        read_province_volumes(io.BytesIO(csv))
    msgs = [(p.row, p.column) for p in ei.value.problems]
    assert (3, "province") in msgs
    assert (4, "year") in msgs


def test_capital_units() -> None:
    csv = "province,registered_capital_10k_cny\n北京,12\n".encode()
    assert read_capital(io.BytesIO(csv))["registered_capital_cny"].tolist() == [120_000.0]


def test_bad_whitelist_type() -> None:
    csv = "name,province,type\nA,江西,拆解\n".encode()
    with pytest.raises(ValidationError, match="enterprise type"):
        read_whitelist(io.BytesIO(csv))


def test_missing_file_and_columns(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError):
        read_table(tmp_path / "nope.csv")
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="needs column"):
        read_province_volumes(f)


def test_unit_table_year_selection_keeps_row_numbers() -> None:
    csv = "province,year,d,s\n广东,2024,1,1\n广东,2025,1,1\nAtlantis,2025,1,1\n".encode()
    with pytest.raises(ValidationError) as ei:
        read_unit_table(io.BytesIO(csv), level="province", numeric=["d", "s"], year=2025)
    assert ei.value.problems[0].row == 4


# ---------------------------------------------------------------- real English-named table
REAL = Path(__file__).parent / "data" / "real" / "lunar"


def test_real_english_table_needs_aliases_and_suggests_near_misses() -> None:
    from geotrade.io.recycling import read_unit_table

    with pytest.raises(ValidationError) as ei:
        read_unit_table(REAL / "s1_excerpt.csv", level="prefecture", numeric=["m"])
    probs = {(p.row, p.column): p.message for p in ei.value.problems}
    # only the non-pinyin English names and the misspelling fail; the 'prov' column was
    # found by content and decided Fuzhou/Suzhou/Taizhou/Yichun/Yulin
    assert sorted(probs) == [(3, "city"), (9, "city"), (13, "city"), (29, "city"), (35, "city")]
    assert "closest: 湛江市 (Zhanjiang, 440800)" in probs[(35, "city")]
    assert "closest: 锡林郭勒盟 (Xilinguole, 152500)" in probs[(29, "city")]
    assert "no reference name is close" in probs[(9, "city")]  # Ordos


def test_real_english_table_with_aliases() -> None:
    from geotrade.io.recycling import read_unit_table
    from geotrade.names import load_aliases

    t = read_unit_table(
        REAL / "s1_excerpt.csv",
        level="prefecture",
        numeric=["m"],
        key="city",
        province_key="prov",
        aliases=load_aliases(REAL / "aliases.csv"),
    )
    got = dict(zip(t["name_input"] + "/" + t["province_input"], t["adcode"], strict=True))
    assert len(t) == 36
    assert t["adcode"].is_unique
    assert got["Aba Tibetan and Qiang Autonomous Prefecture/Sichuan"] == "513200"
    assert got["Xiangxi Tujia and Miao Autonomous Prefecture/Hunan"] == "433100"
    assert got["Fuzhou/Fujian"] == "350100"
    assert got["Fuzhou/Jiangxi"] == "361000"
    assert got["Suzhou/Jiangsu"] == "320500"
    assert got["Suzhou/Anhui"] == "341300"
    assert got["Taizhou/Zhejiang"] == "331000"
    assert got["Taizhou/Jiangsu"] == "321200"
    assert got["Yichun/Heilongjiang"] == "230700"
    assert got["Yichun/Jiangxi"] == "360900"
    assert got["Yulin/Shaanxi"] == "610800"
    assert got["Yulin/Guangxi"] == "450900"
    assert got["Beijing/Beijing"] == "110100"
    assert got["Chongqing/Chongqing"] == "500000"
    assert got["Lan'zhou/Gansu"] == "620100"
    assert got["Luliang/Shanxi"] == "141100"
    assert got["Baisha Li Autonomous County/Hainan"] == "469025"
    assert got["Hohhot/Inner Mongolia"] == "150100"
    assert t.loc[t["adcode"] == "430100", "m"].item() == 3416530.0


def test_misspelt_province_header_and_wrong_province(tmp_path: Path) -> None:
    from geotrade.io.recycling import read_prefectures

    f = tmp_path / "p.csv"
    f.write_text(
        "City,Procince,retired_t,outlets\nTaizhou,Jiangsu,10,1\nTaizhou,Zhejiang,20,2\n"
        "Anshan City,Hebei,5,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as ei:
        read_prefectures(f)
    (p,) = ei.value.problems
    assert (p.row, p.column) == (4, "Procince")  # the file's own header is reported
    assert "鞍山市 (210300)" in p.message
    f.write_text(
        "City,Procince,retired_t,outlets\nTaizhou,Jiangsu,10,1\nTaizhou,Zhejiang,20,2\n",
        encoding="utf-8",
    )
    assert read_prefectures(f)["adcode"].tolist() == ["321200", "331000"]
    assert read_prefectures(f, key="City", province_key="Procince")["adcode"].tolist() == [
        "321200",
        "331000",
    ]
