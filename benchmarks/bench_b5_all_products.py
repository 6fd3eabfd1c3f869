"""B5: every product of a BACI year → all-pairs GL + typology per product, to parquet.

B2 measures 124 products summed; researchers run all ~5 000 HS6 codes separately. One
synthetic BACI-size year (``make_baci.py``, parquet, about 11 M rows, 5 000 products):

* ``duckdb-sql`` — one hand-written DuckDB query: aggregate by (year, product, exporter,
  importer), full outer self-join for ``M_ij = X_ji``, GL and the typology in ``CASE``,
  ISO3 codes joined, ``COPY … TO`` parquet; same ``threads`` and ``memory_limit``;
* ``geotrade`` — :func:`geotrade.engine.pair_interdependence_by_product` (value checks,
  excluded-row report, codes policy included).

Each runs in its own child process, alternating, ``repeat`` times (wall time inside the
child after the imports, wall time of the whole process, peak RSS = the child's ``VmHWM``).
The two parquet files are then compared in DuckDB (:func:`check_tables`: same rows, same
classes, values within 1e-9 relative). Then the network metrics of every product
(:func:`geotrade.engine.network_metrics_by_product`, from the geotrade file), also in a child.

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_b5_all_products.py`` (data cached in
``benchmarks/.data/baci``, shared with B2; ``--update`` replaces the B5 section of
``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import DATA, PY, last_json, peak_rss_mb, replace_section, run_child  # noqa: E402

THREADS = 2
#: DuckDB memory_limit of both methods: with the interpreter, pandas and pyarrow on top,
#: this keeps the geotrade child under the 1 GiB peak-RSS goal.
MEMORY_LIMIT = "700MB"
#: The reference is also run with B2's memory_limit (less spilling: a stronger reference).
REFERENCE_LIMIT = "1GB"
YEAR = 2022
TOL = 1e-9
KEY = ("year", "hs_code", "iso3", "partner_iso3")
#: Louvain communities are checked against networkx on every LOUVAIN_EVERY-th product.
LOUVAIN_EVERY = 25


def reference_sql(path: str, codes: str, out: str) -> str:
    """The hand-written query (what a DuckDB user would write), as a ``COPY`` statement."""
    return f"""
    COPY (
    WITH codes AS (
        SELECT CAST(country_code AS INTEGER) AS code,
               CASE WHEN country_code = '490' THEN 'TWN' ELSE country_iso3 END AS iso3
        FROM read_csv('{codes}', header = true, all_varchar = true)
    ),
    x AS (
        SELECT t AS year, k, i, j, SUM(v * 1000) AS x FROM read_parquet('{path}')
        WHERE i <> j GROUP BY t, k, i, j
    ),
    p AS (
        SELECT COALESCE(a.year, b.year) AS year, COALESCE(a.k, b.k) AS k,
               COALESCE(a.i, b.j) AS i, COALESCE(a.j, b.i) AS j,
               COALESCE(a.x, 0) AS exports, COALESCE(b.x, 0) AS imports
        FROM x AS a FULL JOIN x AS b
          ON a.year = b.year AND a.k = b.k AND a.i = b.j AND a.j = b.i
    ),
    g AS (SELECT *, 2 * least(exports, imports) / (exports + imports) AS gl FROM p
          WHERE exports + imports > 0)
    SELECT year, lpad(CAST(k AS VARCHAR), 6, '0') AS hs_code, ci.iso3 AS iso3,
           cj.iso3 AS partner_iso3, exports, imports, gl,
           CASE WHEN exports >= imports OR gl = 0 THEN gl ELSE -gl END AS "index",
           CASE WHEN exports = imports THEN 'balanced'
                WHEN imports = 0 THEN 'partner_one_way'
                WHEN exports = 0 THEN 'focal_one_way'
                ELSE CASE WHEN exports > imports THEN 'partner_' ELSE 'focal_' END
                  || CASE WHEN gl <= 0.2 THEN 'high' WHEN gl < 0.5 THEN 'moderate'
                          ELSE 'low' END END AS dependence_class
    FROM g JOIN codes AS ci ON g.i = ci.code JOIN codes AS cj ON g.j = cj.code
    ) TO '{out}' (FORMAT parquet)
    """


def worker(method: str, path: str, codes: str, out: str, memory_limit: str) -> None:
    """One timed run in this (fresh) process; prints a JSON line."""
    import duckdb
    import pandas  # noqa: F401 - imported before the clock starts, for both methods
    import pyarrow  # noqa: F401

    if method == "geotrade":
        from geotrade.engine import pair_interdependence_by_product
    extra: dict[str, object] = {}
    t0 = time.perf_counter()
    if method == "duckdb-sql":
        con = duckdb.connect(config={"threads": THREADS, "memory_limit": memory_limit})
        con.execute(reference_sql(path, codes, out))
        con.close()
    elif method == "geotrade":
        info = pair_interdependence_by_product(
            path,
            out=out,
            country_codes=codes,
            threads=THREADS,
            memory_limit=memory_limit,
        )
        extra = {"steps": info["seconds"], "products": info["products"]}
    else:
        raise SystemExit(f"unknown method {method!r}")
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(), **extra}))


def network_worker(pairs: str, out_dir: str, communities: str = "0") -> None:
    """Network metrics of every product of ``pairs`` (fresh process); prints a JSON line.

    With ``communities = "1"`` the Louvain communities of every product are computed too,
    and checked against networkx's seeded Louvain (the reference implementation) on every
    ``LOUVAIN_EVERY``-th product, after the timing.
    """
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    from geotrade.engine import network_metrics_by_product

    with_comm = communities == "1"
    t0 = time.perf_counter()
    info = network_metrics_by_product(
        pairs,
        nodes_out=os.path.join(out_dir, "nodes.parquet"),
        summary_out=os.path.join(out_dir, "summary.parquet"),
        threads=THREADS,
        communities=with_comm,
    )
    seconds = time.perf_counter() - t0
    rec = {
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "products": info["products"],
        "steps": info["seconds"],
    }
    if with_comm:
        rec["louvain_check"] = _louvain_check(pairs, info["nodes"], info["summary"])
    print(json.dumps(rec))


def _louvain_check(pairs: str, nodes, summary) -> dict:
    """Compare the communities of every LOUVAIN_EVERY-th product with networkx's Louvain."""
    import networkx as nx
    import numpy as np
    import pyarrow.parquet as pq

    from geotrade.metrics.network import LOUVAIN_SEED, trade_graph

    codes = sorted(set(summary["hs_code"]))[::LOUVAIN_EVERY]
    part = pq.read_table(pairs, filters=[("hs_code", "in", codes)]).to_pandas()
    part = part.astype(dict.fromkeys(("hs_code", "iso3", "partner_iso3", "dependence_class"), str))
    same = 0
    worst = 0.0
    for (year, code), t in part.groupby(["year", "hs_code"], sort=True):
        g = trade_graph(t, int(year))
        mine = nodes[(nodes["year"] == year) & (nodes["hs_code"] == code)]
        q_mine = float(summary[(summary["year"] == year) & (summary["hs_code"] == code)][
            "modularity"].iloc[0])
        if g.number_of_edges() == 0:
            same += int(mine["community"].nunique() == len(mine))
            continue
        comms = nx.community.louvain_communities(g, weight="weight", seed=LOUVAIN_SEED)
        ref = {frozenset(c) for c in comms}
        got = {frozenset(v) for v in mine.groupby("community")["iso3"].agg(set)}
        same += int(ref == got)
        q = nx.community.modularity(g, comms, weight="weight")
        worst = max(worst, abs(q - q_mine) / max(1.0, abs(q)))
    return {"products": len(codes), "same": same, "max_rel_modularity": float(np.float64(worst))}


def check_tables(a: str | Path, b: str | Path, *, tol: float = TOL) -> tuple[bool, str]:
    """Compare two by-product pair tables (parquet) in DuckDB: same rows, classes, values.

    Rows are matched on ``year, hs_code, iso3, partner_iso3`` (compared as text); values
    must agree within ``tol`` relative to ``max(1, |b|)``.

    Returns
    -------
    (ok, message)
    """
    import duckdb
    import psutil

    # not a measured run: give the comparison join room (up to 4 GiB, 40 % of free memory)
    room = max(1, min(4, int(0.4 * psutil.virtual_memory().available / 2**30)))
    con = duckdb.connect(config={"threads": THREADS, "memory_limit": f"{room}GB"})

    def rel(path: str | Path) -> str:
        return (
            "SELECT CAST(year AS BIGINT) AS year, CAST(hs_code AS VARCHAR) AS hs_code, "
            "CAST(iso3 AS VARCHAR) AS iso3, CAST(partner_iso3 AS VARCHAR) AS partner_iso3, "
            'exports, imports, gl, "index" AS idx, CAST(dependence_class AS VARCHAR) AS cls '
            f"FROM read_parquet('{path}')"
        )

    n = {}
    for name, path in (("a", a), ("b", b)):
        total, distinct = con.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT (year, hs_code, iso3, partner_iso3)) "
            f"FROM ({rel(path)})"
        ).fetchone()
        if total != distinct:
            return False, f"DIFFERENT: {total - distinct} duplicated keys in {name}"
        n[name] = total
    on = " AND ".join(f"a.{c} = b.{c}" for c in KEY)
    diffs = ", ".join(
        f"MAX(abs(a.{c} - b.{c}) / greatest(1.0, abs(b.{c})))"
        for c in ("exports", "imports", "gl", "idx")
    )
    row = con.execute(
        f"""
        SELECT COUNT(*) FILTER (WHERE a.year IS NULL), COUNT(*) FILTER (WHERE b.year IS NULL),
               COUNT(*) FILTER (WHERE a.cls IS DISTINCT FROM b.cls
                                AND a.year IS NOT NULL AND b.year IS NOT NULL),
               {diffs}
        FROM ({rel(a)}) AS a FULL OUTER JOIN ({rel(b)}) AS b ON {on}
        """
    ).fetchone()
    con.close()
    only_b, only_a, cls_diff = row[:3]
    worst = max((float(d) for d in row[3:] if d is not None), default=0.0)
    if only_a or only_b:
        return False, f"DIFFERENT rows: {only_a:,} only in a, {only_b:,} only in b"
    if cls_diff:
        return False, f"DIFFERENT classes in {cls_diff:,} rows"
    if worst > tol:
        return False, f"DIFFERENT values: max relative difference {worst:.1e} > {tol:.0e}"
    return True, f"same {n['a']:,} rows and classes, max relative Δ = {worst:.1e}"


def make_data(data_dir: Path, *, rows: float, products: int) -> dict:
    """Generate (or reuse) the year in a child process, after checking free memory."""
    import psutil
    from make_baci import RELEASE

    path = data_dir / f"BACI_HS17_Y{YEAR}_V{RELEASE}.parquet"
    if not path.exists():
        need = rows * 120  # bytes per row while generating (arrays + pyarrow table)
        free = psutil.virtual_memory().available
        if free < need:
            msg = (
                f"B5 needs about {need / 2**30:.1f} GiB free to generate the year "
                f"({free / 2**30:.1f} GiB available); generate it elsewhere with make_baci.py"
            )
            raise SystemExit(msg)
        _, _, code, lines = run_child(
            [
                PY,
                str(HERE / "make_baci.py"),
                "--out",
                str(data_dir),
                "--years",
                str(YEAR),
                "--formats",
                "parquet",
                "--rows",
                str(rows),
                "--products",
                str(products),
            ]
        )
        if code != 0:
            raise SystemExit(f"make_baci.py failed (exit {code})")
        for _, line in lines:
            print(line, flush=True)
    return {"path": str(path), "codes": str(data_dir / f"country_codes_V{RELEASE}.csv")}


def run(
    data_dir: Path | None = None,
    *,
    repeat: int = 3,
    rows: float = 11e6,
    products: int = 5000,
    memory_limit: str = MEMORY_LIMIT,
    network: bool = True,
) -> list[str]:
    """Run B5 and return its RESULTS.md section (list of lines)."""
    import pyarrow.parquet as pq

    data_dir = data_dir or DATA / "baci"
    data_dir.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    info = make_data(data_dir, rows=rows, products=products)
    path, codes = info["path"], info["codes"]
    n_rows = pq.ParquetFile(path).metadata.num_rows
    methods = {"duckdb-sql": memory_limit, "geotrade": memory_limit}
    if memory_limit != REFERENCE_LIMIT:
        methods[f"duckdb-sql, {REFERENCE_LIMIT}"] = REFERENCE_LIMIT
    results: dict[str, list[dict]] = {m: [] for m in methods}
    with tempfile.TemporaryDirectory(prefix="geotrade-b5-") as tmp:
        outs: dict[str, str] = {}
        for r in range(repeat):
            for label, limit in methods.items():  # alternate: shared-machine noise
                method = label.split(",")[0]
                out = f"{tmp}/{method}_{limit}_{r}.parquet"
                wall, _, code, lines = run_child(
                    [PY, __file__, "--worker", method, path, codes, out, limit]
                )
                rec = last_json(lines)
                if code != 0 or not rec:
                    print(f"B5 {label} run {r + 1}: FAILED (exit {code})", flush=True)
                    continue
                results[label].append({"wall": wall, "round": r, **rec})
                outs[label] = out
                print(
                    f"B5 {label} run {r + 1}: compute {rec['seconds']:.2f} s, process "
                    f"{wall:.2f} s, peak RSS {rec['peak_rss_mb']:.0f} MiB",
                    flush=True,
                )
        if "duckdb-sql" in outs and "geotrade" in outs:
            ok, check = check_tables(outs["geotrade"], outs["duckdb-sql"])
            out_rows = pq.ParquetFile(outs["geotrade"]).metadata.num_rows
            out_mb = Path(outs["geotrade"]).stat().st_size / 2**20
        else:
            ok, check, out_rows, out_mb = False, "not run (a method failed)", 0, 0.0
        print(f"B5 check: {check}", flush=True)
        net: dict | None = None
        if network and "geotrade" in outs:
            for flag in ("0", "1"):
                nd = Path(tmp) / f"net{flag}"
                nd.mkdir()
                wall, _, code, lines = run_child(
                    [PY, __file__, "--network-worker", outs["geotrade"], str(nd), flag]
                )
                rec = last_json(lines)
                if code == 0 and rec:
                    if flag == "0":
                        net = {"wall": wall, **rec}
                    elif net is not None:
                        net["with_communities"] = {"wall": wall, **rec}
                    print(
                        f"B5 network (communities={flag}): {rec['seconds']:.2f} s, "
                        f"{rec['products']:,} products, peak RSS {rec['peak_rss_mb']:.0f} MiB",
                        flush=True,
                    )
                else:
                    print(f"B5 network (communities={flag}): FAILED (exit {code})", flush=True)
    load_end = os.getloadavg()
    return _section(
        n_rows, path, out_rows, out_mb, results, ok, check, net, load_start, load_end, repeat,
        memory_limit,
    )  # fmt: skip


def _section(n_rows, path, out_rows, out_mb, results, ok, check, net, load0, load1, repeat, ml):
    lines = [
        "## B5 every product of a BACI year → all-pairs GL + typology per product (parquet)",
        "",
        f"Synthetic BACI year {YEAR}: {n_rows:,} rows (parquet zstd "
        f"{Path(path).stat().st_size / 2**20:,.0f} MiB). Output: {out_rows:,} rows (one per "
        f"year, product and ordered pair with trade; {out_mb:,.0f} MiB parquet). DuckDB "
        f"threads = {THREADS}, memory_limit = {ml} for both (chosen so that the geotrade "
        "child, with Python, pandas and pyarrow on top of DuckDB, stays under 1 GiB; the "
        f"reference is run again with {REFERENCE_LIMIT}, B2's setting, where it spills less). "
        f"Median of {repeat} runs per method, alternating, each in a fresh process; peak "
        "RSS = the child's `VmHWM` (max over runs); *compute* starts after "
        "`import duckdb, pandas, pyarrow` (and `geotrade.engine`), *process* is the whole "
        "child. Load average (1 min) "
        f"{load0[0]:.2f} at start, {load1[0]:.2f} at end (2 cores shared with other jobs).",
        "",
        "| method | compute (s) | process (s) | vs DuckDB SQL (compute) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    med = {}
    for method in results:
        runs = results[method]
        if not runs:
            lines.append(f"| {method} | failed | | | |")
            continue
        comp = statistics.median(r["seconds"] for r in runs)
        proc = statistics.median(r["wall"] for r in runs)
        rss = max(r["peak_rss_mb"] for r in runs)
        med[method] = (comp, proc, rss)
        base = med.get("duckdb-sql", (0.0,))[0]
        ratio = f"{comp / base:.2f}×" if base else "–"
        label = method if "," in method else f"{method}, {ml}"
        lines.append(f"| {label} | {comp:.2f} | {proc:.2f} | {ratio} | {rss:,.0f} |")
    by_round = {x.get("round"): x["seconds"] for x in results.get("duckdb-sql", [])}
    paired = [
        f"{x['seconds'] / by_round[x.get('round')]:.2f}"
        for x in results.get("geotrade", [])
        if by_round.get(x.get("round"))
    ]
    if paired:
        lines += [
            "",
            "geotrade / DuckDB SQL round by round (each pair of runs back to back, so under "
            f"similar load): {', '.join(paired)}.",
        ]
    lines += ["", f"Result check (geotrade vs DuckDB SQL): {check}."]
    if "geotrade" in med and results["geotrade"][0].get("steps"):
        steps = results["geotrade"][0]["steps"]
        lines.append(
            "geotrade steps (first run): "
            + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
            + " (codes = value check, excluded rows and economy numbers; pairs_and_write = "
            "the single-GROUP-BY pair query streamed into the parquet writer)."
        )
    lines += [
        "",
        "The network metrics run in a fresh process with numba's on-disk cache of the "
        "betweenness kernel (`cache=True`); on a fresh machine the first call compiles it "
        "(measured: 3.9 s for numba import + compilation, 1.8 s import + cached load).",
    ]
    lines += ["", "Targets:"]
    if "geotrade" in med and "duckdb-sql" in med:
        g, d = med["geotrade"], med["duckdb-sql"]
        ratio = g[0] / d[0]
        ok_t = "met" if ratio <= 1.0 else f"MISSED by {ratio - 1:.0%}"
        ok_m = "met" if g[2] <= 1024 else f"MISSED by {g[2] / 1024 - 1:.0%}"
        lines.append(
            f"- GL + typology, every product: geotrade / DuckDB SQL = {ratio:.2f}× "
            f"(target ≤ 1.0×: {ok_t}); peak RSS {g[2]:,.0f} MiB (target ≤ 1 GiB: {ok_m}); "
            f"result check {'passed' if ok else 'FAILED'}."
        )
        for other, m in med.items():
            if other not in ("geotrade", "duckdb-sql"):
                lines.append(
                    f"- against the reference with {other.split(', ')[1]}: {g[0] / m[0]:.2f}×."
                )
        if net is not None:
            nr = net["seconds"] / d[0]
            ok_n = "met" if nr <= 2.0 else f"MISSED by {nr / 2 - 1:.0%}"
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in net.get("steps", {}).items())
            lines.append(
                f"- network metrics without communities, every product ({net['products']:,} "
                f"products: degrees, strengths, partner and dependence counts, betweenness, "
                f"density, reciprocity): {net['seconds']:.2f} s = {nr:.2f}× the DuckDB SQL "
                f"query (target ≤ 2×: {ok_n}); peak RSS {net['peak_rss_mb']:,.0f} MiB. "
                f"Steps: {steps}."
            )
            wc = net.get("with_communities")
            if wc is not None:
                cr = wc["seconds"] / d[0]
                ok_c = "met" if cr <= 2.0 else f"MISSED by {cr / 2 - 1:.0%}"
                chk = wc.get("louvain_check", {})
                n_chk, n_same = chk.get("products", 0), chk.get("same", -1)
                verdict = "passed" if n_chk > 0 and n_same == n_chk else "FAILED"
                c_steps = ", ".join(f"{k} {v:.2f} s" for k, v in wc.get("steps", {}).items())
                lines.append(
                    f"- with Louvain communities too (`communities=True`, every product, "
                    f"compiled Louvain): {wc['seconds']:.2f} s = {cr:.2f}× the DuckDB SQL "
                    f"query (target ≤ 2×: {ok_c}); peak RSS {wc['peak_rss_mb']:,.0f} MiB. "
                    f"Steps: {c_steps}. Check against networkx's seeded Louvain on every "
                    f"{LOUVAIN_EVERY}th product: same partition on {n_same} of {n_chk} "
                    f"products, max relative Δ modularity "
                    f"{chk.get('max_rel_modularity', float('nan')):.1e} ({verdict})."
                )
    return lines


def update_results(section: list[str], path: Path = HERE / "RESULTS.md") -> None:
    """Replace (or append) the B5 section of ``path``; the rest of the file is kept."""
    replace_section(
        path, section, head="## B5 ", script="benchmarks/bench_b5_all_products.py"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", nargs=5, metavar=("METHOD", "PATH", "CODES", "OUT", "MEMORY"))
    ap.add_argument(
        "--network-worker", nargs="+", metavar="ARG", help="PAIRS OUT_DIR [COMMUNITIES 0|1]"
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", type=float, default=11e6)
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--data", type=Path, default=None, help="data directory (cache)")
    ap.add_argument("--no-network", action="store_true")
    ap.add_argument("--update", action="store_true", help="write the section to RESULTS.md")
    a = ap.parse_args(argv)
    if a.worker:
        worker(*a.worker)
        return
    if a.network_worker:
        network_worker(*a.network_worker)
        return
    section = run(
        a.data, repeat=a.repeat, rows=a.rows, products=a.products, network=not a.no_network
    )
    print("\n".join(section))
    if a.update:
        update_results(section)


if __name__ == "__main__":
    main()
