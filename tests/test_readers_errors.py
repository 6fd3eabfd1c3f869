"""Malformed inputs give one GeotradeError naming file, row and column; CLI; round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geotrade
from geotrade.cli import main
from geotrade.errors import (
    DataNotFoundError,
    GeotradeError,
    InputFormatError,
    ValidationError,
)
from geotrade.io.canonical import CANONICAL_COLUMNS, FLOWS, validate_flows

DATA = Path(__file__).parent / "data" / "flows"
HEADER = "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd\n"


def _write(tmp: Path, name: str, text: str | bytes) -> Path:
    p = tmp / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def _one(exc: pytest.ExceptionInfo[GeotradeError], path: Path, row: int | None, column: str | None):
    err = exc.value
    assert err.path is not None
    assert Path(err.path).name == path.name
    assert err.row == row
    assert err.column == column
    return err


def test_missing_column(tmp_path: Path) -> None:
    p = _write(
        tmp_path, "f.csv", "year,reporter_iso3,partner_iso3,flow,value_usd\n2022,CHN,USA,export,1\n"
    )
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p, format="canonical")
    _one(exc, p, 1, "hs_code")


def test_missing_comtrade_value_column(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "c.csv",
        "refYear,reporterCode,partnerCode,flowCode,cmdCode\n2022,156,842,X,850760\n",
    )
    with pytest.raises(InputFormatError) as exc:
        geotrade.read_flows(p)
    _one(exc, p, 1, "primaryValue")


def test_non_numeric_value_names_source_column_and_line(tmp_path: Path) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO((DATA / "comtrade_plus.csv").read_text())))
    cols = rows[0]
    fields = rows[4]  # line 5: the import from 490 (line 4 is a breakdown row)
    fields[cols.index("primaryValue")] = "12x"
    fields[cols.index("cifvalue")] = ""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    p = _write(tmp_path, "plus.csv", buf.getvalue())
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    err = _one(exc, p, 5, "primaryValue")
    assert "'12x'" in str(err)


def test_baci_bad_value_and_unknown_code(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "BACI_HS17_Y2022_V202401.csv",
        "t,i,j,k,v,q\n2022,156,842,850760,1.0,NA\n2022,156,842,850790,abc,NA\n"
        "2022,99999,842,850760,1.0,NA\n",
    )
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    probs = {(q.row, q.column) for q in exc.value.problems}
    assert probs == {(3, "v"), (4, "i")}
    assert "99999" in str(exc.value)


def test_unknown_reporter_code_error_or_keep(tmp_path: Path) -> None:
    text = (DATA / "comtrade_legacy.csv").read_text().splitlines()
    text[2] = text[2].replace(",156,China,", ",12345,Atlantis,")
    p = _write(tmp_path, "legacy.csv", "\n".join(text) + "\n")
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    err = _one(exc, p, 3, "Reporter Code")
    assert "'12345'" in str(err)
    assert "unknown_codes='keep'" in str(err)
    kept = geotrade.read_flows(p, unknown_codes="keep")
    assert kept.loc[1, "reporter_iso3"] == "_12345"
    # an unknown kept code is analysed as an economy (geotrade.schema), not an aggregate
    assert not bool(kept.loc[1, "is_aggregate"])


def test_duplicates_error_sum_first(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "dup.csv",
        HEADER + "2022,CHN,USA,export,850760,1\n"
        "2022,CHN,KOR,export,850760,5\n2022,CHN,USA,export,850760,2.5\n",
    )
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    err = exc.value
    assert len(err.problems) == 1
    assert err.problems[0].row == 4
    assert "rows 2, 4" in str(err)
    assert geotrade.read_flows(p, dedupe="sum")["value_usd"].tolist() == [3.5, 5.0]
    first = geotrade.read_flows(p, dedupe="first")
    assert first["value_usd"].tolist() == [1.0, 5.0]
    assert first.attrs["duplicates"] == 2


@pytest.mark.parametrize("content", ["", HEADER])
def test_empty_file(tmp_path: Path, content: str) -> None:
    p = _write(tmp_path, "empty.csv", content)
    with pytest.raises(InputFormatError) as exc:
        geotrade.read_flows(p, format="canonical")
    assert Path(exc.value.path).name == "empty.csv"
    assert exc.value.row == (2 if content else None) or exc.value.row == 1


def test_wrong_encoding_names_offset_and_row(tmp_path: Path) -> None:
    body = (
        HEADER + "2022,CHN,USA,export,850760,1\n"
    ).encode() + b"2022,CHN,\xff\xfeKOR,export,850760,1\n"
    p = _write(tmp_path, "bad.csv", body)
    with pytest.raises(InputFormatError) as exc:
        geotrade.read_flows(p, format="canonical")
    _one(exc, p, 3, None)
    offset = body.index(b"\xff")
    assert f"byte offset {offset}" in str(exc.value)
    u16 = _write(tmp_path, "u16.csv", HEADER.encode("utf-16"))
    with pytest.raises(InputFormatError, match="UTF-16"):
        geotrade.read_flows(u16, format="canonical")


def test_ambiguous_zip_lists_members(tmp_path: Path) -> None:
    import zipfile

    zp = tmp_path / "two.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        zf.write(DATA / "canonical.csv", "a.csv")
        zf.write(DATA / "canonical.csv", "b.csv")
    with pytest.raises(InputFormatError, match=r"a\.csv, b\.csv"):
        geotrade.read_flows(zp)
    assert len(geotrade.read_flows(zp, member="b.csv")) == 6
    with pytest.raises(DataNotFoundError):
        geotrade.read_flows(zp, member="c.csv")


def test_bad_cells_listed_together(tmp_path: Path) -> None:
    p = _write(
        tmp_path, "bad.csv", HEADER + "2022,CHN,USA,export,8507601,1\n20x2,CHN,USA,sale,850760,-1\n"
    )
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    assert {(q.row, q.column) for q in exc.value.problems} == {
        (2, "hs_code"),
        (3, "year"),
        (3, "flow"),
        (3, "value_usd"),
    }


def test_comtrade_api_error_and_missing_file(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "err.json",
        json.dumps({"elapsedTime": "0", "count": 0, "data": None, "error": "Too many requests"}),
    )
    with pytest.raises(InputFormatError, match="Too many requests"):
        geotrade.read_flows(p)
    with pytest.raises(DataNotFoundError):
        geotrade.read_flows(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- round trip
_codes = st.sampled_from(["CHN", "USA", "KOR", "TWN", "WLD", "_899", "NAM"])
_rows = st.fixed_dictionaries(
    {
        "year": st.integers(1990, 2030),
        "reporter_iso3": _codes,
        "partner_iso3": _codes,
        "flow": st.sampled_from(FLOWS),
        "hs_code": st.one_of(
            st.just("TOTAL"), st.integers(10000, 999999).map(lambda i: f"{i:06d}")
        ),
        "hs_revision": st.sampled_from(["HS2012", "HS2017", "HS2022", None]),
        "value_usd": st.floats(0, 1e13, allow_nan=False),
        "quantity": st.one_of(st.none(), st.floats(0, 1e12, allow_nan=False)),
        "valuation": st.sampled_from(["FOB", "CIF"]),
        "source": st.sampled_from(["comtrade", "baci", "用户 数据"]),
        "source_release": st.sampled_from(["V202401", None]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        _rows,
        min_size=1,
        max_size=15,
        unique_by=lambda r: (
            r["year"],
            r["reporter_iso3"],
            r["partner_iso3"],
            r["flow"],
            r["hs_code"],
        ),
    )
)
def test_round_trip_csv(rows: list[dict], tmp_path_factory: pytest.TempPathFactory) -> None:
    raw = pd.DataFrame(rows)
    raw["quantity_unit"] = ["kg" if q is not None else None for q in raw["quantity"]]
    table = validate_flows(raw)
    p = tmp_path_factory.mktemp("rt") / "flows.csv"
    table.to_csv(p, index=False)
    back = geotrade.read_flows(p)
    pd.testing.assert_frame_equal(back, table)
    pq = p.with_suffix(".parquet")
    table.to_parquet(pq)
    pd.testing.assert_frame_equal(geotrade.read_flows(pq), table)


# --------------------------------------------------------------------------- command line
def _last(capsys: pytest.CaptureFixture[str]) -> dict:
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert all(isinstance(x, dict) and "type" in x for x in lines)
    return lines[-1]


def test_cli_inspect(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "flows", "inspect", str(DATA / "comtrade_api.json")]) == 0
    rec = _last(capsys)
    assert rec["type"] == "result"
    assert rec["format"] == "comtrade"
    assert rec["years"] == [2021, 2022]
    assert rec["partners"]["count"] == 5
    totals = {(t["year"], t["flow"]): t["value_usd"] for t in rec["totals"]}
    assert totals == {
        (2021, "export"): 4942067377.0,
        # the 1,000,000 USD to _899 (Areas, nes) is part of the total with the World
        (2022, "export"): 10140436891.0 + 1_000_000.0,
        (2022, "import"): 3.7e9,
    }
    assert {a["code"] for a in rec["aggregates"]} == {"WLD", "_899"}
    assert rec["problems"] == []


def test_cli_inspect_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _write(
        tmp_path, "dup.csv", HEADER + "2022,CHN,USA,export,850760,1\n2022,CHN,USA,export,850760,2\n"
    )
    assert main(["--json", "flows", "inspect", str(p)]) == 0
    rec = _last(capsys)
    assert any("repeat" in q["message"] for q in rec["problems"])


def test_cli_convert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.parquet"
    assert main(["--json", "convert", str(DATA / "comtrade_web.csv"), str(out)]) == 0
    rec = _last(capsys)
    assert rec["type"] == "result"
    assert rec["outputs"] == {"parquet": str(out)}
    back = pd.read_parquet(out)
    assert list(back.columns[: len(CANONICAL_COLUMNS)]) == list(CANONICAL_COLUMNS)
    pd.testing.assert_frame_equal(
        back, geotrade.read_flows(DATA / "comtrade_web.csv"), check_dtype=False
    )


def test_cli_convert_duplicates_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(
        tmp_path,
        "dup.csv",
        HEADER + "2022,CHN,USA,export,850760,1\n"
        "2022,CHN,KOR,export,850760,5\n2022,CHN,USA,export,850760,2\n",
    )
    out = tmp_path / "o.parquet"
    # small chunks: the duplicate spans two chunks and is still found
    assert main(["--json", "convert", str(src), str(out), "--chunksize", "1"]) == 5
    rec = _last(capsys)
    assert rec["type"] == "error"
    assert rec["row"] == 4
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dup.csv"]
    assert (
        main(["--json", "convert", str(src), str(out), "--chunksize", "1", "--dedupe", "sum"]) == 0
    )
    assert pd.read_parquet(out)["value_usd"].tolist() == [3.0, 5.0]
    assert main(["--json", "convert", str(src), str(out), "--dedupe", "first"]) == 0
    assert pd.read_parquet(out)["value_usd"].tolist() == [1.0, 5.0]
    assert main(["--json", "convert", str(tmp_path / "missing.csv"), str(out)]) == 4
    assert _last(capsys)["type"] == "error"
    assert main(["--json", "convert", str(src), str(out), "--dedupe", "max"]) == 3


# ---------------------------------------------------------------- bad-input corpus fixes


def test_first_row_with_an_extra_cell_is_one_malformed_row_error(tmp_path: Path) -> None:
    """A trailing delimiter on data rows: one error naming the rows, not shifted columns."""
    body = "".join(
        f"2022,CHN,{p},export,850760,{v}{extra}\n"
        for p, v, extra in (("USA", 10, ","), ("KOR", 20, ""), ("DEU", 30, ",x"), ("JPN", 4, ""))
    )
    p = _write(tmp_path, "ragged.csv", HEADER + body)
    with pytest.raises(InputFormatError) as exc:
        geotrade.read_flows(p)
    _one(exc, p, 2, None)
    msg = str(exc.value)
    # the header has 6 fields; rows 2 and 4 have 7 (counted by hand)
    assert "Expected 6 fields in line 2, saw 7" in msg
    assert "Expected 6 fields in line 4, saw 7" in msg
    assert "line 3" not in msg
    assert "line 5" not in msg


def test_extra_cell_after_the_checked_head_still_fails(tmp_path: Path) -> None:
    rows = [f"2022,CHN,USA,export,{850000 + i:06d},1\n" for i in range(1500)]
    rows[1400] = rows[1400].rstrip("\n") + ",9,9\n"  # line 1402 (header = line 1)
    p = _write(tmp_path, "late.csv", HEADER + "".join(rows))
    with pytest.raises(InputFormatError) as exc:
        geotrade.read_flows(p)
    assert exc.value.row == 1402
    assert "Expected 6 fields in line 1402, saw 8" in str(exc.value)


def test_short_row_stays_a_cell_problem(tmp_path: Path) -> None:
    p = _write(tmp_path, "short.csv", HEADER + "2022,CHN,USA,export,850760\n")
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    assert [(q.row, q.column) for q in exc.value.problems] == [(2, "value_usd")]


def test_latin1_decoded_as_gb18030_warns(tmp_path: Path) -> None:
    from geotrade.io.readers._tabular import ReaderWarning

    text = HEADER.rstrip("\n") + ",source\n2022,CHN,USA,export,850760,1,Côte d'Ivoire réexport\n"
    p = _write(tmp_path, "latin1.csv", text.encode("cp1252"))
    with pytest.warns(ReaderWarning, match="GB18030") as rec:
        t = geotrade.read_flows(p)
    msg = str(rec[0].message)
    assert "latin1.csv" in msg
    assert "Latin-1" in msg
    assert "UTF-8" in msg
    assert "'Côte'" in msg  # the word as it was meant, recovered with cp1252
    assert t["source"].iloc[0] != "Côte d'Ivoire réexport"  # garbled: hence the warning


def test_real_gbk_file_warns_without_latin1_hint(tmp_path: Path) -> None:
    from geotrade.io.readers._tabular import ReaderWarning

    text = HEADER.rstrip("\n") + ",source\n2022,CHN,USA,export,850760,1,中国海关统计\n"
    p = _write(tmp_path, "gbk.csv", text.encode("gbk"))
    with pytest.warns(ReaderWarning, match="GBK/GB18030") as rec:
        t = geotrade.read_flows(p)
    assert all("Latin-1" not in str(w.message) for w in rec)
    assert t["source"].iloc[0] == "中国海关统计"


def test_unknown_iso3_is_an_error_unless_kept(tmp_path: Path) -> None:
    body = (
        "2022,CHN,QQQ,export,850760,1\n2022,CHN,USA,export,850760,2\n"
        "2022,CHN,WLD,export,850760,3\n2022,CHN,ZZZ,export,850760,4\n"
        "2022,CHN,_899,export,850760,5\n2022,QQQ,USA,export,850760,6\n"
        "2022,CHN,qqq,import,850760,7\n"
    )
    p = _write(tmp_path, "iso.csv", HEADER + body)
    with pytest.raises(ValidationError) as exc:
        geotrade.read_flows(p)
    got = sorted((q.column, q.row) for q in exc.value.problems)
    assert got == [("partner_iso3", 2), ("reporter_iso3", 7)]
    assert all("QQQ" in q.message for q in exc.value.problems)
    partner = next(q for q in exc.value.problems if q.column == "partner_iso3")
    assert "on rows 2, 8:" in partner.message  # 'qqq' upper-cased: the same code
    reporter = next(q for q in exc.value.problems if q.column == "reporter_iso3")
    assert "on row 7:" in reporter.message
    kept = geotrade.read_flows(p, unknown_codes="keep")
    assert len(kept) == 7
    assert set(kept["partner_iso3"]) == {"QQQ", "USA", "WLD", "ZZZ", "_899"}


def test_baci_values_already_in_usd_warn(tmp_path: Path) -> None:
    from geotrade.io.readers._tabular import ReaderWarning

    d = tmp_path / "usd"
    d.mkdir()
    p = d / "BACI_HS17_Y2022_V202401.csv"
    p.write_text("t,i,j,k,v,q\n2022,156,842,850760,10140436891,NA\n2022,410,156,850760,2.5,1\n")
    with pytest.warns(ReaderWarning, match="thousand USD") as rec:
        t = geotrade.read_flows(p)
    assert "row 2" in str(rec[0].message)
    assert "1 row(s)" in str(rec[0].message)
    assert t["value_usd"].tolist() == [10140436891000.0, 2500.0]


def test_plausible_baci_values_do_not_warn(tmp_path: Path) -> None:
    import warnings

    p = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    p.write_text("t,i,j,k,v,q\n2022,156,842,850760,10140436.891,NA\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = geotrade.read_flows(p)
    assert t["value_usd"].iloc[0] == pytest.approx(10140436891.0)


def test_inspect_wdi_file(tmp_path: Path) -> None:
    from geotrade.io.flows import inspect_flows

    p = _write(
        tmp_path,
        "API_PV.EST_DS2_en_csv_v2_1.csv",
        '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022",\n'
        '"China","CHN","Political Stability","PV.EST","-0.47","-0.45",\n'
        '"Germany","DEU","Political Stability","PV.EST","0.60","",\n'
        '"World","WLD","Political Stability","PV.EST","0.1","0.2",\n',
    )
    s = inspect_flows(p)
    assert s["format"] == "wdi"
    assert s["years"] == [2021, 2022]
    assert s["rows"] == 5  # 6 cells, one empty
    assert s["empty_cells"] == 1
    assert sorted(s["countries"]["examples"]) == ["CHN", "DEU"]
    assert s["indicators"] == {"PV.EST": "Political Stability"}
    assert s["aggregate_areas"] == {"WLD": 2}
    assert any("not a trade flow table" in w for w in s["warnings"])
    json.dumps(s)


def test_inspect_reports_unknown_iso3_and_how_to_dedupe(tmp_path: Path) -> None:
    from geotrade.io.flows import inspect_flows

    body = "2022,CHN,QQQ,export,850760,1\n2022,CHN,USA,export,850760,2\n" * 2
    s = inspect_flows(_write(tmp_path, "f.csv", HEADER + body))
    messages = " | ".join(p["message"] for p in s["problems"])
    assert "unknown ISO3 codes" in messages
    assert "QQQ" in messages
    assert "2 rows repeat" in messages
    assert "--dedupe sum" in messages
