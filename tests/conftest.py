"""Shared fixtures for the engine test suite (tests/qgis has its own conftest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus_summary import pytest_runtest_logreport, pytest_terminal_summary  # noqa: F401

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def china_cache_dir() -> Path:
    """Cache directory of the China boundary GeoPackage shared by the tests.

    The normal user cache is used (so a second ``make test`` does not rebuild it) unless
    ``GEOTRADE_CACHE_DIR`` is set. ``tests/test_boundaries.py`` separately checks a cold
    build into a temporary directory.
    """
    env = os.environ.get("GEOTRADE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geotrade"))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, china_cache_dir):
    out = tmp_path_factory.mktemp("demo")
    proc = subprocess.run(
        [sys.executable, "-m", "geotrade.cli", "--json", "demo", "--profile", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "GEOTRADE_CACHE_DIR": str(china_cache_dir)},
        timeout=600,
    )
    records = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    return out, proc, records
