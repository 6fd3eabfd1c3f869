"""Exception hierarchy of geotrade.

Every error geotrade raises on purpose derives from :class:`GeotradeError` and from the
matching built-in exception, so ``except ValueError`` keeps working for callers that do not
know geotrade. Each class carries a stable ``code`` (used in the JSON-lines error record)
and ``exit_code`` (used by the command line).

Messages say what was expected, what was found, where (file, row, column) and how to fix it.

Examples
--------
>>> from geotrade.errors import InputFormatError, GeotradeError
>>> err = InputFormatError("expected a 'year' column", path="flows.csv", row=3, column="year")
>>> isinstance(err, ValueError) and isinstance(err, GeotradeError)
True
>>> str(err)
"flows.csv, row 3, column 'year': expected a 'year' column"
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from os import PathLike

__all__ = [
    "ClassificationError",
    "DataNotFoundError",
    "EngineError",
    "GeotradeError",
    "InputFormatError",
    "JoinError",
    "OutputError",
    "Problem",
    "RemoteServiceError",
    "UsageError",
    "ValidationError",
]


def _where(path: str | PathLike[str] | None, row: int | None, column: str | None) -> str:
    parts: list[str] = []
    if path is not None:
        parts.append(str(path))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


class GeotradeError(Exception):
    """Root of all errors raised deliberately by geotrade.

    Parameters
    ----------
    message
        What was expected, what was found and how to fix it.
    path, row, column
        Where the problem is, when it concerns an input file. ``row`` is the 1-based line
        number of the data row as a user sees it in a spreadsheet (header = row 1).
    """

    code = "geotrade_error"
    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        where = _where(path, row, column)
        super().__init__(f"{where}: {message}" if where else message)

    def to_record(self) -> dict[str, object]:
        """Return the error as a JSON-serialisable record (the CLI's ``--json`` mode)."""
        return {
            "type": "error",
            "code": self.code,
            "error": type(self).__name__,
            "message": str(self),
            "path": self.path,
            "row": self.row,
            "column": self.column,
        }


class UsageError(GeotradeError, ValueError):
    """An option or setting of the command is invalid (the same exit code as a bad option)."""

    code = "usage"
    exit_code = 2


class InputFormatError(GeotradeError, ValueError):
    """An input file cannot be read as the format it claims or is expected to be."""

    code = "input_format"
    exit_code = 3


class DataNotFoundError(GeotradeError, FileNotFoundError):
    """An input file, layer or packaged data set does not exist."""

    code = "not_found"
    exit_code = 4


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong."""

    message: str
    path: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = _where(self.path, self.row, self.column)
        return f"{where}: {self.message}" if where else self.message


class ValidationError(GeotradeError, ValueError):
    """An input table breaks one or more rules; all problems are collected first.

    Examples
    --------
    >>> err = ValidationError([Problem("negative value -3", path="f.csv", row=4, column="v")])
    >>> print(err)
    1 problem found:
      - f.csv, row 4, column 'v': negative value -3
    """

    code = "validation"
    exit_code = 5

    def __init__(self, problems: Iterable[Problem], *, limit: int = 20) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  - {p}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"  ... and {n - limit} more")
        first = self.problems[0] if self.problems else Problem("")
        super().__init__("\n".join(lines))
        # keep the location of the first problem for machine-readable records
        self.path, self.row, self.column = first.path, first.row, first.column

    def to_record(self) -> dict[str, object]:  # noqa: D102 - documented on the base class
        rec = super().to_record()
        rec["problems"] = [
            {"message": p.message, "path": p.path, "row": p.row, "column": p.column}
            for p in self.problems
        ]
        return rec


class JoinError(GeotradeError, ValueError):
    """Keys of a table do not match the geometries they should be joined to."""

    code = "join"
    exit_code = 6


class ClassificationError(GeotradeError, ValueError):
    """Values cannot be classified with the requested scheme and options."""

    code = "classification"
    exit_code = 7


class OutputError(GeotradeError, OSError):
    """An output cannot be written (read-only directory, full disk, ...)."""

    code = "output"
    exit_code = 8


class RemoteServiceError(GeotradeError, OSError):
    """A remote service (the UN Comtrade API) refused the request, failed or answered badly.

    Not a bug in geotrade: check the network, the API key or retry later.
    """

    code = "remote"
    exit_code = 10


class EngineError(GeotradeError, RuntimeError):
    """An internal step failed in a way that is not the user's input (a bug or environment)."""

    code = "engine"
    exit_code = 9
