"""CLI frame: version, JSON-lines mode, error records and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import geotrade
from geotrade import errors
from geotrade.cli import main

GEOTRADE = [sys.executable, "-m", "geotrade.cli"]


def test_version_flag(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"geotrade {geotrade.__version__}"


def test_usage_error_in_json_mode_is_one_json_record(capsys):
    code = main(["--json", "no-such-command"])
    assert code == 2
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["type"] == "error"
    assert rec["code"] == "usage"
    assert "no-such-command" in rec["message"]


def test_usage_error_human_mode_has_no_traceback():
    proc = subprocess.run([*GEOTRADE, "no-such-command"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "No such command" in proc.stderr


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.InputFormatError, ValueError),
        (errors.ValidationError, ValueError),
        (errors.JoinError, ValueError),
        (errors.ClassificationError, ValueError),
        (errors.DataNotFoundError, FileNotFoundError),
        (errors.OutputError, OSError),
        (errors.EngineError, RuntimeError),
        (errors.RemoteServiceError, OSError),
    ],
)
def test_error_classes_subclass_builtins(cls, builtin):
    assert issubclass(cls, errors.GeotradeError)
    assert issubclass(cls, builtin)


def test_exit_codes_are_distinct():
    classes = [
        errors.InputFormatError,
        errors.DataNotFoundError,
        errors.ValidationError,
        errors.JoinError,
        errors.ClassificationError,
        errors.OutputError,
        errors.EngineError,
        errors.RemoteServiceError,
    ]
    codes = [c.exit_code for c in classes]
    assert len(set(codes)) == len(codes)
    assert all(c not in (0, 2, 130) for c in codes)  # 2 = usage, 130 = interrupted


def test_validation_error_collects_all_problems():
    probs = [
        errors.Problem(f"bad value {i}", path="f.csv", row=i + 2, column="v") for i in range(25)
    ]
    err = errors.ValidationError(probs)
    text = str(err)
    assert text.startswith("25 problems found:")
    assert "f.csv, row 2, column 'v': bad value 0" in text
    assert "and 5 more" in text
    rec = err.to_record()
    assert len(rec["problems"]) == 25
    assert rec["row"] == 2


def test_engine_error_record_for_unexpected_exception(capsys, monkeypatch):
    import geotrade.commands.demo as demo_cmd

    def boom(*a, **k):
        msg = "kaboom"
        raise ZeroDivisionError(msg)

    monkeypatch.setattr(demo_cmd, "reporter", boom)
    code = main(["--json", "demo", "--out", "unused"])
    out = capsys.readouterr().out.strip().splitlines()
    rec = json.loads(out[-1])
    assert code == errors.EngineError.exit_code
    assert rec["code"] == "engine"
    assert "ZeroDivisionError: kaboom" in rec["message"]
