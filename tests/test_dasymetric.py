"""Dasymetric allocation with a synthetic GeoTIFF written in the test."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from geotrade.dasymetric import allocate, zonal_sums
from geotrade.errors import InputFormatError, ValidationError


@pytest.fixture
def setup(tmp_path: Path):
    # 6 x 4 pixels of 1 x 1 unit, origin (0, 4); values chosen by hand
    data = np.array(
        [
            [1, 2, 0, 0, 5, 5],
            [1, 2, 0, 0, 5, 5],
            [3, 3, 0, 0, 0, 0],
            [3, 3, 0, 0, 0, 0],
        ],
        dtype="float32",
    )
    path = tmp_path / "w.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=6,
        height=4,
        count=1,
        dtype="float32",
        crs="EPSG:3857",
        transform=from_origin(0, 4, 1, 1),
        nodata=-1,
    ) as dst:
        dst.write(data, 1)
    zones = gpd.GeoDataFrame(
        {
            "adcode": ["A1", "A2", "B1", "B2"],
            "province_adcode": ["A", "A", "B", "B"],
        },
        geometry=[box(0, 2, 2, 4), box(0, 0, 2, 2), box(2, 0, 4, 4), box(4, 0, 6, 2)],
        crs="EPSG:3857",
    )
    totals = pd.DataFrame({"province_adcode": ["A", "B"], "value": [1000.0, 77.7]})
    return path, zones, totals


def test_zonal_sums_by_hand(setup) -> None:
    path, zones, _ = setup
    # A1 = 1+2+1+2 = 6; A2 = 3*4 = 12; B1 = 0; B2 = 0 (the 5s are outside every zone)
    np.testing.assert_allclose(zonal_sums(zones, path), [6.0, 12.0, 0.0, 0.0])


def test_allocation_preserves_totals_and_falls_back(setup) -> None:
    path, zones, totals = setup
    r = allocate(totals, zones, raster=path)
    t = r.table.set_index("adcode")
    assert t.loc["A1", "allocated"] == pytest.approx(1000 * 6 / 18)
    assert t.loc["A2", "allocated"] == pytest.approx(1000 * 12 / 18)
    # province B has zero weight everywhere -> area shares (B1 8 units², B2 4 units²)
    assert r.fallback_provinces == ("B",)
    assert t.loc["B1", "allocated"] == pytest.approx(77.7 * 2 / 3)
    assert bool(t.loc["B1", "fallback"])
    for p, total in zip(totals["province_adcode"], totals["value"], strict=True):
        assert math.fsum(r.table.loc[r.table["province_adcode"] == p, "allocated"]) == total


def test_integer_allocation_exact(setup) -> None:
    _, zones, _ = setup
    zones = zones.assign(w=[1.0, 1.0, 1.0, 2.0])
    totals = pd.DataFrame({"province_adcode": ["A", "B"], "value": [7.0, 10.0]})
    r = allocate(totals, zones, weight_column="w", integer=True)
    got = r.table.set_index("adcode")["allocated"]
    assert got["A1"] + got["A2"] == 7
    assert sorted([got["A1"], got["A2"]]) == [3, 4]
    assert got["B1"] + got["B2"] == 10
    assert got["B2"] in (6, 7)


def test_zero_weight_zone_reported() -> None:
    zones = gpd.GeoDataFrame(
        {"adcode": ["a", "b"], "province_adcode": ["P", "P"], "w": [0.0, 2.0]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    r = allocate(pd.DataFrame({"province_adcode": ["P"], "value": [5.0]}), zones, weight_column="w")
    assert r.zero_weight_zones == ("a",)
    assert r.table["allocated"].tolist() == [0.0, 5.0]


def test_errors(setup) -> None:
    path, zones, totals = setup
    with pytest.raises(InputFormatError):
        allocate(totals, zones)
    bad = pd.DataFrame({"province_adcode": ["Z"], "value": [-1.0]})
    with pytest.raises(ValidationError) as ei:
        allocate(bad, zones, raster=path)
    assert len(ei.value.problems) == 2  # negative total and province without zones
