"""Fixtures for the primaries: one database per test, on SQLite and on PostgreSQL.

PostgreSQL comes from ``TANDAU_TEST_POSTGRES_URL``; when it is unset or unreachable those tests skip,
except under ``CI=true`` where they fail. Each PostgreSQL test runs in its own schema, dropped afterwards.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from nacl.public import PrivateKey
from sqlalchemy import create_mock_engine, make_url, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tandau.services.primaries import contests, keys, nominations, roll, sealing
from tandau.services.primaries.access import Actor
from tandau.store import Base, make_engine, session_factory
from tandau.store.models import SealedBallot

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ELECTION = date(2026, 3, 15)
OPENS = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=3)
DURING = OPENS + timedelta(hours=5)
AFTER = CLOSES + timedelta(minutes=1)
ON_ROLL = OPENS - timedelta(days=30)
CENTRAL = Actor.central("central-test")

ROLL_CSV = """id,name,sex,birth_date,territory,contact
m1,Aigerim,F,1990-05-01,751110000,+77010000001
m2,Bolat,M,1980-01-02,751110000,+77010000002
m3,Dana,F,1995-07-07,752210000,+77010000003
m4,Erlan,M,2004-01-01,751110000,+77010000004
m5,Gulnar,F,1970-02-02,191010000,+77010000005
m6,Kairat,M,1985-03-03,191010000,+77010000006
m7,Saule,F,2003-06-06,751110000,+77010000007
"""


def _postgres_url() -> str:
    url = os.environ.get("TANDAU_TEST_POSTGRES_URL")
    reason = ""
    if not url:
        reason = "TANDAU_TEST_POSTGRES_URL is not set"
    else:
        try:
            import psycopg

            with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3):
                pass
        except Exception as exc:
            reason = f"PostgreSQL at TANDAU_TEST_POSTGRES_URL is unreachable ({exc.__class__.__name__})"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI=true requires the PostgreSQL tests to run")
        pytest.skip(reason)
    assert url is not None
    return url


@dataclass
class Db:
    backend: str
    engine: Engine
    Session: sessionmaker[Session]
    url: str
    schema: str | None = None


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _table_names() -> tuple[str, ...]:
    return tuple(sorted(Base.metadata.tables))


@functools.cache
def _sqlite_template(tables: tuple[str, ...]) -> Path:
    """An SQLite file with the schema, made once per process (and per set of tables): each test copies it."""
    folder = Path(tempfile.mkdtemp(prefix="tandau-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


@functools.cache
def _postgres_ddl(tables: tuple[str, ...]) -> str:
    """The DDL that ``create_all`` emits on PostgreSQL (tables, indexes, the audit log's triggers), captured once
    per process and sent in one round trip per test: statement by statement it took 1-2 s per schema."""
    statements: list[str] = []

    def record(sql: Any, *_: Any, **__: Any) -> None:
        statements.append(str(sql.compile(dialect=mock.dialect)).strip())

    mock = create_mock_engine(make_url("postgresql+psycopg://"), record)
    Base.metadata.create_all(mock, checkfirst=False)  # type: ignore[arg-type]
    return ";\n".join(statements)


_SCHEMAS: dict[tuple[str, ...], list[str]] = {}  # emptied schemas of this process, ready for the next test
_SHAPES: dict[tuple[str, ...], int] = {}  # the size of a fresh schema's catalogue (see _shape)


def _shape(schema: str) -> str:
    """SQL counting a schema's relations, columns, triggers, constraints and functions: a test that dropped a
    trigger or added a column changes it, and its schema is then dropped instead of reused."""
    ns = f"(SELECT oid FROM pg_namespace WHERE nspname = '{schema}')"
    return (f"(SELECT count(*) FROM pg_class WHERE relnamespace = {ns})"
            f" + (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            f" WHERE c.relnamespace = {ns} AND a.attnum > 0 AND NOT a.attisdropped)"
            f" + (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = {ns})"
            f" + (SELECT count(*) FROM pg_constraint WHERE connamespace = {ns})"
            f" + (SELECT count(*) FROM pg_proc WHERE pronamespace = {ns})")


def _reset_script(schema: str, tables: tuple[str, ...]) -> str:
    """Empty every table and restart every sequence of ``schema``; triggers (the audit log's append-only rule, the
    foreign keys) are off for this transaction only. It fails (and the schema is dropped) when the schema's shape
    is not a fresh one's, or when a lock a test left behind is not released within 3 s."""
    deletes = "; ".join(f'DELETE FROM {schema}."{name}"' for name in tables)
    return (f"SET LOCAL synchronous_commit TO off; SET LOCAL lock_timeout TO '3s'; "
            f"SET LOCAL session_replication_role TO replica; "
            f"DO $$ BEGIN IF {_shape(schema)} <> {_SHAPES[tables]} THEN RAISE 'schema changed'; END IF; END $$; "
            f"{deletes}; "
            f"DO $$ DECLARE s record; BEGIN FOR s IN SELECT sequencename FROM pg_sequences "
            f"WHERE schemaname = '{schema}' LOOP EXECUTE format('ALTER SEQUENCE %I.%I RESTART', '{schema}', "
            f"s.sequencename); END LOOP; END $$")


def drop_pooled_schemas() -> None:
    """Drop the schemas this process kept for reuse (at the end of the session; tests/conftest.py)."""
    names = [name for pool in _SCHEMAS.values() for name in pool]
    _SCHEMAS.clear()
    url = os.environ.get("TANDAU_TEST_POSTGRES_URL")
    if names and url:
        admin = make_engine(url)
        with contextlib.suppress(Exception):
            _run_script(admin, f"DROP SCHEMA {', '.join(names)} CASCADE")
        admin.dispose()


def empty_database(backend: str, tmp_path: Path, *, create: bool = True) -> Iterator[Db]:
    """A fresh database (schema created from the ORM metadata unless ``create`` is False).

    SQLite copies a schema file made once per process. PostgreSQL gives each test a schema of its own: a new one,
    or one an earlier test of this process used, emptied (rows deleted, sequences restarted) — creating and dropping
    47 tables took 1-2 s per test. A schema made without tables (``create=False``: migrations, the insider test
    reading raw pages) is never reused."""
    if backend == "sqlite":
        path = tmp_path / "primaries.db"
        if create:
            shutil.copyfile(_sqlite_template(_table_names()), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        yield Db(backend, engine, session_factory(engine), url)
        engine.dispose()
        return
    url = _postgres_url()
    tables = _table_names()
    admin = make_engine(url)
    pool = _SCHEMAS.get(tables) if create else None
    if pool:
        schema = pool.pop()
    else:
        schema = "t_" + secrets.token_hex(6)
        ddl = f"SET LOCAL synchronous_commit TO off; CREATE SCHEMA {schema}; SET LOCAL search_path TO {schema}"
        _run_script(admin, ddl + (";\n" + _postgres_ddl(tables) if create else ""))
        if create and tables not in _SHAPES:
            with admin.connect() as conn:
                _SHAPES[tables] = int(conn.execute(text(f"SELECT {_shape(schema)}")).scalar_one())
    engine = make_engine(url, search_path=schema)
    try:
        yield Db(backend, engine, session_factory(engine), url, schema)
    finally:
        engine.dispose()
        reused = False
        if create:
            try:
                _run_script(admin, _reset_script(schema, tables))
                _SCHEMAS.setdefault(tables, []).append(schema)
                reused = True
            except Exception:  # a test kept a lock or changed the schema: start afresh next time
                reused = False
        if not reused:
            _run_script(admin, f"SET LOCAL synchronous_commit TO off; DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _run_script(engine: Engine, script: str) -> None:
    """Several statements in one simple-protocol round trip (psycopg sends a query without parameters as is)."""
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute(script)
        raw.commit()
    finally:
        raw.close()


@pytest.fixture
def db(backend: str, tmp_path: Path) -> Iterator[Db]:
    yield from empty_database(backend, tmp_path)


@pytest.fixture
def blank_db(backend: str, tmp_path: Path) -> Iterator[Db]:
    yield from empty_database(backend, tmp_path, create=False)


@dataclass
class World:
    """A cycle with four contests (Almaty city council, one of its districts' voters, a regional council of
    Almaty region, the national list), seven members and registered candidates; every contest open."""

    db: Db
    tmp: Path
    shares: tuple[tuple[str, sealing.Share], ...] = ()

    def session(self) -> Session:
        return self.db.Session()

    def decrypt(self, contest_id: str) -> keys.Decrypted:
        """The key holders' step after close: two of the three shares rebuild the cycle key."""
        return decrypt_with(self.db, contest_id, [share for _, share in self.shares[1:]])

    def close(self, contest_id: str, *, now: datetime = AFTER) -> None:
        """Close the contest and decrypt its ballots (what a test of counting needs)."""
        with self.session() as s:
            contests.close_contest(s, CENTRAL, contest_id, now=now)
        self.decrypt(contest_id)

    def private_key(self, contest_id: str = "national") -> PrivateKey:
        """The cycle's private key, rebuilt from two shares (what a test reads sealed rows with)."""
        return private_key(self.db, contest_id, [share for _, share in self.shares[:2]])

    def sealed(self, contest_id: str | None = None) -> list[Opened]:
        """The sealed ballots (of one contest or all), each opened with the key."""
        return opened_sealed(self.db, [share for _, share in self.shares[:2]], contest_id)


def ceremony(db: Db, cycle_id: str = "2026") -> tuple[tuple[str, sealing.Share], ...]:
    """A 2-of-3 election key for every contest of ``cycle_id``."""
    with db.Session() as s:
        done = keys.hold_ceremony(s, CENTRAL, holders=["central", "observer", "commission"], threshold=2,
                                  cycle_id=cycle_id)
    return done.shares


def decrypt_with(db: Db, contest_id: str, shares: list[sealing.Share]) -> keys.Decrypted:
    with db.Session() as s:
        contest = contests.get_contest(s, contest_id)
        key = keys.key_for(s, contest)
        assert key is not None
        return keys.decrypt_contest(s, CENTRAL, contest_id, sealing.combine(shares, key.public_key))


def private_key(db: Db, contest_id: str, shares: list[sealing.Share]) -> PrivateKey:
    with db.Session() as s:
        key = keys.key_for(s, contests.get_contest(s, contest_id))
        assert key is not None
        return sealing.combine(shares, key.public_key)


@dataclass(frozen=True)
class Opened:
    """A sealed ballot row (its outer envelope) with its box opened: ``selection`` as a ballot row stores it."""

    contest_id: str
    member_id: str
    cast_no: int
    box: bytes
    tracker: str
    selection: str


def opened_sealed(db: Db, shares: list[sealing.Share], contest_id: str | None = None) -> list[Opened]:
    """Every sealed ballot row (of ``contest_id``, or all), ordered by contest, member and cast number, opened with
    the key the shares rebuild (each contest's own key)."""
    with db.Session() as s:
        query = select(SealedBallot.contest_id, SealedBallot.member_id, SealedBallot.cast_no, SealedBallot.box)
        if contest_id is not None:
            query = query.where(SealedBallot.contest_id == contest_id)
        rows = s.execute(query.order_by(SealedBallot.contest_id, SealedBallot.member_id, SealedBallot.cast_no)).all()
    found: list[Opened] = []
    private: dict[str, PrivateKey] = {}
    for contest, member, cast_no, box in rows:
        if contest not in private:
            private[contest] = private_key(db, contest, shares)
        tracker, selection = sealing.unseal(private[contest], bytes(box))
        found.append(Opened(contest, member, cast_no, bytes(box), tracker, json.dumps(selection, ensure_ascii=False)))
    return found


def build_world(db: Db, tmp: Path, *, open_contests: bool = True) -> World:
    (tmp / "roll.csv").write_text(ROLL_CSV, encoding="utf-8")
    with db.Session() as s:
        contests.create_cycle(s, CENTRAL, "2026", "Maslikhat and Majilis 2026", ELECTION)
        specs = [
            contests.ContestSpec("almaty-city", "2026", "Almaty city maslikhat", "regional", "Almaty", "approval",
                                 2, OPENS, CLOSES, council_id="ms-75", kato="750000000", max_marks=2),
            contests.ContestSpec("almaty-region", "2026", "Almaty region maslikhat", "regional", "Almaty region",
                                 "stv-scottish", 1, OPENS, CLOSES, council_id="ms-19", kato="190000000",
                                 tie_policy="nomination-order"),
            contests.ContestSpec("national", "2026", "National list", "national", "Kazakhstan", "approval",
                                 2, OPENS, CLOSES, max_marks=3, tie_policy="nomination-order"),
        ]
        for spec in specs:
            contests.create_contest(s, CENTRAL, spec)
        roll.import_roll(s, CENTRAL, tmp / "roll.csv", today=date(2026, 1, 1), now=ON_ROLL)
        for contest_id, members in (("almaty-city", ["m1", "m2", "m4"]), ("almaty-region", ["m5", "m6"]),
                                    ("national", ["m1", "m2", "m3"])):
            for m in members:
                nominations.register_nomination(s, CENTRAL, nominations.NominationRequest(contest_id, m))
    shares = ceremony(db)
    with db.Session() as s:
        if open_contests:
            for spec in specs:
                contests.open_contest(s, CENTRAL, spec.id)
    return World(db, tmp, shares)


@pytest.fixture
def world(db: Db, tmp_path: Path) -> World:
    return build_world(db, tmp_path)
