"""The lean synchronous ballot path (SQLite, or wherever the async writer is absent).

The same guarded write as :mod:`tandau.services.primaries.ballot_fast`, for a database without
data-modifying CTEs: in one transaction (on SQLite ``BEGIN IMMEDIATE``: writers queue, so the checks and
the insert see the same state), ``INSERT INTO participation ... SELECT ... WHERE <every check>``, then, only
if that inserted the row, the anonymous ballot; then commit. The contest snapshot comes from a
:class:`~tandau.services.primaries.ballot_fast.ContestCache` and is re-checked by the insert, so a stale
one only sends the caller to the reference path (:func:`tandau.services.primaries.voting.cast_ballot`).
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Date, Insert, Integer, Table, bindparam, exists, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.tally.tracking import new_tracking_code
from tandau.errors import InputError
from tandau.services.primaries.ballot_fast import ContestCache, ContestSnapshot, stored_selection
from tandau.services.primaries.errors import AlreadyVotedError
from tandau.services.primaries.kato import kato_prefix
from tandau.store.models import (
    Ballot,
    Base,
    Contest,
    ElectionKey,
    Member,
    MemberDistrict,
    Nomination,
    Participation,
    SealedBallot,
    UTCDateTime,
)

_SYSTEM_RNG = random.SystemRandom()


def snapshot(session: Session, cache: ContestCache, contest_id: str) -> ContestSnapshot | None:
    """The cached snapshot of ``contest_id``, read afresh when missing or expired."""
    cached = cache.get(contest_id)
    if cached is not None:
        return cached
    contest = session.get(Contest, contest_id)
    if contest is None:
        return None
    key = None if contest.key_id is None else session.get(ElectionKey, contest.key_id)
    rows = session.execute(select(Nomination.member_id, Nomination.id).where(
        Nomination.contest_id == contest_id, Nomination.status == "registered").order_by(Nomination.position)).all()
    snap = ContestSnapshot(contest.id, contest.kato, contest.ballot_form, contest.max_marks, contest.opens_at,
                           contest.closes_at, contest.status, tuple(m for m, _ in rows), contest.key_id,
                           None if key is None else bytes.fromhex(key.public_key), contest.revote,
                           tuple(p for _, p in rows))
    cache.put(snap)
    return snap


def _table(entity: type[Base]) -> Table:
    """The Core table of a mapped class."""
    table = entity.__table__
    assert isinstance(table, Table)
    return table


# server time as the columns store it (naive UTC): an aware value bound as is would be converted by
# PostgreSQL to the session's time zone (seen: every ballot refused on a server not set to UTC)
_NOW = bindparam("now", type_=UTCDateTime())


@cache
def _guarded_insert(whole_country: bool, unlimited: bool, sealed: bool) -> Insert:
    """``INSERT INTO participation SELECT ... WHERE <every check>``, built once (with bound parameters) for
    each shape of contest: building the expression cost more than running it."""
    registered = (
        select(func.count()).select_from(Nomination)
        .where(Nomination.contest_id == Contest.id, Nomination.status == "registered",
               Nomination.member_id.in_(bindparam("chosen", expanding=True)))
        .scalar_subquery()
    )
    guard = (
        select(Member.id, Contest.id, bindparam("day", type_=Date))
        .select_from(Member).join(Contest, Contest.id == bindparam("contest"))
        .where(Member.id == bindparam("member"), Member.status == "active",
               func.substr(Member.kato, 1, bindparam("plen", type_=Integer)) == bindparam("prefix"),
               Member.on_roll_since <= Contest.opens_at,
               or_(Contest.district_id == "", exists().where(MemberDistrict.member_id == Member.id,
                                                             MemberDistrict.district_id == Contest.district_id)),
               Contest.key_id == bindparam("key") if sealed else Contest.key_id.is_(None), Contest.revote.is_(False),
               Contest.status == "open", Contest.opens_at <= _NOW, Contest.closes_at > _NOW,
               Contest.kato.is_(None) if whole_country else Contest.kato == bindparam("kato"),
               Contest.ballot_form == bindparam("form"),
               Contest.max_marks.is_(None) if unlimited else Contest.max_marks == bindparam("max_marks"),
               registered == bindparam("n", type_=Integer))
        .with_for_update(read=True, of=Contest)
    )
    # RETURNING, not rowcount: psycopg reports -1 for this INSERT ... SELECT ... FOR SHARE (seen on PostgreSQL)
    table = _table(Participation)
    return insert(table).from_select(["member_id", "contest_id", "voted_on"], guard).returning(table.c.member_id)


# Core statements (the tables, not the mapped classes): executed with parameters, not as ORM bulk inserts
_BALLOT_INSERT = insert(_table(Ballot)).values(id=bindparam("id"), contest_id=bindparam("contest"),
                                       tracker=bindparam("tracker"), selection=bindparam("selection"))
_SEALED_INSERT = insert(_table(SealedBallot)).values(contest_id=bindparam("contest"), member_id=bindparam("member"),
                                                    cast_no=1, box=bindparam("box"))


def cast(
    session: Session, cache: ContestCache, member_id: str, contest_id: str, selection: Sequence[str], *,
    now: datetime, rng: random.Random | None = None,
) -> str | None:
    """The tracking code of the accepted ballot; None when a check failed (ask the reference path);
    AlreadyVotedError when every check passed but the member has voted."""
    try:
        snap = snapshot(session, cache, contest_id)
        session.rollback()  # the snapshot read is not part of the write transaction
        if snap is None or not snap.accepting(now) or not snap.fast:
            return None
        try:
            stored = stored_selection(snap, snap.member_selection(selection))
        except InputError:
            return None
        chosen = json.loads(stored)
        prefix = kato_prefix(snap.kato) if snap.kato is not None else ""
        params = {"member": member_id, "contest": contest_id, "day": now.date(), "now": now, "plen": len(prefix),
                  "prefix": prefix, "kato": snap.kato, "form": snap.ballot_form, "max_marks": snap.max_marks,
                  "chosen": chosen, "n": len(chosen), "key": snap.key_id}
        result = session.execute(_guarded_insert(snap.kato is None, snap.max_marks is None, snap.key_id is not None),
                                 params)
        written = len(result.all())
        if written != 1:
            session.rollback()
            return None
        tracker = new_tracking_code(rng or _SYSTEM_RNG)
        box = snap.box(tracker, chosen)
        if box is None:
            session.execute(_BALLOT_INSERT, {"id": secrets.token_hex(16), "contest": contest_id, "tracker": tracker,
                                             "selection": stored})
        else:
            session.execute(_SEALED_INSERT, {"contest": contest_id, "member": member_id, "box": box})
        session.commit()
        return tracker
    except IntegrityError:
        session.rollback()
        # the guard passed (a row was selected) and the participation key refused it: already voted
        raise AlreadyVotedError(contest_id) from None
    except Exception:
        session.rollback()
        raise
