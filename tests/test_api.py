"""Top-level API: ``geotrade.classify(values, ...)`` in the mapclassify convention."""

from __future__ import annotations

import inspect
import subprocess
import sys
import types

import numpy as np

import geotrade
import geotrade.classification
from geotrade.classification import Classification, classify


def test_geotrade_classify_is_the_classification_function():
    res = geotrade.classify(np.array([1.0, 2.0, 2.5, 9.0, 10.0, np.nan]), k=2, scheme="jenks")
    assert isinstance(res, Classification)
    np.testing.assert_array_equal(res.bins, [2.5, 10.0])
    np.testing.assert_array_equal(res.yb, [0, 0, 0, 1, 1, -1])
    # a plain function (not a callable module), still one after importing the implementation
    assert isinstance(geotrade.classify, types.FunctionType)
    # same parameters, defaults and annotations as the implementation it forwards to
    assert inspect.signature(geotrade.classify) == inspect.signature(classify)
    q = geotrade.classify([1.0, 2.0, 3.0, 4.0], 2, "quantiles", closed="left")
    assert q.closed == "left"
    assert q.scheme == "quantiles"


def test_classify_importable_without_pandas_or_geopandas():
    code = (
        "import sys, geotrade; geotrade.classify([1.0, 5.0, 9.0], k=2); "
        "bad = [m for m in ('pandas', 'geopandas', 'shapely') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
