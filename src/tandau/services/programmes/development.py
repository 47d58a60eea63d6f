"""Territorial development programmes in the database (issue 13, item 2; docs/programmes.md): the import of
DEVELOPMENT.csv (or .xlsx), the current values of a territory's indicators with their history, and the set the
drafting help reads.

**Import, all or nothing.** The file's rows are read as :mod:`tandau.io.development_csv` reads them for drafting (a
problem names the file, row and column); then the texts' lengths, and the actor's right to import each territory
(``DEVELOPMENT_IMPORT``: the central office anywhere, a branch's secretary in their territory). The rows are merged
with the territories' stored current values and the whole is checked as a development programme (one baseline per
series, plan years after it, one unit and section per series), so an amendment may bring only the plan values it
changes, and a file whose rows conflict with what is stored is refused with the row that conflicts. Nothing is
written while there is a problem.

**Versions.** A development programme is amended (a maslikhat's decision changes plan values); its writers and the
central office expect the latest figures to be the ones drafted from, and the earlier ones kept. So a row is
compared with the stored current value of its territory × programme × indicator × year × kind:

- none stored: the value is added as version 1;
- the same value (exactly, as a number: ``95.0`` is ``95``), unit and section: unchanged, nothing written (the
  ``source`` text alone does not make a new version);
- a different value (or unit or section): a new version; the one it replaces is kept, marked superseded by this
  import.

An import that adds or changes nothing writes nothing (a file sent twice is skipped). One that does writes a row of
``development_imports`` and one entry ``development.import`` of the hash-chained audit log (the file's name,
SHA-256, counts and territories, never its contents), committed together. Values are never deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandau.core.programmes.development import DevelopmentSet, DevIndicator, DevKind, check_indicators
from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, is_allowed, require
from tandau.services.primaries.errors import PermissionDeniedError, StateError
from tandau.services.primaries.imports import MAX_BYTES, UploadTooLargeError, clean_name
from tandau.store.development_models import DevelopmentImport, DevelopmentValue

#: the longest text each column may hold (the table's column sizes)
LIMITS = {"programme": 100, "indicator": 100, "unit": 40, "source": 200}
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class DevImportOutcome:
    """What an import did: the file, its SHA-256, its rows; how many were added, changed (a new version) and
    unchanged; the territories; the import's id (``None``: nothing written)."""

    file: str
    sha256: str
    rows: int
    added: int
    changed: int
    unchanged: int
    territories: tuple[str, ...]
    import_id: int | None

    @property
    def written(self) -> bool:
        return self.import_id is not None


def require_import(actor: Actor) -> None:
    """Refuse who may import a development programme nowhere (before an upload is read)."""
    if not allowed_somewhere(actor, Action.DEVELOPMENT_IMPORT):
        raise PermissionDeniedError(actor.subject_id, Action.DEVELOPMENT_IMPORT.value, None)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


_COLUMNS = (DevelopmentValue.id, DevelopmentValue.territory, DevelopmentValue.programme, DevelopmentValue.indicator,
            DevelopmentValue.unit, DevelopmentValue.year, DevelopmentValue.kind, DevelopmentValue.value,
            DevelopmentValue.section, DevelopmentValue.source, DevelopmentValue.version, DevelopmentValue.synthetic,
            DevelopmentValue.import_id)


def _current(session: Session, territories: Iterable[str]) -> list[Row[Any]]:
    """The current values of the territories, as plain rows (no ORM objects: the demo reads some 30,000)."""
    codes = sorted(set(territories))
    out: list[Row[Any]] = []
    for start in range(0, len(codes), _CHUNK):
        out.extend(session.execute(select(*_COLUMNS).where(
            DevelopmentValue.territory.in_(codes[start:start + _CHUNK]), DevelopmentValue.superseded_by.is_(None))
            .order_by(DevelopmentValue.id)))
    return out


def _indicator(v: Row[Any]) -> DevIndicator:
    kind: DevKind = "baseline" if v.kind == "baseline" else "plan"
    return DevIndicator(v.territory, v.programme, v.indicator, v.unit, v.year, Decimal(v.value), kind, v.section,
                        v.source)


def _key(territory: str, programme: str, indicator: str, year: int, kind: str) -> tuple[str, str, str, int, str]:
    return (territory, programme, indicator, year, kind)


def store(session: Session, actor: Actor, data: DevelopmentSet, *, file: str, sha256: str,
          rows: Sequence[int] | None = None, synthetic: bool = False, now: datetime | None = None
          ) -> DevImportOutcome:
    """Store checked development indicators (see the module's docstring); ``rows``: each indicator's row number in
    ``file`` (for the problems' messages; by default its position + 1)."""
    numbers = tuple(rows) if rows is not None else tuple(range(2, len(data.indicators) + 2))
    for territory in data.territories:
        require(actor, Action.DEVELOPMENT_IMPORT, territory)
    for number, r in zip(numbers, data.indicators, strict=True):
        for column, limit in LIMITS.items():
            if len(getattr(r, column)) > limit:
                raise InputError(f"longer than {limit} characters", file=file, row=number, column=column)
    stored = _current(session, data.territories)
    by_key = {_key(v.territory, v.programme, v.indicator, v.year, v.kind): v for v in stored}
    incoming = {_key(r.territory, r.programme, r.indicator, r.year, r.kind) for r in data.indicators}
    kept = [_indicator(v) for v in stored if _key(v.territory, v.programme, v.indicator, v.year, v.kind)
            not in incoming]
    merged = (*data.indicators, *kept)
    problems = check_indicators(merged)
    if problems:  # the file's rows come first: a problem among them is theirs, else one a stored value makes
        p, n = problems[0], len(data.indicators)
        if p.index < n:
            other = "" if p.other is None else (f" (row {numbers[p.other]})" if p.other < n
                                                else " (a value stored before)")
            raise InputError(p.problem + other, file=file, row=numbers[p.index], column=p.column)
        row = numbers[p.other] if p.other is not None and p.other < n else numbers[0]
        raise InputError(f"{p.problem}, with a value stored before for {merged[p.index].territory}, "
                         f"{merged[p.index].programme}, {merged[p.index].indicator}, {merged[p.index].year}",
                         file=file, row=row, column=p.column)
    added: list[DevIndicator] = []
    changed: list[tuple[DevIndicator, Row[Any]]] = []
    for r in data.indicators:
        old = by_key.get(_key(r.territory, r.programme, r.indicator, r.year, r.kind))
        if old is None:
            added.append(r)
        elif Decimal(old.value) != r.value or old.unit != r.unit or old.section != r.section:
            changed.append((r, old))
    unchanged = len(data.indicators) - len(added) - len(changed)
    territories = data.territories
    if not added and not changed:
        return DevImportOutcome(file, sha256, len(data.indicators), 0, 0, unchanged, territories, None)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    record = DevelopmentImport(file=file[:200], sha256=sha256, rows=len(data.indicators), added=len(added),
                               changed=len(changed), unchanged=unchanged, synthetic=synthetic,
                               actor=actor.subject_id, at=moment)
    try:
        session.add(record)
        session.flush()
        values = [(r, 1) for r in added] + [(r, old.version + 1) for r, old in changed]
        replaced = [old.id for _, old in changed]
        for start in range(0, len(replaced), _CHUNK):
            session.execute(update(DevelopmentValue).where(DevelopmentValue.id.in_(replaced[start:start + _CHUNK]))
                            .values(superseded_by=record.id))
        session.flush()
        table = cast(Table, DevelopmentValue.__table__)
        session.connection().execute(insert(table), [  # one Core executemany: the demo stores some 30,000 values
            {"import_id": record.id, "territory": r.territory, "programme": r.programme, "indicator": r.indicator,
             "unit": r.unit, "year": r.year, "kind": r.kind, "value": _plain(r.value), "section": r.section,
             "source": r.source, "version": version, "superseded_by": None, "synthetic": synthetic}
            for r, version in values])
        audit.append(session, actor=actor.subject_id, action="development.import", target=file[:200], now=moment,
                     details={"import": record.id, "file": file[:200], "sha256": sha256,
                              "rows": len(data.indicators), "added": len(added), "changed": len(changed),
                              "unchanged": unchanged, "territories": list(territories), "synthetic": synthetic})
        session.commit()
    except IntegrityError:  # the same values written at the same moment by another import
        session.rollback()
        raise StateError("another import changed these territories' development programmes at the same time; "
                         "import the file again") from None
    except BaseException:
        session.rollback()
        raise
    return DevImportOutcome(file, sha256, len(data.indicators), len(added), len(changed), unchanged, territories,
                            record.id)


def import_upload(session: Session, actor: Actor, name: str | None, data: bytes, *, synthetic: bool = False,
                  limit: int = MAX_BYTES, now: datetime | None = None) -> DevImportOutcome:
    """Import an uploaded DEVELOPMENT.csv or .xlsx (see the module's docstring)."""
    from tandau.io.development_csv import COLUMNS, parse_development_rows
    from tandau.services.primaries._tabular import parse_table

    require_import(actor)
    file = clean_name(name)
    if len(data) > limit:
        raise UploadTooLargeError(file, limit)
    table = parse_table(data, file, COLUMNS)
    parsed, numbers = parse_development_rows(table, complete=False)
    return store(session, actor, parsed, file=file, sha256=table.sha256, rows=numbers, synthetic=synthetic,
                 now=now)


def import_file(session: Session, actor: Actor, path: Path, *, synthetic: bool = False,
                now: datetime | None = None) -> DevImportOutcome:
    """Import a DEVELOPMENT.csv or .xlsx file (problems name ``path``)."""
    from tandau.io.development_csv import read_development_rows

    require_import(actor)
    parsed, numbers = read_development_rows(path, complete=False)
    return store(session, actor, parsed, file=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                 rows=numbers, synthetic=synthetic, now=now)


def current_set(session: Session, territories: Iterable[str] | None = None) -> DevelopmentSet:
    """The current values (of ``territories``, or all) as a development programme, for the drafting help."""
    found: list[Row[Any]]
    if territories is None:
        found = list(session.execute(select(*_COLUMNS).where(DevelopmentValue.superseded_by.is_(None))
                                     .order_by(DevelopmentValue.id)))
    else:
        found = _current(session, territories)
    return DevelopmentSet(tuple(_indicator(v) for v in found))


@dataclass(frozen=True, slots=True)
class StoredValue:
    """A current value as the territory's page shows it: the value, its version, when and by whom it was
    imported, and whether it is synthetic."""

    value: Decimal
    version: int
    imported_at: datetime
    imported_by: str
    synthetic: bool
    source: str


def territory_values(session: Session, actor: Actor | None, territory: str
                     ) -> tuple[DevelopmentSet, dict[tuple[str, str, str, int, str], StoredValue]]:
    """The current indicators of one territory (read as draft programmes are: ``PROGRAMME_VIEW``) and, by
    (territory, programme, indicator, year, kind), their version and import."""
    if not (len(territory) == 9 and territory.isdigit()):
        raise InputError(f"a territory is a 9-digit KATO code, got {territory!r}", parameter="territory")
    if actor is None:
        raise PermissionDeniedError("anonymous", Action.PROGRAMME_VIEW.value, territory)
    require(actor, Action.PROGRAMME_VIEW, territory)
    rows = _current(session, [territory])
    imports = {i.id: i for i in session.scalars(select(DevelopmentImport).where(
        DevelopmentImport.id.in_({v.import_id for v in rows})))}
    meta = {_key(v.territory, v.programme, v.indicator, v.year, v.kind):
            StoredValue(Decimal(v.value), v.version, imports[v.import_id].at, imports[v.import_id].actor, v.synthetic,
                        v.source) for v in rows}
    return DevelopmentSet(tuple(_indicator(v) for v in rows)), meta


def may_import(actor: Actor | None, territory: str) -> bool:
    """Whether ``actor`` may import the development programme of ``territory``."""
    return actor is not None and is_allowed(actor, Action.DEVELOPMENT_IMPORT, territory)


@dataclass(frozen=True, slots=True)
class SeriesView:
    """One indicator of a territory's development programme as its page and the API show it: the section, the
    indicator's names (kk/ru/en; its id when unknown), unit, direction, the baseline and the plan values with their
    versions (a version above 1: the value was changed by a later import)."""

    programme: str
    indicator: str
    names: dict[str, str]
    unit: str
    section: str
    direction: str
    baseline: tuple[int, Decimal, int]
    plan: tuple[tuple[int, Decimal, int], ...]
    synthetic: bool
    source: str

    def plan_value(self, year: int) -> tuple[Decimal, int] | None:
        return next(((v, n) for y, v, n in self.plan if y == year), None)


@dataclass(frozen=True, slots=True)
class TerritoryProgramme:
    """A territory's development programme: its series (in section order), the plan years, the imports' dates."""

    territory: str
    series: tuple[SeriesView, ...]
    years: tuple[int, ...]
    last_import: datetime | None
    may_import: bool


def territory_programme(session: Session, actor: Actor | None, territory: str) -> TerritoryProgramme:
    """The current development programme of ``territory`` for its page and the API (read as draft programmes:
    the central office and observers everywhere, a branch's secretary in their territory)."""
    from tandau.core.programmes.model import SECTIONS

    data, meta = territory_values(session, actor, territory)
    rank = {s: i for i, s in enumerate(SECTIONS)}
    out = []
    for s in data.series(territory):
        def version(r: DevIndicator) -> int:
            return meta[_key(r.territory, r.programme, r.indicator, r.year, r.kind)].version

        info = s.info
        names = dict(info.names) if info is not None else {"en": s.indicator, "ru": s.indicator, "kk": s.indicator}
        first = meta[_key(s.territory, s.programme, s.indicator, s.baseline.year, "baseline")]
        out.append(SeriesView(s.programme, s.indicator, names, s.unit, s.section, s.direction,
                              (s.baseline.year, s.baseline.value, version(s.baseline)),
                              tuple((p.year, p.value, version(p)) for p in s.plan), first.synthetic, first.source))
    out.sort(key=lambda v: rank.get(v.section, len(rank)))
    years = tuple(sorted({y for v in out for y, _, _ in v.plan}))
    last = max((m.imported_at for m in meta.values()), default=None)
    return TerritoryProgramme(territory, tuple(out), years, last, may_import(actor, territory))
