"""What the database commands share: the ``--db`` and ``--actor`` options, a session on the database named by
``--db`` (or ``TANDAU_DATABASE_URL``), disposed of at the end, and the central-office actor the CLI acts as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tandau.services.primaries.access import Actor

DB = typer.Option(None, "--db", help="SQLite file or database URL (default: TANDAU_DATABASE_URL).")
ACTOR = typer.Option("cli", "--actor", help="Who acts (recorded in the audit log as cli:NAME).")


@contextmanager
def session_scope(db: str | None) -> Iterator[Session]:
    """A session on ``db``; the engine is disposed of when the block ends (imports are lazy: start-up stays short
    for the commands that need no database)."""
    from tandau.store.engine import database_url, make_engine, session_factory

    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def central(name: str) -> Actor:
    """The central office acting through the command line, recorded as ``cli:NAME``."""
    from tandau.services.primaries.access import Actor

    return Actor.central(f"cli:{name}")
