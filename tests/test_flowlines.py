"""Great-circle flow lines: geodesic lengths, antimeridian splits, top-N, missing coordinates."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from geotrade.maps.flowlines import capital_coordinates, flow_lines, geodesic_line
from geotrade.reference import capital_distance_km


def test_geodesic_line_without_crossing_follows_the_geodesic():
    g = geodesic_line(116.4, 39.9, 126.98, 37.57, npts=10)
    assert isinstance(g, LineString)
    assert len(g.coords) == 12
    length = Geod(ellps="WGS84").geometry_length(g) / 1000
    direct = Geod(ellps="WGS84").inv(116.4, 39.9, 126.98, 37.57)[2] / 1000
    assert length == pytest.approx(direct, rel=1e-4)


@pytest.mark.parametrize(("a", "b"), [((174.78, -41.29), (-149.57, -17.54)),  # NZ -> Tahiti
                                     ((-149.57, -17.54), (174.78, -41.29))])  # fmt: skip
def test_antimeridian_split(a, b):
    g = geodesic_line(*a, *b, npts=32)
    assert isinstance(g, MultiLineString)
    assert len(g.geoms) == 2
    xs = [x for part in g.geoms for x, _ in part.coords]
    assert max(abs(x) for x in xs) <= 180
    # the two parts meet at the same latitude on +180 / -180
    first, second = g.geoms
    ends = [first.coords[-1], second.coords[0]]
    assert abs(ends[0][0]) == 180
    assert ends[1][0] == -ends[0][0]
    assert ends[0][1] == pytest.approx(ends[1][1])
    # total length equals the geodesic distance
    geod = Geod(ellps="WGS84")
    assert geod.geometry_length(g) == pytest.approx(geod.inv(*a, *b)[2], rel=1e-3)


def test_flow_lines_top_n_distances_and_missing_coordinates():
    edges = pd.DataFrame(
        {
            "year": 2022,
            "iso3": ["CHN", "CHN", "CHN", "CHN", "KOR"],
            "partner_iso3": ["USA", "KOR", "DEU", "XXX", "CHN"],
            "exports": [10.0, 5.0, 1.0, 7.0, 3.0],
        }
    )
    lines = flow_lines(edges, top_n=3)
    # CHN's top 3 by value: USA 10, XXX 7 (no coordinates: reported), KOR 5
    assert lines[["iso3", "partner_iso3", "rank"]].values.tolist() == [
        ["CHN", "USA", 1], ["CHN", "KOR", 3], ["KOR", "CHN", 1]]  # fmt: skip
    assert lines.attrs["missing_coordinates"] == [("CHN", "XXX")]
    kor = lines[(lines["iso3"] == "CHN") & (lines["partner_iso3"] == "KOR")].iloc[0]
    assert kor["distance_km"] == pytest.approx(capital_distance_km("CHN", "KOR"), rel=1e-9)
    assert lines.crs.to_epsg() == 4326
    assert "NZL" in capital_coordinates().index
    with pytest.raises(ValueError, match="top_n"):
        flow_lines(edges, top_n=0)
