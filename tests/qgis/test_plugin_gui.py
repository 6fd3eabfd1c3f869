"""Plugin object in QGIS Desktop terms (pytest-qgis iface stub) and the compiled translations."""

from __future__ import annotations

import sys

from conftest import REPO
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

sys.path.insert(0, str(REPO / "qgis_plugin"))
I18N = REPO / "qgis_plugin" / "geotrade_qgis" / "i18n"


def test_init_gui_adds_actions_and_unload_removes_everything(qgis_processing, qgis_iface):
    import geotrade_qgis

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("geotrade")
    plugin = geotrade_qgis.classFactory(qgis_iface)
    plugin.initGui()
    assert [a.objectName() for a in plugin.actions] == ["geotradeShowAlgorithms", "geotradeHelp"]
    assert registry.providerById("geotrade") is not None
    plugin.show_algorithms()  # no processing toolbox in the stub: must not raise
    plugin.unload()
    assert plugin.actions == []
    if existing is None:
        assert registry.providerById("geotrade") is None


def test_compiled_translations():
    for lang, expected in (("zh_CN", "贸易相互依赖地图"), ("en", "Trade interdependence map")):
        tr = QTranslator()
        assert tr.load(str(I18N / f"geotrade_qgis_{lang}.qm"))
        QCoreApplication.installTranslator(tr)
        try:
            got = QCoreApplication.translate("GeotradeAlgorithm", "Trade interdependence map")
            assert got == expected
            assert QCoreApplication.translate("GeotradeAlgorithm", "Battery recycling") == (
                "电池回收" if lang == "zh_CN" else "Battery recycling"
            )
        finally:
            QCoreApplication.removeTranslator(tr)


def test_every_display_name_and_group_has_a_chinese_translation():
    import xml.etree.ElementTree as ET

    from geotrade_qgis.algorithms import ALGORITHMS

    root = ET.parse(I18N / "geotrade_qgis_zh_CN.ts").getroot()
    done = {
        m.findtext("source")
        for c in root.iter("context")
        if c.findtext("name") == "GeotradeAlgorithm"
        for m in c.iter("message")
        if (m.findtext("translation") or "").strip()
    }
    wanted = {cls.DISPLAY for cls in ALGORITHMS} | {cls.GROUP for cls in ALGORITHMS}
    assert wanted <= done, wanted - done
