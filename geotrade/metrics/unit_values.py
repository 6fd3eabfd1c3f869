r"""Unit values of trade (USD per kg): the standard quality proxy of trade economics.

Seed 003 studies the quality of the rare-earth recycling (scrap) trade with a "recycling
quality evaluation model" whose formula the seed does not give. geotrade does not guess it;
it gives the measure the trade literature uses for the quality of traded goods, the **unit
value** (Schott 2004, "Across-product versus within-product specialization in international
trade", *QJE* 119(2):647-678; Hallak 2006, "Product quality and the direction of trade",
*J. Int. Econ.* 68(1):238-265):

.. math::  UV_{g,p,t} = \frac{\sum V}{\sum Q}, \qquad
           RUV_{g,p,t} = \frac{UV_{g,p,t}}{UV_{\mathrm{world},p,t}}

over the rows of group ``g`` (an exporter, an importer or an ordered pair) for product ``p``
(or the whole product list, pooled) in year ``t``, with value ``V`` in USD and quantity
``Q`` in kg; the world unit value uses every row of that product and year with a quantity.
A relative unit value above 1 means the group trades the product dearer per kg than the
world does.

Rows without a usable quantity (missing, zero, or in a unit other than kg) cannot enter a
ratio: they are counted per group (``n_without_quantity``, ``value_without_quantity_usd``),
never dropped silently. Aggregate partners and reporters (``World``, areas nes) and
self-trade are left out and counted in ``attrs["excluded"]``.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "CHN", "USA"],
...     "partner_iso3": ["JPN", "DEU", "JPN"], "flow": "export", "hs_code": "850490",
...     "value_usd": [100.0, 60.0, 90.0], "quantity": [50.0, 20.0, 15.0],
...     "quantity_unit": "kg"})
>>> uv = unit_values(f, by="exporter")
>>> uv[["exporter", "unit_value_usd_per_kg", "relative_unit_value"]].round(4)
  exporter  unit_value_usd_per_kg  relative_unit_value
0      CHN                 2.2857               0.7771
1      USA                 6.0000               2.0400
>>> # CHN: 160 USD / 70 kg; USA: 90 / 15; world: 250 / 85 = 2.9412
>>> round(160 / 70 / (250 / 85), 4), round(6 / (250 / 85), 4)
(0.7771, 2.04)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError

__all__ = ["UNIT_VALUE_COLUMNS", "unit_values"]

#: Columns of :func:`unit_values` after the group columns.
UNIT_VALUE_COLUMNS: tuple[str, ...] = (
    "value_usd",
    "quantity_kg",
    "unit_value_usd_per_kg",
    "world_unit_value_usd_per_kg",
    "relative_unit_value",
    "n_rows",
    "n_without_quantity",
    "value_without_quantity_usd",
    "share_value_without_quantity_pct",
)


def unit_values(
    flows: pd.DataFrame,
    *,
    by: Literal["exporter", "importer", "pair"] = "exporter",
    flow: Literal["export", "import"] = "export",
    pool_products: bool = False,
    years: list[int] | None = None,
    path: str | None = None,
) -> pd.DataFrame:
    """Compute unit values (USD per kg) and relative unit values by exporter, importer or pair.

    Parameters
    ----------
    flows
        Canonical flow table (``year, reporter_iso3, partner_iso3, flow, hs_code,
        value_usd, quantity, quantity_unit``).
    by
        ``exporter``, ``importer`` or ``pair`` (exporter -> importer).
    flow
        Which reported rows to use: ``export`` rows (the exporter reports, FOB; BACI has only
        these) or ``import`` rows (the importer reports, CIF, so unit values include freight
        and insurance). The two are not mixed.
    pool_products
        Pool all products (``hs_code = "all"``) instead of one row per HS code.
    years
        Years to keep (default: all).
    path
        The file the flows came from, named in errors.

    Returns
    -------
    pandas.DataFrame
        ``year, hs_code`` and ``exporter`` / ``importer`` (both for ``pair``), then
        :data:`UNIT_VALUE_COLUMNS`. ``unit_value_usd_per_kg`` is NaN for a group with no
        row with a quantity. ``attrs["excluded"]`` counts the rows left out.

    Raises
    ------
    ValidationError
        When the table has no ``quantity`` column, no row of the asked flow, no bilateral
        row (only World or area partners) or no row with a quantity in kg.
    """
    need = {"year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd", "quantity"}
    missing = sorted(need - set(flows.columns))
    if missing:
        msg = (
            f"unit values need a quantity per row; the flow table has no column "
            f"{', '.join(missing)} (BACI's q, Comtrade's netWgt, WITS's NetWeight)"
        )
        raise ValidationError([Problem(msg, path=path, column=missing[0])])
    t = flows[flows["flow"] == flow]
    if years is not None:
        t = t[t["year"].isin([int(y) for y in years])]
    if t.empty:
        msg = (
            f"no {flow} rows to compute unit values from (flows present: "
            + ", ".join(sorted(map(str, set(flows["flow"]))))
            + ")"
        )
        raise ValidationError([Problem(msg, path=path, column="flow")])
    from geotrade.schema import is_aggregate_code

    rep, par = t["reporter_iso3"].astype("string"), t["partner_iso3"].astype("string")
    agg = is_aggregate_code(rep).to_numpy(bool) | is_aggregate_code(par).to_numpy(bool)
    if "is_aggregate" in t.columns:
        agg |= t["is_aggregate"].fillna(False).to_numpy(bool)
    missing_code = (rep.isna() | par.isna()).to_numpy(bool)
    self_trade = (rep == par).fillna(False).to_numpy(bool)
    keep = ~(agg | missing_code | self_trade)
    excluded = {
        "aggregate": int((agg & ~missing_code).sum()),
        "missing code": int(missing_code.sum()),
        "self-trade": int((self_trade & ~agg).sum()),
    }
    if not keep.any():
        msg = (
            f"no bilateral {flow} row left to compute unit values from: "
            + ", ".join(f"{k} {v:,}" for k, v in excluded.items() if v)
            + " (unit values need partner countries, not World or area totals)"
        )
        raise ValidationError([Problem(msg, path=path, column="partner_iso3")])
    t = t[keep]
    exporter, importer = (
        (t["reporter_iso3"], t["partner_iso3"]) if flow == "export" else
        (t["partner_iso3"], t["reporter_iso3"])
    )  # fmt: skip
    q = pd.to_numeric(t["quantity"], errors="coerce").to_numpy(dtype="float64")
    unit = (
        t["quantity_unit"].astype("string").str.lower().fillna("").to_numpy(dtype=object)
        if "quantity_unit" in t.columns
        else np.full(len(t), "kg", dtype=object)
    )
    has_q = np.isfinite(q) & (q > 0) & (unit == "kg")
    if not has_q.any():
        msg = (
            f"none of the {len(t):,} {flow} rows has a quantity in kg; unit values need one "
            "(BACI's q, Comtrade's netWgt, WITS's NetWeight in KGM)"
        )
        raise ValidationError([Problem(msg, path=path, column="quantity")])
    v = pd.to_numeric(t["value_usd"], errors="coerce").to_numpy(dtype="float64")
    d = pd.DataFrame(
        {
            "year": t["year"].astype("int64").to_numpy(),
            "hs_code": "all" if pool_products else t["hs_code"].astype(str).to_numpy(),
            "exporter": exporter.astype(str).to_numpy(),
            "importer": importer.astype(str).to_numpy(),
            "value_usd": v,
            "v_q": np.where(has_q, v, 0.0),
            "quantity_kg": np.where(has_q, q, 0.0),
            "n_rows": 1,
            "n_without_quantity": (~has_q).astype("int64"),
            "value_without_quantity_usd": np.where(has_q, 0.0, v),
        }
    )
    keys = {"exporter": ["exporter"], "importer": ["importer"], "pair": ["exporter", "importer"]}
    if by not in keys:
        msg = f"expected by = exporter, importer or pair, got {by!r}"
        raise ValueError(msg)
    cols = ["year", "hs_code", *keys[by]]
    sums = ["value_usd", "v_q", "quantity_kg", "n_rows", "n_without_quantity",
            "value_without_quantity_usd"]  # fmt: skip
    out = d.groupby(cols, sort=True)[sums].sum().reset_index()
    world = d.groupby(["year", "hs_code"])[["v_q", "quantity_kg"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["unit_value_usd_per_kg"] = np.where(
            out["quantity_kg"] > 0, out["v_q"] / out["quantity_kg"], np.nan
        )
        w = world.reindex(pd.MultiIndex.from_frame(out[["year", "hs_code"]]))
        wuv = np.where(w["quantity_kg"] > 0, w["v_q"] / w["quantity_kg"], np.nan)
        out["world_unit_value_usd_per_kg"] = wuv
        out["relative_unit_value"] = out["unit_value_usd_per_kg"] / wuv
        out["share_value_without_quantity_pct"] = np.where(
            out["value_usd"] > 0, 100.0 * out["value_without_quantity_usd"] / out["value_usd"],
            np.nan,
        )  # fmt: skip
    out = out[[*cols, *UNIT_VALUE_COLUMNS]]
    out.attrs["excluded"] = excluded
    out.attrs["flow"] = flow
    return out
