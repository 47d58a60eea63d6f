"""Akims (party members) per territory with their appointment dates: add, end, list; audited."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.deputies.common import now_utc, require_manage
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import check_kato, covers
from tandau.store.deputies_models import Akim

MAX_NAME = 200


def add_akim(session: Session, actor: Actor, kato: str, name: str, appointed_at: date, *, person_id: str = "",
             now: datetime | None = None, commit: bool = True) -> Akim:
    """Record the akim of ``kato`` (a 9-digit KATO code) appointed on ``appointed_at``. A territory has one akim
    in office at a time: the one in office must leave first."""
    kato = check_kato(kato.strip(), column="kato")
    require_manage(actor, kato)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InputError(f"give the akim's name (1 to {MAX_NAME} characters)", parameter="name")
    current = session.scalars(select(Akim).where(Akim.kato == kato, Akim.left_at.is_(None))).first()
    if current is not None:
        raise StateError(f"{current.name} is the akim of {kato} in office since {current.appointed_at}: record the "
                         "day they left first")
    moment = now_utc(now)
    row = Akim(id=secrets.token_hex(8), kato=kato, person_id=person_id.strip(), name=name, appointed_at=appointed_at,
               left_at=None, created_at=moment, created_by=actor.subject_id)
    session.add(row)
    audit.append(session, actor=actor.subject_id, action="deputies.akim_add", target=row.id,
                 details={"kato": kato, "name": name, "person": row.person_id or None,
                          "appointed_at": appointed_at.isoformat()}, now=moment)
    if commit:
        session.commit()
    return row


def end_akim(session: Session, actor: Actor, akim_id: str, left_at: date, *, now: datetime | None = None) -> Akim:
    """Record the day an akim left office."""
    if not territories(actor, Action.DEPUTY_MANAGE):
        require(actor, Action.DEPUTY_MANAGE, None)
    row = session.get(Akim, akim_id)
    if row is None:
        raise NotFoundError("akim", akim_id)
    require_manage(actor, row.kato)
    if row.left_at is not None:
        raise StateError(f"{row.name} left office on {row.left_at}")
    if left_at < row.appointed_at:
        raise InputError(f"the day they left precedes the appointment ({row.appointed_at})", parameter="left_at")
    moment = now_utc(now)
    row.left_at = left_at
    audit.append(session, actor=actor.subject_id, action="deputies.akim_end", target=row.id,
                 details={"kato": row.kato, "left_at": left_at.isoformat()}, now=moment)
    session.commit()
    return row


def list_akims(session: Session, actor: Actor, *, territory: str | None = None, current: bool | None = None
               ) -> list[Akim]:
    """The akims of the territories ``actor`` may view (``DEPUTY_VIEW``), by territory then appointment."""
    scopes = territories(actor, Action.DEPUTY_VIEW)
    if not scopes:
        require(actor, Action.DEPUTY_VIEW, None)
    query = select(Akim).order_by(Akim.kato, Akim.appointed_at)
    if current is True:
        query = query.where(Akim.left_at.is_(None))
    elif current is False:
        query = query.where(Akim.left_at.is_not(None))
    rows = list(session.scalars(query))
    return [r for r in rows if any(covers(s, r.kato) for s in scopes)
            and (not territory or covers(territory, r.kato))]
