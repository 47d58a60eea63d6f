"""Proposals collected offline (issue 13, item 6): a CSV or XLSX file to import, validated as a whole.

Columns: ``id``, ``text``, ``territory``, ``age``, ``channel``, ``submitted_at`` (required); ``lang`` and ``theme``
(optional). ``id`` is the collector's own id of the row (unique in the file; at most 64 characters); ``text`` 10 to
2,000 characters; ``territory`` the 9-digit KATO code of a region, city or district; ``age`` an age group
(``under_18``, ``18_28``, ``29_34``, ``35_59``, ``60_plus``, or ``18-28``, ``60+``) or whole years; ``channel`` one of
web, office, forum, phone, import; ``submitted_at`` a date or moment (``2026-03-01``, ``2026-03-01T10:30``, UTC
when no offset is given); ``lang`` kk or ru (detected when empty); ``theme`` a theme code (set by a person when
given, else classified).

Every problem of every row is collected, each naming the row (as a spreadsheet numbers it) and the column; the
file is read with the shared import helper (:mod:`tandau.services.primaries._tabular`: delimiters, BOM, XLSX).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from tandau.errors import InputError
from tandau.services.primaries._tabular import moment_of, parse_table, text_of
from tandau.services.proposals import rules

REQUIRED = ("id", "text", "territory", "age", "channel", "submitted_at")
OPTIONAL = ("lang", "theme")
MAX_ID = 64


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A valid row of the file."""

    row: int
    id: str
    text: str
    kato: str
    age_group: str
    channel: str
    submitted_at: datetime
    lang: str | None
    theme: str | None


def parse(data: bytes, name: str, theme_codes: Sequence[str], *, now: datetime) -> tuple[list[ImportRow],
                                                                                          list[InputError]]:
    """The valid rows and every problem of the file (a problem reading the file itself is raised)."""
    table = parse_table(data, name, REQUIRED)
    rows: list[ImportRow] = []
    problems: list[InputError] = []
    seen: dict[str, int] = {}

    def bad(row: int, column: str, text: str, code: str, **params: object) -> None:
        problems.append(InputError(text, file=name, row=row, column=column, code=code, params=params))

    for number, cells in table.rows:
        before = len(problems)
        ident = text_of(cells.get("id"))
        if not ident:
            bad(number, "id", "the id is empty", "proposal_id_empty")
        elif len(ident) > MAX_ID:
            bad(number, "id", f"an id has at most {MAX_ID} characters", "proposal_id_long", limit=MAX_ID)
        elif ident in seen:
            bad(number, "id", f"id {ident!r} is also on row {seen[ident]}", "proposal_id_twice", value=ident,
                other=seen[ident])
        else:
            seen[ident] = number
        text = text_of(cells.get("text"))
        if not rules.MIN_TEXT <= len(text) <= rules.MAX_TEXT:
            bad(number, "text", f"a proposal has {rules.MIN_TEXT} to {rules.MAX_TEXT} characters, this one "
                                f"{len(text)}", "proposal_text_size", length=len(text))
        kato = text_of(cells.get("territory"))
        if not rules.is_valid_kato(kato):
            bad(number, "territory", f"not the 9-digit KATO code of a region, city or district: {kato!r}",
                "proposal_territory", value=kato)
        age = rules.age_group_of(text_of(cells.get("age")))
        if age is None:
            bad(number, "age", f"expected an age group ({', '.join(rules.AGE_GROUPS)}) or whole years, got "
                               f"{text_of(cells.get('age'))!r}", "proposal_age", value=text_of(cells.get("age")))
        channel = text_of(cells.get("channel")).lower()
        if channel not in rules.CHANNELS:
            bad(number, "channel", f"unknown channel {channel!r}; valid: {', '.join(rules.CHANNELS)}",
                "proposal_channel", value=channel)
        try:
            moment = moment_of(cells.get("submitted_at"), UTC, time(0, 0))
            if moment > now:
                bad(number, "submitted_at", f"{moment.isoformat()} is in the future", "proposal_future",
                    value=moment.isoformat())
        except ValueError:
            moment = now
            bad(number, "submitted_at", f"expected a date or moment such as 2026-03-01 or 2026-03-01T10:30, got "
                                        f"{text_of(cells.get('submitted_at'))!r}", "proposal_moment",
                value=text_of(cells.get("submitted_at")))
        lang = text_of(cells.get("lang")).lower() or None
        if lang is not None and lang not in ("kk", "ru"):
            bad(number, "lang", f"unknown language {lang!r}; valid: kk, ru (or empty: detected)", "proposal_lang",
                value=lang)
        theme = text_of(cells.get("theme")).lower() or None
        if theme is not None and theme not in theme_codes:
            bad(number, "theme", f"unknown theme {theme!r}; valid: {', '.join(theme_codes)}", "proposal_theme",
                value=theme)
        if len(problems) == before:
            rows.append(ImportRow(number, ident, text, kato, age or "", channel, moment, lang, theme))
    return rows, problems
