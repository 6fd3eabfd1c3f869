"""Find and run the geotrade engine out of process (``geotrade --json <command> ...``).

The plugin never imports geotrade: it starts the engine's command line in a child process
and reads its JSON-lines records (schema 1) from stdout::

    {"type": "progress", "percent": 30.0, "step": "join", "message": "..."}
    {"type": "log", "level": "info", "message": "..."}
    {"type": "result", "command": "...", "outputs": {...}, ...}
    {"type": "error", "code": "validation", "error": "ValidationError", "message": "..."}

This module uses only the Python standard library, so it can be tested without QGIS.
``feedback`` is any object with ``setProgress``, ``setProgressText``, ``pushInfo``,
``pushWarning``/``reportError`` and ``isCanceled`` (a ``QgsProcessingFeedback``).
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time

__all__ = [
    "SETTING_ENGINE",
    "EngineCancelled",
    "EngineFailure",
    "EngineNotFound",
    "engine_command",
    "engine_version",
    "find_engine",
    "run_engine",
]

#: Name of the Processing setting holding the engine path.
SETTING_ENGINE = "GEOTRADE_ENGINE"
#: Environment variable naming a Python interpreter that has geotrade installed.
ENV_PYTHON = "GEOTRADE_ENGINE_PYTHON"
#: Seconds between SIGTERM and SIGKILL when a run is cancelled.
KILL_GRACE = 5.0

_PYTHON_NAME = re.compile(r"^python(\d+(\.\d+)?)?(w)?(\.exe)?$", re.IGNORECASE)
_VERSION_CACHE: dict[tuple[str, ...], str] = {}

INSTALL_HELP = (
    "The geotrade engine was not found. The QGIS plugin runs the geotrade command line in a "
    "separate process, so install it into its own Python environment (not into QGIS's "
    "Python), for example:\n"
    "    python3 -m venv ~/geotrade-venv\n"
    "    ~/geotrade-venv/bin/pip install geotrade\n"
    "then set the path of ~/geotrade-venv/bin/geotrade (or of that environment's python) in "
    "Settings > Options > Processing > Providers > geotrade > geotrade executable. "
    "Alternatively put `geotrade` on PATH or set the GEOTRADE_ENGINE_PYTHON environment "
    "variable to a Python interpreter that has geotrade installed."
)


class EngineNotFound(Exception):
    """No usable geotrade engine is configured or installed."""


class EngineCancelled(Exception):
    """The user cancelled the run; the engine process was stopped."""


class EngineFailure(Exception):
    """The engine exited with an error.

    ``message`` is the engine's own message, verbatim (from its JSON ``error`` record), or
    the end of its stderr when it crashed without one.
    """

    def __init__(self, message: str, *, record: dict | None = None, returncode: int = 1):
        super().__init__(message)
        self.message = message
        self.record = record or {}
        self.returncode = returncode


def engine_command(path: str | os.PathLike[str]) -> list[str]:
    """Return the argv prefix that starts the engine found at ``path``.

    ``path`` is either the ``geotrade`` executable or a Python interpreter that has geotrade
    installed (recognised by its name, ``python``, ``python3``, ``python3.11`` ...); an
    interpreter is run as ``<python> -m geotrade``.

    Examples
    --------
    >>> engine_command("/opt/venv/bin/geotrade")
    ['/opt/venv/bin/geotrade']
    >>> engine_command("/opt/venv/bin/python3.11")
    ['/opt/venv/bin/python3.11', '-m', 'geotrade']
    """
    p = str(path)
    if _PYTHON_NAME.match(re.split(r"[\\/]", p)[-1]):
        return [p, "-m", "geotrade"]
    return [p]


def find_engine(setting: str | None = None) -> list[str]:
    """Locate the engine: the setting, then ``geotrade`` on PATH, then $GEOTRADE_ENGINE_PYTHON.

    Returns the argv prefix (see :func:`engine_command`); raises :class:`EngineNotFound`
    with installation instructions when nothing usable is found.
    """
    tried = []
    if setting:
        setting = os.path.expanduser(str(setting).strip())
        if os.path.isfile(setting) and os.access(setting, os.X_OK):
            return engine_command(setting)
        raise EngineNotFound(
            f"The geotrade engine set in Settings > Options > Processing > Providers > "
            f"geotrade ({setting!r}) does not exist or is not executable. Fix the path or "
            f"clear it to use `geotrade` from PATH.\n\n{INSTALL_HELP}"
        )
    on_path = shutil.which("geotrade")
    if on_path:
        return engine_command(on_path)
    tried.append("`geotrade` on PATH")
    env_python = os.environ.get(ENV_PYTHON)
    if env_python:
        if os.path.isfile(env_python) and os.access(env_python, os.X_OK):
            return [env_python, "-m", "geotrade"]
        tried.append(f"{ENV_PYTHON}={env_python!r} (not an executable file)")
    else:
        tried.append(f"the {ENV_PYTHON} environment variable (not set)")
    raise EngineNotFound(f"Tried {', '.join(tried)}.\n\n{INSTALL_HELP}")


def child_environment() -> dict[str, str]:
    """Environment for the engine: QGIS's Python and Qt settings removed.

    QGIS sets PYTHONPATH/PYTHONHOME for its own interpreter; passed on, they would load
    QGIS's numpy/GDAL into the engine's environment.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "QGIS_", "QT_", "VIRTUAL_ENV"))
    }
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def engine_version(prefix: list[str], *, timeout: float = 60.0) -> str:
    """Return the engine's version (``geotrade --version``), cached per engine.

    Raises :class:`EngineNotFound` when the program does not answer like geotrade.
    """
    key = tuple(prefix)
    if key in _VERSION_CACHE:
        return _VERSION_CACHE[key]
    try:
        proc = subprocess.run(
            [*prefix, "--version"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=child_environment(),
            timeout=timeout,
            check=False,
            **_popen_flags(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineNotFound(
            f"Could not start {' '.join(prefix)}: {exc}\n\n{INSTALL_HELP}"
        ) from exc
    out = proc.stdout.strip()
    if proc.returncode != 0 or not out.startswith("geotrade "):
        tail = (proc.stderr or proc.stdout).strip()[-800:]
        raise EngineNotFound(
            f"{' '.join(prefix)} is not a working geotrade engine (exit code "
            f"{proc.returncode}): {tail}\n\n{INSTALL_HELP}"
        )
    version = out.split()[1]
    _VERSION_CACHE[key] = version
    return version


def _popen_flags() -> dict:
    if sys.platform == "win32":  # pragma: no cover - not tested on Linux
        return {"creationflags": subprocess.CREATE_NO_WINDOW}
    return {}


def _reader(stream, q: queue.Queue, tag: str) -> None:
    for line in iter(stream.readline, ""):
        q.put((tag, line))
    q.put((tag, None))


def _handle(record: dict, feedback) -> None:
    kind = record.get("type")
    if kind == "progress":
        pct = record.get("percent")
        if pct is not None:
            feedback.setProgress(float(pct))
        text = " ".join(str(x) for x in (record.get("step"), record.get("message")) if x)
        if text:
            feedback.setProgressText(text)
    elif kind == "log":
        level = record.get("level", "info")
        message = str(record.get("message", ""))
        if level in ("warning", "error"):
            feedback.pushWarning(message) if hasattr(feedback, "pushWarning") else (
                feedback.reportError(message, False)
            )
        else:
            feedback.pushInfo(message)


def run_engine(
    args: list[str],
    *,
    feedback,
    prefix: list[str] | None = None,
    setting: str | None = None,
    poll: float = 0.1,
) -> dict:
    """Run ``geotrade --json <args>``, stream its records to ``feedback``, return the result.

    Parameters
    ----------
    args
        The command and its options, e.g. ``["classify", "in.gpkg", "--field", "x", ...]``.
    feedback
        Receives progress (``setProgress`` from ``percent``), log records (``pushInfo``) and
        is polled for cancellation (``isCanceled``).
    prefix, setting
        The engine argv prefix, or the setting to find it with (:func:`find_engine`).

    Returns
    -------
    dict
        The engine's ``result`` record.

    Raises
    ------
    EngineNotFound, EngineCancelled, EngineFailure
        EngineFailure carries the engine's error message verbatim.
    """
    if prefix is None:
        prefix = find_engine(setting)
    cmd = [*prefix, "--json", *[str(a) for a in args]]
    feedback.pushInfo("geotrade engine: " + " ".join(_quote(c) for c in cmd))
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=child_environment(),
            **_popen_flags(),
        )
    except OSError as exc:
        raise EngineNotFound(f"Could not start {cmd[0]}: {exc}\n\n{INSTALL_HELP}") from exc
    q: queue.Queue = queue.Queue()
    threads = [
        threading.Thread(target=_reader, args=(proc.stdout, q, "out"), daemon=True),
        threading.Thread(target=_reader, args=(proc.stderr, q, "err"), daemon=True),
    ]
    for t in threads:
        t.start()
    result: dict | None = None
    error: dict | None = None
    stderr_tail: list[str] = []
    open_streams = 2
    cancelled = False
    while open_streams:
        if not cancelled and feedback.isCanceled():
            cancelled = True
            _stop(proc)
        try:
            tag, line = q.get(timeout=poll)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
            continue
        if tag == "err":
            stderr_tail = [*stderr_tail[-40:], line.rstrip("\n")]
            continue
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            feedback.pushInfo(line)  # not a record: show it as it is
            continue
        if not isinstance(record, dict):
            feedback.pushInfo(line)
            continue
        if record.get("type") == "result":
            result = record
        elif record.get("type") == "error":
            error = record
        else:
            _handle(record, feedback)
    rc = _wait(proc)
    for t in threads:
        t.join(timeout=1)
    if cancelled:
        msg = "cancelled by the user; the geotrade engine process was stopped"
        raise EngineCancelled(msg)
    if error is not None:
        message = str(error.get("message") or error.get("error") or "geotrade failed")
        raise EngineFailure(message, record=error, returncode=rc)
    if rc != 0 or result is None:
        tail = "\n".join(stderr_tail[-20:]).strip()
        raise EngineFailure(
            f"the geotrade engine exited with code {rc} without a result"
            + (f":\n{tail}" if tail else "."),
            returncode=rc,
        )
    return result


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the child (SIGTERM: geotrade removes partial outputs), then kill it."""
    if proc.poll() is not None:
        return
    proc.terminate()
    deadline = time.monotonic() + KILL_GRACE
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()


def _wait(proc: subprocess.Popen) -> int:
    try:
        return proc.wait(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def _quote(s: str) -> str:
    return f'"{s}"' if (" " in s or not s) else s
