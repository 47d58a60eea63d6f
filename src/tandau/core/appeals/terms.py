"""The terms of an appeal (issue 14, item 3): how long the party has to answer, to extend, to redirect, and how
long it keeps the applicant's personal data.

Defaults follow the Administrative Procedural and Process-Related Code of the Republic of Kazakhstan (29 June 2020
No. 350-VI), art. 76: an appeal is considered within **15 working days** of its receipt; the term may be extended
**once**, by a reasoned decision, to **at most two months** from the receipt, and the applicant told of it within
**3 working days**; an appeal outside the competence of whom it reached is sent on to the competent body within
**3 working days** of its receipt, and the applicant told. The party follows the Code as a matter of policy, and
every figure is a setting (:class:`Terms`, read from the environment by :mod:`tandau.services.appeals.deadlines`).
The figures of art. 76 are those of :class:`tandau.core.appeals.deadlines.Deadlines` (:meth:`Terms.deadlines`);
:class:`Terms` adds the reminders, the repeat window and the retention of personal data.

>>> extension_limit(date(2026, 3, 2), Terms())
datetime.date(2026, 5, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandau.core.appeals.deadlines import Deadlines, add_months

__all__ = ["Terms", "extension_limit", "retention_ends"]


@dataclass(frozen=True, slots=True)
class Terms:
    """Every term of the appeals' workflow (working days unless named otherwise)."""

    answer_days: int = 15  # APPC art. 76 p. 1
    extension_months: int = 2  # at most to two months from receipt (art. 76 p. 2)
    extension_notice_days: int = 3  # the applicant told of an extension within 3 working days
    redirect_days: int = 3  # outside the party's competence: sent on within 3 working days (art. 76 p. 3)
    reminder_days: int = 2  # an appeal due within this many working days is on the reminders' list
    repeat_window_days: int = 90  # calendar days: an earlier appeal on the same matter within them is "repeated"
    retention_years: int = 5  # personal data kept this many years after the case closes

    def __post_init__(self) -> None:
        for name in ("answer_days", "extension_months", "extension_notice_days", "redirect_days",
                     "repeat_window_days", "retention_years"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.reminder_days < 0:
            raise ValueError(f"reminder_days must be at least 0, got {self.reminder_days}")

    def deadlines(self) -> Deadlines:
        """The deadlines of APPC art. 76 these terms set."""
        return Deadlines(self.answer_days, self.extension_months, self.extension_notice_days, self.redirect_days)


def extension_limit(received: date, terms: Terms) -> date:
    """The latest day an extended appeal may be due: ``extension_months`` after its receipt."""
    return add_months(received, terms.extension_months)


def retention_ends(closed: date, terms: Terms) -> date:
    """The day after which a closed case's personal data are removed.

    >>> retention_ends(date(2024, 2, 29), Terms())
    datetime.date(2029, 2, 28)
    """
    return add_months(closed, 12 * terms.retention_years)
