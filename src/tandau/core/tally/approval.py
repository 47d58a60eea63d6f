"""Approval voting (vote for up to k, ranking by approvals) and plurality (one mark).

Approval voting: Brams & Fishburn, "Approval Voting", APSR 72(3), 1978; the multi-winner form ranks candidates
by approvals and elects the top N (Lackner & Skowron, "Multi-Winner Voting with Approval Preferences", 2023,
rule AV). Plurality is approval with at most one mark per ballot. Equal counts are ordered by the tie policy and
each such tie is recorded when it matters (the order among equals is always recorded).

>>> from tandau.core.tally.ballots import ApprovalProfile, Contestant
>>> from tandau.core.tally.ties import TieBreaker
>>> cs = [Contestant(x, x) for x in "abc"]
>>> p = ApprovalProfile.build(cs, [((0, 1), 3), ((2,), 4), ((1,), 1)])
>>> r = approval(p, 2, TieBreaker("refuse"))
>>> r.elected, r.ranking
(('b', 'c'), ('b', 'c', 'a'))
"""

from __future__ import annotations

from fractions import Fraction

from tandau.core.tally.ballots import ApprovalProfile
from tandau.core.tally.registry import register
from tandau.core.tally.result import SelectionRound, TallyResult
from tandau.core.tally.ties import TieBreaker
from tandau.errors import InputError

AV_SOURCE = "Brams & Fishburn, Approval Voting, APSR 72(3) 1978; Lackner & Skowron 2023, rule AV"
PLURALITY_SOURCE = "Single-mark plurality (first past the post), ranked by votes"


def rank_by_score(
    profile: ApprovalProfile, seats: int, ties: TieBreaker, *, method: str, scores: tuple[int, ...]
) -> TallyResult:
    """Rank candidates by ``scores`` (descending); ties matter only where they cross the seat line or order.

    A tie among candidates on both sides of the seat line is a decisive tie: under ``refuse`` it raises.
    Other equal scores are ordered by the policy too (``nomination-order`` by index, ``lot`` by the seeded draw),
    except under ``refuse``, where they keep nomination order and are recorded as undecided.
    """
    ids = tuple(c.id for c in profile.candidates)
    n = len(ids)
    if seats > n:
        raise InputError(f"{seats} seats but only {n} candidates", parameter="seats")
    by_score = sorted(range(n), key=lambda i: (-scores[i], i))
    ranking: list[int] = []
    i = 0
    while i < n:
        j = i
        while j < n and scores[by_score[j]] == scores[by_score[i]]:
            j += 1
        block = by_score[i:j]
        decisive = i < seats < j
        if len(block) > 1 and (decisive or ties.policy != "refuse"):
            what = f"{'seat line' if decisive else 'ranking'} at {scores[block[0]]} approvals"
            rest = list(block)
            while len(rest) > 1:
                chosen = ties.pick(rest, what, favour=True)
                ranking.append(chosen)
                rest.remove(chosen)
            ranking.extend(rest)
        else:
            ranking.extend(block)
        i = j
    values = {ids[k]: Fraction(scores[k]) for k in range(n)}
    rounds = tuple(
        SelectionRound(pos + 1, ids[k], Fraction(scores[k]), values, "most approvals among the rest")
        for pos, k in enumerate(ranking[:seats])
    )
    return TallyResult(
        method=method, seats=seats, candidates=profile.candidates, elected=tuple(ids[k] for k in ranking[:seats]),
        ranking=tuple(ids[k] for k in ranking), ballots=profile.total, scores=values, rounds=rounds,
        ties=tuple(ties.records), tie_policy=ties.policy, seed=ties.seed,
    )


@register("approval", name="Approval voting (ranking by approvals)", ballot="approval", source=AV_SOURCE)
def approval(profile: ApprovalProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Elect the ``seats`` candidates with most approvals; rank everyone by approvals."""
    return rank_by_score(profile, seats, ties, method="approval", scores=profile.approvals())


@register("plurality", name="Plurality (one mark)", ballot="approval", source=PLURALITY_SOURCE)
def plurality(profile: ApprovalProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Like approval, but every ballot must carry at most one mark (overvotes are invalid)."""
    if any(len(marks) > 1 for marks, _ in profile.ballots):
        raise InputError("plurality ballots carry at most one mark; found an overvote", parameter="ballots")
    return rank_by_score(profile, seats, ties, method="plurality", scores=profile.approvals())
