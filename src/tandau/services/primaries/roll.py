"""Import of the member roll from CSV or XLSX: validated whole first, then applied in one transaction.

Columns: ``id, name, sex, birth_date, territory, contact``. ``territory`` is a 9-digit KATO code or the id of
a council (its territory is taken). Every problem is reported, each naming file, row and column; if there is
any, nothing is written (:class:`ImportRejectedError`). Existing members (same id) are updated.

A secretary imports only members who live in their territory (or under it), and updates only members who
already live there: a row that would move a member in from elsewhere, or touch one registered elsewhere, is
refused with the rest. ``apply=False`` checks the whole file and counts without writing (a dry run).

Frozen rolls (issue 10): from opening until publication (status ``open`` or ``closed``) the roll of a
contest's territory is frozen. A row that adds a member there or changes any field of one (a member living
there before or after the change) is refused for anyone but the central office (``Action.ROLL_CHANGE_FROZEN``),
naming the contest; the central office must give a reason, and each such row is audited on its own
(``roll.change_frozen``: the member, the contests, the reason, every field before and after). Unchanged rows
are no change and pass. New members are dated (``Member.on_roll_since``, server time): a member votes in a
contest only if on the roll when it opens (:func:`eligible_at_opening`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Row, select, text, update
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries._tabular import Table, date_of, read_table, text_of
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.services.primaries.errors import ImportRejectedError
from tandau.services.primaries.kato import covers
from tandau.services.primaries.problems import Param, located, problem
from tandau.store.bulk import add_rows
from tandau.store.models import Contest, Council, Member

COLUMNS = ("id", "name", "sex", "birth_date", "territory", "contact")
SEXES = ("F", "M")
MAX_ID = 64
MAX_TEXT = 200  # name and contact columns of the members table
_CHUNK = 500  # ids per IN (...) query: far below the bind-parameter limits of SQLite and PostgreSQL
_WRITE_CHUNK = 2000  # rows per bulk INSERT / UPDATE statement
_MEMBERS = cast(SATable, Member.__table__)
_WHOLE_READ_CHUNKS = 20  # beyond 20 chunks of ids (10,000 members) the stored roll is read in one pass
_ANALYZE_AFTER = 10_000  # rows written: refresh PostgreSQL's statistics of the members table
_FIELDS = ("name", "sex", "birth_date", "kato", "contact")
FROZEN_STATUSES = ("open", "closed")  # from opening until publication


def utcnow() -> datetime:
    """Server time (UTC): dates new entries of the roll."""
    return datetime.now(UTC)


def eligible_at_opening(member: Member, contest: Contest) -> bool:
    """Whether ``member`` was on the roll when ``contest`` opened (``on_roll_since <= opens_at``): a member
    added later does not vote in it. The ballot paths apply the same condition in SQL
    (``members.on_roll_since <= contests.opens_at``).

    >>> from datetime import UTC, datetime
    >>> c = Contest(opens_at=datetime(2026, 3, 1, tzinfo=UTC))
    >>> eligible_at_opening(Member(on_roll_since=datetime(2026, 2, 1, tzinfo=UTC)), c)
    True
    >>> eligible_at_opening(Member(on_roll_since=datetime(2026, 3, 2, tzinfo=UTC)), c)
    False
    """
    return member.on_roll_since <= contest.opens_at


def frozen_contests(session: Session) -> list[Contest]:
    """The contests whose roll and nominations are frozen now: open or closed, not yet published."""
    return list(session.scalars(select(Contest).where(Contest.status.in_(FROZEN_STATUSES)).order_by(Contest.id)))


def freezing(frozen: Sequence[Contest], *katos: str | None) -> list[Contest]:
    """Those of ``frozen`` whose territory contains any of ``katos`` (a member's territory before and after)."""
    return [c for c in frozen if any(k is not None and covers(c.kato, k) for k in katos)]


def frozen_message(contest: Contest) -> str:
    """Why a change is refused: the contest that freezes it, and who may still change it."""
    return (
        f"contest {contest.id!r} is {contest.status}: its roll and nominations are frozen from opening until "
        "publication; only the central office may change them, with a reason"
    )


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
    """What an import did (``applied``) or, for a dry run, would do; ``frozen`` counts the rows that change
    the frozen roll of ``frozen_contests`` (central office only, with a reason)."""

    file: str
    added: int
    updated: int
    sha256: str
    applied: bool = True
    frozen: int = 0
    frozen_contests: tuple[str, ...] = ()


def _councils(session: Session) -> dict[str, str | None]:
    return {row.id: row.kato for row in session.execute(select(Council.id, Council.kato))}


def _existing(session: Session, ids: Iterable[str]) -> dict[str, Row[Any]]:
    """The stored fields of the members among ``ids``, queried in chunks (a roll can hold hundreds of
    thousands of rows; one ``IN`` list of them all would pass PostgreSQL's 65,535 bind parameters)."""
    wanted = list(dict.fromkeys(ids))
    columns = [Member.id, *(getattr(Member, f) for f in _FIELDS), Member.status]
    found: dict[str, Row[Any]] = {}
    if len(wanted) > _CHUNK * _WHOLE_READ_CHUNKS:  # a whole roll: one pass over the table, not a query per chunk
        every = set(wanted)
        for row in session.execute(select(*columns).execution_options(yield_per=10_000)):
            if row.id in every:
                found[row.id] = row
        return found
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update((row.id, row) for row in session.execute(select(*columns).where(Member.id.in_(chunk))))
    return found


def _values(r: RollRow) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "sex": r.sex, "birth_date": r.birth_date, "kato": r.kato, "contact": r.contact}


def _differs(stored: Row[Any], r: RollRow) -> bool:
    return any(getattr(stored, f) != getattr(r, f) for f in _FIELDS)


def _shown(values: Any, status: str) -> dict[str, Any]:
    """A member's fields as the audit log keeps them (JSON: dates as ISO text)."""
    out = {f: getattr(values, f) for f in _FIELDS}
    out["birth_date"] = out["birth_date"].isoformat()
    return out | {"status": status}


def validate_roll(session: Session, actor: Actor, table: Table, *, today: date | None = None) -> list[RollRow]:
    """Check every row; return them all or raise one :class:`ImportRejectedError` listing every problem."""
    return _validate(session, actor, table, today or date.today())[0]


def _validate(session: Session, actor: Actor, table: Table, today: date) -> tuple[list[RollRow], dict[str, Row[Any]]]:
    councils = _councils(session)
    frozen = frozen_contests(session)
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
            row = RollRow(number, mid, name, sex, birth, kato, contact)
            stored = existing.get(mid)
            if (stored is None or _differs(stored, row)) and not is_allowed(actor, Action.ROLL_CHANGE_FROZEN, kato):
                for contest in freezing(frozen, kato, None if stored is None else stored.kato)[:1]:
                    bad(
                        "id",
                        "roll_frozen",
                        f"member {mid!r}: " + frozen_message(contest),
                        id=mid,
                        contest=contest.id,
                        status=contest.status,
                    )
            if len(errors) == before:
                out.append(row)
    if not table.rows:
        errors.append(located(problem("no_member_rows", "no member rows after the header"), file=table.file, row=2))
    if errors:
        raise ImportRejectedError(errors)
    return out, existing


def import_roll(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    today: date | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> RollImport:
    """Validate ``path`` whole, then add or update every member in one transaction (all or nothing)."""
    return import_roll_table(session, actor, read_table(path, COLUMNS), today=today, reason=reason, now=now)


def _frozen_rows(
    session: Session, rows: Sequence[RollRow], existing: dict[str, Row[Any]]
) -> list[tuple[RollRow, list[Contest]]]:
    """The rows that add or change a member in the territory of a frozen contest, with those contests."""
    frozen = frozen_contests(session)
    if not frozen:
        return []
    out = []
    for r in rows:
        stored = existing.get(r.id)
        if stored is not None and not _differs(stored, r):
            continue
        hit = freezing(frozen, r.kato, None if stored is None else stored.kato)
        if hit:
            out.append((r, hit))
    return out


def import_roll_table(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    apply: bool = True,
    today: date | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> RollImport:
    """Validate ``table`` whole; with ``apply``, add or update every member in one transaction and audit it
    (file name, SHA-256, counts), else only count what would change.

    Rows that change the frozen roll of an open or closed contest are refused for anyone but the central
    office, which must give ``reason`` to apply them (:class:`InputError` on ``reason`` otherwise); each is
    audited with the member's fields before and after. New members are on the roll since ``now`` (server
    time by default)."""
    try:
        rows, existing = _validate(session, actor, table, today or date.today())
        touched = _frozen_rows(session, rows, existing)
    finally:
        if not apply:
            session.rollback()  # end the read transaction of a dry run
    names = tuple(sorted({c.id for _, hit in touched for c in hit}))
    if not apply:
        updated = sum(1 for r in rows if r.id in existing)
        return RollImport(table.file, len(rows) - updated, updated, table.sha256, False, len(touched), names)
    why = (reason or "").strip()
    if touched and not why:
        session.rollback()
        raise InputError(
            f"{len(touched)} row(s) change the frozen roll of contest(s) {', '.join(names)}; give the reason",
            parameter="reason",
        )
    moment = now or utcnow()
    fresh = [r for r in rows if r.id not in existing]
    changed = [r for r in rows if r.id in existing and _differs(existing[r.id], r)]
    added, updated = len(fresh), len(rows) - len(fresh)
    try:  # bulk statements in chunks: a roll may hold hundreds of thousands of members
        add_rows(session, _MEMBERS, ("id", "name", "sex", "birth_date", "kato", "contact", "status", "on_roll_since"),
                 ((r.id, r.name, r.sex, r.birth_date, r.kato, r.contact, "active", moment) for r in fresh))
        for start in range(0, len(changed), _WRITE_CHUNK):
            session.execute(update(Member), [_values(r) for r in changed[start : start + _WRITE_CHUNK]])
        for r, hit in touched:  # one entry per row of a frozen roll: before and after, never only a file hash
            stored = existing.get(r.id)
            after = _shown(r, "active" if stored is None else stored.status)
            audit.append(
                session,
                actor=actor.subject_id,
                action="roll.change_frozen",
                target=r.id,
                details={
                    "reason": why,
                    "contests": [c.id for c in hit],
                    "file": table.file,
                    "row": r.row,
                    "before": None if stored is None else _shown(stored, stored.status),
                    "after": after,
                },
            )
        details: dict[str, Any] = {"sha256": table.sha256, "added": added, "updated": updated}
        if touched:
            details |= {"frozen": len(touched), "contests": list(names), "reason": why}
        audit.append(session, actor=actor.subject_id, action="roll.import", target=table.file, details=details)
        session.commit()
    except Exception:
        session.rollback()
        raise
    if len(fresh) + len(changed) >= _ANALYZE_AFTER:
        _refresh_statistics(session)
    return RollImport(table.file, added, updated, table.sha256, True, len(touched), names)


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
