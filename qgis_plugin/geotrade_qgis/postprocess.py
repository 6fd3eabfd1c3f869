"""Apply the style embedded in an engine GeoPackage when Processing loads its layers.

Processing loads outputs with ``QgsProcessingUtils.mapLayerFromString``, which does not read
the GeoPackage's ``layer_styles`` table, so layers would show as a single symbol. The
post-processor below runs on the main thread after the layer is added to the project.
"""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsVectorLayer,
)

__all__ = ["StyleFromGeoPackage", "load_styled_on_completion"]


class StyleFromGeoPackage(QgsProcessingLayerPostProcessorInterface):
    """Load the layer's default style (the engine's embedded QML) and repaint."""

    #: Python references: QGIS owns the C++ objects, Python must keep the wrappers alive.
    _instances: ClassVar[list[StyleFromGeoPackage]] = []

    @staticmethod
    def create() -> StyleFromGeoPackage:
        """Create a post-processor and keep a reference to it."""
        inst = StyleFromGeoPackage()
        StyleFromGeoPackage._instances = [*StyleFromGeoPackage._instances[-63:], inst]
        return inst

    def postProcessLayer(self, layer, context, feedback):
        """Load the default style stored in the GeoPackage."""
        if not isinstance(layer, QgsVectorLayer):
            return
        message, ok = layer.loadDefaultStyle()
        if not ok and feedback is not None:
            feedback.pushInfo(f"{layer.name()}: no embedded style ({message})")
        layer.triggerRepaint()


def load_styled_on_completion(
    context: QgsProcessingContext,
    gpkg: str,
    layers: list[str],
    *,
    output_name: str,
    prefix: str = "",
) -> list[str]:
    """Register every ``layers`` entry of ``gpkg`` to be loaded, styled, when the run ends.

    Returns the layer URIs (``<gpkg>|layername=<layer>``).
    """
    uris = []
    for name in layers:
        uri = f"{gpkg}|layername={name}"
        details = QgsProcessingContext.LayerDetails(
            f"{prefix}{name}", context.project(), output_name
        )
        details.setPostProcessor(StyleFromGeoPackage.create())
        context.addLayerToLoadOnCompletion(uri, details)
        uris.append(uri)
    return uris
