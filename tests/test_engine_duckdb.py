"""geotrade.engine: DuckDB and pandas paths agree; BACI units and codes; errors; progress.

References are independent of the engine: a dictionary-and-loop implementation of the pair
definition written here, hand-computed BACI numbers, and geotrade.metrics.trade for the
focal-country metrics.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from geotrade.engine import (
    focal_interdependence,
    group_aggregates,
    pair_interdependence,
    partner_shares,
    pattern_summary,
)
from geotrade.engine.pandas_engine import pair_interdependence_pandas
from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.metrics import trade
from geotrade.reporting import JsonReporter

AGG = {"WLD", "W00", "XXX", "ZZZ", "_X", "_899", "_0"}
ALIAS = {"_490": "TWN", "W00": "WLD", "_0": "WLD"}


def reference_pairs(flows: pd.DataFrame, *, high=0.2, low=0.5, hs=None, years=None):
    """Straight-from-the-definition reference: dicts and loops, no shared code."""
    x: dict[tuple[int, str, str], float] = defaultdict(float)
    for r in flows.itertuples(index=False):
        if r.flow != "export":
            continue
        if hs is not None and str(r.hs_code) not in hs:
            continue
        if years is not None and int(r.year) not in years:
            continue
        # geotrade.schema policy, written out by hand: _490 is Taiwan, _899 an aggregate
        i, j = (ALIAS.get(c, c) for c in (r.reporter_iso3, r.partner_iso3))
        bad = [pd.isna(c) or c == "" or c in AGG for c in (i, j)]
        if any(bad) or i == j:
            continue
        x[(int(r.year), i, j)] += float(r.value_usd)
    keys = set(x) | {(y, j, i) for (y, i, j) in x}
    rows = []
    for y, i, j in sorted(keys):
        xe, m = x.get((y, i, j), 0.0), x.get((y, j, i), 0.0)
        if xe + m <= 0:
            continue
        gl = 1.0 - abs(xe - m) / (xe + m)
        idx = gl if xe >= m else -gl
        if xe == m:
            cls = "balanced"
        elif m == 0:
            cls = "partner_one_way"
        elif xe == 0:
            cls = "focal_one_way"
        else:
            side = "partner" if xe > m else "focal"
            deg = "high" if gl <= high else "moderate" if gl < low else "low"
            cls = f"{side}_{deg}"
        rows.append((y, i, j, xe, m, gl, idx + 0.0, cls))
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "iso3",
            "partner_iso3",
            "exports",
            "imports",
            "gl",
            "index",
            "dependence_class",
        ],
    )


def edge_panel() -> pd.DataFrame:
    """Two years, two products; one-way, balanced, zero, aggregate, self and import rows."""
    rows = [
        # 2021, 850760: AAA<->BBB balanced (5 + 5 over two products), AAA->CCC one-way
        (2021, "AAA", "BBB", "export", "850760", 3.0),
        (2021, "AAA", "BBB", "export", "850790", 2.0),
        (2021, "BBB", "AAA", "export", "850760", 5.0),
        (2021, "AAA", "CCC", "export", "850760", 7.0),
        # zero on one side only: a pair with X=0 and M=0 gets no row
        (2021, "DDD", "EEE", "export", "850760", 0.0),
        (2021, "EEE", "DDD", "export", "850760", 0.0),
        # zero value on one side and positive on the other: one-way
        (2021, "CCC", "DDD", "export", "850760", 0.0),
        (2021, "DDD", "CCC", "export", "850760", 4.0),
        # aggregates and odd codes, all excluded
        (2021, "AAA", "WLD", "export", "850760", 100.0),
        (2021, "AAA", "_899", "export", "850760", 50.0),
        (2021, "_490", "AAA", "export", "850760", 40.0),
        (2021, "AAA", None, "export", "850760", 30.0),
        (2021, "AAA", "AAA", "export", "850760", 20.0),
        # import rows are not used (M comes from the partner's exports)
        (2021, "AAA", "CCC", "import", "850760", 999.0),
        (2021, "AAA", "CCC", "re-export", "850760", 999.0),
        # 2022: thresholds exactly at 0.2 and 0.5
        (2022, "AAA", "BBB", "export", "850760", 10.0),
        (2022, "BBB", "AAA", "export", "850760", 90.0),  # gl = 0.2 -> high
        (2022, "CCC", "DDD", "export", "850760", 1.0),
        (2022, "DDD", "CCC", "export", "850760", 3.0),  # gl = 0.5 -> low
        (2022, "AAA", "DDD", "export", "850760", 3.0),
        (2022, "DDD", "AAA", "export", "850760", 7.0),  # gl = 0.6
        (2022, "BBB", "CCC", "export", "850760", 2.0),
        (2022, "CCC", "BBB", "export", "850760", 3.0),  # gl = 0.8
        (2022, "EEE", "AAA", "export", "850790", 8.0),
        (2022, "AAA", "EEE", "export", "850790", 1.0),  # gl = 2/9, moderate
    ]
    return pd.DataFrame(
        rows, columns=["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
    )


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    assert list(a.columns[:8]) == list(b.columns[:8])
    assert len(a) == len(b)
    for c in ("year", "iso3", "partner_iso3", "dependence_class"):
        assert a[c].astype(str).tolist() == b[c].astype(str).tolist(), c
    for c in ("exports", "imports"):
        np.testing.assert_allclose(a[c].to_numpy(float), b[c].to_numpy(float), rtol=1e-12)
    for c in ("gl", "index"):
        np.testing.assert_allclose(a[c].to_numpy(float), b[c].to_numpy(float), rtol=0, atol=1e-12)


def test_edge_panel_hand_values():
    t = pair_interdependence(edge_panel(), engine="duckdb").set_index(
        ["year", "iso3", "partner_iso3"]
    )
    assert t.loc[(2021, "AAA", "BBB"), "dependence_class"] == "balanced"
    assert t.loc[(2021, "AAA", "BBB"), "gl"] == 1.0
    assert t.loc[(2021, "AAA", "CCC"), "dependence_class"] == "partner_one_way"
    assert t.loc[(2021, "CCC", "AAA"), "dependence_class"] == "focal_one_way"
    assert t.loc[(2021, "CCC", "AAA"), "index"] == 0.0
    assert np.signbit(t.loc[(2021, "CCC", "AAA"), "index"]) == np.False_
    assert t.loc[(2021, "CCC", "AAA"), "imports"] == 7.0  # import row of 999 not used
    assert (2021, "DDD", "EEE") not in t.index  # X = M = 0 -> no row
    assert t.loc[(2021, "DDD", "CCC"), "dependence_class"] == "partner_one_way"
    assert t.loc[(2022, "AAA", "BBB"), "dependence_class"] == "focal_high"  # gl 0.2 <= high
    assert t.loc[(2022, "BBB", "AAA"), "dependence_class"] == "partner_high"
    assert t.loc[(2022, "CCC", "DDD"), "dependence_class"] == "focal_low"  # gl 0.5 >= low
    assert t.loc[(2022, "AAA", "EEE"), "dependence_class"] == "focal_moderate"
    assert t.loc[(2022, "AAA", "EEE"), "gl"] == pytest.approx(2 / 9, abs=1e-15)
    codes = set(t.reset_index()[["iso3", "partner_iso3"]].to_numpy().ravel())
    assert codes == {"AAA", "BBB", "CCC", "DDD", "EEE", "TWN"}  # _490 is Taiwan
    ex = t.attrs["excluded"].set_index(["code", "reason"])
    assert ex.loc[("WLD", "aggregate or missing partner"), "value_usd"] == 100.0
    assert ex.loc[("_899", "aggregate or missing partner"), "value_usd"] == 50.0
    # _490 is Taiwan (geotrade.schema), not an aggregate
    assert ("_490", "aggregate or missing reporter") not in ex.index
    assert ex.loc[("", "aggregate or missing partner"), "value_usd"] == 30.0
    assert ex.loc[("AAA", "reporter equals partner"), "value_usd"] == 20.0


@pytest.mark.parametrize(
    ("kw", "ref_kw"),
    [
        ({}, {}),
        ({"hs_codes": ["850760"]}, {"hs": {"850760"}}),
        ({"years": [2022], "high": 0.25, "low": 0.7}, {"years": {2022}, "high": 0.25, "low": 0.7}),
    ],
)
def test_duckdb_pandas_reference_agree_on_edge_panel(kw, ref_kw):
    flows = edge_panel()
    ref = reference_pairs(flows, **ref_kw)
    duck = pair_interdependence(flows, engine="duckdb", **kw)
    pan = pair_interdependence(flows, engine="pandas", **kw)
    own = pair_interdependence_pandas(flows, **kw)  # fallback when metrics.network is absent
    assert_same(duck, ref)
    assert_same(pan, ref)
    assert_same(own, ref)
    assert own.attrs["excluded"].to_dict("records") == duck.attrs["excluded"].to_dict("records")


def random_panel(seed: int, n_countries=25, n_years=3, n_products=6, n_rows=4000):
    rng = np.random.default_rng(seed)
    iso = [f"C{n:02d}" for n in range(n_countries)] + ["WLD", "_899"]
    df = pd.DataFrame(
        {
            "year": rng.integers(2015, 2015 + n_years, n_rows),
            "reporter_iso3": rng.choice(iso, n_rows),
            "partner_iso3": rng.choice(iso, n_rows),
            "flow": rng.choice(["export", "export", "import"], n_rows),
            "hs_code": rng.choice([f"85{n:04d}" for n in range(n_products)], n_rows),
            "value_usd": np.round(rng.lognormal(8, 2, n_rows), 3),
        }
    )
    df.loc[rng.random(n_rows) < 0.05, "value_usd"] = 0.0
    return df


@pytest.mark.parametrize("seed", [1, 2])
def test_random_panel_duckdb_equals_reference(seed):
    flows = random_panel(seed)
    hs = ["850000", "850002", "850005"]
    ref = reference_pairs(flows, hs=set(hs))
    assert_same(pair_interdependence(flows, engine="duckdb", hs_codes=hs, threads=2), ref)
    assert_same(pair_interdependence(flows, engine="pandas", hs_codes=hs), ref)


def test_parquet_and_csv_canonical_sources(tmp_path):
    flows = random_panel(3)
    pq_dir = tmp_path / "pq"
    pq_dir.mkdir()
    for y, g in flows.groupby("year"):
        g.to_parquet(pq_dir / f"flows_{y}.parquet", index=False)
    flows.to_csv(tmp_path / "flows.csv", index=False)
    ref = reference_pairs(flows)
    rep = JsonReporter(stream=io.StringIO())
    from_pq = pair_interdependence(str(pq_dir / "*.parquet"), engine="duckdb", reporter=rep)
    assert_same(from_pq, ref)
    assert_same(pair_interdependence(tmp_path / "flows.csv", engine="duckdb"), ref)
    assert_same(pair_interdependence(str(pq_dir / "*.parquet"), engine="pandas"), ref)
    # streaming: one scan step per year, each reporting the rows selected
    recs = [json.loads(line) for line in rep.stream.getvalue().splitlines()]
    scans = [r for r in recs if r["type"] == "progress" and r["step"] == "scan"]
    assert scans[0]["total"] == 3
    assert [r["done"] for r in scans[1:]] == [1, 2, 3]
    n_exp = flows[flows["flow"] == "export"].groupby("year").size()
    assert [r["message"] for r in scans[1:]] == [f"{y}: {n:,} rows" for y, n in n_exp.items()]
    assert from_pq.attrs["rows_selected"] == int(n_exp.sum())


def test_network_pandas_version_agrees():
    network = pytest.importorskip("geotrade.metrics.network")
    flows = random_panel(4)
    duck = pair_interdependence(flows, engine="duckdb")
    net = network.pair_interdependence(flows)
    assert_same(duck, net.sort_values(["year", "iso3", "partner_iso3"]))
    flows = edge_panel()
    net = network.pair_interdependence(flows, hs_codes=["850760"])
    duck = pair_interdependence(flows, engine="duckdb", hs_codes=["850760"])
    assert_same(duck, net.sort_values(["year", "iso3", "partner_iso3"]))


# ---------------------------------------------------------------------------------------
# BACI files
# ---------------------------------------------------------------------------------------

BACI_ROWS = """t,i,j,k,v,q
2022,156,842,850760,1.5,0.2
2022,156,842,850760,0.25,
2022,842,156,850760,0.5,NA
2022,156,490,850760,2.0,1
2022,490,156,850760,2.0,1
2022,58,156,10121,0.125,3
2022,156,56,10121,0.375,3
2022,156,999,850760,9.0,1
2022,156,842,999999,7.0,1
2021,156,842,850760,3.0,1
"""
CODES = """country_code,country_name,country_iso2,country_iso3
56,Belgium,BE,BEL
58,Belgium-Luxembourg,BE,BEL
156,China,CN,CHN
490,Other Asia nes,N/A,N/A
842,USA,US,USA
"""


@pytest.fixture
def baci_dir(tmp_path):
    (tmp_path / "BACI_HS17_Y2022_V202401test.csv").write_text(BACI_ROWS)
    (tmp_path / "country_codes_V202401test.csv").write_text(CODES)
    return tmp_path


def test_baci_csv_units_and_codes_by_hand(baci_dir):
    path = baci_dir / "BACI_HS17_Y2022_V202401test.csv"
    t = pair_interdependence(path, years=[2022], hs_codes=["850760", "010121"], engine="duckdb")
    t = t.set_index(["iso3", "partner_iso3"])
    # CHN->USA: (1.5 + 0.25) thousand USD = 1750 USD; USA->CHN 0.5 thousand = 500 USD
    assert t.loc[("CHN", "USA"), "exports"] == 1750.0
    assert t.loc[("CHN", "USA"), "imports"] == 500.0
    assert t.loc[("CHN", "USA"), "gl"] == pytest.approx(2 * 500 / 2250, abs=1e-15)
    assert t.loc[("CHN", "USA"), "dependence_class"] == "partner_moderate"  # gl = 0.444
    # 490 "N/A" is Taiwan (TWN): 2000 USD each way, balanced
    assert t.loc[("CHN", "TWN"), "dependence_class"] == "balanced"
    # 58 Belgium-Luxembourg is a historical economy (_58), not Belgium (BACI's country file
    # says BEL); HS 10121 as an int matches "010121"
    assert t.loc[("CHN", "BEL"), "exports"] == 375.0
    assert t.loc[("CHN", "BEL"), "imports"] == 0.0
    assert t.loc[("_58", "CHN"), "exports"] == 125.0
    assert set(t.index) == {
        ("CHN", "USA"),
        ("USA", "CHN"),
        ("CHN", "TWN"),
        ("TWN", "CHN"),
        ("CHN", "BEL"),
        ("BEL", "CHN"),
        ("CHN", "_58"),
        ("_58", "CHN"),
        # 999 is in no code table: an unknown code is analysed as an economy (and the join
        # report lists it as unmatched), never silently dropped as an aggregate
        ("CHN", "_999"),
        ("_999", "CHN"),
    }
    assert t.attrs["excluded"].empty


def test_baci_csv_parquet_frame_and_pandas_agree(baci_dir):
    csv = baci_dir / "BACI_HS17_Y2022_V202401test.csv"
    raw = pd.read_csv(csv, keep_default_na=False)
    pq = baci_dir / "BACI_HS17_Y2022_V202401test.parquet"
    raw.drop(columns="q").to_parquet(pq, index=False)
    kw = {"hs_codes": [850760, 10121]}
    a = pair_interdependence(csv, engine="duckdb", **kw)
    b = pair_interdependence(pq, engine="duckdb", **kw)
    c = pair_interdependence(csv, engine="pandas", **kw)
    codes = baci_dir / "country_codes_V202401test.csv"
    d = pair_interdependence(raw, engine="duckdb", country_codes=codes, **kw)
    for other in (b, c, d):
        assert_same(a, other)
    assert sorted(a["year"].unique()) == [2021, 2022]


def test_baci_without_codes_file_uses_reference_table(tmp_path):
    path = tmp_path / "BACI_HS17_Y2022_V1.csv"
    path.write_text(BACI_ROWS)
    t = pair_interdependence(path, years=[2022], engine="duckdb").set_index(
        ["iso3", "partner_iso3"]
    )
    assert t.loc[("CHN", "TWN"), "exports"] == 2000.0  # 490 -> TWN via the reference
    assert t.loc[("_58", "CHN"), "exports"] == 125.0  # 58 Belgium-Luxembourg, historical


def test_focal_exports_basis_equals_pair_rows(baci_dir):
    path = baci_dir / "BACI_HS17_Y2022_V202401test.csv"
    pairs = pair_interdependence(path, engine="duckdb")
    for engine in ("duckdb", "pandas"):
        f = focal_interdependence(path, focal="CHN", engine=engine)
        p = pairs[pairs["iso3"] == "CHN"].drop(columns="iso3").reset_index(drop=True)
        assert f["partner_iso3"].tolist() == p["partner_iso3"].tolist()
        np.testing.assert_allclose(f["gl"], p["gl"], atol=1e-12)
        assert f["dependence_class"].tolist() == p["dependence_class"].tolist()


# ---------------------------------------------------------------------------------------
# focal metrics against geotrade.metrics.trade on the synthetic demo data
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    from geotrade.synthetic.trade import read_demo

    return read_demo()


def test_focal_reported_matches_metrics_trade(demo):
    ref = trade.interdependence(demo, focal="CHN")
    got = focal_interdependence(demo, focal="CHN", engine="duckdb")
    assert got["partner_iso3"].tolist() == ref["partner_iso3"].tolist()
    assert got["year"].tolist() == ref["year"].tolist()
    np.testing.assert_allclose(got["exports"], ref["exports"], rtol=1e-12)
    np.testing.assert_allclose(got["gl"], ref["gl"], atol=1e-12)
    np.testing.assert_allclose(got["index"], ref["index"], atol=1e-12)
    assert got["dependence_class"].tolist() == ref["dependence_class"].tolist()
    assert got["zone"].tolist() == ref["zone"].tolist()


@pytest.mark.parametrize("flow", ["export", "import"])
def test_shares_and_hhi_match_metrics_trade(demo, flow):
    ref = trade.partner_shares(demo, focal="CHN", flow=flow)
    got = partner_shares(demo, focal="CHN", flow=flow, engine="duckdb")
    for c in ("year", "partner_iso3", "rank"):
        assert got[c].astype(str).tolist() == ref[c].astype(str).tolist()
    np.testing.assert_allclose(got["share_pct"], ref["share_pct"], rtol=1e-12)
    s_ref = trade.pattern_summary(demo, focal="CHN", flow=flow, top=5)
    s_got = pattern_summary(demo, focal="CHN", flow=flow, top=5, engine="duckdb")
    assert s_got["top_partners"].tolist() == s_ref["top_partners"].tolist()
    np.testing.assert_allclose(s_got["hhi"], s_ref["hhi"], rtol=1e-12)
    np.testing.assert_allclose(s_got["total_usd"], s_ref["total_usd"], rtol=1e-12)


def test_group_aggregates_by_hand():
    flows = random_panel(5)
    groups = {f"C{n:02d}": ("north" if n < 10 else "south") for n in range(20)}
    got = group_aggregates(flows, groups, engine="duckdb")
    pan = group_aggregates(flows, groups, engine="pandas")
    e = flows[(flows["flow"] == "export") & (flows["value_usd"] > 0)]
    e = e[~e["reporter_iso3"].isin(["WLD", "_899"]) & ~e["partner_iso3"].isin(["WLD", "_899"])]
    e = e[e["reporter_iso3"] != e["partner_iso3"]]
    e = e.assign(
        rg=e["reporter_iso3"].map(groups).fillna("other"),
        pg=e["partner_iso3"].map(groups).fillna("other"),
    )
    ref = e.groupby(["year", "rg", "pg"])["value_usd"].sum()
    for t in (got, pan):
        s = t.set_index(["year", "reporter_group", "partner_group"])["value_usd"]
        np.testing.assert_allclose(
            s.sort_index().to_numpy(), ref.sort_index().to_numpy(), rtol=1e-12
        )
        assert list(s.sort_index().index) == list(ref.sort_index().index)
    assert got["pairs"].tolist() == pan["pairs"].tolist()


# ---------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------


def test_negative_value_is_a_validation_error(tmp_path):
    path = tmp_path / "BACI_HS17_Y2022_V1.csv"
    path.write_text("t,i,j,k,v,q\n2022,156,842,850760,-1.0,\n2022,156,842,850760,,\n")
    with pytest.raises(ValidationError) as err:
        pair_interdependence(path, engine="duckdb")
    assert "2 missing, NaN or negative value(s) in year 2022, CHN -> USA" in str(err.value)
    assert err.value.exit_code == 5


def test_missing_and_unreadable_inputs(tmp_path):
    with pytest.raises(DataNotFoundError):
        pair_interdependence(tmp_path / "nope.parquet", engine="duckdb")
    with pytest.raises(DataNotFoundError):
        pair_interdependence(str(tmp_path / "BACI_*.csv"), engine="duckdb")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(InputFormatError, match="expected the canonical columns"):
        pair_interdependence(bad, engine="duckdb")
    broken = tmp_path / "BACI_broken.csv"
    broken.write_text("t,i,j,k,v,q\n2022,156,842,850760,1.0,\n2022,CHINA,842,850760,1.0,\n")
    with pytest.raises(InputFormatError, match="cannot read the input as a baci table"):
        pair_interdependence(broken, engine="duckdb")


def test_bad_options():
    with pytest.raises(ValueError, match="thresholds"):
        pair_interdependence(edge_panel(), high=0.6, low=0.5)
    with pytest.raises(ValueError, match="engine"):
        pair_interdependence(edge_panel(), engine="spark")


def test_multi_year_parquet_file_is_split_by_year(tmp_path):
    flows = random_panel(6)
    path = tmp_path / "panel.parquet"
    flows.to_parquet(path, index=False, row_group_size=500)  # row groups mix years
    rep = JsonReporter(stream=io.StringIO())
    got = pair_interdependence(path, engine="duckdb", years=[2016, 2017], reporter=rep)
    assert_same(got, reference_pairs(flows, years={2016, 2017}))
    recs = [json.loads(line) for line in rep.stream.getvalue().splitlines()]
    msgs = [r["message"] for r in recs if r["type"] == "progress" and r["done"] > 0]
    assert [m.split(":")[0] for m in msgs] == ["2016", "2017"]
    rep = JsonReporter(stream=io.StringIO())
    assert_same(pair_interdependence(path, engine="duckdb", reporter=rep), reference_pairs(flows))
    recs = [json.loads(line) for line in rep.stream.getvalue().splitlines()]
    assert recs[0]["total"] == 3  # years listed by a DISTINCT pass: row groups mix years
