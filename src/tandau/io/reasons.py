"""The list engine's reasons in the page's language: moves, rule descriptions, checks, warnings and refusals.

The core explains itself in English and, beside every text, gives a stable code and its parameters
(:mod:`tandau.core.reasons`). Here each code has a gettext message with named ``%(...)s`` placeholders; nested
reasons (a group inside a rule, a rule inside a diagnosis) are rendered first and substituted. The English
messages rebuild the core's text word for word; a code this module does not know, or parameters that do not fit,
fall back to the core's English text. Translations live in ``locale/<lang>/LC_MESSAGES/reasons.po``.

Templates get an :class:`Explainer` as ``say``: ``{{ say(entry.why, entry.reason) }}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tandau.core.reasons import CODES, Reason
from tandau.io.catalogues import N_, Speaker, message, plural_message

Values = dict[str, Any]
Render = Callable[["Explainer", Values, Mapping[str, Any]], str]


_simple, _plural = message, plural_message


def _joined(msgid: str, key: str, joiner: Callable[[Explainer, Sequence[str]], str]) -> Render:
    return lambda ex, values, raw: ex.gettext(msgid, **{**values, key: joiner(ex, values[key])})


def _and(ex: Explainer, items: Sequence[str]) -> str:
    return ex.fold(items, N_("%(first)s and %(second)s"))


def _or(ex: Explainer, items: Sequence[str]) -> str:
    return ex.fold(items, N_("%(first)s or %(second)s"))


KNOWN_TAGS: dict[str, str] = {
    "disability": N_("people tagged 'disability'"),
    "minority": N_("people tagged 'minority'"),
    "repatriate": N_("people tagged 'repatriate'"),
}


def _tagged(ex: Explainer, values: Values, raw: Mapping[str, Any]) -> str:
    known = KNOWN_TAGS.get(str(raw["tag"]))
    return ex.gettext(known) if known else ex.gettext(N_("people tagged '%(tag)s'"), **values)


def _group_all(ex: Explainer, values: Values, raw: Mapping[str, Any]) -> str:
    return _and(ex, values["groups"])


def _moved_up_for_rules(ex: Explainer, values: Values, raw: Mapping[str, Any]) -> str:
    whys = values["whys"]
    if len(whys) > 1:
        return ex.gettext(
            N_("moved up from vote rank %(rank)s to place %(place)s so that, together, %(whys)s"),
            **{**values, "whys": _and(ex, whys)},
        )
    return ex.gettext(MOVED_UP_FOR_RULE, **{**values, "why": whys[0] if whys else ""})


def _moved_down(ex: Explainer, values: Values, raw: Mapping[str, Any]) -> str:
    return ex.gettext(
        N_("moved down from vote rank %(rank)s to place %(place)s: places above went to %(names)s"),
        **{**values, "names": ", ".join(values["names"])},
    )


MOVED_UP_FOR_RULE = N_("moved up from vote rank %(rank)s to place %(place)s so that %(why)s")

#: code -> how to say it; the English message of each is the core's wording with the parameters as placeholders.
MESSAGES: dict[str, Render] = {
    "group_women": _simple(N_("women")),
    "group_men": _simple(N_("men")),
    "group_under_age": _plural(N_("people under %(age)s"), "age"),
    "group_tagged": _tagged,
    "group_any": _joined(N_("%(groups)s (each person counted once)"), "groups", _or),
    "group_all": _group_all,
    "group_not": _simple(N_("not (%(group)s)")),
    "rounding_ceil": _simple(N_("rounded up")),
    "rounding_floor": _simple(N_("rounded down")),
    "rounding_nearest": _simple(N_("rounded to nearest")),
    "scope_list": _simple(N_("of the list")),
    "scope_prefix": _simple(N_("in every prefix of the list from place %(start)s on")),
    "scope_block": _plural(N_("in every block of %(size)s places"), "size"),
    "scope_window": _simple(N_("in every %(size)s consecutive places")),
    "scope_first": _simple(N_("in the first %(size)s places")),
    "min_share": _simple(N_("%(group)s ≥ %(share)s (%(rounding)s) %(scope)s")),
    "max_share": _simple(N_("%(group)s ≤ %(share)s (%(rounding)s) %(scope)s")),
    "min_count": _simple(N_("%(group)s ≥ %(count)s %(scope)s")),
    "max_count": _simple(N_("%(group)s ≤ %(count)s %(scope)s")),
    "max_run": _plural(N_("at most %(length)s consecutive candidates of the same sex"), "length"),
    "alternation": _simple(N_("strict alternation of women and men")),
    "balance": _simple(N_("numbers of women and men differ by at most %(gap)s")),
    "alternation_woman_first": _simple(N_("strict alternation of women and men, starting with a woman")),
    "alternation_man_first": _simple(N_("strict alternation of women and men, starting with a man")),
    "rule_min_length": _plural(N_("%(rule)s (lists of %(length)s or more)"), "length"),
    "rule_warning_only": _simple(N_("%(rule)s (warning only)")),
    "rule_origin": _simple(N_("%(rule)s (%(origin)s)")),
    "at_least": _plural(N_("at least %(count)s"), "count"),
    "at_most": _plural(N_("at most %(count)s"), "count"),
    "check_count": _simple(N_("%(have)s of %(length)s (bound %(bound)s)")),
    "check_stretches": _simple(N_("%(complying)s of %(stretches)s stretches comply; %(have)s of %(length)s in all")),
    "check_complies": _simple(N_("complies")),
    "check_breaches": _plural(N_("%(count)s breach(es)"), "count"),
    "check_sexes": _simple(N_("%(women)s women, %(men)s men")),
    "places_one": _simple(N_("place %(place)s")),
    "places_range": _simple(N_("places %(first)s–%(last)s")),
    "violation_quota": _simple(N_("%(places)s hold %(have)s %(group)s, %(limit)s required")),
    "violation_run": _simple(N_("%(places)s: %(length)s of the same sex in a row, at most %(limit)s allowed")),
    "violation_first_woman": _simple(N_("place 1 must be a woman")),
    "violation_first_man": _simple(N_("place 1 must be a man")),
    "violation_gap": _simple(N_("%(women)s women, %(men)s men: gap above %(gap)s")),
    "why_list": _plural(N_("the list of %(length)s holds %(limit)s %(group)s"), "length"),
    "why_first": _simple(N_("the first %(size)s places hold %(limit)s %(group)s")),
    "why_places": _simple(N_("places %(first)s–%(last)s hold %(limit)s %(group)s")),
    "why_prefix_min_share": _simple(N_("every prefix from place %(start)s holds at least its share of %(group)s")),
    "why_prefix_max_share": _simple(N_("every prefix from place %(start)s holds at most its share of %(group)s")),
    "why_windows": _simple(N_("every %(size)s consecutive places hold %(limit)s %(group)s")),
    "why_alternation": _simple(N_("women and men alternate")),
    "why_max_run": _plural(N_("no more than %(length)s of the same sex stand in a row"), "length"),
    "why_balance": _simple(N_("women and men differ by at most %(gap)s")),
    "why_origin": _simple(N_("%(why)s (%(origin)s)")),
    "objective_lexicographic": _simple(N_("lexicographic")),
    "objective_min_swaps": _simple(N_("min-swaps")),
    "objective_min_max_demotion": _simple(N_("min-max-demotion")),
    "pinned": _simple(N_("pinned to place %(place)s")),
    "reserved_within": _simple(N_("reserved a place within the first %(within)s")),
    "moved_up_for_pins": _simple(
        N_("moved up from vote rank %(rank)s to place %(place)s: the places above are reserved for pinned candidates")
    ),
    "moved_up_for_rule": _simple(MOVED_UP_FOR_RULE),
    "moved_up_for_rules": _moved_up_for_rules,
    "placed_by_objective": _simple(N_("placed at %(place)s (vote rank %(rank)s) by the objective %(objective)s")),
    "moved_down": _moved_down,
    "moved_down_for_pins": _simple(
        N_("moved down from vote rank %(rank)s to place %(place)s: places above went to pinned candidates")
    ),
    "left_off": _simple(N_("left off the list (vote rank %(rank)s within the %(length)s places)")),
    "warning_rule_not_met": _simple(N_("%(rule)s: %(detail)s")),
    "warning_seat_share": _simple(
        N_(
            "%(group)s hold %(have)s of the first %(seats)s places: if the party wins "
            "%(seats)s seats they would be below the share %(rule)s asks of the list; "
            "--seat-safe keeps the share in every prefix"
        )
    ),
    "refusal_impossible": _simple(N_("no list of %(length)s places is possible")),
    "refusal_no_list": _simple(N_("no list of %(length)s places meets every rule")),
    "diagnosis_pins": _simple(N_("the pinned places cannot all be honoured on a list of this length")),
    "diagnosis_rule": _simple(N_("%(rule)s: %(shortfall)s")),
    "diagnosis_conflict": _joined(
        N_("these rules cannot all be met together: %(rules)s"), "rules", lambda ex, items: "; ".join(items)
    ),
    "relaxation_without": _simple(N_("relaxation: without %(rule)s a compliant list exists")),
    "relaxation_shorter": _simple(N_("relaxation: a list of %(length)s places can comply")),
    "shortfall_members": _simple(
        N_("needs %(limit)s %(group)s among %(length)s places; the candidates include %(members)s (short by %(short)s)")
    ),
    "shortfall_min": _simple(N_("cannot be met on %(length)s places; the candidates include %(members)s %(group)s")),
    "shortfall_others": _simple(
        N_(
            "allows %(limit)s %(group)s among %(length)s places, so needs %(needed)s "
            "others; the candidates include %(others)s"
        )
    ),
    "shortfall_max": _simple(N_("cannot be met on %(length)s places with these candidates")),
    "shortfall_sexes": _simple(
        N_(
            "needs at least %(low)s of one sex and %(high)s of the other among %(length)s "
            "places; the candidates include %(women)s women and %(men)s men"
        )
    ),
    "shortfall_run": _simple(N_("cannot be met on %(length)s places with %(women)s women and %(men)s men")),
    "shortfall_other": _simple(N_("cannot be met")),
}


class Explainer(Speaker):
    """Renders reasons (a core :class:`~tandau.core.reasons.Reason` or its JSON form) in one language."""

    def __call__(self, why: Reason | Mapping[str, Any] | None, fallback: str | None = None) -> str:
        """``why`` in this language; ``fallback`` (the stored English text) when there is no structured reason."""
        if why is None or (not isinstance(why, Reason | Mapping)):
            return fallback or ""
        return self.render(why.to_json() if isinstance(why, Reason) else why)

    def known(self, why: Reason | Mapping[str, Any] | None) -> bool:
        """Whether ``why`` (and every reason inside it) has a message here, i.e. renders in this language."""
        if why is None:
            return False
        node = why.to_json() if isinstance(why, Reason) else why
        if not isinstance(node, Mapping) or node.get("code") not in MESSAGES:
            return False
        params = node.get("params") or {}
        if not isinstance(params, Mapping) or set(params) != set(CODES.get(str(node["code"]), ("", {}))[1]):
            return False
        inner = [v for v in params.values() for v in (v if isinstance(v, list) else [v])]
        return all(self.known(v) for v in inner if isinstance(v, Mapping))

    def render(self, node: Mapping[str, Any]) -> str:
        text = str(node.get("text") or "")
        say = MESSAGES.get(str(node.get("code")))
        if say is None:
            return text
        raw = node.get("params") or {}
        if not isinstance(raw, Mapping) or set(raw) != set(CODES.get(str(node.get("code")), ("", {}))[1]):
            return text  # parameters of another version of the code: the English text is still right
        try:
            values = {key: self._value(value) for key, value in raw.items()}
            return say(self, values, raw)
        except (KeyError, TypeError, ValueError, IndexError):
            return text

    def _value(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return self.render(value)
        if isinstance(value, list | tuple):
            return [self._value(v) for v in value]
        return str(value)

    def fold(self, items: Sequence[str], msgid: str) -> str:
        """'a and b and c' with the language's conjunction (``msgid`` joins two)."""
        if not items:
            return ""
        out = items[0]
        for item in items[1:]:
            out = self.gettext(msgid, first=out, second=item)
        return out

    def refusal(self, error: Exception | Mapping[str, Any] | None, fallback: str = "") -> tuple[str, list[str]]:
        """A refused list's headline and details: from :class:`~tandau.core.lists.ListInfeasibleError`, from its
        stored form (``{"summary": ..., "details": [...]}``), or else ``fallback`` (the English message) alone."""
        if isinstance(error, Exception):
            summary, details = getattr(error, "summary", None), getattr(error, "reasons", None)
            if isinstance(summary, Reason) and details is not None:
                return self(summary), [self(d) for d in details]
            return str(error) or fallback, []
        if isinstance(error, Mapping) and isinstance(error.get("summary"), Mapping):
            return self(error["summary"]), [self(d) for d in error.get("details") or [] if isinstance(d, Mapping)]
        return fallback, []


def explainer(lang: str) -> Explainer:
    """An :class:`Explainer` for ``lang`` (a page: the request's language, :func:`tandau.web.i18n.language`)."""
    return Explainer(lang)
