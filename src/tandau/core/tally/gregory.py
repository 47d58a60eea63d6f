"""The weighted inclusive Gregory engine shared by ``stv-scottish`` and ``stv-wigm``.

The count follows the structure of SSI 2007/42, Schedule 1, rules 45–52:

- rule 45: first preferences; rule 46: quota; rule 47: a candidate reaching the quota is elected;
- rules 48–49: the largest surplus is transferred first; *every* paper held by the elected candidate moves on,
  each at ``value × surplus / total`` (the arithmetic is a parameter: truncated fixed point for Scotland, exact
  fractions for WIGM); ties between equal surpluses go to the candidate with more votes at the most recent
  preceding stage where they differed, then to the tie policy (the statute says lot);
- rules 50–51: with no surplus left, the candidate with fewest votes is excluded and all their papers move at
  their current value; ties go to the most recent preceding stage where they differed, then to the tie policy;
- rule 52: when the continuing candidates are no more than the vacancies left, they are all elected.

Votes are numbers of one type throughout (``int`` units of 1/100000 vote for Scotland, ``Fraction`` for WIGM).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from tandau.core.tally.ballots import RankedProfile
from tandau.core.tally.result import StvStage, TallyResult
from tandau.core.tally.ties import TieBreaker

HOPEFUL, PENDING, ELECTED, EXCLUDED = 0, 1, 2, 3

Num = Any  # int or Fraction; arithmetic is the same code for both


def gregory_count(
    profile: RankedProfile,
    seats: int,
    ties: TieBreaker,
    *,
    method: str,
    one: Num,
    quota: Num,
    scale: Callable[[Num, Num, Num], Num],
    to_votes: Callable[[Num], Fraction],
) -> TallyResult:
    """Count ``profile`` by weighted inclusive Gregory; see the module docstring for the rules applied."""
    cands = profile.candidates
    n = len(cands)
    ids = tuple(c.id for c in cands)
    ranks = [r for r, _ in profile.ballots]
    counts = [c for _, c in profile.ballots]
    weight: list[Num] = [one] * len(ranks)
    pos = [0] * len(ranks)
    piles: list[list[int]] = [[] for _ in range(n)]
    zero = one - one
    votes: list[Num] = [zero] * n
    for g, r in enumerate(ranks):
        piles[r[0]].append(g)
        votes[r[0]] += counts[g] * one
    status = [HOPEFUL] * n
    state = {"exhausted": zero, "residual": zero}
    history: list[list[Num]] = []
    stages: list[StvStage] = []
    elected_order: list[int] = []
    excluded_order: list[int] = []

    def by_history(tied: list[int], favour_high: bool, what: str) -> int:
        """Rules 49(2) and 51(2): the most recent preceding stage at which the tied candidates differed."""
        rest = sorted(tied)
        for snapshot in reversed(history):
            vals = [snapshot[c] for c in rest]
            target = max(vals) if favour_high else min(vals)
            narrowed = [c for c in rest if snapshot[c] == target]
            if len(narrowed) < len(rest):
                rest = narrowed
                if len(rest) == 1:
                    ties.note(what, tied, rest[0], "most recent preceding stage with unequal votes")
                    return rest[0]
        return ties.pick(rest, what, favour=favour_high)

    def elect_new() -> list[int]:
        reached = [c for c in range(n) if status[c] == HOPEFUL and votes[c] >= quota]
        order: list[int] = []
        while reached:
            top = max(votes[c] for c in reached)
            tied = [c for c in reached if votes[c] == top]
            c = tied[0] if len(tied) == 1 else by_history(tied, True, "order of election")
            order.append(c)
            reached.remove(c)
        for c in order:
            status[c] = PENDING
            elected_order.append(c)
        return order

    def continuing() -> list[int]:
        return [c for c in range(n) if status[c] == HOPEFUL]

    def move(g: int) -> None:
        r = ranks[g]
        p = pos[g] + 1
        while p < len(r) and status[r[p]] != HOPEFUL:
            p += 1
        if p < len(r):
            pos[g] = p
            piles[r[p]].append(g)
            votes[r[p]] += counts[g] * weight[g]
        else:
            state["exhausted"] += counts[g] * weight[g]

    def record(action: str, subject: int | None, surplus: Num, new: list[int], out: list[int], reason: str) -> None:
        before = stages[-1].votes if stages else {}
        shown = {ids[c]: to_votes(votes[c]) for c in range(n) if status[c] != EXCLUDED}
        transfers = {k: v - before.get(k, Fraction(0)) for k, v in shown.items()} if stages else {}
        for c in out:
            transfers[ids[c]] = -before.get(ids[c], Fraction(0))
        stages.append(StvStage(
            number=len(stages) + 1, action=action, subject=None if subject is None else ids[subject],
            votes=shown, transfers=transfers, exhausted=to_votes(state["exhausted"]),
            residual=to_votes(state["residual"]), surplus=to_votes(surplus),
            elected=tuple(ids[c] for c in new), excluded=tuple(ids[c] for c in out), reason=reason,
        ))
        history.append(list(votes))

    def complete() -> bool:
        left = seats - len(elected_order)
        return left <= 0 or len(continuing()) <= left

    new = elect_new()
    record("first-count", None, zero, new, [], "first preferences (rule 45)")
    while not complete():
        pending = [c for c in range(n) if status[c] == PENDING]
        if pending:
            top = max(votes[c] for c in pending)
            tied = [c for c in pending if votes[c] == top]
            c = tied[0] if len(tied) == 1 else by_history(tied, True, "order of surplus transfers")
            total = votes[c]
            surplus = total - quota
            status[c] = ELECTED
            pile, piles[c] = piles[c], []
            held_before = sum(votes) + state["exhausted"]
            for g in pile:
                weight[g] = scale(weight[g], surplus, total)
                if weight[g]:
                    move(g)
            votes[c] = quota
            state["residual"] += held_before - sum(votes) - state["exhausted"]
            new = elect_new()
            record("surplus", c, surplus, new, [], f"surplus of {ids[c]} transferred (rules 48-49)")
        else:
            hopeful = continuing()
            low = min(votes[c] for c in hopeful)
            tied = [c for c in hopeful if votes[c] == low]
            c = tied[0] if len(tied) == 1 else by_history(tied, False, "exclusion")
            status[c] = EXCLUDED
            excluded_order.append(c)
            pile, piles[c] = piles[c], []
            for g in pile:
                move(g)
            votes[c] = zero
            new = elect_new()
            record("exclusion", c, zero, new, [c], f"{ids[c]} has the fewest votes: excluded (rules 50-51)")
    for c in range(n):
        if status[c] == PENDING:
            status[c] = ELECTED
    notes: list[str] = []
    left = seats - len(elected_order)
    rest = continuing()
    if left > 0 and len(rest) <= left:
        fill = ties.order(rest, votes, "order of last vacancies")
        elected_order.extend(fill)
        for c in fill:
            status[c] = ELECTED
        notes.append("last vacancies filled by the continuing candidates (rule 52): "
                     + ", ".join(ids[c] for c in fill))
        record("elect-remaining", None, zero, fill, [], "continuing candidates fill the last vacancies (rule 52)")
        rest = []
    losers = ties.order(rest, votes, "ranking of unelected continuing candidates")
    ranking = [ids[c] for c in elected_order] + [ids[c] for c in losers] + [ids[c] for c in reversed(excluded_order)]
    return TallyResult(
        method=method, seats=seats, candidates=cands, elected=tuple(ids[c] for c in elected_order),
        ranking=tuple(ranking), ballots=profile.total, scores={ids[c]: to_votes(votes[c]) for c in range(n)},
        quota=to_votes(quota), stages=tuple(stages), ties=tuple(ties.records), tie_policy=ties.policy,
        seed=ties.seed, notes=tuple(notes),
    )
