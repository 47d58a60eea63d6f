"""The voter's path without JavaScript: sign in, contests, ballot, receipt, no revote, results, /verify."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import delete

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import auth
from tandau.services.tally import verify_bulletin
from tandau.store.files import FileStore
from tandau.store.files_models import StoredFile
from tests.integration.primaries.conftest import Db, World

from .conftest import WebClient, hand_in_shares

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
TRACKER = re.compile(r'<p class="tracker" id="tracker">([0-9A-Z-]+)</p>')


def _ids(client: WebClient, contest: str) -> dict[str, str]:
    """Candidate name -> the opaque id the ballot page and the public API show (never the member id)."""
    return {c["name"]: c["id"] for c in client.get(f"/api/v1/contests/{contest}").json()["candidates"]}


def _cast_form(client: WebClient, contest: str, data: dict[str, object]) -> str:
    r = client.post(f"/contests/{contest}/ballot", data={"csrf_token": client.csrf, **data})
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    found = TRACKER.search(r.text)
    assert found is not None
    return found.group(1)


def test_sign_in_with_password_and_vote_without_javascript(
    client: WebClient, web_db: Db, frozen_time: datetime
) -> None:
    with web_db.Session() as s:
        auth.set_password(s, "m1", "correct horse battery", hasher=FAST)
    client.login(None)
    page = client.get("/signin")
    assert 'name="csrf_token"' in page.text and '<label for="secret">' in page.text
    bad = client.form("/signin", {"member_id": "m1", "secret": "wrong password!"})
    assert bad.status_code == 401
    r = client.form("/signin", {"member_id": "m1", "secret": "correct horse battery", "next": "/contests"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/contests"
    client.csrf = client.get("/api/v1/session").json()["csrf_token"]  # rotated at sign-in
    contests = client.get("/contests")
    assert "/contests/almaty-city/ballot" in contests.text and "/contests/national/ballot" in contests.text
    ballot = client.get("/contests/almaty-city/ballot")
    assert ballot.text.count('type="checkbox"') == 3 and "<script" not in ballot.text.split("</head>")[1]
    ids = _ids(client, "almaty-city")
    assert all(f'value="{ids[name]}"' in ballot.text for name in ("Aigerim", "Bolat", "Erlan"))
    tracker = _cast_form(client, "almaty-city", {"selection": [ids["Bolat"], ids["Erlan"]]})
    assert is_tracking_code(tracker)
    again = client.post("/contests/almaty-city/ballot", data={"csrf_token": client.csrf,
                                                              "selection": [ids["Aigerim"]]})
    assert again.status_code == 409 and "cannot be changed" in again.text
    assert "You have voted." in client.get("/contests?lang=en").text


def test_one_time_code_sign_in(client: WebClient) -> None:
    client.login(None)
    r = client.form("/signin/code", {"member_id": "m3"})
    code = re.search(r"your code is (\d{8})", r.text)
    assert code is not None  # development mode shows it (no SMS gateway)
    unknown = client.form("/signin/code", {"member_id": "nobody"})
    assert unknown.status_code == 200 and "your code is" not in unknown.text
    ok = client.form("/signin", {"member_id": "m3", "secret": code.group(1)}, follow_redirects=False)
    assert ok.status_code == 303
    assert client.get("/api/v1/session").json()["subject"] == "m3"


def test_invalid_ballots_are_shown_again(client: WebClient, frozen_time: datetime) -> None:
    client.login("m1")
    r = client.form("/contests/almaty-city/ballot", {"selection": list(_ids(client, "almaty-city").values())})
    assert r.status_code == 400 and "at most 2 marks" in r.text and 'checked' in r.text
    empty = client.form("/contests/almaty-city/ballot", {})
    assert empty.status_code == 400


def test_ranked_ballot_numbered_selects(client: WebClient, frozen_time: datetime) -> None:
    client.login("m5")
    page = client.get("/contests/almaty-region/ballot")
    gulnar, kairat = (f"rank_{_ids(client, 'almaty-region')[name]}" for name in ("Gulnar", "Kairat"))
    assert f'name="{gulnar}"' in page.text and "<select" in page.text
    dup = client.form("/contests/almaty-region/ballot", {gulnar: "1", kairat: "1"})
    assert dup.status_code == 400 and "given twice" in dup.text
    tracker = _cast_form(client, "almaty-region", {kairat: "1", gulnar: "2"})
    assert is_tracking_code(tracker)


def test_close_publish_verify_and_download(
    client: WebClient, frozen_time: datetime, tmp_path: Path, web_world: World, web_db: Db
) -> None:
    trackers = {}
    ids = _ids(client, "almaty-city")
    for member, names in (("m1", ["Aigerim", "Bolat"]), ("m2", ["Bolat", "Aigerim"]), ("m4", ["Erlan", "Bolat"])):
        client.login(member)
        trackers[member] = _cast_form(client, "almaty-city", {"selection": [ids[n] for n in names]})
    client.login("central")
    assert client.api("POST", "/api/v1/contests/almaty-city/close", json={"early": True}).status_code == 200
    client.login("sec-almaty")
    sealed = client.form("/admin/contests/almaty-city/publish", {"seed": ""}, follow_redirects=False)
    assert sealed.status_code == 409 and "decrypt" in sealed.text  # sealed until the key holders decrypt
    done = hand_in_shares(client, web_world, page=True)  # on the key holders' page
    assert "Decrypted:" in done.text and "almaty-city (3 ballots)" in done.text
    assert done.headers["cache-control"] == "no-store"
    client.login("sec-almaty")
    r = client.form("/admin/contests/almaty-city/publish", {"seed": ""}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/results/almaty-city", r.text[-1500:]
    client.login(None)
    page = client.get("/results/almaty-city?lang=en")
    assert page.status_code == 200 and "Overall ranking" in page.text and "Bolat" in page.text
    check = client.get("/verify", params={"contest": "almaty-city", "tracker": trackers["m2"].lower()})
    assert "the ballot was counted" in check.text
    miss = client.get("/verify", params={"contest": "almaty-city", "tracker": "0000-0000-0000-0000"})
    assert "is not in the published" in miss.text
    assert client.get("/api/v1/verify", params={"contest": "almaty-city", "tracker": trackers["m1"]}).json()[
        "published"] is True
    data = client.get("/results/almaty-city/bulletin.jsonl").content
    assert data == client.get("/api/v1/contests/almaty-city/bulletin").content
    path = tmp_path / "downloaded.jsonl"
    path.write_bytes(data)
    report = verify_bulletin(path, tracker=trackers["m4"])
    assert report.exit_code == 0 and report.tracker_found
    header = json.loads(data.split(b"\n")[0])
    assert header["ballot_count"] == 3
    # a bulletin missing from the file store (published before it existed) is rebuilt from the database,
    # checked against the published hash, and stored again
    with web_db.Session() as s:
        s.execute(delete(StoredFile).where(StoredFile.key == "bulletins/almaty-city.jsonl"))
        s.commit()
    assert client.get("/api/v1/contests/almaty-city/bulletin").content == data
    with web_db.Session() as s:
        assert s.get(StoredFile, "bulletins/almaty-city.jsonl") is not None
    # a file larger than one chunk is streamed, chunk by chunk, each read in a session of its own
    client.app.state.files = FileStore(chunk_bytes=100)  # type: ignore[attr-defined]
    streamed = client.get("/results/almaty-city/bulletin.jsonl")
    assert streamed.content == data and streamed.headers["content-length"] == str(len(data)) and len(data) > 100
