"""B5b: the batched betweenness kernel against the textbook Brandes loop, same run.

B5's network step is dominated by betweenness. geotrade's kernel
(:mod:`geotrade.engine._betweenness`) runs Brandes level by level without data-dependent
branches in the edge loops. The reference here is the textbook loop (queue BFS with
``dist[w] < 0`` / ``dist[w] == dist[v] + 1`` tests, the kernel geotrade used before),
compiled the same way (numba, ``parallel=True`` over graphs). Both run on the per-product
graphs of one synthetic BACI year (``make_baci.generate_year``, the B5 generator, scaled to
``--products`` products), after a warm-up call; best of ``--repeat``. The outputs must be
bit-for-bit equal.

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_betweenness.py [--update]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import replace_section  # noqa: E402


def textbook_one(g, node_ptr, edge_ptr, targets, out):  # pragma: no cover - compiled
    lo = node_ptr[g]
    n = node_ptr[g + 1] - lo
    if n < 3:
        return
    sigma = np.zeros(n, dtype=np.float64)
    coef = np.zeros(n, dtype=np.float64)
    dist = np.empty(n, dtype=np.int32)
    order = np.empty(n, dtype=np.int32)
    bc = np.zeros(n, dtype=np.float64)
    for s in range(n):
        if edge_ptr[lo + s + 1] == edge_ptr[lo + s]:
            continue
        for v in range(n):
            sigma[v] = 0.0
            dist[v] = -1
        sigma[s] = 1.0
        dist[s] = 0
        order[0] = s
        head = 0
        tail = 1
        while head < tail:
            v = order[head]
            head += 1
            for e in range(edge_ptr[lo + v], edge_ptr[lo + v + 1]):
                w = targets[e]
                if dist[w] < 0:
                    dist[w] = dist[v] + 1
                    order[tail] = w
                    tail += 1
                if dist[w] == dist[v] + 1:
                    sigma[w] += sigma[v]
        for p in range(tail - 1, -1, -1):
            v = order[p]
            dv = 0.0
            for e in range(edge_ptr[lo + v], edge_ptr[lo + v + 1]):
                w = targets[e]
                if dist[w] == dist[v] + 1:
                    dv += sigma[v] * coef[w]
            coef[v] = (1.0 + dv) / sigma[v]
            if v != s:
                bc[v] += dv
    scale = 1.0 / ((n - 1) * (n - 2))
    for v in range(n):
        out[lo + v] = bc[v] * scale


def textbook_kernel():
    from numba import njit, prange

    one = njit(nogil=True)(textbook_one)

    @njit(parallel=True)
    def run(node_ptr, edge_ptr, targets, out):  # pragma: no cover - compiled
        for g in prange(node_ptr.size - 1):
            one(g, node_ptr, edge_ptr, targets, out)

    return run


def graphs(n_products: int, rows: float, seed: int = 1):
    """CSR batch of the per-product exporter -> importer graphs of one synthetic year."""
    import make_baci

    countries = np.arange(200)
    t = make_baci.generate_year(
        2022, exporters=countries, products=np.arange(n_products), rows=rows, seed=seed
    )
    i, j, k = (t[c].to_numpy() for c in ("i", "j", "k"))
    order = np.lexsort((j, i, k))
    i, j, k = i[order], j[order], k[order]
    bounds = np.searchsorted(k, np.arange(n_products + 1))
    node_ptr, edge_ptr, targets = [0], [0], []
    for g in range(n_products):
        gi, gj = i[bounds[g] : bounds[g + 1]], j[bounds[g] : bounds[g + 1]]
        nodes = np.union1d(gi, gj)
        counts = np.bincount(np.searchsorted(nodes, gi), minlength=nodes.size)
        edge_ptr.extend((edge_ptr[-1] + np.cumsum(counts)).tolist())
        targets.append(np.searchsorted(nodes, gj).astype(np.int32))
        node_ptr.append(node_ptr[-1] + nodes.size)
    return (
        np.array(node_ptr, dtype=np.int64),
        np.array(edge_ptr, dtype=np.int64),
        np.concatenate(targets),
    )


def best_of(kernel, batch, repeat: int) -> tuple[float, np.ndarray]:
    out = np.zeros(int(batch[0][-1]))
    kernel(*batch, out)  # compile / load
    best = float("inf")
    for _ in range(repeat):
        out = np.zeros(int(batch[0][-1]))
        t0 = time.perf_counter()
        kernel(*batch, out)
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(*, products: int = 1000, repeat: int = 3) -> list[str]:
    import numba

    from geotrade.engine._betweenness import _kernel

    batch = graphs(products, rows=products * 2200.0)
    n = np.diff(batch[0])
    e = batch[1][batch[0][1:]] - batch[1][batch[0][:-1]]
    lines = [
        "## B5b betweenness kernel vs the textbook Brandes loop",
        "",
        f"{products:,} per-product graphs of one synthetic BACI year (the B5 generator, "
        f"{int(batch[0][-1]):,} nodes, {batch[2].size:,} edges; median graph {int(np.median(n))} "
        f"nodes and {int(np.median(e)):,} edges). Both kernels compiled with numba, "
        "`parallel=True` over graphs; best of "
        f"{repeat} after a warm-up call.",
        "",
        "| threads | textbook loop (s) | geotrade (s) | geotrade / textbook | same bits |",
        "|---:|---:|---:|---:|---|",
    ]
    ref_kernel = textbook_kernel()
    for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
        numba.set_num_threads(threads)
        t_ref, ref = best_of(ref_kernel, batch, repeat)
        t_new, new = best_of(_kernel(), batch, repeat)
        same = bool(np.array_equal(ref, new))
        lines.append(f"| {threads} | {t_ref:.2f} | {t_new:.2f} | {t_new / t_ref:.2f}× | {same} |")
        print(lines[-1], flush=True)
        if not same:
            raise SystemExit("betweenness kernels disagree")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--update", action="store_true", help="write the section to RESULTS.md")
    args = ap.parse_args(argv)
    lines = run(products=args.products, repeat=args.repeat)
    print("\n".join(lines))
    if args.update:
        replace_section(
            HERE / "RESULTS.md",
            lines,
            head="## B5b betweenness kernel",
            script="benchmarks/bench_betweenness.py",
        )


if __name__ == "__main__":
    main()
