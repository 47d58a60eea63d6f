"""Single-member districts of every council: ids, optional names, and the rule that derives them.

Where the official table of districts is unknown (every maslikhat: the CEC and the territorial commissions publish
district schemes in regional newspapers, not in machine-readable form), the districts are derived
deterministically: a council with ``seats`` seats of which ``list_seats`` come from party lists has
``seats − list_seats`` districts, numbered 1, 2, … with the stable ids ``<council id>-D01``, ``-D02``, … (three
digits past 99), without names, lying in the council's own unit (``kato``). The numbers of seats are those of the
territory (derived or official, docs/territory.md); an official district table replaces the derived districts
council by council (:func:`with_districts`, loaded from CSV by :func:`tandau.io.territory.load_districts`).

The national council's districts come from the system's per-region table when it has one (Kazakhstan 2023: the
29 Majilis districts, ids ``KZ-MAJILIS-D01`` … ``-D29`` in the CEC's numbering, each in its region).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tandau.core.systems.registry import ElectoralSystem
from tandau.errors import InputError, UnknownIdError

if TYPE_CHECKING:  # the territory module imports the registry; only its types are needed here
    from tandau.core.territory import Council, Territory

DISTRICT_SOURCES: tuple[str, ...] = ("derived", "official")


@dataclass(frozen=True, slots=True)
class District:
    """A single-member district of a council. ``kato`` is the unit it lies in (the smallest known)."""

    id: str
    council_id: str
    number: int
    name: str = ""
    kato: str = ""
    source: str = "derived"


@dataclass(frozen=True, slots=True)
class CouncilSeats:
    """A council's seats split into list seats and single-member districts, with where the districts came from."""

    council_id: str
    level: str
    seats: int
    list_seats: int
    districts: tuple[District, ...]
    basis: str = ""

    @property
    def single_member(self) -> int:
        """Number of single-member districts (= seats − list seats)."""
        return len(self.districts)


@dataclass(frozen=True)
class Districting:
    """Every council of a territory with its list seats and its single-member districts under one system."""

    system: str
    country: str
    layout: str
    councils: tuple[CouncilSeats, ...]

    def council(self, council_id: str) -> CouncilSeats:
        """The council with this id, or :class:`UnknownIdError`."""
        for c in self.councils:
            if c.council_id == council_id:
                return c
        raise UnknownIdError("council", council_id, [c.council_id for c in self.councils])

    def districts(self, levels: Iterable[str] | None = None) -> tuple[District, ...]:
        """Every district of the councils at ``levels`` (default: all), in council order."""
        wanted = None if levels is None else set(levels)
        return tuple(d for c in self.councils if wanted is None or c.level in wanted for d in c.districts)

    def list_seats(self, levels: Iterable[str] | None = None) -> int:
        """Total list seats of the councils at ``levels`` (default: every level but ``national``)."""
        wanted = set(levels) if levels is not None else None
        return sum(c.list_seats for c in self.councils
                   if (c.level in wanted if wanted is not None else c.level != "national"))

    def single_member(self, levels: Iterable[str] | None = None) -> int:
        """Total single-member districts of the councils at ``levels`` (default: every level but ``national``)."""
        wanted = set(levels) if levels is not None else None
        return sum(c.single_member for c in self.councils
                   if (c.level in wanted if wanted is not None else c.level != "national"))


def district_id(council_id: str, number: int) -> str:
    """The stable id of district ``number`` of a council.

    >>> district_id("M-5910", 7), district_id("KZ-MAJILIS", 29)
    ('M-5910-D07', 'KZ-MAJILIS-D29')
    """
    return f"{council_id}-D{number:02d}"


def _derived(council: Council, count: int) -> tuple[District, ...]:
    return tuple(District(district_id(council.id, k), council.id, k, "", council.unit_id, "derived")
                 for k in range(1, count + 1))


def _national(council: Council, count: int, system: ElectoralSystem | None,
              names: Mapping[str, str]) -> tuple[tuple[District, ...], str]:
    table = system.national_districts if system is not None else ()
    if system is None or not table or sum(n for _, n in table) != count:
        return _derived(council, count), f"{count} = {council.seats} seats - {council.list_seats} list seats"
    districts: list[District] = []
    for unit_id, n in table:
        for _ in range(n):
            k = len(districts) + 1
            where = names.get(unit_id, unit_id)
            districts.append(District(district_id(council.id, k), council.id, k, f"No. {k} ({where})", unit_id,
                                      "official"))
    return tuple(districts), system.national_districts_source


def derive_districts(territory: Territory, system: ElectoralSystem | None = None) -> Districting:
    """Every council's list seats (from the territory) and its single-member districts (the rule above); the
    ``system`` (none for a country loaded from CSV) gives the national council's districts per region.

    >>> from tandau.core.systems import get_system
    >>> from tandau.core.territory import Council, Territory, Unit
    >>> t = Territory("XX", "", (Unit("X", "X", "country", None),), (Council("C", "C", "city", "X", None, 3,
    ...               "official", 1),))
    >>> [d.id for d in derive_districts(t, get_system("kz-2023")).council("C").districts]
    ['C-D01', 'C-D02']
    """
    names = {u.id: u.name for u in territory.units}
    councils: list[CouncilSeats] = []
    for c in territory.councils:
        count = c.seats - c.list_seats
        if c.level == "national":
            districts, basis = _national(c, count, system, names)
        else:
            districts = _derived(c, count)
            basis = f"{count} = {c.seats} seats - {c.list_seats} list seats" if count else ""
        councils.append(CouncilSeats(c.id, c.level, c.seats, c.list_seats, districts, basis))
    return Districting("" if system is None else system.id, territory.country, territory.layout, tuple(councils))


def with_districts(districting: Districting, table: Mapping[str, Sequence[tuple[str, str, str]]],
                   source: str) -> Districting:
    """Replace the districts of the councils in ``table`` (council id → [(district id, name, kato)], in order).

    Each council must get exactly its number of single-member seats, and district ids must be unique across the
    whole districting. (File, row and column errors are the loader's: :func:`tandau.io.territory.load_districts`.)
    """
    known = {c.council_id: c for c in districting.councils}
    for cid, rows in table.items():
        if cid not in known:
            raise UnknownIdError("council", cid, sorted(known))
        if len(rows) != known[cid].single_member:
            raise InputError(f"council {cid} has {known[cid].single_member} single-member seats, "
                             f"{len(rows)} districts given", parameter="districts")
    councils: list[CouncilSeats] = []
    for c in districting.councils:
        if c.council_id not in table:
            councils.append(c)
            continue
        districts = tuple(District(did, c.council_id, k, name, kato, "official")
                          for k, (did, name, kato) in enumerate(table[c.council_id], start=1))
        councils.append(replace(c, districts=districts, basis=source))
    seen: set[str] = set()
    for d in (d for c in councils for d in c.districts):
        if d.id in seen:
            raise InputError(f"district id {d.id!r} is used twice", parameter="districts")
        seen.add(d.id)
    return replace(districting, councils=tuple(councils))


def check_system(territory: Territory, system: ElectoralSystem) -> tuple[tuple[str, str], ...]:
    """Councils whose list seats differ from the system's split of their seats: (council id, detail).

    Official tables may legitimately differ (an official list-seat number overrides the rule); the shipped
    Kazakh layouts agree with their systems exactly."""
    problems: list[tuple[str, str]] = []
    for c in territory.councils:
        expected, _ = system.split(c.level, c.seats)
        if expected != c.list_seats:
            problems.append((c.id, f"{c.list_seats} list seats of {c.seats}; {system.id} gives {expected}"))
    return tuple(problems)
