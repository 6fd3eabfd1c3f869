"""Trade algorithms: interdependence map per year, trade summary tables."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .base import CSV_FILTER, GPKG_FILTER, HTML_FILTER, MD_FILTER, GeotradeAlgorithm

__all__ = ["InterdependenceAlgorithm", "TradeSummaryAlgorithm"]

FLOW_FORMATS = "Trade flows (*.csv *.parquet *.xlsx *.zip *.txt *.tsv);;All files (*.*)"


class _TradeInputs:
    def add_trade_inputs(self) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                "FLOWS",
                self.tr("Trade flows file (Comtrade, BACI or canonical CSV/Parquet)"),
                fileFilter=FLOW_FORMATS,
            )
        )
        self.addParameter(
            QgsProcessingParameterString("FOCAL", self.tr("Focal country (ISO3)"), "CHN")
        )
        self.addParameter(
            QgsProcessingParameterString(
                "YEARS",
                self.tr("Years (comma-separated; empty: all)"),
                "2012,2017,2022",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "HS", self.tr("HS codes (comma-separated; empty: all)"), "850760", optional=True
            )
        )

    def trade_args(self, parameters, context) -> list:
        focal = self.parameterAsString(parameters, "FOCAL", context).strip().upper()
        args = ["--focal", focal]
        self.opt(args, "--years", self.parameterAsString(parameters, "YEARS", context).strip())
        self.opt(args, "--hs", self.parameterAsString(parameters, "HS", context).strip())
        return args


class InterdependenceAlgorithm(_TradeInputs, GeotradeAlgorithm):
    """geotrade interdependence → one styled dependence_<year> layer per year."""

    NAME = "interdependence"
    DISPLAY = "Trade interdependence map"
    GROUP = "Trade"
    GROUP_ID = "trade"
    HELP = (
        "Grubel-Lloyd trade interdependence between a focal country and every partner, per "
        "year: exports, imports, GL index, signed index and dependence class. Writes a CSV "
        "and a GeoPackage with one styled layer per year (dependence_&lt;year&gt;)."
    )
    EXAMPLE = (
        'FLOWS = synthetic_li_ion_trade_2012_2022.csv (from "Write synthetic sample '
        'data"), FOCAL = CHN, YEARS = 2012,2017,2022, HS = 850760 gives layers '
        "dependence_2012, dependence_2017 and dependence_2022, styled by dependence "
        "class; add PROJECT_OUTPUT = trade.qgz for an editable project with the print "
        "layout."
    )
    MIRRORS: ClassVar = ["reporter", "partner", "max", "prefer-reporter"]

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_trade_inputs()
        self.add_choice("MIRROR", self.tr("Mirror-data policy"), self.MIRRORS, advanced=True)
        for name, label, default in (
            ("HIGH", self.tr("High-dependence threshold"), 0.2),
            ("LOW", self.tr("Low-dependence threshold"), 0.5),
        ):
            param = QgsProcessingParameterNumber(
                name,
                label,
                QgsProcessingParameterNumber.Type.Double,
                default,
                minValue=0.0,
                maxValue=1.0,
            )
            self.add_advanced(param)
        self.add_choice("LANG", self.tr("Label language"), ["zh", "en"], advanced=True)
        self.add_output("OUTPUT_CSV", self.tr("Interdependence table"), CSV_FILTER)
        self.add_output("OUTPUT_GPKG", self.tr("Interdependence GeoPackage"), GPKG_FILTER)
        self.add_map_options()
        self.add_output("OUTPUT_HTML", self.tr("Web map"), HTML_FILTER, optional=True)
        self.addOutput(QgsProcessingOutputString("LAYERS", self.tr("Layers written")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        flows = self.parameterAsFile(parameters, "FLOWS", context)
        paths = {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_CSV", "OUTPUT_GPKG", "OUTPUT_HTML")
        }
        args = ["interdependence", flows, *self.trade_args(parameters, context)]
        self.opt(args, "--mirror", self.choice(parameters, "MIRROR", context))
        args += ["--high", repr(self.parameterAsDouble(parameters, "HIGH", context))]
        args += ["--low", repr(self.parameterAsDouble(parameters, "LOW", context))]
        self.opt(args, "--lang", self.choice(parameters, "LANG", context))
        args += ["--csv", paths["OUTPUT_CSV"], "--gpkg", paths["OUTPUT_GPKG"]]
        self.opt(args, "--html", paths["OUTPUT_HTML"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        layers = self.load_gpkg(result, out["OUTPUT_GPKG"], context, "OUTPUT_GPKG")
        return {**out, "LAYERS": ",".join(layers)}


class TradeSummaryAlgorithm(_TradeInputs, GeotradeAlgorithm):
    """geotrade trade summary → tables (CSV, Markdown)."""

    NAME = "trade_summary"
    DISPLAY = "Trade summary tables"
    GROUP = "Trade"
    GROUP_ID = "trade"
    HELP = (
        "Trade pattern summary of a focal country: totals, growth, top partners and "
        "dependence classes per year (Table 2/Table 3 shaped), as CSV and Markdown; with "
        "OUTPUT_GPKG, one styled map layer per year (partner_shares_&lt;year&gt;) of every "
        "partner's share of the focal country's trade."
    )
    EXAMPLE = (
        "FLOWS = synthetic_li_ion_trade_2012_2022.csv, FOCAL = CHN, YEARS = "
        "2012,2017,2022, TOP = 5 gives the totals, growth and five largest partners per "
        "year as a CSV table (loaded into the project) and, with OUTPUT_MD, as Markdown; "
        "OUTPUT_GPKG = pattern.gpkg adds the layers partner_shares_2012 ... _2022."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_trade_inputs()
        self.addParameter(
            QgsProcessingParameterNumber(
                "TOP",
                self.tr("Number of top partners"),
                QgsProcessingParameterNumber.Type.Integer,
                5,
                minValue=1,
            )
        )
        self.add_output("OUTPUT_CSV", self.tr("Summary table"), CSV_FILTER)
        self.add_output("OUTPUT_MD", self.tr("Summary (Markdown)"), MD_FILTER, optional=True)
        self.add_output(
            "OUTPUT_GPKG", self.tr("Partner-share maps (GeoPackage)"), GPKG_FILTER, optional=True
        )
        self.add_map_options()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        flows = self.parameterAsFile(parameters, "FLOWS", context)
        paths = {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_CSV", "OUTPUT_MD", "OUTPUT_GPKG")
        }
        args = ["trade", "summary", flows, *self.trade_args(parameters, context)]
        args += ["--top", str(self.parameterAsInt(parameters, "TOP", context))]
        args += ["--csv", paths["OUTPUT_CSV"]]
        self.opt(args, "--md", paths["OUTPUT_MD"])
        self.opt(args, "--gpkg", paths["OUTPUT_GPKG"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_table(out["OUTPUT_CSV"], self.tr("trade summary"), context, "OUTPUT_CSV")
        self.load_gpkg(result, out["OUTPUT_GPKG"], context, "OUTPUT_GPKG")
        return out
