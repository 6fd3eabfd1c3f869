"""Econometric models: negative binomial and gravity (tables)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterString,
)

from .base import CSV_FILTER, GPKG_FILTER, MD_FILTER, TEX_FILTER, GeotradeAlgorithm

__all__ = ["GravityModelAlgorithm", "NegativeBinomialAlgorithm"]


class _ModelBase(GeotradeAlgorithm):
    GROUP = "Models"
    GROUP_ID = "models"

    def add_model_inputs(self, label: str, y: str, x: str) -> None:
        self.add_table_input("INPUT", label)
        self.add_field("Y", self.tr("Dependent variable"), y)
        self.add_field("X", self.tr("Explanatory variables"), x, multiple=True)

    def add_table_outputs(self) -> None:
        self.add_output("OUTPUT_CSV", self.tr("Coefficient table"), CSV_FILTER)
        self.add_output("OUTPUT_MD", self.tr("Table (Markdown)"), MD_FILTER, optional=True)
        self.add_output("OUTPUT_TEX", self.tr("Table (LaTeX)"), TEX_FILTER, optional=True)

    def model_args(self, parameters, context, paths, feedback) -> list:
        args = [
            self.table_path(parameters, "INPUT", context, feedback),
            "--y",
            self.fields_text(parameters, "Y", context),
            "--x",
            self.fields_text(parameters, "X", context),
        ]
        self.opt(args, "--csv", paths["OUTPUT_CSV"])
        self.opt(args, "--md", paths["OUTPUT_MD"])
        self.opt(args, "--tex", paths["OUTPUT_TEX"])
        return args


class NegativeBinomialAlgorithm(_ModelBase):
    """geotrade model nb → coefficient tables."""

    NAME = "model_nb"
    DISPLAY = "Negative binomial model"
    HELP = (
        "Negative binomial regression of a count outcome (e.g. number of trade "
        "partners), optionally by year and flow, with incidence-rate tables."
    )
    EXAMPLE = (
        "INPUT = panel.csv (geotrade model sample-panel panel.csv), Y = exports_usd, X = "
        "gdp_log and openness gives the coefficient table with incidence-rate ratios."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_model_inputs(self.tr("Design table (file or table layer)"), "y", "x1;x2")
        self.addParameter(
            QgsProcessingParameterString(
                "BY", self.tr("Fit separately by (comma-separated columns)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                "ROUND_THOUSAND", self.tr("Round counts to thousands"), False
            )
        )
        self.add_table_outputs()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        paths = {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_CSV", "OUTPUT_MD", "OUTPUT_TEX")
        }
        args = ["model", "nb", *self.model_args(parameters, context, paths, feedback)]
        self.opt(args, "--by", self.parameterAsString(parameters, "BY", context).strip())
        if self.parameterAsBool(parameters, "ROUND_THOUSAND", context):
            args.append("--round-thousand")
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_table(out["OUTPUT_CSV"], self.tr("negative binomial"), context, "OUTPUT_CSV")
        return out


class GravityModelAlgorithm(_ModelBase):
    """geotrade model gravity → coefficient tables (+ optional residual map)."""

    NAME = "model_gravity"
    DISPLAY = "Gravity model (PPML / OLS)"
    HELP = (
        "Structural gravity model with fixed effects, estimated by PPML and/or OLS with "
        "clustered standard errors; optional residual map."
    )
    EXAMPLE = (
        "INPUT = panel.csv (geotrade model sample-panel panel.csv), Y = lct_imports, X = "
        "gdp_log and pol_stability, FE = partner,year, CLUSTER = partner, METHOD = ppml "
        "gives the PPML coefficient table."
    )

    def initAlgorithm(self, config=None):  # noqa: D102
        self.add_model_inputs(
            self.tr("Panel table (file or table layer)"), "value_usd", "ln_gdp_partner;ln_distance"
        )
        self.addParameter(
            QgsProcessingParameterString(
                "FE", self.tr("Fixed effects (comma-separated)"), "partner,year", optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "CLUSTER", self.tr("Cluster standard errors by"), "partner", optional=True
            )
        )
        self.add_choice("METHOD", self.tr("Estimator"), ["ppml", "ols", "both"])
        self.add_choice(
            "OUTCOME", self.tr("OLS outcome (log, or level as it is)"), ["log", "level"]
        )
        self.add_table_outputs()
        self.add_output("OUTPUT_GPKG", self.tr("Residual map"), GPKG_FILTER, optional=True)
        self.add_map_options()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        paths = {
            k: self.out_path(parameters, k, context)
            for k in ("OUTPUT_CSV", "OUTPUT_MD", "OUTPUT_TEX", "OUTPUT_GPKG")
        }
        args = ["model", "gravity", *self.model_args(parameters, context, paths, feedback)]
        self.opt(args, "--fe", self.parameterAsString(parameters, "FE", context).strip())
        self.opt(args, "--cluster", self.parameterAsString(parameters, "CLUSTER", context).strip())
        self.opt(args, "--method", self.choice(parameters, "METHOD", context))
        self.opt(args, "--outcome", self.choice(parameters, "OUTCOME", context))
        self.opt(args, "--gpkg", paths["OUTPUT_GPKG"])
        result = self.engine(args, feedback)
        out = self.output_paths(result, paths)
        self.load_table(out["OUTPUT_CSV"], self.tr("gravity model"), context, "OUTPUT_CSV")
        self.load_gpkg(result, out["OUTPUT_GPKG"], context, "OUTPUT_GPKG")
        return out
