"""The control board and a region's page on the web: pages in kk/ru/en with traffic lights, trajectories and flags,
the JSON API in the OpenAPI document, a case opened from a flag, and who may see which region."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tandau.services.control.data import import_control
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, CITY, REGION, WebClient
from .test_control_data import TARGETS, _release, _reports, _write


@pytest.fixture
def data(cases_db: Db, tmp_path: Path) -> None:
    city = [(CITY, f"{y}-12-31", str(a), str(p)) for y, a, p in ((2021, 120, 1000), (2022, 240, 2000),
                                                                  (2023, 360, 3000))]
    region = [(REGION, f"{y}-12-31", str(a), str(p)) for y, a, p in ((2021, 20, 3900), (2022, 30, 3950),
                                                                    (2023, 35, 4000))]
    releases = tmp_path / "releases.jsonl"
    releases.write_text(json.dumps(_release("ocds-1", CITY, 1)) + "\n" + json.dumps(_release("ocds-2", REGION, 1)))
    with cases_db.Session() as s:
        import_control(s, ACTORS["central"], targets=_write(tmp_path, "T.csv", TARGETS),
                       reports=_write(tmp_path, "R.csv", _reports(city + region)), releases=releases)


@pytest.mark.usefixtures("data")
def test_board_and_region_pages_in_three_languages(client: WebClient) -> None:
    client.login("central")
    page = client.get("/control?lang=en")
    assert page.status_code == 200, page.text
    assert "Control board" in page.text and 'class="light red"' in page.text and "Off track" in page.text
    assert "2023" in page.text  # the default as-of date: the end of the latest reported period
    ru = client.get("/control?lang=ru").text
    assert "Almaty" not in ru and "Алматы" in ru and "Off track" not in ru
    kk = client.get("/control?lang=kk").text
    assert "Off track" not in kk
    region = client.get(f"/control/regions/{REGION}?lang=en")
    assert region.status_code == 200
    assert "P01" in region.text and "Open a control case" in region.text
    assert "R018" in region.text and "ocds-2" in region.text
    ru_region = client.get(f"/control/regions/{REGION}?lang=ru").text
    assert "Open a control case" not in ru_region and "R018" in ru_region


@pytest.mark.usefixtures("data")
def test_api_is_scoped_and_documented(client: WebClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/control/board" in paths and "/api/v1/control/regions/{region}" in paths
    client.login("ctl-almaty")
    board = client.get("/api/v1/control/board?as_of=2024-01-31").json()
    assert [r["region"] for r in board["rows"]] == [CITY]
    assert client.get(f"/api/v1/control/regions/{REGION}").status_code == 403
    mine = client.get(f"/api/v1/control/regions/{CITY}?as_of=2024-01-31").json()
    assert mine["series"][0]["assessment"]["status"] == "on_track"
    assert [f["code"] for f in mine["procurement"]["findings"]] == ["R018"]
    assert client.get("/api/v1/control/board?as_of=someday").status_code == 400
    client.login("keyholder")
    assert client.get("/api/v1/control/board").status_code == 403
    assert client.get("/control").status_code == 403


@pytest.mark.usefixtures("data")
def test_a_flag_opens_a_case(client: WebClient) -> None:
    client.login("ctl-region")
    page = client.get(f"/control/regions/{REGION}?lang=en").text
    assert 'name="flag_code" value="P01"' in page
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', page)
    assert tokens and all(t == client.csrf for t in tokens)  # every prefilled case form carries the session's token
    r = client.post("/control/cases", data={"csrf_token": client.csrf, "title": "P01 flats", "kato": REGION,
                                            "source": "flag", "flag_kind": "programme", "flag_code": "P01",
                                            "flag_ref": f"housing/flats/{REGION}"}, follow_redirects=False)
    assert r.status_code == 303
    client.login("observer")  # observers read the board but open no case
    assert 'name="flag_code"' not in client.get(f"/control/regions/{REGION}").text
