"""Property tests: canonical flow tables survive every encoding and container unchanged.

The plain CSV and parquet round trips are in ``tests/test_readers_errors.py`` and the
classification properties (ascending breaks, every value in exactly one class, counts sum
to n, pooled breaks cover every layer) in ``tests/test_classify.py``; this module adds the
encodings and containers users actually send: UTF-8 with BOM, GBK, semicolon and tab
delimiters, CRLF, ``.csv.gz``, ``.zip`` and ``.xlsx``, and the ``convert`` path
(streamed in small chunks to parquet).
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geotrade
from geotrade.io.canonical import FLOWS, validate_flows
from geotrade.io.flows import convert_flows

_codes = st.sampled_from(["CHN", "USA", "KOR", "TWN", "DEU", "WLD", "_899", "NAM"])
_rows = st.fixed_dictionaries(
    {
        "year": st.integers(1990, 2030),
        "reporter_iso3": _codes,
        "partner_iso3": _codes,
        "flow": st.sampled_from(FLOWS),
        "hs_code": st.one_of(st.just("TOTAL"), st.integers(10000, 999999).map("{:06d}".format)),
        "value_usd": st.one_of(
            st.integers(0, 10**13).map(float), st.floats(0, 1e13, allow_nan=False)
        ),
        "source": st.sampled_from(["comtrade", "用户数据", "baci"]),
    }
)
_tables = st.lists(
    _rows,
    min_size=1,
    max_size=12,
    unique_by=lambda r: (r["year"], r["reporter_iso3"], r["partner_iso3"], r["flow"], r["hs_code"]),
)


def _text(table: pd.DataFrame, sep: str, line_end: str) -> str:
    # repr() of a float round-trips exactly
    out = table.copy()
    out["value_usd"] = [repr(float(v)) for v in out["value_usd"]]
    return out.to_csv(index=False, sep=sep, lineterminator=line_end)


def _write(table: pd.DataFrame, variant: str, d: Path) -> Path:
    if variant == "utf8-bom":
        p = d / "f.csv"
        p.write_bytes(_text(table, ",", "\n").encode("utf-8-sig"))
    elif variant == "gbk-crlf":
        p = d / "f.csv"
        p.write_bytes(_text(table, ",", "\r\n").encode("gbk"))
    elif variant == "semicolon":
        p = d / "f.csv"
        p.write_bytes(_text(table, ";", "\n").encode("utf-8"))
    elif variant == "tab":
        p = d / "f.tsv"
        p.write_bytes(_text(table, "\t", "\n").encode("utf-8"))
    elif variant == "gzip":
        p = d / "f.csv.gz"
        p.write_bytes(gzip.compress(_text(table, ",", "\n").encode("utf-8"), mtime=0))
    elif variant == "zip":
        p = d / "f.zip"
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("readme.txt", "not data")
            zf.writestr("flows.csv", _text(table, ",", "\n"))
    elif variant == "xlsx":
        p = d / "f.xlsx"
        out = table.copy()
        out["value_usd"] = [repr(float(v)) for v in out["value_usd"]]
        out.to_excel(p, index=False)
    else:  # pragma: no cover
        raise AssertionError(variant)
    return p


VARIANTS = ["utf8-bom", "gbk-crlf", "semicolon", "tab", "gzip", "zip", "xlsx"]


@pytest.mark.parametrize("variant", VARIANTS)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_tables)
def test_round_trip_through_encodings_and_containers(
    variant: str, rows: list[dict], tmp_path_factory: pytest.TempPathFactory
) -> None:
    table = validate_flows(pd.DataFrame(rows))
    raw = table[[*rows[0]]]
    p = _write(raw, variant, tmp_path_factory.mktemp(variant))
    back = geotrade.read_flows(p)
    pd.testing.assert_frame_equal(back, table)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_tables, chunk=st.integers(1, 5))
def test_convert_equals_read_flows_whatever_the_chunk_size(
    rows: list[dict], chunk: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    d = tmp_path_factory.mktemp("conv")
    table = validate_flows(pd.DataFrame(rows))
    src = _write(table[[*rows[0]]], "utf8-bom", d)
    res = convert_flows(src, d / "out.parquet", chunksize=chunk)
    assert res["rows"] == len(table)
    back = pd.read_parquet(d / "out.parquet")
    expected = table.copy()
    for col in back.columns:  # parquet keeps all-missing text columns as object/None
        if back[col].isna().all() and expected[col].isna().all():
            back[col] = expected[col]
    pd.testing.assert_frame_equal(back[list(expected.columns)], expected, check_dtype=False)
    assert sorted(p.name for p in d.iterdir()) == ["f.csv", "out.parquet"]
