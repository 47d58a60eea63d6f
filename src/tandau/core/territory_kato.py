"""Official Kazakh names of Kazakhstan's units from the KATO classifier (ӘАОЖ / КАТО), matched to the territory.

The classifier gives every unit a 9-digit code and its Kazakh and Russian names. The territory tables carry
shorter codes: 2 digits for a region or city of republican significance (``10`` → ``100000000``), 4 for a district or
city of regional significance (``1036`` → ``103600000``); a city district of Astana, Almaty or Shymkent sits one level
lower in the classifier (``7512`` → ``751210000``). :func:`match_kato_names` joins on that code; a unit whose code
is not in the classifier is matched by its Russian name among the classifier's units of the same region and level,
and a unit matched by neither is reported (never given another unit's name or a Russian one).
:func:`kazakh_unit_name` turns the classifier's abbreviations into a display name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tandau.errors import InputError

#: Kazakh letters read as their nearest Russian ones when two Russian spellings are compared (Қонаев, Конаев).
_KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһіё", "агкноуухие")


@dataclass(frozen=True, slots=True)
class KatoName:
    """A row of the classifier: 9-digit code, names as published, and where the row came from."""

    kato: str
    name_kk: str
    name_ru: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class TerritoryUnitRef:
    """A unit of the territory tables to be named: its short code, kind, region (2 digits) and Russian name."""

    id: str
    kind: str
    region: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class KatoMatch:
    """The classifier row of every matched unit (by unit id), how each was matched, and what was not.

    ``respelled`` lists the units matched by code whose Russian names differ from the classifier's beyond the
    letters Kazakh and Russian share (``(id, ours, classifier's)``): the same unit under another spelling, listed
    so that a code pointing at another unit cannot pass unseen."""

    names: dict[str, KatoName]
    by_name: tuple[str, ...]
    respelled: tuple[tuple[str, str, str], ...]
    unmatched: tuple[str, ...]

    def require_complete(self, file: str) -> None:
        """Raise :class:`InputError` naming every unit without a classifier row."""
        if self.unmatched:
            raise InputError(f"no KATO name by code or Russian name for units {', '.join(self.unmatched)}",
                             file=file)


def kato_code(unit_id: str, kind: str) -> str:
    """The classifier's 9-digit code of a territory unit.

    >>> kato_code("10", "region"), kato_code("1036", "district"), kato_code("7512", "city_district")
    ('100000000', '103600000', '751210000')
    """
    if kind == "city_district":
        return unit_id + "10000"
    return unit_id.ljust(9, "0")


def _level(kato: str) -> str:
    """The classifier level of a 9-digit code: region, second level (district or city) or city district."""
    if kato[2:] == "0000000":
        return "region"
    if kato[4:] == "10000" and kato[:2] in ("71", "75", "79"):
        return "city_district"
    return "second"


def _unit_level(kind: str) -> str:
    return {"region": "region", "republican_city": "region", "city_district": "city_district"}.get(kind, "second")


def russian_key(name: str) -> str:
    """A Russian name reduced for comparison: no "г." or "Г.А.", one case, Kazakh letters read as Russian ones.

    >>> russian_key("г. Конаев") == russian_key("Қонаев Г.А."), russian_key("г. Астана") == russian_key("г.Астана")
    (True, True)
    """
    text = " ".join(name.replace("Г.А.", " ").split()).casefold()
    text = text.removeprefix("г.").strip()
    return text.translate(_KAZAKH_TO_RUSSIAN)


def match_kato_names(units: Sequence[TerritoryUnitRef], rows: Sequence[KatoName]) -> KatoMatch:
    """Match every unit to a classifier row: by code (:func:`kato_code`); failing that, by Russian name
    (:func:`russian_key`) among the rows of the same region and level that no unit took by code. Two candidates
    with the same name are not guessed between: the unit is unmatched."""
    by_code = {r.kato: r for r in rows}
    names: dict[str, KatoName] = {}
    respelled: list[tuple[str, str, str]] = []
    rest: list[TerritoryUnitRef] = []
    for u in units:
        row = by_code.get(kato_code(u.id, u.kind))
        if row is None:
            rest.append(u)
            continue
        names[u.id] = row
        if russian_key(u.name_ru) != russian_key(row.name_ru):
            respelled.append((u.id, u.name_ru, row.name_ru))
    taken = {r.kato for r in names.values()}
    by_name: list[str] = []
    unmatched: list[str] = []
    for u in rest:
        found = [r for r in rows if r.kato not in taken and r.kato[:2] == u.region[:2]
                 and _level(r.kato) == _unit_level(u.kind) and russian_key(r.name_ru) == russian_key(u.name_ru)]
        if len(found) == 1:
            names[u.id] = found[0]
            taken.add(found[0].kato)
            by_name.append(u.id)
        else:
            unmatched.append(u.id)
    return KatoMatch(names, tuple(by_name), tuple(respelled), tuple(unmatched))


def kazakh_unit_name(classifier_name: str) -> str:
    """A unit's Kazakh name for display, from the classifier's form: "Қ.Ә." (қала әкімдігі, city akimat) and
    "қ." become "қаласы" (the classifier writes Aktau's as "Ақтау Г.А.", the Russian abbreviation, read the same),
    "атын." becomes "атындағы"; everything else is kept as published.

    >>> kazakh_unit_name("Семей Қ.Ә."), kazakh_unit_name("Астана қ."), kazakh_unit_name("Ақтау Г.А.")
    ('Семей қаласы', 'Астана қаласы', 'Ақтау қаласы')
    >>> kazakh_unit_name("Ғабит Мүсірепов атын.ауданы"), kazakh_unit_name("Аягөз ауданы")
    ('Ғабит Мүсірепов атындағы ауданы', 'Аягөз ауданы')
    """
    name = classifier_name.replace("атын.", "атындағы ")
    name = " ".join(name.split())
    for abbreviation in (" Қ.Ә.", " Г.А.", " қ."):
        if name.endswith(abbreviation) and len(name) > len(abbreviation):
            return name.removesuffix(abbreviation) + " қаласы"
    return name
