"""Benchmark B5b at tiny size: the textbook reference and geotrade's kernel agree bit for bit.

Not a timing test: it keeps ``benchmarks/bench_betweenness.py`` from rotting and checks the
claim it measures (the same output as the textbook Brandes loop) on generated graphs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_betweenness as b5b  # noqa: E402


def test_textbook_reference_and_kernel_give_the_same_bits():
    batch = b5b.graphs(12, rows=12 * 300.0)
    _, ref = b5b.best_of(b5b.textbook_kernel(), batch, 1)
    from geotrade.engine._betweenness import batched_betweenness

    assert np.array_equal(batched_betweenness(*batch), ref)
    # and the reference is Brandes: networkx on the first graph
    node_ptr, edge_ptr, targets = batch
    n = int(node_ptr[1])
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u in range(n):
        g.add_edges_from((u, int(w)) for w in targets[edge_ptr[u] : edge_ptr[u + 1]])
    want = nx.betweenness_centrality(g, normalized=True)
    np.testing.assert_allclose(ref[:n], [want[v] for v in range(n)], rtol=1e-12, atol=0)


def test_run_writes_a_table_row_per_thread_count():
    lines = b5b.run(products=8, repeat=1)
    rows = [x for x in lines if x.startswith("| ") and x[2].isdigit()]
    assert rows
    assert all(x.endswith("| True |") for x in rows)
