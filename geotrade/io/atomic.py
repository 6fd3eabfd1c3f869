"""Write output files atomically: all or nothing, one run at a time.

:func:`atomic_path` gives the writer a hidden temporary path next to the target. Only when
the writer finishes without an exception is the temporary file moved over the target with
:func:`os.replace`, which is atomic on POSIX and Windows within one file system. On any
failure, including ``KeyboardInterrupt``, the temporary file (and SQLite's ``-journal``,
``-wal`` and ``-shm`` side files) is removed and an existing target is left untouched.

Temporary names carry the writer's process id (``.out.<pid>-<random>.tmp.gpkg``). A run
killed with SIGKILL cannot clean up; the next :func:`atomic_path` in that directory removes
the temporary files (and staging directories, see :func:`output_set`) whose process no
longer exists on this machine.

**Locks.** Each target is locked (``fcntl.flock`` on a hidden ``.<name>.lock`` file) while
it is written; inside :func:`hold_locks` (the command line wraps every command in it) from
its first write until the run ends, so a second run writing the same output fails with an
:class:`~geotrade.errors.OutputError` (exit 8) naming the other process instead of
interleaving its files with the first run's. Lock files are removed on release.

**Output sets.** :func:`output_set` writes several outputs into a staging directory and
moves them into place together at the end: a failed or interrupted run leaves every old
output as it was (``geotrade demo`` uses it). :func:`completed_outputs` lists what the
current process has replaced, for an honest message after an interruption.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_path(d / "out.txt") as tmp:
...     _ = tmp.write_text("done")
>>> (d / "out.txt").read_text()
'done'
>>> sorted(p.name for p in d.iterdir())
['out.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from geotrade.errors import GeotradeError, OutputError

__all__ = [
    "atomic_path",
    "check_outputs",
    "clean_stale",
    "completed_outputs",
    "hold_locks",
    "lock_output",
    "output_set",
    "release_locks",
]

_SIDE_FILES = ("", "-journal", "-wal", "-shm")
#: ``.<stem>.<pid>-<12 hex>.tmp<suffix>`` and what derives from it (journal, stage file)
_TEMP_RE = re.compile(r"^\..*\.(\d+)-[0-9a-f]{12}\.tmp")
#: staging directories of :func:`output_set`
_STAGE_RE = re.compile(r"^\.geotrade-stage\.(\d+)-[0-9a-f]{12}$")
_LOCKS: dict[Path, int] = {}
_COMPLETED: list[Path] = []


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists (another user's process) or cannot tell: keep its files
    return True


def clean_stale(directory: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files and staging directories left by dead geotrade processes.

    Only names geotrade creates (``.<stem>.<pid>-<hex>.tmp...``,
    ``.geotrade-stage.<pid>-<hex>``) whose process id is not running are removed.

    Returns
    -------
    list of pathlib.Path
        What was removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".out.999999999-0123456789ab.tmp.gpkg-journal").write_bytes(b"")
    >>> _ = (d / "keep.gpkg").write_bytes(b"")
    >>> [p.name for p in clean_stale(d)], sorted(p.name for p in d.iterdir())
    (['.out.999999999-0123456789ab.tmp.gpkg-journal'], ['keep.gpkg'])
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for e in entries:
        m = _TEMP_RE.match(e.name) or _STAGE_RE.match(e.name)
        if m is None or _pid_alive(int(m.group(1))):
            continue
        p = Path(e.path)
        try:
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(p)
            else:
                p.unlink()
        except OSError:
            continue
        removed.append(p)
    return removed


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def lock_output(target: str | os.PathLike[str]) -> None:
    """Lock ``target`` for this process until :func:`release_locks` (re-entrant).

    Raises
    ------
    OutputError
        Another process holds the lock: it is writing the same output now.
    """
    target = Path(os.path.abspath(target))
    if target in _LOCKS:
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        return
    lock = _lock_path(target)
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return  # read-only directory: the write itself reports the real problem
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            try:
                other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            finally:
                os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return  # the file system has no locks (some network mounts)
            msg = (
                f"another geotrade run (process {other}) is writing this output now; wait "
                "for it to finish or choose another output path"
            )
            raise OutputError(msg, path=target) from None
        # the previous holder may have removed the file meanwhile: lock the one that is there
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except OSError:
            same = False
        if not same:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _LOCKS[target] = fd
        return


def _release(target: Path) -> None:
    fd = _LOCKS.pop(target, None)
    if fd is None:
        return
    with contextlib.suppress(OSError):
        _lock_path(target).unlink()
    with contextlib.suppress(OSError):
        os.close(fd)


def release_locks() -> None:
    """Release (and remove) every output lock of this process; forget completed outputs."""
    for target in list(_LOCKS):
        _release(target)
    _COMPLETED.clear()


_HOLD = [False]


@contextlib.contextmanager
def hold_locks() -> Iterator[None]:
    """Keep every output lock taken inside the block until the block ends (one run).

    Outside it (library use) a lock lasts as long as its :func:`atomic_path` or
    :func:`output_set` block. The command line wraps each command in it, so that a run's
    whole output set stays locked until the run ends.
    """
    old = _HOLD[0]
    _HOLD[0] = True
    try:
        yield
    finally:
        _HOLD[0] = old
        if not old:
            release_locks()


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    key = Path(os.path.abspath(target))
    fresh = key not in _LOCKS
    lock_output(key)
    try:
        yield
    finally:
        if fresh and not _HOLD[0]:
            _release(key)


def completed_outputs() -> list[Path]:
    """Targets this process has replaced since the last :func:`release_locks`."""
    return list(_COMPLETED)


@contextlib.contextmanager
def output_set(directory: str | os.PathLike[str]) -> Iterator[Path]:
    """Write a set of outputs of ``directory`` as a unit: all new or all old.

    Yields a hidden staging directory inside ``directory``; write the outputs there under
    their final names. When the block succeeds, every staged file is moved into
    ``directory`` (a quick series of renames within one file system); when it fails or is
    interrupted, the staging directory is removed and no old output has changed. The set
    is locked for the run (see :func:`lock_output`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("old a")
    >>> try:
    ...     with output_set(d) as stage:
    ...         _ = (stage / "a.txt").write_text("new a")
    ...         raise RuntimeError("the second output failed")
    ... except RuntimeError:
    ...     pass
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('old a', ['a.txt'])
    >>> with output_set(d) as stage:
    ...     _ = (stage / "a.txt").write_text("new a")
    ...     _ = (stage / "b.txt").write_text("new b")
    >>> sorted(p.name for p in d.iterdir()), (d / "a.txt").read_text()
    (['a.txt', 'b.txt'], 'new a')
    """
    directory = Path(directory)
    clean_stale(directory)
    with _locked(directory / ".geotrade-output-set"):
        yield from _staged(directory)


def _staged(directory: Path) -> Iterator[Path]:
    stage = directory / f".geotrade-stage.{os.getpid()}-{secrets.token_hex(6)}"
    try:
        stage.mkdir()
    except OSError as exc:
        msg = f"cannot write the outputs in {str(directory)!r}: {_reason(exc)}"
        raise OutputError(msg, path=directory) from exc
    try:
        yield stage
        staged = sorted(p for p in stage.rglob("*") if p.is_file() and not _is_lock(p))
        moved: list[Path] = []
        for p in staged:
            dest = directory / p.relative_to(stage)
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(p, dest)
            except OSError as exc:
                done = ", ".join(str(q) for q in moved) or "none"
                msg = (
                    f"cannot move the finished output into place: {_reason(exc)}; outputs "
                    f"already replaced by this run: {done}"
                )
                raise OutputError(msg, path=dest) from exc
            moved.append(dest)
            _COMPLETED.append(dest)
    finally:
        # staged files were never outputs: only what reached the directory counts
        _COMPLETED[:] = [p for p in _COMPLETED if stage not in p.parents]
        shutil.rmtree(stage, ignore_errors=True)


def _is_lock(p: Path) -> bool:
    return p.name.startswith(".") and p.name.endswith(".lock")


def check_outputs(*targets: str | os.PathLike[str] | None) -> None:
    """Fail early, before anything is written, if one output of a run cannot be written.

    A command with several outputs calls this first, so that a missing or read-only
    directory for its last output does not leave its first outputs written (a mixed set).
    ``None`` entries (outputs not asked for) are skipped.

    Raises
    ------
    OutputError
        The directory of a target does not exist or is not writable, or the target is a
        directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_outputs(d / "a.csv", None)
    >>> try:
    ...     check_outputs(d / "a.csv", d / "missing" / "b.md")
    ... except OutputError as e:
    ...     print("does not exist" in str(e))
    True
    """
    for t in targets:
        if t is None:
            continue
        target = Path(t)
        parent = target.parent
        if not parent.is_dir():
            msg = (
                f"cannot write the output: directory {str(parent)!r} does not exist; create "
                "it first"
            )
            raise OutputError(msg, path=target)
        if target.is_dir():
            msg = "cannot write the output: a directory with that name exists; choose a file name"
            raise OutputError(msg, path=target)
        probe = parent / f".{target.stem}.{os.getpid()}-{secrets.token_hex(6)}.tmp.probe"
        try:
            with open(probe, "xb"):
                pass
        except OSError as exc:
            msg = f"cannot write the output in {str(parent)!r}: {_reason(exc)}"
            raise OutputError(msg, path=target) from exc
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full (no space left on device)"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (read-only directory or file system?)"
    return exc.strerror or str(exc)


def _cleanup(tmp: Path) -> None:
    # never let the cleanup replace the real error: on a read-only file system unlink
    # raises EROFS (or EACCES) although there is nothing to remove
    for suffix in _SIDE_FILES:
        with contextlib.suppress(OSError):
            Path(f"{tmp}{suffix}").unlink()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path that replaces ``target`` when the block succeeds.

    The temporary path is ``.<stem>.<pid>-<random>.tmp<suffix>`` (e.g.
    ``.out.4242-3f9a1c2b4d5e.tmp.gpkg``)
    in the target's directory, so the final :func:`os.replace` never crosses file systems
    and drivers that check the extension are satisfied. It does not exist yet when
    yielded: the writer creates it.

    Parameters
    ----------
    target
        The file to create or replace.

    Yields
    ------
    pathlib.Path
        Where the writer must write the complete file.

    Raises
    ------
    OutputError
        If the directory does not exist or is not writable, the target is a directory,
        another process is writing the same target (see :func:`lock_output`), or
        an :class:`OSError` (e.g. a full disk) occurs while writing or replacing. The
        message names the target and the reason. Other exceptions from the block are
        re-raised unchanged after the temporary file has been removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "keep.txt"
    >>> _ = target.write_text("old")
    >>> try:
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise RuntimeError("writer failed")
    ... except RuntimeError:
    ...     pass
    >>> target.read_text()
    'old'
    """
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        msg = f"cannot write the output: directory {str(parent)!r} does not exist; create it first"
        raise OutputError(msg, path=target)
    if target.is_dir():
        msg = "cannot write the output: a directory with that name exists; choose a file name"
        raise OutputError(msg, path=target)
    clean_stale(parent)
    with _locked(target):
        yield from _atomic(target, parent)


def _atomic(target: Path, parent: Path) -> Iterator[Path]:
    tmp = parent / f".{target.stem}.{os.getpid()}-{secrets.token_hex(6)}.tmp{target.suffix}"
    try:
        # probe: fail early and clearly on a read-only directory or file system
        with open(tmp, "xb"):
            pass
        tmp.unlink()
    except OSError as exc:
        _cleanup(tmp)
        msg = f"cannot write the output in {str(parent)!r}: {_reason(exc)}"
        raise OutputError(msg, path=target) from exc
    try:
        yield tmp
        if not tmp.exists():
            msg = "the writer finished without creating the file"
            raise OutputError(msg, path=target)
        os.replace(tmp, target)
        _COMPLETED.append(target)
    except GeotradeError:
        _cleanup(tmp)
        raise
    except OSError as exc:
        _cleanup(tmp)
        msg = f"cannot write the output: {_reason(exc)}"
        raise OutputError(msg, path=target) from exc
    except BaseException:
        _cleanup(tmp)
        raise
    finally:
        # side files SQLite may leave after a clean close are never part of the output
        _cleanup(tmp)
