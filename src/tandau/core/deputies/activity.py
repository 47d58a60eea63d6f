"""A deputy's activity: the kinds of records and a summary per deputy.

Kinds: ``session`` (a sitting of the council: attended or not), ``vote`` (a vote at a sitting: the deputy's choice
``for | against | abstain | absent``), ``inquiry`` (a deputy's inquiry: sent, answered on a day or not yet),
``reception`` (a reception of citizens: people received), ``report_to_voters`` (a report to the voters: people
present).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ACTIVITY_KINDS: tuple[str, ...] = ("session", "vote", "inquiry", "reception", "report_to_voters")
VOTE_CHOICES: tuple[str, ...] = ("for", "against", "abstain", "absent")


@dataclass(frozen=True, slots=True)
class Record:
    """One activity record as the summary reads it."""

    kind: str
    day: date
    attended: bool | None = None
    choice: str | None = None
    answered_on: date | None = None
    people: int | None = None


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """Counts per deputy over a period."""

    sessions: int = 0
    sessions_attended: int = 0
    votes: int = 0
    votes_cast: int = 0
    inquiries: int = 0
    inquiries_answered: int = 0
    receptions: int = 0
    people_received: int = 0
    reports: int = 0

    @property
    def attendance(self) -> float | None:
        """Share of sessions attended (None without sessions); for presentation only."""
        return None if not self.sessions else self.sessions_attended / self.sessions


def summarise(records: Iterable[Record], *, since: date | None = None, until: date | None = None) -> ActivitySummary:
    """Counts of ``records`` whose day lies in ``[since, until]``.

    >>> d = date(2024, 1, 1)
    >>> s = summarise([Record("session", d, attended=True), Record("session", d, attended=False),
    ...                Record("inquiry", d, answered_on=d), Record("vote", d, choice="absent")])
    >>> (s.sessions, s.sessions_attended, s.inquiries_answered, s.votes, s.votes_cast)
    (2, 1, 1, 1, 0)
    """
    c = dict.fromkeys(ActivitySummary.__dataclass_fields__, 0)
    for r in records:
        if (since is not None and r.day < since) or (until is not None and r.day > until):
            continue
        if r.kind == "session":
            c["sessions"] += 1
            c["sessions_attended"] += bool(r.attended)
        elif r.kind == "vote":
            c["votes"] += 1
            c["votes_cast"] += r.choice not in (None, "absent")
        elif r.kind == "inquiry":
            c["inquiries"] += 1
            c["inquiries_answered"] += r.answered_on is not None
        elif r.kind == "reception":
            c["receptions"] += 1
            c["people_received"] += r.people or 0
        elif r.kind == "report_to_voters":
            c["reports"] += 1
    return ActivitySummary(**c)
