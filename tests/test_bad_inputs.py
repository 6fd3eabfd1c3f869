"""The bad-input corpus (tests/data/bad/) through the real command line, in process.

Every row of ``tests/data/bad/cases.csv`` runs ``geotrade.cli.main(["--json", *command])``
and checks the contract of the command line for bad input:

* failing cases: exit code == the error class's ``exit_code``; the last stdout line is a
  JSON ``error`` record with that ``code``; the message contains the manifest's ``needle``
  (naming the problem) and the input file's name (or the output path for output errors);
  nothing is left in the output directory (no output, no temporary file);
* ``ok`` cases: exit code 0 and a ``result`` record whose outputs exist;
* ``warning`` cases: as ``ok``, and the needle appears in a ``log`` record or the result;
* usage cases (a bad option value): exit 2 and a ``usage`` error record;
* always: every stdout line is strict JSON (no ``NaN``) and no "Traceback" appears on
  stdout or stderr.

Cases that reveal a bug carry ``known_bug`` in the manifest and are strict xfails (they
start failing loudly once the bug is fixed, so the marker gets removed). Cases whose
command does not exist yet carry ``requires`` and are skipped only while it is missing.

Non-file cases (a read-only output directory, a full disk while writing or replacing)
are at the end of this module.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shlex
import sys
from pathlib import Path

import pytest

from geotrade import errors
from geotrade.cli import app, main

BAD = Path(__file__).resolve().parent / "data" / "bad"
DATA = BAD.parent
MANIFEST = BAD / "cases.csv"
COLUMNS = ["id", "file", "command", "expect", "needle", "what", "requires", "known_bug"]

#: Error code of the manifest -> error class.
CLASSES: dict[str, type[errors.GeotradeError]] = {
    cls.code: cls
    for cls in (
        errors.InputFormatError,
        errors.DataNotFoundError,
        errors.ValidationError,
        errors.JoinError,
        errors.ClassificationError,
        errors.OutputError,
        errors.UsageError,
    )
}
ACCEPTED = ("ok", "warning")


def load_cases() -> list[dict[str, str]]:
    """The manifest rows (all columns as strings)."""
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = load_cases()


def _commands() -> set[str]:
    """Names of every command of the CLI, e.g. ``'flows inspect'``, ``'convert'``."""
    import typer

    names: set[str] = set()

    def walk(group: object, prefix: str) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            full = f"{prefix}{name}"
            names.add(full)
            walk(cmd, full + " ")

    walk(typer.main.get_command(app), "")
    return names


COMMANDS = _commands()


def _params() -> list[object]:
    out = []
    for case in CASES:
        marks = []
        if case["requires"] and case["requires"] not in COMMANDS:
            marks.append(
                pytest.mark.skip(reason=f"command {case['requires']!r} does not exist yet")
            )
        if case["known_bug"]:
            marks.append(pytest.mark.xfail(strict=True, reason=case["known_bug"]))
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _argv(case: dict[str, str], out: Path) -> list[str]:
    values = {"file": str(BAD / case["file"]), "out": str(out), "data": str(DATA)}
    return [part.format(**values) for part in shlex.split(case["command"])]


def _records(stdout: str) -> list[dict[str, object]]:
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    assert lines, "nothing on stdout"
    records = []

    def strict(name: str) -> None:  # JSON has no NaN/Infinity (issue #18)
        raise json.JSONDecodeError(f"non-standard constant {name}", name, 0)

    for ln in lines:
        try:
            records.append(json.loads(ln, parse_constant=strict))
        except json.JSONDecodeError:  # pragma: no cover - the assertion says what failed
            pytest.fail(f"stdout line is not strict JSON in --json mode: {ln!r}")
    return records


def run_case(case: dict[str, str], out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Run one manifest case and check the command-line contract for it."""
    argv = _argv(case, out)
    code = main(["--json", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, captured.out + captured.err
    records = _records(captured.out)
    last = records[-1]
    expect, needle = case["expect"], case["needle"]
    if expect in ACCEPTED:
        assert code == 0, last
        assert last["type"] == "result", last
        for path in last.get("outputs", {}).values():
            assert Path(path).is_file(), f"listed output {path} was not written"
        if expect == "warning":
            said = [json.dumps(r, ensure_ascii=False) for r in records if r["type"] != "progress"]
            assert any(needle in s for s in said), f"no warning containing {needle!r}: {said}"
        return
    cls = CLASSES[expect]
    assert last["type"] == "error", last
    assert (code, last["code"]) == (cls.exit_code, cls.code), last
    message = str(last["message"])
    assert needle in message, f"{needle!r} not in {message!r}"
    if expect == "output":
        assert str(out) in message, f"the output path is not named: {message!r}"
    elif expect == "usage":
        assert argv[0] in COMMANDS or " ".join(argv[:2]) in COMMANDS  # about an option
    else:
        # a file set (BACI year file + its code files, in a subdirectory) may name its culprit
        rel = Path(case["file"])
        names = [p.name for p in (BAD / rel).parent.iterdir()] if rel.parent.name else [rel.name]
        # an error about an output argument (e.g. a wrong suffix) names that output instead
        names += [a for a in argv if a.startswith(str(out))]
        assert any(n in message for n in names), f"the file is not named: {message!r}"
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert left == [], f"files left behind after a failure: {left}"


@pytest.mark.parametrize("case", _params())
def test_bad_input(
    case: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run_case(case, out, capsys)


# --------------------------------------------------------------------------- the manifest


def test_manifest_is_well_formed() -> None:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == COLUMNS
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for case in CASES:
        assert case["expect"] in (*CLASSES, *ACCEPTED), case
        assert case["what"].strip(), case
        if case["expect"] not in ("ok",):
            assert case["needle"].strip(), f"{case['id']}: a needle names the problem"
        if case["expect"] != "not_found":
            assert (BAD / case["file"]).is_file(), case
        assert case["command"].split()[0] in {c.split()[0] for c in COMMANDS}, case
        if case["requires"]:
            assert (
                " ".join(case["command"].split()[: len(case["requires"].split())])
                == case["requires"]
            )


def test_corpus_size_and_every_file_is_used() -> None:
    sys.path.insert(0, str(BAD))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(BAD))
    names = make_corpus.corpus_names()
    assert len(names) >= 40
    used = {c["file"] for c in CASES}
    # companion files of a file set (a BACI year file's code files) are used with it
    used |= {
        n for n in names if "/" in n and any(u.startswith(n.rsplit("/", 1)[0] + "/") for u in used)
    }
    assert sorted(set(names) - used) == [], "corpus files no case uses"
    on_disk = sorted(
        str(p.relative_to(BAD)) for p in BAD.rglob("*") if p.is_file() and p.suffix != ".py"
    )
    on_disk = [n for n in on_disk if n != "cases.csv" and "__pycache__" not in n]
    assert on_disk == names, "tests/data/bad holds files make_corpus.py does not write"


def test_corpus_files_are_reproducible(tmp_path: Path) -> None:
    """The committed corpus is exactly what make_corpus.py writes (rerun it after edits)."""
    sys.path.insert(0, str(BAD))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(BAD))
    make_corpus.write_corpus(tmp_path)
    stale = [
        n
        for n in make_corpus.corpus_names()
        if (tmp_path / n).read_bytes() != (BAD / n).read_bytes()
    ]
    assert stale == [], f"regenerate with tests/data/bad/make_corpus.py: {stale}"


# --------------------------------------------------------------------------- non-file cases

DEMO = BAD / "flows_utf8_bom.csv"


def _error(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return _records(captured.out)[-1]


def _read_only(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``directory`` read-only; as root (where chmod does not bind) refuse its files."""
    directory.chmod(0o555)
    if os.access(directory, os.W_OK):
        from geotrade.io import atomic

        real_open = open

        def refuse(path, mode="r", *args, **kwargs):
            if Path(path).parent == directory and any(m in mode for m in "wxa"):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, mode, *args, **kwargs)

        monkeypatch.setattr(atomic, "open", refuse, raising=False)


@pytest.mark.parametrize(
    ("argv", "target"),
    [
        (["convert", str(DEMO), "{ro}/flows.parquet"], "flows.parquet"),
        (["trade", "summary", str(DEMO), "--focal", "CHN", "--csv", "{ro}/s.csv"], "s.csv"),
    ],
    ids=["convert", "trade-summary"],
)
def test_read_only_output_directory(argv, target, tmp_path, monkeypatch, capsys) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    _read_only(ro, monkeypatch)
    try:
        code = main(["--json", *[a.format(ro=ro) for a in argv]])
        rec = _error(capsys)
        assert (code, rec["type"], rec["code"]) == (8, "error", "output"), rec
        assert str(ro / target) in str(rec["message"])
        assert "permission denied" in str(rec["message"])
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_disk_full_when_replacing_the_output(tmp_path, monkeypatch, capsys) -> None:
    """convert: the disk fills up at the final rename; nothing is left, the old file stays."""
    from geotrade.io import atomic

    target = tmp_path / "flows.parquet"
    target.write_bytes(b"previous version")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    code = main(["--json", "convert", str(DEMO), str(target)])
    rec = _error(capsys)
    assert (code, rec["code"]) == (8, "output"), rec
    assert str(target) in str(rec["message"])
    assert "disk is full" in str(rec["message"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flows.parquet"]
    assert target.read_bytes() == b"previous version"


def test_disk_full_while_writing_the_csv(tmp_path, monkeypatch, capsys) -> None:
    """trade summary: the disk fills up half-way through the CSV; no partial file is left."""
    import pandas as pd

    def half_then_full(self, path=None, *args, **kwargs):
        Path(path).write_text("partner,value\nUSA,1", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full)
    target = tmp_path / "summary.csv"
    code = main(["--json", "trade", "summary", str(DEMO), "--focal", "CHN", "--csv", str(target)])
    rec = _error(capsys)
    assert (code, rec["code"]) == (8, "output"), rec
    assert str(target) in str(rec["message"])
    assert "disk is full" in str(rec["message"])
    assert list(tmp_path.iterdir()) == []


def test_troubleshooting_page_is_up_to_date() -> None:
    """docs/troubleshooting.md is generated from the manifest; regenerate it after edits."""
    import importlib.util

    script = BAD.parents[2] / "scripts" / "make_troubleshooting.py"
    spec = importlib.util.spec_from_file_location("make_troubleshooting", script)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    page = BAD.parents[2] / "docs" / "troubleshooting.md"
    assert page.read_text(encoding="utf-8") == mod.render(MANIFEST), (
        "docs/troubleshooting.md is out of date: run scripts/make_troubleshooting.py"
    )
    for case in CASES:  # every documented needle is a real message (checked above)
        if not case["known_bug"] and case["expect"] != "ok":
            assert case["needle"] in page.read_text(encoding="utf-8")
