"""Roll and nominations imports as background jobs: the upload kept in the files store, the import done once
(its step committed with it), the upload removed afterwards, a refused file naming its rows, and the staff page
handing a large file to a job and showing the job's page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tandau.services.jobs import get_job, run_job, transports, uploads
from tandau.services.primaries import audit, contests, imports
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.store.files import default_store
from tandau.store.jobs_models import Job
from tandau.store.models import Member, Nomination
from tests.integration.web.conftest import WebClient, add_staff, make_app

from ..primaries.conftest import CENTRAL, CLOSES, ELECTION, OPENS, Db, empty_database

ROLL = (b"id,name,sex,birth_date,territory,contact\n"
        b"n1,Nurlan,M,1991-02-03,751110000,+77010000011\n"
        b"n2,Aigerim,F,1990-05-01,751110000,+77010000001\n")
BAD_ROLL = (b"id,name,sex,birth_date,territory,contact\n"
            b"n1,Nurlan,M,1991-02-03,751110000,\n"
            b"n2,,X,1991-02-30,751110000,\n")
NOMINATIONS = b"member,nominated_by,organisation\nn1,self,\nn2,organisation,Primary organisation 12\n"
SEC_ALMATY = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))


def _count(db: Db, model: type) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _audited(db: Db, action: str) -> int:
    with db.Session() as s:
        return sum(1 for e in audit.entries(s) if e.action == action)


def _uploads(db: Db) -> list[str]:
    with db.Session() as s:
        return [f.key for f in default_store().listing(s, uploads.UPLOAD_OWNER)]


def _draft(db: Db) -> None:
    with db.Session() as s:
        contests.create_cycle(s, CENTRAL, "2026-by", "By-elections 2026", ELECTION)
        contests.create_contest(s, CENTRAL, contests.ContestSpec(
            "city-by", "2026-by", "Almaty city by-election", "regional", "Almaty", "approval", 1, OPENS, CLOSES,
            council_id="ms-75", kato="750000000"))


BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)  # the primaries' db fixture


@BOTH
def test_roll_job_imports_once_and_drops_the_upload(db: Db) -> None:
    with db.Session() as s:
        job = uploads.submit_import(s, CENTRAL, "roll", "roll.csv", ROLL, dispatch=False)
    assert job.kind == "roll.import" and job.territory is None and "upload" in job.arguments
    assert _uploads(db) == [job.arguments["upload"]]  # kept with the job, in one transaction
    assert run_job(db.engine, job.id) == "succeeded"
    assert (_count(db, Member), _audited(db, "roll.import"), _uploads(db)) == (2, 1, [])
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).result == {
            "file": "roll.csv", "sha256": hashlib.sha256(ROLL).hexdigest(), "added": 2, "updated": 0,
            "contests": [], "frozen": 0}
        # as if the runner died after the import's commit, before recording success: the step is done
        s.execute(update(Job).where(Job.id == job.id).values(status="running"))
        s.commit()
    assert run_job(db.engine, job.id, resume=True) == "succeeded"
    assert (_count(db, Member), _audited(db, "roll.import")) == (2, 1)
    with db.Session() as s:
        assert get_job(s, CENTRAL, job.id).result == {"imported": "already, by an earlier attempt"}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_bare_submission_names_a_stored_file(db: Db) -> None:
    """Only :func:`uploads.submit_import` starts an import job: a request naming a stored file of its choosing (the
    job would read it, then remove it) is refused, and the /jobs form does not offer the kinds."""
    from tandau.errors import InputError
    from tandau.services.jobs import submit

    with db.Session() as s:
        for kind in ("roll.import", "nominations.import"):
            with pytest.raises(InputError, match="uploading its file"):
                submit(s, CENTRAL, kind, {"upload": "jobs/x/report.pdf", "name": "r.csv"}, dispatch=False)
    from tandau.web.routers.jobs.pages import submittable

    offered = {k.id for k in submittable(CENTRAL)}
    assert "exports.lists" in offered and not {"roll.import", "nominations.import"} & offered


@BOTH
def test_a_refused_file_fails_the_job_naming_its_rows(db: Db) -> None:
    with db.Session() as s:
        job = uploads.submit_import(s, CENTRAL, "roll", "bad.csv", BAD_ROLL, dispatch=False)
    assert run_job(db.engine, job.id) == "failed"
    with db.Session() as s:
        failed = get_job(s, CENTRAL, job.id)
    assert failed.attempts == 1 and "bad.csv" in (failed.error or "") and "row 3" in (failed.error or "")
    assert (_count(db, Member), _audited(db, "roll.import"), _uploads(db)) == (0, 0, [])  # nothing kept


@BOTH
def test_nominations_job_belongs_to_the_contest_territory(db: Db) -> None:
    _draft(db)
    with db.Session() as s:
        imports.roll_upload(s, CENTRAL, "roll.csv", ROLL, apply=True)
        job = uploads.submit_import(s, SEC_ALMATY, "nominations", "n.csv", NOMINATIONS, contest_id="city-by",
                                    dispatch=False)
        outsider = Actor("sec-region", (Grant(Role.SECRETARY, "190000000"),))
        with pytest.raises(PermissionDeniedError):  # refused before anything is kept
            uploads.submit_import(s, outsider, "nominations", "n.csv", NOMINATIONS, contest_id="city-by")
        with pytest.raises(PermissionDeniedError):
            uploads.submit_import(s, Actor("observer", (Grant(Role.OBSERVER, None),)), "roll", "r.csv", ROLL)
    assert job.territory == "750000000" and len(_uploads(db)) == 1
    assert run_job(db.engine, job.id) == "succeeded"
    assert (_count(db, Nomination), _audited(db, "nomination.import"), _uploads(db)) == (2, 1, [])


def test_the_import_page_hands_a_large_file_to_a_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "BACKGROUND_ROWS", 1)  # "large": over one row (the threshold itself: doctest)
    for db in empty_database("sqlite", tmp_path):
        add_staff(db)
        _draft(db)
        app = make_app(db, tmp_path)
        with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
            client.login("central")
            files = {"file": ("roll.csv", ROLL, "text/csv")}
            started = client.post("/admin/imports/roll", data={"csrf_token": client.csrf, "action": "import"},
                                  files=files, follow_redirects=False)
            assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
            checked = client.post("/admin/imports/roll", data={"csrf_token": client.csrf, "action": "check"},
                                  files=files, follow_redirects=False)
            assert checked.status_code == 200  # a check stays in the request, whatever the size
            assert transports(app.state.engine)[1].idle(60)
            assert "succeeded" in client.get(started.headers["location"]).text
            assert (_count(db, Member), _audited(db, "roll.import")) == (2, 1)
            client.login("sec-almaty")
            nominated = client.post("/admin/imports/nominations",
                                    data={"csrf_token": client.csrf, "action": "import", "contest": "city-by"},
                                    files={"file": ("n.csv", NOMINATIONS, "text/csv")}, follow_redirects=False)
            assert nominated.status_code == 303
            assert transports(app.state.engine)[1].idle(60)
            page = client.get(nominated.headers["location"])  # the secretary sees their territory's job
            assert page.status_code == 200 and "succeeded" in page.text
            assert (_count(db, Nomination), _uploads(db)) == (2, [])
        app.state.engine.dispose()


def test_the_api_answers_202_with_the_job_for_a_large_file_or_on_request(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for db in empty_database("sqlite", tmp_path):
        add_staff(db)
        _draft(db)
        app = make_app(db, tmp_path)
        with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
            client.login("observer")
            refused = client.api("POST", "/api/v1/roll/import?background=true",
                                 files={"file": ("roll.csv", ROLL, "text/csv")})
            assert refused.status_code == 403 and _uploads(db) == []  # the policy's answer, nothing kept
            client.login("central")
            dry = client.api("POST", "/api/v1/roll/import?background=true&dry_run=true",
                             files={"file": ("roll.csv", ROLL, "text/csv")})
            assert dry.status_code == 200 and dry.json()["applied"] is False  # a dry run stays in the request
            asked = client.api("POST", "/api/v1/roll/import?background=true&reason=members",
                               files={"file": ("roll.csv", ROLL, "text/csv")})
            assert asked.status_code == 202, asked.text
            job = asked.json()
            assert asked.headers["location"] == f"/api/v1/jobs/{job['id']}" and job["kind"] == "roll.import"
            assert job["arguments"]["name"] == "roll.csv" and job["arguments"]["reason"] == "members"
            assert transports(app.state.engine)[1].idle(60)
            done = client.get(asked.headers["location"]).json()
            assert done["status"] == "succeeded" and done["result"]["added"] == 2
            assert (_count(db, Member), _audited(db, "roll.import"), _uploads(db)) == (2, 1, [])
            client.login("sec-almaty")
            small = client.api("POST", "/api/v1/contests/city-by/nominations/import",
                               files={"file": ("n.csv", b"member,nominated_by\nn1,self\n", "text/csv")})
            assert small.status_code == 200 and small.json()["added"] == 1  # small: answered in the request
            monkeypatch.setattr(imports, "BACKGROUND_ROWS", 1)  # "large": over one row
            large = client.api("POST", "/api/v1/contests/city-by/nominations/import",
                               files={"file": ("n.csv", b"member,nominated_by\nn2,self\nn9,self\n", "text/csv")})
            assert large.status_code == 202 and large.json()["territory"] == "750000000"
            assert transports(app.state.engine)[1].idle(60)
            failed = client.get(large.headers["location"]).json()  # n9 is no member: the job names the row
            assert failed["status"] == "failed" and "n.csv" in failed["error"] and "row 3" in failed["error"]
            assert (_count(db, Nomination), _uploads(db)) == (1, [])  # all or nothing
            paths = client.get("/api/v1/openapi.json").json()["paths"]
            for path in ("/api/v1/roll/import", "/api/v1/contests/{contest_id}/nominations/import"):
                answers = paths[path]["post"]["responses"]
                assert answers["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobPublic")
                assert "ImportPublic" in answers["200"]["content"]["application/json"]["schema"]["$ref"]
                assert "background" in {p["name"] for p in paths[path]["post"]["parameters"]}
        app.state.engine.dispose()
