"""Counting the primaries: approval, plurality, proportional approval (seq-Phragmén, MES) and STV.

Every rule is registered under a stable id (:func:`rule_ids`) and returns a :class:`TallyResult` with its trace.
"""

from tandau.core.tally.ballots import ApprovalProfile, Contestant, RankedProfile, ranked_to_approval
from tandau.core.tally.groups import GroupFilter, GroupRanking, group_ranking, parse_group
from tandau.core.tally.registry import RuleInfo, count, get_rule, register, rule_ids
from tandau.core.tally.result import SelectionRound, StvStage, TallyResult
from tandau.core.tally.ties import TIE_POLICIES, TieBreaker, TieRecord
from tandau.core.tally.tracking import is_tracking_code, new_tracking_code

__all__ = [
    "TIE_POLICIES",
    "ApprovalProfile",
    "Contestant",
    "GroupFilter",
    "GroupRanking",
    "RankedProfile",
    "RuleInfo",
    "SelectionRound",
    "StvStage",
    "TallyResult",
    "TieBreaker",
    "TieRecord",
    "count",
    "get_rule",
    "group_ranking",
    "is_tracking_code",
    "new_tracking_code",
    "parse_group",
    "ranked_to_approval",
    "register",
    "rule_ids",
]
