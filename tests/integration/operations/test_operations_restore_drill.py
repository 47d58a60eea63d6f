"""The restore drill on PostgreSQL (required under ``CI=true``): a database with published contests is dumped
with ``tandau ops backup`` (pg_dump -Fc), restored with ``tandau ops restore`` into a new database on the same
server, and every published contest is rebuilt from the restored rows and recounted by ``tandau verify``:
each bulletin equals, byte for byte, the one published from the original database."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tandau.cli.main import app as cli
from tandau.errors import InputError
from tandau.services.operations import BackupError, backup, check_ready, recount_all, restore
from tandau.services.primaries import publish, voting
from tandau.services.primaries.auth import actor_for
from tandau.store import make_engine, session_factory
from tandau.store.migrate import upgrade
from tests.integration.primaries.conftest import CENTRAL, DURING, Db, _postgres_url, build_world

# who votes for whom in each contest (member ids; the services translate to the stored form)
VOTES = {
    "almaty-city": {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]},
    "national": {"m1": ["m1"], "m2": ["m2", "m3"], "m3": ["m3"], "m5": ["m1", "m3"], "m6": ["m2"]},
    "almaty-region": {"m5": ["m5", "m6"], "m6": ["m6"]},
}


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """The test server's URL and the databases made on it (dropped afterwards)."""
    base = _postgres_url()
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} not installed, and CI=true requires the restore drill to run")
        pytest.skip(f"{', '.join(missing)} not installed (apt install postgresql-client)")
    made: list[str] = []
    yield base, made
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _new_database(base: str, made: list[str], prefix: str) -> str:
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    made.append(name)
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _published_world(url: str, tmp: Path) -> dict[str, bytes]:
    """Schema by Alembic, the primaries world, ballots, every contest closed, decrypted and published; the
    published bulletin files."""
    engine = make_engine(url)
    upgrade(engine)
    db = Db("postgresql", engine, session_factory(engine), url)
    world = build_world(db, tmp)
    published: dict[str, bytes] = {}
    for contest_id, votes in VOTES.items():
        for member, marks in votes.items():
            with world.session() as s:
                voting.cast_ballot(s, actor_for(s, member), contest_id, marks, now=DURING)
        world.close(contest_id)
        out = tmp / "published" / f"{contest_id}.jsonl"
        with world.session() as s:
            publish.publish_contest(s, CENTRAL, contest_id, out)
        published[contest_id] = out.read_bytes()
    engine.dispose()
    return published


def test_restore_drill_recounts_every_published_contest_identically(server: tuple[str, list[str]],
                                                                    tmp_path: Path) -> None:
    base, made = server
    original = _new_database(base, made, "tandau_drill")
    published = _published_world(original, tmp_path)
    dump = tmp_path / "tandau.dump"
    runner = CliRunner()
    done = runner.invoke(cli, ["ops", "backup", "--db", original, "--out", str(dump)])
    assert done.exit_code == 0, done.output
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    fresh = _new_database(base, made, "tandau_restore")
    done = runner.invoke(cli, ["ops", "restore", str(dump), "--db", fresh])
    assert done.exit_code == 0, done.output

    engine = make_engine(fresh)
    try:
        assert check_ready(engine).ready  # at the Alembic head: the app may serve it as it is
        with session_factory(engine)() as s:
            recounted = recount_all(s, tmp_path / "recounted")
    finally:
        engine.dispose()
    assert [r.contest_id for r in recounted] == sorted(VOTES)
    for r in recounted:
        assert r.ok, r
        assert r.path.read_bytes() == published[r.contest_id], f"{r.contest_id} differs after the restore"
        verified = runner.invoke(cli, ["verify", str(r.path)])
        assert verified.exit_code == 0, verified.output
    drill = runner.invoke(cli, ["ops", "recount", "--db", fresh, "--out", str(tmp_path / "cli")])
    assert drill.exit_code == 0, drill.output
    assert "3 published contest(s), 0 failed" in drill.output
    ready = runner.invoke(cli, ["ops", "ready", "--db", fresh])
    assert ready.exit_code == 0, ready.output


def test_restore_refuses_a_database_that_is_not_empty(server: tuple[str, list[str]], tmp_path: Path) -> None:
    """pg_restore runs in one transaction and stops at the first error: a second restore into the same
    database fails and leaves it as it was."""
    base, made = server
    target = _new_database(base, made, "tandau_restore")
    engine = make_engine(target)
    upgrade(engine)
    engine.dispose()
    dump = backup(target, tmp_path / "schema.dump")
    with pytest.raises(BackupError) as failed:
        restore(dump, target)
    assert failed.value.tool == "pg_restore" and "already exists" in str(failed.value)
    engine = make_engine(target)
    assert check_ready(engine).ready
    engine.dispose()


def test_backup_wants_postgresql_and_an_existing_dump(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="PostgreSQL URL"):
        backup(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "x.dump")
    with pytest.raises(InputError, match="no dump file"):
        restore(tmp_path / "missing.dump", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    runner = CliRunner()
    done = runner.invoke(cli, ["ops", "backup", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "x.dump")])
    assert done.exit_code == 2 and "PostgreSQL URL" in done.output
    assert not (tmp_path / "x.dump").exists()
