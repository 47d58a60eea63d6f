"""The nominee selection's reasons in the page's language: departures, what the set must hold, refusals.

The nominee engine explains itself in English and with registered codes of its own
(:data:`tandau.core.nominees.CODES`), nesting the list engine's rule and group reasons unchanged. This module
adds a message for every nominee code to the list engine's renderer (:mod:`tandau.io.reasons`), so one
:class:`NomineeExplainer` says both. The English messages rebuild the core's text word for word (English
ordinals: "2nd"); a code or parameters it does not know fall back to the core's English text. Translations
live in ``locale/<lang>/LC_MESSAGES/nominees.po``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tandau.core.nominees import CODES as NOMINEE_CODES
from tandau.core.nominees.explain import ordinal
from tandau.core.reasons import CODES as LIST_CODES
from tandau.io.reasons import MESSAGES as LIST_MESSAGES
from tandau.io.reasons import Explainer
from tandau.web.i18n import N_, message

Values = dict[str, Any]
Render = Callable[[Any, Values, Mapping[str, Any]], str]

HEAD = N_("district %(district)s: %(name)s, %(rank)s with %(share)s of the district's votes")
#: how explanations name the set (``NomineeRequest.set_label``); another label falls back to English
SETS = {"council": N_("the council's nominees"), "region": N_("the region's nominees"),
        "country": N_("the country's nominees")}
SETS_MIXED = {"council": N_("the council's candidates (list and nominees)")}


def _rank(ex: NomineeExplainer, raw: Mapping[str, Any], key: str = "rank") -> str:
    """English says "2nd"; the translations put the number in their own phrase ("2-е место", "2-орын")."""
    n = int(raw[key])
    return ordinal(n) if ex.lang == "en" else str(n)


def _head(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
    return ex.gettext(HEAD, **{**values, "rank": _rank(ex, raw)})


def _pinned(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
    return ex.gettext(N_("%(head)s, nominated by the leadership (pinned) instead of the winner %(winner)s"),
                      head=_head(ex, values, raw), winner=values["winner"])


def _winner_excluded(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
    return ex.gettext(N_("%(head)s, nominated because the winner %(winner)s is excluded"),
                      head=_head(ex, values, raw), winner=values["winner"])


def _for_rules(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
    if int(raw["instead_rank"]) == 1:
        other = ex.gettext(N_("the winner %(name)s"), name=values["instead"])
    else:
        other = ex.gettext(N_("%(name)s (%(rank)s; those above are excluded)"), name=values["instead"],
                           rank=_rank(ex, raw, "instead_rank"))
    sets = SETS_MIXED if int(raw["mixed"]) else SETS
    whole = ex.gettext(sets[str(raw["set"])])  # KeyError: an unknown label, the English text is shown
    whys = values["whys"]
    goal = ex.fold(whys, N_("%(first)s and %(second)s")) if whys else ex.gettext(N_("every rule"))
    return ex.gettext(N_("%(head)s, nominated instead of %(other)s so that %(whole)s hold %(goal)s"),
                      head=_head(ex, values, raw), other=other, whole=whole, goal=goal)


def _why(msgid: str) -> Render:
    def render(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
        text = ex.gettext(msgid, **values)
        return ex.gettext(N_("%(why)s (%(origin)s)"), why=text, origin=values["origin"]) if raw["origin"] else text

    return render


def _alone(msgid: str) -> Render:
    def render(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
        return ex.gettext(msgid, **{**values, "short": str(int(raw["needed"]) - int(raw["possible"]))})

    return render


def _conflict(ex: NomineeExplainer, values: Values, raw: Mapping[str, Any]) -> str:
    return ex.gettext(N_("these rules cannot all be met together: %(rules)s"), rules="; ".join(values["rules"]))


#: nominee code -> how to say it (the list engine's codes are said as in :mod:`tandau.io.reasons`)
MESSAGES: dict[str, Render] = {
    "nominee_pinned": _pinned,
    "nominee_winner_excluded": _winner_excluded,
    "nominee_for_rules": _for_rules,
    "nominee_why_min_share": _why(N_("at least %(share)s %(group)s")),
    "nominee_why_max_share": _why(N_("at most %(share)s %(group)s")),
    "nominee_why_min_count": _why(N_("at least %(count)s %(group)s")),
    "nominee_why_max_count": _why(N_("at most %(count)s %(group)s")),
    "nominee_why_balance": _why(N_("women and men in numbers differing by at most %(gap)s")),
    "nominees_refused": message(N_("no choice of nominees for the %(districts)s districts meets every rule")),
    "nominees_no_candidate": message(N_("district %(district)s: every candidate is excluded")),
    "nominees_rule_alone_min": _alone(N_("%(rule)s: needs at least %(needed)s %(group)s among the %(districts)s "
                                         "nominees; %(possible)s district(s) can nominate one (short by %(short)s)")),
    "nominees_rule_alone_max": _alone(N_("%(rule)s: needs at least %(needed)s nominees who are not %(group)s among "
                                         "the %(districts)s; %(possible)s district(s) can nominate one (short by "
                                         "%(short)s)")),
    "nominees_rule_alone": message(N_("%(rule)s: no choice of the %(districts)s nominees meets it")),
    "nominees_conflict": _conflict,
    "nominees_relax_without": message(N_("relaxation: without %(rule)s a choice of nominees exists")),
    "nominees_relax_min": message(N_("relaxation: at least %(count)s %(group)s instead of %(instead)s (%(rule)s)")),
    "nominees_relax_max": message(N_("relaxation: at most %(count)s %(group)s instead of %(instead)s (%(rule)s)")),
    "nominees_relax_pin": message(N_("relaxation: without the pin of %(name)s in district %(district)s a choice "
                                     "of nominees exists")),
}
ALL_MESSAGES: dict[str, Render] = {**LIST_MESSAGES, **MESSAGES}
ALL_CODES: dict[str, Any] = {**LIST_CODES, **NOMINEE_CODES}


class NomineeExplainer(Explainer):
    """An :class:`~tandau.io.reasons.Explainer` that also knows the nominee engine's codes."""

    def known(self, why: Any) -> bool:
        if why is None:
            return False
        node = why.to_json() if hasattr(why, "to_json") else why
        if not isinstance(node, Mapping) or node.get("code") not in ALL_MESSAGES:
            return False
        params = node.get("params") or {}
        if not isinstance(params, Mapping) or set(params) != set(ALL_CODES.get(str(node["code"]), ("", {}))[1]):
            return False
        inner = [v for v in params.values() for v in (v if isinstance(v, list) else [v])]
        return all(self.known(v) for v in inner if isinstance(v, Mapping))

    def render(self, node: Mapping[str, Any]) -> str:
        text = str(node.get("text") or "")
        say = ALL_MESSAGES.get(str(node.get("code")))
        raw = node.get("params") or {}
        if say is None or not isinstance(raw, Mapping) or set(raw) != set(
                ALL_CODES.get(str(node.get("code")), ("", {}))[1]):
            return text
        try:
            values = {key: self._value(value) for key, value in raw.items()}
            return say(self, values, raw)
        except (KeyError, TypeError, ValueError, IndexError):
            return text

    def __call__(self, why: Any, fallback: str | None = None) -> str:
        if why is None:
            return fallback or ""
        if hasattr(why, "to_json"):
            return self.render(why.to_json())
        return self.render(why) if isinstance(why, Mapping) else (fallback or "")

    def refusal(self, error: Any, fallback: str = "") -> tuple[str, list[str]]:
        """A refused selection's headline and details (from the error or its JSON form)."""
        summary = getattr(error, "summary", None) if not isinstance(error, Mapping) else error.get("summary")
        details = getattr(error, "reasons", None) if not isinstance(error, Mapping) else error.get("details")
        if summary is None:
            return (str(error) if error else fallback), []
        return self(summary), [self(d) for d in details or ()]


def nominee_explainer(lang: str) -> NomineeExplainer:
    return NomineeExplainer(lang)
