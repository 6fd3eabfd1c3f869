"""Econometric models of the trade tables: negative binomial, fixed-effects gravity, tables, maps.

* :mod:`geotrade.models.nb` — NB2 count regression (seed 000 eq. 2, Table 5), statsmodels.
* :mod:`geotrade.models.gravity` — OLS on log trade and PPML with partner and year fixed
  effects (seed 001 eq. 1-4, Tables 4-5), pyfixest with a statsmodels GLM fallback.
* :mod:`geotrade.models.tables` — publication tables (CSV, Markdown, LaTeX) in the seeds'
  layout: one column per model, coefficient with stars over a statistic in parentheses.
* :mod:`geotrade.models.maps` — partner-level fitted values and residuals as styled layers.

Significance stars follow both seeds: ``***`` p < 0.01, ``**`` p < 0.05, ``*`` p < 0.1.

Examples
--------
>>> from geotrade.models import stars
>>> stars(0.004), stars(0.03), stars(0.07), stars(0.2)
('***', '**', '*', '')
"""

from __future__ import annotations

import math

__all__ = ["stars"]


def stars(p: float) -> str:
    """Significance stars of a p-value: ``***`` < 0.01, ``**`` < 0.05, ``*`` < 0.1."""
    if p is None or not math.isfinite(p):
        return ""
    if p < 0.01:
        return "***"
    if p < 0.05:
        return "**"
    if p < 0.1:
        return "*"
    return ""
