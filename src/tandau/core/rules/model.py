"""The quota rule language: a few building blocks that every preset and TOML file is made of.

Blocks (quota-rules.md §A):
- :class:`Quota`: a minimum or maximum count or share of a group over the whole list, in every prefix from a
  position on, in every fixed block of n places, in every sliding window of n places, or in the first k places.
- :class:`MaxRun`: at most n consecutive candidates of the same sex.
- :class:`Alternation`: strict alternation of sexes, either start or a given one.
- :class:`Balance`: the gap between the numbers of women and men is at most g.

Shares are exact fractions; the rounding is stated (⌈⌉ by default). Rules with ``enforce=False`` are reported
as warnings and never change a list (e.g. Ireland's funding rule, ie-2012).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from tandau.core.candidates import Sex
from tandau.core.reasons import Reason, reason
from tandau.core.rules.groups import Group

Scope = Literal["list", "prefix", "block", "window", "first"]
Bound = Literal["min", "max"]
Rounding = Literal["ceil", "floor", "nearest"]
Partial = Literal["prorata", "balanced", "full", "skip"]

SCOPES: tuple[Scope, ...] = ("list", "prefix", "block", "window", "first")
ROUNDINGS: tuple[Rounding, ...] = ("ceil", "floor", "nearest")
PARTIALS: tuple[Partial, ...] = ("prorata", "balanced", "full", "skip")
# What a rule asks, whatever its scope: the code of its description (tandau.core.reasons) and its spec's kind.
RuleKind = Literal["min_share", "max_share", "min_count", "max_count", "max_run", "alternation", "balance"]
RULE_KINDS: tuple[RuleKind, ...] = ("min_share", "max_share", "min_count", "max_count", "max_run", "alternation",
                                    "balance")
_QUOTA_KINDS: dict[tuple[Bound, bool], RuleKind] = {
    ("min", False): "min_share", ("max", False): "max_share", ("min", True): "min_count", ("max", True): "max_count",
}
_ROUNDING_WORDS = {"ceil": "rounded up", "floor": "rounded down", "nearest": "rounded to nearest"}


def round_share(value: Fraction, rounding: Rounding) -> int:
    """Round an exact share of places to whole persons; ``nearest`` rounds halves up.

    >>> round_share(Fraction(3, 10) * 16, "ceil"), round_share(Fraction(2, 5) * 7, "nearest")
    (5, 3)
    """
    if rounding == "ceil":
        return -((-value.numerator) // value.denominator)
    if rounding == "floor":
        return value.numerator // value.denominator
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def _pct(share: Fraction) -> str:
    pct = share * 100
    return f"{pct.numerator // pct.denominator}%" if pct.denominator == 1 else f"{float(pct):.4g}%"


@dataclass(frozen=True, slots=True)
class Quota:
    """At least (``bound="min"``) or at most (``"max"``) ``count`` or ``share`` of ``group`` in a scope.

    Scopes: ``list`` (whole list), ``prefix`` (places 1..k for every k ≥ ``start``), ``block`` (every fixed
    block of ``size`` places: 1..size, size+1..2·size, ...; the last, shorter block follows ``partial``),
    ``window`` (every ``size`` consecutive places), ``first`` (places 1..``size``).
    """

    group: Group
    bound: Bound = "min"
    count: int | None = None
    share: Fraction | None = None
    rounding: Rounding = "ceil"
    scope: Scope = "list"
    size: int | None = None
    start: int = 1
    partial: Partial = "prorata"
    enforce: bool = True
    origin: str = ""
    note: str = ""
    min_length: int = 0

    def applies(self, length: int) -> bool:
        """Whether the rule binds a list of ``length`` places (some laws exempt short lists)."""
        return length >= self.min_length

    def required(self, places: int) -> int:
        """The bound for a stretch of ``places`` places (a full block, window, prefix or the list)."""
        if self.count is not None:
            return min(self.count, places) if self.bound == "min" else self.count
        if self.share is None:
            raise ValueError("a quota needs a count or a share")
        return round_share(self.share * places, self.rounding)

    def required_partial(self, places: int) -> int:
        """The bound for a final block shorter than ``size`` (policy ``partial``)."""
        size = self.size or places
        if places >= size:
            return self.required(size)
        if self.bound == "max":
            return self.required(places) if self.count is None else self.count
        if self.partial == "skip":
            return 0
        if self.partial == "balanced":
            return places // 2
        if self.partial == "full":
            return self.required(places)
        if self.count is not None:
            return (self.count * places) // size
        return self.required(places)

    @property
    def kind(self) -> RuleKind:
        return _QUOTA_KINDS[(self.bound, self.count is not None)]

    def amount(self) -> str:
        """'30%' or '2', with the comparison sign."""
        sign = "≥" if self.bound == "min" else "≤"
        if self.count is not None:
            return f"{sign} {self.count}"
        share = self.share if self.share is not None else Fraction(0)
        return f"{sign} {_pct(share)} ({_ROUNDING_WORDS[self.rounding]})"

    def where(self) -> Reason:
        """The stretch of places the rule counts over (code ``scope_*``)."""
        if self.scope == "list":
            return reason("scope_list", "of the list")
        if self.scope == "prefix":
            return reason("scope_prefix", f"in every prefix of the list from place {self.start} on", start=self.start)
        size = self.size or 0
        if self.scope == "block":
            return reason("scope_block", f"in every block of {self.size} places", size=size)
        if self.scope == "window":
            return reason("scope_window", f"in every {self.size} consecutive places", size=size)
        return reason("scope_first", f"in the first {self.size} places", size=size)

    def reason(self) -> Reason:
        """The description as a structured reason: its code is the rule's :attr:`kind`."""
        who, where = self.group.reason(), self.where()
        text = f"{who.text} {self.amount()} {where.text}"
        if self.count is not None:
            out = reason(self.kind, text, group=who, count=self.count, scope=where)
        else:
            share = _pct(self.share if self.share is not None else Fraction(0))
            rounding = reason(f"rounding_{self.rounding}", _ROUNDING_WORDS[self.rounding])
            out = reason(self.kind, text, group=who, share=share, rounding=rounding, scope=where)
        if self.min_length:
            out = reason("rule_min_length", f"{out.text} (lists of {self.min_length} or more)", rule=out,
                         length=self.min_length)
        return _warning_only(out, self.enforce)

    def describe(self) -> str:
        """One line in plain language."""
        return self.reason().text


def limit_reason(bound: Bound, count: int) -> Reason:
    """'at least 2' (``bound="min"``) or 'at most 2', as a structured reason (code ``at_least``/``at_most``)."""
    if bound == "min":
        return reason("at_least", f"at least {count}", count=count)
    return reason("at_most", f"at most {count}", count=count)


def _warning_only(described: Reason, enforce: bool) -> Reason:
    if enforce:
        return described
    return reason("rule_warning_only", described.text + " (warning only)", rule=described)


@dataclass(frozen=True, slots=True)
class MaxRun:
    """At most ``length`` consecutive candidates of the same sex."""

    length: int
    enforce: bool = True
    origin: str = ""
    note: str = ""

    @property
    def kind(self) -> RuleKind:
        return "max_run"

    def reason(self) -> Reason:
        text = f"at most {self.length} consecutive candidates of the same sex"
        return _warning_only(reason("max_run", text, length=self.length), self.enforce)

    def describe(self) -> str:
        return self.reason().text


@dataclass(frozen=True, slots=True)
class Alternation:
    """Strict alternation of sexes through the list; ``start`` fixes the first sex (``None``: either)."""

    start: Sex | None = None
    enforce: bool = True
    origin: str = ""
    note: str = ""

    @property
    def kind(self) -> RuleKind:
        return "alternation"

    def reason(self) -> Reason:
        text = "strict alternation of women and men"
        if self.start is None:
            out = reason("alternation", text)
        elif self.start == "F":
            out = reason("alternation_woman_first", text + ", starting with a woman")
        else:
            out = reason("alternation_man_first", text + ", starting with a man")
        return _warning_only(out, self.enforce)

    def describe(self) -> str:
        return self.reason().text


@dataclass(frozen=True, slots=True)
class Balance:
    """The numbers of women and men on the list differ by at most ``gap``."""

    gap: int = 1
    enforce: bool = True
    origin: str = ""
    note: str = ""

    @property
    def kind(self) -> RuleKind:
        return "balance"

    def reason(self) -> Reason:
        text = f"numbers of women and men differ by at most {self.gap}"
        return _warning_only(reason("balance", text, gap=self.gap), self.enforce)

    def describe(self) -> str:
        return self.reason().text


Rule = Quota | MaxRun | Alternation | Balance


def rule_label(rule: Rule) -> str:
    """The rule's description followed by its origin, e.g. 'women ≥ 30% ... (nur-otan-2019)'."""
    return rule_reason(rule).text


def rule_reason(rule: Rule) -> Reason:
    """:func:`rule_label` as a structured reason (code ``rule_origin`` around the description, if it has an origin)."""
    described = rule.reason()
    if not rule.origin:
        return described
    return reason("rule_origin", f"{described.text} ({rule.origin})", rule=described, origin=rule.origin)


def rule_id(rule: Rule) -> str:
    """A stable id from the rule's origin, kind, group, amount and scope, e.g. 'nur-otan-2019/min_share:women:30%:list'.

    Two rules share an id only if they ask the same of the same group over the same places.
    """
    if isinstance(rule, Quota):
        amount = str(rule.count) if rule.count is not None else _pct(rule.share or Fraction(0))
        extent = rule.start if rule.scope == "prefix" else rule.size
        where = rule.scope if rule.scope == "list" else f"{rule.scope}-{extent}"
        body = f"{rule.kind}:{rule.group.name}:{amount}:{where}"
    elif isinstance(rule, MaxRun):
        body = f"max_run:{rule.length}"
    elif isinstance(rule, Alternation):
        body = "alternation" if rule.start is None else f"alternation:{rule.start}"
    else:
        body = f"balance:{rule.gap}"
    return f"{rule.origin}/{body}" if rule.origin else body


def rule_spec(rule: Rule) -> dict[str, Any]:
    """The rule as JSON-ready data: ``id``, ``kind`` and its parameters (group, share or count, rounding, scope...)."""
    spec: dict[str, Any] = {"id": rule_id(rule), "kind": rule.kind}
    if isinstance(rule, Quota):
        spec.update(group=rule.group.name, count=rule.count,
                    share=None if rule.share is None else _pct(rule.share), rounding=rule.rounding,
                    scope=rule.scope, size=rule.size, start=rule.start, partial=rule.partial,
                    min_length=rule.min_length)
    elif isinstance(rule, MaxRun):
        spec["length"] = rule.length
    elif isinstance(rule, Alternation):
        spec["start"] = rule.start
    else:
        spec["gap"] = rule.gap
    spec.update(enforce=rule.enforce, origin=rule.origin)
    return spec


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules under one id, with a display name and the source they come from."""

    id: str
    name: str
    source: str
    rules: tuple[Rule, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def needs_age(self) -> bool:
        return any(isinstance(r, Quota) and r.group.needs_age for r in self.rules)

    def spec(self) -> dict[str, Any]:
        """The rule set as JSON-ready data: its stable ``id``, name, source, notes and each rule's :func:`rule_spec`."""
        return {"id": self.id, "name": self.name, "source": self.source, "notes": list(self.notes),
                "rules": [rule_spec(r) for r in self.rules]}


def combine(rule_sets: tuple[RuleSet, ...]) -> RuleSet:
    """Several rule sets applied together (every rule keeps its origin)."""
    return RuleSet(
        id="+".join(rs.id for rs in rule_sets),
        name=" + ".join(rs.name for rs in rule_sets),
        source="; ".join(rs.source for rs in rule_sets),
        rules=tuple(r for rs in rule_sets for r in rs.rules),
        notes=tuple(n for rs in rule_sets for n in rs.notes),
    )
