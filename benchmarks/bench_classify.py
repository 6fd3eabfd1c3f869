"""B1: exact natural breaks (k = 5) on lognormal data, geotrade vs references.

Compares wall time and within-class sum of squares (SSE, computed here in the same robust
way for every method from its class assignment) of

* geotrade ``classify(..., scheme="fisher_jenks")`` (numba kernel, warm; numpy fallback),
* ckwrap ``ckmeans`` (C++ Ckmeans.1d.dp, linear method),
* jenkspy ``jenks_breaks`` (C, quadratic),
* mapclassify ``FisherJenks`` (numba, quadratic) and ``FisherJenksSampled`` (random sample).

A reference is skipped at a size where its time, extrapolated quadratically from the
previous size, would exceed 60 s. Run: ``.venv/bin/python benchmarks/bench_classify.py``;
it prints a markdown section. ``benchmarks/run_all.py`` calls :func:`run` as B1 and writes
the section into ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from geotrade.classification import classify

K = 5
SIZES = (10**3, 10**4, 10**5, 10**6)
LIMIT_S = 60.0


def sse(x: np.ndarray, labels: np.ndarray) -> float:
    total = 0.0
    order = np.argsort(labels, kind="stable")
    xs, ls = x[order], labels[order]
    cuts = np.flatnonzero(np.diff(ls)) + 1
    for part in np.split(xs, cuts):
        d = part - part.mean()
        d -= d.mean()
        total += float(np.dot(d, d))
    return total


def timed(fn, repeat: int):
    best = np.inf
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_geotrade(x, backend):
    return classify(x, k=K, backend=backend).yb


def run_ckwrap(x):
    import ckwrap

    return ckwrap.ckmeans(x, K).labels


def run_jenkspy(x):
    import jenkspy

    br = np.asarray(jenkspy.jenks_breaks(x, n_classes=K))
    return np.searchsorted(br[1:-1], x, side="left")


def run_mc(x, sampled):
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cls = mapclassify.FisherJenksSampled if sampled else mapclassify.FisherJenks
        return cls(x, k=K).yb


METHODS = {
    "geotrade (numba)": lambda x: run_geotrade(x, "numba"),
    "geotrade (numpy fallback)": lambda x: run_geotrade(x, "numpy"),
    "ckwrap": run_ckwrap,
    "jenkspy": run_jenkspy,
    "mapclassify FisherJenks (numba)": lambda x: run_mc(x, False),
    "mapclassify FisherJenksSampled": lambda x: run_mc(x, True),
}
QUADRATIC = {"jenkspy", "mapclassify FisherJenks (numba)"}


def cold_compile_seconds() -> float:
    """First numba call in a fresh process with an empty cache (import + compile)."""
    code = (
        "import time; t = time.perf_counter()\n"
        "import numpy as np\n"
        "from geotrade.classification import classify\n"
        "classify(np.arange(50.0), k=3, backend='numba')\n"
        "print(time.perf_counter() - t)\n"
    )
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(out.stdout.strip())


def run(sizes: tuple[int, ...] = SIZES) -> list[str]:
    """Run B1 and return the markdown section (progress lines go to stdout)."""
    import ckwrap
    import jenkspy
    import mapclassify
    import numba

    rng = np.random.default_rng(12345)
    run_mc(rng.lognormal(size=100), False)  # compile mapclassify's numba kernels
    run_geotrade(rng.lognormal(size=100), "numba")  # compile geotrade's kernel
    rows = []
    last_time: dict[str, tuple[int, float]] = {}
    for n in sizes:
        x = rng.lognormal(0.0, 1.0, n)
        res = {}
        for name, fn in METHODS.items():
            if name in QUADRATIC and name in last_time:
                n0, t0 = last_time[name]
                if t0 * (n / n0) ** 2 > LIMIT_S:
                    res[name] = None
                    print(f"n={n:>8} {name}: skipped (predicted {t0 * (n / n0) ** 2:.0f} s)")
                    continue
            t0 = time.perf_counter()
            fn(x)
            first = time.perf_counter() - t0
            repeat = 1 if first > 1.0 else 3
            t, labels = timed(lambda fn=fn, x=x: fn(x), repeat)
            t = min(t, first)
            res[name] = (t, sse(x, np.asarray(labels)))
            last_time[name] = (n, t)
            print(f"n={n:>8} {name}: {t:.4f} s  SSE={res[name][1]:.10g}", flush=True)
        rows.append((n, res))
    compile_s = cold_compile_seconds()

    lines = [
        "## B1 exact natural breaks (k = 5, lognormal(0, 1))",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, numba {numba.__version__}, ckwrap "
        f"{getattr(ckwrap, '__version__', '1.2.3')}, jenkspy {jenkspy.__version__}, "
        f"mapclassify {mapclassify.__version__}.",
        "",
        "Time is the best of 3 runs (1 run when a run takes > 1 s), warm (numba compiled). "
        "SSE is recomputed from each method's class assignment (two-pass per class). "
        "'skipped' = predicted > 60 s from the quadratic trend. "
        "ratio = time / ckwrap time; ΔSSE = SSE / ckwrap SSE - 1.",
        "",
        "| n | method | time (s) | ratio vs ckwrap | SSE | ΔSSE vs ckwrap |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, res in rows:
        ck_t, ck_sse = res["ckwrap"]
        for name, v in res.items():
            if v is None:
                lines.append(f"| {n:,} | {name} | skipped | | | |")
                continue
            t, s = v
            lines.append(
                f"| {n:,} | {name} | {t:.4f} | {t / ck_t:.2f}× | {s:.10g} | {s / ck_sse - 1:+.1e} |"
            )
    lines += [
        "",
        f"Cold first call of the numba kernel (fresh process, empty cache; numba import + "
        f"compile): {compile_s:.2f} s. With the on-disk cache (`cache=True`) later processes "
        "load it instead. `backend='auto'` uses the numpy path when k·m < 500,000 "
        "(classes × distinct values), so small layers never import numba.",
    ]
    skipped = [(n, name) for n, res in rows for name, v in res.items() if v is None]
    if skipped:
        lines += [
            "",
            "Skipped (predicted > 60 s from the quadratic trend of the previous size): "
            + "; ".join(f"{name} at n = {n:,}" for n, name in skipped)
            + ".",
        ]
    return lines


def main() -> None:
    print("\n".join(run()))


if __name__ == "__main__":
    main()
