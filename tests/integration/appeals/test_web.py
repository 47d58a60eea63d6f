"""Appeals on the web: the public form and receipt page (CSRF, limit, rating), the staff pages (queue, an appeal
with its applicant only for its handlers, steps by form, dashboard, staff entry) and the JSON API (steps, import
all or nothing, pseudonymised export), kk/ru/en."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from fastapi import FastAPI

from tandau.services.appeals import deadlines, intake
from tandau.services.appeals.intake import AppealForm

from .conftest import ACTORS, DISTRICT, KEYS, NOW, WebClient


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services' clock at Monday 2 March 2026, 09:00 in Almaty."""
    monkeypatch.setattr(deadlines, "now_utc", lambda now=None: (now or NOW).astimezone(UTC))


ROAD = "Во дворе дома 5 по улице Абая разбита дорога, прошу отремонтировать"


def _submit(client: WebClient, **extra: str) -> str:
    r = client.form("/appeals/new", {"text": ROAD, "territory": DISTRICT, "name": "Айгерим Садыкова",
                                     "contact": "+7 701 123 45 67", **extra})
    assert r.status_code == 200, r.text
    found = re.search(r"data-receipt>([0-9A-Z-]+)<", r.text)
    assert found is not None
    return found.group(1)


def _appeal_id(app: FastAPI) -> str:
    from sqlalchemy import select

    from tandau.store.appeals_models import Appeal
    with app.state.sessions() as s:
        return str(s.scalars(select(Appeal.id)).first())


def test_public_form_receipt_and_rating(client: WebClient, app: FastAPI) -> None:
    assert client.get("/appeals/new?region=750000000").status_code == 200
    r = client.post("/appeals/new", data={"text": ROAD, "territory": DISTRICT})
    assert r.status_code == 403  # no CSRF token
    code = _submit(client)
    page = client.get(f"/appeals/receipt?code={code}")
    assert page.status_code == 200 and 'data-status="received"' in page.text and "Садыкова" not in page.text
    assert client.get("/appeals/receipt?code=0000-0000-0000").status_code == 404
    bad = client.form("/appeals/new", {"text": "short", "territory": DISTRICT})
    assert bad.status_code == 400 and 'data-error-field="text"' in bad.text
    api = client.api("GET", f"/api/v1/appeals/receipt/{code}").json()
    assert api["status"] == "received" and api["due_on"] == "2026-03-27"
    assert client.api("POST", f"/api/v1/appeals/receipt/{code}/satisfaction", json={"satisfaction": 5}).json()[
        "error"]["code"] == "conflict"
    client.login("central")
    appeal_id = _appeal_id(app)
    assert client.api("POST", f"/api/v1/appeals/{appeal_id}/steps", json={
        "step": "answer", "outcome": "resolved", "text": "Отремонтируем в апреле"}).status_code == 200
    client.login(None)
    rated = client.form("/appeals/receipt", {"code": code, "satisfaction": "4"}, follow_redirects=True)
    assert rated.status_code == 200 and "4 / 5" in rated.text and 'data-outcome="resolved"' in rated.text


def test_form_limit_per_address(client: WebClient, app: FastAPI) -> None:
    app.state.appeals_per_hour = 1
    _submit(client)
    r = client.form("/appeals/new", {"text": ROAD, "territory": DISTRICT})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    api = client.api("POST", "/api/v1/appeals", json={"text": ROAD, "territory": DISTRICT})
    assert api.status_code == 429 and api.json()["error"]["code"] == "too_many_attempts"


def test_appeal_page_shows_the_applicant_to_its_handlers_only(client: WebClient, app: FastAPI) -> None:
    _submit(client)
    appeal_id = _appeal_id(app)
    client.login("sec-almaty")
    r = client.form(f"/appeals/a/{appeal_id}/steps", {"step": "route", "kind": "branch", "to": "750000000",
                                                      "handler": "handler-a"}, follow_redirects=False)
    assert r.status_code == 303
    seen = {}
    for who in ("central", "sec-almaty", "handler-a", "handler-b", "deputy-1", "observer", "sec-region"):
        client.login(who)
        page = client.get(f"/appeals/a/{appeal_id}")
        seen[who] = page.status_code if page.status_code != 200 else "Садыкова" in page.text
        api = client.api("GET", f"/api/v1/appeals/{appeal_id}")
        if api.status_code == 200:
            assert (api.json()["applicant_name"] is not None) == seen[who]
    assert seen == {"central": True, "sec-almaty": True, "handler-a": True, "handler-b": False, "deputy-1": False,
                    "observer": False, "sec-region": 403}
    client.login("handler-a")
    page = client.get(f"/appeals/a/{appeal_id}")
    assert 'data-step="extend"' in page.text and 'data-step="route"' not in page.text
    assert 'data-redirect-by="2026-03-05"' in page.text
    r = client.form(f"/appeals/a/{appeal_id}/steps", {"step": "extend", "due": "2026-06-01", "reason": "экспертиза"})
    assert r.status_code == 400
    r = client.form(f"/appeals/a/{appeal_id}/steps", {"step": "extend", "due": "2026-04-30", "reason": "экспертиза"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert 'data-status="extended"' in client.get(f"/appeals/a/{appeal_id}").text
    queue = client.get("/appeals/queue?handler=handler-a")
    assert f'data-appeal="{appeal_id}"' in queue.text and "Садыкова" not in queue.text


def test_staff_entry_dashboard_and_languages(client: WebClient, app: FastAPI) -> None:
    client.login("handler-a")
    r = client.form("/appeals/entry", {"channel": "phone", "text": ROAD, "territory": DISTRICT, "name": "Ерлан"})
    assert r.status_code == 201 and "data-receipt" in r.text
    client.login("observer")
    assert client.get("/appeals/entry").status_code == 403
    board = client.get("/appeals/dashboard")
    assert board.status_code == 200 and 'data-region="750000000"' in board.text
    for lang, word in (("kk", "Өтініштер"), ("ru", "Обращения")):
        page = client.get("/appeals/dashboard", headers={"Accept-Language": lang})
        assert word in page.text
    api = client.api("GET", "/api/v1/appeals/dashboard").json()
    assert api["total"]["total"] == 1 and api["by_channel"] == {"phone": 1}


CSV = ("id,received_at,territory,text,channel,name,contact\n"
       "r1,2026-02-20,751210000,Во дворе дома 5 по улице Абая разбита дорога,office,Иван,+77011234567\n"
       "r2,2026-02-25,751210000,Во дворе дома 5 по улице Абая разбита дорога!,phone,Иван,87011234567\n")


def test_import_all_or_nothing_and_export(client: WebClient) -> None:
    client.login("sec-almaty")
    bad = CSV + "r3,2026-13-01,123456789,short,fax,,\n"
    r = client.api("POST", "/api/v1/appeals/import", files={"file": ("a.csv", bad.encode(), "text/csv")})
    assert r.status_code == 400
    assert {(d["row"], d["column"]) for d in r.json()["error"]["details"]} == {
        (4, "received_at"), (4, "territory"), (4, "text"), (4, "channel")}
    assert client.api("GET", "/api/v1/appeals").json()["total"] == 0
    r = client.api("POST", "/api/v1/appeals/import", files={"file": ("a.csv", CSV.encode(), "text/csv")})
    assert r.status_code == 200 and r.json()["added"] == 2 and r.json()["repeats"] == 1
    again = client.api("POST", "/api/v1/appeals/import", files={"file": ("a.csv", CSV.encode(), "text/csv")})
    assert again.status_code == 400
    listed = client.api("GET", "/api/v1/appeals").json()["appeals"]
    assert all(a["applicant_name"] is None for a in listed) and len(listed) == 2
    export = client.get("/api/v1/appeals/export")
    assert export.status_code == 200 and "Иван" not in export.text and "7011234567" not in export.text
    lines = export.text.strip().splitlines()
    assert len(lines) == 3 and lines[1].split(",")[7] == lines[2].split(",")[7] != ""


def test_others_cannot_act(client: WebClient, app: FastAPI) -> None:
    with app.state.sessions() as s:
        appeal, _ = intake.register(s, ACTORS["central"], AppealForm(ROAD, DISTRICT), "office", keys=KEYS)
    for who in ("handler-b", "observer"):
        client.login(who)
        r = client.api("POST", f"/api/v1/appeals/{appeal.id}/steps", json={"step": "answer", "outcome": "resolved",
                                                                            "text": "x"})
        assert r.status_code == 403, who


def test_import_page_checks_then_imports(client: WebClient) -> None:
    client.login("observer")
    assert client.get("/appeals/import").status_code == 403
    client.login("handler-a")
    assert client.get("/appeals/import?lang=ru").status_code == 200
    bad = CSV + "r3,2026-02-26,193600000,Жол жөндеу керек ауылда,office,,\n"  # Almaty region: not handler-a's
    r = client.form("/appeals/import", {"action": "import"}, files={"file": ("a.csv", bad.encode(), "text/csv")})
    assert r.status_code == 400 and 'data-row="4" data-column="territory"' in r.text
    r = client.form("/appeals/import", {"action": "check"}, files={"file": ("a.csv", CSV.encode(), "text/csv")})
    assert r.status_code == 200 and 'data-import="checked"' in r.text
    r = client.form("/appeals/import", {"action": "import"}, files={"file": ("a.csv", CSV.encode(), "text/csv")})
    assert r.status_code == 200 and 'data-import="applied"' in r.text
    assert client.api("GET", "/api/v1/appeals").json()["total"] == 2


def test_dashboard_chart_of_the_on_time_share(client: WebClient, app: FastAPI) -> None:
    from tandau.services.appeals import workflow

    with app.state.sessions() as s:
        appeal, _ = intake.register(s, ACTORS["central"], AppealForm(ROAD, DISTRICT), "office", keys=KEYS)
        workflow.answer(s, ACTORS["central"], appeal.id, "resolved", "Сделано")
    from tandau.services.appeals import read
    from tandau.web.routers.appeals import charts

    with app.state.sessions() as s:
        board = read.dashboard(s, ACTORS["central"])
    made = charts.on_time(board.regions, lambda text: text, lambda kato: kato)
    assert made["data"]["values"] == [{"region": "750000000", "share": 1.0, "answered": 1, "total": 1,
                                       "satisfaction": None, "below": False}]
    client.login("central")
    assert client.get("/appeals/dashboard?lang=kk").status_code == 200
