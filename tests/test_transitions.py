"""Transitions between dependence classes (hand-built tables; demo years 2012 -> 2022)."""

from __future__ import annotations

import pandas as pd
import pytest

from geotrade.metrics.trade import DEPENDENCE_CLASSES, class_counts, interdependence
from geotrade.metrics.transitions import NO_TRADE, transition_matrix, transitions
from geotrade.synthetic.trade import read_demo


def test_hand_example():
    t = pd.DataFrame(
        {
            "year": [2012, 2012, 2012, 2022, 2022, 2022],
            "partner_iso3": ["JPN", "KOR", "USA", "JPN", "KOR", "DEU"],
            "dependence_class": [
                "focal_moderate", "partner_low", "partner_high",
                "focal_low", "partner_high", "partner_one_way",
            ],
        }
    )  # fmt: skip
    tr = transitions(t, 2012, 2022).set_index("partner_iso3")
    # JPN: -2 -> -1 (China depends less on Japan): strengthened; KOR 1 -> 3 strengthened
    assert tr.loc["JPN", "change"] == "strengthened"
    assert tr.loc["KOR", "change"] == "strengthened"
    assert tr.loc["USA", ["to_class", "change"]].tolist() == [NO_TRADE, "exited"]
    assert tr.loc["DEU", ["from_class", "change"]].tolist() == [NO_TRADE, "entered"]
    back = transitions(t, 2022, 2012).set_index("partner_iso3")
    assert back.loc["JPN", "change"] == "weakened"
    m = tr.attrs["matrix"]
    assert m.shape == (10, 10)
    assert int(m.loc["focal_moderate", "focal_low"]) == 1
    assert int(m.to_numpy().sum()) == 4
    with pytest.raises(ValueError, match="no column"):
        transitions(t.drop(columns="dependence_class"), 2012, 2022)


def test_matrix_margins_equal_class_counts_on_demo():
    table = interdependence(read_demo(), focal="CHN", years=[2012, 2022])
    m = transition_matrix(table, 2012, 2022)
    cc = class_counts(table)
    rows = m.drop(index=NO_TRADE).sum(axis=1)
    cols = m.drop(columns=NO_TRADE).sum(axis=0)
    for c in DEPENDENCE_CLASSES:
        assert rows[c] == cc.loc[c, (2012, "count")]
        assert cols[c] == cc.loc[c, (2022, "count")]
    # demo partner sets are nested (README): nobody exits, 189 - 127 = 62 enter
    assert int(m[NO_TRADE].sum()) == 0
    assert int(m.loc[NO_TRADE].sum()) == 62
