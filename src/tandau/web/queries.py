"""Read-only queries behind the pages and the API (lists and lookups; every decision stays in the services).

The bulletin board of a published contest is served from ``bulletin_dir`` when the file there matches the
stored SHA-256, and otherwise rebuilt from the database with the counting engine and checked against that
hash, so an app process needs no shared disk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.services.primaries import publish
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.nominations import CandidateView, candidates
from tandau.store.models import Contest, Member, Nomination, Publication

_BULLETIN_CACHE: dict[str, bytes] = {}


def all_contests(session: Session, *, statuses: Sequence[str] | None = None) -> list[Contest]:
    query = select(Contest).order_by(Contest.cycle_id, Contest.kato.is_(None).desc(), Contest.kato, Contest.id)
    if statuses is not None:
        query = query.where(Contest.status.in_(list(statuses)))
    return list(session.scalars(query))


def manageable_contests(session: Session, actor: Actor) -> list[Contest]:
    """Contests whose turnout or nominations ``actor`` may see or manage (policy of ``access``)."""
    return [
        c for c in all_contests(session)
        if is_allowed(actor, Action.TURNOUT_VIEW, c.kato) or is_allowed(actor, Action.NOMINATION_REGISTER, c.kato)
    ]


@dataclass(frozen=True, slots=True)
class NominationRow:
    member_id: str
    name: str
    sex: str
    nominated_by: str
    organisation: str | None
    status: str
    reason: str | None
    position: int


def nominations_of(session: Session, contest_id: str) -> list[NominationRow]:
    rows = session.execute(
        select(Nomination, Member)
        .join(Member, Member.id == Nomination.member_id)
        .where(Nomination.contest_id == contest_id)
        .order_by(Nomination.position)
    ).all()
    return [
        NominationRow(m.id, m.name, m.sex, n.nominated_by, n.organisation, n.status, n.reason, n.position)
        for n, m in rows
    ]


def ballot_candidates(session: Session, contest_id: str) -> tuple[Contest, list[CandidateView]]:
    contest = get_contest(session, contest_id)
    return contest, candidates(session, contest_id)


def names(session: Session, contest_id: str) -> dict[str, str]:
    """Candidate id -> name for every nomination of the contest (withdrawn ones too, for old rankings)."""
    rows = session.execute(
        select(Member.id, Member.name).join(Nomination, Nomination.member_id == Member.id)
        .where(Nomination.contest_id == contest_id)
    ).all()
    return dict(rows)


def bulletin_bytes(session: Session, contest_id: str, bulletin_dir: Path) -> bytes:
    """The published bulletin-board file of a contest, byte for byte as published (hash checked)."""
    contest = get_contest(session, contest_id)
    pub = session.get(Publication, contest_id)
    if contest.status != "published" or pub is None:
        raise StateError(f"contest {contest_id!r} is not published yet")
    cached = _BULLETIN_CACHE.get(pub.bulletin_sha256)
    if cached is not None:
        return cached
    path = bulletin_dir / f"{contest_id}.jsonl"
    data = path.read_bytes() if path.is_file() else b""
    if hashlib.sha256(data).hexdigest() != pub.bulletin_sha256:
        seed = json.loads(pub.result_json).get("seed")
        result = publish.count_contest(session, contest_id, seed=seed)
        data = ("\n".join(result.lines) + "\n").encode("utf-8")
        if hashlib.sha256(data).hexdigest() != pub.bulletin_sha256:
            raise NotFoundError("bulletin board matching the published hash for contest", contest_id)
    _BULLETIN_CACHE[pub.bulletin_sha256] = data
    return data


def bulletin_header(session: Session, contest_id: str, bulletin_dir: Path) -> dict[str, Any]:
    first = bulletin_bytes(session, contest_id, bulletin_dir).split(b"\n", 1)[0]
    header: dict[str, Any] = json.loads(first)
    return header
