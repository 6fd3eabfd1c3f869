"""Group and sector shares (seed 001): geotrade shares."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from .base import CSV_FILTER, MD_FILTER, GeotradeAlgorithm

__all__ = ["SharesAlgorithm"]

FLOW_FORMATS = (
    "Trade flows or IMF LCT file (*.csv *.parquet *.xlsx *.zip *.txt *.tsv);;All files (*.*)"
)
PNG_FILTER = "PNG (*.png)"


class SharesAlgorithm(GeotradeAlgorithm):
    """geotrade shares -> group (and sector) shares table, report and charts."""

    NAME = "shares"
    DISPLAY = "Group and sector trade shares"
    GROUP = "Trade"
    GROUP_ID = "trade"
    HELP = (
        "Shares of world exports and imports by country group (World Bank income groups, "
        "regions or your own grouping CSV iso3,group[,from,to]) and the focal country on its "
        "own, per year (basis world, seed 001 Figures 1-2); or the focal country's trade by "
        "partner group (basis partner, seed 001 Table 2); optionally exports by sector of a "
        "product list with a sector column (seed 001 Figures 3-4). Works on bilateral flow "
        "files and on the IMF climate dashboard's country totals. Income groups can follow "
        "the trade year with your World Bank OGHIST.xlsx."
    )
    EXAMPLE = (
        "FLOWS = synthetic_li_ion_trade_2012_2022.csv, BY = income3, BASIS = world, "
        "FOCAL = CHN, YEARS = 2012-2022 gives the high-income, EMDE and China shares per "
        "year as a CSV table (loaded into the project) and, with OUTPUT_PNG, the stacked "
        "share chart."
    )
    BASES: ClassVar = ["world", "partner"]
    VINTAGES: ClassVar = ["latest", "historical"]

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFile(
                "FLOWS", self.tr("Trade flows file"), fileFilter=FLOW_FORMATS
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "BY",
                self.tr("Groups: income3, income, region, or the path of a grouping CSV"),
                "income3",
            )
        )
        self.add_choice("BASIS", self.tr("Basis"), self.BASES)
        self.addParameter(
            QgsProcessingParameterString("FOCAL", self.tr("Focal country (ISO3)"), "CHN")
        )
        self.addParameter(
            QgsProcessingParameterString(
                "YEARS", self.tr("Years (e.g. 1992-2022; empty: all)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "PRODUCT_LIST",
                self.tr("Product list (name or CSV of hs_code[,sector]; empty: all products)"),
                "",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean("BY_SECTOR", self.tr("Also exports by sector"), False)
        )
        self.add_choice("INCOME_VINTAGE", self.tr("Income groups"), self.VINTAGES, advanced=True)
        self.add_advanced(
            QgsProcessingParameterFile(
                "INCOME_HISTORY",
                self.tr("World Bank OGHIST.xlsx (for historical income groups)"),
                fileFilter="Excel (*.xlsx)",
                optional=True,
            )
        )
        self.add_output("OUTPUT_CSV", self.tr("Shares table"), CSV_FILTER)
        self.add_output("OUTPUT_MD", self.tr("Shares (Markdown)"), MD_FILTER, optional=True)
        self.add_output("OUTPUT_PNG", self.tr("Share charts (PNG)"), PNG_FILTER, optional=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        flows = self.parameterAsFile(parameters, "FLOWS", context)
        paths = {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_CSV", "OUTPUT_MD", "OUTPUT_PNG")
        }
        args = ["shares", flows, "--by", self.parameterAsString(parameters, "BY", context)]
        self.opt(args, "--basis", self.choice(parameters, "BASIS", context))
        args += ["--focal", self.parameterAsString(parameters, "FOCAL", context).strip().upper()]
        self.opt(args, "--years", self.parameterAsString(parameters, "YEARS", context).strip())
        plist = self.parameterAsString(parameters, "PRODUCT_LIST", context).strip()
        self.opt(args, "--product-list", plist)
        if self.parameterAsBool(parameters, "BY_SECTOR", context):
            args.append("--by-sector")
        self.opt(args, "--income-vintage", self.choice(parameters, "INCOME_VINTAGE", context))
        self.opt(args, "--income-history", self.parameterAsFile(parameters, "INCOME_HISTORY",
                                                                 context))  # fmt: skip
        args += ["--csv", paths["OUTPUT_CSV"]]
        self.opt(args, "--md", paths["OUTPUT_MD"])
        self.opt(args, "--png", paths["OUTPUT_PNG"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_table(out["OUTPUT_CSV"], self.tr("group shares"), context, "OUTPUT_CSV")
        return out
