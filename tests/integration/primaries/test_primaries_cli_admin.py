"""Setting up a primary from the command line: cycle, contest, roles and passwords (audited)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from tandau.cli.main import app
from tandau.services.primaries import audit
from tandau.services.primaries.auth import actor_for, sign_in_password
from tandau.store.engine import database_url, make_engine, session_factory
from tandau.store.models import Contest


def _run(*args: str):
    return CliRunner().invoke(app, ["primaries", *args])


def test_cycle_contest_roles_and_password(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert _run("db", "upgrade", "--db", db).exit_code == 0
    res = _run("cycle", "create", "masl-2026", "--name", "Maslikhats 2026", "--election-date", "2026-03-15",
               "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("contest", "create", "M-1110", "--cycle", "masl-2026", "--name", "Kokshetau city maslikhat",
               "--level", "city", "--region", "11", "--seats", "15", "--max-marks", "5",
               "--opens", "2026-01-10T09:00+05:00", "--closes", "2026-01-12T20:00+05:00", "--council", "M-1110",
               "--kato", "111010000", "--db", db)
    assert res.exit_code == 0, res.output
    assert "created (draft)" in res.output
    res = _run("access", "grant", "sec-akmola", "secretary", "--kato", "110000000", "--db", db)
    assert res.exit_code == 0, res.output
    res = _run("access", "password", "sec-akmola", "--password", "correct horse battery", "--db", db)
    assert res.exit_code == 0, res.output
    assert _run("contest", "open", "M-1110", "--db", db).exit_code == 0

    engine = make_engine(database_url(db))
    try:
        with session_factory(engine)() as session:
            contest = session.execute(select(Contest).where(Contest.id == "M-1110")).scalar_one()
            assert (contest.status, contest.seats, contest.max_marks) == ("open", 15, 5)
            assert sign_in_password(session, "sec-akmola", "correct horse battery")
            actor = actor_for(session, "sec-akmola")
            assert "secretary" in repr(actor)
            report = audit.verify(session)
            actions = [e.action for e in audit.entries(session)]
    finally:
        engine.dispose()
    assert report.ok
    assert len(actions) >= 4  # cycle, contest, role and opening are all in the audit log


def test_bad_admin_input_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert _run("db", "upgrade", "--db", db).exit_code == 0
    res = _run("cycle", "create", "c", "--name", "C", "--election-date", "15.03.2026", "--db", db)
    assert res.exit_code == 2
    assert "--election-date" in res.output
    res = _run("access", "grant", "someone", "king", "--db", db)
    assert res.exit_code == 2
    assert "unknown role 'king'" in res.output
    res = _run("contest", "create", "x", "--cycle", "nope", "--name", "X", "--level", "city", "--seats", "3",
               "--opens", "2026-01-10T09:00+05:00", "--closes", "2026-01-12T20:00+05:00", "--db", db)
    assert res.exit_code == 2
    assert "Traceback" not in res.output
