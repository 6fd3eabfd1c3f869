"""The QGIS plugin's modules import each other without cycles (read with ast, no QGIS).

In particular the algorithms never import the provider that imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PKG = Path(__file__).resolve().parents[1] / "qgis_plugin" / "geotrade_qgis"


def _module(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    modules = {_module(p): p for p in PKG.rglob("*.py")}
    for name, path in modules.items():
        g.add_node(name)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                targets = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for t in targets:
                # a parent package is always imported before its modules: not an edge
                if t in modules and t != name and not name.startswith(t + "."):
                    g.add_edge(name, t)
    return g


def test_plugin_modules_form_no_import_cycle():
    g = _graph()
    assert "geotrade_qgis.provider" in g
    assert g.has_edge("geotrade_qgis.provider", "geotrade_qgis.algorithms")
    assert list(nx.simple_cycles(g)) == []


def test_algorithms_do_not_import_provider_or_plugin():
    g = _graph()
    for mod in g:
        if mod.startswith("geotrade_qgis.algorithms"):
            reach = nx.descendants(g, mod)
            assert "geotrade_qgis.provider" not in reach, mod
            assert "geotrade_qgis.plugin" not in reach, mod
