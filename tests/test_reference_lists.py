"""Shipped reference lists (products, country groupings) and the NAME|FILE resolvers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.groupings import (
    GROUPING_COLUMNS,
    groupings,
    list_groupings,
    load_groupings,
    members,
    membership_by_year,
    resolve_groupings,
)
from geotrade.products import (
    LCT_SCHEME,
    LCT_SECTOR_COUNTS,
    list_products,
    load_code_file,
    product_list,
    resolve_product_list,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = next(
    (p for p in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()),
    REPO.parent / "shared" / "seeds",
)


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("seed documents are in shared/, not in a clone")
    return next(SEEDS.glob(f"{prefix}_*")).read_text(encoding="utf-8")


# --- product lists ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list_products()["name"].tolist())
def test_every_shipped_product_row_is_cited_valid_hs6(name):
    t = product_list(name)
    assert t["hs_code"].str.fullmatch(r"\d{6}").all()
    assert (t["source"].str.strip() != "").all()
    assert t["hs_code"].is_unique


def test_lct_sector_counts_are_the_seed_001_numbers():
    text = _seed("001")
    # seed 001 §三: "大部分产品（30 种）归属于发电领域 ... 建筑、能源存储、污染控制、家用电器、
    # 交通和环境监测分别包括 20 种、13 种、24 种、10 种、9 种和 17 种产品"
    first = re.search(r"大部分产品（(\d+) 种）归属于发电领域", text)
    rest = re.search(
        r"建筑、能源存储、污染控制、家用电器、交通和环境监测分别包括 (\d+) 种、(\d+) 种、(\d+) 种、"
        r"(\d+) 种、(\d+) 种和 (\d+) 种产品",
        text,
    )
    assert first
    assert rest
    printed = dict(
        zip(
            [
                "power_generation",
                "building",
                "energy_storage",
                "pollution_control",
                "household_appliances",
                "transport",
                "environmental_monitoring",
            ],
            [int(first.group(1)), *map(int, rest.groups())],
            strict=True,
        )
    )
    assert printed == LCT_SECTOR_COUNTS
    # The seed's own inconsistency: the sectors add up to 123, the list has 124 products.
    assert sum(printed.values()) == 123
    assert "该清单包括 124 个按照国际通用的协调制度六位代码分类的产品" in text
    assert set(LCT_SCHEME) == set(LCT_SECTOR_COUNTS)


def test_shipped_lct_never_exceeds_the_seed_sector_counts():
    t = product_list("lct")
    for sector, n in t["sector"].value_counts().items():
        assert n <= LCT_SECTOR_COUNTS[sector]


# --- product list resolver (--product-list NAME|FILE) ----------------------------------


def _write(tmp_path: Path, text: str, name: str = "codes.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_resolve_name_and_file(tmp_path):
    assert resolve_product_list("li_chain").equals(product_list("li_chain"))
    p = _write(tmp_path, "hs_code,sector\n850760,storage\n8507.80,storage\n280530,\n")
    t = resolve_product_list(p)
    assert t["hs_code"].tolist() == ["850760", "850780", "280530"]
    assert t["sector"].tolist() == ["storage", "storage", ""]
    assert (t["source"] == "user file codes.csv").all()


def test_code_file_keeps_a_given_source(tmp_path):
    p = _write(tmp_path, "hs_code,source\n850760,IMF note\n260500,\n")
    assert load_code_file(p)["source"].tolist() == ["IMF note", "user file codes.csv"]


def test_code_file_errors_name_file_row_column(tmp_path):
    p = _write(tmp_path, "hs_code,sector\n850760,a\n85,b\n850760,c\n")
    with pytest.raises(ValidationError) as ei:
        resolve_product_list(str(p))
    got = {(pr.path, pr.row, pr.column) for pr in ei.value.problems}
    assert got == {(str(p), 3, "hs_code"), (str(p), 4, "hs_code")}
    bad = _write(tmp_path, "code,sector\n850760,a\n", "nohs.csv")
    with pytest.raises(ValidationError, match="hs_code"):
        resolve_product_list(bad)


def test_code_file_lct_scheme_checks_sector(tmp_path):
    p = _write(tmp_path, "hs_code,sector,technology\n850760,mining,battery\n")
    with pytest.raises(ValidationError) as ei:
        resolve_product_list(p, scheme="lct")
    assert [(pr.row, pr.column) for pr in ei.value.problems] == [(2, "sector")]


def test_resolve_unknown_name_or_missing_file(tmp_path):
    with pytest.raises(DataNotFoundError, match="li_ion"):
        resolve_product_list("no_such_list")
    with pytest.raises(DataNotFoundError):
        resolve_product_list(tmp_path / "missing.csv")


# --- country groupings -----------------------------------------------------------------


def test_every_shipped_grouping_row_is_cited_and_a_known_iso3():
    t = groupings()
    assert list(t.columns) == list(GROUPING_COLUMNS)
    assert (t["source"].str.strip() != "").all()
    known = set(
        pd.read_csv(REPO / "geotrade" / "data" / "countries.csv", dtype=str, keep_default_na=False)[
            "iso3"
        ]
    )
    assert set(t["iso3"]) <= known
    assert not t.duplicated(["iso3", "group"]).any()


def test_eu_enlargements_by_year():
    # hand count from the accession years: 6 founders (1958), +3 (1973), +1 (1981),
    # +2 (1986), +3 (1995), +10 (2004), +2 (2007), +1 (2013), -GBR (exit 2020-01-31)
    expected = {1957: 0, 1958: 6, 1973: 9, 1981: 10, 1986: 12, 1995: 15, 2004: 25}
    expected |= {2007: 27, 2013: 28, 2019: 28, 2020: 27, 2022: 27}
    assert {y: len(members("eu", y)) for y in expected} == expected
    assert "HRV" not in members("eu", 2012)
    assert "HRV" in members("eu", 2013)


def test_quad_is_what_seed_002_names():
    text = _seed("002")
    assert "美日印澳四方安全对话" in text
    assert members("quad") == ["AUS", "IND", "JPN", "USA"]
    assert members("quad", 1990) == members("quad", 2023)  # undated membership


def test_ipef_has_the_14_participants_of_seed_002():
    text = _seed("002")
    assert "14个“印太经济框架”参与方签署了供应链协议" in text
    assert len(members("ipef", 2023)) == 14
    assert len(members("ipef", 2022)) == 14  # the 13 of the launch + Fiji, 27 May 2022
    assert {"IDN", "PHL", "MYS", "VNM"} <= set(members("ipef"))  # named in seed 002


def test_msp_partners_by_year():
    by_year = membership_by_year(groupings("msp"), range(2021, 2025))
    counts = by_year.groupby("year").size().reindex(range(2021, 2025), fill_value=0)
    # 2022: 10 founding countries (+ the EU, not a country); 2023: + Norway, Italy, India
    # (the State Department's "14 partners" include the EU); 2024: + Estonia
    assert counts.to_dict() == {2021: 0, 2022: 10, 2023: 13, 2024: 14}


def test_us_fta_partners():
    t = groupings("us_fta")
    assert len(t) == 20
    assert t.set_index("iso3").loc["OMN", "from"] == 2009  # US Embassy Oman: 1 January 2009
    assert members("us_fta", 1984) == []
    assert members("us_fta", 1985) == ["ISR"]
    assert {"CHL"} <= set(members("us_fta", 2022))  # seed 002: 美国与智利之间有自由贸易协定


def test_list_groupings_counts():
    t = list_groupings().set_index("name")
    assert t["n_members"].to_dict() == {"eu": 28, "us_fta": 20, "msp": 14, "ipef": 14, "quad": 4}
    assert not t.loc["quad", "dated"]


def test_user_grouping_file_works_like_shipped(tmp_path):
    p = _write(
        tmp_path,
        "iso3,group,from,to\nchn,bri,2013,\nPAK,bri,2013-04-01,\nITA,bri,2019,2023\n",
        "bri.csv",
    )
    t = resolve_groupings(p)
    assert t["iso3"].tolist() == ["CHN", "PAK", "ITA"]
    assert t["from"].tolist() == [2013, 2013, 2019]
    assert members(t, 2024) == ["CHN", "PAK"]
    assert members(t, 2020) == ["CHN", "ITA", "PAK"]


def test_user_grouping_file_errors(tmp_path):
    p = _write(
        tmp_path,
        "iso3,group,from,to\n"
        "CHINA,bri,2013,\n"  # row 2 bad iso3
        "PAK,bri,13,\n"  # row 3 bad year
        "ITA,bri,2019,2018\n"  # row 4 to < from
        "ITA,bri,2019,\n"  # row 5 duplicate
        "KAZ,,2013,\n",  # row 6 empty group
        "bad.csv",
    )
    with pytest.raises(ValidationError) as ei:
        load_groupings(p)
    got = {(pr.row, pr.column) for pr in ei.value.problems}
    assert got == {(2, "iso3"), (3, "from"), (4, "to"), (5, "iso3"), (6, "group")}
    assert all(pr.path == str(p) for pr in ei.value.problems)
    with pytest.raises(ValidationError, match="group"):
        load_groupings(_write(tmp_path, "iso3,from\nCHN,2013\n", "nogroup.csv"))
    with pytest.raises(DataNotFoundError):
        resolve_groupings(tmp_path / "missing.csv")
    with pytest.raises(DataNotFoundError, match="eu"):
        resolve_groupings("no_such_group")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("iso3,group\nCIV,c\xf4te\n".encode("latin-1"))
    with pytest.raises(InputFormatError, match="UTF-8"):
        load_groupings(latin)


# --- CLI -------------------------------------------------------------------------------


def _last_json(capsys) -> dict:
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    return json.loads(lines[-1])


def test_cli_groups_list_and_show(tmp_path, capsys):
    from geotrade.cli import main

    assert main(["--json", "products", "groups"]) == 0
    assert [g["name"] for g in _last_json(capsys)["groupings"]] == [
        "eu",
        "us_fta",
        "msp",
        "ipef",
        "quad",
    ]
    out = tmp_path / "eu2004.csv"
    assert main(["--json", "products", "groups", "eu", "--year", "2004", "--csv", str(out)]) == 0
    rec = _last_json(capsys)
    assert len(rec["members"]) == 25
    assert len(pd.read_csv(out)) == 25


def test_cli_show_code_file_and_bad_grouping_file(tmp_path, capsys):
    from geotrade.cli import main

    codes = _write(tmp_path, "hs_code,sector\n850760,storage\n")
    assert main(["--json", "products", "show", str(codes)]) == 0
    assert _last_json(capsys)["products"][0]["source"] == "user file codes.csv"
    bad = _write(tmp_path, "iso3,group,from\nCHN,bri,20x3\n", "g.csv")
    assert main(["--json", "products", "groups", str(bad)]) == 5
    rec = _last_json(capsys)
    assert rec["type"] == "error"
    assert rec["problems"][0]["row"] == 2
    assert rec["problems"][0]["column"] == "from"
