"""Chinese admin-name matching: real-world spelling variants -> GB/T 2260 adcodes."""

from __future__ import annotations

import pandas as pd
import pytest

from geotrade.errors import InputFormatError, ValidationError
from geotrade.names import (
    detect_admin_columns,
    latin_key,
    load_aliases,
    match_admin,
    name_index,
    normalize_name,
    resolve_admin_column,
)
from geotrade.reference import china_admin

# (spelling, level, expected adcode): the adcodes are from the reference table, checked
# below against its official names, so a wrong mapping here cannot pass silently.
VARIANTS = [
    ("内蒙古", "province", "150000"),
    ("内蒙古自治区", "province", "150000"),
    ("Inner Mongolia", "province", "150000"),
    ("广西", "province", "450000"),
    ("广西壮族自治区", "province", "450000"),
    ("Guangxi Zhuang Autonomous Region", "province", "450000"),
    ("新疆", "province", "650000"),
    ("新疆维吾尔自治区", "province", "650000"),
    ("宁夏回族自治区", "province", "640000"),
    ("宁夏", "province", "640000"),
    ("西藏", "province", "540000"),
    ("Tibet", "province", "540000"),
    ("香港特别行政区", "province", "810000"),
    ("香港", "province", "810000"),
    ("Hong Kong SAR", "province", "810000"),
    ("澳门", "province", "820000"),
    ("Macau", "province", "820000"),
    ("台湾", "province", "710000"),
    ("台湾省", "province", "710000"),
    ("廣東省", "province", "440000"),
    ("\u3000广东\u3000", "province", "440000"),
    ("Shaanxi", "province", "610000"),
    ("Shanxi", "province", "140000"),
    ("沪", "province", "310000"),
    ("黑龙江省", "province", "230000"),
    ("420000", "province", "420000"),
    ("420000.0", "province", "420000"),
    ("恩施州", "prefecture", "422800"),
    ("恩施土家族苗族自治州", "prefecture", "422800"),
    ("恩施", "prefecture", "422800"),
    ("湖北省恩施州", "prefecture", "422800"),
    ("延边朝鲜族自治州", "prefecture", "222400"),
    ("延边州", "prefecture", "222400"),
    ("大兴安岭地区", "prefecture", "232700"),
    ("大兴安岭", "prefecture", "232700"),
    ("锡林郭勒盟", "prefecture", "152500"),
    ("锡林郭勒", "prefecture", "152500"),
    ("黔东南州", "prefecture", "522600"),
    ("巴音郭楞蒙古自治州", "prefecture", "652800"),
    ("巴州", "prefecture", None),  # colloquial abbreviation: not guessed
    ("海东地区", "prefecture", "630200"),  # former 地区, now 海东市
    ("襄樊", "prefecture", "420600"),  # former name of 襄阳
    ("苏州", "prefecture", "320500"),
    ("上海", "prefecture", "310100"),
    ("重庆市", "prefecture", "500000"),
    ("济源", "prefecture", "419001"),
    # English / pinyin spellings as they occur in research tables (tests/data/real/lunar)
    ("Aba Tibetan and Qiang Autonomous Prefecture", "prefecture", "513200"),
    ("Xiangxi Tujia and Miao Autonomous Prefecture", "prefecture", "433100"),
    ("Enshi Tujia and Miao Autonomous Prefecture", "prefecture", "422800"),
    ("Qiandongnan Miao and Dong Autonomous Prefecture", "prefecture", "522600"),
    ("Haixi Mongolian and Tibetan Autonomous Prefecture", "prefecture", "632800"),
    ("Baisha Li Autonomous County", "prefecture", "469025"),
    ("Ding'an County", "prefecture", "469021"),
    ("Shennongjia Forest Area", "prefecture", "429021"),
    ("Anshan City", "prefecture", "210300"),
    ("anshanshi", "prefecture", "210300"),
    ("Enshizhou", "prefecture", "422800"),
    ("Hetian Diqu", "prefecture", "653200"),
    ("Alashan Meng", "prefecture", "152900"),
    ("Xing'an League", "prefecture", "152200"),
    ("Lan'zhou", "prefecture", "620100"),
    ("Ma'anshan", "prefecture", "340500"),
    ("MAANSHAN", "prefecture", "340500"),
    ("Xī'ān", "prefecture", "610100"),
    ("Lüliang", "prefecture", "141100"),
    ("Lvliang", "prefecture", "141100"),
    ("Luliang", "prefecture", "141100"),
    ("lu-an", "prefecture", "341500"),
    ("Nan Chong", "prefecture", "511300"),
    ("Beijing", "prefecture", "110100"),
    ("Chongqing", "prefecture", "500000"),
    ("Shanxi", "province", "140000"),
    ("Shaanxi Province", "province", "610000"),
    ("Inner Mongolia", "province", "150000"),
    ("Xinjiang Uygur Autonomous Region", "province", "650000"),
    # polyphonic characters (hand-written expectations)
    ("Chongqing", "province", "500000"),
    ("Changsha", "prefecture", "430100"),
    ("Xiamen", "prefecture", "350200"),
    ("Bengbu", "prefecture", "340300"),
    ("Lishui", "prefecture", "331100"),
    ("Leshan", "prefecture", "511100"),
    ("Changzhi", "prefecture", "140400"),
    ("Chaoyang", "prefecture", "211300"),
    ("Luohe", "prefecture", "411100"),
    ("Changdu", "prefecture", "540300"),
    ("Aletai", "prefecture", "654300"),
    # municipalities in both code forms
    ("110000", "prefecture", "110100"),
    ("310000", "prefecture", "310100"),
    ("500100", "prefecture", "500000"),
    ("110100", "province", "110000"),
    ("500100", "province", "500000"),
    # not pinyin: needs an alias file
    ("Hohhot", "prefecture", None),
    ("Yichun", "prefecture", None),  # ambiguous without a province
]


@pytest.mark.parametrize(("spelling", "level", "expected"), VARIANTS)
def test_variant(spelling: str, level: str, expected: str | None) -> None:
    assert match_admin([spelling], level=level)[0] == expected  # type: ignore[arg-type]


def test_at_least_20_variants_and_expected_codes_are_real() -> None:
    assert sum(e is not None for _, _, e in VARIANTS) >= 20
    ref = china_admin()
    for _, level, code in VARIANTS:
        if code is not None:
            assert ((ref["level"] == level) & (ref["adcode"] == code)).any(), code


def test_every_reference_name_matches_itself() -> None:
    for level in ("province", "prefecture"):
        ref = china_admin(level=level)  # type: ignore[arg-type]
        got = match_admin(ref["name"], level=level)  # type: ignore[arg-type]
        assert got == ref["adcode"].tolist()


def test_normalize_fullwidth_and_traditional() -> None:
    assert normalize_name("ＧＵＡＮＧＤＯＮＧ") == "guangdong"
    assert normalize_name("遼寧省") == "辽宁省"


def test_unmatched_reported_all_at_once_with_candidates() -> None:
    df = pd.DataFrame({"city": ["苏洲", "恩施州", "Atlantis", ""]})
    with pytest.raises(ValidationError) as ei:
        resolve_admin_column(df, "city", level="prefecture", path="x.csv")
    probs = ei.value.problems
    assert [p.row for p in probs] == [2, 4, 5]
    assert all(p.path == "x.csv" and p.column == "city" for p in probs)
    assert "苏州市 (320500)" in probs[0].message
    assert "no reference name is close" in probs[1].message
    assert "missing" in probs[2].message


def test_unknown_adcode_is_reported() -> None:
    df = pd.DataFrame({"p": ["999999"]})
    with pytest.raises(ValidationError, match="unknown adcode"):
        resolve_admin_column(df, "p", level="province")


# pinyin of polyphonic place names: hand-written (dictionary readings), not from pypinyin
PINYIN = {
    "500000": "Chongqing",
    "430100": "Changsha",
    "350200": "Xiamen",
    "340300": "Bengbu",
    "341500": "Lu'an",
    "331100": "Lishui",
    "511100": "Leshan",
    "140400": "Changzhi",
    "211300": "Chaoyang",
    "411100": "Luohe",
    "152500": "Xilinguole",
    "540300": "Changdu",
    "654300": "Aletai",
    "653000": "Kezilesu",
    "141100": "Lüliang",
    "610100": "Xi'an",
    "341600": "Bozhou",
    "321300": "Suqian",
    "341300": "Suzhou",
    "460400": "Danzhou",
    "371700": "Heze",
}


def test_shipped_pinyin_of_polyphonic_names() -> None:
    ref = china_admin(level="prefecture").set_index("adcode")["name_pinyin"]
    assert {c: ref[c] for c in PINYIN} == PINYIN
    prov = china_admin(level="province").set_index("adcode")["name_pinyin"]
    assert prov["610000"] == "Shaanxi"
    assert prov["140000"] == "Shanxi"


def test_every_unit_has_pinyin_and_collisions_are_the_known_ones() -> None:
    for level in ("province", "prefecture"):
        ref = china_admin(level=level)  # type: ignore[arg-type]
        assert (ref["name_pinyin"].str.fullmatch(r"[A-Z][a-zü']+")).all()
    dup = {k: v for k, v in name_index("prefecture").latin.items() if len(v) > 1}
    assert dup == {
        "fuzhou": ("350100", "361000"),
        "suzhou": ("320500", "341300"),
        "taizhou": ("321200", "331000"),
        "yichun": ("230700", "360900"),
        "yulin": ("450900", "610800"),
    }


@pytest.mark.parametrize(
    ("name", "province", "expected"),
    [
        ("Taizhou", "330000", "331000"),
        ("Taizhou", "320000", "321200"),
        ("Yichun", "230000", "230700"),
        ("Yichun", "360000", "360900"),
        ("Fuzhou", "350000", "350100"),
        ("Fuzhou", "360000", "361000"),
        ("Suzhou", "340000", "341300"),
        ("Yulin", "450000", "450900"),
    ],
)
def test_same_pinyin_decided_by_province(name: str, province: str, expected: str) -> None:
    assert match_admin([name], level="prefecture", provinces=[province]) == [expected]


def test_ambiguity_without_province_lists_candidates() -> None:
    df = pd.DataFrame({"city": ["Suzhou"]})
    with pytest.raises(ValidationError) as ei:
        resolve_admin_column(df, "city", level="prefecture", path="t.csv")
    msg = ei.value.problems[0].message
    assert "苏州市 (Suzhou, 320500)" in msg
    assert "宿州市 (Suzhou, 341300)" in msg
    assert "--province-key" in msg


def test_latin_key_ignores_case_tones_apostrophes() -> None:
    assert latin_key("Lù'ān") == latin_key("LU AN") == latin_key("lu-an") == "luan"
    assert latin_key("Lǚliáng") == latin_key("Lvliang") == "luliang"


def test_suggestions_are_near_misses_same_province_first() -> None:
    idx = name_index("prefecture")
    assert idx.candidates("Zhangjiang")[0] == "湛江市 (Zhanjiang, 440800)"
    # "Xilin Gol" is the Mongolian-derived English name; the pinyin is close enough
    assert idx.candidates("Xilin Gol League")[0] == "锡林郭勒盟 (Xilinguole, 152500)"
    # within Jiangsu, 泰州 comes before 台州 for a misspelt "Taizou"
    got = idx.candidates("Taizou", province="320000")
    assert got[0] == "泰州市 (Taizhou, 321200)"
    assert idx.candidates("Ordos") == []  # 鄂尔多斯 E'erduosi: nothing is close
    assert idx.candidates("Atlantis") == []


def test_alias_file(tmp_path) -> None:
    f = tmp_path / "aliases.csv"
    f.write_text("alias,adcode\nHohhot,150100\nOrdos,150600\nUrumqi,650100\n", encoding="utf-8")
    a = load_aliases(f)
    assert match_admin(["Hohhot", "ordos", "URUMQI"], level="prefecture", aliases=a) == [
        "150100",
        "150600",
        "650100",
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("alias,adcode,level\nFoo,999999,\nBar,150100,county\n", encoding="utf-8")
    with pytest.raises(ValidationError) as ei:
        load_aliases(bad)
    assert [(p.row, p.column) for p in ei.value.problems] == [(2, "adcode"), (3, "level")]
    (tmp_path / "x.csv").write_text("name,code\nA,1\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="alias"):
        load_aliases(tmp_path / "x.csv")


def test_detect_columns_by_content_and_by_option() -> None:
    df = pd.DataFrame(
        {
            "Procince": ["Jiangsu", "Zhejiang", "Inner Mongolia", "Liaoning"],
            "region_name": ["Taizhou", "Taizhou", "Alxa League", "Anshan City"],
            "value": ["1", "2", "3", "4"],
        }
    )
    # "Alxa" is not pinyin (阿拉善 Alashan): 2 of 3 distinct values match (>= 60 %)
    assert detect_admin_columns(df, level="prefecture") == ("region_name", "Procince")
    assert detect_admin_columns(df, level="prefecture", key="region_name", province_key="Procince")
    assert detect_admin_columns(df, level="province") == ("Procince", None)
    with pytest.raises(InputFormatError, match="--key column 'nope'"):
        detect_admin_columns(df, level="prefecture", key="nope", path="t.csv")
    with pytest.raises(InputFormatError, match=r"needs column\(s\) of prefecture names"):
        detect_admin_columns(df[["value"]], level="prefecture")


def test_province_level_code_at_prefecture_level_is_explained() -> None:
    df = pd.DataFrame({"c": ["440000"]})
    with pytest.raises(ValidationError, match="440000 is a province adcode"):
        resolve_admin_column(df, "c", level="prefecture")
