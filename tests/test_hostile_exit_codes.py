"""Issue #18 item 4: exit code 9 ("internal error") only for a real bug.

* a read-only output directory (EROFS, simulated: tests run as root) is exit 8;
* ``--chunksize 0`` is a usage error, values near the float limit in ``classify`` a
  validation error;
* a list of hostile options and inputs for many commands, and a property-based fuzz of the
  ``classify`` options, never give exit 9 or a traceback.
"""

from __future__ import annotations

import errno
import json
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotrade.cli import main

BAD = Path(__file__).parent / "data" / "bad"
FLOWS = BAD / "flows_utf8_bom.csv"
LAYER = BAD / "layer_some_empty_geometries.geojson"
INTERNAL = 9

MM = "mismatch {table} --demand retired_t --supply outlets --level"
CASES = [
    "classify {layer} --field v --k 3 --fmt '{{:.2f' --out {out}/c.gpkg",
    "classify {layer} --field v --k 3 --fmt '{{0}}{{1}}' --out {out}/c.gpkg",
    "classify {layer} --field v --k 3 --fmt '%d' --out {out}/c.gpkg",
    "classify {layer} --field v --k 3 --fmt '{{:s}}' --out {out}/c.gpkg",
    "classify {layer} --field v --scheme user_defined --bins 'a,b' --out {out}/c.gpkg",
    "classify {layer} --field v --scheme user_defined --bins '' --out {out}/c.gpkg",
    "classify {layer} --field v --scheme user_defined --bins 'nan,inf' --out {out}/c.gpkg",
    "classify {layer} --field v --scheme user_defined --bins '5,1' --out {out}/c.gpkg",
    "classify {layer} --field v --scheme user_defined --bins '1e309' --out {out}/c.gpkg",
    "classify {layer} --field v --palette '' --out {out}/c.gpkg",
    "classify {layer} --field v --palette Set1 --out {out}/c.gpkg",
    "classify {layer} --field v --palette 'Reds_r' --out {out}/c.gpkg",
    "classify {layer} --field '' --out {out}/c.gpkg",
    "classify {layer} --field geometry --out {out}/c.gpkg",
    "classify {layer} --field v --out {out}",
    "classify {layer} --field v --out {out}/c.gpkg --out-layer ''",
    "classify {layer} --field v --out {out}/c.gpkg --out-layer 'a\"b;drop'",
    "classify {layer} --field v --out {out}/c.gpkg --qml {out}",
    "classify {layer} --field v --out {out}/c.gpkg --title '</title><script>x</script>'",
    "classify {layer} --field v --out {out}/c.txt",
    "classify {bad} --field v --out {out}/c.gpkg",
    "classify /dev/null --field v --out {out}/c.gpkg",
    "convert {flows} {out}/f.parquet --chunksize 1",
    "convert {flows} {out}/f.parquet --chunksize -5",
    "convert {flows} {out}",
    "convert {flows} {out}/f.parquet --format nope",
    "convert {flows} {out}/f.parquet --dedupe nope",
    "convert {flows} {out}/f.parquet --unknown-codes nope",
    "convert /dev/null {out}/f.parquet",
    "convert {bad} {out}/f.parquet",
    "trade summary {flows} --focal ''",
    "trade summary {flows} --focal QQQ",
    "trade summary {flows} --focal CHN --top 100000",
    "trade summary {flows} --focal CHN --lang fr",
    "trade summary {flows} --focal CHN --hs abc",
    "trade summary {flows} --focal CHN --csv {out}",
    "trade summary {flows} --focal CHN --md {out}/x/y.md",
    "network {flows} --edges {out}/e.csv --high 2 --low -1 --nodes {out}/n.csv",
    "network {flows} --edges {out}/e.csv --high nan --nodes {out}/n.csv",
    "network {flows} --edges {out}/e.csv --top-n 100000 --gpkg {out}/n.gpkg",
    "network {flows} --edges {out}/e.csv --group-a '' --nodes {out}/n.csv",
    "network {flows} --edges {out}/e.csv --group-a CHN --group-b QQQ --nodes {out}/n.csv",
    "network {flows} --edges {out}/e.csv --engine nope --nodes {out}/n.csv",
    "network {flows} --edges {out}/e.csv --product-list nope --nodes {out}/n.csv",
    "interdependence {flows} --focal CHN --csv {out}/i.csv --mirror nope --gpkg {out}/i.gpkg",
    "interdependence {flows} --focal CHN --csv {out}/i.csv --high 0.9 --low 0.1",
    "interdependence {flows} --focal CHN --csv {out}/i.csv --lang xx --gpkg {out}/i.gpkg",
    MM + " nope --gpkg {out}/m.gpkg",
    "mismatch {table} --demand retired_t --supply retired_t --level province --permutations 0"
    " --gpkg {out}/m.gpkg",
    "mismatch {table} --demand province --supply outlets --level province --gpkg {out}/m.gpkg",
    MM + " province --alpha 0 --permutations 9 --gpkg {out}/m.gpkg",
    MM + " province --region nope --permutations 9 --gpkg {out}/m.gpkg",
    MM + " province --year 2025 --permutations 9 --gpkg {out}/m.gpkg",
    MM + " prefecture --permutations 9 --gpkg {out}/m.gpkg",
    "recycling provinces {prov} --gpkg {out}/p.gpkg --whitelist {flows}",
    "recycling provinces {prov} --gpkg {out}/p.gpkg --capital {table}",
    "recycling provinces {table} --gpkg {out}/p.gpkg",
    "recycling cities {prov} --gpkg {out}/p.gpkg",
    "flows inspect {flows} --format nope",
    "flows inspect {flows} --member x",
    "flows inspect {flows} --sheet x",
    "flows inspect {layer}",
    "model nb {table} --y retired_t --x outlets --csv {out}/nb.csv",
    "model nb {table} --y retired_t --x '' --csv {out}/nb.csv",
    "model nb {table} --y province --x outlets --csv {out}/nb.csv",
    "demo --out {flows}",
]


def _table(tmp: Path) -> Path:
    p = tmp / "m.csv"
    p.write_text(
        "province,retired_t,outlets\n广东,82000,120\n湖南,31000,40\n江西,25000,60\n湖北,600,45\n",
        encoding="utf-8",
    )
    return p


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["--json", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = [ln for ln in captured.out.splitlines() if ln.strip()]
    return code, json.loads(lines[-1]) if lines else {}


@pytest.mark.parametrize("command", CASES)
def test_hostile_options_never_give_an_internal_error(command, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    values = {
        "out": out,
        "bad": BAD,
        "flows": FLOWS,
        "layer": LAYER,
        "prov": BAD / "provinces_gbk_fullwidth.csv",
        "table": _table(tmp_path),
    }
    code, last = _run(shlex.split(command.format(**values)), capsys)
    assert code != INTERNAL, last
    assert code == 0 or last.get("type") == "error", last


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scheme=st.sampled_from(
        [
            "fisher_jenks",
            "quantiles",
            "equal_interval",
            "std_mean",
            "head_tail_breaks",
            "box_plot",
            "pretty",
            "user_defined",
            "symmetric",
            "nope",
        ]
    ),
    fmt=st.one_of(st.sampled_from(["{:.2f}", "{:,.0f}", "{:.1%}", "{}", "{:e}"]), _TEXT),
    bins=st.one_of(
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4).map(
            lambda xs: ",".join(repr(x) for x in xs)
        ),
        _TEXT,
    ),
    title=_TEXT,
    palette=st.sampled_from(["YlGnBu", "RdBu", "Set2", "", "Reds"]),
)
def test_fuzzed_classify_options_never_give_an_internal_error(
    tmp_path_factory, capsys, scheme, fmt, bins, title, palette
) -> None:
    out = tmp_path_factory.mktemp("fuzz") / "c.gpkg"
    argv = ["classify", str(LAYER), "--field", "v", "--k", "3", "--scheme", scheme]
    argv += ["--fmt", fmt, "--title", title, "--palette", palette, "--out", str(out)]
    if scheme == "user_defined" or bins:
        argv += ["--bins", bins]
    code, last = _run(argv, capsys)
    assert code != INTERNAL, last


def test_read_only_file_system_is_an_output_error(tmp_path, monkeypatch, capsys) -> None:
    """EROFS at the probe *and* at the cleanup unlink: exit 8, not 9 (issue #18)."""
    from geotrade.io import atomic

    def erofs(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "open", erofs, raising=False)
    monkeypatch.setattr(Path, "unlink", erofs)
    target = tmp_path / "flows.parquet"
    code, last = _run(["convert", str(FLOWS), str(target)], capsys)
    assert (code, last["code"]) == (8, "output"), last
    assert str(target) in last["message"]
    assert "read-only" in last["message"]


def test_chunksize_must_be_positive(tmp_path, capsys) -> None:
    for bad in ("0", "-1"):
        code, last = _run(
            ["convert", str(FLOWS), str(tmp_path / "f.parquet"), "--chunksize", bad], capsys
        )
        assert (code, last["code"]) == (2, "usage"), last
        assert "--chunksize" in last["message"]
    from geotrade.errors import UsageError
    from geotrade.io.flows import convert_flows

    with pytest.raises(UsageError, match="chunksize"):
        convert_flows(FLOWS, tmp_path / "f.parquet", chunksize=0)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["1.7e308", "-1.7976931348623157e308", "1e151"])
def test_classify_values_near_the_float_limit_are_a_validation_error(tmp_path, capsys, value):
    features = ",".join(
        f'{{"type": "Feature", "properties": {{"v": {v}}}, '
        f'"geometry": {{"type": "Point", "coordinates": [{i}, 0]}}}}'
        for i, v in enumerate(["1", "2", value, "4", "5", "6"])
    )
    layer = tmp_path / "big.geojson"
    layer.write_text(f'{{"type": "FeatureCollection", "features": [{features}]}}')
    for scheme in ("fisher_jenks", "equal_interval", "pretty", "head_tail_breaks", "box_plot"):
        code, last = _run(
            ["classify", str(layer), "--field", "v", "--k", "3", "--scheme", scheme,
             "--out", str(tmp_path / "c.gpkg")],
            capsys,
        )  # fmt: skip
        assert (code, last["code"]) == (5, "validation"), last
        assert "1e+150" in last["message"]
        assert str(layer) in last["message"]
    from geotrade.classification import classify
    from geotrade.errors import ClassificationError

    with pytest.raises(ClassificationError, match="beyond"):
        classify([1.0, 2.0, float(value)], k=2)
