"""Run the benchmark suite B1–B5b and write ``benchmarks/RESULTS.md`` (``make bench``).

* B1 exact natural breaks (``bench_classify.py``)
* B1b the same in fresh processes and warm, vs ckwrap (``bench_classify_fresh.py``; also
  replaces its section of ``benchmarks/RESULTS_classify.md``)
* B2 one BACI-size year → all-pairs GL + typology (``bench_b2_pairs.py``)
* B3 multi-year panel streamed (``bench_b3_panel.py``)
* B4 ``geotrade demo`` cold and warm wall times, three runs each (``bench_b4_demo.py``)
* B5 every product of a BACI year → by-product GL + typology to parquet vs a hand-written
  DuckDB query, with its result check, then the network metrics of every product
  (``bench_b5_all_products.py``; reuses B2's parquet year)
* B5b the betweenness kernel vs the textbook Brandes loop, same bits (``bench_betweenness.py``)

Synthetic BACI data is generated on first use under ``benchmarks/.data/`` (about 0.5 GB per
year as CSV + parquet for B2's year, 0.1 GB per year of parquet for B3; not committed) by
``make_baci.py``. Not part of ``make test``. The whole run takes about 10–15 minutes on a
2-core machine when idle.

Run: ``nice -n 10 .venv/bin/python benchmarks/run_all.py [--only B2,B3] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import machine_info  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="B1,B1B,B2,B3,B4,B5,B5B", help="comma-separated subset")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--b3-years", default="2013-2022")
    ap.add_argument("--repeat", type=int, default=3, help="B2 runs per method")
    a = ap.parse_args(argv)
    only = {s.strip().upper() for s in a.only.split(",")}
    started = time.perf_counter()
    header = [
        "# Benchmarks",
        "",
        f"Produced by `benchmarks/run_all.py` on {dt.date.today().isoformat()} "
        f"(sections: {', '.join(sorted(only))}). All trade data is **synthetic** "
        "(`benchmarks/make_baci.py`, fixed seed, BACI layout).",
        "",
        "Machine:",
        "",
        *machine_info(),
    ]
    sections: list[list[str]] = []
    if "B1" in only:
        import bench_classify

        sections.append(bench_classify.run())
    if "B1B" in only:
        import bench_classify_fresh

        fresh_section = bench_classify_fresh.run()
        bench_classify_fresh.update_results(fresh_section)
        sections.append(fresh_section)
    if "B2" in only:
        import bench_b2_pairs

        sections.append(bench_b2_pairs.run(repeat=a.repeat))
    if "B3" in only:
        import bench_b3_panel
        from make_baci import parse_years

        sections.append(bench_b3_panel.run(parse_years(a.b3_years)))
    if "B4" in only:
        import bench_b4_demo

        sections.append(bench_b4_demo.run())
    if "B5" in only:
        import bench_b5_all_products

        sections.append(bench_b5_all_products.run(repeat=a.repeat))
    if "B5B" in only:
        import bench_betweenness

        sections.append(bench_betweenness.run(repeat=a.repeat))
    total = time.perf_counter() - started
    header += [
        f"- Load average at end (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Whole run: {total / 60:.1f} min",
        "",
        "**Noise warning:** a load average well above the number of cores means other jobs "
        "shared the CPU during the run; absolute times are then inflated and ratios are "
        "more meaningful. Rerun on an idle machine for reference numbers.",
    ]
    text = "\n".join(header + [""] + ["\n".join(s) + "\n" for s in sections])
    tmp = a.out.with_name(a.out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(a.out)
    print(text)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
