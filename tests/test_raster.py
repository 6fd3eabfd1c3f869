"""Tests of geotrade.maps.raster: classified layers burnt into paletted GeoTIFFs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from rasterio.crs import CRS
from shapely.geometry import box

from geotrade.errors import InputFormatError, OutputError
from geotrade.maps.raster import MAX_PIXELS, class_indices, rasterize_classes
from geotrade.style.spec import ClassStyle, LayerStyle

RES = 10.0

GRADUATED = LayerStyle(
    kind="graduated",
    field="share",
    title_en="Import share",
    title_zh="进口份额",
    classes=(
        ClassStyle("Low", "低", "#fee08b", lower=0.0, upper=1.0),
        ClassStyle("Medium", "中", "#fc8d59", lower=1.0, upper=2.0),
        ClassStyle("High", "高", "#d73027", lower=2.0, upper=3.0),
    ),
    nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
)

CATEGORIZED = LayerStyle(
    kind="categorized",
    field="dep",
    title_en="Dependence",
    title_zh="依存",
    classes=(
        ClassStyle("One-way", "单向", "#08519c", value="one_way"),
        ClassStyle("Mutual", "相互", "#6baed6", value="mutual"),
    ),
    nodata=ClassStyle("No data", "无数据", "#bdbdbd80"),
)

# four 100 m boxes in EPSG:3857 with gaps between them (the gaps are nodata)
BOXES = {
    "a": box(0, 0, 100, 100),
    "b": box(200, 0, 300, 100),
    "c": box(0, 200, 100, 300),
    "d": box(200, 200, 300, 300),
}


def _gdf(values: dict[str, object], field: str, crs: object = 3857) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": list(BOXES), field: [values[k] for k in BOXES]},
        geometry=list(BOXES.values()),
        crs=crs,
    )


def _value_at(path: Path, x: float, y: float) -> int:
    with rasterio.open(path) as src:
        return int(next(src.sample([(x, y)]))[0])


@pytest.fixture
def graduated_tif(tmp_path: Path) -> Path:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": float("nan")}, "share")
    return rasterize_classes(
        gdf,
        GRADUATED,
        tmp_path / "share.tif",
        resolution=RES,
        tags={"NOTE": "synthetic data, not real trade flows"},
    )


# --------------------------------------------------------------------------- pixels


def test_graduated_pixels_hold_class_index(graduated_tif: Path) -> None:
    with rasterio.open(graduated_tif) as src:
        band = src.read(1)
        assert band.dtype == np.uint8
        assert src.nodata == 255
        assert band.shape == (30, 30)
        expected = {"a": 0, "b": 1, "c": 2, "d": 3}  # d is NaN -> no-data class (index 3)
        for name, geom in BOXES.items():
            minx, miny, maxx, maxy = geom.bounds
            # every pixel centre inside the box, not only the middle one
            for x in np.arange(minx + RES / 2, maxx, RES):
                for y in np.arange(miny + RES / 2, maxy, RES):
                    assert band[src.index(x, y)] == expected[name], (name, x, y)
    # gaps between the boxes are nodata
    for x, y in [(150, 150), (150, 50), (50, 150), (250, 150), (105, 295)]:
        assert _value_at(graduated_tif, x, y) == 255
    # exact pixel counts: 10 x 10 pixels per box, the rest nodata
    with rasterio.open(graduated_tif) as src:
        counts = dict(zip(*np.unique(src.read(1), return_counts=True), strict=True))
    assert counts == {0: 100, 1: 100, 2: 100, 3: 100, 255: 900 - 400}


def test_crs_transform_and_layout(graduated_tif: Path) -> None:
    with rasterio.open(graduated_tif) as src:
        assert src.crs == CRS.from_epsg(3857)
        assert src.transform == rasterio.Affine(RES, 0, 0, 0, -RES, 300)
        assert src.count == 1
        assert (src.width, src.height) == (30, 30)
        assert src.compression.name.lower() == "deflate"
        assert not src.profile.get("tiled", False)  # 30 x 30 is smaller than one tile
        assert src.descriptions == ("Import share / 进口份额",)


def test_colormap_matches_style_colours(graduated_tif: Path) -> None:
    with rasterio.open(graduated_tif) as src:
        cmap = src.colormap(1)
    assert cmap[0] == (0xFE, 0xE0, 0x8B, 255)
    assert cmap[1] == (0xFC, 0x8D, 0x59, 255)
    assert cmap[2] == (0xD7, 0x30, 0x27, 255)
    assert cmap[3] == (0xD9, 0xD9, 0xD9, 255)  # no-data class colour
    assert cmap[255] == (0, 0, 0, 0)  # nodata pixels are transparent


def test_graduated_tags(graduated_tif: Path) -> None:
    with rasterio.open(graduated_tif) as src:
        tags = src.tags()
    assert tags["CLASS_0_LABEL"] == "Low / 低"
    assert tags["CLASS_2_LABEL_ZH"] == "高"
    assert tags["CLASS_3_LABEL"] == "No data / 无数据"
    assert tags["CLASS_3_NODATA"] == "YES"
    assert "CLASS_3_LOWER" not in tags
    assert float(tags["CLASS_1_LOWER"]) == 1.0
    assert float(tags["CLASS_1_UPPER"]) == 2.0
    assert "CLASS_1_VALUE" not in tags
    assert tags["CLASS_COUNT"] == "4"
    assert tags["CLASSIFIED_FIELD"] == "share"
    assert tags["INTERVALS_CLOSED"] == "right"
    assert tags["NODATA_INDEX"] == "255"
    assert tags["NOTE"] == "synthetic data, not real trade flows"


def test_categorized_values_tags_and_alpha(tmp_path: Path) -> None:
    gdf = _gdf({"a": "one_way", "b": "mutual", "c": "unknown_slug", "d": None}, "dep")
    out = rasterize_classes(gdf, CATEGORIZED, tmp_path / "dep.tif", resolution=RES)
    # unknown values and None both fall in the style's no-data class (index 2)
    assert _value_at(out, 50, 50) == 0
    assert _value_at(out, 250, 50) == 1
    assert _value_at(out, 50, 250) == 2
    assert _value_at(out, 250, 250) == 2
    assert _value_at(out, 150, 150) == 255
    with rasterio.open(out) as src:
        tags, cmap = src.tags(), src.colormap(1)
    assert tags["CLASS_0_VALUE"] == "one_way"
    assert tags["CLASS_1_VALUE"] == "mutual"
    assert tags["CLASS_1_LABEL"] == "Mutual / 相互"
    assert tags["CLASS_KIND"] == "categorized"
    assert "CLASS_0_LOWER" not in tags
    assert "INTERVALS_CLOSED" not in tags
    assert cmap[0] == (0x08, 0x51, 0x9C, 255)
    # TIFF palettes have no alpha: the GeoTIFF entry is opaque, the QML keeps the alpha
    assert cmap[2] == (0xBD, 0xBD, 0xBD, 255)
    qml = out.with_suffix(".qml").read_text(encoding="utf-8")
    assert 'value="2" color="#bdbdbd" label="No data / 无数据" alpha="128"' in qml


def test_unclassified_features_without_nodata_class_are_nodata(tmp_path: Path) -> None:
    style = LayerStyle(
        kind="graduated",
        field="share",
        title_en="Share",
        title_zh="份额",
        classes=(ClassStyle("Low", "低", "#fee08b", lower=0.0, upper=1.0),),
    )
    gdf = _gdf({"a": 0.5, "b": 7.0, "c": float("nan"), "d": 0.0}, "share")
    assert class_indices(gdf, style).tolist() == [0, 255, 255, 0]
    out = rasterize_classes(gdf, style, tmp_path / "s.tif", resolution=RES, nodata_index=9)
    with rasterio.open(out) as src:
        assert src.nodata == 9
        assert src.colormap(1)[9] == (0, 0, 0, 0)
    assert [_value_at(out, x, y) for x, y in [(50, 50), (250, 50), (50, 250), (250, 250)]] == [
        0,
        9,
        9,
        0,
    ]


def test_class_indices_handles_pandas_missing_values() -> None:
    import pandas as pd

    gdf = gpd.GeoDataFrame({"share": pd.array([0.5, pd.NA, 2.5], dtype="Float64")})
    assert class_indices(gdf, GRADUATED).tolist() == [0, 3, 2]


# --------------------------------------------------------------------------- grid


def test_grid_is_snapped_to_resolution(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"share": [0.5]}, geometry=[box(4, 3, 47, 38)], crs=3857)
    out = rasterize_classes(gdf, GRADUATED, tmp_path / "snap.tif", resolution=RES)
    with rasterio.open(out) as src:
        assert src.transform == rasterio.Affine(RES, 0, 0, 0, -RES, 40)
        assert (src.width, src.height) == (5, 4)
        band = src.read(1)
    # pixel centres x = 5..45, y = 35..5 all fall inside the box, so all are class 0
    assert (band == 0).all()


def test_reprojects_to_requested_crs(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": float("nan")}, "share")
    out = rasterize_classes(gdf, GRADUATED, tmp_path / "ll.tif", resolution=1e-5, crs=4326)
    to_ll = Transformer.from_crs(3857, 4326, always_xy=True)
    with rasterio.open(out) as src:
        assert src.crs == CRS.from_epsg(4326)
        assert src.res == (1e-5, 1e-5)
    for (x, y), expected in {(50, 50): 0, (250, 50): 1, (50, 250): 2, (250, 250): 3}.items():
        assert _value_at(out, *to_ll.transform(x, y)) == expected
    assert _value_at(out, *to_ll.transform(150, 150)) == 255


def test_all_touched_burns_thin_features(tmp_path: Path) -> None:
    # a 2 m high strip between two rows of pixel centres (y = 45 and y = 55): no centre is
    # inside it, but it touches every pixel of row 4
    gdf = gpd.GeoDataFrame(
        {"share": [0.5, 1.5]},
        geometry=[box(0, 0, 100, 100), box(3, 51, 97, 53)],
        crs=3857,
    )
    centres = rasterize_classes(gdf, GRADUATED, tmp_path / "thin.tif", resolution=RES)
    touched = rasterize_classes(
        gdf, GRADUATED, tmp_path / "touch.tif", resolution=RES, all_touched=True
    )
    with rasterio.open(centres) as a, rasterio.open(touched) as b:
        band_a, band_b = a.read(1), b.read(1)
    assert (band_a == 0).all()
    # the later row (the strip) wins where both are burnt
    assert (band_b[4] == 1).all()
    assert (np.delete(band_b, 4, axis=0) == 0).all()


def test_large_grid_is_tiled(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"share": [0.5]}, geometry=[box(0, 0, 300, 300)], crs=3857)
    out = rasterize_classes(gdf, GRADUATED, tmp_path / "big.tif", resolution=1)
    with rasterio.open(out) as src:
        assert src.profile["tiled"]
        assert src.block_shapes == [(256, 256)]
        assert (src.read(1) == 0).all()


def test_skips_empty_geometries(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"share": [0.5, 1.5, 2.5]},
        geometry=[box(0, 0, 20, 20), None, box(0, 0, 0, 0).buffer(0)],
        crs=3857,
    )
    out = rasterize_classes(gdf, GRADUATED, tmp_path / "e.tif", resolution=RES)
    with rasterio.open(out) as src:
        assert src.read(1).tolist() == [[0, 0], [0, 0]]


# --------------------------------------------------------------------------- QGIS sidecar


def test_qml_sidecar_palette(graduated_tif: Path) -> None:
    qml = graduated_tif.with_suffix(".qml")
    root = ET.fromstring(qml.read_text(encoding="utf-8").split("\n", 1)[1])
    renderer = root.find("pipe/rasterrenderer")
    assert renderer is not None
    assert renderer.get("type") == "paletted"
    assert renderer.get("band") == "1"
    entries = [e.attrib for e in root.iterfind("pipe/rasterrenderer/colorPalette/paletteEntry")]
    assert [(e["value"], e["color"], e["label"], e["alpha"]) for e in entries] == [
        ("0", "#fee08b", "Low / 低", "255"),
        ("1", "#fc8d59", "Medium / 中", "255"),
        ("2", "#d73027", "High / 高", "255"),
        ("3", "#d9d9d9", "No data / 无数据", "255"),
    ]


def test_qml_can_be_disabled_and_no_temp_files_left(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=RES, qml=False)
    # overwriting an existing file works too
    rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=50, qml=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.tif"]
    with rasterio.open(tmp_path / "x.tif") as src:
        assert src.res == (50, 50)


# --------------------------------------------------------------------------- errors


def test_missing_crs_is_an_error(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share", crs=None)
    with pytest.raises(InputFormatError, match=r"no CRS.*set_crs"):
        rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=RES)
    with pytest.raises(InputFormatError, match="no CRS"):
        rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=RES, crs=4326)
    assert not (tmp_path / "x.tif").exists()


def test_too_large_grid_is_an_error_and_keeps_old_file(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    target = tmp_path / "x.tif"
    target.write_bytes(b"old")
    res = 300 / (MAX_PIXELS**0.5) / 1.5  # ~ 2.25 * MAX_PIXELS pixels
    with pytest.raises(InputFormatError, match="coarser resolution") as info:
        rasterize_classes(gdf, GRADUATED, target, resolution=res)
    # the suggested resolution really is coarse enough
    suggested = float(str(info.value).split("at least about ")[1].split(" ")[0])
    assert (300 / suggested) ** 2 <= MAX_PIXELS
    assert target.read_bytes() == b"old"


@pytest.mark.parametrize("resolution", [0, -1, float("nan"), float("inf"), "10", True])
def test_bad_resolution(tmp_path: Path, resolution: object) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    with pytest.raises(InputFormatError, match="resolution must be a positive number"):
        rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=resolution)  # type: ignore[arg-type]


@pytest.mark.parametrize("nodata_index", [3, 0, 256, -1, 2.5])
def test_bad_nodata_index(tmp_path: Path, nodata_index: object) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    with pytest.raises(InputFormatError, match="nodata_index"):
        rasterize_classes(
            gdf,
            GRADUATED,
            tmp_path / "x.tif",
            resolution=RES,
            nodata_index=nodata_index,  # type: ignore[arg-type]
        )


def test_missing_field_is_an_error(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "other")
    with pytest.raises(InputFormatError, match=r"'share'.*join the values") as info:
        rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=RES)
    assert info.value.column == "share"


def test_no_geometry_is_an_error(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"share": [0.5]}, geometry=[None], crs=3857)
    with pytest.raises(InputFormatError, match="no non-empty geometry"):
        rasterize_classes(gdf, GRADUATED, tmp_path / "x.tif", resolution=RES)


def test_tag_clash_is_an_error(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    with pytest.raises(InputFormatError, match="clashes"):
        rasterize_classes(
            gdf, GRADUATED, tmp_path / "x.tif", resolution=RES, tags={"class_0_label": "x"}
        )


def test_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    gdf = _gdf({"a": 0.5, "b": 1.5, "c": 2.5, "d": 0.1}, "share")
    with pytest.raises(OutputError, match="does not exist"):
        rasterize_classes(gdf, GRADUATED, tmp_path / "nope" / "x.tif", resolution=RES)
