"""Betweenness centrality of many small directed graphs at once (Brandes 2001, unweighted).

:func:`batched_betweenness` gives, for every graph of a batch stored as one CSR structure,
exactly what :func:`networkx.betweenness_centrality` (``normalized=True``, unweighted,
directed) gives for that graph: shortest paths count links; each node's score is the sum
over ordered pairs ``(s, t)``, ``s != v != t``, of the share of shortest ``s -> t`` paths
through ``v``, divided by ``(n - 1)(n - 2)`` when the graph has ``n > 2`` nodes.

The kernel is Brandes's algorithm run level by level, with no data-dependent branch in the
edge loops (faster than the textbook loop on trade graphs, with the same bits), compiled by
numba (``parallel=True``: graphs are spread over the threads); without numba the same loop
runs in Python (slow, for tiny inputs and tests).

Examples
--------
>>> import numpy as np
>>> # one graph, 3 nodes: 0 -> 1 -> 2 (node 1 is on the only 0 -> 2 path)
>>> b = batched_betweenness(np.array([0, 3]), np.array([0, 1, 2, 2]), np.array([1, 2]))
>>> b.tolist()
[0.0, 0.5, 0.0]
"""

from __future__ import annotations

import numpy as np

__all__ = ["batched_betweenness"]


def _kernel_py(node_ptr, edge_ptr, targets, out):  # pragma: no cover - numba compiles it
    n_graphs = node_ptr.size - 1
    for g in range(n_graphs):
        _one_graph(g, node_ptr, edge_ptr, targets, out)


def _one_graph(g, node_ptr, edge_ptr, targets, out):
    # Brandes, level by level and without data-dependent branches in the edge loops (the
    # comparisons ``dist[w] < 0`` and ``dist[w] == dist[v] + 1`` of the textbook loop are
    # mispredicted about half the time on trade graphs):
    # * forward: ``m[w]`` is 1.0 while ``w`` is unvisited or on the level being filled, so
    #   ``sigma[w] += sigma[v] * m[w]`` adds exactly the shortest-path counts; after a level,
    #   the nodes with ``m == 1`` and ``sigma > 0`` are the next level;
    # * backward: ``c[w]`` holds ``(1 + delta[w]) / sigma[w]`` for the nodes one level down
    #   and 0.0 elsewhere, so ``delta[v] = sum(sigma[v] * c[w])`` over all out-edges.
    # Adding 0.0 changes no sum, so the result is bit for bit the textbook loop's.
    lo = node_ptr[g]
    n = node_ptr[g + 1] - lo
    if n < 3:
        return
    sigma = np.zeros(n, dtype=np.float64)
    m = np.zeros(n, dtype=np.float64)
    c = np.zeros(n, dtype=np.float64)
    delta = np.zeros(n, dtype=np.float64)
    order = np.empty(n + 1, dtype=np.int32)  # nodes level by level (one spare slot)
    start = np.empty(n + 2, dtype=np.int32)  # level L is order[start[L] : start[L + 1]]
    bc = np.zeros(n, dtype=np.float64)
    for s in range(n):
        if edge_ptr[lo + s + 1] == edge_ptr[lo + s]:
            continue  # no out-edge: no path starts here, nothing to add
        for v in range(n):
            sigma[v] = 0.0
            m[v] = 1.0
            c[v] = 0.0
        sigma[s] = 1.0
        m[s] = 0.0
        order[0] = s
        start[0] = 0
        levels = 0
        head = 0
        tail = 1
        while head < tail:
            levels += 1
            start[levels] = tail
            for p in range(head, tail):
                v = order[p]
                sv = sigma[v]
                for e in range(edge_ptr[lo + v], edge_ptr[lo + v + 1]):
                    w = targets[e]
                    sigma[w] += sv * m[w]
            head = tail
            for w in range(n):  # the next level, in node order
                order[tail] = w
                tail += (m[w] > 0.0) & (sigma[w] > 0.0)
            for p in range(head, tail):
                m[order[p]] = 0.0
        for level in range(levels - 1, -1, -1):
            a = start[level]
            b = start[level + 1]
            for p in range(a, b):
                v = order[p]
                sv = sigma[v]
                dv = 0.0
                for e in range(edge_ptr[lo + v], edge_ptr[lo + v + 1]):
                    dv += sv * c[targets[e]]
                delta[v] = dv
            if level + 2 <= levels:
                for p in range(b, start[level + 2]):
                    c[order[p]] = 0.0
            for p in range(a, b):
                v = order[p]
                c[v] = (1.0 + delta[v]) / sigma[v]
                if v != s:
                    bc[v] += delta[v]
    scale = 1.0 / ((n - 1) * (n - 2))
    for v in range(n):
        out[lo + v] = bc[v] * scale


_KERNEL = None


def _kernel():
    global _KERNEL
    if _KERNEL is None:
        try:
            from numba import njit, prange
        except ImportError:  # pragma: no cover - numba is a dependency
            _KERNEL = _kernel_py
            return _KERNEL
        one = njit(cache=True, nogil=True)(_one_graph)

        def run(node_ptr, edge_ptr, targets, out):  # pragma: no cover - compiled
            for g in prange(node_ptr.size - 1):
                one(g, node_ptr, edge_ptr, targets, out)

        _KERNEL = njit(cache=True, parallel=True)(run)
    return _KERNEL


def batched_betweenness(
    node_ptr: np.ndarray, edge_ptr: np.ndarray, targets: np.ndarray, *, use_numba: bool = True
) -> np.ndarray:
    """Normalised betweenness of every node of every graph of a batch.

    Parameters
    ----------
    node_ptr
        Graph ``g`` owns the nodes ``node_ptr[g] .. node_ptr[g + 1] - 1`` (global node
        numbers; ``node_ptr[-1]`` = number of nodes).
    edge_ptr
        Out-edges of global node ``u`` are ``targets[edge_ptr[u] : edge_ptr[u + 1]]``
        (length = number of nodes + 1).
    targets
        Target of each edge as a **local** node number (0 .. n - 1 within its graph), no
        duplicate edges, no self loops (stored as int32).
    use_numba
        ``False`` runs the same loop in Python.

    Returns
    -------
    numpy.ndarray
        Betweenness of each global node (float64).
    """
    node_ptr = np.ascontiguousarray(node_ptr, dtype=np.int64)
    edge_ptr = np.ascontiguousarray(edge_ptr, dtype=np.int64)
    targets = np.ascontiguousarray(targets, dtype=np.int32)
    out = np.zeros(int(node_ptr[-1]), dtype=np.float64)
    if use_numba:
        _kernel()(node_ptr, edge_ptr, targets, out)
    else:
        _kernel_py(node_ptr, edge_ptr, targets, out)
    return out
