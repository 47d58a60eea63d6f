"""Proportional approval rankings: sequential Phragmén and the Method of Equal Shares, in exact fractions.

- ``seq-phragmen`` (Phragmén 1894; Brill, Freeman, Janson & Lackner, "Phragmén's voting methods and justified
  representation", AAAI 2017): each elected candidate puts a load of 1 on its approvers, spread so as to keep
  the maximal load as low as possible; in each round the candidate whose election gives the smallest new
  maximal load ``(1 + sum of its approvers' loads) / approvers`` is elected.
- ``mes`` (Peters & Skowron, "Proportionality and the limits of welfarism", EC 2020; Lackner & Skowron 2023):
  each voter holds a budget of ``seats / voters``; a candidate costs 1; in each round the candidate that its
  approvers can pay for with the smallest equal share ``rho`` (voters with less pay all they have) is elected.
  **Completion**: when no remaining candidate is affordable and seats remain, seats are filled by sequential
  Phragmén starting from loads equal to minus the remaining budgets (as abcvoting's ``equal-shares``).

Both produce a full ranking: the selection simply continues (MES continues by the Phragmén completion) until
every candidate is placed; candidates no one approves come last. Ballot groups with identical approval sets
always carry equal loads and budgets, so the computation runs on groups.
"""

from __future__ import annotations

from fractions import Fraction

from tandau.core.tally.ballots import ApprovalProfile
from tandau.core.tally.registry import register
from tandau.core.tally.result import SelectionRound, TallyResult
from tandau.core.tally.ties import TieBreaker
from tandau.errors import InputError

PHRAGMEN_SOURCE = "Phragmén 1894; Brill, Freeman, Janson & Lackner, AAAI 2017 (seq-Phragmén); abcvoting 'seqphragmen'"
MES_SOURCE = "Peters & Skowron, EC 2020 (Method of Equal Shares); abcvoting 'equal-shares' (Phragmén completion)"


class _Groups:
    def __init__(self, profile: ApprovalProfile) -> None:
        n = profile.n_candidates
        self.ids = tuple(c.id for c in profile.candidates)
        self.counts = [c for m, c in profile.ballots if m]
        marks = [m for m, _ in profile.ballots if m]
        self.approvers: list[list[int]] = [[] for _ in range(n)]
        for g, m in enumerate(marks):
            for c in m:
                self.approvers[c].append(g)
        self.weight = [sum(self.counts[g] for g in self.approvers[c]) for c in range(n)]


def _choose(ties: TieBreaker, values: dict[int, Fraction], rnd: int, seats: int, what: str) -> int:
    best = min(values.values())
    tied = [c for c, v in values.items() if v == best]
    if len(tied) == 1:
        return tied[0]
    if rnd > seats and ties.policy == "refuse":
        chosen = min(tied)
        ties.note(f"{what}, round {rnd} (beyond the seats)", tied, chosen, "nomination-order (not decisive)")
        return chosen
    return ties.pick(tied, f"{what}, round {rnd}", favour=True)


def _phragmen_rounds(
    gr: _Groups, loads: list[Fraction], chosen: list[int], seats: int, ties: TieBreaker, rounds: list[SelectionRound],
    reason: str,
) -> None:
    n = len(gr.ids)
    while len(chosen) < n:
        rest = [c for c in range(n) if c not in chosen]
        values = {
            c: Fraction(1 + sum((gr.counts[g] * loads[g] for g in gr.approvers[c]), Fraction(0)), gr.weight[c])
            for c in rest if gr.weight[c] > 0
        }
        if not values:
            break
        c = _choose(ties, values, len(chosen) + 1, seats, "seq-Phragmén")
        for g in gr.approvers[c]:
            loads[g] = values[c]
        chosen.append(c)
        rounds.append(SelectionRound(len(chosen), gr.ids[c], values[c],
                                     {gr.ids[k]: v for k, v in values.items()}, reason))


def _finish(
    profile: ApprovalProfile, gr: _Groups, chosen: list[int], seats: int, ties: TieBreaker, method: str,
    rounds: list[SelectionRound], notes: tuple[str, ...] = (),
) -> TallyResult:
    n = len(gr.ids)
    rest = [c for c in range(n) if c not in chosen]  # approved by no one
    while rest:
        if len(chosen) >= seats and ties.policy == "refuse":
            c = min(rest)
            if len(rest) > 1:
                ties.note("unapproved candidates (beyond the seats)", rest, c, "nomination-order (not decisive)")
        else:
            c = ties.pick(rest, "unapproved candidates", favour=True)
        chosen.append(c)
        rest.remove(c)
    return TallyResult(
        method=method, seats=seats, candidates=profile.candidates, elected=tuple(gr.ids[c] for c in chosen[:seats]),
        ranking=tuple(gr.ids[c] for c in chosen), ballots=profile.total,
        scores={gr.ids[c]: Fraction(gr.weight[c]) for c in range(n)}, rounds=tuple(rounds),
        ties=tuple(ties.records), tie_policy=ties.policy, seed=ties.seed, notes=notes,
    )


def _check(profile: ApprovalProfile, seats: int) -> None:
    if seats > profile.n_candidates:
        raise InputError(f"{seats} seats but only {profile.n_candidates} candidates", parameter="seats")


@register("seq-phragmen", name="Sequential Phragmén", ballot="approval", source=PHRAGMEN_SOURCE)
def seq_phragmen(profile: ApprovalProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Sequential Phragmén, exact.

    >>> from tandau.core.tally.ballots import ApprovalProfile, Contestant
    >>> cs = [Contestant(x, x) for x in "abc"]
    >>> p = ApprovalProfile.build(cs, [((0, 1), 6), ((2,), 4)])
    >>> seq_phragmen(p, 2, TieBreaker("nomination-order")).elected
    ('a', 'c')
    """
    _check(profile, seats)
    gr = _Groups(profile)
    chosen: list[int] = []
    rounds: list[SelectionRound] = []
    _phragmen_rounds(gr, [Fraction(0)] * len(gr.counts), chosen, seats, ties, rounds, "smallest maximal load")
    return _finish(profile, gr, chosen, seats, ties, "seq-phragmen", rounds)


def _rho(gr: _Groups, budget: list[Fraction], c: int) -> Fraction | None:
    """Smallest equal share ``rho`` with ``sum(count * min(budget, rho)) == 1`` over approvers, or None."""
    groups = sorted(gr.approvers[c], key=lambda g: budget[g])
    remaining = Fraction(1)
    weight = gr.weight[c]
    for g in groups:
        if budget[g] * weight >= remaining:
            return remaining / weight
        remaining -= gr.counts[g] * budget[g]
        weight -= gr.counts[g]
    return None


@register("mes", name="Method of Equal Shares (Phragmén completion)", ballot="approval", source=MES_SOURCE)
def mes(profile: ApprovalProfile, seats: int, ties: TieBreaker) -> TallyResult:
    """Method of Equal Shares with seq-Phragmén completion, exact.

    >>> from tandau.core.tally.ballots import ApprovalProfile, Contestant
    >>> cs = [Contestant(x, x) for x in "abcd"]
    >>> p = ApprovalProfile.build(cs, [((0, 1), 6), ((2,), 3), ((3,), 1)])
    >>> mes(p, 3, TieBreaker("nomination-order")).elected
    ('a', 'b', 'c')
    """
    _check(profile, seats)
    gr = _Groups(profile)
    voters = profile.total
    n = len(gr.ids)
    budget = [Fraction(seats, voters) if voters else Fraction(0)] * len(gr.counts)
    chosen: list[int] = []
    rounds: list[SelectionRound] = []
    while len(chosen) < seats:
        values = {}
        for c in range(n):
            if c not in chosen:
                r = _rho(gr, budget, c)
                if r is not None:
                    values[c] = r
        if not values:
            break
        c = _choose(ties, values, len(chosen) + 1, seats, "MES")
        for g in gr.approvers[c]:
            budget[g] -= min(budget[g], values[c])
        chosen.append(c)
        rounds.append(SelectionRound(len(chosen), gr.ids[c], values[c], {gr.ids[k]: v for k, v in values.items()},
                                     "smallest equal share rho"))
    notes: tuple[str, ...] = ()
    if len(chosen) < seats:
        notes = (f"equal shares filled {len(chosen)} seat(s); the rest by seq-Phragmén completion",)
    _phragmen_rounds(gr, [-b for b in budget], chosen, seats, ties, rounds, "completion: smallest maximal load")
    return _finish(profile, gr, chosen, seats, ties, "mes", rounds, notes)
