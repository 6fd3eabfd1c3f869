"""Imports follow the data flow: read -> validate -> metrics -> join -> classify -> style -> write.

A module may import its own layer or the layers before it, never a later one (checked on the
source, top-level and function-level imports alike).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "geotrade"

# module (path under geotrade/) -> module prefixes it must not import
FORBIDDEN = {
    "classification.py": ("geotrade.style", "geotrade.maps", "geotrade.io", "geotrade.metrics"),
    "style": ("geotrade.metrics", "geotrade.maps", "geotrade.builders"),
    "io/recycling.py": ("geotrade.metrics", "geotrade.classification", "geotrade.style"),
    "io/maptable.py": ("geotrade.metrics", "geotrade.classification", "geotrade.style"),
    "typology.py": ("geotrade.",),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("where", sorted(FORBIDDEN))
def test_no_import_against_the_data_flow(where):
    target = PKG / where
    files = sorted(target.glob("*.py")) if target.is_dir() else [target]
    assert files, where
    bad = sorted(
        f"{f.relative_to(PKG)} imports {m}"
        for f in files
        for m in _imports(f)
        if m.startswith(FORBIDDEN[where])
    )
    assert bad == []


def test_the_check_sees_imports():
    assert "geotrade.errors" in _imports(PKG / "classification.py")
    assert "geotrade.classification" in _imports(PKG / "style" / "classed.py")
