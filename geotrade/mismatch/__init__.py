"""Spatial mismatch between a demand and a supply distribution.

* :func:`smi` — dissimilarity / spatial mismatch index with permutation and bootstrap
  intervals and regional contributions (:mod:`geotrade.mismatch.smi`);
* :func:`theil`, :func:`gini` — inequality with between/within decomposition
  (:mod:`geotrade.mismatch.inequality`);
* :func:`spatial_weights`, :func:`moran`, :func:`local_moran`,
  :func:`bivariate_local_moran`, :func:`lisa` — spatial autocorrelation with islands and
  NaN handled explicitly (:mod:`geotrade.mismatch.spatial`);
* :data:`NBS_REGIONS` — the NBS four-region division of the provinces, cited.

Examples
--------
>>> from geotrade.mismatch import smi
>>> round(smi([2, 1, 1], [1, 1, 2], permutations=0, bootstrap=0).index, 4)
0.25
"""

from __future__ import annotations

from geotrade.mismatch.inequality import TheilResult, gini, theil
from geotrade.mismatch.regions import NBS_REGION_LABELS, NBS_REGIONS, NBS_SOURCE
from geotrade.mismatch.smi import SMIResult, dissimilarity, smi
from geotrade.mismatch.spatial import (
    LisaResult,
    LocalMoranResult,
    MoranResult,
    SpatialWeights,
    bh_threshold,
    bivariate_local_moran,
    lisa,
    local_moran,
    moran,
    spatial_weights,
)

__all__ = [
    "NBS_REGIONS",
    "NBS_REGION_LABELS",
    "NBS_SOURCE",
    "LisaResult",
    "LocalMoranResult",
    "MoranResult",
    "SMIResult",
    "SpatialWeights",
    "TheilResult",
    "bh_threshold",
    "bivariate_local_moran",
    "dissimilarity",
    "gini",
    "lisa",
    "local_moran",
    "moran",
    "smi",
    "spatial_weights",
    "theil",
]
