"""Exact Fisher–Jenks (optimal univariate k-means) kernel.

Fisher–Jenks natural breaks partition sorted values into ``k`` contiguous classes that
minimise the (optionally weighted) within-class sum of squared deviations from the class
means. This is the objective of Ckmeans.1d.dp (Wang & Song 2011; Song & Zhong 2020), and the
algorithm here is the same dynamic programme:

``D[q, i] = min_{q <= j <= i} D[q-1, j-1] + SSQ(j, i)``

where ``SSQ(j, i)`` is the within-class sum of squares of sorted distinct values ``j..i``.
The optimal ``j`` is non-decreasing in ``i``, so each layer is filled by divide and conquer
in ``O(m log m)`` and the whole table in ``O(k m log m)`` for ``m`` distinct values.

Numerical safety: repeated values are merged first (summing their weights), the values are
shifted by their median before the prefix sums are accumulated (so ``1e9 + small noise``
keeps its precision), and all arithmetic is float64.

Three interchangeable implementations exist:

* ``"c"``: the loops in C (``geotrade/_fj_kernel.c``), compiled ahead of time when geotrade
  is installed (``hatch_build.py``) and called through ctypes: no JIT in a fresh process;
* ``"numba"``: the same loops under ``@njit(cache=True)`` (imported lazily on first use);
* ``"numpy"``: the same divide and conquer, processed one recursion level at a time with
  vectorised numpy (no compiler needed; slower, still ``O(k m log m)``).

All return the same optimum (up to ties between equally good partitions). ``"auto"`` takes
the C kernel when it was built, else numba for large inputs and numpy for small ones.

Examples
--------
>>> import numpy as np
>>> from geotrade._fisher_jenks import fisher_jenks_classes
>>> x = np.array([1.0, 1.1, 5.0, 5.2, 9.0, 9.1])
>>> u, starts, wsum = fisher_jenks_classes(x, 3, backend="numpy")
>>> u[starts].tolist()
[1.0, 5.0, 9.0]
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["Backend", "c_kernel_available", "fisher_jenks_classes", "numba_available", "prewarm"]

Backend = Literal["auto", "c", "numba", "numpy"]

#: Below this many distinct values times classes the numpy path is used by ``"auto"`` once
#: the numba kernel is loaded in this process: numpy is as fast there.
AUTO_NUMPY_BELOW = 500_000

#: The same threshold while the kernel is not loaded yet (a fresh process): importing numba
#: and loading the cached kernel costs about 0.5-0.7 s, which the numpy path beats up to
#: about 1.5 million distinct values times classes (n = 300,000 at k = 5).
AUTO_NUMPY_BELOW_COLD = 1_500_000

_KERNEL: Callable[..., None] | None = None
_C_KERNEL: Callable[..., int] | None = None
_C_CHECKED = False
_NUMBA_CHECKED = False
_LOCK = threading.Lock()
_WARMER: threading.Thread | None = None
_WARM_DONE = threading.Event()


def numba_available() -> bool:
    """Return whether the numba kernel can be used.

    Set the environment variable ``GEOTRADE_DISABLE_NUMBA=1`` to force the numpy path.

    Returns
    -------
    bool
        ``True`` when numba imports and is not disabled.

    Examples
    --------
    >>> isinstance(numba_available(), bool)
    True
    """
    return _get_kernel() is not None


def c_kernel_available() -> bool:
    """Return whether the ahead-of-time compiled C kernel is installed and usable.

    Set ``GEOTRADE_DISABLE_C_KERNEL=1`` to ignore it (then ``"auto"`` uses numba/numpy).

    Examples
    --------
    >>> isinstance(c_kernel_available(), bool)
    True
    """
    return _get_c_kernel() is not None


def _get_c_kernel() -> Callable[..., int] | None:
    global _C_KERNEL, _C_CHECKED
    with _LOCK:
        if _C_CHECKED:
            return _C_KERNEL
        _C_CHECKED = True
        if os.environ.get("GEOTRADE_DISABLE_C_KERNEL", "").strip() not in ("", "0"):
            return None
        import ctypes
        from pathlib import Path

        lib_path = Path(__file__).with_name("_fj_kernel.so")
        if not lib_path.is_file():
            return None
        try:
            lib = ctypes.CDLL(str(lib_path))
            fn = lib.fj_dp
        except (OSError, AttributeError):  # pragma: no cover - a broken or foreign build
            return None
        dbl = ctypes.POINTER(ctypes.c_double)
        fn.argtypes = [dbl, dbl, dbl, ctypes.c_int64, ctypes.c_int64,
                       ctypes.POINTER(ctypes.c_int64)]  # fmt: skip
        fn.restype = ctypes.c_int
        _C_KERNEL = fn
        return fn


def _dp_c(w: NDArray, s: NDArray, ss: NDArray, k: int, back: NDArray) -> None:
    """Run the C kernel on contiguous float64 prefix sums; ``back`` is int64 ``(k, m)``."""
    import ctypes

    fn = _get_c_kernel()
    if fn is None:  # pragma: no cover - callers check first
        msg = "the C kernel is not installed"
        raise ImportError(msg)
    arrays = [np.ascontiguousarray(a, dtype=np.float64) for a in (w, s, ss)]
    if back.dtype != np.int64 or not back.flags.c_contiguous:  # pragma: no cover
        msg = "back must be a C-contiguous int64 array"
        raise ValueError(msg)
    dbl = ctypes.POINTER(ctypes.c_double)
    rc = fn(*(a.ctypes.data_as(dbl) for a in arrays), w.shape[0] - 1, k,
            back.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)))  # fmt: skip
    if rc != 0:
        msg = "the C Fisher-Jenks kernel could not allocate its work arrays"
        raise MemoryError(msg)


def _get_kernel() -> Callable[..., None] | None:
    global _KERNEL, _NUMBA_CHECKED
    with _LOCK:
        if _NUMBA_CHECKED:
            return _KERNEL
        if os.environ.get("GEOTRADE_DISABLE_NUMBA", "").strip() not in ("", "0"):
            _NUMBA_CHECKED = True
            return None
        try:
            from numba import njit
        except ImportError:  # pragma: no cover - depends on the environment
            _NUMBA_CHECKED = True
            return None
        _KERNEL = njit(cache=True, nogil=True)(_dp_loops)
        _NUMBA_CHECKED = True
        return _KERNEL


def _warm() -> None:
    """Import numba and load (or compile) the kernel for the types the caller passes."""
    kernel = _get_kernel()
    if kernel is None:
        return
    m = 4
    w = np.arange(m + 1, dtype=np.float64)
    s = np.zeros(m + 1)
    kernel(w, s, s.copy(), 2, np.zeros((2, m), dtype=np.int32))  # the types of every real call
    _WARM_DONE.set()


def prewarm(*, wait: bool = False) -> None:
    """Start loading the numba kernel in a background thread (once per process).

    In a fresh process the first numba call costs about 0.5-0.7 s (importing numba and
    loading the cached machine code) before any work is done. A program that knows it will
    classify large arrays (k x distinct values >= :data:`AUTO_NUMPY_BELOW_COLD`) may call
    ``prewarm()`` first and read its input meanwhile. Do not call it for small inputs: the
    load is then wasted, and the process cannot exit before it finishes (about 1 s on a
    2-core machine, ``benchmarks/RESULTS_classify.md``). :func:`fisher_jenks_classes` calls it
    for large inputs before sorting and waits for it only when it needs the kernel.

    Parameters
    ----------
    wait : bool, default False
        Block until the kernel is ready.

    Examples
    --------
    >>> prewarm(wait=True)
    >>> isinstance(numba_available(), bool)
    True
    """
    global _WARMER
    with _LOCK:
        if _WARMER is None:
            if _NUMBA_CHECKED and _KERNEL is None:
                return
            _WARMER = threading.Thread(target=_warm, name="geotrade-numba-warm", daemon=True)
            _WARMER.start()
        warmer = _WARMER
    if wait:
        warmer.join()


def _wait_warm() -> None:
    warmer = _WARMER
    if warmer is not None and warmer is not threading.current_thread():
        warmer.join()


def _dp_loops(w: NDArray, s: NDArray, ss: NDArray, k: int, back: NDArray) -> None:
    """Fill ``back[q, i]`` (first index of class ``q`` when class ``q`` ends at ``i``).

    Plain loops, compiled by numba. ``w``, ``s``, ``ss`` are prefix sums of length ``m + 1``
    of weights, weighted shifted values and weighted squared shifted values. Under numba
    this body is compiled, so coverage tools do not see it.
    """
    m = w.shape[0] - 1
    prev = np.empty(m)
    cur = np.empty(m)
    for i in range(m):
        sw = w[i + 1]
        sx = s[i + 1]
        c = ss[i + 1] - sx * sx / sw
        prev[i] = c if c > 0.0 else 0.0
        back[0, i] = 0
    stack = np.empty((256, 4), dtype=np.int64)
    for q in range(1, k):
        if q == k - 1:
            # last class: only the full range (ending at m - 1) is needed
            i = m - 1
            best = np.inf
            bj = q
            for j in range(q, m):
                sw = w[i + 1] - w[j]
                sx = s[i + 1] - s[j]
                c = ss[i + 1] - ss[j] - sx * sx / sw
                if c < 0.0:
                    c = 0.0
                c += prev[j - 1]
                if c < best:
                    best = c
                    bj = j
            back[q, i] = bj
            cur[i] = best
        else:
            sp = 0
            stack[0, 0] = q
            stack[0, 1] = m - k + q
            stack[0, 2] = q
            stack[0, 3] = m - k + q
            sp = 1
            while sp > 0:
                sp -= 1
                lo = stack[sp, 0]
                hi = stack[sp, 1]
                jlo = stack[sp, 2]
                jhi = stack[sp, 3]
                i = (lo + hi) // 2
                jend = jhi if jhi < i else i
                best = np.inf
                bj = jlo
                s2 = ss[i + 1]
                s1 = s[i + 1]
                w1 = w[i + 1]
                for j in range(jlo, jend + 1):
                    sw = w1 - w[j]
                    sx = s1 - s[j]
                    c = s2 - ss[j] - sx * sx / sw
                    if c < 0.0:
                        c = 0.0
                    c += prev[j - 1]
                    if c < best:
                        best = c
                        bj = j
                cur[i] = best
                back[q, i] = bj
                if lo <= i - 1:
                    stack[sp, 0] = lo
                    stack[sp, 1] = i - 1
                    stack[sp, 2] = jlo
                    stack[sp, 3] = bj
                    sp += 1
                if i + 1 <= hi:
                    stack[sp, 0] = i + 1
                    stack[sp, 1] = hi
                    stack[sp, 2] = bj
                    stack[sp, 3] = jhi
                    sp += 1
        tmp = prev
        prev = cur
        cur = tmp


def _dp_numpy(w: NDArray, s: NDArray, ss: NDArray, k: int, back: NDArray) -> None:
    """Vectorised numpy version of :func:`_dp_loops` (same recursion, level by level)."""
    m = w.shape[0] - 1
    prev = np.maximum(ss[1:] - s[1:] ** 2 / w[1:], 0.0)
    back[0, :] = 0
    for q in range(1, k):
        if q == k - 1:
            i = m - 1
            j = np.arange(q, m)
            sx = s[i + 1] - s[j]
            cost = np.maximum(ss[i + 1] - ss[j] - sx * sx / (w[i + 1] - w[j]), 0.0) + prev[j - 1]
            back[q, i] = q + int(np.argmin(cost))
            break
        cur = np.full(m, np.inf)
        # active segments: rows of (lo, hi, jlo, jhi)
        lo = np.array([q], dtype=np.int64)
        hi = np.array([m - k + q], dtype=np.int64)
        jlo = lo.copy()
        jhi = hi.copy()
        while lo.size:
            mid = (lo + hi) // 2
            jend = np.minimum(jhi, mid)
            nc = jend - jlo + 1
            offsets = np.zeros(nc.size, dtype=np.int64)
            np.cumsum(nc[:-1], out=offsets[1:])
            total = int(offsets[-1] + nc[-1])
            seg = np.repeat(np.arange(nc.size), nc)
            j = np.arange(total) - offsets[seg] + jlo[seg]
            i = mid[seg]
            sx = s[i + 1] - s[j]
            cost = np.maximum(ss[i + 1] - ss[j] - sx * sx / (w[i + 1] - w[j]), 0.0) + prev[j - 1]
            mins = np.minimum.reduceat(cost, offsets)
            hit = np.flatnonzero(cost == mins[seg])
            first = hit[np.searchsorted(hit, offsets)]
            bj = j[first]
            cur[mid] = mins
            back[q, mid] = bj
            left = lo <= mid - 1
            right = mid + 1 <= hi
            lo, hi, jlo, jhi = (
                np.concatenate([lo[left], mid[right] + 1]),
                np.concatenate([mid[left] - 1, hi[right]]),
                np.concatenate([jlo[left], bj[right]]),
                np.concatenate([bj[left], jhi[right]]),
            )
        prev = cur


def fisher_jenks_classes(
    x: NDArray[np.float64],
    k: int,
    *,
    weights: NDArray[np.float64] | None = None,
    backend: Backend = "auto",
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Return the optimal partition of finite values ``x`` into ``min(k, m)`` classes.

    Parameters
    ----------
    x
        Finite float64 values (any order; NaN must already be removed).
    k
        Requested number of classes (``>= 1``). If ``x`` has fewer distinct values ``m``,
        ``m`` classes are returned.
    weights
        Optional strictly positive weights, same shape as ``x``.
    backend
        ``"c"``, ``"numba"``, ``"numpy"`` or ``"auto"``: the C kernel when it is installed;
        else numpy for small problems (classes times distinct values below
        :data:`AUTO_NUMPY_BELOW`, or below :data:`AUTO_NUMPY_BELOW_COLD` while numba is not
        loaded in this process yet) and numba when available otherwise. All give the same
        minimal SSE.

    Returns
    -------
    u : ndarray
        Sorted distinct values.
    starts : ndarray
        Index into ``u`` of the first value of each class (``starts[0] == 0``).
    wsum : ndarray
        Total weight (count when unweighted) of each distinct value.

    Examples
    --------
    >>> u, starts, _ = fisher_jenks_classes(np.array([3.0, 1.0, 2.0, 10.0, 11.0]), 2)
    >>> u[starts].tolist()
    [1.0, 10.0]
    """
    use_c = backend == "c" or (backend == "auto" and _get_c_kernel() is not None)
    if backend == "c" and _get_c_kernel() is None:
        msg = "the C kernel was requested but is not installed (reinstall with a C compiler)"
        raise ImportError(msg)
    if not use_c and (
        backend == "numba" or (backend == "auto" and k > 1 and k * x.size >= AUTO_NUMPY_BELOW_COLD)
    ):
        prewarm()  # load numba on another core while this thread sorts and sums
    if weights is None:
        xs = np.sort(x, kind="quicksort")
        ws = None
    else:
        order = np.argsort(x, kind="stable")
        xs = x[order]
        ws = weights[order]
    n = xs.size
    newval = np.empty(n, dtype=bool)
    newval[0] = True
    np.not_equal(xs[1:], xs[:-1], out=newval[1:])
    first = np.flatnonzero(newval)
    u = xs[first]
    m = u.size
    if ws is None:
        wsum = np.diff(np.append(first, n)).astype(np.float64)
    else:
        wsum = np.add.reduceat(ws, first)
    k = min(k, m)
    if k == 1:
        return u, np.zeros(1, dtype=np.int64), wsum
    if k == m:
        return u, np.arange(m, dtype=np.int64), wsum
    shift = u[m // 2]
    d = u - shift
    wd = wsum * d
    pw = np.zeros(m + 1)
    ps = np.zeros(m + 1)
    pss = np.zeros(m + 1)
    np.cumsum(wsum, out=pw[1:])
    np.cumsum(wd, out=ps[1:])
    np.cumsum(wd * d, out=pss[1:])
    if use_c:
        back = np.empty((k, m), dtype=np.int64)
        _dp_c(pw, ps, pss, k, back)
        return u, _starts(back, k, m), wsum
    back = np.empty((k, m), dtype=np.int32 if m < 2**31 - 1 else np.int64)
    kernel = None
    threshold = AUTO_NUMPY_BELOW if _WARM_DONE.is_set() else AUTO_NUMPY_BELOW_COLD
    if backend == "numba" or (backend == "auto" and k * m >= threshold):
        _wait_warm()
        kernel = _get_kernel()
        if kernel is None and backend == "numba":
            msg = "the numba backend was requested but numba is not importable (or disabled)"
            raise ImportError(msg)
    if kernel is None:
        _dp_numpy(pw, ps, pss, k, back)
    else:
        kernel(pw, ps, pss, k, back)
        _WARM_DONE.set()
    return u, _starts(back, k, m), wsum


def _starts(back: NDArray, k: int, m: int) -> NDArray[np.int64]:
    """Walk the back pointers from the last value: the first index of each class."""
    starts = np.empty(k, dtype=np.int64)
    i = m - 1
    for q in range(k - 1, -1, -1):
        j = int(back[q, i])
        starts[q] = j
        i = j - 1
    return starts
