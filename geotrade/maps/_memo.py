"""Reuse geometry work that several maps of one process repeat on identical geometries.

A demo (or a batch of maps) draws the same world or China boundaries once per year or
layer; clipping and simplifying them is the costliest step of a map. :func:`memo_geoms`
keys a result on the exact bytes (WKB) of the input geometries and the parameters, so a
repeated call returns the identical array and a different input never collides.

Examples
--------
>>> import shapely
>>> geoms = shapely.points([0, 1], [0, 1])
>>> calls = []
>>> def twice(g):
...     calls.append(1)
...     return g
>>> a = memo_geoms("t", geoms, (), twice)
>>> b = memo_geoms("t", shapely.points([0, 1], [0, 1]), (), twice)
>>> len(calls), a is b
(1, True)
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

__all__ = ["memo_geoms"]

_CACHE: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
_MAX = 8


def _digest(geoms: np.ndarray) -> bytes:
    import shapely

    h = hashlib.blake2b(digest_size=20)
    for wkb in shapely.to_wkb(np.asarray(geoms, dtype=object), include_srid=False):
        h.update(b"\x00" if wkb is None else wkb)
        h.update(b"\x01")
    return h.digest()


def memo_geoms(
    what: str, geoms: np.ndarray, params: tuple[Hashable, ...], fn: Callable[[np.ndarray], Any]
) -> np.ndarray:
    """Return ``fn(geoms)``, computed once per process for equal geometries and parameters.

    Parameters
    ----------
    what : str
        Name of the operation (part of the key).
    geoms : numpy.ndarray
        Geometries (shapely objects or ``None``).
    params : tuple
        Everything else ``fn`` depends on (tolerances, bounds).
    fn : callable
        Pure function of ``geoms``; its result must not be modified by callers.

    Returns
    -------
    numpy.ndarray
    """
    key = (what, len(geoms), _digest(geoms), params)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    out = np.asarray(fn(geoms), dtype=object)
    _CACHE[key] = out
    if len(_CACHE) > _MAX:
        _CACHE.popitem(last=False)
    return out
