"""Benchmark B5 at tiny size: its result check catches differences, its two methods agree.

Not a timing test: it keeps ``benchmarks/bench_b5_all_products.py`` (reference SQL, the
geotrade call, the DuckDB comparison) from rotting. The tiny year is synthetic
(``benchmarks/make_baci.py``, 20 000 target rows, 150 products).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_b5_all_products as b5  # noqa: E402
from make_baci import RELEASE, make  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("b5")
    make(d, [b5.YEAR], formats=("parquet",), rows=20_000, products=150, countries=40)
    path = d / f"BACI_HS17_Y{b5.YEAR}_V{RELEASE}.parquet"
    codes = d / f"country_codes_V{RELEASE}.csv"
    outs = {}
    for method in ("duckdb-sql", "geotrade"):
        out = d / f"{method}.parquet"
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "bench_b5_all_products.py"),
             "--worker", method, str(path), str(codes), str(out), "300MB"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        outs[method] = out
    return d, outs


def test_methods_agree(tiny):
    _, outs = tiny
    ok, msg = b5.check_tables(outs["geotrade"], outs["duckdb-sql"])
    assert ok, msg
    assert msg.startswith("same ")
    n = len(pd.read_parquet(outs["geotrade"]))
    assert n > 1000
    assert f"{n:,} rows" in msg


def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("drop_row", "DIFFERENT rows"),
        ("class", "DIFFERENT classes"),
        ("value", "DIFFERENT values"),
        ("gl_tiny", None),  # 1e-12 relative: within the tolerance
        ("duplicate", "duplicated keys"),
    ],
)
def test_check_catches_differences(tiny, change, expected):
    d, outs = tiny
    ref = pd.read_parquet(outs["duckdb-sql"])
    bad = ref.copy()
    if change == "drop_row":
        bad = bad.iloc[1:]
    elif change == "class":
        c = bad["dependence_class"].astype(str)
        bad["dependence_class"] = c.where(
            c.index != 7, "balanced" if c[7] != "balanced" else "focal_low"
        )
    elif change == "value":
        bad.loc[3, "exports"] = bad.loc[3, "exports"] * (1 + 1e-6) + 1.0
    elif change == "gl_tiny":
        bad.loc[3, "gl"] = bad.loc[3, "gl"] * (1 + 1e-12)
    elif change == "duplicate":
        bad = pd.concat([bad, bad.iloc[[0]]], ignore_index=True)
    ok, msg = b5.check_tables(_write(bad, d / f"bad_{change}.parquet"), outs["duckdb-sql"])
    if expected is None:
        assert ok, msg
    else:
        assert not ok
        assert expected in msg


def test_section_reports_the_targets_honestly():
    results = {
        "duckdb-sql": [{"seconds": 10.0, "wall": 11.0, "peak_rss_mb": 900.0, "round": 0}],
        "geotrade": [
            {
                "seconds": 12.0,
                "wall": 13.0,
                "peak_rss_mb": 1100.0,
                "round": 0,
                "steps": {"codes": 1.0},
            }
        ],
    }
    net = {
        "seconds": 30.0,
        "products": 5000,
        "peak_rss_mb": 500.0,
        "steps": {"betweenness": 20.0},
        "with_communities": {
            "seconds": 90.0,
            "peak_rss_mb": 600.0,
            "steps": {"communities": 60.0},
            "louvain_check": {"products": 8, "same": 7, "max_rel_modularity": 0.0},
        },
    }
    lines = b5._section(
        10, __file__, 20, 1.0, results, True, "same", net, (1.0,), (2.0,), 1, "700MB"
    )
    text = "\n".join(lines)
    assert "1.20×" in text
    assert "round by round (each pair of runs back to back, so under similar load): 1.20." in text
    assert "MISSED by 20%" in text
    assert "MISSED by 7%" in text  # 1100 MiB > 1 GiB
    assert "3.00× the DuckDB SQL query (target ≤ 2×: MISSED by 50%)" in text
    assert "compiled Louvain): 90.00 s = 9.00× the DuckDB SQL query (target ≤ 2×: MISSED" in text
    assert "same partition on 7 of 8 products" in text
    assert "(FAILED)" in text


def test_run_end_to_end_at_tiny_size(tmp_path):
    """The whole bench (data, both methods, check, network child, section) at tiny size."""
    lines = b5.run(tmp_path, repeat=1, rows=20_000, products=150)
    text = "\n".join(lines)
    assert lines[0].startswith("## B5 ")
    assert "Result check (geotrade vs DuckDB SQL): same " in text
    assert "result check passed" in text
    assert "network metrics without communities, every product (150 products" in text
    assert "with Louvain communities too" in text
    assert "(passed)" in text  # the tiny run's communities equal networkx's
    assert "| geotrade, 700MB |" in text
