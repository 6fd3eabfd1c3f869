"""Charts of group and sector shares (seed 001 Figures 1-4), bilingual, written atomically.

* :func:`shares_chart` — each group's share of world exports and of world imports per year,
  as stacked bars (Figure 1: China, high-income, emerging and developing economies);
* :func:`balance_chart` — each group's trade balance per year as bars (Figure 2, 亿美元);
* :func:`sector_chart` — exports by sector per year as stacked bars (Figures 3-4).

The inputs are the tables of :func:`geotrade.metrics.groups.world_group_shares` (columns
``year, group, exports_usd, imports_usd, export_share_pct, import_share_pct,
balance_usd``) or any table with ``year``, a category column and a value column. Files are
written through the same atomic writer as the static maps (title and note in the file
metadata).

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> t = pd.DataFrame({"year": [2012, 2012, 2022, 2022], "group": ["CHN", "High income"] * 2,
...     "export_share_pct": [10.0, 90.0, 25.0, 75.0], "import_share_pct": [20.0, 80.0] * 2,
...     "balance_usd": [-1e9, 1e9, 5e9, -5e9]})
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in shares_chart(t, d / "shares.png", lang="en")]
['shares.png']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from geotrade.errors import Problem, ValidationError

__all__ = ["balance_chart", "sector_chart", "shares_chart"]

Lang = Literal["en", "zh", "both"]

#: Colour-blind-safe qualitative colours (ColorBrewer Set2, 8 classes; CC-BY-like Apache
#: licence of ColorBrewer, as in :mod:`geotrade.style.palettes`).
_SET2 = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3")
_ZH = {
    "exports": "出口",
    "imports": "进口",
    "share": "份额 (%)",
    "balance": "贸易差额 (亿美元)",
    "value": "出口额 (亿美元)",
    "year": "年份",
}
_EN = {
    "exports": "Exports",
    "imports": "Imports",
    "share": "Share (%)",
    "balance": "Trade balance (100 million USD)",
    "value": "Exports (100 million USD)",
    "year": "Year",
}


def _label(key: str, lang: Lang) -> str:
    if lang == "zh":
        return _ZH[key]
    if lang == "en":
        return _EN[key]
    return f"{_ZH[key]} / {_EN[key]}"


def _group_label(group: str, lang: Lang) -> str:
    from geotrade.metrics.groups import group_label

    if len(group) == 3 and group.isupper():  # an economy shown on its own (the focal one)
        from geotrade.metrics.trade import focal_names

        en, zh = focal_names(group)
        return {"en": en, "zh": zh}.get(lang, f"{zh} {en}")
    if lang == "en":
        return group_label(group, lang="en")
    zh = group_label(group, lang="zh")
    if lang == "zh" or zh == group:
        return zh
    return f"{zh} {group}"


def _need(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        msg = f"the {what} table lacks column(s) {', '.join(missing)}"
        raise ValidationError([Problem(msg, column=missing[0])])
    if table.empty:
        msg = f"the {what} table is empty: nothing to draw"
        raise ValidationError([Problem(msg)])


def _figure(lang: Lang, n_panels: int):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geotrade.maps.fonts import font_families

    families, used = font_families("zh" if lang != "en" else "en")
    plt.rcParams["font.family"] = families
    width = 5.2 * n_panels if n_panels > 1 else 7.5
    fig, axes = plt.subplots(1, n_panels, figsize=(width, 4.8), squeeze=False)
    return fig, list(axes[0]), used


def _finish(fig, path: Path, *, title: str, note: str | None, formats: Sequence[str]):
    from geotrade.maps.static import _save

    fig.suptitle(title, fontsize=12)
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555", ha="left", va="bottom")
    # room at the bottom for the legend (fig.legend) and the note
    fig.tight_layout(rect=(0, 0.2, 1, 0.95))
    try:
        return _save(fig, path, formats=formats, dpi=150, title=title, description=note)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def _stacked(ax, table: pd.DataFrame, *, cat: str, value: str, lang: Lang, order) -> None:
    wide = table.pivot_table(index="year", columns=cat, values=value, aggfunc="sum")
    wide = wide.reindex(columns=[c for c in order if c in wide.columns]).fillna(0.0)
    years = [str(int(y)) for y in wide.index]
    bottom = np.zeros(len(wide))
    for i, col in enumerate(wide.columns):
        vals = wide[col].to_numpy(dtype=float)
        ax.bar(years, vals, bottom=bottom, color=_SET2[i % len(_SET2)],
               label=_group_label(str(col), lang), edgecolor="white", linewidth=0.5)  # fmt: skip
        bottom += vals
    ax.spines[["top", "right"]].set_visible(False)
    if len(years) > 12:  # long panels (e.g. 1994-2023): vertical year labels, no overlap
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.set_xlabel(_label("year", lang))


def shares_chart(
    table: pd.DataFrame,
    path: str | Path,
    *,
    lang: Lang = "both",
    title: str | None = None,
    note: str | None = None,
    formats: Sequence[str] = ("png",),
    group_order: Sequence[str] | None = None,
) -> list[Path]:
    """Draw stacked shares of world exports and imports by group and year (seed 001 Fig. 1).

    Parameters
    ----------
    table
        ``year, group, export_share_pct, import_share_pct`` (e.g. from
        :func:`geotrade.metrics.groups.world_group_shares`).
    path
        Output file; one file per format (``png``, ``pdf``, ``svg``).
    lang
        ``"en"``, ``"zh"`` or ``"both"`` (bilingual labels).
    title, note
        Title (default bilingual "share of world trade") and a footnote (e.g. the synthetic
        or income-vintage note), both also stored in the file metadata.
    formats, group_order
        Output formats; order of the groups from the bottom of each bar.

    Returns
    -------
    list of pathlib.Path
    """
    _need(table, ["year", "group", "export_share_pct", "import_share_pct"], "group shares")
    order = list(group_order or dict.fromkeys(table["group"]))
    fig, (ax_x, ax_m), _ = _figure(lang, 2)
    _stacked(ax_x, table, cat="group", value="export_share_pct", lang=lang, order=order)
    _stacked(ax_m, table, cat="group", value="import_share_pct", lang=lang, order=order)
    ax_x.set_title(_label("exports", lang))
    ax_m.set_title(_label("imports", lang))
    for ax in (ax_x, ax_m):
        ax.set_ylim(0, 100)
        ax.set_ylabel(_label("share", lang))
    handles, labels = ax_x.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 3), frameon=False,
               fontsize=8, bbox_to_anchor=(0.5, 0.04))  # fmt: skip
    default = {"en": "Share of world trade by group", "zh": "各组在世界贸易中的份额"}
    text = title or (default[lang] if lang in default else f"{default['zh']} / {default['en']}")
    return _finish(fig, Path(path), title=text, note=note, formats=formats)


def balance_chart(
    table: pd.DataFrame,
    path: str | Path,
    *,
    lang: Lang = "both",
    title: str | None = None,
    note: str | None = None,
    formats: Sequence[str] = ("png",),
    group_order: Sequence[str] | None = None,
    unit: float = 1e8,
) -> list[Path]:
    """Draw the trade balance (exports − imports) by group and year (seed 001 Figure 2).

    ``unit`` divides ``balance_usd`` (default 1e8: 亿美元, as in the seed).
    """
    _need(table, ["year", "group", "balance_usd"], "group balances")
    order = list(group_order or dict.fromkeys(table["group"]))
    wide = table.pivot_table(index="year", columns="group", values="balance_usd", aggfunc="sum")
    wide = wide.reindex(columns=[c for c in order if c in wide.columns]).fillna(0.0) / unit
    fig, (ax,), _ = _figure(lang, 1)
    n = max(len(wide.columns), 1)
    x = np.arange(len(wide))
    width = 0.8 / n
    for i, col in enumerate(wide.columns):
        ax.bar(x + (i - (n - 1) / 2) * width, wide[col].to_numpy(dtype=float), width,
               color=_SET2[i % len(_SET2)], label=_group_label(str(col), lang))  # fmt: skip
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(x, [str(int(y)) for y in wide.index], rotation=90 if len(x) > 12 else 0)
    ax.set_ylabel(_label("balance", lang) if unit == 1e8 else f"balance / {unit:g} USD")
    ax.set_xlabel(_label("year", lang))
    ax.spines[["top", "right"]].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=1 if lang == "both" else 3,
               frameon=False, fontsize=8, bbox_to_anchor=(0.5, 0.04))  # fmt: skip
    default = {"en": "Trade balance by group", "zh": "各组贸易差额"}
    text = title or (default[lang] if lang in default else f"{default['zh']} / {default['en']}")
    return _finish(fig, Path(path), title=text, note=note, formats=formats)


def sector_chart(
    table: pd.DataFrame,
    path: str | Path,
    *,
    sector: str = "sector",
    value: str = "exports_usd",
    lang: Lang = "both",
    title: str | None = None,
    note: str | None = None,
    formats: Sequence[str] = ("png",),
    unit: float = 1e8,
) -> list[Path]:
    """Draw exports by sector and year as stacked bars (seed 001 Figures 3-4).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> t = pd.DataFrame({"year": [2021, 2021, 2022], "sector": ["储能", "发电", "储能"],
    ...                   "exports_usd": [2e9, 3e9, 5e9]})
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.suffix for p in sector_chart(t, d / "s.png", formats=("png", "svg"))]
    ['.png', '.svg']
    """
    _need(table, ["year", sector, value], "sector")
    scaled = table.assign(**{value: table[value].astype(float) / unit})
    fig, (ax,), _ = _figure(lang, 1)
    order = list(scaled.groupby(sector)[value].sum().sort_values(ascending=False).index)
    _stacked(ax, scaled, cat=sector, value=value, lang=lang, order=order)
    ax.set_ylabel(_label("value", lang) if unit == 1e8 else f"{value} / {unit:g}")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), frameon=False,
               fontsize=8, bbox_to_anchor=(0.5, 0.04))  # fmt: skip
    default = {"en": "Exports by sector", "zh": "分领域出口"}
    text = title or (default[lang] if lang in default else f"{default['zh']} / {default['en']}")
    return _finish(fig, Path(path), title=text, note=note, formats=formats)
