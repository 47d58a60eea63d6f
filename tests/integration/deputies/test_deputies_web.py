"""Deputies' pages (kk/ru/en, CSRF on every form, scoping) and JSON API (in the OpenAPI document)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.integration.web.conftest import WebClient

from .conftest import LIST, results_csv


def test_pages_in_three_languages(reader: WebClient) -> None:
    reader.login("sec-almaty")
    for lang, word in (("kk", "Депутаттар"), ("ru", "Депутаты"), ("en", "Deputies")):
        page = reader.get(f"/deputies?lang={lang}")
        assert page.status_code == 200 and word in page.text and "M-75-L01" in page.text
        assert 'name="csrf_token"' in page.text  # the import forms
    ru = reader.get("/deputies/d/M-75-L03?lang=ru").text
    assert "Synthetic Three" in ru and "партийный список" in ru and "Полномочия прекращены" in ru
    kk = reader.get("/deputies/councils/M-75?lang=kk").text
    assert "Фракция" in kk and "Baytaq" in kk and "Қосымша сайлау нәтижесін енгізу" in kk
    assert "Әкімдер" in reader.get("/deputies/akims?lang=kk").text


def test_forms_need_the_csrf_token_and_act(client: WebClient) -> None:
    client.login("sec-almaty")
    refused = client.post("/deputies/d/M-75-L03/vacancy", data={"reason": "resigned", "on": "2024-01-10"})
    assert refused.status_code == 403
    done = client.form("/deputies/d/M-75-L03/vacancy", {"reason": "resigned", "on": "2024-01-10"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/deputies/d/M-75-L02"
    made = client.form("/deputies/akims", {"kato": "751110000", "name": "Synthetic Akim", "appointed_at": "2022-01-05"},
                       follow_redirects=False)
    assert made.status_code == 303
    assert "Synthetic Akim" in client.get("/deputies/akims").text
    sheet = b"deputy,kind,date,people\nM-75-L01,reception,2023-06-01,12\n"
    page = client.post("/deputies/activity", data={"csrf_token": client.csrf},
                       files={"file": ("ACTIVITY.csv", sheet, "text/csv")})
    assert page.status_code == 200 and "1 record stored." in page.text


def test_a_deputy_reads_their_territory_only(reader: WebClient) -> None:
    reader.login("dep-almaty")
    assert reader.get("/deputies/d/M-75-L01").status_code == 200
    page = reader.get("/deputies/d/M-75-L01").text
    assert "/deputies/d/M-75-L01/vacancy" not in page  # a deputy does not manage
    assert reader.form("/deputies/d/M-75-L01/vacancy", {"reason": "x", "on": "2024-01-01"}).status_code == 403
    reader.login("sec-region")
    assert reader.get("/deputies/d/M-75-L01").status_code == 403
    assert "M-75-L01" not in reader.get("/deputies").text
    reader.login("keyholder")
    assert reader.get("/deputies").status_code == 403


def test_the_api(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = {p for p in spec["paths"] if p.startswith("/api/v1/deputies")}
    assert paths == {"/api/v1/deputies", "/api/v1/deputies/akims", "/api/v1/deputies/akims/{akim_id}/end",
                     "/api/v1/deputies/activity/import", "/api/v1/deputies/councils/{council_id}",
                     "/api/v1/deputies/councils/{council_id}/results",
                     "/api/v1/deputies/councils/{council_id}/by-elections", "/api/v1/deputies/{deputy_id}",
                     "/api/v1/deputies/{deputy_id}/vacancy"}
    client.login("observer")
    rows = client.get("/api/v1/deputies").json()
    assert [r["id"] for r in rows] == ["M-75-L01", "M-75-L03", "M-75-D15"]
    one = client.get("/api/v1/deputies/M-75-L03").json()
    assert one["party"] == "Baytaq" and one["owned"] == {"commitments": [], "control_cases": [], "appeals": []}
    faction = client.get("/api/v1/deputies/councils/M-75").json()
    assert faction["party_list_seats"] == 2 and len(faction["decisions"]) == 3
    assert client.api("POST", "/api/v1/deputies/M-75-L03/vacancy",
                      json={"reason": "x", "on": "2024-01-01"}).json()["error"]["code"] == "forbidden"
    client.login("central")
    out = client.api("POST", "/api/v1/deputies/M-75-L03/vacancy", json={"reason": "resigned", "on": "2024-01-10"})
    assert out.status_code == 200 and out.json()["successor"]["person_id"] == "b2"
    again = client.api("POST", "/api/v1/deputies/councils/M-75/results", data={"party": "Baytaq",
                                                                              "election_day": "2023-03-19"},
                       files={"file": ("RESULTS.csv", results_csv(), "text/csv"),
                              "party_list": ("LIST.csv", LIST, "text/csv")})
    assert again.status_code == 409  # imported once
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["deputy", "kind", "date", "choice"])
    ws.append(["M-75-L01", "vote", "2023-04-10", "nonsense"])
    buf = io.BytesIO()
    wb.save(buf)
    bad = client.api("POST", "/api/v1/deputies/activity/import",
                     files={"file": ("A.xlsx", buf.getvalue(), "application/octet-stream")})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "import_rejected"
    akim = client.api("POST", "/api/v1/deputies/akims", json={"kato": "751110000", "name": "Synthetic",
                                                              "appointed_at": "2022-01-01"})
    assert akim.status_code == 201
    ended = client.api("POST", f"/api/v1/deputies/akims/{akim.json()['id']}/end", json={"left_at": "2024-01-01"})
    assert ended.json()["left_at"] == "2024-01-01"
    by = client.api("POST", "/api/v1/deputies/councils/M-75/by-elections",
                    json={"district": "15", "winner": "W", "party": "Baytaq", "day": "2024-05-01"})
    assert by.status_code == 409  # the district is held
