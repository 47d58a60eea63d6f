"""Registry of counting rules: stable ids, display names, citations, and the kind of ballot each one reads.

>>> "stv-scottish" in rule_ids()
True
>>> get_rule("approval").ballot
'approval'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from tandau.core.tally.ballots import ApprovalProfile, RankedProfile
from tandau.core.tally.result import TallyResult
from tandau.core.tally.ties import TieBreaker
from tandau.errors import UnknownIdError

BallotKind = Literal["approval", "ranked"]
RuleFn = Callable[..., TallyResult]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A counting rule: ``fn(profile, seats, ties)`` returns a :class:`TallyResult`."""

    id: str
    name: str
    ballot: BallotKind
    source: str
    fn: RuleFn


_RULES: dict[str, RuleInfo] = {}


def register(rule_id: str, *, name: str, ballot: BallotKind, source: str) -> Callable[[RuleFn], RuleFn]:
    """Decorator: add a rule to the registry under a stable id."""

    def deco(fn: RuleFn) -> RuleFn:
        if rule_id in _RULES:
            raise ValueError(f"rule id {rule_id!r} registered twice")
        _RULES[rule_id] = RuleInfo(rule_id, name, ballot, source, fn)
        return fn

    return deco


def _load() -> None:
    # importing the family modules fills the registry
    from tandau.core.tally import approval, proportional, stv_meek, stv_scottish, stv_wigm  # noqa: F401


def rule_ids() -> tuple[str, ...]:
    """Every registered rule id, sorted."""
    _load()
    return tuple(sorted(_RULES))


def get_rule(rule_id: str) -> RuleInfo:
    """The rule with this id; unknown ids raise :class:`UnknownIdError` listing the valid ones."""
    _load()
    try:
        return _RULES[rule_id]
    except KeyError:
        raise UnknownIdError("tally method", rule_id, sorted(_RULES)) from None


def count(
    rule_id: str,
    profile: RankedProfile | ApprovalProfile,
    seats: int,
    *,
    tie_policy: str = "nomination-order",
    seed: int | None = None,
) -> TallyResult:
    """Count ``profile`` with rule ``rule_id`` for ``seats`` seats under an explicit tie policy."""
    from tandau.core.tally.ballots import ranked_to_approval
    from tandau.errors import InputError

    rule = get_rule(rule_id)
    if seats < 1:
        raise InputError(f"seats must be at least 1, got {seats}", parameter="seats")
    ties = TieBreaker(tie_policy, names=tuple(c.id for c in profile.candidates), seed=seed)
    if rule.ballot == "approval" and isinstance(profile, RankedProfile):
        profile = ranked_to_approval(profile, 1 if rule_id == "plurality" else None)
    if rule.ballot == "ranked" and isinstance(profile, ApprovalProfile):
        raise InputError(f"{rule_id} needs ranked ballots; these are approval ballots", parameter="method")
    return rule.fn(profile, seats, ties)
