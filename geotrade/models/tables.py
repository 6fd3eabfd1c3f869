r"""Publication regression tables in the seeds' layout: CSV, Markdown and LaTeX.

Layout (seed 000 Table 5, seed 001 Tables 4-5): one **column per model**, grouped under a
header (seed 000: flow ``E``/``I`` over years 2017/2022; seed 001: outcome over ``(1)``,
``(2)``); one **pair of rows per variable**: the coefficient with stars, then a statistic in
parentheses; the constant last; then footer rows (observations, fixed effects,
log-likelihood, ...). Stars: ``***`` p < 0.01, ``**`` p < 0.05, ``*`` p < 0.1.

The parenthesised statistic is a choice (``paren``): ``"z"`` (or ``"t"``) statistics or
``"se"`` standard errors. Seed 001 prints t statistics. Seed 000's note says "括号内为标准误"
(standard errors) but the numbers are test statistics (negative values such as ``(-4.09)``
cannot be standard errors, and ``1.1122***`` over ``(13.62)`` only fits a z statistic), so
:func:`nb_table` defaults to ``"z"`` and the note states what the parentheses hold.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"variable": ["GDP", "const"], "coef": [1.1122, -9.2761],
...                   "se": [0.0817, 2.635], "z": [13.62, -3.52], "p": [1e-9, 4e-4]})
>>> t = RegressionTable.build([Column(("E", "2017"), c, {"Observations": "174"})],
...                           labels={"const": "Constant"})
>>> print(t.to_markdown())
| Variable | E 2017 |
|---|---|
| GDP | 1.1122*** |
|  | (13.62) |
| Constant | -9.2761*** |
|  | (-3.52) |
| Observations | 174 |
<BLANKLINE>
Note: *** p < 0.01, ** p < 0.05, * p < 0.1; z statistics in parentheses.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from geotrade.models import stars

__all__ = ["Column", "RegressionTable", "gravity_table", "nb_table"]

Paren = Literal["z", "t", "se"]
Lang = Literal["en", "zh"]

_PAREN_NOTE = {
    "en": {
        "z": "z statistics in parentheses",
        "t": "t statistics in parentheses",
        "se": "standard errors in parentheses",
    },
    "zh": {"z": "括号内为 z 统计量", "t": "括号内为 t 统计量", "se": "括号内为标准误"},
}
_STARS_NOTE = {
    "en": "*** p < 0.01, ** p < 0.05, * p < 0.1",
    "zh": "显著性水平 ***：p < 0.01，**：p < 0.05，*：p < 0.1",
}
_WORDS = {
    "en": {
        "variable": "Variable",
        "const": "Constant",
        "n": "Observations",
        "prob": "Prob > chi2",
        "llf": "Log likelihood",
        "alpha": "alpha",
        "alpha_p": "LR test alpha=0 (p)",
        "partner_fe": "Trade Partner FE",
        "year_fe": "Year FE",
        "yes": "Yes",
        "no": "No",
        "note": "Note",
        "dropped": "Dropped observations",
        "method": "Estimator",
    },
    "zh": {
        "variable": "解释指标",
        "const": "常数项",
        "n": "样本数",
        "prob": "Prob > chi2",
        "llf": "Loglikelihood",
        "alpha": "alpha",
        "alpha_p": "alpha=0 似然比检验 (p)",
        "partner_fe": "贸易伙伴固定效应",
        "year_fe": "年份固定效应",
        "yes": "是",
        "no": "否",
        "note": "注",
        "dropped": "剔除样本数",
        "method": "估计方法",
    },
}


@dataclass(frozen=True)
class Column:
    """One model column: a header (group, sub-header), its coefficients and footer values.

    ``coefs`` has ``variable, coef, se, p`` and a statistic column ``z`` or ``t``.
    """

    header: tuple[str, str]
    coefs: pd.DataFrame
    footer: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RegressionTable:
    """A rendered-ready regression table (see the module docstring for the layout)."""

    headers: list[tuple[str, str]]
    rows: list[tuple[str, list[str]]]
    note: str
    title: str = ""
    variable_label: str = "Variable"
    n_coef_rows: int = 0

    # -------------------------------------------------------------- construction
    @classmethod
    def build(
        cls,
        columns: Sequence[Column],
        *,
        variables: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        paren: Paren = "z",
        digits: int = 4,
        paren_digits: int = 2,
        lang: Lang = "en",
        title: str = "",
        extra_note: str = "",
    ) -> RegressionTable:
        """Assemble a table from model columns.

        Parameters
        ----------
        columns
            Model columns in display order.
        variables
            Row order (default: first appearance across columns, ``const`` last).
        labels
            Display names of variables (``const`` defaults to "Constant"/"常数项").
        paren
            Statistic in parentheses: ``"z"``, ``"t"`` (the column's ``z`` or ``t``) or
            ``"se"``.
        digits, paren_digits
            Decimals of coefficients and of the parenthesised statistic.
        lang
            Language of the fixed labels and of the note.
        title
            Caption.
        extra_note
            Appended to the note.
        """
        words = _WORDS[lang]
        lab = {"const": words["const"], **dict(labels or {})}
        if variables is None:
            seen: dict[str, None] = {}
            for c in columns:
                for v in c.coefs["variable"]:
                    seen.setdefault(str(v), None)
            order = [v for v in seen if v != "const"] + (["const"] if "const" in seen else [])
        else:
            order = list(variables)
        rows: list[tuple[str, list[str]]] = []
        for v in order:
            top, bottom = [], []
            for c in columns:
                hit = c.coefs[c.coefs["variable"] == v]
                if hit.empty:
                    top.append("")
                    bottom.append("")
                    continue
                r = hit.iloc[0]
                top.append(f"{r['coef']:.{digits}f}{stars(float(r['p']))}")
                key = "se" if paren == "se" else ("z" if "z" in hit.columns else "t")
                if paren != "se" and key not in hit.columns:
                    key = "t" if "t" in hit.columns else "z"
                bottom.append(f"({r[key]:.{paren_digits}f})")
            rows.append((lab.get(v, v), top))
            rows.append(("", bottom))
        n_coef_rows = len(rows)
        footer_keys: dict[str, None] = {}
        for c in columns:
            for k in c.footer:
                footer_keys.setdefault(k, None)
        for k in footer_keys:
            rows.append((k, [str(c.footer.get(k, "")) for c in columns]))
        note = f"{words['note']}: {_STARS_NOTE[lang]}; {_PAREN_NOTE[lang][paren]}."
        if extra_note:
            note += " " + extra_note
        return cls(
            headers=[c.header for c in columns],
            rows=rows,
            note=note,
            title=title,
            variable_label=words["variable"],
            n_coef_rows=n_coef_rows,
        )

    # -------------------------------------------------------------- rendering
    def _flat_headers(self) -> list[str]:
        return [" ".join(p for p in h if p) for h in self.headers]

    def to_frame(self) -> pd.DataFrame:
        """Return the table as a DataFrame (first column the row labels, one column per model)."""
        cols = [self.variable_label, *self._flat_headers()]
        return pd.DataFrame([[label, *cells] for label, cells in self.rows], columns=cols)

    def to_csv(self) -> str:
        """CSV text: two header lines (group, sub-header), then the rows, then the note."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        from geotrade.io.textsafe import csv_cell

        w.writerow([csv_cell(c) for c in (self.variable_label, *[h[0] for h in self.headers])])
        w.writerow([csv_cell(c) for c in ("", *[h[1] for h in self.headers])])
        for label, cells in self.rows:  # labels come from input column names; cells are ours
            w.writerow([csv_cell(label), *cells])
        w.writerow([csv_cell(self.note)])
        return buf.getvalue()

    def to_markdown(self) -> str:
        """GitHub Markdown: one header row (``group sub-header``), rows, then the note."""
        from geotrade.io.textsafe import md_cell, md_text

        head = [md_cell(h) for h in (self.variable_label, *self._flat_headers())]
        lines = []
        if self.title:
            lines += [f"**{md_text(self.title)}**", ""]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for label, cells in self.rows:
            lines.append("| " + " | ".join(md_cell(c) for c in (label, *cells)) + " |")
        lines += ["", self.note]  # geotrade's own text (stars, statistic)
        return "\n".join(lines)

    def to_latex(self) -> str:
        r"""LaTeX ``table`` with booktabs rules and a ``\multicolumn`` header per group."""
        n = len(self.headers)
        groups: list[tuple[str, int, int]] = []  # label, first col (1-based), span
        for i, (g, _s) in enumerate(self.headers):
            if groups and groups[-1][0] == g:
                label, first, span = groups[-1]
                groups[-1] = (label, first, span + 1)
            else:
                groups.append((g, i + 2, 1))
        out = [r"\begin{table}[htbp]", r"\centering"]
        if self.title:
            out.append(rf"\caption{{{_tex(self.title)}}}")
        out.append(r"\begin{tabular}{l" + "c" * n + "}")
        out.append(r"\toprule")
        out.append(
            " & ".join(
                [_tex(self.variable_label)]
                + [
                    rf"\multicolumn{{{span}}}{{c}}{{{_tex(g)}}}" if span > 1 else _tex(g)
                    for g, _first, span in groups
                ]
            )
            + r" \\"
        )
        rules = [rf"\cmidrule(lr){{{first}-{first + span - 1}}}" for _g, first, span in groups]
        out.append(" ".join(rules))
        out.append(" & ".join(["", *[_tex(s) for _g, s in self.headers]]) + r" \\")
        out.append(r"\midrule")
        for i, (label, cells) in enumerate(self.rows):
            if i == self.n_coef_rows and 0 < i < len(self.rows):
                out.append(r"\midrule")
            out.append(" & ".join([_tex(label), *[_tex(c) for c in cells]]) + r" \\")
        out.append(r"\bottomrule")
        out.append(r"\end{tabular}")
        out.append(rf"\par\smallskip{{\footnotesize {_tex(self.note)}}}")
        out.append(r"\end{table}")
        return "\n".join(out) + "\n"

    def write(self, path: str | os.PathLike[str], *, fmt: Literal["csv", "md", "tex"]) -> Path:
        """Write the table atomically as ``csv``, ``md`` or ``tex`` (UTF-8)."""
        from geotrade.io.atomic import atomic_path

        text = {"csv": self.to_csv, "md": self.to_markdown, "tex": self.to_latex}[fmt]()
        target = Path(path)
        with atomic_path(target) as tmp:
            tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return target


_TEX_ESC = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _tex(s: str) -> str:
    """Escape LaTeX specials; stars become superscripts (``1.2^{***}`` in math mode)."""
    body = "".join(_TEX_ESC.get(ch, ch) for ch in str(s))
    stripped = body.rstrip("*")
    n = len(body) - len(stripped)
    if n and stripped:
        return f"{stripped}$^{{{'*' * n}}}$"
    return body


# ------------------------------------------------------------------ model-specific tables


def _fmt_p(p: float) -> str:
    return f"{p:.4f}"


def nb_table(
    result: Any,
    *,
    labels: Mapping[str, str] | None = None,
    paren: Paren = "z",
    lang: Lang = "en",
    flow_labels: Mapping[str, str] | None = None,
    title: str = "",
) -> RegressionTable:
    """Seed 000 Table 5 from a :class:`geotrade.models.nb.NBResult`.

    Columns: one per fit; with ``by=["flow", "year"]`` (or ``["year", "flow"]``) the header
    group is the flow (``export`` → ``E``, ``import`` → ``I``) and the sub-header the year;
    otherwise the group keys joined. Footer: observations, Prob > chi2, log-likelihood,
    alpha and the p-value of the LR test of alpha = 0.

    Examples
    --------
    >>> from geotrade.synthetic.panel import make_panel
    >>> from geotrade.models.nb import fit_nb
    >>> res = fit_nb(make_panel(seed=2, n_partners=30), y="exports_usd",
    ...              x=["gdp_log"], by=["year"], round_thousand=True)
    >>> nb_table(res).headers[:2]
    [('exports_usd', '2011'), ('exports_usd', '2012')]
    """
    words = _WORDS[lang]
    fl = {"export": "E", "import": "I", **dict(flow_labels or {})}
    cols = []
    fits = list(result.fits)
    if "flow" in result.by:
        order = {k: i for i, k in enumerate(fl)}
        fits.sort(key=lambda f: (order.get(str(f.key["flow"]), 99), str(f.key["flow"])))
    for f in fits:
        key = dict(f.key)
        flow = key.pop("flow", None)
        group = fl.get(str(flow), str(flow)) if flow is not None else result.y
        sub = " ".join(str(v) for v in key.values())
        if not group and not sub:
            sub = result.y
        footer = {
            words["n"]: str(f.n),
            words["prob"]: _fmt_p(f.lr_p),
            words["llf"]: f"{f.llf:.4f}",
            words["alpha"]: f"{f.alpha:.4f}",
            words["alpha_p"]: _fmt_p(f.alpha_p),
        }
        cols.append(Column((group, sub), f.coefs, footer))
    return RegressionTable.build(
        cols, labels=labels, paren=paren, lang=lang, title=title, digits=4, paren_digits=2
    )


def gravity_table(
    fits: Sequence[Any],
    *,
    labels: Mapping[str, str] | None = None,
    paren: Paren = "t",
    lang: Lang = "en",
    title: str = "",
) -> RegressionTable:
    """Seed 001 Tables 4-5 from :class:`geotrade.models.gravity.GravityFit` objects.

    Columns ``(1), (2), ...`` grouped under the outcome and estimator; rows per variable
    (coefficient with stars over the t statistic), then ``Trade Partner FE``, ``Year FE``,
    ``Observations`` and the number of dropped observations.
    """
    words = _WORDS[lang]
    cols = []
    for i, f in enumerate(fits, start=1):
        fe = set(f.fe)
        footer = {
            words["method"]: f.method.upper(),
            words["partner_fe"]: words["yes"] if f.id in fe else words["no"],
            words["year_fe"]: words["yes"] if f.time in fe else words["no"],
            words["n"]: f"{f.n:,}",
            words["dropped"]: str(len(f.dropped)),
        }
        coefs = f.coefs.rename(columns={"stat": "t"})
        cols.append(Column((f"{f.y_label}", f"({i})"), coefs, footer))
    return RegressionTable.build(
        cols, labels=labels, paren=paren, lang=lang, title=title, digits=3, paren_digits=2
    )
