"""Engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL through psycopg 3.

On SQLite every transaction starts with ``BEGIN IMMEDIATE``: a writer takes the lock before it reads, so
two concurrent submissions queue (``busy_timeout``) instead of failing on a stale snapshot, and the
UNIQUE(member, contest) participation key decides which one wins.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from tandau.errors import InputError

SQLITE_BUSY_TIMEOUT_S = 30
POSTGRES_POOL_SIZE = 16
POSTGRES_MAX_OVERFLOW = 8


def database_url(db: str | None = None) -> str:
    """The URL for ``db`` (a URL or an SQLite file path), else ``TANDAU_DATABASE_URL`` (settings).

    >>> database_url("votes.db")
    'sqlite:///votes.db'
    >>> database_url("postgresql+psycopg://u@h/d")
    'postgresql+psycopg://u@h/d'
    """
    if db:
        return db if "://" in db else f"sqlite:///{db}"
    from tandau.settings import get_settings

    return get_settings().database_url


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | URL | None = None, *, search_path: str | None = None, echo: bool = False) -> Engine:
    """An engine for ``url`` (default: settings); ``search_path`` selects a PostgreSQL schema (tests use it)."""
    parsed = make_url(url if url is not None else database_url())
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args: dict[str, Any] = {}
        if search_path is not None:
            if not search_path.replace("_", "").isalnum():
                raise InputError(f"schema name must be alphanumeric, got {search_path!r}", parameter="search_path")
            connect_args["options"] = f"-csearch_path={search_path}"
        return create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args=connect_args,
            # steady pool: connections beyond pool_size are opened and closed per request (a fork on the
            # server each time), so keep the pool near the request concurrency of one process
            pool_size=POSTGRES_POOL_SIZE,
            max_overflow=POSTGRES_MAX_OVERFLOW,
            pool_pre_ping=True,
        )
    raise InputError(f"unsupported database {backend!r}; use sqlite or postgresql", parameter="TANDAU_DATABASE_URL")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
