"""The one JSON error shape (pinned), HTML error pages, 500 without traceback."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI

from tandau.errors import InputError
from tandau.services.primaries.errors import AlreadyVotedError, NotFoundError, PermissionDeniedError, StateError
from tandau.web.errors import classify

from .conftest import WebClient

SHAPE_KEYS = {"code", "message", "details"}


def _shape(body: dict[str, object]) -> dict[str, object]:
    assert set(body) == {"error"}
    err = body["error"]
    assert isinstance(err, dict) and set(err) == SHAPE_KEYS
    assert isinstance(err["code"], str) and isinstance(err["message"], str) and isinstance(err["details"], list)
    return err


def test_error_shape_is_pinned(client: WebClient) -> None:
    client.login(None)
    cases = [
        (client.get("/api/v1/contests/nope"), 404, "not_found"),
        (client.get("/api/v1/me/contests"), 401, "not_signed_in"),
        (client.get("/api/v1/no-such-route"), 404, "not_found"),
        (client.api("POST", "/api/v1/contests/almaty-city/ballots", json={}), 401, "not_signed_in"),
        (client.post("/api/v1/session", json={"member_id": "m1", "secret": "x"}), 403, "csrf"),
        (client.api("POST", "/api/v1/session", json={"member_id": ""}), 422, "validation"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert _shape(response.json())["code"] == code
    client.login("sec-region")
    r = client.get("/api/v1/contests/almaty-city/turnout")
    assert r.status_code == 403
    assert _shape(r.json()) == {"code": "forbidden", "details": [],
                                "message": "'sec-region' may not view turnout on territory 750000000"}


@pytest.mark.parametrize(("exc", "status", "code"), [
    (NotFoundError("contest", "x"), 404, "not_found"),
    (PermissionDeniedError("s", "do", None), 403, "forbidden"),
    (AlreadyVotedError("c"), 409, "already_voted"),
    (StateError("closed"), 409, "conflict"),
    (InputError("bad", parameter="p"), 400, "invalid_input"),
])
def test_tandau_errors_map_to_statuses(exc: Exception, status: int, code: str) -> None:
    assert classify(exc) == (status, code)  # type: ignore[arg-type]


def test_pages_get_an_html_error_page(client: WebClient) -> None:
    r = client.get("/results/nope?lang=ru")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Не найдено." in r.text and '<main id="main"' in r.text


def test_a_crash_is_a_500_without_traceback(app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    @app.get("/api/v1/boom-test")
    def boom() -> None:
        raise RuntimeError("secret-value-in-message")

    @app.get("/boom-test")
    def boom_page() -> None:
        raise RuntimeError("secret-value-in-message")

    with caplog.at_level(logging.ERROR), WebClient(app) as c:
        api = c.get("/api/v1/boom-test")
        page = c.get("/boom-test")
    assert api.status_code == 500 and _shape(api.json()) == {"code": "internal", "message": "internal error",
                                                            "details": []}
    assert page.status_code == 500 and "Traceback" not in page.text and "secret-value" not in page.text
    assert "secret-value" not in caplog.text and "Traceback" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_openapi_documents_the_api_and_the_error_shape(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/contests/{contest_id}/ballots" in paths
    assert not any(p.startswith("/admin") or p == "/" for p in paths)  # pages are not API
    assert "ErrorPublic" in spec["components"]["schemas"]
    assert "404" in paths["/api/v1/contests/{contest_id}"]["get"]["responses"]
