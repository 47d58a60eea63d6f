"""Bulk writes of many new rows: PostgreSQL's COPY (through psycopg) where it is available, else INSERT in chunks.

A roll of 800,000 members or millions of district assignments written as ``INSERT ... VALUES`` row by row costs
minutes of round trips and statement handling; ``COPY ... FROM STDIN`` streams the rows in one statement
(PostgreSQL manual, "Populating a Database": "Use COPY"). Rows are written inside the session's transaction, so
they commit (or roll back) with the rest of the caller's work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

INSERT_CHUNK = 2000  # rows per INSERT statement where COPY is not available


def add_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` (values in the order of ``columns``, as the column types take them: aware datetimes) into
    ``table``; the number of rows written. COPY bypasses the column types, so aware datetimes are written as the
    UTC-datetime columns store them (naive UTC)."""
    if session.get_bind().dialect.name == "postgresql":
        raw: Any = session.connection().connection.dbapi_connection  # a psycopg.Connection
        names = ", ".join(f'"{c}"' for c in columns)
        count = 0
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_stored(v) for v in row])
                count += 1
        return count
    count = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(dict(zip(columns, row, strict=True)))
        if len(chunk) == INSERT_CHUNK:
            session.execute(insert(table), chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        session.execute(insert(table), chunk)
        count += len(chunk)
    return count


def _stored(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
