"""Counting a closed contest, publishing its result and its bulletin-board file, checking tracking codes.

The bulletin board is JSON Lines (format ``tandau-bulletin/1``): a header line (contest, rule, seats,
max_marks, candidates, election_date, ballot_count, declared result), then one line per ballot with its
tracking code and its marks (approval) or ranking (ranked), sorted by tracking code so the order reveals
nothing. ``tandau verify`` recounts it. Marks for a candidate withdrawn or disqualified after voting opened
are dropped before counting and publishing (the candidate is no longer on the ballot), and the header lists
registered candidates only. Results add the women's and the youth (under 35 on election day) rankings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.candidates import age_on
from tandau.core.tally.ballots import ApprovalProfile, Contestant, RankedProfile
from tandau.core.tally.registry import count
from tandau.core.tally.result import TallyResult
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.contests import ballot_selection, get_contest
from tandau.services.primaries.errors import StateError
from tandau.services.primaries.nominations import CandidateView, candidates
from tandau.store.models import Ballot, Contest, Cycle, Publication

BULLETIN_FORMAT = "tandau-bulletin/1"
YOUTH_UNDER = 35


@dataclass(frozen=True, slots=True)
class ContestResult:
    """A counted contest: the engine's result (with its trace), the overall, women and youth rankings."""

    contest_id: str
    tally: TallyResult
    women: tuple[str, ...]
    youth: tuple[str, ...]
    lines: tuple[str, ...]

    @property
    def elected(self) -> tuple[str, ...]:
        return self.tally.elected


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _ballots(session: Session, contest: Contest, valid: set[str]) -> list[tuple[str, list[str]]]:
    rows = session.execute(
        select(Ballot.tracker, Ballot.selection).where(Ballot.contest_id == contest.id).order_by(Ballot.tracker)
    ).all()
    return [(t, [c for c in ballot_selection(s) if c in valid]) for t, s in rows]


def count_contest(session: Session, contest_id: str, *, seed: int | None = None) -> ContestResult:
    """Count a closed contest with the counting engine under the contest's tie policy (``seed`` for lots)."""
    contest = get_contest(session, contest_id)
    if contest.status not in ("closed", "published"):
        raise StateError(f"contest {contest_id!r} is {contest.status}; count it after it closes")
    cands = candidates(session, contest_id)
    cycle = session.get(Cycle, contest.cycle_id)
    election_date = cycle.election_date if cycle is not None else None
    index = {c.id: i for i, c in enumerate(cands)}
    contestants = [Contestant(c.id, c.name, sex=c.sex, birth_date=c.birth_date, tags=frozenset(c.tags)) for c in cands]
    ballots = _ballots(session, contest, set(index))
    groups = [([index[c] for c in sel], 1) for _, sel in ballots]
    profile: ApprovalProfile | RankedProfile
    if contest.ballot_form == "approval":
        profile = ApprovalProfile.build(contestants, groups, max_marks=contest.max_marks, election_date=election_date)
    else:
        profile = RankedProfile.build(contestants, groups, election_date=election_date)
    tally = count(contest.rule, profile, contest.seats, tie_policy=contest.tie_policy, seed=seed)
    by_id = {c.id: c for c in cands}
    day = election_date or datetime.now(UTC).date()
    women = tuple(cid for cid in tally.ranking if by_id[cid].sex == "F")
    youth = tuple(cid for cid in tally.ranking if age_on(by_id[cid].birth_date, day) < YOUTH_UNDER)
    lines = _bulletin(contest, cands, election_date, ballots, tally)
    return ContestResult(contest_id, tally, women, youth, lines)


def _bulletin(
    contest: Contest,
    cands: list[CandidateView],
    election_date: date | None,
    ballots: list[tuple[str, list[str]]],
    tally: TallyResult,
) -> tuple[str, ...]:
    header = {
        "format": BULLETIN_FORMAT,
        "contest": {"id": contest.id, "name": contest.name},
        "rule": contest.rule,
        "seats": contest.seats,
        "max_marks": contest.max_marks,
        "candidates": [
            {"id": c.id, "name": c.name, "sex": c.sex, "birth_date": c.birth_date.isoformat(), "tags": list(c.tags)}
            for c in cands
        ],
        "election_date": None if election_date is None else election_date.isoformat(),
        "ballot_count": len(ballots),
        "declared": {
            "elected": list(tally.elected),
            "ranking": list(tally.ranking),
            "counts": None if tally.scores is None else {k: _number(v) for k, v in tally.scores.items()},
        },
    }
    key = "marks" if contest.ballot_form == "approval" else "ranking"
    dump = json.dumps
    return (
        dump(header, ensure_ascii=False),
        *(dump({"tracker": t, key: sel}, ensure_ascii=False) for t, sel in ballots),
    )


def publish_contest(
    session: Session, actor: Actor, contest_id: str, out: Path, *, seed: int | None = None
) -> ContestResult:
    """Count, write the bulletin board to ``out``, store the result, mark the contest published, audit it."""
    contest = get_contest(session, contest_id)
    require(actor, Action.CONTEST_PUBLISH, contest.kato)
    if contest.status != "closed":
        raise StateError(f"contest {contest_id!r} is {contest.status}; only a closed contest can be published")
    result = count_contest(session, contest_id, seed=seed)
    data = ("\n".join(result.lines) + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    summary: dict[str, Any] = {
        "elected": list(result.tally.elected),
        "ranking": list(result.tally.ranking),
        "women": list(result.women),
        "youth": list(result.youth),
        "ballots": result.tally.ballots,
        "tie_policy": result.tally.tie_policy,
        "seed": seed,
        "ties": [
            {"what": t.what, "tied": list(t.tied), "chosen": t.chosen, "method": t.method} for t in result.tally.ties
        ],
    }
    session.add(
        Publication(
            contest_id=contest_id,
            published_at=datetime.now(UTC),
            bulletin_sha256=digest,
            result_json=audit.canonical_json(summary),
        )
    )
    contest.status = "published"
    audit.append(
        session,
        actor=actor.subject_id,
        action="contest.publish",
        target=contest_id,
        details={"bulletin_sha256": digest, "elected": list(result.tally.elected), "seed": seed},
    )
    try:
        session.commit()
    except Exception:
        session.rollback()
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return result


def published_result(session: Session, contest_id: str) -> dict[str, Any] | None:
    """The stored result summary of a published contest (None before publication)."""
    pub = session.get(Publication, contest_id)
    if pub is None:
        return None
    value: dict[str, Any] = json.loads(pub.result_json)
    value["bulletin_sha256"] = pub.bulletin_sha256
    return value


def tracker_published(session: Session, contest_id: str, code: str) -> bool:
    """Whether tracking code ``code`` is among the contest's published ballots (False before publication)."""
    contest = get_contest(session, contest_id)
    if contest.status != "published":
        return False
    found = session.scalar(
        select(Ballot.id).where(Ballot.contest_id == contest_id, Ballot.tracker == code.strip().upper())
    )
    return found is not None
