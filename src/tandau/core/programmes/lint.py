"""Quality checks of an election programme, C01-C10 (issue 13, item 4; docs/programmes.md).

A commitment the party can be held to is SMART (G. T. Doran, "There's a S.M.A.R.T. way to write management's goals
and objectives", Management Review 70(11), 1981): specific and measurable (an indicator in a unit, C01; a baseline,
C02; a target, C03, beyond the baseline in its direction, C05), time-related (a deadline inside the council's term,
C04), assignable (a responsible body, C06) and realistic (a budget, C07). C08 catches a commitment written twice,
C09 districts that promise more than their region, C10 a commitment tied to no voters' proposal and no
development-programme indicator (a notice). Every check is registered under its stable code; every finding
carries the commitment, the code, its data and the English text, and :func:`message` says it in kk, ru or en.

>>> from decimal import Decimal as D
>>> c = Commitment("W-1", "590000000", "water", "", "Вода", "access", "%", D(90), 2022, D(85), date(2027, 12, 31),
...                budget_kzt=D(1), responsible="akimat", proposals=("P-1",))
>>> result = lint(Programme((c,)), term=Term(date(2023, 3, 20), date(2028, 3, 19)))
>>> [(f.code, f.detail_en) for f in result.findings], result.ok
([('C05', 'target 85 is not above the baseline 90, although the direction is increase')], False)
>>> message(result.findings[0], "ru")
'целевое значение 85 не выше базового 90, хотя указано направление «рост»'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from tandau.core.programmes.model import (
    Commitment,
    Programme,
    is_additive,
    is_region_code,
    normalise_text,
    region_of,
    unit_key,
)
from tandau.errors import InputError, UnknownIdError

Severity = Literal["error", "notice"]
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
ISSUE = "issue 13, item 4"
SMART = "Doran 1981, S.M.A.R.T. goals"

#: message texts: key (the code, or ``code.case`` for a code with several cases) -> language -> format string
MESSAGES: Mapping[str, Mapping[str, str]] = {
    "C01": {
        "en": "no indicator or unit: the commitment must say what is measured and in what unit (missing: {missing})",
        "ru": "нет показателя или единицы измерения: обязательство должно указывать, что измеряется и в чём "
              "(не заполнено: {missing})",
        "kk": "көрсеткіш немесе өлшем бірлігі жоқ: міндеттеме не өлшенетінін және қандай бірлікпен өлшенетінін "
              "көрсетуі тиіс (толтырылмаған: {missing})",
    },
    "C02": {
        "en": "no baseline: the starting value and its year are required (missing: {missing})",
        "ru": "нет базового значения: нужны исходное значение и его год (не заполнено: {missing})",
        "kk": "базалық мән жоқ: бастапқы мән мен оның жылы қажет (толтырылмаған: {missing})",
    },
    "C03": {
        "en": "no target: the value to reach is required",
        "ru": "нет целевого значения: нужно значение, которое должно быть достигнуто",
        "kk": "нысаналы мән жоқ: қол жеткізілетін мән қажет",
    },
    "C04.missing": {
        "en": "no deadline: the date by which the target is reached is required",
        "ru": "нет срока: нужна дата, к которой цель должна быть достигнута",
        "kk": "мерзімі жоқ: мақсатқа қол жеткізілетін күн қажет",
    },
    "C04.outside": {
        "en": "deadline {deadline} is outside the council's term {term_start} – {term_end}",
        "ru": "срок {deadline} выходит за пределы срока полномочий маслихата {term_start} – {term_end}",
        "kk": "{deadline} мерзімі мәслихаттың өкілеттік мерзімінен ({term_start} – {term_end}) тыс",
    },
    "C05.increase": {
        "en": "target {target} is not above the baseline {baseline}, although the direction is increase",
        "ru": "целевое значение {target} не выше базового {baseline}, хотя указано направление «рост»",
        "kk": "нысаналы мән {target} базалық мәннен {baseline} жоғары емес, ал бағыты — «өсу»",
    },
    "C05.decrease": {
        "en": "target {target} is not below the baseline {baseline}, although the direction is decrease",
        "ru": "целевое значение {target} не ниже базового {baseline}, хотя указано направление «снижение»",
        "kk": "нысаналы мән {target} базалық мәннен {baseline} төмен емес, ал бағыты — «төмендеу»",
    },
    "C06": {
        "en": "no responsible body: name the state body or official answerable for the commitment",
        "ru": "не указан ответственный: назовите государственный орган или должностное лицо, отвечающее за "
              "обязательство",
        "kk": "жауапты орган көрсетілмеген: міндеттемеге жауап беретін мемлекеттік органды немесе лауазымды "
              "тұлғаны атаңыз",
    },
    "C07.missing": {
        "en": "no budget: the amount in KZT is required",
        "ru": "не указан бюджет: нужна сумма в тенге",
        "kk": "бюджеті көрсетілмеген: теңгемен сомасы қажет",
    },
    "C07.not_positive": {
        "en": "budget {budget_kzt} KZT is not positive",
        "ru": "бюджет {budget_kzt} тенге должен быть больше нуля",
        "kk": "бюджет {budget_kzt} теңге нөлден көп болуы тиіс",
    },
    "C08": {
        "en": "the same commitment as {first} (territory {territory}, indicator {indicator}, unit {unit}, "
              "deadline {deadline})",
        "ru": "то же обязательство, что и {first} (территория {territory}, показатель {indicator}, единица {unit}, "
              "срок {deadline})",
        "kk": "{first} міндеттемесімен бірдей (аумақ {territory}, көрсеткіш {indicator}, бірлік {unit}, "
              "мерзім {deadline})",
    },
    "C09": {
        "en": "the districts' targets for {development_indicator} sum to {total} {unit}, beyond the target "
              "{target} {unit} of their region {territory} (commitments {children})",
        "ru": "целевые значения районов по показателю {development_indicator} в сумме составляют {total} {unit}, "
              "больше целевого значения {target} {unit} их региона {territory} (обязательства {children})",
        "kk": "аудандардың {development_indicator} көрсеткіші бойынша нысаналы мәндерінің қосындысы {total} {unit}, "
              "бұл олардың өңірінің {territory} нысаналы мәнінен {target} {unit} асады (міндеттемелер: {children})",
    },
    "C10": {
        "en": "links no proposal and no development-programme indicator",
        "ru": "не связано ни с одним предложением и ни с одним показателем программы развития",
        "kk": "ешбір ұсыныспен де, даму бағдарламасының ешбір көрсеткішімен де байланыстырылмаған",
    },
}


@dataclass(frozen=True, slots=True)
class Term:
    """The council's term of office, both days included (a maslikhat is elected for five years)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(f"the term ends ({self.end}) before it starts ({self.start})", parameter="--term")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of one commitment: its stable code, severity, English text and the data that fired it."""

    commitment: str
    code: str
    severity: Severity
    detail_en: str
    data: Mapping[str, object] = field(default_factory=dict)
    case: str = ""

    @property
    def key(self) -> str:
        """The key of its text in :data:`MESSAGES`: the code, or ``code.case``."""
        return f"{self.code}.{self.case}" if self.case else self.code

    def to_json(self, lang: str = "en") -> dict[str, object]:
        """``{"commitment", "code", "severity", "detail", "data"}``; decimals as exact strings, dates ISO."""
        return {"commitment": self.commitment, "code": self.code, "severity": self.severity,
                "detail": message(self, lang), "data": {k: _plain(v) for k, v in self.data.items()}}


@dataclass(frozen=True, slots=True)
class LintResult:
    """Every finding, by the commitment's place in the programme (the parent's commitments last), then code."""

    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """No error-level finding (notices allowed)."""
        return not any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True, slots=True)
class Context:
    """What a check sees: the programme, the council's term and the region's programme (for C09), if given."""

    programme: Programme
    term: Term | None = None
    parent: Programme | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its stable code, severity, title, source and function."""

    code: str
    severity: Severity
    title: str
    source: str
    run: Callable[[Context], Iterator[Finding]]


CHECKS: dict[str, Check] = {}


def check(code: str, severity: Severity, title: str, source: str) -> Callable[
        [Callable[[Context], Iterator[Finding]]], Callable[[Context], Iterator[Finding]]]:
    """Register a check under ``code``."""
    def register(run: Callable[[Context], Iterator[Finding]]) -> Callable[[Context], Iterator[Finding]]:
        CHECKS[code] = Check(code, severity, title, source, run)
        return run
    return register


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _number(value: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros (``1E+3`` -> ``1000``, ``2.50`` -> ``2.5``)."""
    return f"{value.normalize():f}"


def _render(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return ", ".join(_render(v) for v in value)
    return str(_plain(value))


def message(finding: Finding, lang: str = "en") -> str:
    """The finding's text in ``lang`` (kk, ru or en)."""
    if lang not in LANGUAGES:
        raise UnknownIdError("language", lang, LANGUAGES)
    return MESSAGES[finding.key][lang].format(**{k: _render(v) for k, v in finding.data.items()})


def finding(c: Commitment, code: str, case: str = "", **data: object) -> Finding:
    """A finding of the registered check ``code`` on ``c``, its English text rendered from ``data``."""
    severity = CHECKS[code].severity
    draft = Finding(c.commitment, code, severity, "", MappingProxyType(data), case)
    return Finding(c.commitment, code, severity, message(draft, "en"), draft.data, case)


def _each(ctx: Context) -> Iterator[Commitment]:
    yield from ctx.programme.commitments


@check("C01", "error", "no indicator or unit", f"{ISSUE}; {SMART}: measurable")
def _c01(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        missing = tuple(name for name, value in (("indicator", c.indicator), ("unit", c.unit)) if not value)
        if missing:
            yield finding(c, "C01", missing=missing)


@check("C02", "error", "no baseline", f"{ISSUE}; {SMART}: measurable")
def _c02(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        missing = tuple(name for name, value in (("baseline", c.baseline), ("baseline_year", c.baseline_year))
                        if value is None)
        if missing:
            yield finding(c, "C02", missing=missing)


@check("C03", "error", "no target", f"{ISSUE}; {SMART}: measurable")
def _c03(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if c.target is None:
            yield finding(c, "C03")


@check("C04", "error", "deadline missing or outside the council's term", f"{ISSUE}; {SMART}: time-related")
def _c04(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if c.deadline is None:
            yield finding(c, "C04", "missing")
        elif ctx.term is not None and c.deadline not in ctx.term:
            yield finding(c, "C04", "outside", deadline=c.deadline, term_start=ctx.term.start,
                          term_end=ctx.term.end)


@check("C05", "error", "target not beyond the baseline in the stated direction", f"{ISSUE}; {SMART}: specific")
def _c05(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if c.baseline is not None and c.target is not None and (c.target - c.baseline) * c.sign <= 0:
            yield finding(c, "C05", c.direction, target=c.target, baseline=c.baseline, direction=c.direction)


@check("C06", "error", "no responsible body", f"{ISSUE}; {SMART}: assignable")
def _c06(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if not c.responsible:
            yield finding(c, "C06")


@check("C07", "error", "budget missing or not positive", f"{ISSUE}; {SMART}: realistic")
def _c07(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if c.budget_kzt is None:
            yield finding(c, "C07", "missing")
        elif c.budget_kzt <= 0:
            yield finding(c, "C07", "not_positive", budget_kzt=c.budget_kzt)


@check("C08", "error", "the same commitment twice", ISSUE)
def _c08(ctx: Context) -> Iterator[Finding]:
    """Same territory, indicator (case and spacing ignored), unit (``км`` = ``km``) and deadline; the later
    commitment is reported, naming the first. Commitments without an indicator or unit are left to C01."""
    first: dict[tuple[str, str, str, date | None], Commitment] = {}
    for c in _each(ctx):
        if not c.indicator or not c.unit:
            continue
        key = (c.territory, normalise_text(c.indicator), unit_key(c.unit), c.deadline)
        earlier = first.setdefault(key, c)
        if earlier is not c:
            yield finding(c, "C08", first=earlier.commitment, territory=c.territory, indicator=c.indicator,
                          unit=c.unit, deadline=c.deadline)


@check("C09", "error", "districts' targets beyond their region's", ISSUE)
def _c09(ctx: Context) -> Iterator[Finding]:
    """For each region commitment to increase, in an additive unit, linked to a development indicator: the
    commitments of the region's districts and cities (9-digit codes with its first two digits) on the same
    development indicator and unit, to increase, with a deadline not after the region's. From each district the
    one with the latest deadline counts (a later milestone includes an earlier one). Their targets' sum above
    the region's target fires, reported on the region's commitment, once at least one of them is in the programme
    checked (the region's may come from ``--parent``)."""
    own = {id(c) for c in ctx.programme.commitments}
    pool = ctx.programme.commitments + (ctx.parent.commitments if ctx.parent is not None else ())
    for region in pool:
        if not (region.is_region and region.target is not None and region.direction == "increase"
                and region.development_indicator and is_additive(region.unit)):
            continue
        indicator, unit = normalise_text(region.development_indicator), unit_key(region.unit)
        latest: dict[str, Commitment] = {}
        for c in pool:
            if (is_region_code(c.territory) or region_of(c.territory) != region.territory or c.target is None
                    or c.direction != "increase" or normalise_text(c.development_indicator) != indicator
                    or unit_key(c.unit) != unit):
                continue
            if region.deadline is not None and c.deadline is not None and c.deadline > region.deadline:
                continue
            held = latest.get(c.territory)
            if held is None or (c.deadline or date.min) > (held.deadline or date.min):
                latest[c.territory] = c
        children = [latest[t] for t in sorted(latest)]
        if not children or not ({id(region)} | {id(c) for c in children}) & own:
            continue
        total = sum((c.target for c in children if c.target is not None), Decimal(0))
        if total > region.target:
            yield finding(region, "C09", territory=region.territory,
                          development_indicator=region.development_indicator, unit=region.unit, total=total,
                          target=region.target, children=tuple(c.commitment for c in children),
                          districts=tuple(c.territory for c in children))


@check("C10", "notice", "links no proposal and no development-programme indicator", ISSUE)
def _c10(ctx: Context) -> Iterator[Finding]:
    for c in _each(ctx):
        if not c.proposals and not c.development_indicator:
            yield finding(c, "C10")


def lint(programme: Programme, *, term: Term | None = None, parent: Programme | None = None,
         codes: tuple[str, ...] | None = None) -> LintResult:
    """Run the checks (all, or ``codes``) on ``programme``. Without ``term``, C04 checks only that a deadline is
    given; ``parent`` (the region's programme) takes part in C09 only."""
    chosen = tuple(CHECKS) if codes is None else codes
    for code in chosen:
        if code not in CHECKS:
            raise UnknownIdError("check", code, tuple(CHECKS))
    rank: dict[str, int] = {}
    for c in programme.commitments + (parent.commitments if parent is not None else ()):
        rank.setdefault(c.commitment, len(rank))
    ctx = Context(programme, term, parent)
    found = [f for code in chosen for f in CHECKS[code].run(ctx)]
    found.sort(key=lambda f: (rank.get(f.commitment, len(rank)), f.code))
    return LintResult(tuple(found))
