"""Electoral systems: per level of council, which seats are filled from party lists and which in single-member
districts. Presets with stable ids, display names and sources (conventions.md: registries with stable ids).

The split of a council's seats is exact integer arithmetic: ``list = ⌊seats · share⌋`` (or a fixed number, as
for the Majilis), ``single-member districts = seats − list``. For a mixed council with an odd number of seats the
extra seat therefore goes to the single-member half. The statute and the CEC statements found say only "50% by
party lists, 50% in single-member districts"; every 2023 size known to the project is even (Astana 34, Almaty 42,
Shymkent 32, Kostanay 32, North Kazakhstan 30: ``tests/vectors/systems``), so the rule for an odd size is the
project's choice, not a cited one, and matters only for derived sizes (docs/territory.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from tandau.errors import InputError, UnknownIdError

Kind = Literal["list", "mixed", "single-member"]
KINDS: tuple[Kind, ...] = ("list", "mixed", "single-member")
#: The default system of a cycle that names none (rows created before migration 0006, and new cycles created
#: without ``--system``): every contest the primaries service runs today is a list contest, the ``kz-2021`` system.
DEFAULT_CYCLE_SYSTEM = "kz-2021"


@dataclass(frozen=True, slots=True)
class LevelSystem:
    """How the councils of one level are elected.

    ``list_share`` is the share of seats filled from party lists (1, ½ or 0); ``fixed_list_seats``, when set,
    replaces it by a fixed number (the Majilis: 98 in 2021, 69 in 2023). ``threshold`` and ``seat_rules`` (an id of
    :data:`tandau.core.seats.PRESETS`) describe the list part; a purely single-member level has neither.

    >>> LevelSystem("mixed", Fraction(1, 2)).split(35)
    (17, 18)
    """

    kind: Kind
    list_share: Fraction
    fixed_list_seats: int | None = None
    threshold: Fraction | None = None
    seat_rules: str = ""
    note: str = ""

    def split(self, seats: int) -> tuple[int, int]:
        """(list seats, single-member districts) of a council with ``seats`` seats."""
        if seats < 0:
            raise InputError(f"seats must be at least 0, got {seats}", parameter="seats")
        if self.fixed_list_seats is not None:
            if self.fixed_list_seats > seats:
                raise InputError(f"{self.fixed_list_seats} list seats exceed {seats} seats", parameter="seats")
            list_seats = self.fixed_list_seats
        else:
            list_seats = seats * self.list_share.numerator // self.list_share.denominator
        return list_seats, seats - list_seats


@dataclass(frozen=True, slots=True)
class ElectoralSystem:
    """A country's electoral system for its councils, with the territory layout it was used on.

    ``national_seats`` is the size of the national council; ``national_districts`` gives its single-member
    districts per region (unit id, count) in the official numbering order, empty when it has none.
    """

    id: str
    name: str
    country: str
    layout: str
    levels: tuple[tuple[str, LevelSystem], ...]
    source: str
    national_seats: int = 0
    national_districts: tuple[tuple[str, int], ...] = ()
    national_districts_source: str = ""
    notes: tuple[str, ...] = ()

    def level(self, level: str) -> LevelSystem:
        """The rule of councils at ``level``; :class:`UnknownIdError` lists the levels this system has."""
        for name, rule in self.levels:
            if name == level:
                return rule
        raise UnknownIdError(f"council level of system {self.id}", level, [name for name, _ in self.levels])

    def split(self, level: str, seats: int) -> tuple[int, int]:
        """(list seats, single-member districts) of a council at ``level`` with ``seats`` seats.

        >>> get_system("kz-2023").split("regional", 32), get_system("kz-2023").split("district", 12)
        ((16, 16), (0, 12))
        >>> get_system("kz-2023").split("national", 98), get_system("kz-2021").split("city", 18)
        ((69, 29), (18, 0))
        """
        return self.level(level).split(seats)


SYSTEMS: dict[str, ElectoralSystem] = {}


def register(system: ElectoralSystem) -> ElectoralSystem:
    """Add ``system`` to the registry under its id (ids are unique)."""
    if system.id in SYSTEMS:
        raise ValueError(f"duplicate electoral system id {system.id!r}")
    districts = sum(n for _, n in system.national_districts)
    if districts and districts != system.split("national", system.national_seats)[1]:
        raise ValueError(f"{system.id}: national districts do not add up to the national single-member seats")
    SYSTEMS[system.id] = system
    return system


def get_system(system_id: str) -> ElectoralSystem:
    """The system registered under ``system_id``.

    >>> get_system("kz-2023").layout
    '2023'
    >>> get_system("kz-2019")
    Traceback (most recent call last):
    ...
    tandau.errors.UnknownIdError: unknown electoral system 'kz-2019'; valid: kz-2021, kz-2023
    """
    try:
        return SYSTEMS[system_id]
    except KeyError:
        raise UnknownIdError("electoral system", system_id, sorted(SYSTEMS)) from None


def system_ids() -> list[str]:
    """Every registered id, sorted."""
    return sorted(SYSTEMS)


def system_for_layout(country: str, layout: str) -> ElectoralSystem:
    """The system used on ``country``'s territory ``layout`` (Kazakhstan: ``2021`` → kz-2021, ``2023`` → kz-2023)."""
    for system in SYSTEMS.values():
        if system.country == country and system.layout == layout:
            return system
    valid: Sequence[str] = sorted(f"{s.country} {s.layout}" for s in SYSTEMS.values())
    raise UnknownIdError("territory layout with an electoral system", f"{country} {layout}", valid)


# ---------------------------------------------------------------- Kazakhstan

#: Constitution Art. 50 (as amended 2022): 98 deputies of the Majilis are elected (the Assembly of the People's 9 seats
#: went to the Senate in 2022).
KZ_MAJILIS_SEATS = 98
_ELECTIONS_LAW = "Constitutional Law 'On Elections in the Republic of Kazakhstan' No. 2464 of 28 Sep 1995"
_MASLIKHATS = ("regional", "republican_city", "city", "district")

register(ElectoralSystem(
    "kz-2021",
    "Kazakhstan 2021: every maslikhat and the Majilis from party lists (7%)",
    "KZ",
    "2021",
    (
        ("national", LevelSystem("list", Fraction(1), KZ_MAJILIS_SEATS, Fraction(7, 100), "kz-majilis-2021",
                                 "98 list seats in one national constituency")),
        *((lv, LevelSystem("list", Fraction(1), None, Fraction(7, 100), "kz-maslikhat-2021",
                           "whole council from party lists in one constituency per maslikhat"))
          for lv in _MASLIKHATS),
    ),
    f"{_ELECTIONS_LAW}: maslikhats by party lists in one constituency per maslikhat (amendments of 2018, in force "
    "1 Jan 2019; 7% threshold and allocation as in Art. 97-1, as amended 25 May 2020); Majilis: 98 seats by party "
    "lists (Constitution Art. 50-51 before the 2022 amendments). Used on 10 Jan 2021: 216 maslikhats (17 regional-"
    "level, 36 city, 163 district), about 3,279 seats (CEC; another source 3,246)",
    KZ_MAJILIS_SEATS,
    notes=("No single-member districts: a council's nominees are its party list.",),
))

register(ElectoralSystem(
    "kz-2023",
    "Kazakhstan 2023: mixed regional maslikhats and Majilis (5%), single-member city and district maslikhats",
    "KZ",
    "2023",
    (
        ("national", LevelSystem("mixed", Fraction(69, 98), 69, Fraction(5, 100), "kz-majilis-2023",
                                 "69 list seats in one national constituency + 29 single-member districts")),
        ("regional", LevelSystem("mixed", Fraction(1, 2), None, Fraction(5, 100), "kz-maslikhat-2023",
                                 "half party list (one constituency), half single-member districts")),
        ("republican_city", LevelSystem("mixed", Fraction(1, 2), None, Fraction(5, 100), "kz-maslikhat-2023",
                                        "half party list (one constituency), half single-member districts")),
        ("city", LevelSystem("single-member", Fraction(0), note="every seat a single-member district")),
        ("district", LevelSystem("single-member", Fraction(0), note="every seat a single-member district")),
    ),
    "Constitution Art. 50-51 as amended by the referendum of 5 June 2022 (Majilis: 98 deputies, 70% by party lists, "
    f"30% in single-member districts: 69 + 29); {_ELECTIONS_LAW}, Art. 9 as amended by Constitutional Law of "
    "5 Nov 2022 (mixed system for the Majilis and for the maslikhats of regions, cities of republican significance "
    "and the capital: 50% by party lists, 50% in single-member territorial districts; city and district "
    "maslikhats: single-member districts only; 5% threshold with 'against all' in the base). Used on 19 Mar 2023: "
    "223 maslikhats, 3,415 seats (CEC, stated by its deputy chairman K. Petrov)",
    KZ_MAJILIS_SEATS,
    national_districts=(
        ("71", 2), ("75", 3), ("79", 2), ("10", 1), ("11", 1), ("15", 1), ("19", 2), ("23", 1), ("27", 1),
        ("31", 2), ("33", 1), ("35", 2), ("39", 1), ("43", 1), ("47", 1), ("55", 1), ("59", 1), ("61", 3),
        ("62", 1), ("63", 1),
    ),
    national_districts_source=(
        "CEC scheme of the 29 Majilis single-member districts (24 Dec 2022; at least one per region and city of "
        "republican significance, Art. 12), as listed in Wikipedia 'Constituencies of Kazakhstan': No. 1-2 Astana, "
        "3-5 Almaty, 6-7 Shymkent, 11-12 Almaty Region, 15-16 Jambyl, 18-19 Karaganda, 25-27 Turkistan, one in every "
        "other region, numbered in the order of the regions' KATO codes (the numbers of Abai 8, Akmola 9, Jetisu 17, "
        "Kostanay 20, Pavlodar 23, Ulytau 28 are confirmed by the district pages; the other single numbers follow "
        "from that order)"
    ),
    notes=("Odd mixed councils: the extra seat goes to the single-member half (list = floor(seats/2)); a project "
           "choice, the sources found give only 50/50 and every known 2023 size is even.",),
))
