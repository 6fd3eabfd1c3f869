"""The public trade API: one function per metric, the engine an option of each.

Every function takes a *source* — a canonical flow DataFrame (:func:`geotrade.read_flows`),
or a path: any file :func:`geotrade.read_flows` reads, or, for ``engine="duckdb"``, a
canonical parquet/CSV or BACI file scanned out of core — and the keyword-only options of
the metric. ``engine`` picks how the source is read and aggregated; the numbers are the
same either way (tested in ``tests/test_trade_pattern.py`` and
``tests/test_engine_duckdb.py``):

============================  ====================================================  =======
function                      result                                                 seed
============================  ====================================================  =======
:func:`interdependence`       GL index and dependence class of a focal economy's     000 T1
                              partners
:func:`pair_interdependence`  the same for every ordered pair of economies           003
:func:`trade_summary`         totals, growth, partner counts, top-N shares, HHI,     000 T2
                              entries/exits per year and flow
:func:`table2`, :func:`table3`  the seed's Table 2 and Table 3 shapes                000
:func:`partner_shares`        value, share and rank of every partner                 000
:func:`group_aggregates`      trade summed by country groups                         001
============================  ====================================================  =======

For the every-product screen of a BACI-size year (seed 003):
:func:`pair_interdependence_by_product` (all pairs of each HS code, streamed to parquet)
and :func:`network_metrics_by_product` (degree, strength, betweenness... per product).

A DataFrame is used as it is (it is already in memory; ``engine`` then only matters for
the all-pairs and group functions). With ``engine="pandas"`` a path is read whole by
:func:`geotrade.read_flows` (every row checked); with ``engine="duckdb"`` the focal-economy
metrics read only the focal economy's rows (:func:`geotrade.engine.focal.focal_rows`) and
the all-pairs metrics stream the file year by year (:mod:`geotrade.engine`).
:mod:`geotrade.metrics.trade` (in-memory pandas) and :mod:`geotrade.engine` (DuckDB and its
pandas twin) are the implementations behind this module.

Aggregate and special partners follow :mod:`geotrade.schema`: ``WLD``, ``_899`` Areas nes
and the like count in the totals (``unspecified_usd``) but are never partners.

Examples
--------
>>> import pandas as pd
>>> from geotrade import trade
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
...     "partner_iso3": ["KOR", "KOR", "USA"], "flow": ["export", "import", "export"],
...     "hs_code": "850760", "value_usd": [300.0, 100.0, 50.0]})
>>> trade.interdependence(flows, focal="CHN")[["partner_iso3", "gl", "dependence_class"]]
  partner_iso3   gl dependence_class
0          KOR  0.5      partner_low
1          USA  0.0  partner_one_way
>>> s = trade.trade_summary(flows, focal="CHN", top=1)
>>> s.loc[s["flow"] == "export", ["total_usd", "n_partners", "hhi"]].values.tolist()
[[350.0, 2.0, 0.7551020408163265]]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from geotrade.engine import (
    group_aggregates,
    network_metrics_by_product,
    pair_interdependence,
    pair_interdependence_by_product,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Engine",
    "group_aggregates",
    "interdependence",
    "network_metrics_by_product",
    "pair_interdependence",
    "pair_interdependence_by_product",
    "partner_shares",
    "table2",
    "table3",
    "trade_summary",
]

# group_aggregates and pair_interdependence are geotrade.engine's (they take ``engine``); the
# *_by_product functions are DuckDB-only (the every-product screen of a BACI year)

#: How a source is read: ``pandas`` (whole, every row checked) or ``duckdb`` (out of core).
Engine = Literal["pandas", "duckdb"]


def _flows(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    engine: Engine,
    years: Iterable[int] | None,
) -> pd.DataFrame:
    """Return the canonical rows a focal metric needs, read by ``engine``."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source
    if engine == "duckdb":
        from geotrade.engine.focal import focal_rows

        return focal_rows(source, focal=focal, years=years)
    if engine != "pandas":
        msg = f"engine must be 'pandas' or 'duckdb', got {engine!r}"
        raise ValueError(msg)
    from geotrade.io.readers import read_flows

    return read_flows(source)


def interdependence(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    high: float = 0.2,
    low: float = 0.5,
    engine: Engine = "pandas",
) -> pd.DataFrame:
    """Grubel-Lloyd interdependence and dependence class of every partner of ``focal``.

    The definitions of :func:`geotrade.metrics.trade.interdependence` (seed 000 Table 1),
    computed from the focal economy's own export and import rows.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN", "partner_iso3": "KOR",
    ...     "flow": ["export", "import"], "hs_code": "850760", "value_usd": [90.0, 10.0]})
    >>> float(interdependence(f, focal="CHN")["gl"].iloc[0])
    0.2
    """
    from geotrade.metrics import trade as m

    yrs = None if years is None else [int(y) for y in years]
    flows = _flows(source, focal=focal, engine=engine, years=yrs)
    return m.interdependence(flows, focal=focal, years=yrs, hs_codes=hs_codes, high=high,
                             low=low)  # fmt: skip


def trade_summary(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 5,
    engine: Engine = "pandas",
) -> pd.DataFrame:
    """Pattern metrics of ``focal`` per year and flow.

    See :func:`geotrade.metrics.trade.trade_summary` for the columns.
    """
    from geotrade.metrics import trade as m

    yrs = None if years is None else [int(y) for y in years]
    flows = _flows(source, focal=focal, engine=engine, years=yrs)
    return m.trade_summary(flows, focal=focal, years=yrs, hs_codes=hs_codes, top=top)


def table2(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    top: int = 10,
    lang: Literal["zh", "en"] = "zh",
    engine: Engine = "pandas",
) -> pd.DataFrame:
    """Top partners and shares side by side (seed 000 Table 2).

    See :func:`geotrade.metrics.trade.table2`.
    """
    from geotrade.metrics import trade as m

    yrs = None if years is None else [int(y) for y in years]
    flows = _flows(source, focal=focal, engine=engine, years=yrs)
    return m.table2(flows, focal=focal, years=yrs, hs_codes=hs_codes, top=top, lang=lang)


def table3(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    lang: Literal["zh", "en"] = "zh",
    examples: int = 3,
    engine: Engine = "pandas",
) -> pd.DataFrame:
    """Dependence-class counts and example partners (seed 000 Table 3).

    See :func:`geotrade.metrics.trade.table3`.
    """
    from geotrade.metrics import trade as m

    t = interdependence(source, focal=focal, years=years, hs_codes=hs_codes, engine=engine)
    return m.table3(t, focal=focal, lang=lang, examples=examples)


def partner_shares(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    focal: str,
    flow: Literal["export", "import"],
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    engine: Engine = "pandas",
) -> pd.DataFrame:
    """Value, share (%) and rank of each partner of one flow.

    See :func:`geotrade.metrics.trade.partner_shares`.
    """
    from geotrade.metrics import trade as m

    yrs = None if years is None else [int(y) for y in years]
    flows = _flows(source, focal=focal, engine=engine, years=yrs)
    return m.partner_shares(flows, focal=focal, flow=flow, years=yrs, hs_codes=hs_codes)
