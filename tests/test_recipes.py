"""Every ``geotrade`` command in docs/recipes/*.md parses against the real CLI.

The commands are taken from the ```bash blocks (continuation lines joined, comments dropped)
and parsed by click exactly as ``geotrade`` would parse them — options, choices, ranges and
option callbacks — without running them (``make_context`` only; input files need not exist).
A command whose subcommand does not exist fails the test.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from geotrade.cli import app

RECIPES = Path(__file__).resolve().parent.parent / "docs" / "recipes"
_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)


def recipe_commands(path: Path) -> list[tuple[int, list[str]]]:
    """``(line, argv)`` of every ``geotrade`` command in the bash blocks of ``path``."""
    text = path.read_text(encoding="utf-8")
    out: list[tuple[int, list[str]]] = []
    for m in _BLOCK.finditer(text):
        first = text.count("\n", 0, m.start(1)) + 1
        lines = m.group(1).splitlines()
        i = 0
        while i < len(lines):
            start = i
            cmd = lines[i]
            while cmd.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd.rstrip()[:-1] + " " + lines[i]
            i += 1
            argv = shlex.split(cmd, comments=True)
            if argv and argv[0] == "geotrade":
                out.append((first + start, argv[1:]))
    return out


def _cases() -> list[object]:
    cases = []
    for path in sorted(RECIPES.glob("*.md")):
        for line, argv in recipe_commands(path):
            cases.append(pytest.param(argv, id=f"{path.name}:{line}"))
    return cases


def test_every_seed_has_a_recipe_with_commands():
    for seed in ("seed-001.md", "seed-002.md", "seed-003.md"):
        assert (RECIPES / seed).is_file(), seed
        assert len(recipe_commands(RECIPES / seed)) >= 5, seed


def test_extraction_joins_continuations_and_drops_comments(tmp_path):
    md = tmp_path / "r.md"
    md.write_text(
        "text\n```bash\n# a comment\ngeotrade shares f.csv --by income \\\n"
        "    --csv 'a b.csv'   # trailing\nls -l\n```\n",
        encoding="utf-8",
    )
    assert recipe_commands(md) == [(4, ["shares", "f.csv", "--by", "income", "--csv", "a b.csv"])]


def _is_group(cmd: object) -> bool:
    # typer >= 0.20 vendors click (typer._click): test the group API, not click.Group
    return hasattr(cmd, "list_commands") and hasattr(cmd, "resolve_command")


def _parse(argv: list[str]) -> None:
    """Parse ``argv`` down to the leaf command's options (``make_context``; nothing runs)."""
    cmd = typer.main.get_command(app)
    ctx = cmd.make_context("geotrade", list(argv))
    while _is_group(cmd):
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        if not rest:
            return
        name, sub, sub_args = cmd.resolve_command(ctx, rest)
        assert sub is not None, name
        ctx = sub.make_context(name, sub_args, parent=ctx)
        cmd = sub


def _registered(argv: list[str]) -> str | None:
    """The first unknown subcommand name of ``argv``, or ``None`` if all are registered."""
    cmd = typer.main.get_command(app)
    ctx = cmd.make_context("geotrade", [], resilient_parsing=True)
    for w in (a for a in argv if not a.startswith("-")):
        if not _is_group(cmd):
            return None
        sub = cmd.get_command(ctx, w)
        if sub is None:
            return w
        cmd = sub
    return None


def _check(argv: list[str]) -> str | None:
    """``None`` if ``argv`` parses (or asks for help), else click's message."""
    try:
        _parse(argv)
    except Exception as exc:  # the CLI's (vendored) click exceptions
        if type(exc).__name__ == "Exit":  # --help and friends
            return None
        fmt = getattr(exc, "format_message", None)
        return fmt() if callable(fmt) else str(exc)
    return None


def test_the_check_rejects_bad_commands():
    assert _check(["shares", "f.csv", "--csv", "o.csv"]) is None
    assert "--no-such-option" in (_check(["shares", "f.csv", "--no-such-option"]) or "")
    assert _check(["model", "describe", "d.csv", "--digits", "99"]) is not None  # range
    assert _check(["model", "nosuch"]) is not None
    assert _check(["network", "f.csv"]) is not None  # required --edges missing
    assert _registered(["map", "t.csv", "--level", "country"]) is None
    assert _registered(["nosuchcommand", "x"]) == "nosuchcommand"
    assert _registered(["--json", "model", "describe", "d.csv"]) is None


@pytest.mark.parametrize("argv", _cases())
def test_recipe_command_parses(argv):
    unknown = _registered(argv)
    assert unknown is None, f"the recipe uses 'geotrade {unknown}', which is no command"
    problem = _check(argv)
    if problem is not None:
        pytest.fail(f"geotrade {shlex.join(argv)}\n  -> {problem}")
