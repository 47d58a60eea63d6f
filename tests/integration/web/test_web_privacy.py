"""Privacy of candidates and drafts (issue 10): public and member pages and the public JSON API show a candidate's
name, territory, sex and whether they are under 29 / under 35 on election day, with an opaque id — never a
birth date or a member id; a draft contest exists only for staff whose territory covers it."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from tandau.services.primaries import contests, nominations
from tandau.store.models import Contest, Publication
from tests.integration.primaries.conftest import CENTRAL, CLOSES, ELECTION, OPENS, Db

from .conftest import WebClient

# the world's candidates (tests/integration/primaries/conftest.py ROLL_CSV): member id -> birth date
CANDIDATES = {"m1": "1990-05-01", "m2": "1980-01-02", "m3": "1995-07-07", "m4": "2004-01-01", "m5": "1970-02-02",
              "m6": "1985-03-03"}
MEMBER_ID = re.compile(r"(?<![\w-])(" + "|".join(CANDIDATES) + r")(?![\w-])")


def _leaks(text: str) -> list[str]:
    """Birth dates (ISO, or as a page writes them: 01.05.1990, 1 May 1990...) and member ids of candidates."""
    found = [m.group(0) for m in MEMBER_ID.finditer(text)]
    for iso in CANDIDATES.values():
        y, m, d = iso.split("-")
        found += [p for p in (iso, f"{d}.{m}.{y}", f"{d}/{m}/{y}", f"{int(d)}.{m}.{y}") if p in text]
    return found


@pytest.fixture
def published(web_db: Db, tmp_path: Path) -> str:
    """almaty-region published as the publication service stores it (member ids in its summary and bulletin)."""
    header = {"format": "tandau-bulletin/1", "contest": "almaty-region",
              "declared": {"ranking": ["m6", "m5"], "elected": ["m6"], "counts": {"m5": 1, "m6": 2}}}
    data = (json.dumps(header) + "\n").encode()
    folder = tmp_path / "bulletins"
    folder.mkdir(exist_ok=True)
    (folder / "almaty-region.jsonl").write_bytes(data)
    summary = {"elected": ["m6"], "ranking": ["m6", "m5"], "women": ["m5"], "youth": [], "ballots": 3,
               "marks": {"m5": 1, "m6": 2},
               "tie_policy": "nomination-order", "seed": None,
               "ties": [{"what": "rank 1", "tied": ["m5", "m6"], "chosen": "m6", "method": "nomination-order"}]}
    with web_db.Session() as s:
        s.add(Publication(contest_id="almaty-region", published_at=datetime.now(UTC),
                          bulletin_sha256=hashlib.sha256(data).hexdigest(), result_json=json.dumps(summary)))
        contest = s.get(Contest, "almaty-region")
        assert contest is not None
        contest.status = "published"
        s.commit()
    return "almaty-region"


def test_public_and_member_views_never_show_a_birth_date_or_member_id(client: WebClient, app: FastAPI,
                                                                       published: str) -> None:
    seen: dict[str, str] = {}
    client.login(None)
    for url in ("/api/v1/contests", "/api/v1/contests/almaty-city", "/api/v1/contests/national",
                "/api/v1/contests/almaty-region", f"/api/v1/contests/{published}/results", "/results",
                f"/results/{published}", "/verify", "/"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        seen[url] = r.text
    client.login("m7")  # a member who votes in almaty-city and national and stands nowhere
    for url in ("/contests", "/contests/almaty-city/ballot", "/contests/national/ballot", "/api/v1/me/contests",
                "/api/v1/contests/almaty-city", f"/results/{published}"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        seen["m7 " + url] = r.text
    leaks = {url: _leaks(text) for url, text in seen.items() if _leaks(text)}
    assert not leaks
    # the names are there, by their opaque ids
    assert "Gulnar" in seen[f"/results/{published}"] and "Kairat" in seen[f"/results/{published}"]
    result = json.loads(seen[f"/api/v1/contests/{published}/results"])
    assert {result["names"][i] for i in result["ranking"]} == {"Kairat", "Gulnar"}


def test_a_candidate_is_name_territory_sex_and_youth_flags(client: WebClient, web_db: Db) -> None:
    client.login(None)
    city = client.get("/api/v1/contests/almaty-city").json()["candidates"]
    with web_db.Session() as s:
        ids = nominations.public_ids(s, "almaty-city")
    assert city == [
        # on election day 2026-03-15: m1 is 35, m2 46, m4 22
        {"id": ids["m1"], "name": "Aigerim", "territory": "751110000", "sex": "F", "under_29": False,
         "under_35": False, "position": 1},
        {"id": ids["m2"], "name": "Bolat", "territory": "751110000", "sex": "M", "under_29": False,
         "under_35": False, "position": 2},
        {"id": ids["m4"], "name": "Erlan", "territory": "751110000", "sex": "M", "under_29": True, "under_35": True,
         "position": 3},
    ]
    dana = client.get("/api/v1/contests/national").json()["candidates"][2]
    assert (dana["name"], dana["under_29"], dana["under_35"]) == ("Dana", False, True)  # 30 on election day


@pytest.fixture
def draft(web_db: Db) -> str:
    """A draft contest of Almaty city (sec-almaty's territory, not sec-region's) with one candidate."""
    with web_db.Session() as s:
        contests.create_cycle(s, CENTRAL, "2026-by", "By-elections 2026", ELECTION)
        contests.create_contest(s, CENTRAL, contests.ContestSpec(
            "city-by", "2026-by", "Almaty city by-election", "regional", "Almaty", "approval", 1, OPENS, CLOSES,
            council_id="ms-75", kato="750000000"))
        nominations.register_nomination(s, CENTRAL, nominations.NominationRequest("city-by", "m7"))
    return "city-by"


@pytest.mark.parametrize(("subject", "sees"), [
    (None, False), ("m1", False), ("m7", False), ("sec-region", False),
    ("sec-almaty", True), ("observer", True), ("central", True),
])
def test_a_draft_is_shown_only_to_staff_of_its_territory(client: WebClient, draft: str, subject: str | None,
                                                         sees: bool) -> None:
    client.login(subject)
    detail = client.get(f"/api/v1/contests/{draft}")
    listed: list[dict[str, Any]] = client.get("/api/v1/contests").json()
    drafts: list[dict[str, Any]] = client.get("/api/v1/contests", params={"status": "draft"}).json()
    if sees:
        assert detail.status_code == 200 and detail.json()["candidates"][0]["name"] == "Saule"
        assert draft in {c["id"] for c in listed} and [c["id"] for c in drafts] == [draft]
    else:
        assert detail.status_code == 404 and detail.json()["error"]["code"] == "not_found"
        unknown = client.get("/api/v1/contests/no-such-by").json()  # answered exactly as a contest that is not
        assert json.dumps(detail.json()).replace(draft, "no-such-by") == json.dumps(unknown)
        assert draft not in {c["id"] for c in listed} and drafts == []
        page = client.get(f"/contests/{draft}/ballot", follow_redirects=False)  # no page either
        assert page.status_code == (303 if subject is None else 404)
    assert {c["status"] for c in listed} - {"draft"} == {"open"}


def test_the_contest_page_offers_a_disqualification_only_where_it_can_succeed(client: WebClient, web_db: Db) -> None:
    client.login("sec-almaty")  # the contest is open: frozen for the secretary
    page = client.get("/admin/contests/almaty-city").text
    assert "/nominations/m2/disqualify" not in page and 'data-frozen="open"' in page
    client.login("central")
    assert "/nominations/m2/disqualify" in client.get("/admin/contests/almaty-city").text
    with web_db.Session() as s:
        contest = s.get(Contest, "almaty-city")
        assert contest is not None
        contest.status = "closed"
        s.commit()
    page = client.get("/admin/contests/almaty-city").text
    assert "/nominations/m2/disqualify" not in page and 'data-frozen="closed"' in page
