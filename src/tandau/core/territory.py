"""Territory: administrative units, the councils elected on them and their seat numbers.

The model is country-neutral (units with a parent, councils on units); :func:`build_kz` assembles Kazakhstan's
two layouts from the package's tables. The official seat numbers of each maslikhat (CEC Resolution No. 21/323 of
11 Sep 2020) are not public in machine-readable form, so :func:`derive_regional_seats` and
:func:`derive_local_seats` derive them with a documented, deterministic rule inside the ceilings of Law No. 148
"On local state administration and self-government" Art. 5(3) (50 / 30 / 25). Every derived number says so
(``seats_source="derived"``) and carries the formula that produced it (``basis``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from math import isqrt
from typing import Literal

from tandau.core.systems.registry import system_for_layout
from tandau.core.territory_names import kazakh_council_name, russian_council_name
from tandau.errors import InputError, UnknownIdError

Level = Literal["national", "regional", "republican_city", "city", "district"]
LEVELS: tuple[Level, ...] = ("national", "regional", "republican_city", "city", "district")
UNIT_KINDS: tuple[str, ...] = ("country", "region", "republican_city", "city", "district", "city_district")
SEATS_SOURCES: tuple[str, ...] = ("derived", "official")
KZ_LAYOUTS: tuple[str, ...] = ("2021", "2023")

#: Law No. 148 of 23 Jan 2001 "On local state administration and self-government", Art. 5(3).
KZ_SEAT_CEILINGS: Mapping[str, int] = {"regional": 50, "republican_city": 50, "city": 30, "district": 25}
#: Majilis (seats, list seats): 98 deputies (Constitution Art. 50), all by party list until 2022, then 69 list + 29
#: single-member (2022 amendments, Art. 51).
KZ_MAJILIS: Mapping[str, tuple[int, int]] = {"2021": (98, 98), "2023": (98, 69)}


@dataclass(frozen=True, slots=True)
class Unit:
    """An administrative unit. ``names`` holds (language, name) pairs besides the English ``name``."""

    id: str
    name: str
    kind: str
    parent: str | None
    population: int | None = None
    population_source: str = ""
    names: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def name_in(self, language: str) -> str:
        """The name in ``language`` (e.g. ``"ru"``, ``"kk"``), falling back to the English name."""
        return next((n for lang, n in self.names if lang == language and n), self.name)


@dataclass(frozen=True, slots=True)
class Council:
    """A council elected on a unit. ``list_seats`` are the seats filled from party lists; ``basis`` explains
    where ``seats`` came from (the derivation formula, or the official table).

    ``names`` holds (language, name) pairs besides the English ``name``: the proper Russian and Kazakh names for
    Kazakhstan (:mod:`tandau.core.territory_names`). ``name_ru`` is the older bracketed label ("Маслихат (область
    Абай)"), kept as it was for the CSV outputs; pages use :meth:`name_in`."""

    id: str
    name: str
    level: Level
    unit_id: str
    region_id: str | None
    seats: int
    seats_source: str
    list_seats: int
    ceiling: int | None = None
    basis: str = ""
    name_ru: str = ""
    names: tuple[tuple[str, str], ...] = ()

    def name_in(self, language: str) -> str:
        """The name in ``language`` (e.g. ``"ru"``, ``"kk"``), falling back to the English name."""
        return next((n for lang, n in self.names if lang == language and n), self.name)


@dataclass(frozen=True, slots=True)
class Problem:
    """One failed consistency check."""

    check: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Territory:
    """Units and councils of one country in one layout, with the sources of the figures."""

    country: str
    layout: str
    units: tuple[Unit, ...]
    councils: tuple[Council, ...]
    sources: tuple[str, ...] = ()
    _units_by_id: dict[str, Unit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_units_by_id", {u.id: u for u in self.units})

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id, or :class:`UnknownIdError`."""
        try:
            return self._units_by_id[unit_id]
        except KeyError:
            raise UnknownIdError("unit", unit_id, sorted(self._units_by_id)) from None

    def council(self, council_id: str) -> Council:
        """The council with this id, or :class:`UnknownIdError`."""
        for c in self.councils:
            if c.id == council_id:
                return c
        raise UnknownIdError("council", council_id, [c.id for c in self.councils])

    def counts(self) -> dict[str, int]:
        """Number of councils per level, in :data:`LEVELS` order."""
        return {lv: n for lv in LEVELS if (n := sum(1 for c in self.councils if c.level == lv))}

    def seats(self, levels: Iterable[str] | None = None) -> int:
        """Total seats of the councils at ``levels`` (default: every level but ``national``)."""
        wanted = set(levels) if levels is not None else set(LEVELS) - {"national"}
        return sum(c.seats for c in self.councils if c.level in wanted)


# ---------------------------------------------------------------- seat derivation (documented rule)


@dataclass(frozen=True, slots=True)
class SeatRule:
    """Parameters of the derivation rule; the defaults are calibrated on the known Kazakh sizes (docs/territory.md).

    Regional level: ``base + max(⌈(P − pop_threshold) / pop_step⌉⁺, (maslikhat units − unit_threshold)⁺)``.
    City / district: ``⌊a + ½ + √(k² · E / 1000)⌋`` (round half up of ``a + k·√(E/1000)``), between the floor and
    the ceiling, where ``E`` is the unit's estimated population (:func:`estimate_populations`).
    """

    regional_base: int = 30
    pop_threshold: int = 1_110_000
    pop_step: int = 90_000
    unit_threshold: int = 18
    city_a: Fraction = Fraction(11)
    city_k: Fraction = Fraction(1, 2)
    city_floor: int = 11
    district_a: Fraction = Fraction(11, 2)
    district_k: Fraction = Fraction(11, 10)
    district_floor: int = 9
    centre_weight: Fraction = Fraction(6)
    city_weight: Fraction = Fraction(5, 2)
    district_weight: Fraction = Fraction(1)


DEFAULT_RULE = SeatRule()


def floor_a_plus_sqrt(a: Fraction, x: Fraction) -> int:
    """Exact ``⌊a + √x⌋`` for rationals ``a`` and ``x ≥ 0``.

    >>> floor_a_plus_sqrt(Fraction(1, 2), Fraction(4))
    2
    >>> floor_a_plus_sqrt(Fraction(0), Fraction(2))
    1
    """
    if x < 0:
        raise ValueError("x must be non-negative")
    n = int(a // 1) + isqrt(int(x // 1)) + 2
    while n - a > 0 and (n - a) * (n - a) > x:  # decrease until n − a ≤ √x
        n -= 1
    return n


def derive_regional_seats(
    population: int, n_units: int, ceiling: int, rule: SeatRule = DEFAULT_RULE
) -> tuple[int, str]:
    """Seats of a regional maslikhat (or of a city of republican significance) and the formula used.

    >>> derive_regional_seats(1_916_822, 0, 50)[0]  # Almaty city, 1 Jan 2020 population: 39 in 2021
    39
    """
    pop_steps = max(0, -((rule.pop_threshold - population) // rule.pop_step))
    unit_steps = max(0, n_units - rule.unit_threshold)
    raw = rule.regional_base + max(pop_steps, unit_steps)
    seats = min(ceiling, raw)
    basis = (
        f"{rule.regional_base} + max(ceil(({population} - {rule.pop_threshold}) / {rule.pop_step})+ = {pop_steps}, "
        f"({n_units} units - {rule.unit_threshold})+ = {unit_steps}) = {raw}, ceiling {ceiling}"
    )
    return seats, basis


def derive_local_seats(level: str, population: int, ceiling: int, rule: SeatRule = DEFAULT_RULE) -> tuple[int, str]:
    """Seats of a city or district maslikhat from the unit's estimated population.

    >>> derive_local_seats("city", 170_000, 30)[0]
    18
    """
    a, k, low = (
        (rule.city_a, rule.city_k, rule.city_floor) if level == "city"
        else (rule.district_a, rule.district_k, rule.district_floor)
    )
    raw = floor_a_plus_sqrt(a + Fraction(1, 2), k * k * Fraction(population, 1000))
    seats = max(low, min(ceiling, raw))
    return seats, f"round({a} + {k}*sqrt({population}/1000)) = {raw}, within [{low}, {ceiling}]"


def estimate_populations(
    region_population: int, roles: Mapping[str, str], rule: SeatRule = DEFAULT_RULE
) -> dict[str, int]:
    """Split a region's population over its units by weight: ``roles`` maps unit id to ``centre``, ``city`` or
    ``district`` (district populations are not published in the project's sources, so these are estimates).

    >>> estimate_populations(100, {"a": "centre", "b": "district", "c": "district"})
    {'a': 75, 'b': 12, 'c': 12}
    """
    weight = {"centre": rule.centre_weight, "city": rule.city_weight, "district": rule.district_weight}
    total = sum((weight[r] for r in roles.values()), Fraction(0))
    return {u: int(region_population * weight[r] / total) for u, r in roles.items()}


# ---------------------------------------------------------------- checks and official tables


def check_territory(territory: Territory) -> tuple[Problem, ...]:
    """Every structural problem: duplicate ids, dangling parents and units, seats outside [1, ceiling]."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for u in territory.units:
        if u.id in seen:
            problems.append(Problem("unique-unit", u.id, "duplicate unit id"))
        seen.add(u.id)
        if u.kind not in UNIT_KINDS:
            problems.append(Problem("unit-kind", u.id, f"unknown kind {u.kind!r}"))
    for u in territory.units:
        if u.parent is not None and u.parent not in seen:
            problems.append(Problem("parent", u.id, f"parent {u.parent!r} is not a unit"))
    council_ids: set[str] = set()
    for c in territory.councils:
        if c.id in council_ids:
            problems.append(Problem("unique-council", c.id, "duplicate council id"))
        council_ids.add(c.id)
        if c.unit_id not in seen:
            problems.append(Problem("council-unit", c.id, f"unit {c.unit_id!r} is not a unit"))
        if c.seats < 1:
            problems.append(Problem("seats", c.id, f"{c.seats} seats"))
        if c.ceiling is not None and c.seats > c.ceiling:
            problems.append(Problem("ceiling", c.id, f"{c.seats} seats exceed the ceiling {c.ceiling}"))
        if not 0 <= c.list_seats <= c.seats:
            problems.append(Problem("list-seats", c.id, f"{c.list_seats} list seats of {c.seats}"))
        if c.seats_source not in SEATS_SOURCES:
            problems.append(Problem("seats-source", c.id, f"unknown source {c.seats_source!r}"))
    return tuple(problems)


def with_official_seats(territory: Territory, table: Mapping[str, tuple[int, int | None]], source: str) -> Territory:
    """Replace derived seat numbers by official ones: ``table`` maps council id to (seats, list seats or None).

    List seats default to the same share of the seats as before (all, half or none)."""
    known = {c.id for c in territory.councils}
    for cid in table:
        if cid not in known:
            raise UnknownIdError("council", cid, sorted(known))
    councils = []
    for c in territory.councils:
        if c.id not in table:
            councils.append(c)
            continue
        seats, list_seats = table[c.id]
        if list_seats is None:
            list_seats = seats if c.list_seats == c.seats else (0 if c.list_seats == 0 else seats // 2)
        councils.append(replace(c, seats=seats, list_seats=list_seats, seats_source="official", basis=source))
    return replace(territory, councils=tuple(councils), sources=(*territory.sources, source))


# ---------------------------------------------------------------- Kazakhstan


@dataclass(frozen=True, slots=True)
class RegionRecord:
    """A row of the package's ``regions.csv``; ``name_kk`` is the official Kazakh name (``kato_names.csv``,
    :mod:`tandau.core.territory_kato`)."""

    kato2: str
    kind: str
    name_ru: str
    name_en: str
    name_kk: str
    in_2021: bool
    centre_2021: str
    centre_2023: str
    population: Mapping[int, int]
    former_name_ru: str = ""
    former_name_en: str = ""


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """A row of the package's ``units.csv`` (second-level units, KATO codes of mid-2022); ``name_kk`` is the
    official Kazakh name (``kato_names.csv``, :mod:`tandau.core.territory_kato`)."""

    kato4: str
    unit_type: str
    name_ru: str
    name_en: str
    name_kk: str
    region_2023: str
    region_2021: str
    created: int | None
    maslikhat: bool
    former_name_ru: str = ""
    former_name_en: str = ""
    note: str = ""


#: Population year used for each layout: the CEC fixes council sizes before the election from the latest figures.
KZ_POPULATION_YEAR: Mapping[str, int] = {"2021": 2020, "2023": 2022}
KZ_SOURCES: tuple[str, ...] = (
    "Bureau of National Statistics: population on 1 January by region (open-data-kazakhstan)",
    "KATO classifier of administrative-territorial objects (second-level units, mid-2022)",
    "Law No. 148 of 23 Jan 2001, Art. 5(3): seat ceilings 50 / 30 / 25",
    "CEC Resolution No. 21/323 of 11 Sep 2020 (annexes unavailable): seats derived, see docs/territory.md",
)


def _kz_units(regions: Sequence[RegionRecord], rows: Sequence[UnitRecord], layout: str) -> tuple[list[Unit], int]:
    year = KZ_POPULATION_YEAR[layout]
    old = layout == "2021"
    units = [Unit("KZ", "Kazakhstan", "country", None, sum(r.population.get(year, 0) for r in regions), "official",
                  (("ru", "Республика Казахстан"), ("kk", "Қазақстан Республикасы")))]
    for r in regions:
        if old and not r.in_2021:
            continue
        former = old and bool(r.former_name_en)
        units.append(Unit(
            r.kato2, r.former_name_en if former else r.name_en, r.kind, "KZ", r.population[year], "official",
            (("ru", r.former_name_ru if former else r.name_ru), ("kk", r.name_kk)),
        ))
    for r in regions:
        if old and not r.in_2021:
            continue
        mine = [u for u in rows if (u.region_2021 if old else u.region_2023) == r.kato2 and
                not (old and u.created is not None and u.created > 2020)]
        centre = r.centre_2021 if old else r.centre_2023
        roles = {u.kato4: ("centre" if u.kato4 == centre else u.unit_type) for u in mine
                 if u.maslikhat and u.unit_type in ("city", "district")}
        estimates = estimate_populations(r.population[year], roles) if roles else {}
        for u in mine:
            former = old and bool(u.former_name_en)
            names = (("ru", u.former_name_ru if former else u.name_ru), ("kk", u.name_kk))
            pop = estimates.get(u.kato4)
            units.append(Unit(u.kato4, u.former_name_en if former else u.name_en, u.unit_type, r.kato2, pop,
                              "derived" if pop is not None else "", names, u.note))
    return units, year


def _own_name(unit: Unit, language: str) -> str:
    """The unit's name in ``language`` as given in the tables ("" when absent: no fallback to English)."""
    return next((n for lang, n in unit.names if lang == language and n), "")


def kz_council_names(level: Level, unit: Unit, *, kazakh: bool = True) -> tuple[tuple[str, str], ...]:
    """Russian and Kazakh names of the council of ``level`` on ``unit``. A unit without a Kazakh name (none in
    Kazakhstan's tables, where every unit has the classifier's), or with ``kazakh=False`` (a 2021 name such as
    Nur-Sultan, whose Kazakh form the tables lack: theirs is today's), gives "Мәслихат (<Russian name>)"."""
    ru_unit, kk_unit = _own_name(unit, "ru"), _own_name(unit, "kk") if kazakh else ""
    kk = kazakh_council_name(level, kk_unit) if kk_unit or level == "national" else f"Мәслихат ({ru_unit})"
    return (("ru", russian_council_name(level, ru_unit)), ("kk", kk))


def build_kz(regions: Sequence[RegionRecord], rows: Sequence[UnitRecord], layout: str,
             rule: SeatRule = DEFAULT_RULE) -> Territory:
    """Kazakhstan in the January 2021 (``"2021"``: 14 oblasts + 3 cities) or March 2023 (``"2023"``: 17 + 3)
    layout, with the Majilis and every maslikhat: regional, city of republican significance, city of regional
    significance (not Baikonyr) and district. City districts of Astana, Almaty and Shymkent have no maslikhat."""
    if layout not in KZ_LAYOUTS:
        raise UnknownIdError("layout", layout, KZ_LAYOUTS)
    units, year = _kz_units(regions, rows, layout)
    # units under their 2021 name (Nur-Sultan, Kapshagay): the tables' Kazakh name is today's, so it is not used
    renamed: set[str] = ({r.kato2 for r in regions if r.former_name_en} | {u.kato4 for u in rows if u.former_name_en}
                         if layout == "2021" else set())
    system = system_for_layout("KZ", layout)  # list seats per level: tandau.core.systems (kz-2021, kz-2023)
    majilis_seats = KZ_MAJILIS[layout][0]
    majilis_list = system.split("national", majilis_seats)[0]
    councils = [Council("KZ-MAJILIS", "Majilis of the Parliament", "national", "KZ", None, majilis_seats, "official",
                        majilis_list, None, "Constitution Art. 50-51; Constitutional Law on Elections",
                        "Мажилис Парламента Республики Казахстан", kz_council_names("national", units[0]))]
    local: list[Council] = []
    for region in (u for u in units if u.kind in ("region", "republican_city")):
        children = [u for u in units if u.parent == region.id and u.population is not None]
        level: Level = "regional" if region.kind == "region" else "republican_city"
        ceiling = KZ_SEAT_CEILINGS[level]
        seats, basis = derive_regional_seats(region.population or 0, len(children), ceiling, rule)
        list_seats = system.split(level, seats)[0]
        label = region.name.removesuffix(" Region") + (" Regional" if level == "regional" else " City")
        councils.append(Council(f"M-{region.id}", f"{label} Maslikhat", level, region.id, region.id,
                                seats, "derived", list_seats, ceiling, f"P{year}: {basis}",
                                f"Маслихат ({region.name_in('ru')})",
                                kz_council_names(level, region, kazakh=region.id not in renamed)))
        for u in children:
            sub: Level = "city" if u.kind == "city" else "district"
            ceiling = KZ_SEAT_CEILINGS[sub]
            seats, basis = derive_local_seats(sub, u.population or 0, ceiling, rule)
            name = f"{u.name} City Maslikhat" if sub == "city" else f"{u.name} Maslikhat"
            local.append(Council(f"M-{u.id}", name, sub, u.id, region.id, seats, "derived",
                                 system.split(sub, seats)[0], ceiling, f"E{year}≈{u.population}: {basis}",
                                 f"Маслихат ({u.name_in('ru')})",
                                 kz_council_names(sub, u, kazakh=u.id not in renamed)))
    return Territory("KZ", layout, tuple(units), tuple(councils + local), KZ_SOURCES)


def parse_layout(value: str) -> str:
    """Validate a Kazakh layout id (``2021`` or ``2023``)."""
    if value not in KZ_LAYOUTS:
        raise InputError(f"layout must be one of {', '.join(KZ_LAYOUTS)}, got {value!r}", parameter="--layout")
    return value
