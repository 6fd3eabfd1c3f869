"""The bundled Noto Sans SC subset: coverage of the package's Chinese text, rendering with
every system font hidden (no "Glyph missing" warning), licence files shipped beside it."""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd
import pytest
from shapely.geometry import box

from geotrade.maps import fonts

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = Path(fonts.BUNDLED_FONT).parent


def _subset_script():
    spec = importlib.util.spec_from_file_location(
        "subset_cjk_font", ROOT / "scripts" / "subset_cjk_font.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bundled_font_covers_every_cjk_character_of_the_package():
    from fontTools.ttLib import TTFont

    chars = _subset_script().package_cjk_chars(ROOT / "geotrade")
    assert {"自", "治", "区", "依", "存", "焦"} <= chars  # admin names, class labels
    for path in (fonts.BUNDLED_FONT, fonts.BUNDLED_FONT_BOLD):
        cmap = TTFont(path)["cmap"].getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        assert missing == [], f"rebuild with scripts/subset_cjk_font.py: {''.join(missing)}"


def test_bundled_font_has_licence_and_provenance():
    assert fonts.BUNDLED_FONT.endswith(".otf")
    assert os.path.getsize(fonts.BUNDLED_FONT) < 3_000_000
    ofl = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in readme
    assert "scripts/subset_cjk_font.py" in readme
    from fontTools.ttLib import TTFont

    name = TTFont(fonts.BUNDLED_FONT)["name"]
    assert name.getDebugName(1) == fonts.BUNDLED_FAMILY
    assert "Source" not in name.getDebugName(1)  # the OFL Reserved Font Name is not used


@pytest.fixture
def no_system_fonts(monkeypatch):
    """Hide every font except matplotlib's own (DejaVu etc.) and geotrade's bundled one."""
    from matplotlib import font_manager

    own = str(Path(matplotlib.get_data_path(), "fonts"))
    fm = font_manager.fontManager
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if f.fname.startswith(own)])
    monkeypatch.setattr(fm, "afmlist", [f for f in fm.afmlist if f.fname.startswith(own)])
    monkeypatch.setattr(fonts, "_FONT_GLOBS", ())
    caches = (fonts.bundled_font, fonts.system_cjk_font, fm._findfont_cached)
    for c in caches:
        c.cache_clear()
    yield
    for c in caches:
        c.cache_clear()


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)
            or "Glyph" in str(w.message)]  # fmt: skip


def test_fixture_really_hides_system_fonts(no_system_fonts, monkeypatch):
    assert fonts.system_cjk_font() is None
    monkeypatch.setattr(fonts, "bundled_font", lambda: None)
    with pytest.warns(fonts.CJKFontWarning):
        assert fonts.font_families("both") == (["DejaVu Sans"], "en")


def test_without_bundled_font_chinese_would_be_tofu(no_system_fonts, tmp_path):
    """Control: the warning the main test looks for does occur when no CJK face is used."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
            fig.text(0.1, 0.5, "无数据")
            fig.savefig(tmp_path / "x.png")
    plt.close(fig)
    assert _glyph_warnings(caught)


def test_demo_like_map_and_chart_render_chinese_without_system_fonts(
    no_system_fonts, tmp_path, caplog
):
    from geotrade.demo import SYNTHETIC_NOTE
    from geotrade.maps.charts import shares_chart
    from geotrade.maps.static import static_map
    from geotrade.reference import china_admin
    from geotrade.style.canonical import dependence_style

    assert fonts.cjk_font() == fonts.BUNDLED_FAMILY
    assert fonts.font_families("both") == ([fonts.BUNDLED_FAMILY, "DejaVu Sans"], "both")
    style = dependence_style(counts={"mutual": 1})
    values = [c.value for c in style.all_classes() if c.value is not None]
    admin = china_admin()
    names = admin["name"].astype(str).tolist()
    geoms = [box(i, 0, i + 0.9, 1) for i in range(len(values))]
    gdf = gpd.GeoDataFrame({style.field: values}, geometry=geoms, crs=4326)
    # every admin name of the package in one subtitle (a demo map draws a few of them)
    subtitle = "中国锂离子电池贸易相互依存类型（2022年）· " + "".join(names)
    caplog.set_level("INFO", logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = static_map(gdf, style, tmp_path / "m.png", title="T", subtitle=subtitle,
                         note=SYNTHETIC_NOTE, formats=("png", "pdf"), dpi=40)  # fmt: skip
        groups = pd.DataFrame({"year": [2022, 2022], "group": ["CHN", "High income"],
                               "export_share_pct": [40.0, 60.0],
                               "import_share_pct": [30.0, 70.0]})  # fmt: skip
        out += shares_chart(groups, tmp_path / "s.png", note=SYNTHETIC_NOTE)
    assert all(p.stat().st_size > 0 for p in out)
    assert _glyph_warnings(caught) == []
    # bold titles find the bundled bold face (no "Failed to find font weight bold" fallback)
    assert not [r for r in caplog.records if "Failed to find font" in r.getMessage()]
    assert not [w for w in caught if issubclass(w.category, fonts.CJKFontWarning)]
