"""geotrade: map the lithium-battery supply chain.

Trade interdependence (Grubel-Lloyd typology), battery-recycling spatial mismatch, exact
natural breaks, and styled GeoPackages, QGIS styles, web maps and print-ready maps.

Data flows one way: read -> validate -> metrics (tables) -> join (codes meet geometries)
-> classify -> style -> write. The engine never imports ``qgis``.

Examples
--------
>>> import geotrade
>>> isinstance(geotrade.__version__, str)
True
>>> result = geotrade.classify([1.0, 2.0, 2.5, 9.0, 10.0], k=2)
>>> [float(b) for b in result.bins]
[2.5, 10.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from geotrade._version import __version__
from geotrade.errors import GeotradeError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from geotrade._fisher_jenks import Backend
    from geotrade.classification import Classification, Closed, Scheme, Spread, StdAnchor
    from geotrade.io.readers import read_flows  # at run time: lazily, by __getattr__

__all__ = ["GeotradeError", "__version__", "classify", "read_flows"]


def classify(
    values: ArrayLike,
    k: int = 5,
    scheme: Scheme = "fisher_jenks",
    *,
    closed: Closed = "right",
    weights: ArrayLike | None = None,
    bins: ArrayLike | None = None,
    midpoint: float | None = None,
    spread: Spread | None = None,
    multiples: Sequence[float] | None = None,
    anchor: StdAnchor | None = None,
    hinge: float | None = None,
    backend: Backend = "auto",
) -> Classification:
    """Classify values into ``k`` classes (mapclassify style: ``geotrade.classify(y, k=5)``).

    The same function as :func:`geotrade.classification.classify` (see there for the
    parameters and the schemes); :mod:`geotrade.classification` is imported on the first
    call, so ``import geotrade`` stays light.

    Examples
    --------
    >>> import geotrade
    >>> r = geotrade.classify([1.0, 2.0, 9.0, float("nan")], k=2)
    >>> r.bins.tolist(), r.yb.tolist(), r.nodata_count
    ([2.0, 9.0], [0, 0, 1, -1], 1)
    """
    from geotrade.classification import classify as _classify

    return _classify(
        values,
        k,
        scheme,
        closed=closed,
        weights=weights,
        bins=bins,
        midpoint=midpoint,
        spread=spread,
        multiples=multiples,
        anchor=anchor,
        hinge=hinge,
        backend=backend,
    )


def __getattr__(name: str) -> object:
    # lazy: ``import geotrade`` must not import pandas (see tests/test_api.py)
    if name == "read_flows":
        from geotrade.io.readers import read_flows

        return read_flows
    msg = f"module 'geotrade' has no attribute {name!r}"
    raise AttributeError(msg)
