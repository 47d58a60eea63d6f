"""Election programmes of a council: commitments, sections, territories and units (issue 13, item 4).

A *commitment* is one row of PROGRAMME.csv (docs/programmes.md): what the party promises a territory, measured by
an indicator in a unit, from a baseline (value and year) to a target by a deadline, with its budget, funding source
and responsible body, linked to voters' proposals and to an indicator of the territory's development programme.
Missing values are kept as ``None`` or ``""``: saying what is missing is the job of the quality checks
(:mod:`tandau.core.programmes.lint`), not of the reader.

Territories are 9-digit KATO codes: a region or city of republican significance ``XX0000000``, a district or city
of regional significance ``XXXX00000``, a district of Astana, Almaty or Shymkent ``XXXX10000`` (one level lower in
the classifier). A unit's region is found from its first two digits (:func:`region_of`).

>>> from decimal import Decimal as D
>>> c = Commitment("R-1", "591000000", "roads", "", "Жолдар", "roads_repaired", "км", D(0), 2022, D(40),
...                date(2027, 12, 31))
>>> c.is_region, region_of(c.territory), unit_key(c.unit), is_additive(c.unit)
(False, '590000000', 'km', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Kind = Literal["cumulative", "level"]
Direction = Literal["increase", "decrease"]

#: the theme taxonomy shared with the proposals (issue 13): a commitment's section must be one of these
SECTIONS: tuple[str, ...] = ("water", "utilities", "roads", "housing", "health", "education", "jobs", "agriculture",
                             "social", "culture_sport", "ecology", "safety", "governance", "other")
KINDS: tuple[Kind, ...] = ("cumulative", "level")
DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease")

#: additive units (a district's value is a part of its region's): canonical id -> spellings (en, ru, kk).
#: Scaled money (thousand, million, billion KZT) is additive within its own scale only.
ADDITIVE_UNITS: dict[str, tuple[str, ...]] = {
    "pcs": ("pcs", "pc", "pieces", "units", "unit", "items", "objects", "facilities", "шт", "штук", "штука",
            "единиц", "ед", "объектов", "объект", "дана", "бірлік", "нысан"),
    "people": ("people", "persons", "person", "адам", "человек", "чел"),
    "jobs": ("jobs", "workplaces", "рабочих мест", "рабочие места", "жұмыс орны", "жұмыс орындары"),
    "flats": ("flats", "apartments", "квартир", "квартиры", "пәтер"),
    "houses": ("houses", "homes", "домов", "дома", "үй"),
    "villages": ("villages", "settlements", "сёл", "сёла", "населённых пунктов", "ауыл", "елді мекен"),
    "schools": ("schools", "школ", "школы", "мектеп"),
    "places": ("places", "seats", "мест", "места", "орын", "орындар"),
    "beds": ("beds", "коек", "койко-мест", "төсек", "төсек-орын"),
    "households": ("households", "families", "домохозяйств", "семей", "отбасы", "үй шаруашылығы"),
    "km": ("km", "км", "kilometres", "километров", "километр", "шақырым"),
    "m": ("m", "м", "metres", "метров", "метр"),
    "m2": ("m2", "sq m", "кв. м", "кв.м", "м2", "шаршы метр"),
    "m3": ("m3", "cu m", "куб. м", "куб.м", "м3", "текше метр"),
    "ha": ("ha", "га", "hectares", "гектаров", "гектар"),
    "kzt": ("kzt", "тенге", "теңге", "₸", "тг"),
    "thousand_kzt": ("thousand kzt", "тыс. тенге", "тыс. тг", "мың теңге"),
    "mln_kzt": ("mln kzt", "million kzt", "млн тенге", "млн тг", "млн теңге"),
    "bn_kzt": ("bn kzt", "billion kzt", "млрд тенге", "млрд тг", "млрд теңге"),
}
#: level units (shares, rates, indices): never summed across territories
LEVEL_UNITS: tuple[str, ...] = ("%", "percent", "per cent", "процент", "процентов", "пайыз", "rate", "ratio",
                                "index", "индекс", "коэффициент", "per 1000", "на 1000", "1000 адамға", "points",
                                "баллов", "балл")


def normalise_unit(unit: str) -> str:
    """Lower case, one space between words, no final dot, ``²``/``³`` as 2/3, ``ё`` as ``е``.

    >>> normalise_unit(" Кв.  М. "), normalise_unit("m²")
    ('кв. м', 'm2')
    """
    text = unit.casefold().replace("²", "2").replace("³", "3").replace("ё", "е")
    return " ".join(text.split()).rstrip(".").strip()


_SPELLINGS: dict[str, str] = {normalise_unit(s): canonical for canonical, spellings in ADDITIVE_UNITS.items()
                              for s in spellings}


def unit_key(unit: str) -> str:
    """The canonical id of an additive unit (``км`` and ``km`` are ``km``), else the normalised text."""
    text = normalise_unit(unit)
    return _SPELLINGS.get(text, text)


def is_additive(unit: str) -> bool:
    """Whether values in ``unit`` add up across territories (counts, lengths, areas, volumes, money)."""
    return normalise_unit(unit) in _SPELLINGS


def is_region_code(territory: str) -> bool:
    """A region or city of republican significance: ``XX0000000``."""
    return territory[2:] == "0000000"


def region_of(territory: str) -> str:
    """The region (or city of republican significance) a 9-digit KATO code lies in: its first two digits."""
    return territory[:2] + "0000000"


def council_of(territory: str) -> str:
    """The id of the maslikhat elected on the territory (docs/territory.md): ``M-<kato2>`` for a region or city of
    republican significance and for its city districts (they have no maslikhat), ``M-<kato4>`` otherwise.

    >>> council_of("750000000"), council_of("751210000"), council_of("591000000")
    ('M-75', 'M-75', 'M-5910')
    """
    if is_region_code(territory) or territory[4:] == "10000":
        return "M-" + territory[:2]
    return "M-" + territory[:4]


def normalise_text(text: str) -> str:
    """Case-insensitive, whitespace-insensitive form of an id or a name (for duplicates and links)."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class Commitment:
    """One commitment of a programme (a row of PROGRAMME.csv); ``commitment`` is its id."""

    commitment: str
    territory: str
    section: str
    text_kk: str
    text_ru: str
    indicator: str
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    deadline: date | None
    direction: Direction = "increase"
    budget_kzt: Decimal | None = None
    funding_source: str = ""
    responsible: str = ""
    development_indicator: str = ""
    proposals: tuple[str, ...] = ()
    kind: Kind = "cumulative"
    deputies: tuple[str, ...] = ()  # ids of the council's deputies responsible for it (issue 14, item 2)

    @property
    def is_region(self) -> bool:
        return is_region_code(self.territory)

    @property
    def baseline_date(self) -> date | None:
        """31 December of the baseline year (the control module's baseline date)."""
        return None if self.baseline_year is None else date(self.baseline_year, 12, 31)

    @property
    def sign(self) -> int:
        """+1 when the target is reached by increasing, -1 by decreasing."""
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme's commitments in file order; ``name`` says where it came from (a file name)."""

    commitments: tuple[Commitment, ...]
    name: str = ""

    @property
    def territories(self) -> tuple[str, ...]:
        """The territories of the commitments, in order of first appearance."""
        return tuple(dict.fromkeys(c.territory for c in self.commitments))

    def get(self, commitment: str) -> Commitment | None:
        """The commitment with this id, or None."""
        return next((c for c in self.commitments if c.commitment == commitment), None)
