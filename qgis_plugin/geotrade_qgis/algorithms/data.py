"""Synthetic data algorithms: sample inputs, the whole demo."""

from __future__ import annotations

import os
from typing import ClassVar

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputString,
    QgsProcessingParameterFolderDestination,
)

from .base import GeotradeAlgorithm

__all__ = ["DemoAlgorithm", "SampleDataAlgorithm"]


class SampleDataAlgorithm(GeotradeAlgorithm):
    """geotrade sample-data → the SYNTHETIC demo input tables."""

    NAME = "sample_data"
    DISPLAY = "Write synthetic sample data"
    GROUP = "Synthetic data"
    GROUP_ID = "data"
    HELP = (
        "Writes the SYNTHETIC demo inputs (trade flows 2012-2022, recycling provinces and "
        "prefectures) to a folder, to try the other algorithms. Not real data."
    )
    EXAMPLE = (
        "OUTPUT = a folder gives synthetic_li_ion_trade_2012_2022.csv, "
        "synthetic_recycling_provinces.csv and synthetic_recycling_prefectures.csv, the "
        "inputs of the examples of the other algorithms."
    )
    KEYS: ClassVar = {"trade": "TRADE", "provinces": "PROVINCES", "prefectures": "PREFECTURES"}

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFolderDestination("OUTPUT", self.tr("Output folder"))
        )
        for key, out in self.KEYS.items():
            self.addOutput(QgsProcessingOutputFile(out, self.tr(f"Synthetic {key} table")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        folder = self.parameterAsString(parameters, "OUTPUT", context)
        os.makedirs(folder, exist_ok=True)
        result = self.engine(["sample-data", folder], feedback)
        outputs = result.get("outputs") or {}
        res = {"OUTPUT": folder}
        for key, out in self.KEYS.items():
            res[out] = outputs.get(key, "") if isinstance(outputs, dict) else ""
        return res


class DemoAlgorithm(GeotradeAlgorithm):
    """geotrade demo → both demo GeoPackages, loaded with their styles."""

    NAME = "demo"
    DISPLAY = "Run the synthetic demo"
    GROUP = "Synthetic data"
    GROUP_ID = "data"
    HELP = (
        "Runs the whole geotrade pipeline offline on the embedded SYNTHETIC data and loads "
        "the styled layers (trade dependence 2012/2017/2022, province capacity ratio, "
        "prefecture matching). Every output is labelled synthetic."
    )
    EXAMPLE = (
        "OUTPUT = a folder gives li_ion_interdependence.gpkg and recycling_mismatch.gpkg "
        "(six styled layers), web maps, PNG maps and report.md; PROJECT_OUTPUT = demo.qgz "
        "also saves them as a QGIS project with the print layout."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFolderDestination("OUTPUT", self.tr("Output folder"))
        )
        self.addOutput(QgsProcessingOutputString("LAYERS", self.tr("Layers written")))
        self.add_map_options()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        folder = self.parameterAsString(parameters, "OUTPUT", context)
        os.makedirs(folder, exist_ok=True)
        result = self.engine(["demo", "--out", folder], feedback)
        outputs = result.get("outputs") or []
        files = outputs.values() if isinstance(outputs, dict) else outputs
        layers = []
        for path in files:
            if str(path).endswith(".gpkg"):
                layers += self.load_gpkg(result, str(path), context, "OUTPUT")
        return {"OUTPUT": folder, "LAYERS": ",".join(layers)}
