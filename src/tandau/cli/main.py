"""The ``tandau`` command: registers every command group."""

from __future__ import annotations

import typer

from tandau import __version__
from tandau.cli._app import new_app

app = new_app("Tandau: primaries, quota-compliant candidate lists, seats and party control.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tandau {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Tandau: primaries, quota-compliant candidate lists, seats and party control."""


def _register() -> None:
    """Attach every command group; each lives in its own module under ``tandau.cli``."""
    from importlib import import_module

    for module_name, group in _GROUPS:
        try:
            module = import_module(f"tandau.cli.{module_name}")
        except ModuleNotFoundError as exc:  # a group not built yet must not break the others
            if exc.name != f"tandau.cli.{module_name}":
                raise
            continue
        module.register(app) if group is None else app.add_typer(module.app, name=group)


# (module under tandau.cli, group name or None when the module registers top-level commands itself)
_GROUPS: list[tuple[str, str | None]] = [
    ("lists", "lists"),
    ("rules", "rules"),
    ("territory", "territory"),
    ("demo", "demo"),
    ("seats", "seats"),
    ("tally", None),
    ("primaries", "primaries"),
    ("primaries_audit", "audit"),
]

_register()


def main() -> None:
    """Console-script entry point."""
    app()
