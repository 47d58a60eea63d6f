"""Shared pieces of the command line: the group class that turns Tandau errors into exit code 2."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from tandau.errors import TandauError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False, soft_wrap=True)

EXIT_BAD_INPUT = 2


class TandauGroup(TyperGroup):
    """Every command runs inside this group: a :class:`TandauError` becomes one message and exit 2."""

    def invoke(self, ctx: Any) -> Any:  # click.Context (vendored by recent Typer)
        try:
            return super().invoke(ctx)
        except TandauError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", markup=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except (BrokenPipeError, KeyboardInterrupt):  # pragma: no cover - interactive only
            sys.exit(130)


def new_app(help_text: str) -> typer.Typer:
    """A Typer sub-application with Tandau's conventions."""
    return typer.Typer(
        cls=TandauGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
