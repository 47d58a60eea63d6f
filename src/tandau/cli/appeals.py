"""``tandau appeals``: due dates of citizens' appeals on Kazakhstan's working-day calendar (docs/appeals.md).

``due`` counts working days after the day of receipt (15 by default: АППК No. 350-VI, art. 76); ``calendar``
lists a year's days off with their reasons. Both use the packaged calendar (2023-2026) or ``--calendar FILE``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from tandau.cli._app import new_app, out_console
from tandau.core.appeals import Deadlines, WorkCalendar, due_date
from tandau.errors import InputError

app = new_app("Citizens' appeals: due dates in working days on Kazakhstan's calendar.")

_FORMATS = ("text", "json")
_CALENDAR_HELP = "A calendar CSV (date, kind, name_ru, source); default: Tandau's calendar of 2023-2026."


def _check_format(fmt: str) -> None:
    if fmt not in _FORMATS:
        raise InputError(f"must be text or json, got {fmt!r}", parameter="--format")


def _calendar(path: Path | None) -> WorkCalendar:
    from tandau.io.calendar_csv import default_calendar, read_calendar

    return read_calendar(path) if path is not None else default_calendar()


def _date(text: str, parameter: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", parameter=parameter) from None


@app.command("due")
def due_cmd(
    received: str = typer.Option(..., "--received", help="Day of receipt, YYYY-MM-DD (local date, Asia/Almaty)."),
    working_days: int = typer.Option(Deadlines().answer_working_days, "--working-days",
                                     help="Working days to count after the day of receipt (at least 1)."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    calendar_file: Path | None = typer.Option(None, "--calendar", help=_CALENDAR_HELP),
) -> None:
    """Print the due date (ISO): the N-th working day after the day of receipt, which never counts.

    JSON: {"received", "working_days", "due", "skipped": [{"date", "reason"}]} with reason weekend, holiday,
    carried_over or transfer_day_off. A date beyond the calendar data or bad input exits 2.
    """
    _check_format(fmt)
    day = _date(received, "--received")
    if working_days < 1:
        raise InputError(f"must be at least 1, got {working_days}", parameter="--working-days")
    result = due_date(day, working_days, _calendar(calendar_file))
    if fmt == "json":
        typer.echo(json.dumps({
            "received": result.received.isoformat(), "working_days": result.working_days,
            "due": result.due.isoformat(),
            "skipped": [{"date": d.isoformat(), "reason": reason} for d, reason in result.skipped],
        }, ensure_ascii=False))
    else:
        typer.echo(result.due.isoformat())


@app.command("calendar")
def calendar_cmd(
    year: int = typer.Option(..., "--year", help="The year, within the calendar data (2023-2026 by default)."),
    weekends: bool = typer.Option(False, "--weekends", help="List plain Saturdays and Sundays too."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    calendar_file: Path | None = typer.Option(None, "--calendar", help=_CALENDAR_HELP),
) -> None:
    """List a year's days off with their reasons, and the weekend days made working days.

    Text: one line per day (date, weekday, reason, name), then the count of working days. JSON:
    {"year", "working_days", "days_off": [{"date", "reason", "name"}], "working_weekend_days": [{"date",
    "name"}], "sources": {date: source}}. A year beyond the calendar data exits 2.
    """
    _check_format(fmt)
    cal = _calendar(calendar_file)
    off = cal.days_off(year, weekends=weekends)
    worked = [r for r in cal.rows if r.day.year == year and r.kind == "transfer_working_day"]
    names = {r.day: r.name for r in cal.rows}
    if fmt == "json":
        typer.echo(json.dumps({
            "year": year, "working_days": cal.working_days(year),
            "days_off": [{"date": d.isoformat(), "reason": reason, "name": names.get(d, "")} for d, reason in off],
            "working_weekend_days": [{"date": r.day.isoformat(), "name": r.name} for r in worked],
            "sources": {r.day.isoformat(): r.source for r in cal.rows if r.day.year == year},
        }, ensure_ascii=False))
        return
    for d, reason in off:
        out_console.print(f"{d.isoformat()}  {d:%a}  {reason:<16}  {names.get(d, '')}".rstrip())
    for r in worked:
        out_console.print(f"{r.day.isoformat()}  {r.day:%a}  {'working_day':<16}  {r.name}")
    out_console.print(f"{year}: {cal.working_days(year)} working days (five-day week)")


from tandau.cli import appeals_cases as _appeals_cases  # noqa: E402,F401  (import, escalate, reminders, export, purge)
