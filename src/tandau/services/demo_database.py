"""The demo's target database: an SQLite file (the default) or a database URL (PostgreSQL for the national run).

The demo owns what it creates: the tables of Tandau's schema and Alembic's version table. A database that
already holds any table is refused unless the caller asks to replace it; replacing drops the demo's tables (an
SQLite file is deleted with its WAL files) and leaves anything else alone — a database holding tables that are not
Tandau's is refused even with ``replace``, since dropping them is not the demo's to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from tandau.errors import TandauError
from tandau.store import make_engine
from tandau.store.engine import database_url

VERSION_TABLE = "alembic_version"


class DemoDatabaseError(TandauError):
    """The demo's target database is not empty (and ``--replace`` was not given), or holds tables not Tandau's."""

    def __init__(self, where: str, tables: int, *, foreign: tuple[str, ...] = ()) -> None:
        self.where = where
        self.tables = tables
        self.foreign = foreign
        if foreign:
            message = (f"{where} holds {len(foreign)} tables that are not Tandau's ({', '.join(foreign[:5])}"
                       f"{', ...' if len(foreign) > 5 else ''}): the demo will not drop them; use an empty database")
        else:
            message = (f"{where} is not empty ({tables} tables): pass --replace to drop the demo's tables and "
                       "build it again, or choose another database")
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Target:
    """Where the demo writes: the SQLAlchemy URL, a printable name (no password) and what replacing dropped."""

    url: str
    name: str
    backend: str
    dropped: int = 0


def printable(db: str | Path) -> str:
    """The database without its password.

    >>> printable("postgresql+psycopg://u:secret@h/d")
    'postgresql+psycopg://u:***@h/d'
    >>> printable("demo-out/demo.db")
    'demo-out/demo.db'
    """
    text_db = str(db)
    if "://" not in text_db:
        return text_db
    return make_url(text_db).render_as_string(hide_password=True)


def prepare_target(db: str | Path, *, replace: bool, known_tables: set[str]) -> Target:
    """Check (and with ``replace`` empty) the demo's database; ``known_tables``: the tables of Tandau's schema.

    Raises :class:`DemoDatabaseError` when the database holds tables and ``replace`` is false."""
    url = database_url(str(db))
    parsed = make_url(url)
    name = printable(db)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        tables = _tables(url) if path.exists() and path.stat().st_size > 0 else []
        if tables and not replace:
            raise DemoDatabaseError(name, len(tables))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return Target(url, name, "sqlite", len(tables))
    tables = _tables(url)
    if tables and not replace:
        raise DemoDatabaseError(name, len(tables))
    foreign = tuple(sorted(t for t in tables if t not in known_tables | {VERSION_TABLE}))
    if foreign:
        raise DemoDatabaseError(name, len(tables), foreign=foreign)
    if tables:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                quoted = ", ".join(f'"{t}"' for t in sorted(tables))
                conn.execute(text(f"DROP TABLE IF EXISTS {quoted} CASCADE"))
        finally:
            engine.dispose()
    return Target(url, name, parsed.get_backend_name(), len(tables))


def demo_engine(target: Target) -> Engine:
    """The engine the demo builds with. On PostgreSQL its sessions commit without waiting for the WAL flush
    (``synchronous_commit = off``): the demo commits thousands of small transactions (a contest, a decryption,
    a publication each) and waiting for the disk would dominate its time. A crash can lose only the last
    moments of a preparation, never make the database inconsistent (PostgreSQL manual, "Asynchronous Commit"),
    and a demo is simply prepared again (``--replace``). The served app's engine waits as usual."""
    engine = make_engine(target.url)
    if target.backend == "postgresql":
        event.listen(engine, "connect", _asynchronous_commit)
    return engine


ASYNC_COMMIT_OPTIONS = "-c synchronous_commit=off"


def _asynchronous_commit(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
    dbapi_conn.commit()


def analyze(session: Session, *, vacuum: bool = False) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (PostgreSQL manual, "Populating a Database":
    run ANALYZE afterwards), committing first; elsewhere nothing. ``vacuum`` also sets the visibility map, so
    that covering indexes answer without reading the table (VACUUM runs outside a transaction)."""
    session.commit()
    if session.get_bind().dialect.name != "postgresql":
        return
    if vacuum:
        with session.get_bind().engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        return
    session.execute(text("ANALYZE"))
    session.commit()


def _tables(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(inspect(conn).get_table_names())
    finally:
        engine.dispose()
