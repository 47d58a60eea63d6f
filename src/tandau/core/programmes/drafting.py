"""Drafting help for a council's election programme: commitments proposed from its territory's development
programme, sections ordered by what the voters' proposals ask for most (issue 13, item 3).

Rule-based and explainable; a person edits and decides. For each series of the territory's development programme
(:mod:`tandau.core.programmes.development`) :func:`draft` proposes one commitment (:class:`Commitment`):

* **target and deadline**: the plan value of the *latest plan year whose 31 December falls within the council's
  term*; the deadline is that 31 December. No value is interpolated or extrapolated: a promise repeats a figure the
  programme states. A series with no such plan year is skipped (``no_plan_in_term``), as is one whose plan value
  equals its baseline (``no_change``: nothing to promise) and a second series of the same indicator and unit
  (``duplicate``: lint C08 would report it).
* **baseline**: the series' baseline value and year; **direction** from the baseline to the target; **unit**,
  **indicator** and **development_indicator** the series' indicator id (shared by a region's and its districts'
  programmes, so lint C09 compares them); **section** the indicator's theme; **kind** the registry's
  (``level`` for an unknown indicator).
* **text_ru / text_kk** from the registry's wording for the indicator ("Довести долю ... до 95,1% к 2027 году"), or a
  generic wording naming the indicator; **responsible** a default body for the section (``отдел образования
  акимата``; ``управление`` for a region), to be checked; **budget** empty, so lint C07 reminds the person.

Sections come in the order of the proposals' theme counts (most asked first, ties in the taxonomy's order), then the
sections that have commitments but no proposals. Every commitment carries an :class:`Explanation` (the indicator,
its numbers, the term, how many proposals ask for its section) in kk, ru and en. A draft passes ``lint`` but for C07
(and C10 cannot fire: every commitment names its development indicator).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from tandau.core.programmes.development import SECTION_NAMES, DevelopmentSet, DevIndicator, DevSeries
from tandau.core.programmes.lint import LANGUAGES, Term
from tandau.core.programmes.model import (
    SECTIONS,
    Commitment,
    Direction,
    Programme,
    council_of,
    is_region_code,
    normalise_text,
    unit_key,
)
from tandau.errors import InputError, UnknownIdError

#: default responsible body per section (kk, ru), a district's or city's department; a region's is an управление
RESPONSIBLE: Mapping[str, tuple[str, str]] = MappingProxyType({
    "water": ("тұрғын үй-коммуналдық шаруашылық бөлімі", "отдел жилищно-коммунального хозяйства"),
    "utilities": ("тұрғын үй-коммуналдық шаруашылық бөлімі", "отдел жилищно-коммунального хозяйства"),
    "roads": ("жолаушылар көлігі және автомобиль жолдары бөлімі", "отдел пассажирского транспорта и автомобильных "
                                                                  "дорог"),
    "housing": ("құрылыс бөлімі", "отдел строительства"),
    "health": ("денсаулық сақтау бөлімі", "отдел здравоохранения"),
    "education": ("білім бөлімі", "отдел образования"),
    "jobs": ("жұмыспен қамту және әлеуметтік бағдарламалар бөлімі", "отдел занятости и социальных программ"),
    "agriculture": ("ауыл шаруашылығы бөлімі", "отдел сельского хозяйства"),
    "social": ("жұмыспен қамту және әлеуметтік бағдарламалар бөлімі", "отдел занятости и социальных программ"),
    "culture_sport": ("мәдениет және спорт бөлімі", "отдел культуры и спорта"),
    "ecology": ("табиғи ресурстар және табиғатты пайдалануды реттеу бөлімі", "отдел природных ресурсов и "
                                                                          "регулирования природопользования"),
    "safety": ("әкім аппараты", "аппарат акима"),
    "governance": ("әкім аппараты", "аппарат акима"),
    "other": ("әкім аппараты", "аппарат акима"),
})

_GENERIC = {
    "increase": {"ru": "Довести показатель «{name}» до {target} {unit} к {year} году",
                 "kk": "{year} жылға қарай «{name}» көрсеткішін {target} {unit} деңгейіне жеткізу"},
    "decrease": {"ru": "Снизить показатель «{name}» до {target} {unit} к {year} году",
                 "kk": "{year} жылға қарай «{name}» көрсеткішін {target} {unit} деңгейіне дейін төмендету"},
}

#: texts of explanations, skips and section notes: key -> language -> format string
TEXTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "proposed": {
        "en": "{programme}, indicator {indicator} ({name}): baseline {baseline} {unit} in {baseline_year}, plan "
              "{target} {unit} in {target_year}, the last plan year whose 31 December is within the term "
              "{term_start} – {term_end}; section {section}: {asked}. The responsible body is the section's "
              "default: check it; fill in the budget (C07).",
        "ru": "{programme}, показатель {indicator} ({name}): базовое значение {baseline} {unit} в {baseline_year} "
              "году, план {target} {unit} на {target_year} год — последний плановый год, 31 декабря которого входит "
              "в срок полномочий {term_start} – {term_end}; раздел «{section}»: {asked}. Ответственный указан по "
              "умолчанию для раздела — проверьте; заполните бюджет (C07).",
        "kk": "{programme}, {indicator} көрсеткіші ({name}): базалық мәні {baseline_year} жылы {baseline} {unit}, "
              "жоспары {target_year} жылға {target} {unit} — 31 желтоқсаны өкілеттік мерзіміне ({term_start} – "
              "{term_end}) кіретін соңғы жоспарлы жыл; «{section}» бөлімі: {asked}. Жауапты орган бөлім үшін "
              "әдепкі бойынша көрсетілген — тексеріңіз; бюджетті толтырыңыз (C07).",
    },
    "asked": {
        "en": "{proposals} of {proposals_total} proposals of the territory",
        "ru": "{proposals} из {proposals_total} предложений территории",
        "kk": "аумақтың {proposals_total} ұсынысының {proposals} осы бөлімге қатысты",
    },
    "asked_none": {
        "en": "no proposals counted",
        "ru": "предложения не учтены",
        "kk": "ұсыныстар есепке алынбаған",
    },
    "no_plan_in_term": {
        "en": "{programme}, indicator {indicator}: no plan year ends within the term {term_start} – {term_end} "
              "(plan years {years}); nothing proposed",
        "ru": "{programme}, показатель {indicator}: ни один плановый год не заканчивается в срок полномочий "
              "{term_start} – {term_end} (плановые годы {years}); ничего не предложено",
        "kk": "{programme}, {indicator} көрсеткіші: бірде-бір жоспарлы жыл өкілеттік мерзімінде ({term_start} – "
              "{term_end}) аяқталмайды (жоспарлы жылдар {years}); ештеңе ұсынылмады",
    },
    "no_change": {
        "en": "{programme}, indicator {indicator}: the plan for {target_year} ({target}) equals the baseline; "
              "nothing to promise",
        "ru": "{programme}, показатель {indicator}: план на {target_year} год ({target}) равен базовому значению; "
              "обещать нечего",
        "kk": "{programme}, {indicator} көрсеткіші: {target_year} жылғы жоспар ({target}) базалық мәнге тең; "
              "уәде беретін ештеңе жоқ",
    },
    "duplicate": {
        "en": "{programme}, indicator {indicator}: already proposed from {kept}",
        "ru": "{programme}, показатель {indicator}: уже предложено по программе {kept}",
        "kk": "{programme}, {indicator} көрсеткіші: {kept} бағдарламасы бойынша ұсынылған",
    },
    "no_indicator": {
        "en": "{proposals} of {proposals_total} proposals ask for section {section}, and the development programme "
              "has no indicator for it: write its commitments yourself",
        "ru": "{proposals} из {proposals_total} предложений относятся к разделу «{section}», а в программе развития "
              "нет показателя для него: сформулируйте обязательства сами",
        "kk": "{proposals_total} ұсыныстың {proposals} «{section}» бөліміне қатысты, ал даму бағдарламасында оған "
              "көрсеткіш жоқ: міндеттемелерді өзіңіз жазыңыз",
    },
})


def number(value: Decimal, lang: str = "en") -> str:
    """An exact decimal for a text: no exponent or trailing zeros; in kk and ru a decimal comma and spaces between
    thousands from 10 000.

    >>> number(Decimal("95.10"), "ru"), number(Decimal("12500"), "kk"), number(Decimal("1E+2"))
    ('95,1', '12 500', '100')
    """
    text = f"{value.normalize():f}"
    if lang == "en":
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    if len(digits) > 4:
        digits = f"{int(digits):,}".replace(",", " ")
    return sign + digits + ("," + frac if frac else "")


@dataclass(frozen=True, slots=True)
class Note:
    """A text of :data:`TEXTS` with its data: why something was proposed, skipped or left to the person."""

    key: str
    data: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        if lang not in LANGUAGES:
            raise UnknownIdError("language", lang, LANGUAGES)
        values = {k: _render(v, lang) for k, v in self.data.items()}
        if "section" in self.data:
            values["section"] = SECTION_NAMES[str(self.data["section"])][lang]
        names = self.data.get("names")
        if isinstance(names, Mapping):
            values["name"] = str(names.get(lang) or names.get("en") or self.data.get("indicator", ""))
        if self.key == "proposed":
            asked = "asked" if self.data.get("proposals_total") else "asked_none"
            values["asked"] = TEXTS[asked][lang].format(**values)
        return TEXTS[self.key][lang].format(**values)


def _render(value: object, lang: str) -> str:
    if isinstance(value, Decimal):
        return number(value, lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(_render(v, lang) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class DraftCommitment:
    """A proposed commitment and why: ``explanation`` (key ``proposed``); the responsible body is a default to be
    checked, the budget is left empty."""

    commitment: Commitment
    explanation: Note
    series: DevSeries


@dataclass(frozen=True, slots=True)
class DraftSection:
    """A section of the draft: how many proposals ask for it, its commitments, and a note when proposals ask for
    it but the development programme has no indicator for it."""

    section: str
    proposals: int
    commitments: tuple[DraftCommitment, ...]
    note: Note | None = None

    def name(self, lang: str = "en") -> str:
        return SECTION_NAMES[self.section][lang]


@dataclass(frozen=True, slots=True)
class DraftProgramme:
    """A council's draft programme: its sections in order, what was skipped and why."""

    territory: str
    term: Term
    sections: tuple[DraftSection, ...]
    skipped: tuple[Note, ...]
    proposals_total: int

    @property
    def commitments(self) -> tuple[DraftCommitment, ...]:
        return tuple(c for s in self.sections for c in s.commitments)

    @property
    def programme(self) -> Programme:
        """The proposed commitments as a programme, in section order (what ``lint`` checks)."""
        return Programme(tuple(c.commitment for c in self.commitments), f"draft {council_of(self.territory)}")


def covers(territory: str, code: str) -> bool:
    """Whether ``code`` (9-digit KATO, any level) lies in ``territory``: a region by its first two digits, a city
    district (``XXXX10000``) by five, a city or district by four, anything else only itself.

    >>> covers("590000000", "593230100"), covers("593200000", "593230100"), covers("591000000", "593200000")
    (True, True, False)
    """
    if is_region_code(territory):
        digits = 2
    elif territory[4:] == "10000":
        digits = 5
    elif territory[4:] == "00000":
        digits = 4
    else:
        return code == territory
    return code[:digits] == territory[:digits]


def theme_counts(proposals: Iterable[tuple[str, str]], territory: str) -> dict[str, int]:
    """Counts of themes among ``(territory, theme)`` proposals that lie in ``territory`` (itself and its children)."""
    counts: dict[str, int] = {}
    for code, theme in proposals:
        if covers(territory, code):
            counts[theme] = counts.get(theme, 0) + 1
    return counts


def section_order(counts: Mapping[str, int], present: Iterable[str]) -> tuple[str, ...]:
    """Sections asked for by proposals (most first, ties in the taxonomy's order), then the other ``present``
    sections in the taxonomy's order.

    >>> section_order({"roads": 3, "water": 5, "health": 3}, ["education", "roads"])
    ('water', 'roads', 'health', 'education')
    """
    rank = {s: i for i, s in enumerate(SECTIONS)}
    asked = sorted((s for s, n in counts.items() if n > 0), key=lambda s: (-counts[s], rank[s]))
    rest = sorted(set(present) - set(asked), key=lambda s: rank[s])
    return (*asked, *rest)


def _responsible(territory: str, section: str) -> str:
    kk, ru = RESPONSIBLE[section]
    if is_region_code(territory):
        kk, ru = kk.replace("бөлімі", "басқармасы"), ru.replace("отдел ", "управление ")
    if ru == "аппарат акима":
        return f"{kk} / {ru}"
    return f"әкімдіктің {kk} / {ru} акимата"


def _wording(s: DevSeries, lang: str, target: Decimal, year: int) -> str:
    info = s.info
    values = {"target": number(target, lang), "year": str(year), "unit": s.unit, "name": s.indicator}
    template = info.wording[lang] if info is not None else _GENERIC[s.direction][lang]
    return template.format(**values)


def _target(s: DevSeries, term: Term) -> DevIndicator | None:
    inside = [p for p in s.plan if date(p.year, 12, 31) in term]
    return inside[-1] if inside else None


def draft(territory: str, term: Term, indicators: DevelopmentSet | Sequence[DevIndicator],
          proposal_theme_counts: Mapping[str, int] | None = None) -> DraftProgramme:
    """Propose a programme for the council of ``territory`` (9-digit KATO) over ``term`` from the development
    indicators (see the module's docstring); ``proposal_theme_counts`` maps sections to how many of the voters'
    proposals of the territory and its children ask for them (:func:`theme_counts`)."""
    if not (len(territory) == 9 and territory.isdigit()):
        raise InputError(f"expected a 9-digit KATO code, got {territory!r}", parameter="territory")
    data = indicators if isinstance(indicators, DevelopmentSet) else DevelopmentSet.of(indicators)
    counts = dict(proposal_theme_counts or {})
    for section, n in counts.items():
        if section not in SECTIONS:
            raise UnknownIdError("section", section, SECTIONS)
        if n < 0:
            raise InputError(f"a count of proposals must be ≥ 0, got {n} for {section}",
                             parameter="proposal_theme_counts")
    total = sum(counts.values())
    base = {"term_start": term.start, "term_end": term.end}
    proposed: dict[str, list[tuple[DevSeries, DevIndicator]]] = {}
    skipped: list[Note] = []
    kept: dict[tuple[str, str], str] = {}
    for s in data.series(territory):
        where = {"programme": s.programme, "indicator": s.indicator, **base}
        plan = _target(s, term)
        if plan is None:
            skipped.append(Note("no_plan_in_term", {**where, "years": tuple(p.year for p in s.plan)}))
            continue
        if plan.value == s.baseline.value:
            skipped.append(Note("no_change", {**where, "target": plan.value, "target_year": plan.year}))
            continue
        key = (normalise_text(s.indicator), unit_key(s.unit))
        if key in kept:
            skipped.append(Note("duplicate", {**where, "kept": kept[key]}))
            continue
        kept[key] = s.programme
        proposed.setdefault(s.section, []).append((s, plan))
    council = council_of(territory)
    sections: list[DraftSection] = []
    n = 0
    for section in section_order(counts, proposed):
        asked = counts.get(section, 0)
        items: list[DraftCommitment] = []
        for s, plan in proposed.get(section, ()):
            n += 1
            direction: Direction = "decrease" if plan.value < s.baseline.value else "increase"
            info = s.info
            commitment = Commitment(
                f"{council}-{n:02d}", territory, section,
                _wording(s, "kk", plan.value, plan.year), _wording(s, "ru", plan.value, plan.year),
                s.indicator, s.unit, s.baseline.value, s.baseline.year, plan.value, date(plan.year, 12, 31),
                direction, None, "", _responsible(territory, section), s.indicator, (),
                info.kind if info is not None and direction == "increase" else "level")
            names = info.names if info is not None else {"en": s.indicator}
            why = Note("proposed", {"programme": s.programme, "indicator": s.indicator, "names": names,
                                    "unit": s.unit, "baseline": s.baseline.value, "baseline_year": s.baseline.year,
                                    "target": plan.value, "target_year": plan.year, "section": section,
                                    "proposals": asked, "proposals_total": total, **base})
            items.append(DraftCommitment(commitment, why, s))
        note = None if items else Note("no_indicator", {"section": section, "proposals": asked,
                                                        "proposals_total": total})
        sections.append(DraftSection(section, asked, tuple(items), note))
    return DraftProgramme(territory, term, tuple(sections), tuple(skipped), total)
