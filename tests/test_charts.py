"""Share, balance and sector charts (seed 001 Figures 1-4): files, metadata, errors."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from PIL import Image

from geotrade.errors import ValidationError
from geotrade.maps.charts import balance_chart, sector_chart, shares_chart


@pytest.fixture
def groups() -> pd.DataFrame:
    rows = []
    for y, (c, h) in {1992: (1.1, 93.8), 2022: (22.8, 62.0)}.items():  # seed 001 Figure 1
        e = 100.0 - c - h
        for g, v in (("CHN", c), ("High income", h), ("Emerging market and developing economies", e)):  # noqa: E501
            rows.append({"year": y, "group": g, "export_share_pct": v,
                         "import_share_pct": v, "balance_usd": (v - 33.3) * 1e9})  # fmt: skip
    return pd.DataFrame(rows)


def test_charts_write_png_pdf_svg_with_title_and_note(tmp_path, groups):
    note = "SYNTHETIC DATA 合成数据"
    out = shares_chart(groups, tmp_path / "s.png", note=note, formats=("png", "pdf", "svg"))
    assert [p.suffix for p in out] == [".png", ".pdf", ".svg"]
    with Image.open(out[0]) as im:
        assert im.info["Title"].endswith("Share of world trade by group")
        assert im.info["Description"] == note
        assert im.size[0] > 1000
    assert b"%PDF" in out[1].read_bytes()[:8]
    (b,) = balance_chart(groups, tmp_path / "b.png", lang="en", title="Balance")
    with Image.open(b) as im:
        assert im.info["Title"] == "Balance"
    sectors = pd.DataFrame({"year": [2021, 2022], "sector": ["Energy storage"] * 2,
                            "exports_usd": [2e10, 5.8e10]})  # fmt: skip
    (s,) = sector_chart(sectors, tmp_path / "sec.png", lang="zh")
    assert s.stat().st_size > 5000
    assert not list(tmp_path.glob(".*.tmp"))  # atomic: no temp file left


def test_chart_inputs_are_checked(tmp_path, groups):
    with pytest.raises(ValidationError, match="lacks column"):
        shares_chart(groups.drop(columns="import_share_pct"), tmp_path / "x.png")
    with pytest.raises(ValidationError, match="empty"):
        balance_chart(groups.iloc[0:0], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_long_year_axes_do_not_overlap(tmp_path):
    # 30 years (the IMF dashboard's 1994-2023): the year labels must not run into each other
    years = list(range(1994, 2024))
    t = pd.DataFrame({"year": years * 2, "group": ["CHN"] * 30 + ["High income"] * 30,
                      "export_share_pct": [30.0] * 30 + [70.0] * 30,
                      "import_share_pct": [40.0] * 30 + [60.0] * 30})  # fmt: skip
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    shares_chart(t, tmp_path / "long.png")
    fig = plt.gcf() if plt.get_fignums() else None
    assert fig is None  # the chart closes its figure
    # redraw the same panel to measure the label boxes
    from geotrade.maps import charts

    fig, (ax,), _ = charts._figure("en", 1)
    charts._stacked(ax, t, cat="group", value="export_share_pct", lang="en", order=["CHN"])
    fig.canvas.draw()
    boxes = [lbl.get_window_extent() for lbl in ax.get_xticklabels()]
    assert all(a.x1 <= b.x0 + 0.5 for a, b in itertools.pairwise(boxes))
    plt.close(fig)
