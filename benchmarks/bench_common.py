"""Shared helpers of the benchmarks: run a child process and measure wall time and peak RSS.

Peak RSS is measured **inside** each child as ``VmHWM`` from ``/proc/self/status`` (the
high-water mark of the process's own address space since ``exec``), printed by the child in
its last JSON line. ``ru_maxrss`` (from ``getrusage`` or ``os.wait4``) is not used: on Linux
it is carried over ``fork``/``exec`` from the parent's memory at spawn time, so a child of a
large parent reports the parent's size (``RUSAGE_CHILDREN`` is moreover the maximum over
all children so far).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
PY = sys.executable


def run_child(args: list[str], *, env: dict[str, str] | None = None, cwd: str | None = None):
    """Run ``args``; return (wall seconds, ru_maxrss MiB, exit code, stdout lines with times).

    The ``ru_maxrss`` value is an upper bound only (see the module docstring); children
    report their own ``VmHWM`` through :func:`peak_rss_mb`.
    """
    t0 = time.perf_counter()
    p = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    lines: list[tuple[float, str]] = []
    assert p.stdout is not None
    for line in p.stdout:
        lines.append((time.perf_counter() - t0, line.rstrip("\n")))
    err = p.stderr.read() if p.stderr is not None else ""
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        print(err[-3000:], file=sys.stderr)
    return wall, usage.ru_maxrss / 1024.0, p.returncode, lines


def peak_rss_mb() -> float:
    """High-water RSS of this process since exec, MiB (``VmHWM``; ``ru_maxrss`` elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def last_json(lines: list[tuple[float, str]]) -> dict:
    for _, line in reversed(lines):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return {}


def machine_info() -> list[str]:
    import duckdb
    import numpy as np
    import pandas as pd
    import psutil
    import pyarrow

    import geotrade

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical cores; RAM {mem:.1f} GiB",
        f"- OS: {platform.system()} {platform.release()} ({platform.platform()})",
        f"- Python {platform.python_version()}; geotrade {geotrade.__version__}; "
        f"numpy {np.__version__}; pandas {pd.__version__}; pyarrow {pyarrow.__version__}; "
        f"duckdb {duckdb.__version__}",
        f"- Load average at start (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b > 0 else "–"


def replace_section(
    path: Path, section: list[str], *, head: str, script: str, title: str = "# Benchmarks"
) -> None:
    """Replace (or append) the section of ``path`` starting with ``head``; keep the rest.

    ``section[0]`` is the section heading; a "Produced by ``script`` on <date>; machine:"
    stamp with :func:`machine_info` is put under it.
    """
    import datetime as dt

    text = path.read_text(encoding="utf-8") if path.exists() else f"{title}\n"
    start = text.find(head)
    if start < 0:
        before, after = text.rstrip("\n") + "\n\n", ""
    else:
        nxt = text.find("\n## ", start + len(head))
        before, after = text[:start], ("" if nxt < 0 else text[nxt + 1 :])
    stamp = [
        f"Produced by `{script}` on {dt.date.today().isoformat()}; machine:",
        "",
        *machine_info(),
        "",
    ]
    body = "\n".join([section[0], "", *stamp, *section[2:]]) + "\n"
    path.write_text(before + body + ("\n" + after if after else ""), encoding="utf-8")
