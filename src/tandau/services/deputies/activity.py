"""Deputies' activity records imported from the maslikhat's records (``ACTIVITY.csv`` or ``.xlsx``).

Columns (case-insensitive; comma, semicolon or tab): ``deputy`` (the deputy's id, e.g. ``M-75-L03`` or
``M-75-D07``), ``kind`` (``session | vote | inquiry | reception | report_to_voters``), ``date`` (YYYY-MM-DD), and
by kind: ``attended`` (session: yes/no), ``choice`` (vote: for/against/abstain/absent), ``answered_on`` (inquiry:
the day it was answered, empty while unanswered), ``people`` (reception, report: people present); ``details``
(free text: the item voted on, the inquiry's subject). All or nothing: every problem is reported with its row and
column and nothing is stored. A row of a deputy the importer may not manage, or dated outside the deputy's
term, is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tandau.core.deputies import ACTIVITY_KINDS, VOTE_CHOICES
from tandau.errors import InputError
from tandau.services.deputies.common import now_utc, require_manage_somewhere
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Cell, date_of, parse_table, text_of
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.errors import ImportRejectedError
from tandau.store.deputies_models import DeputyActivity, DeputyRow

REQUIRED = ("deputy", "kind", "date")
MAX_ERRORS = 50
MAX_DETAILS = 2000
YES = {"yes", "y", "1", "true", "иә", "да"}
NO = {"no", "n", "0", "false", "жоқ", "нет"}


@dataclass(frozen=True, slots=True)
class ActivityImport:
    """How many records were stored, per kind, and the file's SHA-256."""

    stored: int
    per_kind: dict[str, int]
    sha256: str


def _day(cell: Cell, file: str, row: int, column: str, errors: list[InputError]) -> date | None:
    try:
        return date_of(cell)
    except ValueError:
        errors.append(InputError(f"expected a date as YYYY-MM-DD, got {text_of(cell)!r}", file=file, row=row,
                                 column=column))
        return None


def _row(r: dict[str, Cell], n: int, file: str, deputies: dict[str, DeputyRow], actor: Actor,
         errors: list[InputError]) -> dict[str, Any] | None:
    before = len(errors)
    ident, kind = text_of(r.get("deputy")), text_of(r.get("kind")).lower()
    dep = deputies.get(ident)
    if dep is None:
        errors.append(InputError(f"no deputy {ident!r}", file=file, row=n, column="deputy"))
    elif not is_allowed(actor, Action.DEPUTY_MANAGE, dep.kato):
        errors.append(InputError(f"deputy {ident!r} is not of your territory", file=file, row=n, column="deputy"))
    if kind not in ACTIVITY_KINDS:
        errors.append(InputError(f"kind must be one of {', '.join(ACTIVITY_KINDS)}, got {kind!r}", file=file, row=n,
                                 column="kind"))
    day = _day(r.get("date"), file, n, "date", errors)
    if dep is not None and day is not None and not dep.term_start <= day <= (dep.vacated_on or dep.term_end):
        errors.append(InputError(f"{day} lies outside the mandate of {ident} ({dep.term_start} to "
                                 f"{dep.vacated_on or dep.term_end})", file=file, row=n, column="date"))
    out: dict[str, Any] = {"deputy_id": ident, "kind": kind, "day": day, "attended": None, "choice": None,
                           "answered_on": None, "people": None}
    details = text_of(r.get("details"))
    if len(details) > MAX_DETAILS:
        errors.append(InputError(f"details longer than {MAX_DETAILS} characters", file=file, row=n, column="details"))
    out["details"] = details
    if kind == "session":
        flag = text_of(r.get("attended")).lower()
        if flag not in YES | NO:
            errors.append(InputError(f"attended must be yes or no, got {flag!r}", file=file, row=n,
                                     column="attended"))
        out["attended"] = flag in YES
    elif kind == "vote":
        choice = text_of(r.get("choice")).lower()
        if choice not in VOTE_CHOICES:
            errors.append(InputError(f"choice must be one of {', '.join(VOTE_CHOICES)}, got {choice!r}", file=file,
                                     row=n, column="choice"))
        out["choice"] = choice
    elif kind == "inquiry" and r.get("answered_on") is not None:
        answered = _day(r.get("answered_on"), file, n, "answered_on", errors)
        if answered is not None and day is not None and answered < day:
            errors.append(InputError("answered before it was sent", file=file, row=n, column="answered_on"))
        out["answered_on"] = answered
    elif kind in ("reception", "report_to_voters") and r.get("people") is not None:
        people = text_of(r.get("people"))
        if not people.isdigit():
            errors.append(InputError(f"people must be a whole number, got {people!r}", file=file, row=n,
                                     column="people"))
        else:
            out["people"] = int(people)
    return out if len(errors) == before else None


def store_activity(session: Session, actor: Actor, records: Sequence[dict[str, Any]], *, source: str,
                   now: datetime | None = None, commit: bool = True) -> ActivityImport:
    """Insert checked records (``deputy_id, kind, day, details, attended, choice, answered_on, people``) in one
    statement and one audit entry."""
    moment = now_utc(now)
    per_kind: dict[str, int] = {}
    for rec in records:
        per_kind[rec["kind"]] = per_kind.get(rec["kind"], 0) + 1
    if records:
        session.execute(insert(DeputyActivity), [{**rec, "source": source, "imported_at": moment,
                                                  "imported_by": actor.subject_id} for rec in records])
    audit.append(session, actor=actor.subject_id, action="deputies.activity_import", target=source or "records",
                 details={"records": len(records), "per_kind": per_kind,
                          "deputies": len({r["deputy_id"] for r in records})}, now=moment)
    if commit:
        session.commit()
    return ActivityImport(len(records), per_kind, source)


def import_activity(session: Session, actor: Actor, data: bytes, name: str, *, now: datetime | None = None
                    ) -> ActivityImport:
    """Check the whole file, then store every record (see the module's text)."""
    require_manage_somewhere(actor)
    table = parse_table(data, name, REQUIRED)
    wanted = {text_of(r.get("deputy")) for _, r in table.rows}
    deputies = {d.id: d for d in session.scalars(select(DeputyRow).where(DeputyRow.id.in_(sorted(wanted))))}
    errors: list[InputError] = []
    records = [rec for n, r in table.rows if (rec := _row(r, n, table.file, deputies, actor, errors)) is not None]
    if not table.rows:
        errors.append(InputError("no rows after the header", file=table.file, row=2))
    if errors:
        raise ImportRejectedError(errors[:MAX_ERRORS])
    return store_activity(session, actor, records, source=table.sha256, now=now)


def records_of(session: Session, deputy_ids: Iterable[str]) -> list[DeputyActivity]:
    """Activity records of these deputies, newest first."""
    ids = sorted(set(deputy_ids))
    return list(session.scalars(select(DeputyActivity).where(DeputyActivity.deputy_id.in_(ids))
                                .order_by(DeputyActivity.day.desc(), DeputyActivity.id.desc())))
