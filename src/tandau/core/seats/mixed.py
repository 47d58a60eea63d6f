"""Mixed councils: the list half by the seat engine, the single-member half from the district results.

A mixed council (Kazakhstan since 2023: regional and republican-city maslikhats, half list, half single-member;
the Majilis, 69 + 29) is composed in three steps, each recorded in the result's trace:

1. **List half.** The council's list seats are allocated among the party lists by the seat-allocation preset of
   its level in the electoral system (``kz-2023``: ``kz-maslikhat-2023``, Hare largest remainders, 5% of valid
   votes with "against all", runner-up admission, :mod:`tandau.core.seats.presets`). A party's registered list,
   when given, names its mandate holders under a mandate rule (``kz-law-2022`` by default: at least ⌈30%⌉ of the
   party's list mandates to women, under-29s or persons with a disability, :mod:`tandau.core.seats.mandates`).
2. **District half.** Every single-member district has a general-election result (winner, party) and possibly
   later events: the holder ``vacated`` the seat on a date, a ``by_election`` on a date filled it. The seat's
   holder on a day (``as_of``, default: every event known) is the winner of the latest election held by then,
   unless that winner had vacated by then (the seat is then vacant). Self-nominated winners have the party
   :data:`INDEPENDENT`.
3. **Composition and factions.** Seats per party = list seats + district seats; a party's faction is its list
   mandate holders and its district winners, with the number of women and of deputies under 35 (the party rule's
   age, ``nur-otan-2019``) on the day each was elected (election day; a by-election winner's by-election day).

Exact integers throughout; the seat engine's trace and ties are kept in the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from tandau.core.candidates import Candidate, Sex
from tandau.core.seats.apportion import Allocation, allocate
from tandau.core.seats.mandates import Mandates, assign_mandates
from tandau.core.systems.districts import CouncilSeats
from tandau.core.systems.registry import LevelSystem
from tandau.errors import InputError

#: the party of a self-nominated district winner
INDEPENDENT = "self-nominated"
#: deputies younger than this on the day they were elected count as young (the party rule nur-otan-2019: under 35)
YOUNG_AGE = 35

MandateKind = Literal["list", "district"]


@dataclass(frozen=True, slots=True)
class DistrictResult:
    """One election in a single-member district: the general election (``by_election`` None) or a by-election.

    ``district`` is the council's district id or its number (``M-75-D07`` or ``7``). ``vacated`` is the day this
    winner left the seat (a vacancy until the next by-election). ``file`` and ``row`` locate the row for errors.
    """

    district: str
    winner: str
    party: str
    votes: int | None = None
    by_election: date | None = None
    vacated: date | None = None
    winner_id: str = ""
    sex: Sex | None = None
    birth_date: date | None = None
    tags: frozenset[str] = frozenset()
    file: str | None = None
    row: int | None = None

    def _error(self, problem: str, column: str) -> InputError:
        return InputError(problem, file=self.file, row=self.row, column=column,
                          parameter=None if self.file or self.row else "districts")


@dataclass(frozen=True, slots=True)
class DistrictSeat:
    """A district's seat on the day of the composition: its holder (None when vacant) and every election in it."""

    district: str
    number: int
    holder: DistrictResult | None
    history: tuple[DistrictResult, ...]
    note: str

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        h = self.holder
        return {"district": self.district, "number": self.number, "vacant": h is None,
                "winner": None if h is None else h.winner, "winner_id": None if h is None else (h.winner_id or None),
                "party": None if h is None else h.party, "votes": None if h is None else h.votes,
                "elected_on": None if h is None or h.by_election is None else h.by_election.isoformat(),
                "by_election": h is not None and h.by_election is not None, "note": self.note}


def _match(council: CouncilSeats, ref: str) -> str | None:
    for d in council.districts:
        if ref == d.id:
            return d.id
    if ref.isdigit():
        number = int(ref)
        for d in council.districts:
            if d.number == number:
                return d.id
    return None


def district_holders(council: CouncilSeats, results: Sequence[DistrictResult], *, election_day: date | None = None,
                     as_of: date | None = None) -> tuple[DistrictSeat, ...]:
    """Each district's holder, in district order, from the general results and the by-elections.

    Every district needs exactly one general-election row; by-election days are distinct within a district and
    later than election day; a ``vacated`` day lies between the winner's own election and the next by-election.
    Events after ``as_of`` are ignored.

    >>> from tandau.core.systems import CouncilSeats, District
    >>> c = CouncilSeats("C", "regional", 2, 0, (District("C-D01", "C", 1), District("C-D02", "C", 2)))
    >>> seats = district_holders(c, [DistrictResult("1", "Ann", "A", vacated=date(2023, 6, 1)),
    ...     DistrictResult("1", "Bek", "B", by_election=date(2023, 10, 29)), DistrictResult("C-D02", "Cem", "A")])
    >>> [(s.district, s.holder.winner) for s in seats]
    [('C-D01', 'Bek'), ('C-D02', 'Cem')]
    >>> district_holders(c, [DistrictResult("1", "Ann", "A", vacated=date(2023, 6, 1)),
    ...     DistrictResult("2", "Cem", "A")])[0].holder is None
    True
    """
    by_district: dict[str, list[DistrictResult]] = {d.id: [] for d in council.districts}
    general: dict[str, DistrictResult] = {}
    for r in results:
        did = _match(council, r.district)
        if did is None:
            ds = council.districts
            valid = f"{ds[0].id}..{ds[-1].id} or 1..{len(ds)}" if ds else "none"
            raise r._error(f"unknown district {r.district!r} of council {council.council_id} (valid: {valid})",
                           "district")
        if not r.winner:
            raise r._error("empty winner (a vacancy is the 'vacated' day of the holder who left)", "winner")
        if not r.party:
            raise r._error(f"empty party (a self-nominated winner's party is {INDEPENDENT!r})", "party")
        if r.by_election is None:
            if did in general:
                g = general[did]
                raise r._error(f"district {did} already has its general-election result"
                               f"{f' (row {g.row})' if g.row else ''}; a later election needs by_election",
                               "district")
            general[did] = r
        else:
            if election_day is not None and r.by_election <= election_day:
                raise r._error(f"a by-election must come after election day {election_day}, got {r.by_election}",
                               "by_election")
            same = next((x for x in by_district[did] if x.by_election == r.by_election), None)
            if same is not None:
                raise r._error(f"district {did} already has a by-election on {r.by_election}"
                               f"{f' (row {same.row})' if same.row else ''}", "by_election")
        by_district[did].append(r)
    missing = [d.id for d in council.districts if d.id not in general]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        where = next((r.file for r in results if r.file), None)
        raise InputError(f"no general-election result for {len(missing)} district(s) of council "
                         f"{council.council_id}: {', '.join(missing[:5])}{more}", file=where,
                         parameter=None if where else "districts")
    seats: list[DistrictSeat] = []
    for d in council.districts:
        events = sorted(by_district[d.id], key=lambda r: (r.by_election is not None, r.by_election or date.min))
        for prev, nxt in pairwise(events):
            if prev.vacated is not None and nxt.by_election is not None and prev.vacated > nxt.by_election:
                raise prev._error(f"vacated on {prev.vacated}, after the by-election of {nxt.by_election}", "vacated")
        for r in events:
            start = r.by_election or election_day
            if r.vacated is not None and start is not None and r.vacated < start:
                raise r._error(f"vacated on {r.vacated}, before being elected on {start}", "vacated")
        held = [r for r in events if as_of is None or r.by_election is None or r.by_election <= as_of]
        last = held[-1]
        vacant = last.vacated is not None and (as_of is None or last.vacated <= as_of)
        parts = []
        for r in held:
            when = f"by-election {r.by_election}" if r.by_election else "general election"
            parts.append(f"{r.winner} ({r.party}) won the {when}" + (f", vacated {r.vacated}" if r.vacated and (
                as_of is None or r.vacated <= as_of) else ""))
        note = "; ".join(parts) + ("; vacant" if vacant else "")
        seats.append(DistrictSeat(d.id, d.number, None if vacant else last, tuple(held), note))
    return tuple(seats)


@dataclass(frozen=True, slots=True)
class PartySeats:
    """A party's seats in the council: list + districts."""

    party: str
    list_seats: int
    district_seats: int

    @property
    def total(self) -> int:
        """List seats plus district seats."""
        return self.list_seats + self.district_seats


@dataclass(frozen=True, slots=True)
class Deputy:
    """A member of a faction: a list mandate holder (``position`` on the list) or a district winner."""

    party: str
    mandate: MandateKind
    name: str
    id: str
    sex: Sex | None
    birth_date: date | None
    elected_on: date | None
    district: str = ""
    position: int | None = None

    @property
    def age(self) -> int | None:
        """Completed years on the day elected (None when the birth date or the day is unknown)."""
        if self.birth_date is None or self.elected_on is None:
            return None
        b, d = self.birth_date, self.elected_on
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"mandate": self.mandate, "name": self.name, "id": self.id or None, "sex": self.sex,
                "age": self.age, "district": self.district or None, "position": self.position,
                "elected_on": None if self.elected_on is None else self.elected_on.isoformat()}


@dataclass(frozen=True, slots=True)
class Faction:
    """A party's deputies in the council: its list mandate holders and its district winners.

    ``unnamed_list_seats`` are list seats whose holders are unknown (no list given for the party). Women and
    under-35s are counted among the deputies whose sex or age is known; ``unknown_sex`` and ``unknown_age`` say
    how many are not (the unnamed list seats included).
    """

    party: str
    list_seats: int
    district_seats: int
    deputies: tuple[Deputy, ...]
    unnamed_list_seats: int
    women: int
    under_35: int
    unknown_sex: int
    unknown_age: int

    @property
    def size(self) -> int:
        """Number of deputies (list seats + district seats)."""
        return self.list_seats + self.district_seats

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"party": self.party, "deputies": self.size, "list": self.list_seats, "districts": self.district_seats,
                "women": self.women, f"under_{YOUNG_AGE}": self.under_35, "unknown_sex": self.unknown_sex,
                "unknown_age": self.unknown_age, "unnamed_list_seats": self.unnamed_list_seats,
                "members": [d.as_data() for d in self.deputies]}


@dataclass(frozen=True)
class CouncilComposition:
    """Seats per party (list + districts) of a mixed council, with the trace of each step."""

    council_id: str
    level: str
    seats: int
    list_seats: int
    rules: str | None
    allocation: Allocation | None
    districts: tuple[DistrictSeat, ...]
    parties: tuple[PartySeats, ...]
    mandates: tuple[tuple[str, Mandates], ...]
    election_day: date | None
    as_of: date | None
    steps: tuple[str, ...]

    @property
    def vacant(self) -> int:
        """District seats without a holder."""
        return sum(s.holder is None for s in self.districts)

    def party(self, party: str) -> PartySeats:
        """The row of ``party`` (zeros for a party with no list votes and no district)."""
        return next((p for p in self.parties if p.party == party), PartySeats(party, 0, 0))

    def faction(self, party: str) -> Faction:
        """``party``'s deputies: list mandate holders (when its list was given) and district winners."""
        row = self.party(party)
        deputies: list[Deputy] = []
        mand = dict(self.mandates).get(party)
        if mand is not None:
            for c in mand.elected:
                deputies.append(Deputy(party, "list", c.name, c.id, c.sex, c.birth_date, self.election_day,
                                       position=c.order + 1))
        for s in self.districts:
            h = s.holder
            if h is not None and h.party == party:
                deputies.append(Deputy(party, "district", h.winner, h.winner_id, h.sex, h.birth_date,
                                       h.by_election or self.election_day, district=s.district))
        ages = [d.age for d in deputies]
        unnamed = row.list_seats - (len(mand.elected) if mand is not None else 0)
        return Faction(party, row.list_seats, row.district_seats, tuple(deputies), unnamed,
                       sum(d.sex == "F" for d in deputies), sum(a is not None and a < YOUNG_AGE for a in ages),
                       unnamed + sum(d.sex is None for d in deputies), unnamed + sum(a is None for a in ages))

    def as_data(self) -> dict[str, object]:
        """Plain data for JSON: composition, factions, districts, the list allocation and mandates, the steps."""
        return {
            "council": self.council_id, "level": self.level, "seats": self.seats, "list_seats": self.list_seats,
            "single_member": len(self.districts), "rules": self.rules,
            "election_day": None if self.election_day is None else self.election_day.isoformat(),
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "composition": [{"party": p.party, "list": p.list_seats, "districts": p.district_seats,
                             "total": p.total} for p in self.parties],
            "vacant": self.vacant,
            "factions": [self.faction(p.party).as_data() for p in self.parties if p.total],
            "districts": [s.as_data() for s in self.districts],
            "list": None if self.allocation is None else self.allocation.as_data(),
            "mandates": {p: m.as_data() for p, m in self.mandates},
            "steps": list(self.steps),
        }


def compose_council(council: CouncilSeats, level: LevelSystem, votes: Sequence[tuple[str, int]] | Mapping[str, int],
                    results: Sequence[DistrictResult], *, lists: Mapping[str, Sequence[Candidate]] | None = None,
                    mandate_rule: str = "kz-law-2022", election_day: date | None = None,
                    other_valid_votes: int = 0, as_of: date | None = None, tie_policy: str | None = None,
                    seed: int | None = None) -> CouncilComposition:
    """The composition of a council with list seats and single-member districts.

    ``level`` gives the list half's preset (``level.seat_rules``); ``votes`` the list votes in registration order
    (may be empty when the council has no list seats); ``results`` the district elections
    (:func:`district_holders`); ``lists`` a party's registered list in list order, whose mandate holders are
    named under ``mandate_rule``.

    >>> from tandau.core.systems import CouncilSeats, District, get_system
    >>> c = CouncilSeats("C", "regional", 4, 2, (District("C-D01", "C", 1), District("C-D02", "C", 2)))
    >>> r = compose_council(c, get_system("kz-2023").level("regional"), {"A": 600, "B": 400},
    ...                     [DistrictResult("1", "Ann", "A"), DistrictResult("2", "Bek", INDEPENDENT)])
    >>> [(p.party, p.list_seats, p.district_seats, p.total) for p in r.parties]
    [('A', 1, 1, 2), ('B', 1, 0, 1), ('self-nominated', 0, 1, 1)]
    """
    items = list(votes.items()) if isinstance(votes, Mapping) else list(votes)
    steps: list[str] = []
    allocation: Allocation | None = None
    list_seats: dict[str, int] = {}
    if council.list_seats:
        if not level.seat_rules:
            raise InputError(f"council {council.council_id} has {council.list_seats} list seats but its level has "
                             "no seat-allocation preset", parameter="system")
        if not items:
            raise InputError(f"council {council.council_id} has {council.list_seats} list seats: give the list "
                             "votes", parameter="votes")
        allocation = allocate(items, council.list_seats, rules=level.seat_rules, other_valid_votes=other_valid_votes,
                              tie_policy=tie_policy, seed=seed)
        list_seats = allocation.as_dict()
        admitted = allocation.threshold.admitted if allocation.threshold else tuple(list_seats)
        steps.append(f"list half: {council.list_seats} seats by {level.seat_rules} ({allocation.method.method}); "
                     f"admitted {', '.join(admitted)}; "
                     + ", ".join(f"{p} {n}" for p, n in list_seats.items() if n))
    elif items:
        raise InputError(f"council {council.council_id} has no list seats; list votes were given", parameter="votes")
    seats = district_holders(council, results, election_day=election_day, as_of=as_of)
    for s in seats:
        steps.append(f"district {s.district}: {s.note}")
    district_count: dict[str, int] = {}
    for s in seats:
        if s.holder is not None:
            district_count[s.holder.party] = district_count.get(s.holder.party, 0) + 1
    order = [p for p, _ in items] + [p for p in district_count if p not in list_seats and p != INDEPENDENT]
    if INDEPENDENT in district_count and INDEPENDENT not in order:
        order.append(INDEPENDENT)
    parties = tuple(PartySeats(p, list_seats.get(p, 0), district_count.get(p, 0)) for p in order)
    mandates: list[tuple[str, Mandates]] = []
    for party, names in (lists or {}).items():
        if party not in list_seats:
            raise InputError(f"a list was given for {party!r}, which has no list votes "
                             f"(parties: {', '.join(list_seats) or 'none'})", parameter="lists")
        if len(names) < list_seats[party]:
            raise InputError(f"the list of {party!r} has {len(names)} names for its {list_seats[party]} list seats",
                             parameter="lists")
        m = assign_mandates(names, list_seats[party], mandate_rule, election_day)
        mandates.append((party, m))
        moves = "; ".join(f"{r.into} replaces {r.out}" for r in m.replacements)
        steps.append(f"{party}: {m.seats} list mandates under {mandate_rule}: {', '.join(c.id for c in m.elected)}"
                     + (f" ({moves})" if moves else "") + ("" if m.met else f"; rule NOT met ({m.held}/{m.needed})"))
    for p in parties:
        if p.total:
            steps.append(f"{p.party}: {p.list_seats} list + {p.district_seats} districts = {p.total}")
    vacant = sum(s.holder is None for s in seats)
    steps.append(f"council {council.council_id}: {sum(p.total for p in parties)} of {council.seats} seats filled"
                 + (f", {vacant} vacant" if vacant else ""))
    return CouncilComposition(council.council_id, council.level, council.seats, council.list_seats,
                              level.seat_rules or None, allocation, seats, parties, tuple(mandates), election_day,
                              as_of, tuple(steps))
