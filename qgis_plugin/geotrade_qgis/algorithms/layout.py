"""Export a print layout of a layer to PDF, PNG and SVG (pure QGIS, no engine)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
)

from .base import GeotradeAlgorithm

__all__ = ["PrintLayoutAlgorithm"]


class PrintLayoutAlgorithm(GeotradeAlgorithm):
    """A4/A3 map pages with titles, legend with counts, provenance footer, SCS inset."""

    NAME = "print_layout"
    DISPLAY = "Export print layout (PDF/PNG/SVG)"
    GROUP = "Cartography"
    GROUP_ID = "cartography"
    NEEDS_ENGINE = False
    HELP = (
        "Exports a print layout of a geotrade map layer to PDF, PNG and/or SVG. The title and "
        "subtitle come from the GeoPackage metadata (product title; the layer's bilingual "
        "style title and year), the legend lists every class with its feature count, and the "
        "footer gives the data source, boundaries and projection from the provenance "
        "metadata, with the synthetic-data note of demo products. The map is drawn in the "
        "product's map CRS (Equal Earth for world products, the China Albers conic for "
        "China) unless MAP_CRS is set, and fills an A4 or A3 page. Regional maps get a km "
        "scale bar and a north arrow (never world maps); China maps get the South China Sea "
        "islands inset. When the layer is one year of a product (e.g. dependence_2022 next "
        "to dependence_2012 and dependence_2017), every year gets a page: one multi-page PDF, "
        "or one PNG/SVG per page (map.png, map_2.png, ...). PROJECT_OUTPUT saves the "
        "layout with the GeoPackage's layers in an editable QGIS project (.qgz)."
    )
    EXAMPLE = (
        "INPUT = recycling_mismatch.gpkg|layername=province_capacity_ratio_2030, "
        "ORIENTATION = portrait, OUTPUT_PDF = capacity.pdf gives two portrait pages (2025, "
        "2030)."
    )

    def flags(self):  # noqa: D102 - layout rendering touches project layers: main thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: D102
        self.addParameter(QgsProcessingParameterVectorLayer("INPUT", self.tr("Map layer")))
        self.addParameter(
            QgsProcessingParameterString(
                "TITLE",
                self.tr("Title (empty: the product title from the metadata)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "SOURCE",
                self.tr("Source line (empty: from the provenance metadata)"),
                optional=True,
            )
        )
        self.add_page_options()
        self.addParameter(
            QgsProcessingParameterBoolean(
                "ALL_YEARS", self.tr("One page per year of the product"), True
            )
        )
        self.add_advanced(
            QgsProcessingParameterNumber(
                "DPI",
                self.tr("Resolution (dpi)"),
                QgsProcessingParameterNumber.Type.Integer,
                150,
                minValue=30,
                maxValue=1200,
            )
        )
        self.add_advanced(
            QgsProcessingParameterBoolean(
                "FORCE_SYNTHETIC", self.tr("Always add the synthetic-data note"), False
            )
        )
        for key, label, filt in (
            ("OUTPUT_PDF", "PDF", "PDF (*.pdf)"),
            ("OUTPUT_PNG", "PNG (one file per page)", "PNG (*.png)"),
            ("OUTPUT_SVG", "SVG (one file per page)", "SVG (*.svg)"),
        ):
            self.addParameter(
                QgsProcessingParameterFileDestination(key, self.tr(label), filt, optional=True)
            )
        self.add_project_output()
        self.addOutput(QgsProcessingOutputBoolean("SYNTHETIC", self.tr("Synthetic note added")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages")))
        self.addOutput(QgsProcessingOutputString("FILES", self.tr("Files written")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: D102
        from geotrade_qgis.layout import _source_parts, export_layout, page_layers

        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        if layer is None:
            raise QgsProcessingException(self.tr("Could not load the map layer."))
        project = context.project()
        in_project = project is not None and project.mapLayer(layer.id()) is not None
        if not in_project and layer.providerType() == "ogr":
            # loaded from a path by Processing: apply the GeoPackage's embedded style
            name = layer.name()
            if "|layername=" in layer.source():
                name = layer.source().split("|layername=")[1].split("|")[0]
            styled = QgsVectorLayer(layer.source(), name, layer.providerType())
            if styled.isValid():
                styled.loadDefaultStyle()
                layer = styled
        outs = {
            k: self.out_path(parameters, f"OUTPUT_{k.upper()}", context)
            for k in ("pdf", "png", "svg")
        }
        project_path = self.out_path(parameters, "PROJECT_OUTPUT", context)
        if not any(outs.values()) and not project_path:
            raise QgsProcessingException(
                self.tr("Choose a PDF, PNG and/or SVG output, or a QGIS project.")
            )
        layers = page_layers(
            layer, all_years=self.parameterAsBool(parameters, "ALL_YEARS", context)
        )
        synthetic = True if self.parameterAsBool(parameters, "FORCE_SYNTHETIC", context) else None
        gpkg = layer.source().split("|")[0]
        if project_path and not gpkg.lower().endswith(".gpkg"):
            raise QgsProcessingException(
                self.tr("A QGIS project can be written for a GeoPackage layer only: ")
                + layer.source()
            )
        try:
            res = export_layout(
                layers,
                title=self.parameterAsString(parameters, "TITLE", context),
                source=self.parameterAsString(parameters, "SOURCE", context),
                dpi=self.parameterAsInt(parameters, "DPI", context),
                synthetic=synthetic,
                project=project,
                **outs,
                **self.page_options(parameters, context),
            )
            saved = {"path": ""}
            if project_path:
                from geotrade_qgis.project import save_project

                saved = save_project(
                    project_path,
                    [gpkg],
                    map_layers=[_source_parts(lyr)[1] for lyr in layers],
                    **self.page_options(parameters, context),
                )
                feedback.pushInfo(self.tr("QGIS project with the layout: ") + saved["path"])
        except (RuntimeError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from None
        if res["synthetic"]:
            feedback.pushInfo(self.tr("The layer is synthetic: the synthetic-data note was added."))
        files = ([res["pdf"]] if res["pdf"] else []) + res["png"] + res["svg"]
        feedback.pushInfo(self.tr("Pages: ") + ", ".join(lyr.name() for lyr in layers))
        return {
            "OUTPUT_PDF": res["pdf"],
            "OUTPUT_PNG": res["png"][0] if res["png"] else "",
            "OUTPUT_SVG": res["svg"][0] if res["svg"] else "",
            "SYNTHETIC": res["synthetic"],
            "PAGES": res["pages"],
            "FILES": ",".join(files),
            "PROJECT_OUTPUT": saved["path"],
        }
