"""Issue #18 item 8: a run's outputs are a consistent set, locked, and stale temps go away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geotrade.cli import main
from geotrade.io import atomic

BAD = Path(__file__).parent / "data" / "bad"
FLOWS = BAD / "flows_utf8_bom.csv"
REPO = Path(__file__).resolve().parents[1]


def _last(capsys) -> tuple[dict, str]:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return json.loads(captured.out.strip().splitlines()[-1]), captured.err


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # reaped: no process has this id (until the kernel reuses it)


def test_stale_temp_files_of_dead_runs_are_removed(tmp_path, capsys) -> None:
    dead = _dead_pid()
    stale = [
        f".li_ion.{dead}-0123456789ab.tmp.gpkg",
        f".li_ion.{dead}-0123456789ab.tmp.gpkg-journal",
        f".flows.{dead}-abcdefabcdef.tmp.parquet.stage.parquet",
    ]
    for name in stale:
        (tmp_path / name).write_bytes(b"x" * 100)
    stage = tmp_path / f".geotrade-stage.{dead}-00112233aabb"
    stage.mkdir()
    (stage / "report.md").write_text("half")
    live = tmp_path / f".other.{os.getpid()}-0123456789ab.tmp.gpkg"  # a live run's file
    live.write_bytes(b"busy")
    unrelated = tmp_path / ".keep.tmp.gpkg"  # not a geotrade name: never touched
    unrelated.write_bytes(b"mine")
    code = main(["--json", "convert", str(FLOWS), str(tmp_path / "flows.parquet")])
    assert code == 0, _last(capsys)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["flows.parquet", live.name, unrelated.name])


_HOLDER = """
import sys, time
from geotrade.io.atomic import lock_output
lock_output(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_run_writing_the_same_output_gets_a_clear_error(tmp_path, capsys) -> None:
    target = tmp_path / "summary.csv"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(target)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code = main(
            ["--json", "trade", "summary", str(FLOWS), "--focal", "CHN", "--csv", str(target)]
        )
        rec, _ = _last(capsys)
        assert (code, rec["code"]) == (8, "output"), rec
        assert f"process {holder.pid}" in rec["message"]
        assert str(target) in rec["message"]
        assert not target.exists()
    finally:
        holder.kill()
        holder.wait()
    # the lock dies with its process: now the run succeeds and leaves no lock file behind
    code = main(["--json", "trade", "summary", str(FLOWS), "--focal", "CHN", "--csv", str(target)])
    assert code == 0, _last(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]


def test_outputs_stay_locked_until_the_run_ends(tmp_path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    with atomic.hold_locks():
        with atomic.atomic_path(a) as tmp:
            tmp.write_text("a")
        assert (tmp_path / ".a.txt.lock").exists()  # still held while b is written
        with atomic.atomic_path(b) as tmp:
            tmp.write_text("b")
        assert [p.name for p in atomic.completed_outputs()] == ["a.txt", "b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_interrupted_run_reports_the_outputs_it_already_replaced(tmp_path, capsys, monkeypatch):
    from geotrade.commands import trade

    def interrupted(path, text):
        raise KeyboardInterrupt

    monkeypatch.setattr(trade, "write_text", interrupted)
    csv, md = tmp_path / "s.csv", tmp_path / "s.md"
    code = main(
        ["--json", "trade", "summary", str(FLOWS), "--focal", "CHN", "--csv", str(csv),
         "--md", str(md)]
    )  # fmt: skip
    rec, _ = _last(capsys)
    assert (code, rec["code"]) == (130, "interrupted"), rec
    assert rec["outputs_written"] == [str(csv)]
    assert str(csv) in rec["message"]
    assert "no partial output file was left" in rec["message"]


def test_interrupted_demo_leaves_every_old_output_unchanged(tmp_path, capsys, monkeypatch):
    import geotrade.maps.webmap as webmap

    out = tmp_path / "demo"
    out.mkdir()
    old = {
        "li_ion_interdependence.gpkg": b"old gpkg",
        "report.md": b"old report",
        "dependence_2012.png": b"old png",
    }
    for name, data in old.items():
        (out / name).write_bytes(data)

    def interrupt(*args, **kwargs):  # after both GeoPackages are complete
        raise KeyboardInterrupt

    monkeypatch.setattr(webmap, "web_map", interrupt)
    code = main(["--json", "demo", "--out", str(out)])
    rec, _ = _last(capsys)
    assert (code, rec["code"]) == (130, "interrupted"), rec
    assert "no output was changed" in rec["message"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old


@pytest.mark.parametrize("signal_name", ["SIGKILL"])
def test_sigkilled_writer_leaves_temps_that_the_next_run_removes(tmp_path, signal_name) -> None:
    """A real SIGKILL during a GeoPackage write: the next run cleans the dead run's files."""
    script = (
        "import sys, time\n"
        "from geotrade.io.atomic import atomic_path\n"
        "with atomic_path(sys.argv[1]) as tmp:\n"
        "    open(tmp, 'wb').write(b'x' * 1000)\n"
        "    open(str(tmp) + '-journal', 'wb').write(b'j')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    target = tmp_path / "layer.gpkg"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert any(n.endswith(".tmp.gpkg") for n in left)
    assert any(n.endswith(".tmp.gpkg-journal") for n in left)
    time.sleep(0.05)
    with atomic.atomic_path(tmp_path / "other.txt") as tmp:
        tmp.write_text("next run")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".layer.gpkg.lock", "other.txt"] or left == ["other.txt"]
