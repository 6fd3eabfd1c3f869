"""The batched betweenness kernel against networkx, graph by graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from geotrade.engine._betweenness import batched_betweenness


def _batch(graphs: list[nx.DiGraph]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    node_ptr, edge_ptr, targets = [0], [0], []
    for g in graphs:
        nodes = sorted(g.nodes)
        local = {v: i for i, v in enumerate(nodes)}
        for v in nodes:
            out = sorted(local[w] for w in g.successors(v))
            targets.extend(out)
            edge_ptr.append(edge_ptr[-1] + len(out))
        node_ptr.append(node_ptr[-1] + len(nodes))
    return np.array(node_ptr), np.array(edge_ptr), np.array(targets, dtype=np.int32)


def _random_graphs(seed: int, count: int) -> list[nx.DiGraph]:
    rng = np.random.default_rng(seed)
    graphs = []
    for _ in range(count):
        n = int(rng.integers(1, 40))
        density = float(rng.choice([0.02, 0.08, 0.2, 0.5, 0.95]))
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        a = rng.random((n, n)) < density
        np.fill_diagonal(a, False)
        g.add_edges_from(zip(*np.nonzero(a), strict=True))
        graphs.append(g)
    return graphs


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_graph_of_a_batch_matches_networkx(seed):
    graphs = _random_graphs(seed, 120)
    node_ptr, edge_ptr, targets = _batch(graphs)
    got = batched_betweenness(node_ptr, edge_ptr, targets)
    for k, g in enumerate(graphs):
        ref = nx.betweenness_centrality(g, normalized=True)
        want = np.array([ref[v] for v in sorted(g.nodes)])
        np.testing.assert_allclose(got[node_ptr[k] : node_ptr[k + 1]], want, rtol=1e-12, atol=0)


def test_compiled_and_python_loops_give_the_same_bits():
    graphs = _random_graphs(7, 40)
    batch = _batch(graphs)
    fast = batched_betweenness(*batch)
    slow = batched_betweenness(*batch, use_numba=False)
    assert np.array_equal(fast, slow)


def test_a_path_a_star_and_two_components_by_hand():
    # 0 -> 1 -> 2 -> 3: node 1 is on 0->2 and 0->3, node 2 on 0->3 and 1->3; (n-1)(n-2) = 6
    path = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    # hub 0 <-> 1, 2, 3: every leaf-to-leaf path goes through the hub: 6 pairs / 6 = 1
    star = nx.DiGraph([(0, k) for k in (1, 2, 3)] + [(k, 0) for k in (1, 2, 3)])
    # two separate edges: no node is between two others
    pairs = nx.DiGraph([(0, 1), (2, 3)])
    node_ptr, edge_ptr, targets = _batch([path, star, pairs])
    got = batched_betweenness(node_ptr, edge_ptr, targets)
    assert got.tolist() == [0, 2 / 6, 2 / 6, 0, 1, 0, 0, 0, 0, 0, 0, 0]
