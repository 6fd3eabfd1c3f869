"""docs/errors.md lists every exit code with an example and is generated (issue #18)."""

from __future__ import annotations

import importlib.util
import inspect
import json
from pathlib import Path

import pytest

from geotrade import errors
from geotrade.cli import main

REPO = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_errors_doc", REPO / "scripts" / "make_errors_doc.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_errors_page_is_up_to_date() -> None:
    page = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == _script().render(), "out of date: run scripts/make_errors_doc.py"


def test_every_error_class_and_exit_code_is_listed() -> None:
    page = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = [ln for ln in page.splitlines() if ln.startswith("| ") and ln[2].isdigit()]
    codes = {int(ln.split("|")[1]) for ln in rows}
    classes = [
        c
        for n in errors.__all__
        if inspect.isclass(c := getattr(errors, n)) and issubclass(c, errors.GeotradeError)
    ]
    assert codes == {0, 130} | {c.exit_code for c in classes}
    for c in classes:
        assert f"`{c.__name__}`" in page
        assert f"`{c.code}`" in page


def test_hand_written_examples_are_real_messages(tmp_path, capsys, monkeypatch) -> None:
    extra = _script().EXTRA
    flows = REPO / "tests" / "data" / "bad" / "flows_utf8_bom.csv"
    argv = ["--json", "convert", str(flows), str(tmp_path / "f.parquet"), "--chunksize", "0"]
    assert main(argv) == 2
    rec = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert rec["message"] == extra["usage"][0]

    layer = REPO / "tests" / "data" / "bad" / "layer_some_empty_geometries.geojson"
    argv = ["--json", "classify", str(layer), "--field", "v", "--scheme", "user_defined"]
    assert main([*argv, "--bins", "5,1", "--out", str(tmp_path / "c.gpkg")]) == 7
    rec = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert extra["classification"][0] in rec["message"]

    from geotrade.io import comtrade_api as api
    from geotrade.io.comtrade_api import HttpResponse

    def refuse(request, *, timeout):
        key = request.headers[api.KEY_HEADER]
        body = {"statusCode": 401, "message": f"Access denied for key {key}"}
        return HttpResponse(401, {}, json.dumps(body).encode())

    monkeypatch.setenv(api.ENV_KEY, "0123456789abcdef")
    monkeypatch.setattr(api, "UrllibTransport", lambda: refuse)
    code = main(
        ["--json", "fetch", "comtrade", "--reporter", "CHN", "--years", "2022", "--hs", "850760",
         "--out", str(tmp_path / "c.parquet")]
    )  # fmt: skip
    rec = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert code == errors.RemoteServiceError.exit_code
    assert extra["remote"][0].removesuffix(" ...") in rec["message"]

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from geotrade.join import join_to_geometry

    geoms = gpd.GeoDataFrame({"iso3": ["CHN"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(errors.JoinError) as info:
        join_to_geometry(
            pd.DataFrame({"iso3": ["CHN", "CHN"]}), geoms, left_on="iso3", right_on="iso3"
        )
    assert str(info.value) == extra["join"][0]
