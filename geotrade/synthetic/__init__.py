"""Synthetic demo data generators (fixed seeds, calibrated to published aggregates)."""
