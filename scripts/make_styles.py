"""Regenerate the canonical QGIS/SLD styles in ``styles/`` from geotrade.style.canonical.

Usage: ``python scripts/make_styles.py [--check]``. ``--check`` exits 1 when a file in
``styles/`` differs from what the code generates (used by the test suite).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geotrade.style import canonical
from geotrade.style.qml import to_qml
from geotrade.style.sld import to_sld

STYLES = {
    "dependence_typology": canonical.dependence_style(),
    "capacity_ratio": canonical.capacity_ratio_style(),
    "matching_degree": canonical.matching_ratio_style(),
    "lisa_clusters": canonical.lisa_style(),
    "trade_balance": canonical.trade_balance_style(),
}

OUT = Path(__file__).resolve().parents[1] / "styles"


def render() -> dict[str, str]:
    files: dict[str, str] = {}
    for name, style in STYLES.items():
        files[f"{name}.qml"] = to_qml(style)
        files[f"{name}.sld"] = to_sld(style, layer_name=name)
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    stale = []
    for name, text in render().items():
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run python scripts/make_styles.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
