"""Moderation and answers: hide with a reason (not public any more, the proposer reads the reason), restore,
merge, theme; links to commitments and not taken up; every act audited; who may do what; contacts only for
moderators and the central office, never on public pages or to observers and secretaries; the dashboard's
numbers; the staff pages in kk/ru/en."""

from __future__ import annotations

from fastapi import FastAPI

from tandau.services.primaries import audit
from tandau.services.proposals import read

from .conftest import ACTORS, DISTRICT, PROGRAMME, WebClient

CONTACT = "+7 777 123 45 67"


def _submit(client: WebClient, text: str, territory: str = DISTRICT, age: str = "18_28", contact: str = "") -> tuple[
        str, str]:
    client.login(None)
    r = client.api("POST", "/api/v1/proposals", json={"text": text, "territory": territory, "age_group": age,
                                                     "contact": contact})
    assert r.status_code == 201, r.text
    return r.json()["id"], r.json()["receipt"]


def test_hide_merge_link_and_the_audit(client: WebClient, app: FastAPI) -> None:
    app.state.proposals_per_hour = 50
    abuse, abuse_code = _submit(client, "Вы все воры и жулики, позор вам всем", contact=CONTACT)
    road, road_code = _submit(client, "Отремонтируйте дорогу на улице Абая, там ямы")
    copy, _ = _submit(client, "Отремонтируйте дорогу на улице Абая!!! там ямы")
    school, school_code = _submit(client, "Постройте новую школу в микрорайоне, учимся в три смены", age="29_34")
    region, _ = _submit(client, "Нужен газ в селе Узынагаш, зимой топим углём", territory="193600000", age="60_plus")
    # the near-duplicate joined its neighbour's group at once
    client.login("central")
    listed = {p["id"]: p for p in client.get("/api/v1/proposals?limit=500").json()["proposals"]}
    assert listed[copy]["duplicate_group"] == road and listed[road]["duplicate_group"] == road
    assert listed[school]["theme"] == "education" and listed[school]["confidence"] == 0.87
    # a secretary may not moderate; a moderator of another territory may not either
    client.login("sec-almaty")
    r = client.api("POST", f"/api/v1/proposals/{abuse}/moderation", json={"op": "hide", "reason": "abuse"})
    assert r.status_code == 403
    client.login("mod-region")
    assert client.api("POST", f"/api/v1/proposals/{abuse}/moderation",
                      json={"op": "hide", "reason": "abuse"}).status_code == 403
    client.login("mod-almaty")
    r = client.api("POST", f"/api/v1/proposals/{abuse}/moderation", json={"op": "hide", "reason": "nonsense"})
    assert r.status_code == 422
    r = client.api("POST", f"/api/v1/proposals/{abuse}/moderation",
                   json={"op": "hide", "reason": "abuse", "note": "insults"})
    assert r.status_code == 200 and r.json()["status"] == "hidden" and r.json()["hidden_reason"] == "abuse"
    assert r.json()["contact"] == CONTACT  # the moderator sees the contact
    r = client.api("POST", f"/api/v1/proposals/{abuse}/moderation", json={"op": "merge", "into": road})
    assert r.status_code == 409
    r = client.api("POST", f"/api/v1/proposals/{copy}/moderation", json={"op": "merge", "into": road})
    assert r.json()["status"] == "merged" and r.json()["merged_into"] == road
    r = client.api("POST", f"/api/v1/proposals/{school}/moderation", json={"op": "theme", "theme": "housing"})
    assert (r.json()["theme"], r.json()["theme_by_person"], r.json()["confidence"]) == ("housing", True, None)
    assert client.api("POST", f"/api/v1/proposals/{school}/moderation",
                      json={"op": "theme", "theme": "astrology"}).status_code == 400
    # links: the secretary answers; the moderator may not
    assert client.api("POST", f"/api/v1/proposals/{road}/links",
                      json={"status": "answered", "commitments": [f"{PROGRAMME}/75-roads-01"]}).status_code == 403
    client.login("sec-almaty")
    r = client.api("POST", f"/api/v1/proposals/{road}/links",
                   json={"status": "answered", "commitments": ["75-roads-01"]})
    assert r.status_code == 400 and "PROGRAMME/COMMITMENT" in r.json()["error"]["message"]
    r = client.api("POST", f"/api/v1/proposals/{road}/links",
                   json={"status": "answered", "commitments": [f"{PROGRAMME}/75-roads-09"]})
    assert r.status_code == 400 and "no commitment '75-roads-09'" in r.json()["error"]["message"]
    r = client.api("POST", f"/api/v1/proposals/{road}/links",
                   json={"status": "answered", "commitments": [f"{PROGRAMME}/75-roads-01", f" {PROGRAMME}/75-roads-02 ",
                                                               f"{PROGRAMME}/75-roads-01"]})
    assert r.status_code == 200
    assert r.json()["commitments"] == [f"{PROGRAMME}/75-roads-01", f"{PROGRAMME}/75-roads-02"]
    assert r.json()["contact"] is None  # a secretary never sees contacts
    assert client.api("POST", f"/api/v1/proposals/{school}/links",
                      json={"status": "not_taken", "reason": " "}).status_code == 400
    r = client.api("POST", f"/api/v1/proposals/{school}/links",
                   json={"status": "not_taken", "reason": "already funded in the state programme"})
    assert r.json()["status"] == "not_taken"
    assert client.api("POST", f"/api/v1/proposals/{region}/links",
                      json={"status": "not_taken", "reason": "x"}).status_code == 403  # Almaty region: not theirs
    with app.state.sessions() as s:
        actions = [(e.action, e.target, e.actor) for e in audit.entries(s) if e.action.startswith("proposal.")]
        assert audit.verify(s).ok
    assert actions == [("proposal.hide", abuse, "mod-almaty"), ("proposal.merge", copy, "mod-almaty"),
                       ("proposal.theme", school, "mod-almaty"), ("proposal.answer", road, "sec-almaty"),
                       ("proposal.not_taken", school, "sec-almaty")]
    # the public: hidden proposals are not shown; the receipt says hidden and why; statuses and answers
    client.login(None)
    page = client.get(f"/proposals/t/{DISTRICT}")
    assert page.status_code == 200 and "воры" not in page.text and abuse not in page.text
    assert f"{PROGRAMME}/75-roads-01, {PROGRAMME}/75-roads-02" in page.text and "already funded" in page.text
    assert f"with proposal {road}" in page.text
    city = client.get("/proposals/t/750000000").text
    assert "3 proposals." in city and "Узынагаш" not in city  # the district's, not Almaty region's
    hidden = client.get(f"/api/v1/proposals/receipt/{abuse_code}").json()
    assert (hidden["status"], hidden["hidden_reason"], hidden["text"]) == ("hidden", "abuse", None)
    assert client.get(f"/api/v1/proposals/receipt/{road_code}").json()["commitments"] == [
        f"{PROGRAMME}/75-roads-01", f"{PROGRAMME}/75-roads-02"]
    ru = client.get(f"/proposals/receipt?code={school_code}&lang=ru").text
    assert "не принято" in ru and "already funded" in ru
    assert CONTACT not in page.text + city + ru
    assert client.get(f"/proposals/t/{DISTRICT}?status=hidden").status_code == 400
    assert client.get("/proposals/t/123").status_code == 400


def test_scoping_contacts_and_dashboard(client: WebClient, app: FastAPI) -> None:
    app.state.proposals_per_hour = 50
    ids = [_submit(client, f"Отремонтируйте дорогу номер {n} возле рынка", age=age, contact=CONTACT)[0]
           for n, age in enumerate(("under_18", "18_28", "29_34", "35_59"))]
    _submit(client, "Постройте школу в селе Каскелен, дети ездят далеко", territory="193600000", age="60_plus",
            contact=CONTACT)
    client.login("mod-almaty")
    client.api("POST", f"/api/v1/proposals/{ids[3]}/moderation", json={"op": "hide", "reason": "spam"})
    seen = {}
    for who in ("central", "observer", "sec-almaty", "mod-almaty", "mod-region"):
        client.login(who)
        body = client.get("/api/v1/proposals").json()
        seen[who] = (body["total"], {p["contact"] for p in body["proposals"]})
    assert seen == {"central": (5, {CONTACT}), "observer": (5, {None}), "sec-almaty": (4, {None}),
                    "mod-almaty": (4, {CONTACT}), "mod-region": (1, {CONTACT})}
    for who in ("keyholder",):
        client.login(who)
        assert client.get("/api/v1/proposals").status_code == 403
        assert client.get("/proposals/dashboard").status_code == 403
    client.login("observer")
    assert CONTACT not in client.get(f"/proposals/item/{ids[0]}").text
    assert CONTACT not in client.get("/proposals/queue?status=").text
    client.login("central")
    assert CONTACT in client.get(f"/proposals/item/{ids[0]}").text
    d = client.get("/api/v1/proposals/dashboard").json()
    assert (d["total"], d["under_35"], d["under_29"], d["by_status"]) == (4, 3, 2, {"new": 4, "hidden": 1})
    city = next(r for r in d["by_region"] if r["key"] == "750000000")
    assert city["ages"] == {"under_18": 1, "18_28": 1, "29_34": 1, "35_59": 0, "60_plus": 0}
    assert city["under_35_share"] == 1.0
    assert {(c["region"], c["theme"], c["count"]) for c in d["cells"]} == {
        ("750000000", "roads", 3), ("190000000", "education", 1)}
    assert client.get("/api/v1/proposals/dashboard?territory=190000000").json()["total"] == 1
    client.login("sec-almaty")
    assert client.get("/api/v1/proposals/dashboard").json()["total"] == 3
    with app.state.sessions() as s:
        board = read.dashboard(s, ACTORS["mod-region"])
        assert (board.total, board.under_35) == (1, 0)
    # the staff pages in three languages
    client.login("central")
    for lang, words in (("en", ("Proposals: dashboard", "Under 35")), ("ru", ("Предложения: сводка", "До 35")),
                        ("kk", ("Ұсыныстар: шолу тақтасы", "35"))):
        page = client.get(f"/proposals/dashboard?lang={lang}")
        assert page.status_code == 200 and all(w in page.text for w in words), lang
        assert 'data-count="under_35">3' in page.text
    queue = client.get("/proposals/queue?lang=ru&status=new")
    assert queue.status_code == 200 and "Очередь модерации" in queue.text and ids[0] in queue.text
    item = client.get(f"/proposals/item/{ids[0]}?lang=kk")
    assert item.status_code == 200 and "Жасыру" in item.text and 'name="csrf_token"' in item.text


def test_moderation_and_link_forms(client: WebClient, app: FastAPI) -> None:
    pid, code = _submit(client, "Постройте спортивную площадку во дворе нашего дома")
    client.login("mod-almaty")
    r = client.post(f"/proposals/item/{pid}/moderation", data={"op": "hide", "reason": "off_topic"})
    assert r.status_code == 403  # no CSRF token
    r = client.form(f"/proposals/item/{pid}/moderation", {"op": "hide", "reason": "off_topic", "note": "n"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/proposals/item/{pid}").text
    assert 'data-status="hidden"' in page and "off topic" in page and 'value="restore"' in page
    client.form(f"/proposals/item/{pid}/moderation", {"op": "restore"})
    client.login("central")
    both = f"{PROGRAMME}/75-sport-03; {PROGRAMME}/75-sport-04"
    r = client.form(f"/proposals/item/{pid}/links", {"status": "answered", "commitments": both},
                    follow_redirects=False)
    assert r.status_code == 303
    client.login(None)
    answer = client.get(f"/api/v1/proposals/receipt/{code}").json()
    assert (answer["status"], answer["commitments"]) == ("answered", [f"{PROGRAMME}/75-sport-03",
                                                                      f"{PROGRAMME}/75-sport-04"])
    page = client.get(f"/proposals/item/{pid}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")


def test_the_programme_shows_the_proposals_its_commitments_answer(client: WebClient, app: FastAPI) -> None:
    pid, _ = _submit(client, "Отремонтируйте дорогу на улице Жандосова, там ямы")
    client.login("central")
    r = client.api("POST", f"/api/v1/proposals/{pid}/links",
                   json={"status": "answered", "commitments": [f"{PROGRAMME}/75-roads-02"]})
    assert r.status_code == 200, r.text
    page = client.get(f"/programmes/{PROGRAMME}?lang=ru").text
    assert "Предложения граждан, на которые оно отвечает" in page and f'href="/proposals/item/{pid}"' in page
