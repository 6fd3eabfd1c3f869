"""The packaged SYNTHETIC trade table: reproducible, labelled, and calibrated to seed 000.

Every figure is re-derived from the committed CSV with geotrade.metrics.trade. Where the
published figures contradict each other the documented achieved value is asserted, with a
pointer to the arithmetic in geotrade/data/demo/README.md ("C1" ... "C10").
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

import geotrade
from geotrade.metrics.trade import (
    DEPENDENCE_CLASSES,
    cagr,
    class_counts,
    interdependence,
    partner_shares,
    pattern_summary,
)
from geotrade.synthetic import trade as gen

DEMO = Path(geotrade.__file__).parent / "data" / "demo"
CSV = DEMO / gen.CSV_NAME
META = DEMO / f"{gen.CSV_NAME}.meta.json"
REPO = Path(__file__).resolve().parents[1]

# Table 2 of the paper (Chinese names mapped to ISO3), percent
TABLE2 = {
    ("import", 2012): {"KOR": 52.4, "JPN": 41.7, "SGP": 3.0, "MYS": 1.0, "IDN": 0.5,
                       "USA": 0.4, "VNM": 0.4, "DEU": 0.1, "MEX": 0.1, "PHL": 0.1},
    ("import", 2017): {"KOR": 34.8, "JPN": 23.6, "MYS": 16.5, "SGP": 11.9, "VNM": 7.9,
                       "USA": 3.1, "DEU": 0.1, "IDN": 0.1, "POL": 0.1, "ISR": 0.1},
    ("import", 2022): {"MYS": 26.2, "SGP": 15.3, "KOR": 13.7, "JPN": 12.1, "POL": 11.6,
                       "FIN": 7.1, "DEU": 5.4, "VNM": 4.4, "USA": 1.8, "HUN": 0.7},
    ("export", 2012): {"USA": 19.4, "JPN": 14.1, "IND": 12.7, "KOR": 11.5, "BRA": 8.3,
                       "VNM": 7.1, "DEU": 3.3, "SGP": 2.3, "NLD": 2.1, "ARE": 1.9},
    ("export", 2017): {"USA": 19.2, "VNM": 10.6, "IND": 9.8, "KOR": 9.0, "JPN": 8.2,
                       "DEU": 5.7, "NZL": 4.5, "GBR": 2.3, "IDN": 2.0, "MYS": 1.9},
    ("export", 2022): {"USA": 20.9, "DEU": 15.9, "KOR": 10.9, "NLD": 6.9, "VNM": 5.8,
                       "IND": 3.7, "ESP": 3.5, "JPN": 3.3, "GBR": 2.8, "POL": 2.8},
}  # fmt: skip
TABLE2_SUM = {
    ("import", 2012): 99.9, ("import", 2017): 99.6, ("import", 2022): 98.2,
    ("export", 2012): 82.8, ("export", 2017): 73.3, ("export", 2022): 76.5,
}  # fmt: skip
# Table 3 (order of DEPENDENCE_CLASSES without "balanced")
TABLE3 = {
    2012: (96, 24, 3, 2, 0, 0, 2, 1),
    2017: (133, 35, 3, 2, 0, 0, 1, 3),
    2022: (146, 39, 3, 1, 0, 0, 0, 2),
}
# Documented achieved counts: differences are arithmetically forced (README C4-C7)
ACHIEVED = {
    2012: (96, 23, 3, 2, 0, 0, 1, 2),  # C4 (JPN moderate -> low), C5 (partner_high 24 -> 23)
    2017: (132, 34, 3, 2, 0, 0, 1, 3),  # C6: 175 - 43 = 132; two-way 44 > 43
    2022: (145, 38, 3, 1, 0, 0, 0, 2),  # C7: 189 - 44 = 145; two-way 45 > 44
}
# Table 3 example countries (阿拉伯 -> ARE and SAU, 多米尼亚 -> DOM: README C9)
EXAMPLES = {
    2012: {"partner_one_way": ["IND", "ARE", "SAU", "ARG"], "partner_high": ["USA", "RUS", "DEU"],
           "partner_moderate": ["ISR", "MEX", "SWE"], "partner_low": ["MYS", "IDN"],
           "focal_moderate": ["KOR"],  # and "日" (JPN): impossible, see below (C4)
           "focal_low": ["SGP"]},
    2017: {"partner_one_way": ["ARE", "SAU", "TUR", "BGD"], "partner_high": ["IND", "BRA", "NLD"],
           "partner_moderate": ["VNM", "POL", "PHL"], "partner_low": ["DOM", "ISR"],
           "focal_moderate": ["MYS"], "focal_low": ["JPN", "KOR", "SGP"]},
    2022: {"partner_one_way": ["ZAF", "TUR", "ARE"], "partner_high": ["ESP", "NLD", "AUS"],
           "partner_moderate": ["POL", "JPN", "CHE"], "partner_low": ["FIN"],
           "focal_low": ["MYS", "SGP"]},
}  # fmt: skip


@pytest.fixture(scope="module")
def flows() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype={"hs_code": str}, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def table(flows) -> pd.DataFrame:
    return interdependence(flows, focal="CHN")


def totals(flows: pd.DataFrame, year: int) -> tuple[float, float]:
    fy = flows[flows["year"] == year]
    return (
        float(fy.loc[fy["flow"] == "export", "value_usd"].sum()),
        float(fy.loc[fy["flow"] == "import", "value_usd"].sum()),
    )


# --- reproducibility and labelling --------------------------------------------------------


def test_regeneration_is_byte_identical(tmp_path):
    t0 = time.perf_counter()
    written = gen.write_demo(tmp_path)
    assert time.perf_counter() - t0 < 2.0
    assert [p.name for p in written] == [CSV.name, META.name]
    assert written[0].read_bytes() == CSV.read_bytes()
    assert written[1].read_bytes() == META.read_bytes()


def test_module_cli(tmp_path):
    assert gen.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / CSV.name).read_bytes() == CSV.read_bytes()


def test_labelled_synthetic(flows):
    assert CSV.name.startswith("synthetic_")
    assert flows["source"].unique().tolist() == [gen.SOURCE]
    assert "synthetic" in gen.SOURCE
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert meta["seed"] == gen.SEED
    assert meta["generator_version"] == gen.GENERATOR_VERSION
    assert {c["id"] for c in meta["conflicts"]} == {f"C{i}" for i in range(1, 11)}
    assert meta["achieved"]["partners"]["export"] == {"2012": 127, "2017": 175, "2022": 189}
    assert "C4" in (DEMO / "README.md").read_text(encoding="utf-8")


def test_canonical_table(flows):
    assert flows.columns.tolist() == [
        "year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd", "source",
    ]  # fmt: skip
    assert sorted(flows["year"].unique()) == list(range(2012, 2023))
    assert set(flows["reporter_iso3"]) == {"CHN"}
    assert set(flows["hs_code"]) == {"850760"}
    assert set(flows["flow"]) == {"export", "import"}
    assert (flows["value_usd"] > 0).all()
    assert not flows.duplicated(["year", "partner_iso3", "flow"]).any()
    # import partners also buy from China every year (中国单向依存 = 0 in Table 3)
    for y, g in flows.groupby("year"):
        e = set(g.loc[g["flow"] == "export", "partner_iso3"])
        i = set(g.loc[g["flow"] == "import", "partner_iso3"])
        assert i <= e, y


def test_partners_are_natural_earth_codes(flows):
    import geopandas as gpd

    gpkg = REPO / "boundaries" / "world_countries.gpkg"  # vendored in the repository
    assert gpkg.exists(), (
        "boundaries/world_countries.gpkg is missing; run boundaries/build_world.py"
    )
    ne = set(gpd.read_file(gpkg, ignore_geometry=True)["iso_a3"])
    assert set(gen.PARTNER_GDP_MD) == ne
    assert set(flows["partner_iso3"]) <= ne - {"CHN"}


# --- totals and growth (README C1, C2) ------------------------------------------------------


def test_totals_round_to_published(flows):
    x12, m12 = totals(flows, 2012)
    x22, m22 = totals(flows, 2022)
    # printed in 亿 USD (1e8), integers
    assert (round(x12 / 1e8), round(m12 / 1e8), round((x12 + m12) / 1e8)) == (45, 40, 84)
    assert (round(x22 / 1e8), round(m22 / 1e8), round((x22 + m22) / 1e8)) == (509, 30, 539)
    # and to 0.1 bn as "4.5 -> 50.9" and "4.0 -> 3.0"
    assert (round(x12 / 1e9, 1), round(x22 / 1e9, 1)) == (4.5, 50.9)
    assert (round(m12 / 1e9, 1), round(m22 / 1e9, 1)) == (4.0, 3.0)


def test_growth_rates_are_ten_year_cagrs(flows):
    x12, m12 = totals(flows, 2012)
    x22, m22 = totals(flows, 2022)
    assert round(cagr(x12 + m12, x22 + m22, 10), 2) == 20.38
    assert round(cagr(x12, x22, 10), 2) == 27.56
    assert round(cagr(m12, m22, 10), 2) == -2.81
    # C2: the literal rounded totals do not reproduce them
    assert round(cagr(84, 539, 10), 2) != 20.38
    assert round(cagr(45, 509, 10), 2) != 27.56


def test_uncalibrated_path_respects_the_text(flows):
    s = flows.groupby(["year", "flow"])["value_usd"].sum().unstack()
    assert (s["export"] > s["import"]).all()
    total = s.sum(axis=1)
    assert total.is_monotonic_increasing
    assert total[2021] / total[2020] >= 2.0
    assert total[2022] / total[2021] >= 2.0
    ex = pattern_summary(flows, focal="CHN", flow="export").set_index("year")
    assert ex["n_partners"].is_monotonic_increasing


# --- partner counts, Table 2 (README C3) ---------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "expected"),
    [("export", {2012: 127, 2017: 175, 2022: 189}), ("import", {2012: 31, 2017: 43, 2022: 44})],
)
def test_partner_counts(flows, flow, expected):
    s = pattern_summary(flows, focal="CHN", flow=flow, years=list(expected)).set_index("year")
    assert s["n_partners"].to_dict() == expected


@pytest.mark.parametrize(("flow", "year"), sorted(TABLE2))
def test_table2_top10_shares(flows, flow, year):
    sh = partner_shares(flows, focal="CHN", flow=flow, years=[year])
    top = sh[sh["rank"] <= 10].set_index("partner_iso3")["share_pct"]
    assert set(top.index) == set(TABLE2[(flow, year)])
    for p, published in TABLE2[(flow, year)].items():
        assert top[p] == pytest.approx(published, abs=0.05), p
    total = pattern_summary(flows, focal="CHN", flow=flow, years=[year])["top_share_sum_pct"][0]
    if (flow, year) == ("import", 2017):
        # C3: the printed shares sum to 98.2; 99.6 is out of rounding reach (max 98.7)
        assert round(total, 1) == 98.6
    else:
        assert round(total, 1) == TABLE2_SUM[(flow, year)]


# --- Table 3 (README C4-C9) -----------------------------------------------------------------


@pytest.mark.parametrize("year", [2012, 2017, 2022])
def test_table3_class_counts(table, year):
    cc = class_counts(table[table["year"] == year])
    got = tuple(int(cc.loc[c, (year, "count")]) for c in DEPENDENCE_CLASSES[:-1])
    assert got == ACHIEVED[year]
    assert int(cc.loc["balanced", (year, "count")]) == 0
    # the deviation from Table 3 is the documented minimum: one per forced conflict
    deviation = sum(abs(a - b) for a, b in zip(got, TABLE3[year], strict=True))
    assert deviation == {2012: 3, 2017: 2, 2022: 2}[year]


def test_table3_count_identity_shows_the_conflicts():
    # |E| - |I| = partner_one_way - focal_one_way must hold for any data (README notation)
    n_e = {2012: 127, 2017: 175, 2022: 189}
    n_i = {2012: 31, 2017: 43, 2022: 44}
    assert n_e[2012] - n_i[2012] == TABLE3[2012][0] - TABLE3[2012][4]
    assert n_e[2017] - n_i[2017] == TABLE3[2017][0] - TABLE3[2017][4] - 1  # C6
    assert n_e[2022] - n_i[2022] == TABLE3[2022][0] - TABLE3[2022][4] - 1  # C7
    for y in TABLE3:
        two_way = sum(TABLE3[y][1:4]) + sum(TABLE3[y][5:8])
        assert two_way == n_i[y] + 1  # C5-C7: one two-way partner more than importers
        assert sum(ACHIEVED[y][1:4]) + sum(ACHIEVED[y][5:8]) == n_i[y]
        assert ACHIEVED[y][0] == n_e[y] - n_i[y]


@pytest.mark.parametrize("year", [2012, 2017, 2022])
def test_table3_examples_in_their_class(table, year):
    cls = table[table["year"] == year].set_index("partner_iso3")["dependence_class"]
    for c, partners in EXAMPLES[year].items():
        for p in partners:
            assert cls.get(p) == c, (year, p)


def test_japan_2012_is_focal_low_not_moderate(table):
    # C4: Table 2 + totals give M/X = 2.63 < 3, so GL > 0.5 (published: 中国中度依存)
    r = table[(table["year"] == 2012) & (table["partner_iso3"] == "JPN")].iloc[0]
    assert r["imports"] / r["exports"] == pytest.approx(2.63, abs=0.01)
    assert r["gl"] == pytest.approx(0.551, abs=0.001)
    assert r["dependence_class"] == "focal_low"


def test_meta_achieved_matches_csv(flows):
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert meta["achieved"] == gen.achieved_summary(flows)
