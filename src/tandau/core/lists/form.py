"""Forming a candidate list: vote order, ties, pins, exclusions, seat-safe mode, the search, explanations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from tandau.core.candidates import Candidate
from tandau.core.lists.compile import compile_problem
from tandau.core.lists.diagnose import diagnose
from tandau.core.lists.explain import explain_lexicographic
from tandau.core.lists.model import Entry, ListRequest, ListResult, Metrics, Tie
from tandau.core.lists.search import Search
from tandau.core.reasons import Reason, reason
from tandau.core.rules.check import Check, check_list, complies
from tandau.core.rules.model import Quota, Rule, rule_reason
from tandau.core.ties import CANDIDATE_TIE_POLICIES, Lot, normalise_tie_policy, require_seed
from tandau.errors import InputError, TandauError, TieError


def vote_order(
    candidates: Sequence[Candidate], policy: str, seed: int | None = None
) -> tuple[list[Candidate], tuple[Tie, ...]]:
    """Candidates by votes, most first; equal votes ordered by the explicit ``policy``, ties reported.

    ``lot`` needs ``seed`` and shuffles each group of equal votes (in nomination order first) by one
    :class:`tandau.core.ties.Lot` drawn from it, groups taken from most votes down: the same seed, the same order.

    >>> a, b = Candidate("a", "A", "F", None, 5, order=2), Candidate("b", "B", "M", None, 5, order=1)
    >>> [c.id for c in vote_order([a, b], "nomination-order")[0]]
    ['b', 'a']
    """
    policy = normalise_tie_policy(policy, CANDIDATE_TIE_POLICIES)
    seed = require_seed(policy, seed)
    lot = Lot(seed) if policy == "lot" and seed is not None else None
    by_votes = sorted(candidates, key=lambda c: -c.votes)
    ordered: list[Candidate] = []
    ties: list[Tie] = []
    for votes, grp in groupby(by_votes, key=lambda c: c.votes):
        members = list(grp)
        if len(members) > 1:
            if policy == "refuse":
                raise TieError(f"primary votes ({votes} each)", [c.id for c in members])
            members.sort(key=lambda c: (c.order, c.id))
            if lot is not None:
                lot.shuffle(members)
            ties.append(Tie(votes, tuple(c.id for c in members), policy, seed if policy == "lot" else None))  # type: ignore[arg-type]
        ordered.extend(members)
    return ordered, tuple(ties)


def seat_safe_rules(rules: Sequence[Rule], start: int) -> tuple[Rule, ...]:
    """Every enforced whole-list minimum share applied to every prefix from place ``start`` on."""
    return tuple(
        replace(r, scope="prefix", start=start, note="seat-safe")
        if isinstance(r, Quota) and r.enforce and r.scope == "list" and r.bound == "min" and r.share is not None
        else r
        for r in rules
    )


def _metrics(list_ranks: Sequence[int], total: int) -> Metrics:
    chosen = set(list_ranks)
    full = list(list_ranks) + [r for r in range(1, total + 1) if r not in chosen]
    inversions = sum(1 for i in range(len(full)) for j in range(i + 1, len(full)) if full[i] > full[j])
    max_demotion = max([0, *(pos - r for pos, r in enumerate(full, start=1))])
    moved = sum(1 for pos, r in enumerate(list_ranks, start=1) if pos != r)
    return Metrics(inversions, max_demotion, moved)


def _positions(seq: Sequence[int]) -> list[tuple[int, int]]:
    """(type, index within the type) for each place of a type sequence."""
    seen: dict[int, int] = {}
    out = []
    for t in seq:
        out.append((t, seen.get(t, 0)))
        seen[t] = seen.get(t, 0) + 1
    return out


def _validate(req: ListRequest, pool: Sequence[Candidate]) -> None:
    n = req.length
    if n < 1:
        raise InputError(f"the list length must be at least 1, got {n}", parameter="--length")
    if n > len(pool):
        raise InputError(f"the list length {n} exceeds the {len(pool)} eligible candidates", parameter="--length")
    ids = {c.id for c in pool}
    seen_positions: dict[int, str] = {}
    for pin in req.pins:
        if pin.candidate_id not in ids:
            raise InputError(f"pinned candidate {pin.candidate_id!r} is not among the candidates (or is excluded)",
                             parameter="--pin")
        if pin.position is not None:
            if not 1 <= pin.position <= n:
                raise InputError(f"pin {pin.candidate_id}@{pin.position}: places run from 1 to {n}", parameter="--pin")
            if pin.position in seen_positions:
                raise InputError(f"place {pin.position} is pinned twice ({seen_positions[pin.position]} and "
                                 f"{pin.candidate_id})", parameter="--pin")
            seen_positions[pin.position] = pin.candidate_id
        elif pin.within is None or pin.within < 1:
            raise InputError(f"pin for {pin.candidate_id} needs a place or 'within k' with k ≥ 1", parameter="--pin")
    if any(isinstance(r, Quota) and r.group.needs_age for r in req.rules):
        if req.election_date is None:
            raise InputError("these rules count ages, so an election date is needed", parameter="--election-date")
        missing = [c.id for c in pool if c.birth_date is None]
        if missing:
            raise InputError(f"rules count ages but candidate(s) {', '.join(missing[:5])} have no birth date",
                             parameter="birth_date")


def _warnings(
    req: ListRequest, rules: Sequence[Rule], chosen: Sequence[Candidate], checks: Sequence[Check]
) -> list[Reason]:
    out = [
        reason("warning_rule_not_met", f"{c.label}: {c.detail}", rule=c.label_reason, detail=c.detail_reason)
        for c in checks if not c.enforced and not c.ok
    ]
    n = len(chosen)
    seats = req.likely_seats or (n + 1) // 2
    if req.seat_safe or seats >= n:
        return out
    for r in rules:
        if isinstance(r, Quota) and r.enforce and r.scope == "list" and r.bound == "min" and r.share is not None:
            have = sum(1 for c in chosen[:seats] if r.group.contains(c, req.election_date))
            need = r.required(seats)
            if have < need:
                who, label = r.group.reason(), rule_reason(r)
                out.append(reason(
                    "warning_seat_share",
                    f"{who.text} hold {have} of the first {seats} places: if the party wins {seats} seats they would "
                    f"be below the share {label.text} asks of the list; --seat-safe keeps the share in every prefix",
                    group=who, have=have, seats=seats, rule=label))
    return out


def form_list(req: ListRequest) -> ListResult:
    """Form a compliant list as close to the vote as the objective asks, or raise a diagnosed refusal."""
    pool_all = [c for c in req.candidates if c.id not in req.exclude]
    _validate(req, pool_all)
    ordered, ties = vote_order(pool_all, req.ties, req.seed)
    rank_of = {c.id: i + 1 for i, c in enumerate(ordered)}
    ranks = [rank_of[c.id] for c in ordered]
    rules = seat_safe_rules(req.rules, req.seat_safe_from) if req.seat_safe else tuple(req.rules)
    n = req.length
    problem = compile_problem(ordered, ranks, rules, n, req.election_date, req.pins)
    search = Search(problem)
    if problem.static_errors:
        raise diagnose(ordered, ranks, rules, n, req.election_date, req.pins)
    seq: list[int] | None = list(search.seq) if search.complete() else None
    if seq is None:
        raise diagnose(ordered, ranks, rules, n, req.election_date, req.pins)
    if req.objective != "lexicographic":
        lexicographic = _metrics([ranks[problem.type_cands[t][i]] for t, i in _positions(seq)], len(ordered))
        upper = lexicographic.kendall_tau if req.objective == "min-swaps" else lexicographic.max_demotion
        search = Search(problem)
        seq = search.optimise(req.objective, upper)
        if seq is None:  # pragma: no cover - the lexicographic list bounds the optimum
            raise TandauError("internal error: the exact objective found no list; please report it")
    cursor = [0] * len(problem.type_cands)
    chosen: list[Candidate] = []
    for t in seq:
        chosen.append(ordered[problem.type_cands[t][cursor[t]]])
        cursor[t] += 1
    checks = check_list(chosen, rules, req.election_date)
    if not complies(checks):  # the engine and the independent checker disagree: never hand this out
        raise TandauError("internal error: the formed list fails the independent check; please report it")
    list_ranks = [rank_of[c.id] for c in chosen]
    reasons: list[tuple[Reason | None, str | None]] = [(None, None)] * n
    if req.explain:
        pinned = {
            p.candidate_id: (reason("pinned", f"pinned to place {p.position}", place=p.position)
                             if p.position is not None else
                             reason("reserved_within", f"reserved a place within the first {p.within}",
                                    within=p.within or 0))
            for p in req.pins
        }
        flags_of = [
            [r.group.contains(c, req.election_date) for c in chosen] if isinstance(r, Quota) else []
            for r in rules
        ]
        reasons = explain_lexicographic(problem, seq, chosen, list_ranks, rules, flags_of, pinned, req.objective)
    entries = tuple(
        Entry(k, c, list_ranks[k - 1], why.text if why else None, rule, why)
        for k, (c, (why, rule)) in enumerate(zip(chosen, reasons, strict=True), start=1)
    )
    chosen_ids = {c.id for c in chosen}
    left = [
        (c, reason("left_off", f"left off the list (vote rank {rank_of[c.id]} within the {n} places)",
                   rank=rank_of[c.id], length=n))
        for c in ordered
        if c.id not in chosen_ids and rank_of[c.id] <= n
    ]
    left_off = tuple(Entry(0, c, rank_of[c.id], why.text, None, why) for c, why in left)
    warnings = _warnings(req, rules, chosen, checks)
    return ListResult(
        entries=entries,
        checks=checks,
        objective=req.objective,
        metrics=_metrics(list_ranks, len(ordered)),
        ties=ties,
        warnings=tuple(w.text for w in warnings),
        left_off=left_off,
        rules=rules,
        search_nodes=search.nodes,
        warning_reasons=tuple(warnings),
    )
