"""Structured explanations of nominee selection: registered codes, their parameters and the English text.

Like :mod:`tandau.core.reasons` (which the list engine uses, and whose rule and group descriptions nest here
unchanged), every text carries a stable ``code`` and its parameters so that another face can say it in its own
language. :data:`CODES` registers each code with its family and the kind of each parameter: ``int``, ``name``
(kept as it is: a district, a candidate's name, a preset id), ``percent``, ``rule`` and ``group`` (a nested
:class:`tandau.core.reasons.Reason` of that family), ``rules`` (a tuple of them), ``why``/``whys`` (nested
nominee requirements).

>>> from tandau.core.rules import WOMEN
>>> r = nominee_reason("nominee_why_min_share", "at least 30% women", group=WOMEN.reason(), share="30%", origin="")
>>> r.to_json()["params"]["group"]["code"], r.family
('group_women', 'nominee_why')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from tandau.core.reasons import Reason, check_params, params_json

Family = Literal["nominee", "nominee_why", "nominee_diagnosis"]
Kind = Literal["int", "name", "percent", "rule", "rules", "group", "whys"]
Param: TypeAlias = "int | str | Reason | NomineeReason | tuple[Reason, ...] | tuple[NomineeReason, ...]"

_WHO: dict[str, Kind] = {"district": "name", "name": "name", "rank": "int", "share": "percent"}
_RELAX: dict[str, Kind] = {"rule": "rule", "group": "group", "count": "int", "instead": "int"}

#: code -> (family, {parameter: kind}); the English wording is built where the code is emitted.
CODES: dict[str, tuple[Family, dict[str, Kind]]] = {
    # why a district's nominee is not its primary winner (tandau.core.nominees.explain)
    "nominee_pinned": ("nominee", {**_WHO, "winner": "name"}),
    "nominee_winner_excluded": ("nominee", {**_WHO, "winner": "name"}),
    "nominee_for_rules": ("nominee", {**_WHO, "instead": "name", "instead_rank": "int", "set": "name",
                                      "mixed": "int", "whys": "whys"}),
    # what the set must hold (one per rule that reverting the district would break)
    "nominee_why_min_share": ("nominee_why", {"group": "group", "share": "percent", "origin": "name"}),
    "nominee_why_max_share": ("nominee_why", {"group": "group", "share": "percent", "origin": "name"}),
    "nominee_why_min_count": ("nominee_why", {"group": "group", "count": "int", "origin": "name"}),
    "nominee_why_max_count": ("nominee_why", {"group": "group", "count": "int", "origin": "name"}),
    "nominee_why_balance": ("nominee_why", {"gap": "int", "origin": "name"}),
    # refusals (tandau.core.nominees.diagnose)
    "nominees_refused": ("nominee_diagnosis", {"districts": "int"}),
    "nominees_no_candidate": ("nominee_diagnosis", {"district": "name"}),
    "nominees_rule_alone_min": ("nominee_diagnosis", {"rule": "rule", "group": "group", "needed": "int",
                                                      "possible": "int", "districts": "int"}),
    "nominees_rule_alone": ("nominee_diagnosis", {"rule": "rule", "districts": "int"}),
    "nominees_rule_alone_max": ("nominee_diagnosis", {"rule": "rule", "group": "group", "needed": "int",
                                                      "possible": "int", "districts": "int"}),
    "nominees_conflict": ("nominee_diagnosis", {"rules": "rules"}),
    "nominees_relax_without": ("nominee_diagnosis", {"rule": "rule"}),
    "nominees_relax_min": ("nominee_diagnosis", _RELAX),
    "nominees_relax_max": ("nominee_diagnosis", _RELAX),
    "nominees_relax_pin": ("nominee_diagnosis", {"district": "name", "name": "name"}),
}


def _fits(value: object, kind: Kind) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("name", "percent"):
        return isinstance(value, str)
    if kind == "rules":
        return isinstance(value, tuple) and all(_fits(v, "rule") for v in value)
    if kind == "whys":
        return isinstance(value, tuple) and all(isinstance(v, NomineeReason) and v.family == "nominee_why"
                                                for v in value)
    return isinstance(value, Reason) and value.family == kind


@dataclass(frozen=True, slots=True)
class NomineeReason:
    """A shown text: its registered ``code``, its parameters (``args``, read as ``params``) and the English ``text``."""

    code: str
    text: str
    args: tuple[tuple[str, Param], ...] = ()

    def __post_init__(self) -> None:
        check_params(self.code, self.args, CODES, _fits, "nominee reason")

    @property
    def family(self) -> Family:
        return CODES[self.code][0]

    @property
    def params(self) -> dict[str, Param]:
        return dict(self.args)

    def to_json(self) -> dict[str, Any]:
        """``{"code", "params", "text"}``, nested reasons as objects of the same shape, tuples as lists."""
        return {"code": self.code, "params": params_json(self.args), "text": self.text}


def nominee_reason(code: str, text: str, **params: Param) -> NomineeReason:
    """A :class:`NomineeReason`; the parameters must be exactly the ones :data:`CODES` registers for ``code``."""
    return NomineeReason(code, text, tuple(params.items()))

