"""Write output files atomically: all or nothing.

:func:`atomic_path` gives the writer a hidden temporary path next to the target. Only when
the writer finishes without an exception is the temporary file moved over the target with
:func:`os.replace`, which is atomic on POSIX and Windows within one file system. On any
failure, including ``KeyboardInterrupt``, the temporary file (and SQLite's ``-journal``,
``-wal`` and ``-shm`` side files) is removed and an existing target is left untouched.

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
import secrets
from collections.abc import Iterator
from pathlib import Path

from geotrade.errors import GeotradeError, OutputError

__all__ = ["atomic_path"]

_SIDE_FILES = ("", "-journal", "-wal", "-shm")


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

    The temporary path is ``.<stem>.<random>.tmp<suffix>`` (e.g. ``.out.3f9a1c.tmp.gpkg``)
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
        If the directory does not exist or is not writable, the target is a directory, or
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
    tmp = parent / f".{target.stem}.{secrets.token_hex(6)}.tmp{target.suffix}"
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
