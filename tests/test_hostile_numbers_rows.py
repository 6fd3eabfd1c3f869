"""Issue #18 items 2 and 9: one number parser for every reader; rows are file lines."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from geotrade.errors import ValidationError
from geotrade.io.numbers import number_hint, parse_number, parse_numbers


@pytest.mark.parametrize(
    ("text", "thousands", "expected"),
    [
        ("19290", False, 19290.0),
        ("19290.5", False, 19290.5),
        (" -3 ", False, -3.0),
        (".5", False, 0.5),
        ("1e6", False, 1e6),
        ("1,234,567.5", True, 1234567.5),
        ("12,000", True, 12000.0),
    ],
)
def test_accepted_numbers(text: str, thousands: bool, expected: float) -> None:
    assert parse_number(text, thousands=thousands) == expected


@pytest.mark.parametrize(
    ("text", "thousands", "hint"),
    [
        ("19290,5", True, "decimal comma"),
        ("19290,5", False, "decimal comma"),
        ("1.234,5", True, "decimal comma"),
        ("12,34", True, "decimal comma"),
        ("1,2345", True, "decimal comma"),
        ("1,234", False, "thousands separators are not accepted"),
        ("1,23,456", True, "only as thousands separators in the form"),
        ("NaN", False, "NaN"),
        ("inf", True, "NaN and infinity"),
        ("1e400", False, "NaN and infinity"),
        ("１２３", False, ""),
    ],
)
def test_rejected_numbers_name_the_reason(text: str, thousands: bool, hint: str) -> None:
    with pytest.raises(ValueError, match="not an unambiguous number") as info:
        parse_number(text, thousands=thousands)
    assert hint in str(info.value)
    assert hint in number_hint(text, thousands=thousands)


def test_parse_numbers_agrees_with_parse_number() -> None:
    cells = ["1", "2.5", "1,000", "3,5", None, "", "  ", "NaN", "１２", 7, 8.5, float("nan")]
    got = parse_numbers(pd.Series(cells, dtype=object), thousands=True)
    for cell, value, bad in zip(cells, got.values, got.bad, strict=True):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or str(cell).strip() == "":
            assert (bool(np.isnan(value)), bool(bad)) == (True, False)
        elif isinstance(cell, (int, float)):
            assert (value, bool(bad)) == (cell, False)
        else:
            try:
                want = parse_number(cell, thousands=True)
            except ValueError:
                assert (bool(bad), bool(np.isnan(value))) == (True, True), cell
            else:
                assert (value, bool(bad)) == (want, False), cell
    full = parse_numbers(pd.Series(["８２,０００"]), thousands=True, fullwidth=True)
    assert full.values.tolist() == [82000.0]


def test_recycling_semicolon_decimal_comma_is_rejected_not_times_ten() -> None:
    """The issue's case: '19290,5' in a semicolon CSV used to become 192905."""
    from geotrade.io.recycling import read_province_volumes

    text = "province;year;retired_t;capacity_t\n广东;2025;19290,5;30000\n湖南;2025;100;10\n"
    with pytest.raises(ValidationError) as info:
        read_province_volumes(io.BytesIO(text.encode()))
    p = info.value.problems[0]
    assert (p.row, p.column) == (2, "retired_t")
    assert "19290,5" in p.message
    assert "decimal comma" in p.message
    # in a semicolon file even '1,000' is ambiguous (1.000 or 1000?)
    text = "province;year;retired_t\n广东;2025;1,000\n"
    with pytest.raises(ValidationError, match="thousands separators are not accepted"):
        read_province_volumes(io.BytesIO(text.encode()))
    # a decimal point is fine, and thousands separators in a comma CSV too
    text = 'province,year,retired_t\n广东,2025,"19,290.5"\n'
    ok = read_province_volumes(io.BytesIO(text.encode()))
    assert ok["retired_t"].tolist() == [19290.5]


def test_comtrade_reader_no_longer_strips_decimal_commas(tmp_path) -> None:
    from geotrade.io.readers import _tabular, comtrade

    header = (
        "typeCode,freqCode,refYear,period,reporterCode,reporterISO,flowCode,partnerCode,"
        "partnerISO,classificationCode,cmdCode,qtyUnitAbbr,qty,netWgt,primaryValue,isAggregate"
    )
    row = 'C,A,2022,2022,156,CHN,X,842,USA,H6,850760,kg,1,250000000,"19290,5",False'
    path = tmp_path / "comtrade.csv"
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    chunk = next(_tabular.iter_table(path))
    parsed = comtrade._num(chunk["primaryValue"], len(chunk))
    assert np.isnan(parsed.iloc[0])  # not 192905
    problems = comtrade._bad_numbers(
        chunk["primaryValue"], parsed, chunk["_row"].to_numpy(), "primaryValue", str(path)
    )
    assert "decimal comma" in problems[0].message
    assert problems[0].row == 2


def test_flow_rows_are_file_lines_with_blank_lines_and_multiline_cells(tmp_path) -> None:
    from geotrade.io.readers import read_flows

    path = tmp_path / "flows.csv"
    path.write_text(
        "year,reporter_iso3,partner_iso3,flow,hs_code,value_usd,source\n"
        "\n"
        '2021,CHN,USA,export,850760,1,"two\nlines"\n'
        "\n"
        "2022,CHN,USA,export,850760,x,user\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_flows(path)
    assert info.value.problems[0].row == 6  # the line an editor shows, not row 3


def test_recycling_rows_are_file_lines(tmp_path) -> None:
    from geotrade.io.recycling import read_province_volumes

    path = tmp_path / "p.csv"
    path.write_text(
        'province,year,retired_t,note\n\n广东,2025,1,"a\nb"\n\n湖南,2025,-5,x\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_province_volumes(path)
    assert info.value.problems[0].row == 6
    path.write_text('province,year,retired_t,note\n\n广东,2025,1,"a\nb"\n湖南,2025,5,x\n', "utf-8")
    assert read_province_volumes(path)["source_row"].tolist() == [3, 5]
