"""Stage timings of a long command, read off its progress reports (``geotrade demo --profile``).

:class:`StageTimer` wraps the reporter a command already uses. Every progress report of a
step ends the previous stage of that step and starts one named by its message, so the
stages are the ones the user sees in the progress bars, and instrumenting a pipeline needs
no code beyond its ``reporter.progress``/``task.advance`` calls. Nested steps (e.g. the China
boundary build inside the demo's "China boundaries" stage) are timed the same way and listed
under their own step name.

Examples
--------
>>> timer = StageTimer(clock=iter([0.0, 1.0, 3.5, 4.0]).__next__)
>>> timer.progress("demo", 0, 2, "read")
>>> timer.progress("demo", 1, 2, "write")
>>> timer.progress("demo", 2, 2, "done")
>>> [(s.stage, s.seconds) for s in timer.stages()]
[('read', 1.0), ('write', 2.5)]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geotrade.reporting import Reporter

__all__ = ["Stage", "StageTimer", "process_age"]


@dataclass(frozen=True)
class Stage:
    """One timed stage: ``seconds`` from its progress report to the next one of ``step``.

    ``start`` is the clock reading when the stage began.
    """

    step: str
    stage: str
    seconds: float
    start: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"step", "stage", "seconds"}`` with seconds rounded to milliseconds."""
        return {"step": self.step, "stage": self.stage, "seconds": round(self.seconds, 3)}


def process_age() -> float | None:
    """Return the seconds since this process started (interpreter start-up and imports).

    Returns
    -------
    float or None
        ``None`` when the operating system does not tell (psutil cannot read it).

    Examples
    --------
    >>> age = process_age()
    >>> age is None or age > 0
    True
    """
    try:
        import psutil

        return max(0.0, time.time() - psutil.Process().create_time())
    except Exception:  # pragma: no cover - exotic platforms
        return None


class StageTimer(Reporter):
    """A reporter that times stages and forwards every report to ``inner``.

    Parameters
    ----------
    inner : Reporter, optional
        The reporter to forward to (silent by default).
    clock : callable, optional
        Monotonic clock in seconds (default :func:`time.perf_counter`).
    """

    def __init__(
        self, inner: Reporter | None = None, *, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.inner = inner if inner is not None else Reporter()
        self._clock = clock
        self._open: dict[str, tuple[str, float]] = {}
        self._done: list[Stage] = []

    def progress(self, step: str, done: int, total: int | None, message: str = "") -> None:  # noqa: D102
        now = self._clock()
        prev = self._open.pop(step, None)
        if prev is not None:
            self._done.append(Stage(step, prev[0], now - prev[1], prev[1]))
        if total is None or done < total:
            self._open[step] = (message, now)
        self.inner.progress(step, done, total, message)

    def log(self, message: str, *, level: str = "info") -> None:  # noqa: D102
        self.inner.log(message, level=level)

    def result(self, record: dict[str, Any]) -> None:  # noqa: D102
        self.inner.result(record)

    def __getattr__(self, name: str) -> Any:  # close(), error() of the wrapped reporter
        return getattr(self.inner, name)

    def stages(self) -> list[Stage]:
        """Return the finished stages in the order they began."""
        return sorted(self._done, key=lambda s: s.start)

    def table(self, *, startup: float | None = None, total: float | None = None) -> str:
        """Return the stages as a plain-text table (nested steps indented).

        Parameters
        ----------
        startup : float, optional
            Seconds before the first stage (interpreter start-up and imports), listed first.
        total : float, optional
            Wall-clock total, listed last.

        Returns
        -------
        str
        """
        rows: list[tuple[str, float]] = []
        if startup is not None:
            rows.append(("start-up and imports", startup))
        stages = self.stages()
        first = stages[0].step if stages else ""
        for s in stages:
            label = s.stage if s.step == first else f"  {s.step}: {s.stage}"
            rows.append((label or "(unnamed)", s.seconds))
        if total is not None:
            rows.append(("total", total))
        width = max((len(r[0]) for r in rows), default=5)
        lines = [f"{'stage':<{width}}  seconds", f"{'-' * width}  -------"]
        lines += [f"{name:<{width}}  {sec:7.2f}" for name, sec in rows]
        return "\n".join(lines)
