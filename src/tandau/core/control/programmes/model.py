"""Targets with their history and execution reports with their revisions (issue 12, items 1 and 2).

A *series* is one programme × indicator × region. Its target is a list of versions: a later version (a row with
a later ``revised_at``) never overwrites an earlier one, so a target made less ambitious or a deadline moved
stays visible (flag P08). Its reports are every row ever received: a later row for the same period is a
revision; what was known at a date is rebuilt by :meth:`ReportSeries.known_at`.

Region codes are 9-digit KATO codes of the 20 regions and cities of republican significance, or ``KZ`` for the
national series. Abai, Jetisu and Ulytau were created on 8 June 2022 (Presidential decrees) out of East
Kazakhstan, Almaty Region and Karaganda Region: a new region reports from its creation, its parent's series
goes on (a drop of a parent's cumulative value across that date is the split, not flag P07).

>>> from decimal import Decimal as D
>>> t = Target("p", "i", "KZ", "units", "cumulative", "increase", D(0), date(2020, 1, 1), D(10),
...            date(2021, 1, 1))
>>> t.sign, t.key
(1, ('p', 'i', 'KZ'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Kind = Literal["cumulative", "level"]
Direction = Literal["increase", "decrease"]
Frequency = Literal["monthly", "quarterly"]
SeriesKey = tuple[str, str, str]

KINDS: tuple[Kind, ...] = ("cumulative", "level")
DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease")
FREQUENCIES: tuple[Frequency, ...] = ("monthly", "quarterly")
#: months in one reporting period
PERIOD_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3}
NATIONAL = "KZ"
#: regions created on 8 June 2022: new region -> (parent region, creation date); 9-digit KATO codes
SPLITS_2022: dict[str, tuple[str, date]] = {
    "100000000": ("630000000", date(2022, 6, 8)),  # Abai from East Kazakhstan
    "330000000": ("190000000", date(2022, 6, 8)),  # Jetisu from Almaty Region
    "620000000": ("350000000", date(2022, 6, 8)),  # Ulytau from Karaganda Region
}


@dataclass(frozen=True, slots=True)
class Target:
    """One version of a series' target (a row of TARGETS.csv)."""

    programme: str
    indicator: str
    region: str
    unit: str
    kind: Kind
    direction: Direction
    baseline: Decimal
    baseline_date: date
    target: Decimal
    deadline: date
    budget_kzt: Decimal | None = None
    source: str = ""
    weight: Decimal | None = None
    frequency: Frequency = "monthly"
    revised_at: date | None = None

    @property
    def key(self) -> SeriesKey:
        return (self.programme, self.indicator, self.region)

    @property
    def start(self) -> date:
        """Where the series starts: the baseline date, or the creation of a region created later (a region
        created on 8 June 2022 starts then, from its baseline value)."""
        split = SPLITS_2022.get(self.region)
        return max(self.baseline_date, split[1]) if split is not None else self.baseline_date

    @property
    def sign(self) -> int:
        """+1 when the target is reached by increasing, -1 by decreasing."""
        return 1 if self.direction == "increase" else -1


@dataclass(frozen=True, slots=True)
class TargetSeries:
    """Every version of one series' target, the original first, then by ``revised_at`` (file order on ties)."""

    versions: tuple[Target, ...]

    @property
    def key(self) -> SeriesKey:
        return self.versions[0].key

    def in_force(self, as_of: date) -> Target:
        """The version in force at ``as_of``: the latest one revised on or before it (the original otherwise)."""
        current = self.versions[0]
        for v in self.versions[1:]:
            if v.revised_at is not None and v.revised_at <= as_of:
                current = v
        return current


@dataclass(frozen=True, slots=True)
class Report:
    """One execution report (a row of REPORTS.csv): cumulative values from the programme's start."""

    programme: str
    indicator: str
    region: str
    period_end: date
    actual: Decimal
    allocated_kzt: Decimal | None = None
    adjusted_kzt: Decimal | None = None
    contracted_kzt: Decimal | None = None
    paid_kzt: Decimal | None = None
    reported_at: date | None = None

    @property
    def key(self) -> SeriesKey:
        return (self.programme, self.indicator, self.region)

    @property
    def known_from(self) -> date:
        """When the report became known: ``reported_at``, or the end of its period when not given."""
        return self.reported_at if self.reported_at is not None else self.period_end


@dataclass(frozen=True, slots=True)
class ReportSeries:
    """Every report row of one series in arrival order (a later row for the same period is a revision)."""

    reports: tuple[Report, ...]
    _cache: dict[date, tuple[Report, ...]] = field(default_factory=dict, compare=False, repr=False)

    def known_at(self, as_of: date) -> tuple[Report, ...]:
        """The latest revision of every period that ended and was reported on or before ``as_of``, by period.

        >>> from decimal import Decimal as D
        >>> a = Report("p", "i", "KZ", date(2020, 1, 31), D(1))
        >>> b = Report("p", "i", "KZ", date(2020, 1, 31), D(2), reported_at=date(2020, 3, 1))
        >>> [r.actual for r in ReportSeries((a, b)).known_at(date(2020, 2, 1))]
        [Decimal('1')]
        >>> [r.actual for r in ReportSeries((a, b)).known_at(date(2020, 3, 1))]
        [Decimal('2')]
        """
        cached = self._cache.get(as_of)
        if cached is not None:
            return cached
        latest: dict[date, Report] = {}
        for r in sorted(self.reports, key=lambda r: r.known_from):  # stable: file order among equal dates
            if r.period_end <= as_of and r.known_from <= as_of:
                latest[r.period_end] = r
        out = tuple(latest[d] for d in sorted(latest))
        self._cache[as_of] = out
        return out

    def revisions(self, period_end: date) -> tuple[Report, ...]:
        """Every row received for one period, in arrival order: what was reported when."""
        return tuple(sorted((r for r in self.reports if r.period_end == period_end), key=lambda r: r.known_from))


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).

    >>> add_months(date(2021, 1, 31), 1), add_months(date(2021, 3, 31), -1)
    (datetime.date(2021, 2, 28), datetime.date(2021, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(day.day, last))
