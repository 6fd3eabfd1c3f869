"""Economic regions of China's provinces (National Bureau of Statistics, 2011).

Source: 国家统计局《东西中部和东北地区划分方法》, 2011-06-13,
http://www.stats.gov.cn/tjzs/t20110613_402731597.htm — four regions: 东部 (10), 中部 (6),
西部 (12), 东北 (3). Hong Kong, Macao and Taiwan are not assigned by the NBS and get no
region here. The older three-belt division (东/中/西, 1986) is not shipped because no cited
copy is available offline; pass your own region column instead.

Examples
--------
>>> NBS_REGIONS["440000"], NBS_REGIONS["230000"]
('east', 'northeast')
>>> sorted(set(NBS_REGIONS.values()))
['central', 'east', 'northeast', 'west']
"""

from __future__ import annotations

__all__ = ["NBS_REGIONS", "NBS_REGION_LABELS", "NBS_SOURCE"]

NBS_SOURCE = (
    "国家统计局《东西中部和东北地区划分方法》(2011-06-13), "
    "http://www.stats.gov.cn/tjzs/t20110613_402731597.htm"
)
_EAST = "110000 120000 130000 310000 320000 330000 350000 370000 440000 460000"
_CENTRAL = "140000 340000 360000 410000 420000 430000"
_WEST = "150000 450000 500000 510000 520000 530000 540000 610000 620000 630000 640000 650000"
_NORTHEAST = "210000 220000 230000"

#: Province adcode -> region (``east``, ``central``, ``west``, ``northeast``).
NBS_REGIONS: dict[str, str] = {
    **dict.fromkeys(_EAST.split(), "east"),
    **dict.fromkeys(_CENTRAL.split(), "central"),
    **dict.fromkeys(_WEST.split(), "west"),
    **dict.fromkeys(_NORTHEAST.split(), "northeast"),
}
NBS_REGION_LABELS = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}
