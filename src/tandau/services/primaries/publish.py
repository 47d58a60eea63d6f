"""Counting a closed contest, publishing its result and its bulletin-board file, checking tracking codes.

The bulletin board is JSON Lines, format ``tandau-bulletin/2`` (docs/formats-ballots.md): a header line
(contest, rule, seats, max_marks, candidates under their opaque per-contest ids with name, sex and the flags
under 29 and under 35 on election day, never a birth date or a member id; the tie policy, the tie-break seed and
the commitment to it published when voting opened; the candidates excluded from the count with the reason;
the tracking codes of ballots replaced by re-voting; the declared result), then one line per counted ballot
with its tracking code and its marks (approval) or ranking (ranked) AS CAST, sorted by tracking code so the
order reveals nothing. ``tandau verify`` recounts it, leaving out the excluded candidates openly, and replays
any lot from the seed. Results add the women's and the youth (under 35 on election day) rankings.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
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
from tandau.errors import InputError, TieError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require
from tandau.services.primaries.contests import ballot_selection, get_contest
from tandau.services.primaries.errors import StateError
from tandau.services.primaries.nominations import public_ids
from tandau.store.files import FileStore, default_store
from tandau.store.models import Ballot, Contest, Cycle, Member, Nomination, Publication, ReplacedTracker

BULLETIN_TYPE = "application/x-ndjson"

BULLETIN_FORMAT = "tandau-bulletin/2"
YOUTH_UNDER = 35
YOUNG_UNDER = 29


@dataclass(frozen=True, slots=True)
class ContestResult:
    """A counted contest: the engine's result (with its trace), the overall, women and youth rankings."""

    contest_id: str
    tally: TallyResult
    women: tuple[str, ...]
    youth: tuple[str, ...]
    lines: tuple[str, ...]
    seed: int | None = None
    # marks per candidate on the counted ballots (each ballot marks a candidate once at most), excluded ones too:
    # stored with the publication so that pages read a published contest's votes without reading its ballots
    marks: dict[str, int] = field(default_factory=dict)

    @property
    def elected(self) -> tuple[str, ...]:
        return self.tally.elected


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: str
    name: str
    sex: str
    birth_date: date
    tags: tuple[str, ...]
    status: str


def _nominees(session: Session, contest_id: str) -> list[_Candidate]:
    """Every nomination of the contest in nomination order (registered, withdrawn and disqualified)."""
    rows = session.execute(
        select(Nomination, Member).join(Member, Member.id == Nomination.member_id)
        .where(Nomination.contest_id == contest_id).order_by(Nomination.position)
    ).all()
    return [_Candidate(m.id, m.name, m.sex, m.birth_date, tuple(t for t in n.tags.split(",") if t), n.status)
            for n, m in rows]


def exclusions(contest: Contest) -> dict[str, str]:
    """Candidates excluded from the count after close: member id -> reason."""
    return {str(e["candidate"]): str(e["reason"]) for e in json.loads(contest.excluded or "[]")}


def contest_seed(contest: Contest, seed: int | None = None) -> int | None:
    """The tie-break seed: the one committed when voting opened and revealed at decryption; a contest opened
    before seed commitments existed takes the seed given at publication (``seed``)."""
    if contest.seed_commitment is not None:
        if seed is not None:
            raise InputError("this contest committed to its seed when voting opened; no other seed is taken",
                             parameter="seed")
        return None if contest.seed is None else int(contest.seed, 16)
    return seed


def count_contest(
    session: Session, contest_id: str, *, seed: int | None = None, tie_policy: str | None = None
) -> ContestResult:
    """Count a closed contest under its tie policy (``tie_policy`` overrides it: a lot decided by the central
    office), leaving out the marks for candidates no longer registered or excluded after close."""
    contest = get_contest(session, contest_id)
    if contest.status not in ("closed", "published"):
        raise StateError(f"contest {contest_id!r} is {contest.status}; count it after it closes")
    if contest.key_id is not None and contest.decrypted_at is None:
        raise StateError(f"the ballots of {contest_id!r} are sealed; the key holders decrypt them first "
                         "(tandau primaries keys decrypt)")
    nominees = _nominees(session, contest_id)
    excluded = exclusions(contest)
    counted = [c for c in nominees if c.status == "registered" and c.id not in excluded]
    cycle = session.get(Cycle, contest.cycle_id)
    election_date = cycle.election_date if cycle is not None else None
    index = {c.id: i for i, c in enumerate(counted)}
    contestants = [Contestant(c.id, c.name, sex=c.sex, birth_date=c.birth_date, tags=frozenset(c.tags))
                   for c in counted]
    cast = [(t, ballot_selection(sel)) for t, sel in session.execute(
        select(Ballot.tracker, Ballot.selection).where(Ballot.contest_id == contest.id).order_by(Ballot.tracker))]
    groups = [([index[c] for c in sel if c in index], 1) for _, sel in cast]
    profile: ApprovalProfile | RankedProfile
    if contest.ballot_form == "approval":
        profile = ApprovalProfile.build(contestants, groups, max_marks=contest.max_marks, election_date=election_date)
    else:
        profile = RankedProfile.build(contestants, groups, election_date=election_date)
    lot_seed = contest_seed(contest, seed)
    policy = tie_policy or contest.tie_policy
    tally = count(contest.rule, profile, contest.seats, tie_policy=policy,
                  seed=lot_seed if policy in ("lot",) else None)
    by_id = {c.id: c for c in counted}
    day = election_date or datetime.now(UTC).date()
    women = tuple(cid for cid in tally.ranking if by_id[cid].sex == "F")
    youth = tuple(cid for cid in tally.ranking if age_on(by_id[cid].birth_date, day) < YOUTH_UNDER)
    replaced = sorted(session.scalars(select(ReplacedTracker.tracker).where(ReplacedTracker.contest_id == contest_id)))
    lines = _bulletin(contest, nominees, excluded, public_ids(session, contest_id), day, election_date, cast,
                      replaced, tally, lot_seed)
    marks: Counter[str] = Counter(c for _, sel in cast for c in set(sel))
    return ContestResult(contest_id, tally, women, youth, lines, lot_seed, dict(sorted(marks.items())))


def _bulletin(
    contest: Contest, nominees: list[_Candidate], excluded: dict[str, str], public: dict[str, str], day: date,
    election_date: date | None, cast: list[tuple[str, list[str]]], replaced: list[str], tally: TallyResult,
    seed: int | None,
) -> tuple[str, ...]:
    """The bulletin lines: the header, then every counted ballot as cast, under public candidate ids."""
    seen = {c for _, sel in cast for c in sel}
    shown = [c for c in nominees if c.status == "registered" or c.id in seen]
    left_out = {c.id: excluded.get(c.id) or f"candidate {c.status}" for c in shown
                if c.id in excluded or c.status != "registered"}
    pid = public.__getitem__
    header = {
        "format": BULLETIN_FORMAT,
        "contest": {"id": contest.id, "name": contest.name},
        "rule": contest.rule,
        "seats": contest.seats,
        "max_marks": contest.max_marks,
        "candidates": [
            {"id": pid(c.id), "name": c.name, "sex": c.sex, "under_29": age_on(c.birth_date, day) < YOUNG_UNDER,
             "under_35": age_on(c.birth_date, day) < YOUTH_UNDER, "tags": list(c.tags)}
            for c in shown
        ],
        "election_date": None if election_date is None else election_date.isoformat(),
        "ballot_count": len(cast),
        "tie_policy": tally.tie_policy,
        "seed": None if seed is None else f"{seed:064x}",
        "seed_commitment": contest.seed_commitment,
        "excluded": [{"id": pid(cid), "reason": why} for cid, why in left_out.items()],
        "replaced": replaced,
        "declared": {
            "elected": [pid(c) for c in tally.elected],
            "ranking": [pid(c) for c in tally.ranking],
            "counts": None if tally.scores is None else {pid(k): _number(v) for k, v in tally.scores.items()},
        },
    }
    key = "marks" if contest.ballot_form == "approval" else "ranking"
    dump = json.dumps
    return (
        dump(header, ensure_ascii=False),
        *(dump({"tracker": t, key: [pid(c) for c in sel]}, ensure_ascii=False) for t, sel in cast),
    )


def exclude_candidate(session: Session, actor: Actor, contest_id: str, candidate: str, reason: str) -> Contest:
    """Leave a candidate out of the count of a closed contest (central office, the party's rules requiring a
    removal after voting): the ballots stay as cast on the bulletin, which names the candidate and the reason,
    and ``tandau verify`` recounts without them."""
    contest = get_contest(session, contest_id)
    require(actor, Action.CANDIDATE_EXCLUDE, contest.kato)
    if contest.status != "closed":
        raise StateError(f"contest {contest_id!r} is {contest.status}; a candidate is excluded from the count "
                         "after close and before publication")
    if not reason.strip():
        raise InputError("give the reason for the exclusion", parameter="reason")
    member = session.scalar(select(Nomination.member_id).where(
        Nomination.contest_id == contest_id, Nomination.member_id.in_([candidate]) | (Nomination.id == candidate)))
    if member is None:
        raise InputError(f"{candidate!r} is not a candidate of {contest_id!r}", parameter="candidate")
    entries = [e for e in json.loads(contest.excluded or "[]") if e["candidate"] != member]
    entries.append({"candidate": member, "reason": reason.strip()})
    contest.excluded = json.dumps(entries, ensure_ascii=False)
    audit.append(session, actor=actor.subject_id, action="candidate.exclude", target=contest_id,
                 details={"candidate": member, "reason": reason.strip()})
    session.commit()
    return contest


def publish_contest(
    session: Session, actor: Actor, contest_id: str, out: Path | None = None, *, seed: int | None = None,
    lot_on_tie: bool = False, store: FileStore | None = None,
) -> ContestResult:
    """Count, store the bulletin board (:func:`bulletin_key` in the file store, in the same transaction as the
    result: every app process serves it), mark the contest published, audit it; with ``out``, also write the
    bulletin there once committed (the command line's ``--out``).

    A tie that the contest's policy refuses to break is a dead end unless the central office decides it by lot
    on the seed committed when voting opened (``lot_on_tie``): the lot is drawn, recorded in the result and the
    audit log, and replayable by ``tandau verify``."""
    contest = get_contest(session, contest_id)
    require(actor, Action.CONTEST_PUBLISH, contest.kato)
    if contest.status != "closed":
        raise StateError(f"contest {contest_id!r} is {contest.status}; only a closed contest can be published")
    try:
        result = count_contest(session, contest_id, seed=seed)
    except TieError as tie:
        if not lot_on_tie:
            raise
        require(actor, Action.TIE_LOT, contest.kato)
        if contest.seed is None:
            raise StateError(f"contest {contest_id!r} has no committed seed to draw lots with") from None
        result = count_contest(session, contest_id, tie_policy="lot")
        audit.append(session, actor=actor.subject_id, action="contest.tie_lot", target=contest_id,
                     details={"tie": tie.what, "tied": list(tie.tied), "seed_commitment": contest.seed_commitment})
    data = ("\n".join(result.lines) + "\n").encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    (store or default_store()).put(session, bulletin_key(contest_id), data, content_type=BULLETIN_TYPE,
                                   owner_kind="contest", owner_id=contest_id)
    summary: dict[str, Any] = {
        "elected": list(result.tally.elected),
        "ranking": list(result.tally.ranking),
        "women": list(result.women),
        "youth": list(result.youth),
        "ballots": result.tally.ballots,
        "marks": result.marks,
        "tie_policy": result.tally.tie_policy,
        "seed": None if result.seed is None else f"{result.seed:064x}",
        "seed_commitment": contest.seed_commitment,
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
        details={"bulletin_sha256": digest, "elected": list(result.tally.elected),
                 "seed": None if result.seed is None else f"{result.seed:064x}"},
    )
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    if out is not None:
        write_atomic(out, data)
    return result


def bulletin_key(contest_id: str) -> str:
    """The stored file of a contest's published bulletin board."""
    return f"bulletins/{contest_id}.jsonl"


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` through a temporary file beside it (no half-written file is ever seen)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)


def published_result(session: Session, contest_id: str) -> dict[str, Any] | None:
    """The stored result summary of a published contest (None before publication)."""
    pub = session.get(Publication, contest_id)
    if pub is None:
        return None
    value: dict[str, Any] = json.loads(pub.result_json)
    value["bulletin_sha256"] = pub.bulletin_sha256
    return value


def recount_published(session: Session, contest_id: str) -> ContestResult:
    """The count of a published contest as it was published (its tie policy, a lot on its seed)."""
    pub = session.get(Publication, contest_id)
    if pub is None:
        raise StateError(f"contest {contest_id!r} is not published yet")
    summary = json.loads(pub.result_json)
    contest = get_contest(session, contest_id)
    seed = summary.get("seed")
    legacy_seed = None
    if contest.seed_commitment is None and seed is not None:
        legacy_seed = int(seed, 16) if isinstance(seed, str) else int(seed)
    return count_contest(session, contest_id, seed=legacy_seed, tie_policy=summary.get("tie_policy"))


def tracker_status(session: Session, contest_id: str, code: str) -> str | None:
    """``counted`` when tracking code ``code`` is among the contest's published ballots, ``replaced`` when a
    later ballot of the same member replaced it (re-voting), None otherwise (and before publication)."""
    contest = get_contest(session, contest_id)
    if contest.status != "published":
        return None
    tracker = code.strip().upper()
    if session.scalar(select(Ballot.id).where(Ballot.contest_id == contest_id, Ballot.tracker == tracker)):
        return "counted"
    if session.scalar(select(ReplacedTracker.tracker).where(ReplacedTracker.contest_id == contest_id,
                                                            ReplacedTracker.tracker == tracker)):
        return "replaced"
    return None


def tracker_published(session: Session, contest_id: str, code: str) -> bool:
    """Whether tracking code ``code`` is among the contest's counted published ballots."""
    return tracker_status(session, contest_id, code) == "counted"
