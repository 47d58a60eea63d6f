"""Why a district's nominee is not its primary winner, in English and as structured reasons.

A departure is pinned by the leadership, forced by exclusions (the winner may not be nominated, and the nominee
is the best-placed candidate who may), or required by rules: then the reason names every rule that would fail
if that district alone nominated its best-placed eligible candidate instead (an optimal choice always has at
least one, or that district could revert at a lower cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from tandau.core.candidates import Candidate
from tandau.core.nominees.compile import Need
from tandau.core.nominees.problem import Problem
from tandau.core.nominees.reasons import NomineeReason, nominee_reason
from tandau.core.rules.model import Balance, Quota


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']
    """
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def percent(value: Fraction) -> str:
    """A share as a whole percentage when exact, else to four significant digits.

    >>> percent(Fraction(3, 10)), percent(Fraction(1, 3))
    ('30%', '33.33%')
    """
    pct = value * 100
    return f"{pct.numerator // pct.denominator}%" if pct.denominator == 1 else f"{float(pct):.4g}%"


def vote_share(candidate: Candidate, ranking: Sequence[Candidate]) -> str:
    """The candidate's share of the district's votes, rounded to a whole percentage (presentation only)."""
    total = sum(c.votes for c in ranking)
    return "0%" if total == 0 else f"{round(100 * candidate.votes / total)}%"


def why_of(need: Need) -> NomineeReason:
    """What the set must hold for ``need``'s rule: "at least 30% women (nur-otan-2019)"."""
    rule = need.rule
    origin = rule.origin
    tail = f" ({origin})" if origin else ""
    if isinstance(rule, Balance):
        return nominee_reason("nominee_why_balance", f"women and men in numbers differing by at most {rule.gap}"
                              f"{tail}", gap=rule.gap, origin=origin)
    if not isinstance(rule, Quota):  # compile.needs_of makes needs of quotas and balance only
        raise TypeError(f"no set requirement for {rule!r}")
    who = rule.group.reason()
    word = "at least" if rule.bound == "min" else "at most"
    if rule.count is not None:
        return nominee_reason(f"nominee_why_{rule.bound}_count", f"{word} {rule.count} {who.text}{tail}",
                              group=who, count=rule.count, origin=origin)
    share = percent(rule.share or Fraction(0))
    return nominee_reason(f"nominee_why_{rule.bound}_share", f"{word} {share} {who.text}{tail}", group=who,
                          share=share, origin=origin)


def _broken(problem: Problem, chosen: Sequence[Candidate]) -> list[Need]:
    day = problem.request.election_date
    everyone = [*chosen, *problem.request.also_counted]
    return [n for n in problem.needs if sum(1 for c in everyone if n.contains(c, day)) < n.total]


def explain(problem: Problem, picks: Sequence[int]) -> list[NomineeReason | None]:
    """The reason of each district's nominee (None for a primary winner)."""
    rankings = problem.rankings
    chosen = [rankings[d][i] for d, i in enumerate(picks)]
    label = problem.request.set_label
    mixed = bool(problem.request.also_counted)
    out: list[NomineeReason | None] = []
    for d, i in enumerate(picks):
        ranking = rankings[d]
        if i == 0:
            out.append(None)
            continue
        nominee, winner = ranking[i], ranking[0]
        district = problem.request.districts[d].id
        share = vote_share(nominee, ranking)
        head = f"district {district}: {nominee.name}, {ordinal(i + 1)} with {share} of the district's votes"
        who: dict[str, str | int] = {"district": district, "name": nominee.name, "rank": i + 1, "share": share}
        best = problem.unpinned[d][0] if problem.unpinned[d] else i
        if d in problem.pins:
            out.append(nominee_reason("nominee_pinned", f"{head}, nominated by the leadership (pinned) instead of "
                                      f"the winner {winner.name}", winner=winner.name, **who))
            continue
        if i == best:
            out.append(nominee_reason("nominee_winner_excluded", f"{head}, nominated because the winner "
                                      f"{winner.name} is excluded", winner=winner.name, **who))
            continue
        reverted = [*chosen[:d], ranking[best], *chosen[d + 1:]]
        whys: list[NomineeReason] = []
        for need in _broken(problem, reverted):
            why = why_of(need)
            if why not in whys:
                whys.append(why)
        instead = ranking[best]
        other = f"the winner {instead.name}" if best == 0 else \
            f"{instead.name} ({ordinal(best + 1)}; those above are excluded)"
        whole = f"the {label}'s candidates (list and nominees)" if mixed else f"the {label}'s nominees"
        goal = " and ".join(w.text for w in whys) if whys else "every rule"
        out.append(nominee_reason("nominee_for_rules", f"{head}, nominated instead of {other} so that {whole} hold "
                                  f"{goal}", instead=instead.name, instead_rank=best + 1, set=label,
                                  mixed=int(mixed), whys=tuple(whys), **who))
    return out
