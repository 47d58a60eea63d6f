"""Fixtures for the web layer: an app on a fresh database (SQLite and PostgreSQL) and a test client.

- ``web_db``: the primaries world of ``tests/integration/primaries`` (a cycle, three contests open from
  2026-03-01 for three days, seven members, candidates) plus staff: ``sec-almaty`` (secretary of Almaty
  city, KATO 750000000), ``sec-region`` (secretary of Almaty region, 190000000), ``observer``; parametrised
  over ``sqlite`` and ``postgresql`` (skipped unless ``TANDAU_TEST_POSTGRES_URL`` is reachable; fails under CI).
- ``web_world``: the same as a :class:`~tests.integration.primaries.conftest.World`, which keeps the key
  holders' shares of the cycle's election key: ``web_world.decrypt(contest)`` after a close (ballots are
  sealed until the key holders decrypt them).
- ``app``: :func:`tandau.web.create_app` on that database (bulletins into ``tmp_path``).
- ``client``: a :class:`WebClient` (a Starlette test client) with ``login(subject)`` (a pre-issued
  server-side session, no argon2 cost), ``form(url, data)`` and ``api(method, url, json=...)`` that add the
  CSRF token. :func:`issue_cookie` pre-issues a session cookie for any app.
- ``frozen_time``: patches the services' server clock to a moment inside the voting window.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from tandau.services.primaries import auth, contests
from tandau.services.primaries.access import Role
from tandau.settings import Settings
from tandau.web import create_app
from tandau.web.security import SESSION_COOKIE, encode_session
from tests.integration.primaries.conftest import CENTRAL, DURING, Db, World, build_world, empty_database

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)  # httpx (not httpx2) is our test dependency
    from starlette.testclient import TestClient

SECRET = "test-secret-key-" + secrets.token_urlsafe(32)  # random: production refuses a published key
STAFF = {"sec-almaty": (Role.SECRETARY, "750000000"), "sec-region": (Role.SECRETARY, "190000000"),
         "observer": (Role.OBSERVER, None), "central": (Role.CENTRAL, None)}


class WebClient(TestClient):
    """A test client that can pre-issue a signed session and adds the CSRF token to state-changing calls."""

    secret_key: str = SECRET
    csrf: str = ""

    def login(self, subject: str | None) -> WebClient:
        """Signed in as ``subject`` through a server-side session created directly (None: signed out)."""
        if subject is None:
            self.csrf = secrets.token_urlsafe(16)
            value = encode_session(self.secret_key, {"csrf": self.csrf})
        else:
            value, self.csrf = issue_cookie(self.app, subject, self.secret_key)  # type: ignore[arg-type]
        # the domain the server's own Set-Cookie gets (cookiejar adds ".local"), so a sign-in replaces it
        self.cookies.set(SESSION_COOKIE, value, domain="testserver.local")
        return self

    def form(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)

    def api(self, method: str, url: str, **kw: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.request(method, url, headers=headers, **kw)


def issue_cookie(app: FastAPI, subject: str, secret_key: str = SECRET) -> tuple[str, str]:
    """A session cookie value for ``subject`` (a server-side session row of ``app``'s database) and its CSRF
    token, as a sign-in would make them."""
    token, info = app.state.session_store.create(subject)
    return encode_session(secret_key, {"sid": token}), info.csrf


@pytest.fixture(params=["sqlite", "postgresql"])
def web_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def add_staff(db: Db) -> None:
    with db.Session() as s:
        for subject, (role, kato) in STAFF.items():
            auth.grant_role(s, CENTRAL, subject, role, kato)


def database_url_of(db: Db) -> str:
    """A URL that selects the test's PostgreSQL schema (``options=-csearch_path=...``)."""
    if db.schema is None:
        return db.url
    sep = "&" if "?" in db.url else "?"
    return f"{db.url}{sep}options=-csearch_path%3D{db.schema}"


@pytest.fixture
def web_world(web_backend: str, tmp_path: Path) -> Iterator[World]:
    for db in empty_database(web_backend, tmp_path):
        world = build_world(db, tmp_path)
        add_staff(db)
        yield world


@pytest.fixture
def web_db(web_world: World) -> Db:
    return web_world.db


def make_app(db: Db, tmp_path: Path, **settings: Any) -> FastAPI:
    conf = Settings(environment="development", secret_key=SECRET, **settings)  # type: ignore[arg-type]
    return create_app(conf, database_url=database_url_of(db), bulletin_dir=tmp_path / "bulletins")


@pytest.fixture
def app(web_db: Db, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(web_db, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[WebClient]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c


KEY_HOLDERS = ("observer", "commission")  # two of the three holders named at the world's ceremony


def hand_in_shares(client: WebClient, world: World, *, page: bool = False) -> Any:
    """The key holders' step after a close, through the web: ``observer`` and ``commission`` (given the key
    holder role) sign in and hand in their shares of the cycle key, on the key holders' page (``page``) or
    through the API; the second hand-in decrypts every closed contest of the key. The last answer."""
    with world.session() as s:
        for holder in KEY_HOLDERS:
            auth.grant_role(s, CENTRAL, holder, Role.KEYHOLDER)
    shares = dict(world.shares)
    answer: Any = None
    for holder in KEY_HOLDERS:
        client.login(holder)
        share = shares[holder]
        if page:
            answer = client.form(f"/keys/{share.key_id}/shares", {"share": share.text()})
        else:
            answer = client.api("POST", f"/api/v1/keys/{share.key_id}/shares", json={"share": share.text()})
        assert answer.status_code == 200, answer.text[-1500:]
    return answer


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Server time inside the voting window (2026-03-01 08:00 UTC) for every service."""
    from tandau.services.primaries import voting

    monkeypatch.setattr(contests, "utcnow", lambda: DURING)
    monkeypatch.setattr(voting, "utcnow", lambda: DURING)
    return DURING
