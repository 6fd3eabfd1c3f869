"""The ``geotrade`` command line.

Human mode prints rich progress bars on stderr and a short summary. ``--json`` switches every
command to machine-readable JSON lines on stdout (progress, log, result and error records,
see :mod:`geotrade.reporting`); this is how the QGIS plugin drives the engine out of process.
``--quiet`` silences progress. Errors are one line (``--debug`` adds the traceback); the exit
code tells the error class (see :mod:`geotrade.errors`).

Examples
--------
>>> from typer.testing import CliRunner
>>> r = CliRunner().invoke(app, ["--version"])
>>> r.output.startswith("geotrade ")
True
"""

from __future__ import annotations

import signal
import sys
import traceback
from typing import Annotated, Any

import click
import typer

from geotrade._version import __version__
from geotrade.commands import register_all
from geotrade.commands._common import STATE, close_reporter
from geotrade.errors import EngineError, GeotradeError
from geotrade.reporting import JsonReporter

__all__ = ["app", "main"]

app = typer.Typer(
    name="geotrade",
    help="Map the lithium-battery supply chain: trade interdependence, recycling mismatch, "
    "natural breaks, styled GeoPackages and maps.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"geotrade {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
    json_mode: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Machine-readable mode: one JSON object per line on stdout "
            "(progress, log, result, error).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Global options (they go before the command: ``geotrade --json demo``)."""
    STATE.json, STATE.quiet, STATE.debug = json_mode, quiet, debug
    STATE.reporter = None


def _handle_error(exc: BaseException) -> int:
    """Report an exception in the active mode and return the exit code."""
    if isinstance(exc, GeotradeError):
        err: GeotradeError = exc
    else:
        err = EngineError(
            f"internal error ({type(exc).__name__}: {exc}). This is a bug in geotrade or its "
            "environment; rerun with --debug and report the traceback."
        )
    if STATE.json:
        rec = {k: _redact(v) if isinstance(v, str) else v for k, v in err.to_record().items()}
        if STATE.debug:
            rec["traceback"] = _redact("".join(traceback.format_exception(exc)))
        JsonReporter(stream=sys.stdout).error(rec)
    else:
        close_reporter()
        if STATE.debug:
            sys.stderr.write(_redact("".join(traceback.format_exception(exc))))
        first, *rest = _redact(str(err)).splitlines() or [""]
        typer.secho(f"Error: {first}", fg="red", err=True)
        for line in rest:
            typer.echo(line, err=True)
    return err.exit_code


#: Environment variables holding secrets: their values never appear in an error message.
_SECRET_ENV = ("COMTRADE_API_KEY",)


def _redact(text: str) -> str:
    """``text`` without the value of any secret environment variable (defence in depth)."""
    import os

    for name in _SECRET_ENV:
        value = os.environ.get(name) or ""
        for v in {value, value.strip(), repr(value)[1:-1]}:
            if len(v) >= 4:
                text = text.replace(v, "***")
    return text


def _sigterm(signum: int, frame: object) -> None:  # pragma: no cover - exercised via subprocess
    raise KeyboardInterrupt


_INTERRUPTED = 130


def _interrupted() -> int:
    from geotrade.io.atomic import completed_outputs

    close_reporter()
    done = [str(p) for p in completed_outputs()]
    message = "interrupted; no partial output file was left" + (
        f"; {len(done)} output(s) finished before the interruption were kept (they "
        "replaced older versions): " + ", ".join(done)
        if done
        else "; no output was changed"
    )
    if STATE.json:
        JsonReporter(stream=sys.stdout).error(
            {
                "type": "error",
                "code": "interrupted",
                "error": "Interrupted",
                "message": message,
                "outputs_written": done,
            }
        )
    else:
        typer.secho(f"Interrupted: {message}.", fg="yellow", err=True)
    return _INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``geotrade`` executable; returns the process exit code."""
    signal.signal(signal.SIGTERM, _sigterm)
    args = list(sys.argv[1:] if argv is None else argv)
    # usage errors happen before the global callback runs: honour --json for them too
    STATE.json = "--json" in args
    STATE.debug = "--debug" in args
    from geotrade.io.atomic import hold_locks

    locks = hold_locks()  # a run's outputs stay locked until it ends (see geotrade.io.atomic)
    locks.__enter__()
    try:
        rv = app(args=args, prog_name="geotrade", standalone_mode=False)
        # typer >= 0.29 turns KeyboardInterrupt into Exit(130) and returns the code
        if rv == _INTERRUPTED:
            return _interrupted()
    except typer.Exit as e:
        if e.exit_code == _INTERRUPTED:
            return _interrupted()
        return int(e.exit_code or 0)
    except (KeyboardInterrupt, typer.Abort):
        return _interrupted()
    except Exception as e:
        if _is_usage_error(e):
            return _usage_error(e)
        return _handle_error(e)
    finally:
        close_reporter()
        locks.__exit__(None, None, None)
    return 0


def _is_usage_error(e: BaseException) -> bool:
    # typer >= 0.29 vendors click (typer._click); older ones use click itself
    return isinstance(e, click.exceptions.ClickException) or (
        hasattr(e, "show") and hasattr(e, "exit_code") and hasattr(e, "format_message")
    )


def _usage_error(e: Any) -> int:
    if STATE.json:
        JsonReporter(stream=sys.stdout).error(
            {"type": "error", "code": "usage", "error": "UsageError", "message": e.format_message()}
        )
    else:
        e.show()
    return int(e.exit_code)


register_all(app)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
