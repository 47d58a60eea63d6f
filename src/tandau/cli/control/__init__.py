"""``tandau control``: party control. ``flags``: procurement red flags on OCDS compiled releases (Cardinal's).

One function per command; heavy modules are imported inside the commands so that start-up stays short.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tandau.cli._app import err_console, new_app
from tandau.errors import InputError

app = new_app("Party control: programme targets and reports, procurement red flags, the control board.")

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

    from tandau.services.control.flags import load_settings, run_flags

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


# ---------------------------------------------------------------- programme targets (issue 12, items 1-4)


@app.command("assess")
def assess_cmd(
    targets: Path = typer.Option(..., "--targets", help="TARGETS.csv (or .xlsx): targets with their history."),
    reports: Path = typer.Option(..., "--reports", help="REPORTS.csv (or .xlsx): execution reports and revisions."),
    as_of: str = typer.Option(..., "--as-of", help="The date of the assessment, YYYY-MM-DD."),
    flag_settings: Path | None = typer.Option(None, "--flag-settings", help="FLAGS.toml: programme flag settings."),
    fmt: str = typer.Option("json", "--format", help="json (the contract in docs/control.md) or table."),
    budget: Path | None = typer.Option(None, "--budget", help="A Fiscal Data Package's datapackage.json: budget "
                                       "phases approved / adjusted / executed fill the reports' empty money columns."),
) -> None:
    """Forecast every programme × indicator × region at a date, with its status and the red flags P01-P09.

    Prints {"assessments": [...], "flags": [...]} (paces per day; forecast_low/high bound the 80% interval).
    A bad file names its file, row and column and exits 2; nothing is written.
    """
    import json
    from datetime import date

    from tandau.services.control.assess import assess_files

    if fmt not in ("json", "table"):
        raise InputError(f"--format must be json or table, got {fmt!r}", parameter="--format")
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise InputError(f"expected a date as YYYY-MM-DD, got {as_of!r}", parameter="--as-of") from None
    board = assess_files(targets, reports, day, flag_settings, budget)
    if fmt == "json":
        typer.echo(json.dumps(board.to_json(), ensure_ascii=False))
        return
    _print_board(board)


def _print_board(board: object) -> None:
    from rich.table import Table

    from tandau.cli._app import out_console
    from tandau.core.control.programmes import Board

    if not isinstance(board, Board):  # pragma: no cover - typed by the caller
        return
    table = Table(title=f"Assessment at {board.as_of}")
    for column in ("programme", "indicator", "region", "actual", "target", "deadline", "forecast (80%)", "p",
                   "status"):
        table.add_column(column)
    for a in board.assessments:
        table.add_row(a.programme, a.indicator, a.region, str(a.actual), str(a.target), str(a.deadline),
                      f"{a.forecast:,.1f} ({a.forecast_low:,.1f}–{a.forecast_high:,.1f})", f"{a.p_on_time:.2f}",
                      a.status)
    out_console.print(table)
    ranking = Table(title="Regions, best first (mean probability on time)")
    for column in ("rank", "region", "mean p", "series", "achieved", "on track", "at risk", "off track"):
        ranking.add_column(column)
    for r in board.ranking:
        ranking.add_row(str(r.rank), r.region, f"{r.mean_p:.2f}", str(r.series), str(r.achieved), str(r.on_track),
                        str(r.at_risk), str(r.off_track))
    out_console.print(ranking)
    for f in board.flags:
        out_console.print(f"{f.code} {f.programme}/{f.indicator}/{f.region} since {f.first_date}: {f.text}")


@app.command("preset")
def preset_cmd(
    programme: str | None = typer.Option(None, "--programme", help="One preset programme id (all by default)."),
) -> None:
    """Print the seed's programmes (national targets with their figures and sources) as a TARGETS.csv."""
    from tandau.core.control.programmes import preset_targets
    from tandau.io.control_csv import write_targets_csv

    typer.echo(write_targets_csv(list(preset_targets(programme))), nl=False)
from tandau.cli.control import data as _data  # noqa: E402, F401  (registers "control import", "board", "links")
from tandau.cli.control import links as _links  # noqa: E402, F401  (registers "control link")
