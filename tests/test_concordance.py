"""HS concordance: the shipped UNSD tables, the build script's parser and ``products convert``."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from geotrade.concordance import concordance_pairs, convert_products, correlation_table
from geotrade.errors import DataNotFoundError, ValidationError
from geotrade.products import load_code_file

REPO = Path(__file__).resolve().parents[1]
UNSD = REPO / "tests" / "data" / "real" / "unsd"
SHIPPED = REPO / "geotrade" / "data" / "products" / "hs_correlation.csv.gz"


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_hs_concordance", REPO / "scripts" / "build_hs_concordance.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)


def test_shipped_pairs_are_the_eleven_xlsx_tables():
    pairs = set(concordance_pairs())
    assert pairs == {("HS2022", r) for r in ("HS1992", "HS1996", "HS2002", "HS2007", "HS2012")} | {
        ("HS2022", "HS2017")
    } | {("HS2017", r) for r in ("HS1992", "HS1996", "HS2002", "HS2007", "HS2012")}


def test_published_relationships_agree_with_the_link_counts(shipped):
    # An independent check of the parse: UNSD's "a:b" says whether the newer code (a) and
    # the older code (b) have other links. Recount them from the links themselves; a swapped
    # column or a lost row would break it. Only 999999 (conversion without a link) is blank.
    for (_, _), g in shipped.groupby(["from_revision", "to_revision"]):
        g = g[g["relationship"] != ""]
        many_new = g.groupby("to_code")["from_code"].transform("size") > 1
        many_old = g.groupby("from_code")["to_code"].transform("size") > 1
        predicted = (
            many_new.map({True: "n", False: "1"}) + ":" + many_old.map({True: "n", False: "1"})
        )
        assert (predicted == g["relationship"]).all()
    assert set(shipped.loc[shipped["relationship"] == "", "from_code"]) == {"999999"}


def test_every_newer_code_has_exactly_one_conversion(shipped):
    conv = shipped[shipped["conversion"] == "1"]
    per_code = conv.groupby(["from_revision", "to_revision", "from_code"]).size()
    assert (per_code == 1).all()
    # all codes of the newer edition in the correlation sheet have their conversion
    codes = shipped.groupby(["from_revision", "to_revision"])["from_code"].nunique()
    assert (conv.groupby(["from_revision", "to_revision"]).size() == codes).all()
    assert shipped["from_code"].str.fullmatch(r"\d{6}").all()
    assert shipped["to_code"].str.fullmatch(r"\d{6}").all()


def test_li_ion_agrees_with_the_documented_revision_fact():
    # hs_revisions.csv (notes/data-sources.md): 850760 exists from HS2012; HS92-HS07 lump
    # Li-ion into 850780. The UNSD tables say the same.
    for old in ("HS1992", "HS1996", "HS2002", "HS2007"):
        t = correlation_table("HS2017", old, method="conversion")
        assert t.loc[t["from_code"] == "850760", "to_code"].tolist() == ["850780"]
    t = correlation_table("HS2017", "HS2012", method="conversion")
    assert t.loc[t["from_code"] == "850760", "to_code"].tolist() == ["850760"]


def test_a_basket_goes_back_and_forth():
    basket = pd.DataFrame({"hs_code": ["850760"], "sector": ["energy_storage"], "source": ["s0"]})
    down = convert_products(basket, from_revision="HS2017", to_revision="HS1992")
    assert down.products["hs_code"].tolist() == ["850780"]
    assert down.products.loc[0, "precision"] == "wider"
    assert down.products.loc[0, "also_covers"] == "850750;850780"
    assert down.products.loc[0, "hs_revision"] == "HS1992"
    assert "HS2017 to HS1992" in down.products.loc[0, "source"]
    assert "s0" in down.products.loc[0, "source"]
    assert not down.exact
    up = convert_products(down.products, to_revision="HS2017")  # from its hs_revision
    assert up.from_revision == "HS1992"
    assert up.products["hs_code"].tolist() == ["850750", "850760", "850780"]
    assert up.exact
    assert set(up.products["sector"]) == {"energy_storage"}


def test_correlation_method_follows_every_link():
    basket = pd.DataFrame({"hs_code": ["850780"]})
    conv = convert_products(
        basket, from_revision="HS1992", to_revision="HS2017", method="correlation"
    )
    codes = conv.products["hs_code"].tolist()
    assert codes[:3] == ["850750", "850760", "850780"]
    assert "854231" in codes  # multi-component ICs, per the published correlation
    ic = conv.products.set_index("hs_code").loc["854231"]
    assert ic["precision"] == "wider"  # it also holds HS1992 integrated circuits


def test_mixed_sectors_are_joined_and_noted():
    basket = pd.DataFrame({"hs_code": ["850750", "850760"], "sector": ["transport", "storage"]})
    conv = convert_products(basket, from_revision="HS2017", to_revision="HS1992")
    row = conv.products.set_index("hs_code").loc["850780"]
    assert row["sector"] == "storage+transport"
    assert row["from_codes"] == "850750;850760"
    assert any("several sectors" in n for n in conv.notes)


def test_unknown_codes_name_the_row_and_nothing_is_dropped(tmp_path):
    basket = pd.DataFrame({"hs_code": ["850760", "854142", "12345x"]})
    with pytest.raises(ValidationError) as e:
        convert_products(basket, from_revision="HS2017", to_revision="HS1992", path="b.csv")
    text = str(e.value)
    assert "b.csv" in text
    assert "row 3" in text
    assert "854142" in text
    assert "row 4" in text
    assert "12345x" in text


def test_revision_errors():
    basket = pd.DataFrame({"hs_code": ["850760", "850780"], "hs_revision": ["HS2017", "HS2012"]})
    with pytest.raises(ValidationError, match="--from"):
        convert_products(basket, to_revision="HS1992")
    with pytest.raises(DataNotFoundError, match="HS2012 and HS2007"):
        correlation_table("HS2012", "HS2007")
    with pytest.raises(ValidationError, match="unknown HS revision"):
        convert_products(basket, from_revision="HS1988", to_revision="HS1992")
    same = convert_products(basket, from_revision="HS2017", to_revision="H5")
    assert same.products["hs_code"].tolist() == ["850760", "850780"]
    assert same.exact
    assert "already in HS2017" in same.notes[0]


def test_build_script_parses_the_real_unsd_layout(tmp_path):
    # real excerpt of HS2017toHS2012 (a third "ex" column between the code columns)
    mod = _script()
    src = UNSD / "HS2017toHS2012ConversionAndCorrelationTables.xlsx"
    new, old, links = mod.read_correlation(src)
    assert (new, old) == ("HS2017", "HS2012")
    assert ("030199", "030199", "n:1") in links
    assert ("850760", "850760", "1:1") in links
    conv = mod.read_conversion(src, new, old)
    assert conv["850760"] == "850760"
    out = tmp_path / "t.csv.gz"
    mod.main([str(UNSD), "--out", str(out)])
    t = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(t["from_revision"]) == {"HS2017"}
    assert set(t["to_revision"]) == {"HS2012"}
    assert (t["conversion"] == "1").sum() == len(conv)
    shipped = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
    part = shipped[(shipped["from_revision"] == "HS2017") & (shipped["to_revision"] == "HS2012")]
    merged = t.merge(part, how="left", indicator=True)
    assert (merged["_merge"] == "both").all()  # the excerpt's rows are in the shipped table


def test_build_script_rejects_a_wrong_header(tmp_path):
    import openpyxl

    mod = _script()
    bad = tmp_path / "HS2022toHS2017ConversionAndCorrelationTables.xlsx"
    shutil.copy(UNSD / "HS2017toHS2012ConversionAndCorrelationTables.xlsx", bad)
    wb = openpyxl.load_workbook(bad)
    assert wb  # the file name says HS2022/HS2017, the header says HS2017/HS2012
    with pytest.raises(SystemExit, match="is not HS2022, HS2017"):
        mod.read_correlation(bad)


def test_cli_convert_writes_a_list_that_reads_back(tmp_path, capsys):
    from geotrade.cli import main

    user = tmp_path / "lct_hs17.csv"
    user.write_text("hs_code,hs_revision,sector\n850760,HS2017,energy_storage\n", encoding="utf-8")
    out = tmp_path / "lct_hs92.csv"
    code = main(["products", "convert", str(user), "--to", "HS1992", "--csv", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "1 HS2017 codes -> 1 HS1992 codes" in text
    assert "wider" in text
    back = load_code_file(out)
    assert back["hs_code"].tolist() == ["850780"]
    assert back["hs_revision"].tolist() == ["HS1992"]
    assert back["sector"].tolist() == ["energy_storage"]
    code = main(["--json", "products", "convert", "li_ion", "--from", "HS2017", "--to", "HS1992"])
    assert code == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    result = [r for r in lines if r.get("type") == "result"][-1]
    assert result["to_revision"] == "HS1992"
    assert result["exact"] is False


def test_cli_convert_bad_code_is_one_clear_error(tmp_path, capsys):
    from geotrade.cli import main

    user = tmp_path / "bad.csv"
    user.write_text("hs_code\n850760\n854142\n", encoding="utf-8")
    code = main(["products", "convert", str(user), "--from", "HS2017", "--to", "HS1992"])
    err = capsys.readouterr().err
    assert code != 0
    assert "bad.csv" in err
    assert "row 3" in err
    assert "hs_code" in err
    assert "Traceback" not in err
