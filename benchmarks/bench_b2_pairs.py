"""B2: one BACI-size year → all-pairs Grubel-Lloyd + typology for a 124-code product list.

Three implementations, each on the parquet file and on the CSV as BACI ships it, each in its
own child process (wall time and peak RSS of that process):

* ``geotrade`` — :func:`geotrade.engine.pair_interdependence` (``engine="duckdb"``);
* ``duckdb-sql`` — one hand-written DuckDB query (filter → aggregate → full outer self-join
  → CASE), same ``threads`` and ``memory_limit``;
* ``pandas`` — a careful pandas/pyarrow user: read only ``t, i, j, k, v`` (parquet with a
  pushed-down ``k in list`` filter; CSV streamed in blocks with ``pyarrow.csv.open_csv`` and
  filtered block by block), ``groupby`` + outer ``merge`` for ``M_ij = X_ji``, numpy
  classification.

``compute`` time is measured inside the child after ``import pandas, duckdb, pyarrow`` (and
``geotrade.engine``);
``process`` time is the whole child (interpreter start and imports included). The three
results are compared (same pairs and classes, GL to 1e-12) and the check is reported.

Run: ``.venv/bin/python benchmarks/bench_b2_pairs.py`` (uses ``benchmarks/.data/baci``,
generating the year with ``make_baci.py`` when missing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import DATA, PY, fmt_ratio, last_json, peak_rss_mb, run_child  # noqa: E402

METHODS = ("geotrade", "duckdb-sql", "pandas")
FORMATS = ("parquet", "csv")
THREADS = 2
MEMORY_LIMIT = "1GB"
YEAR = 2022


def _classify(x, m, high=0.2, low=0.5):
    import numpy as np

    gl = 2.0 * np.minimum(x, m) / (x + m)
    index = np.where((x >= m) | (gl == 0), gl, -gl)
    side = np.where(x > m, "partner_", "focal_")
    degree = np.select(
        [np.minimum(x, m) == 0, gl <= high, gl < low], ["one_way", "high", "moderate"], "low"
    )
    cls = np.char.add(side, degree).astype(object)
    cls[x == m] = "balanced"
    return gl, index, cls


def duckdb_sql(path: str, fmt: str, hs: list[str], codes: str):
    import duckdb

    con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    if fmt == "parquet":
        scan = f"read_parquet('{path}')"
    else:
        scan = (
            f"read_csv('{path}', header = true, "
            "types = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'INTEGER', "
            "'v': 'DOUBLE', 'q': 'VARCHAR'})"
        )
    klist = ", ".join(str(int(h)) for h in hs)
    sql = f"""
    WITH codes AS (
        SELECT CAST(country_code AS INTEGER) AS code,
               CASE WHEN country_code = '490' THEN 'TWN' ELSE country_iso3 END AS iso3
        FROM read_csv('{codes}', header = true, all_varchar = true)
    ),
    x AS (
        SELECT t AS year, i, j, SUM(v * 1000) AS x FROM {scan}
        WHERE k IN ({klist}) GROUP BY t, i, j
    ),
    p AS (
        SELECT COALESCE(a.year, b.year) AS year, COALESCE(a.i, b.j) AS i,
               COALESCE(a.j, b.i) AS j, COALESCE(a.x, 0) AS exports, COALESCE(b.x, 0) AS imports
        FROM x AS a FULL JOIN x AS b ON a.year = b.year AND a.i = b.j AND a.j = b.i
    ),
    g AS (SELECT *, 2 * least(exports, imports) / (exports + imports) AS gl FROM p)
    SELECT year, ci.iso3 AS iso3, cj.iso3 AS partner_iso3, exports, imports, gl,
           CASE WHEN exports >= imports OR gl = 0 THEN gl ELSE -gl END AS "index",
           CASE WHEN exports = imports THEN 'balanced'
                WHEN imports = 0 THEN 'partner_one_way'
                WHEN exports = 0 THEN 'focal_one_way'
                ELSE CASE WHEN exports > imports THEN 'partner_' ELSE 'focal_' END
                  || CASE WHEN gl <= 0.2 THEN 'high' WHEN gl < 0.5 THEN 'moderate'
                          ELSE 'low' END END AS dependence_class
    FROM g JOIN codes AS ci ON g.i = ci.code JOIN codes AS cj ON g.j = cj.code
    ORDER BY 1, 2, 3
    """
    return con.execute(sql).df()


def pandas_impl(path: str, fmt: str, hs: list[str], codes: str):
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    ks = [int(h) for h in hs]
    cols = ["t", "i", "j", "k", "v"]
    if fmt == "parquet":
        tbl = pq.read_table(path, columns=cols, filters=[("k", "in", ks)])
    else:
        types = {c: pa.int32() for c in ("t", "i", "j", "k")} | {"v": pa.float64()}
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=16 << 20),
            convert_options=pacsv.ConvertOptions(include_columns=cols, column_types=types),
        )
        kset = pa.array(ks, pa.int32())
        parts = [b.filter(pc.is_in(b.column("k"), value_set=kset)) for b in reader]
        tbl = pa.Table.from_batches(parts)
    df = tbl.to_pandas()
    df["v"] = df["v"] * 1000.0
    x = df.groupby(["t", "i", "j"], as_index=False, sort=False)["v"].sum()
    m = x.rename(columns={"i": "j", "j": "i", "v": "m"})
    p = x.merge(m, on=["t", "i", "j"], how="outer").fillna({"v": 0.0, "m": 0.0})
    gl, index, cls = _classify(p["v"].to_numpy(), p["m"].to_numpy())
    cc = pd.read_csv(codes, dtype=str, keep_default_na=False)
    iso = dict(zip(cc["country_code"].astype(int), cc["country_iso3"], strict=True))
    iso[490] = "TWN"
    out = pd.DataFrame(
        {
            "year": p["t"].to_numpy(),
            "iso3": p["i"].map(iso).to_numpy(),
            "partner_iso3": p["j"].map(iso).to_numpy(),
            "exports": p["v"].to_numpy(),
            "imports": p["m"].to_numpy(),
            "gl": gl,
            "index": index,
            "dependence_class": cls,
        }
    )
    return out.sort_values(["year", "iso3", "partner_iso3"]).reset_index(drop=True)


def worker(method: str, fmt: str, path: str, hs_path: str, codes: str, out: str) -> None:
    import duckdb  # noqa: F401 - imported before the clock starts, for every method
    import pandas as pd
    import pyarrow  # noqa: F401

    if method == "geotrade":
        from geotrade.engine import pair_interdependence
    hs = pd.read_csv(hs_path, dtype=str)["hs_code"].tolist()
    t0 = time.perf_counter()
    if method == "geotrade":
        df = pair_interdependence(
            path, hs_codes=hs, engine="duckdb", threads=THREADS, memory_limit=MEMORY_LIMIT
        )
    elif method == "duckdb-sql":
        df = duckdb_sql(path, fmt, hs, codes)
    else:
        df = pandas_impl(path, fmt, hs, codes)
    seconds = time.perf_counter() - t0
    df = df.loc[
        :, ["year", "iso3", "partner_iso3", "exports", "imports", "gl", "index", "dependence_class"]
    ]
    df.attrs = {}
    df.to_parquet(out, index=False)
    print(json.dumps({"seconds": seconds, "rows": len(df), "peak_rss_mb": peak_rss_mb()}))


def _compare(a, b) -> str:
    import numpy as np

    a = a.sort_values(["year", "iso3", "partner_iso3"]).reset_index(drop=True)
    b = b.sort_values(["year", "iso3", "partner_iso3"]).reset_index(drop=True)
    if len(a) != len(b):
        return f"DIFFERENT row counts {len(a)} vs {len(b)}"
    for c in ("iso3", "partner_iso3", "dependence_class"):
        if a[c].astype(str).tolist() != b[c].astype(str).tolist():
            return f"DIFFERENT {c}"
    d = float(np.max(np.abs(a["gl"].to_numpy() - b["gl"].to_numpy()))) if len(a) else 0.0
    return f"same {len(a):,} pairs and classes, max abs ΔGL = {d:.1e}"


def run(data_dir: Path | None = None, *, repeat: int = 3) -> list[str]:
    import pandas as pd
    from make_baci import RELEASE, make

    data_dir = data_dir or DATA / "baci"
    info = make(data_dir, [YEAR], formats=FORMATS)
    hs_path = info["product_list"]
    codes = str(data_dir / f"country_codes_V{RELEASE}.csv")
    paths = info["files"][YEAR]
    n_rows = None
    results: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        outs: dict[tuple[str, str], str] = {}
        for fmt in FORMATS:
            for method in METHODS:
                runs = []
                for r in range(repeat):
                    out = f"{tmp}/{method}_{fmt}_{r}.parquet"
                    wall, _, code, lines = run_child(
                        [PY, __file__, "--worker", method, fmt, paths[fmt], hs_path, codes, out]
                    )
                    rec = last_json(lines)
                    if code != 0 or not rec:
                        runs.append(None)
                        print(f"B2 {fmt} {method}: FAILED (exit {code})", flush=True)
                        break
                    rss = rec["peak_rss_mb"]
                    runs.append({"wall": wall, "rss": rss, **rec})
                    outs[(method, fmt)] = out
                    print(
                        f"B2 {fmt} {method} run {r + 1}: compute {rec['seconds']:.2f} s, "
                        f"process {wall:.2f} s, peak RSS {rss:.0f} MiB",
                        flush=True,
                    )
                results[(method, fmt)] = {"runs": runs}
        checks = {}
        for fmt in FORMATS:
            ref = outs.get(("duckdb-sql", fmt))
            for method in ("geotrade", "pandas"):
                got = outs.get((method, fmt))
                if ref and got:
                    checks[(method, fmt)] = _compare(pd.read_parquet(got), pd.read_parquet(ref))
    import pyarrow.parquet as pq

    n_rows = pq.ParquetFile(paths["parquet"]).metadata.num_rows
    n_sel = None
    lines = [
        "## B2 one BACI-size year → all-pairs GL + typology (124 products)",
        "",
        f"Synthetic BACI year {YEAR}: {n_rows:,} rows (CSV "
        f"{Path(paths['csv']).stat().st_size / 2**20:,.0f} MiB, parquet zstd "
        f"{Path(paths['parquet']).stat().st_size / 2**20:,.0f} MiB). DuckDB threads = {THREADS}, "
        f"memory_limit = {MEMORY_LIMIT}. Median of {repeat} runs, each in a fresh process; "
        "peak RSS = the child's `VmHWM` (max over runs). *compute* starts after "
        "`import pandas, duckdb, pyarrow` (and `geotrade.engine` for geotrade); *process* "
        "includes interpreter start and all imports.",
        "",
        "| input | method | compute (s) | process (s) | vs DuckDB SQL (compute) | peak RSS (MiB) | "
        "result check vs DuckDB SQL |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    summary = {}
    for fmt in FORMATS:
        base = None
        for method in ("duckdb-sql", "geotrade", "pandas"):
            runs = [r for r in results[(method, fmt)]["runs"] if r]
            if not runs:
                lines.append(f"| {fmt} | {method} | failed | | | | |")
                continue
            comp = statistics.median(r["seconds"] for r in runs)
            proc = statistics.median(r["wall"] for r in runs)
            rss = max(r["rss"] for r in runs)
            if method == "duckdb-sql":
                base = comp
            summary[(method, fmt)] = (comp, proc, rss)
            n_sel = runs[0]["rows"]
            lines.append(
                f"| {fmt} | {method} | {comp:.2f} | {proc:.2f} | "
                f"{fmt_ratio(comp, base) if base else '–'} | {rss:,.0f} | "
                f"{checks.get((method, fmt), 'reference')} |"
            )
    lines += ["", f"Result: {n_sel:,} ordered pairs."]
    targets = []
    for fmt in FORMATS:
        if ("geotrade", fmt) in summary and ("duckdb-sql", fmt) in summary:
            g, d = summary[("geotrade", fmt)], summary[("duckdb-sql", fmt)]
            ratio = g[0] / d[0]
            ok_t = "met" if ratio <= 1.5 else f"MISSED by {ratio / 1.5 - 1:.0%}"
            ok_m = "met" if g[2] <= 1024 else f"MISSED by {g[2] / 1024 - 1:.0%}"
            targets.append(
                f"- {fmt}: geotrade / DuckDB SQL = {ratio:.2f}× (target ≤ 1.5×: {ok_t}); "
                f"peak RSS {g[2]:,.0f} MiB (target ≤ 1 GiB: {ok_m})."
            )
    lines += ["", "Targets:", *targets]
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=6, metavar=("METHOD", "FMT", "PATH", "HS", "CODES", "OUT"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    if a.worker:
        worker(*a.worker)
        return
    print("\n".join(run(repeat=a.repeat)))


if __name__ == "__main__":
    main()
