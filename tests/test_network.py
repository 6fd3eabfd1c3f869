"""All-pairs interdependence network on a 4-country example: by hand and with networkx."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from geotrade.metrics.network import (
    PAIR_COLUMNS,
    country_summary,
    group_interdependence,
    network_summary,
    node_metrics,
    pair_interdependence,
)

COLS = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd"]
# A->B 90, B->A 10, A->C 50, C->D 20, D->C 20, D->A 5 ; one import row, one aggregate
EX = [("AAA", "BBB", 90.0), ("BBB", "AAA", 10.0), ("AAA", "CCC", 50.0),
      ("CCC", "DDD", 20.0), ("DDD", "CCC", 20.0), ("DDD", "AAA", 5.0)]  # fmt: skip


@pytest.fixture
def flows():
    rows = [(2022, i, j, "export", "850760", v) for i, j, v in EX]
    rows += [
        (2022, "AAA", "BBB", "import", "850760", 999.0),
        (2022, "AAA", "WLD", "export", "850760", 1e6),
    ]
    return pd.DataFrame(rows, columns=COLS)


def test_pairs_by_hand(flows):
    p = pair_interdependence(flows)
    assert tuple(p.columns) == PAIR_COLUMNS
    p = p.set_index(["iso3", "partner_iso3"])
    assert len(p) == 8  # ordered pairs with X + M > 0: AB BA AC CA CD DC DA AD
    assert p.loc[("AAA", "BBB"), ["exports", "imports"]].tolist() == [90.0, 10.0]
    assert p.loc[("AAA", "BBB"), "gl"] == pytest.approx(0.2)
    assert p.loc[("AAA", "BBB"), "dependence_class"] == "partner_high"
    assert p.loc[("BBB", "AAA"), "dependence_class"] == "focal_high"
    assert p.loc[("CCC", "AAA"), "dependence_class"] == "focal_one_way"
    assert p.loc[("CCC", "DDD"), "dependence_class"] == "balanced"
    assert p.loc[("AAA", "DDD"), ["exports", "imports", "index"]].tolist() == [0.0, 5.0, 0.0]
    ex = pair_interdependence(flows).attrs["excluded"]
    assert set(ex["reason"]) >= {"aggregate partner"}
    assert any(r.startswith("import row not used") for r in ex["reason"])


def test_node_and_network_metrics_vs_networkx(flows):
    p = pair_interdependence(flows)
    g = nx.DiGraph()
    g.add_weighted_edges_from(EX)
    n = node_metrics(p).set_index("iso3")
    for v in g.nodes:
        assert n.loc[v, "out_degree"] == g.out_degree(v)
        assert n.loc[v, "in_degree"] == g.in_degree(v)
        assert n.loc[v, "out_strength"] == pytest.approx(g.out_degree(v, weight="weight"))
        assert n.loc[v, "in_strength"] == pytest.approx(g.in_degree(v, weight="weight"))
    btw = nx.betweenness_centrality(g, normalized=True)
    for v, b in btw.items():
        assert n.loc[v, "betweenness"] == pytest.approx(b)
    # by hand: A has strength out 140, in 15; 3 partners: B (A->B high: B depends on A),
    # C (one-way A->C: C depends on A), D (D->A only: A depends on D)
    assert n.loc["AAA", ["n_partners", "n_depend_on", "n_depends"]].tolist() == [3, 2, 1]
    assert n.loc["AAA", "share_depend_on_pct"] == pytest.approx(200 / 3)
    s = network_summary(p).iloc[0]
    # 4 nodes, 6 edges: density 6 / 12; reciprocated edges AB, BA, CD, DC -> 4 / 6
    assert (s["nodes"], s["edges"]) == (4, 6)
    assert s["density"] == pytest.approx(0.5)
    assert s["reciprocity"] == pytest.approx(4 / 6)
    assert s["reciprocity"] == pytest.approx(nx.reciprocity(g))
    # Louvain with a fixed seed is reproducible
    assert node_metrics(p)["community"].tolist() == node_metrics(p)["community"].tolist()
    c = country_summary(p, "AAA").iloc[0]
    assert c["n_partner_high"] == 1
    assert c["n_partner_one_way"] == 1
    assert c["n_focal_one_way"] == 1


def test_group_comparison(flows):
    p = pair_interdependence(flows)
    g = group_interdependence(p, ["AAA"], ["BBB", "DDD", "AAA"], name_a="A", name_b="MSP").iloc[0]
    # X = 90 (A->B) + 0 (A->D) = 90; M = 10 + 5 = 15; GL = 30 / 105
    assert (g["exports"], g["imports"]) == (90.0, 15.0)
    assert g["gl"] == pytest.approx(30 / 105)
    assert g["dependence_class"] == "partner_moderate"
    assert (g["n_pairs"], g["n_b_depends_on_a"], g["n_a_depends_on_b"]) == (2, 1, 1)
    with pytest.raises(ValueError, match="at least one member"):
        group_interdependence(p, ["AAA"], ["AAA"])
