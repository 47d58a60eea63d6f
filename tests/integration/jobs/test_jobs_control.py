"""``control.import`` from uploads kept in the files store: the job imports once (its step committed with the
import), removes the uploads afterwards, fails naming the bad file, row and column with nothing imported; started
by ``tandau control import --background`` (a budget package's CSV found beside its descriptor), by
``POST /api/v1/control/import`` (202 with the job) and by the page ``/control/import`` (the job's page next),
refused before anything is kept for anyone but the central office."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from tandau.cli.main import app as cli
from tandau.errors import InputError
from tandau.services.jobs import get_job, run_job, submit, transports, uploads
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.store.control_models import ControlImport, ControlTargetRow
from tandau.store.files import default_store
from tandau.store.jobs_models import Job
from tests.integration.control.test_control_data import TARGETS, _reports
from tests.integration.web.conftest import WebClient, add_staff, make_app
from tests.unit.control.test_programmes_budget import CSV, MODEL

from ..primaries.conftest import CENTRAL, Db, empty_database

BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
REPORTS = _reports([("750000000", "2021-12-31", "120", "1000")])
OBSERVER = Actor("observer", (Grant(Role.OBSERVER, None),))


def _count(db: Db, model: type) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _uploads(db: Db) -> list[str]:
    with db.Session() as s:
        return [f.key for f in default_store().listing(s, uploads.UPLOAD_OWNER)]


def _imports(db: Db) -> list[tuple[str, str]]:
    with db.Session() as s:
        return [(e.target, e.details["file"]) for e in audit.entries(s) if e.action == "control.import"]


@BOTH
def test_control_job_imports_the_uploads_once(db: Db) -> None:
    files = {"targets": ("T.csv", TARGETS.encode()), "reports": ("R.csv", REPORTS.encode())}
    with db.Session() as s:
        job = uploads.submit_control_import(s, CENTRAL, files, dispatch=False)
    assert job.kind == "control.import" and job.arguments["targets_name"] == "T.csv"
    assert sorted(_uploads(db)) == sorted([job.arguments["targets"], job.arguments["reports"]])  # with the job
    assert run_job(db.engine, job.id) == "succeeded"
    assert (_count(db, ControlTargetRow), _imports(db), _uploads(db)) == (
        3, [("targets", "T.csv"), ("reports", "R.csv")], [])
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).result["imported"][1] == {  # type: ignore[index]
            "kind": "reports", "file": "R.csv", "rows": 1, "added": 1}
        # as if the runner died after the import's commit, before recording success: the step is done
        s.execute(update(Job).where(Job.id == job.id).values(status="running"))
        s.commit()
    assert run_job(db.engine, job.id, resume=True) == "succeeded"
    assert (_count(db, ControlTargetRow), _count(db, ControlImport)) == (3, 2)
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).result == {"imported": "already, by an earlier attempt"}


@BOTH
def test_a_bad_control_file_fails_the_job_and_nothing_is_kept(db: Db) -> None:
    bad = _reports([("750000000", "2021-12-31", "12x", "1")]).encode()
    with db.Session() as s:
        job = uploads.submit_control_import(s, CENTRAL, {"targets": ("T.csv", TARGETS.encode()),
                                                         "reports": ("R.csv", bad)}, dispatch=False)
        with pytest.raises(PermissionDeniedError):  # refused before anything is kept
            uploads.submit_control_import(s, OBSERVER, {"targets": ("T.csv", TARGETS.encode())})
        with pytest.raises(InputError, match="give the reports too"):
            uploads.submit_control_import(s, CENTRAL, {"budget": ("datapackage.json", b"{}")})
        with pytest.raises(InputError, match="uploading its file"):  # no request names a stored file of its choice
            submit(s, CENTRAL, "control.import", {"targets": "jobs/x/report.pdf"}, dispatch=False)
    assert len(_uploads(db)) == 2
    assert run_job(db.engine, job.id) == "failed"
    with db.Session() as s:
        failed = get_job(s, CENTRAL, job.id)
    assert failed.attempts == 1 and "R.csv, row 2, column 'actual'" in (failed.error or "")
    assert (_count(db, ControlTargetRow), _imports(db), _uploads(db)) == (0, [], [])  # all or nothing


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_imports_in_the_background_with_a_budget_package(db: Db, tmp_path: Path) -> None:
    (tmp_path / "T.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "R.csv").write_text(REPORTS, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "budget.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(
        {"name": "b", "model": MODEL, "resources": [{"name": "budget", "path": "data/budget.csv"}]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["control", "import", "--targets", str(tmp_path / "T.csv"), "--reports",
                                      str(tmp_path / "R.csv"), "--budget", str(tmp_path / "datapackage.json"),
                                      "--background", "--db", db.url])
    assert result.exit_code == 0, result.output
    assert "control.import" in result.output and "succeeded" in result.output
    assert _imports(db) == [("targets", "T.csv"), ("reports", "R.csv"), ("budget", "datapackage.json")]
    assert _uploads(db) == []
    missing = CliRunner().invoke(cli, ["control", "import", "--targets", str(tmp_path / "none.csv"),
                                       "--background", "--db", db.url])
    assert missing.exit_code == 2 and "none.csv" in missing.output


def test_the_api_queues_a_control_import(tmp_path: Path) -> None:
    for db in empty_database("sqlite", tmp_path):
        add_staff(db)
        app = make_app(db, tmp_path)
        with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
            client.login("observer")
            refused = client.api("POST", "/api/v1/control/import", files={"targets": ("T.csv", TARGETS.encode())})
            assert refused.status_code == 403 and _uploads(db) == []
            client.login("central")
            empty = client.api("POST", "/api/v1/control/import", files={"other": ("x.csv", b"x")})
            assert empty.status_code == 400 and "nothing to import" in empty.text
            started = client.api("POST", "/api/v1/control/import",
                                 files={"targets": ("T.csv", TARGETS.encode()), "reports": ("R.csv", REPORTS.encode())})
            assert started.status_code == 202, started.text
            assert started.headers["location"] == f"/api/v1/jobs/{started.json()['id']}"
            assert transports(app.state.engine)[1].idle(60)
            done = client.get(started.headers["location"]).json()
            assert done["status"] == "succeeded", done["error"]
            assert [i["file"] for i in done["result"]["imported"]] == ["T.csv", "R.csv"]
            assert (_count(db, ControlTargetRow), _uploads(db)) == (3, [])
            answers = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/control/import"]["post"]
            assert answers["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobPublic")
            # the central office's page: a form whose answer opens the job's page
            page = client.get("/control/import?lang=kk")
            assert page.status_code == 200 and "Бақылау деректерін импорттау" in page.text
            assert all(f'name="{part}"' in page.text for part in uploads.CONTROL_FILES)
            assert 'href="/control/import"' in client.get("/control?lang=en").text
            nothing = client.form("/control/import", files={"targets": ("", b"")})
            assert nothing.status_code == 400 and "Nothing was imported." in nothing.text
            sent = client.form("/control/import", files={"links": ("LINKS.csv", b"ocid,programme\n")},
                               follow_redirects=False)
            assert sent.status_code == 303 and sent.headers["location"].startswith("/jobs/")
            assert transports(app.state.engine)[1].idle(60)
            failed = client.get("/api/v1" + sent.headers["location"]).json()  # a bad LINKS.csv: named, nothing kept
            assert failed["status"] == "failed" and "LINKS.csv" in failed["error"] and _uploads(db) == []
            client.login("observer")
            assert client.get("/control/import").status_code == 403
            assert 'href="/control/import"' not in client.get("/control?lang=en").text
        app.state.engine.dispose()
