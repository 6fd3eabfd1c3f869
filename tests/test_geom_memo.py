"""The on-disk layer of geotrade.maps._memo: later processes reuse simplified boundaries."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geotrade.maps import _memo


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOTRADE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(_memo, "_CACHE", type(_memo._CACHE)())
    return tmp_path


def _geoms():
    return np.array(
        [shapely.box(0, 0, 1, 1).buffer(0.3, 16), None, shapely.box(5, 5, 6, 7)], dtype=object
    )


def test_a_later_process_loads_instead_of_recomputing(cache):
    calls = []

    def simplify(g):
        calls.append(1)
        return shapely.simplify(g, 0.1)

    first = _memo.memo_geoms("t", _geoms(), (0.1,), simplify, persist=True)
    assert len(calls) == 1
    assert list((cache / "geoms").glob("t-*.npz"))
    _memo._CACHE.clear()  # as in a new process

    def fail(g):
        raise AssertionError("recomputed although the disk cache holds the result")

    again = _memo.memo_geoms("t", _geoms(), (0.1,), fail, persist=True)
    assert again[1] is None
    pairs = zip(first[[0, 2]], again[[0, 2]], strict=True)
    assert all(shapely.equals_exact(a, b, 0) for a, b in pairs)
    # other parameters are another entry
    _memo._CACHE.clear()
    _memo.memo_geoms("t", _geoms(), (0.2,), simplify, persist=True)
    assert len(calls) == 2


def test_a_damaged_cache_file_is_recomputed(cache):
    ref = _memo.memo_geoms("d", _geoms(), (), lambda g: g, persist=True)
    (path,) = (cache / "geoms").glob("d-*.npz")
    path.write_bytes(b"not a numpy file")
    _memo._CACHE.clear()
    calls = []
    out = _memo.memo_geoms("d", _geoms(), (), lambda g: calls.append(1) or g, persist=True)
    assert calls == [1]
    assert shapely.equals_exact(out[0], ref[0], 0)


def test_an_unwritable_cache_does_not_fail(tmp_path, monkeypatch):
    target = tmp_path / "file"
    target.write_text("x")
    monkeypatch.setenv("GEOTRADE_CACHE_DIR", str(target))  # a file, not a directory
    monkeypatch.setattr(_memo, "_CACHE", type(_memo._CACHE)())
    out = _memo.memo_geoms("u", _geoms(), (), lambda g: g, persist=True)
    assert out[1] is None
