"""The editable QGIS project (.qgz) written without QGIS: layers, styles, groups, CRS.

What QGIS 3.22 itself makes of these files is tested in tests/qgis/test_project_qgis.py.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import CRS
from shapely import LineString, box

from geotrade.cli import main
from geotrade.errors import DataNotFoundError, OutputError
from geotrade.io.geopackage import read_gpkg_style, write_gpkg
from geotrade.io.qgis_project import project_layers, write_qgz
from geotrade.maps.crs import ALBERS_CHINA, EQUAL_EARTH
from geotrade.style.spec import ClassStyle, LayerStyle

DEMO = Path(__file__).resolve().parents[1] / "geotrade" / "data" / "demo"


def _style(field: str, kind: str = "graduated") -> LayerStyle:
    if kind == "categorized":
        classes = tuple(
            ClassStyle(label_en=v, label_zh=v, color=c, value=v)
            for v, c in (("a", "#1b9e77"), ("b", "#d95f02"))
        )
    else:
        classes = (
            ClassStyle(label_en="low", label_zh="低", color="#edf8b1", lower=0.0, upper=1.0),
            ClassStyle(label_en="high", label_zh="高", color="#2c7fb8", lower=1.0, upper=2.0),
        )
    return LayerStyle(kind=kind, field=field, classes=classes, title_en="T", title_zh="题")


@pytest.fixture
def product(tmp_path: Path) -> Path:
    """A China-like GeoPackage: two data polygon layers, a companion polygon and a line layer."""
    polys = gpd.GeoDataFrame(
        {"v": [0.5, 1.5], "c": ["a", "b"]},
        geometry=[box(100, 25, 110, 35), box(110, 25, 120, 35)],
        crs="EPSG:4326",
    )
    islands = gpd.GeoDataFrame({"name": ["x"]}, geometry=[box(112, 10, 113, 11)], crs="EPSG:4326")
    line = gpd.GeoDataFrame(
        {"kind": ["nine-dash"]}, geometry=[LineString([(110, 5), (118, 20)])], crs="EPSG:4326"
    )
    path = tmp_path / "cn.gpkg"
    write_gpkg(
        path,
        {"ratio_2025": polys, "class_2030": polys, "south_china_sea": islands,
         "china_boundary_line": line},
        styles={"ratio_2025": _style("v"), "class_2030": _style("c", "categorized"),
                "china_boundary_line": _style("kind", "categorized")},
        metadata={"title": "Ratio", "title_zh": "比值", "map_crs": ALBERS_CHINA},
    )  # fmt: skip
    return path


def _qgs(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names == [f"{path.stem}.qgs"]
        return ET.fromstring(zf.read(names[0]))


def test_project_holds_every_layer_styled_grouped_and_ordered(product: Path) -> None:
    out = write_qgz(product.parent / "cn.qgz", [product])
    root = _qgs(out)
    (group,) = root.find("layer-tree-group").findall("layer-tree-group")
    assert group.get("name") == "Ratio / 比值"
    nodes = group.findall("layer-tree-layer")
    # lines above polygons; polygons in the file's order
    assert [n.get("name") for n in nodes] == [
        "china_boundary_line", "ratio_2025", "class_2030", "south_china_sea",
    ]  # fmt: skip
    checked = {n.get("name"): n.get("checked") for n in nodes}
    assert checked == {
        "china_boundary_line": "Qt::Checked",
        "ratio_2025": "Qt::Checked",
        "class_2030": "Qt::Unchecked",  # a second data layer would hide the first
        "south_china_sea": "Qt::Checked",  # companion layer
    }
    assert project_layers(out) == {
        n: f"./cn.gpkg|layername={n}"
        for n in ("china_boundary_line", "ratio_2025", "class_2030", "south_china_sea")
    }
    layers = {el.findtext("layername"): el for el in root.iter("maplayer")}
    for name in ("ratio_2025", "class_2030", "china_boundary_line"):
        stored = ET.fromstring(read_gpkg_style(product, name)).find("renderer-v2")
        inlined = layers[name].find("renderer-v2")
        same = [ET.canonicalize(ET.tostring(e), strip_text=True) for e in (inlined, stored)]
        assert same[0] == same[1]
    assert layers["ratio_2025"].find("renderer-v2").get("type") == "graduatedSymbol"
    assert layers["class_2030"].find("renderer-v2").get("type") == "categorizedSymbol"
    assert layers["south_china_sea"].find("renderer-v2") is None  # no stored style
    assert layers["china_boundary_line"].get("geometry") == "Line"
    assert layers["south_china_sea"].findtext("srs/spatialrefsys/authid") == "EPSG:4326"
    assert root.findtext("properties/Paths/Absolute") == "false"
    assert root.findtext("properties/SpatialRefSys/ProjectionsEnabled") == "1"


def test_project_crs_is_the_product_map_crs(product: Path, tmp_path: Path) -> None:
    root = _qgs(write_qgz(tmp_path / "a.qgz", [product]))
    wkt = root.findtext("projectCrs/spatialrefsys/wkt")
    assert CRS.from_wkt(wkt) == CRS.from_proj4(ALBERS_CHINA)
    assert root.findtext("projectCrs/spatialrefsys/authid") == ""
    # the canvas extent is the layers' extent projected: the Albers has lon_0 = 105°E, so
    # 100-120°E spans both sides of x = 0
    xmin, xmax = (float(root.findtext(f"mapcanvas/extent/{k}")) for k in ("xmin", "xmax"))
    assert xmin < 0 < xmax
    root = _qgs(write_qgz(tmp_path / "b.qgz", [product], map_crs=EQUAL_EARTH))
    assert root.findtext("projectCrs/spatialrefsys/authid") == "EPSG:8857"
    assert CRS.from_wkt(root.findtext("projectCrs/spatialrefsys/wkt")) == CRS("EPSG:8857")


def test_relative_paths_from_another_directory(product: Path, tmp_path: Path) -> None:
    sub = tmp_path / "projects" / "deep"
    sub.mkdir(parents=True)
    out = write_qgz(sub / "p.qgz", [product])
    assert set(project_layers(out).values()) >= {"../../cn.gpkg|layername=ratio_2025"}


def test_failures_leave_no_project(product: Path, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"\.qgz"):
        write_qgz(tmp_path / "p.qgs", [product])
    with pytest.raises(DataNotFoundError):
        write_qgz(tmp_path / "p.qgz", [tmp_path / "missing.gpkg"])
    old = tmp_path / "keep.qgz"
    old.write_bytes(b"old")
    with pytest.raises(DataNotFoundError):
        write_qgz(old, [tmp_path / "missing.gpkg"])
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cn.gpkg", "keep.qgz"]


def _run(capsys, args: list[str]) -> tuple[int, dict]:
    code = main(["--json", *args])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    return code, lines[-1]


@pytest.mark.china
def test_product_command_writes_the_project(tmp_path: Path, capsys) -> None:
    gpkg, qgz = tmp_path / "p.gpkg", tmp_path / "p.qgz"
    code, rec = _run(
        capsys,
        ["recycling", "provinces", str(DEMO / "synthetic_recycling_provinces.csv"),
         "--years", "2025,2030", "--gpkg", str(gpkg), "--qgz", str(qgz)],
    )  # fmt: skip
    assert code == 0, rec
    assert rec["outputs"]["qgz"] == str(qgz)
    assert sorted(project_layers(qgz)) == sorted(
        ["province_capacity_ratio_2025", "province_capacity_ratio_2030"]
    )
    root = _qgs(qgz)
    assert CRS.from_wkt(root.findtext("projectCrs/spatialrefsys/wkt")) == CRS(ALBERS_CHINA)


def test_qgz_option_is_checked_before_anything_runs(tmp_path: Path, capsys) -> None:
    code, rec = _run(
        capsys,
        ["recycling", "provinces", str(DEMO / "synthetic_recycling_provinces.csv"),
         "--gpkg", str(tmp_path / "p.gpkg"), "--qgz", str(tmp_path / "p.qgs")],
    )  # fmt: skip
    assert code == 2
    assert "'--qgz'" in rec["message"]
    assert list(tmp_path.iterdir()) == []


def test_qgz_needs_the_geopackage(tmp_path: Path, capsys) -> None:
    flows = DEMO / "synthetic_li_ion_trade_2012_2022.csv"
    code, rec = _run(
        capsys,
        ["interdependence", str(flows), "--focal", "CHN", "--csv", str(tmp_path / "t.csv"),
         "--qgz", str(tmp_path / "p.qgz")],
    )  # fmt: skip
    assert code == 2
    assert "--gpkg" in rec["message"]
    assert not (tmp_path / "t.csv").exists()  # checked before anything was written
    assert not (tmp_path / "p.qgz").exists()
