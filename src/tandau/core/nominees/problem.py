"""A request checked and compiled: each district's ranking and options, the rules' needs as coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tandau.core.candidates import Candidate
from tandau.core.nominees.compile import Need, needs_of, set_rules
from tandau.core.nominees.dp import Option, Solution, solve
from tandau.core.nominees.model import NomineeRequest
from tandau.core.rules.model import Quota, Rule
from tandau.errors import InputError


@dataclass(frozen=True, slots=True)
class Coordinate:
    """One count the choice must reach: ``need`` more nominees among ``members`` (candidate ids), for ``needs``."""

    members: frozenset[str]
    need: int
    needs: tuple[Need, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """The request validated; ``rankings[d]`` is district d's primary ranking, ``eligible[d]`` the indices in it
    that may be nominated (not excluded; only the pinned one if pinned), ``pins`` district index → ranking index."""

    request: NomineeRequest
    rules: tuple[Rule, ...]
    size: int
    rankings: tuple[tuple[Candidate, ...], ...]
    unpinned: tuple[tuple[int, ...], ...]
    pins: dict[int, int]
    needs: tuple[Need, ...]

    def eligible(self, d: int, drop_pin: int | None = None) -> tuple[int, ...]:
        if d in self.pins and d != drop_pin:
            return (self.pins[d],)
        return self.unpinned[d]

    def coordinates(self, needs: Sequence[Need]) -> tuple[Coordinate, ...]:
        """Needs grouped by the district candidates they count; each coordinate needs what its strictest asks
        beyond the list candidates counted with the nominees (``also_counted``)."""
        day = self.request.election_date
        grouped: dict[frozenset[str], list[tuple[int, Need]]] = {}
        for need in needs:
            members = frozenset(c.id for ranking in self.rankings for c in ranking if need.contains(c, day))
            fixed = sum(1 for c in self.request.also_counted if need.contains(c, day))
            grouped.setdefault(members, []).append((need.total - fixed, need))
        out = []
        for members, items in grouped.items():
            want = max(w for w, _ in items)
            if want > 0:
                out.append(Coordinate(members, want, tuple(n for _, n in items)))
        return tuple(out)

    def run(self, needs: Sequence[Need] | None = None, drop_pin: int | None = None) -> tuple[Solution,
                                                                                             tuple[Coordinate, ...]]:
        """Solve under ``needs`` (default: every enforced rule's), without the pin of district ``drop_pin`` if given."""
        coords = self.coordinates(self.needs if needs is None else needs)
        districts = [
            [Option(i + 1, i, tuple(int(ranking[i].id in c.members) for c in coords))
             for i in self.eligible(d, drop_pin)]
            for d, ranking in enumerate(self.rankings)
        ]
        return solve(districts, [c.need for c in coords]), coords


def compile_request(request: NomineeRequest) -> Problem:
    """Validate the request (one place for the core's checks) and compile its rules."""
    rules = set_rules(request.rules)
    if request.election_date is None and any(isinstance(r, Quota) and r.group.needs_age for r in rules):
        raise InputError("these rules count ages, so an election date is needed", parameter="--election-date")
    seen: dict[str, str] = {}
    index: dict[str, int] = {}
    for d, district in enumerate(request.districts):
        if district.id in index:
            raise InputError(f"district {district.id!r} is given twice", parameter="districts")
        index[district.id] = d
        for c in district.candidates:
            if c.id in seen:
                raise InputError(f"candidate {c.id!r} stands in districts {seen[c.id]!r} and {district.id!r}; "
                                 "ids must be unique across the set", parameter="districts")
            seen[c.id] = district.id
    rankings = tuple(d.ranking() for d in request.districts)
    pins: dict[int, int] = {}
    for district_id, cid in request.pins:
        if district_id not in index:
            raise InputError(f"no district {district_id!r}; districts: {', '.join(index)}", parameter="--pin")
        d = index[district_id]
        ids = [c.id for c in rankings[d]]
        if cid not in ids:
            raise InputError(f"candidate {cid!r} does not stand in district {district_id!r}; its candidates: "
                             f"{', '.join(ids)}", parameter="--pin")
        if cid in request.exclude:
            raise InputError(f"candidate {cid!r} is both pinned and excluded", parameter="--pin")
        if d in pins and ids[pins[d]] != cid:
            raise InputError(f"district {district_id!r} is pinned twice", parameter="--pin")
        pins[d] = ids.index(cid)
    unpinned = tuple(tuple(i for i, c in enumerate(r) if c.id not in request.exclude) for r in rankings)
    size = len(request.districts) + len(request.also_counted)
    needs = tuple(n for r in rules for n in needs_of(r, size))
    return Problem(request, rules, size, rankings, unpinned, pins, needs)
