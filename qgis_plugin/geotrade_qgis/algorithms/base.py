"""Shared base class of the geotrade algorithms: run the engine, map errors, load outputs."""

from __future__ import annotations

import os
import sqlite3

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from geotrade_qgis import engine
from geotrade_qgis.postprocess import load_styled_on_completion
from geotrade_qgis.settings import ICON, engine_setting

__all__ = ["ENGINE_DEFAULT", "GeotradeAlgorithm", "gpkg_feature_layers"]

#: First option of optional choice parameters: do not pass the option to the engine.
ENGINE_DEFAULT = "(engine default)"

GPKG_FILTER = "GeoPackage (*.gpkg)"
CSV_FILTER = "CSV (*.csv)"
HTML_FILTER = "HTML (*.html)"
MD_FILTER = "Markdown (*.md)"
TEX_FILTER = "LaTeX (*.tex)"
QML_FILTER = "QGIS style (*.qml)"


def gpkg_feature_layers(path: str) -> list[str]:
    """Names of the feature tables of a GeoPackage (read with sqlite3, no GDAL)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid"
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


class GeotradeAlgorithm(QgsProcessingAlgorithm):
    """An algorithm that runs one ``geotrade --json`` command.

    Subclasses define ``NAME``, ``DISPLAY``, ``GROUP``, ``GROUP_ID``, ``HELP`` and
    ``initAlgorithm``/``processAlgorithm``; they call :meth:`engine` with the command line.
    """

    NAME = ""
    DISPLAY = ""
    GROUP = ""
    GROUP_ID = ""
    HELP = ""
    #: False for algorithms that only use QGIS (no engine needed).
    NEEDS_ENGINE = True

    # --- metadata ---------------------------------------------------------------
    def tr(self, text: str) -> str:  # noqa: D102
        return QCoreApplication.translate("GeotradeAlgorithm", text)

    def createInstance(self):  # noqa: D102
        return type(self)()

    def name(self):  # noqa: D102
        return self.NAME

    def displayName(self):  # noqa: D102
        return self.tr(self.DISPLAY)

    def group(self):  # noqa: D102
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: D102
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: D102
        text = self.tr(self.HELP)
        if self.NEEDS_ENGINE:
            text += (
                "<p>"
                + self.tr(
                    "Runs the geotrade engine in a separate process (geotrade --json). Set its "
                    "path in Settings > Options > Processing > Providers > geotrade."
                )
                + "</p>"
            )
        return text

    def icon(self):  # noqa: D102
        return QIcon(ICON)

    def helpUrl(self):  # noqa: D102
        return "https://example.invalid/geotrade/qgis_plugin/README.md"

    def canExecute(self):  # noqa: D102
        if not self.NEEDS_ENGINE:
            return True, ""
        try:
            engine.engine_version(engine.find_engine(engine_setting()))
        except engine.EngineNotFound as exc:
            return False, str(exc)
        return True, ""

    # --- parameter helpers --------------------------------------------------------
    def add_advanced(self, param) -> None:
        """Add ``param`` in the Advanced section of the dialog."""
        param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(param)

    def add_choice(self, name: str, label: str, choices: list[str], *, advanced: bool = False):
        """Add an optional engine option with an '(engine default)' first entry."""
        param = QgsProcessingParameterEnum(
            name, label, options=[ENGINE_DEFAULT, *choices], defaultValue=0
        )
        param.setMetadata({"choices": choices})
        (self.add_advanced if advanced else self.addParameter)(param)

    def choice(self, parameters, name: str, context) -> str | None:
        """Return the chosen value of an :meth:`add_choice` parameter (None: engine default)."""
        idx = self.parameterAsEnum(parameters, name, context)
        if idx <= 0:
            return None
        return self.parameterDefinition(name).metadata()["choices"][idx - 1]

    def add_output(
        self,
        name: str,
        label: str,
        file_filter: str,
        *,
        optional: bool = False,
        advanced: bool = False,
    ) -> None:
        """Add a file output written by the engine."""
        param = QgsProcessingParameterFileDestination(
            name,
            label,
            file_filter,
            optional=optional,
            defaultValue=None if optional else QgsProcessing.TEMPORARY_OUTPUT,
        )
        if optional:
            param.setCreateByDefault(False)
        (self.add_advanced if advanced else self.addParameter)(param)

    def out_path(self, parameters, name: str, context) -> str:
        """Output file path ('' when an optional output is skipped); its folder is created."""
        path = self.parameterAsFileOutput(parameters, name, context)
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return path or ""

    @staticmethod
    def opt(args: list, flag: str, value) -> None:
        """Append ``flag value`` when ``value`` is set."""
        if value not in (None, "", []):
            args += [flag, str(value)]

    # --- running -------------------------------------------------------------------
    def engine(self, args: list, feedback) -> dict:
        """Run ``geotrade --json <args>``; engine errors become QgsProcessingException."""
        try:
            return engine.run_engine(list(args), feedback=feedback, setting=engine_setting())
        except engine.EngineFailure as exc:
            for problem in exc.record.get("problems") or []:
                where = ", ".join(
                    f"{k} {problem[k]}" for k in ("path", "row", "column") if problem.get(k)
                )
                feedback.reportError(
                    f"{where}: {problem.get('message')}" if where else str(problem.get("message")),
                    False,
                )
            raise QgsProcessingException(exc.message) from None
        except (engine.EngineNotFound, engine.EngineCancelled) as exc:
            raise QgsProcessingException(str(exc)) from None

    @staticmethod
    def output_paths(result: dict, requested: dict[str, str]) -> dict[str, str]:
        """Map ``requested`` {PARAM: path} to the paths the engine reports it wrote.

        The engine lists written files under ``outputs`` (a dict name -> path); a requested
        path the engine did not report is returned as requested when the file exists, or ''.
        """
        written = result.get("outputs") or {}
        paths = set(written.values()) if isinstance(written, dict) else set(written)
        norm = {os.path.abspath(p) for p in paths}
        out = {}
        for key, path in requested.items():
            if path and (os.path.abspath(path) in norm or os.path.exists(path)):
                out[key] = path
            else:
                out[key] = ""
        return out

    def load_gpkg(self, result: dict, gpkg: str, context, output_name: str) -> list[str]:
        """Load the GeoPackage's layers (styled) when the algorithm completes."""
        if not gpkg or not os.path.exists(gpkg):
            return []
        layers = result.get("layers")
        if isinstance(layers, dict):
            layers = layers.get(os.path.basename(gpkg)) or layers.get(gpkg)
        if isinstance(layers, str):
            layers = [layers]
        if not layers and isinstance(result.get("layer"), str):
            layers = [result["layer"]]
        if not layers:
            layers = gpkg_feature_layers(gpkg)
        load_styled_on_completion(context, gpkg, list(layers), output_name=output_name)
        return list(layers)

    def load_table(self, path: str, name: str, context, output_name: str) -> None:
        """Load a CSV table (no geometry) when the algorithm completes."""
        from qgis.core import QgsProcessingContext

        if path and os.path.exists(path):
            context.addLayerToLoadOnCompletion(
                path, QgsProcessingContext.LayerDetails(name, context.project(), output_name)
            )
