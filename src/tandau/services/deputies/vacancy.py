"""Vacancies: a deputy leaves (reason and day); a list mandate passes to the next eligible name of the party's
registered list with the 2022 quota kept (:func:`tandau.core.deputies.successor`); a district seat waits for a
by-election, whose result is entered here. Every step is a seat decision and an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.deputies import Succession, successor
from tandau.errors import InputError
from tandau.services.deputies.common import (
    decide,
    get_council,
    get_deputy,
    now_utc,
    require_manage,
    require_manage_somewhere,
)
from tandau.services.deputies.results import candidates_of
from tandau.services.primaries.access import Actor
from tandau.services.primaries.errors import StateError
from tandau.store.deputies_models import DeputyRow

MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class VacancyOutcome:
    """The vacated deputy, the successor's row (None: a district seat, or the list is exhausted) and why."""

    vacated: DeputyRow
    successor: DeputyRow | None
    succession: Succession | None


def vacate(session: Session, actor: Actor, deputy_id: str, *, reason: str, on: date,
           now: datetime | None = None) -> VacancyOutcome:
    """Record that ``deputy_id`` left on ``on`` for ``reason``; fill a list mandate from the list."""
    require_manage_somewhere(actor)
    dep = get_deputy(session, deputy_id)
    require_manage(actor, dep.kato)
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InputError(f"give the reason the mandate ended (1 to {MAX_REASON} characters)", parameter="reason")
    if dep.status != "active":
        raise StateError(f"deputy {deputy_id} already left on {dep.vacated_on}")
    if on < dep.term_start or on > dep.term_end:
        raise InputError(f"the day must lie in the term, {dep.term_start} to {dep.term_end}", parameter="on")
    council = get_council(session, dep.council_id)
    moment = now_utc(now)
    dep.status, dep.vacated_on, dep.vacated_reason = "vacated", on, reason
    decide(session, actor, council.council_id, "vacancy",
           f"{dep.name} ({dep.mandate}) left on {on.isoformat()}: {reason}",
           {"mandate": dep.mandate, "district": dep.district_id or None, "on": on.isoformat(), "reason": reason,
            "person": dep.person_id or None}, deputy_id=dep.id, now=moment)
    if dep.mandate != "list":
        session.commit()
        return VacancyOutcome(dep, None, None)
    rows = list(session.scalars(select(DeputyRow).where(DeputyRow.council_id == council.council_id,
                                                        DeputyRow.mandate == "list")))
    holders = [r.person_id for r in rows if r.status == "active"] + [dep.person_id]
    used = [r.person_id for r in rows]
    names = candidates_of(council)
    got = successor(names, holders, dep.person_id, used=used, election_day=council.election_day)
    new: DeputyRow | None = None
    if got.successor is not None:
        c = got.successor
        new = DeputyRow(id=f"{council.council_id}-L{c.order + 1:02d}", council_id=council.council_id, kato=dep.kato,
                        person_id=c.id, name=c.name, sex=c.sex, birth_date=c.birth_date, mandate="list",
                        district_id="", position=c.order + 1, term_start=on, term_end=dep.term_end, status="active",
                        succeeds=dep.id, created_at=moment)
        session.add(new)
        session.flush()
    summary = ("the list is exhausted: the mandate stays vacant" if new is None else
               f"{new.name} (#{new.position}) succeeds {dep.name}"
               + (" to keep the 30% quota" if got.reason == "quota" else " as the next on the list"))
    decide(session, actor, council.council_id, "succession", summary,
           {**got.as_data(), "on": on.isoformat()}, deputy_id=None if new is None else new.id, now=moment)
    session.commit()
    return VacancyOutcome(dep, new, got)


def by_election(session: Session, actor: Actor, council_id: str, district: str, *, winner: str, party: str,
                day: date, person_id: str = "", sex: str | None = None, birth_date: date | None = None,
                now: datetime | None = None) -> DeputyRow | None:
    """Enter a by-election's result in ``district``; a winner of the council's party joins the faction (their
    term ends with the council's). Refused while a deputy of the party holds the district."""
    require_manage_somewhere(actor)
    council = get_council(session, council_id)
    require_manage(actor, council.kato)
    from tandau.services.councils import council_ref

    seats = council_ref(council.system, council_id).council
    found = next((d for d in seats.districts if d.id == district or str(d.number) == district.strip()), None)
    if found is None:
        known = ", ".join(d.id for d in seats.districts[:3]) or "none"
        raise InputError(f"{council_id} has no district {district!r} (its districts: {known}, ...)",
                         parameter="district")
    if not winner.strip():
        raise InputError("give the winner's name", parameter="winner")
    if sex not in (None, "", "F", "M"):
        raise InputError(f"sex must be F or M, got {sex!r}", parameter="sex")
    if day <= council.election_day or day > council.term_end:
        raise InputError(f"a by-election lies after election day {council.election_day} and within the term",
                         parameter="day")
    held = session.scalars(select(DeputyRow).where(DeputyRow.council_id == council_id,
                                                   DeputyRow.district_id == found.id)).all()
    if any(r.status == "active" for r in held):
        raise StateError(f"district {found.id} is held by the party's deputy: record the vacancy first")
    moment = now_utc(now)
    ours = party.strip() == council.party
    row: DeputyRow | None = None
    if ours:
        number = sum(r.id.startswith(f"{found.id}-B") for r in held) + 1
        row = DeputyRow(id=f"{found.id}-B{number}", council_id=council_id, kato=council.kato,
                        person_id=person_id.strip(), name=winner.strip(), sex=sex or None, birth_date=birth_date,
                        mandate="district", district_id=found.id, position=None, term_start=day,
                        term_end=council.term_end, status="active",
                        succeeds=held[-1].id if held else None, created_at=moment)
        session.add(row)
        session.flush()
    decide(session, actor, council_id, "by_election",
           f"by-election of {day.isoformat()} in {found.id}: {winner.strip()} ({party.strip() or 'self-nominated'})",
           {"district": found.id, "day": day.isoformat(), "winner": winner.strip(),
            "party": party.strip() or "self-nominated", "joins_faction": ours},
           deputy_id=None if row is None else row.id, now=moment)
    session.commit()
    return row
