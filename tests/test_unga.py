"""UNGA ideal points (Bailey-Strezhnev-Voeten): reader and ``model design --unga``.

The real excerpt (data/real/unga, 48 rows of ``IdealpointestimatesAll_Jun2024.csv``, see
PROVENANCE.md) is checked against the same file read with the ``csv`` module; files with
bad cells are derived from it line by line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geotrade.cli import main
from geotrade.covariates import build_design
from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.io.readers.unga import ideal_point_distances, read_unga_ideal_points

EXCERPT = (
    Path(__file__).parent / "data" / "real" / "unga" / "IdealpointestimatesAll_Jun2024_excerpt.csv"
)


def _raw() -> list[dict[str, str]]:
    with EXCERPT.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _raw_ideal(iso3c: str, session: int) -> float:
    (row,) = [r for r in _raw() if r["iso3c"] == iso3c and int(r["session"]) == session]
    return float(row["IdealPointAll"])


def _derived(tmp_path: Path, edit, name: str = "derived.csv") -> Path:
    """A copy of the excerpt with ``edit(list of csv rows)`` applied (header = rows[0])."""
    with EXCERPT.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    out = tmp_path / name
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return out


def _records(capsys) -> list[dict]:
    return [json.loads(ln) for ln in capsys.readouterr().out.splitlines() if ln.strip()]


# --------------------------------------------------------------------------- reader


def test_reader_matches_the_raw_file_row_by_row():
    raw = _raw()
    ip = read_unga_ideal_points(EXCERPT)
    assert list(ip.columns[:5]) == ["iso3", "year", "session", "ideal_point", "n_votes"]
    assert len(ip) == len(raw) == 48
    for got, r in zip(ip.itertuples(index=False), raw, strict=True):
        expect_iso = "YMD" if r["ccode"] == "680" else r["iso3c"]
        assert got.iso3 == expect_iso
        assert got.session == int(r["session"])
        assert got.year == int(r["session"]) + 1945
        assert got.ideal_point == float(r["IdealPointAll"])
        assert got.n_votes == int(r["NVotesAll"])
        assert got.ccode == int(r["ccode"])
        assert got.country == r["Countryname"]
    assert ip.attrs["n_rows"] == 48
    assert ip.attrs["n_missing_ideal_point"] == 0
    assert ip.attrs["recoded"] == {"ccode 680: YAR -> YMD": "YMD"}
    assert ip.attrs["kept_codes"] == ["YAR", "YMD"]
    assert ip.attrs["year_rule"] == "year = session + 1945 (session 1 = 1946)"


def test_reader_known_cells_of_the_jun2024_file():
    ip = read_unga_ideal_points(EXCERPT).set_index(["iso3", "year"])
    # row "77" of the published file: USA, session 78, 87 votes, 2.500157
    assert ip.loc[("USA", 2023), "session"] == 78
    assert ip.loc[("USA", 2023), "ideal_point"] == pytest.approx(2.500157, abs=0)
    assert ip.loc[("USA", 2023), "n_votes"] == 87
    assert ip.loc[("CHN", 2015), "ideal_point"] == -0.2426737
    # the UTF-8 name with a right single quotation mark
    assert ip.loc[("CIV", 2023), "country"] == "Côte d\u2019Ivoire"
    # COW 678 and 680 share iso3c YAR in the file; 680 becomes YMD, so no duplicate
    assert ip.loc[("YAR", 1989), "ccode"] == 678
    assert ip.loc[("YMD", 1989), "ccode"] == 680


def test_na_ideal_point_rows_are_left_out_and_counted(tmp_path):
    def edit(rows):
        i = next(k for k, r in enumerate(rows) if r[12] == "CHN" and r[2] == "78")
        rows[i][4] = "NA"  # IdealPointAll
        rows[i][3] = "NA"  # NVotesAll

    ip = read_unga_ideal_points(_derived(tmp_path, edit))
    assert len(ip) == 47
    assert ip.attrs["n_missing_ideal_point"] == 1
    # CHN session 78 is the 39th data row of the excerpt: file row 40
    assert ip.attrs["missing_ideal_point_rows"] == [40]
    assert not ((ip["iso3"] == "CHN") & (ip["session"] == 78)).any()


def test_na_vote_count_is_kept_as_missing(tmp_path):
    def edit(rows):
        rows[1][3] = "NA"

    ip = read_unga_ideal_points(_derived(tmp_path, edit))
    assert len(ip) == 48
    assert pd.isna(ip.loc[0, "n_votes"])
    assert ip["n_votes"].dtype == "Int64"


def test_rows_without_iso3_are_left_out_and_listed(tmp_path):
    def edit(rows):
        rows[1][12] = "NA"

    ip = read_unga_ideal_points(_derived(tmp_path, edit))
    assert len(ip) == 47
    assert ip.attrs["n_no_iso3"] == 1
    assert ip.attrs["no_iso3"] == {2: "United States"}


def test_non_numeric_ideal_point_names_row_and_column(tmp_path):
    def edit(rows):
        rows[5][4] = "2,7x"

    with pytest.raises(ValidationError) as ei:
        read_unga_ideal_points(_derived(tmp_path, edit))
    err = ei.value
    assert (err.row, err.column) == (6, "IdealPointAll")
    assert "derived.csv" in str(err)
    assert "'2,7x'" in str(err)


def test_missing_column_is_an_input_format_error(tmp_path):
    def edit(rows):
        for r in rows:
            del r[4]

    with pytest.raises(InputFormatError) as ei:
        read_unga_ideal_points(_derived(tmp_path, edit))
    assert (ei.value.row, ei.value.column) == (1, "IdealPointAll")
    assert "not the UNGA ideal point estimates" in str(ei.value)


def test_bad_session_negative_votes_and_duplicates(tmp_path):
    def edit(rows):
        rows[2][2] = "7a"
        rows[3][3] = "-1"

    with pytest.raises(ValidationError) as ei:
        read_unga_ideal_points(_derived(tmp_path, edit))
    where = {(p.row, p.column) for p in ei.value.problems}
    assert where == {(3, "session"), (4, "NVotesAll")}

    def dup(rows):
        rows.append(list(rows[1]))

    with pytest.raises(ValidationError) as ei:
        read_unga_ideal_points(_derived(tmp_path, dup, "dup.csv"))
    assert {p.row for p in ei.value.problems} == {2, 50}
    assert "USA appears more than once in session 70" in str(ei.value)


def test_file_not_found_and_not_a_csv(tmp_path):
    with pytest.raises(DataNotFoundError, match=r"doi:10\.7910/DVN/LEJUQZ"):
        read_unga_ideal_points(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFormatError):
        read_unga_ideal_points(empty)


# --------------------------------------------------------------------------- design


def test_ideal_point_distances_by_hand():
    ip = read_unga_ideal_points(EXCERPT)
    iso = pd.Series(["USA", "KOR", "DEU", "CHN", "FRA", "USA"])
    year = pd.Series([2023, 2015, 2022, 2023, 2023, 2024])
    d = ideal_point_distances(ip, iso, year, focal="chn")
    usa = abs(_raw_ideal("USA", 78) - _raw_ideal("CHN", 78))
    kor = abs(_raw_ideal("KOR", 70) - _raw_ideal("CHN", 70))
    deu = abs(_raw_ideal("DEU", 77) - _raw_ideal("CHN", 77))
    assert usa == pytest.approx(2.500157 + 0.8006785, abs=1e-12)
    assert d["ideal_distance"].iloc[:4].tolist() == pytest.approx([usa, kor, deu, 0.0], abs=1e-12)
    assert d["ideal_point"].iloc[0] == _raw_ideal("USA", 78)
    # FRA is not in the excerpt; 2024 (session 79) is not in the file
    assert np.isnan(d["ideal_point"].iloc[4])
    assert np.isnan(d["ideal_distance"].iloc[4])
    assert np.isnan(d["ideal_distance"].iloc[5])
    with pytest.raises(InputFormatError, match="FRA has no ideal point"):
        ideal_point_distances(ip, iso, year, focal="FRA")


def test_build_design_adds_ideal_point_and_distance():
    ip = read_unga_ideal_points(EXCERPT)
    panel = pd.DataFrame({"partner_iso3": ["usa", "KOR", "USA"], "year": [2023, 2023, 2024]})
    d, rep = build_design(panel, unga=ip, unga_focal="CHN", required=[])
    assert d["ideal_distance"].iloc[0] == pytest.approx(
        abs(_raw_ideal("USA", 78) - _raw_ideal("CHN", 78)), abs=1e-12
    )
    assert d["ideal_distance"].iloc[1] == pytest.approx(
        abs(_raw_ideal("KOR", 78) - _raw_ideal("CHN", 78)), abs=1e-12
    )
    assert np.isnan(d["ideal_distance"].iloc[2])
    assert rep.unga["focal_years_missing"] == [2024]
    assert rep.unga["n_missing_distance"] == 1
    assert rep.unga["partners_missing"] == ["USA"]
    # by default the new columns are required: listwise deletion drops the 2024 row
    d2, rep2 = build_design(panel, unga=ip, unga_focal="CHN")
    assert len(d2) == 2
    assert rep2.dropped["missing"].tolist() == ["ideal_point, ideal_distance"]
    with pytest.raises(InputFormatError, match="needs both"):
        build_design(panel, unga=ip)


def test_model_design_unga_command(tmp_path, capsys):
    base = tmp_path / "base.csv"
    base.write_text("partner_iso3,year\nUSA,2022\nUSA,2023\nKOR,2023\nDEU,2023\nDEU,2024\n")
    out, report = tmp_path / "design.csv", tmp_path / "report.json"
    args = ["--json", "model", "design", str(base), "--out", str(out), "--keep-missing"]
    unga = ["--unga", str(EXCERPT), "--unga-focal", "CHN", "--report", str(report)]
    assert main([*args, *unga]) == 0
    recs = _records(capsys)
    res = recs[-1]
    assert {"ideal_point", "ideal_distance"} <= set(res["columns"])
    assert res["unga"]["focal"] == "CHN"
    assert res["unga"]["focal_years_missing"] == [2024]
    logs = " ".join(r.get("message", "") for r in recs if r.get("type") == "log")
    assert "ccode 680: YAR -> YMD" in logs
    assert "no ideal point of CHN in 2024" in logs
    d = pd.read_csv(out)
    expect = [
        abs(_raw_ideal("USA", 77) - _raw_ideal("CHN", 77)),
        abs(_raw_ideal("USA", 78) - _raw_ideal("CHN", 78)),
        abs(_raw_ideal("KOR", 78) - _raw_ideal("CHN", 78)),
        abs(_raw_ideal("DEU", 78) - _raw_ideal("CHN", 78)),
    ]
    assert d["ideal_distance"].iloc[:4].tolist() == pytest.approx(expect, abs=1e-12)
    assert d["ideal_point"].iloc[3] == _raw_ideal("DEU", 78)
    assert np.isnan(d["ideal_distance"].iloc[4])
    assert json.loads(report.read_text())["unga"]["n_missing_distance"] == 1


@pytest.mark.parametrize(
    ("extra", "code", "text"),
    [
        (["--unga", str(EXCERPT)], 2, "--unga-focal"),
        (["--unga-focal", "CHN"], 2, "--unga"),
        (["--unga", str(EXCERPT), "--unga-focal", "C1N"], 2, "--unga-focal"),
        (["--unga", str(EXCERPT), "--unga-focal", "FRA"], 3, "FRA has no ideal point"),
    ],
)
def test_model_design_unga_bad_options(tmp_path, capsys, extra, code, text):
    base = tmp_path / "base.csv"
    base.write_text("partner_iso3,year\nUSA,2023\n")
    args = ["--json", "model", "design", str(base), "--out", str(tmp_path / "d.csv")]
    assert main([*args, *extra]) == code
    assert text in capsys.readouterr().out
