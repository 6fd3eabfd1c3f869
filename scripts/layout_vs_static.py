"""Regenerate the plugin README's side-by-side images of one layer: QGIS layout vs static map.

Run from the repository root after ``make test`` (needs QGIS 3.22's ``qgis_process.bin`` and
the engine venv)::

    python3 scripts/layout_vs_static.py [--layer province_capacity_ratio_2030]

1. ``geotrade demo`` (engine venv) writes the demo GeoPackages and static maps into a
   temporary directory;
2. ``qgis_process run geotrade:print_layout`` (the plugin enabled in a throw-away QGIS
   profile, headless) exports the print layout of the same layer to PNG;
3. both PNGs are copied to ``docs/screenshots/`` as ``qgis_layout_<layer>.png`` and
   ``static_<layer>.png``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


def _env(tmp: Path, engine: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "VIRTUAL_ENV"))
    }
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(runtime),
        QGIS_CUSTOM_CONFIG_PATH=str(tmp / "profile"),
        QGIS_PLUGINPATH=str(REPO / "qgis_plugin"),
        GEOTRADE_ENGINE_PYTHON=str(engine),
    )
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layer", default="province_capacity_ratio_2030")
    ap.add_argument("--gpkg", default="recycling_mismatch.gpkg")
    ap.add_argument("--engine", type=Path, default=REPO / ".venv" / "bin" / "python")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        demo = tmp / "demo"
        subprocess.run([str(a.engine), "-m", "geotrade", "--quiet", "demo", "--out", str(demo)],
                       check=True, cwd=REPO)  # fmt: skip
        env = _env(tmp, a.engine)
        subprocess.run([QGIS_PROCESS, "plugins", "enable", "geotrade_qgis"], env=env,
                       check=True, capture_output=True)  # fmt: skip
        png = tmp / "layout.png"
        subprocess.run(
            [QGIS_PROCESS, "run", "geotrade:print_layout", "--",
             f"INPUT={demo / a.gpkg}|layername={a.layer}", "ALL_YEARS=false", "DPI=110",
             f"OUTPUT_PNG={png}"],
            env=env, check=True, capture_output=True, cwd=REPO,
        )  # fmt: skip
        a.out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, a.out / f"qgis_layout_{a.layer}.png")
        shutil.copyfile(demo / f"{a.layer}.png", a.out / f"static_{a.layer}.png")
        print(f"wrote {a.out / f'qgis_layout_{a.layer}.png'} and {a.out / f'static_{a.layer}.png'}")


if __name__ == "__main__":
    main()
