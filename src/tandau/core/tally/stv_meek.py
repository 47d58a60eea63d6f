"""Meek STV (Hill, Wichmann & Woodall, "Algorithm 123 — Single Transferable Vote by Meek's method",
Computer Journal 30(3), 1987), in exact fixed-point integers of 1e-9 vote.

Definition used here:

- every candidate has a keep factor: 1 while hopeful, 0 once excluded, and for an elected candidate the share
  of each vote reaching them that they keep;
- a ballot gives each candidate in turn ``floor(remaining × keep)`` of what remains (excluded candidates are
  skipped); what is left after the last preference is excess;
- quota = ``floor((ballots − excess) / (seats + 1))`` plus 1e-9 (the Droop quota of the active votes);
- after each distribution hopefuls reaching the quota are elected; elected keep factors are updated to
  ``ceil(keep × quota / votes)`` until the total surplus falls below 1e-6 vote (or stops changing);
- then, if no one was elected, the hopeful with fewest votes is excluded (ties: the tie policy);
- the count ends when the seats are filled, or when the hopefuls just fill the remaining seats.

pref_voting's ``stv_meek`` iterates in floating point to a tolerance of 1e-10; the winners agree on all but
knife-edge profiles (docs/tally.md).

>>> from tandau.core.tally.ballots import Contestant, RankedProfile
>>> from tandau.core.tally.ties import TieBreaker
>>> cs = [Contestant(x, x.upper()) for x in "abc"]
>>> p = RankedProfile.build(cs, [((0, 1), 6), ((1,), 2), ((2,), 3)])
>>> stv_meek(p, 2, TieBreaker("refuse")).elected
('a', 'b')
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from tandau.core.tally.ballots import RankedProfile
from tandau.core.tally.registry import register
from tandau.core.tally.result import StvStage, TallyResult
from tandau.core.tally.ties import TieBreaker

UNIT = 10**9
OMEGA = 1000  # 1e-6 vote: convergence tolerance on the total surplus
MAX_ITERATIONS = 10_000
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2
SOURCE = "Hill, Wichmann & Woodall, Algorithm 123: STV by Meek's method, Computer Journal 30(3) 1987"


def _dec(units: int) -> str:
    return f"{units // UNIT}.{units % UNIT:09d}"


def _compress(ballots: tuple[tuple[tuple[int, ...], int], ...], status: list[int]) -> list[tuple[tuple[int, ...], int]]:
    """Drop excluded candidates and everything after the first hopeful (it keeps all), then merge."""
    merged: Counter[tuple[int, ...]] = Counter()
    for ranking, count in ballots:
        prefix: list[int] = []
        for c in ranking:
            if status[c] == EXCLUDED:
                continue
            prefix.append(c)
            if status[c] == HOPEFUL:
                break
        merged[tuple(prefix)] += count
    return list(merged.items())


def _distribute(groups: list[tuple[tuple[int, ...], int]], keep: list[int], n: int) -> tuple[list[int], int]:
    votes = [0] * n
    excess = 0
    for prefix, count in groups:
        remaining = UNIT
        for c in prefix:
            give = remaining * keep[c] // UNIT
            votes[c] += give * count
            remaining -= give
            if not remaining:
                break
        excess += remaining * count
    return votes, excess


@register("stv-meek", name="Meek STV (fixed point, 1e-9)", ballot="ranked", source=SOURCE)
def stv_meek(profile: RankedProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Count ranked ballots by Meek's method (see the module docstring)."""
    cands = profile.candidates
    n = len(cands)
    ids = tuple(c.id for c in cands)
    total = profile.total * UNIT
    status = [HOPEFUL] * n
    keep = [UNIT] * n
    elected: list[int] = []
    excluded: list[int] = []
    stages: list[StvStage] = []
    votes = [0] * n
    excess = 0
    quota = 0

    def frac(x: int) -> Fraction:
        return Fraction(x, UNIT)

    def record(action: str, subject: int | None, new: list[int], out: list[int], reason: str, iters: int) -> None:
        before = stages[-1].votes if stages else {}
        shown = {ids[c]: frac(votes[c]) for c in range(n) if status[c] != EXCLUDED}
        transfers = {k: v - before.get(k, Fraction(0)) for k, v in shown.items()} if stages else {}
        for c in out:
            transfers[ids[c]] = -before.get(ids[c], Fraction(0))
        kf = ", ".join(f"{ids[c]}={_dec(keep[c])}" for c in range(n) if status[c] == ELECTED)
        residual = total - sum(votes) - excess
        stages.append(StvStage(
            number=len(stages) + 1, action=action, subject=None if subject is None else ids[subject],
            votes=shown, transfers=transfers, exhausted=frac(excess), residual=frac(residual), surplus=Fraction(0),
            elected=tuple(ids[c] for c in new), excluded=tuple(ids[c] for c in out),
            reason=f"{reason}; quota {_dec(quota)}; {iters} iteration(s)" + (f"; keep factors {kf}" if kf else ""),
        ))

    action, subject, reason = "first-count", None, "first preferences"
    out: list[int] = []
    while True:
        groups = _compress(profile.ballots, status)
        iters = 0
        new: list[int] = []
        while True:
            iters += 1
            votes, excess = _distribute(groups, keep, n)
            quota = (total - excess) // (seats + 1) + 1
            reached = [c for c in range(n) if status[c] == HOPEFUL and votes[c] >= quota]
            if reached:
                new = ties.order(reached, votes, "order of election")
                for c in new:
                    status[c] = ELECTED
                    elected.append(c)
                break
            surplus = sum(votes[c] - quota for c in elected if votes[c] > quota)
            updated = [-(-keep[c] * quota // votes[c]) if votes[c] else keep[c] for c in range(n)]
            changed = False
            for c in elected:
                if updated[c] != keep[c]:
                    keep[c] = updated[c]
                    changed = True
            if surplus < OMEGA or not changed or iters >= MAX_ITERATIONS:
                break
        record(action, subject, new, out, reason, iters)
        hopeful = [c for c in range(n) if status[c] == HOPEFUL]
        if len(elected) >= seats or not hopeful:
            break
        if len(elected) + len(hopeful) <= seats:
            fill = ties.order(hopeful, votes, "order of last vacancies")
            for c in fill:
                status[c] = ELECTED
                elected.append(c)
            record("elect-remaining", None, fill, [], "hopefuls fill the last vacancies", 0)
            break
        if new:
            action, subject, out, reason = "iterate", None, [], "keep factors recomputed after an election"
            continue
        low = min(votes[c] for c in hopeful)
        c = ties.pick([h for h in hopeful if votes[h] == low], "exclusion", favour=False)
        status[c] = EXCLUDED
        keep[c] = 0
        excluded.append(c)
        action, subject, out, reason = "exclusion", c, [c], f"{ids[c]} has the fewest votes: excluded"
    hopeful = [c for c in range(n) if status[c] == HOPEFUL]
    losers = ties.order(hopeful, votes, "ranking of unelected hopefuls")
    ranking = [ids[c] for c in elected] + [ids[c] for c in losers] + [ids[c] for c in reversed(excluded)]
    return TallyResult(
        method="stv-meek", seats=seats, candidates=cands, elected=tuple(ids[c] for c in elected),
        ranking=tuple(ranking), ballots=profile.total, scores={ids[c]: frac(votes[c]) for c in range(n)},
        quota=frac(quota), stages=tuple(stages), ties=tuple(ties.records), tie_policy=ties.policy, seed=ties.seed,
    )
