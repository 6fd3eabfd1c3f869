"""SIGTERM on the command line: exit 130, previous outputs intact, no temp files, no orphans."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.china]


def _snapshot(d: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(d.iterdir())
        if p.is_file()
    }


def _cmd(out: Path) -> list[str]:
    return [sys.executable, "-m", "geotrade", "--json", "demo", "--out", str(out)]


def _terminate_at(out: Path, env: dict[str, str], when) -> tuple[int, list[dict], list | None]:
    """Run the demo, send SIGTERM at the first JSON record ``when`` accepts.

    Returns the exit code, the records and the child processes at that moment (``None``
    if no record was accepted).
    """
    proc = subprocess.Popen(_cmd(out), stdout=subprocess.PIPE, text=True, env=env)
    records: list[dict] = []
    children = None
    assert proc.stdout is not None
    for line in proc.stdout:
        rec = json.loads(line)
        records.append(rec)
        if children is None and when(rec):
            children = psutil.Process(proc.pid).children(recursive=True)
            proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=120), records, children


@pytest.mark.parametrize("stop_at", ["GeoPackages", "static maps"])
def test_sigterm_leaves_previous_outputs_intact(tmp_path, stop_at):
    out = tmp_path / "demo"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    first = subprocess.run(_cmd(out), capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    before = _snapshot(out)
    assert any(name.endswith(".gpkg") for name in before)

    rc, records, children = _terminate_at(
        out, env, lambda r: r.get("type") == "progress" and r.get("message") == stop_at
    )
    assert children is not None, f"never saw progress {stop_at!r}: {records[-3:]}"
    assert rc == 130
    assert records[-1]["type"] == "error"
    assert records[-1]["code"] == "interrupted"
    # every output is the previous complete version (outputs are deterministic, so a file
    # finished before the signal is byte-identical too); nothing half-written, no temp files
    after = _snapshot(out)
    assert after == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    # worker processes (static maps) do not outlive the interrupted run
    deadline = time.time() + 10
    while time.time() < deadline and any(c.is_running() for c in children):
        time.sleep(0.2)
    alive = [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert not alive


def test_sigterm_during_the_china_build(tmp_path):
    # cold cache: SIGTERM while the China boundaries are built must not leave a cache, a
    # temp file or a half-written output
    out = tmp_path / "demo"
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "GEOTRADE_CACHE_DIR": str(cache)}
    rc, records, children = _terminate_at(
        out, env, lambda r: str(r.get("message", "")).startswith("simplifying")
    )
    assert children is not None, records[-3:]
    assert rc == 130
    assert records[-1]["code"] == "interrupted"
    assert not out.exists() or not [p for p in out.iterdir() if p.is_file()]
    left = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert not [n for n in left if n.startswith(".")], left
    # the next run builds the cache (a stale temp file would be removed first) and succeeds
    done = subprocess.run(_cmd(out), capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert [p.name for p in cache.iterdir() if p.suffix == ".gpkg"]
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".")]
