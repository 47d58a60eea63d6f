"""A cycle names its electoral system (issue 11): migration 0006, the service's validation, the CLI option."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.errors import UnknownIdError
from tandau.services.primaries import contests
from tandau.store.migrate import current_revision, downgrade, upgrade
from tandau.store.models import Cycle

from .conftest import CENTRAL, ELECTION, Db


def test_existing_cycles_get_kz_2021_and_downgrade_drops_the_column(blank_db: Db) -> None:
    upgrade(blank_db.engine, "0005")
    with blank_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO cycles (id, name, election_date) VALUES ('old', 'Old cycle', NULL)"))
    upgrade(blank_db.engine, "0006")
    assert current_revision(blank_db.engine) == "0006"
    with blank_db.engine.connect() as conn:
        assert conn.execute(text("SELECT system FROM cycles WHERE id = 'old'")).scalar_one() == "kz-2021"
    downgrade(blank_db.engine, "0005")
    with blank_db.engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM cycles")).scalars().all() == ["old"]


def test_create_cycle_stores_the_system_and_refuses_unknown_ids(db: Db) -> None:
    with db.Session() as s:
        contests.create_cycle(s, CENTRAL, "c21", "All-list", ELECTION)
        contests.create_cycle(s, CENTRAL, "c23", "Mixed", ELECTION, system="kz-2023")
        with pytest.raises(UnknownIdError, match="unknown electoral system 'kz-2019'; valid: kz-2021, kz-2023"):
            contests.create_cycle(s, CENTRAL, "bad", "Bad", ELECTION, system="kz-2019")
    with db.Session() as s:
        assert s.get(Cycle, "c21").system == "kz-2021"  # type: ignore[union-attr]
        assert s.get(Cycle, "c23").system == "kz-2023"  # type: ignore[union-attr]
        assert s.get(Cycle, "bad") is None


def test_cli_cycle_create_with_system(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(app, ["primaries", "db", "upgrade", "--db", db]).exit_code == 0
    res = runner.invoke(app, ["primaries", "cycle", "create", "m23", "--name", "Maslikhats", "--system", "kz-2023",
                              "--db", db])
    assert res.exit_code == 0, res.output
    assert "cycle m23 created (system kz-2023)" in res.output
    res = runner.invoke(app, ["primaries", "cycle", "create", "m21", "--name", "Maslikhats", "--db", db])
    assert "cycle m21 created (system kz-2021)" in res.output
    res = runner.invoke(app, ["primaries", "cycle", "create", "mx", "--name", "X", "--system", "mixed", "--db", db])
    assert res.exit_code == 2
    assert "unknown electoral system 'mixed'" in res.output
