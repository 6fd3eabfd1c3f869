"""Plugin-wide constants and the engine setting, shared by the provider and the algorithms.

Kept apart from :mod:`provider` so that the algorithms never import the module that
imports them (provider -> algorithms -> settings, no cycle).
"""

from __future__ import annotations

import os

from .engine import SETTING_ENGINE

__all__ = ["ICON", "config", "engine_setting"]

ICON = os.path.join(os.path.dirname(__file__), "icons", "geotrade.svg")


def config():
    """Return ``(ProcessingConfig, Setting)``; imported lazily (processing starts late)."""
    from processing.core.ProcessingConfig import ProcessingConfig, Setting

    return ProcessingConfig, Setting


def engine_setting() -> str | None:
    """Return the engine path set in Settings > Options > Processing > Providers > geotrade."""
    try:
        cfg, _ = config()
    except ImportError:  # pragma: no cover - processing plugin missing
        return None
    value = cfg.getSetting(SETTING_ENGINE)
    return str(value).strip() or None if value else None
