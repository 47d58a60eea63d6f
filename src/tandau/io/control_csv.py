"""TARGETS.csv and REPORTS.csv (issue 12, items 1-2; docs/control.md), as CSV or XLSX.

TARGETS: ``programme, indicator, region, unit, kind, direction, baseline, baseline_date, target, deadline,
budget_kzt, source``, optional ``weight``, ``frequency`` (monthly | quarterly, default monthly) and
``revised_at``: several rows of one series (programme × indicator × region) are its history, the row without
``revised_at`` (or the earliest) the original. REPORTS: ``programme, indicator, region, period_end, actual,
allocated_kzt, adjusted_kzt, contracted_kzt, paid_kzt`` (money may be empty), optional ``reported_at``: a later
row for the same period is a revision. Region: the 9-digit KATO code of one of the 20 regions and cities of
republican significance of the territory data (``110000000`` for Akmola Region), or ``KZ``; Abai, Jetisu and
Ulytau report from 8 June 2022.

Reading is all or nothing: the first problem raises an :class:`~tandau.errors.InputError` naming the file, the
row (as a spreadsheet numbers it: the header is row 1) and the column. Numbers are exact (``Decimal``). The
table reading (delimiters, BOM, XLSX, blank rows, case-insensitive headers) is the import helper shared with
the roll imports (:mod:`tandau.services.primaries._tabular`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import cast

from tandau.core.control.programmes.model import (
    DIRECTIONS,
    FREQUENCIES,
    KINDS,
    NATIONAL,
    SPLITS_2022,
    Direction,
    Frequency,
    Kind,
    Report,
    ReportSeries,
    SeriesKey,
    Target,
    TargetSeries,
)
from tandau.errors import InputError
from tandau.services.primaries._tabular import Cell, Table, date_of, read_table, text_of

TARGET_COLUMNS = ("programme", "indicator", "region", "unit", "kind", "direction", "baseline", "baseline_date",
                  "target", "deadline", "budget_kzt", "source")
TARGET_OPTIONAL = ("weight", "frequency", "revised_at")
REPORT_COLUMNS = ("programme", "indicator", "region", "period_end", "actual", "allocated_kzt", "adjusted_kzt",
                  "contracted_kzt", "paid_kzt")
REPORT_OPTIONAL = ("reported_at",)
MONEY_COLUMNS = ("allocated_kzt", "adjusted_kzt", "contracted_kzt", "paid_kzt")


@lru_cache(maxsize=1)
def region_codes() -> tuple[str, ...]:
    """``KZ`` and the 9-digit KATO codes of the regions and cities of republican significance (2023 layout)."""
    from tandau.io.territory import load_kz

    units = load_kz("2023").units
    return (NATIONAL, *sorted(f"{u.id}0000000" for u in units if u.kind in ("region", "republican_city")))


class _Row:
    def __init__(self, table: Table, number: int, cells: Mapping[str, Cell]) -> None:
        self.file, self.number, self.cells = table.file, number, cells

    def error(self, column: str, problem: str) -> InputError:
        return InputError(problem, file=self.file, row=self.number, column=column)

    def text(self, column: str, *, required: bool = True) -> str:
        value = text_of(self.cells.get(column))
        if required and not value:
            raise self.error(column, "empty; a value is required")
        return value

    def decimal(self, column: str, *, required: bool = True, minimum: Decimal | None = None) -> Decimal | None:
        raw = self.cells.get(column)
        text = text_of(raw).replace(" ", "").replace("\u00a0", "")
        if not text:
            if required:
                raise self.error(column, "empty; a number is required")
            return None
        try:
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(text)
        except InvalidOperation:
            raise self.error(column, f"expected a number (a dot for decimals, no thousands separator), got "
                                     f"{text!r}") from None
        if not value.is_finite():
            raise self.error(column, f"expected a finite number, got {text!r}")
        if minimum is not None and value < minimum:
            raise self.error(column, f"expected a number ≥ {minimum}, got {text}")
        return value

    def day(self, column: str, *, required: bool = True) -> date | None:
        cell = self.cells.get(column)
        if not required and not text_of(cell):
            return None
        try:
            return date_of(cell)
        except ValueError:
            raise self.error(column, f"expected a date as YYYY-MM-DD, got {text_of(cell)!r}") from None

    def choice(self, column: str, valid: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(column, required=default is None).lower() or (default or "")
        if value not in valid:
            raise self.error(column, f"expected one of {', '.join(valid)}, got {value!r}")
        return value

    def region(self) -> str:
        value = self.text("region")
        if value.upper() == NATIONAL:
            return NATIONAL
        if value not in region_codes():
            raise self.error("region", f"unknown region {value!r}: expected KZ or the 9-digit KATO code of a region "
                                       f"or city of republican significance ({', '.join(region_codes()[1:4])}, ...)")
        return value


def _required(value: Decimal | None) -> Decimal:
    return cast(Decimal, value)  # required=True never gives None


def parse_targets(table: Table) -> dict[SeriesKey, TargetSeries]:
    """Targets by series, each with its history (see the module's docstring)."""
    versions: dict[SeriesKey, list[tuple[int, Target]]] = {}
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        programme, indicator, region = row.text("programme"), row.text("indicator"), row.region()
        kind = cast(Kind, row.choice("kind", KINDS))
        direction = cast(Direction, row.choice("direction", DIRECTIONS))
        if kind == "cumulative" and direction == "decrease":
            raise row.error("direction", "a cumulative indicator only grows: its direction must be increase")
        baseline = _required(row.decimal("baseline"))
        target = _required(row.decimal("target"))
        if (target - baseline) * (1 if direction == "increase" else -1) < 0:
            raise row.error("target", f"target {target} is on the wrong side of the baseline {baseline} for a "
                                      f"target to {direction}")
        baseline_date = cast(date, row.day("baseline_date"))
        deadline = cast(date, row.day("deadline"))
        if deadline <= baseline_date:
            raise row.error("deadline", f"the deadline {deadline} must come after the baseline date {baseline_date}")
        revised_at = row.day("revised_at", required=False)
        t = Target(programme, indicator, region, row.text("unit"), kind, direction, baseline, baseline_date, target,
                   deadline, row.decimal("budget_kzt", required=False, minimum=Decimal(0)),
                   row.text("source", required=False), row.decimal("weight", required=False, minimum=Decimal(0)),
                   cast(Frequency, row.choice("frequency", FREQUENCIES, default="monthly")), revised_at)
        history = versions.setdefault(t.key, [])
        for first_row, other in history:
            if other.revised_at == revised_at:
                what = f"revised_at {revised_at}" if revised_at else "no revised_at"
                raise row.error("revised_at", f"the series {programme}/{indicator}/{region} already has a row with "
                                              f"{what} (row {first_row}); a revision needs a later revised_at")
            for column in ("unit", "kind", "direction", "frequency"):
                if getattr(other, column) != getattr(t, column):
                    raise row.error(column, f"{column} {getattr(t, column)!r} differs from {getattr(other, column)!r}"
                                            f" in row {first_row} of the same series")
        history.append((number, t))
    if not versions:
        raise InputError("no targets in the file", file=table.file)
    out = {}
    for key, rows in versions.items():
        ordered = sorted(rows, key=lambda nt: (nt[1].revised_at is not None, nt[1].revised_at or date.min, nt[0]))
        out[key] = TargetSeries(tuple(t for _, t in ordered))
    return out


def parse_reports(table: Table, targets: Mapping[SeriesKey, TargetSeries]) -> dict[SeriesKey, ReportSeries]:
    """Reports by series, every revision kept in file order; each row must belong to a target series."""
    indicators = {(k[0], k[1]) for k in targets}
    programmes = {k[0] for k in targets}
    rows: dict[SeriesKey, list[Report]] = {}
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        programme, indicator, region = row.text("programme"), row.text("indicator"), row.region()
        if programme not in programmes:
            raise row.error("programme", f"no target for programme {programme!r} in the targets file")
        if (programme, indicator) not in indicators:
            raise row.error("indicator", f"no target for indicator {indicator!r} of programme {programme!r}")
        if (programme, indicator, region) not in targets:
            raise row.error("region", f"no target for region {region} of {programme}/{indicator}")
        period_end = cast(date, row.day("period_end"))
        if region in SPLITS_2022 and period_end < SPLITS_2022[region][1]:
            raise row.error("period_end", f"region {region} was created on {SPLITS_2022[region][1]}; it reports "
                                          f"from then on (its parent {SPLITS_2022[region][0]} before)")
        reported_at = row.day("reported_at", required=False)
        if reported_at is not None and reported_at < period_end:
            raise row.error("reported_at", f"reported on {reported_at}, before the period ended ({period_end})")
        allocated, adjusted, contracted, paid = (row.decimal(c, required=False, minimum=Decimal(0))
                                                 for c in MONEY_COLUMNS)
        rows.setdefault((programme, indicator, region), []).append(
            Report(programme, indicator, region, period_end, _required(row.decimal("actual")), allocated, adjusted,
                   contracted, paid, reported_at))
    return {key: ReportSeries(tuple(reports)) for key, reports in rows.items()}


def read_targets(path: Path) -> dict[SeriesKey, TargetSeries]:
    """Read and validate a TARGETS.csv (or .xlsx) file."""
    return parse_targets(read_table(path, TARGET_COLUMNS))


def read_reports(path: Path, targets: Mapping[SeriesKey, TargetSeries]) -> dict[SeriesKey, ReportSeries]:
    """Read and validate a REPORTS.csv (or .xlsx) file against the targets."""
    return parse_reports(read_table(path, REPORT_COLUMNS), targets)


def write_targets_csv(targets: list[Target]) -> str:
    """Targets as TARGETS.csv text (for the preset)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*TARGET_COLUMNS, *TARGET_OPTIONAL))
    for t in targets:
        writer.writerow((t.programme, t.indicator, t.region, t.unit, t.kind, t.direction, t.baseline,
                         t.baseline_date, t.target, t.deadline, "" if t.budget_kzt is None else t.budget_kzt,
                         t.source, "" if t.weight is None else t.weight, t.frequency,
                         "" if t.revised_at is None else t.revised_at))
    return out.getvalue()


def write_reports_csv(reports: list[Report]) -> str:
    """Reports as REPORTS.csv text (money empty when unknown; ``reported_at`` when given)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*REPORT_COLUMNS, *REPORT_OPTIONAL))
    for r in reports:
        writer.writerow((r.programme, r.indicator, r.region, r.period_end, r.actual,
                         *("" if v is None else v for v in (r.allocated_kzt, r.adjusted_kzt, r.contracted_kzt,
                                                            r.paid_kzt)),
                         "" if r.reported_at is None else r.reported_at))
    return out.getvalue()
