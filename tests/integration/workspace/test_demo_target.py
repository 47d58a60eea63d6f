"""`tandau demo --db FILE|URL [--replace]`: a database holding tables is refused without --replace, replacing drops
the demo's tables only, and each step's time is printed as it ends (the pipeline itself is stubbed in the CLI tests:
the real one runs in this package's fixtures and in benchmarks/bench_national.py)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services import demo
from tandau.services.demo_database import DemoDatabaseError, prepare_target
from tandau.store.models import Base

KNOWN = set(Base.metadata.tables)


def _sqlite_with(path: Path, *tables: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f'CREATE TABLE "{table}" (id INTEGER)'))
    engine.dispose()


def test_demo_cli_refuses_a_database_with_tables(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _sqlite_with(db, "members", "alembic_version")
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", str(db), "--work-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "is not empty (2 tables)" in result.output and "--replace" in result.output
    assert set(inspect(create_engine(f"sqlite:///{db}")).get_table_names()) == {"members", "alembic_version"}
    # the same file named by its URL is the same database
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", f"sqlite:///{db}", "--work-dir", str(tmp_path)])
    assert result.exit_code == 2 and "is not empty" in result.output


def test_demo_target_replace_and_urls(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _sqlite_with(db, "members")
    with pytest.raises(DemoDatabaseError, match="not empty"):
        prepare_target(f"sqlite:///{db}", replace=False, known_tables=KNOWN)
    target = prepare_target(f"sqlite:///{db}", replace=True, known_tables=KNOWN)
    assert (target.backend, target.dropped, target.url) == ("sqlite", 1, f"sqlite:///{db}")
    assert not db.exists()
    fresh = prepare_target(tmp_path / "new" / "demo.db", replace=False, known_tables=KNOWN)  # a path, the default
    assert fresh.url == f"sqlite:///{tmp_path / 'new' / 'demo.db'}" and fresh.dropped == 0
    assert (tmp_path / "new").is_dir()


def test_demo_cli_prints_each_step_time_and_passes_url_and_replace(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def fake(db: str, work: Path, **kw: object) -> demo.DemoReport:
        seen.update(kw, db=db)
        timed = kw["timed"]
        assert callable(timed)
        report = demo.DemoReport("postgresql+psycopg://u:***@h/d", work, replaced=3)
        for step, seconds in (("scenario", 1.25), ("roll", 42.0)):
            report.timings[step] = seconds
            timed(step, seconds)
        return report

    monkeypatch.setattr(demo, "prepare_demo", fake)
    url = "postgresql+psycopg://u:secret@h/d"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--db", url, "--replace", "--work-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["db"] == url and seen["replace"] is True
    assert "scenario: 1.2 s" in result.output and "roll: 42.0 s" in result.output
    assert "total 43.2 s" in result.output
    assert "replaced: 3 tables" in result.output and "secret" not in result.output


@pytest.mark.skipif(not os.environ.get("TANDAU_TEST_POSTGRES_URL"), reason="TANDAU_TEST_POSTGRES_URL not set")
def test_demo_target_postgresql_replace_drops_the_demos_tables_only() -> None:
    from sqlalchemy.engine import make_url

    base = os.environ["TANDAU_TEST_POSTGRES_URL"]
    schema = f"demo_target_{uuid.uuid4().hex[:10]}"  # a schema of its own in the test database (parallel-safe)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
    engine = create_engine(url)
    try:
        assert prepare_target(url, replace=False, known_tables=KNOWN).dropped == 0  # empty: accepted
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE members (id INTEGER)"))
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        with pytest.raises(DemoDatabaseError, match="not empty"):
            prepare_target(url, replace=False, known_tables=KNOWN)
        assert prepare_target(url, replace=True, known_tables=KNOWN).dropped == 2
        assert inspect(engine).get_table_names() == []
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE someone_elses (id INTEGER)"))
        with pytest.raises(DemoDatabaseError, match="not Tandau's"):
            prepare_target(url, replace=True, known_tables=KNOWN)
        assert inspect(engine).get_table_names() == ["someone_elses"]
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
