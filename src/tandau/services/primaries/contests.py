"""Cycles, councils and contests: creation, the voting window (open, extend, close) by server time.

A contest is one council of a cycle (``council_id``) or the national list (``council_id`` None, territory the
whole country). Its rule is a counting-rule id of the counting engine; the rule fixes the ballot form:
approval (mark up to ``max_marks`` candidates) or ranked.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tandau.core.systems import DEFAULT_CYCLE_SYSTEM, get_system
from tandau.errors import InputError, UnknownIdError
from tandau.services.primaries import audit, ballot_fast
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import check_kato
from tandau.store.models import Ballot, Contest, Council, Cycle

LEVELS = ("national", "regional", "city", "district")


def ballot_form(rule: str) -> str:
    """The ballot form ("approval" or "ranked") that counting rule ``rule`` reads (counting-engine registry)."""
    from tandau.core.tally.registry import get_rule

    return get_rule(rule).ballot


def utcnow() -> datetime:
    """Server time (UTC): the only clock that opens and closes voting."""
    return datetime.now(UTC)


def _aware(moment: datetime, parameter: str) -> datetime:
    if moment.tzinfo is None:
        raise InputError("give a time with a timezone (e.g. 2025-03-01T08:00+05:00)", parameter=parameter)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59-14:00 is in the year 10000 in UTC
        raise InputError(f"{moment.isoformat()} is out of range in UTC", parameter=parameter) from None


def create_cycle(session: Session, actor: Actor, cycle_id: str, name: str, election_date: date | None, *,
                 system: str = DEFAULT_CYCLE_SYSTEM) -> Cycle:
    """Create an election cycle; ages of candidates are measured on ``election_date``.

    ``system`` is an electoral-system id (:mod:`tandau.core.systems`: ``kz-2021`` all-list, ``kz-2023`` mixed);
    the default, ``kz-2021``, is the system the list contests of this service were built for (docs/territory.md)."""
    require(actor, Action.CYCLE_CREATE, None)
    get_system(system)  # unknown ids are refused, listing the valid ones
    if session.get(Cycle, cycle_id) is not None:
        raise InputError(f"cycle {cycle_id!r} already exists", parameter="cycle_id")
    cycle = Cycle(id=cycle_id, name=name, election_date=election_date, system=system)
    session.add(cycle)
    audit.append(
        session,
        actor=actor.subject_id,
        action="cycle.create",
        target=cycle_id,
        details={"name": name, "election_date": None if election_date is None else election_date.isoformat(),
                 "system": system},
    )
    session.commit()
    return cycle


def ensure_council(session: Session, council_id: str, name: str, level: str, region: str, kato: str | None) -> Council:
    """The council ``council_id``, created if new (councils come from the territory dataset)."""
    if level not in LEVELS:
        raise UnknownIdError("council level", level, LEVELS)
    if (level == "national") != (kato is None):
        raise InputError("the national level has no KATO code; every other level needs one", parameter="kato")
    code = None if kato is None else check_kato(kato, column="kato")
    council = session.get(Council, council_id)
    if council is None:
        council = Council(id=council_id, name=name, level=level, region=region, kato=code)
        session.add(council)
        session.flush()
    return council


@dataclass(frozen=True, slots=True)
class ContestSpec:
    """What a new contest needs. ``council_id`` None means the national list."""

    id: str
    cycle_id: str
    name: str
    level: str
    region: str
    rule: str
    seats: int
    opens_at: datetime
    closes_at: datetime
    council_id: str | None = None
    kato: str | None = None
    max_marks: int | None = None
    tie_policy: str = "refuse"
    revote: bool = False
    district_id: str = ""  # a single-member district of the council (issue 11): its voters are assigned to it


def create_contest(session: Session, actor: Actor, spec: ContestSpec) -> Contest:
    """Create a contest in ``draft``; the council is registered on the way if it is new."""
    if session.get(Cycle, spec.cycle_id) is None:
        raise NotFoundError("cycle", spec.cycle_id)
    form = ballot_form(spec.rule)
    if spec.seats < 1:
        raise InputError(f"seats must be at least 1, got {spec.seats}", parameter="seats")
    max_marks = spec.max_marks
    if form == "approval":
        max_marks = 1 if spec.rule == "plurality" else (max_marks or spec.seats)
        if max_marks < 1:
            raise InputError(f"max_marks must be at least 1, got {max_marks}", parameter="max_marks")
    elif max_marks is not None:
        raise InputError("max_marks applies to approval ballots only", parameter="max_marks")
    from tandau.core.ties import CANDIDATE_TIE_POLICIES, normalise_tie_policy

    # one vocabulary (tandau.core.ties; "nomination" is an alias); "lot" draws from the seed committed at opening
    tie_policy = normalise_tie_policy(spec.tie_policy, CANDIDATE_TIE_POLICIES, parameter="--ties")
    opens, closes = _aware(spec.opens_at, "opens_at"), _aware(spec.closes_at, "closes_at")
    if closes <= opens:
        raise InputError("the voting window must close after it opens", parameter="closes_at")
    kato = None if spec.level == "national" else spec.kato
    require(actor, Action.CONTEST_CREATE, kato)
    if session.get(Contest, spec.id) is not None:
        raise InputError(f"contest {spec.id!r} already exists", parameter="id")
    taken = session.scalar(select(Contest.id).where(Contest.cycle_id == spec.cycle_id,
                                                    Contest.council_id == spec.council_id,
                                                    Contest.district_id == spec.district_id))
    if taken is not None and spec.council_id is not None:
        where = f"district {spec.district_id}" if spec.district_id else f"council {spec.council_id}"
        raise InputError(f"{where} has a contest in cycle {spec.cycle_id!r} already: {taken}", parameter="id")
    if spec.council_id is not None:
        ensure_council(session, spec.council_id, spec.name, spec.level, spec.region, kato)
    elif spec.level != "national":
        raise InputError("only the national list has no council", parameter="council_id")
    contest = Contest(
        id=spec.id,
        cycle_id=spec.cycle_id,
        council_id=spec.council_id,
        name=spec.name,
        level=spec.level,
        region=spec.region,
        kato=kato,
        rule=spec.rule,
        ballot_form=form,
        seats=spec.seats,
        max_marks=max_marks,
        opens_at=opens,
        closes_at=closes,
        status="draft",
        tie_policy=tie_policy,
        revote=spec.revote,
        district_id=spec.district_id,
    )
    session.add(contest)
    audit.append(
        session,
        actor=actor.subject_id,
        action="contest.create",
        target=spec.id,
        details={
            "rule": spec.rule,
            "seats": spec.seats,
            "max_marks": max_marks,
            "opens_at": opens.isoformat(),
            "closes_at": closes.isoformat(),
            "revote": spec.revote,
        },
    )
    session.commit()
    return contest


def get_contest(session: Session, contest_id: str) -> Contest:
    contest = session.get(Contest, contest_id)
    if contest is None:
        raise NotFoundError("contest", contest_id)
    return contest


def accepting_ballots(contest: Contest, now: datetime) -> bool:
    """Whether the contest takes ballots at server time ``now``: open, and inside its window."""
    return contest.status == "open" and contest.opens_at <= now < contest.closes_at


def open_contest(session: Session, actor: Actor, contest_id: str) -> Contest:
    """Allow voting in the contest during its window (draft -> open).

    The contest must have an election key (its own or its cycle's, made at a key ceremony): from now on its
    ballots are sealed to it. Opening also commits to the tie-break seed: a fresh 256-bit seed is sealed to
    the election key (nobody can read it before the key holders meet) and its SHA-256 is published now, in the
    audit log and on the contest, so the lot drawn at publication can be replayed and checked."""
    from tandau.services.primaries import keys, sealing

    contest = get_contest(session, contest_id)
    require(actor, Action.CONTEST_OPEN, contest.kato)
    if contest.status != "draft":
        raise StateError(f"contest {contest_id!r} is {contest.status}; only a draft can be opened")
    key = keys.key_for(session, contest)
    if key is None:
        raise StateError(f"contest {contest_id!r} has no election key; hold the key ceremony first "
                         "(tandau primaries keys ceremony)")
    seed, commitment = sealing.new_seed()
    contest.key_id = key.id
    contest.seed_box = sealing.seal_seed(bytes.fromhex(key.public_key), seed)
    contest.seed_commitment = commitment
    del seed
    contest.status = "open"
    audit.append(session, actor=actor.subject_id, action="contest.open", target=contest_id,
                 details={"key": key.id, "fingerprint": key.fingerprint, "seed_commitment": commitment})
    session.commit()
    ballot_fast.invalidate(contest_id)
    return contest


def extend_contest(
    session: Session, actor: Actor, contest_id: str, closes_at: datetime, *, reason: str, now: datetime | None = None
) -> Contest:
    """Move the closing time later (e.g. the 2020 overload); never earlier, never after closing."""
    contest = get_contest(session, contest_id)
    require(actor, Action.CONTEST_EXTEND, contest.kato)
    new_close = _aware(closes_at, "closes_at")
    if contest.status not in ("draft", "open"):
        raise StateError(f"contest {contest_id!r} is {contest.status}; it can no longer be extended")
    if new_close <= contest.closes_at:
        raise InputError(f"an extension must close later than {contest.closes_at.isoformat()}", parameter="closes_at")
    if not reason.strip():
        raise InputError("give the reason for the extension", parameter="reason")
    old = contest.closes_at
    contest.closes_at = new_close
    audit.append(
        session,
        actor=actor.subject_id,
        action="contest.extend",
        target=contest_id,
        now=now,
        details={"from": old.isoformat(), "to": new_close.isoformat(), "reason": reason},
    )
    session.commit()
    ballot_fast.invalidate(contest_id)
    return contest


def close_contest(
    session: Session, actor: Actor, contest_id: str, *, now: datetime | None = None, early: bool = False
) -> Contest:
    """Stop voting (open -> closed) once the window has passed (``early`` lets central office cut it short).

    Sealed ballots stay sealed until the key holders decrypt them (:func:`tandau.services.primaries.keys.
    decrypt_contest`). A contest opened before sealed ballots existed (no key) is resealed instead, as before:
    its ballots are deleted and re-inserted in tracking-code order in one transaction.
    """
    contest = get_contest(session, contest_id)
    require(actor, Action.CONTEST_CLOSE, contest.kato)
    moment = now or utcnow()
    if contest.status != "open":
        raise StateError(f"contest {contest_id!r} is {contest.status}; only an open contest can be closed")
    if moment < contest.closes_at and not early:
        raise StateError(f"voting in {contest_id!r} runs until {contest.closes_at.isoformat()}; it cannot close yet")
    if early:
        require(actor, Action.CYCLE_CREATE, None)  # central office only
    contest.status = "closed"
    if contest.key_id is None:
        _reseal(session, contest_id)
    audit.append(
        session, actor=actor.subject_id, action="contest.close", target=contest_id, now=moment, details={"early": early}
    )
    session.commit()
    ballot_fast.invalidate(contest_id)
    return contest


def _reseal(session: Session, contest_id: str) -> None:
    rows = session.execute(
        select(Ballot.tracker, Ballot.selection).where(Ballot.contest_id == contest_id).order_by(Ballot.tracker)
    ).all()
    session.execute(delete(Ballot).where(Ballot.contest_id == contest_id))
    if rows:
        session.execute(
            insert(Ballot),
            [{"id": secrets.token_hex(16), "contest_id": contest_id, "tracker": t, "selection": s} for t, s in rows],
        )


def ballot_selection(row_selection: str) -> list[str]:
    """The candidate ids stored in a ballot row."""
    value = json.loads(row_selection)
    return [str(v) for v in value]
