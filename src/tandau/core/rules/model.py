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
from typing import Literal

from tandau.core.candidates import Sex
from tandau.core.rules.groups import Group

Scope = Literal["list", "prefix", "block", "window", "first"]
Bound = Literal["min", "max"]
Rounding = Literal["ceil", "floor", "nearest"]
Partial = Literal["prorata", "balanced", "full", "skip"]

SCOPES: tuple[Scope, ...] = ("list", "prefix", "block", "window", "first")
ROUNDINGS: tuple[Rounding, ...] = ("ceil", "floor", "nearest")
PARTIALS: tuple[Partial, ...] = ("prorata", "balanced", "full", "skip")


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

    def amount(self) -> str:
        """'30%' or '2', with the comparison sign."""
        sign = "≥" if self.bound == "min" else "≤"
        if self.count is not None:
            return f"{sign} {self.count}"
        share = self.share if self.share is not None else Fraction(0)
        rnd = {"ceil": "rounded up", "floor": "rounded down", "nearest": "rounded to nearest"}[self.rounding]
        return f"{sign} {_pct(share)} ({rnd})"

    def describe(self) -> str:
        """One line in plain language."""
        who = self.group.describe()
        amount = self.amount()
        where = {
            "list": "of the list",
            "prefix": f"in every prefix of the list from place {self.start} on",
            "block": f"in every block of {self.size} places",
            "window": f"in every {self.size} consecutive places",
            "first": f"in the first {self.size} places",
        }[self.scope]
        text = f"{who} {amount} {where}"
        if self.min_length:
            text += f" (lists of {self.min_length} or more)"
        return text if self.enforce else text + " (warning only)"


@dataclass(frozen=True, slots=True)
class MaxRun:
    """At most ``length`` consecutive candidates of the same sex."""

    length: int
    enforce: bool = True
    origin: str = ""
    note: str = ""

    def describe(self) -> str:
        text = f"at most {self.length} consecutive candidates of the same sex"
        return text if self.enforce else text + " (warning only)"


@dataclass(frozen=True, slots=True)
class Alternation:
    """Strict alternation of sexes through the list; ``start`` fixes the first sex (``None``: either)."""

    start: Sex | None = None
    enforce: bool = True
    origin: str = ""
    note: str = ""

    def describe(self) -> str:
        first = "" if self.start is None else f", starting with a {'woman' if self.start == 'F' else 'man'}"
        text = f"strict alternation of women and men{first}"
        return text if self.enforce else text + " (warning only)"


@dataclass(frozen=True, slots=True)
class Balance:
    """The numbers of women and men on the list differ by at most ``gap``."""

    gap: int = 1
    enforce: bool = True
    origin: str = ""
    note: str = ""

    def describe(self) -> str:
        text = f"numbers of women and men differ by at most {self.gap}"
        return text if self.enforce else text + " (warning only)"


Rule = Quota | MaxRun | Alternation | Balance


def rule_label(rule: Rule) -> str:
    """The rule's description followed by its origin, e.g. 'women ≥ 30% ... (nur-otan-2019)'."""
    return f"{rule.describe()} ({rule.origin})" if rule.origin else rule.describe()


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


def combine(rule_sets: tuple[RuleSet, ...]) -> RuleSet:
    """Several rule sets applied together (every rule keeps its origin)."""
    return RuleSet(
        id="+".join(rs.id for rs in rule_sets),
        name=" + ".join(rs.name for rs in rule_sets),
        source="; ".join(rs.source for rs in rule_sets),
        rules=tuple(r for rs in rule_sets for r in rs.rules),
        notes=tuple(n for rs in rule_sets for n in rs.notes),
    )
