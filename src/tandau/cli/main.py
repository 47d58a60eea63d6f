"""The ``tandau`` command: registers every command group.

Groups are imported lazily: ``tandau seats allocate --batch`` loads only the seats group, so start-up does not
pay for the database layer. ``tandau.cli.main.app`` (used by tests and docs) has every group.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import import_module

import typer

from tandau import __version__
from tandau.cli._app import new_app

# (module under tandau.cli, group name, or None when the module adds top-level commands with register(app))
_GROUPS: list[tuple[str, str | None]] = [
    ("lists", "lists"),
    ("nominees", "nominees"),
    ("rules", "rules"),
    ("territory", "territory"),
    ("demo", "demo"),
    ("seats", "seats"),
    ("tally", None),
    ("primaries", "primaries"),
    ("primaries_audit", "audit"),
    ("control.cases", "cases"),
    ("control", "control"),
    ("proposals", "proposals"),
    ("programmes", "programmes"),
    ("deputies", "deputies"),
    ("appeals", "appeals"),
    ("ops", "ops"),
    ("files", "files"),
    ("report", "report"),
    ("jobs", "jobs"),
    ("jobs_worker", None),
    ("serve", None),
]
# top-level commands that a register(app) module adds
_COMMANDS = {"tally": "tally", "verify": "tally", "serve": "serve", "worker": "jobs_worker"}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tandau {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Tandau: primaries, quota-compliant candidate lists, seats and party control."""


@cache
def build_app(only: str | None = None) -> typer.Typer:
    """The root application with every group, or only the module ``only`` (a start-up shortcut)."""
    root = new_app("Tandau: primaries, quota-compliant candidate lists, seats and party control.")
    root.callback()(_root)
    for module_name, group in _GROUPS:
        if only is not None and module_name != only:
            continue
        module = import_module(f"tandau.cli.{module_name}")
        if group is None:
            module.register(root)
        else:
            root.add_typer(module.app, name=group)
    return root


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point."""
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    by_group = {group: module for module, group in _GROUPS if group is not None}
    only = by_group.get(first) or _COMMANDS.get(first)
    build_app(only)()
