"""Top-level API: ``geotrade.classify(values, ...)`` in the mapclassify convention."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

import geotrade
from geotrade.classify import Classification, classify_pooled


def test_geotrade_classify_is_callable_and_a_module():
    res = geotrade.classify(np.array([1.0, 2.0, 2.5, 9.0, 10.0, np.nan]), k=2)
    assert isinstance(res, Classification)
    np.testing.assert_array_equal(res.bins, [2.5, 10.0])
    np.testing.assert_array_equal(res.yb, [0, 0, 0, 1, 1, -1])
    assert geotrade.classify.classify_pooled is classify_pooled


def test_classify_importable_without_pandas_or_geopandas():
    code = (
        "import sys, geotrade; geotrade.classify([1.0, 5.0, 9.0], k=2); "
        "bad = [m for m in ('pandas', 'geopandas', 'shapely') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
