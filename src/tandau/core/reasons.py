"""Structured explanations: every text the list engine shows carries a stable code and its parameters.

The English ``text`` is what the CLI prints and the tests pin. ``code`` and ``params`` let another face rebuild
the sentence in its own language (the staff workspace does, in :mod:`tandau.io.reasons`). Every code is
registered in :data:`CODES` with its family and the kind of each parameter, so a face can be tested against
the whole registry and a new code without a translation fails that test.

A parameter is a whole number, a name kept as it is (a candidate's name, a preset id, a tag, a percentage), a
nested reason of some family (a rule inside a diagnosis, a group inside a rule), or a tuple of these.

>>> women = reason("group_women", "women")
>>> reason("at_least", "at least 2", count=2).params
{'count': 2}
>>> sorted(women.to_json())
['code', 'params', 'text']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

Family = Literal[
    "group",
    "rounding",
    "scope",
    "rule",
    "limit",
    "why",
    "reason",
    "objective",
    "places",
    "detail",
    "violation",
    "warning",
    "diagnosis",
    "shortfall",
]
# A parameter kind: a family name is one nested reason of that family; a plural is a tuple of them.
Kind = Literal[
    "int",
    "name",
    "names",
    "percent",
    "group",
    "groups",
    "rounding",
    "scope",
    "rule",
    "rules",
    "limit",
    "why",
    "whys",
    "objective",
    "places",
    "detail",
    "shortfall",
]
PLURAL_KINDS: dict[str, str] = {"groups": "group", "rules": "rule", "whys": "why", "names": "name"}
Param: TypeAlias = "int | str | Reason | tuple[Reason, ...] | tuple[str, ...]"

_LIMIT: dict[str, Kind] = {"limit": "limit"}
_MOVE: dict[str, Kind] = {"rank": "int", "place": "int"}
_QUOTA_SHARE: dict[str, Kind] = {"group": "group", "share": "percent", "rounding": "rounding", "scope": "scope"}
_QUOTA_COUNT: dict[str, Kind] = {"group": "group", "count": "int", "scope": "scope"}

#: code -> (family, {parameter: kind}); the English wording is built where the code is emitted.
CODES: dict[str, tuple[Family, dict[str, Kind]]] = {
    # who a quota counts (tandau.core.rules.groups)
    "group_women": ("group", {}),
    "group_men": ("group", {}),
    "group_under_age": ("group", {"age": "int"}),
    "group_tagged": ("group", {"tag": "name"}),
    "group_any": ("group", {"groups": "groups"}),
    "group_all": ("group", {"groups": "groups"}),
    "group_not": ("group", {"group": "group"}),
    # rules and their parts (tandau.core.rules.model); min_share ... balance are the rule kinds (RULE_KINDS)
    "rounding_ceil": ("rounding", {}),
    "rounding_floor": ("rounding", {}),
    "rounding_nearest": ("rounding", {}),
    "scope_list": ("scope", {}),
    "scope_prefix": ("scope", {"start": "int"}),
    "scope_block": ("scope", {"size": "int"}),
    "scope_window": ("scope", {"size": "int"}),
    "scope_first": ("scope", {"size": "int"}),
    "min_share": ("rule", _QUOTA_SHARE),
    "max_share": ("rule", _QUOTA_SHARE),
    "min_count": ("rule", _QUOTA_COUNT),
    "max_count": ("rule", _QUOTA_COUNT),
    "max_run": ("rule", {"length": "int"}),
    "alternation": ("rule", {}),
    "balance": ("rule", {"gap": "int"}),
    "alternation_woman_first": ("rule", {}),
    "alternation_man_first": ("rule", {}),
    "rule_min_length": ("rule", {"rule": "rule", "length": "int"}),
    "rule_warning_only": ("rule", {"rule": "rule"}),
    "rule_origin": ("rule", {"rule": "rule", "origin": "name"}),
    "at_least": ("limit", {"count": "int"}),
    "at_most": ("limit", {"count": "int"}),
    # the independent checker (tandau.core.rules.check)
    "check_count": ("detail", {"have": "int", "length": "int", "bound": "int"}),
    "check_stretches": ("detail", {"complying": "int", "stretches": "int", "have": "int", "length": "int"}),
    "check_complies": ("detail", {}),
    "check_breaches": ("detail", {"count": "int"}),
    "check_sexes": ("detail", {"women": "int", "men": "int"}),
    "places_one": ("places", {"place": "int"}),
    "places_range": ("places", {"first": "int", "last": "int"}),
    "violation_quota": ("violation", {"places": "places", "have": "int", "group": "group", **_LIMIT}),
    "violation_run": ("violation", {"places": "places", "length": "int", "limit": "int"}),
    "violation_first_woman": ("violation", {}),
    "violation_first_man": ("violation", {}),
    "violation_gap": ("violation", {"women": "int", "men": "int", "gap": "int"}),
    # why a rule forced a move (tandau.core.lists.explain)
    "why_list": ("why", {"length": "int", "group": "group", **_LIMIT}),
    "why_first": ("why", {"size": "int", "group": "group", **_LIMIT}),
    "why_places": ("why", {"first": "int", "last": "int", "group": "group", **_LIMIT}),
    "why_prefix_min_share": ("why", {"start": "int", "group": "group"}),
    "why_prefix_max_share": ("why", {"start": "int", "group": "group"}),
    "why_windows": ("why", {"size": "int", "group": "group", **_LIMIT}),
    "why_alternation": ("why", {}),
    "why_max_run": ("why", {"length": "int"}),
    "why_balance": ("why", {"gap": "int"}),
    "why_origin": ("why", {"why": "why", "origin": "name"}),
    "objective_lexicographic": ("objective", {}),
    "objective_min_swaps": ("objective", {}),
    "objective_min_max_demotion": ("objective", {}),
    # each place of a formed list (tandau.core.lists.explain, tandau.core.lists.form)
    "pinned": ("reason", {"place": "int"}),
    "reserved_within": ("reason", {"within": "int"}),
    "moved_up_for_pins": ("reason", _MOVE),
    "moved_up_for_rule": ("reason", {**_MOVE, "why": "why", "rule": "name"}),
    "moved_up_for_rules": ("reason", {**_MOVE, "whys": "whys"}),
    "placed_by_objective": ("reason", {**_MOVE, "objective": "objective"}),
    "moved_down": ("reason", {**_MOVE, "names": "names"}),
    "moved_down_for_pins": ("reason", _MOVE),
    "left_off": ("reason", {"rank": "int", "length": "int"}),
    "warning_rule_not_met": ("warning", {"rule": "rule", "detail": "detail"}),
    "warning_seat_share": ("warning", {"group": "group", "have": "int", "seats": "int", "rule": "rule"}),
    # refusals (tandau.core.lists.diagnose)
    "refusal_impossible": ("diagnosis", {"length": "int"}),
    "refusal_no_list": ("diagnosis", {"length": "int"}),
    "diagnosis_pins": ("diagnosis", {}),
    "diagnosis_rule": ("diagnosis", {"rule": "rule", "shortfall": "shortfall"}),
    "diagnosis_conflict": ("diagnosis", {"rules": "rules"}),
    "relaxation_without": ("diagnosis", {"rule": "rule"}),
    "relaxation_shorter": ("diagnosis", {"length": "int"}),
    "shortfall_members": ("shortfall", {"group": "group", "length": "int", "members": "int", "short": "int", **_LIMIT}),
    "shortfall_min": ("shortfall", {"length": "int", "members": "int", "group": "group"}),
    "shortfall_others": ("shortfall", {"group": "group", "length": "int", "needed": "int", "others": "int", **_LIMIT}),
    "shortfall_max": ("shortfall", {"length": "int"}),
    "shortfall_sexes": ("shortfall", {"low": "int", "high": "int", "length": "int", "women": "int", "men": "int"}),
    "shortfall_run": ("shortfall", {"length": "int", "women": "int", "men": "int"}),
    "shortfall_other": ("shortfall", {}),
}


def _fits(value: object, kind: str) -> bool:
    if kind in PLURAL_KINDS:
        return isinstance(value, tuple) and all(_fits(v, PLURAL_KINDS[kind]) for v in value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("name", "percent"):
        return isinstance(value, str)
    return isinstance(value, Reason) and CODES[value.code][0] == kind


@dataclass(frozen=True, slots=True)
class Reason:
    """A shown text: its registered ``code``, its parameters (``args``, read as ``params``) and the English ``text``."""

    code: str
    text: str
    args: tuple[tuple[str, Param], ...] = ()

    def __post_init__(self) -> None:
        check_params(self.code, self.args, CODES, _fits, "reason")

    @property
    def family(self) -> Family:
        return CODES[self.code][0]

    @property
    def params(self) -> dict[str, Param]:
        return dict(self.args)

    def to_json(self) -> dict[str, Any]:
        """``{"code", "params", "text"}`` with nested reasons as objects of the same shape, tuples as lists."""
        return {"code": self.code, "params": params_json(self.args), "text": self.text}


def check_params(code: str, args: Sequence[tuple[str, object]], codes: Mapping[str, tuple[str, Mapping[str, str]]],
                 fits: Callable[[object, Any], bool], what: str) -> None:
    """ValueError unless ``code`` is registered in ``codes`` and ``args`` are exactly its parameters, each of
    its kind (``fits``); shared by every registry of structured texts (list engine, nominee selection)."""
    if code not in codes:
        raise ValueError(f"unregistered {what} code {code!r}")
    kinds = codes[code][1]
    names = [name for name, _ in args]
    if sorted(names) != sorted(kinds):
        raise ValueError(f"{what} {code!r} takes {sorted(kinds)}, got {names}")
    for name, value in args:
        if not fits(value, kinds[name]):
            raise ValueError(f"{what} {code!r}: {name}={value!r} is not a {kinds[name]}")


def params_json(args: Sequence[tuple[str, object]]) -> dict[str, Any]:
    """Parameters as JSON: nested structured texts as their ``to_json()``, tuples as lists."""
    return {k: _json(v) for k, v in args}


def _json(value: object) -> Any:
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


def reason(code: str, text: str, **params: Param) -> Reason:
    """A :class:`Reason`; the parameters must be exactly the ones :data:`CODES` registers for ``code``."""
    return Reason(code, text, tuple(params.items()))


def codes_of(family: Family) -> tuple[str, ...]:
    """Every registered code of ``family``, in registration order."""
    return tuple(code for code, (fam, _) in CODES.items() if fam == family)
