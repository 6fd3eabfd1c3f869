"""The ``geotrade`` Processing provider and its settings page entry."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .engine import SETTING_ENGINE
from .settings import ICON, engine_setting
from .settings import config as _config

__all__ = ["ICON", "GeotradeProvider", "engine_setting"]


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
