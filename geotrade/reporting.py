"""Progress, log and result reporting shared by the library and the command line.

Library functions that take long accept a keyword-only ``reporter``. The command line gives
them a :class:`RichReporter` (progress bars), a :class:`JsonReporter` (one JSON object per
line on stdout, for the QGIS plugin) or a :class:`Reporter` that stays silent (``--quiet``).

JSON-lines records (schema version 1), one per line::

    {"type": "progress", "step": "join", "done": 3, "total": 10, "percent": 30.0, "message": "..."}
    {"type": "log", "level": "info", "message": "..."}
    {"type": "result", "command": "demo", "outputs": {...}, ...}
    {"type": "error", "code": "validation", "error": "ValidationError", "message": "..."}

Numbers that are not finite (NaN, infinity) are written as ``null``: the output is strict
JSON that every parser accepts.

Examples
--------
>>> import io
>>> buf = io.StringIO()
>>> rep = JsonReporter(stream=buf)
>>> rep.progress("demo", 1, 4, "boundaries")
>>> import json
>>> json.loads(buf.getvalue())["percent"]
25.0
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any, TextIO

__all__ = ["SCHEMA_VERSION", "JsonReporter", "Reporter", "RichReporter", "strict_json"]

SCHEMA_VERSION = 1


def strict_json(value: Any) -> Any:
    """``value`` with NaN and infinities as ``None``: JSON has no NaN (parsers reject it).

    Dicts, lists and tuples are walked; NumPy scalars become Python numbers.

    Examples
    --------
    >>> import numpy as np
    >>> strict_json({"smi_ci": [float("nan"), np.float64(0.5)], "hhi": np.inf, "n": np.int64(3)})
    {'smi_ci': [None, 0.5], 'hhi': None, 'n': 3}
    """
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    np: ModuleType | None
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        np = None
    if np is not None:
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.ndarray):
            return strict_json(value.tolist())
    if isinstance(value, float) or (np is not None and isinstance(value, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


class Reporter:
    """Silent reporter; the base class of the others.

    Subclasses override :meth:`progress`, :meth:`log` and :meth:`result`.
    """

    def progress(self, step: str, done: int, total: int | None, message: str = "") -> None:
        """Report that ``done`` of ``total`` units of ``step`` are finished."""

    def log(self, message: str, *, level: str = "info") -> None:
        """Report a human-readable message."""

    def result(self, record: dict[str, Any]) -> None:
        """Report a final result record."""

    @contextmanager
    def task(self, step: str, total: int | None, message: str = "") -> Iterator[_Task]:
        """Context manager yielding a handle whose ``advance()`` reports progress."""
        t = _Task(self, step, total, message)
        self.progress(step, 0, total, message)
        yield t
        if total is not None and t.done < total:
            self.progress(step, total, total, message)


class _Task:
    def __init__(self, rep: Reporter, step: str, total: int | None, message: str) -> None:
        self.rep, self.step, self.total, self.message, self.done = rep, step, total, message, 0

    def advance(self, n: int = 1, message: str | None = None) -> None:
        self.done += n
        if message is not None:
            self.message = message
        self.rep.progress(self.step, self.done, self.total, self.message)


class JsonReporter(Reporter):
    """Write one JSON object per line (``--json`` mode)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout

    def _emit(self, rec: dict[str, Any]) -> None:
        text = json.dumps(strict_json(rec), ensure_ascii=False, default=str, allow_nan=False)
        self.stream.write(text + "\n")
        self.stream.flush()

    def progress(self, step: str, done: int, total: int | None, message: str = "") -> None:  # noqa: D102
        pct = None if not total else round(100.0 * done / total, 1)
        self._emit(
            {
                "type": "progress",
                "schema": SCHEMA_VERSION,
                "step": step,
                "done": done,
                "total": total,
                "percent": pct,
                "message": message,
            }
        )

    def log(self, message: str, *, level: str = "info") -> None:  # noqa: D102
        self._emit({"type": "log", "schema": SCHEMA_VERSION, "level": level, "message": message})

    def result(self, record: dict[str, Any]) -> None:  # noqa: D102
        self._emit({"type": "result", "schema": SCHEMA_VERSION, **record})

    def error(self, record: dict[str, Any]) -> None:
        """Write an error record."""
        self._emit({"schema": SCHEMA_VERSION, **record})


def _message_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.table import Column
    from rich.text import Text

    class MessageColumn(ProgressColumn):
        """The task message: the only column rich narrows, cut to one line with an ellipsis."""

        def __init__(self) -> None:
            # no_wrap=False marks the column as the one rich's table may shrink; the Text
            # itself never wraps and ends in "…" when cut
            super().__init__(table_column=Column(no_wrap=False, min_width=1))

        def render(self, task: Any) -> Text:
            return Text(str(task.fields.get("message", "")), no_wrap=True, overflow="ellipsis")

    return MessageColumn()


class RichReporter(Reporter):
    """Rich progress bars and messages on stderr (the default human mode).

    Each row reads ``step  bar  done/total  elapsed  message``. The step name, the counter
    and the elapsed time have fixed widths and never shrink; the bar shrinks first and the
    message takes the remaining width and is cut with an ellipsis, so a narrow (80-column)
    terminal always shows the elapsed time in full.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw; default a console on stderr.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> con = Console(file=io.StringIO(), width=80, color_system=None)
    >>> rep = RichReporter(console=con)
    >>> rep.progress("demo", 3, 8, "China boundaries (cached after first use)")
    >>> rep.close()
    >>> "3/8" in con.file.getvalue() and "0:00:0" in con.file.getvalue()
    True
    """

    #: Width of the step-name column (longer names are cut with an ellipsis).
    STEP_WIDTH = 16
    #: Width of the bar.
    BAR_WIDTH = 16

    def __init__(self, *, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.table import Column

        self.console = console if console is not None else Console(stderr=True)
        self._progress = Progress(
            TextColumn(
                "[bold]{task.description}",
                table_column=Column(width=self.STEP_WIDTH, no_wrap=True, overflow="ellipsis"),
            ),
            BarColumn(bar_width=self.BAR_WIDTH, table_column=Column(no_wrap=True)),
            MofNCompleteColumn(table_column=Column(no_wrap=True, justify="right")),
            TimeElapsedColumn(table_column=Column(no_wrap=True)),
            _message_column(),
            console=self.console,
            transient=False,
        )
        self._tasks: dict[str, Any] = {}
        self._started = False

    def progress(self, step: str, done: int, total: int | None, message: str = "") -> None:  # noqa: D102
        if not self._started:
            self._progress.start()
            self._started = True
        if step not in self._tasks:
            self._tasks[step] = self._progress.add_task(step, total=total, message=message)
        self._progress.update(self._tasks[step], completed=done, total=total, message=message)

    def log(self, message: str, *, level: str = "info") -> None:  # noqa: D102
        style = {"warning": "yellow", "error": "red"}.get(level, "")
        self.console.print(f"[{style}]{message}[/{style}]" if style else message)

    def close(self) -> None:
        """Stop the live progress display."""
        if self._started:
            self._progress.stop()
            self._started = False
