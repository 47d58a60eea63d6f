"""Programmes on the web: the JSON API (in the OpenAPI document), the pages in kk/ru/en with their forms (CSRF),
the editor, the public page of a published programme only, the open data, and who may reach what."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tandau.services.primaries import audit

from .conftest import CYCLE, WebClient, clean_records


def _create(client: WebClient, who: str = "sec-north", council: str = "M-59") -> str:
    client.login(who)
    body = {"cycle": CYCLE, "council": council,
            "commitments": [{k: v for k, v in r.items() if v is not None} for r in clean_records()]}
    r = client.api("POST", "/api/v1/programmes", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_api_workflow_diff_comments_and_open_data(client: WebClient, app: FastAPI) -> None:
    pid = _create(client)
    r = client.get(f"/api/v1/programmes/{pid}").json()
    assert (r["status"], r["version"], r["next_steps"], len(r["commitments"])) == ("draft", 1, ["submit"], 5)
    records = r["commitments"]
    records[0]["target"] = None
    r = client.api("PUT", f"/api/v1/programmes/{pid}/commitments", json={"commitments": records, "base_version": 1})
    assert r.status_code == 200 and [f["code"] for f in r.json()["findings"]] == ["C03"]
    r = client.api("PUT", f"/api/v1/programmes/{pid}/commitments", json={"commitments": records, "base_version": 1})
    assert r.status_code == 409 and "changed since version 1" in r.json()["error"]["message"]
    r = client.api("PUT", f"/api/v1/programmes/{pid}/commitments",
                   json={"commitments": [dict(records[0], territory="750000000")]})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["loc"] == ["territory"]
    assert client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": "submit"}).status_code == 200
    client.login("central")
    r = client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": "approve"})
    assert r.status_code == 409 and "error-level finding" in r.json()["error"]["message"]
    r = client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": "return", "reason": "R-1 target"})
    assert r.json()["status"] == "returned" and r.json()["steps"][-1]["reason"] == "R-1 target"
    r = client.api("POST", f"/api/v1/programmes/{pid}/comments",
                   json={"body": "Give R-1 a target", "commitment": "R-1"})
    assert r.status_code == 201 and r.json()["version"] == 2
    records[0]["target"] = "230"
    client.login("sec-north")
    client.api("PUT", f"/api/v1/programmes/{pid}/commitments", json={"commitments": records})
    d = client.get(f"/api/v1/programmes/{pid}/diff?before=1&after=3").json()
    assert d["changed"] == [{"commitment": "R-1", "fields": [{"field": "target", "before": "200", "after": "230"}]}]
    client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": "submit"})
    client.login("central")
    for step in ("approve", "publish"):
        assert client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": step}).status_code == 200
    r = client.api("POST", f"/api/v1/programmes/{pid}/commitments/D-1/control-target")
    assert r.status_code == 201 and (r.json()["programme"], r.json()["added"]) == ("M-5910", 1)
    client.login(None)
    doc = client.get(f"/api/v1/programmes/published?cycle={CYCLE}").json()
    assert doc["schema"] == "tandau-programmes/1" and [p["id"] for p in doc["programmes"]] == [pid]
    assert doc["programmes"][0]["sections"][1]["commitments"][0]["target"] == "230"
    assert client.get(f"/api/v1/programmes/published/{pid}").json()["version"] == 3
    with app.state.sessions() as s:
        assert audit.verify(s).ok
        assert {"programme.create", "programme.version", "programme.step", "programme.comment",
                "programme.to_control", "control.import"} <= {e.action for e in audit.entries(s)}


@pytest.mark.parametrize("pdb", ["sqlite"], indirect=True)  # the document does not depend on the database
def test_api_in_the_openapi_document(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/programmes", "/api/v1/programmes/{programme_id}", "/api/v1/programmes/published",
                 "/api/v1/programmes/{programme_id}/diff", "/api/v1/programmes/{programme_id}/steps",
                 "/api/v1/programmes/{programme_id}/commitments/{commitment}/control-target"):
        assert path in spec["paths"], path
    assert "CycleDocument" in spec["components"]["schemas"]
    assert spec["paths"]["/api/v1/programmes/published"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"].endswith("/CycleDocument")


def test_public_page_shows_only_published_programmes(client: WebClient) -> None:
    pid = _create(client)
    client.login(None)
    assert client.get(f"/p/{pid}").status_code == 404
    assert client.get(f"/p/{pid}.pdf").status_code == 404
    assert client.get(f"/api/v1/programmes/published/{pid}").status_code == 404
    assert client.get("/api/v1/programmes").json()["error"]["code"] == "not_signed_in"
    client.login("central")
    for step in ("submit", "approve", "publish"):
        client.api("POST", f"/api/v1/programmes/{pid}/steps", json={"step": step})
    client.login(None)
    for lang, text in (("kk", "Су және кәріз"), ("ru", "Вода и канализация"), ("en", "Water and sewerage")):
        page = client.get(f"/p/{pid}?lang={lang}")
        assert page.status_code == 200 and text in page.text, lang
    assert "Обеспечение сёл чистой питьевой водой" in client.get(f"/p/{pid}?lang=ru").text
    assert "Ауылдарды таза ауызсумен қамту" in client.get(f"/p/{pid}?lang=kk").text
    pdf = client.get(f"/p/{pid}.pdf?lang=kk")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == (
        "application/pdf")
    assert client.get(f"/p/{pid}.pdf?lang=de").status_code == 400


def test_pages_in_three_languages_and_forms_with_csrf(client: WebClient) -> None:
    pid = _create(client)
    for lang, words in (("kk", ("Сапа тексерулері", "Орталық аппаратқа жіберу")),
                        ("ru", ("Проверки качества", "Направить в центральный аппарат")),
                        ("en", ("Quality checks", "Submit to the central office"))):
        page = client.get(f"/programmes/{pid}?lang={lang}")
        assert page.status_code == 200 and all(w in page.text for w in words), lang
        assert client.get(f"/programmes?lang={lang}").status_code == 200
        assert client.get(f"/programmes/{pid}/edit?lang={lang}").status_code == 200
    listing = client.get("/programmes?lang=ru&status=draft")
    assert pid in listing.text and 'name="csrf_token"' in listing.text
    # the editor: change a commitment, add one, remove one, each a new version
    r = client.form(f"/programmes/{pid}/commitments", {
        "replaces": "R-1", "base_version": "1", "commitment": "R-1", "section": "roads", "territory": "590000000",
        "text_ru": "Ремонт областных дорог", "indicator": "roads_repaired", "unit": "km", "baseline": "120",
        "baseline_year": "2022", "target": "210", "deadline": "2027-12-31", "direction": "increase",
        "kind": "cumulative", "budget_kzt": "4500000000", "funding": "local", "responsible": "Akimat",
        "development_indicator": "DP-59-roads", "state_programme": "", "proposals": "P-101; P-102"},
        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/edit#c-R-1")
    r = client.form(f"/programmes/{pid}/commitments", {"base_version": "2", "commitment": "Y-1", "section": "jobs",
                                                        "text_kk": "Жастарға жұмыс", "territory": "593200000"})
    assert r.status_code == 200 and "Жастарға жұмыс" in r.text
    assert client.form(f"/programmes/{pid}/commitments/D-3/remove", {"base_version": "3"}).status_code == 200
    page = client.get(f"/programmes/{pid}?before=1&after=4&lang=en")
    assert "Changes from version 1 to version 4" in page.text and "Y-1" in page.text and "<del>200</del>" in page.text
    assert client.get(f"/programmes/{pid}/edit?lang=en").text.count('name="csrf_token"') >= 12
    # without the CSRF token nothing changes
    r = client.post(f"/programmes/{pid}/step", data={"step": "submit"})
    assert r.status_code == 403
    assert client.form(f"/programmes/{pid}/step", {"step": "submit"}).status_code == 200
    assert client.get(f"/api/v1/programmes/{pid}").json()["status"] == "submitted"
    # the central office returns it with reasons through the page; a secretary of another territory sees nothing
    client.login("central")
    client.form(f"/programmes/{pid}/step", {"step": "return", "reason": "budget of Y-1"})
    client.form(f"/programmes/{pid}/comments", {"body": "see C07", "commitment": "Y-1"})
    page = client.get(f"/programmes/{pid}?lang=ru")
    assert "budget of Y-1" in page.text and "see C07" in page.text and "возвращена" in page.text
    client.login("sec-almaty")
    assert client.get(f"/programmes/{pid}").status_code == 403
    assert pid not in client.get("/programmes").text
    client.login("keyholder")
    assert client.get(f"/programmes/{pid}/edit").status_code == 403


def test_navigation_shows_the_module_by_role(client: WebClient) -> None:
    for who, shown in (("central", True), ("sec-north", True), ("observer", True), ("keyholder", False)):
        client.login(who)
        assert ('href="/programmes"' in client.get("/programmes" if shown else "/keys").text) == shown, who


def test_create_from_an_uploaded_file(client: WebClient) -> None:
    from .conftest import VECTORS

    client.login("sec-north")
    data = (VECTORS / "clean.csv").read_bytes()
    r = client.form("/programmes", {"cycle": CYCLE, "council": "M-59"},
                    files={"file": ("clean.csv", data, "text/csv")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/programmes/M-59-2023"
    assert len(client.get("/api/v1/programmes/M-59-2023").json()["commitments"]) == 5
    bad = data.replace(b"590000000,roads", b"590000000,potholes", 1)
    r = client.form("/programmes", {"cycle": "2024", "council": "M-59"}, files={"file": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 400 and "potholes" in r.text
    assert client.get("/api/v1/programmes?cycle=2024").json() == []
    client.login("sec-almaty")  # not their territory: refused before the file is read
    r = client.form("/programmes", {"cycle": "2024", "council": "M-59"}, files={"file": ("x.csv", b"\x00", "text/csv")})
    assert r.status_code == 403


def test_a_control_target_from_the_programme_page(client: WebClient) -> None:
    pid = _create(client)
    client.login("central")
    for step in ("submit", "approve"):
        client.form(f"/programmes/{pid}/step", {"step": step})
    page = client.get(f"/programmes/{pid}?lang=en")
    assert page.text.count("Make it a control target") == 5 and 'href="/proposals/item/P-101"' in page.text
    r = client.form(f"/programmes/{pid}/to-control", {"commitment": "R-2"})
    assert r.status_code == 200 and "Commitment R-2 is now a control target." in r.text
    assert r.text.count("Make it a control target") == 4 and r.text.count("A control target") == 1
    r = client.form(f"/programmes/{pid}/to-control", {"commitment": "D-3"})  # level, decrease: a target
    assert r.status_code == 200 and r.text.count("Make it a control target") == 3
    client.login("sec-north")
    assert "Make it a control target" not in client.get(f"/programmes/{pid}").text
    assert client.form(f"/programmes/{pid}/to-control", {"commitment": "R-1"}).status_code == 403


def test_the_editor_answers_htmx_with_its_fragment(client: WebClient) -> None:
    pid = _create(client)
    hx = {"HX-Request": "true"}
    r = client.form(f"/programmes/{pid}/commitments", {"base_version": "1", "commitment": "Y-1", "section": "jobs",
                                                        "text_kk": "Жастарға жұмыс", "territory": "593200000"},
                    headers=hx)
    assert r.status_code == 200 and r.text.startswith('<div id="editor">') and "<html" not in r.text
    assert '<details id="c-Y-1" open>' in r.text and 'name="base_version" value="2"' in r.text
    # a refusal is shown in the fragment, nothing saved
    r = client.form(f"/programmes/{pid}/commitments", {"base_version": "1", "commitment": "Y-2", "text_kk": "x"},
                    headers=hx)
    assert r.status_code == 200 and 'role="alert"' in r.text and "changed since version 1" in r.text
    r = client.form(f"/programmes/{pid}/commitments", {"base_version": "2", "commitment": "bad id", "text_kk": "x"},
                    headers=hx)
    assert 'role="alert"' in r.text and "a commitment id is" in r.text
    r = client.form(f"/programmes/{pid}/commitments/Y-1/remove", {"base_version": "2"}, headers=hx)
    assert r.status_code == 200 and 'id="c-Y-1"' not in r.text
    assert client.get(f"/api/v1/programmes/{pid}").json()["version"] == 3
    client.login("sec-almaty")  # another territory: refused, not a fragment
    r = client.form(f"/programmes/{pid}/commitments/R-1/remove", {"base_version": "3"}, headers=hx)
    assert r.status_code == 403
