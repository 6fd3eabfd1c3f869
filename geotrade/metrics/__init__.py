"""Metrics: tables in, tables out (no geometry)."""
