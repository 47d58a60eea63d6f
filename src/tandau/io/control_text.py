"""Party control in the page's language: red-flag explanations, statuses, programme and indicator names.

The core explains a programme flag in English (:func:`tandau.core.control.programmes.flags.describe`) beside its
code, data and parameters; a procurement flag is only a code and a value per OCID, buyer, procuring entity or
tenderer (Cardinal's output, :mod:`tandau.services.control.flags`). Here each code has gettext messages with
named ``%(...)s`` placeholders that say the same in kk, ru and en, the numbers, percentages and dates formatted
for the locale (:mod:`tandau.io.catalogues`; the pages, the report PDF and its background job read them).
Translations live in ``locale/<lang>/LC_MESSAGES/control.po``.

Russian nouns after a number change with it (1 отчёт, 2 отчёта, 5 отчётов); the messages put a count after a
colon ("отчётов подряд: 4") so that one form fits every number. Kazakh placeholders stand where no case
ending has to follow them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tandau.io.catalogues import N_, Translate, fmt_date, fmt_number, fmt_percent

__all__ = [
    "COLUMN_NAMES", "EVENT_FLAGS", "FLAG_TITLES", "INDICATOR_NAMES", "PROCUREMENT_GROUPS", "PROCUREMENT_TEXTS",
    "PROGRAMME_NAMES", "PROGRAMME_TEXTS", "STATUS_LABELS", "STATUS_LIGHT", "STATUS_ORDER", "UNIT_NAMES",
    "flag_title", "fmt_day", "fmt_share", "fmt_value", "indicator_name", "procurement_flag_text",
    "programme_flag_text", "programme_name", "unit_name", "worst_status",
]

FLAG_TITLES: dict[str, str] = {
    "P01": N_("Money ahead of works"),
    "P02": N_("Paid above contracted, or contracted above allocation"),
    "P03": N_("Year-end rush"),
    "P04": N_("Behind the trajectory"),
    "P05": N_("Unlikely on time"),
    "P06": N_("Stale reports"),
    "P07": N_("Cumulative value decreased"),
    "P08": N_("Target lowered or deadline moved"),
    "P09": N_("Underspending"),
    "R003": N_("Short submission period"),
    "R018": N_("Single bid"),
    "R024": N_("Price close to the winning bid"),
    "R025": N_("Excessive unsuccessful bids"),
    "R028": N_("Identical bid prices"),
    "R030": N_("Late bid won"),
    "R035": N_("All but the winner disqualified"),
    "R036": N_("Lowest bid disqualified"),
    "R038": N_("Excessive disqualified bids"),
    "R048": N_("Heterogeneous supplier"),
    "R058": N_("Heavily discounted bid"),
}

STATUS_LABELS: dict[str, str] = {
    "achieved": N_("achieved"),
    "on_track": N_("on track"),
    "at_risk": N_("at risk"),
    "off_track": N_("off track"),
}
#: status -> CSS class of its traffic light
STATUS_LIGHT: dict[str, str] = {"achieved": "done", "on_track": "green", "at_risk": "amber", "off_track": "red"}
#: worst first
STATUS_ORDER: tuple[str, ...] = ("off_track", "at_risk", "on_track", "achieved")

PROGRAMME_NAMES: dict[str, str] = {
    "auyl-el-besigi": N_("Auyl – El Besigi (support of villages)"),
    "clean-water": N_("Clean drinking water in rural settlements"),
    "enbek": N_("Enbek and the Employment Roadmap"),
    "housing": N_("Housing: about 1 million flats (Nurly Zher)"),
}
INDICATOR_NAMES: dict[str, str] = {
    "villages_modernised": N_("Villages modernised"),
    "rural_access_share": N_("Share of rural population with access to drinking water"),
    "people_covered": N_("People covered by employment measures"),
    "jobs_created": N_("Jobs created"),
    "flats_built": N_("Flats built"),
}
UNIT_NAMES: dict[str, str] = {
    "villages": N_("villages"),
    "percent": N_("percent"),
    "people": N_("people"),
    "jobs": N_("jobs"),
    "flats": N_("flats"),
}
#: the report columns P07 names
COLUMN_NAMES: dict[str, str] = {
    "actual": N_("actual value"),
    "allocated_kzt": N_("allocated funds, KZT"),
    "adjusted_kzt": N_("adjusted financing plan, KZT"),
    "contracted_kzt": N_("amount contracted, KZT"),
    "paid_kzt": N_("amount paid, KZT"),
}
PROCUREMENT_GROUPS: dict[str, str] = {
    "OCID": N_("Procurement process"),
    "Buyer": N_("Buyer"),
    "ProcuringEntity": N_("Procuring entity"),
    "Tenderer": N_("Tenderer"),
}


def _named(table: Mapping[str, str], key: str, _: Translate) -> str:
    return _(table[key]) if key in table else key


def programme_name(programme: str, _: Translate) -> str:
    """The programme's name in the page's language, or its id when it is not a preset one.

    >>> programme_name("housing", lambda s: s), programme_name("roads-2030", lambda s: s)
    ('Housing: about 1 million flats (Nurly Zher)', 'roads-2030')
    """
    return _named(PROGRAMME_NAMES, programme, _)


def indicator_name(indicator: str, _: Translate) -> str:
    """The indicator's name in the page's language, or its id."""
    return _named(INDICATOR_NAMES, indicator, _)


def unit_name(unit: str, _: Translate) -> str:
    """The unit's name in the page's language, or the unit as written in the targets file."""
    return _named(UNIT_NAMES, unit, _)


def flag_title(code: str, _: Translate) -> str:
    """The flag's short title in the page's language, or its code."""
    return _named(FLAG_TITLES, code, _)


def worst_status(statuses: Iterable[str | None]) -> str | None:
    """The worst of ``statuses`` (off_track < at_risk < on_track < achieved); unknown ones and ``None`` are left
    out; ``None`` when nothing is left (an empty traffic-light cell).

    >>> worst_status(["achieved", "at_risk", "on_track"]), worst_status([])
    ('at_risk', None)
    """
    known = [s for s in statuses if s in STATUS_ORDER]
    return min(known, key=STATUS_ORDER.index) if known else None


# Formatting of the values found in flag data: Decimal, Fraction, int, float, or their JSON forms.


def fmt_value(value: Any, lang: str) -> str:
    """A number for the locale, rounded to 2 decimals (``—`` for none).

    >>> fmt_value(448.767123, "en"), fmt_value(Decimal("1200000.5"), "ru") == "1\\xa0200\\xa0000,5"
    ('448.77', True)
    """
    if value is None:
        return "—"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float | Decimal):
        value = round(value, 2)
    return fmt_number(value, lang)


def fmt_share(value: Any, lang: str) -> str:
    """A share as a percentage with the decimals it needs: none for a whole percentage, at most one from 1% on,
    at most two below.

    >>> fmt_share(0.2, "en"), fmt_share(0.4512, "en"), fmt_share(0.004, "en"), fmt_share(0.00437, "en")
    ('20%', '45.1%', '0.4%', '0.44%')
    """
    share = float(value)
    percent = round(share * 100, 1 if abs(share) >= 0.01 else 2)
    digits = next(d for d in (0, 1, 2) if abs(percent - round(percent, d)) < 1e-9)
    return fmt_percent(share, lang, digits)


def fmt_day(value: Any, lang: str) -> str:
    """A date (or its ISO form) in the locale's long form.

    >>> fmt_day("2021-09-30", "en")
    'September 30, 2021'
    """
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return fmt_date(value, lang, "long")


# Programme flags P01-P09: the data keys are those of tandau.core.control.programmes.flags.

_Data = Mapping[str, Any]
_ProgrammeText = Callable[[_Data, _Data, Translate, str], str]


def _p01(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("On %(date)s, %(paid_share)s of the budget was paid (%(paid)s of %(budget)s KZT) against "
             "%(progress)s progress of the works: a gap of %(gap)s, at or above the threshold of %(threshold)s.",
             date=fmt_day(d["period_end"], lang), paid_share=fmt_share(d["paid_share"], lang),
             paid=fmt_value(d["paid_kzt"], lang), budget=fmt_value(d["budget_kzt"], lang),
             progress=fmt_share(d["progress"], lang), gap=fmt_share(d["gap"], lang),
             threshold=fmt_share(p["threshold"], lang))


def _p02(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    day = fmt_day(d["period_end"], lang)
    if d["which"] == "paid_above_contracted":
        return _("On %(date)s, the amount paid (%(paid)s KZT) exceeded the amount contracted (%(contracted)s KZT).",
                 date=day, paid=fmt_value(d["paid_kzt"], lang), contracted=fmt_value(d["contracted_kzt"], lang))
    return _("On %(date)s, the amount contracted (%(contracted)s KZT) exceeded the adjusted financing plan "
             "(%(adjusted)s KZT).",
             date=day, contracted=fmt_value(d["contracted_kzt"], lang), adjusted=fmt_value(d["adjusted_kzt"], lang))


def _p03(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("In %(year)s, December carried %(share)s of the year's payments (%(december)s of %(total)s KZT), at "
             "or above the threshold of %(threshold)s.",
             year=str(d["year"]), share=fmt_share(d["december_share"], lang),
             december=fmt_value(d["december_paid_kzt"], lang), total=fmt_value(d["year_paid_kzt"], lang),
             threshold=fmt_share(p["december_share"], lang))


def _p04(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("Behind the required trajectory: on %(date)s the actual value was %(actual)s against %(expected)s "
             "expected (shortfall %(shortfall)s, allowed %(allowed)s); consecutive reports behind: %(reports)s.",
             date=fmt_day(d["period_end"], lang), actual=fmt_value(d["actual"], lang),
             expected=fmt_value(d["expected"], lang), shortfall=fmt_value(d["shortfall"], lang),
             allowed=fmt_value(d["allowed"], lang), reports=fmt_value(d["reports_behind"], lang))


def _p05(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("The probability of meeting the target on time is %(p)s, below %(threshold)s (forecast at the "
             "deadline %(forecast)s against the target of %(target)s).",
             p=fmt_share(d["p_on_time"], lang), threshold=fmt_share(p["probability"], lang),
             forecast=fmt_value(d["forecast"], lang), target=fmt_value(d["target"], lang))


def _p06(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    periods, since = fmt_value(p["periods"], lang), fmt_day(d["stale_since"], lang)
    if d.get("latest_report") is None:
        return _("No report for longer than the allowed number of reporting periods (%(periods)s): no report has "
                 "been received yet; overdue since %(since)s.", periods=periods, since=since)
    return _("No report for longer than the allowed number of reporting periods (%(periods)s): the latest report "
             "is as of %(latest)s; overdue since %(since)s.",
             periods=periods, latest=fmt_day(d["latest_report"], lang), since=since)


def _p07(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("The cumulative value \"%(column)s\" decreased from %(before)s to %(after)s between %(start)s and "
             "%(end)s.",
             column=_named(COLUMN_NAMES, str(d["column"]), _), before=fmt_value(d["before"], lang),
             after=fmt_value(d["after"], lang), start=fmt_day(d["from_date"], lang), end=fmt_day(d["to_date"], lang))


def _p08(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("Revised on %(date)s: target %(target_before)s → %(target_after)s, deadline %(deadline_before)s → "
             "%(deadline_after)s.",
             date=fmt_day(d["revised_at"], lang), target_before=fmt_value(d["target_before"], lang),
             target_after=fmt_value(d["target_after"], lang), deadline_before=fmt_day(d["deadline_before"], lang),
             deadline_after=fmt_day(d["deadline_after"], lang))


def _p09(d: _Data, p: _Data, _: Translate, lang: str) -> str:
    return _("In %(year)s, %(paid)s KZT was paid against an increase of the adjusted financing plan of "
             "%(increase)s KZT: %(share)s, below %(threshold)s.",
             year=str(d["year"]), paid=fmt_value(d["year_paid_kzt"], lang),
             increase=fmt_value(d["adjusted_increase_kzt"], lang), share=fmt_share(d["ratio"], lang),
             threshold=fmt_share(p["ratio"], lang))


PROGRAMME_TEXTS: Mapping[str, _ProgrammeText] = {
    "P01": _p01, "P02": _p02, "P03": _p03, "P04": _p04, "P05": _p05, "P06": _p06, "P07": _p07, "P08": _p08,
    "P09": _p09,
}
EVENT_FLAGS = frozenset({"P02", "P03", "P07", "P08", "P09"})


def programme_flag_text(code: str, data: Mapping[str, Any], params: Mapping[str, Any], _: Translate,
                        lang: str) -> str:
    """The explanation of programme flag ``code`` from its data and parameters (``Flag.data``/``Flag.params`` or
    their JSON forms), in the language of ``_``, the numbers and dates formatted for ``lang``; an event flag that
    happened more than once says how many times. An unknown code gives its title line with the code.

    >>> say = lambda s, **v: s % v
    >>> print(programme_flag_text("P05", {"p_on_time": 0.0, "forecast": 459.361814, "target": 1200},
    ...                           {"probability": 0.5}, say, "en"))  # doctest: +NORMALIZE_WHITESPACE
    The probability of meeting the target on time is 0%, below 50% (forecast at the deadline 459.36 against
    the target of 1,200).
    """
    render = PROGRAMME_TEXTS.get(code)
    if render is None:
        return _("Red flag %(code)s.", code=code)
    text = render(data, params, _, lang)
    events = data.get("events")
    if code in EVENT_FLAGS and events is not None and int(events) > 1:
        text += " " + _("Such events by the as-of date: %(events)s; the first one is described.",
                        events=fmt_value(int(events), lang))
    return text


# Procurement flags: one message per (code, group); %(value)s is the indicator's value formatted by its kind.

PROCUREMENT_TEXTS: dict[tuple[str, str], str] = {
    ("R003", "OCID"): N_("The period for submitting bids was shorter than the minimum set for this procurement "
                         "(%(days)s days unless the settings say otherwise)"),
    ("R018", "OCID"): N_("Only one tenderer submitted a bid"),
    ("R024", "OCID"): N_("The second-lowest bid is only %(value)s above the winning bid"),
    ("R024", "Tenderer"): N_("This tenderer was the winner or the runner-up in a process where the two lowest bids "
                             "were unusually close"),
    ("R025", "Tenderer"): N_("This tenderer won only %(value)s of the processes in which it submitted a valid bid, "
                             "although it is one of the most active tenderers"),
    ("R028", "OCID"): N_("Bids from different tenderers have the same price"),
    ("R028", "Tenderer"): N_("This tenderer submitted a bid with the same price as another tenderer's bid"),
    ("R030", "OCID"): N_("A bid submitted after the submission deadline won"),
    ("R030", "Tenderer"): N_("This tenderer won with a bid submitted after the submission deadline"),
    ("R035", "OCID"): N_("Every tenderer except the winner was disqualified (disqualified tenderers: %(value)s)"),
    ("R035", "Tenderer"): N_("This tenderer won after every other tenderer was disqualified"),
    ("R036", "OCID"): N_("The lowest bid was disqualified and the contract was awarded on another bid"),
    ("R038", "Buyer"): N_("%(value)s of the bids submitted in this buyer's processes were disqualified"),
    ("R038", "ProcuringEntity"): N_("%(value)s of the bids submitted in the processes of this procuring entity were "
                                    "disqualified"),
    ("R038", "Tenderer"): N_("%(value)s of this tenderer's submitted bids were disqualified"),
    ("R048", "Tenderer"): N_("This supplier won contracts in different classification categories (categories: "
                             "%(value)s)"),
    ("R058", "OCID"): N_("The second-lowest bid is %(value)s above the winning bid: the winning bid is heavily "
                         "discounted"),
    ("R058", "Tenderer"): N_("This tenderer won with an unusually heavily discounted bid"),
}
#: how a code's value reads: a share (percentage) or a count; the others are 1.0 / 0.0 markers
_SHARES = frozenset({"R024", "R025", "R038", "R058"})
_COUNTS = frozenset({"R035", "R048"})
#: (code, group) -> the Meta key of its fence and whether it is the lower one
_FENCES: dict[tuple[str, str], tuple[str, bool]] = {
    ("R024", "OCID"): ("lower_fence", True),
    ("R025", "Tenderer"): ("lower_fence", True),
    ("R038", "Buyer"): ("Buyer_upper_fence", False),
    ("R038", "ProcuringEntity"): ("ProcuringEntity_upper_fence", False),
    ("R038", "Tenderer"): ("Tenderer_upper_fence", False),
    ("R048", "Tenderer"): ("upper_fence", False),
    ("R058", "OCID"): ("upper_fence", False),
}
_R003_DAYS = 15


def _procurement_value(code: str, value: float, lang: str) -> str:
    if code in _SHARES:
        return fmt_share(value, lang)
    if code in _COUNTS:
        return fmt_value(int(value) if float(value).is_integer() else value, lang)
    return fmt_value(value, lang)


def procurement_flag_text(code: str, group: str, value: float, _: Translate, lang: str,
                          meta: Mapping[str, Any] | None = None) -> str:
    """What procurement flag ``code`` says about one result of ``group`` (OCID, Buyer, ProcuringEntity, Tenderer)
    with its ``value``; with ``meta`` (the output's ``Meta`` group) the fence the value crossed is named.

    >>> say = lambda s, **v: s % v if v else s
    >>> print(procurement_flag_text("R038", "Buyer", 0.52, say, "en", {"R038": {"Buyer_upper_fence": 0.35}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    52% of the bids submitted in this buyer's processes were disqualified, at or above the upper fence of the
    usual range (35%).
    """
    msgid = PROCUREMENT_TEXTS.get((code, group))
    shown = _procurement_value(code, value, lang)
    if msgid is None:
        return _("Red flag %(code)s: value %(value)s.", code=code, value=shown)
    text = _(msgid, value=shown, days=fmt_value(_R003_DAYS, lang))
    fence_key = _FENCES.get((code, group))
    if fence_key is None:
        return text + "."
    key, lower = fence_key
    fence = ((meta or {}).get(code) or {}).get(key)
    shown_fence = None if fence is None else _procurement_value(code, fence, lang)
    if lower and shown_fence is None:
        text = _("%(text)s, at or below the lower fence of the usual range", text=text)
    elif lower:
        text = _("%(text)s, at or below the lower fence of the usual range (%(fence)s)", text=text, fence=shown_fence)
    elif shown_fence is None:
        text = _("%(text)s, at or above the upper fence of the usual range", text=text)
    else:
        text = _("%(text)s, at or above the upper fence of the usual range (%(fence)s)", text=text, fence=shown_fence)
    return text + "."
