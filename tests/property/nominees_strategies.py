"""Hypothesis strategies for nominee selection: districts of ranked candidates and whole-set rules."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from tandau.core.candidates import Candidate
from tandau.core.nominees import District
from tandau.core.rules import MEN, WOMEN, Balance, Quota, tagged, under, union

ELECTION = date(2025, 3, 19)
GROUPS = [WOMEN, MEN, under(35), tagged("disability"), union("kz", WOMEN, under(29), tagged("disability"))]


@st.composite
def districts(draw: st.DrawFn, max_districts: int = 7, max_candidates: int = 4) -> tuple[District, ...]:
    """Up to ``max_districts`` districts of 1..``max_candidates`` candidates; few distinct vote counts, so ties
    (broken by nomination order) are common."""
    out = []
    k = 0
    for d in range(draw(st.integers(1, max_districts))):
        cands = []
        for _ in range(draw(st.integers(1, max_candidates))):
            sex = draw(st.sampled_from(["F", "M"]))
            year = draw(st.integers(1965, 2004))
            tags = frozenset(["disability"]) if draw(st.integers(0, 5)) == 0 else frozenset()
            cands.append(Candidate(f"c{k}", f"Cand {k}", sex, date(year, 6, 1), draw(st.integers(0, 6)), tags,
                                   order=k))
            k += 1
        out.append(District(f"D{d + 1}", tuple(cands)))
    return tuple(out)


@st.composite
def set_quotas(draw: st.DrawFn) -> Quota:
    group = draw(st.sampled_from(GROUPS))
    bound = draw(st.sampled_from(["min", "min", "max"]))
    if draw(st.booleans()):
        count = draw(st.integers(0, 4)) if bound == "min" else draw(st.integers(0, 5))
        share = None
    else:
        count = None
        share = Fraction(draw(st.integers(1, 6)), 10) if bound == "min" else Fraction(draw(st.integers(3, 9)), 10)
    return Quota(group, bound=bound, count=count, share=share,  # type: ignore[arg-type]
                 rounding=draw(st.sampled_from(["ceil", "floor", "nearest"])),  # type: ignore[arg-type]
                 origin=f"r{draw(st.integers(0, 99))}", min_length=draw(st.sampled_from([0, 0, 0, 4])),
                 enforce=draw(st.sampled_from([True, True, True, False])))


set_rule = st.one_of(set_quotas(), set_quotas(), set_quotas(),
                     st.builds(Balance, gap=st.integers(0, 2), origin=st.just("bal")))
set_rules = st.lists(set_rule, min_size=1, max_size=3).map(tuple)
