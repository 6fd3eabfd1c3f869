"""Louvain communities of a directed weighted graph, compiled, equal to networkx's result.

:func:`louvain` returns, for a graph given as ordered edge lists, the partition that
:func:`networkx.community.louvain_communities` (``resolution=1``, ``threshold=1e-7``,
directed modularity of Leicht & Newman 2008, integer ``seed``) returns for the
:class:`networkx.DiGraph` built from the same edges in the same order (networkx 3.x,
``louvain.py``). It follows that implementation step by step, so that the seeded result is
the same partition, not merely one of similar modularity:

* nodes are visited in the order of ``random.Random(seed).shuffle`` of the node list, one
  shuffle per level from the same generator (drawn here, in Python);
* a node's neighbour list is its out-neighbours in insertion order, then in-neighbours not
  yet listed; candidate communities come in the order their first neighbour is met, the
  node's own community last when no neighbour is in it; a move needs a strictly larger gain;
* aggregated graphs keep networkx's edge insertion order, so ties break identically.

The loops are compiled by numba (``cache=True``); without numba :func:`louvain` falls back
to networkx itself.

Examples
--------
>>> import numpy as np
>>> # two triangles joined by one light edge: 0-1-2 and 3-4-5
>>> src = np.array([0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5])
>>> dst = np.array([1, 2, 0, 2, 0, 1, 3, 4, 5, 3, 5, 3, 4])
>>> w = np.where((src == 2) & (dst == 3), 0.1, 5.0)
>>> member, q = louvain(6, src, dst, w)
>>> member.tolist()
[0, 0, 0, 1, 1, 1]
>>> # m = 60.1; Q = 2 * (30 / m) - (30.1 * 30 + 30 * 30.1) / m**2
>>> round(q, 4), round(2 * 30 / 60.1 - 2 * 30.1 * 30 / 60.1**2, 4)
(0.4983, 0.4983)
"""

from __future__ import annotations

import random

import numpy as np

__all__ = ["LOUVAIN_THRESHOLD", "louvain"]

#: Minimum modularity gain of a level (networkx's default ``threshold``).
LOUVAIN_THRESHOLD = 1e-7


def _stable_by(key: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group edge numbers by ``key`` (0..n-1) keeping their order (a counting sort)."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(key.size):
        ptr[key[e] + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    out = np.empty(key.size, dtype=np.int64)
    for e in range(key.size):
        out[fill[key[e]]] = e
        fill[key[e]] += 1
    return ptr, out


def _degrees(n, src, dst, w):
    """Weighted in- and out-degrees, summed in networkx's adjacency order."""
    s_ptr, s_idx = _stable_by(src, n)
    p_ptr, p_idx = _stable_by(dst, n)
    out_deg = np.zeros(n, dtype=np.float64)
    in_deg = np.zeros(n, dtype=np.float64)
    for u in range(n):
        acc = 0.0
        for k in range(s_ptr[u], s_ptr[u + 1]):
            acc += w[s_idx[k]]
        out_deg[u] = acc
        acc = 0.0
        for k in range(p_ptr[u], p_ptr[u + 1]):
            acc += w[p_idx[k]]
        in_deg[u] = acc
    return s_ptr, s_idx, p_ptr, p_idx, out_deg, in_deg


def _add_neighbours(u, ptr, idx, other, w, slot, nb_node, nb_w, top):
    """Append the neighbours of ``u`` along one side (``other`` end of its edges)."""
    for k in range(ptr[u], ptr[u + 1]):
        e = idx[k]
        v = other[e]
        if v == u:
            continue
        if slot[v] < 0:
            slot[v] = top
            nb_node[top] = v
            nb_w[top] = 0.0
            top += 1
        nb_w[slot[v]] += w[e]
    return top


def _one_level(n, src, dst, w, order, m):
    """One level of local moves; returns the community (a node number) of every node."""
    s_ptr, s_idx, p_ptr, p_idx, out_deg, in_deg = _degrees(n, src, dst, w)
    # neighbour lists: out-neighbours in insertion order, then new in-neighbours
    nb_ptr = np.zeros(n + 1, dtype=np.int64)
    nb_node = np.empty(2 * src.size, dtype=np.int64)
    nb_w = np.empty(2 * src.size, dtype=np.float64)
    slot = np.full(n, -1, dtype=np.int64)
    top = 0
    for u in range(n):
        start = top
        # out-neighbours first, then in-neighbours not yet listed (networkx's dict order)
        top = _add_neighbours(u, s_ptr, s_idx, dst, w, slot, nb_node, nb_w, top)
        top = _add_neighbours(u, p_ptr, p_idx, src, w, slot, nb_node, nb_w, top)
        for k in range(start, top):
            slot[nb_node[k]] = -1
        nb_ptr[u + 1] = top
    node2com = np.arange(n, dtype=np.int64)
    stot_in = in_deg.copy()
    stot_out = out_deg.copy()
    com_w = np.zeros(n, dtype=np.float64)
    com_slot = np.full(n, -1, dtype=np.int64)
    coms = np.empty(n + 1, dtype=np.int64)
    m2 = m**2
    moved_any = False
    nb_moves = 1
    while nb_moves > 0:
        nb_moves = 0
        for u in order:
            best_mod = 0.0
            best_com = node2com[u]
            nc = 0
            for k in range(nb_ptr[u], nb_ptr[u + 1]):
                c = node2com[nb_node[k]]
                if com_slot[c] < 0:
                    com_slot[c] = nc
                    coms[nc] = c
                    com_w[c] = 0.0
                    nc += 1
                com_w[c] += nb_w[k]
            if com_slot[best_com] < 0:  # networkx's defaultdict adds it, last
                com_slot[best_com] = nc
                coms[nc] = best_com
                com_w[best_com] = 0.0
                nc += 1
            d_in = in_deg[u]
            d_out = out_deg[u]
            stot_in[best_com] -= d_in
            stot_out[best_com] -= d_out
            remove_cost = (
                -com_w[best_com] / m
                + (1.0 * (d_out * stot_in[best_com] + d_in * stot_out[best_com])) / m2
            )
            for j in range(nc):
                c = coms[j]
                gain = (
                    remove_cost
                    + com_w[c] / m
                    - (1.0 * (d_out * stot_in[c] + d_in * stot_out[c])) / m2
                )
                if gain > best_mod:
                    best_mod = gain
                    best_com = c
            for j in range(nc):
                com_slot[coms[j]] = -1
            stot_in[best_com] += d_in
            stot_out[best_com] += d_out
            if best_com != node2com[u]:
                node2com[u] = best_com
                nb_moves += 1
                moved_any = True
    return node2com, moved_any


def _aggregate(n, src, dst, w, node2com):
    """Renumber communities (by node number) and build the community graph in order.

    Returns ``k, labels, src, dst, w`` of the next level: edges in networkx's insertion
    order (``_gen_graph`` walks the edges by source node, then out-neighbour order).
    """
    labels = np.full(n, -1, dtype=np.int64)
    used = np.zeros(n, dtype=np.bool_)
    for u in range(n):
        used[node2com[u]] = True
    k = 0
    new_id = np.full(n, -1, dtype=np.int64)
    for c in range(n):
        if used[c]:
            new_id[c] = k
            k += 1
    for u in range(n):
        labels[u] = new_id[node2com[u]]
    s_ptr, s_idx = _stable_by(src, n)
    pair_slot: dict[int, int] = {}
    o_src = np.empty(src.size, dtype=np.int64)
    o_dst = np.empty(src.size, dtype=np.int64)
    o_w = np.empty(src.size, dtype=np.float64)
    top = 0
    for u in range(n):
        for q in range(s_ptr[u], s_ptr[u + 1]):
            e = s_idx[q]
            c1 = labels[src[e]]
            c2 = labels[dst[e]]
            key = c1 * k + c2
            if key in pair_slot:
                s = pair_slot[key]
                o_w[s] = w[e] + o_w[s]
            else:
                pair_slot[key] = top
                o_src[top] = c1
                o_dst[top] = c2
                o_w[top] = w[e]
                top += 1
    return k, labels, o_src[:top].copy(), o_dst[:top].copy(), o_w[:top].copy()


def _modularity(n, src, dst, w, labels, k):
    """Directed modularity of a partition (labels 0..k-1), networkx's formula."""
    _s_ptr, _s_idx, _p_ptr, _p_idx, out_deg, in_deg = _degrees(n, src, dst, w)
    m = 0.0
    for u in range(n):
        m += out_deg[u]
    norm = 1.0 / m**2
    inner = np.zeros(k, dtype=np.float64)
    c_out = np.zeros(k, dtype=np.float64)
    c_in = np.zeros(k, dtype=np.float64)
    for e in range(src.size):
        if labels[src[e]] == labels[dst[e]]:
            inner[labels[src[e]]] += w[e]
    for u in range(n):
        c_out[labels[u]] += out_deg[u]
        c_in[labels[u]] += in_deg[u]
    q = 0.0
    for c in range(k):
        q += inner[c] / m - 1.0 * c_out[c] * c_in[c] * norm
    return q


def _size(n, src, dst, w):
    """``DiGraph.size(weight)``: half the sum of (out + in) degrees, in node order."""
    _a, _b, _c, _d, out_deg, in_deg = _degrees(n, src, dst, w)
    s = 0.0
    for u in range(n):
        s += out_deg[u] + in_deg[u]
    return s / 2


_K: dict[str, object] = {}


def _kernels() -> dict[str, object] | None:
    if not _K:
        try:
            from numba import njit
        except ImportError:  # pragma: no cover - numba is a dependency
            return None
        g = globals()
        # replace every helper by its compiled version before any is called, so that the
        # compiled callers find compiled callees
        names = ("_stable_by", "_degrees", "_add_neighbours", "_one_level", "_aggregate",
                 "_modularity", "_size")  # fmt: skip
        for name in names:
            g[name] = njit(cache=True, nogil=True)(g[name])
            _K[name] = g[name]
    return _K


def louvain(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    *,
    seed: int = 20241,
    threshold: float = LOUVAIN_THRESHOLD,
) -> tuple[np.ndarray, float]:
    """Louvain communities of one directed weighted graph, as networkx finds them.

    Parameters
    ----------
    n
        Number of nodes (numbered 0 .. n - 1, in the order of ``DiGraph.nodes``).
    src, dst, weight
        The edges in the order of ``DiGraph.edges`` (by source node, then in the order
        each source's out-edges were added); no duplicate edges. Weights must be > 0.
    seed
        Integer seed of :class:`random.Random`, as networkx's ``seed=``.
    threshold
        Minimum modularity gain for another level.

    Returns
    -------
    tuple
        ``(member, modularity)``: ``member[i]`` is the community of node ``i``, numbered
        0 .. k - 1 by size (largest first), ties by their smallest node; ``modularity`` is
        the directed modularity of that partition (NaN for a graph without edges).
    """
    src = np.ascontiguousarray(src, dtype=np.int64)
    dst = np.ascontiguousarray(dst, dtype=np.int64)
    w = np.ascontiguousarray(weight, dtype=np.float64)
    if src.size == 0:
        return np.arange(n, dtype=np.int64), float("nan")
    k_ = _kernels()
    if k_ is None:  # pragma: no cover - numba is a dependency
        return _louvain_networkx(n, src, dst, w, seed=seed)
    rng = random.Random(seed)
    orig = np.arange(n, dtype=np.int64)
    m = _size(n, src, dst, w)
    mod = _modularity(n, src, dst, w, orig, n)
    level_n, l_src, l_dst, l_w = n, src, dst, w
    while True:
        order_list = list(range(level_n))
        rng.shuffle(order_list)
        node2com, moved = _one_level(
            level_n, l_src, l_dst, l_w, np.asarray(order_list, dtype=np.int64), m
        )
        if not moved:
            break
        k, labels, a_src, a_dst, a_w = _aggregate(level_n, l_src, l_dst, l_w, node2com)
        orig = labels[orig]
        new_mod = _modularity(level_n, l_src, l_dst, l_w, labels, k)
        if new_mod - mod <= threshold:
            break
        mod = new_mod
        level_n, l_src, l_dst, l_w = k, a_src, a_dst, a_w
    return _renumber(orig), float(_modularity(n, src, dst, w, _renumber(orig), int(orig.max()) + 1))


def _renumber(member: np.ndarray) -> np.ndarray:
    """Communities numbered by size (largest first), ties by their smallest node."""
    labels, first, counts = np.unique(member, return_index=True, return_counts=True)
    rank = np.lexsort((first, -counts))
    new = np.empty(labels.size, dtype=np.int64)
    new[rank] = np.arange(labels.size)
    return new[np.searchsorted(labels, member)]


def _louvain_networkx(n, src, dst, w, *, seed):  # pragma: no cover - without numba
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    comms = nx.community.louvain_communities(g, weight="weight", seed=seed)
    member = np.empty(n, dtype=np.int64)
    for c, nodes in enumerate(comms):
        member[list(nodes)] = c
    member = _renumber(member)
    q = nx.community.modularity(g, comms, weight="weight")
    return member, float(q)
