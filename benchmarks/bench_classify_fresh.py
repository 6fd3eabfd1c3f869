"""B1b: exact natural breaks (k = 5) in fresh processes and warm, geotrade vs ckwrap.

Every CLI call and every QGIS algorithm runs the engine in a new process, so the time users
wait includes interpreter start-up, imports and (for geotrade's numba kernel) importing numba
and loading its cached machine code. For each n (lognormal(0, 1), fixed seed, saved as .npy
first) this benchmark runs, as **whole processes timed from the parent**:

* ``python``: start the interpreter, import numpy, load the .npy (the floor of every row);
* ``ckwrap``: the above + ``ckwrap.ckmeans(x, 5)``;
* ``geotrade``: the above + ``geotrade.classification.classify(x, k=5)`` (backend ``auto``:
  the ahead-of-time compiled C kernel, ``geotrade/_fj_kernel.c``, built at install);
* ``geotrade numba``: the same with ``GEOTRADE_DISABLE_C_KERNEL=1`` (what ``auto`` does
  where no C compiler was available at install: numba for large inputs, numpy for small);
* ``geotrade numba, prewarm``: as ``geotrade numba`` with ``geotrade._fisher_jenks.prewarm()``
  first (numba loads while the input is read);
* ``geotrade numpy fallback``: neither the C kernel nor numba.

Rounds are interleaved (one process of each kind per round, in turn), repeated, and the
median is reported; ratio = median / median of ckwrap. Warm times are the best of 3 calls
after a first call in one long-lived process. SSE is recomputed in the parent from each
child's class maxima (two-pass per class), so equal SSE means the same partition quality.

Run: ``.venv/bin/python benchmarks/bench_classify_fresh.py [--rounds 7] [--out FILE]``;
``benchmarks/run_all.py`` runs it as B1b and writes ``benchmarks/RESULTS_classify.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import replace_section  # noqa: E402

K = 5
SIZES = (10**3, 10**4, 10**5, 10**6)

_PRE = "import sys, json\nimport numpy as np\n"
_MAXIMA = (
    "lab = np.asarray(lab)\nprint(json.dumps([float(x[lab == c].max()) for c in np.unique(lab)]))\n"
)
CODE = {
    "python": _PRE + "x = np.load(sys.argv[1])\nprint('[]')\n",
    "ckwrap": _PRE
    + f"x = np.load(sys.argv[1])\nimport ckwrap\nlab = ckwrap.ckmeans(x, {K}).labels\n"
    + _MAXIMA,
    "geotrade": _PRE
    + "x = np.load(sys.argv[1])\nfrom geotrade.classification import classify\n"
    + f"lab = classify(x, k={K}).yb\n"
    + _MAXIMA,
    "geotrade numba, prewarm": _PRE
    + "from geotrade._fisher_jenks import prewarm\nprewarm()\n"
    + "x = np.load(sys.argv[1])\nfrom geotrade.classification import classify\n"
    + f"lab = classify(x, k={K}).yb\n"
    + _MAXIMA,
}
CODE["geotrade numba"] = CODE["geotrade"]
CODE["geotrade numpy fallback"] = CODE["geotrade"]
WARM = {
    "ckwrap": f"import ckwrap\nf = lambda x: ckwrap.ckmeans(x, {K}).labels\n",
    "geotrade": "from geotrade.classification import classify\n"
    f"f = lambda x: classify(x, k={K}).yb\n",
    "geotrade numba": "from geotrade.classification import classify\n"
    f"f = lambda x: classify(x, k={K}, backend='numba').yb\n",
    "geotrade numpy fallback": "from geotrade.classification import classify\n"
    f"f = lambda x: classify(x, k={K}, backend='numpy').yb\n",
}
WARM_CODE = (
    "import sys, time, json\nimport numpy as np\nx = np.load(sys.argv[1])\n%s"
    "f(x)\nts = []\nfor _ in range(3):\n    t = time.perf_counter(); f(x); "
    "ts.append(time.perf_counter() - t)\nprint(json.dumps(min(ts)))\n"
)


def sse(x: np.ndarray, maxima: list[float]) -> float:
    labels = np.searchsorted(np.asarray(maxima), x, side="left")
    total = 0.0
    for c in range(len(maxima)):
        part = x[labels == c]
        d = part - part.mean()
        d -= d.mean()
        total += float(np.dot(d, d))
    return total


def _env(kind: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GEOTRADE_DISABLE_NUMBA", None)
    env.pop("GEOTRADE_DISABLE_C_KERNEL", None)
    if kind.startswith(("geotrade numba", "geotrade numpy")):
        env["GEOTRADE_DISABLE_C_KERNEL"] = "1"
    if kind == "geotrade numpy fallback":
        env["GEOTRADE_DISABLE_NUMBA"] = "1"
    return env


def fresh(kind: str, path: Path) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CODE[kind], str(path)],
        env=_env(kind),
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - t0, json.loads(out.stdout.strip().splitlines()[-1])


def warm(kind: str, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", WARM_CODE % WARM[kind], str(path)],
        env=_env(kind),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def run(sizes: tuple[int, ...] = SIZES, rounds: int = 7) -> list[str]:
    """Run B1b; return the markdown section."""
    from importlib.metadata import version

    import numba

    rng = np.random.default_rng(12345)
    kinds = list(CODE)
    lines: list[str] = []
    table = []
    detail = []
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        # make sure numba's on-disk cache holds the kernel (users run it after installation)
        p0 = Path(tmp) / "warmup.npy"
        np.save(p0, rng.lognormal(0.0, 1.0, 2000))
        warm("geotrade numba", p0)  # compiles or loads the numba cache once
        for n in sizes:
            x = rng.lognormal(0.0, 1.0, n)
            path = Path(tmp) / f"x{n}.npy"
            np.save(path, x)
            times: dict[str, list[float]] = {k: [] for k in kinds}
            sses: dict[str, float] = {}
            for r in range(rounds):
                order = kinds if r % 2 == 0 else kinds[::-1]
                for kind in order:
                    if kind == "geotrade numpy fallback" and n >= 10**6 and r >= 3:
                        continue  # ~4-10 s a process; three rounds are enough
                    t, maxima = fresh(kind, path)
                    times[kind].append(t)
                    if maxima:
                        sses[kind] = sse(x, maxima)
            med = {k: statistics.median(v) for k, v in times.items()}
            ratios_round = [g / c for g, c in zip(times["geotrade"], times["ckwrap"], strict=True)]
            w = {k: warm(k, path) for k in WARM}
            for kind in kinds:
                ref = sses.get("ckwrap")
                s = sses.get(kind)
                dsse = "" if s is None or ref is None else f"{s / ref - 1:+.1e}"
                table.append(
                    f"| {n:,} | {kind} | {med[kind]:.3f} | "
                    + (f"{med[kind] / med['ckwrap']:.2f}×" if kind != "python" else "")
                    + f" | {med[kind] - med['python']:.3f} | "
                    + (f"{w[kind]:.4f}" if kind in w else "")
                    + " | "
                    + (f"{w[kind] / w['ckwrap']:.2f}×" if kind in w else "")
                    + f" | {'' if s is None else f'{s:.6f}'} | {dsse} |"
                )
            detail.append(
                f"n={n:,}: geotrade/ckwrap per round "
                f"{[round(v, 2) for v in ratios_round]}, median "
                f"{statistics.median(ratios_round):.2f}; "
                f"geotrade {[round(v, 3) for v in times['geotrade']]}; "
                f"ckwrap {[round(v, 3) for v in times['ckwrap']]}"
            )
            print(detail[-1], flush=True)
    load1 = os.getloadavg()
    lines += [
        "## B1b exact natural breaks in a fresh process (k = 5, lognormal(0, 1))",
        "",
        f"numba {numba.__version__}, ckwrap {version('ckwrap')}; "
        f"{rounds} interleaved rounds per size (numpy fallback at 10⁶: 3). Load average "
        f"before {load0[0]:.2f}, after {load1[0]:.2f} (1 min) on "
        f"{os.cpu_count()} cores.",
        "",
        "Fresh = whole process timed from the parent (interpreter start, numpy import, .npy "
        "load, library import, classification, printing k class maxima). 'over python' = "
        "fresh minus the `python` row (the library's own cost). Warm = best of 3 calls after "
        "a first call in one process. ΔSSE = SSE / ckwrap SSE − 1.",
        "",
        "| n | process | fresh median (s) | fresh ratio vs ckwrap | over python (s) | "
        "warm (s) | warm ratio | SSE | ΔSSE |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        *table,
        "",
        "Per-round fresh ratios (geotrade / ckwrap, same round):",
        "",
        "```",
        *detail,
        "```",
    ]
    return lines


def update_results(section: list[str], path: Path = HERE / "RESULTS_classify.md") -> None:
    """Replace (or append) the B1b section of ``path``; the rest of the file is kept."""
    replace_section(
        path,
        section,
        head="## B1b ",
        script="benchmarks/bench_classify_fresh.py",
        title="# Classification benchmarks",
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument(
        "--out",
        type=Path,
        default=HERE / "RESULTS_classify.md",
        help="file whose B1b section is replaced",
    )
    a = ap.parse_args(argv)
    sizes = tuple(int(float(s)) for s in a.sizes.split(","))
    section = run(sizes, rounds=a.rounds)
    print("\n".join(section))
    update_results(section, a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
