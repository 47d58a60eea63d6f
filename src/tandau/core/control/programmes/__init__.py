"""State programme targets and their follow-up (issue 12, items 1-4): targets with history, reports with
revisions, the forecast and status of every series, national roll-ups, and the programme red flags P01-P09.

Pure: the readers are in :mod:`tandau.io.control_csv` and :mod:`tandau.io.flag_settings`.
"""

from tandau.core.control.programmes.assess import STATUSES, Assessment, Status, assess
from tandau.core.control.programmes.board import Board, assess_board, assess_series
from tandau.core.control.programmes.budget import PHASES, BudgetRow, merge_budget
from tandau.core.control.programmes.flags import FLAGS, Flag, FlagSettings
from tandau.core.control.programmes.forecast import Forecast, forecast, naive_reaches
from tandau.core.control.programmes.model import (
    DIRECTIONS,
    FREQUENCIES,
    KINDS,
    NATIONAL,
    SPLITS_2022,
    Report,
    ReportSeries,
    SeriesKey,
    Target,
    TargetSeries,
)
from tandau.core.control.programmes.presets import PROGRAMMES, Programme, preset_targets
from tandau.core.control.programmes.rollup import RegionRank, rank_regions, roll_up

__all__ = [
    "DIRECTIONS", "FLAGS", "FREQUENCIES", "KINDS", "NATIONAL", "PHASES", "PROGRAMMES", "SPLITS_2022", "STATUSES",
    "Assessment", "Board", "BudgetRow", "Flag", "FlagSettings", "Forecast", "Programme", "RegionRank", "Report",
    "ReportSeries", "SeriesKey", "Status", "Target", "TargetSeries", "assess", "assess_board", "assess_series",
    "forecast", "merge_budget", "naive_reaches", "preset_targets", "rank_regions", "roll_up",
]
