"""Publication tables: the seed layouts in Markdown, LaTeX and CSV."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from geotrade.models.nb import fit_nb
from geotrade.models.tables import Column, RegressionTable, gravity_table, nb_table
from geotrade.synthetic.panel import make_panel

X = ["gdp_log", "openness", "dist_log", "bri"]


@pytest.fixture(scope="module")
def nb_result():
    p = make_panel(n_partners=40)
    p = p[p["year"].isin([2017, 2022])]
    long = pd.concat(
        [
            p.assign(flow="import", value=p["exports_usd"] * 0.3),
            p.assign(flow="export", value=p["exports_usd"]),
        ]
    )
    return fit_nb(long, y="value", x=X, by=["year", "flow"], round_thousand=True)


def test_nb_table_columns_follow_seed_000_table_5(nb_result):
    t = nb_table(nb_result)
    # E before I, years ascending within each flow
    assert t.headers == [("E", "2017"), ("E", "2022"), ("I", "2017"), ("I", "2022")]
    labels = [r[0] for r in t.rows]
    # a pair of rows per variable (coefficient, parenthesised statistic), constant last
    assert labels[: 2 * 5 : 2] == [*X, "Constant"]
    assert all(lab == "" for lab in labels[1 : 2 * 5 : 2])
    assert labels[10:] == [
        "Observations",
        "Prob > chi2",
        "Log likelihood",
        "alpha",
        "LR test alpha=0 (p)",
    ]


def test_cells_hold_coefficient_stars_and_z(nb_result):
    t = nb_table(nb_result)
    fit = {
        (("E" if f.key["flow"] == "export" else "I"), str(f.key["year"])): f for f in nb_result.fits
    }
    for j, h in enumerate(t.headers):
        c = fit[h].coefs.set_index("variable")
        for i, v in enumerate([*X, "const"]):
            top, bottom = t.rows[2 * i][1][j], t.rows[2 * i + 1][1][j]
            m = re.fullmatch(r"(-?\d+\.\d{4})(\**)", top)
            assert m, top
            assert float(m.group(1)) == pytest.approx(c.loc[v, "coef"], abs=5e-5)
            assert m.group(2) == c.loc[v, "stars"]
            assert bottom == f"({c.loc[v, 'z']:.2f})"
        assert t.rows[10][1][j] == str(fit[h].n)
    se = nb_table(nb_result, paren="se")
    c = fit[("E", "2017")].coefs.set_index("variable")
    assert se.rows[1][1][0] == f"({c.loc['gdp_log', 'se']:.2f})"
    assert "standard errors in parentheses" in se.note


def test_markdown_structure(nb_result):
    md = nb_table(nb_result, lang="zh").to_markdown()
    lines = md.splitlines()
    assert lines[0] == "| 解释指标 | E 2017 | E 2022 | I 2017 | I 2022 |"
    assert lines[1] == "|---|---|---|---|---|"
    body = [ln for ln in lines[2:] if ln.startswith("|")]
    assert all(ln.count("|") == 6 for ln in body)
    assert body[8].startswith("| 常数项 |")
    assert body[10].startswith("| 样本数 |")
    assert lines[-1].startswith("注：") or lines[-1].startswith("注:")
    assert "括号内为 z 统计量" in lines[-1]


def test_latex_structure(nb_result):
    tex = nb_table(nb_result).to_latex()
    assert tex.count(r"\begin{tabular}{lcccc}") == 1
    assert r"Variable & \multicolumn{2}{c}{E} & \multicolumn{2}{c}{I} \\" in tex
    assert r"\cmidrule(lr){2-3} \cmidrule(lr){4-5}" in tex
    assert r" & 2017 & 2022 & 2017 & 2022 \\" in tex
    assert tex.index(r"\toprule") < tex.index(r"\midrule") < tex.index(r"\bottomrule")
    rows = [ln for ln in tex.splitlines() if ln.endswith(r"\\")]
    assert all(ln.count("&") == 4 for ln in rows[2:])
    assert r"gdp\_log" in tex
    assert "gdp_log" not in tex.replace(r"gdp\_log", "")
    assert re.search(r"-?\d+\.\d{4}\$\^\{\*{1,3}\}\$", tex)  # stars as superscripts
    # a midrule separates coefficients from the footer (Observations)
    lines = tex.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("Observations"))
    assert lines[i - 1] == r"\midrule"


def test_csv_two_header_rows_and_round_trip(nb_result):
    t = nb_table(nb_result)
    rows = list(csv.reader(io.StringIO(t.to_csv())))
    assert rows[0] == ["Variable", "E", "E", "I", "I"]
    assert rows[1] == ["", "2017", "2022", "2017", "2022"]
    assert rows[2][0] == "gdp_log"
    assert rows[3][0] == ""
    assert rows[-1][0].startswith("Note:")
    assert len(rows) == 2 + len(t.rows) + 1


def test_write_is_atomic_and_utf8(tmp_path, nb_result):
    t = nb_table(nb_result, lang="zh")
    for fmt in ("csv", "md", "tex"):
        out = t.write(tmp_path / f"t.{fmt}", fmt=fmt)
        assert "常数项" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.md", "t.tex"]


def test_gravity_table_layout_seed_001():
    from geotrade.models.gravity import fit_gravity

    p = make_panel(n_partners=30)
    fits = fit_gravity(p, y="lct_imports", x=["gdp_log", "openness"], lag=True, method="both")
    t = gravity_table(fits)
    assert [h[1] for h in t.headers] == ["(1)", "(2)"]
    assert t.headers[0][0] == "ln lct_imports (OLS)"
    labels = [r[0] for r in t.rows]
    assert labels[:4] == ["gdp_log", "", "openness", ""]
    assert labels[4:] == [
        "Estimator",
        "Trade Partner FE",
        "Year FE",
        "Observations",
        "Dropped observations",
    ]
    assert t.rows[5][1] == ["Yes", "Yes"]
    assert t.rows[7][1] == [f"{fits[0].n:,}", f"{fits[1].n:,}"]
    assert "t statistics in parentheses" in t.note
    # the t statistic in parentheses is coef / se
    c = fits[1].coefs.set_index("variable")
    assert t.rows[1][1][1] == f"({c.loc['gdp_log', 'stat']:.2f})"


def test_blank_cells_for_variables_missing_in_a_column():
    a = pd.DataFrame({"variable": ["x"], "coef": [1.0], "se": [0.5], "z": [2.0], "p": [0.04]})
    b = pd.DataFrame({"variable": ["w"], "coef": [-1.0], "se": [0.1], "z": [-10.0], "p": [0.0]})
    t = RegressionTable.build([Column(("", "(1)"), a), Column(("", "(2)"), b)], digits=2)
    assert t.rows[0] == ("x", ["1.00**", ""])
    assert t.rows[2] == ("w", ["", "-1.00***"])
