"""The jobs page and API: each secretary sees their territory's jobs, progress refreshes, cancel needs the CSRF
token and is audited, the API's idempotency key, and the routes in OpenAPI."""

from __future__ import annotations

from pathlib import Path

from tandau.services.jobs import submit
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor, Grant, Role
from tests.integration.web.conftest import WebClient, add_staff, make_app

from ..primaries.conftest import CENTRAL, Db, empty_database

SEC_ALMATY = Actor("sec-almaty", (Grant(Role.SECRETARY, "750000000"),))


def test_page_reach_refresh_and_cancel(web: tuple[Db, WebClient]) -> None:
    db, client = web
    with db.Session() as s:
        mine = submit(s, SEC_ALMATY, "test.steps", {"n": 2, "kato": "751110000"}, dispatch=False)
        national = submit(s, CENTRAL, "test.steps", {"n": 2}, dispatch=False)
    page = client.login("sec-almaty").get("/jobs")
    assert page.status_code == 200 and mine.id in page.text and national.id not in page.text
    if client.app.state.vendor.get("htmx.org"):  # type: ignore[attr-defined]
        assert 'hx-trigger="every 2s"' in page.text  # unfinished jobs: the rows refresh
    assert client.get(f"/jobs/{national.id}").status_code == 404
    detail = client.get(f"/jobs/{mine.id}?fragment=1")
    assert "0/?" not in detail.text and "Cancel the job" in detail.text
    assert client.post(f"/jobs/{mine.id}/cancel").status_code == 403  # no CSRF token
    done = client.form(f"/jobs/{mine.id}/cancel", follow_redirects=False)
    assert done.status_code == 303
    assert "cancelled" in client.get(f"/jobs/{mine.id}").text
    central = client.login("central").get("/jobs?lang=ru")
    assert "Фоновые задачи" in central.text and mine.id in central.text and national.id in central.text
    assert client.login("sec-region").get("/jobs").text.count("/jobs/") == 0
    with db.Session() as s:
        assert [(e.actor, e.target) for e in audit.entries(s) if e.action == "job.cancel"] == [("sec-almaty", mine.id)]


def test_api_submit_idempotent_show_cancel_and_openapi(web: tuple[Db, WebClient]) -> None:
    _, client = web
    client.login("central")
    body = {"kind": "test.steps", "arguments": {"n": 3}}
    first = client.api("POST", "/api/v1/jobs", json=body, headers={"Idempotency-Key": "api-request-0001"})
    again = client.api("POST", "/api/v1/jobs", json=body, headers={"Idempotency-Key": "api-request-0001"})
    assert first.status_code == 202, first.text
    assert again.json()["id"] == first.json()["id"]
    job_id = first.json()["id"]
    assert client.get("/api/v1/jobs").json()[0]["id"] == job_id
    shown = client.get(f"/api/v1/jobs/{job_id}").json()
    assert shown["kind"] == "test.steps" and shown["max_attempts"] == 3
    bad = client.api("POST", "/api/v1/jobs", json={"kind": "test.steps", "arguments": {"member": "m1"}})
    assert bad.status_code == 400 and "unknown argument" in bad.text
    assert client.login("observer").api("POST", f"/api/v1/jobs/{job_id}/cancel").status_code == 403
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/cancel"} <= set(paths)


def test_start_a_job_from_the_page_once(web: tuple[Db, WebClient]) -> None:
    db, client = web
    page = client.login("central").get("/jobs")
    assert "lists.form-all" in page.text and "contest.close-decrypt" not in page.text  # key shares: never here
    # each kind is said in the page's language, its id beside it
    assert "Сформировать все списки цикла — lists.form-all" in client.get("/jobs?lang=ru").text
    assert "Циклдің барлық тізімдерін қалыптастыру — lists.form-all" in client.get("/jobs?lang=kk").text
    form = {"kind": "report.congress", "arguments": "lang=en\ncycle_id=none", "request_key": "page-form-key-1"}
    first = client.form("/jobs", form, follow_redirects=False)
    again = client.form("/jobs", form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert "Отчёт съезду (PDF)" in client.get(first.headers["location"] + "?lang=ru").text
    bad = client.form("/jobs", {"kind": "report.congress", "arguments": "no equals sign"})
    assert bad.status_code == 400 and "name=value" in bad.text
    with db.Session() as s:
        assert [e.action for e in audit.entries(s)].count("job.submit") == 1
    # an observer reads the report and the jobs but starts none (issue 15: only who may act starts a job)
    observer = client.login("observer")
    assert observer.get("/jobs").text.count('name="kind"') == 0
    refused = observer.form("/jobs", {**form, "request_key": "page-form-key-2"}, follow_redirects=False)
    assert refused.status_code == 403
    assert observer.api("POST", "/api/v1/jobs", json={"kind": "report.congress", "arguments": {"lang": "en"}}
                        ).status_code == 403
    with db.Session() as s:
        assert [e.action for e in audit.entries(s)].count("job.submit") == 1


def test_the_report_page_builds_its_pdf_as_a_job(tmp_path: Path) -> None:
    from ..primaries.conftest import build_world
    from .conftest import vote_and_close

    for db in empty_database("sqlite", tmp_path):
        world = build_world(db, tmp_path)
        vote_and_close(world)
        add_staff(db)
        app = make_app(db, tmp_path)
        with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
            report = client.login("observer").get("/report")  # reads the report, starts no job
            assert report.status_code == 200 and "Download the PDF" in report.text
            assert "Build the PDF in the background" not in report.text
            page = client.login("central").get("/report")
            assert "Build the PDF in the background" in page.text
            started = client.form("/jobs", {"kind": "report.congress", "arguments": "cycle_id=2026\nlang=en"},
                                  follow_redirects=False)
            assert started.status_code == 303
            from tandau.services.jobs import transports

            assert transports(app.state.engine)[1].idle(60)
            job_page = client.get(started.headers["location"])
            assert "succeeded" in job_page.text, job_page.text
            pdf = client.get(started.headers["location"] + "/output")
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        app.state.engine.dispose()
