"""Control data in the database: importing targets, reports, budget packages and OCDS releases, and reading them
back for the control board (issue 12, items 1, 2 and 5).

An import is all or nothing and append-only, so history is never overwritten:

- a target version (a TARGETS row) already stored is skipped; a new ``revised_at`` of a series is a new version;
  a row with the ``revised_at`` of a stored version but other figures is refused (a revision needs a later
  ``revised_at``), as are a changed unit, kind, direction or frequency;
- every REPORTS row is stored, unless the very same row (the same figures and ``reported_at``) is: a later row
  for the same period is a revision, and the import's date is what the history shows as "received";
- a Fiscal Data Package (``--budget``) fills the empty money columns of the reports imported with it;
- an OCDS compiled release replaces the stored release of its ``ocid`` (a compiled release is the latest state
  of its process); a line that is not JSON or whose ``ocid`` is not a string is skipped with a warning;
- link rules (RULES.csv) become the rules in force; a LINKS.csv adds its ``manual`` rows as corrections; after
  releases, rules or corrections the links of processes to programme items are computed again
  (:mod:`tandau.services.control.links`).

Each import is a row of ``control_imports`` (file name, SHA-256, rows read, rows added) and an entry of the
hash-chained audit log (``control.import``). Only the central office imports (:data:`Action.CONTROL_IMPORT`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from tandau.core.control.procurement.links import Link
from tandau.core.control.programmes import merge_budget
from tandau.core.control.programmes.model import (
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
from tandau.io.control_csv import REPORT_COLUMNS, TARGET_COLUMNS, parse_reports, parse_targets, region_codes
from tandau.io.control_links import read_links, read_rules
from tandau.io.fiscal_package import read_fiscal_package
from tandau.io.ocds import iter_release_lines, parse_release, read_release_bytes
from tandau.services.control.links import relink, store_rules
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Table, read_table
from tandau.services.primaries.access import Action, Actor, require
from tandau.store.control_models import ControlImport, ControlRelease, ControlReportRow, ControlTargetRow

_CHANGELESS = ("unit", "kind", "direction", "frequency")


@dataclass(frozen=True, slots=True)
class Imported:
    """One file imported: its kind, name, rows read and rows added (the rest were already stored)."""

    kind: str
    file: str
    rows: int
    added: int


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did, and the lines of an OCDS file that were skipped (with their reasons)."""

    imported: tuple[Imported, ...]
    warnings: tuple[str, ...] = field(default=())
    links: Mapping[str, int] = field(default_factory=dict)  # links per status, when they were computed again


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _target_of(row: ControlTargetRow) -> Target:
    return Target(row.programme, row.indicator, row.region, row.unit, cast(Kind, row.kind),
                  cast(Direction, row.direction), Decimal(row.baseline), row.baseline_date, Decimal(row.target),
                  row.deadline, _number(row.budget_kzt), row.source, _number(row.weight),
                  cast(Frequency, row.frequency), row.revised_at)


def _history(versions: Iterable[Target]) -> TargetSeries:
    ordered = sorted(enumerate(versions), key=lambda it: (it[1].revised_at is not None,
                                                           it[1].revised_at or date.min, it[0]))
    return TargetSeries(tuple(t for _, t in ordered))


def load_targets(session: Session) -> dict[SeriesKey, TargetSeries]:
    """Every stored series with its history (the original first, then by ``revised_at``)."""
    versions: dict[SeriesKey, list[Target]] = {}
    for row in session.scalars(select(ControlTargetRow).order_by(ControlTargetRow.id)):
        t = _target_of(row)
        versions.setdefault(t.key, []).append(t)
    return {key: _history(vs) for key, vs in versions.items()}


def load_reports(session: Session) -> dict[SeriesKey, ReportSeries]:
    """Every stored report row by series, in arrival order (revisions after what they revise)."""
    c = ControlReportRow
    rows: dict[SeriesKey, list[Report]] = {}
    query = select(c.programme, c.indicator, c.region, c.period_end, c.actual, c.allocated_kzt, c.adjusted_kzt,
                   c.contracted_kzt, c.paid_kzt, c.reported_at).order_by(c.id)
    for p, i, r, end, actual, allocated, adjusted, contracted, paid, reported_at in session.execute(query):
        rows.setdefault((p, i, r), []).append(Report(p, i, r, end, Decimal(actual), _number(allocated),
                                                     _number(adjusted), _number(contracted), _number(paid),
                                                     reported_at))
    return {key: ReportSeries(tuple(rs)) for key, rs in rows.items()}


def db_key(session: Session) -> str:
    """Which database a session reads (its URL without the password): half of a cache key."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=True)


def data_version(session: Session) -> tuple[int, int]:
    """(id of the latest import, number of imports), (0, 0) before any: what a per-process cache of computed
    results is keyed by. Read from the database on every use, so an import through any app process is seen by
    all. The count matters on PostgreSQL: two imports may commit out of id order, and the later-committed lower
    id leaves the maximum unchanged but not the count."""
    latest, count = session.execute(select(func.max(ControlImport.id), func.count(ControlImport.id))).one()
    return int(latest or 0), int(count or 0)


def latest_period(session: Session) -> date | None:
    """The end of the latest reported period (``None`` before any report): the board's default as-of date."""
    return session.scalar(select(func.max(ControlReportRow.period_end)))


def _row_of(table: Table, key: SeriesKey, revised_at: date | None) -> int | None:
    for number, cells in table.rows:
        values = tuple(str(cells.get(c) or "").strip() for c in ("programme", "indicator", "region"))
        revised = str(cells.get("revised_at") or "").strip()[:10]
        if values == key and revised == ("" if revised_at is None else revised_at.isoformat()):
            return number
    return None


def _merge_targets(stored: Mapping[SeriesKey, TargetSeries], new: Mapping[SeriesKey, TargetSeries],
                   table: Table) -> tuple[dict[SeriesKey, TargetSeries], list[Target]]:
    """Stored and new versions together, and the new versions to add; a conflict names the file's row."""
    merged = dict(stored)
    added: list[Target] = []
    for key, series in new.items():
        old = stored.get(key)
        if old is None:
            merged[key] = series
            added.extend(series.versions)
            continue
        versions = list(old.versions)
        for t in series.versions:
            same = next((v for v in versions if v.revised_at == t.revised_at), None)
            if same == t:
                continue
            row = _row_of(table, key, t.revised_at)
            if same is not None:
                when = f"revised_at {t.revised_at}" if t.revised_at else "no revised_at (the original)"
                raise InputError(f"the series {'/'.join(key)} already has a stored version with {when} and other "
                                 f"figures; a revision needs a later revised_at (history is never overwritten)",
                                 file=table.file, row=row, column="revised_at")
            for column in _CHANGELESS:
                if getattr(t, column) != getattr(versions[0], column):
                    raise InputError(f"{column} {getattr(t, column)!r} differs from the stored "
                                     f"{getattr(versions[0], column)!r} of the series {'/'.join(key)}",
                                     file=table.file, row=row, column=column)
            versions.append(t)
            added.append(t)
        merged[key] = _history(versions)
    return merged, added


def _report_key(r: Report) -> tuple[object, ...]:
    return (r.programme, r.indicator, r.region, r.period_end, r.actual, r.allocated_kzt, r.adjusted_kzt,
            r.contracted_kzt, r.paid_kzt, r.reported_at)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _release_region(release: Mapping[str, Any], regions: frozenset[str]) -> tuple[str | None, str | None]:
    """The buyer's id and, when its party's address names a region by its 9-digit KATO code, that region."""
    buyer = release.get("buyer")
    buyer_id = buyer.get("id") if isinstance(buyer, dict) else None
    buyer_id = str(buyer_id) if buyer_id is not None else None
    for party in release.get("parties") or ():
        if not isinstance(party, dict):
            continue
        roles = party.get("roles") or ()
        if (buyer_id is not None and str(party.get("id")) == buyer_id) or (buyer_id is None and "buyer" in roles):
            address = party.get("address")
            region = address.get("region") if isinstance(address, dict) else None
            return buyer_id, (str(region) if str(region) in regions else None)
    return buyer_id, None


def _read_releases(path: Path) -> tuple[dict[str, tuple[str, Mapping[str, Any]]], int, list[str]]:
    data = read_release_bytes(path)
    releases: dict[str, tuple[str, Mapping[str, Any]]] = {}
    warnings: list[str] = []
    lines = 0
    for number, line in iter_release_lines(data):
        lines += 1
        try:
            release = parse_release(line)
        except ValueError as exc:
            warnings.append(f"{path.name}, line {number}: {exc}: invalid JSON, line skipped")
            continue
        if not isinstance(release, dict) or not isinstance(release.get("ocid"), str):
            warnings.append(f"{path.name}, line {number}: not a release with a string ocid, line skipped")
            continue
        releases[release["ocid"]] = (line.decode("utf-8", errors="replace"), release)
    return releases, lines, warnings


class _Recorder:
    def __init__(self, session: Session, actor: Actor, now: datetime) -> None:
        self.session, self.actor, self.now = session, actor, now
        self.done: list[Imported] = []

    def record(self, kind: str, path: Path, rows: int, added: int) -> ControlImport:
        entry = ControlImport(kind=kind, file_name=path.name[:200], sha256=_sha256(path), rows=rows, added=added,
                              imported_at=self.now, imported_by=self.actor.subject_id)
        self.session.add(entry)
        self.session.flush()
        audit.append(self.session, actor=self.actor.subject_id, action="control.import", target=kind, now=self.now,
                     details={"file": entry.file_name, "sha256": entry.sha256, "rows": rows, "added": added,
                              "import": entry.id})
        self.done.append(Imported(kind, path.name, rows, added))
        return entry


def _store_targets(rec: _Recorder, path: Path, stored: Mapping[SeriesKey, TargetSeries]
                   ) -> dict[SeriesKey, TargetSeries]:
    table = read_table(path, TARGET_COLUMNS)
    merged, added = _merge_targets(stored, parse_targets(table), table)
    entry = rec.record("targets", path, len(table.rows), len(added))
    rec.session.add_all(ControlTargetRow(
        import_id=entry.id, programme=t.programme, indicator=t.indicator, region=t.region, unit=t.unit, kind=t.kind,
        direction=t.direction, baseline=str(t.baseline), baseline_date=t.baseline_date, target=str(t.target),
        deadline=t.deadline, budget_kzt=_text(t.budget_kzt), source=t.source, weight=_text(t.weight),
        frequency=t.frequency, revised_at=t.revised_at) for t in added)
    return merged


def _store_reports(rec: _Recorder, path: Path, budget: Path | None, targets: Mapping[SeriesKey, TargetSeries]
                   ) -> None:
    table = read_table(path, REPORT_COLUMNS)
    new = parse_reports(table, targets)
    if budget is not None:
        new = merge_budget(new, read_fiscal_package(budget))
    known = {_report_key(r) for series in load_reports(rec.session).values() for r in series.reports}
    fresh = [r for series in new.values() for r in series.reports if _report_key(r) not in known]
    entry = rec.record("reports", path, len(table.rows), len(fresh))
    if budget is not None:
        rec.record("budget", budget, 0, 0)
    rec.session.add_all(ControlReportRow(
        import_id=entry.id, programme=r.programme, indicator=r.indicator, region=r.region, period_end=r.period_end,
        actual=str(r.actual), allocated_kzt=_text(r.allocated_kzt), adjusted_kzt=_text(r.adjusted_kzt),
        contracted_kzt=_text(r.contracted_kzt), paid_kzt=_text(r.paid_kzt), reported_at=r.reported_at)
        for r in fresh)


def _store_releases(rec: _Recorder, path: Path) -> list[str]:
    releases, lines, warnings = _read_releases(path)
    regions = frozenset(region_codes()[1:])
    entry = rec.record("releases", path, lines, len(releases))
    if releases:
        ocids = list(releases)
        for start in range(0, len(ocids), 500):
            rec.session.execute(delete(ControlRelease).where(ControlRelease.ocid.in_(ocids[start:start + 500])))
    for ocid, (text, release) in releases.items():
        buyer_id, region = _release_region(release, regions)
        rec.session.add(ControlRelease(ocid=ocid, import_id=entry.id, buyer_id=buyer_id and buyer_id[:200],
                                       region=region, content=text))
    return warnings


def import_control(session: Session, actor: Actor, *, targets: Path | None = None, reports: Path | None = None,
                   budget: Path | None = None, releases: Path | None = None, link_rules: Path | None = None,
                   links: Path | None = None, now: datetime | None = None) -> ImportSummary:
    """Import control data in one transaction (see the module's docstring); the first bad row stops everything
    with its file, row and column, and nothing is stored."""
    require(actor, Action.CONTROL_IMPORT, None)
    if budget is not None and reports is None:
        raise InputError("a budget package fills the money columns of the reports imported with it: give "
                         "--reports too", parameter="budget")
    rec = _Recorder(session, actor, (now or datetime.now(UTC)).astimezone(UTC))
    warnings: list[str] = []
    counts: dict[str, int] = {}
    try:
        stored = load_targets(session)
        if targets is not None:
            stored = _store_targets(rec, targets, stored)
        if reports is not None:
            if not stored:
                raise InputError("no targets are stored yet: import TARGETS first (or with --targets)",
                                 file=str(reports))
            _store_reports(rec, reports, budget, stored)
        if releases is not None:
            warnings = _store_releases(rec, releases)
        corrections: tuple[Link, ...] = ()
        if link_rules is not None:
            rules = read_rules(link_rules)
            store_rules(session, rec.record("link_rules", link_rules, len(rules), len(rules)), rules)
        if links is not None:
            corrections = read_links(links)
            manual = sum(1 for c in corrections if c.status == "manual")
            rec.record("links", links, len(corrections), manual)
        if releases is not None or link_rules is not None or links is not None:
            counts = relink(session, corrections)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportSummary(tuple(rec.done), tuple(warnings), counts)


def load_releases(session: Session, ocids: Iterable[str] | None = None) -> list[object]:
    """Stored releases parsed, in ``ocid`` order (all, or those of ``ocids``)."""
    query = select(ControlRelease.content).order_by(ControlRelease.ocid)
    if ocids is not None:
        query = query.where(ControlRelease.ocid.in_(list(ocids)))
    return [parse_release(text.encode("utf-8")) for text in session.scalars(query)]


def release_regions(session: Session) -> dict[str, tuple[str | None, str | None]]:
    """``ocid -> (buyer id, buyer's region)`` of every stored release."""
    rows = session.execute(select(ControlRelease.ocid, ControlRelease.buyer_id, ControlRelease.region))
    return {ocid: (buyer, region) for ocid, buyer, region in rows}
