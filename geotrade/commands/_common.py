"""State and output helpers shared by every ``geotrade`` command module.

A command gets its progress reporter from :func:`reporter` (rich bars, silent, or JSON lines
depending on the global ``--json``/``--quiet`` options) and ends with :func:`emit_result`,
which prints a human summary or one JSON ``result`` record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import typer

from geotrade.reporting import JsonReporter, Reporter, RichReporter

__all__ = ["STATE", "close_reporter", "emit_result", "reporter"]


@dataclass
class _State:
    json: bool = False
    quiet: bool = False
    debug: bool = False
    reporter: Reporter | None = None


STATE = _State()


def reporter() -> Reporter:
    """Return the reporter of the running command (created on first use)."""
    if STATE.reporter is None:
        if STATE.json:
            STATE.reporter = JsonReporter()
        elif STATE.quiet:
            STATE.reporter = Reporter()
        else:
            STATE.reporter = RichReporter()
    return STATE.reporter


def close_reporter() -> None:
    """Stop live progress bars (before printing a summary or an error)."""
    rep = STATE.reporter
    if isinstance(rep, RichReporter):
        rep.close()


def emit_result(command: str, record: dict[str, Any], human: str) -> None:
    """Finish a command: one JSON ``result`` record in ``--json`` mode, else ``human`` text.

    ``record`` must be JSON-serialisable; put output file paths under ``"outputs"`` (a dict
    of name -> path) so the QGIS plugin can load them.
    """
    rep = reporter()
    if STATE.json:
        rep.result({"command": command, **record})
    else:
        close_reporter()
        if not STATE.quiet:
            typer.echo(human)
