"""Control cases on the web: the JSON API (in the OpenAPI document), the board and the case page in kk/ru/en,
forms with CSRF, evidence upload and download, and who may reach what."""

from __future__ import annotations

import hashlib
import re

from fastapi import FastAPI

from tandau.services.primaries import audit

from .conftest import CITY, REGION, WebClient

PDF = b"%PDF-1.4\n%%EOF\n"


def _open(client: WebClient, who: str = "ctl-almaty", kato: str | None = CITY, **body: object) -> str:
    client.login(who)
    r = client.api("POST", "/api/v1/control/cases", json={"title": "Clinic repair", "kato": kato, "source": "flag",
                                                          "flag_kind": "programme", "flag_code": "P01",
                                                          "flag_ref": "health/clinics/750000000", **body})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_api_workflow_and_evidence(client: WebClient, app: FastAPI) -> None:
    case_id = _open(client)
    r = client.api("POST", f"/api/v1/control/cases/{case_id}/steps", json={"step": "close"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert "allowed now: send_inquiry, escalate" in r.json()["error"]["message"]
    r = client.api("POST", f"/api/v1/control/cases/{case_id}/steps", json={"step": "send_inquiry", "note": "to akimat",
                                                                            "due": "2099-01-31"})
    assert r.status_code == 200 and r.json()["status"] == "inquiry_sent"
    assert r.json()["due_at"].startswith("2099-01-31T19:00:00") and r.json()["next_steps"] == [
        "record_answer", "escalate"]
    r = client.api("POST", f"/api/v1/control/cases/{case_id}/files", files={"file": ("akt.pdf", PDF, "text/plain")})
    assert r.status_code == 201, r.text
    info = r.json()
    assert (info["sha256"], info["size"], info["media_type"]) == (hashlib.sha256(PDF).hexdigest(), len(PDF),
                                                                  "application/pdf")
    got = client.get(f"/api/v1/control/cases/{case_id}/files/{info['id']}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''akt.pdf"
    # wrong type, over the limit, another territory
    r = client.api("POST", f"/api/v1/control/cases/{case_id}/files", files={"file": ("x.exe", b"MZ", "text/plain")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    app.state.case_file_max_bytes = 10
    r = client.api("POST", f"/api/v1/control/cases/{case_id}/files", files={"file": ("a.txt", b"x" * 11, "text/plain")})
    assert r.status_code == 413 and r.json()["error"]["code"] == "file_too_large"
    app.state.case_file_max_bytes = None
    client.login("ctl-region")
    for path in (f"/api/v1/control/cases/{case_id}", f"/api/v1/control/cases/{case_id}/files/{info['id']}"):
        r = client.get(path)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/control/cases").json() == []
    client.login("observer")
    detail = client.get(f"/api/v1/control/cases/{case_id}").json()
    assert [s["step"] for s in detail["steps"]] == ["open", "send_inquiry"] and detail["next_steps"] == []
    assert [f["name"] for f in detail["files"]] == ["akt.pdf"]
    with app.state.sessions() as s:
        assert [e.action for e in audit.entries(s)][-3:] == ["case.open", "case.step", "case.attach"]


def test_api_list_filters_and_overdue(client: WebClient) -> None:
    first = _open(client)
    second = _open(client, "central", "191010000", source="signal")
    client.login("central")
    ids = [c["id"] for c in client.get("/api/v1/control/cases").json()]
    assert set(ids) == {first, second}
    assert [c["id"] for c in client.get(f"/api/v1/control/cases?territory={REGION}").json()] == [second]
    assert client.get("/api/v1/control/cases?overdue=true").json() == []
    r = client.get("/api/v1/control/cases?status=pending")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["loc"] == ["status"]
    client.login("keyholder")
    assert client.get("/api/v1/control/cases").json()["error"]["code"] == "forbidden"
    client.login(None)
    assert client.get("/api/v1/control/cases").json()["error"]["code"] == "not_signed_in"


def test_openapi_documents_the_control_api(client: WebClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/control/cases", "/api/v1/control/cases/{case_id}", "/api/v1/control/cases/{case_id}/steps",
                 "/api/v1/control/cases/{case_id}/files", "/api/v1/control/cases/{case_id}/files/{file_id}"):
        assert path in paths, path
    assert not any(p.startswith("/control") for p in paths)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_pages_board_case_forms_and_download(client: WebClient) -> None:
    client.login("ctl-almaty")
    board = client.get("/control/cases?lang=ru")
    assert board.status_code == 200 and "Контрольные дела" in board.text and "Открыть дело" in board.text
    assert 'class="module-nav"' in board.text
    r = client.form("/control/cases", {"title": "Школа в Алмалинском районе", "kato": CITY, "source": "signal"},
                    follow_redirects=False)
    assert r.status_code == 303
    case_url = r.headers["location"]
    page = client.get(case_url)
    assert "Школа в Алмалинском районе" in page.text and "Направить запрос" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    # without the CSRF token a step is refused
    r = client.post(f"{case_url}/step", data={"step": "send_inquiry"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(f"{case_url}/step", data={"step": "send_inquiry", "csrf_token": _csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.form(f"{case_url}/step", {"step": "close"}, follow_redirects=False)
    assert r.status_code == 409 and "allowed now" in r.text
    r = client.form(f"{case_url}/files", files={"file": ("otvet.txt", "ответ акимата".encode(), "text/plain")},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(case_url + "?lang=kk")
    assert "Дәлелдер" in page.text and "Жауапты тіркеу" in page.text
    link = re.search(r'href="(/control/cases/[^"]+/files/[^"]+)"', page.text)
    assert link is not None
    assert client.get(link.group(1)).content == "ответ акимата".encode()
    english = client.get(case_url + "?lang=en").text
    assert "Record the answer" in english and "inquiry sent" in english
    client.login("ctl-region")
    assert client.get(case_url).status_code == 403
    assert client.get(link.group(1)).status_code == 403
    assert client.get("/control/cases").status_code == 200


def test_who_reaches_the_pages(client: WebClient) -> None:
    case_id = _open(client)
    for who, board, case in (("central", 200, 200), ("observer", 200, 200), ("sec-almaty", 200, 200),
                             ("ctl-almaty", 200, 200), ("ctl-region", 200, 403), ("keyholder", 403, 403)):
        client.login(who)
        assert client.get("/control/cases").status_code == board, who
        assert client.get(f"/control/cases/{case_id}").status_code == case, who
    client.login("observer")
    page = client.get(f"/control/cases/{case_id}").text
    assert "Open a case" not in client.get("/control/cases").text
    assert 'action="/control/cases/' not in page  # no step, no upload form for a reader
    client.login(None)
    r = client.get("/control/cases", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_pages_refuse_a_wrong_or_oversized_file(client: WebClient, app: FastAPI) -> None:
    case_id = _open(client)
    url = f"/control/cases/{case_id}/files"
    r = client.form(url, files={"file": ("photo.png", PDF, "image/png")}, follow_redirects=False)
    assert r.status_code == 400 and "is not a PNG file" in r.text and 'data-error-code="invalid_input"' in r.text
    app.state.case_file_max_bytes = len(PDF) - 1
    r = client.form(url + "?lang=ru", files={"file": ("akt.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert r.status_code == 413 and 'data-error-code="file_too_large"' in r.text
    app.state.case_file_max_bytes = None
    r = client.form(url, follow_redirects=False)  # no file chosen
    assert r.status_code == 400 and "choose a file" in r.text
    client.login("observer")
    r = client.form(url, files={"file": ("akt.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert r.status_code == 403
    client.login("central")
    assert client.get(f"/api/v1/control/cases/{case_id}").json()["files"] == []
