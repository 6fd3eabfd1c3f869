"""Generate SYNTHETIC BACI-shaped trade files for the scale benchmarks (B2, B3).

The files look like a CEPII BACI release as it ships, but every number is synthetic:

* ``BACI_HS17_Y<year>_V<release>.csv`` and ``.parquet`` with columns ``t, i, j, k, v, q``:
  ``t`` year, ``i`` exporter and ``j`` importer (BACI numeric country codes taken from
  ``geotrade/data/comtrade_codes.csv``, rows with ``in_baci_v202301`` and a BACI ISO3, plus
  490 "Other Asia, nes" whose ISO3 is ``N/A`` in BACI), ``k`` HS6 code as an integer (so
  chapters 01-09 lose their leading zero, as in BACI), ``v`` value in **thousand** USD with 3
  decimals, ``q`` quantity in tonnes with 3 decimals, blank for about 8 % of the rows;
* ``country_codes_V<release>.csv`` (``country_code, country_name, country_iso2,
  country_iso3``; BACI V202401 layout) and ``product_codes_HS17_V<release>.csv``
  (``code, description``);
* ``synthetic_product_list_124.csv``: 124 of the synthetic product codes drawn with the fixed
  seed (``hs_code, hs_revision, group, sector, technology, description, source``), clearly
  labelled synthetic: it stands in for the 124-code low-carbon-technology list in B2.

Sparsity and heavy tails: an (exporter, importer, product) cell carries a row with
probability ``min(1, c * a_i * b_j * w_k)`` where the exporter, importer and product sizes are
lognormal; ``c`` is calibrated so that a year has about ``--rows`` rows (default 11 M out of
200 x 199 x 5 000 cells). Values are lognormal around the cell's expected size. Each year is
generated from its own seed ``(seed, year)``, so any set of years is reproducible and cheap
to extend. Generation is vectorised numpy; files are written with pyarrow.

Run::

    .venv/bin/python benchmarks/make_baci.py --out benchmarks/.data/baci --years 2022
    .venv/bin/python benchmarks/make_baci.py --years 2013-2022 --formats parquet
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

RELEASE = "202401synthetic"
DEFAULT_OUT = Path(__file__).resolve().parent / ".data" / "baci"
SOURCE_LABEL = "synthetic benchmark list"


def baci_countries(n: int, seed: int) -> tuple[np.ndarray, list[tuple[int, str, str, str]]]:
    """Pick ``n`` BACI country codes (always CHN, USA, KOR, JPN, DEU and 490) deterministically.

    Returns the sorted codes and the rows of the country_codes file.
    """
    from geotrade.reference import comtrade_codes, countries

    t = comtrade_codes()
    t = t[t["in_baci_v202301"] & (t["category"].isin(["economy", "economy_comtrade_code"]))]
    t = t[(t["baci_iso3"] != "") | (t["code"] == "490")]
    iso2 = dict(zip(countries()["iso3"], countries()["iso2"], strict=True))
    must = {"156", "842", "410", "392", "276", "490"}
    rest = sorted(set(t["code"]) - must, key=int)
    rng = np.random.default_rng([seed, 1])
    take = rng.choice(len(rest), size=max(0, n - len(must)), replace=False)
    chosen = sorted(must | {rest[i] for i in take}, key=int)
    rows = []
    by_code = t.set_index("code")
    for c in chosen:
        iso3 = "N/A" if c == "490" else by_code.loc[c, "baci_iso3"]
        rows.append((int(c), by_code.loc[c, "name"], iso2.get(by_code.loc[c, "iso3"], ""), iso3))
    return np.array([int(c) for c in chosen], dtype=np.int32), rows


def product_codes(n: int, seed: int) -> np.ndarray:
    """``n`` distinct synthetic HS6 codes (integers 10 000-979 999, sorted)."""
    rng = np.random.default_rng([seed, 2])
    codes = rng.choice(np.arange(10_100, 980_000), size=n, replace=False)
    return np.sort(codes).astype(np.int32)


def sizes(n: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    s = rng.lognormal(0.0, sigma, n)
    return s / s.mean()


def _calibrate(a, b, w, target: float) -> float:
    """Return ``c`` so that sum_ijk min(1, c a_i b_j w_k) (i != j) is about ``target``."""
    ab = np.outer(a, b)
    np.fill_diagonal(ab, 0.0)
    ab = ab.ravel()
    ws = np.sort(w)
    csum = np.concatenate([[0.0], np.cumsum(ws)])
    c = target / (ab.sum() * w.sum())
    for _ in range(30):
        # cells with c*ab*w >= 1 are capped at 1: count them per ab via searchsorted
        thr = 1.0 / np.maximum(c * ab, 1e-300)
        pos = np.searchsorted(ws, thr)  # w below thr are uncapped
        expected = float(np.sum(c * ab * csum[pos] + (len(ws) - pos)))
        c *= target / expected
        if abs(expected / target - 1) < 1e-4:
            break
    return c


def generate_year(
    year: int,
    *,
    exporters: np.ndarray,
    products: np.ndarray,
    rows: float,
    seed: int,
) -> pa.Table:
    """One synthetic BACI year as a pyarrow table ``t, i, j, k, v, q``."""
    base = np.random.default_rng([seed, 3])
    n_c, n_p = len(exporters), len(products)
    a0 = sizes(n_c, 1.3, base)  # exporter size
    b0 = sizes(n_c, 1.1, base)  # importer size
    w0 = sizes(n_p, 1.0, base)  # product popularity
    price = base.lognormal(1.0, 1.2, n_p)  # thousand USD per tonne
    rng = np.random.default_rng([seed, 4, year])
    drift = np.random.default_rng([seed, 5, year])
    a = a0 * drift.lognormal(0.0, 0.05, n_c)
    b = b0 * drift.lognormal(0.0, 0.05, n_c)
    growth = 1.04 ** (year - 2012)
    c = _calibrate(a, b, w0, rows)
    ii, jj, kk, vv = [], [], [], []
    for e in range(n_c):
        p = (c * a[e]) * np.outer(b, w0)  # importer x product
        p[e, :] = 0.0  # no self trade
        hit = np.flatnonzero(rng.random(p.size, dtype=np.float32) < p.ravel())
        j = hit // n_p
        k = hit % n_p
        mean = 80.0 * growth * np.sqrt(a[e] * b[j] * w0[k])
        v = mean * rng.lognormal(-0.5 * 2.0**2, 2.0, len(hit))
        ii.append(np.full(len(hit), e, dtype=np.int32))
        jj.append(j.astype(np.int32))
        kk.append(k.astype(np.int32))
        vv.append(v)
    i_idx = np.concatenate(ii)
    j_idx = np.concatenate(jj)
    k_idx = np.concatenate(kk)
    v = np.maximum(np.round(np.concatenate(vv), 3), 0.001)
    q = np.round(v / (price[k_idx] * rng.lognormal(0.0, 0.3, len(v))), 3)
    q_mask = (rng.random(len(v)) < 0.08) | (q <= 0)
    return pa.table(
        {
            "t": pa.array(np.full(len(v), year, dtype=np.int32)),
            "i": pa.array(exporters[i_idx]),
            "j": pa.array(exporters[j_idx]),
            "k": pa.array(products[k_idx]),
            "v": pa.array(v),
            "q": pa.array(q, mask=q_mask),
        }
    )


def write_csv(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    with pa.OSFile(str(tmp), "wb") as f:
        f.write(b"t,i,j,k,v,q\n")  # unquoted header, as BACI ships it
        pacsv.write_csv(
            table,
            f,
            write_options=pacsv.WriteOptions(include_header=False, quoting_style="none"),
        )
    tmp.replace(path)


def write_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    pq.write_table(table, tmp, row_group_size=1_000_000, compression="zstd")
    tmp.replace(path)


def write_reference_files(
    out: Path, country_rows, products: np.ndarray, *, seed: int, n_list: int = 124
) -> Path:
    import pandas as pd

    pd.DataFrame(
        country_rows, columns=["country_code", "country_name", "country_iso2", "country_iso3"]
    ).to_csv(out / f"country_codes_V{RELEASE}.csv", index=False)
    pd.DataFrame(
        {
            "code": [f"{k:06d}" for k in products],
            "description": [
                f"Synthetic product {k:06d} (not a real HS description)" for k in products
            ],
        }
    ).to_csv(out / f"product_codes_HS17_V{RELEASE}.csv", index=False)
    rng = np.random.default_rng([seed, 6])
    pick = np.sort(rng.choice(products, size=n_list, replace=False))
    groups = ["energy supply", "energy efficiency", "batteries and storage", "transport"]
    lst = pd.DataFrame(
        {
            "hs_code": [f"{k:06d}" for k in pick],
            "hs_revision": "HS2017",
            "group": [groups[n % len(groups)] for n in range(n_list)],
            "sector": "synthetic",
            "technology": [f"synthetic technology {n % 17 + 1}" for n in range(n_list)],
            "description": [f"SYNTHETIC benchmark product {k:06d}" for k in pick],
            "source": SOURCE_LABEL,
        }
    )
    path = out / "synthetic_product_list_124.csv"
    lst.to_csv(path, index=False)
    return path


def parse_years(text: str) -> list[int]:
    years: list[int] = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            years.extend(range(int(lo), int(hi) + 1))
        else:
            years.append(int(part))
    return years


def make(
    out: Path,
    years: list[int],
    *,
    formats: tuple[str, ...] = ("csv", "parquet"),
    countries: int = 200,
    products: int = 5000,
    rows: float = 11e6,
    seed: int = 20240,
    overwrite: bool = False,
) -> dict[str, object]:
    """Write the files; skip years whose files exist (unless ``overwrite``)."""
    out.mkdir(parents=True, exist_ok=True)
    codes, country_rows = baci_countries(countries, seed)
    prods = product_codes(products, seed)
    product_list = write_reference_files(out, country_rows, prods, seed=seed)
    written: dict[int, dict[str, str]] = {}
    for year in years:
        paths = {f: out / f"BACI_HS17_Y{year}_V{RELEASE}.{f}" for f in formats}
        if not overwrite and all(p.exists() for p in paths.values()):
            written[year] = {f: str(p) for f, p in paths.items()}
            continue
        t0 = time.perf_counter()
        table = generate_year(year, exporters=codes, products=prods, rows=rows, seed=seed)
        t1 = time.perf_counter()
        if "parquet" in paths:
            write_parquet(table, paths["parquet"])
        if "csv" in paths:
            write_csv(table, paths["csv"])
        t2 = time.perf_counter()
        print(
            f"{year}: {table.num_rows:,} rows, generated in {t1 - t0:.1f} s, "
            f"written in {t2 - t1:.1f} s",
            flush=True,
        )
        written[year] = {f: str(p) for f, p in paths.items()}
    return {"files": written, "product_list": str(product_list), "out": str(out)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--years", default="2022", help="e.g. 2022 or 2013-2022 or 2012,2017")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--rows", type=float, default=11e6, help="target rows per year")
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--overwrite", action="store_true")
    a = ap.parse_args(argv)
    make(
        a.out,
        parse_years(a.years),
        formats=tuple(a.formats.split(",")),
        countries=a.countries,
        products=a.products,
        rows=a.rows,
        seed=a.seed,
        overwrite=a.overwrite,
    )


if __name__ == "__main__":
    main()
