"""Appeals received offline or by another system (issue 14, item 3): a CSV or XLSX file to import, validated as
a whole.

Columns: ``id``, ``received_at``, ``territory``, ``text`` (required); ``channel``, ``name``, ``contact``, ``lang``
(optional). ``id`` is the sender's own id of the row (unique in the file, at most 64 characters); ``received_at`` a
date (the local date of receipt) or a moment (``2026-03-01T10:30``, Asia/Almaty when no offset is given), not in the
future; ``territory`` the 9-digit KATO code of a region, city or district; ``text`` 10 to 5,000 characters;
``channel`` office, phone, web or import (import when empty); ``name`` and ``contact`` at most 200 characters each;
``lang`` kk or ru (detected when empty).

Every problem of every row is collected, each naming its row (as a spreadsheet numbers it) and its column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from tandau.errors import InputError
from tandau.services.primaries._tabular import moment_of, parse_table, text_of
from tandau.services.proposals import rules

REQUIRED = ("id", "received_at", "territory", "text")
OPTIONAL = ("channel", "name", "contact", "lang")
CHANNELS = ("office", "phone", "web", "import")
MAX_ID, MIN_TEXT, MAX_TEXT, MAX_NAME = 64, 10, 5000, 200
ALMATY = ZoneInfo("Asia/Almaty")
NOON = time(12, 0)  # the moment of a row that gives only the date of receipt


@dataclass(frozen=True, slots=True)
class AppealRow:
    """A valid row of the file."""

    row: int
    id: str
    received_at: datetime
    kato: str
    text: str
    channel: str
    name: str
    contact: str
    lang: str | None


def parse(data: bytes, name: str, *, now: datetime) -> tuple[list[AppealRow], list[InputError]]:
    """The valid rows and every problem of the file (a problem reading the file itself is raised)."""
    table = parse_table(data, name, REQUIRED)
    rows: list[AppealRow] = []
    problems: list[InputError] = []
    seen: dict[str, int] = {}

    def bad(row: int, column: str, text: str) -> None:
        problems.append(InputError(text, file=name, row=row, column=column))

    for number, cells in table.rows:
        before = len(problems)
        ident = text_of(cells.get("id"))
        if not ident:
            bad(number, "id", "the id is empty")
        elif len(ident) > MAX_ID:
            bad(number, "id", f"an id has at most {MAX_ID} characters")
        elif ident in seen:
            bad(number, "id", f"id {ident!r} is also on row {seen[ident]}")
        else:
            seen[ident] = number
        try:
            moment = moment_of(cells.get("received_at"), ALMATY, NOON)
            if moment > now:
                bad(number, "received_at", f"{moment.isoformat()} is in the future")
        except ValueError:
            moment = now
            bad(number, "received_at", "expected a date or moment such as 2026-03-01 or 2026-03-01T10:30, got "
                                       f"{text_of(cells.get('received_at'))!r}")
        kato = text_of(cells.get("territory"))
        if not rules.is_valid_kato(kato):
            bad(number, "territory", f"not the 9-digit KATO code of a region, city or district: {kato!r}")
        text = text_of(cells.get("text"))
        if not MIN_TEXT <= len(text) <= MAX_TEXT:
            bad(number, "text", f"an appeal has {MIN_TEXT} to {MAX_TEXT} characters, this one {len(text)}")
        channel = text_of(cells.get("channel")).lower() or "import"
        if channel not in CHANNELS:
            bad(number, "channel", f"unknown channel {channel!r}; valid: {', '.join(CHANNELS)}")
        person, contact = text_of(cells.get("name")), text_of(cells.get("contact"))
        for column, value in (("name", person), ("contact", contact)):
            if len(value) > MAX_NAME:
                bad(number, column, f"a {column} has at most {MAX_NAME} characters")
        lang = text_of(cells.get("lang")).lower() or None
        if lang is not None and lang not in ("kk", "ru"):
            bad(number, "lang", f"unknown language {lang!r}; valid: kk, ru (or empty: detected)")
        if len(problems) == before:
            rows.append(AppealRow(number, ident, moment, kato, text, channel, person, contact, lang))
    return rows, problems
