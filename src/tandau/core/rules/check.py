"""An independent checker: evaluates every rule on a list in its own order, straight from the definitions.

It shares no code with the list-formation engine, so it serves as the oracle that engine is tested against
and as ``tandau lists check``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandau.core.candidates import Candidate
from tandau.core.reasons import Reason, reason
from tandau.core.rules.model import (
    Alternation,
    Balance,
    MaxRun,
    Quota,
    Rule,
    limit_reason,
    rule_label,
    rule_reason,
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One breach: the places concerned (1-based, inclusive) and what is wrong (``why``: the same, structured)."""

    first: int
    last: int
    detail: str
    why: Reason | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """The verdict on one rule; ``why`` is ``detail`` as a structured reason."""

    rule: Rule
    ok: bool
    detail: str
    violations: tuple[Violation, ...] = ()
    why: Reason | None = None

    @property
    def label(self) -> str:
        return rule_label(self.rule)

    @property
    def label_reason(self) -> Reason:
        return rule_reason(self.rule)

    @property
    def detail_reason(self) -> Reason:
        """``why``; every check :func:`check_list` makes has one."""
        if self.why is None:
            raise ValueError(f"the check of {self.label!r} carries no structured detail")
        return self.why

    @property
    def enforced(self) -> bool:
        return self.rule.enforce


def _places(first: int, last: int) -> Reason:
    if first == last:
        return reason("places_one", f"place {first}", place=first)
    return reason("places_range", f"places {first}–{last}", first=first, last=last)


def stretches(rule: Quota, n: int) -> list[tuple[int, int, int]]:
    """(first, last, bound) for every stretch of places the rule constrains in a list of n."""
    if n == 0 or not rule.applies(n):
        return []
    if rule.scope == "list":
        return [(1, n, rule.required(n))]
    if rule.scope == "first":
        size = min(rule.size or n, n)
        return [(1, size, rule.required(size))]
    if rule.scope == "prefix":
        return [(1, k, rule.required(k)) for k in range(max(rule.start, 1), n + 1)]
    size = rule.size or n
    if rule.scope == "block":
        out = []
        for first in range(1, n + 1, size):
            last = min(first + size - 1, n)
            out.append((first, last, rule.required_partial(last - first + 1)))
        return out
    if n < size:  # a sliding window longer than the list: the whole list as a partial block
        return [(1, n, rule.required_partial(n))]
    return [(first, first + size - 1, rule.required(size)) for first in range(1, n - size + 2)]


def _check_quota(rule: Quota, flags: Sequence[bool]) -> Check:
    n = len(flags)
    bad: list[Violation] = []
    stretches_ = stretches(rule, n)
    for first, last, bound in stretches_:
        have = sum(flags[first - 1 : last])
        if (rule.bound == "min" and have < bound) or (rule.bound == "max" and have > bound):
            places, who, limit = _places(first, last), rule.group.reason(), limit_reason(rule.bound, bound)
            why = reason("violation_quota", f"{places.text} hold {have} {who.text}, {limit.text} required",
                         places=places, have=have, group=who, limit=limit)
            bad.append(Violation(first, last, why.text, why))
    total = sum(flags)
    if rule.scope == "list" and stretches_:
        bound = stretches_[0][2]
        detail = reason("check_count", f"{total} of {n} (bound {bound})", have=total, length=n, bound=bound)
    else:
        ok, count = len(stretches_) - len(bad), len(stretches_)
        detail = reason("check_stretches", f"{ok} of {count} stretches comply; {total} of {n} in all",
                        complying=ok, stretches=count, have=total, length=n)
    return Check(rule, not bad, detail.text, tuple(bad), detail)


def _check_run(rule: MaxRun | Alternation, sexes: Sequence[str]) -> Check:
    limit = 1 if isinstance(rule, Alternation) else rule.length
    bad: list[Violation] = []
    run_start = 0
    for i in range(1, len(sexes) + 1):
        if i == len(sexes) or sexes[i] != sexes[run_start]:
            length = i - run_start
            if length > limit:
                places = _places(run_start + 1, i)
                why = reason("violation_run", f"{places.text}: {length} of the same sex in a row, at most {limit} "
                             "allowed", places=places, length=length, limit=limit)
                bad.append(Violation(run_start + 1, i, why.text, why))
            run_start = i
    if isinstance(rule, Alternation) and rule.start is not None and sexes and sexes[0] != rule.start:
        first = reason("violation_first_woman", "place 1 must be a woman") if rule.start == "F" else \
            reason("violation_first_man", "place 1 must be a man")
        bad.insert(0, Violation(1, 1, first.text, first))
    detail = reason("check_complies", "complies") if not bad else \
        reason("check_breaches", f"{len(bad)} breach(es)", count=len(bad))
    return Check(rule, not bad, detail.text, tuple(bad), detail)


def _check_balance(rule: Balance, sexes: Sequence[str]) -> Check:
    women = sum(1 for s in sexes if s == "F")
    men = len(sexes) - women
    ok = abs(women - men) <= rule.gap
    detail = reason("check_sexes", f"{women} women, {men} men", women=women, men=men)
    gap = reason("violation_gap", f"{detail.text}: gap above {rule.gap}", women=women, men=men, gap=rule.gap)
    bad = () if ok else (Violation(1, len(sexes), gap.text, gap),)
    return Check(rule, ok, detail.text, bad, detail)


def check_list(candidates: Sequence[Candidate], rules: Sequence[Rule], election_date: date | None) -> tuple[Check, ...]:
    """Evaluate every rule on ``candidates`` in their order (place 1 first)."""
    sexes = [c.sex for c in candidates]
    out: list[Check] = []
    for rule in rules:
        if isinstance(rule, Quota):
            flags = [rule.group.contains(c, election_date) for c in candidates]
            out.append(_check_quota(rule, flags))
        elif isinstance(rule, MaxRun | Alternation):
            out.append(_check_run(rule, sexes))
        else:
            out.append(_check_balance(rule, sexes))
    return tuple(out)


def complies(checks: Sequence[Check]) -> bool:
    """True when every enforced rule holds (warning-only rules do not count)."""
    return all(c.ok for c in checks if c.enforced)
