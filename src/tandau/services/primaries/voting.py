"""Casting ballots: one per member per contest, secret, with a tracking code; turnout.

The participation row (member, contest, day, number of ballots cast) and the ballot are inserted in the same
transaction; the participation primary key makes a second ballot impossible even when two submissions race
(the loser's transaction rolls back whole), unless the contest allows re-voting. The ballot is sealed to the
contest's election key on arrival (:mod:`tandau.services.primaries.sealing`), so that whoever reads the
database, its write-ahead log or a backup, without the key, learns nothing that links a member to a
selection; decryption strips the identities and shuffles (:mod:`tandau.services.primaries.keys`). Contests
opened before sealed ballots existed finish under the plain scheme (anonymous rows, resealed at close).
Logs name the contest only.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.tally.tracking import new_tracking_code
from tandau.errors import InputError
from tandau.services.operations.events import ballot_accepted
from tandau.services.primaries import sealing
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.ballot_fast import translate
from tandau.services.primaries.contests import accepting_ballots, get_contest, utcnow
from tandau.services.primaries.errors import AlreadyVotedError, NotEligibleError, NotFoundError, StateError
from tandau.services.primaries.kato import covers, kato_prefix
from tandau.services.primaries.nominations import member_ids
from tandau.store.models import (
    Ballot,
    Contest,
    ElectionKey,
    Member,
    MemberDistrict,
    Nomination,
    Participation,
    SealedBallot,
)

log = logging.getLogger(__name__)
_SYSTEM_RNG = random.SystemRandom()


def server_time() -> datetime:
    """Server time as this module sees it (``utcnow``; tests freeze it here)."""
    return utcnow()


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the voter gets back: the contest and the ballot's tracking code (never stored with the member)."""

    contest_id: str
    tracker: str


@dataclass(frozen=True, slots=True)
class VoterContest:
    """A contest as one member sees it."""

    contest: Contest
    has_voted: bool
    accepting: bool


def _active_member(session: Session, member_id: str) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.status != "active":
        raise NotEligibleError(member_id, "voting", ["not an active member on the roll"])
    return member


def contests_for_member(
    session: Session, member_id: str, *, cycle_id: str | None = None, now: datetime | None = None
) -> list[VoterContest]:
    """The contests whose territory contains the member's and that opened after the member joined the roll:
    district or city council, regional council, national list (draft contests are not shown)."""
    member = _active_member(session, member_id)
    moment = now or utcnow()
    query = select(Contest).where(Contest.status != "draft")
    if cycle_id is not None:
        query = query.where(Contest.cycle_id == cycle_id)
    districts = set(session.scalars(select(MemberDistrict.district_id).where(MemberDistrict.member_id == member_id)))
    contests = [c for c in session.scalars(query)
                if covers(c.kato, member.kato) and member.on_roll_since <= c.opens_at
                and (not c.district_id or c.district_id in districts)]
    voted = set(session.scalars(select(Participation.contest_id).where(Participation.member_id == member_id)))
    contests.sort(key=lambda c: (c.kato is None, -len(kato_prefix(c.kato)) if c.kato else 0, c.id))
    return [VoterContest(c, c.id in voted, accepting_ballots(c, moment)) for c in contests]


def check_selection(
    ballot_form: str, max_marks: int | None, valid_ids: Sequence[str], selection: Sequence[str]
) -> list[str]:
    """The selection as stored: approval marks sorted, ranking kept in order; InputError when invalid.

    >>> check_selection("approval", 2, ["a", "b", "c"], ["c", "a"]), check_selection("ranked", None, "abc", "ca")
    (['a', 'c'], ['c', 'a'])
    """
    chosen = [str(s) for s in selection]
    valid = set(valid_ids)
    unknown = [c for c in chosen if c not in valid]
    if unknown:
        raise InputError(f"not a candidate in this contest: {', '.join(unknown)}", parameter="selection")
    if len(set(chosen)) != len(chosen):
        raise InputError("a candidate appears twice on the ballot", parameter="selection")
    if not chosen:
        raise InputError("the ballot is empty; choose at least one candidate", parameter="selection")
    if ballot_form == "approval":
        if max_marks is not None and len(chosen) > max_marks:
            raise InputError(f"at most {max_marks} marks, got {len(chosen)}", parameter="selection")
        return sorted(chosen)
    return chosen


def registered_ids(session: Session, contest_id: str) -> list[str]:
    """Member ids of the registered candidates of a contest, in nomination order (one column, no ORM rows:
    this is read on every ballot of the reference path)."""
    return list(session.scalars(
        select(Nomination.member_id)
        .where(Nomination.contest_id == contest_id, Nomination.status == "registered")
        .order_by(Nomination.position)
    ))


def validate_selection(contest: Contest, valid_ids: Sequence[str], selection: Sequence[str]) -> list[str]:
    """The selection as stored for ``contest`` (see :func:`check_selection`)."""
    return check_selection(contest.ballot_form, contest.max_marks, valid_ids, selection)


def cast_ballot(
    session: Session,
    actor: Actor,
    contest_id: str,
    selection: Sequence[str],
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
    idempotency_key: str | None = None,
) -> Receipt:
    """Cast the signed-in member's ballot; returns the tracking code.

    In a sealed contest (opened with an election key) the tracking code and selection are sealed on arrival
    (:mod:`tandau.services.primaries.sealing`); with re-voting on, a later ballot replaces the earlier one.
    A submission retried with the same ``idempotency_key`` gets the first one's receipt and replaces nothing.
    Two ballots of one member racing in a re-voting contest are both taken, one after the other.
    """
    require(actor, Action.BALLOT_CAST, None, subject=actor.subject_id)
    for _attempt in range(RACE_RETRIES):
        try:
            return _cast_once(session, actor, contest_id, selection, now=now, rng=rng,
                              idempotency_key=idempotency_key)
        except _RevoteRaced:
            continue
    raise AlreadyVotedError(contest_id)


RACE_RETRIES = 3


class _RevoteRaced(Exception):
    """Another ballot of the same member was written first in a re-voting contest: try again."""


def _cast_once(
    session: Session, actor: Actor, contest_id: str, selection: Sequence[str], *, now: datetime | None,
    rng: random.Random | None, idempotency_key: str | None,
) -> Receipt:
    revoting = False
    try:
        member = _active_member(session, actor.subject_id)
        # FOR SHARE: a concurrent close (an UPDATE of this row) waits for this ballot, or this ballot for it
        contest = session.get(Contest, contest_id, with_for_update={"read": True})
        if contest is None:
            raise NotFoundError("contest", contest_id)
        check_eligible(session, member, contest)
        moment = now or utcnow()
        if not accepting_ballots(contest, moment):
            raise StateError(f"contest {contest_id!r} is not accepting ballots now")
        if contest.key_id is not None and idempotency_key is not None:
            replayed = _replayed(session, contest_id, member.id, idempotency_key)
            if replayed is not None:
                session.rollback()
                return replayed
        revoting = bool(contest.revote) and contest.key_id is not None
        # re-voting: the member's row is locked, so a second ballot of theirs waits and takes the next number
        voted = session.get(Participation, (member.id, contest_id), with_for_update=revoting or None)
        if voted is not None and not revoting:
            raise AlreadyVotedError(contest_id)
        registered = registered_ids(session, contest_id)
        stored = validate_selection(contest, registered, translate(member_ids(session, contest_id), selection))
        tracker = new_tracking_code(rng or _SYSTEM_RNG)
        if voted is None:
            session.add(Participation(member_id=member.id, contest_id=contest_id, voted_on=moment.date(), casts=1))
            cast_no = 1
        else:
            voted.casts += 1
            voted.voted_on = moment.date()
            cast_no = voted.casts
        if contest.key_id is None:  # opened before sealed ballots existed: finishes under the plain scheme
            session.add(Ballot(id=secrets.token_hex(16), contest_id=contest_id, tracker=tracker,
                               selection=json.dumps(stored, ensure_ascii=False)))
        else:
            session.add(_sealed_row(session, contest, member.id, cast_no, tracker, stored, registered,
                                    idempotency_key))
        session.commit()
    except IntegrityError:
        session.rollback()
        if idempotency_key is not None:  # the same submission raced itself: the first one's receipt
            replayed = _replayed(session, contest_id, actor.subject_id, idempotency_key)
            session.rollback()
            if replayed is not None:
                return replayed
        if revoting:  # the member's other ballot was written first: this one follows it
            raise _RevoteRaced() from None
        # the only constraint a valid ballot can hit is the participation key: a concurrent submission won
        raise AlreadyVotedError(contest_id) from None
    except Exception:
        session.rollback()
        raise
    ballot_accepted("reference")  # counted by the metrics; no member, selection or code
    return Receipt(contest_id, tracker)


def check_eligible(session: Session, member: Member, contest: Contest) -> None:
    """NotEligibleError unless ``member`` may vote in ``contest``: the contest covers the member's territory,
    a district contest is the member's district, and the member was on the roll when voting opened (the ballot
    paths' SQL states the same conditions; ``tests/integration/primaries/test_primaries_ballot_paths.py`` runs
    every case through all of them)."""
    if not covers(contest.kato, member.kato):
        raise NotEligibleError(member.id, f"contest {contest.id!r}", ["the contest is not for your territory"])
    if contest.district_id:
        assigned = session.get(MemberDistrict, (member.id, contest.council_id))
        if assigned is None or assigned.district_id != contest.district_id:
            raise NotEligibleError(member.id, f"contest {contest.id!r}", ["the contest is not for your district"])
    if member.on_roll_since > contest.opens_at:
        raise NotEligibleError(member.id, f"contest {contest.id!r}", ["you joined the roll after voting opened"])


def _replayed(session: Session, contest_id: str, member_id: str, idempotency_key: str) -> Receipt | None:
    row = session.scalar(select(SealedBallot.idem_box).where(
        SealedBallot.contest_id == contest_id, SealedBallot.member_id == member_id,
        SealedBallot.idem_hash == sealing.idempotency_hash(idempotency_key, member_id, contest_id)))
    if row is None:
        return None
    return Receipt(contest_id, sealing.receipt_again(idempotency_key, member_id, contest_id, bytes(row)))


def _sealed_row(
    session: Session, contest: Contest, member_id: str, cast_no: int, tracker: str, stored: list[str],
    registered: Sequence[str], idempotency_key: str | None,
) -> SealedBallot:
    key = session.get(ElectionKey, contest.key_id)
    if key is None:
        raise StateError(f"the election key of contest {contest.id!r} is missing")
    box = sealing.seal(bytes.fromhex(key.public_key), tracker, stored,
                       sealing.padded_length(registered, contest.max_marks))
    idem_hash = idem_box = None
    if idempotency_key is not None:
        idem_hash, idem_box = sealing.idempotency(idempotency_key, member_id, contest.id, tracker)
    return SealedBallot(contest_id=contest.id, member_id=member_id, cast_no=cast_no, box=box,
                        idem_hash=idem_hash, idem_box=idem_box)


@dataclass(frozen=True, slots=True)
class Turnout:
    """Members who voted / members entitled, overall and by territory (KATO of residence)."""

    contest_id: str
    voted: int
    eligible: int
    by_territory: tuple[tuple[str, int, int], ...]


def turnout(session: Session, actor: Actor, contest_id: str) -> Turnout:
    """Turnout of a contest by territory of residence (for secretaries while voting runs)."""
    contest = get_contest(session, contest_id)
    require(actor, Action.TURNOUT_VIEW, contest.kato)
    members = select(Member.kato, func.count()).where(Member.status == "active",
                                                      Member.on_roll_since <= contest.opens_at)
    if contest.district_id:
        members = members.join(MemberDistrict, MemberDistrict.member_id == Member.id).where(
            MemberDistrict.district_id == contest.district_id)
    voters = (select(Member.kato, func.count()).join(Participation, Participation.member_id == Member.id)
              .where(Participation.contest_id == contest_id))
    if contest.kato is not None:
        # a member's KATO code is 9 digits (the roll import checks it): the territory's members are a range of the
        # covering index on (kato, status, on_roll_since, id) (migration 0020), read without the table; LIKE
        # 'prefix%' cannot use an index under PostgreSQL's non-C collations and read the whole roll. Voters are
        # counted where they live, inside the contest's territory, as the eligible are.
        prefix = kato_prefix(contest.kato)
        inside = Member.kato.between(prefix.ljust(9, "0"), prefix.ljust(9, "9"))
        members, voters = members.where(inside), voters.where(inside)
    eligible = dict(session.execute(members.group_by(Member.kato)).all())
    voted = dict(session.execute(voters.group_by(Member.kato)).all())
    rows = tuple((k, voted.get(k, 0), eligible.get(k, 0)) for k in sorted(set(eligible) | set(voted)))
    session.rollback()
    return Turnout(contest_id, sum(voted.values()), sum(eligible.values()), rows)
