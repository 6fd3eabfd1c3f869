#!/usr/bin/env bash
# Create .venv-qgis: the interpreter for tests/qgis (pytest-qgis against QGIS 3.22).
#
# The QGIS Python bindings belong to the Debian interpreter /usr/bin/python3, so the venv is
# made from it with --system-site-packages (to see qgis, PyQt5, osgeo, Debian numpy) and gets
# only pytest and pytest-qgis. Never install geotrade or its wheels (geopandas, pyogrio,
# pyproj, shapely) here: they crash QGIS processes at exit (see docs / shared notes qgis.md).
#
# Idempotent: re-running keeps an existing venv and only installs what is missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${QGIS_VENV:-$repo/.venv-qgis}"
py=/usr/bin/python3

if ! "$py" -c "import qgis.core" 2>/dev/null; then
    echo "error: $py cannot import qgis.core; install python3-qgis (apt-get install python3-qgis qgis)" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv --system-site-packages "$venv"
fi

want_pytest_qgis="5.0.2"
have="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pytest-qgis"))' 2>/dev/null || true)"
if [ "$have" != "$want_pytest_qgis" ] || ! "$venv/bin/python" -c "import pytest" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        pytest "pytest-qgis==$want_pytest_qgis"
fi

"$venv/bin/python" - <<'PY'
import importlib.metadata as m
import qgis.core
print("qgis", qgis.core.Qgis.QGIS_VERSION, "| pytest", m.version("pytest"),
      "| pytest-qgis", m.version("pytest-qgis"))
PY
