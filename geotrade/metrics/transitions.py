"""Transitions of partners between dependence classes from one year to another.

Definitions
-----------
Input is the table of :func:`geotrade.metrics.trade.interdependence` (one row per year and
partner with a ``dependence_class``). A partner absent in a year (no trade with the focal
economy) is in the pseudo-class ``"no_trade"``.

Each class has an ordinal **dependence score** from the focal economy's point of view:
``partner_one_way`` 4, ``partner_high`` 3, ``partner_moderate`` 2, ``partner_low`` 1,
``balanced`` 0, ``focal_low`` −1, ``focal_moderate`` −2, ``focal_high`` −3,
``focal_one_way`` −4 (positive: the partner depends on the focal economy, its *advantage
zone*; larger = more one-sided). A transition is

* ``entered`` / ``exited`` — from / to ``no_trade``;
* ``strengthened`` — the score rises (the focal economy's position improves: the partner
  depends more on it, or the focal economy depends less on the partner);
* ``weakened`` — the score falls;
* ``unchanged`` — same class.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"year": [2012, 2012, 2022, 2022],
...     "partner_iso3": ["JPN", "USA", "JPN", "DEU"],
...     "dependence_class": ["focal_low", "partner_high", "partner_moderate", "partner_one_way"]})
>>> transitions(t, 2012, 2022)[["partner_iso3", "from_class", "to_class", "change"]]
  partner_iso3    from_class          to_class        change
0          DEU      no_trade   partner_one_way       entered
1          JPN     focal_low  partner_moderate  strengthened
2          USA  partner_high          no_trade        exited
"""

from __future__ import annotations

import pandas as pd

from geotrade.metrics.trade import DEPENDENCE_CLASSES

__all__ = ["CLASS_SCORE", "NO_TRADE", "transition_matrix", "transitions"]

#: Pseudo-class of a partner without trade in a year.
NO_TRADE = "no_trade"

#: Ordinal dependence score of each class (positive: partner depends on the focal economy).
CLASS_SCORE: dict[str, int] = {
    "partner_one_way": 4,
    "partner_high": 3,
    "partner_moderate": 2,
    "partner_low": 1,
    "balanced": 0,
    "focal_low": -1,
    "focal_moderate": -2,
    "focal_high": -3,
    "focal_one_way": -4,
}

_STATES: tuple[str, ...] = (*DEPENDENCE_CLASSES, NO_TRADE)


def _year_classes(table: pd.DataFrame, year: int, key: str) -> pd.Series:
    for col in ("year", key, "dependence_class"):
        if col not in table.columns:
            msg = (
                f"the interdependence table has no column {col!r}; pass the output of "
                "geotrade.metrics.trade.interdependence (or network.pair_interdependence)"
            )
            raise ValueError(msg)
    t = table[table["year"].astype(int) == int(year)]
    if t[key].duplicated().any():
        dup = t.loc[t[key].duplicated(), key].astype(str).tolist()[:5]
        msg = f"partners appear twice in year {year}: {', '.join(dup)}; filter to one focal first"
        raise ValueError(msg)
    return t.set_index(key)["dependence_class"].astype(str)


def transitions(
    table: pd.DataFrame,
    from_year: int,
    to_year: int,
    *,
    key: str = "partner_iso3",
) -> pd.DataFrame:
    """Which partners changed dependence class between two years.

    Parameters
    ----------
    table
        Output of :func:`geotrade.metrics.trade.interdependence`.
    from_year, to_year
        The two years compared.
    key
        Partner column.

    Returns
    -------
    pandas.DataFrame
        One row per partner trading in either year, sorted by partner: ``partner_iso3,
        from_class, to_class`` (``"no_trade"`` when absent), ``from_score, to_score``
        (:data:`CLASS_SCORE`, NaN for ``no_trade``), ``changed`` (bool) and ``change``
        (``entered``, ``exited``, ``strengthened``, ``weakened``, ``unchanged``).
        ``attrs["matrix"]`` holds :func:`transition_matrix`.

    Raises
    ------
    ValueError
        If a needed column is missing or a partner appears twice in a year.
    """
    a = _year_classes(table, from_year, key)
    b = _year_classes(table, to_year, key)
    partners = sorted(set(a.index) | set(b.index))
    out = pd.DataFrame({key: partners})
    out["from_class"] = out[key].map(a).fillna(NO_TRADE)
    out["to_class"] = out[key].map(b).fillna(NO_TRADE)
    out["from_score"] = out["from_class"].map(CLASS_SCORE)
    out["to_score"] = out["to_class"].map(CLASS_SCORE)
    out["changed"] = out["from_class"] != out["to_class"]
    change = pd.Series("unchanged", index=out.index, dtype=object)
    change[out["to_score"] > out["from_score"]] = "strengthened"
    change[out["to_score"] < out["from_score"]] = "weakened"
    change[out["from_class"] == NO_TRADE] = "entered"
    change[out["to_class"] == NO_TRADE] = "exited"
    out["change"] = change
    out.attrs["matrix"] = transition_matrix(table, from_year, to_year, key=key)
    out.attrs["years"] = (int(from_year), int(to_year))
    return out


def transition_matrix(
    table: pd.DataFrame,
    from_year: int,
    to_year: int,
    *,
    key: str = "partner_iso3",
) -> pd.DataFrame:
    """Count partners moving from each class (rows) to each class (columns).

    Parameters
    ----------
    table, from_year, to_year, key
        As for :func:`transitions`.

    Returns
    -------
    pandas.DataFrame
        Square integer matrix over :data:`~geotrade.metrics.trade.DEPENDENCE_CLASSES` plus
        ``"no_trade"``. The ``no_trade → no_trade`` cell is 0: partners trading in neither
        year are not in the table. Row sums are the class counts of ``from_year`` (plus
        entrants in the ``no_trade`` row), column sums those of ``to_year``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"year": [2012, 2022, 2022], "partner_iso3": ["JPN", "JPN", "DEU"],
    ...     "dependence_class": ["focal_low", "partner_low", "partner_high"]})
    >>> m = transition_matrix(t, 2012, 2022)
    >>> int(m.loc["focal_low", "partner_low"]), int(m.loc["no_trade", "partner_high"])
    (1, 1)
    >>> int(m.to_numpy().sum())
    2
    """
    a = _year_classes(table, from_year, key)
    b = _year_classes(table, to_year, key)
    partners = sorted(set(a.index) | set(b.index))
    f = pd.Categorical(
        [a.get(p, NO_TRADE) for p in partners], categories=list(_STATES), ordered=True
    )
    t = pd.Categorical(
        [b.get(p, NO_TRADE) for p in partners], categories=list(_STATES), ordered=True
    )
    m = pd.crosstab(f, t, dropna=False).reindex(index=_STATES, columns=_STATES, fill_value=0)
    m.index.name = f"class_{from_year}"
    m.columns.name = f"class_{to_year}"
    return m.astype("int64")
