"""Budget execution from a Fiscal Data Package merged into the execution reports (issue 12, item 2).

The package gives amounts by programme, region (and optionally indicator), date and budget phase. Amounts are
flows of their period: ``approved`` and ``adjusted`` are allocations made for the period, ``executed`` payments
made in it. They are accumulated from the programme's start in date order into the reports' cumulative columns:
approved → ``allocated_kzt``, adjusted → ``adjusted_kzt`` (the approved amount where no adjusted one is given for
that date), executed → ``paid_kzt``. A row without an indicator applies to every indicator of its programme in
its region. A report's own money columns win; the package fills only the empty ones, with the cumulative values
at the report's ``period_end``.

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from tandau.core.control.programmes.model import Report
>>> rows = [BudgetRow("p", None, "KZ", date(2021, 1, 31), "approved", D(100)),
...         BudgetRow("p", None, "KZ", date(2021, 1, 31), "executed", D(10)),
...         BudgetRow("p", None, "KZ", date(2021, 2, 28), "executed", D(15))]
>>> r = Report("p", "i", "KZ", date(2021, 2, 28), D(3))
>>> merged = merge_budget({r.key: ReportSeries((r,))}, rows)[r.key].reports[0]
>>> merged.allocated_kzt, merged.adjusted_kzt, merged.paid_kzt
(Decimal('100'), Decimal('100'), Decimal('25'))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from tandau.core.control.programmes.model import ReportSeries, SeriesKey

Phase = Literal["approved", "adjusted", "executed"]
PHASES: tuple[Phase, ...] = ("approved", "adjusted", "executed")


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One amount of the package, in KZT (the package's factor applied)."""

    programme: str
    indicator: str | None
    region: str
    day: date
    phase: Phase
    amount: Decimal


def _cumulative(rows: Iterable[BudgetRow]) -> dict[str, tuple[list[date], list[Decimal]]]:
    """Per phase: dates and the cumulative amounts at them; ``adjusted`` falls back on ``approved`` per date."""
    per_day: dict[str, dict[date, Decimal]] = {p: {} for p in PHASES}
    for row in rows:
        per_day[row.phase][row.day] = per_day[row.phase].get(row.day, Decimal(0)) + row.amount
    per_day["adjusted"] = {**per_day["approved"], **per_day["adjusted"]}
    out = {}
    for phase, amounts in per_day.items():
        days = sorted(amounts)
        running, values = Decimal(0), []
        for day in days:
            running += amounts[day]
            values.append(running)
        out[phase] = (days, values)
    return out


def _at(series: tuple[list[date], list[Decimal]], day: date) -> Decimal | None:
    days, values = series
    i = bisect_right(days, day)
    return values[i - 1] if i else (Decimal(0) if days else None)


def merge_budget(reports: Mapping[SeriesKey, ReportSeries], rows: Iterable[BudgetRow]) -> dict[SeriesKey,
                                                                                               ReportSeries]:
    """The reports with their empty money columns filled from the package (see the module's docstring)."""
    by_key: dict[tuple[str, str | None, str], list[BudgetRow]] = {}
    for row in rows:
        by_key.setdefault((row.programme, row.indicator, row.region), []).append(row)
    out = dict(reports)
    for key, series in reports.items():
        programme, indicator, region = key
        found = by_key.get((programme, indicator, region), []) + by_key.get((programme, None, region), [])
        if not found:
            continue
        cumulative = _cumulative(found)
        merged = []
        for r in series.reports:
            allocated = r.allocated_kzt if r.allocated_kzt is not None else _at(cumulative["approved"], r.period_end)
            adjusted = r.adjusted_kzt if r.adjusted_kzt is not None else _at(cumulative["adjusted"], r.period_end)
            paid = r.paid_kzt if r.paid_kzt is not None else _at(cumulative["executed"], r.period_end)
            merged.append(replace(r, allocated_kzt=allocated, adjusted_kzt=adjusted, paid_kzt=paid))
        out[key] = ReportSeries(tuple(merged))
    return out
