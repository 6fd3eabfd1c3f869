"""Chinese admin-name matching: real-world spelling variants -> GB/T 2260 adcodes."""

from __future__ import annotations

import pandas as pd
import pytest

from geotrade.errors import ValidationError
from geotrade.names import match_admin, normalize_name, resolve_admin_column
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
    assert "missing" in probs[2].message


def test_unknown_adcode_is_reported() -> None:
    df = pd.DataFrame({"p": ["999999"]})
    with pytest.raises(ValidationError, match="unknown adcode"):
        resolve_admin_column(df, "p", level="province")
