"""Classify a numeric field of any polygon layer with the engine (exact natural breaks)."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base import GPKG_FILTER, QML_FILTER, GeotradeAlgorithm

__all__ = ["ClassifyAlgorithm"]


class ClassifyAlgorithm(GeotradeAlgorithm):
    """Export the layer to a GeoPackage, run ``geotrade classify``, load the styled result."""

    NAME = "classify"
    DISPLAY = "Classify a field (exact natural breaks)"
    GROUP = "Classification"
    GROUP_ID = "classification"
    HELP = (
        "Classifies a numeric field of a polygon layer with the geotrade engine (exact "
        "Fisher-Jenks natural breaks by default, or another scheme) and applies a graduated "
        "style with explicit class bounds. Note: QGIS's own Jenks method is approximate; "
        "pressing Classify in the layer properties recomputes the breaks with QGIS's method."
    )
    EXAMPLE = (
        "INPUT = any polygon layer of the project, FIELD = a numeric field, K = 5, SCHEME "
        "= fisher_jenks gives a copy of the layer with a graduated style of five exact "
        "natural-breaks classes; BINS lists the upper class bounds."
    )
    SCHEMES: ClassVar = [
        "fisher_jenks",
        "quantiles",
        "equal_interval",
        "std_mean",
        "head_tail_breaks",
        "box_plot",
        "pretty",
    ]

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", self.tr("Polygon layer"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "FIELD",
                self.tr("Numeric field"),
                parentLayerParameterName="INPUT",
                type=QgsProcessingParameterField.DataType.Numeric,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "K",
                self.tr("Number of classes"),
                QgsProcessingParameterNumber.Type.Integer,
                5,
                minValue=2,
                maxValue=12,
            )
        )
        self.add_choice("SCHEME", self.tr("Classification scheme"), self.SCHEMES)
        self.add_advanced(
            QgsProcessingParameterString(
                "PALETTE",
                self.tr("Palette name (e.g. YlGnBu; empty: engine default)"),
                optional=True,
            )
        )
        self.add_output("OUTPUT", self.tr("Classified layer"), GPKG_FILTER)
        self.add_map_options()
        self.add_output("OUTPUT_QML", self.tr("Style file (QML)"), QML_FILTER, optional=True)
        self.addOutput(QgsProcessingOutputString("BINS", self.tr("Upper class bounds")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        path, layer = self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, "INPUT", context, ["gpkg"], "gpkg", feedback
        )
        if not path:
            raise QgsProcessingException(self.tr("Could not read the input layer."))
        fields = self.parameterAsFields(parameters, "FIELD", context)
        if not fields:
            raise QgsProcessingException(self.tr("Choose the field to classify."))
        paths = {k: self.out_path(parameters, k, context) for k in ("OUTPUT", "OUTPUT_QML")}
        args = ["classify", path, "--field", fields[0]]
        self.opt(args, "--layer", layer)
        args += ["--k", str(self.parameterAsInt(parameters, "K", context))]
        self.opt(args, "--scheme", self.choice(parameters, "SCHEME", context))
        self.opt(args, "--palette", self.parameterAsString(parameters, "PALETTE", context).strip())
        args += ["--out", paths["OUTPUT"]]
        self.opt(args, "--qml", paths["OUTPUT_QML"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_gpkg(result, out["OUTPUT"], context, "OUTPUT")
        bins = result.get("bins") or []
        return {**out, "BINS": ",".join(str(b) for b in bins)}
