"""Recycling algorithms: province capacity ratio, prefecture matching, spatial mismatch."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base import GPKG_FILTER, HTML_FILTER, MD_FILTER, GeotradeAlgorithm

__all__ = ["MismatchAlgorithm", "PrefectureMatchingAlgorithm", "ProvinceCapacityAlgorithm"]


class _RecyclingBase(GeotradeAlgorithm):
    GROUP = "Battery recycling"
    GROUP_ID = "recycling"

    def add_common_outputs(self) -> None:
        self.add_output("OUTPUT_GPKG", self.tr("Styled GeoPackage"), GPKG_FILTER)
        self.add_output("OUTPUT_HTML", self.tr("Web map / HTML report"), HTML_FILTER, optional=True)
        self.add_output("OUTPUT_REPORT", self.tr("Report (Markdown)"), MD_FILTER, optional=True)
        self.addOutput(QgsProcessingOutputString("LAYERS", self.tr("Layers written")))
        self.add_map_options()

    def common_paths(self, parameters, context) -> dict[str, str]:
        return {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_GPKG", "OUTPUT_HTML", "OUTPUT_REPORT")
        }

    def output_args(self, paths) -> list:
        args = ["--gpkg", paths["OUTPUT_GPKG"]]
        self.opt(args, "--html", paths["OUTPUT_HTML"])
        self.opt(args, "--report", paths["OUTPUT_REPORT"])
        return args

    def finish(self, result, paths, context) -> dict:
        out = self.output_paths(result, paths)
        layers = self.load_gpkg(result, out["OUTPUT_GPKG"], context, "OUTPUT_GPKG")
        return {**out, "LAYERS": ",".join(layers)}


class ProvinceCapacityAlgorithm(_RecyclingBase):
    """geotrade recycling provinces → province_capacity_ratio_<year> layers."""

    NAME = "province_capacity_ratio"
    DISPLAY = "Province capacity ratio map"
    HELP = (
        "Ratio of retired power-battery volume to whitelisted recycling capacity per "
        "province and year; graduated map with a distinct 'no whitelist capacity' class."
    )
    EXAMPLE = (
        "INPUT = synthetic_recycling_provinces.csv (a file, or that table loaded in the "
        "project), YEARS = 2025,2030 gives layers province_capacity_ratio_2025 and "
        "province_capacity_ratio_2030 in the China Albers map CRS."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_table_input("INPUT", self.tr("Province table (file or table layer)"))
        self.addParameter(
            QgsProcessingParameterString(
                "YEARS", self.tr("Years (comma-separated)"), "2025,2030", optional=True
            )
        )
        self.add_common_outputs()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        paths = self.common_paths(parameters, context)
        args = ["recycling", "provinces", self.table_path(parameters, "INPUT", context, feedback)]
        self.opt(args, "--years", self.parameterAsString(parameters, "YEARS", context).strip())
        result = self.engine([*args, *self.output_args(paths)], feedback)
        return self.finish(result, paths, context)


class PrefectureMatchingAlgorithm(_RecyclingBase):
    """geotrade recycling cities → prefecture_matching_<year> layer."""

    NAME = "prefecture_matching"
    DISPLAY = "Prefecture matching map"
    HELP = (
        "Matching degree of each prefecture-level city: share of retired volume divided by "
        "share of recycling outlets, classified with exact natural breaks."
    )
    EXAMPLE = (
        "INPUT = synthetic_recycling_prefectures.csv, YEAR = 2025, K = 5 gives the layer "
        "prefecture_matching_2025 with five natural-breaks classes."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_table_input("INPUT", self.tr("Prefecture table (file or table layer)"))
        self.addParameter(
            QgsProcessingParameterNumber(
                "YEAR", self.tr("Year"), QgsProcessingParameterNumber.Type.Integer, 2025
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
        self.add_common_outputs()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        paths = self.common_paths(parameters, context)
        args = [
            "recycling",
            "cities",
            self.table_path(parameters, "INPUT", context, feedback),
            "--year",
            str(self.parameterAsInt(parameters, "YEAR", context)),
            "--k",
            str(self.parameterAsInt(parameters, "K", context)),
        ]
        result = self.engine([*args, *self.output_args(paths)], feedback)
        return self.finish(result, paths, context)


class MismatchAlgorithm(_RecyclingBase):
    """geotrade mismatch → mismatch_<level> layer, SMI/Theil/Gini/Moran statistics."""

    NAME = "mismatch"
    DISPLAY = "Spatial mismatch statistics"
    HELP = (
        "Spatial mismatch between a demand and a supply column: spatial mismatch index "
        "(SMI) with a confidence interval, Theil, Gini, global Moran's I and local LISA "
        "clusters (HH/LL/HL/LH) as a styled layer, with an HTML report."
    )
    EXAMPLE = (
        "INPUT = synthetic_recycling_prefectures.csv, DEMAND = retired_t, SUPPLY = "
        "outlets, LEVEL = prefecture, YEAR = 2025 gives the layer mismatch_prefecture "
        "(LISA clusters) and the SMI, Theil, Gini and Moran's I outputs."
    )
    STATS = ("smi", "theil", "gini", "moran_i", "moran_p")

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_table_input(
            "INPUT", self.tr("Table with demand and supply columns (file or table layer)")
        )
        self.add_field("DEMAND", self.tr("Demand column"), "retired_t")
        self.add_field("SUPPLY", self.tr("Supply column"), "outlets")
        self.add_choice("LEVEL", self.tr("Level"), ["province", "prefecture"])
        self.addParameter(
            QgsProcessingParameterNumber(
                "YEAR",
                self.tr("Year (empty: the only year in the table)"),
                QgsProcessingParameterNumber.Type.Integer,
                optional=True,
            )
        )
        self.add_advanced(
            QgsProcessingParameterNumber(
                "PERMUTATIONS",
                self.tr("Permutations"),
                QgsProcessingParameterNumber.Type.Integer,
                999,
                minValue=0,
            )
        )
        self.add_advanced(
            QgsProcessingParameterNumber(
                "SEED", self.tr("Random seed"), QgsProcessingParameterNumber.Type.Integer, 20241
            )
        )
        self.add_common_outputs()
        for stat in self.STATS:
            self.addOutput(QgsProcessingOutputNumber(stat.upper(), stat))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        paths = self.common_paths(parameters, context)
        args = [
            "mismatch",
            self.table_path(parameters, "INPUT", context, feedback),
            "--demand",
            self.fields_text(parameters, "DEMAND", context),
            "--supply",
            self.fields_text(parameters, "SUPPLY", context),
        ]
        self.opt(args, "--level", self.choice(parameters, "LEVEL", context))
        if parameters.get("YEAR") not in (None, ""):
            args += ["--year", str(self.parameterAsInt(parameters, "YEAR", context))]
        args += [
            "--permutations",
            str(self.parameterAsInt(parameters, "PERMUTATIONS", context)),
            "--seed",
            str(self.parameterAsInt(parameters, "SEED", context)),
        ]
        result = self.engine([*args, *self.output_args(paths)], feedback)
        out = self.finish(result, paths, context)
        for stat in self.STATS:
            value = result.get(stat)
            if isinstance(value, (int, float)):
                out[stat.upper()] = float(value)
                feedback.pushInfo(f"{stat} = {value}")
        if result.get("smi_ci"):
            feedback.pushInfo(f"smi_ci = {result['smi_ci']}")
        return out
