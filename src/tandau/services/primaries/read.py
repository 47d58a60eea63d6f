"""Read models behind the pages and the JSON API: contest lists scoped to the reader, candidates as the public
sees them, nominations as staff see them, published results and the bulletin board.

Routers call these and format; they decide nothing. Two rules of issue 10 live here:

- **Drafts are staff's business.** A draft contest is shown only to whoever ``access.POLICY`` lets view it
  (``Action.CONTEST_VIEW_DRAFT``: the central office and observers everywhere, a secretary inside their
  territory); to anyone else it does not exist (:class:`NotFoundError`, answered 404).
- **Candidates' privacy.** The public (and members) see a candidate's name, territory, sex and whether they
  are under 29 and under 35 on election day (:class:`PublicCandidate`), identified by the nomination's random
  id (:func:`tandau.services.primaries.nominations.public_ids`), never their birth date or member id.

The bulletin board of a published contest is served from the file store (:mod:`tandau.store.files`: the
database or the S3 bucket, where publication put it), so every app process serves the same bytes. One
published before the store existed is taken from ``legacy_dir`` (the old ``TANDAU_BULLETIN_DIR``) when the file
there matches the published SHA-256, or else rebuilt from the database with the counting engine and checked
against that hash, and then stored, once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.services.primaries import publish
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.nominations import candidates, public_ids
from tandau.store.files import FileInfo, FileStore, default_store
from tandau.store.models import Contest, Cycle, Member, Nomination, Publication

YOUTH_FLAGS = (29, 35)  # the ages the party's quotas speak of (under 29: youth wing; under 35: list quota)


# ---- contests ---------------------------------------------------------------------------------------------------


def all_contests(session: Session, *, statuses: Sequence[str] | None = None) -> list[Contest]:
    """Every contest (of ``statuses``), by cycle, the national list first, then by territory: unscoped, for
    callers that filter themselves."""
    query = select(Contest).order_by(Contest.cycle_id, Contest.kato.is_(None).desc(), Contest.kato, Contest.id)
    if statuses is not None:
        query = query.where(Contest.status.in_(list(statuses)))
    return list(session.scalars(query))


def may_see(actor: Actor | None, contest: Contest) -> bool:
    """Whether ``actor`` (None: nobody signed in) may know of ``contest``: any contest past its draft, a
    draft only by ``Action.CONTEST_VIEW_DRAFT``."""
    if contest.status != "draft":
        return True
    return actor is not None and is_allowed(actor, Action.CONTEST_VIEW_DRAFT, contest.kato)


def visible_contests(session: Session, actor: Actor | None, *, statuses: Sequence[str] | None = None) -> list[Contest]:
    """The contests ``actor`` may know of (drafts only for staff of their territory), of ``statuses``."""
    return [c for c in all_contests(session, statuses=statuses) if may_see(actor, c)]


def visible_contest(session: Session, actor: Actor | None, contest_id: str) -> Contest:
    """The contest if ``actor`` may know of it; :class:`NotFoundError` otherwise (a draft of another
    territory is answered exactly as a contest that does not exist)."""
    contest = get_contest(session, contest_id)
    if not may_see(actor, contest):
        raise NotFoundError("contest", contest_id)
    return contest


def manageable_contests(session: Session, actor: Actor) -> list[Contest]:
    """Contests whose turnout or nominations ``actor`` may see or manage (policy of ``access``)."""
    return [
        c for c in all_contests(session)
        if is_allowed(actor, Action.TURNOUT_VIEW, c.kato) or is_allowed(actor, Action.NOMINATION_REGISTER, c.kato)
    ]


def manageable_page(session: Session, actor: Actor, offset: int = 0, limit: int = 200) -> tuple[list[Contest], int]:
    """At most ``limit`` of :func:`manageable_contests` from ``offset``, and how many there are (the secretariat's
    page: 3,148 contests at the national size)."""
    rows = manageable_contests(session, actor)
    offset = max(0, offset)
    return rows[offset:offset + limit], len(rows)


# ---- candidates as the public sees them -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicCandidate:
    """A registered candidate as the public and members see them: what the party's rules need, nothing more.

    ``id`` is the nomination's random id (per contest), not the member id; ``territory`` the KATO code of
    residence; ``under_29`` / ``under_35`` are measured on the cycle's election day (None without one).
    """

    id: str
    name: str
    territory: str
    sex: str
    under_29: bool | None
    under_35: bool | None
    position: int


def election_date(session: Session, contest: Contest) -> date | None:
    cycle = session.get(Cycle, contest.cycle_id)
    return None if cycle is None else cycle.election_date


def _under(birth: date, day: date | None, years: int) -> bool | None:
    return None if day is None else age_on(birth, day) < years


def public_candidates(session: Session, contest: Contest) -> list[PublicCandidate]:
    """The registered candidates of ``contest`` in nomination order, as :class:`PublicCandidate`."""
    day = election_date(session, contest)
    ids = public_ids(session, contest.id)
    kato = dict(session.execute(
        select(Member.id, Member.kato).join(Nomination, Nomination.member_id == Member.id)
        .where(Nomination.contest_id == contest.id)
    ).all())
    young, younger = YOUTH_FLAGS
    return [
        PublicCandidate(ids[c.id], c.name, kato[c.id], c.sex, _under(c.birth_date, day, young),
                        _under(c.birth_date, day, younger), c.position)
        for c in candidates(session, contest.id)
    ]


def contest_with_candidates(
    session: Session, actor: Actor | None, contest_id: str
) -> tuple[Contest, list[PublicCandidate]]:
    """A contest ``actor`` may know of and its candidates as the public sees them (404 for a hidden draft)."""
    contest = visible_contest(session, actor, contest_id)
    return contest, public_candidates(session, contest)


def candidate_names(session: Session, contest_id: str) -> dict[str, str]:
    """Public candidate id -> name for every nomination of the contest (withdrawn ones too, for old rankings)."""
    rows = session.execute(
        select(Nomination.id, Member.name).join(Member, Member.id == Nomination.member_id)
        .where(Nomination.contest_id == contest_id)
    ).all()
    return dict(rows)


# ---- published results ----------------------------------------------------------------------------------------


def _public_id_list(ids: Any, mapping: Mapping[str, str]) -> list[str]:
    return [mapping.get(str(i), str(i)) for i in ids or ()]


def public_result(session: Session, actor: Actor | None, contest_id: str) -> dict[str, Any]:
    """The published result of a contest with every candidate named by their public id (``elected``,
    ``ranking``, ``women``, ``youth``, ``marks``, ``ties``) and ``names`` (public id -> name);
    :class:`NotFoundError` before publication."""
    visible_contest(session, actor, contest_id)
    result = publish.published_result(session, contest_id)
    if result is None:
        raise NotFoundError("published result of contest", contest_id)
    mapping = public_ids(session, contest_id)
    out = dict(result)
    for key in ("elected", "ranking", "women", "youth"):
        out[key] = _public_id_list(result.get(key), mapping)
    if "marks" in result:  # stored keyed by member id, like the lists above
        out["marks"] = {mapping.get(str(k), str(k)): v for k, v in result["marks"].items()}
    out["ties"] = [
        {**t, "tied": _public_id_list(t.get("tied"), mapping),
         "chosen": t.get("chosen") if t.get("chosen") is None else mapping.get(str(t["chosen"]), str(t["chosen"]))}
        for t in result.get("ties") or ()
    ]
    out["names"] = candidate_names(session, contest_id)
    return out


def public_counts(counts: Mapping[str, Any], session: Session, contest_id: str) -> dict[str, Any]:
    """Votes per candidate (from the bulletin's declared result) keyed by public id."""
    mapping = public_ids(session, contest_id)
    return {mapping.get(k, k): v for k, v in counts.items()}


def bulletin_file(session: Session, contest_id: str, *, store: FileStore | None = None,
                  legacy_dir: Path | None = None) -> FileInfo:
    """The stored bulletin board of a published contest (stored now, from ``legacy_dir`` or a recount, when it
    was published before the file store existed); :class:`NotFoundError` when no bytes match the published hash."""
    files = store or default_store()
    contest = get_contest(session, contest_id)
    pub = session.get(Publication, contest_id)
    if contest.status != "published" or pub is None:
        raise StateError(f"contest {contest_id!r} is not published yet")
    key = publish.bulletin_key(contest_id)
    info = files.info(session, key)
    if info is None:
        path = None if legacy_dir is None else legacy_dir / f"{contest_id}.jsonl"
        data = path.read_bytes() if path is not None and path.is_file() else b""
        if hashlib.sha256(data).hexdigest() != pub.bulletin_sha256:
            result = publish.recount_published(session, contest_id)
            data = ("\n".join(result.lines) + "\n").encode("utf-8")
        if hashlib.sha256(data).hexdigest() != pub.bulletin_sha256:
            raise NotFoundError("bulletin board matching the published hash for contest", contest_id)
        try:
            info = files.put(session, key, data, content_type=publish.BULLETIN_TYPE, owner_kind="contest",
                             owner_id=contest_id, now=pub.published_at)
            session.commit()
        except IntegrityError:  # another process stored it first: the same bytes (the hash says so)
            session.rollback()
            info = files.info(session, key)
    if info is None or info.sha256 != pub.bulletin_sha256:
        raise NotFoundError("bulletin board matching the published hash for contest", contest_id)
    return info


def bulletin_bytes(session: Session, contest_id: str, *, store: FileStore | None = None,
                   legacy_dir: Path | None = None) -> bytes:
    """The published bulletin-board file of a contest, whole, byte for byte as published (hash checked)."""
    files = store or default_store()
    return files.read(session, bulletin_file(session, contest_id, store=files, legacy_dir=legacy_dir).key)


def bulletin_header(session: Session, contest_id: str, *, store: FileStore | None = None,
                    legacy_dir: Path | None = None) -> dict[str, Any]:
    """The header line of the published bulletin board, read chunk by chunk up to its end (not the ballots)."""
    files = store or default_store()
    info = bulletin_file(session, contest_id, store=files, legacy_dir=legacy_dir)
    first = b""
    for chunk in files.chunks(session, info):
        first += chunk
        if b"\n" in chunk:
            break
    header: dict[str, Any] = json.loads(first.split(b"\n", 1)[0])
    return header


# ---- nominations as staff see them ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NominationRow:
    """A nomination on the secretaries' pages and the staff API (member id included: staff manage by it)."""

    member_id: str
    name: str
    sex: str
    nominated_by: str
    organisation: str | None
    status: str
    reason: str | None
    position: int


def nominations_of(session: Session, contest_id: str) -> list[NominationRow]:
    """Every nomination of the contest in nomination order (callers check the reader may manage it)."""
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
