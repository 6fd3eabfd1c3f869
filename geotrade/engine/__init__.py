"""Trade metrics for large tables: DuckDB (out of core) or pandas (in memory).

The public functions take a *source*: a canonical flow DataFrame, a canonical parquet/CSV
path or glob, or BACI files as CEPII ships them (``t, i, j, k, v, q``; ``v`` in thousand
USD, numeric country codes) — see :mod:`geotrade.engine.sources`. With
``engine="duckdb"`` the data is scanned chunk by chunk (a year of parquet, a file of CSV)
with a DuckDB ``memory_limit``; with ``engine="pandas"`` it is loaded into memory.

* :func:`pair_interdependence` — all ordered pairs: ``X_ij``, ``M_ij = X_ji``, Grubel-Lloyd,
  signed index, dependence class (the definitions of :mod:`geotrade.metrics.trade`).
* :func:`focal_interdependence` — one focal economy against every partner.
* :func:`partner_shares`, :func:`pattern_summary` — shares, ranks, top-N, HHI.
* :func:`group_aggregates` — trade summed by user-defined country groups.
* :func:`pair_interdependence_by_product` — all pairs for **each product** separately (every
  HS code of a BACI year), streamed to a parquet file; :func:`network_metrics_by_product`
  — degree, strength, betweenness (and optionally Louvain communities) of every product.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "KOR", "USA"],
...     "partner_iso3": ["KOR", "CHN", "CHN"], "flow": "export", "hs_code": "850760",
...     "value_usd": [300.0, 100.0, 20.0]})
>>> t = pair_interdependence(flows, engine="duckdb")
>>> t.loc[t["iso3"] == "CHN", ["partner_iso3", "exports", "imports", "dependence_class"]]
  partner_iso3  exports  imports dependence_class
0          KOR    300.0    100.0      partner_low
1          USA      0.0     20.0    focal_one_way
>>> t.equals(pair_interdependence(flows, engine="pandas"))
True
"""

from __future__ import annotations

from geotrade.engine.api import (
    Engine,
    focal_interdependence,
    group_aggregates,
    pair_interdependence,
    partner_shares,
    pattern_summary,
)
from geotrade.engine.by_product import network_metrics_by_product, pair_interdependence_by_product

__all__ = [
    "Engine",
    "focal_interdependence",
    "group_aggregates",
    "network_metrics_by_product",
    "pair_interdependence",
    "pair_interdependence_by_product",
    "partner_shares",
    "pattern_summary",
]
