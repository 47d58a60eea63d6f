"""The seat simulator extended to single-member districts: each nominee's chance, the distribution of districts
won, expected women and under-35s; service, page and API (issue 11, item 4)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandau.errors import InputError
from tandau.services import district_chances as dc
from tests.integration.primaries.conftest import CENTRAL, World
from tests.integration.primaries.test_primaries_districts import COUNCIL

from .conftest import WebClient, make_app
from .test_web_nominees import nominee_world


@pytest.fixture
def nworld(web_world: World) -> World:
    nominee_world(web_world)
    return web_world


@pytest.fixture
def client(nworld: World, tmp_path: Path) -> Iterator[WebClient]:
    app: FastAPI = make_app(nworld.db, tmp_path)
    with WebClient(app, follow_redirects=False) as c:
        yield c
    app.state.engine.dispose()


def test_chances_follow_the_shares_and_are_reproducible(nworld: World) -> None:
    with nworld.session() as s:
        sim = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.5, rivals={"b": 0.2}, sigma=0.05, swing=0.0,
                                    draws=4000, seed=7)
        again = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.5, rivals={"b": 0.2}, sigma=0.05,
                                      swing=0.0, draws=4000, seed=7)
        weak = dc.simulate_districts(s, CENTRAL, None, COUNCIL, share=0.15, rivals={"b": 0.2}, sigma=0.05,
                                     swing=0.0, draws=4000, seed=7)
        with pytest.raises(InputError, match="draws"):
            dc.simulate_districts(s, CENTRAL, None, COUNCIL, draws=10)
    assert sim == again
    assert [r.chance is None for r in sim.rows] == [False, False, True]  # the third district has no nominee
    assert all(r.chance is not None and r.chance > 0.99 for r in sim.rows[:2])  # 30 points ahead, 5-point error
    assert all(r.chance is not None and r.chance < 0.3 for r in weak.rows[:2])
    assert abs(sum(sim.seats_pmf) - 1) < 1e-9 and len(sim.seats_pmf) == 4
    assert sim.expected_seats == pytest.approx(sum(k * p for k, p in enumerate(sim.seats_pmf)))
    women = [r for r in sim.rows if r.nominee is not None and r.nominee.sex == "F"]
    assert sim.expected_women == pytest.approx(sum(r.chance or 0 for r in women))


def test_page_and_api_for_staff_of_the_territory(client: WebClient) -> None:
    client.login("sec-almaty")
    page = client.get(f"/staff/nominees/{COUNCIL}/chances?share=45&sigma=6&lang=ru")
    assert page.status_code == 200 and "Шанс победы" in page.text and 'value="45.0"' in page.text
    assert f"/staff/nominees/{COUNCIL}/chances" in client.get(f"/staff/nominees/{COUNCIL}").text
    api = client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances?share=45&draws=1000&seed=3")
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["share"] == 0.45 and body["draws"] == 1000 and len(body["districts"]) == 3
    assert body["districts"][2]["chance"] is None
    assert client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances?share=nan").status_code == 400
    assert "/api/v1/workspace/nominees/{council_id}/chances" in client.get("/api/v1/openapi.json").json()["paths"]
    client.login("sec-region")
    assert client.get(f"/api/v1/workspace/nominees/{COUNCIL}/chances").status_code == 403
    assert client.get(f"/staff/nominees/{COUNCIL}/chances").status_code == 403
