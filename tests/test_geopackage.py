"""GeoPackage writer: version, layer_styles rules, metadata, determinism, atomic writes.

That QGIS really applies the embedded styles is tested in tests/qgis (QGIS interpreter).
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, Point, box

import geotrade
from geotrade.errors import DataNotFoundError, InputFormatError, OutputError
from geotrade.io import atomic, geopackage
from geotrade.io.atomic import atomic_path
from geotrade.io.geopackage import (
    FIXED_TIMESTAMP,
    METADATA_STANDARD_URI,
    read_gpkg_metadata,
    read_gpkg_style,
    write_gpkg,
)
from geotrade.maps.crs import ALBERS_CHINA
from geotrade.style.qml import to_qml
from geotrade.style.spec import ClassStyle, LayerStyle

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"


@pytest.fixture
def countries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "share": [0.05, 0.2, None, 0.9],
            "dep_class": ["one_way", "two_way", None, "one_way"],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs="EPSG:4326",
    )


@pytest.fixture
def share_style() -> LayerStyle:
    return LayerStyle(
        kind="graduated",
        field="share",
        title_en="Share",
        title_zh="份额",
        classes=(
            ClassStyle(label_en="low", label_zh="低", color="#deebf7", lower=0.0, upper=0.1),
            ClassStyle(label_en="high", label_zh="高", color="#3182bd", lower=0.1, upper=1.0),
        ),
    )


@pytest.fixture
def class_style() -> LayerStyle:
    return LayerStyle(
        kind="categorized",
        field="dep_class",
        title_en="Dependence",
        title_zh="依存",
        classes=(
            ClassStyle(label_en="One-way", label_zh="单向", color="#1b9e77", value="one_way"),
            ClassStyle(label_en="Two-way", label_zh="双向", color="#d95f02", value="two_way"),
        ),
        nodata=ClassStyle(label_en="No data", label_zh="无数据", color="#d9d9d9"),
    )


@pytest.fixture
def written(tmp_path, countries, share_style, class_style) -> Path:
    flows = pd.DataFrame({"reporter": ["AAA", "BBB"], "value_usd": [1.5e6, 2.0e3]})
    return write_gpkg(
        tmp_path / "out.gpkg",
        {"share": countries, "classes": countries, "flows": flows},
        styles={"share": share_style, "classes": class_style},
        metadata={"synthetic": True, "breaks": np.array([0.0, 0.1, 1.0]), "gvf": np.float64(0.8)},
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- format


def test_geopackage_version_1_2(written):
    assert query(written, "PRAGMA application_id") == [(GPKG_APPLICATION_ID,)]
    assert query(written, "PRAGMA user_version") == [(10200,)]
    assert query(written, "PRAGMA integrity_check") == [("ok",)]
    assert query(written, "PRAGMA foreign_key_check") == []


def test_layers_and_attribute_table(written):
    contents = dict(query(written, "SELECT table_name, data_type FROM gpkg_contents"))
    assert contents == {
        "share": "features",
        "classes": "features",
        "flows": "attributes",
        "layer_styles": "attributes",
    }
    last_changes = {r[0] for r in query(written, "SELECT last_change FROM gpkg_contents")}
    assert last_changes == {FIXED_TIMESTAMP}
    back = gpd.read_file(written, layer="share", engine="pyogrio")
    assert list(back["iso3"]) == ["AAA", "BBB", "CCC", "DDD"]
    assert back["share"].isna().tolist() == [False, False, True, False]
    flows = gpd.read_file(written, layer="flows", engine="pyogrio")
    assert flows["value_usd"].tolist() == [1.5e6, 2.0e3]


def test_layer_styles_rows_follow_qgis_rules(written, share_style, class_style):
    cols = [r[1] for r in query(written, "PRAGMA table_info(layer_styles)")]
    assert cols == [
        "id",
        "f_table_catalog",
        "f_table_schema",
        "f_table_name",
        "f_geometry_column",
        "styleName",
        "styleQML",
        "styleSLD",
        "useAsDefault",
        "description",
        "owner",
        "ui",
        "update_time",
    ]
    geom_cols = dict(query(written, "SELECT table_name, column_name FROM gpkg_geometry_columns"))
    rows = query(
        written,
        "SELECT f_table_schema, f_table_name, f_geometry_column, useAsDefault, styleQML,"
        " styleSLD, update_time FROM layer_styles ORDER BY id",
    )
    assert [r[1] for r in rows] == ["share", "classes"]
    for schema, table, geom, default, _qml, sld, updated in rows:
        assert schema == ""  # NULL would make QGIS ignore the style
        assert geom == geom_cols[table] == "geom"  # the real column, as pyogrio wrote it
        assert default == 1
        assert updated == FIXED_TIMESTAMP
        ET.fromstring(sld)
    assert rows[0][4] == to_qml(share_style)
    assert rows[1][4] == to_qml(class_style)
    assert ET.fromstring(rows[1][4]).find("renderer-v2").get("type") == "categorizedSymbol"


def test_read_gpkg_style_picks_the_default_row_like_qgis(written, share_style):
    assert read_gpkg_style(written, "share") == to_qml(share_style)
    assert "StyledLayerDescriptor" in read_gpkg_style(written, "share", fmt="sld")
    # a newer, non-default row must not win over the default one
    con = sqlite3.connect(written)
    con.execute(
        "INSERT INTO layer_styles (f_table_schema, f_table_name, f_geometry_column, styleQML,"
        " useAsDefault, update_time) VALUES ('', 'share', 'geom', 'other', 0, '2030-01-01')"
    )
    con.commit()
    con.close()
    assert read_gpkg_style(written, "share") == to_qml(share_style)
    with pytest.raises(DataNotFoundError, match="no feature table 'flows'"):
        read_gpkg_style(written, "flows")
    with pytest.raises(DataNotFoundError, match="not found"):
        read_gpkg_style(written.with_name("missing.gpkg"), "share")
    with pytest.raises(ValueError, match="fmt must be"):
        read_gpkg_style(written, "share", fmt="lyrx")  # type: ignore[arg-type]


def test_unstyled_layer_has_no_default_style(tmp_path, countries):
    out = write_gpkg(tmp_path / "plain.gpkg", {"c": countries})
    with pytest.raises(DataNotFoundError, match="no default style"):
        read_gpkg_style(out, "c")


@pytest.mark.parametrize(
    ("geometry", "symbol_class"),
    [(LineString([(0, 0), (1, 1)]), "SimpleLine"), (Point(0, 0), "SimpleMarker")],
)
def test_style_follows_the_geometry_type(tmp_path, class_style, geometry, symbol_class):
    gdf = gpd.GeoDataFrame({"dep_class": ["one_way"]}, geometry=[geometry], crs="EPSG:4326")
    out = write_gpkg(tmp_path / "g.gpkg", {"g": gdf}, styles={"g": class_style})
    root = ET.fromstring(read_gpkg_style(out, "g"))
    assert root.find("renderer-v2/symbols/symbol/layer").get("class") == symbol_class


# --------------------------------------------------------------------------- metadata


def test_map_crs_of_a_china_product_is_the_albers_conic(tmp_path):
    # a projected (EPSG:3857) layer over China: the extent is judged in lon/lat
    china = gpd.GeoDataFrame(
        {"v": [1.0, 2.0]}, geometry=[box(75, 20, 100, 50), box(100, 18, 134, 53)], crs=4326
    ).to_crs(3857)
    out = write_gpkg(tmp_path / "cn.gpkg", {"p": china})
    meta = read_gpkg_metadata(out)
    assert meta["map_crs"] == ALBERS_CHINA
    assert "+lat_1=25 +lat_2=47" in meta["map_crs"]
    assert "+lon_0=105" in meta["map_crs"]
    assert meta["map_crs_name"].startswith("Albers")
    assert "layer_titles" not in meta  # no style, no title


def test_map_crs_given_none_or_in_metadata(tmp_path, countries):
    given = write_gpkg(tmp_path / "a.gpkg", {"c": countries}, map_crs="EPSG:3035")
    assert read_gpkg_metadata(given)["map_crs"] == "EPSG:3035"
    assert "map_crs_name" not in read_gpkg_metadata(given)
    none = write_gpkg(tmp_path / "b.gpkg", {"c": countries}, map_crs=None)
    assert "map_crs" not in read_gpkg_metadata(none)
    meta = write_gpkg(tmp_path / "c.gpkg", {"c": countries}, metadata={"map_crs": "EPSG:4326"})
    assert read_gpkg_metadata(meta)["map_crs"] == "EPSG:4326"
    table = write_gpkg(tmp_path / "t.gpkg", {"t": pd.DataFrame({"a": [1]})})
    assert "map_crs" not in read_gpkg_metadata(table)  # no geometry: no projection intent


def test_metadata_round_trip_and_extension_rows(written, share_style):
    meta = read_gpkg_metadata(written)
    assert meta == {
        "synthetic": True,
        "breaks": [0.0, 0.1, 1.0],
        "gvf": 0.8,
        "geotrade_version": geotrade.__version__,
        "map_crs": "EPSG:8857",  # boxes at 0-4°E, 0-1°N: not centred on China
        "map_crs_name": "Equal Earth (EPSG:8857)",
        "layer_titles": {
            "share": {"title_en": share_style.title_en, "title_zh": share_style.title_zh},
            "classes": {"title_en": "Dependence", "title_zh": "依存"},
        },
    }
    ext = query(
        written,
        "SELECT table_name, column_name, extension_name, definition, scope"
        " FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata' ORDER BY table_name",
    )
    definition = "http://www.geopackage.org/spec120/#extension_metadata"
    assert ext == [
        ("gpkg_metadata", None, "gpkg_metadata", definition, "read-write"),
        ("gpkg_metadata_reference", None, "gpkg_metadata", definition, "read-write"),
    ]
    md = query(written, "SELECT id, md_scope, md_standard_uri, mime_type FROM gpkg_metadata")
    assert md == [(1, "dataset", METADATA_STANDARD_URI, "application/json")]
    ref = query(written, "SELECT * FROM gpkg_metadata_reference")
    assert ref == [("geopackage", None, None, None, FIXED_TIMESTAMP, 1, None)]


def test_metadata_conversions(tmp_path):
    out = write_gpkg(
        tmp_path / "m.gpkg",
        {"t": pd.DataFrame({"a": [1]})},
        metadata={
            "sources": (Path("data/flows.csv"),),
            "gvf": float("nan"),
            "k": np.int64(5),
            "nested": {"scheme": "fisher_jenks", "tags": {"b", "a"}},
            "zh": "锂电池",
            "geotrade_version": "pinned",
        },
    )
    assert read_gpkg_metadata(out) == {
        "sources": ["data/flows.csv"],
        "gvf": None,
        "k": 5,
        "nested": {"scheme": "fisher_jenks", "tags": ["a", "b"]},
        "zh": "锂电池",
        "geotrade_version": "pinned",
    }
    with pytest.raises(InputFormatError, match="not JSON-serialisable"):
        write_gpkg(tmp_path / "bad.gpkg", {"t": pd.DataFrame({"a": [1]})}, metadata={"x": object()})
    assert not (tmp_path / "bad.gpkg").exists()


def test_read_metadata_of_foreign_gpkg_is_empty(tmp_path, countries):
    plain = tmp_path / "plain.gpkg"
    countries.to_file(plain, engine="pyogrio")
    assert read_gpkg_metadata(plain) == {}
    with pytest.raises(DataNotFoundError):
        read_gpkg_metadata(tmp_path / "nope.gpkg")
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputFormatError, match="not a GeoPackage"):
        read_gpkg_metadata(junk)


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_byte_identical_files(tmp_path, countries, share_style, monkeypatch):
    def write(path: Path) -> Path:
        return write_gpkg(
            path,
            {"share": countries, "flows": pd.DataFrame({"a": [1, 2]})},
            styles={"share": share_style},
            metadata={"breaks": [0.0, 0.1, 1.0]},
        )

    monkeypatch.delenv("OGR_CURRENT_DATE", raising=False)
    first = write(tmp_path / "a.gpkg")
    (tmp_path / "sub").mkdir()
    second = write(tmp_path / "sub" / "b.gpkg")
    assert sha256(first) == sha256(second)
    before = sha256(first)
    write(first)  # overwrite in place
    assert sha256(first) == before
    assert "OGR_CURRENT_DATE" not in os.environ  # restored
    monkeypatch.setenv("OGR_CURRENT_DATE", "2011-11-11T11:11:11Z")
    write(tmp_path / "c.gpkg")
    assert os.environ["OGR_CURRENT_DATE"] == "2011-11-11T11:11:11Z"
    assert sha256(tmp_path / "c.gpkg") == before


# --------------------------------------------------------------------------- input errors


def test_input_errors(tmp_path, countries, share_style):
    out = tmp_path / "x.gpkg"
    with pytest.raises(InputFormatError, match="no layers"):
        write_gpkg(out, {})
    with pytest.raises(InputFormatError, match="reserved"):
        write_gpkg(out, {"layer_styles": countries})
    with pytest.raises(InputFormatError, match="reserved"):
        write_gpkg(out, {"gpkg_x": countries})
    with pytest.raises(InputFormatError, match="no such layer"):
        write_gpkg(out, {"a": countries}, styles={"b": share_style})
    with pytest.raises(InputFormatError, match="has no geometry"):
        write_gpkg(out, {"a": pd.DataFrame({"share": [1.0]})}, styles={"a": share_style})
    with pytest.raises(InputFormatError, match="classifies field 'share'"):
        write_gpkg(out, {"a": countries.drop(columns="share")}, styles={"a": share_style})
    with pytest.raises(InputFormatError, match="must be a \\(Geo\\)DataFrame"):
        write_gpkg(out, {"a": [1, 2]})  # type: ignore[dict-item]
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- atomic writes


def test_overwrite_false_keeps_existing_file(written, countries):
    before = sha256(written)
    with pytest.raises(OutputError, match="overwrite=False"):
        write_gpkg(written, {"c": countries}, overwrite=False)
    assert sha256(written) == before


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failure_mid_write_keeps_previous_file_and_leaves_no_temp(
    written, countries, class_style, monkeypatch, exc
):
    before = sha256(written)
    listing = sorted(p.name for p in written.parent.iterdir())
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        raise exc

    # layers are already in the temp file when styles/metadata are written
    monkeypatch.setattr(geopackage, "_write_metadata", fail)
    with pytest.raises(type(exc)):
        write_gpkg(written, {"c": countries}, styles={"c": class_style})
    assert calls
    assert sha256(written) == before
    assert sorted(p.name for p in written.parent.iterdir()) == listing


def test_failure_inside_pyogrio_becomes_output_error(tmp_path, monkeypatch):
    import pyogrio

    target = tmp_path / "x.gpkg"
    target.write_bytes(b"previous")

    def broken(*args, **kwargs):
        raise pyogrio.errors.DataSourceError("simulated GDAL failure")

    monkeypatch.setattr(pyogrio, "write_dataframe", broken)
    with pytest.raises(OutputError, match="could not write layer 't': simulated GDAL failure"):
        write_gpkg(target, {"t": pd.DataFrame({"a": [1]})})
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.gpkg"]


def test_read_only_directory_raises_output_error(tmp_path, countries):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as root: permissions do not make a directory read-only")
        with pytest.raises(OutputError, match="permission denied") as info:
            write_gpkg(ro / "out.gpkg", {"c": countries})
        assert str(ro / "out.gpkg") in str(info.value)
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_unwritable_directory_simulated(tmp_path, countries, monkeypatch):
    """Same as above, also where tests run as root: the probe's open() is refused."""

    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(atomic, "open", refuse, raising=False)
    with pytest.raises(OutputError, match="permission denied") as info:
        write_gpkg(tmp_path / "out.gpkg", {"c": countries})
    assert info.value.path == str(tmp_path / "out.gpkg")
    assert isinstance(info.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_on_replace(tmp_path, monkeypatch):
    target = tmp_path / "t.txt"
    target.write_text("old")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(OutputError, match="disk is full"), atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_atomic_path_errors(tmp_path):
    with (
        pytest.raises(OutputError, match="does not exist; create it first"),
        atomic_path(tmp_path / "missing" / "x.gpkg"),
    ):
        pass
    (tmp_path / "d.gpkg").mkdir()
    with (
        pytest.raises(OutputError, match="a directory with that name exists"),
        atomic_path(tmp_path / "d.gpkg"),
    ):
        pass
    with (
        pytest.raises(OutputError, match="without creating the file"),
        atomic_path(tmp_path / "x.gpkg"),
    ):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["d.gpkg"]


def test_atomic_path_temp_is_hidden_in_same_directory(tmp_path):
    with atomic_path(tmp_path / "out.gpkg") as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(".out.")
        assert tmp.name.endswith(".tmp.gpkg")
        assert not tmp.exists()
        tmp.write_bytes(b"x")
        Path(f"{tmp}-journal").write_bytes(b"j")  # a leftover SQLite side file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]
