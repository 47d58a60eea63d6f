"""Fixtures for the background jobs: a test kind with steps whose effect is an audit entry per step, committed
with the job's progress; the primaries' databases (SQLite, and a schema per test on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tandau.core.jobs import RetryPolicy
from tandau.services.jobs import Context, register
from tandau.services.jobs.registry import unregister
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action
from tests.integration.web.conftest import WebClient, add_staff, make_app

from ..primaries.conftest import DURING, Db, World, backend, db, empty_database, world  # noqa: F401  (fixtures)


def steps_run(context: Context) -> Mapping[str, Any]:
    """``n`` steps; step i writes audit entry ``test.step`` (target job:i) with the progress, in one transaction;
    the first ``fail_times`` attempts fail at step ``fail_at``."""
    n = int(context.arguments["n"])
    for i in range(context.done, n):
        context.check()
        if context.attempt <= int(context.arguments.get("fail_times") or 0) and i == int(
                context.arguments.get("fail_at") or 0):
            raise RuntimeError("flaky step")
        with context.session() as s:
            context.advance(s, i + 1, n, f"step {i + 1}")
            audit.append(s, actor=context.actor.subject_id, action="test.step", target=f"{context.job_id}:{i}")
            s.commit()
    return {"steps": n}


@pytest.fixture(scope="session", autouse=True)
def test_kinds() -> Iterator[None]:
    register("test.steps", title="Test steps", action=Action.WORKSPACE_EDIT,
             arguments=("n", "fail_at", "fail_times", "kato"), retry=RetryPolicy(max_attempts=3, base=0.05, cap=0.2),
             territory=lambda a: None if a.get("kato") is None else str(a["kato"]))(steps_run)
    yield
    unregister("test.steps")


def vote_and_close(scenario: World) -> None:
    """Ballots in the two council contests (no ties at the seat line), then every contest closed and decrypted."""
    from tandau.services.primaries import voting
    from tandau.services.primaries.auth import actor_for

    for contest_id, marks_by_member in (
            ("almaty-city", {"m1": ["m1", "m2"], "m2": ["m2"], "m4": ["m2", "m4"], "m7": ["m1"]}),
            ("almaty-region", {"m5": ["m5", "m6"], "m6": ["m6"]})):
        for member, marks in marks_by_member.items():
            with scenario.session() as s:
                voting.cast_ballot(s, actor_for(s, member), contest_id, marks, now=DURING)
    for contest_id in ("almaty-city", "almaty-region", "national"):
        scenario.close(contest_id)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[Db, WebClient]]:
    """An empty SQLite database with the web tests' staff, served in-process (English)."""
    for empty in empty_database("sqlite", tmp_path):
        add_staff(empty)
        app = make_app(empty, tmp_path)
        with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
            yield empty, client
        app.state.engine.dispose()
