"""Build the QGIS plugin zip: dist/geotrade_qgis-<version>.zip (standard library only).

Usage (from the repository root, any Python >= 3.9)::

    python3 scripts/build_plugin.py [--out dist] [--no-lrelease]

* compiles ``qgis_plugin/geotrade_qgis/i18n/*.ts`` to ``.qm`` with ``lrelease`` (Debian:
  qttools5-dev-tools) when it is installed; otherwise the committed ``.qm`` files are used
  (the build fails if one is missing or older than its ``.ts``);
* puts the ``geotrade_qgis/`` folder at the zip root, with ``LICENSE`` (GPL-2.0-or-later)
  and ``README.md`` inside it, without ``__pycache__``, ``*.pyc`` or ``.ts`` sources;
* writes fixed timestamps, so the same sources give a byte-identical zip.

The zip installs with QGIS → Plugins → Manage and Install Plugins → Install from ZIP.
"""

from __future__ import annotations

import argparse
import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLUGIN_ROOT = REPO / "qgis_plugin"
PACKAGE = "geotrade_qgis"
SKIP_DIRS = {"__pycache__", ".pytest_cache"}
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts", ".orig", ".rej"}
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def version() -> str:
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(PLUGIN_ROOT / PACKAGE / "metadata.txt", encoding="utf-8")
    return cfg["general"]["version"]


def compile_translations(*, use_lrelease: bool = True) -> list[Path]:
    i18n = PLUGIN_ROOT / PACKAGE / "i18n"
    sources = sorted(i18n.glob("*.ts"))
    lrelease = shutil.which("lrelease") if use_lrelease else None
    if lrelease:
        for ts in sources:
            subprocess.run(
                [lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
            )
    problems = [
        ts.with_suffix(".qm").name
        for ts in sources
        if not ts.with_suffix(".qm").exists()
        or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime
    ]
    if problems and not lrelease:
        sys.exit(
            f"missing or stale translations {problems}: install lrelease "
            "(apt-get install qttools5-dev-tools) and rebuild"
        )
    return [ts.with_suffix(".qm") for ts in sources]


def plugin_files() -> list[tuple[Path, str]]:
    files = []
    for path in sorted((PLUGIN_ROOT / PACKAGE).rglob("*")):
        rel = path.relative_to(PLUGIN_ROOT)
        if path.is_dir() or SKIP_DIRS & set(rel.parts) or path.suffix in SKIP_SUFFIXES:
            continue
        files.append((path, rel.as_posix()))
    for extra in ("LICENSE", "README.md"):
        files.append((PLUGIN_ROOT / extra, f"{PACKAGE}/{extra}"))
    return files


def build(out_dir: Path, *, use_lrelease: bool = True) -> Path:
    compile_translations(use_lrelease=use_lrelease)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PACKAGE}-{version()}.zip"
    tmp = target.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, arcname in plugin_files():
            info = zipfile.ZipInfo(arcname, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)  # never leave a half-written zip
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="output folder")
    parser.add_argument("--no-lrelease", action="store_true", help="use the committed .qm files")
    args = parser.parse_args(argv)
    target = build(args.out, use_lrelease=not args.no_lrelease)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
