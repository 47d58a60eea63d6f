"""Candidates: the people on a primary ballot or a party list.

Age is measured on election day (Constitutional Law on Elections of Kazakhstan, Art. 89(4); quota-rules.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Sex = Literal["F", "M"]
SEXES: tuple[Sex, ...] = ("F", "M")


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day``.

    >>> age_on(date(2000, 3, 1), date(2029, 2, 28))
    28
    >>> age_on(date(2000, 3, 1), date(2029, 3, 1))
    29
    """
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate with the attributes quota rules look at.

    ``order`` is the nomination order (earlier nomination first); it breaks ties only when the chosen
    tie policy says so.
    """

    id: str
    name: str
    sex: Sex
    birth_date: date | None
    votes: int = 0
    tags: frozenset[str] = frozenset()
    order: int = 0
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def age_on(self, day: date) -> int | None:
        """Age in completed years on ``day``, or ``None`` when the birth date is unknown."""
        return None if self.birth_date is None else age_on(self.birth_date, day)
