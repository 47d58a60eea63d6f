"""``tandau control``: party control. ``flags``: procurement red flags on OCDS compiled releases (Cardinal's).

One function per command; heavy modules are imported inside the commands so that start-up stays short.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tandau.cli._app import err_console, new_app
from tandau.errors import InputError

app = new_app("Party control: procurement red flags on OCDS releases.")

_PROGRESS_BYTES = 8_000_000  # show a progress bar on a terminal for files larger than this


@app.command("flags")
def flags_cmd(
    releases: Path = typer.Argument(..., help="RELEASES.jsonl: one OCDS compiled release per line (.gz accepted)."),
    settings: Path | None = typer.Option(None, "--settings", help="SETTINGS.ini: Cardinal's settings file (an "
                                         "indicator runs if its section is present); without it, all indicators "
                                         "with their defaults."),
    fmt: str = typer.Option("json", "--format", help="json (Cardinal's indicators object)."),
    no_meta: bool = typer.Option(False, "--no-meta", help="Leave out the Meta key (quartiles and fences)."),
) -> None:
    """Red flags R003 R018 R024 R025 R028 R030 R035 R036 R038 R048 R058 with Cardinal's semantics.

    Prints one JSON object: OCID, Buyer, ProcuringEntity and Tenderer, each id -> {code: value}, a group with no
    result left out, and Meta. An invalid line is a warning on stderr and is skipped; a bad file or setting exits 2.
    """
    import orjson

    from tandau.services.control_flags import load_settings, run_flags

    if fmt != "json":
        raise InputError(f"--format must be json, got {fmt!r}", parameter="--format")
    parsed = load_settings(settings)
    for warning in parsed.warnings:
        err_console.print(f"warning: {warning}")

    def warn(message: str) -> None:
        err_console.print(f"warning: {message}")

    big = releases.is_file() and releases.stat().st_size > _PROGRESS_BYTES and err_console.is_terminal
    if big:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("reading releases"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("read", total=None)
            run = run_flags(releases, parsed, on_warning=warn,
                            on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    else:
        run = run_flags(releases, parsed, on_warning=warn)
    for warning in run.result.warnings[len(parsed.warnings):]:
        err_console.print(f"warning: {warning}")
    sys.stdout.buffer.write(orjson.dumps(run.result.as_dict(meta=not no_meta)) + b"\n")
    sys.stdout.flush()
    err_console.print(run.summary())
