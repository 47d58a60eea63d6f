"""Persistence of the staff workspace: one formed list per contest, with its pins, exclusions and votes.

The table ``workspace_lists`` is part of the store's schema (``tandau.store.models``, Alembic revision 0002,
created by ``tandau primaries db upgrade``). A formed list is stored as the JSON
of :func:`tandau.services.workspace_lists.result_data`, so the national overview reads every council's
compliance without re-forming 224 lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.store.models import workspace_lists


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
