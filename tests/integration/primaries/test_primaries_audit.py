"""The audit log chains every administrative action; tampering is caught by `audit verify`."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from tandau.cli.primaries import audit_app
from tandau.services.primaries import audit

from .conftest import World


def _tamper(world: World, sql: str) -> None:
    with world.db.engine.connect() as conn:  # an attacker with database access first drops the guard
        if world.db.backend == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        conn.execute(text(sql))
        conn.commit()


def _verify_cli(world: World) -> tuple[int, str]:
    args = ["verify", "--db", world.db.url]
    if world.db.backend == "postgresql":
        args[-1] = world.db.url  # schema via search_path: use the service directly below
    result = CliRunner().invoke(audit_app, args)
    return result.exit_code, result.output


def test_every_admin_action_is_chained(world: World) -> None:
    with world.session() as s:
        report = audit.verify(s)
        actions = [e.action for e in audit.entries(s)]
    assert report.ok, report.problems
    assert actions[0] == "cycle.create"
    assert actions.count("contest.create") == 3
    assert actions.count("contest.open") == 3
    assert "roll.import" in actions
    assert actions.count("nomination.register") == 8
    assert report.entries == len(actions)


def test_tampering_is_caught(world: World) -> None:
    _tamper(world, "UPDATE audit_log SET target = 'other.csv' WHERE action = 'roll.import'")
    with world.session() as s:
        report = audit.verify(s)
    assert not report.ok
    assert any("altered" in p for p in report.problems)


def test_deleting_an_entry_is_caught(world: World) -> None:
    _tamper(world, "DELETE FROM audit_log WHERE seq = 2")
    with world.session() as s:
        report = audit.verify(s)
    assert any("missing" in p for p in report.problems)


def test_cli_verify_exits_1_on_tampering(world: World) -> None:
    if world.db.backend != "sqlite":
        return  # the CLI takes a URL; the per-test PostgreSQL schema is covered by the service tests above
    code, out = _verify_cli(world)
    assert code == 0, out
    _tamper(world, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
    code, out = _verify_cli(world)
    assert code == 1
    assert "entry 3" in out
