"""The JSON API: session, contests, ballots, nominations, window, turnout, publication."""

from __future__ import annotations

from datetime import datetime

from tests.integration.primaries.conftest import World

from .conftest import WebClient, hand_in_shares


def test_api_voting_flow(client: WebClient, frozen_time: datetime) -> None:
    client.login(None)
    token = client.get("/api/v1/session").json()["csrf_token"]
    assert token == client.csrf
    client.login("m1")
    mine = client.get("/api/v1/me/contests").json()
    assert [m["contest"]["id"] for m in mine] == ["almaty-city", "national"]
    assert all(m["accepting"] and not m["has_voted"] for m in mine)
    detail = client.get("/api/v1/contests/national").json()
    assert [c["name"] for c in detail["candidates"]] == ["Aigerim", "Bolat", "Dana"]
    # opaque candidate ids, not member ids (the ballot API takes either)
    assert all(len(c["id"]) == 32 and c["id"] not in ("m1", "m2", "m3") for c in detail["candidates"])
    r = client.api("POST", "/api/v1/contests/national/ballots", json={"selection": ["m3", "m1"]})
    assert r.status_code == 201 and r.json()["contest_id"] == "national"
    again = client.api("POST", "/api/v1/contests/national/ballots", json={"selection": ["m2"]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    wrong = client.api("POST", "/api/v1/contests/almaty-region/ballots", json={"selection": ["m5"]})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "not_eligible"
    bad = client.api("POST", "/api/v1/contests/almaty-city/ballots", json={"selection": ["m9"]})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["loc"] == ["selection"]


def test_api_secretary_actions(client: WebClient, frozen_time: datetime, web_world: World) -> None:
    client.login("sec-almaty")
    noms = client.get("/api/v1/contests/almaty-city/nominations").json()
    assert [n["member_id"] for n in noms] == ["m1", "m2", "m4"]
    # the contest is open: its nominations are frozen, only the central office disqualifies
    r = client.api("POST", "/api/v1/contests/almaty-city/nominations/m4/disqualify", json={"reason": "forged papers"})
    assert r.status_code == 403 and "contest 'almaty-city' is open" in r.json()["error"]["message"]
    client.login("central")
    r = client.api("POST", "/api/v1/contests/almaty-city/nominations/m4/disqualify", json={"reason": "forged papers"})
    assert r.status_code == 200 and r.json()["status"] == "disqualified"
    client.login("sec-almaty")
    late = client.api("POST", "/api/v1/contests/almaty-city/nominations", json={"member_id": "m7"})
    assert late.status_code == 403 and late.json()["error"]["code"] == "not_eligible"
    ext = client.api("POST", "/api/v1/contests/almaty-city/extend",
                     json={"closes_at": "2026-03-10T18:00:00+05:00", "reason": "overload"})
    assert ext.status_code == 200 and ext.json()["closes_at"].startswith("2026-03-10T13:00")
    early = client.api("POST", "/api/v1/contests/almaty-city/close", json={"early": True})
    assert early.status_code == 403  # only central office closes early
    t = client.get("/api/v1/contests/almaty-city/turnout").json()
    assert t["eligible"] == 5 and t["voted"] == 0
    client.login("m2")
    assert client.api("POST", "/api/v1/contests/almaty-city/ballots", json={"selection": ["m1"]}).status_code == 201
    client.login("observer")
    t = client.get("/api/v1/contests/almaty-city/turnout").json()
    assert t["voted"] == 1 and {"territory": "751110000", "voted": 1, "eligible": 4} in t["by_territory"]
    client.login("central")
    assert client.api("POST", "/api/v1/contests/almaty-city/close", json={"early": True}).json()["status"] == "closed"
    sealed = client.api("POST", "/api/v1/contests/almaty-city/publish", json={})
    assert sealed.status_code == 409 and "decrypt" in sealed.json()["error"]["message"]
    done = hand_in_shares(client, web_world).json()  # two key holders through the API
    assert done["decrypted"] == [{"contest_id": "almaty-city", "counted": 1, "replaced": 0,
                                  "seed": done["decrypted"][0]["seed"]}]
    client.login("central")
    pub = client.api("POST", "/api/v1/contests/almaty-city/publish", json={})
    assert pub.status_code == 200 and pub.json()["ballots"] == 1 and "Aigerim" in pub.json()["names"].values()
    assert not {"m1", "m2", "m4"} & {*pub.json()["names"], *pub.json()["ranking"]}  # opaque ids only
    assert client.get("/api/v1/contests/almaty-city/results").json() == pub.json()


def test_admin_pages(client: WebClient, frozen_time: datetime) -> None:
    client.login("sec-almaty")
    index = client.get("/admin")
    assert "/admin/contests/almaty-city" in index.text and "almaty-region" not in index.text
    page = client.get("/admin/contests/almaty-city")
    assert "Aigerim" in page.text and 'action="/admin/contests/almaty-city/close"' in page.text
    turnout = client.get("/admin/contests/almaty-city/turnout")
    assert "751110000" in turnout.text
    fragment = client.get("/admin/contests/almaty-city/turnout?fragment=1")
    assert "<html" not in fragment.text and "751110000" in fragment.text
    refused = client.form("/admin/contests/almaty-city/nominations/m4/withdraw", {"reason": "personal"},
                          follow_redirects=False)
    assert refused.status_code == 403 and "contest &#39;almaty-city&#39; is open" in refused.text  # frozen
    client.login("central")
    r = client.form("/admin/contests/almaty-city/nominations/m4/withdraw", {"reason": "personal"},
                    follow_redirects=False)
    assert r.status_code == 303
    client.login("sec-almaty")
    assert "personal" in client.get("/admin/contests/almaty-city").text
    r = client.form("/admin/contests/almaty-city/extend", {"closes_at": "2026-03-09T12:00", "reason": "overload"},
                    follow_redirects=False)
    assert r.status_code == 303
