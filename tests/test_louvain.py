"""The compiled Louvain (geotrade.engine._louvain) against networkx's seeded Louvain.

networkx is the reference implementation: the same seed must give the same partition, not
only one of similar modularity, because communities are reported per node.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from geotrade.engine._louvain import _renumber, louvain
from geotrade.metrics.network import LOUVAIN_SEED, _communities


def _reference(g: nx.DiGraph, seed: int) -> tuple[np.ndarray, float]:
    comms = nx.community.louvain_communities(g, weight="weight", seed=seed)
    nodes = list(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    member = np.empty(len(nodes), dtype=np.int64)
    for k, c in enumerate(comms):
        member[[index[n] for n in c]] = k
    return _renumber(member), nx.community.modularity(g, comms, weight="weight")


def _random_graph(rng: np.random.Generator, *, self_loops: bool) -> nx.DiGraph:
    n = int(rng.integers(2, 90))
    a = rng.random((n, n)) < rng.uniform(0.02, 0.5)
    if not self_loops:
        np.fill_diagonal(a, False)
    kind = rng.integers(0, 3)
    if kind == 0:  # unit weights: many tied gains
        w = np.ones((n, n))
    elif kind == 1:  # few distinct values: ties again
        w = rng.integers(1, 4, (n, n)).astype(float)
    else:  # trade-like heavy tail
        w = rng.lognormal(3.0, 2.0, (n, n))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for i in range(n):  # out-edges added in a shuffled order: insertion order matters
        for j in rng.permutation(n):
            if a[i, j]:
                g.add_edge(i, int(j), weight=float(w[i, j]))
    return g


def _arrays(g: nx.DiGraph):
    e = list(g.edges(data="weight"))
    return (
        np.array([u for u, _, _ in e], dtype=np.int64),
        np.array([v for _, v, _ in e], dtype=np.int64),
        np.array([x for _, _, x in e], dtype=np.float64),
    )


@pytest.mark.parametrize("self_loops", [False, True])
def test_same_partition_as_networkx_on_random_graphs(self_loops):
    rng = np.random.default_rng(7 + self_loops)
    checked = 0
    for _ in range(120):
        g = _random_graph(rng, self_loops=self_loops)
        if g.number_of_edges() == 0:
            continue
        for seed in (LOUVAIN_SEED, 1):
            ref, q_ref = _reference(g, seed)
            src, dst, w = _arrays(g)
            got, q = louvain(g.number_of_nodes(), src, dst, w, seed=seed)
            assert got.tolist() == ref.tolist()
            assert q == pytest.approx(q_ref, rel=1e-12, abs=1e-12)
            checked += 1
    assert checked > 200


def test_two_cliques_by_hand():
    # two directed 4-cliques (weight 1) joined by one edge 3 -> 4 of weight 1
    g = nx.DiGraph()
    for block in (range(4), range(4, 8)):
        g.add_edges_from((i, j) for i in block for j in block if i != j)
    g.add_edge(3, 4)
    src, dst, _ = _arrays(g)
    w = np.ones(src.size)
    member, q = louvain(8, src, dst, w)
    assert member.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    m = 25.0  # 2 * 12 + 1 edges
    # each clique: 12 internal edges; out/in degree sums 13/12 and 12/13
    assert q == pytest.approx(2 * 12 / m - 2 * 13 * 12 / m**2)


def test_no_edges_gives_singletons_and_nan():
    member, q = louvain(3, np.array([], int), np.array([], int), np.array([], float))
    assert member.tolist() == [0, 1, 2]
    assert np.isnan(q)


def test_communities_of_a_trade_graph_use_labels_in_sorted_order():
    # string labels, edges inserted in a non-sorted order, as trade_graph may do
    g = nx.DiGraph()
    g.add_nodes_from(sorted(["USA", "CHN", "DEU", "FRA", "JPN", "KOR"]))
    for u, v, x in [
        ("USA", "JPN", 9.0),
        ("KOR", "JPN", 5.0),
        ("JPN", "KOR", 4.0),
        ("CHN", "DEU", 7.0),
        ("DEU", "FRA", 6.0),
        ("FRA", "CHN", 2.0),
        ("JPN", "USA", 3.0),
        ("DEU", "CHN", 1.0),
        ("USA", "FRA", 0.5),
    ]:
        g.add_edge(u, v, weight=x)
    member, q = _communities(g)
    comms = nx.community.louvain_communities(g, weight="weight", seed=LOUVAIN_SEED)
    assert {frozenset(c) for c in comms} == {
        frozenset(n for n in member if member[n] == k) for k in set(member.values())
    }
    assert q == pytest.approx(nx.community.modularity(g, comms, weight="weight"))
