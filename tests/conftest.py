"""Shared fixtures for the engine test suite (tests/qgis has its own conftest)."""

from __future__ import annotations

import os
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
