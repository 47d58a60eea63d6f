"""Hypothesis strategies shared by the property tests: candidates, groups and rules."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import strategies as st

from tandau.core.candidates import Candidate
from tandau.core.rules import MEN, WOMEN, Alternation, Balance, MaxRun, Quota, tagged, under, union

ELECTION = date(2025, 3, 19)
GROUPS = [WOMEN, MEN, under(35), tagged("disability"), union("kz", WOMEN, under(29), tagged("disability"))]


@st.composite
def candidates(draw: st.DrawFn, min_size: int = 1, max_size: int = 9) -> tuple[Candidate, ...]:
    n = draw(st.integers(min_size, max_size))
    out = []
    for i in range(n):
        sex = draw(st.sampled_from(["F", "M"]))
        year = draw(st.integers(1965, 2004))
        tags = frozenset(["disability"]) if draw(st.integers(0, 5)) == 0 else frozenset()
        votes = draw(st.integers(0, 40))
        out.append(Candidate(f"c{i}", f"Cand {i}", sex, date(year, 6, 1), votes, tags, order=i))
    return tuple(out)


@st.composite
def quotas(draw: st.DrawFn) -> Quota:
    group = draw(st.sampled_from(GROUPS))
    bound = draw(st.sampled_from(["min", "min", "max"]))
    scope = draw(st.sampled_from(["list", "prefix", "block", "window", "first"]))
    size = draw(st.integers(2, 5)) if scope in ("block", "window", "first") else None
    if draw(st.booleans()):
        count = draw(st.integers(0, 3)) if bound == "min" else draw(st.integers(1, 6))
        share = None
    else:
        count = None
        share = Fraction(draw(st.integers(1, 6)), 10) if bound == "min" else Fraction(draw(st.integers(5, 9)), 10)
    return Quota(
        group, bound=bound, count=count, share=share,  # type: ignore[arg-type]
        rounding=draw(st.sampled_from(["ceil", "floor", "nearest"])), scope=scope, size=size,  # type: ignore[arg-type]
        start=draw(st.integers(1, 3)), partial=draw(st.sampled_from(["prorata", "balanced", "full", "skip"])),  # type: ignore[arg-type]
        origin=f"r{draw(st.integers(0, 99))}", min_length=draw(st.sampled_from([0, 0, 3, 5])),
    )


rule = st.one_of(
    quotas(),
    quotas(),
    quotas(),
    st.builds(MaxRun, length=st.integers(1, 3), origin=st.just("run")),
    st.builds(Alternation, start=st.sampled_from([None, "F", "M"]), origin=st.just("alt")),
    st.builds(Balance, gap=st.integers(0, 2), origin=st.just("bal")),
)
rules = st.lists(rule, min_size=0, max_size=3).map(tuple)


# -- approval ballot files (the CSV of docs/formats-ballots.md) ---------------------------------------------------

#: Printable ASCII the fast reader accepts in ids (no separator, no byte below '-'); a few files add others.
ID_SAFE = "-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
ID_ODD = ID_SAFE + "!#$%&'()*+\t\"" + "éжқ"  # bytes the fast reader hands to the line reader, and UTF-8


@st.composite
def ballot_files(draw: st.DrawFn, max_contests: int = 6, max_candidates: int = 24
                 ) -> tuple[dict[str, list[str]], list[tuple[str, list[str]]]]:
    """Candidate ids by contest (random, 1 to 10 characters) and ballots ``(contest, marks)`` over them."""
    alphabet = draw(st.sampled_from([ID_SAFE, ID_SAFE, ID_SAFE, ID_ODD]))
    ident = st.text(alphabet, min_size=1, max_size=draw(st.sampled_from([8, 8, 10])))
    contests = draw(st.lists(ident, min_size=1, max_size=max_contests, unique=True))
    cands = {k: draw(st.lists(ident, min_size=1, max_size=max_candidates, unique=True)) for k in contests}
    ballot = st.sampled_from(contests).flatmap(
        lambda k: st.lists(st.sampled_from(cands[k]), max_size=len(cands[k]), unique=True).map(lambda m: (k, m)))
    return cands, draw(st.lists(ballot, min_size=1, max_size=60))
