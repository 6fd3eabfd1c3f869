"""One option vocabulary: every command with a shared option rejects bad values the same way.

Each bad value must be a usage error (exit 2) naming the option, before any file is read,
and never an internal error (exit 9).
"""

from __future__ import annotations

import json

import pytest
import typer

from geotrade.cli import app, main

BAD = {
    "years": ["1-99999999", "", "2022-2017", "20x2", "2017,", "1899", "2101"],
    "hs": ["8507x", "1234567", ","],
    "mirror": ["maybe", ""],
    "focal": ["CH", "C1N", ""],
    "k": ["1000", "1", "0", "-3"],
    "engine": ["spark", ""],
    "scheme": ["magic", ""],
    "level": ["county", ""],
}

#: Valid values for the other required options of a command.
GOOD = {
    "years": "2022",
    "hs": "850760",
    "focal": "CHN",
    "reporter_": "CHN",
    "k": "5",
    "level": "country",
    "field": "v",
}


def _commands() -> list[tuple[list[str], object]]:
    root = typer.main.get_command(app)
    out: list[tuple[list[str], object]] = []

    def walk(cmd, path: list[str]) -> None:  # typer vendors click: duck-type groups
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        else:
            out.append((path, cmd))

    walk(root, [])
    return out


def _cases() -> list[tuple[list[str], str, str]]:
    cases = []
    for path, cmd in _commands():
        names = {p.name for p in cmd.params}
        for opt, values in BAD.items():
            if opt not in names:
                continue
            base = list(path)
            for p in cmd.params:
                if p.name == opt or not p.required:
                    continue
                if p.param_type_name == "argument":
                    base.append("x.csv")
                else:
                    base += [p.opts[0], GOOD.get(p.name, "x.csv")]
            flag = next(p.opts[0] for p in cmd.params if p.name == opt)
            cases += [(base, flag, v) for v in values]
    return cases


CASES = _cases()


def test_the_shared_options_are_everywhere():
    commands = {" ".join(path): {p.name for p in cmd.params} for path, cmd in _commands()}
    for name in ("trade summary", "interdependence", "network"):
        assert {"years", "hs", "mirror"} <= commands[name], name
    for name in ("trade summary", "interdependence"):
        assert "focal" in commands[name]
    for name in ("trade summary", "interdependence", "network", "shares"):
        assert "engine" in commands[name], name
    assert "years" in commands["fetch comtrade"]
    assert "k" in commands["classify"]
    assert {"k", "scheme", "level", "year"} <= commands["map"]
    assert "scheme" in commands["classify"]
    assert len(CASES) > 40


@pytest.mark.parametrize(("base", "flag", "value"), CASES, ids=lambda v: str(v))
def test_bad_shared_option_is_usage_error_naming_it(capsys, base, flag, value):
    code = main(["--json", *base, flag, value])
    out = capsys.readouterr().out
    assert code == 2, out
    rec = json.loads(out.strip().splitlines()[-1])
    assert rec["code"] == "usage"
    assert flag in rec["message"]


DEMO = "geotrade/data/demo/synthetic_li_ion_trade_2012_2022.csv"


@pytest.mark.parametrize(
    "args",
    [
        ["trade", "summary", DEMO, "--focal", "CHN"],
        ["interdependence", DEMO, "--focal", "CHN", "--csv", "{tmp}/i.csv"],
        ["network", DEMO, "--edges", "{tmp}/e.csv"],
    ],
    ids=["summary", "interdependence", "network"],
)
def test_a_year_absent_from_the_data_is_reported_not_zero(capsys, tmp_path, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = main(["--json", *args, "--years", "1999,2022"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert code == 0
    rec = lines[-1]
    assert any("1999 is not in the data" in n for n in rec["notes"])
    assert 1999 not in rec.get("years", [])
    for s in rec.get("summary", []):
        assert s["year"] != 1999
    code = main(["--json", *args, "--years", "1999"])
    rec = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 5
    assert "none of the requested years" in rec["message"]


MAP_COMMANDS = ["trade summary", "interdependence", "recycling provinces", "recycling cities",
                "mismatch", "map"]  # fmt: skip


def test_map_commands_have_the_same_output_options():
    commands = {" ".join(path): cmd for path, cmd in _commands()}
    for name in MAP_COMMANDS:
        opts = {o: p for p in commands[name].params for o in p.opts}
        for flag in ("--gpkg", "--html", "--png", "--pdf", "--qgz"):
            assert flag in opts, (name, flag)
            assert not opts[flag].required, (name, flag)
        if "--md" in opts or "--report" in opts:
            assert opts["--md"] is opts["--report"], name  # one option, two names


@pytest.mark.parametrize(
    "args",
    [
        ["interdependence", DEMO, "--focal", "CHN"],
        ["recycling", "provinces", "geotrade/data/demo/synthetic_recycling_provinces.csv"],
        ["mismatch", "x.csv", "--demand", "retired_t", "--supply", "outlets"],
    ],
    ids=["interdependence", "provinces", "mismatch"],
)
def test_no_output_is_a_usage_error_naming_the_outputs(capsys, args):
    code = main(["--json", *args])
    rec = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 2, rec
    assert "--gpkg" in rec["message"]
    assert "--png" in rec["message"]
