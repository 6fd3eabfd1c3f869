"""Unit values (USD per kg), the standard quality proxy (seed 003): geotrade unit-values."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from .base import CSV_FILTER, MD_FILTER, GeotradeAlgorithm

__all__ = ["UnitValuesAlgorithm"]

FLOW_FORMATS = (
    "Trade flows with quantities (*.csv *.parquet *.xlsx *.zip *.txt *.tsv);;All files (*.*)"
)


class UnitValuesAlgorithm(GeotradeAlgorithm):
    """geotrade unit-values -> unit value table (and report)."""

    NAME = "unit_values"
    DISPLAY = "Unit values (USD per kg)"
    GROUP = "Trade"
    GROUP_ID = "trade"
    HELP = (
        "Unit value = sum of value / sum of kg, by exporter, importer or pair, per year and "
        "product (or all products pooled), and the relative unit value = that / the world "
        "unit value of the product and year (Schott 2004; Hallak 2006): the standard quality "
        "proxy, used here for seed 003's recycling trade (the seed's own quality model has "
        "no published formula). Rows without a quantity in kg are counted, not used. Needs "
        "a file with quantities: BACI, Comtrade or WITS with NetWeight."
    )
    EXAMPLE = (
        "FLOWS = BACI_HS17_Y2022_V202401.csv, BY = importer, POOL = yes gives one row per "
        "importer and year with its USD per kg and relative unit value; map it with "
        "'Map a table' (KEY = importer, FIELD = relative_unit_value)."
    )
    BYS: ClassVar = ["exporter", "importer", "pair"]
    FLOWS: ClassVar = ["export", "import"]

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(
            QgsProcessingParameterFile(
                "FLOWS", self.tr("Trade flows file"), fileFilter=FLOW_FORMATS
            )
        )
        self.add_choice("BY", self.tr("By"), self.BYS)
        self.add_choice("FLOW", self.tr("Reported rows"), self.FLOWS)
        self.addParameter(
            QgsProcessingParameterBoolean("POOL", self.tr("Pool all products"), False)
        )
        self.addParameter(
            QgsProcessingParameterString(
                "YEARS", self.tr("Years (e.g. 2017,2022; empty: all)"), "", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "PRODUCT_LIST",
                self.tr("Product list (name or CSV of hs_code; empty: all products)"),
                "",
                optional=True,
            )
        )
        self.add_output("OUTPUT_CSV", self.tr("Unit values table"), CSV_FILTER)
        self.add_output("OUTPUT_MD", self.tr("Unit values (Markdown)"), MD_FILTER, optional=True)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        flows = self.parameterAsFile(parameters, "FLOWS", context)
        paths = {k: self.out_path(parameters, k, context) for k in ("OUTPUT_CSV", "OUTPUT_MD")}
        args = ["unit-values", flows]
        self.opt(args, "--by", self.choice(parameters, "BY", context))
        self.opt(args, "--flow", self.choice(parameters, "FLOW", context))
        if self.parameterAsBool(parameters, "POOL", context):
            args.append("--pool")
        self.opt(args, "--years", self.parameterAsString(parameters, "YEARS", context).strip())
        plist = self.parameterAsString(parameters, "PRODUCT_LIST", context).strip()
        self.opt(args, "--product-list", plist)
        args += ["--csv", paths["OUTPUT_CSV"]]
        self.opt(args, "--md", paths["OUTPUT_MD"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_table(out["OUTPUT_CSV"], self.tr("unit values"), context, "OUTPUT_CSV")
        return out
