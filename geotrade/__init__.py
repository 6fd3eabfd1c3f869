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

from geotrade import classify
from geotrade._version import __version__
from geotrade.errors import GeotradeError

__all__ = ["GeotradeError", "__version__", "classify", "read_flows"]


def __getattr__(name: str) -> object:
    # lazy: ``import geotrade`` must not import pandas (see tests/test_api.py)
    if name == "read_flows":
        from geotrade.io.readers import read_flows

        return read_flows
    msg = f"module 'geotrade' has no attribute {name!r}"
    raise AttributeError(msg)
