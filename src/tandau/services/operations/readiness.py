"""Readiness: the database answers and its schema is at the newest Alembic revision this code ships.

A process that cannot reach its database, or runs newer code on an older schema (an upgrade half done),
should get no traffic: the load balancer asks ``/readyz`` and takes the process out while it answers 503.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine


@dataclass(frozen=True, slots=True)
class Readiness:
    """``ready`` and, when not, a reason code and a sentence (never a URL, a password or a row)."""

    ready: bool
    reason: str | None = None
    message: str | None = None
    revision: str | None = None
    head: str | None = None


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision of the migrations shipped with this code (read once per process)."""
    from alembic.script import ScriptDirectory

    from tandau.store.migrate import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def check_ready(engine: Engine) -> Readiness:
    """Whether ``engine``'s database is reachable and at :func:`head_revision`."""
    head = head_revision()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            # read Alembic's table directly: its MigrationContext logs two lines at every probe
            revision = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                        if inspect(conn).has_table("alembic_version") else None)
    except Exception as exc:  # any driver error: not ready; the class name only (a message may hold the URL)
        return Readiness(False, "database_unreachable", f"the database did not answer ({exc.__class__.__name__})",
                         head=head)
    if revision != head:
        return Readiness(False, "schema_not_at_head",
                         f"the database schema is at {revision or 'no revision'}, the code expects {head}; "
                         "run tandau primaries db upgrade", revision, head)
    return Readiness(True, revision=revision, head=head)
