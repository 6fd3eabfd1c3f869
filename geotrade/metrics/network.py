r"""All-pairs interdependence network (seed 003: interdependence networks of critical metals).

Definitions (shared with the DuckDB engine in :mod:`geotrade.engine`)
---------------------------------------------------------------------
For each year and product set, :math:`X_{ij}` is the sum of ``value_usd`` of the rows with
``reporter_iso3 = i``, ``partner_iso3 = j`` and ``flow = "export"`` (each country's
*reported exports*; BACI has only these) and :math:`M_{ij} = X_{ji}`. There is one row per
ordered pair :math:`(i, j)` with :math:`X_{ij} + M_{ij} > 0`, with the Grubel-Lloyd index,
signed index and dependence class of :func:`geotrade.metrics.trade.interdependence`
computed with :math:`i` as the focal economy (so the pair :math:`(j, i)` carries the
mirrored class). Import rows are not used; aggregate or missing reporters/partners,
``is_aggregate`` rows, self-trade and re-exports are excluded and reported in
``attrs["excluded"]``.

The directed network of a year has an edge :math:`i \to j` weighted by :math:`X_{ij}` for
every :math:`X_{ij} > 0`. Node metrics: out/in degree, out/in strength (USD), betweenness
centrality (normalised, on the unweighted graph, i.e. shortest paths count links),
community (Louvain on the directed, export-weighted graph, fixed seed: networkx's
algorithm, compiled in :mod:`geotrade.engine._louvain`, same partition). Network metrics:
nodes, edges, density :math:`E / (n (n - 1))`, reciprocity (share of edges whose reverse
edge exists), number of communities and their modularity.

Examples
--------
>>> import pandas as pd
>>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "DEU", "CHN"],
...     "partner_iso3": ["DEU", "CHN", "USA"], "flow": "export", "hs_code": "850760",
...     "value_usd": [90.0, 10.0, 50.0]})
>>> pair_interdependence(flows)[["iso3", "partner_iso3", "exports", "imports", "gl",
...                               "dependence_class"]]
  iso3 partner_iso3  exports  imports   gl dependence_class
0  CHN          DEU     90.0     10.0  0.2     partner_high
1  CHN          USA     50.0      0.0  0.0  partner_one_way
2  DEU          CHN     10.0     90.0  0.2       focal_high
3  USA          CHN      0.0     50.0  0.0    focal_one_way
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geotrade.metrics.trade import (
    _check_flows,
    _check_thresholds,
    _excluded_table,
    _gl_columns,
    _hs_list,
    _partner_reasons,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "PAIR_COLUMNS",
    "country_summary",
    "group_interdependence",
    "network_summary",
    "node_metrics",
    "pair_interdependence",
    "trade_graph",
]

#: Columns of :func:`node_metrics` (``geotrade.engine.by_product`` adds ``hs_code``).
NODE_METRIC_COLUMNS: tuple[str, ...] = (
    "year",
    "iso3",
    "out_degree",
    "in_degree",
    "degree",
    "out_strength",
    "in_strength",
    "strength",
    "betweenness",
    "community",
    "n_partners",
    "n_depend_on",
    "n_depends",
    "share_depend_on_pct",
    "share_depends_pct",
)

#: Columns of :func:`pair_interdependence` (the contract with the DuckDB engine).
PAIR_COLUMNS: tuple[str, ...] = (
    "year",
    "iso3",
    "partner_iso3",
    "exports",
    "imports",
    "gl",
    "index",
    "dependence_class",
)

#: Seed of the Louvain community detection (results are reproducible).
LOUVAIN_SEED = 20241


def pair_interdependence(
    flows: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    hs_codes: Iterable[object] | None = None,
    high: float = 0.2,
    low: float = 0.5,
) -> pd.DataFrame:
    """Bilateral GL index and dependence class of every ordered country pair and year.

    Parameters
    ----------
    flows
        Canonical flow table (many reporters, e.g. BACI). Only ``export`` rows are used.
    years, hs_codes
        Optional filters; values of several HS codes are summed.
    high, low
        GL thresholds as in :func:`geotrade.metrics.trade.interdependence`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, sorted by ``year, iso3, partner_iso3``; ``exports``
        is :math:`X_{ij}`, ``imports`` is :math:`M_{ij} = X_{ji}` (USD).
        ``attrs["excluded"]`` lists the rows not used and why.

    Raises
    ------
    ValidationError
        If columns are missing or values are invalid.
    ValueError
        If the thresholds are not ``0 < high < low <= 1``.
    """
    _check_thresholds(high, low)
    df = _check_flows(flows)
    if years is not None:
        df = df[df["year"].isin([int(y) for y in years])]
    if hs_codes is not None:
        df = df[df["hs_code"].isin(_hs_list(hs_codes))]
    reasons = _partner_reasons(df["partner_iso3"], df["reporter_iso3"])
    rep = _partner_reasons(df["reporter_iso3"], "")
    reasons[rep.notna() & reasons.isna()] = "aggregate or missing reporter"
    pre = df["_pre_reason"]
    reasons[pre.notna()] = pre[pre.notna()]
    reasons[reasons.isna() & (df["flow"] == "import")] = (
        "import row not used (M_ij is the partner's reported exports X_ji)"
    )
    excluded = _excluded_table(df, reasons)
    kept = df.loc[reasons.isna(), ["year", "reporter_iso3", "partner_iso3", "value_usd"]]
    kept = kept.assign(partner_iso3=kept["partner_iso3"].astype(str).str.strip().str.upper())
    x = (
        kept.groupby(["year", "reporter_iso3", "partner_iso3"], sort=False)["value_usd"]
        .sum()
        .rename("exports")
    )
    x.index = x.index.set_names(["year", "iso3", "partner_iso3"])
    m = x.rename("imports").copy()
    m.index = m.index.set_names(["year", "partner_iso3", "iso3"])
    m = m.reorder_levels(["year", "iso3", "partner_iso3"])
    wide = pd.concat([x, m], axis=1).fillna(0.0)
    wide = wide[(wide["exports"] + wide["imports"]) > 0].sort_index().reset_index()
    out = pd.concat(
        [
            wide[["year", "iso3", "partner_iso3"]].astype(
                {"year": "int64", "iso3": str, "partner_iso3": str}
            ),
            _gl_columns(wide["exports"], wide["imports"], high=high, low=low).drop(columns="zone"),
        ],
        axis=1,
    )
    out = out.loc[:, list(PAIR_COLUMNS)].reset_index(drop=True)
    out.attrs["excluded"] = excluded
    out.attrs["thresholds"] = (high, low)
    return out


def trade_graph(pairs: pd.DataFrame, year: int) -> nx.DiGraph:
    r"""Directed export network of one year from :func:`pair_interdependence`.

    Parameters
    ----------
    pairs
        Output of :func:`pair_interdependence`.
    year
        The year.

    Returns
    -------
    networkx.DiGraph
        Nodes: every economy in a pair of that year. Edges :math:`i \to j` for
        :math:`X_{ij} > 0` with attributes ``weight`` (= exports, USD), ``gl``, ``index``,
        ``dependence_class``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": 2022, "iso3": ["A", "B"], "partner_iso3": ["B", "A"],
    ...     "exports": [5.0, 0.0], "imports": [0.0, 5.0], "gl": 0.0, "index": 0.0,
    ...     "dependence_class": ["partner_one_way", "focal_one_way"]})
    >>> g = trade_graph(p, 2022)
    >>> sorted(g.edges(data="weight"))
    [('A', 'B', 5.0)]
    """
    import networkx as nx

    t = pairs[pairs["year"] == int(year)]
    g = nx.DiGraph(year=int(year))
    g.add_nodes_from(sorted(set(t["iso3"]) | set(t["partner_iso3"])))
    e = t[t["exports"] > 0]
    g.add_edges_from(
        (i, j, {"weight": float(w), "gl": float(gl), "index": float(ix), "dependence_class": c})
        for i, j, w, gl, ix, c in zip(
            e["iso3"],
            e["partner_iso3"],
            e["exports"],
            e["gl"],
            e["index"],
            e["dependence_class"],
            strict=True,
        )
    )
    return g


def _communities(g: nx.DiGraph) -> tuple[dict[str, int], float]:
    """Louvain communities (compiled, equal to networkx's seeded result) and modularity."""
    from geotrade.engine._louvain import louvain

    nodes = list(g.nodes)
    if g.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(nodes))}, float("nan")
    index = {n: i for i, n in enumerate(nodes)}
    src, dst, w = [], [], []
    for u, v, wt in g.edges(data="weight"):  # networkx's order: by node, then out-edges
        src.append(index[u])
        dst.append(index[v])
        w.append(wt)
    member, q = louvain(
        len(nodes), np.asarray(src), np.asarray(dst), np.asarray(w), seed=LOUVAIN_SEED
    )
    # communities are numbered by size, ties by their first node in ``g``'s order; nodes are
    # sorted labels wherever geotrade builds a graph, so that is the smallest label
    return {n: int(member[i]) for i, n in enumerate(nodes)}, q


def node_metrics(pairs: pd.DataFrame, *, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Degree, strength, betweenness, community and dependence counts of every node.

    Parameters
    ----------
    pairs
        Output of :func:`pair_interdependence`.
    years
        Years to compute (default: all in ``pairs``).

    Returns
    -------
    pandas.DataFrame
        One row per year and economy: ``year, iso3, out_degree, in_degree, degree,
        out_strength, in_strength, strength`` (USD), ``betweenness`` (normalised, unweighted),
        ``community`` (0 = largest), ``n_partners`` (pairs with any trade),
        ``n_depend_on`` (partners whose class with this economy as focal is ``partner_*``,
        i.e. they depend on it), ``n_depends`` (``focal_*``: it depends on them) and their
        shares of ``n_partners`` in percent (``share_depend_on_pct``,
        ``share_depends_pct``).
    """
    import networkx as nx

    yrs = sorted(set(pairs["year"])) if years is None else sorted({int(y) for y in years})
    frames = []
    for y in yrs:
        g = trade_graph(pairs, y)
        nodes = sorted(g.nodes)
        member, _q = _communities(g)
        btw = nx.betweenness_centrality(g, normalized=True)
        t = pairs[pairs["year"] == y]
        side = t["dependence_class"].str.split("_", n=1).str[0]
        cnt = pd.DataFrame(
            {
                "n_partners": t.groupby("iso3").size(),
                "n_depend_on": t[side == "partner"].groupby("iso3").size(),
                "n_depends": t[side == "focal"].groupby("iso3").size(),
            }
        ).reindex(nodes)
        cnt = cnt.fillna(0).astype("int64")
        f = pd.DataFrame(
            {
                "year": y,
                "iso3": nodes,
                "out_degree": [g.out_degree(n) for n in nodes],
                "in_degree": [g.in_degree(n) for n in nodes],
                "out_strength": [float(g.out_degree(n, weight="weight")) for n in nodes],
                "in_strength": [float(g.in_degree(n, weight="weight")) for n in nodes],
                "betweenness": [btw[n] for n in nodes],
                "community": [member[n] for n in nodes],
            }
        )
        f["degree"] = f["out_degree"] + f["in_degree"]
        f["strength"] = f["out_strength"] + f["in_strength"]
        f = f.join(cnt, on="iso3")
        n = f["n_partners"].where(f["n_partners"] > 0)
        f["share_depend_on_pct"] = 100.0 * f["n_depend_on"] / n
        f["share_depends_pct"] = 100.0 * f["n_depends"] / n
        frames.append(f)
    cols = list(NODE_METRIC_COLUMNS)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def network_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Size, density, reciprocity and communities of the export network per year.

    Parameters
    ----------
    pairs
        Output of :func:`pair_interdependence`.

    Returns
    -------
    pandas.DataFrame
        ``year, nodes, edges, density`` (:math:`E / (n(n-1))`), ``reciprocity`` (share of
        edges whose reverse exists), ``communities, modularity``, ``total_exports_usd``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": 2022, "iso3": ["A", "B", "A", "C"],
    ...     "partner_iso3": ["B", "A", "C", "A"], "exports": [5.0, 1.0, 2.0, 0.0],
    ...     "imports": [1.0, 5.0, 0.0, 2.0], "gl": 0.0, "index": 0.0,
    ...     "dependence_class": "x"})
    >>> s = network_summary(p)
    >>> s[["nodes", "edges", "density", "reciprocity"]].to_numpy().round(4).tolist()
    [[3.0, 3.0, 0.5, 0.6667]]
    """
    import networkx as nx

    rows = []
    for y in sorted(set(pairs["year"])):
        g = trade_graph(pairs, y)
        n, e = g.number_of_nodes(), g.number_of_edges()
        member, q = _communities(g)
        rows.append(
            {
                "year": int(y),
                "nodes": n,
                "edges": e,
                "density": e / (n * (n - 1)) if n > 1 else float("nan"),
                "reciprocity": float(nx.reciprocity(g)) if e else float("nan"),
                "communities": len(set(member.values())),
                "modularity": q,
                "total_exports_usd": float(g.size(weight="weight")),
            }
        )
    return pd.DataFrame(rows)


def country_summary(pairs: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Per year: how many partners depend on a country and how many it depends on.

    Parameters
    ----------
    pairs
        Output of :func:`pair_interdependence`.
    iso3
        The country.

    Returns
    -------
    pandas.DataFrame
        ``year, iso3, n_partners, n_depend_on, n_depends, n_balanced,
        share_depend_on_pct, share_depends_pct`` and one count column per dependence class
        (``n_<class>``).

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "CHN", "KOR"],
    ...     "partner_iso3": ["USA", "KOR", "CHN"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [10.0, 1.0, 4.0]})
    >>> c = country_summary(pair_interdependence(flows), "CHN")
    >>> c[["n_partners", "n_depend_on", "n_depends", "share_depend_on_pct"]].to_numpy().tolist()
    [[2.0, 1.0, 1.0, 50.0]]
    """
    from geotrade.metrics.trade import DEPENDENCE_CLASSES

    code = iso3.strip().upper()
    t = pairs[pairs["iso3"] == code]
    yrs = sorted(set(pairs["year"]))
    counts = (
        t.groupby(["year", "dependence_class"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=yrs, columns=list(DEPENDENCE_CLASSES), fill_value=0)
    )
    out = pd.DataFrame({"year": yrs, "iso3": code})
    out["n_partners"] = counts.sum(axis=1).to_numpy()
    out["n_depend_on"] = counts[[c for c in counts if c.startswith("partner")]].sum(axis=1).values
    out["n_depends"] = counts[[c for c in counts if c.startswith("focal")]].sum(axis=1).values
    out["n_balanced"] = counts["balanced"].to_numpy()
    n = out["n_partners"].where(out["n_partners"] > 0)
    out["share_depend_on_pct"] = 100.0 * out["n_depend_on"] / n
    out["share_depends_pct"] = 100.0 * out["n_depends"] / n
    for c in DEPENDENCE_CLASSES:
        out[f"n_{c}"] = counts[c].to_numpy()
    return out


def group_interdependence(
    pairs: pd.DataFrame,
    group_a: Sequence[str],
    group_b: Sequence[str],
    *,
    name_a: str = "A",
    name_b: str = "B",
    high: float = 0.2,
    low: float = 0.5,
) -> pd.DataFrame:
    r"""Interdependence between two groups of economies (e.g. CHN vs MSP members, seed 003).

    The groups are treated as blocs: :math:`X_{AB} = \sum_{i \in A, j \in B} X_{ij}`,
    :math:`M_{AB} = X_{BA}`; members of both groups are removed from B (a pair never counts
    inside one bloc). The bloc-level GL index and class use the thresholds of
    :func:`geotrade.metrics.trade.interdependence` with A as the focal bloc. Also reported:
    how many (a, b) member pairs have ``partner_*`` classes (b depends on a) and
    ``focal_*`` classes (a depends on b).

    Parameters
    ----------
    pairs
        Output of :func:`pair_interdependence`.
    group_a, group_b
        ISO3 codes of the members. No membership list is built in: geotrade cannot cite
        an offline source for e.g. the Minerals Security Partnership, so pass the list you
        use (and cite it).
    name_a, name_b
        Labels of the groups in the output.
    high, low
        GL thresholds.

    Returns
    -------
    pandas.DataFrame
        ``year, group_a, group_b, exports, imports, gl, index, dependence_class,
        n_pairs, n_b_depends_on_a, n_a_depends_on_b``.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"year": 2022, "reporter_iso3": ["CHN", "USA", "CHN"],
    ...     "partner_iso3": ["USA", "CHN", "JPN"], "flow": "export", "hs_code": "850760",
    ...     "value_usd": [8.0, 2.0, 5.0]})
    >>> g = group_interdependence(pair_interdependence(flows), ["CHN"], ["USA", "JPN"],
    ...                           name_a="CHN", name_b="MSP")
    >>> r = g.iloc[0]
    >>> float(r["exports"]), float(r["imports"]), round(float(r["gl"]), 4), r["dependence_class"]
    (13.0, 2.0, 0.2667, 'partner_moderate')
    >>> int(r["n_b_depends_on_a"])
    2
    """
    _check_thresholds(high, low)
    a = {s.strip().upper() for s in group_a}
    b = {s.strip().upper() for s in group_b} - a
    if not a or not b:
        msg = "both groups need at least one member (members of A are removed from B)"
        raise ValueError(msg)
    t = pairs[pairs["iso3"].isin(a) & pairs["partner_iso3"].isin(b)]
    yrs = sorted(set(pairs["year"]))
    agg = t.groupby("year")[["exports", "imports"]].sum().reindex(yrs, fill_value=0.0)
    side = t["dependence_class"].str.split("_", n=1).str[0]
    b_dep = t[side == "partner"].groupby("year").size().reindex(yrs, fill_value=0)
    a_dep = t[side == "focal"].groupby("year").size().reindex(yrs, fill_value=0)
    n_pairs = t.groupby("year").size().reindex(yrs, fill_value=0)
    agg = agg[(agg["exports"] + agg["imports"]) > 0]
    cols = _gl_columns(agg["exports"], agg["imports"], high=high, low=low).drop(columns="zone")
    cols.index = cols.index.rename("year")
    out = cols.reset_index()
    out.insert(1, "group_a", name_a)
    out.insert(2, "group_b", name_b)
    out["n_pairs"] = n_pairs.reindex(out["year"]).to_numpy().astype("int64")
    out["n_b_depends_on_a"] = b_dep.reindex(out["year"]).to_numpy().astype("int64")
    out["n_a_depends_on_b"] = a_dep.reindex(out["year"]).to_numpy().astype("int64")
    out.attrs["members_a"] = sorted(a)
    out.attrs["members_b"] = sorted(b)
    out.attrs["members_without_trade"] = sorted((a | b) - set(t["iso3"]) - set(t["partner_iso3"]))
    return out
