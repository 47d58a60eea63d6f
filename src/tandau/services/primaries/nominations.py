"""Nominations with eligibility checks; withdrawals and disqualifications with reasons.

Default eligibility (:data:`DEFAULT_RULES`, configurable per call):

- minimum age on election day by council level: 25 for the Majilis (national list), 20 for maslikhats
  (Constitution of the Republic of Kazakhstan, Art. 51(4) and Art. 86; age in completed years,
  :func:`tandau.core.candidates.age_on`);
- residence: the candidate lives in the council's territory (KATO prefix), not required for the national list;
- membership: the candidate is on the roll with status ``active``.

A nomination is made by a primary organisation (``organisation``) or by the member (``self``). Nominations
are registered while the contest is a draft. Withdrawals and disqualifications need a reason; while the
contest is a draft they follow ``access.POLICY``; from opening the nominations are frozen (issue 10): while
it is open only the central office may withdraw or disqualify (``Action.NOMINATION_CHANGE_FROZEN``), each
audited with the nomination before and after; after close (closed or published) nobody may. A candidate who
is no longer registered is left out of the count and of the published bulletin.

Public views identify a candidate by the nomination's random id, never by the member id
(:func:`public_ids`, :func:`member_ids`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Table, read_table, text_of
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import (
    FrozenError,
    ImportRejectedError,
    NotEligibleError,
    NotFoundError,
    StateError,
)
from tandau.services.primaries.kato import covers
from tandau.services.primaries.problems import Problem, located, problem
from tandau.store.models import Contest, Cycle, Member, Nomination

NOMINATORS = ("self", "organisation")
COLUMNS = ("contest", "member", "nominated_by")
CONTEST_COLUMNS = ("member", "nominated_by")  # an import into one named contest
MAX_TEXT = 200  # organisation and (joined) tags columns of the nominations table


@dataclass(frozen=True, slots=True)
class EligibilityRules:
    """Who may stand. ``min_age`` maps a council level to the minimum age on election day."""

    min_age: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({"national": 25, "regional": 20, "city": 20, "district": 20})
    )
    require_residence: bool = True
    require_active_membership: bool = True


DEFAULT_RULES = EligibilityRules()


def eligibility_problems(
    member: Member, contest: Contest, election_date: date | None, rules: EligibilityRules = DEFAULT_RULES
) -> list[Problem]:
    """Every rule ``member`` fails for ``contest`` (empty: eligible), each with its code
    (:mod:`~tandau.services.primaries.problems`)."""
    problems: list[Problem] = []
    minimum = rules.min_age.get(contest.level)
    if minimum is not None:
        if election_date is None:
            problems.append(problem("age_unknown", "the cycle has no election date, so age cannot be checked"))
        elif (age := age_on(member.birth_date, election_date)) < minimum:
            day = election_date.isoformat()
            text = f"age {age} on election day {day} is under {minimum}"
            problems.append(problem("age_under", text, age=age, date=day, minimum=minimum))
    if rules.require_residence and not covers(contest.kato, member.kato):
        text = f"lives in {member.kato}, outside the council's territory {contest.kato}"
        problems.append(problem("residence", text, territory=member.kato, council_territory=str(contest.kato)))
    if rules.require_active_membership and member.status != "active":
        text = f"membership is {member.status}, not active"
        problems.append(problem("membership_inactive", text, status=member.status))
    return problems


_CHUNK = 500  # ids per IN (...) query


def _election_date(session: Session, contest: Contest) -> date | None:
    cycle = session.get(Cycle, contest.cycle_id)
    return None if cycle is None else cycle.election_date


def _next_position(session: Session, contest_id: str) -> int:
    current = session.scalar(select(func.max(Nomination.position)).where(Nomination.contest_id == contest_id))
    return (current or 0) + 1


@dataclass(frozen=True, slots=True)
class NominationRequest:
    contest_id: str
    member_id: str
    nominated_by: str = "self"
    organisation: str | None = None
    tags: tuple[str, ...] = ()


def _check_request(
    session: Session, actor: Actor, req: NominationRequest, rules: EligibilityRules,
    nominated: set[tuple[str, str]] | None = None,
) -> tuple[list[tuple[str, Problem]], Contest | None]:
    """Problems as (column, problem) pairs; the contest when found. ``nominated``: the (contest, member) pairs
    already stored, when the caller read them at once (an import), else each is queried."""
    problems: list[tuple[str, Problem]] = []
    cid, mid = req.contest_id, req.member_id
    contest = session.get(Contest, cid)
    if contest is None:
        return [("contest", problem("contest_unknown", f"no contest {cid!r}", contest=cid))], None
    if not is_allowed(actor, Action.NOMINATION_REGISTER, contest.kato):
        text = f"contest {cid!r} is outside the territory you may manage"
        problems.append(("contest", problem("contest_outside", text, contest=cid)))
    if contest.status != "draft":
        text = f"contest {cid!r} is {contest.status}; nominations are closed"
        problems.append(("contest", problem("contest_not_draft", text, contest=cid, status=contest.status)))
    if req.nominated_by not in NOMINATORS:
        text = f"nominated_by must be self or organisation, got {req.nominated_by!r}"
        problems.append(("nominated_by", problem("nominator_invalid", text, value=req.nominated_by)))
    elif req.nominated_by == "organisation" and not req.organisation:
        unnamed = problem("organisation_missing", "name the primary organisation that nominates")
        problems.append(("organisation", unnamed))
    # the columns' width, for a single nomination (a form, the API) as for an import
    if req.organisation is not None and len(req.organisation) > MAX_TEXT:
        text = f"organisation longer than {MAX_TEXT} characters"
        problems.append(("organisation", problem("organisation_too_long", text, limit=MAX_TEXT)))
    if len(",".join(sorted(set(req.tags)))) > MAX_TEXT:
        text = f"tags longer than {MAX_TEXT} characters together"
        problems.append(("tags", problem("tags_too_long", text, limit=MAX_TEXT)))
    member = session.get(Member, mid)
    if member is None:
        problems.append(("member", problem("member_unknown", f"no member {mid!r} on the roll", member=mid)))
    else:
        problems += [
            ("member", p) for p in eligibility_problems(member, contest, _election_date(session, contest), rules)
        ]
        if nominated is not None:
            dup = (contest.id, member.id) in nominated or None
        else:
            dup = session.scalar(
                select(Nomination.id).where(Nomination.contest_id == contest.id, Nomination.member_id == member.id)
            )
        if dup is not None:
            text = f"{mid!r} is already nominated in {cid!r}"
            problems.append(("member", problem("already_nominated", text, member=mid, contest=cid)))
    return problems, contest


def _add(session: Session, req: NominationRequest, now: datetime, *, position: int | None = None,
         flush: bool = True) -> Nomination:
    nomination = Nomination(
        id=secrets.token_hex(16),
        contest_id=req.contest_id,
        member_id=req.member_id,
        nominated_by=req.nominated_by,
        organisation=req.organisation,
        tags=",".join(sorted(set(req.tags))),
        status="registered",
        reason=None,
        position=_next_position(session, req.contest_id) if position is None else position,
        created_at=now,
    )
    session.add(nomination)
    if flush:
        session.flush()
    return nomination


def register_nomination(
    session: Session, actor: Actor, req: NominationRequest, *, rules: EligibilityRules = DEFAULT_RULES
) -> Nomination:
    """Register one nomination after the eligibility checks; refuses with every failed rule."""
    problems, contest = _check_request(session, actor, req, rules)
    if contest is not None:
        require(actor, Action.NOMINATION_REGISTER, contest.kato)
    if problems:
        raise NotEligibleError(req.member_id, f"contest {req.contest_id!r}", [p for _, p in problems])
    nomination = _add(session, req, datetime.now(UTC))
    audit.append(
        session,
        actor=actor.subject_id,
        action="nomination.register",
        target=req.contest_id,
        details={"member": req.member_id, "by": req.nominated_by, "organisation": req.organisation},
    )
    session.commit()
    return nomination


def import_nominations(session: Session, actor: Actor, path: Path, *, rules: EligibilityRules = DEFAULT_RULES) -> int:
    """Import nominations (columns contest, member, nominated_by, [organisation], [tags]) all or nothing."""
    return import_nomination_table(session, actor, read_table(path, COLUMNS), rules=rules).count


@dataclass(frozen=True, slots=True)
class NominationImport:
    """What an import did (``applied``) or, for a dry run, would do."""

    file: str
    count: int
    sha256: str
    contests: tuple[str, ...]
    applied: bool = True


def import_nomination_table(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    contest_id: str | None = None,
    apply: bool = True,
    rules: EligibilityRules = DEFAULT_RULES,
) -> NominationImport:
    """Validate every row of ``table``; with ``apply``, register them all in one transaction and audit the
    import (file name, SHA-256, count), else only count them. With ``contest_id`` every row goes into that
    contest (the ``contest`` column may be left out or empty; a row naming another contest is refused), and an
    actor who may not register nominations there is refused before any row is read."""
    if contest_id is not None:
        require(actor, Action.NOMINATION_REGISTER, get_contest(session, contest_id).kato)
    errors: list[InputError] = []
    requests: list[NominationRequest] = []
    seen: dict[tuple[str, str], int] = {}
    # what the rows name, read at once (an import of every council's candidates is thousands of rows): the
    # members stay in the session (the checks' lookups by primary key), the stored nominations of those contests
    contests_named = {text_of(cells.get("contest")) or contest_id or "" for _, cells in table.rows}
    people = sorted({text_of(cells.get("member")) for _, cells in table.rows})
    held = [m for start in range(0, len(people), _CHUNK)
            for m in session.scalars(select(Member).where(Member.id.in_(people[start:start + _CHUNK])))]
    nominated = {(c, m) for c, m in session.execute(select(Nomination.contest_id, Nomination.member_id)
                                                    .where(Nomination.contest_id.in_(sorted(contests_named))))}
    for number, cells in table.rows:
        named = text_of(cells.get("contest"))
        if contest_id is not None and named and named != contest_id:
            text = f"names contest {named!r}, but this import is into {contest_id!r}"
            wrong = problem("contest_mismatch", text, named=named, contest=contest_id)
            errors.append(located(wrong, file=table.file, row=number, column="contest"))
            continue
        req = NominationRequest(
            contest_id=named or contest_id or "",
            member_id=text_of(cells.get("member")),
            nominated_by=text_of(cells.get("nominated_by")).lower(),
            organisation=text_of(cells.get("organisation")) or None,
            tags=tuple(t.strip() for t in text_of(cells.get("tags")).split(",") if t.strip()),
        )
        key = (req.contest_id, req.member_id)
        if key in seen:
            twice = problem("nomination_repeated", f"same nomination as row {seen[key]}", row=seen[key])
            errors.append(located(twice, file=table.file, row=number, column="member"))
            continue
        seen[key] = number
        problems, _ = _check_request(session, actor, req, rules, nominated)
        errors += [located(p, file=table.file, row=number, column=col) for col, p in problems]
        requests.append(req)
    if not table.rows:
        empty = problem("no_nomination_rows", "no nomination rows after the header")
        errors.append(located(empty, file=table.file, row=2))
    if errors or not apply:
        session.rollback()  # end the read transaction: nothing is written
    if errors:
        raise ImportRejectedError(errors)
    done = NominationImport(
        table.file, len(requests), table.sha256, tuple(sorted({r.contest_id for r in requests})), applied=apply
    )
    if not apply:
        return done
    now = datetime.now(UTC)
    del held
    try:
        last = dict(session.execute(select(Nomination.contest_id, func.max(Nomination.position))
                                    .where(Nomination.contest_id.in_(done.contests))
                                    .group_by(Nomination.contest_id)).all())
        for req in requests:  # positions in file order after the stored ones, as one by one; one flush
            last[req.contest_id] = position = (last.get(req.contest_id) or 0) + 1
            _add(session, req, now, position=position, flush=False)
        session.flush()
        audit.append(
            session,
            actor=actor.subject_id,
            action="nomination.import",
            target=table.file,
            details={"count": len(requests), "sha256": table.sha256, "contests": list(done.contests)},
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return done


def _find(session: Session, contest_id: str, member_id: str) -> Nomination:
    nomination = session.scalar(
        select(Nomination).where(Nomination.contest_id == contest_id, Nomination.member_id == member_id)
    )
    if nomination is None:
        raise NotFoundError("nomination", f"{member_id} in {contest_id}")
    return nomination


def _snapshot(n: Nomination) -> dict[str, object]:
    return {"status": n.status, "reason": n.reason, "tags": n.tags, "nominated_by": n.nominated_by,
            "organisation": n.organisation}


def _end(
    session: Session, actor: Actor, action: Action, status: str, contest_id: str, member_id: str, reason: str
) -> Nomination:
    contest = get_contest(session, contest_id)
    require(actor, action, contest.kato, subject=member_id)
    verb = "withdrawn" if status == "withdrawn" else "disqualified"
    if contest.status in ("closed", "published"):
        raise StateError(
            f"contest {contest_id!r} is {contest.status}: voting has closed, so a candidate can no longer be {verb} "
            "(every ballot stays as cast; if the party's rules require a removal, the count excludes the candidate "
            "openly at publication)"
        )
    frozen = contest.status == "open"
    if frozen and not is_allowed(actor, Action.NOMINATION_CHANGE_FROZEN, contest.kato):
        raise FrozenError(actor.subject_id, action.value, contest_id, contest.status, contest.kato)
    if not reason.strip():
        raise InputError("give the reason", parameter="reason")
    nomination = _find(session, contest_id, member_id)
    if nomination.status != "registered":
        raise StateError(f"the nomination of {member_id!r} is already {nomination.status}")
    before = _snapshot(nomination)
    nomination.status, nomination.reason = status, reason
    details: dict[str, object] = {"member": member_id, "reason": reason}
    if frozen:  # a change to a frozen contest: the nomination before and after, in the same entry
        details |= {"frozen": True, "contest_status": contest.status, "before": before, "after": _snapshot(nomination)}
    audit.append(
        session,
        actor=actor.subject_id,
        action=f"nomination.{status}",
        target=contest_id,
        details=details,
    )
    session.commit()
    return nomination


def withdraw(session: Session, actor: Actor, contest_id: str, member_id: str, reason: str) -> Nomination:
    """The candidate (or a secretary for them) withdraws; the reason is recorded."""
    return _end(session, actor, Action.NOMINATION_WITHDRAW, "withdrawn", contest_id, member_id, reason)


def disqualify(session: Session, actor: Actor, contest_id: str, member_id: str, reason: str) -> Nomination:
    """A secretary or central office disqualifies a candidate, with the reason."""
    return _end(session, actor, Action.NOMINATION_DISQUALIFY, "disqualified", contest_id, member_id, reason)


@dataclass(frozen=True, slots=True)
class CandidateView:
    """A registered candidate as voters and the bulletin see them."""

    id: str
    name: str
    sex: str
    birth_date: date
    tags: tuple[str, ...]
    position: int


def candidates(session: Session, contest_id: str) -> list[CandidateView]:
    """Registered candidates of a contest in nomination order (their id is the member id)."""
    rows: Sequence[tuple[Nomination, Member]] = session.execute(
        select(Nomination, Member)
        .join(Member, Member.id == Nomination.member_id)
        .where(Nomination.contest_id == contest_id, Nomination.status == "registered")
        .order_by(Nomination.position)
    ).all()
    return [
        CandidateView(m.id, m.name, m.sex, m.birth_date, tuple(t for t in n.tags.split(",") if t), n.position)
        for n, m in rows
    ]


def public_ids(session: Session, contest_id: str) -> dict[str, str]:
    """Member id -> the candidate's public id in ``contest_id`` (the nomination's random id), for every
    nomination of the contest, withdrawn and disqualified ones too (old rankings name them). Public pages, the
    public API and (bulletin format 2) the bulletin show these, never member ids."""
    rows = session.execute(
        select(Nomination.member_id, Nomination.id).where(Nomination.contest_id == contest_id)
    ).all()
    return dict(rows)


def member_ids(session: Session, contest_id: str) -> dict[str, str]:
    """The inverse of :func:`public_ids`: a candidate's public id in ``contest_id`` -> member id."""
    return {public: member for member, public in public_ids(session, contest_id).items()}
