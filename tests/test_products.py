"""Product catalogue, user lists and the HS revision guard."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from geotrade.errors import DataNotFoundError, ValidationError
from geotrade.products import (
    COLUMNS,
    HS_REVISIONS,
    LCT_SCHEME,
    HsRevisionWarning,
    check_hs_codes,
    list_products,
    load_product_list,
    normalise_hs_code,
    product_list,
    revision_in_force,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = next(
    (p for p in (REPO.parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()),
    REPO.parent / "shared" / "seeds",
)
NAMES = ["li_ion", "li_chain", "lct", "transition_minerals"]


@pytest.mark.parametrize("name", NAMES)
def test_every_row_is_cited_and_well_formed(name):
    t = product_list(name)
    assert list(t.columns) == list(COLUMNS)
    assert len(t) > 0
    assert t["hs_code"].str.fullmatch(r"\d{6}").all()
    assert t["hs_code"].is_unique
    assert (t["source"].str.strip() != "").all()
    assert (t["description"].str.strip() != "").all()
    assert t["hs_revision"].isin(HS_REVISIONS).all()
    # every row names a seed as the reason for inclusion
    assert t["source"].str.contains(r"seed 00[0-3]").all()


def test_li_ion_is_exactly_850760():
    assert product_list("li_ion")["hs_code"].tolist() == ["850760"]


def test_li_chain_covers_the_named_materials():
    t = product_list("li_chain")
    assert {"lithium", "cobalt", "nickel", "graphite", "manganese", "battery"} <= set(t["group"])
    for code in (
        "282520",
        "283691",
        "260500",
        "282200",
        "810520",
        "750110",
        "750120",
        "260400",
        "250410",
        "260200",
        "850760",
    ):
        assert code in set(t["hs_code"]), code


def test_descriptions_match_the_material_named_in_group():
    # independent check: each group's keyword appears in the HS description text
    keywords = {
        "lithium": "ithium",
        "cobalt": "obalt",
        "nickel": "ickel",
        "graphite": "raphite",
        "manganese": "anganese",
        "battery": "accumulators",
    }
    t = product_list("li_chain")
    for r in t.itertuples():
        assert keywords[r.group] in r.description, (r.hs_code, r.description)


def test_cited_seed_documents_say_what_the_source_claims():
    if not SEEDS.is_dir():
        pytest.skip("seed documents are in shared/, not in a clone")
    seed000 = next(SEEDS.glob("000_*")).read_text(encoding="utf-8")
    seed002 = next(SEEDS.glob("002_*")).read_text(encoding="utf-8")
    seed001 = next(SEEDS.glob("001_*")).read_text(encoding="utf-8")
    assert "HS850760" in seed000
    assert "电池矿产是指用于生产可充电电池的矿产,主要包括锂、镍、钴、石墨、锰" in seed002
    for sector_zh in ("建筑", "污染控制", "发电", "家用电器", "环境监测", "电池"):
        assert sector_zh in seed001


def test_lct_uses_the_seed_scheme():
    t = product_list("lct")
    for r in t.itertuples():
        assert r.sector in LCT_SCHEME
        assert r.technology in LCT_SCHEME[r.sector][1]
    assert len(LCT_SCHEME) == 7


def test_list_products_counts_match_lists():
    t = list_products()
    assert t["name"].tolist() == NAMES
    for r in t.itertuples():
        assert r.n_codes == len(product_list(r.name))
        assert r.sources


def test_unknown_list_name():
    with pytest.raises(DataNotFoundError, match="li_chain"):
        product_list("nope")  # type: ignore[arg-type]


def test_product_list_returns_a_copy():
    t = product_list("li_ion")
    t.loc[0, "hs_code"] = "000000"
    assert product_list("li_ion").loc[0, "hs_code"] == "850760"


# --- user lists ------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "user.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_user_list_reports_all_problems_with_rows(tmp_path):
    p = _write(
        tmp_path,
        "hs_code,hs_revision,group,sector,technology,description,source\n"
        "850760,HS2012,b,energy_storage,battery,ok,me\n"  # row 2 fine
        "8507,HS2012,b,,,,me\n"  # row 3 bad code
        "850760,HS2012,b,,,,me\n"  # row 4 duplicate
        "282520,HS1999,b,,,,me\n"  # row 5 bad revision
        "283691,,b,,,,\n",  # row 6 empty source
    )
    with pytest.raises(ValidationError) as ei:
        load_product_list(p)
    got = {(pr.row, pr.column) for pr in ei.value.problems}
    assert got == {(3, "hs_code"), (4, "hs_code"), (5, "hs_revision"), (6, "source")}
    assert all(pr.path == str(p) for pr in ei.value.problems)
    assert "row 2" in ei.value.problems[1].message  # duplicate points at the first row


def test_user_list_missing_columns(tmp_path):
    p = _write(tmp_path, "code,description\n850760,x\n")
    with pytest.raises(ValidationError) as ei:
        load_product_list(p)
    assert {pr.message.split("'")[1] for pr in ei.value.problems} == {"hs_code", "source"}


def test_user_list_normalises_codes(tmp_path):
    p = _write(tmp_path, "hs_code,source,hs_revision\n80110,a,H4\n8507.60,b,2017\n")
    t = load_product_list(p)
    assert t["hs_code"].tolist() == ["080110", "850760"]
    assert t["hs_revision"].tolist() == ["HS2012", "HS2017"]
    assert list(t.columns) == list(COLUMNS)


def test_user_lct_list_checked_against_scheme(tmp_path):
    p = _write(
        tmp_path,
        "hs_code,sector,technology,source\n"
        "854143,发电,太阳能,IMF\n"  # Chinese labels accepted
        "850760,energy_storage,solar,IMF\n"  # wrong technology for the sector
        "850490,mining,other,IMF\n",  # unknown sector
    )
    with pytest.raises(ValidationError) as ei:
        load_product_list(p, scheme="lct")
    assert {(pr.row, pr.column) for pr in ei.value.problems} == {(3, "technology"), (4, "sector")}
    ok = _write(tmp_path, "hs_code,sector,technology,source\n854143,发电,太阳能,IMF\n")
    t = load_product_list(ok, scheme="lct")
    assert (t["sector"].item(), t["technology"].item()) == ("power_generation", "solar")


def test_user_list_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(DataNotFoundError):
        load_product_list(tmp_path / "missing.csv")
    p = tmp_path / "latin.csv"
    p.write_bytes("hs_code,source\n850760,caf\xe9\n".encode("latin-1"))
    from geotrade.errors import InputFormatError

    with pytest.raises(InputFormatError, match="UTF-8"):
        load_product_list(p)


def test_normalise_hs_code_cases():
    assert normalise_hs_code(850760.0) == "850760"
    assert normalise_hs_code("total") == "TOTAL"
    assert normalise_hs_code("85076") == "085076"
    assert normalise_hs_code("85076000") is None
    assert normalise_hs_code(None) is None


# --- revision guard --------------------------------------------------------------------


def test_850760_before_hs2012_raises_naming_code_and_revisions():
    with pytest.raises(ValidationError) as ei:
        check_hs_codes(["850760"], ["HS2007", "HS2002", "HS2012"])
    msg = str(ei.value)
    assert "850760" in msg
    assert "HS2002, HS2007" in msg  # sorted, all absent revisions named
    assert "850780" in msg
    assert "lumped=True" in msg
    assert "HS2012" not in msg.split("does not exist in")[1].split(":")[0]


@pytest.mark.parametrize("rev", ["HS1992", "HS1996", "HS2002", "HS2007", "H3", 2007])
def test_850760_absent_in_each_pre_2012_revision(rev):
    with pytest.raises(ValidationError):
        check_hs_codes("850760", [rev])


def test_lumped_maps_to_850780_with_a_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no unknown pairs here: no warning expected
        check = check_hs_codes(["850760"], ["HS2017", "HS1996", "HS2007"], lumped=True)
    assert check.query_codes("HS1996") == ["850780"]
    assert check.query_codes("HS2007") == ["850780"]
    assert check.query_codes("HS2017") == ["850760"]
    assert check.mapping("HS2007") == {"850780": "850760"}
    assert len(check.notes) == 1
    note = check.notes[0]
    assert "850760" in note
    assert "850780" in note
    assert "HS1996, HS2007" in note
    assert "superset" in note
    statuses = dict(zip(check.table["hs_revision"], check.table["status"], strict=True))
    assert statuses == {"HS1996": "lumped", "HS2007": "lumped", "HS2017": "exists"}


def test_split_code_across_hs2022():
    with pytest.raises(ValidationError, match="854140"):
        check_hs_codes("854140", ["HS2022"])
    check = check_hs_codes("854140", ["HS2022"], lumped=True)
    assert check.query_codes("HS2022") == ["854142", "854143"]
    # the documented fact keeps the photovoltaic part; the note says what UNSD adds
    assert "part of it only" in check.notes[0]
    assert "854141, 854149" in check.notes[0]


def test_codes_outside_every_edition_warn_and_pass():
    with pytest.warns(HsRevisionWarning, match="999998 in HS1992"):
        check = check_hs_codes(["999998", "850760"], ["HS1992", "HS2022"], lumped=True)
    assert ("999998", "HS1992") in check.unknown
    assert ("850760", "HS2022") not in check.unknown
    assert check.query_codes("HS1992") == ["850780", "999998"]


def test_unsd_tables_say_where_a_code_exists():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # known to the UNSD tables: no warning
        check = check_hs_codes(["282520"], ["HS1992", "HS2022"])
    assert set(check.table["status"]) == {"exists"}
    # an HS2017 code on HS2022 data: absent, with the UNSD conversion offered
    with pytest.raises(ValidationError) as ei:
        check_hs_codes("854810", ["HS2022"])
    msg = str(ei.value)
    assert "HS 854810 does not exist in HS2022" in msg
    assert "854911 + 854912 + 854913 + 854914 + 854919" in msg
    check = check_hs_codes("854810", ["HS2017", "HS2022"], lumped=True)
    assert check.query_codes("HS2022") == ["854911", "854912", "854913", "854914", "854919"]
    assert check.query_codes("HS2017") == ["854810"]
    assert check.mapping("HS2022")["854913"] == "854810"
    assert "UNSD conversion HS2022->HS2017" in check.notes[0]
    # an HS2022 code on HS2017 data: its one converted code, a superset
    check = check_hs_codes("854143", ["HS2017"], lumped=True)
    assert check.query_codes("HS2017") == ["854140"]
    assert "superset" in check.notes[0]


def test_documented_revision_facts_agree_with_the_unsd_tables():
    # hs_revisions.csv comes from the project notes; the UNSD tables are a second source
    from geotrade.concordance import edition_codes

    facts = pd.read_csv(
        REPO / "geotrade" / "data" / "products" / "hs_revisions.csv",
        dtype=str,
        keep_default_na=False,
    )
    editions = edition_codes()
    for r in facts.itertuples(index=False):
        for rev in filter(None, r.exists_in.split(";")):
            assert r.hs_code in editions[rev], (r.hs_code, rev)
        for rev in filter(None, r.absent_in.split(";")):
            assert r.hs_code not in editions[rev], (r.hs_code, rev)


def test_total_and_invalid_inputs():
    check = check_hs_codes(["TOTAL"], ["HS1992"])
    assert check.query_codes("HS1992") == ["TOTAL"]
    with pytest.raises(ValidationError) as ei:
        check_hs_codes(["85", "850760"], ["HS1988", "HS2012"])
    cols = sorted(p.column for p in ei.value.problems)
    assert cols == ["hs_code", "hs_revision"]


def test_revision_in_force():
    assert [revision_in_force(y) for y in (1992, 1995, 1996, 2006, 2007, 2016, 2017, 2023)] == [
        "HS1992",
        "HS1992",
        "HS1996",
        "HS2002",
        "HS2007",
        "HS2012",
        "HS2017",
        "HS2022",
    ]


def test_revision_table_is_consistent():
    # exists_in and absent_in never overlap; lumped codes are themselves 6-digit codes
    from geotrade.products import _revision_facts

    for code, fact in _revision_facts().items():
        assert not (fact.exists_in & fact.absent_in), code
        assert fact.exists_in | fact.absent_in <= set(HS_REVISIONS)
        assert all(normalise_hs_code(c) == c for c in fact.lumped_into)
        assert fact.source


# --- CLI -------------------------------------------------------------------------------


def _last_json(capsys) -> dict:
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    return json.loads(lines[-1])


def test_cli_products_list(capsys):
    from geotrade.cli import main

    assert main(["--json", "products", "list"]) == 0
    rec = _last_json(capsys)
    assert rec["type"] == "result"
    assert [x["name"] for x in rec["lists"]] == NAMES


def test_cli_products_show_csv(tmp_path, capsys):
    from geotrade.cli import main

    out = tmp_path / "chain.csv"
    assert main(["--json", "products", "show", "li_chain", "--csv", str(out)]) == 0
    rec = _last_json(capsys)
    assert rec["outputs"] == {"csv": str(out)}
    back = pd.read_csv(out, dtype=str)
    pd.testing.assert_frame_equal(back.fillna(""), product_list("li_chain"))


def test_cli_products_show_user_file_and_errors(tmp_path, capsys):
    from geotrade.cli import main

    bad = _write(tmp_path, "hs_code,source\n85,x\n")
    assert main(["--json", "products", "show", str(bad)]) == 5
    rec = _last_json(capsys)
    assert rec["type"] == "error"
    assert rec["problems"][0]["row"] == 2
    assert main(["--json", "products", "show", "no_such_list"]) == 4
    assert _last_json(capsys)["type"] == "error"


def test_products_show_counts_codes_per_sector_against_seed_001(tmp_path, capsys):
    from geotrade.cli import main

    f = tmp_path / "lct.csv"
    f.write_text(
        "hs_code,sector,technology,source\n"
        "850760,energy_storage,battery,x\n850720,energy_storage,battery,x\n"
        "854143,power_generation,solar,x\n",
        encoding="utf-8",
    )
    assert main(["products", "show", str(f), "--lct"]) == 0
    out = capsys.readouterr().out
    assert "energy_storage               2  (seed 001: 13)  <- differs" in out
    assert main(["--json", "products", "show", str(f)]) == 0
    rec = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rec["sector_counts"] == {"energy_storage": 2, "power_generation": 1}
