"""Smoke tests with ``qgis_process.bin``: the plugin loads in a separate QGIS process, lists
its algorithms and every algorithm exits with code 0 and valid outputs.

pytest alone can stay green while QGIS crashes at exit (rc 134/139 when wheels of
GDAL/PROJ/GEOS load into QGIS): only a real process exit code proves the isolation. The
plugin is found through QGIS_PLUGINPATH and enabled in an isolated profile
(QGIS_CUSTOM_CONFIG_PATH) with ``qgis_process.bin plugins enable``; the engine is found
through $GEOTRADE_ENGINE_PYTHON. The built zip is tested the same way.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, engine_python

QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
DEMO_DATA = REPO / "geotrade" / "data" / "demo"
ALGORITHMS = [
    "classify",
    "demo",
    "interdependence",
    "mismatch",
    "model_gravity",
    "model_nb",
    "prefecture_matching",
    "print_layout",
    "province_capacity_ratio",
    "sample_data",
    "shares",
    "table_map",
    "trade_summary",
    "unit_values",
]


def qgis_env(tmp: Path, plugin_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "VIRTUAL_ENV"))
    }
    profile = tmp / "profile"
    runtime = tmp / "runtime"
    profile.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_RUNTIME_DIR=str(runtime),
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        QGIS_PLUGINPATH=str(plugin_path),
        GEOTRADE_ENGINE_PYTHON=str(engine_python()),
    )
    return env


def qgis_process(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [QGIS_PROCESS, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=REPO,
    )


def enable(env) -> None:
    proc = qgis_process(env, "plugins", "enable", "geotrade_qgis")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def listed_algorithms(env) -> list[str]:
    proc = qgis_process(env, "list")
    assert proc.returncode == 0, proc.stderr
    return sorted(
        line.split()[0].split(":", 1)[1]
        for line in proc.stdout.splitlines()
        if line.strip().startswith("geotrade:")
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    if not os.path.exists(QGIS_PROCESS):
        pytest.fail("qgis_process.bin not found (Debian package qgis)", pytrace=False)
    e = qgis_env(tmp_path_factory.mktemp("qp"), REPO / "qgis_plugin")
    enable(e)
    return e


def run_alg(env, alg: str, params: dict) -> dict:
    args = ["--json", "run", f"geotrade:{alg}", "--", *[f"{k}={v}" for k, v in params.items()]]
    proc = qgis_process(env, *args)
    assert proc.returncode == 0, (
        f"qgis_process run geotrade:{alg} exited with {proc.returncode}\n"
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return json.loads(proc.stdout[proc.stdout.index("{") :])["results"]


def styled_layers(gpkg) -> set[str]:
    con = sqlite3.connect(str(gpkg))
    try:
        return {
            r[0]
            for r in con.execute("SELECT f_table_name FROM layer_styles WHERE f_table_schema = ''")
        }
    finally:
        con.close()


def test_list_shows_every_algorithm(env):
    assert listed_algorithms(env) == ALGORITHMS


@pytest.fixture(scope="module")
def demo_out(env, tmp_path_factory):
    out = tmp_path_factory.mktemp("qp_demo")
    results = run_alg(env, "demo", {"OUTPUT": out})
    return out, results


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    path = tmp_path_factory.mktemp("qp_panel") / "panel.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QGIS_", "QT_"))}
    proc = subprocess.run(
        [str(engine_python()), "-m", "geotrade", "model", "sample-panel", str(path)],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"geotrade model sample-panel failed: {proc.stderr[-2000:]}", pytrace=False)
    return path


def test_demo(demo_out):
    out, results = demo_out
    layers = results["LAYERS"].split(",")
    assert len(layers) == 8  # 6 maps and the 2 companion layers of the China product
    assert layers[-2:] == ["south_china_sea", "china_boundary_line"]
    assert styled_layers(out / "li_ion_interdependence.gpkg") == {
        "dependence_2012",
        "dependence_2017",
        "dependence_2022",
    }


def test_print_layout(env, demo_out, tmp_path):
    out, _ = demo_out
    res = run_alg(
        env,
        "print_layout",
        {
            "INPUT": f"{out / 'li_ion_interdependence.gpkg'}|layername=dependence_2022",
            "OUTPUT_PDF": tmp_path / "m.pdf",
            "OUTPUT_PNG": tmp_path / "m.png",
            "DPI": 50,
        },
    )
    assert res["SYNTHETIC"] in (True, "true")
    assert Path(res["OUTPUT_PDF"]).read_bytes()[:5] == b"%PDF-"
    assert Path(res["OUTPUT_PNG"]).stat().st_size > 20_000


def test_print_layout_china_a4_portrait_pages_per_year(env, demo_out, tmp_path):
    out, _ = demo_out
    res = run_alg(
        env,
        "print_layout",
        {
            "INPUT": f"{out / 'recycling_mismatch.gpkg'}|layername=province_capacity_ratio_2025",
            "ORIENTATION": 1,
            "OUTPUT_PNG": tmp_path / "cn.png",
            "DPI": 40,
        },
    )
    assert int(float(res["PAGES"])) == 2
    assert res["FILES"].split(",") == [str(tmp_path / "cn.png"), str(tmp_path / "cn_2.png")]
    assert all(Path(f).stat().st_size > 20_000 for f in res["FILES"].split(","))


def test_demo_with_layout_output(env, tmp_path):
    res = run_alg(env, "demo", {"OUTPUT": tmp_path / "d", "LAYOUT_OUTPUT": tmp_path / "all.pdf"})
    assert int(float(res["LAYOUT_PAGES"])) == 6  # every layer of both products
    assert Path(res["LAYOUT_FILES"]).read_bytes()[:5] == b"%PDF-"


def test_classify(env, demo_out, tmp_path):
    out, _ = demo_out
    gpkg = tmp_path / "c.gpkg"
    res = run_alg(
        env,
        "classify",
        {
            "INPUT": f"{out / 'recycling_mismatch.gpkg'}|layername=province_capacity_ratio_2025",
            "FIELD": "retired_t",
            "K": 4,
            "OUTPUT": gpkg,
        },
    )
    assert len(res["BINS"].split(",")) == 4
    assert styled_layers(gpkg)


CASES = {
    "table_map": lambda t, p: (
        {
            "INPUT": DEMO_DATA / "synthetic_recycling_provinces.csv",
            "FIELD": "retired_t",
            "LEVEL": 1,
            "YEAR": 2025,
            "K": 4,
            "OUTPUT_GPKG": t / "m.gpkg",
            "OUTPUT_PDF": t / "m.pdf",
        },
        ["OUTPUT_GPKG", "OUTPUT_PDF"],
    ),
    "sample_data": lambda t, p: ({"OUTPUT": t / "s"}, ["TRADE", "PROVINCES", "PREFECTURES"]),
    "interdependence": lambda t, p: (
        {
            "FLOWS": DEMO_DATA / "synthetic_li_ion_trade_2012_2022.csv",
            "FOCAL": "CHN",
            "YEARS": "2022",
            "OUTPUT_CSV": t / "i.csv",
            "OUTPUT_GPKG": t / "i.gpkg",
        },
        ["OUTPUT_CSV", "OUTPUT_GPKG"],
    ),
    "trade_summary": lambda t, p: (
        {
            "FLOWS": DEMO_DATA / "synthetic_li_ion_trade_2012_2022.csv",
            "FOCAL": "CHN",
            "OUTPUT_CSV": t / "s.csv",
        },
        ["OUTPUT_CSV"],
    ),
    "unit_values": lambda t, p: (
        {
            "FLOWS": REPO / "tests" / "data" / "flows" / "BACI_HS17_Y2022_V202401.csv",
            "BY": 1,
            "POOL": True,
            "OUTPUT_CSV": t / "uv.csv",
        },
        ["OUTPUT_CSV"],
    ),
    "shares": lambda t, p: (
        {
            "FLOWS": DEMO_DATA / "synthetic_li_ion_trade_2012_2022.csv",
            "BY": "income3",
            "YEARS": "2022",
            "OUTPUT_CSV": t / "sh.csv",
            "OUTPUT_PNG": t / "sh.png",
        },
        ["OUTPUT_CSV", "OUTPUT_PNG"],
    ),
    "province_capacity_ratio": lambda t, p: (
        {
            "INPUT": DEMO_DATA / "synthetic_recycling_provinces.csv",
            "YEARS": "2025",
            "OUTPUT_GPKG": t / "p.gpkg",
        },
        ["OUTPUT_GPKG"],
    ),
    "prefecture_matching": lambda t, p: (
        {
            "INPUT": DEMO_DATA / "synthetic_recycling_prefectures.csv",
            "YEAR": 2025,
            "OUTPUT_GPKG": t / "c.gpkg",
        },
        ["OUTPUT_GPKG"],
    ),
    "mismatch": lambda t, p: (
        {
            "INPUT": DEMO_DATA / "synthetic_recycling_prefectures.csv",
            "DEMAND": "retired_t",
            "SUPPLY": "outlets",
            "LEVEL": 2,
            "YEAR": 2025,
            "PERMUTATIONS": 9,
            "OUTPUT_GPKG": t / "m.gpkg",
        },
        ["OUTPUT_GPKG"],
    ),
    "model_nb": lambda t, p: (
        {
            "INPUT": p,
            "Y": "exports_usd",
            "X": "gdp_log,openness",
            "ROUND_THOUSAND": True,
            "OUTPUT_CSV": t / "nb.csv",
        },
        ["OUTPUT_CSV"],
    ),
    "model_gravity": lambda t, p: (
        {
            "INPUT": p,
            "Y": "lct_imports",
            "X": "gdp_log,pol_stability",
            "METHOD": 1,
            "OUTPUT_CSV": t / "g.csv",
        },
        ["OUTPUT_CSV"],
    ),
}


@pytest.mark.parametrize("alg", sorted(CASES))
def test_engine_algorithm(env, panel, alg, tmp_path):
    params, outputs = CASES[alg](tmp_path, panel)
    res = run_alg(env, alg, params)
    for key in outputs:
        assert res[key], (key, res)
        assert os.path.getsize(res[key]) > 0, (key, res)
        if str(res[key]).endswith(".gpkg"):
            assert set(res["LAYERS"].split(",")) <= styled_layers(res[key])


def test_built_zip_installs_and_lists_the_algorithms(tmp_path):
    """scripts/build_plugin.py → zip; unzipped into an empty plugins folder it loads."""
    dist = tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_plugin.py"), "--out", str(dist)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (zpath,) = dist.glob("geotrade_qgis-*.zip")
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {"geotrade_qgis"}
        assert "geotrade_qgis/metadata.txt" in names
        assert "geotrade_qgis/i18n/geotrade_qgis_zh_CN.qm" in names
        assert "geotrade_qgis/LICENSE" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".ts"))]
        plugins = tmp_path / "plugins"
        zf.extractall(plugins)
    env = qgis_env(tmp_path / "q", plugins)
    enable(env)
    assert listed_algorithms(env) == ALGORITHMS
