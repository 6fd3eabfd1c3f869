"""The plugin's engine runner (geotrade_qgis.engine): finding, streaming, errors, cancel.

Fake engines (small executable scripts) make progress, error and cancel behaviour
deterministic; the real engine (``$GEOTRADE_ENGINE_PYTHON -m geotrade``) checks that usage
errors come back verbatim and that cancelling ``geotrade demo`` leaves no output.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, engine_python
from qgis.core import QgsProcessingFeedback

sys.path.insert(0, str(REPO / "qgis_plugin"))
from geotrade_qgis import engine


class RecordingFeedback(QgsProcessingFeedback):
    """Feedback that records everything; optionally cancels at the first progress."""

    def __init__(self, cancel_at_progress: bool = False):
        super().__init__()
        self.cancel_at_progress = cancel_at_progress
        self.progress_values: list[float] = []
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.texts: list[str] = []

    def setProgress(self, value):
        self.progress_values.append(value)
        super().setProgress(value)
        if self.cancel_at_progress:
            self.cancel()

    def setProgressText(self, text):
        self.texts.append(text)

    def pushInfo(self, info):
        self.infos.append(info)

    def pushWarning(self, warning):
        self.warnings.append(warning)


def fake_engine(tmp_path: Path, body: str, name: str = "geotrade") -> Path:
    """An executable named ``geotrade`` running ``body`` under /usr/bin/python3."""
    path = tmp_path / name
    path.write_text(
        "#!/usr/bin/python3\nimport json, sys, time, signal, os\n"
        "def emit(**r):\n    print(json.dumps(dict(schema=1, **r)), flush=True)\n"
        "if sys.argv[1:] == ['--version']:\n    print('geotrade 9.9.9'); sys.exit(0)\n" + body,
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def test_engine_command_recognises_interpreters():
    assert engine.engine_command("/x/bin/geotrade") == ["/x/bin/geotrade"]
    assert engine.engine_command("/x/bin/python3.11") == ["/x/bin/python3.11", "-m", "geotrade"]
    assert engine.engine_command(r"C:\v\Scripts\python.exe")[1:] == ["-m", "geotrade"]


def test_find_engine_order_and_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no geotrade on PATH
    monkeypatch.delenv(engine.ENV_PYTHON, raising=False)
    with pytest.raises(engine.EngineNotFound) as err:
        engine.find_engine(None)
    msg = str(err.value)
    assert "pip install geotrade" in msg
    assert "Processing > Providers > geotrade" in msg
    assert engine.ENV_PYTHON in msg
    # a configured path that does not exist is reported, not silently replaced
    with pytest.raises(engine.EngineNotFound, match="does-not-exist"):
        engine.find_engine(str(tmp_path / "does-not-exist"))
    # the environment variable is used after PATH
    monkeypatch.setenv(engine.ENV_PYTHON, "/usr/bin/python3")
    assert engine.find_engine(None) == ["/usr/bin/python3", "-m", "geotrade"]
    # geotrade on PATH wins over the environment variable; the setting wins over both
    exe = fake_engine(tmp_path, "")
    assert engine.find_engine(None) == [str(exe)]
    other = fake_engine(tmp_path, "", name="python3")
    assert engine.find_engine(str(other)) == [str(other), "-m", "geotrade"]


def test_version_check_rejects_a_program_that_is_not_geotrade(tmp_path):
    assert engine.engine_version([str(fake_engine(tmp_path, ""))]) == "9.9.9"
    with pytest.raises(engine.EngineNotFound, match="not a working geotrade engine"):
        engine.engine_version(["/bin/false"])


def test_progress_log_and_result_are_streamed(tmp_path):
    exe = fake_engine(
        tmp_path,
        "emit(type='progress', step='join', done=1, total=4, percent=25.0, message='a')\n"
        "emit(type='log', level='info', message='hello from the engine')\n"
        "emit(type='log', level='warning', message='careful')\n"
        "print('not json')\n"
        "emit(type='progress', step='join', done=4, total=4, percent=100.0, message='b')\n"
        "emit(type='result', command='x', outputs={'csv': '/tmp/x.csv'}, argv=sys.argv[1:])\n",
    )
    fb = RecordingFeedback()
    result = engine.run_engine(["x", "--opt", "a b"], feedback=fb, prefix=[str(exe)])
    assert result["outputs"] == {"csv": "/tmp/x.csv"}
    assert result["argv"] == ["--json", "x", "--opt", "a b"]
    assert fb.progress_values == [25.0, 100.0]
    assert "hello from the engine" in fb.infos
    assert "not json" in fb.infos
    assert fb.warnings == ["careful"]
    assert fb.texts == ["join a", "join b"]


def test_error_record_is_raised_verbatim(tmp_path):
    message = "flows.csv, row 4, column 'value_usd': expected a number, found 'abc'. Fix it."
    exe = fake_engine(
        tmp_path,
        f"emit(type='error', code='validation', error='ValidationError', message={message!r},"
        " problems=[dict(message='x', row=4, column='value_usd', path='flows.csv')])\n"
        "sys.exit(5)\n",
    )
    with pytest.raises(engine.EngineFailure) as err:
        engine.run_engine(["x"], feedback=RecordingFeedback(), prefix=[str(exe)])
    assert err.value.message == message
    assert err.value.returncode == 5
    assert err.value.record["problems"][0]["row"] == 4


def test_crash_without_record_reports_stderr(tmp_path):
    exe = fake_engine(
        tmp_path, "sys.stderr.write('Segmentation fault in libfoo\\n'); sys.exit(139)\n"
    )
    with pytest.raises(engine.EngineFailure, match="code 139") as err:
        engine.run_engine(["x"], feedback=RecordingFeedback(), prefix=[str(exe)])
    assert "libfoo" in err.value.message


def test_cancel_terminates_then_kills(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "KILL_GRACE", 0.5)
    pidfile = tmp_path / "pid"
    exe = fake_engine(
        tmp_path,
        f"open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"  # ignores terminate(): must be killed
        "emit(type='progress', step='s', done=1, total=10, percent=10.0, message='')\n"
        "time.sleep(60)\n",
    )
    fb = RecordingFeedback(cancel_at_progress=True)
    t0 = time.monotonic()
    with pytest.raises(engine.EngineCancelled):
        engine.run_engine(["x"], feedback=fb, prefix=[str(exe)])
    assert time.monotonic() - t0 < 10
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_child_environment_drops_qgis_python_settings(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/usr/share/qgis/python")
    monkeypatch.setenv("PYTHONHOME", "/usr")
    env = engine.child_environment()
    assert "PYTHONPATH" not in env
    assert "PYTHONHOME" not in env
    assert env["PYTHONIOENCODING"] == "utf-8"


# --- the real engine ---------------------------------------------------------------------


def real_prefix() -> list[str]:
    return [str(engine_python()), "-m", "geotrade"]


def test_real_engine_usage_error_is_verbatim():
    env = engine.child_environment()
    proc = subprocess.run(
        [*real_prefix(), "--json", "no-such-command"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    expected = json.loads(proc.stdout.strip().splitlines()[-1])
    assert expected["type"] == "error"
    with pytest.raises(engine.EngineFailure) as err:
        engine.run_engine(["no-such-command"], feedback=RecordingFeedback(), prefix=real_prefix())
    assert err.value.message == expected["message"]
    assert err.value.returncode == proc.returncode == 2


def test_real_engine_cancel_leaves_no_output(tmp_path):
    out = tmp_path / "demo"
    fb = RecordingFeedback(cancel_at_progress=True)
    with pytest.raises(engine.EngineCancelled):
        engine.run_engine(["demo", "--out", str(out)], feedback=fb, prefix=real_prefix())
    assert fb.progress_values  # it had started
    leftovers = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert not [p for p in leftovers if p.suffix in (".gpkg", ".html", ".png")], leftovers
