"""Nominations for party awards: a branch (``AWARD_NOMINATE`` on its territory) nominates an active member with the
activity that supports it; the central office (``AWARD_REVIEW``) approves or rejects with a reason; an approved
nomination has a certificate. Every act is appended to the hash-chained audit log."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.scorecards.awards import AWARDS, DECISIONS, NOMINATION_STATUSES
from tandau.errors import InputError, UnknownIdError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, is_allowed, require, territories
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import check_kato, covers
from tandau.store.awards_models import AwardNomination
from tandau.store.models import Member

MAX_ACTIVITY = 4000
MAX_LINKS = 20
MAX_LINK = 300


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _links(links: list[str]) -> list[str]:
    out = [x.strip() for x in links if x.strip()]
    if len(out) > MAX_LINKS:
        raise InputError(f"at most {MAX_LINKS} links to records", parameter="links")
    for link in out:
        if len(link) > MAX_LINK or not link.startswith("/"):
            raise InputError(f"a link to a record is an address of this site starting with / (at most {MAX_LINK} "
                             f"characters), got {link[:60]!r}", parameter="links")
    return out


def nominate(session: Session, actor: Actor, *, member_id: str, award: str, branch_kato: str, activity: str,
             links: list[str] | None = None, member_name: str = "", now: datetime | None = None,
             synthetic: bool = False, commit: bool = True) -> AwardNomination:
    """Nominate ``member_id`` for ``award`` on behalf of the branch of ``branch_kato``. A member of the roll must be
    active; their name is taken from the roll (``member_name`` is used only for someone not on it). A member has
    at most one open nomination per award."""
    if not territories(actor, Action.AWARD_NOMINATE):
        require(actor, Action.AWARD_NOMINATE, None)
    kato = check_kato(branch_kato.strip(), column="branch_kato")
    require(actor, Action.AWARD_NOMINATE, kato)
    if award not in AWARDS:
        raise UnknownIdError("award", award, sorted(AWARDS))
    member_id = member_id.strip()
    if not member_id or len(member_id) > 64:
        raise InputError("give the member's id (1 to 64 characters)", parameter="member_id")
    text = activity.strip()
    if len(text) < 10 or len(text) > MAX_ACTIVITY:
        raise InputError(f"describe the supporting activity (10 to {MAX_ACTIVITY} characters)", parameter="activity")
    member = session.get(Member, member_id)
    if member is not None:
        if member.status != "active":
            raise StateError(f"member {member_id} is {member.status}: only active members are nominated")
        if not covers(kato, member.kato):
            raise InputError(f"member {member_id} lives in {member.kato}, outside the branch's territory {kato}",
                             parameter="member_id")
        name = member.name
    else:
        name = member_name.strip()
        if not name or len(name) > 200:
            raise InputError(f"member {member_id} is not on the roll: give their name", parameter="member_name")
    open_one = session.scalars(select(AwardNomination.id).where(
        AwardNomination.member_id == member_id, AwardNomination.award == award,
        AwardNomination.status == "nominated")).first()
    if open_one is not None:
        raise StateError(f"member {member_id} already has an open nomination for {award} ({open_one})")
    moment = _now(now)
    row = AwardNomination(id=secrets.token_hex(8), member_id=member_id, member_name=name, award=award,
                          branch_kato=kato, activity=text, links=json.dumps(_links(links or [])),
                          status="nominated", reason=None, nominated_by=actor.subject_id, nominated_at=moment,
                          reviewed_by=None, reviewed_at=None, synthetic=synthetic)
    session.add(row)
    audit.append(session, actor=actor.subject_id, action="awards.nominate", target=row.id, now=moment,
                 details={"member": member_id, "award": award, "branch": kato})
    if commit:
        session.commit()
    return row


def get(session: Session, actor: Actor, nomination_id: str) -> AwardNomination:
    """A nomination its branch or the central office may read (whoever may nominate or review nowhere is refused
    before anything is read)."""
    if not territories(actor, Action.AWARD_NOMINATE) and not territories(actor, Action.AWARD_REVIEW):
        require(actor, Action.AWARD_NOMINATE, None)
    row = session.get(AwardNomination, nomination_id)
    if row is None:
        raise NotFoundError("nomination", nomination_id)
    if not may_read(actor, row.branch_kato):
        require(actor, Action.AWARD_NOMINATE, row.branch_kato)
    return row


def may_read(actor: Actor, kato: str) -> bool:
    return is_allowed(actor, Action.AWARD_NOMINATE, kato) or is_allowed(actor, Action.AWARD_REVIEW, kato)


def review(session: Session, actor: Actor, nomination_id: str, decision: str, *, reason: str = "",
           now: datetime | None = None, commit: bool = True) -> AwardNomination:
    """Approve or reject (with a reason) an open nomination: the central office."""
    require(actor, Action.AWARD_REVIEW, None)
    row = session.get(AwardNomination, nomination_id)
    if row is None:
        raise NotFoundError("nomination", nomination_id)
    if decision not in DECISIONS:
        raise InputError(f"decision is one of {', '.join(DECISIONS)}", parameter="decision")
    if row.status != "nominated":
        raise StateError(f"nomination {row.id} is already {row.status}")
    why = reason.strip()
    if decision == "rejected" and not why:
        raise InputError("a rejection gives its reason", parameter="reason")
    if len(why) > MAX_ACTIVITY:
        raise InputError(f"the reason has at most {MAX_ACTIVITY} characters", parameter="reason")
    moment = _now(now)
    row.status, row.reason, row.reviewed_by, row.reviewed_at = decision, why or None, actor.subject_id, moment
    audit.append(session, actor=actor.subject_id, action=f"awards.{decision}", target=row.id, now=moment,
                 details={"member": row.member_id, "award": row.award, "reason": why or None})
    if commit:
        session.commit()
    return row


def list_nominations(session: Session, actor: Actor, *, status: str | None = None, territory: str | None = None
                     ) -> list[AwardNomination]:
    """The nominations of the branches ``actor`` may nominate for (all of them for the central office)."""
    scopes = territories(actor, Action.AWARD_REVIEW) or territories(actor, Action.AWARD_NOMINATE)
    if not scopes:
        require(actor, Action.AWARD_NOMINATE, None)
    query = select(AwardNomination).order_by(AwardNomination.nominated_at.desc(), AwardNomination.id)
    if status:
        if status not in NOMINATION_STATUSES:
            raise InputError(f"status is one of {', '.join(NOMINATION_STATUSES)}", parameter="status")
        query = query.where(AwardNomination.status == status)
    rows = list(session.scalars(query))
    return [r for r in rows if any(covers(s, r.branch_kato) for s in scopes)
            and (not territory or covers(territory, r.branch_kato))]


def links_of(row: AwardNomination) -> list[str]:
    data = json.loads(row.links or "[]")
    return [str(x) for x in data]


def certified(session: Session, actor: Actor, nomination_id: str) -> AwardNomination:
    """An approved nomination (its certificate may be printed by whoever may read it)."""
    row = get(session, actor, nomination_id)
    if row.status != "approved":
        raise StateError(f"nomination {row.id} is {row.status}: only an approved nomination has a certificate")
    return row


def certificate_pdf(row: AwardNomination, lang: str) -> bytes:
    """The certificate of an approved nomination in ``lang`` (kk or ru): :mod:`tandau.io.award_pdf`."""
    from tandau.io.award_pdf import Certificate, render_certificate

    if row.status != "approved":
        raise StateError(f"nomination {row.id} is {row.status}: only an approved nomination has a certificate")
    decided = row.reviewed_at.date() if row.reviewed_at is not None else row.nominated_at.date()
    return render_certificate(Certificate(row.id, row.member_name, row.award, row.branch_kato, row.activity,
                                          decided), lang)
