"""Product builders: one per map product, shared by the CLI, the demo and the QGIS plugin.

A builder takes validated tables and keyword options and returns a
:class:`~geotrade.builders.result.ProductResult` (layers with one documented schema per
product, styles, join reports, metadata, tables); :func:`~geotrade.builders.result.
write_product` writes it. The command line only parses options, reads inputs, calls a
builder and writes; the demo is a list of builder calls on the synthetic inputs.

==========================  =====================================================
builder                     product (layers)
==========================  =====================================================
:func:`build_dependence`    ``dependence_<year>`` (seed 000 typology)
:func:`build_province_capacity`  ``province_capacity_ratio_<year>`` (seed 004 §1)
:func:`build_prefecture_matching`  ``prefecture_matching_<year>`` (seed 004 §2)
:func:`build_network`       ``flow_lines_<year>`` + network tables (seed 003)
:func:`~geotrade.builders.shares.build_shares`  group and sector shares (seed 001)
:func:`build_table_map`     ``<level>_<field>``: any table of units (``geotrade map``)
==========================  =====================================================
"""

from __future__ import annotations

from geotrade.builders.dependence import build_dependence
from geotrade.builders.network import build_network
from geotrade.builders.recycling import build_prefecture_matching, build_province_capacity
from geotrade.builders.result import ProductMetadata, ProductResult, write_product
from geotrade.builders.table_map import build_table_map

__all__ = [
    "ProductMetadata",
    "ProductResult",
    "build_dependence",
    "build_network",
    "build_prefecture_matching",
    "build_province_capacity",
    "build_table_map",
    "write_product",
]
