"""Import of the member roll from CSV or XLSX: validated whole first, then applied in one transaction.

Columns: ``id, name, sex, birth_date, territory, contact``. ``territory`` is a 9-digit KATO code or the id of
a council (its territory is taken). Every problem is reported, each naming file, row and column; if there is
any, nothing is written (:class:`ImportRejectedError`). Existing members (same id) are updated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Table, date_of, read_table, text_of
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.errors import ImportRejectedError
from tandau.store.models import Council, Member

COLUMNS = ("id", "name", "sex", "birth_date", "territory", "contact")
SEXES = ("F", "M")
MAX_ID = 64


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
    """What an import did."""

    file: str
    added: int
    updated: int
    sha256: str


def _councils(session: Session) -> dict[str, str | None]:
    return {row.id: row.kato for row in session.execute(select(Council.id, Council.kato))}


def validate_roll(session: Session, actor: Actor, table: Table, *, today: date | None = None) -> list[RollRow]:
    """Check every row; return them all or raise one :class:`ImportRejectedError` listing every problem."""
    today = today or date.today()
    councils = _councils(session)
    errors: list[InputError] = []
    seen: dict[str, int] = {}
    out: list[RollRow] = []

    for number, cells in table.rows:

        def bad(column: str, problem: str, number: int = number) -> None:
            errors.append(InputError(problem, file=table.file, row=number, column=column))

        before = len(errors)
        mid = text_of(cells.get("id"))
        if not mid:
            bad("id", "member id is empty")
        elif len(mid) > MAX_ID:
            bad("id", f"member id longer than {MAX_ID} characters")
        elif mid in seen:
            bad("id", f"member id {mid!r} already appears in row {seen[mid]}")
        else:
            seen[mid] = number
        name = text_of(cells.get("name"))
        if not name:
            bad("name", "name is empty")
        sex = text_of(cells.get("sex")).upper()
        if sex not in SEXES:
            bad("sex", f"sex must be F or M, got {text_of(cells.get('sex'))!r}")
        birth: date | None = None
        try:
            birth = date_of(cells.get("birth_date"))
            if birth > today:
                bad("birth_date", f"birth date {birth.isoformat()} is in the future")
        except ValueError:
            bad("birth_date", f"birth date must be YYYY-MM-DD, got {text_of(cells.get('birth_date'))!r}")
        territory = text_of(cells.get("territory"))
        kato: str | None = None
        if len(territory) == 9 and territory.isdigit():
            kato = territory
        elif territory in councils and councils[territory] is not None:
            kato = councils[territory]
        else:
            bad("territory", f"territory must be a 9-digit KATO code or a known council id, got {territory!r}")
        if kato is not None and not is_allowed(actor, Action.ROLL_IMPORT, kato):
            bad("territory", f"territory {kato} is outside the territory you may import for")
        contact = text_of(cells.get("contact")) or None
        if len(errors) == before and birth is not None and kato is not None:
            out.append(RollRow(number, mid, name, sex, birth, kato, contact))
    if not table.rows:
        errors.append(InputError("no member rows after the header", file=table.file, row=2))
    if errors:
        raise ImportRejectedError(errors)
    return out


def import_roll(session: Session, actor: Actor, path: Path, *, today: date | None = None) -> RollImport:
    """Validate ``path`` whole, then add or update every member in one transaction (all or nothing)."""
    table = read_table(path, COLUMNS)
    rows = validate_roll(session, actor, table, today=today)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_([r.id for r in rows])))}
    added = updated = 0
    try:
        for r in rows:
            member = existing.get(r.id)
            if member is None:
                session.add(
                    Member(
                        id=r.id,
                        name=r.name,
                        sex=r.sex,
                        birth_date=r.birth_date,
                        kato=r.kato,
                        contact=r.contact,
                        status="active",
                    )
                )
                added += 1
            else:
                member.name, member.sex, member.birth_date = r.name, r.sex, r.birth_date
                member.kato, member.contact = r.kato, r.contact
                updated += 1
        audit.append(
            session,
            actor=actor.subject_id,
            action="roll.import",
            target=table.file,
            details={"sha256": digest, "added": added, "updated": updated},
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return RollImport(table.file, added, updated, digest)
