"""Styles: palettes, renderer-neutral class spec, QGIS QML and SLD."""
