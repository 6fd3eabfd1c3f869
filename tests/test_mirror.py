"""Mirror and valuation policies on a tiny table whose answers are computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geotrade.errors import ValidationError
from geotrade.mirror import focal_view, reconcile

# (reporter, partner, flow, value, valuation); year 2022, HS 850760, focal CHN
ROWS = [
    ("CHN", "USA", "export", 100.0, "FOB"),
    ("USA", "CHN", "import", 120.0, "CIF"),  # mirror of CHN->USA exports
    ("CHN", "USA", "import", 50.0, "CIF"),
    ("USA", "CHN", "export", 40.0, "FOB"),  # mirror of CHN<-USA imports
    ("CHN", "KOR", "export", 30.0, "FOB"),  # no Korean mirror record
    ("KOR", "CHN", "export", 70.0, "FOB"),  # only the mirror exists
    ("CHN", "DEU", "export", 80.0, "FOB"),
    ("DEU", "CHN", "import", 60.0, "CIF"),
    ("CHN", "WLD", "export", 1000.0, "FOB"),  # aggregate, no mirror possible
    ("USA", "KOR", "export", 999.0, "FOB"),  # third-party pair: irrelevant to CHN
    ("CHN", "USA", "re-export", 5.0, "FOB"),  # not mirrored, listed as excluded
]


@pytest.fixture
def flows() -> pd.DataFrame:
    df = pd.DataFrame(
        ROWS, columns=["reporter_iso3", "partner_iso3", "flow", "value_usd", "valuation"]
    )
    df.insert(0, "year", 2022)
    df["hs_code"] = "850760"
    df["source"] = np.where(df["reporter_iso3"] == "CHN", "chn-report", "partner-report")
    return df


def _as_dict(view: pd.DataFrame) -> dict[tuple[str, str], tuple[float, str, str]]:
    return {
        (r.partner_iso3, r.flow): (r.value_usd, r.provenance, r.valuation)
        for r in view.itertuples()
    }


def test_reporter_policy(flows):
    v = focal_view(flows, focal="CHN", mirror="reporter")
    assert _as_dict(v) == {
        ("USA", "export"): (100.0, "reporter", "FOB"),
        ("USA", "import"): (50.0, "reporter", "CIF"),
        ("KOR", "export"): (30.0, "reporter", "FOB"),
        ("DEU", "export"): (80.0, "reporter", "FOB"),
        ("WLD", "export"): (1000.0, "reporter", "FOB"),
    }
    assert (v["reporter_iso3"] == "CHN").all()
    assert (v["source"] == "chn-report").all()


def test_partner_policy(flows):
    v = focal_view(flows, focal="CHN", mirror="partner")
    assert _as_dict(v) == {
        ("USA", "export"): (120.0, "mirror", "CIF"),
        ("USA", "import"): (40.0, "mirror", "FOB"),
        ("KOR", "import"): (70.0, "mirror", "FOB"),
        ("DEU", "export"): (60.0, "mirror", "CIF"),
    }
    assert (v["source"] == "partner-report").all()


def test_max_policy(flows):
    v = focal_view(flows, focal="CHN", mirror="max")
    assert _as_dict(v) == {
        ("USA", "export"): (120.0, "mirror", "CIF"),
        ("USA", "import"): (50.0, "reporter", "CIF"),
        ("KOR", "export"): (30.0, "reporter", "FOB"),
        ("KOR", "import"): (70.0, "mirror", "FOB"),
        ("DEU", "export"): (80.0, "reporter", "FOB"),
        ("WLD", "export"): (1000.0, "reporter", "FOB"),
    }
    usa = v[(v["partner_iso3"] == "USA") & (v["flow"] == "export")].iloc[0]
    assert (usa["reporter_value_usd"], usa["mirror_value_usd"]) == (100.0, 120.0)
    kor = v[(v["partner_iso3"] == "KOR") & (v["flow"] == "export")].iloc[0]
    assert np.isnan(kor["mirror_value_usd"])


def test_prefer_reporter_policy(flows):
    v = focal_view(flows, focal="CHN", mirror="prefer-reporter")
    assert _as_dict(v) == {
        ("USA", "export"): (100.0, "reporter", "FOB"),
        ("USA", "import"): (50.0, "reporter", "CIF"),
        ("KOR", "export"): (30.0, "reporter", "FOB"),
        ("KOR", "import"): (70.0, "mirror", "FOB"),
        ("DEU", "export"): (80.0, "reporter", "FOB"),
        ("WLD", "export"): (1000.0, "reporter", "FOB"),
    }


def test_cif_fob_adjustment_changes_the_max_choice(flows):
    v = focal_view(flows, focal="CHN", mirror="max", cif_fob_factor=1.25)
    d = _as_dict(v)
    # USA import of 120 CIF = 96 FOB < 100: the reporter's export wins now
    assert d[("USA", "export")] == (100.0, "reporter", "FOB")
    # CHN import 50 CIF = 40 FOB ties with the US export 40 FOB: reporter on a tie
    assert d[("USA", "import")] == (40.0, "reporter", "FOB")
    assert d[("DEU", "export")] == (80.0, "reporter", "FOB")
    assert set(v["valuation"]) == {"FOB"}
    adjusted = v.set_index(["partner_iso3", "flow"])["cif_fob_adjusted"]
    assert adjusted[("USA", "import")]
    assert not adjusted[("USA", "export")]
    usa = v[(v["partner_iso3"] == "USA") & (v["flow"] == "export")].iloc[0]
    assert usa["mirror_value_usd"] == pytest.approx(96.0)


def test_without_factor_valuations_stay_truthful(flows):
    v = focal_view(flows, focal="CHN", mirror="partner")
    assert not v["cif_fob_adjusted"].any()
    assert set(v["valuation"]) == {"CIF", "FOB"}


def test_excluded_rows_are_reported(flows):
    v = focal_view(flows, focal="CHN")
    ex = v.attrs["excluded"]
    assert ex[["reporter_iso3", "partner_iso3", "flow", "rows", "value_usd"]].values.tolist() == [
        ["CHN", "USA", "re-export", 1, 5.0]
    ]
    assert v.attrs["mirror"] == "reporter"


def test_missing_valuation_defaults_to_comtrade_convention(flows):
    v = focal_view(flows.drop(columns="valuation"), focal="CHN", mirror="partner")
    assert _as_dict(v)[("USA", "export")] == (120.0, "mirror", "CIF")
    assert _as_dict(v)[("KOR", "import")] == (70.0, "mirror", "FOB")


def test_duplicate_rows_are_summed(flows):
    dup = pd.concat([flows, flows.iloc[[0]]], ignore_index=True)
    v = focal_view(dup, focal="CHN", mirror="reporter")
    assert _as_dict(v)[("USA", "export")][0] == 200.0


def test_errors(flows):
    with pytest.raises(ValidationError, match="mirror policy"):
        focal_view(flows, focal="CHN", mirror="mean")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="value_usd"):
        focal_view(flows.drop(columns="value_usd"), focal="CHN")
    with pytest.raises(ValidationError, match="positive"):
        focal_view(flows, focal="CHN", cif_fob_factor=0.0)
    mixed = flows.copy()
    mixed = pd.concat([mixed, mixed.iloc[[0]].assign(valuation="CIF")], ignore_index=True)
    with pytest.raises(ValidationError, match="mix valuations"):
        focal_view(mixed, focal="CHN")


def test_output_feeds_interdependence(flows):
    # contract with geotrade.metrics.trade: the view is a canonical table reported by CHN
    from geotrade.metrics.trade import interdependence

    v = focal_view(flows, focal="CHN", mirror="prefer-reporter")
    t = interdependence(v, focal="CHN").set_index("partner_iso3")
    # USA: X=100, M=50 -> GL = 1 - 50/150
    assert t.loc["USA", "gl"] == pytest.approx(1 - 50 / 150)
    # KOR: X=30 (reporter), M=70 (mirror) -> GL = 1 - 40/100, China depends (negative index)
    assert t.loc["KOR", "gl"] == pytest.approx(0.6)
    assert t.loc["KOR", "index"] == pytest.approx(-0.6)


# --- reconcile ---------------------------------------------------------------------------


def test_reconcile_threshold(flows):
    r = reconcile(flows, threshold=0.15)
    got = [(x.exporter_iso3, x.importer_iso3, round(x.rel_diff, 6)) for x in r.itertuples()]
    assert got == [
        ("CHN", "DEU", 0.25),  # |80-60|/80
        ("USA", "CHN", 0.2),  # |40-50|/50
        ("CHN", "USA", round(20 / 120, 6)),  # |100-120|/120
    ]
    row = r[r["exporter_iso3"] == "CHN"].set_index("importer_iso3").loc["USA"]
    assert (row["export_value_usd"], row["import_value_usd"]) == (100.0, 120.0)
    assert (row["export_valuation"], row["import_valuation"]) == ("FOB", "CIF")
    assert row["difference_usd"] == 20.0
    # strictly greater than the threshold
    assert reconcile(flows, threshold=0.25).empty
    assert reconcile(flows, threshold=0.2)["importer_iso3"].tolist() == ["DEU"]


def test_reconcile_focal_and_one_sided(flows):
    r = reconcile(flows, focal="USA", threshold=0.1)
    assert sorted(zip(r["exporter_iso3"], r["importer_iso3"], strict=True)) == [
        ("CHN", "USA"),
        ("USA", "CHN"),
    ]
    r = reconcile(flows, threshold=0.5, one_sided=True)
    assert sorted(zip(r["exporter_iso3"], r["importer_iso3"], r["status"], strict=True)) == [
        ("CHN", "KOR", "exporter_only"),
        ("CHN", "WLD", "exporter_only"),
        ("KOR", "CHN", "exporter_only"),
        ("USA", "KOR", "exporter_only"),
    ]
    assert (r["rel_diff"] == 1.0).all()
    with pytest.raises(ValidationError):
        reconcile(flows, threshold=1.0)


def test_reconcile_published_china_us_gap():
    # notes/data-sources.md: HS 850760, China-reported exports to US vs US-reported imports
    pub = {
        2021: (4_942_067_377, 4_472_880_904),
        2022: (10_140_436_891, 9_295_203_389),
        2023: (13_569_075_977, 13_217_304_176),
    }
    rows = []
    for y, (x, m) in pub.items():
        rows += [(y, "CHN", "USA", "export", x), (y, "USA", "CHN", "import", m)]
    df = pd.DataFrame(
        rows, columns=["year", "reporter_iso3", "partner_iso3", "flow", "value_usd"]
    ).assign(hs_code="850760")
    r = reconcile(df, threshold=0.05)
    # 2021: 469.2e6/4942.1e6 = 9.49 %; 2022: 845.2e6/10140.4e6 = 8.34 %; 2023: 2.59 % (< 5 %)
    assert r["year"].tolist() == [2021, 2022]
    assert r["rel_diff"].tolist() == pytest.approx(
        [
            (4_942_067_377 - 4_472_880_904) / 4_942_067_377,
            (10_140_436_891 - 9_295_203_389) / 10_140_436_891,
        ]
    )
