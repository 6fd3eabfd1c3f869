"""One classification, the same breaks in every output: QML, GeoPackage, web and static legend."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

import geotrade
from geotrade.io.geopackage import read_gpkg_style, write_gpkg
from geotrade.maps.static import render_static_map
from geotrade.maps.webmap import web_map
from geotrade.style.classed import graduated_style
from geotrade.style.palettes import palette
from geotrade.style.qml import to_qml


@pytest.fixture
def layer():
    rng = np.random.default_rng(7)
    values = np.round(rng.lognormal(0.0, 1.0, 40), 3)
    values[[3, 17]] = np.nan
    geoms = [box(i % 8, i // 8, i % 8 + 1, i // 8 + 1) for i in range(40)]
    return gpd.GeoDataFrame({"v": values}, geometry=geoms, crs="EPSG:4326")


def test_same_breaks_in_qml_gpkg_webmap_and_static_legend(layer, tmp_path):
    res = geotrade.classify(layer["v"].to_numpy(), k=5, scheme="fisher_jenks")
    style = graduated_style(
        res, field="v", colors=palette("YlGnBu", 5), title_en="Value", title_zh="数值"
    )
    labels = [c.label("both") for c in style.all_classes()]
    uppers = [float(c.upper) for c in style.classes]
    np.testing.assert_array_equal(uppers, res.bins)

    # QML (string) and the copy embedded in the GeoPackage
    gpkg = write_gpkg(tmp_path / "x.gpkg", {"x": layer}, styles={"x": style})
    for qml in (to_qml(style), read_gpkg_style(gpkg, "x")):
        root = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
        ranges = root.find("ranges").findall("range")
        assert [float(r.get("upper")) for r in ranges[:-1]] == uppers  # last = no-data range
        assert [r.get("label") for r in ranges] == labels

    # web map legend
    page = web_map([("2022", layer, style)], tmp_path / "m.html", title="t", note="n")
    text = html.unescape(page.read_text(encoding="utf-8"))
    for lab, cls in zip(labels, style.all_classes(), strict=True):
        assert lab in text
        assert cls.color.lower() in text.lower()

    # static legend, with counts that add up to n
    sm = render_static_map(layer, style, title="t", note="n")
    try:
        assert [e.label for e in sm.legend_entries] == labels
        assert [e.color.lower() for e in sm.legend_entries] == [
            c.color.lower() for c in style.all_classes()
        ]
        counts = [e.count for e in sm.legend_entries]
        assert counts[:-1] == [int(c) for c in res.counts]
        assert counts[-1] == 2
    finally:
        sm.close()
