"""Citizens' appeals: Kazakhstan's working-day calendar and the deadlines of an appeal (issue 14, item 3).

The calendar follows the Law of 13 Dec 2001 No. 267-II "On holidays in the Republic of Kazakhstan" (art. 5),
the Labour Code of 23 Nov 2015 No. 414-V (art. 84 p. 5, art. 85 p. 3) and the yearly transfers of days off;
the deadlines follow the Administrative Procedural and Process-Related Code No. 350-VI, art. 76 (docs/appeals.md).
"""

from __future__ import annotations

from tandau.core.appeals.calendar import (
    OFF_REASONS,
    ROW_KINDS,
    CalendarError,
    CalendarRow,
    DueDate,
    OffReason,
    OutsideCalendarError,
    RowKind,
    WorkCalendar,
    due_date,
)
from tandau.core.appeals.deadlines import (
    SWITCH_UTC,
    ZONE,
    Deadlines,
    Extension,
    add_months,
    fixed_rule_date,
    local_date,
)

__all__ = [
    "OFF_REASONS",
    "ROW_KINDS",
    "SWITCH_UTC",
    "ZONE",
    "CalendarError",
    "CalendarRow",
    "Deadlines",
    "DueDate",
    "Extension",
    "OffReason",
    "OutsideCalendarError",
    "RowKind",
    "WorkCalendar",
    "add_months",
    "due_date",
    "fixed_rule_date",
    "local_date",
]
