"""``geotrade map`` / :func:`build_table_map`: any table of units on a map.

Breaks are checked against independent implementations (jenkspy, ckwrap) and against
hand-computed classes; keys in ISO3, Comtrade numeric codes, Chinese, pinyin and English
names; the join report lists unmatched keys; every unit of the boundary set is kept.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from geotrade import errors
from geotrade.builders.result import write_product
from geotrade.builders.table_map import build_table_map, categorical_style
from geotrade.cli import main
from geotrade.io.maptable import country_codes, read_map_table

DEMO = Path("geotrade/data/demo/synthetic_li_ion_trade_2012_2022.csv")
REAL = Path(__file__).parent / "data" / "real" / "lunar"


def _last(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- keys


def test_country_keys_iso3_comtrade_numeric_names_and_historical():
    codes, known = country_codes(
        ["chn", "156", "0156", "842", "840", "_490", "490", "810", "58", "ROM", "中国",
         "Germany", "WLD", "Atlantis", ""]
    )  # fmt: skip
    assert codes == [
        "CHN", "CHN", "CHN", "USA", "USA", "TWN", "TWN", "SUN", "_58", "ROU", "CHN", "DEU",
        "WLD", "Atlantis", None,
    ]  # fmt: skip
    assert known[-2:] == [False, False]
    assert all(known[:-2])


def test_province_names_in_chinese_pinyin_and_english(tmp_path):
    p = _csv(
        tmp_path,
        "p.csv",
        "province,v\n广东省,1\nJiangxi,2\nHubei Province,3\n内蒙古,4\nxinjiang,5\n"
        "Guangxi Zhuang Autonomous Region,6\n",
    )
    t = read_map_table(p, level="province", field="v")
    assert t["key"].tolist() == ["440000", "360000", "420000", "150000", "650000", "450000"]
    assert t["v"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert t["source_row"].tolist() == [2, 3, 4, 5, 6, 7]


def test_unknown_chinese_name_is_one_error_with_row_and_suggestion(tmp_path):
    p = _csv(tmp_path, "p.csv", "省份,v\n广东,1\n广冬省,2\n")
    with pytest.raises(errors.ValidationError) as ei:
        read_map_table(p, level="province", field="v")
    (prob,) = ei.value.problems
    assert (prob.row, prob.column) == (3, "省份")
    assert "广东省 (440000)" in prob.message


# --------------------------------------------------------------------------- breaks


def test_fisher_jenks_breaks_hand_checked_and_against_jenkspy_and_ckwrap():
    jenkspy = pytest.importorskip("jenkspy")
    ckwrap = pytest.importorskip("ckwrap")
    import geopandas as gpd
    from shapely.geometry import box

    # hand-checked: three tight groups -> upper bounds 3, 12, 31
    vals = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0, 31.0]
    keys = [f"A{i:02d}" for i in range(len(vals))]
    geoms = gpd.GeoDataFrame(
        {"iso_a3": [*keys, "ZZY"], "name": [*keys, "empty"]},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(vals) + 1)],
        crs=4326,
    )
    t = pd.DataFrame({"key": keys, "v": vals})
    r = build_table_map(t, level="country", field="v", k=3, geometries=geoms)
    info = r.metadata.classification["country_v"]
    assert info["breaks"] == [3.0, 12.0, 31.0]
    assert info["counts"] == [3, 3, 2]
    assert info["nodata"] == 1  # the unit without a row
    assert jenkspy.jenks_breaks(vals, n_classes=3)[1:] == info["breaks"]
    # a larger, irregular sample: same upper bounds as jenkspy and as ckwrap's clusters
    rng = np.random.default_rng(7)
    x = np.round(np.concatenate([rng.lognormal(2, 1, 60), rng.normal(80, 5, 25)]), 3)
    keys = [f"K{i:03d}" for i in range(len(x))]
    geoms = gpd.GeoDataFrame(
        {"iso_a3": keys, "name": keys},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(x))],
        crs=4326,
    )
    r = build_table_map(
        pd.DataFrame({"key": keys, "v": x}), level="country", field="v", k=5, geometries=geoms
    )
    breaks = r.metadata.classification["country_v"]["breaks"]
    assert np.allclose(breaks, jenkspy.jenks_breaks(x.tolist(), n_classes=5)[1:])
    ck = ckwrap.ckmeans(x, 5)
    assert np.allclose(breaks, sorted(x[ck.labels == c].max() for c in range(5)))


def test_quantile_breaks_match_numpy(tmp_path):
    iso = ["CHN", "USA", "DEU", "JPN", "KOR", "FRA", "GBR", "ITA"]
    rows = "\n".join(f"{c},{v}" for c, v in zip(iso, [8, 1, 5, 3, 7, 2, 6, 4], strict=True))
    p = _csv(tmp_path, "q.csv", "iso3,v\n" + rows + "\n")
    t = read_map_table(p, level="country", field="v")
    r = build_table_map(t, level="country", field="v", scheme="quantiles", k=4)
    info = r.metadata.classification["country_v"]
    assert info["breaks"] == list(np.quantile(np.arange(1, 9), [0.25, 0.5, 0.75, 1.0]))
    assert info["counts"] == [2, 2, 2, 2]
    gdf = r.layers["country_v"]
    assert len(gdf) == 239  # every Natural Earth country
    assert gdf.loc[gdf["iso_a3"] == "CHN", "v"].item() == 8.0


# --------------------------------------------------------------------------- join report


def test_unmatched_keys_are_reported_and_every_unit_is_kept(tmp_path, capsys):
    p = _csv(
        tmp_path,
        "c.csv",
        "country,score\nChina,1.5\nFrnace,2\nWLD,3\nAtlantis,4\n842,\n810,6\n",
    )
    gpkg, csv = tmp_path / "c.gpkg", tmp_path / "c.csv.out.csv"
    code = main(["--json", "map", str(p), "--level", "country", "--field", "score",
                 "--k", "2", "--gpkg", str(gpkg), "--csv", str(csv)])  # fmt: skip
    rec = _last(capsys)
    assert code == 0, rec
    jr = rec["join_reports"]["country_score"]
    assert jr["unmatched_table"] == ["Atlantis", "Frnace", "WLD"]
    assert any("FRA (France)" in s for s in jr["suggestions"]["Frnace"])
    assert jr["derived_geometries"]["SUN"].startswith("union")
    sc = rec["status_counts"]
    assert sc["data"] == 2  # China and the Soviet Union (drawn from its successors)
    assert sc["no data"] == 1  # the United States row has no value
    layer = pyogrio.read_dataframe(gpkg, layer="country_score")
    assert len(layer) == 239 + 1  # every country + the derived SUN outline
    assert sc["not covered"] == len(layer) - 3
    usa = layer[layer["iso_a3"] == "USA"].iloc[0]
    assert usa["status"] == "no data"
    assert np.isnan(usa["score"])
    assert usa["name_input"] == "842"
    out = pd.read_csv(csv)
    assert len(out) == len(layer)
    assert set(out["status"]) == {"data", "no data", "not covered"}


def test_duplicate_country_after_normalisation_names_both_rows(tmp_path):
    p = _csv(tmp_path, "d.csv", "iso3,v\nROU,1\nDEU,2\nROM,3\n")
    with pytest.raises(errors.ValidationError) as ei:
        read_map_table(p, level="country", field="v")
    (prob,) = ei.value.problems
    assert (prob.row, prob.column) == (4, "iso3")
    assert "already on row 2" in prob.message


def test_bad_numeric_cell_names_file_row_and_column(tmp_path, capsys):
    p = _csv(tmp_path, "b.csv", "iso3,v\nCHN,1\nUSA,n.a.x\nDEU,..\nJPN,NA\n")
    code = main(["--json", "map", str(p), "--level", "country", "--field", "v",
                 "--png", str(tmp_path / "b.png")])  # fmt: skip
    rec = _last(capsys)
    assert code == errors.ValidationError.exit_code
    (prob,) = rec["problems"]
    assert (prob["row"], prob["column"]) == (3, "v")
    assert str(p) == prob["path"]
    assert "--categorical" in prob["message"]
    assert not (tmp_path / "b.png").exists()


@pytest.mark.parametrize(
    ("args", "error", "needle"),
    [
        (["--field", "nope"], errors.InputFormatError, "--field column 'nope' not in the table"),
        (["--field", "v", "--key", "code"], errors.InputFormatError, "--key column 'code'"),
        (["--field", "iso3"], errors.InputFormatError, "is the key column"),
        (["--field", "v", "--year", "2020"], errors.InputFormatError, "no year column"),
    ],
)
def test_input_errors(tmp_path, capsys, args, error, needle):
    p = _csv(tmp_path, "e.csv", "iso3,v\nCHN,1\nUSA,2\n")
    code = main(["--json", "map", str(p), "--level", "country", *args,
                 "--gpkg", str(tmp_path / "e.gpkg")])  # fmt: skip
    rec = _last(capsys)
    assert code == error.exit_code, rec
    assert needle in rec["message"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ([], "--gpkg/--html/--png/--pdf/--csv"),
        (["--png", "x.jpg"], "--png"),
        (["--gpkg", "x.gpkg", "--scheme", "user_defined"], "--bins"),
        (["--gpkg", "x.gpkg", "--bins", "1,2"], "--bins"),
        (["--gpkg", "x.gpkg", "--level", "county"], "--level"),
        (["--gpkg", "x.gpkg", "--year", "3000"], "--year"),
        (["--png", "x.png", "--qgz", "x.qgz"], "--gpkg"),
        (["--gpkg", "x.gpkg", "--qgz", "x.qgs"], "--qgz"),
        (["--gpkg", "x.gpkg", "--scheme", "jenks2"], "--scheme"),
    ],
)
def test_usage_errors_exit_2_before_reading(capsys, args, needle):
    base = ["--json", "map", "does-not-exist.csv", "--field", "v"]
    if "--level" not in args:
        base += ["--level", "country"]
    code = main([*base, *args])
    rec = _last(capsys)
    assert code == 2, rec
    assert rec["code"] == "usage"
    assert needle in rec["message"]


# --------------------------------------------------------------------------- categorical


def test_categorical_field_gets_categorized_style(tmp_path):
    p = _csv(tmp_path, "g.csv", "省份,group\n广东,south\n湖北,central\n黑龙江,north\n广西,south\n"
             "吉林,\n")  # fmt: skip
    t = read_map_table(p, level="province", field="group", categorical=True)
    r = build_table_map(t, level="province", field="group", categorical=True)
    style = r.styles["province_group"]
    assert style.kind == "categorized"
    assert [(c.value, c.count) for c in style.classes] == [
        ("central", 1), ("north", 1), ("south", 2),
    ]  # fmt: skip
    assert style.nodata.count == 34 - 4
    gdf = r.layers["province_group"]
    assert gdf.loc[gdf["adcode"] == "220000", "status"].item() == "no data"
    assert len(gdf) == 34


def test_categories_order_numerically_and_are_capped():
    s = categorical_style(pd.Series(["10", "2", "1", None]), field="c", title_en="c",
                          title_zh="c")  # fmt: skip
    assert [c.value for c in s.classes] == ["1", "2", "10"]
    with pytest.raises(errors.ClassificationError, match="at most 16"):
        categorical_style(pd.Series([str(i) for i in range(17)]), field="c", title_en="c",
                          title_zh="c")  # fmt: skip


# --------------------------------------------------------------------------- network nodes


def test_network_node_table_maps_in_one_command(tmp_path, capsys):
    nodes = tmp_path / "nodes.csv"
    assert main(["--json", "network", str(DEMO), "--edges", str(tmp_path / "e.csv"),
                 "--nodes", str(nodes), "--years", "2012,2022"]) == 0  # fmt: skip
    capsys.readouterr()
    base = ["--json", "map", str(nodes), "--level", "country", "--field", "degree"]
    assert main([*base, "--png", str(tmp_path / "n.png")]) == errors.InputFormatError.exit_code
    assert "choose one with --year" in _last(capsys)["message"]
    gpkg = tmp_path / "deg.gpkg"
    assert main([*base, "--year", "2022", "--gpkg", str(gpkg), "--qgz", str(tmp_path / "d.qgz"),
                 "--png",
                 str(tmp_path / "deg.png"), "--pdf", str(tmp_path / "deg.pdf")]) == 0  # fmt: skip
    rec = _last(capsys)
    assert rec["key_column"] == "iso3"
    from geotrade.io.qgis_project import project_layers

    assert list(project_layers(rec["outputs"]["qgz"])) == ["country_degree"]
    assert rec["join_reports"]["country_degree"]["unmatched_table"] == []
    table = pd.read_csv(nodes, dtype={"iso3": str})
    t22 = table[table["year"] == 2022].set_index("iso3")["degree"]
    layer = pyogrio.read_dataframe(gpkg, layer="country_degree").set_index("iso_a3")
    assert layer.loc["CHN", "degree"] == t22["CHN"]
    assert rec["status_counts"]["data"] == len(t22)
    assert (tmp_path / "deg.png").stat().st_size > 10_000
    assert (tmp_path / "deg.pdf").read_bytes()[:4] == b"%PDF"
    # the community of each node as categories
    args = ["--field", "n_depends", "--categorical", "--year", "2022"]
    code = main(["--json", "map", str(nodes), "--level", "country", *args,
                 "--gpkg", str(tmp_path / "c.gpkg")])  # fmt: skip
    rec = _last(capsys)
    assert code == 0, rec
    cats = rec["classification"]["categories"]
    assert cats == sorted({str(v) for v in table.loc[table["year"] == 2022, "n_depends"]}, key=int)


# --------------------------------------------------------------------------- formats, real data


def test_parquet_and_xlsx_tables(tmp_path):
    df = pd.DataFrame({"code": [156, 842, 276], "v": [1.5, -2.0, None]})
    df.to_parquet(tmp_path / "t.parquet")
    t = read_map_table(tmp_path / "t.parquet", level="country", field="v")
    assert t["key"].tolist() == ["CHN", "USA", "DEU"]
    assert t["v"].iloc[:2].tolist() == [1.5, -2.0]
    assert np.isnan(t["v"].iloc[2])
    df.to_excel(tmp_path / "t.xlsx", index=False)
    t2 = read_map_table(tmp_path / "t.xlsx", level="country", field="v")
    assert t2["key"].tolist() == ["CHN", "USA", "DEU"]


def test_tsv_with_gbk_and_year_selection():
    text = "年份\t省份\t产量\n2021\t广东\t1\n2022\t广东\t2\n2022\t湖南\t3\n".encode("gbk")
    t = read_map_table(io.BytesIO(text), level="province", field="产量", year=2022)
    assert t["key"].tolist() == ["440000", "430000"]
    assert t["产量"].tolist() == [2.0, 3.0]
    assert t["source_row"].tolist() == [3, 4]


def test_real_prefecture_table_english_names_with_aliases(tmp_path, capsys):
    """Real excerpt (tests/data/real/PROVENANCE.md, lunar/): English/pinyin city names."""
    png = tmp_path / "m.png"
    code = main(["--json", "map", str(REAL / "s1_excerpt.csv"), "--level", "prefecture",
                 "--field", "m", "--aliases", str(REAL / "aliases.csv"), "--scheme",
                 "quantiles", "--k", "4", "--png", str(png), "--gpkg",
                 str(tmp_path / "m.gpkg")])  # fmt: skip
    rec = _last(capsys)
    assert code == 0, rec
    jr = rec["join_reports"]["prefecture_m"]
    assert jr["n_matched"] == 36
    assert jr["unmatched_table"] == []
    raw = pd.read_csv(REAL / "s1_excerpt.csv")
    assert rec["classification"]["breaks"] == list(
        np.quantile(raw["m"].to_numpy(float), [0.25, 0.5, 0.75, 1.0])
    )
    layer = pyogrio.read_dataframe(tmp_path / "m.gpkg", layer="prefecture_m").set_index("adcode")
    assert layer.loc["440800", "m"] == raw.loc[raw["city"] == "Zhangjiang", "m"].item()
    assert layer.loc["440800", "name_input"] == "Zhangjiang"
    assert png.stat().st_size > 10_000


def test_static_map_legend_matches_style(tmp_path):
    from geotrade.maps.static import render_static_map

    p = _csv(tmp_path, "s.csv", "province,v\n广东,1\n湖南,2\n湖北,3\n江西,10\n")
    t = read_map_table(p, level="province", field="v")
    r = build_table_map(t, level="province", field="v", k=2)
    (name,) = r.layers
    m = render_static_map(r.layers[name], r.styles[name], title="t", projection="albers_china")
    try:
        assert [e.count for e in m.legend_entries] == [3, 1, 30]
        assert m.projection == "albers_china"
        assert m.inset
    finally:
        m.close()
    out = write_product(r, png=tmp_path / "s.png")
    assert Path(out["png"]).is_file()


def test_value_near_the_float_limit_is_a_classification_error(tmp_path, capsys):
    p = _csv(tmp_path, "h.csv", "iso3,v\nCHN,1\nUSA,1e200\n")
    code = main(["--json", "map", str(p), "--level", "country", "--field", "v",
                 "--gpkg", str(tmp_path / "h.gpkg")])  # fmt: skip
    rec = _last(capsys)
    assert code == errors.ClassificationError.exit_code
    assert "1e+200" in rec["message"]
    assert rec["path"] == str(p)
    assert rec["column"] == "v"
    assert not (tmp_path / "h.gpkg").exists()


def test_real_baci_numeric_codes_resolve_to_the_files_own_iso3():
    """Real excerpt (PROVENANCE.md, baci/): BACI's numeric codes vs its own ISO3 column.

    Only the three former economies BACI folds into a successor (58 Belgium-Luxembourg and
    280 Fed. Rep. of Germany as BEL/DEU) and 490 "Other Asia, nes" (no ISO3 in BACI;
    Taiwan in the schema) differ; they keep their historical codes, drawn from successors.
    """
    path = Path(__file__).parent / "data" / "real" / "baci" / "country_codes_V202301_excerpt.csv"
    t = read_map_table(path, level="country", field="country_name_abbreviation",
                       key="country_code", categorical=True)  # fmt: skip
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    differ = {
        c: (k, iso)
        for c, k, iso in zip(raw["country_code"], t["key"], raw["iso_3digit_alpha"], strict=True)
        if k != iso
    }
    assert differ == {"58": ("_58", "BEL"), "280": ("_280", "DEU"), "490": ("TWN", "N/A")}
    r = build_table_map(t.iloc[:13], level="country", field="country_name_abbreviation",
                        categorical=True)  # fmt: skip
    jr = r.join_reports["country_country_name_abbreviation"]
    assert jr["unmatched_table"] == []
    assert "_58" in jr["derived_geometries"]
