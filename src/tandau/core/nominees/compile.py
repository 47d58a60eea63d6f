"""Rules over a set of districts: every whole-set rule becomes lower bounds on counts of chosen nominees.

Only rules that count over the whole list have a meaning for a set of districts, which has no order:
quotas with scope ``list`` (a minimum or maximum share or count of a group) and ``balance``. A maximum on a
group is a minimum on its complement, since every district nominates exactly one person: at most U of n in
the group means at least n − U outside it. ``balance`` (women and men differ by at most g) is at least
⌈(n − g)/2⌉ of each sex. Positional rules (prefix, block, window, first places, alternation, runs) are refused
with an error naming the rule, rather than dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.rules.groups import MEN, WOMEN, Group
from tandau.core.rules.model import Balance, Quota, Rule, rule_label
from tandau.errors import InputError


class PositionalRuleError(InputError):
    """A rule that orders places on a list, given for a set of districts (which has no order)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        super().__init__(
            f"rule {rule_label(rule)!r} orders places on a list; a set of districts has no order, so only "
            "whole-list shares and counts (scope 'list') and balance apply to nominees: leave it out of the "
            "rules for nominee selection", parameter="--rules")


@dataclass(frozen=True, slots=True)
class Need:
    """At least ``total`` people of the whole set (list candidates counted with the nominees, if any) in
    ``group``, or outside it when ``complement`` (a maximum on the group), because of ``rule``."""

    rule: Rule
    group: Group
    complement: bool
    total: int

    def contains(self, candidate: Candidate, election_date: date | None) -> bool:
        return self.group.contains(candidate, election_date) != self.complement


def set_rules(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The rules, once each is known to apply to a set; :class:`PositionalRuleError` on the first that does not."""
    for rule in rules:
        if (isinstance(rule, Quota) and rule.scope == "list") or isinstance(rule, Balance):
            continue
        raise PositionalRuleError(rule)
    return tuple(rules)


def needs_of(rule: Rule, size: int) -> tuple[Need, ...]:
    """The lower bounds one enforced rule puts on a set of ``size`` people (none if it binds nothing)."""
    if not rule.enforce:
        return ()
    if isinstance(rule, Balance):
        least = max(0, -(-(size - rule.gap) // 2))
        return tuple(Need(rule, g, False, least) for g in (WOMEN, MEN) if least > 0)
    if not isinstance(rule, Quota) or not rule.applies(size):
        return ()
    bound = rule.required(size)
    if rule.bound == "min":
        return (Need(rule, rule.group, False, bound),) if bound > 0 else ()
    return (Need(rule, rule.group, True, size - bound),) if bound < size else ()
