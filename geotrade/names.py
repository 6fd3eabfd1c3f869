r"""Match Chinese province and prefecture names (or adcodes) to GB/T 2260 adcodes.

Input tables name places in many ways: ``内蒙古`` or ``内蒙古自治区``, ``广西`` or
``广西壮族自治区``, ``恩施州`` or ``恩施土家族苗族自治州``, ``香港`` or ``香港特别行政区``,
``Guangdong`` or ``广东省``, with full-width spaces or traditional characters. This module
turns every such spelling into the adcode of a row of
:func:`geotrade.reference.china_admin`, and reports what it cannot match with the closest
candidates (:mod:`difflib`).

Matching rules
--------------
A value is first normalised (:func:`normalize_name`): Unicode NFKC (full-width letters,
digits and spaces become half-width), every kind of white space removed, a small table of
traditional characters mapped to simplified ones (the characters of province and major city
names; not a general converter), Latin letters lower-cased. Then, in order:

1. **adcode**: 6 digits (``"420000"``, ``420000``, ``420000.0``) or a 12-digit statistical
   code ending in six zeros, which must exist at the requested level;
2. **name variants**: each reference unit is known under its full name and the forms
   obtained by removing its administrative suffix (省, 市, 自治区, 特别行政区, 地区, 盟,
   自治州, 林区) and the ethnic-group names that precede 自治区/自治州 (``恩施土家族苗族自治州``
   → ``恩施`` and ``恩施州``; ``新疆维吾尔自治区`` → ``新疆``); provinces also by their
   one-character abbreviation (简称: 京, 沪, 粤, …) and their English or pinyin name
   (``Guangdong``, ``Inner Mongolia``, ``Tibet``, ``Hong Kong``); a few renamed units by
   their former name (襄樊 → 襄阳, 思茅 → 普洱);
3. **province prefix** (prefecture level only): ``湖北省恩施州`` or ``湖北 恩施`` is tried
   as province + prefecture.

A variant shared by two units (none in the packaged table, but possible with user input)
is ambiguous: pass a province column to decide. Nothing is guessed: a value that matches
no variant is an error listing the three closest names.

Examples
--------
>>> match_admin(["内蒙古", "广西壮族自治区", "香港", "Guangdong", "420000"], level="province")
['150000', '450000', '810000', '440000', '420000']
>>> match_admin(["恩施州", "延边", "锡林郭勒", "大兴安岭"], level="prefecture")
['422800', '222400', '152500', '232700']
>>> normalize_name("\u3000廣東 省 ")
'广东省'
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Literal

import pandas as pd

from geotrade.errors import Problem, ValidationError
from geotrade.reference import china_admin

__all__ = [
    "AdminLevel",
    "NameIndex",
    "match_admin",
    "name_index",
    "name_variants",
    "normalize_name",
    "resolve_admin_column",
]

AdminLevel = Literal["province", "prefecture"]

# Traditional -> simplified, only the characters that occur in province and common
# prefecture names (cheap, explicit; not a general converter).
_T2S = str.maketrans(
    "廣東雲貴遼寧龍陝肅內臺灣門蘇慶維爾區壯滬錫漢長鄭蘭齊烏魯興嶺島張濟陽瀋連綿實別縣晉黃開馬銅紹蕪廈華鎮揚無溫寶紅雞懷衛許葉潛陸個澤鶴雙遠韶廳嘉義圳莊紐亞關鄂黔貴畢淮襄錦遵隴撫贛鄉樂瀘遂達資廣羅邊慈廊滄滕聊萊煙濰衡灘黨鵬頭",
    "广东云贵辽宁龙陕肃内台湾门苏庆维尔区壮沪锡汉长郑兰齐乌鲁兴岭岛张济阳沈连绵实别县晋黄开马铜绍芜厦华镇扬无温宝红鸡怀卫许叶潜陆个泽鹤双远韶厅嘉义圳庄纽亚关鄂黔贵毕淮襄锦遵陇抚赣乡乐泸遂达资广罗边慈廊沧滕聊莱烟潍衡滩党鹏头",
)

# The 56 ethnic groups' names as they appear before 族 (and a few used without 族 in
# autonomous-unit names: 蒙古, 哈萨克, 柯尔克孜, 维吾尔).
_ETHNIC = sorted(
    [
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ],
    key=len,
    reverse=True,
)
_ETHNIC_NO_ZU = ("蒙古", "哈萨克", "柯尔克孜", "维吾尔")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "林区", "省", "市", "盟")

# 简称 (official one-character abbreviations) and English / pinyin names of the provinces.
_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "110000": ("京", "beijing", "peking"),
    "120000": ("津", "tianjin"),
    "130000": ("冀", "hebei"),
    "140000": ("晋", "shanxi"),
    "150000": ("蒙", "innermongolia", "neimongol", "neimenggu", "nei mongol"),
    "210000": ("辽", "liaoning"),
    "220000": ("吉", "jilin"),
    "230000": ("黑", "heilongjiang"),
    "310000": ("沪", "shanghai"),
    "320000": ("苏", "jiangsu"),
    "330000": ("浙", "zhejiang"),
    "340000": ("皖", "anhui"),
    "350000": ("闽", "fujian"),
    "360000": ("赣", "jiangxi"),
    "370000": ("鲁", "shandong"),
    "410000": ("豫", "henan"),
    "420000": ("鄂", "hubei"),
    "430000": ("湘", "hunan"),
    "440000": ("粤", "guangdong"),
    "450000": ("桂", "guangxi"),
    "460000": ("琼", "hainan"),
    "500000": ("渝", "chongqing"),
    "510000": ("川", "蜀", "sichuan"),
    "520000": ("黔", "guizhou"),
    "530000": ("滇", "yunnan"),
    "540000": ("藏", "tibet", "xizang"),
    "610000": ("陕", "shaanxi"),
    "620000": ("甘", "陇", "gansu"),
    "630000": ("青", "qinghai"),
    "640000": ("宁", "ningxia"),
    "650000": ("新", "xinjiang"),
    "710000": ("台", "taiwan"),
    "810000": ("港", "hongkong", "xianggang"),
    "820000": ("澳", "macao", "macau", "aomen"),
}
# English words dropped before matching ("Guangxi Zhuang Autonomous Region" -> "guangxi").
_EN_NOISE = re.compile(
    r"(specialadministrativeregion|autonomousregion|autonomousprefecture|province|"
    r"municipality|prefecture|sar|city|zhuang|uygur|uyghur|uighur|hui|china|prc|of)"
)
# Former names of renamed prefecture-level units (adcode of the current unit).
_FORMER: dict[str, str] = {"襄樊": "420600", "思茅": "530800"}


def normalize_name(text: object) -> str:
    """Normalise a place name for matching.

    NFKC (full-width to half-width), white space (including U+3000) removed, traditional
    characters of place names mapped to simplified, Latin letters lower-cased.

    Parameters
    ----------
    text
        Any value; ``None`` and NaN give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_name(" Inner  Mongolia ")
    'innermongolia'
    >>> normalize_name("內蒙古自治區")
    '内蒙古自治区'
    """
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = "".join(ch for ch in s if not ch.isspace() and ch not in "-_·.,'’()（）")
    return s.translate(_T2S).lower()


def _strip_ethnic(stem: str) -> str:
    """Remove trailing ethnic-group names (``恩施土家族苗族`` -> ``恩施``)."""
    changed = True
    while changed:
        changed = False
        for e in _ETHNIC:
            for form in (e + "族",) + ((e,) if e in _ETHNIC_NO_ZU else ()):
                if stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return stem


def name_variants(name: str, *, kind: str = "") -> set[str]:
    """Return the normalised spellings under which a reference unit is matched.

    Parameters
    ----------
    name
        Full official name, e.g. ``"恩施土家族苗族自治州"``.
    kind
        Unit kind from :func:`geotrade.reference.china_admin` (unused except for
        documentation; variants are derived from the name).

    Returns
    -------
    set of str

    Examples
    --------
    >>> sorted(name_variants("恩施土家族苗族自治州"))
    ['恩施', '恩施土家族苗族', '恩施土家族苗族自治州', '恩施州']
    >>> sorted(name_variants("新疆维吾尔自治区"))
    ['新疆', '新疆维吾尔', '新疆维吾尔自治区']
    >>> sorted(name_variants("苏州市"))
    ['苏州', '苏州市']
    """
    full = normalize_name(name)
    out = {full}
    stem = full
    for suf in _SUFFIXES:
        if stem.endswith(suf) and len(stem) - len(suf) >= 2:
            stem = stem[: -len(suf)]
            break
    core = _strip_ethnic(stem)
    out |= {stem, core}
    if full.endswith("自治州"):
        out.add(core + "州")
    return {v for v in out if v}


@dataclass(frozen=True)
class NameIndex:
    """Lookup of normalised spellings -> adcodes at one administrative level."""

    level: str
    lookup: dict[str, tuple[str, ...]]
    names: dict[str, str]
    province_of: dict[str, str]

    def candidates(self, value: str, *, n: int = 3) -> list[str]:
        """Closest reference names to ``value`` (``"name (adcode)"``), best first."""
        key = normalize_name(value)
        pool: dict[str, str] = {}
        for variant, codes in self.lookup.items():
            for code in codes:
                pool.setdefault(variant, code)
        close = difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.3)
        out: list[str] = []
        for c in close:
            label = f"{self.names[pool[c]]} ({pool[c]})"
            if label not in out:
                out.append(label)
        return out[:n]


@functools.cache
def name_index(level: AdminLevel) -> NameIndex:
    """Build (once) the spelling index of one level of :func:`~geotrade.reference.china_admin`.

    Examples
    --------
    >>> name_index("province").lookup["广西"]
    ('450000',)
    """
    if level not in ("province", "prefecture"):
        msg = f"level must be 'province' or 'prefecture', got {level!r}"
        raise ValueError(msg)
    ref = china_admin(level=level)
    lookup: dict[str, set[str]] = {}
    for code, name, kind in zip(ref["adcode"], ref["name"], ref["kind"], strict=True):
        for v in name_variants(name, kind=kind):
            lookup.setdefault(v, set()).add(code)
        if level == "province" or code in _PROVINCE_ALIASES:
            for alias in _PROVINCE_ALIASES.get(code, ()):
                lookup.setdefault(normalize_name(alias), set()).add(code)
    if level == "prefecture":
        for old, code in _FORMER.items():
            lookup.setdefault(old, set()).add(code)
    return NameIndex(
        level=level,
        lookup={k: tuple(sorted(v)) for k, v in lookup.items()},
        names=dict(zip(ref["adcode"], ref["name"], strict=True)),
        province_of=dict(zip(ref["adcode"], ref["province_adcode"], strict=True)),
    )


def _as_code(key: str) -> str | None:
    k = key[:-2] if key.endswith(".0") else key
    if re.fullmatch(r"\d{6}", k):
        return k
    if re.fullmatch(r"\d{12}", k) and k.endswith("000000"):
        return k[:6]
    return None


def _english_key(key: str) -> str:
    return _EN_NOISE.sub("", key) if re.fullmatch(r"[a-z]+", key) else key


def _lookup_one(
    value: object, index: NameIndex, province: str | None
) -> tuple[str | None, tuple[str, ...]]:
    """Return (adcode, ambiguous candidates) for one value."""
    key = normalize_name(value)
    if not key:
        return None, ()
    code = _as_code(unicodedata.normalize("NFKC", str(value)).strip())
    if code is not None:
        return (code, ()) if code in index.names else (None, ())
    codes = index.lookup.get(key) or index.lookup.get(_english_key(key))
    if not codes:
        # the query itself may carry a suffix the reference name lacks (海东地区 -> 海东市)
        for variant in sorted(name_variants(key), key=len, reverse=True):
            codes = index.lookup.get(variant)
            if codes:
                break
    if not codes and index.level == "prefecture":
        prov_index = name_index("province")
        for variant in sorted(prov_index.lookup, key=len, reverse=True):
            if len(variant) >= 2 and key.startswith(variant) and len(key) > len(variant):
                rest = index.lookup.get(key[len(variant) :])
                pcode = prov_index.lookup[variant]
                if rest:
                    codes = tuple(c for c in rest if index.province_of[c] in pcode)
                    if codes:
                        break
    if not codes:
        return None, ()
    if len(codes) > 1 and province is not None:
        codes = tuple(c for c in codes if index.province_of[c] == province) or codes
    if len(codes) > 1:
        return None, codes
    return codes[0], ()


def match_admin(
    values: Iterable[object],
    *,
    level: AdminLevel,
    provinces: Sequence[str | None] | None = None,
) -> list[str | None]:
    """Match names or adcodes to adcodes; ``None`` where nothing (or several) matched.

    Parameters
    ----------
    values
        Names (any variant described in the module docstring) or adcodes.
    level
        ``"province"`` or ``"prefecture"``.
    provinces
        Province adcodes, one per value, used to decide ambiguous prefecture names.

    Returns
    -------
    list of str or None
        Use :func:`resolve_admin_column` to get errors with candidates instead of ``None``.

    Examples
    --------
    >>> match_admin(["黑龙江", "Atlantis"], level="province")
    ['230000', None]
    """
    index = name_index(level)
    vals = list(values)
    provs = list(provinces) if provinces is not None else [None] * len(vals)
    return [_lookup_one(v, index, p)[0] for v, p in zip(vals, provs, strict=True)]


def resolve_admin_column(
    df: pd.DataFrame,
    column: str,
    *,
    level: AdminLevel,
    path: str | PathLike[str] | None = None,
    province_codes: Sequence[str | None] | None = None,
    first_row: int = 2,
) -> pd.Series:
    """Resolve a column of names/adcodes to adcodes, or raise one error listing every miss.

    Parameters
    ----------
    df
        The table.
    column
        Column holding names or adcodes.
    level
        ``"province"`` or ``"prefecture"``.
    path
        File name used in the error messages.
    province_codes
        Province adcodes aligned with ``df`` to decide ambiguous prefecture names.
    first_row
        Spreadsheet row number of ``df``'s first row (2: the header is row 1).

    Returns
    -------
    pandas.Series
        Adcodes (``str``), same index as ``df``.

    Raises
    ------
    ValidationError
        One problem per unmatched or ambiguous value, with the closest candidates.

    Examples
    --------
    >>> df = pd.DataFrame({"province": ["新疆", "广东"]})
    >>> resolve_admin_column(df, "province", level="province").tolist()
    ['650000', '440000']
    >>> df = pd.DataFrame({"province": ["新彊", "广冬省"]})
    >>> try:
    ...     resolve_admin_column(df, "province", level="province", path="p.csv")
    ... except ValidationError as e:
    ...     print(e.problems[1])
    p.csv, row 3, column 'province': unknown province '广冬省'; closest: 广东省 (440000), ...
    """
    index = name_index(level)
    provs = list(province_codes) if province_codes is not None else [None] * len(df)
    problems: list[Problem] = []
    out: list[str | None] = []
    for i, (value, prov) in enumerate(zip(df[column].tolist(), provs, strict=True)):
        code, ambiguous = _lookup_one(value, index, prov)
        out.append(code)
        if code is not None:
            continue
        row = first_row + i
        if not normalize_name(value):
            problems.append(
                Problem(f"missing {level} name or adcode", path=_s(path), row=row, column=column)
            )
        elif ambiguous:
            opts = ", ".join(f"{index.names[c]} ({c})" for c in ambiguous)
            problems.append(
                Problem(
                    f"{level} {value!r} is ambiguous: {opts}; add a province column or use "
                    "the adcode",
                    path=_s(path),
                    row=row,
                    column=column,
                )
            )
        else:
            near = index.candidates(str(value))
            hint = f"closest: {', '.join(near)}" if near else "no close name"
            what = "adcode" if normalize_name(value).isdigit() else level
            problems.append(
                Problem(
                    f"unknown {what} {value!r}; {hint}. Use a GB/T 2260 adcode or a name as in "
                    "geotrade.reference.china_admin()",
                    path=_s(path),
                    row=row,
                    column=column,
                )
            )
    if problems:
        raise ValidationError(problems)
    return pd.Series(out, index=df.index, dtype=object)


def _s(path: str | PathLike[str] | None) -> str | None:
    return None if path is None else str(path)
