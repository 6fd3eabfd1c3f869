"""B3: a multi-year BACI-size panel streamed year by year (wall time, peak RSS).

:func:`geotrade.engine.pair_interdependence` (``engine="duckdb"``, 2 threads,
``memory_limit="1GB"``) on the parquet panel ``BACI_HS17_Y<year>_V*.parquet`` (one file per
year, about 11 M rows each), for the first 1, 3 and 10 years of the panel, with the 124-code
list and with all 5 000 products. Each measurement runs in its own child process; peak RSS
is the child's ``VmHWM`` (see ``bench_common``). Linearity: seconds per year should stay
flat as years grow.

Run: ``.venv/bin/python benchmarks/bench_b3_panel.py [--years 2013-2022]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import DATA, PY, last_json, peak_rss_mb, run_child  # noqa: E402

THREADS = 2
MEMORY_LIMIT = "1GB"


def worker(glob: str, years: str, hs_path: str) -> None:
    import pandas as pd

    from geotrade.engine import pair_interdependence

    hs = None if hs_path == "-" else pd.read_csv(hs_path, dtype=str)["hs_code"].tolist()
    ys = [int(y) for y in years.split(",")]
    t0 = time.perf_counter()
    df = pair_interdependence(
        glob, years=ys, hs_codes=hs, engine="duckdb", threads=THREADS, memory_limit=MEMORY_LIMIT
    )
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "pairs": len(df),
                "rows_selected": df.attrs["rows_selected"],
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def run(
    years: list[int] | None = None, *, counts: tuple[int, ...] = (1, 3, 10), repeat: int = 2
) -> list[str]:
    from make_baci import RELEASE, make

    years = years or list(range(2013, 2023))
    out = DATA / "baci"
    t0 = time.perf_counter()
    info = make(out, years, formats=("parquet",))
    gen = time.perf_counter() - t0
    glob = str(out / f"BACI_HS17_Y*_V{RELEASE}.parquet")
    rows = []
    for label, hs in (("124 products", info["product_list"]), ("all products", "-")):
        for n in counts:
            if n > len(years):
                continue
            ys = years[-n:]
            recs = []
            for _ in range(repeat):
                wall, rss, code, lines = run_child(
                    [PY, __file__, "--worker", glob, ",".join(map(str, ys)), hs]
                )
                rec = last_json(lines)
                if code != 0 or not rec:
                    break
                recs.append(rec)
            if recs and len(recs) == repeat:
                rec = min(recs, key=lambda r: r["seconds"])
                rec = {**rec, "peak_rss_mb": max(r["peak_rss_mb"] for r in recs)}
            if code != 0 or not rec:
                rows.append((label, n, None, wall, rss, None))
                print(f"B3 {label} {n} years: FAILED (exit {code})", flush=True)
                continue
            rss = rec["peak_rss_mb"]
            rows.append((label, n, rec, wall, rss, ys))
            print(
                f"B3 {label} {n} years: {rec['seconds']:.2f} s "
                f"({rec['seconds'] / n:.2f} s/year), peak RSS {rss:.0f} MiB",
                flush=True,
            )
    lines = [
        "## B3 multi-year panel streamed (parquet, one file per year)",
        "",
        f"Panel {years[0]}–{years[-1]} (about 11 M rows per year; generated or reused in "
        f"{gen:.0f} s). geotrade `pair_interdependence(glob, years=…, engine='duckdb')`, "
        f"threads = {THREADS}, memory_limit = {MEMORY_LIMIT}; each line is the best time of "
        f"{repeat} runs, each in its own child process (peak RSS = the largest `VmHWM`). "
        "Time excludes interpreter start and imports.",
        "",
        "| products | years | rows selected | pairs | time (s) | s / year | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    worst_rss = 0.0
    per_year: dict[str, list[float]] = {}
    for label, n, rec, _wall, rss, _ys in rows:
        if rec is None:
            lines.append(f"| {label} | {n} | failed | | | | {rss:,.0f} |")
            continue
        worst_rss = max(worst_rss, rss)
        per_year.setdefault(label, []).append(rec["seconds"] / n)
        lines.append(
            f"| {label} | {n} | {rec['rows_selected']:,} | {rec['pairs']:,} | "
            f"{rec['seconds']:.2f} | {rec['seconds'] / n:.2f} | {rss:,.0f} |"
        )
    ok = "met" if worst_rss <= 1536 else f"MISSED by {worst_rss / 1536 - 1:.0%}"
    lines += ["", f"Targets: peak RSS ≤ 1.5 GiB: {ok} (max {worst_rss:,.0f} MiB)."]
    for label, v in per_year.items():
        if len(v) > 1:
            lines.append(
                f"- {label}: s/year from {v[0]:.2f} (1 year) to {v[-1]:.2f} "
                f"({counts[len(v) - 1]} years): ratio {v[-1] / v[0]:.2f} (1.0 = linear; "
                "< 1 when fixed start-up costs are spread over more years)."
            )
    return lines


def main(argv: list[str] | None = None) -> None:
    from make_baci import parse_years

    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=3, metavar=("GLOB", "YEARS", "HS"))
    ap.add_argument("--years", default="2013-2022")
    a = ap.parse_args(argv)
    if a.worker:
        worker(*a.worker)
        return
    print("\n".join(run(parse_years(a.years))))


if __name__ == "__main__":
    main()
