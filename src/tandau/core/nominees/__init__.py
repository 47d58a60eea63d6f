"""Nominee selection for single-member districts under set-wide quotas: exact, explained, with pins, exclusions
and a diagnosed refusal (docs/nominees.md)."""

from tandau.core.nominees.compile import Need, PositionalRuleError, set_rules
from tandau.core.nominees.diagnose import NomineesInfeasibleError
from tandau.core.nominees.dp import SetTooLargeError
from tandau.core.nominees.model import District, Nominee, NomineeRequest, NomineeResult
from tandau.core.nominees.reasons import CODES, NomineeReason, nominee_reason
from tandau.core.nominees.select import select_nominees

__all__ = [
    "CODES",
    "District",
    "Need",
    "Nominee",
    "NomineeReason",
    "NomineeRequest",
    "NomineeResult",
    "NomineesInfeasibleError",
    "PositionalRuleError",
    "SetTooLargeError",
    "nominee_reason",
    "select_nominees",
    "set_rules",
]
