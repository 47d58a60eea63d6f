"""``tandau rules``: the presets and what a rule set says."""

from __future__ import annotations

import typer
from rich.table import Table

from tandau.cli._app import new_app, out_console
from tandau.core.rules import get_preset, preset_ids
from tandau.io.rules_toml import load_rules

app = new_app("Quota rule presets and rule files.")


@app.command("list")
def list_presets() -> None:
    """Every preset id with its name and source."""
    table = Table(title="Rule presets")
    for column in ("id", "name", "source"):
        table.add_column(column, overflow="fold")
    for pid in preset_ids():
        rs = get_preset(pid)
        table.add_row(pid, rs.name, rs.source)
    out_console.print(table)


@app.command()
def show(rules: str = typer.Argument(..., help="Preset ids and/or RULES.toml files, comma-separated.")) -> None:
    """Every rule of a rule set, in plain language, with notes."""
    rs = load_rules(rules)
    out_console.print(f"[bold]{rs.name}[/]\nsource: {rs.source}")
    for rule in rs.rules:
        out_console.print(f" - {rule.describe()} [{rule.origin}]")
    for note in rs.notes:
        out_console.print(f"   note: {note}")
