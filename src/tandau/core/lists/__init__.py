"""List formation under quota rules: exact, explained, with pins, exclusions and ties made explicit."""

from tandau.core.lists.compile import Pin
from tandau.core.lists.diagnose import ListInfeasibleError, feasible
from tandau.core.lists.form import form_list, seat_safe_rules, vote_order
from tandau.core.lists.model import (
    OBJECTIVES,
    TIE_POLICIES,
    Entry,
    ListRequest,
    ListResult,
    Metrics,
    Objective,
    Tie,
    TiePolicy,
)

__all__ = [
    "OBJECTIVES",
    "TIE_POLICIES",
    "Entry",
    "ListInfeasibleError",
    "ListRequest",
    "ListResult",
    "Metrics",
    "Objective",
    "Pin",
    "Tie",
    "TiePolicy",
    "feasible",
    "form_list",
    "seat_safe_rules",
    "vote_order",
]
