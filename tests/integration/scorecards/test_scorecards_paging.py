"""Scorecards a page at a time (issue 15): the API's ``offset``/``limit`` and ``total``, the page's Previous/Next,
and the service's pages are slices of the whole list with the same numbers; the counts the database makes are the
same on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandau.errors import InputError
from tandau.services.primaries import auth
from tandau.services.scorecards.compute import as_json, compute, page
from tandau.web.routers.scorecards import pages
from tests.integration.primaries.conftest import CENTRAL, Db, empty_database
from tests.integration.web.conftest import WebClient

from .conftest import ACTORS, AS_OF, STAFF, seed

DAY = AS_OF.isoformat()


def test_the_service_pages_are_slices_of_the_whole(db: Db) -> None:
    with db.Session() as s:
        central = ACTORS["central"]
        whole = as_json(compute(s, central, as_of=AS_OF))["scorecards"]
        assert len(whole) > 4  # deputies, factions, branches and akims of the seeded world
        for offset, limit in ((0, 2), (2, 2), (3, 100), (len(whole), 5)):
            shown = page(s, central, as_of=AS_OF, offset=offset, limit=limit)
            assert shown.total == len(whole) and shown.offset == offset and shown.limit == limit
            assert as_json(shown.cards)["scorecards"] == whole[offset:offset + limit]
        assert page(s, central, as_of=AS_OF).cards == compute(s, central, as_of=AS_OF)
        with pytest.raises(InputError):
            page(s, central, as_of=AS_OF, offset=-1)


def test_the_api_pages_through_every_scorecard(client: WebClient) -> None:
    client.login("central")
    whole = client.get(f"/api/v1/scorecards?as_of={DAY}&limit=1000").json()
    assert whole["total"] == len(whole["scorecards"]) and whole["offset"] == 0 and whole["limit"] == 1000
    collected: list[dict[str, object]] = []
    offset = 0
    while True:
        body = client.get(f"/api/v1/scorecards?as_of={DAY}&limit=2&offset={offset}").json()
        assert body["total"] == whole["total"] and len(body["scorecards"]) <= 2
        collected += body["scorecards"]
        offset += 2
        if offset >= body["total"]:
            break
    assert collected == whole["scorecards"]
    assert client.get(f"/api/v1/scorecards?as_of={DAY}&offset={whole['total']}").json()["scorecards"] == []
    for bad in ("limit=0", "limit=1001", "offset=-1"):
        assert client.get(f"/api/v1/scorecards?{bad}").status_code == 422, bad
    described = {p["name"]: p for p in client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/scorecards"]["get"]
                 ["parameters"]}
    assert described["limit"]["schema"]["maximum"] == 1000 and "offset" in described


def test_the_page_links_the_previous_and_next_subjects(client: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_CARDS", 1)
    client.login("central")
    first = client.get(f"/deputies/scorecards?kind=deputy&as_of={DAY}").text
    total = client.get(f"/api/v1/scorecards?kind=deputy&as_of={DAY}").json()["total"]
    assert total >= 2
    assert f"Subjects 1 to 1 of {total}" in first and 'rel="prev"' not in first
    assert f'href="/deputies/scorecards?kind=deputy&amp;as_of={DAY}&amp;offset=1" rel="next"' in first
    second = client.get(f"/deputies/scorecards?kind=deputy&as_of={DAY}&offset=1").text
    assert f"Subjects 2 to 2 of {total}" in second
    assert f'href="/deputies/scorecards?kind=deputy&amp;as_of={DAY}&amp;offset=0" rel="prev"' in second
    ids = [text.split('<article class="scorecard" id="s-', 1)[1].split('"', 1)[0] for text in (first, second)]
    assert ids[0] != ids[1]
    russian = client.get(f"/deputies/scorecards?kind=deputy&as_of={DAY}", headers={"Accept-Language": "ru"}).text
    assert f"Субъекты с 1 по 1 из {total}" in russian and "Далее" in russian


def test_sqlite_and_postgresql_count_alike(db: Db, tmp_path: Path) -> None:
    with db.Session() as s:
        expected = as_json(compute(s, ACTORS["central"], as_of=AS_OF))
    for database in empty_database("postgresql", tmp_path):
        with database.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
            seed(s)
            assert as_json(compute(s, ACTORS["central"], as_of=AS_OF)) == expected
