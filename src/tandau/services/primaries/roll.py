"""Import of the member roll from CSV or XLSX: validated whole first, then applied in one transaction.

Columns: ``id, name, sex, birth_date, territory, contact``. ``territory`` is a 9-digit KATO code or the id of
a council (its territory is taken). Every problem is reported, each naming file, row and column; if there is
any, nothing is written (:class:`ImportRejectedError`). Existing members (same id) are updated.

A secretary imports only members who live in their territory (or under it), and updates only members who
already live there: a row that would move a member in from elsewhere, or touch one registered elsewhere, is
refused with the rest. ``apply=False`` checks the whole file and counts without writing (a dry run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Row, insert, select, text, update
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Table, date_of, read_table, text_of
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.errors import ImportRejectedError
from tandau.services.primaries.problems import Param, located, problem
from tandau.store.models import Council, Member

COLUMNS = ("id", "name", "sex", "birth_date", "territory", "contact")
SEXES = ("F", "M")
MAX_ID = 64
MAX_TEXT = 200  # name and contact columns of the members table
_CHUNK = 500  # ids per IN (...) query: far below the bind-parameter limits of SQLite and PostgreSQL
_WRITE_CHUNK = 2000  # rows per bulk INSERT / UPDATE statement
_ANALYZE_AFTER = 10_000  # rows written: refresh PostgreSQL's statistics of the members table
_FIELDS = ("name", "sex", "birth_date", "kato", "contact")


@dataclass(frozen=True, slots=True)
class RollRow:
    row: int
    id: str
    name: str
    sex: str
    birth_date: date
    kato: str
    contact: str | None


@dataclass(frozen=True, slots=True)
class RollImport:
    """What an import did (``applied``) or, for a dry run, would do."""

    file: str
    added: int
    updated: int
    sha256: str
    applied: bool = True


def _councils(session: Session) -> dict[str, str | None]:
    return {row.id: row.kato for row in session.execute(select(Council.id, Council.kato))}


def _existing(session: Session, ids: Iterable[str]) -> dict[str, Row[Any]]:
    """The stored fields of the members among ``ids``, queried in chunks (a roll can hold hundreds of
    thousands of rows; one ``IN`` list of them all would pass PostgreSQL's 65,535 bind parameters)."""
    wanted = list(dict.fromkeys(ids))
    columns = [Member.id, *(getattr(Member, f) for f in _FIELDS)]
    found: dict[str, Row[Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update((row.id, row) for row in session.execute(select(*columns).where(Member.id.in_(chunk))))
    return found


def _values(r: RollRow) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "sex": r.sex, "birth_date": r.birth_date, "kato": r.kato, "contact": r.contact}


def _differs(stored: Row[Any], r: RollRow) -> bool:
    return any(getattr(stored, f) != getattr(r, f) for f in _FIELDS)


def validate_roll(session: Session, actor: Actor, table: Table, *, today: date | None = None) -> list[RollRow]:
    """Check every row; return them all or raise one :class:`ImportRejectedError` listing every problem."""
    return _validate(session, actor, table, today or date.today())[0]


def _validate(session: Session, actor: Actor, table: Table, today: date) -> tuple[list[RollRow], dict[str, Row[Any]]]:
    councils = _councils(session)
    existing = _existing(session, (text_of(cells.get("id")) for _, cells in table.rows))
    errors: list[InputError] = []
    seen: dict[str, int] = {}
    out: list[RollRow] = []

    for number, cells in table.rows:

        def bad(column: str, code: str, text: str, number: int = number, **params: Param) -> None:
            errors.append(located(problem(code, text, **params), file=table.file, row=number, column=column))

        before = len(errors)
        mid = text_of(cells.get("id"))
        if not mid:
            bad("id", "id_empty", "member id is empty")
        elif len(mid) > MAX_ID:
            bad("id", "id_too_long", f"member id longer than {MAX_ID} characters", limit=MAX_ID)
        elif mid in seen:
            bad("id", "id_repeated", f"member id {mid!r} already appears in row {seen[mid]}", id=mid, row=seen[mid])
        else:
            seen[mid] = number
            current = existing.get(mid)
            if current is not None and not is_allowed(actor, Action.ROLL_IMPORT, current.kato):
                bad(
                    "id",
                    "member_outside",
                    f"member {mid!r} is registered in territory {current.kato}, outside the territory "
                    "you may import for",
                    id=mid,
                    territory=current.kato,
                )
        name = text_of(cells.get("name"))
        if not name:
            bad("name", "name_empty", "name is empty")
        elif len(name) > MAX_TEXT:
            bad("name", "name_too_long", f"name longer than {MAX_TEXT} characters", limit=MAX_TEXT)
        sex = text_of(cells.get("sex")).upper()
        if sex not in SEXES:
            given = text_of(cells.get("sex"))
            bad("sex", "sex_invalid", f"sex must be F or M, got {given!r}", value=given)
        birth: date | None = None
        try:
            birth = date_of(cells.get("birth_date"))
            if birth > today:
                shown = birth.isoformat()
                bad("birth_date", "birth_date_future", f"birth date {shown} is in the future", date=shown)
        except ValueError:
            given = text_of(cells.get("birth_date"))
            bad("birth_date", "birth_date_invalid", f"birth date must be YYYY-MM-DD, got {given!r}", value=given)
        territory = text_of(cells.get("territory"))
        kato: str | None = None
        if len(territory) == 9 and territory.isdigit():
            kato = territory
        elif territory in councils and councils[territory] is not None:
            kato = councils[territory]
        else:
            bad(
                "territory",
                "territory_invalid",
                f"territory must be a 9-digit KATO code or a known council id, got {territory!r}",
                value=territory,
            )
        if kato is not None and not is_allowed(actor, Action.ROLL_IMPORT, kato):
            text = f"territory {kato} is outside the territory you may import for"
            bad("territory", "territory_outside", text, territory=kato)
        contact = text_of(cells.get("contact")) or None
        if contact is not None and len(contact) > MAX_TEXT:
            bad("contact", "contact_too_long", f"contact longer than {MAX_TEXT} characters", limit=MAX_TEXT)
        if len(errors) == before and birth is not None and kato is not None:
            out.append(RollRow(number, mid, name, sex, birth, kato, contact))
    if not table.rows:
        errors.append(located(problem("no_member_rows", "no member rows after the header"), file=table.file, row=2))
    if errors:
        raise ImportRejectedError(errors)
    return out, existing


def import_roll(session: Session, actor: Actor, path: Path, *, today: date | None = None) -> RollImport:
    """Validate ``path`` whole, then add or update every member in one transaction (all or nothing)."""
    return import_roll_table(session, actor, read_table(path, COLUMNS), today=today)


def import_roll_table(
    session: Session, actor: Actor, table: Table, *, apply: bool = True, today: date | None = None
) -> RollImport:
    """Validate ``table`` whole; with ``apply``, add or update every member in one transaction and audit it
    (file name, SHA-256, counts), else only count what would change."""
    try:
        rows, existing = _validate(session, actor, table, today or date.today())
    finally:
        if not apply:
            session.rollback()  # end the read transaction of a dry run
    if not apply:
        updated = sum(1 for r in rows if r.id in existing)
        return RollImport(table.file, len(rows) - updated, updated, table.sha256, applied=False)
    fresh = [r for r in rows if r.id not in existing]
    changed = [r for r in rows if r.id in existing and _differs(existing[r.id], r)]
    added, updated = len(fresh), len(rows) - len(fresh)
    try:  # bulk statements in chunks: a roll may hold hundreds of thousands of members
        for start in range(0, len(fresh), _WRITE_CHUNK):
            batch = fresh[start : start + _WRITE_CHUNK]
            session.execute(insert(Member), [{**_values(r), "status": "active"} for r in batch])
        for start in range(0, len(changed), _WRITE_CHUNK):
            session.execute(update(Member), [_values(r) for r in changed[start : start + _WRITE_CHUNK]])
        audit.append(
            session,
            actor=actor.subject_id,
            action="roll.import",
            target=table.file,
            details={"sha256": table.sha256, "added": added, "updated": updated},
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    if len(fresh) + len(changed) >= _ANALYZE_AFTER:
        _refresh_statistics(session)
    return RollImport(table.file, added, updated, table.sha256)


def _refresh_statistics(session: Session) -> None:
    """PostgreSQL: ANALYZE the members table after a large import. Until autovacuum gets to it, the planner
    takes the table for as small as before; a plan cached on a pooled connection for the id look-ups above
    (psycopg prepares a statement after 5 uses) then scans the whole table per chunk, and re-checking a
    100,000-row roll took minutes instead of seconds. ANALYZE also invalidates such cached plans. Without
    ownership of the table PostgreSQL skips it with a warning; nothing fails."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("ANALYZE members"))
    session.commit()
