"""geotrade QGIS plugin: a Processing provider that runs the geotrade engine out of process.

GPL-2.0-or-later. Only ``classFactory`` lives here; everything else is imported lazily.
"""


def classFactory(iface):
    """Return the plugin object (``iface`` is None under qgis_process)."""
    from .plugin import GeotradePlugin

    return GeotradePlugin(iface)
