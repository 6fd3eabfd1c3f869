"""Issue #18 item 5: inputs that used to give silent wrong results are reported."""

from __future__ import annotations

import io
import warnings

import pytest

from geotrade.errors import InputFormatError, UsageError, ValidationError
from geotrade.io.readers._tabular import ReaderWarning, check_header
from geotrade.io.recycling import read_prefectures, read_province_volumes


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_shifted_prefecture_names_are_an_error_naming_the_rows() -> None:
    text = (
        "adcode,city,retired_t,outlets\n"
        "110100,上海市,900,30\n310100,北京市,800,20\n440300,深圳市,100,5\n"
    )
    with pytest.raises(ValidationError) as e:
        read_prefectures(_csv(text))
    rows = sorted(p.row for p in e.value.problems)
    assert rows == [2, 3]  # 深圳市 (440300) agrees
    assert all(p.column == "city" for p in e.value.problems)
    assert "110100 (北京市)" in str(e.value)


def test_one_disagreeing_name_among_many_is_a_warning_and_the_adcode_wins() -> None:
    text = "adcode,city,retired_t,outlets\n" + "".join(
        f"{c},{n},1,1\n"
        for c, n in [
            ("110100", "北京市"),
            ("310100", "上海市"),
            ("440300", "广州市"),
            ("430100", "长沙市"),
            ("420100", "武汉市"),
        ]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_prefectures(_csv(text))
    msgs = [str(w.message) for w in caught if issubclass(w.category, ReaderWarning)]
    assert len(msgs) == 1
    assert "row 4: '广州市' is 广州市 (440100)" in msgs[0]
    assert df.loc[2, "adcode"] == "440300"
    assert df.loc[2, "name"] == "深圳市"


def test_names_agreeing_with_codes_give_no_warning() -> None:
    text = "adcode,city,retired_t,outlets\n110100,北京,1,1\n310100,上海市,2,2\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_prefectures(_csv(text))["adcode"].tolist() == ["110100", "310100"]


def test_shifted_province_names_are_an_error() -> None:
    text = "province_adcode,province,year,retired_t\n110000,上海,2025,1\n310000,北京,2025,2\n"
    with pytest.raises(ValidationError, match="shifted column"):
        read_province_volumes(_csv(text))


def test_duplicated_header_names_the_column_and_positions() -> None:
    with pytest.raises(InputFormatError) as e:
        check_header('year;"Trade Value (US$)";Trade Value (US$)', ";", path="x.csv")
    assert e.value.column == "Trade Value (US$)"
    assert "columns 2 and 3" in str(e.value)
    check_header("a,b,,", ",", path="x.csv")  # empty names (trailing delimiters) are fine


def test_is_aggregate_values() -> None:
    import pandas as pd

    from geotrade.io.canonical import _as_bool

    flags, bad = _as_bool(pd.Series(["True", "no", "1", None, "", "maybe", "0.0"]))
    assert flags.tolist() == [True, False, True, False, False, False, False]
    assert bad.tolist() == [False, False, False, False, False, True, False]


def test_group_codes() -> None:
    import pandas as pd

    from geotrade.commands.network import _group_codes

    pairs = pd.DataFrame({"iso3": ["CHN"], "partner_iso3": ["S19"]})
    assert _group_codes(" chn, S19 ", "--group-a", pairs) == ["CHN", "S19"]  # S19: in the data
    with pytest.raises(UsageError, match="XXQ"):
        _group_codes("CHN,XXQ", "--group-a", pairs)
