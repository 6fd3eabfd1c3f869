"""Export a print layout of a layer to PDF and PNG (pure QGIS, no engine)."""

from __future__ import annotations

import os

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
)

from .base import GeotradeAlgorithm

__all__ = ["PrintLayoutAlgorithm"]


class PrintLayoutAlgorithm(GeotradeAlgorithm):
    """A4 map with title, legend, scale bar, north arrow, source and synthetic note."""

    NAME = "print_layout"
    DISPLAY = "Export print layout (PDF/PNG)"
    GROUP = "Cartography"
    GROUP_ID = "cartography"
    NEEDS_ENGINE = False
    HELP = (
        "Exports an A4 landscape map of a layer with title, legend, scale bar, north arrow "
        "and source line to PDF and PNG. When the layer's name or metadata says it is "
        "synthetic (all geotrade demo outputs), a 'synthetic data' note is added. A layer "
        "given as a file path is drawn with the style embedded in its GeoPackage."
    )

    def flags(self):  # noqa: D102 - layout rendering touches project layers: main thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(QgsProcessingParameterVectorLayer("INPUT", self.tr("Map layer")))
        self.addParameter(
            QgsProcessingParameterString(
                "TITLE", self.tr("Title (empty: layer name)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "SOURCE", self.tr("Source line"), "Source: geotrade", optional=True
            )
        )
        self.add_advanced(
            QgsProcessingParameterNumber(
                "DPI",
                self.tr("Resolution (dpi)"),
                QgsProcessingParameterNumber.Type.Integer,
                150,
                minValue=30,
                maxValue=1200,
            )
        )
        self.add_advanced(
            QgsProcessingParameterBoolean(
                "FORCE_SYNTHETIC", self.tr("Always add the synthetic-data note"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT_PDF", self.tr("PDF"), "PDF (*.pdf)", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT_PNG", self.tr("PNG"), "PNG (*.png)", optional=True
            )
        )
        self.addOutput(QgsProcessingOutputBoolean("SYNTHETIC", self.tr("Synthetic note added")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        from geotrade_qgis.layout import export_layout

        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        if layer is None:
            raise QgsProcessingException(self.tr("Could not load the map layer."))
        project = context.project()
        in_project = project is not None and project.mapLayer(layer.id()) is not None
        if not in_project and layer.providerType() == "ogr":
            # loaded from a path by Processing: apply the GeoPackage's embedded style
            name = layer.name()
            if "|layername=" in layer.source():
                name = layer.source().split("|layername=")[1].split("|")[0]
            styled = QgsVectorLayer(layer.source(), name, layer.providerType())
            if styled.isValid():
                styled.loadDefaultStyle()
                layer = styled
        pdf = self.parameterAsFileOutput(parameters, "OUTPUT_PDF", context)
        png = self.parameterAsFileOutput(parameters, "OUTPUT_PNG", context)
        if not pdf and not png:
            raise QgsProcessingException(self.tr("Choose a PDF and/or a PNG output."))
        for path in (pdf, png):
            if path:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        synthetic = True if self.parameterAsBool(parameters, "FORCE_SYNTHETIC", context) else None
        try:
            res = export_layout(
                layer,
                title=self.parameterAsString(parameters, "TITLE", context) or layer.name(),
                source=self.parameterAsString(parameters, "SOURCE", context),
                pdf=pdf,
                png=png,
                dpi=self.parameterAsInt(parameters, "DPI", context),
                synthetic=synthetic,
                project=project,
            )
        except RuntimeError as exc:
            raise QgsProcessingException(str(exc)) from None
        if res["synthetic"]:
            feedback.pushInfo(self.tr("The layer is synthetic: the synthetic-data note was added."))
        return {"OUTPUT_PDF": res["pdf"], "OUTPUT_PNG": res["png"], "SYNTHETIC": res["synthetic"]}
