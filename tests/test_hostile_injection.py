"""Issue #18 item 3: data-borne text cannot inject script, markup or formulas.

The web map is opened in headless Chromium (helpers of ``test_webmap_chromium``): a
payload that ran would leave ``PWNED`` in the page's error collector.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geotrade.cli import main
from geotrade.io.textsafe import csv_cell, md_cell, neutralise_csv
from geotrade.style.spec import ClassStyle, LayerStyle

SCRIPT = "</title><script>window.__gtErrors.push('PWNED')</script>"
IMG = "<img src=x onerror=\"window.__gtErrors.push('PWNED')\">"


def _hostile_style() -> LayerStyle:
    return LayerStyle(
        kind="categorized",
        field="dep",
        classes=(
            ClassStyle(IMG, SCRIPT, "#2166ac", value="imp"),
            ClassStyle("Mutual\x07|x", "相互\x0b依存", "#ef8a62", value="mut"),
        ),
        title_en=SCRIPT,
        title_zh=IMG,
        nodata=ClassStyle("No data", "无数据", "#d9d9d9"),
    )


def _hostile_map(out: Path) -> Path:
    from geotrade.maps.webmap import web_map

    gdf = gpd.GeoDataFrame(
        {"dep": ["imp", "mut"], "name": [IMG, SCRIPT]},
        geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)],
        crs=4326,
    )
    return web_map(
        [(IMG, gdf, _hostile_style()), (SCRIPT, gdf, _hostile_style())],
        out,
        title=SCRIPT + IMG,
        note=IMG,
        tooltip_fields=["name"],
    )


def test_web_map_escapes_every_data_borne_string(tmp_path) -> None:
    page = _hostile_map(tmp_path / "m.html").read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert IMG not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;" in page
    assert page.count("<title>") == 1
    assert "<img src=x" not in page  # neither in HTML nor in the JSON of the tooltips


@pytest.mark.chromium
def test_web_map_payloads_do_not_run_in_chromium(tmp_path) -> None:
    from test_webmap_chromium import _dump

    dom, errors = _dump(_hostile_map(tmp_path / "m.html"))
    assert not [e for e in errors if "PWNED" in e], errors
    assert "window.__gtErrors.push" in dom  # shown as text, not run


def test_mismatch_column_name_in_html_title_and_report(tmp_path, capsys) -> None:
    name = "</title><script>alert(1)</script>|x"
    table = tmp_path / "t.csv"
    table.write_text(
        f'province,"{name}",outlets\n广东,82000,120\n湖南,31000,40\n江西,25000,60\n湖北,600,45\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        ["--json", "mismatch", str(table), "--demand", name, "--supply", "outlets",
         "--level", "province", "--permutations", "9", "--gpkg", str(out / "m.gpkg"),
         "--html", str(out / "m.html"), "--report", str(out / "m.md")]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().out[-500:]
    html = (out / "m.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    md = (out / "m.md").read_text(encoding="utf-8")
    assert "<script>" not in md
    assert md.splitlines()[0].startswith("# Spatial mismatch: &lt;/title&gt;")


def test_markdown_cells_cannot_break_tables() -> None:
    import pandas as pd

    from geotrade.commands.recycling import md_table
    from geotrade.commands.trade import md_table as trade_md

    df = pd.DataFrame({"a|b": ["x|y\nz", "<b>bold</b>"], "v": [1.0, 2.0]})
    for render in (md_table, trade_md):
        lines = render(df).splitlines()
        assert len(lines) == 4  # header, rule, two rows: the line break stayed in its cell
        assert all(ln.count("|") - ln.count("\\|") == 3 for ln in lines)
        assert "<b>" not in "\n".join(lines)
    assert md_cell("a\r\nb|<c>") == "a b\\|&lt;c&gt;"


def test_qml_and_sld_drop_control_characters() -> None:
    from geotrade.style.qml import to_qml
    from geotrade.style.sld import to_sld

    style = _hostile_style()
    for text in (
        to_qml(style, geometry="polygon"),
        to_sld(style, geometry="polygon", layer_name="cells\x01<x>"),
    ):
        assert "\x07" not in text
        assert "\x0b" not in text
        body = text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text
        ET.fromstring(body.encode("utf-8"))  # well-formed XML
        assert "Mutual|x" in text


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path) -> None:
    import pandas as pd

    from geotrade.commands.trade import write_csv

    frame = pd.DataFrame(
        {
            "partner": ['=HYPERLINK("http://evil")', "+SUM(A1)", "-cmd", "@x", "ok", "-"],
            "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0],
            "text_number": ["-12", "+3.5", "1", "2", "3", "4"],
        }
    )
    path = write_csv(frame, tmp_path / "x.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["partner"] for r in rows] == [
        "'=HYPERLINK(\"http://evil\")", "'+SUM(A1)", "'-cmd", "'@x", "ok", "'-",
    ]  # fmt: skip
    assert [r["value"] for r in rows][:3] == ["-1.5", "2.0", "-3.0"]  # numbers untouched
    assert [r["text_number"] for r in rows][:2] == ["-12", "+3.5"]
    assert csv_cell(-5) == -5
    assert list(neutralise_csv(pd.DataFrame({"=x": [1]})).columns) == ["'=x"]


def test_regression_table_escapes_labels_but_keeps_coefficients() -> None:
    import pandas as pd

    from geotrade.models.tables import Column, RegressionTable

    c = pd.DataFrame(
        {"variable": ["=cmd|x", "const"], "coef": [1.1122, -9.2761], "se": [0.08, 2.6],
         "z": [13.62, -3.52], "p": [1e-9, 4e-4]}
    )  # fmt: skip
    t = RegressionTable.build([Column(("E", "2017"), c, {})], title="<b>T</b>")
    rows = list(csv.reader(io.StringIO(t.to_csv())))
    assert rows[2][0] == "'=cmd|x"
    assert ["Constant", "-9.2761***"] in rows  # a computed negative coefficient stays
    md = t.to_markdown()
    assert "| =cmd\\|x | 1.1122*** |" in md
    assert "<b>" not in md


def test_web_map_text_is_not_a_jinja_template(tmp_path):
    """Titles and notes are data: ``{{ 7*7 }}`` must reach the page as written, not as 49."""
    import geopandas as gpd
    from shapely.geometry import box

    from geotrade.maps.webmap import web_map
    from geotrade.style.spec import ClassStyle, LayerStyle

    style = LayerStyle(kind="categorized", field="v", title_en="T {{ 7*7 }}", title_zh="T",
                       classes=(ClassStyle("A", "A", "#2166ac", value="a"),))  # fmt: skip
    gdf = gpd.GeoDataFrame({"v": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    out = web_map([("L", gdf, style)], tmp_path / "m.html", title="Map {{ 7*7 }} {% raw %}",
                  note="note {{ 6*7 }}")  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "Map {{ 7*7 }} {% raw %}" in text
    assert "note {{ 6*7 }}" in text
    assert "Map 49" not in text
    assert "note 42" not in text
