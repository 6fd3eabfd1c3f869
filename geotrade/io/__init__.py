"""Readers and writers (GeoPackage with embedded styles, atomic outputs)."""
