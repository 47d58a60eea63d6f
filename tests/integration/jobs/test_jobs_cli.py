"""``tandau jobs``: submit (on SQLite it runs in the command), list, show and cancel, as text and JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tandau.cli.main import build_app

from ..primaries.conftest import Db

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_submit_list_show_cancel(db: Db) -> None:
    cli, runner = build_app(), CliRunner()
    done = runner.invoke(cli, ["jobs", "submit", "test.steps", "n=2", "--db", db.url, "--format", "json",
                               "--key", "cli-request-1"])
    assert done.exit_code == 0, done.output
    job = json.loads(done.output)
    assert (job["status"], job["done"], job["total"], job["result"]) == ("succeeded", 2, 2, {"steps": 2})
    again = runner.invoke(cli, ["jobs", "submit", "test.steps", "n=2", "--db", db.url, "--format", "json",
                                "--key", "cli-request-1"])
    assert json.loads(again.output)["id"] == job["id"]
    listed = runner.invoke(cli, ["jobs", "list", "--db", db.url, "--format", "json"])
    assert [j["id"] for j in json.loads(listed.output)] == [job["id"]]
    shown = runner.invoke(cli, ["jobs", "show", job["id"], "--db", db.url])
    assert "succeeded" in shown.output and "2/2 (100%)" in shown.output and "1 of 3" in shown.output
    refused = runner.invoke(cli, ["jobs", "cancel", job["id"], "--db", db.url])
    assert refused.exit_code == 2 and "only a queued or running job" in refused.output
    bad = runner.invoke(cli, ["jobs", "submit", "test.steps", "shares=1", "--db", db.url])
    assert bad.exit_code == 2 and "unknown argument 'shares'" in bad.output
    worker = runner.invoke(cli, ["worker", "--db", db.url])
    assert worker.exit_code == 2 and "needs PostgreSQL" in worker.output
