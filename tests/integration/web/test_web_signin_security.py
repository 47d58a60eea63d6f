"""Sign-in hardening (issue 10): the throttle (per address and id, per address, failures only, doubling
back-off, refused before any argon2 work, the same for unknown ids), server-side sessions (sign-out, a
password change and an administrator revoke; a cookie never carries a trusted subject; the per-process
cache), and secure defaults (production by default, development on loopback only, the CSRF hint over http)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select, text
from typer.testing import CliRunner

from tandau.errors import InputError
from tandau.services.primaries import auth, throttle
from tandau.services.primaries.errors import AuthenticationError
from tandau.settings import Settings
from tandau.store.auth_models import UserSession
from tandau.web import create_app
from tandau.web.errors import HTTPS_HINT
from tandau.web.security import SESSION_COOKIE, encode_session
from tests.integration.primaries.conftest import Db

from .conftest import SECRET, WebClient, database_url_of, make_app

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse battery"
PROD_SECRET = secrets.token_urlsafe(48)
LIMITS = throttle.Limits()  # the documented defaults: 5 per (address, id), 100 per address, 30 s doubling


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cheap argon2 parameters, and the dummy hash made with them (the counter still counts every verify)."""
    monkeypatch.setattr(auth, "_DEFAULT_HASHER", FAST)
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()


def set_password(db: Db, subject: str, password: str = PASSWORD) -> None:
    with db.Session() as s:
        auth.set_password(s, subject, password, hasher=FAST)


def sign_in(client: WebClient, member: str, secret: str) -> Any:
    client.login(None)
    r = client.api("POST", "/api/v1/session", json={"member_id": member, "secret": secret})
    if r.status_code == 200:
        client.csrf = r.json()["csrf_token"]
    return r


def client_from(app: FastAPI, address: str) -> WebClient:
    return WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}, client=(address, 40000))


# ---------------------------------------------------------------------------------------------- throttle


def test_wrong_passwords_for_one_id_are_refused_before_hashing_once_over_the_limit(
    client: WebClient, web_db: Db
) -> None:
    set_password(web_db, "m1")
    for _ in range(LIMITS.per_id):
        assert sign_in(client, "m1", "wrong password!").status_code == 401
    before = auth.VERIFICATIONS.count
    for _ in range(20):
        refused = sign_in(client, "m1", "wrong password!")
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_attempts"
        assert 1 <= int(refused.headers["Retry-After"]) <= LIMITS.backoff_seconds
    right = sign_in(client, "m1", PASSWORD)  # the right password is refused too while the pair is blocked
    assert right.status_code == 429
    assert auth.VERIFICATIONS.count == before  # not one argon2 verification over the limit
    page = client.form("/signin", {"member_id": "m1", "secret": PASSWORD}, follow_redirects=False)
    assert page.status_code == 429 and page.headers["Retry-After"] and 'role="alert"' in page.text


def test_unknown_and_existing_ids_get_the_same_answers_and_the_same_work(client: WebClient, web_db: Db) -> None:
    set_password(web_db, "m1")
    answers: dict[str, list[tuple[int, str, int]]] = {}
    for who in ("m1", "nobody"):
        seen = []
        for _ in range(LIMITS.per_id + 1):
            before = auth.VERIFICATIONS.count
            r = sign_in(client, who, "wrong password!")
            seen.append((r.status_code, r.json()["error"]["code"], auth.VERIFICATIONS.count - before))
        answers[who] = seen
    # below the limit one verification each (a dummy hash for the unknown id), then 429 without any
    assert answers["m1"] == answers["nobody"] == [(401, "authentication_failed", 1)] * LIMITS.per_id + [
        (429, "too_many_attempts", 0)]


def test_one_time_codes_are_throttled_like_passwords(client: WebClient) -> None:
    client.login(None)
    client.api("POST", "/api/v1/session/code", json={"member_id": "m3"})
    for _ in range(LIMITS.per_id):
        assert sign_in(client, "m3", "00000000").status_code == 401
    before = auth.VERIFICATIONS.count
    assert sign_in(client, "m3", "11111111").status_code == 429
    assert auth.VERIFICATIONS.count == before


def test_the_limit_is_per_address_and_id_so_others_still_sign_in(app: FastAPI, web_db: Db) -> None:
    set_password(web_db, "m1")
    set_password(web_db, "m2")
    with client_from(app, "10.0.0.1") as attacker, client_from(app, "10.0.0.2") as office:
        for _ in range(LIMITS.per_id):
            sign_in(attacker, "m1", "wrong password!")
        assert sign_in(attacker, "m1", PASSWORD).status_code == 429
        assert sign_in(office, "m1", PASSWORD).status_code == 200  # the member, from elsewhere
        assert sign_in(attacker, "m2", PASSWORD).status_code == 200  # another id from the same address


def test_a_spray_across_ids_blocks_the_address_not_the_members(web_db: Db) -> None:
    limits = throttle.Limits(per_id=5, per_address=20)
    set_password(web_db, "m2")
    with web_db.Session() as s:
        for i in range(limits.per_address):
            with pytest.raises(AuthenticationError):
                auth.sign_in_throttled(s, f"guess-{i}", "wrong password!", address="198.51.100.7", limits=limits)
        before = auth.VERIFICATIONS.count
        for i in range(50):
            with pytest.raises(throttle.ThrottledError):
                auth.sign_in_throttled(s, f"more-{i}", "wrong password!", address="198.51.100.7", limits=limits)
        assert auth.VERIFICATIONS.count == before
        actor = auth.sign_in_throttled(s, "m2", PASSWORD, address="203.0.113.9", limits=limits)
        assert actor.subject_id == "m2"


def test_failures_not_attempts_are_counted_so_a_branch_office_signs_in_all_day(web_db: Db) -> None:
    limits = throttle.Limits(per_id=3, per_address=10)
    members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]
    for m in members:
        set_password(web_db, m)
    with web_db.Session() as s:
        for _round in range(5):  # 35 successful sign-ins and 9 typos from one address: never blocked
            for m in members:
                assert auth.sign_in_throttled(s, m, PASSWORD, address="192.0.2.1", limits=limits).subject_id == m
        for m in members[:3]:
            for _ in range(limits.per_id - 1):
                with pytest.raises(AuthenticationError):
                    auth.sign_in_throttled(s, m, "typo typo typo", address="192.0.2.1", limits=limits)
            auth.sign_in_throttled(s, m, PASSWORD, address="192.0.2.1", limits=limits)  # clears the pair


def test_the_back_off_doubles_and_a_quiet_window_forgets(web_db: Db) -> None:
    t0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    limits = throttle.Limits(per_id=3, per_address=1000, window_seconds=900, backoff_seconds=30,
                             backoff_max_seconds=100)
    blocks = []
    with web_db.Session() as s:
        moment = t0
        for _ in range(6):
            blocks.append(throttle.record_failure(s, "a", "m1", limits, now=moment))
            moment += timedelta(seconds=blocks[-1] + 1)  # wait out each block, then fail again
        assert blocks == [0, 0, 30, 60, 100, 100]
        throttle.check(s, "a", "m1", now=moment)  # the last block is over
        with pytest.raises(throttle.ThrottledError) as refused:
            throttle.check(s, "a", "m1", now=moment - timedelta(seconds=50))
        assert refused.value.retry_after == 49  # the block ended 1 s before `moment`
        later = moment + timedelta(seconds=limits.window_seconds + 1)
        assert throttle.record_failure(s, "a", "m1", limits, now=later) == 0  # a quiet window: counted afresh


def test_the_throttle_table_names_no_one(web_db: Db) -> None:
    with web_db.Session() as s:
        throttle.record_failure(s, "203.0.113.5", "m1", LIMITS)
        rows = s.execute(text("SELECT * FROM signin_failures")).all()
    dump = repr(rows)
    assert len(rows) == 2 and "m1" not in dump and "203.0.113.5" not in dump


# ---------------------------------------------------------------------------------------------- sessions


def test_a_cookie_never_carries_a_trusted_subject(client: WebClient) -> None:
    forged = encode_session(SECRET, {"sub": "central", "csrf": "t"})  # signed with the real key
    client.cookies.set(SESSION_COOKIE, forged, domain="testserver.local")
    assert client.get("/api/v1/session").json()["subject"] is None
    assert client.get("/api/v1/me/contests").status_code == 401


def test_sign_out_revokes_the_session_so_an_old_cookie_opens_nothing(client: WebClient, web_db: Db) -> None:
    set_password(web_db, "m1")
    assert sign_in(client, "m1", PASSWORD).status_code == 200
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie and client.get("/api/v1/me/contests").status_code == 200
    assert client.api("DELETE", "/api/v1/session").status_code == 204
    client.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")  # a copy kept by a thief
    assert client.get("/api/v1/me/contests").status_code == 401
    assert client.get("/api/v1/session").json()["subject"] is None
    with web_db.Session() as s:
        row = s.scalars(select(UserSession).where(UserSession.subject_id == "m1")).one()
    assert row.revoked_at is not None and cookie not in row.id_hash


def test_a_password_change_revokes_the_other_sessions(app: FastAPI, web_db: Db) -> None:
    set_password(web_db, "m1")
    with client_from(app, "10.0.0.1") as phone, client_from(app, "10.0.0.2") as laptop:
        assert sign_in(phone, "m1", PASSWORD).status_code == 200
        assert sign_in(laptop, "m1", PASSWORD).status_code == 200
        wrong = laptop.api("POST", "/api/v1/session/password",
                           json={"current_password": "not the password", "new_password": "a new long password"})
        assert wrong.status_code == 401
        short = laptop.api("POST", "/api/v1/session/password",
                           json={"current_password": PASSWORD, "new_password": "short"})
        assert short.status_code == 400 and short.json()["error"]["details"][0]["loc"] == ["new_password"]
        changed = laptop.api("POST", "/api/v1/session/password",
                             json={"current_password": PASSWORD, "new_password": "a new long password"})
        assert changed.status_code == 200 and changed.json() == {"changed": True, "sessions_revoked": 1}
        assert phone.get("/api/v1/me/contests").status_code == 401  # signed out on the phone
        assert laptop.get("/api/v1/me/contests").status_code == 200  # this session stays
        assert sign_in(phone, "m1", PASSWORD).status_code == 401
        assert sign_in(phone, "m1", "a new long password").status_code == 200
    with web_db.Session() as s:
        actions = s.execute(text("SELECT action FROM audit_log WHERE target = 'm1'")).scalars().all()
    assert "password.change" in actions


def test_the_password_page(client: WebClient, web_db: Db) -> None:
    set_password(web_db, "m1")
    client.login("m1")
    assert 'name="current_password"' in client.get("/password").text
    bad = client.form("/password", {"current_password": "nope nope nope", "new_password": "another long one"})
    assert bad.status_code == 401 and "The current password is not right." in bad.text
    ok = client.form("/password", {"current_password": PASSWORD, "new_password": "another long one"})
    assert ok.status_code == 200 and "signed out everywhere else" in ok.text


def test_the_central_office_revokes_a_members_sessions(app: FastAPI, web_db: Db) -> None:
    set_password(web_db, "m1")
    with client_from(app, "10.0.0.1") as member, client_from(app, "10.0.0.9") as office:
        assert sign_in(member, "m1", PASSWORD).status_code == 200
        office.login("sec-almaty")
        denied = office.api("POST", "/api/v1/access/m1/revoke-sessions", json={"reason": "lost phone"})
        assert denied.status_code == 403 and member.get("/api/v1/me/contests").status_code == 200
        office.login("central")
        done = office.api("POST", "/api/v1/access/m1/revoke-sessions", json={"reason": "lost phone"})
        assert done.status_code == 200 and done.json() == {"subject": "m1", "sessions_revoked": 1}
        assert member.get("/api/v1/me/contests").status_code == 401
    with web_db.Session() as s:
        entry = s.execute(text("SELECT actor, details FROM audit_log WHERE action = 'session.revoke'")).one()
    assert entry.actor == "central" and "lost phone" in entry.details


def test_the_cli_revokes_sessions_and_other_processes_follow_within_the_cache_time(
    web_db: Db, tmp_path: Path
) -> None:
    """Two app processes (two apps on one database): a revocation in the database reaches the other within
    ``session_cache_seconds``."""
    from tandau.cli.primaries import app as primaries_app

    set_password(web_db, "m1")
    one, two = (make_app(web_db, tmp_path, session_cache_seconds=0.3) for _ in range(2))
    try:
        with WebClient(one) as first, WebClient(two) as second:
            assert sign_in(first, "m1", PASSWORD).status_code == 200
            second.cookies.set(SESSION_COOKIE, first.cookies.get(SESSION_COOKIE) or "", domain="testserver.local")
            assert second.get("/api/v1/me/contests").status_code == 200  # any process serves the session
            result = CliRunner().invoke(primaries_app, ["access", "revoke-sessions", "m1", "--reason", "stolen",
                                                        "--db", database_url_of(web_db)])
            assert result.exit_code == 0 and "1 session(s) of m1 revoked" in result.output, result.output
            time.sleep(0.4)
            assert second.get("/api/v1/me/contests").status_code == 401
            assert first.get("/api/v1/me/contests").status_code == 401
    finally:
        one.state.engine.dispose()
        two.state.engine.dispose()


# ---------------------------------------------------------------------------------------------- defaults


def test_production_is_the_default_and_the_app_refuses_its_defaults(web_db: Db, tmp_path: Path) -> None:
    assert Settings().environment == "production"
    with pytest.raises(InputError) as refused:
        create_app(Settings(), database_url=database_url_of(web_db), bulletin_dir=tmp_path / "b")
    assert refused.value.parameter == "TANDAU_SECRET_KEY"


def test_serve_refuses_a_non_loopback_host_in_development(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tandau.cli.main import app as main_app
    from tandau.settings import get_settings

    monkeypatch.setenv("TANDAU_ENVIRONMENT", "development")
    monkeypatch.setenv("TANDAU_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")  # serve sets it: restored after
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server must not start"))
    result = CliRunner().invoke(main_app, ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0",
                                           "--no-upgrade"])
    get_settings.cache_clear()
    assert result.exit_code == 2 and "--host" in result.output and "loopback" in result.output, result.output


def test_serve_refuses_default_secrets_in_production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tandau.cli.main import app as main_app
    from tandau.settings import get_settings

    monkeypatch.delenv("TANDAU_ENVIRONMENT", raising=False)
    monkeypatch.delenv("TANDAU_SECRET_KEY", raising=False)
    monkeypatch.setenv("TANDAU_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")  # serve sets it: restored after
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server must not start"))
    result = CliRunner().invoke(main_app, ["serve", "--db", str(tmp_path / "x.db"), "--no-upgrade"])
    get_settings.cache_clear()
    assert result.exit_code == 2 and "TANDAU_SECRET_KEY" in result.output, result.output


def test_cli_commands_work_without_server_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tandau.cli.primaries import app as primaries_app
    from tandau.settings import get_settings

    monkeypatch.delenv("TANDAU_ENVIRONMENT", raising=False)
    monkeypatch.delenv("TANDAU_SECRET_KEY", raising=False)
    monkeypatch.setenv("TANDAU_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(primaries_app, ["db", "upgrade"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output


@pytest.fixture
def production_app(web_db: Db, tmp_path: Path) -> Iterator[FastAPI]:
    conf = Settings(environment="production", secret_key=SecretStr(PROD_SECRET),
                    otp_delivery="webhook", sms_webhook_url="http://127.0.0.1:9/sms",
                    sms_webhook_token=SecretStr("gw-token"), otp_delivery_timeout_seconds=0.5)
    app = create_app(conf, database_url=database_url_of(web_db), bulletin_dir=tmp_path / "bulletins")
    yield app
    app.state.engine.dispose()


def test_no_code_in_answers_in_production(production_app: FastAPI) -> None:
    with WebClient(production_app, base_url="https://testserver") as client:
        client.secret_key = PROD_SECRET
        client.login(None)
        api = client.api("POST", "/api/v1/session/code", json={"member_id": "m3"})
        assert api.status_code == 202 and api.json() == {"sent": True, "development_code": None}
        page = client.form("/signin/code", {"member_id": "m3"})
        assert page.status_code == 200 and "Development mode" not in page.text


def test_csrf_refusal_over_plain_http_says_why_in_production(production_app: FastAPI) -> None:
    with WebClient(production_app, base_url="http://testserver") as plain:
        token = plain.get("/api/v1/session").json()["csrf_token"]
        assert "secure" in plain.get("/api/v1/session").headers["set-cookie"].lower()
        refused = plain.post("/api/v1/session", json={"member_id": "m1", "secret": "x" * 12},
                             headers={"X-CSRF-Token": token})
        assert refused.status_code == 403 and refused.json()["error"]["message"].endswith(HTTPS_HINT)
    with WebClient(production_app, base_url="https://testserver") as tls:
        refused = tls.post("/api/v1/session", json={"member_id": "m1", "secret": "x" * 12},
                           headers={"X-CSRF-Token": "wrong"})
        assert refused.status_code == 403 and HTTPS_HINT not in refused.json()["error"]["message"]
