"""Product ``shares``: trade by country group and by sector (seed 001 Figures 1-4, Table 2).

Two bases (:func:`build_shares`):

``world``
    each group's share of world exports and of world imports per year and its trade
    balance (:func:`geotrade.metrics.groups.world_group_shares`); the focal economy (China
    by default) is its own group in the ``income3`` grouping. Works on bilateral files
    (BACI, Comtrade with many reporters) and on country-total files (the IMF Climate
    Change Indicators Dashboard: :func:`country_totals_from_imf`).
``partner``
    the focal economy's exports and imports by partner group
    (:func:`geotrade.metrics.groups.partner_group_shares`, seed 001 Table 2).

With a product list that has a ``sector`` column (``--product-list FILE``, or
``sectors=``), ``tables["sectors"]`` gives exports by sector and year (world exports in the
world basis, the focal economy's in the partner basis; Figures 3-4).

Tables
------
``shares``  (world) ``year, group, exports_usd, imports_usd, export_share_pct,
            import_share_pct, balance_usd``; (partner) ``year, flow, group, value_usd,
            share_pct, n_partners``
``sectors`` ``year, sector, exports_usd, share_pct``

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "CHN", "DEU"],
...     "partner_iso3": ["DEU", "IND", "CHN"], "flow": "export", "hs_code": "850760",
...     "value_usd": [60.0, 20.0, 20.0]})
>>> r = build_shares(flows, by="income3", focal="CHN")
>>> r.tables["shares"]["export_share_pct"].tolist()
[80.0, 20.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from geotrade.builders.result import ProductMetadata, ProductResult
from geotrade.errors import Problem, ValidationError

if TYPE_CHECKING:
    from geotrade.io.readers.worldbank_income import FiscalYearRule
    from geotrade.metrics.groups import IncomeVintage

__all__ = ["build_shares", "country_totals_from_imf", "write_charts"]

Basis = Literal["world", "partner"]


def country_totals_from_imf(table: pd.DataFrame) -> pd.DataFrame:
    """Canonical country-total flows (partner ``WLD``) from :func:`read_imf_lct` output.

    Only the US-dollar export and import indicators are used; aggregate rows (World,
    regions) are left out.

    Examples
    --------
    >>> t = pd.DataFrame({"iso3": ["CHN", "CHN", "WLD"], "year": 2022,
    ...     "flow": ["export", "import", "export"], "value_usd": [203.2, 93.5, 1091.2],
    ...     "is_aggregate": [False, False, True]})
    >>> country_totals_from_imf(t)[["reporter_iso3", "partner_iso3", "flow", "value_usd"]]
      reporter_iso3 partner_iso3    flow  value_usd
    0           CHN          WLD  export      203.2
    1           CHN          WLD  import       93.5
    """
    keep = table["flow"].isin(["export", "import"]) & table["value_usd"].notna()
    keep &= ~table["is_aggregate"].astype(bool) & table["iso3"].notna()
    t = table.loc[keep]
    out = pd.DataFrame(
        {
            "year": t["year"].astype("int64").to_numpy(),
            "reporter_iso3": t["iso3"].astype(str).to_numpy(),
            "partner_iso3": "WLD",
            "flow": t["flow"].astype(str).to_numpy(),
            "hs_code": "TOTAL",
            "value_usd": t["value_usd"].astype(float).to_numpy(),
            "source": "imf-lct",
        }
    )
    return out.reset_index(drop=True)


def _sector_table(
    flows: pd.DataFrame,
    sectors: pd.DataFrame,
    *,
    basis: Basis,
    focal: str,
    years: Iterable[int] | None,
) -> pd.DataFrame:
    from geotrade.schema import code_kinds

    mapping = dict(zip(sectors["hs_code"].astype(str), sectors["sector"].astype(str), strict=False))
    df = flows[flows["flow"].astype(str).str.lower().eq("export")].copy()
    if years is not None:
        df = df[df["year"].isin(list(years))]
    df = df[code_kinds(df["partner_iso3"]).isin(["economy", "historical", "unknown"]).to_numpy()]
    if basis == "partner":
        df = df[df["reporter_iso3"].astype(str).str.upper() == focal]
    df["sector"] = df["hs_code"].astype(str).map(mapping)
    if df["sector"].isna().all():
        msg = "no exported HS code of the data is in the product list's sector column"
        raise ValidationError([Problem(msg, column="sector")])
    df["sector"] = df["sector"].fillna("(no sector)")
    out = df.groupby(["year", "sector"], as_index=False)["value_usd"].sum()
    out = out.rename(columns={"value_usd": "exports_usd"})
    out["share_pct"] = (
        100.0 * out["exports_usd"] / out.groupby("year")["exports_usd"].transform("sum")
    )
    if basis != "partner":  # the focal economy's share of world exports, sector by sector
        own = df[df["reporter_iso3"].astype(str).str.upper() == focal]
        own = own.groupby(["year", "sector"])["value_usd"].sum().rename("focal_exports_usd")
        out = out.merge(own.reset_index(), on=["year", "sector"], how="left")
        out["focal_exports_usd"] = out["focal_exports_usd"].fillna(0.0)
        world = out["exports_usd"].where(out["exports_usd"] > 0)
        out["focal_share_of_world_pct"] = 100.0 * out["focal_exports_usd"] / world
    return out.sort_values(["year", "exports_usd"], ascending=[True, False]).reset_index(drop=True)


def build_shares(
    flows: pd.DataFrame,
    *,
    by: str | Mapping[str, str] | Path = "income3",
    basis: Basis = "world",
    focal: str = "CHN",
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    history: pd.DataFrame | None = None,
    history_rule: FiscalYearRule = "published",
    income_vintage: IncomeVintage | None = None,
    sectors: pd.DataFrame | None = None,
    synthetic: bool = False,
    source: str = "",
    source_files: list[str] | None = None,
    note: str = "",
    notes: list[str] | None = None,
) -> ProductResult:
    """Build the group (and sector) shares of a flow table.

    Parameters
    ----------
    flows
        Canonical flow table (bilateral, or country totals with partner ``WLD``).
    by
        ``"income3"`` (focal economy, high income, EMDEs), ``"income"``, ``"region"``, a
        mapping ``{iso3: group}`` or a CSV path (:func:`geotrade.metrics.groups.group_table`).
    basis
        ``"world"`` or ``"partner"`` (see the module docstring). On the partner basis the
        focal economy's records come from :func:`geotrade.mirror.apply_mirror` with
        ``mirror="auto"``: on reconciled data (BACI, exports only) its imports are its
        partners' exports to it; on Comtrade-style data, its own reports (a note says which).
    focal
        The economy shown on its own (world basis) or whose partners are grouped.
    years, hs_codes
        Filters.
    history, history_rule, income_vintage
        Income groups by year: the table of
        :func:`~geotrade.io.readers.worldbank_income.read_income_history` (the user's
        OGHIST; ``history_rule`` maps a trade year to a fiscal year) or ``iso3, year,
        group``; ``income_vintage`` ``"latest"`` (FY26 snapshot) or ``"historical"``
        (see :func:`geotrade.metrics.groups.group_table`). Without a history the FY26
        snapshot is used and the notes say so.
    sectors
        ``hs_code, sector`` (a product list) for the sector table.
    synthetic, source, source_files, note, notes
        Provenance for the metadata.

    Returns
    -------
    ProductResult
        No layers; ``tables["shares"]`` (and ``tables["sectors"]``).
    """
    from geotrade.metrics.groups import (
        partner_group_shares,
        resolve_income_vintage,
        world_group_shares,
    )

    focal = focal.strip().upper()
    groups: Any = str(by) if isinstance(by, Path) else by
    vintage = resolve_income_vintage(income_vintage, history)
    income: dict[str, Any] = {
        "history": history,
        "history_rule": history_rule,
        "income_vintage": vintage,
    }
    if basis == "world":
        shares = world_group_shares(flows, groups=groups, focal=focal, years=years,
                                    hs_codes=hs_codes, **income)  # fmt: skip
    elif basis == "partner":
        if groups == "income3":
            groups = "income"
        from geotrade.mirror import apply_mirror

        # reconciled data (BACI: each flow once, as an export) hold the focal economy's
        # imports as its partners' exports: the same 'auto' mirror rule as interdependence
        # and trade summary, so the import shares are not silently empty
        focal_flows, _policy, mirror_note = apply_mirror(flows, focal=focal, mirror="auto")
        parts = []
        for flow in ("export", "import"):
            p = partner_group_shares(focal_flows, focal=focal, by=groups, flow=flow,
                                     years=years, hs_codes=hs_codes, **income)  # fmt: skip
            parts.append(p)
        # attrs hold DataFrames (excluded rows): concatenate copies without them
        bare = [
            pd.DataFrame(p).assign(flow=f) for p, f in zip(parts, ("export", "import"), strict=True)
        ]
        for b in bare:
            b.attrs = {}
        shares = pd.concat(bare, ignore_index=True)
        shares = shares[["year", "flow", *[c for c in shares.columns if c not in ("year", "flow")]]]
        part_notes = [n for p in parts for n in p.attrs.get("notes", [])]
        if _policy != "reporter":
            part_notes.insert(0, mirror_note)
        shares.attrs["notes"] = list(dict.fromkeys(part_notes))
    else:
        msg = f"basis must be 'world' or 'partner', got {basis!r}"
        raise ValidationError([Problem(msg, column="--basis")])
    tables: dict[str, pd.DataFrame] = {"shares": shares}
    if sectors is not None and "sector" in sectors.columns:
        tables["sectors"] = _sector_table(flows, sectors, basis=basis, focal=focal, years=years)
    yrs = sorted({int(y) for y in shares["year"]})
    meta = ProductMetadata(
        product="shares",
        title_en=(
            "Trade by country group" if basis == "world" else f"{focal}'s trade by partner group"
        ),
        title_zh="按国家组别的贸易份额" if basis == "world" else f"{focal}按贸易伙伴组别的贸易份额",
        subtitle=f"grouping: {groups if isinstance(groups, str) else 'user mapping'}; "
        f"basis: {basis}",
        synthetic=bool(synthetic),
        note=note,
        source=source,
        source_files=list(source_files or []),
        years=yrs,
        options={
            "by": groups if isinstance(groups, str) else "user mapping",
            "basis": basis,
            "focal": focal,
            "income_vintage": (
                f"historical (trade year -> fiscal year rule {history_rule!r})"
                if vintage == "historical"
                else "latest (FY26 snapshot)"
            ),
        },
        notes=[*(notes or []), *shares.attrs.get("notes", [])],
    )
    return ProductResult(metadata=meta, tables=tables)


def write_charts(
    result: ProductResult,
    png: str | Path,
    *,
    lang: Literal["en", "zh", "both"] = "both",
    formats: tuple[str, ...] = ("png",),
) -> dict[str, str]:
    """Draw the seed's charts of a shares product next to ``png``.

    World basis: ``<png>`` (stacked shares) and ``<stem>_balance.<ext>``; partner basis:
    ``<png>`` (shares of exports by group); with sectors also ``<stem>_sectors.<ext>``.
    Returns ``{name: path}`` of the first format's files.
    """
    from geotrade.maps.charts import balance_chart, sector_chart, shares_chart

    png = Path(png)
    meta = result.metadata
    note = meta.note or None
    shares = result.tables["shares"]
    out: dict[str, str] = {}
    order = list(dict.fromkeys(shares["group"]))
    if "export_share_pct" in shares.columns:
        p = shares_chart(shares, png, lang=lang, note=note, formats=formats, group_order=order)
        out["png"] = str(p[0])
        b = balance_chart(shares, png.with_name(f"{png.stem}_balance{png.suffix}"), lang=lang,
                          note=note, formats=formats, group_order=order)  # fmt: skip
        out["png_balance"] = str(b[0])
    else:
        wide = shares.pivot_table(index=["year", "group"], columns="flow", values="share_pct")
        wide = wide.reset_index().rename(
            columns={"export": "export_share_pct", "import": "import_share_pct"}
        )
        for col in ("export_share_pct", "import_share_pct"):
            if col not in wide.columns:
                wide[col] = 0.0
        title = {"en": f"{meta.options.get('focal')}'s trade by partner group",
                 "zh": f"{meta.options.get('focal')}按贸易伙伴组别的份额"}  # fmt: skip
        p = shares_chart(wide, png, lang=lang, note=note, formats=formats, group_order=order,
                         title=title.get(lang, f"{title['zh']} / {title['en']}"))  # fmt: skip
        out["png"] = str(p[0])
    if "sectors" in result.tables:
        s = sector_chart(result.tables["sectors"], png.with_name(f"{png.stem}_sectors{png.suffix}"),
                         lang=lang, note=note, formats=formats)  # fmt: skip
        out["png_sectors"] = str(s[0])
    return out
