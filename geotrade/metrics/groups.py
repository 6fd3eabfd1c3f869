r"""Trade by country group: world shares and balances, and a focal economy's partner groups.

Definitions and units (USD; shares in percent)
----------------------------------------------
Groupings (seed 001, Figs 1-2 and Table 2):

* ``"income3"`` — the focal economy alone, *high-income* economies, and *emerging market
  and developing economies* (every other economy with a World Bank income group);
* ``"income"`` — the four World Bank income groups (High / Upper middle / Lower middle /
  Low income);
* ``"region"`` — the seven World Bank regions;
* any user grouping: a mapping ``{iso3: group}`` or a CSV file with columns ``iso3, group``.

Economies without a group in the chosen grouping (e.g. territories without a World Bank
income group) go to the group ``"unclassified"``: they are kept and reported, never
dropped. Taiwan ("Taiwan, China"), absent from the WDI metadata behind the snapshot, is
High income as in the World Bank's CLASS and OGHIST workbooks.

World Bank income groups change every fiscal year. geotrade's reference table holds **one
snapshot** (``wb_income_fy`` = FY26, classification of 2025-07-01). Pass ``history`` to
join historical groups by year: either the table of
:func:`geotrade.io.readers.worldbank_income.read_income_history` (the World Bank's OGHIST
workbook; a trade year uses the classification in force that year, ``history_rule``,
default ``"published"``: FY(year + 1), published in July of the year), or a table with
columns ``iso3, year, group``; ``income_vintage="historical"`` states that intent explicitly
(it then requires ``history``) and ``income_vintage="latest"`` the snapshot (it then
refuses a ``history``). The history is **user-supplied** (the OGHIST workbook the user
downloads from the World Bank); geotrade ships none. Every (economy, year) without a
historical entry uses the snapshot, and ``attrs["notes"]`` says which years and which
economies do. Economies the OGHIST lists but left unclassified in a fiscal year (``..``)
are ``"unclassified"`` that year, not the snapshot. Nothing pretends that the snapshot is
historical.

World shares (:func:`world_group_shares`), for group :math:`g` and year :math:`t`:

* ``basis="exports"`` (mirror, as in BACI where only exports exist): exports
  :math:`X_g = \sum_{i \in g} \sum_j X_{ij}`, imports :math:`M_g = \sum_{j \in g} \sum_i
  X_{ij}`, so world exports = world imports = :math:`\sum_{ij} X_{ij}`;
* ``basis="reported"``: each reporter's own exports and imports (Comtrade style).

Share :math:`100\,X_g / \sum_h X_h`; balance :math:`X_g - M_g`.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "CHN", "DEU"],
...     "partner_iso3": ["DEU", "IND", "CHN"], "flow": "export", "hs_code": "850760",
...     "value_usd": [60.0, 20.0, 20.0]})
>>> w = world_group_shares(flows, groups="income3", focal="CHN")
>>> w["group"].tolist()
['CHN', 'High income', 'Emerging market and developing economies']
>>> w[["exports_usd", "imports_usd", "export_share_pct", "balance_usd"]].to_numpy().tolist()
[[80.0, 20.0, 80.0, 60.0], [20.0, 60.0, 20.0, -40.0], [0.0, 20.0, 0.0, -20.0]]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import DataNotFoundError, InputFormatError
from geotrade.metrics.trade import (
    FLOW_COLUMNS,
    _check_flows,
    _excluded_table,
    _hs_list,
    _partner_reasons,
    split_aggregates,
)

__all__ = [
    "EMDE",
    "HIGH_INCOME",
    "INCOME_GROUPS",
    "UNCLASSIFIED",
    "WB_REGIONS",
    "IncomeVintage",
    "group_label",
    "group_table",
    "partner_group_shares",
    "resolve_income_vintage",
    "world_group_shares",
]

HIGH_INCOME = "High income"
EMDE = "Emerging market and developing economies"
UNCLASSIFIED = "unclassified"

#: World Bank income groups, richest first (seed 001 Table 2 order).
INCOME_GROUPS: tuple[str, ...] = (
    "High income",
    "Upper middle income",
    "Lower middle income",
    "Low income",
)
#: World Bank regions in the order of seed 001 Table 2.
WB_REGIONS: tuple[str, ...] = (
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East & North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)
_ZH = {
    "High income": "高收入",
    "Upper middle income": "中上等收入",
    "Lower middle income": "中下等收入",
    "Low income": "低收入",
    EMDE: "新兴市场和发展中经济体",
    "East Asia & Pacific": "东亚与太平洋",
    "Europe & Central Asia": "欧洲与中亚",
    "Latin America & Caribbean": "拉丁美洲与加勒比",
    "Middle East & North Africa": "中东与北非",
    "North America": "北美",
    "South Asia": "南亚",
    "Sub-Saharan Africa": "撒哈拉以南非洲",
    UNCLASSIFIED: "未分类",
}

Grouping = Literal["income3", "income", "region"]
#: Which World Bank income classification a trade year gets: ``"latest"`` (the FY26
#: snapshot of geotrade's country table) or ``"historical"`` (the classification in force
#: that year, from the user's OGHIST history).
IncomeVintage = Literal["latest", "historical"]
FiscalYearRule = Literal["published", "gni", "ending"]
GroupSpec = str | Mapping[str, str] | os.PathLike[str]
Basis = Literal["exports", "reported"]


def group_label(group: str, *, lang: Literal["en", "zh"] = "en") -> str:
    """Display label of a group (Chinese labels as in seed 001; others unchanged).

    Examples
    --------
    >>> group_label("Upper middle income", lang="zh"), group_label("MSP", lang="zh")
    ('中上等收入', 'MSP')
    """
    return _ZH.get(group, group) if lang == "zh" else group


#: Economies the World Bank classifies in its CLASS workbook but whose row the WDI metadata
#: file behind ``countries.csv`` leaves out: "Taiwan, China" (TWN) is High income in CLASS
#: and OGHIST (World Bank CLASS.xlsx; excerpt tests/data/real/worldbank/CLASS_FY23_excerpt.xlsx;
#: shared/notes/real-data.md).
_CLASS_ADDITIONS: dict[str, dict[str, str]] = {"wb_income_group": {"TWN": "High income"}}


def _snapshot(column: str) -> pd.Series:
    from geotrade.reference import countries

    c = countries().set_index("iso3")
    out = c[column].replace("", np.nan)
    for iso3, value in _CLASS_ADDITIONS.get(column, {}).items():
        if iso3 in out.index and pd.isna(out.loc[iso3]):
            out.loc[iso3] = value
    return out


def _read_group_csv(path: Path) -> dict[str, str]:
    if not path.is_file():
        msg = "group file not found; give a CSV with columns iso3,group"
        raise DataNotFoundError(msg, path=path)
    try:
        t = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        msg = f"cannot read the group file as CSV ({exc})"
        raise InputFormatError(msg, path=path) from exc
    cols = {c.strip().lower(): c for c in t.columns}
    if "iso3" not in cols or "group" not in cols:
        msg = f"expected columns iso3,group; found {', '.join(t.columns)}"
        raise InputFormatError(msg, path=path, row=1)
    iso = t[cols["iso3"]].str.strip().str.upper()
    dup = iso[iso.duplicated()].tolist()
    if dup:
        row = int(np.flatnonzero(iso.duplicated().to_numpy())[0]) + 2
        msg = f"economy {dup[0]} is listed twice; give each iso3 one group"
        raise InputFormatError(msg, path=path, row=row, column=cols["iso3"])
    return dict(zip(iso, t[cols["group"]].str.strip(), strict=True))


def _dated_groups(spec: str | Path, years: list[int]) -> pd.Series:
    """Group of each ``(iso3, year)`` from a shipped grouping or a CSV ``iso3,group[,from,to]``.

    ``from``/``to`` are inclusive years (empty = open-ended), so an economy counts only in the
    years it was a member. An economy in two groups of the same file in one year is an error.
    A plain ``iso3,group`` file (no dates) gives the same group in every year.
    """
    from geotrade.groupings import load_groupings, membership_by_year, resolve_groupings

    if isinstance(spec, Path):
        if not spec.is_file():
            msg = "group file not found; give a CSV with columns iso3,group[,from,to]"
            raise DataNotFoundError(msg, path=spec)
        head = pd.read_csv(spec, dtype=str, nrows=0, encoding="utf-8-sig")
        cols = {str(c).strip().lower() for c in head.columns}
        if not {"iso3", "group"} <= cols:
            msg = f"expected columns iso3,group[,from,to]; found {', '.join(head.columns)}"
            raise InputFormatError(msg, path=spec, row=1)
        table = load_groupings(spec)
    else:
        table = resolve_groupings(spec)
    m = membership_by_year(table, years)
    dup = m[m.duplicated(["iso3", "year"], keep=False)]
    if not dup.empty:
        r = dup.iloc[0]
        both = ", ".join(sorted(set(dup.loc[dup["iso3"] == r["iso3"], "group"])))
        msg = (
            f"economy {r['iso3']} is in several groups in {int(r['year'])} ({both}); "
            "give each economy one group per year (run one grouping at a time)"
        )
        raise InputFormatError(msg, path=str(spec))
    return m.set_index(["iso3", "year"])["group"]


_RULE_TEXT = {
    "published": "FY(Y+1), the classification published in July of Y (GNI of Y-1)",
    "gni": "FY(Y+2), the classification based on GNI of Y",
    "ending": "FY(Y), the fiscal year ending in June of Y",
}


def _history_table(
    history: pd.DataFrame, years: list[int], *, rule: FiscalYearRule
) -> tuple[pd.DataFrame, bool]:
    """``iso3, year, group`` from an OGHIST table or a user table; True for OGHIST."""
    cols = {str(c).lower() for c in history.columns}
    if {"iso3", "fy", "income_group"} <= cols:
        from geotrade.io.readers.worldbank_income import income_groups_by_year

        h = history.rename(columns=str.lower)
        h.attrs = dict(history.attrs)
        return income_groups_by_year(h, years, rule=rule), True
    h = history.rename(columns=str.lower)
    missing = {"iso3", "year", "group"} - set(h.columns)
    if missing:
        msg = (
            "history needs columns iso3, year, group (or iso3, fy, income_group from "
            f"read_income_history); missing {sorted(missing)}"
        )
        raise InputFormatError(msg)
    from geotrade.io.readers.worldbank_income import INCOME_LABELS

    g = h["group"].where(h["group"].notna(), "").astype(str).str.strip()
    h = h.assign(
        iso3=h["iso3"].astype(str).str.strip().str.upper(),
        year=h["year"].astype("int64"),
        group=g.map(lambda v: INCOME_LABELS.get(v.upper(), v)),
    ).drop_duplicates(["iso3", "year"], keep="last")
    return h, False


def resolve_income_vintage(
    income_vintage: IncomeVintage | None, history: pd.DataFrame | None
) -> IncomeVintage:
    """Check the income vintage against the history given; ``None``: historical if given.

    Examples
    --------
    >>> resolve_income_vintage(None, None)
    'latest'
    >>> resolve_income_vintage("historical", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geotrade.errors.InputFormatError: income_vintage='historical' needs history= ...
    """
    if income_vintage is None:
        return "historical" if history is not None else "latest"
    if income_vintage not in ("latest", "historical"):
        msg = f"income_vintage must be 'latest' or 'historical', got {income_vintage!r}"
        raise InputFormatError(msg)
    if income_vintage == "historical" and history is None:
        msg = (
            "income_vintage='historical' needs history= (the table of read_income_history "
            "from your World Bank OGHIST.xlsx, or iso3, year, group)"
        )
        raise InputFormatError(msg)
    if income_vintage == "latest" and history is not None:
        msg = (
            "income_vintage='latest' uses the FY26 snapshot and would ignore the history "
            "given; pass income_vintage='historical' to use it, or drop history="
        )
        raise InputFormatError(msg)
    return income_vintage


def group_table(
    economies: Iterable[str],
    years: Iterable[int],
    *,
    groups: GroupSpec = "income3",
    focal: str | None = None,
    history: pd.DataFrame | None = None,
    history_rule: FiscalYearRule = "published",
    income_vintage: IncomeVintage | None = None,
) -> pd.DataFrame:
    """Assign economies to groups for each year.

    Parameters
    ----------
    economies
        ISO3 codes.
    years
        Years needed.
    groups
        ``"income3"``, ``"income"``, ``"region"``, a mapping ``{iso3: group}`` or a path to a
        CSV with columns ``iso3, group``.
    focal
        For ``"income3"``: the economy shown as its own group (e.g. ``"CHN"``).
    history
        Optional historical income groups used for ``"income3"`` and ``"income"`` wherever
        they have an entry: the table of
        :func:`~geotrade.io.readers.worldbank_income.read_income_history` (columns ``iso3,
        fy, income_group``), or columns ``iso3, year, group`` (group labels, or the codes
        ``L, LM, UM, H``).
    history_rule
        For an OGHIST table: which fiscal year a trade year uses
        (:func:`~geotrade.io.readers.worldbank_income.fiscal_year_for`; default
        ``"published"``, FY(year + 1)).
    income_vintage
        ``"latest"`` (the FY26 snapshot; no ``history``) or ``"historical"`` (requires
        ``history``); default ``None``: historical when a history is given, else latest.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3, year, group, source`` (``"history"``, ``"snapshot FY26"``,
        ``"user"`` or ``"focal"``). ``attrs["notes"]`` explains snapshot use;
        ``attrs["unclassified"]`` lists economies without a group.

    Examples
    --------
    >>> g = group_table(["CHN", "USA", "IND", "TWN"], [2012], focal="CHN")
    >>> g["group"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['CHN', 'Emerging market and developing economies', 'High income', 'High income']
    """
    vintage = resolve_income_vintage(income_vintage, history)
    econ = sorted({str(e).strip().upper() for e in economies})
    yrs = sorted({int(y) for y in years})
    base = pd.DataFrame([(e, y) for y in yrs for e in econ], columns=["iso3", "year"]).astype(
        {"year": "int64"}
    )
    notes: list[str] = []
    if isinstance(groups, str) and groups in ("income3", "income", "region"):
        if groups == "region":
            snap = _snapshot("wb_region")
            base["group"] = base["iso3"].map(snap)
            base["source"] = "snapshot FY26"
            notes.append(
                "World Bank regions: FY26 snapshot (World Bank metadata of 2025-07-01); "
                "region membership changed little, but e.g. AFG, PAK moved in 2025"
            )
        else:
            snap = _snapshot("wb_income_group")
            base["group"] = base["iso3"].map(snap)
            base["source"] = "snapshot FY26"
            if vintage == "historical" and history is not None:
                h, from_wb = _history_table(history, yrs, rule=history_rule)
                m = base.merge(h[["iso3", "year", "group"]], on=["iso3", "year"], how="left")
                has = m["group_y"].notna() & (m["group_y"].astype(str) != "")
                base.loc[has.to_numpy(), "group"] = m.loc[has, "group_y"].to_numpy()
                base.loc[has.to_numpy(), "source"] = "history"
                if from_wb:
                    # listed in OGHIST but not classified that fiscal year ('..')
                    blank = (m["group_y"].astype(str) == "").to_numpy()
                    base.loc[blank, "group"] = np.nan
                    base.loc[blank, "source"] = "history"
                    notes.append(
                        "World Bank income groups by year from the OGHIST history: trade "
                        f"year Y uses {_RULE_TEXT[history_rule]}"
                    )
                absent = sorted(
                    set(econ)
                    - set(h["iso3"])
                    - ({focal.strip().upper()} if (groups == "income3" and focal) else set())
                )
                if absent:
                    notes.append(
                        f"{len(absent)} economies are not in the income history and use the "
                        "FY26 snapshot (or are unclassified): "
                        + ", ".join(absent[:30])
                        + (" ..." if len(absent) > 30 else "")
                    )
            snap_years = sorted(set(base.loc[base["source"] == "snapshot FY26", "year"]))
            if snap_years:
                notes.append(
                    "World Bank income groups for "
                    f"{', '.join(map(str, snap_years))} use the FY26 snapshot (classification "
                    "of 2025-07-01, 2024 GNI per capita), not the classification of those "
                    "years; pass history= with income_vintage='historical' (CLI: "
                    "--income-vintage historical --income-history OGHIST.xlsx)"
                )
            if groups == "income3":
                hi = base["group"] == HIGH_INCOME
                other = base["group"].notna() & ~hi
                base.loc[other, "group"] = EMDE
        if groups == "income3" and focal is not None:
            f = base["iso3"] == focal.strip().upper()
            base.loc[f, "group"] = focal.strip().upper()
            base.loc[f, "source"] = "focal"
    else:
        mapping: dict[str, str] | None
        if isinstance(groups, Mapping):
            mapping = {str(k).strip().upper(): str(v) for k, v in groups.items()}
        elif isinstance(groups, (str, os.PathLike)):
            from geotrade.groupings import shipped_names

            p = Path(groups)
            shipped = str(groups) in shipped_names()
            if not shipped and not p.suffix and not p.exists():
                msg = (
                    f"unknown grouping {str(groups)!r}; use income3, income, region, a "
                    f"shipped grouping ({', '.join(shipped_names())}), a mapping iso3 -> "
                    "group or a CSV file with columns iso3,group[,from,to]"
                )
                raise InputFormatError(msg)
            dated = _dated_groups(str(groups) if shipped else p, sorted(set(base["year"])))
            key = pd.MultiIndex.from_arrays([base["iso3"], base["year"]])
            base["group"] = dated.reindex(key).to_numpy()
            base["source"] = "user"
            mapping = None
        else:  # pragma: no cover - typing guards this
            msg = f"groups must be a name, a mapping or a CSV path, got {type(groups).__name__}"
            raise InputFormatError(msg)
        if mapping is not None:
            base["group"] = base["iso3"].map(mapping)
            base["source"] = "user"
    unclassified = sorted(set(base.loc[base["group"].isna(), "iso3"]))
    base["group"] = base["group"].fillna(UNCLASSIFIED)
    if unclassified:
        notes.append(
            f"{len(unclassified)} economies have no group and are shown as 'unclassified': "
            + ", ".join(unclassified[:30])
            + (" ..." if len(unclassified) > 30 else "")
        )
    base.attrs["notes"] = notes
    base.attrs["income_vintage"] = vintage
    base.attrs["unclassified"] = unclassified
    return base


def _order(groups: Iterable[str], focal: str | None) -> list[str]:
    present = list(dict.fromkeys(groups))
    fixed = [focal] if focal else []
    fixed += [HIGH_INCOME, *INCOME_GROUPS[1:], EMDE, *WB_REGIONS]
    head = [g for g in fixed if g in present]
    tail = sorted(g for g in present if g not in head and g != UNCLASSIFIED)
    return head + tail + ([UNCLASSIFIED] if UNCLASSIFIED in present else [])


def world_group_shares(
    flows: pd.DataFrame,
    *,
    groups: GroupSpec = "income3",
    focal: str | None = "CHN",
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    basis: Basis = "exports",
    history: pd.DataFrame | None = None,
    history_rule: FiscalYearRule = "published",
    income_vintage: IncomeVintage | None = None,
) -> pd.DataFrame:
    """World export/import shares and trade balances by country group (seed 001, Figs 1-2).

    Parameters
    ----------
    flows
        Canonical flow table with many reporters (e.g. BACI). Aggregate partners/reporters,
        ``is_aggregate`` rows, self-trade and re-exports are excluded (``attrs["excluded"]``).
    groups, focal, history, history_rule, income_vintage
        See :func:`group_table`.
    years, hs_codes
        Optional filters.
    basis
        ``"exports"`` (imports are partners' reported exports; default) or ``"reported"``
        (each reporter's own exports and imports).

    Returns
    -------
    pandas.DataFrame
        One row per year and group: ``year, group, exports_usd, imports_usd,
        export_share_pct, import_share_pct, balance_usd`` (exports − imports).
        ``attrs["notes"]`` (income-group vintage, unclassified economies) and
        ``attrs["excluded"]``.
    """
    if basis not in ("exports", "reported"):
        msg = f"basis must be 'exports' or 'reported', got {basis!r}"
        raise ValueError(msg)
    df = _check_flows(flows)
    if years is not None:
        df = df[df["year"].isin([int(y) for y in years])]
    if hs_codes is not None:
        df = df[df["hs_code"].isin(_hs_list(hs_codes))]
    reasons = _partner_reasons(df["partner_iso3"], df["reporter_iso3"])
    rep_reason = _partner_reasons(df["reporter_iso3"], "")
    reasons[rep_reason.notna() & reasons.isna()] = "aggregate or missing reporter"
    pre = df["_pre_reason"]
    reasons[pre.notna()] = pre[pre.notna()]
    if basis == "exports":
        reasons[reasons.isna() & (df["flow"] == "import")] = (
            "import row not used (basis='exports': imports are partners' exports)"
        )
    excluded = _excluded_table(df, reasons)
    kept = df.loc[reasons.isna(), list(FLOW_COLUMNS)].copy()
    kept["partner_iso3"] = kept["partner_iso3"].astype(str).str.strip().str.upper()
    if kept.empty:
        # no partner detail: country totals (partner World, e.g. the IMF dashboard) are the
        # only correct basis left; each reporter's own exports and imports to the World
        kept = _country_totals(df)
        basis = "reported"
    econ = (set(kept["reporter_iso3"]) | set(kept["partner_iso3"])) - {"WLD"}
    yrs = sorted(set(kept["year"]))
    gt = group_table(
        econ,
        yrs,
        groups=groups,
        focal=focal,
        history=history,
        history_rule=history_rule,
        income_vintage=income_vintage,
    )
    gmap = gt.set_index(["iso3", "year"])["group"]
    ex_rows = kept[kept["flow"] == "export"]
    if basis == "exports":
        x = ex_rows.assign(iso3=ex_rows["reporter_iso3"])
        m = ex_rows.assign(iso3=ex_rows["partner_iso3"])
    else:
        x = ex_rows.assign(iso3=ex_rows["reporter_iso3"])
        im = kept[kept["flow"] == "import"]
        m = im.assign(iso3=im["reporter_iso3"])

    def by_group(t: pd.DataFrame) -> pd.Series:
        key = pd.MultiIndex.from_arrays([t["iso3"], t["year"]])
        g = pd.Series(gmap.reindex(key).to_numpy(), index=t.index)
        return t.assign(group=g).groupby(["year", "group"])["value_usd"].sum()

    out = pd.concat(
        [by_group(x).rename("exports_usd"), by_group(m).rename("imports_usd")], axis=1
    ).fillna(0.0)
    out = out.reset_index()
    for col, share in (("exports_usd", "export_share_pct"), ("imports_usd", "import_share_pct")):
        tot = out.groupby("year")[col].transform("sum")
        out[share] = np.where(tot > 0, 100.0 * out[col] / tot.where(tot > 0, 1.0), np.nan)
    out["balance_usd"] = out["exports_usd"] - out["imports_usd"]
    # every group of the grouping appears every year (zero when absent)
    order = _order(gt["group"], focal if groups == "income3" else None)
    full = pd.MultiIndex.from_product([yrs, order], names=["year", "group"])
    out = out.set_index(["year", "group"]).reindex(full)
    out[["exports_usd", "imports_usd", "balance_usd"]] = out[
        ["exports_usd", "imports_usd", "balance_usd"]
    ].fillna(0.0)
    for share in ("export_share_pct", "import_share_pct"):
        out[share] = out[share].fillna(0.0)
    out = out.reset_index()[
        [
            "year",
            "group",
            "exports_usd",
            "imports_usd",
            "export_share_pct",
            "import_share_pct",
            "balance_usd",
        ]
    ]
    out.attrs["notes"] = gt.attrs["notes"] + (
        ["no partner detail: shares of the economies' reported totals with the World"]
        if kept["partner_iso3"].eq("WLD").all()
        else []
    )
    out.attrs["excluded"] = excluded
    out.attrs["basis"] = basis
    out.attrs["income_vintage"] = gt.attrs["income_vintage"]
    return out


def _country_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of economies' trade with the World (``partner_iso3 == "WLD"``), or an error."""
    from geotrade.errors import Problem, ValidationError
    from geotrade.schema import code_kinds

    world = df["partner_iso3"].eq("WLD") & code_kinds(df["reporter_iso3"]).isin(
        ["economy", "historical", "unknown"]
    )
    world &= df["flow"].isin(["export", "import"]) & df["_pre_reason"].isna()
    rows = df.loc[world, list(FLOW_COLUMNS)].copy()
    if rows.empty:
        msg = (
            "group shares need partner detail (bilateral flows between economies) or country "
            "totals (each economy's exports and imports with partner WLD); the table has "
            "neither for the selected years and products"
        )
        raise ValidationError([Problem(msg, column="partner_iso3")])
    return rows


def partner_group_shares(
    flows: pd.DataFrame,
    *,
    focal: str,
    by: GroupSpec = "income",
    flow: Literal["export", "import"] = "export",
    years: Iterable[int] | None = None,
    hs_codes: Iterable[str] | None = None,
    history: pd.DataFrame | None = None,
    history_rule: FiscalYearRule = "published",
    income_vintage: IncomeVintage | None = None,
) -> pd.DataFrame:
    """Share a focal economy's exports (or imports) by partner group (seed 001 Table 2).

    Parameters
    ----------
    flows
        Canonical flow table; only rows reported by ``focal`` are used (aggregates and
        re-exports excluded, see :func:`geotrade.metrics.trade.split_aggregates`).
    focal
        ISO3 of the reporter.
    by
        ``"income"`` (World Bank income groups), ``"region"`` (World Bank regions), or a
        user grouping (mapping or CSV path, see :func:`group_table`).
    flow
        ``"export"`` (the seed's table) or ``"import"``.
    years, hs_codes, history, history_rule, income_vintage
        Filters and historical income groups (see :func:`group_table`).

    Returns
    -------
    pandas.DataFrame
        ``year, group, value_usd, share_pct, n_partners``; every group of the grouping
        appears every year (0 when the focal economy does not trade with it), unclassified
        partners last. ``attrs["notes"]`` and ``attrs["excluded"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": "CHN",
    ...     "partner_iso3": ["USA", "DEU", "IND", "TWN"], "flow": "export",
    ...     "hs_code": "850760", "value_usd": [50.0, 20.0, 20.0, 10.0]})
    >>> s = partner_group_shares(flows, focal="CHN", by="income")
    >>> s[["group", "share_pct", "n_partners"]]
                     group  share_pct  n_partners
    0          High income       80.0           3
    1  Upper middle income        0.0           0
    2  Lower middle income       20.0           1
    3           Low income        0.0           0
    """
    kept, excluded = split_aggregates(flows, focal=focal, years=years, hs_codes=hs_codes)
    kept = kept[kept["flow"] == flow]
    yrs = sorted(set(kept["year"]))
    gt = group_table(
        set(kept["partner_iso3"]),
        yrs,
        groups=by,
        focal=None,
        history=history,
        history_rule=history_rule,
        income_vintage=income_vintage,
    )
    gmap = gt.set_index(["iso3", "year"])["group"]
    key = pd.MultiIndex.from_arrays([kept["partner_iso3"], kept["year"]])
    kept = kept.assign(group=gmap.reindex(key).to_numpy())
    v = kept.groupby(["year", "group"]).agg(
        value_usd=("value_usd", "sum"), n_partners=("partner_iso3", "nunique")
    )
    if isinstance(by, str) and by == "income":
        order = [*INCOME_GROUPS]
    elif isinstance(by, str) and by == "region":
        order = [*WB_REGIONS]
    else:
        order = []
    order += [g for g in _order(gt["group"], None) if g not in order]
    if UNCLASSIFIED in order:
        order = [g for g in order if g != UNCLASSIFIED] + [UNCLASSIFIED]
    full = pd.MultiIndex.from_product([yrs, order], names=["year", "group"])
    v = v.reindex(full).fillna(0.0).reset_index()
    v["n_partners"] = v["n_partners"].astype("int64")
    tot = v.groupby("year")["value_usd"].transform("sum")
    v["share_pct"] = np.where(tot > 0, 100.0 * v["value_usd"] / tot.where(tot > 0, 1.0), np.nan)
    v = v[["year", "group", "value_usd", "share_pct", "n_partners"]]
    v.attrs["notes"] = gt.attrs["notes"]
    v.attrs["income_vintage"] = gt.attrs["income_vintage"]
    v.attrs["excluded"] = excluded[
        excluded["reason"] != "reporter is not the focal economy"
    ].reset_index(drop=True)
    return v
