"""Seat allocation: apportionment methods, thresholds, presets, bounds, biproportional, mandates, what-if.

The what-if simulation (:mod:`tandau.core.seats.simulate`, numpy) is not imported here, to keep start-up short.

>>> from tandau.core.seats import allocate
>>> allocate({"A": 100, "B": 80, "C": 30}, 8, method="sainte-lague").as_dict()
{'A': 4, 'B': 3, 'C': 1}
"""

from tandau.core.seats import divisor as _divisor  # noqa: F401  (registers the divisor methods)
from tandau.core.seats import largest_remainder as _largest_remainder  # noqa: F401  (registers LR methods)
from tandau.core.seats.apportion import Allocation, allocate, allocate_fast
from tandau.core.seats.biproportional import Biproportional, biproportional
from tandau.core.seats.mandates import MANDATE_RULES, Mandates, Replacement, assign_mandates, fill_vacancy
from tandau.core.seats.presets import PRESETS, Rules, get_preset
from tandau.core.seats.registry import METHODS, Method, get_method, method_ids
from tandau.core.seats.result import DivisorTrace, MethodResult, QuotaTrace, SeatAward
from tandau.core.seats.threshold import NoListPassesError, Threshold, ThresholdReport, apply_threshold, parse_share
from tandau.core.seats.ties import TIE_POLICIES, Tie, TieBreaker

__all__ = [
    "MANDATE_RULES", "METHODS", "PRESETS", "TIE_POLICIES", "Allocation", "Biproportional", "DivisorTrace",
    "Mandates", "Method", "MethodResult", "NoListPassesError", "QuotaTrace", "Replacement", "Rules", "SeatAward",
    "Threshold", "ThresholdReport", "Tie", "TieBreaker", "allocate", "allocate_fast", "apply_threshold",
    "assign_mandates", "biproportional", "fill_vacancy", "get_method", "get_preset", "method_ids", "parse_share",
]
