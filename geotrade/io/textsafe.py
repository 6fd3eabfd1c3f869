r"""Make data-borne text safe for the formats geotrade writes.

Column names, titles, labels, unit names and cell values come from input files and command
lines; written unchanged they could break or attack an output:

* **Markdown** (:func:`md_cell`, :func:`md_text`): ``|`` would split a table cell, a line
  break would end the table row, ``<`` would start raw HTML that Markdown viewers render
  (``<script>``, ``<img onerror=...>``);
* **XML styles** (QML, SLD; :func:`xml_text`): control characters are not allowed in XML
  1.0 and make QGIS reject the whole style;
* **CSV** (:func:`csv_cell`, :func:`neutralise_csv`): a text cell starting with ``=``,
  ``+``, ``-`` or ``@`` (or a tab/carriage return) is run as a formula by spreadsheet
  programs ("CSV injection"); such cells get a leading apostrophe. Numbers, also negative
  ones, are left alone.

HTML is escaped with :func:`html.escape` where it is written (:mod:`geotrade.maps.webmap`).

Examples
--------
>>> md_cell("a|b\nc<script>")
'a\\|b c&lt;script&gt;'
>>> xml_text("Ratio\x07 (t)")
'Ratio (t)'
>>> csv_cell("=HYPERLINK(\"http://x\")"), csv_cell("-12.5"), csv_cell(-3)
('\'=HYPERLINK("http://x")', '-12.5', -3)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["csv_cell", "md_cell", "md_text", "neutralise_csv", "xml_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def xml_text(text: object) -> str:
    """``text`` without the control characters XML 1.0 forbids (tab and line breaks stay).

    Markup characters are escaped by the XML writer, not here.
    """
    return _CONTROL.sub("", str(text))


def md_text(text: object) -> str:
    r"""Inline Markdown text: one line, no raw HTML (``<``, ``>`` and ``&`` escaped).

    Examples
    --------
    >>> md_text("retired_t</h1>\n# x")
    'retired_t&lt;/h1&gt; # x'
    """
    s = xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _LINE_BREAKS.sub(" ", s)


def md_cell(text: object) -> str:
    """Escape a Markdown table cell: :func:`md_text` and ``|``."""
    return md_text(text).replace("|", "\\|")


def csv_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Non-text values and text that is a plain number (``-12.5``) are returned unchanged.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.fullmatch(value.strip()):
        return value
    return "'" + value


def neutralise_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names are safe in Excel.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["=1+1", "ok"], "v": [-1.5, 2.0]})
    >>> neutralise_csv(df).to_dict("list")
    {'name': ["'=1+1", 'ok'], 'v': [-1.5, 2.0]}
    """
    import pandas as pd

    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            out[c] = col.map(csv_cell).astype(col.dtype if col.dtype == object else object)
    out.columns = [csv_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out
