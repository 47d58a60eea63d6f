"""Council list builder: form a contest's list from its counted primary, pin or exclude, recompute, explain.

The primary ranking is the contest's count (``publish.count_contest``: approval marks per candidate, ties in
nomination order); the list is :func:`tandau.core.lists.form_list` under the cycle's rules (default
``nur-otan-2019,kz-law-2022``: women ≥ 30%, under-35s ≥ 20%, and the law's 30%). Changes are authorised
(central office anywhere, a branch secretary inside their territory), audited and stored
(:mod:`tandau.services.workspace_store`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tandau.core.candidates import Candidate, age_on
from tandau.core.lists import ListInfeasibleError, ListRequest, ListResult, Pin, form_list
from tandau.core.reasons import Reason
from tandau.core.rules import rule_id
from tandau.errors import InfeasibleError, InputError
from tandau.io.rules_toml import load_rules
from tandau.services import workspace_store as store
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, is_allowed
from tandau.services.primaries.contests import get_contest
from tandau.services.primaries.errors import PermissionDeniedError, StateError
from tandau.services.primaries.nominations import candidates
from tandau.services.primaries.publish import count_contest
from tandau.store.models import Contest, Cycle

DEFAULT_RULES = "nur-otan-2019,kz-law-2022"
YOUTH_UNDER = 35


def can_edit(actor: Actor, contest: Contest) -> bool:
    """Central office anywhere; a secretary for a council inside their territory (never the national list):
    ``access.POLICY[Action.WORKSPACE_EDIT]``."""
    return is_allowed(actor, Action.WORKSPACE_EDIT, contest.kato)


def can_view(actor: Actor) -> bool:
    """Staff pages are for whoever may view the workspace somewhere: central office, secretaries, observers."""
    return allowed_somewhere(actor, Action.WORKSPACE_VIEW)


def election_date(session: Session, contest: Contest) -> date:
    cycle = session.get(Cycle, contest.cycle_id)
    return cycle.election_date if cycle is not None and cycle.election_date else datetime.now(UTC).date()


def primary_candidates(session: Session, contest_id: str,
                       votes: dict[str, int] | None = None) -> tuple[list[Candidate], dict[str, int]]:
    """The registered candidates with their primary votes: the contest's count, or ``votes``, the counts a stored
    list was formed from (the builder's page and its changes: no recount of every ballot per request — the
    Majilis contest of the national run holds 673,000; 2.7 s a page at a twentieth of that)."""
    if votes is None:
        result = count_contest(session, contest_id)
        scores = result.tally.scores or {}
        votes = {cid: int(v) for cid, v in scores.items()}
    cands = [
        Candidate(c.id, c.name, "F" if c.sex == "F" else "M", c.birth_date, votes.get(c.id, 0),
                  frozenset(c.tags), c.position)
        for c in candidates(session, contest_id)
    ]
    return cands, {c.id: c.votes for c in cands}


def _person(c: Candidate, day: date) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "sex": c.sex, "votes": c.votes, "tags": sorted(c.tags),
            "birth_date": None if c.birth_date is None else c.birth_date.isoformat(),
            "age": None if c.birth_date is None else age_on(c.birth_date, day)}


def _why(reason: Reason | None) -> dict[str, Any] | None:
    return None if reason is None else reason.to_json()


def result_data(result: ListResult, day: date) -> dict[str, Any]:
    """A stored, JSON-ready form of a list result: entries with moves and reasons, checks, metrics.

    Every English text (``reason``, ``label``, ``detail``, ``warnings``) has a structured twin (``why``,
    ``label_why``, ``detail_why``, ``warnings_why``: code, parameters, text) that the pages render in their language.
    """

    def entry(e: Any) -> dict[str, Any]:
        move = "same"
        if e.rule == "pin":
            move = "pin"
        elif e.vote_rank > e.position:
            move = "up"
        elif e.vote_rank < e.position:
            move = "down"
        return {**_person(e.candidate, day), "position": e.position, "vote_rank": e.vote_rank,
                "reason": e.reason, "rule": e.rule, "move": move, "why": _why(e.why)}

    entries = [entry(e) for e in result.entries]
    return {
        "entries": entries,
        "left_off": [{**_person(e.candidate, day), "vote_rank": e.vote_rank, "reason": e.reason, "why": _why(e.why)}
                     for e in result.left_off],
        "checks": [{"label": c.label, "origin": getattr(c.rule, "origin", ""), "ok": c.ok, "detail": c.detail,
                    "enforced": c.enforced, "rule_id": rule_id(c.rule), "label_why": c.label_reason.to_json(),
                    "detail_why": _why(c.why)} for c in result.checks],
        "metrics": {"kendall_tau": result.metrics.kendall_tau, "max_demotion": result.metrics.max_demotion,
                    "moved": result.metrics.moved},
        "warnings": list(result.warnings),
        "warnings_why": [w.to_json() for w in result.warning_reasons],
        "ties": [{"votes": t.votes, "ids": list(t.ordered_ids), "policy": t.policy} for t in result.ties],
        "women": sum(1 for e in entries if e["sex"] == "F"),
        "youth": sum(1 for e in entries if e["age"] is not None and e["age"] < YOUTH_UNDER),
        "error": None,
        "error_why": None,
    }


def refusal_data(exc: InfeasibleError) -> dict[str, Any] | None:
    """The structured refusal (``{"summary", "details"}``) of a list no rule-compliant order exists for."""
    if not isinstance(exc, ListInfeasibleError):
        return None
    return {"summary": exc.summary.to_json(), "details": [r.to_json() for r in exc.reasons]}


def _form(cands: Sequence[Candidate], rules: str, length: int, seats: int, day: date,
          pins: Sequence[tuple[str, int]], exclude: Sequence[str]) -> ListResult:
    rule_set = load_rules(rules)
    n = min(length, len([c for c in cands if c.id not in set(exclude)]))
    request = ListRequest(tuple(cands), rule_set.rules, n, day, pins=tuple(Pin(c, position=p) for c, p in pins),
                          exclude=frozenset(exclude), likely_seats=seats)
    return form_list(request)


def form_contest_list(session: Session, actor: Actor, contest_id: str, *, seats: int, length: int | None = None,
                      rules: str = DEFAULT_RULES) -> store.StoredList:
    """Form (or re-form from scratch) the list of a counted contest and store it; an infeasible list is stored
    with its diagnosis so the overview shows it."""
    contest = get_contest(session, contest_id)
    if not can_edit(actor, contest):
        raise PermissionDeniedError(actor.subject_id, "form a list", contest.kato)
    day = election_date(session, contest)
    cands, votes = primary_candidates(session, contest_id)
    size = length or contest.seats
    try:
        data = result_data(_form(cands, rules, size, seats, day, (), ()), day)
    except InfeasibleError as exc:
        data = {"entries": [], "left_off": [], "checks": [], "metrics": {}, "warnings": [], "ties": [],
                "women": 0, "youth": 0, "error": str(exc), "error_why": refusal_data(exc)}
    item = store.StoredList(contest_id, rules, size, seats, (), (), votes, data, datetime.now(UTC), actor.subject_id)
    store.save(session, item)
    audit.append(session, actor=actor.subject_id, action="list.form", target=contest_id,
                 details={"rules": rules, "length": size, "seats": seats})
    session.commit()
    return item


def change_list(session: Session, actor: Actor, contest_id: str, *, pin: tuple[str, int] | None = None,
                unpin: str | None = None, exclude: str | None = None, include: str | None = None,
                reset: bool = False) -> store.StoredList:
    """Pin a candidate at a place, unpin, exclude, include again or reset; recompute and store.

    Raises :class:`~tandau.errors.InfeasibleError` (the stored list is unchanged) when no list meets the rules
    with the change, and :class:`InputError` for an unknown candidate or place.
    """
    contest = get_contest(session, contest_id)
    if not can_edit(actor, contest):
        raise PermissionDeniedError(actor.subject_id, "change a list", contest.kato)
    current = store.load(session, contest_id)
    if current is None:
        raise StateError(f"no list has been formed for {contest_id!r} yet")
    day = election_date(session, contest)
    cands, _votes = primary_candidates(session, contest_id, current.votes)
    known = {c.id for c in cands}
    pins = dict(current.pins)
    excluded = list(current.exclude)
    for given in (pin[0] if pin else None, unpin, exclude, include):
        if given is not None and given not in known:
            raise InputError(f"not a candidate of {contest_id}: {given!r}", parameter="candidate")
    if reset:
        pins, excluded = {}, []
    if pin is not None:
        cid, place = pin
        if not 1 <= place <= current.length:
            raise InputError(f"place must lie between 1 and {current.length}, got {place}", parameter="place")
        pins = {c: p for c, p in pins.items() if p != place and c != cid}
        pins[cid] = place
        excluded = [c for c in excluded if c != cid]
    if unpin is not None:
        pins.pop(unpin, None)
    if exclude is not None:
        pins.pop(exclude, None)
        if exclude not in excluded:
            excluded.append(exclude)
    if include is not None:
        excluded = [c for c in excluded if c != include]
    result = _form(cands, current.rules, current.length, current.seats, day, sorted(pins.items()), excluded)
    data = result_data(result, day)
    item = store.StoredList(contest_id, current.rules, current.length, current.seats, tuple(sorted(pins.items())),
                            tuple(excluded), current.votes, data, datetime.now(UTC), actor.subject_id)
    store.save(session, item)
    action = "list.reset" if reset else "list.change"
    audit.append(session, actor=actor.subject_id, action=action, target=contest_id,
                 details={"pin": list(pin) if pin else None, "unpin": unpin, "exclude": exclude, "include": include})
    session.commit()
    return item


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One candidate of the primary ranking beside the list."""

    vote_rank: int
    person: dict[str, Any]
    place: int | None
    excluded: bool
    pinned: int | None


@dataclass(frozen=True, slots=True)
class BuilderView:
    """What the council list builder shows."""

    contest: Contest
    stored: store.StoredList
    ranking: tuple[RankingRow, ...]
    editable: bool
    election_date: date


def builder_view(session: Session, actor: Actor, contest_id: str) -> BuilderView:
    """The primary ranking (all candidates, most votes first, ties in nomination order) beside the list."""
    contest = get_contest(session, contest_id)
    stored = store.load(session, contest_id)
    if stored is None:
        raise StateError(f"no list has been formed for {contest_id!r} yet")
    day = election_date(session, contest)
    place = {e["id"]: e["position"] for e in stored.result["entries"]}
    pins = dict(stored.pins)
    people = [_person(c, day) | {"order": c.order} for c in primary_candidates(session, contest_id, stored.votes)[0]]
    people.sort(key=lambda p: (-p["votes"], p["order"]))
    rows = tuple(RankingRow(i + 1, p, place.get(p["id"]), p["id"] in stored.exclude, pins.get(p["id"]))
                 for i, p in enumerate(people))
    return BuilderView(contest, stored, rows, can_edit(actor, contest), day)
