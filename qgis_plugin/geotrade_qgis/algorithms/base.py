"""Shared base class of the geotrade algorithms: run the engine, map errors, load outputs."""

from __future__ import annotations

import functools
import os
import sqlite3

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsVectorLayer,
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
LAYOUT_FILTER = "PDF (*.pdf);;PNG (*.png);;SVG (*.svg)"
PROJECT_FILTER = "QGIS project (*.qgz)"
#: Table formats the engine reads as they are; other layers are exported to CSV first.
TABLE_EXTENSIONS = ["csv", "xlsx", "xls", "parquet"]
PAGE_SIZES = ["A4", "A3"]
ORIENTATIONS = ["landscape", "portrait"]


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
    #: A worked example shown under the help (HTML allowed).
    EXAMPLE = ""
    #: False for algorithms that only use QGIS (no engine needed).
    NEEDS_ENGINE = True

    def __init_subclass__(cls, **kwargs):
        """Wrap each ``processAlgorithm`` to keep its results for :meth:`postProcessAlgorithm`."""
        super().__init_subclass__(**kwargs)
        inner = cls.__dict__.get("processAlgorithm")
        if inner is None or getattr(inner, "_geotrade_wrapped", False):
            return

        @functools.wraps(inner)
        def process(self, parameters, context, feedback):
            self._maps = []
            self._map_request = self._read_map_options(parameters, context)
            self._results = inner(self, parameters, context, feedback)
            return self._results

        process._geotrade_wrapped = True
        cls.processAlgorithm = process

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
        if self.EXAMPLE:
            text += "<p><b>" + self.tr("Example") + "</b>: " + self.tr(self.EXAMPLE) + "</p>"
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

    def add_table_input(self, name: str, label: str) -> None:
        """Add a table input: a file (CSV, XLSX, Parquet) or a table/vector layer of the project.

        The dialog shows a layer picker with a file browser (a feature source of any
        geometry, tables without geometry included); :meth:`table_path` turns the value
        into a file the engine reads.
        """
        self.addParameter(
            QgsProcessingParameterFeatureSource(name, label, [QgsProcessing.SourceType.TypeVector])
        )

    def table_path(self, parameters, name: str, context, feedback) -> str:
        """Return the file behind a :meth:`add_table_input` value.

        A path to an existing file is passed as it is (the engine reads CSV, XLSX and
        Parquet itself, also formats QGIS cannot open); a layer is passed by its file when
        the engine reads that format, else exported to a temporary CSV (memory layers,
        selections, database tables).
        """
        value = parameters.get(name)
        if isinstance(value, str) and os.path.isfile(value):
            return value
        path = self.parameterAsCompatibleSourceLayerPath(
            parameters, name, context, TABLE_EXTENSIONS, "csv", feedback
        )
        if not path:
            raise QgsProcessingException(self.tr("Could not read the table: ") + str(value))
        return path

    def add_field(
        self,
        name: str,
        label: str,
        default: str,
        *,
        parent: str = "INPUT",
        multiple: bool = False,
        optional: bool = False,
    ) -> None:
        """Add a field picker on the table/layer ``parent``.

        Any field type is offered: the columns of a CSV read by OGR are text.
        """
        self.addParameter(
            QgsProcessingParameterField(
                name,
                label,
                defaultValue=default,
                parentLayerParameterName=parent,
                type=QgsProcessingParameterField.DataType.Any,
                allowMultiple=multiple,
                optional=optional,
            )
        )

    def fields_text(self, parameters, name: str, context) -> str:
        """Comma-separated field names of a :meth:`add_field` value (list, ';' or ',')."""
        names = []
        for item in self.parameterAsFields(parameters, name, context):
            names += [part.strip() for part in str(item).split(",") if part.strip()]
        return ",".join(names)

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

    def add_page_options(self) -> None:
        """MAP_CRS, PAGE_SIZE and ORIENTATION: the print layout's map CRS and page."""
        self.addParameter(
            QgsProcessingParameterCrs(
                "MAP_CRS", self.tr("Map CRS (empty: the product's map_crs)"), optional=True
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                "PAGE_SIZE", self.tr("Layout page size"), options=PAGE_SIZES, defaultValue=0
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                "ORIENTATION", self.tr("Layout orientation"), options=ORIENTATIONS, defaultValue=0
            )
        )

    def add_map_options(self) -> None:
        """Map CRS and an optional print layout (LAYOUT_OUTPUT) of the algorithm's map layers.

        The layout has one page per layer written (PDF: one file; PNG/SVG: one file per
        page, ``name.png``, ``name_2.png``, ...). The map CRS (MAP_CRS, else the product's
        ``map_crs``) is set on the project when the project has no layers yet.
        """
        self.add_page_options()
        param = QgsProcessingParameterFileDestination(
            "LAYOUT_OUTPUT",
            self.tr("Print layout (PDF, PNG or SVG; optional)"),
            LAYOUT_FILTER,
            optional=True,
            createByDefault=False,
        )
        self.addParameter(param)
        self.add_project_output()
        self.addOutput(QgsProcessingOutputString("LAYOUT_FILES", self.tr("Layout files")))
        self.addOutput(QgsProcessingOutputNumber("LAYOUT_PAGES", self.tr("Layout pages")))

    def add_project_output(self) -> None:
        """PROJECT_OUTPUT: an editable QGIS project (.qgz) with the layers and the layout."""
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "PROJECT_OUTPUT",
                self.tr("Editable QGIS project with the print layout (.qgz; optional)"),
                PROJECT_FILTER,
                optional=True,
                createByDefault=False,
            )
        )

    def page_options(self, parameters, context) -> dict:
        """``export_layout`` keyword arguments from MAP_CRS, PAGE_SIZE and ORIENTATION."""
        crs = self.parameterAsCrs(parameters, "MAP_CRS", context)
        return {
            "map_crs": crs if crs.isValid() else None,
            "page_size": PAGE_SIZES[self.parameterAsEnum(parameters, "PAGE_SIZE", context)],
            "orientation": ORIENTATIONS[self.parameterAsEnum(parameters, "ORIENTATION", context)],
        }

    def _read_map_options(self, parameters, context) -> dict | None:
        if self.parameterDefinition("MAP_CRS") is None:
            return None
        req = self.page_options(parameters, context)
        req["layout"] = req["project"] = ""
        if self.parameterDefinition("LAYOUT_OUTPUT") is not None:
            req["layout"] = self.out_path(parameters, "LAYOUT_OUTPUT", context)
        if self.parameterDefinition("PROJECT_OUTPUT") is not None:
            req["project"] = self.out_path(parameters, "PROJECT_OUTPUT", context)
            if req["project"] and not req["project"].lower().endswith(".qgz"):
                raise QgsProcessingException(
                    self.tr("The project output must end in .qgz: ") + req["project"]
                )
        return req

    def postProcessAlgorithm(self, context, feedback):  # noqa: D102 - main thread
        req = getattr(self, "_map_request", None)
        maps = getattr(self, "_maps", [])
        if not req or not maps:
            return {}
        from geotrade_qgis.layout import export_layout, map_crs_for

        layers = []
        for gpkg, names in maps:
            for name in names:
                layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
                if layer.isValid() and layer.isSpatial():
                    layer.loadDefaultStyle()
                    layers.append(layer)
        if not layers:
            return {}
        project = context.project()
        if project is not None and not project.mapLayers():
            crs = req["map_crs"] or map_crs_for(layers[0], project=project)
            project.setCrs(crs)
            feedback.pushInfo(self.tr("Project CRS set to the map CRS: ") + crs.description())
        results = dict(getattr(self, "_results", None) or {})
        if req["layout"]:
            ext = os.path.splitext(req["layout"])[1].lower().lstrip(".")
            if ext not in ("pdf", "png", "svg"):
                raise QgsProcessingException(
                    self.tr("The layout output must end in .pdf, .png or .svg: ") + req["layout"]
                )
            try:
                res = export_layout(
                    layers,
                    **{ext: req["layout"]},
                    map_crs=req["map_crs"],
                    page_size=req["page_size"],
                    orientation=req["orientation"],
                    project=project,
                )
            except (RuntimeError, ValueError) as exc:
                raise QgsProcessingException(str(exc)) from None
            files = [res[ext]] if ext == "pdf" else res[ext]
            results.update(
                LAYOUT_OUTPUT=req["layout"], LAYOUT_FILES=",".join(files), LAYOUT_PAGES=res["pages"]
            )
            feedback.pushInfo(self.tr("Print layout: ") + ", ".join(files))
        if req["project"]:
            from geotrade_qgis.project import save_project

            try:
                saved = save_project(
                    req["project"],
                    list(dict.fromkeys(gpkg for gpkg, _ in maps)),
                    map_layers=[lyr.name() for lyr in layers],
                    map_crs=req["map_crs"],
                    page_size=req["page_size"],
                    orientation=req["orientation"],
                )
            except (RuntimeError, ValueError) as exc:
                raise QgsProcessingException(str(exc)) from None
            results["PROJECT_OUTPUT"] = saved["path"]
            feedback.pushInfo(
                self.tr("QGIS project (layers, styles, print layout): ") + saved["path"]
            )
        return results

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
        if not hasattr(self, "_maps"):
            self._maps = []
        self._maps.append((gpkg, list(layers)))
        load_styled_on_completion(context, gpkg, list(layers), output_name=output_name)
        return list(layers)

    def load_table(self, path: str, name: str, context, output_name: str) -> None:
        """Load a CSV table (no geometry) when the algorithm completes."""
        from qgis.core import QgsProcessingContext

        if path and os.path.exists(path):
            context.addLayerToLoadOnCompletion(
                path, QgsProcessingContext.LayerDetails(name, context.project(), output_name)
            )
