"""geotrade.engine.pair_interdependence_by_product: every product, same numbers as pandas.

The reference is the existing pandas path, product by product:
``pair_interdependence(source, hs_codes=[k], years=[y], engine="pandas")`` (which runs
:func:`geotrade.metrics.network.pair_interdependence`). Values are whole numbers so that
sums are exact in any order and the comparison can be exact.

Inputs: a small synthetic canonical panel (aggregates, aliases, self pairs, zero values,
duplicate rows, import rows) and BACI-layout panels mapped through the **real** BACI
country-code tables in ``tests/data/real/baci`` (V202301 and V202501 excerpts; see
``PROVENANCE.md``): they map two codes to one ISO3 (276 and 280 → DEU), give former
economies (58, 810, 200), ``N/A`` and non-ISO codes (``S19``, ``R20``, ``ZA1``). No real BACI
flow file small enough exists (PROVENANCE.md), so the flows are synthetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade.engine import pair_interdependence, pair_interdependence_by_product
from geotrade.engine.by_product import BY_PRODUCT_COLUMNS
from geotrade.errors import OutputError, ValidationError

REAL = Path(__file__).parent / "data" / "real" / "baci"
KEY = ["year", "hs_code", "iso3", "partner_iso3"]


def _read(path: Path) -> pd.DataFrame:
    t = pd.read_parquet(path)
    assert list(t.columns) == list(BY_PRODUCT_COLUMNS)
    t = t.astype({"hs_code": str, "iso3": str, "partner_iso3": str, "dependence_class": str})
    return t.sort_values(KEY).reset_index(drop=True)


def _pandas_per_product(source, products, years, **kw) -> pd.DataFrame:
    """The existing pandas path run once per (year, product).

    A canonical DataFrame is cut to the rows whose ``hs_code`` is exactly ``k`` (``--hs
    8507`` would also select its subheadings); files hold 6-digit codes only, selected
    with ``hs_codes=[k]``.
    """
    parts = []
    for y in years:
        for k in products:
            if isinstance(source, pd.DataFrame) and "hs_code" in source:
                sub = source[source["hs_code"] == k]
                t = pair_interdependence(sub, years=[y], engine="pandas", **kw)
            else:
                t = pair_interdependence(source, hs_codes=[k], years=[y], engine="pandas", **kw)
            if len(t):
                t.attrs = {}
                parts.append(t.assign(hs_code=k))
    ref = pd.concat(parts, ignore_index=True)
    ref = ref.astype({"iso3": str, "partner_iso3": str, "dependence_class": str})
    return ref.loc[:, list(BY_PRODUCT_COLUMNS)].sort_values(KEY).reset_index(drop=True)


def _assert_same(got: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert len(got) == len(ref)
    for c in BY_PRODUCT_COLUMNS:
        a, b = got[c].to_numpy(), ref[c].to_numpy()
        if got[c].dtype.kind == "f":
            assert np.array_equal(a, b), c  # exact: whole-number sums
        else:
            assert a.tolist() == b.tolist(), c


def canonical_panel(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = ["CHN", "KOR", "USA", "DEU", "JPN", "_490", "WLD", "_899", "AUS", "chn "]
    products = ["850760", "850440", "280530", "010121", "8507"]
    n = 600
    df = pd.DataFrame(
        {
            "year": rng.choice([2021, 2022], n),
            "reporter_iso3": rng.choice(codes, n),
            "partner_iso3": rng.choice(codes, n),
            "flow": rng.choice(["export", "export", "export", "import"], n),
            "hs_code": rng.choice(products, n),
            "value_usd": rng.integers(0, 50, n).astype(float),
        }
    )
    return df


def test_canonical_panel_matches_pandas_product_by_product(tmp_path):
    flows = canonical_panel()
    out = tmp_path / "pairs.parquet"
    info = pair_interdependence_by_product(flows, out=out)
    got = _read(out)
    products = sorted(set(flows["hs_code"]))
    ref = _pandas_per_product(flows, products, [2021, 2022])
    _assert_same(got, ref)
    assert info["rows"] == len(got)
    assert info["products"] == len(products)
    assert info["years"] == [2021, 2022]
    # every one of the 9 classes of the typology is a legal value; the mirror pair has the
    # mirrored class and the same GL
    m = got.merge(
        got.rename(columns={"iso3": "partner_iso3", "partner_iso3": "iso3"}),
        on=KEY,
        suffixes=("", "_r"),
    )
    assert len(m) == len(got)
    assert np.array_equal(m["gl"], m["gl_r"])
    assert (m["exports"] == m["imports_r"]).all()


def test_excluded_is_the_summed_tables_excluded(tmp_path):
    flows = canonical_panel()
    info = pair_interdependence_by_product(flows, out=tmp_path / "p.parquet")
    ref = pair_interdependence(flows, engine="duckdb").attrs["excluded"]
    pd.testing.assert_frame_equal(
        info["excluded"].reset_index(drop=True), ref.reset_index(drop=True), check_dtype=False
    )
    assert set(info["excluded"]["reason"]) == {
        "aggregate or missing reporter",
        "aggregate or missing partner",
        "reporter equals partner",
    }


def baci_panel(codes_file: Path, seed: int = 3) -> pd.DataFrame:
    """Synthetic BACI rows over every code of a real BACI code table, plus unknown 999."""
    table = pd.read_csv(codes_file, dtype=str)
    codes = [int(c) for c in table["country_code"]] + [999]
    rng = np.random.default_rng(seed)
    n = 3000
    return pd.DataFrame(
        {
            "t": rng.choice([2017, 2022], n),
            "i": rng.choice(codes, n),
            "j": rng.choice(codes, n),
            "k": rng.choice([10121, 280530, 850760, 850780, 854140], n),
            "v": rng.integers(1, 900, n).astype(float),
            "q": 1.0,
        }
    )


@pytest.mark.parametrize(
    "name", ["country_codes_V202301_excerpt.csv", "country_codes_V202501_excerpt.csv"]
)
@pytest.mark.parametrize("kind", ["frame", "parquet", "csv"])
def test_baci_with_real_code_tables_matches_pandas(tmp_path, name, kind):
    codes_file = REAL / name
    raw = baci_panel(codes_file)
    if kind == "frame":
        source: object = raw
    elif kind == "parquet":
        source = tmp_path / "BACI_HS17_Y2022_test.parquet"
        raw.to_parquet(source, index=False)
    else:
        source = tmp_path / "BACI_HS17_Y2022_test.csv"
        raw.to_csv(source, index=False)
    out = tmp_path / "pairs.parquet"
    info = pair_interdependence_by_product(source, out=out, country_codes=codes_file)
    got = _read(out)
    products = ["010121", "280530", "850760", "850780", "854140"]
    ref = _pandas_per_product(source, products, [2017, 2022], country_codes=codes_file)
    _assert_same(got, ref)
    # 276 and 280 are both DEU: their trade is summed into one economy
    assert "DEU" in set(got["iso3"])
    assert not (got["iso3"] == got["partner_iso3"]).any()
    ex = info["excluded"]
    assert "reporter equals partner" in set(ex["reason"])  # DEU -> DEU through 276/280
    assert info["rows_selected"] == len(raw)


def test_hs_filter_keeps_subheadings_separately(tmp_path):
    raw = baci_panel(REAL / "country_codes_V202501_excerpt.csv")
    out = tmp_path / "p.parquet"
    info = pair_interdependence_by_product(
        raw,
        out=out,
        hs_codes=["8507"],
        years=[2022],
        country_codes=REAL / "country_codes_V202501_excerpt.csv",
    )
    got = _read(out)
    assert sorted(set(got["hs_code"])) == ["850760", "850780"]
    assert set(got["year"]) == {2022}
    assert info["products"] == 2


def test_bad_values_stop_before_writing(tmp_path):
    flows = canonical_panel()
    flows.loc[5, ["flow", "value_usd"]] = ["export", -1.0]
    out = tmp_path / "p.parquet"
    with pytest.raises(ValidationError, match="negative"):
        pair_interdependence_by_product(flows, out=out)
    assert not out.exists()
    assert not (tmp_path / "p.parquet.part").exists()


def test_missing_output_directory_is_an_output_error(tmp_path):
    with pytest.raises(OutputError):
        pair_interdependence_by_product(canonical_panel(), out=tmp_path / "no" / "p.parquet")


def test_thresholds_change_the_classes(tmp_path):
    flows = canonical_panel()
    out = tmp_path / "p.parquet"
    pair_interdependence_by_product(flows, out=out, high=0.1, low=0.9)
    got = _read(out)
    ref = _pandas_per_product(flows, sorted(set(flows["hs_code"])), [2021, 2022], high=0.1, low=0.9)
    _assert_same(got, ref)


@pytest.mark.parametrize("communities", [False, True])
def test_network_metrics_match_metrics_network_per_product(tmp_path, communities):
    from geotrade.engine import network_metrics_by_product
    from geotrade.metrics.network import network_summary, node_metrics

    raw = baci_panel(REAL / "country_codes_V202301_excerpt.csv", seed=11)
    codes_file = REAL / "country_codes_V202301_excerpt.csv"
    out = tmp_path / "p.parquet"
    pair_interdependence_by_product(raw, out=out, country_codes=codes_file)
    net = network_metrics_by_product(
        out,
        nodes_out=tmp_path / "nodes.parquet",
        summary_out=tmp_path / "summary.parquet",
        communities=communities,
    )
    nodes, summary = net["nodes"], net["summary"]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "nodes.parquet"), nodes)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "summary.parquet"), summary)
    pairs = _read(out)
    seen = 0
    for (y, k), p in pairs.groupby(["year", "hs_code"]):
        p = p.drop(columns="hs_code").reset_index(drop=True)
        ref_n = node_metrics(p)
        ref_s = network_summary(p)
        got_n = nodes[(nodes["year"] == y) & (nodes["hs_code"] == k)].reset_index(drop=True)
        got_s = summary[(summary["year"] == y) & (summary["hs_code"] == k)].reset_index(drop=True)
        cols = [c for c in got_n.columns if c != "hs_code"]
        if not communities:
            ref_n = ref_n.drop(columns="community")
        pd.testing.assert_frame_equal(
            got_n[cols], ref_n[cols], check_dtype=False, rtol=1e-12, atol=1e-15
        )
        cols = [c for c in got_s.columns if c != "hs_code"]
        pd.testing.assert_frame_equal(got_s[cols], ref_s[cols], check_dtype=False, rtol=1e-12)
        seen += 1
    assert seen == net["products"] == 10
    assert (nodes["betweenness"] > 0).any()


def test_cli_pairs_writes_the_same_tables(tmp_path, capsys):
    import json

    from geotrade.cli import main
    from geotrade.engine import network_metrics_by_product

    codes_file = REAL / "country_codes_V202501_excerpt.csv"
    raw = baci_panel(codes_file, seed=5)
    src = tmp_path / "BACI_HS17_Y2022_test.parquet"
    raw.to_parquet(src, index=False)
    # the engine finds country_codes_V*.csv next to the data, as with a BACI release
    (tmp_path / "country_codes_V202501.csv").write_bytes(codes_file.read_bytes())
    out = tmp_path / "pairs.parquet"
    code = main(
        ["--json", "pairs", str(src), "--parquet", str(out), "--years", "2022",
         "--nodes", str(tmp_path / "nodes.parquet"), "--summary", str(tmp_path / "s.parquet")]
    )  # fmt: skip
    rec = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()][-1]
    assert code == 0, rec
    assert rec["command"] == "pairs"
    assert rec["years"] == [2022]
    assert set(rec["outputs"]) == {"parquet", "nodes", "summary"}
    got = _read(out)
    ref = _pandas_per_product(
        src, ["010121", "280530", "850760", "850780", "854140"], [2022], country_codes=codes_file
    )
    _assert_same(got, ref)
    assert rec["rows"] == len(got)
    assert any(r["reason"] == "reporter equals partner" for r in rec["excluded"])
    net = network_metrics_by_product(out)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "nodes.parquet"), net["nodes"])


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--parquet", "out.csv"], "--parquet"),
        (["--parquet", "o.parquet", "--communities"], "--communities"),
        (["--parquet", "o.parquet", "--high", "0.6"], "--high"),
    ],
)
def test_cli_pairs_usage_errors(tmp_path, capsys, args, option):
    from geotrade.cli import main

    src = tmp_path / "x.parquet"
    baci_panel(REAL / "country_codes_V202501_excerpt.csv").to_parquet(src, index=False)
    code = main(["pairs", str(src), *[a if a.startswith("-") else str(tmp_path / a) for a in args]])
    assert code == 2
    assert option in capsys.readouterr().err
