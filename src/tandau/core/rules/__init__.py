"""Quota rules: groups, the rule language, presets and an independent checker."""

from tandau.core.rules.check import Check, Violation, check_list, complies
from tandau.core.rules.groups import MEN, WOMEN, Group, tagged, under, union
from tandau.core.rules.model import (
    RULE_KINDS,
    Alternation,
    Balance,
    MaxRun,
    Quota,
    Rule,
    RuleKind,
    RuleSet,
    combine,
    round_share,
    rule_id,
    rule_label,
    rule_reason,
    rule_spec,
)
from tandau.core.rules.presets import get_preset, preset_ids

__all__ = [
    "MEN",
    "RULE_KINDS",
    "WOMEN",
    "Alternation",
    "Balance",
    "Check",
    "Group",
    "MaxRun",
    "Quota",
    "Rule",
    "RuleKind",
    "RuleSet",
    "Violation",
    "check_list",
    "combine",
    "complies",
    "get_preset",
    "preset_ids",
    "round_share",
    "rule_id",
    "rule_label",
    "rule_reason",
    "rule_spec",
    "tagged",
    "under",
    "union",
]
