"""Persistence of the staff workspace: one formed list per contest, with its pins, exclusions and votes.

Kept in its own SQLAlchemy ``MetaData`` (table ``workspace_lists``) so the primaries schema is untouched;
:func:`ensure_tables` creates it on first use (SQLite and PostgreSQL). A formed list is stored as the JSON
of :func:`tandau.services.workspace_lists.result_data`, so the national overview reads every council's
compliance without re-forming 224 lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

metadata = MetaData()

workspace_lists = Table(
    "workspace_lists",
    metadata,
    Column("contest_id", String(64), primary_key=True),
    Column("rules", String(200), nullable=False),
    Column("length", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("pins", Text, nullable=False, default="[]"),
    Column("exclude", Text, nullable=False, default="[]"),
    Column("votes", Text, nullable=False, default="{}"),
    Column("result", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)


def ensure_tables(engine: Engine) -> None:
    """Create the workspace table when it is missing."""
    metadata.create_all(engine, checkfirst=True)


@dataclass(frozen=True, slots=True)
class StoredList:
    """A stored list: the request it was formed from and its result data."""

    contest_id: str
    rules: str
    length: int
    seats: int
    pins: tuple[tuple[str, int], ...]
    exclude: tuple[str, ...]
    votes: dict[str, int]
    result: dict[str, Any]
    updated_at: datetime
    updated_by: str


def _row(row: Any) -> StoredList:
    return StoredList(
        row.contest_id, row.rules, row.length, row.seats,
        tuple((str(c), int(p)) for c, p in json.loads(row.pins)),
        tuple(json.loads(row.exclude)), {str(k): int(v) for k, v in json.loads(row.votes).items()},
        json.loads(row.result), row.updated_at, row.updated_by,
    )


def load(session: Session, contest_id: str) -> StoredList | None:
    row = session.execute(select(workspace_lists).where(workspace_lists.c.contest_id == contest_id)).first()
    return None if row is None else _row(row)


def load_all(session: Session) -> dict[str, StoredList]:
    return {r.contest_id: _row(r) for r in session.execute(select(workspace_lists))}


def save(session: Session, item: StoredList) -> None:
    """Insert or replace the stored list (the caller commits)."""
    values = {
        "rules": item.rules, "length": item.length, "seats": item.seats,
        "pins": json.dumps([list(p) for p in item.pins]), "exclude": json.dumps(list(item.exclude)),
        "votes": json.dumps(item.votes, sort_keys=True), "result": json.dumps(item.result, ensure_ascii=False),
        "updated_at": item.updated_at.astimezone(UTC), "updated_by": item.updated_by,
    }
    table = workspace_lists
    exists = session.execute(select(table.c.contest_id).where(table.c.contest_id == item.contest_id)).first()
    if exists is None:
        session.execute(table.insert().values(contest_id=item.contest_id, **values))
    else:
        session.execute(table.update().where(table.c.contest_id == item.contest_id).values(**values))
