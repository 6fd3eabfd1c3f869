"""Reuse geometry work that maps repeat on identical geometries, in and across processes.

A demo (or a batch of maps) draws the same world or China boundaries once per year or
layer; clipping and simplifying them is the costliest step of a map. :func:`memo_geoms`
keys a result on the exact bytes (WKB) of the input geometries and the parameters, so a
repeated call returns the identical array and a different input never collides. With
``persist=True`` the result is also kept on disk (WKB, next to the China boundary cache:
``$GEOTRADE_CACHE_DIR`` or the user cache directory), so the next process — the next CLI
call, a map worker — loads it instead of recomputing. The disk copy is an optimisation
only: a missing, unreadable or unwritable cache just means the work is done again.

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


def _disk_dir() -> Any:
    import os
    from pathlib import Path

    env = os.environ.get("GEOTRADE_CACHE_DIR")
    if env:
        return Path(env).expanduser() / "geoms"
    import platformdirs

    return Path(platformdirs.user_cache_dir("geotrade")) / "geoms"


#: Bump when a persisted computation changes its result for the same input.
_DISK_RECIPE = 1


def _disk_name(key: tuple[Any, ...]) -> str:
    from geotrade._version import __version__

    salt = (key, __version__, _DISK_RECIPE)
    h = hashlib.blake2b(repr(salt).encode(), digest_size=16).hexdigest()
    return f"{key[0]}-{h}.npz"


def _load(key: tuple[Any, ...]) -> np.ndarray | None:
    """WKB bytes + offsets (no pickle), or None when absent or unusable."""
    import shapely

    try:
        path = _disk_dir() / _disk_name(key)
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as z:
            blob, ends, null = z["blob"].tobytes(), z["ends"], z["null"]
        starts = np.concatenate([[0], ends[:-1]])
        wkb = [None if n else blob[a:b] for a, b, n in zip(starts, ends, null, strict=True)]
        out = shapely.from_wkb(np.asarray(wkb, dtype=object))
    except Exception:  # a damaged or foreign file: recompute
        return None
    return np.asarray(out, dtype=object) if len(out) == key[1] else None


def _store(key: tuple[Any, ...], geoms: np.ndarray) -> None:
    import os

    import shapely

    try:
        d = _disk_dir()
        d.mkdir(parents=True, exist_ok=True)
        path = d / _disk_name(key)
        parts = shapely.to_wkb(np.asarray(geoms, dtype=object))
        null = np.array([b is None for b in parts], dtype=bool)
        chunks = [b"" if b is None else b for b in parts]
        ends = np.cumsum([len(c) for c in chunks], dtype=np.int64)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, blob=np.frombuffer(b"".join(chunks), dtype=np.uint8), ends=ends,
                     null=null)  # fmt: skip
        os.replace(tmp, path)
    except Exception:  # read-only or full disk: the cache is only an optimisation
        return


def memo_geoms(
    what: str,
    geoms: np.ndarray,
    params: tuple[Hashable, ...],
    fn: Callable[[np.ndarray], Any],
    *,
    persist: bool = False,
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
    persist : bool, default False
        Also keep the result on disk for later processes (see the module notes).

    Returns
    -------
    numpy.ndarray
    """
    key = (what, len(geoms), _digest(geoms), params)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    out = _load(key) if persist else None
    if out is None:
        out = np.asarray(fn(geoms), dtype=object)
        if persist:
            _store(key, out)
    _CACHE[key] = out
    if len(_CACHE) > _MAX:
        _CACHE.popitem(last=False)
    return out
