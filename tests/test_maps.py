"""Static (matplotlib) and web (folium/Leaflet) maps: files, legends, fonts, offline HTML."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import warnings

import geopandas as gpd
import numpy as np
import pytest
from matplotlib import image as mpimg
from shapely.geometry import box

from geotrade.errors import InputFormatError
from geotrade.maps import fonts
from geotrade.maps.static import ALBERS_CHINA, EQUAL_EARTH, render_static_map, static_map
from geotrade.maps.webmap import legend_entries, web_map
from geotrade.style.spec import ClassStyle, LayerStyle

NOTE = "Synthetic data — not real trade statistics / 合成数据"


@pytest.fixture
def dep_style() -> LayerStyle:
    return LayerStyle(
        kind="categorized",
        field="dep",
        classes=(
            ClassStyle("One-way import", "单向进口", "#2166ac", value="imp"),
            ClassStyle("One-way export", "单向出口", "#b2182b", value="exp"),
            ClassStyle("Mutual", "相互依存", "#ef8a62", value="mut"),
        ),
        title_en="Dependence",
        title_zh="依存类型",
        nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
    )


@pytest.fixture
def world(dep_style: LayerStyle) -> gpd.GeoDataFrame:
    """Six boxes spread over the world; 2 imp, 1 exp, 1 mut, 2 missing."""
    geoms = [
        box(-120, 30, -90, 50),
        box(-70, -40, -50, -10),
        box(0, 40, 30, 60),
        box(10, -30, 35, 5),
        box(70, 10, 90, 30),
        box(120, -35, 150, -15),
    ]
    return gpd.GeoDataFrame(
        {
            "dep": ["imp", "exp", "imp", "mut", None, np.nan],
            "name": ["A", "B", "C", "D", "E", "F"],
            "gl": [0.1, 0.25, 0.5, 0.75, np.nan, 1.0],
        },
        geometry=geoms,
        crs=4326,
    )


@pytest.fixture
def ratio_style() -> LayerStyle:
    return LayerStyle(
        kind="graduated",
        field="ratio",
        classes=(
            ClassStyle("0–1", "0–1", "#fee8c8", lower=0, upper=1),
            ClassStyle("1–5", "1–5", "#e34a33", lower=1, upper=5),
        ),
        title_en="Capacity ratio",
        title_zh="产能比",
        nodata=ClassStyle("No data", "无数据", "#bdbdbd"),
    )


@pytest.fixture
def china(ratio_style: LayerStyle) -> gpd.GeoDataFrame:
    """China-like boxes plus a speck in the South China Sea (like the 三沙 islands)."""
    geoms = [
        box(75, 30, 95, 45),
        box(100, 25, 115, 40),
        box(115, 35, 130, 50),
        box(108, 18.2, 111, 20),  # "Hainan"
        box(112, 9, 112.3, 9.3),  # island far south
    ]
    return gpd.GeoDataFrame(
        {"ratio": [0.5, 2.0, 4.5, np.nan, 0.2], "adcode": ["1", "2", "3", "4", "5"]},
        geometry=geoms,
        crs=4326,
    )


# ---------------------------------------------------------------------------------------
# fonts
# ---------------------------------------------------------------------------------------


def test_cjk_font_has_chinese_glyphs_when_found():
    name = fonts.cjk_font()
    if name is None:
        pytest.fail("no CJK font found: install the Debian package fonts-noto-cjk (make test does)")
    from matplotlib import font_manager, ft2font

    entry = next(f for f in font_manager.fontManager.ttflist if f.name == name)
    font = ft2font.FT2Font(entry.fname, face_index=entry.index)
    assert all(font.get_char_index(ord(c)) != 0 for c in "中国无数据依存")


def test_debian_noto_cjk_is_found_when_installed():
    from pathlib import Path

    if not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists():
        pytest.fail("no CJK font found: install the Debian package fonts-noto-cjk (make test does)")
    assert fonts.system_cjk_font() == "Noto Sans CJK SC"
    # the bundled subset is preferred; the full system face follows it for other characters
    assert fonts.cjk_font() == fonts.BUNDLED_FAMILY
    families = [fonts.BUNDLED_FAMILY, "Noto Sans CJK SC", "DejaVu Sans"]
    assert fonts.font_families("both")[0] == families


def test_font_families_fall_back_to_english_with_warning(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    with pytest.warns(fonts.CJKFontWarning, match="English-only"):
        fams, lang = fonts.font_families("both")
    assert (fams, lang) == (["DejaVu Sans"], "en")


# ---------------------------------------------------------------------------------------
# static maps
# ---------------------------------------------------------------------------------------


def _legend_texts(m) -> list[str]:
    leg = m.figure.legends[0]
    return [t.get_text() for t in leg.get_texts()]


def test_static_world_png_pdf_written_and_not_blank(world, dep_style, tmp_path):
    out = static_map(
        world,
        dep_style,
        tmp_path / "world.png",
        title="Dependence 2022",
        subtitle="HS 850760",
        note=NOTE,
        source="synthetic",
        formats=("png", "pdf"),
        dpi=60,
    )
    assert [p.name for p in out] == ["world.png", "world.pdf"]
    assert out[1].read_bytes()[:5] == b"%PDF-"
    img = mpimg.imread(out[0])
    assert img.shape[0] > 200
    assert img.shape[1] > 400
    assert img[..., :3].std() > 0.05  # not a blank canvas
    # every class colour occurs in the image (checked at its exact RGB)
    rgb = (img[..., :3] * 255).round().astype(int).reshape(-1, 3)
    present = {tuple(c) for c in np.unique(rgb, axis=0)}
    for c in dep_style.all_classes():
        hexcol = c.color.lstrip("#")
        assert tuple(int(hexcol[i : i + 2], 16) for i in (0, 2, 4)) in present, c.label_en
    assert not list(tmp_path.glob("*.tmp"))  # atomic writes leave no temporary files


def test_static_legend_has_every_class_label_and_count(world, dep_style):
    m = render_static_map(world, dep_style, title="T", lang="both")
    try:
        cjk = fonts.cjk_font()
        lang = "both" if cjk else "en"
        expected = [
            (c.label(lang), c.color, n)
            for c, n in zip(dep_style.all_classes(), [2, 1, 1, 2], strict=True)
        ]
        assert [(e.label, e.color, e.count) for e in m.legend_entries] == expected
        texts = _legend_texts(m)
        for label, _, n in expected:
            assert f"{label}  (n = {n})" in texts
        handles = m.figure.legends[0].legend_handles
        assert [h.get_facecolor() for h in handles] == [
            pytest.approx(_rgba(c.color)) for c in dep_style.all_classes()
        ]
    finally:
        m.close()


def _rgba(hexcol: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(hexcol)


def test_static_uses_cjk_font_when_available(world, dep_style):
    name = fonts.cjk_font()
    if name is None:
        pytest.fail("no CJK font found: install the Debian package fonts-noto-cjk (make test does)")
    m = render_static_map(world, dep_style, title="依存 Dependence", lang="both")
    try:
        assert m.lang == "both"
        assert m.font_families[0] == name
        label = next(t for t in m.figure.legends[0].get_texts() if "单向进口" in t.get_text())
        assert label.get_fontfamily()[0] == name
        assert m.warnings == []
    finally:
        m.close()


def test_static_without_cjk_font_draws_english_only(world, dep_style, monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    with pytest.warns(fonts.CJKFontWarning):
        m = render_static_map(world, dep_style, title="T", lang="zh")
    try:
        assert m.lang == "en"
        assert m.warnings
        assert "CJK" in m.warnings[0]
        texts = _legend_texts(m)
        assert "One-way import  (n = 2)" in texts
        assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    finally:
        m.close()


def test_static_counts_from_style_and_none(world, dep_style):
    m = render_static_map(world, dep_style, title="T", lang="en", counts="none")
    try:
        assert all(e.count is None for e in m.legend_entries)
        assert _legend_texts(m)[0] == "One-way import"
    finally:
        m.close()


def test_static_unclassified_values_get_their_own_entry(world):
    style = LayerStyle(
        kind="categorized",
        field="dep",
        classes=(ClassStyle("Import", "进口", "#2166ac", value="imp"),),
        title_en="D",
        title_zh="D",
    )
    m = render_static_map(world, style, title="T", lang="en")
    try:
        assert [(e.label, e.count) for e in m.legend_entries] == [
            ("Import", 2),
            ("Not classified", 4),
        ]
    finally:
        m.close()


def test_static_auto_projection_world_vs_china(world, dep_style, china, ratio_style):
    mw = render_static_map(world, dep_style, title="W", lang="en")
    mc = render_static_map(china, ratio_style, title="C", lang="en")
    try:
        assert (mw.projection, mw.crs) == ("equal_earth", EQUAL_EARTH)
        assert mw.scale_note == "scale along the equator"
        assert (mc.projection, mc.crs) == ("albers_china", ALBERS_CHINA)
        assert mc.scale_note.startswith("scale at ")
        assert "105°E" in mc.scale_note
    finally:
        mw.close()
        mc.close()


def test_static_china_far_south_islands_go_to_inset(china, ratio_style):
    from pyproj import Transformer

    m = render_static_map(china, ratio_style, title="C", lang="en")
    try:
        assert m.inset
        main_ax, inset_ax = m.figure.axes[0], m.figure.axes[1]
        fwd = Transformer.from_crs(4326, ALBERS_CHINA, always_xy=True)
        _, y_island = fwd.transform(112.15, 9.15)
        _, y_hainan = fwd.transform(109.5, 18.2)
        assert main_ax.get_ylim()[0] > y_island  # the island does not stretch the frame
        assert main_ax.get_ylim()[0] < y_hainan  # Hainan is inside
        assert inset_ax.get_ylim()[0] < y_island < inset_ax.get_ylim()[1]
        # the inset sits inside the main frame and covers no main-map feature
        assert inset_ax.get_position().x1 <= main_ax.get_position().x1 + 1e-9
    finally:
        m.close()

    no_island = china.iloc[:4]
    m2 = render_static_map(no_island, ratio_style, title="C", lang="en")
    try:
        assert not m2.inset
        assert len(m2.figure.axes) == 1
    finally:
        m2.close()


def test_static_world_clips_antarctica(dep_style):
    gdf = gpd.GeoDataFrame(
        {"dep": ["imp", "exp"]}, geometry=[box(-180, -90, 180, -65), box(0, 0, 10, 10)], crs=4326
    )
    m = render_static_map(gdf, dep_style, title="W", lang="en")
    try:
        ax = m.figure.axes[0]
        from pyproj import Transformer

        _, y60 = Transformer.from_crs(4326, EQUAL_EARTH, always_xy=True).transform(0, -60)
        assert ax.get_ylim()[0] == pytest.approx(y60, rel=0.05)
        # Antarctica is still counted (it is a data row), only clipped from view
        assert m.legend_entries[0].count == 1
    finally:
        m.close()


def test_static_output_is_deterministic(china, ratio_style, tmp_path):
    kw = {"title": "产能比 Ratio", "note": NOTE, "formats": ("png", "pdf"), "dpi": 50}
    a = static_map(china, ratio_style, tmp_path / "a", **kw)
    b = static_map(china, ratio_style, tmp_path / "b", **kw)
    for pa, pb in zip(a, b, strict=True):
        assert hashlib.sha256(pa.read_bytes()).digest() == hashlib.sha256(pb.read_bytes()).digest()
    assert b"CreationDate" not in a[1].read_bytes()


def test_static_pdf_text_is_extractable(china, ratio_style, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: install the Debian package poppler-utils (make test does)")
    if fonts.cjk_font() is None:
        pytest.fail("no CJK font found: install the Debian package fonts-noto-cjk (make test does)")
    (pdf,) = static_map(
        china, ratio_style, tmp_path / "c.pdf", title="Ratio", note=NOTE, formats=("pdf",)
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "No data / 无数据" in text
    assert "合成数据" in text


def test_static_rejects_bad_input(world, dep_style, tmp_path):
    with pytest.raises(InputFormatError, match="column 'missing'"):
        static_map(
            world,
            LayerStyle(**{**dep_style.__dict__, "field": "missing"}),
            tmp_path / "x",
            title="T",
        )
    with pytest.raises(InputFormatError, match="projection must be one of"):
        static_map(world, dep_style, tmp_path / "x", title="T", projection="mercator")
    with pytest.raises(InputFormatError, match="format must be one of"):
        static_map(world, dep_style, tmp_path / "x", title="T", formats=("jpg",))
    with pytest.raises(InputFormatError, match="no CRS"):
        static_map(world.set_crs(None, allow_override=True), dep_style, tmp_path / "x", title="T")


# ---------------------------------------------------------------------------------------
# web maps
# ---------------------------------------------------------------------------------------


def test_web_map_offline_legend_note_tooltips(world, dep_style, tmp_path):
    layers = [
        (str(y), world.assign(dep=np.roll(world["dep"].values, k)), dep_style)
        for k, y in enumerate((2012, 2017, 2022))
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. folium complaining about geometry types
        out = web_map(
            layers,
            tmp_path / "w.html",
            title="Dependence / 依存",
            note=NOTE,
            tooltip_fields=["name", "gl"],
        )
    html = out.read_text(encoding="utf-8")
    # offline: no external scripts or stylesheets, Leaflet inlined
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", html)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", html)
    assert "@import" not in html
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert cdn not in html
    assert "<script>/* @preserve\n * Leaflet 1.9.4" in html  # inlined, not linked
    # legend: every label and colour of every layer, with counts
    legend = html[html.index('id="gt-legends"') :]
    for c in dep_style.all_classes():
        assert f"{c.label_en} / {c.label_zh}" in legend
        assert f"background:{c.color}" in legend
    assert legend.count('class="gt-legend"') == 3
    assert "n = 2" in legend
    assert NOTE in html
    assert "Dependence / 依存" in html
    # tooltips in both languages; the geometry is stored once for the three years
    assert "Class / 类别" in html
    assert "Layer / 图层" in html
    assert html.count("var gt_geom_") == 1
    # one layer per year, only the first added to the map on load
    for y in ("2012", "2017", "2022"):
        assert f'"{y}"' in html
    assert not list(tmp_path.glob("*.tmp"))


def test_web_map_legend_entries_match_static_legend(world, dep_style):
    rows = legend_entries(world, dep_style, lang="en")
    m = render_static_map(world, dep_style, title="T", lang="en")
    try:
        assert rows == [(e.label, e.color, e.count) for e in m.legend_entries]
    finally:
        m.close()


def test_web_map_simplifies_world_geometry(tmp_path, dep_style):
    import shapely

    # a polygon with 20 000 vertices becomes small in the HTML
    t = np.linspace(0, 2 * np.pi, 20_000, endpoint=False)
    circle = shapely.Polygon(np.c_[100 * np.cos(t), 50 * np.sin(t)])
    gdf = gpd.GeoDataFrame({"dep": ["imp"]}, geometry=[circle], crs=4326)
    out = web_map([("x", gdf, dep_style)], tmp_path / "c.html", title="T")
    geom = re.search(r"var gt_geom_\w+ = (\[.*?\]);", out.read_text(encoding="utf-8")).group(1)
    assert len(geom) < 40_000
    out2 = web_map([("x", gdf, dep_style)], tmp_path / "c2.html", title="T", simplify=0)
    assert out2.stat().st_size > out.stat().st_size + 200_000


def test_web_map_rejects_bad_input(world, dep_style, tmp_path):
    with pytest.raises(InputFormatError, match="at least one"):
        web_map([], tmp_path / "x.html", title="T")
    with pytest.raises(InputFormatError, match="unique"):
        web_map([("a", world, dep_style), ("a", world, dep_style)], tmp_path / "x.html", title="T")
    with pytest.raises(InputFormatError, match="lang must be one of"):
        web_map([("a", world, dep_style)], tmp_path / "x.html", title="T", lang="fr")


def test_web_map_escapes_html(world, tmp_path):
    style = LayerStyle(
        kind="categorized",
        field="dep",
        title_en="A&B",
        title_zh="甲",
        classes=(ClassStyle("<b>imp</b>", "进口", "#123456", value="imp"),),
        nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
    )
    html = web_map([("l", world, style)], tmp_path / "e.html", title="<T>").read_text("utf-8")
    assert "<b>imp</b>" not in html.split("</style>")[-1].split("<script>")[0]
    assert "&lt;b&gt;imp&lt;/b&gt; / 进口" in html
    assert "&lt;T&gt;" in html


def test_nullable_missing_values_are_no_data(china, ratio_style, tmp_path):
    import pandas as pd

    gdf = china.assign(ratio=pd.array([0.5, pd.NA, 4.5, None, 0.2], dtype="Float64"))
    m = render_static_map(gdf, ratio_style, title="T", lang="en")
    try:
        assert [e.count for e in m.legend_entries] == [2, 1, 2]
    finally:
        m.close()
    assert legend_entries(gdf, ratio_style, lang="en")[-1] == ("No data", "#bdbdbd", 2)
    html = web_map([("x", gdf, ratio_style)], tmp_path / "n.html", title="T").read_text("utf-8")
    assert "<td>—<\\/td>" in html  # "</" is escaped inside the inline script


def test_web_map_optional_tiles_are_always_on(world, dep_style, tmp_path):
    html = web_map(
        [("a", world, dep_style), ("b", world, dep_style)],
        tmp_path / "t.html",
        title="T",
        tiles="OpenStreetMap",
    ).read_text("utf-8")
    assert "tile.openstreetmap.org" in html  # the basemap is the only online resource
    assert not re.search(r"<script[^>]+src=", html)


def test_web_map_is_byte_identical_for_the_same_inputs(world, dep_style, tmp_path):
    from branca.element import Element

    from geotrade.maps.webmap import web_map

    a = web_map([("2022", world, dep_style)], tmp_path / "a.html", title="t")
    b = web_map([("2022", world, dep_style)], tmp_path / "b.html", title="t")
    assert a.read_bytes() == b.read_bytes()
    # branca's random ids are restored for everyone else
    assert Element()._id != Element()._id
