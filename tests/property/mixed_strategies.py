"""Hypothesis strategies for mixed councils: list votes, lists, district results with by-elections, estimates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from tandau.core.candidates import Candidate
from tandau.core.seats.mixed import INDEPENDENT, DistrictResult
from tandau.core.seats.mixed_sim import DistrictEstimate
from tandau.core.systems import CouncilSeats, District

ELECTION = date(2023, 3, 19)
PARTIES = ("A", "B", "C")


@dataclass(frozen=True)
class MixedCase:
    council: CouncilSeats
    votes: tuple[tuple[str, int], ...]
    results: tuple[DistrictResult, ...]
    lists: dict[str, list[Candidate]]


def _council(list_seats: int, districts: int) -> CouncilSeats:
    return CouncilSeats("X", "regional", list_seats + districts, list_seats,
                        tuple(District(f"X-D{k:02d}", "X", k) for k in range(1, districts + 1)))


@st.composite
def people(draw: st.DrawFn) -> tuple[str | None, date | None]:
    sex = draw(st.sampled_from(["F", "M", None]))
    birth = draw(st.one_of(st.none(), st.dates(date(1960, 1, 1), date(2003, 1, 1))))
    return sex, birth


@st.composite
def mixed_cases(draw: st.DrawFn) -> MixedCase:
    """A council of 0-8 list seats and 1-6 districts; every district a general result and 0-2 by-elections (the
    holder before each by-election may or may not record its vacating day; the last may vacate)."""
    list_seats = draw(st.integers(0, 8))
    council = _council(list_seats, draw(st.integers(1, 6)))
    votes = tuple((p, draw(st.integers(1 if p == "A" else 0, 10_000))) for p in PARTIES) if list_seats else ()
    results: list[DistrictResult] = []
    for d in council.districts:
        day = ELECTION
        events = draw(st.integers(1, 3))
        for e in range(events):
            sex, birth = draw(people())
            by = None if e == 0 else day + timedelta(days=draw(st.integers(1, 300)))
            day = by or day
            last = e == events - 1
            vacated = day + timedelta(days=draw(st.integers(0, 30))) if (not last or draw(st.booleans())) else None
            if not last and vacated is not None and draw(st.booleans()):
                vacated = None
            results.append(DistrictResult(str(d.number), f"{d.id}-w{e}", draw(st.sampled_from(
                (*PARTIES, INDEPENDENT))), None, by, vacated, f"{d.id}-w{e}", sex, birth))  # type: ignore[arg-type]
            if vacated is not None:
                day = vacated
    lists: dict[str, list[Candidate]] = {}
    for p in PARTIES[: draw(st.integers(0, 3))] if list_seats else ():
        lists[p] = [Candidate(f"{p}{i}", f"{p} {i}", draw(st.sampled_from(["F", "M"])),
                              draw(st.dates(date(1960, 1, 1), date(2003, 1, 1))), order=i)
                    for i in range(list_seats + 2)]
    return MixedCase(council, votes, tuple(draw(st.permutations(results))), lists)


@st.composite
def estimate_cases(draw: st.DrawFn) -> tuple[CouncilSeats, list[DistrictEstimate]]:
    """A council of 1-5 districts, each with 1-4 candidates (parties A-C and self-nominated)."""
    council = _council(0, draw(st.integers(1, 5)))
    rows: list[DistrictEstimate] = []
    for d in council.districts:
        parties = draw(st.lists(st.sampled_from((*PARTIES, INDEPENDENT)), min_size=1, max_size=4).map(
            lambda ps: [p for i, p in enumerate(ps) if p == INDEPENDENT or p not in ps[:i]]))
        for p in parties:
            rows.append(DistrictEstimate(str(d.number), p, draw(st.floats(0, 1)),
                                         draw(st.one_of(st.none(), st.floats(0, 0.2)))))
    return council, rows
