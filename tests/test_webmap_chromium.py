"""Open a geotrade web map from disk in headless Chromium: it loads offline, without errors.

Needs Chromium (Debian: ``apt-get install chromium``). Without it these tests *fail* with a
clear message, unless ``GEOTRADE_SKIP_CHROMIUM=1`` is set. ``GEOTRADE_CHROMIUM`` may name
the binary.

JavaScript errors are captured without DevTools: a small collector script is injected at the
top of ``<head>`` of a copy of the page; it records ``window.onerror``, unhandled rejections
and ``console.error`` calls and, after the page has loaded, writes them as JSON into a
``<pre id="gt-errors">`` element, which ``--dump-dom`` then returns.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geotrade.maps.webmap import web_map
from geotrade.style.spec import ClassStyle, LayerStyle

pytestmark = pytest.mark.chromium

COLLECTOR = """<script>
window.__gtErrors = [];
window.addEventListener("error", function (e) {
  window.__gtErrors.push("error: " + (e.message || e));
});
window.addEventListener("unhandledrejection", function (e) {
  window.__gtErrors.push("rejection: " + e.reason);
});
(function () {
  var orig = console.error;
  console.error = function () {
    window.__gtErrors.push("console.error: " + Array.prototype.join.call(arguments, " "));
    return orig.apply(console, arguments);
  };
})();
window.addEventListener("load", function () {
  setTimeout(function () {
    var pre = document.createElement("pre");
    pre.id = "gt-errors";
    pre.textContent = JSON.stringify(window.__gtErrors);
    document.body.appendChild(pre);
  }, 300);
});
</script>"""

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1200,800",
    "--virtual-time-budget=5000",
]


def _chromium() -> str:
    if os.environ.get("GEOTRADE_SKIP_CHROMIUM") == "1":
        pytest.skip("GEOTRADE_SKIP_CHROMIUM=1")
    candidates = [
        os.environ.get("GEOTRADE_CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    for c in candidates:
        if c and shutil.which(c):
            return shutil.which(c)  # type: ignore[return-value]
    pytest.fail(
        "headless Chromium is needed to test web maps but none was found "
        "(tried chromium, chromium-browser, google-chrome). Install it "
        "(`apt-get install chromium`), point GEOTRADE_CHROMIUM at the binary, "
        "or set GEOTRADE_SKIP_CHROMIUM=1 to skip these tests."
    )


def _run(html: Path, *extra: str) -> str:
    exe = _chromium()
    with tempfile.TemporaryDirectory(prefix="gt-chromium-") as profile:
        proc = subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *extra, html.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if proc.returncode != 0:
        pytest.fail(f"chromium exited with {proc.returncode}: {proc.stderr[-2000:]}")
    return proc.stdout


def _dump(html: Path) -> tuple[str, list[str]]:
    """Return the DOM after load and the JavaScript errors collected on the page."""
    page = html.read_text(encoding="utf-8")
    probe = html.with_name(html.stem + ".probe.html")
    probe.write_text(page.replace("<head>", "<head>" + COLLECTOR, 1), encoding="utf-8")
    dom = _run(probe, "--dump-dom")
    m = re.search(r'<pre id="gt-errors">(.*?)</pre>', dom, re.S)
    assert m, "the page never finished loading (no error report in the DOM)"
    import html as _html

    return dom, json.loads(_html.unescape(m.group(1)))


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    style = LayerStyle(
        kind="categorized",
        field="dep",
        classes=(
            ClassStyle("One-way import", "单向进口", "#2166ac", value="imp"),
            ClassStyle("Mutual", "相互依存", "#ef8a62", value="mut"),
        ),
        title_en="Dependence",
        title_zh="依存类型",
        nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
    )
    gdf = gpd.GeoDataFrame(
        {"dep": ["imp", "mut", None, "imp"], "name": list("ABCD")},
        geometry=[
            box(-100, 20, -80, 40),
            box(0, 0, 20, 20),
            box(60, 20, 80, 40),
            box(100, -30, 130, -10),
        ],
        crs=4326,
    )
    layers = [
        (str(y), gdf.assign(dep=np.roll(gdf["dep"].values, k)), style)
        for k, y in enumerate((2012, 2017, 2022))
    ]
    out = tmp_path_factory.mktemp("web") / "map.html"
    return web_map(
        layers,
        out,
        title="Dependence / 依存",
        note="Synthetic data / 合成数据",
        tooltip_fields=["name"],
    )


def test_web_map_loads_offline_without_js_errors(page):
    dom, errors = _dump(page)
    assert errors == []
    # Leaflet ran: the map container was initialised and the 4 features of the first layer
    # were drawn as SVG paths (the other two years are not shown on load)
    assert re.search(r'class="[^"]*folium-map[^"]*leaflet-container', dom) or (
        "leaflet-container" in dom
    )
    assert len(re.findall(r'<path class="leaflet-interactive"', dom)) == 4
    # our script moved the legend and the note into Leaflet control corners
    corner = dom[dom.index("leaflet-control-container") :]
    assert 'id="gt-legends"' in corner
    assert 'id="gt-note"' in corner
    assert "One-way import / 单向进口" in corner
    assert "No data / 无数据" in corner
    # only the legend of the visible layer is displayed
    assert re.search(r'id="gt-legend-0"[^>]*>', dom).group(0).count("display: none") == 0
    for i in (1, 2):
        assert "display: none" in re.search(rf'id="gt-legend-{i}"[^>]*>', dom).group(0)
    # layer switcher with the three years as radio buttons
    radios = re.findall(
        r'<input type="radio" class="leaflet-control-layers-selector" name="leaf', dom
    )
    assert len(radios) == 3


def test_error_collector_catches_errors(page, tmp_path):
    """Guard against a test that cannot fail: a broken page must report its error."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>", "<script>undefinedFunctionCall();</script></body>", 1
        ),
        encoding="utf-8",
    )
    _, errors = _dump(broken)
    assert any("undefinedFunctionCall" in e for e in errors)


def test_web_map_screenshot_is_not_blank(page, tmp_path):
    shot = tmp_path / "shot.png"
    _run(page, f"--screenshot={shot}")
    from matplotlib import image as mpimg

    img = mpimg.imread(shot)
    assert img.shape[:2] == (800, 1200)
    rgb = (img[..., :3] * 255).round().astype(int).reshape(-1, 3)
    colours = {tuple(c) for c in np.unique(rgb, axis=0)}
    # fill colours blend with the background at 85 % opacity; look for the blended blue
    bg = np.array([0xEE, 0xF2, 0xF6])
    blue = np.array([0x21, 0x66, 0xAC])
    blended = tuple(np.round(0.85 * blue + 0.15 * bg).astype(int))
    assert any(np.abs(np.array(c) - blended).max() <= 3 for c in colours)


def test_always_on_boundary_line_draws_above_the_layers(tmp_path):
    """``lines=`` (the boundary line of China maps): drawn, not interactive, not switchable."""
    from shapely.geometry import LineString

    style = LayerStyle(
        kind="categorized",
        field="dep",
        classes=(ClassStyle("A", "甲", "#2166ac", value="a"),),
        title_en="T",
        title_zh="T",
    )
    gdf = gpd.GeoDataFrame(
        {"dep": ["a", "a"]}, geometry=[box(100, 20, 110, 30), box(110, 20, 120, 30)], crs=4326
    )
    line = gpd.GeoDataFrame(geometry=[LineString([(112, 5), (118, 15)])], crs=4326)
    out = web_map([("2022", gdf, style)], tmp_path / "l.html", title="t", lines=[line])
    dom, errors = _dump(out)
    assert errors == []
    assert len(re.findall(r'<path class="leaflet-interactive"', dom)) == 2  # the two boxes
    assert 'stroke="#4d4d4d"' in dom  # the line is drawn, as a non-interactive path
    plain, _ = _dump(web_map([("2022", gdf, style)], tmp_path / "p.html", title="t"))
    assert 'stroke="#4d4d4d"' not in plain
    selector = r'class="leaflet-control-layers-selector"'
    assert len(re.findall(selector, dom)) == len(re.findall(selector, plain))  # not switchable
