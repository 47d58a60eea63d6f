"""The migration equals the ORM metadata; the schema itself proves ballot secrecy; the audit log is append-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Integer, inspect, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from tandau.cli.main import app as main_app
from tandau.cli.primaries import app as primaries_app
from tandau.store import Base, Participation
from tandau.store.migrate import current_revision, downgrade, upgrade

from .conftest import Db, World

VERSIONS = Path(__file__).parents[3] / "src/tandau/store/migrations/versions"
HEAD = sorted(p.name for p in VERSIONS.glob("r0*.py"))[-1][1:5]


def test_migration_matches_the_orm_metadata(blank_db: Db) -> None:
    upgrade(blank_db.engine)
    assert current_revision(blank_db.engine) == HEAD
    with blank_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    downgrade(blank_db.engine, "base")
    assert set(inspect(blank_db.engine).get_table_names()) <= {"alembic_version"}


def test_db_upgrade_command(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(primaries_app, ["db", "upgrade", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert HEAD in result.output
    again = runner.invoke(primaries_app, ["audit", "verify", "--db", str(db)])
    assert again.exit_code == 0
    assert "0 entries" in again.output
    assert main_app is not None  # the root app imports cleanly with this module present


def test_no_path_from_ballots_to_members(db: Db) -> None:
    insp = inspect(db.engine)
    columns = {c["name"] for c in insp.get_columns("ballots")}
    assert columns == {"id", "contest_id", "tracker", "selection"}
    assert not any("member" in c or "time" in c or c[-2:] == "at" for c in columns)
    targets = {fk["referred_table"] for fk in insp.get_foreign_keys("ballots")}
    assert targets == {"contests"}
    pk = insp.get_pk_constraint("ballots")["constrained_columns"]
    assert pk == ["id"]
    id_type = next(c["type"] for c in insp.get_columns("ballots") if c["name"] == "id")
    assert not isinstance(id_type, Integer), "a sequential ballot key would reveal the order of voting"
    # participation: who and where, the day at most, never a ballot or tracker
    part = {c["name"] for c in insp.get_columns("participation")}
    assert part == {"member_id", "contest_id", "voted_on", "casts"}
    assert {fk["referred_table"] for fk in insp.get_foreign_keys("participation")} == {"members", "contests"}
    assert str(Participation.__table__.c.voted_on.type) == "DATE"


def test_sqlite_ballots_have_no_hidden_rowid(db: Db) -> None:
    if db.backend != "sqlite":
        pytest.skip("rowid is an SQLite feature")
    with db.engine.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name='ballots'")).scalar_one()
    assert "WITHOUT ROWID" in sql


def test_ballot_ids_are_random_and_reveal_no_order(world: World) -> None:
    from tandau.services.primaries import voting
    from tandau.services.primaries.auth import actor_for

    from .conftest import DURING

    trackers = []
    for m in ("m1", "m2", "m3", "m4", "m7"):
        with world.session() as s:
            trackers.append(voting.cast_ballot(s, actor_for(s, m), "national", ["m1"], now=DURING).tracker)
    with world.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ballots")).scalar_one() == 0  # sealed while voting runs
    world.close("national")  # the key holders' decryption writes the anonymous rows, shuffled
    with world.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT id, tracker FROM ballots")).all()
        assert conn.execute(text("SELECT count(*) FROM sealed_ballots")).scalar_one() == 0
    ids = [i for i, _ in stored]
    assert sorted(t for _, t in stored) == sorted(trackers)
    assert len(set(ids)) == 5
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    assert ids != sorted(ids) or ids != sorted(ids, reverse=True)  # stored by random key, not arrival


def test_audit_log_refuses_update_and_delete(world: World) -> None:
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with world.db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(sql))
    assert not hasattr(Base.registry._class_registry, "AuditLog")


def test_a_database_with_contests_upgrades_to_the_head(blank_db: Db) -> None:
    """Migrations that rebuild the contests table (SQLite's batch mode) keep every row and every reference: a
    database holding an open contest with nominations and ballots upgrades from 0002 (seen failing: 'FOREIGN KEY
    constraint failed' on DROP TABLE contests)."""
    upgrade(blank_db.engine, "0002")
    with blank_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO cycles (id, name, election_date) VALUES ('c', 'C', '2026-03-15')"))
        conn.execute(text("INSERT INTO councils (id, name, level, region, kato) "
                          "VALUES ('ms-75', 'Almaty', 'regional', 'Almaty', '750000000')"))
        conn.execute(text(
            "INSERT INTO contests (id, cycle_id, council_id, name, level, region, kato, rule, ballot_form, seats, "
            "max_marks, opens_at, closes_at, status, tie_policy) VALUES ('k', 'c', 'ms-75', 'K', 'regional', "
            "'Almaty', '750000000', 'approval', 'approval', 2, 2, '2026-03-01 03:00:00', '2026-03-04 03:00:00', "
            "'open', 'refuse')"))
        conn.execute(text("INSERT INTO members (id, name, sex, birth_date, kato, contact, status) "
                          "VALUES ('m1', 'A', 'F', '1990-01-01', '751110000', NULL, 'active')"))
        conn.execute(text("INSERT INTO nominations (id, contest_id, member_id, nominated_by, organisation, tags, "
                          "status, reason, position, created_at) VALUES ('n1', 'k', 'm1', 'self', NULL, '', "
                          "'registered', NULL, 1, '2026-02-01 00:00:00')"))
        conn.execute(text("INSERT INTO participation (member_id, contest_id, voted_on) VALUES ('m1', 'k', "
                          "'2026-03-02')"))
        conn.execute(text("INSERT INTO ballots (id, contest_id, tracker, selection) VALUES ('b1', 'k', "
                          "'7K2M-9QXD-P4RT-HB3W', '[\"m1\"]')"))
    upgrade(blank_db.engine)
    assert current_revision(blank_db.engine) == HEAD
    with blank_db.engine.connect() as conn:
        row = conn.execute(text("SELECT status, key_id, district_id FROM contests WHERE id = 'k'")).one()
        assert tuple(row) == ("open", None, "")  # open across the upgrade: finishes under the plain scheme
        assert conn.execute(text("SELECT count(*) FROM nominations WHERE contest_id = 'k'")).scalar_one() == 1
        assert conn.execute(text("SELECT casts FROM participation")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM ballots")).scalar_one() == 1
