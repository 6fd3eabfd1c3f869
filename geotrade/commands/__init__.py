"""Sub-commands of the ``geotrade`` command line, one module per concern.

Every public module of this package (``geotrade/commands/<name>.py``, not starting with
``_``) defines ``register(app)``, which adds its commands or command group to the main
Typer app. Heavy imports happen inside the command functions so that ``geotrade --help``
stays fast. :data:`ORDER` fixes the order of the first modules in ``geotrade --help``;
others follow alphabetically.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

__all__ = ["ORDER", "modules", "register_all"]

#: Modules listed first in ``geotrade --help`` (in this order).
ORDER: tuple[str, ...] = (
    "demo",
    "flows",
    "trade",
    "interdependence",
    "network",
    "recycling",
    "mismatch",
    "classify",
    "map",
    "model",
    "fetch",
    "products",
)


def modules() -> list[str]:
    """Names of the command modules, in help order."""
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    return [m for m in ORDER if m in found] + sorted(found - set(ORDER))


def register_all(app: typer.Typer) -> None:
    """Register the commands of every command module on ``app``."""
    for name in modules():
        importlib.import_module(f"geotrade.commands.{name}").register(app)
