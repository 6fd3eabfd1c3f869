"""Unit values (geotrade.metrics.unit_values and ``geotrade unit-values``), by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade.errors import ValidationError
from geotrade.metrics.unit_values import unit_values

DATA = Path(__file__).parent / "data"


def _flows() -> pd.DataFrame:
    rows = [
        # year, reporter, partner, flow, hs, value, kg, unit
        (2022, "CHN", "JPN", "export", "280530", 100.0, 50.0, "kg"),
        (2022, "CHN", "DEU", "export", "280530", 60.0, 20.0, "kg"),
        (2022, "CHN", "USA", "export", "280530", 40.0, np.nan, None),  # no quantity
        (2022, "USA", "JPN", "export", "280530", 90.0, 15.0, "kg"),
        (2022, "USA", "JPN", "export", "850490", 10.0, 4.0, "u"),  # items, not kg
        (2022, "USA", "WLD", "export", "280530", 500.0, 99.0, "kg"),  # aggregate partner
        (2022, "JPN", "JPN", "export", "280530", 7.0, 1.0, "kg"),  # self-trade
        (2022, "JPN", "CHN", "import", "280530", 120.0, 50.0, "kg"),
        (2021, "CHN", "JPN", "export", "280530", 30.0, 10.0, "kg"),
    ]
    cols = ["year", "reporter_iso3", "partner_iso3", "flow", "hs_code", "value_usd",
            "quantity", "quantity_unit"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_by_exporter_by_hand():
    uv = unit_values(_flows(), by="exporter", years=[2022])
    r = uv[uv["hs_code"] == "280530"].set_index("exporter")
    # CHN: (100 + 60) / (50 + 20) kg; the 40 USD row has no quantity and is counted
    assert r.loc["CHN", "unit_value_usd_per_kg"] == pytest.approx(160 / 70)
    assert r.loc["CHN", "value_usd"] == pytest.approx(200.0)
    assert r.loc["CHN", "n_rows"] == 3
    assert r.loc["CHN", "n_without_quantity"] == 1
    assert r.loc["CHN", "share_value_without_quantity_pct"] == pytest.approx(20.0)
    # world (aggregate and self-trade rows left out): (160 + 90) / (70 + 15)
    world = 250 / 85
    assert r.loc["USA", "unit_value_usd_per_kg"] == pytest.approx(6.0)
    assert r.loc["USA", "relative_unit_value"] == pytest.approx(6.0 / world)
    assert r.loc["CHN", "world_unit_value_usd_per_kg"] == pytest.approx(world)
    assert uv.attrs["excluded"] == {"aggregate": 1, "missing code": 0, "self-trade": 1}
    # a product whose only row is in items: counted, unit value NaN
    u = uv[uv["hs_code"] == "850490"].iloc[0]
    assert np.isnan(u["unit_value_usd_per_kg"])
    assert u["n_without_quantity"] == 1


def test_by_pair_and_importer_and_pooled():
    pair = unit_values(_flows(), by="pair", years=[2022]).set_index(["exporter", "importer"])
    assert pair.loc[("CHN", "DEU"), "unit_value_usd_per_kg"] == pytest.approx(3.0)
    imp = unit_values(_flows(), by="importer", years=[2022], pool_products=True)
    jpn = imp.set_index("importer").loc["JPN"]
    # JPN buys 100/50 from CHN, 90/15 and the item row (10 USD, no kg) from USA
    assert jpn["hs_code"] == "all"
    assert jpn["unit_value_usd_per_kg"] == pytest.approx(190 / 65)
    assert jpn["value_usd"] == pytest.approx(200.0)
    years = unit_values(_flows(), by="exporter")
    assert sorted(set(years["year"])) == [2021, 2022]


def test_import_side_uses_importer_reports_only():
    uv = unit_values(_flows(), by="exporter", flow="import")
    assert uv.to_dict("records")[0]["exporter"] == "CHN"
    assert uv["unit_value_usd_per_kg"].iloc[0] == pytest.approx(120 / 50)
    assert uv["relative_unit_value"].iloc[0] == pytest.approx(1.0)


def test_clear_errors():
    f = _flows()
    with pytest.raises(ValidationError, match="no column quantity"):
        unit_values(f.drop(columns="quantity"))
    g = f[f["reporter_iso3"] == "CHN"].assign(quantity=np.nan)
    with pytest.raises(ValidationError, match="none of the 3 export rows has a quantity"):
        unit_values(g, years=[2022])
    with pytest.raises(ValidationError, match=r"no bilateral export row left.*aggregate 1"):
        unit_values(f[f["partner_iso3"] == "WLD"])
    with pytest.raises(ValidationError, match="no re-export rows"):
        unit_values(f, flow="re-export")  # type: ignore[arg-type]


def test_cli_on_a_baci_file_recomputed_from_the_raw_csv(tmp_path, capsys):
    from geotrade.cli import main

    src = DATA / "flows" / "BACI_HS17_Y2022_V202401.csv"
    out = tmp_path / "uv.csv"
    code = main(["--json", "unit-values", str(src), "--by", "exporter", "--hs", "850760",
                 "--csv", str(out)])  # fmt: skip
    assert code == 0
    got = pd.read_csv(out, dtype={"hs_code": str}).set_index("exporter")
    raw = pd.read_csv(src, skipinitialspace=True, na_values=["NA"])
    raw = raw[raw["k"] == 850760]
    chn = raw[raw["i"] == 156]  # BACI: v in thousand USD, q in tonnes
    expect = (chn["v"] * 1000).sum() / (chn["q"] * 1000).sum()
    assert got.loc["CHN", "unit_value_usd_per_kg"] == pytest.approx(expect, rel=1e-9)
    twn = got.loc["TWN"]  # its only row has q = NA: counted, no unit value
    assert twn["n_without_quantity"] == 1
    assert np.isnan(twn["unit_value_usd_per_kg"])
    records = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    result = [r for r in records if r.get("type") == "result"][-1]
    assert result["rows"] == len(got)


def test_cli_needs_an_output_and_rejects_a_bad_choice(tmp_path):
    from geotrade.cli import main

    src = str(DATA / "flows" / "BACI_HS17_Y2022_V202401.csv")
    assert main(["unit-values", src]) == 2
    assert main(["unit-values", src, "--by", "partner", "--csv", str(tmp_path / "a.csv")]) == 2
