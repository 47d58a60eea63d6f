"""Territorial development programmes: their indicators per territory and year (issue 13, item 2).

A development programme (программа развития территории / аумақты дамыту бағдарламасы) is adopted for a region, city
or district; it sets indicators with a baseline value (one year) and plan values for later years. One
:class:`DevIndicator` is one row of DEVELOPMENT.csv (docs/programmes.md): territory (9-digit KATO code, as in
PROGRAMME.csv), programme id, indicator id, unit, year, exact value, kind ``baseline`` or ``plan``. The rows of one
territory × programme × indicator are a *series* (:class:`DevSeries`): exactly one baseline, plan years after it,
one unit throughout (:func:`check_indicators`).

Each indicator belongs to a theme section of the programme taxonomy (``SECTIONS``): the registry
:data:`DEV_INDICATORS` (stable id -> section, unit, direction, names and commitment wording in kk/ru/en) covers the
indicators the synthetic set and the drafting know; any other indicator takes the section its row gives, else
``other`` (:func:`section_of`).

>>> from decimal import Decimal as D
>>> rows = [DevIndicator("593200000", "DP-5932", "roads_good", "%", 2022, D("61.5"), "baseline"),
...         DevIndicator("593200000", "DP-5932", "roads_good", "%", 2027, D("80"), "plan")]
>>> (s,) = DevelopmentSet.of(rows).series("593200000")
>>> s.section, s.baseline.value, s.plan_value(2027), s.direction
('roads', Decimal('61.5'), Decimal('80'), 'increase')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from tandau.core.programmes.model import SECTIONS, Direction, Kind, normalise_unit
from tandau.core.proposals.themes import THEMES
from tandau.errors import InputError

DevKind = Literal["baseline", "plan"]
Scope = Literal["all", "rural", "urban"]
DEV_KINDS: tuple[DevKind, ...] = ("baseline", "plan")

#: the sections' names: those of the proposals' themes (the same codes, :mod:`tandau.core.proposals.themes`)
SECTION_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {t.code: MappingProxyType({"en": t.en, "ru": t.ru, "kk": t.kk}) for t in THEMES})


@dataclass(frozen=True, slots=True)
class DevIndicatorInfo:
    """A known development indicator: its section, usual unit, the direction of progress, the control kind
    (``cumulative`` counts that only grow, ``level`` shares, rates, yearly volumes), where it applies (``rural``
    districts, ``urban`` cities and city districts, ``all``), its names and its commitment wording (kk/ru format
    strings over ``{target}`` and ``{year}``)."""

    id: str
    section: str
    unit: str
    direction: Direction
    kind: Kind
    scope: Scope
    names: Mapping[str, str]
    wording: Mapping[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang, self.names["en"])


def _info(id_: str, section: str, unit: str, direction: Direction, kind: Kind, scope: Scope,
          en: str, ru: str, kk: str, text_ru: str, text_kk: str) -> DevIndicatorInfo:
    names = MappingProxyType({"en": en, "ru": ru, "kk": kk})
    return DevIndicatorInfo(id_, section, unit, direction, kind, scope, names,
                            MappingProxyType({"ru": text_ru, "kk": text_kk}))


_BY = "{year} жылға қарай "
_INFOS = (
    _info("water_rural_central", "water", "%", "increase", "level", "rural",
          "Share of rural settlements with central water supply",
          "Доля сельских населённых пунктов с централизованным водоснабжением",
          "Орталықтандырылған сумен жабдықталған ауылдық елді мекендердің үлесі",
          "Довести долю сельских населённых пунктов с централизованным водоснабжением до {target}% к {year} году",
          _BY + "орталықтандырылған сумен жабдықталған ауылдық елді мекендердің үлесін {target}%-ға жеткізу"),
    _info("water_urban_access", "water", "%", "increase", "level", "urban",
          "Share of the city population with access to central water supply",
          "Доля городского населения с доступом к централизованному водоснабжению",
          "Орталықтандырылған сумен жабдықтауға қолжетімді қала халқының үлесі",
          "Довести долю городского населения с доступом к централизованному водоснабжению до {target}% к {year} году",
          _BY + "орталықтандырылған сумен жабдықтауға қолжетімді қала халқының үлесін {target}%-ға жеткізу"),
    _info("sewerage_urban", "utilities", "%", "increase", "level", "urban",
          "Share of the city population connected to central sewerage",
          "Доля городского населения, подключённого к централизованному водоотведению",
          "Орталықтандырылған су бұру жүйесіне қосылған қала халқының үлесі",
          "Довести долю городского населения, подключённого к централизованному водоотведению, до {target}% "
          "к {year} году",
          _BY + "орталықтандырылған су бұру жүйесіне қосылған қала халқының үлесін {target}%-ға жеткізу"),
    _info("heat_networks_worn", "utilities", "%", "decrease", "level", "urban",
          "Wear of heat supply networks", "Износ сетей теплоснабжения", "Жылумен жабдықтау желілерінің тозуы",
          "Снизить износ сетей теплоснабжения до {target}% к {year} году",
          _BY + "жылумен жабдықтау желілерінің тозуын {target}%-ға дейін төмендету"),
    _info("gas_supply", "utilities", "%", "increase", "level", "all",
          "Share of the population with access to natural gas",
          "Доля населения с доступом к природному газу", "Табиғи газға қолжетімді халықтың үлесі",
          "Довести долю населения с доступом к природному газу до {target}% к {year} году",
          _BY + "табиғи газға қолжетімді халықтың үлесін {target}%-ға жеткізу"),
    _info("roads_good", "roads", "%", "increase", "level", "all",
          "Share of local roads in good and satisfactory condition",
          "Доля автомобильных дорог местного значения в хорошем и удовлетворительном состоянии",
          "Жақсы және қанағаттанарлық жағдайдағы жергілікті маңызы бар автомобиль жолдарының үлесі",
          "Довести долю автомобильных дорог местного значения в хорошем и удовлетворительном состоянии до "
          "{target}% к {year} году",
          _BY + "жақсы және қанағаттанарлық жағдайдағы жергілікті маңызы бар автомобиль жолдарының үлесін "
                "{target}%-ға жеткізу"),
    _info("roads_repaired", "roads", "km", "increase", "cumulative", "all",
          "Local roads built and repaired since 2023 (cumulative)",
          "Построено и отремонтировано дорог местного значения с 2023 года (нарастающим итогом)",
          "2023 жылдан бастап салынған және жөнделген жергілікті жолдар (өспелі жиынтықпен)",
          "Построить и отремонтировать {target} км дорог местного значения к {year} году",
          _BY + "жергілікті маңызы бар {target} шақырым жолды салу және жөндеу"),
    _info("street_lighting", "roads", "km", "increase", "cumulative", "urban",
          "Length of lit streets", "Протяжённость освещённых улиц", "Жарықтандырылған көшелердің ұзындығы",
          "Довести протяжённость освещённых улиц до {target} км к {year} году",
          _BY + "жарықтандырылған көшелердің ұзындығын {target} шақырымға жеткізу"),
    _info("cctv_coverage", "safety", "%", "increase", "level", "urban",
          "Share of public places covered by video surveillance",
          "Доля общественных мест, охваченных видеонаблюдением", "Бейнебақылаумен қамтылған қоғамдық орындардың үлесі",
          "Довести долю общественных мест, охваченных видеонаблюдением, до {target}% к {year} году",
          _BY + "бейнебақылаумен қамтылған қоғамдық орындардың үлесін {target}%-ға жеткізу"),
    _info("housing_commissioned", "housing", "m2", "increase", "level", "all",
          "Housing commissioned in the year", "Ввод в эксплуатацию жилья за год",
          "Жыл ішінде пайдалануға берілген тұрғын үй",
          "Довести годовой ввод жилья до {target} кв. м в {year} году",
          "{year} жылы тұрғын үйді пайдалануға беруді {target} шаршы метрге жеткізу"),
    _info("housing_queue", "housing", "people", "decrease", "level", "all",
          "People on the waiting list for municipal housing",
          "Численность состоящих в очереди на жильё из коммунального жилищного фонда",
          "Коммуналдық тұрғын үй қорынан тұрғын үй кезегінде тұрғандар саны",
          "Сократить очередь на жильё из коммунального жилищного фонда до {target} человек к {year} году",
          _BY + "коммуналдық тұрғын үй қорынан тұрғын үй кезегін {target} адамға дейін қысқарту"),
    _info("preschool_coverage", "education", "%", "increase", "level", "all",
          "Preschool coverage of children aged 3-6",
          "Охват детей от 3 до 6 лет дошкольным воспитанием и обучением",
          "3-6 жастағы балаларды мектепке дейінгі тәрбиемен және оқытумен қамту",
          "Довести охват детей от 3 до 6 лет дошкольным воспитанием и обучением до {target}% к {year} году",
          _BY + "3-6 жастағы балаларды мектепке дейінгі тәрбиемен және оқытумен қамтуды {target}%-ға жеткізу"),
    _info("school_places_shortage", "education", "places", "decrease", "level", "all",
          "Shortage of school places", "Дефицит ученических мест", "Оқушы орындарының тапшылығы",
          "Сократить дефицит ученических мест до {target} мест к {year} году",
          _BY + "оқушы орындарының тапшылығын {target} орынға дейін қысқарту"),
    _info("kindergarten_places", "education", "places", "increase", "cumulative", "all",
          "Places in kindergartens", "Количество мест в детских садах", "Балабақшалардағы орындар саны",
          "Довести количество мест в детских садах до {target} к {year} году",
          _BY + "балабақшалардағы орын санын {target} орынға жеткізу"),
    _info("unemployment_rate", "jobs", "%", "decrease", "level", "all",
          "Unemployment rate", "Уровень безработицы", "Жұмыссыздық деңгейі",
          "Снизить уровень безработицы до {target}% к {year} году",
          _BY + "жұмыссыздық деңгейін {target}%-ға дейін төмендету"),
    _info("new_jobs", "jobs", "jobs", "increase", "level", "all",
          "New permanent jobs created in the year", "Новые постоянные рабочие места, созданные за год",
          "Жыл ішінде құрылған жаңа тұрақты жұмыс орындары",
          "Создать {target} новых постоянных рабочих мест в {year} году",
          "{year} жылы {target} жаңа тұрақты жұмыс орнын құру"),
    _info("health_facilities_built", "health", "pcs", "increase", "cumulative", "all",
          "Health facilities built since 2023 (clinics, medical and obstetric posts)",
          "Построено объектов здравоохранения с 2023 года (поликлиники, фельдшерско-акушерские пункты, медпункты)",
          "2023 жылдан бастап салынған денсаулық сақтау объектілері (емханалар, фельдшерлік-акушерлік пункттер)",
          "Построить {target} объектов здравоохранения (поликлиники, фельдшерско-акушерские пункты, медпункты) "
          "к {year} году",
          _BY + "{target} денсаулық сақтау объектісін (емханалар, фельдшерлік-акушерлік пункттер, медициналық "
                "пункттер) салу"),
    _info("doctors_staffing", "health", "%", "increase", "level", "rural",
          "Staffing of rural health facilities with doctors",
          "Укомплектованность врачами сельских медицинских организаций",
          "Ауылдық медициналық ұйымдардың дәрігерлермен жасақталуы",
          "Довести укомплектованность врачами сельских медицинских организаций до {target}% к {year} году",
          _BY + "ауылдық медициналық ұйымдардың дәрігерлермен жасақталуын {target}%-ға жеткізу"),
    _info("irrigated_land", "agriculture", "ha", "increase", "cumulative", "rural",
          "Irrigated land in use", "Площадь орошаемых земель в обороте", "Айналымдағы суармалы жерлердің алаңы",
          "Довести площадь орошаемых земель в обороте до {target} га к {year} году",
          _BY + "айналымдағы суармалы жерлердің алаңын {target} гектарға жеткізу"),
    _info("barrier_free_facilities", "social", "%", "increase", "level", "all",
          "Share of social facilities adapted for people with disabilities",
          "Доля объектов социальной инфраструктуры, адаптированных для лиц с инвалидностью",
          "Мүгедектігі бар адамдар үшін бейімделген әлеуметтік инфрақұрылым объектілерінің үлесі",
          "Довести долю объектов социальной инфраструктуры, адаптированных для лиц с инвалидностью, до {target}% "
          "к {year} году",
          _BY + "мүгедектігі бар адамдар үшін бейімделген әлеуметтік инфрақұрылым объектілерінің үлесін "
                "{target}%-ға жеткізу"),
    _info("sports_grounds", "culture_sport", "pcs", "increase", "cumulative", "all",
          "Sports grounds and facilities", "Количество спортивных площадок и сооружений",
          "Спорт алаңдары мен құрылыстарының саны",
          "Довести количество спортивных площадок и сооружений до {target} к {year} году",
          _BY + "спорт алаңдары мен құрылыстарының санын {target} бірлікке жеткізу"),
    _info("sport_participation", "culture_sport", "%", "increase", "level", "all",
          "Share of residents who regularly do sport",
          "Доля населения, систематически занимающегося физической культурой и спортом",
          "Дене шынықтырумен және спортпен жүйелі айналысатын халықтың үлесі",
          "Довести долю населения, систематически занимающегося физической культурой и спортом, до {target}% "
          "к {year} году",
          _BY + "дене шынықтырумен және спортпен жүйелі айналысатын халықтың үлесін {target}%-ға жеткізу"),
    _info("waste_collection", "ecology", "%", "increase", "level", "all",
          "Coverage of the population by solid waste collection",
          "Охват населения услугами по сбору и вывозу твёрдых бытовых отходов",
          "Халықты қатты тұрмыстық қалдықтарды жинау және әкету қызметтерімен қамту",
          "Довести охват населения услугами по сбору и вывозу твёрдых бытовых отходов до {target}% к {year} году",
          _BY + "халықты қатты тұрмыстық қалдықтарды жинау және әкету қызметтерімен қамтуды {target}%-ға жеткізу"),
    _info("waste_recycling", "ecology", "%", "increase", "level", "urban",
          "Share of solid waste recycled", "Доля переработки твёрдых бытовых отходов",
          "Қатты тұрмыстық қалдықтарды қайта өңдеу үлесі",
          "Довести долю переработки твёрдых бытовых отходов до {target}% к {year} году",
          _BY + "қатты тұрмыстық қалдықтарды қайта өңдеу үлесін {target}%-ға жеткізу"),
    _info("public_services_online", "governance", "%", "increase", "level", "all",
          "Share of public services provided online",
          "Доля государственных услуг, оказываемых в электронном формате",
          "Электрондық форматта көрсетілетін мемлекеттік қызметтердің үлесі",
          "Довести долю государственных услуг, оказываемых в электронном формате, до {target}% к {year} году",
          _BY + "электрондық форматта көрсетілетін мемлекеттік қызметтердің үлесін {target}%-ға жеткізу"),
)

#: the known development indicators: stable id -> section, unit, direction, names and wording (kk/ru/en)
DEV_INDICATORS: Mapping[str, DevIndicatorInfo] = MappingProxyType({i.id: i for i in _INFOS})


def section_of(indicator: str, given: str = "") -> str:
    """The theme section of an indicator: the section its row gives, else the registry's, else ``other``.

    >>> section_of("roads_good"), section_of("bus_routes"), section_of("bus_routes", "roads")
    ('roads', 'other', 'roads')
    """
    if given:
        return given
    info = DEV_INDICATORS.get(indicator)
    return info.section if info is not None else "other"


@dataclass(frozen=True, slots=True)
class DevIndicator:
    """One value of a development-programme indicator: a row of DEVELOPMENT.csv. ``section`` is empty unless the
    row names one (then it overrides the registry); ``source`` says where the value comes from (SYNTHETIC rows
    say so)."""

    territory: str
    programme: str
    indicator: str
    unit: str
    year: int
    value: Decimal
    kind: DevKind
    section: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """The series: territory × programme × indicator."""
        return (self.territory, self.programme, self.indicator)


@dataclass(frozen=True, slots=True)
class DevProblem:
    """Why a set of rows is not a valid development programme: the row's position (0-based), the column, the
    problem, and the position of the earlier row it conflicts with, if any."""

    index: int
    column: str
    problem: str
    other: int | None = None


@dataclass(frozen=True, slots=True)
class DevSeries:
    """One indicator of one territory's programme: its baseline and its plan values by year."""

    territory: str
    programme: str
    indicator: str
    unit: str
    section: str
    baseline: DevIndicator
    plan: tuple[DevIndicator, ...]

    @property
    def info(self) -> DevIndicatorInfo | None:
        """The registry's entry for the indicator, if it is a known one."""
        return DEV_INDICATORS.get(self.indicator)

    def plan_value(self, year: int) -> Decimal | None:
        return next((p.value for p in self.plan if p.year == year), None)

    @property
    def direction(self) -> Direction:
        """``decrease`` when the last plan value is below the baseline, else ``increase``."""
        last = self.plan[-1].value if self.plan else self.baseline.value
        return "decrease" if last < self.baseline.value else "increase"


def check_indicators(rows: Sequence[DevIndicator]) -> tuple[DevProblem, ...]:
    """Every problem of the rows as a development programme: a second baseline of a series, a series without one,
    a plan year not after the baseline year or given twice, a unit or section that changes within a series, an
    unknown section or kind."""
    problems: list[DevProblem] = []
    baseline: dict[tuple[str, str, str], int] = {}
    first: dict[tuple[str, str, str], int] = {}
    plan_years: dict[tuple[str, str, str, int], int] = {}
    for i, r in enumerate(rows):
        if r.kind not in DEV_KINDS:
            problems.append(DevProblem(i, "kind", f"expected baseline or plan, got {r.kind!r}"))
        if r.section and r.section not in SECTIONS:
            problems.append(DevProblem(i, "section", f"unknown section {r.section!r}; valid: {', '.join(SECTIONS)}"))
        head = first.setdefault(r.key, i)
        if normalise_unit(rows[head].unit) != normalise_unit(r.unit):
            problems.append(DevProblem(i, "unit", f"unit {r.unit!r} differs from {rows[head].unit!r} of the same "
                                                  "series (territory, programme, indicator)", head))
        if rows[head].section != r.section:
            problems.append(DevProblem(i, "section", f"section {r.section!r} differs from {rows[head].section!r} of "
                                                     "the same series", head))
        if r.kind == "baseline":
            if r.key in baseline:
                problems.append(DevProblem(i, "kind", "a second baseline of the same series (territory, programme, "
                                                      "indicator): a series has one baseline", baseline[r.key]))
            else:
                baseline[r.key] = i
        elif r.kind == "plan":
            held = plan_years.setdefault((*r.key, r.year), i)
            if held != i:
                problems.append(DevProblem(i, "year", f"a second plan value for {r.year} of the same series", held))
    for i, r in enumerate(rows):
        base = baseline.get(r.key)
        if base is None:
            if first[r.key] == i:
                problems.append(DevProblem(i, "kind", "the series (territory, programme, indicator) has no baseline "
                                                      "row"))
        elif r.kind == "plan" and r.year <= rows[base].year:
            problems.append(DevProblem(i, "year", f"plan year {r.year} is not after the baseline year "
                                                  f"{rows[base].year}", base))
    return tuple(sorted(problems, key=lambda p: (p.index, p.column)))


@dataclass(frozen=True, slots=True)
class DevelopmentSet:
    """Valid development-programme rows (build with :meth:`of`) and their series."""

    indicators: tuple[DevIndicator, ...]

    @classmethod
    def of(cls, rows: Iterable[DevIndicator]) -> DevelopmentSet:
        """The rows, checked (:func:`check_indicators`); the first problem raises :class:`InputError`."""
        kept = tuple(rows)
        problems = check_indicators(kept)
        if problems:
            p = problems[0]
            other = f" (see indicator #{p.other + 1})" if p.other is not None else ""
            raise InputError(f"indicator #{p.index + 1}, {p.column}: {p.problem}{other}", parameter="indicators")
        return cls(kept)

    @property
    def territories(self) -> tuple[str, ...]:
        return tuple(sorted({r.territory for r in self.indicators}))

    def series(self, territory: str | None = None) -> tuple[DevSeries, ...]:
        """The series (of one territory, or all), by territory, programme, then registry order, then id."""
        grouped: dict[tuple[str, str, str], list[DevIndicator]] = {}
        for r in self.indicators:
            if territory is None or r.territory == territory:
                grouped.setdefault(r.key, []).append(r)
        order = {k: n for n, k in enumerate(DEV_INDICATORS)}
        out = []
        for key in sorted(grouped, key=lambda k: (k[0], k[1], order.get(k[2], len(order)), k[2])):
            rows = grouped[key]
            base = next(r for r in rows if r.kind == "baseline")
            plan = tuple(sorted((r for r in rows if r.kind == "plan"), key=lambda r: r.year))
            out.append(DevSeries(*key, base.unit, section_of(key[2], base.section), base, plan))
        return tuple(out)
