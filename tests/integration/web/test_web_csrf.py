"""CSRF: every state-changing route of the app refuses a request without the session's token."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from tandau.web.app import route_table
from tandau.web.security import SESSION_COOKIE, decode_session, encode_session

from .conftest import SECRET, WebClient


def _unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [(m, re.sub(r"\{[^}]+\}", "x", p)) for m, p in route_table(app) if m not in ("GET", "HEAD", "OPTIONS")]


def test_every_unsafe_route_needs_the_token(app: FastAPI, client: WebClient) -> None:
    routes = _unsafe_routes(app)
    assert len(routes) >= 15
    client.login("central")
    for method, path in routes:
        for headers in ({}, {"X-CSRF-Token": "wrong"}):
            r = client.request(method, path, headers=headers, data={"csrf_token": "forged"} if not headers else None)
            assert r.status_code == 403, (method, path, r.status_code)
            if path.startswith("/api/"):
                assert r.json()["error"]["code"] == "csrf"


def test_form_and_header_tokens_are_accepted(client: WebClient) -> None:
    client.login("m1")
    r = client.form("/signout", follow_redirects=False)
    assert r.status_code == 303
    client.login("central")
    r = client.api("POST", "/api/v1/contests/almaty-city/open")
    assert r.status_code == 409  # passed CSRF; the contest is already open


def test_session_cookie_flags_and_rotation(client: WebClient) -> None:
    first = client.get("/api/v1/session").json()["csrf_token"]
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie is not None and decode_session(SECRET, cookie, max_age=60)["csrf"] == first
    raw = client.get("/signin")
    assert raw.status_code == 200
    # a tampered cookie is ignored
    client.cookies.set(SESSION_COOKIE, encode_session("another-key-" + "y" * 30, {"sub": "central", "csrf": "t"}))
    assert client.get("/api/v1/session").json()["subject"] is None


def test_security_headers(client: WebClient) -> None:
    r = client.get("/signin")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    set_cookie = r.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
def test_no_open_redirect_after_sign_in(target: str) -> None:
    from tandau.web.routers.voter import _safe_next

    assert _safe_next(target) == "/contests"
