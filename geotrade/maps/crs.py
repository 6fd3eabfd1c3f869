"""The map projections of geotrade products and the rule that picks one.

One source for the static maps (:mod:`geotrade.maps.static`) and for the ``map_crs`` key
that :func:`geotrade.io.geopackage.write_gpkg` records in every product GeoPackage, which
the QGIS plugin applies to an empty project and to its print layouts.

* :data:`EQUAL_EARTH` (EPSG:8857, equal-area pseudocylindrical) for world maps;
* :data:`ALBERS_CHINA` (Albers equal-area conic, standard parallels 25°N and 47°N,
  central meridian 105°E, WGS 84) for maps of China, as a PROJ string (it has no EPSG code).

:func:`map_crs_for_bounds` picks Albers when a lon/lat bounding box is centred on China
(73–135°E, 18–54°N) and spans at most 75° of longitude, Equal Earth otherwise.

Examples
--------
>>> map_crs_for_bounds((73.5, 18.2, 134.8, 53.6))
'+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs'
>>> map_crs_for_bounds((-180.0, -90.0, 180.0, 83.6))
'EPSG:8857'
>>> MAP_CRS_NAMES[EQUAL_EARTH]
'Equal Earth (EPSG:8857)'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

__all__ = [
    "ALBERS_CHINA",
    "EQUAL_EARTH",
    "MAP_CRS_NAMES",
    "map_crs_for_bounds",
    "projection_for_bounds",
]

#: Equal Earth (equal-area pseudocylindrical), for world maps.
EQUAL_EARTH = "EPSG:8857"
#: Albers equal-area conic for China.
ALBERS_CHINA = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs"

#: Human-readable names of the map CRSs (``map_crs_name`` in GeoPackage metadata).
MAP_CRS_NAMES = {
    EQUAL_EARTH: "Equal Earth (EPSG:8857)",
    ALBERS_CHINA: "Albers equal-area conic for China (25°N/47°N, 105°E, WGS 84)",
}


def projection_for_bounds(
    bounds: Sequence[float],
) -> Literal["equal_earth", "albers_china"]:
    """Return the projection name for lon/lat ``bounds`` (xmin, ymin, xmax, ymax).

    Non-finite bounds (no geometry) give ``"equal_earth"``.

    Examples
    --------
    >>> projection_for_bounds((100.0, 20.0, 120.0, 40.0))
    'albers_china'
    >>> projection_for_bounds((float("nan"),) * 4)
    'equal_earth'
    """
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        return "equal_earth"
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if 73 <= cx <= 135 and 18 <= cy <= 54 and (xmax - xmin) <= 75:
        return "albers_china"
    return "equal_earth"


def map_crs_for_bounds(bounds: Sequence[float]) -> str:
    """Return the map CRS (:data:`EQUAL_EARTH` or :data:`ALBERS_CHINA`) for lon/lat ``bounds``.

    Examples
    --------
    >>> map_crs_for_bounds((-10.0, 35.0, 30.0, 60.0))
    'EPSG:8857'
    """
    return ALBERS_CHINA if projection_for_bounds(bounds) == "albers_china" else EQUAL_EARTH
