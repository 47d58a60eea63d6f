"""What the deputies' services share: a council's territory, authorization, decisions and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.errors import NotFoundError
from tandau.store.deputies_models import DeputyCouncil, DeputyRow, SeatDecision

NATIONAL = "KZ"
TERM_YEARS = 5  # maslikhats and the Majilis: five years (Constitution, Arts. 50(5) and 86(3))


@dataclass(frozen=True, slots=True)
class CouncilInfo:
    """A council of the 2023 territory: its id, names and KATO code (``None``: the whole country)."""

    id: str
    kato: str | None
    name_kk: str
    name_ru: str
    name_en: str


def council_info(council_id: str) -> CouncilInfo:
    """The council ``council_id`` (``M-75``, ``M-5910``, ``KZ-MAJILIS``); unknown: bad input."""
    from tandau.services.programmes.records import council_owner

    owner = council_owner(council_id)
    kk = owner.title_kk.split(":")[0]
    ru = owner.title_ru.split(":")[0]
    return CouncilInfo(council_id, None if owner.kato == NATIONAL else owner.kato, kk, ru, owner.name_en)


def now_utc(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def term_end(start: date, years: int = TERM_YEARS) -> date:
    """The last day of a term of ``years`` from ``start``: the day before the anniversary.

    >>> term_end(date(2023, 3, 19))
    datetime.date(2028, 3, 18)
    """
    from datetime import timedelta

    return start.replace(year=start.year + years) - timedelta(days=1)


def require_manage(actor: Actor, kato: str | None) -> None:
    """``DEPUTY_MANAGE`` on the territory (the central office for the Majilis)."""
    require(actor, Action.DEPUTY_MANAGE, kato)


def require_manage_somewhere(actor: Actor) -> None:
    """Refuse before reading anything whoever may manage deputies nowhere."""
    if not territories(actor, Action.DEPUTY_MANAGE):
        require(actor, Action.DEPUTY_MANAGE, None)


def require_view(actor: Actor, kato: str | None) -> None:
    """``DEPUTY_VIEW`` on the territory."""
    require(actor, Action.DEPUTY_VIEW, kato)


def get_council(session: Session, council_id: str) -> DeputyCouncil:
    row = session.get(DeputyCouncil, council_id)
    if row is None:
        raise NotFoundError("council with imported results", council_id)
    return row


def get_deputy(session: Session, deputy_id: str) -> DeputyRow:
    row = session.get(DeputyRow, deputy_id)
    if row is None:
        raise NotFoundError("deputy", deputy_id)
    return row


def decide(session: Session, actor: Actor, council_id: str, kind: str, summary: str, data: dict[str, Any], *,
           deputy_id: str | None = None, now: datetime) -> SeatDecision:
    """Store a seat decision and append it to the audit log in the same transaction."""
    row = SeatDecision(council_id=council_id, deputy_id=deputy_id, kind=kind, summary=summary,
                       data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str), at=now,
                       actor=actor.subject_id)
    session.add(row)
    audit.append(session, actor=actor.subject_id, action=f"deputies.{kind}", target=deputy_id or council_id,
                 details={"council": council_id, "summary": summary, **data}, now=now)
    return row
