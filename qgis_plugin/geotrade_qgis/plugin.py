"""Plugin object: registers the Processing provider and, in QGIS Desktop, a toolbar entry."""

from __future__ import annotations

import os

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon

from .provider import ICON, GeotradeProvider

__all__ = ["GeotradePlugin"]

HERE = os.path.dirname(__file__)
HELP_URL = "https://example.invalid/geotrade/qgis_plugin/README.md"


def _locale() -> str:
    value = QgsSettings().value("locale/userLocale", "") or ""
    return str(value) or "en"


class GeotradePlugin:
    """QGIS plugin ``geotrade_qgis``; works with ``iface=None`` (qgis_process)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.translator = None
        self._install_translator()

    def _install_translator(self) -> None:
        loc = _locale()
        for name in (loc, loc.split("_")[0]):
            qm = os.path.join(HERE, "i18n", f"geotrade_qgis_{name}.qm")
            if os.path.exists(qm):
                tr = QTranslator()
                if tr.load(qm):
                    QCoreApplication.installTranslator(tr)
                    self.translator = tr
                return

    @staticmethod
    def tr(text: str) -> str:
        """Translate ``text`` (context ``GeotradePlugin``)."""
        return QCoreApplication.translate("GeotradePlugin", text)

    def initProcessing(self):
        """Register the provider (called by qgis_process and by initGui)."""
        if self.provider is not None:
            return
        provider = GeotradeProvider()
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider  # keep a Python reference (see the QGIS notes)

    def initGui(self):
        """Register the provider and add the toolbar/menu entries."""
        self.initProcessing()
        if self.iface is None:
            return
        from qgis.PyQt.QtWidgets import QAction

        main = self.iface.mainWindow()
        tools = QAction(QIcon(ICON), self.tr("geotrade algorithms"), main)
        tools.setObjectName("geotradeShowAlgorithms")
        tools.setToolTip(self.tr("Show the geotrade algorithms in the Processing toolbox"))
        tools.triggered.connect(self.show_algorithms)
        help_action = QAction(
            QgsApplication.getThemeIcon("/mActionHelpContents.svg"), self.tr("geotrade help"), main
        )
        help_action.setObjectName("geotradeHelp")
        help_action.triggered.connect(self.show_help)
        self.iface.addToolBarIcon(tools)
        for action in (tools, help_action):
            self.iface.addPluginToMenu(self.tr("&geotrade"), action)
        self.actions = [tools, help_action]

    def show_algorithms(self) -> None:
        """Open the Processing toolbox filtered to the geotrade algorithms."""
        try:
            from qgis.utils import plugins

            toolbox = plugins["processing"].toolbox
        except (ImportError, KeyError, AttributeError):
            return
        toolbox.setVisible(True)
        toolbox.raise_()
        toolbox.searchBox.setText("geotrade")

    def show_help(self) -> None:
        """Open the plugin's README (local copy when present)."""
        local = os.path.join(HERE, "README.md")
        url = QUrl.fromLocalFile(local) if os.path.exists(local) else QUrl(HELP_URL)
        QDesktopServices.openUrl(url)

    def unload(self):
        """Remove the entries and the provider."""
        if self.iface is not None:
            for action in self.actions:
                self.iface.removePluginMenu(self.tr("&geotrade"), action)
                self.iface.removeToolBarIcon(action)
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
