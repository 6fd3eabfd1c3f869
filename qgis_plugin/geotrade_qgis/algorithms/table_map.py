"""Map any table of countries, provinces or prefectures (``geotrade map``)."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base import CSV_FILTER, GPKG_FILTER, HTML_FILTER, GeotradeAlgorithm

__all__ = ["TableMapAlgorithm"]


class TableMapAlgorithm(GeotradeAlgorithm):
    """geotrade map TABLE --level L --field F → one styled layer ``<level>_<field>``."""

    NAME = "table_map"
    DISPLAY = "Map a table (countries, provinces, prefectures)"
    GROUP = "Maps"
    GROUP_ID = "maps"
    HELP = (
        "Joins a table (CSV/TSV, XLSX or Parquet; one row per unit) to the countries "
        "(ISO3 codes, UN Comtrade numeric codes or names) or to China's provinces or "
        "prefecture-level units (adcodes, Chinese, pinyin or English names) and maps one "
        "column: numeric columns are classified (exact natural breaks by default), "
        "categorical ones get one colour per value. Every unit is kept (field 'status': "
        "data, no data, not covered); keys without a geometry are listed in the log. "
        "A node table of the network command maps directly (field degree, strength, ...)."
    )
    EXAMPLE = (
        "INPUT = nodes.csv (written by geotrade network --nodes), FIELD = degree, LEVEL = "
        "country, YEAR = 2022 gives the layer country_degree: every country, classed by "
        "its number of trade partners; INPUT = synthetic_recycling_provinces.csv, FIELD = "
        "retired_t, LEVEL = province, YEAR = 2025 maps the provinces."
    )
    LEVELS: ClassVar = ["country", "province", "prefecture"]
    SCHEMES: ClassVar = [
        "fisher_jenks",
        "quantiles",
        "equal_interval",
        "std_mean",
        "head_tail_breaks",
        "box_plot",
        "pretty",
        "user_defined",
        "symmetric",
    ]

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_table_input("INPUT", self.tr("Table (file or table layer)"))
        self.add_field("FIELD", self.tr("Column to map"), "")
        self.addParameter(
            QgsProcessingParameterEnum(
                "LEVEL", self.tr("Level"), options=self.LEVELS, defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                "CATEGORICAL", self.tr("Categorical (one colour per value)"), False
            )
        )
        self.add_choice("SCHEME", self.tr("Classification scheme"), self.SCHEMES)
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
        self.addParameter(
            QgsProcessingParameterNumber(
                "YEAR",
                self.tr("Year (empty: the only year in the table)"),
                QgsProcessingParameterNumber.Type.Integer,
                optional=True,
            )
        )
        self.add_field("KEY", self.tr("Key column (empty: found automatically)"), "", optional=True)
        key = self.parameterDefinition("KEY")
        key.setFlags(key.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.add_advanced(
            QgsProcessingParameterString(
                "BINS", self.tr("Upper class bounds for user_defined, e.g. 1,5,10"), optional=True
            )
        )
        self.add_advanced(
            QgsProcessingParameterFeatureSource(
                "ALIASES",
                self.tr("Alias table (alias,adcode) for extra Chinese unit spellings"),
                [QgsProcessing.SourceType.TypeVector],
                optional=True,
            )
        )
        self.add_output("OUTPUT_GPKG", self.tr("Styled GeoPackage"), GPKG_FILTER)
        self.add_output("OUTPUT_HTML", self.tr("Web map"), HTML_FILTER, optional=True)
        self.add_output("OUTPUT_PNG", self.tr("Static map (PNG)"), "PNG (*.png)", optional=True)
        self.add_output("OUTPUT_PDF", self.tr("Static map (PDF)"), "PDF (*.pdf)", optional=True)
        self.add_output(
            "OUTPUT_CSV", self.tr("Every unit with its value (CSV)"), CSV_FILTER, optional=True
        )
        self.add_map_options()
        self.addOutput(QgsProcessingOutputString("LAYERS", self.tr("Layers written")))
        self.addOutput(QgsProcessingOutputString("UNMATCHED", self.tr("Keys without geometry")))
        self.addOutput(QgsProcessingOutputString("BINS_OUT", self.tr("Upper class bounds")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        field = self.fields_text(parameters, "FIELD", context)
        if not field:
            raise QgsProcessingException(self.tr("Name the column to map."))
        level = self.LEVELS[self.parameterAsEnum(parameters, "LEVEL", context)]
        names = ("OUTPUT_GPKG", "OUTPUT_HTML", "OUTPUT_PNG", "OUTPUT_PDF", "OUTPUT_CSV")
        paths = {k: self.out_path(parameters, k, context) for k in names}
        args = ["map", self.table_path(parameters, "INPUT", context, feedback)]
        args += ["--level", level, "--field", field]
        if self.parameterAsBoolean(parameters, "CATEGORICAL", context):
            args.append("--categorical")
        else:
            self.opt(args, "--scheme", self.choice(parameters, "SCHEME", context))
            args += ["--k", str(self.parameterAsInt(parameters, "K", context))]
            self.opt(args, "--bins", self.parameterAsString(parameters, "BINS", context).strip())
        if parameters.get("YEAR") not in (None, ""):
            args += ["--year", str(self.parameterAsInt(parameters, "YEAR", context))]
        self.opt(args, "--key", self.fields_text(parameters, "KEY", context))
        if parameters.get("ALIASES") not in (None, ""):
            self.opt(args, "--aliases", self.table_path(parameters, "ALIASES", context, feedback))
        for name, flag in zip(names, ("--gpkg", "--html", "--png", "--pdf", "--csv"), strict=True):
            self.opt(args, flag, paths[name])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        layers = self.load_gpkg(result, out["OUTPUT_GPKG"], context, "OUTPUT_GPKG")
        unmatched: list[str] = []
        for report in (result.get("join_reports") or {}).values():
            unmatched += [str(k) for k in report.get("unmatched_table") or []]
        if unmatched:
            feedback.pushWarning(
                self.tr("Table keys without a geometry (not mapped): ") + ", ".join(unmatched)
            )
        bins = (result.get("classification") or {}).get("breaks") or []
        return {
            **out,
            "LAYERS": ",".join(layers),
            "UNMATCHED": ",".join(unmatched),
            "BINS_OUT": ",".join(str(b) for b in bins),
        }
