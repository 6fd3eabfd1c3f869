"""The ``geotrade`` Processing provider and its settings page entry."""

from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .engine import SETTING_ENGINE

__all__ = ["ICON", "GeotradeProvider", "engine_setting"]

ICON = os.path.join(os.path.dirname(__file__), "icons", "geotrade.svg")


def _config():
    # processing is imported lazily: it is a QGIS plugin, present but initialised late
    from processing.core.ProcessingConfig import ProcessingConfig, Setting

    return ProcessingConfig, Setting


def engine_setting() -> str | None:
    """Return the engine path set in Settings > Options > Processing > Providers > geotrade."""
    try:
        config, _ = _config()
    except ImportError:  # pragma: no cover - processing plugin missing
        return None
    value = config.getSetting(SETTING_ENGINE)
    return str(value).strip() or None if value else None


class GeotradeProvider(QgsProcessingProvider):
    """Processing provider ``geotrade`` (algorithms ``geotrade:<name>``)."""

    def id(self):  # noqa: D102
        return "geotrade"

    def name(self):  # noqa: D102
        return "geotrade"

    def longName(self):  # noqa: D102
        return self.tr("geotrade (lithium-battery supply chain maps)")

    def icon(self):  # noqa: D102
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: D102
        return ICON

    def load(self):  # noqa: D102
        config, setting = _config()
        config.settingIcons[self.name()] = self.icon()
        config.addSetting(
            setting(
                self.name(),
                SETTING_ENGINE,
                self.tr(
                    "geotrade executable (or a Python interpreter with geotrade installed); "
                    "empty: geotrade on PATH, then $GEOTRADE_ENGINE_PYTHON"
                ),
                "",
                valuetype=setting.FILE,
            )
        )
        config.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):  # noqa: D102
        try:
            config, _ = _config()
            config.removeSetting(SETTING_ENGINE)
        except (ImportError, KeyError):
            pass

    def loadAlgorithms(self):  # noqa: D102
        from .algorithms import ALGORITHMS

        for cls in ALGORITHMS:
            self.addAlgorithm(cls())

    def tr(self, text):  # noqa: D102
        return QCoreApplication.translate("GeotradeProvider", text)
