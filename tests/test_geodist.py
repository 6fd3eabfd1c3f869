"""CEPII GeoDist reader and its use in the design table (real excerpts in data/real/cepii)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geotrade.covariates import build_design, capital_distances
from geotrade.errors import DataNotFoundError, InputFormatError, ValidationError
from geotrade.io.readers.geodist import GEODIST_COLUMNS, geodist_pairs, read_geodist

REAL = Path(__file__).parent / "data" / "real" / "cepii"
COMMA = REAL / "dist_cepii_excerpt.csv"
SEMI = REAL / "dist_cepii_semicolon_excerpt.csv"


def _row(g: pd.DataFrame, o: str, d: str) -> pd.Series:
    return g[(g["iso_o"] == o) & (g["iso_d"] == d)].iloc[0]


def test_read_geodist_real_excerpt():
    g = read_geodist(COMMA)
    assert tuple(g.columns) == GEODIST_COLUMNS
    assert len(g) == 48
    # published values (notes/data-sources.md: distcap CHN-USA 11,159.25; CHN-KOR 955.65;
    # CHN-DEU 7,363.33; CHN-VNM 2,330.80, contig = 1)
    assert _row(g, "CHN", "USA")["distcap"] == pytest.approx(11159.25)
    assert _row(g, "CHN", "USA")["dist"] == pytest.approx(10993.68)
    assert _row(g, "CHN", "KOR")["distcap"] == pytest.approx(955.6511)
    assert _row(g, "CHN", "DEU")["distcap"] == pytest.approx(7363.33)
    v = _row(g, "CHN", "VNM")
    assert (v["distcap"], v["contig"]) == (pytest.approx(2330.799), 1)
    # CEPII's old codes mapped, historical ones kept
    assert g.attrs["recoded"] == {"ROM": "ROU", "TMP": "TLS", "ZAR": "COD"}
    assert g.attrs["kept_codes"] == ["ANT", "PAL", "YUG"]
    assert {"ROU", "COD", "TLS", "YUG"} <= set(g["iso_d"])
    assert not ({"ROM", "ZAR", "TMP"} & set(g["iso_o"]) | {"ROM", "ZAR", "TMP"} & set(g["iso_d"]))
    # '.' = missing (Macao has no population-weighted distance)
    mac = _row(g, "CHN", "MAC")
    assert pd.isna(mac["distw"])
    assert pd.isna(mac["distwces"])
    assert mac["distcap"] == pytest.approx(1982.745)
    assert g.attrs["missing"]["distw"] == 1
    # dummies as integers: common official language and colony
    assert _row(g, "GBR", "USA")["comlang_off"] == 1
    assert _row(g, "GBR", "IND")["colony"] == 1
    assert g["contig"].dtype == "int64"


def test_read_geodist_semicolon_copy_with_crlf():
    g = read_geodist(SEMI)
    assert len(g) == 6
    assert _row(g, "CHN", "USA")["distcap"] == pytest.approx(11159.25)
    assert g.attrs["recoded"] == {"TMP": "TLS"}


def test_geodist_errors_name_file_row_column(tmp_path):
    with pytest.raises(DataNotFoundError):
        read_geodist(tmp_path / "missing.csv")
    lines = COMMA.read_text().splitlines()
    bad = tmp_path / "bad.csv"
    first = lines[1].split(",")
    first[3] = "x"  # comlang_off
    bad.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]))
    with pytest.raises(ValidationError) as e:
        read_geodist(bad)
    p = e.value.problems[0]
    assert (p.row, p.column) == (2, "comlang_off")
    assert str(bad) in str(e.value)
    # a file that lists both ZAR and COD: the pair is ambiguous after recoding
    zar = next(ln for ln in lines if ln.startswith("CHN,ZAR,"))
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join([*lines, zar.replace("CHN,ZAR,", "CHN,COD,")]) + "\n")
    with pytest.raises(ValidationError, match="CHN-COD appears more than once"):
        read_geodist(dup)
    cols = tmp_path / "cols.csv"
    cols.write_text("iso_o:iso_d:dist\nCHN:USA:1\n")
    with pytest.raises(InputFormatError, match="header is one column"):
        read_geodist(cols)


def test_cepii_distcap_agrees_with_geotrade_capital_distance():
    g = read_geodist(COMMA)
    cepii = geodist_pairs(g, ["USA", "KOR", "DEU", "VNM"], to="CHN").set_index("iso3")
    ours = capital_distances(["USA", "KOR", "DEU", "VNM"], to="CHN").set_index("iso3")
    assert cepii.loc["USA", "dist_km"] == pytest.approx(11159.25)
    assert cepii.loc["KOR", "dist_km"] == pytest.approx(955.6511)
    rel = (ours["dist_km"] / cepii["dist_km"] - 1).abs()
    assert (rel < 0.01).all(), rel.to_dict()


def test_build_design_with_cepii_distances_and_dummies():
    g = read_geodist(COMMA)
    panel = pd.DataFrame(
        {"partner_iso3": ["USA", "VNM", "ROU", "ATA"], "year": 2020, "y": [1.0, 2.0, 3.0, 4.0]}
    )
    d, rep = build_design(panel, distance_to="CHN", distance="cepii", geodist=g, required=[])
    s = d.set_index("partner_iso3")
    assert s.loc["USA", "dist_km"] == pytest.approx(11159.25)
    assert s.loc["ROU", "dist_km"] == pytest.approx(7068.477)  # CEPII's ROM
    assert s.loc["VNM", "contig"] == 1
    assert {"contig", "comlang_off", "colony", "ln_dist"} <= set(d.columns)
    assert rep.no_coordinates == ["ATA"]
    assert rep.distance_source == "CEPII GeoDist distcap"
    d2, _ = build_design(
        panel.iloc[:1], distance_to="CHN", distance="cepii", geodist=g, geodist_column="dist"
    )
    assert d2["dist_km"].item() == pytest.approx(10993.68)
    # default stays geotrade's capital distance, without the CEPII dummies
    d3, rep3 = build_design(panel.iloc[:1], distance_to="CHN")
    assert "contig" not in d3.columns
    assert rep3.distance_source.startswith("geotrade capital")
    with pytest.raises(InputFormatError, match="needs a GeoDist table"):
        build_design(panel, distance_to="CHN", distance="cepii")
