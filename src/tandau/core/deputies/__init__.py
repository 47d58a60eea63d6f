"""Deputies from mandates (issue 14): who succeeds a list deputy with the mandate-level quota kept, and the
kinds of a deputy's activity records. Pure: no file, database or web."""

from tandau.core.deputies.activity import ACTIVITY_KINDS, VOTE_CHOICES, ActivitySummary, Record, summarise
from tandau.core.deputies.succession import Succession, quota_needed, successor

__all__ = ["ACTIVITY_KINDS", "VOTE_CHOICES", "ActivitySummary", "Record", "Succession", "quota_needed", "successor",
           "summarise"]
