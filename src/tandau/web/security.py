"""Sessions, CSRF and response headers of the web layer.

- Session: a cookie holding a JSON object signed with ``TANDAU_SECRET_KEY`` (itsdangerous, HMAC-SHA1 over a
  timestamped payload, OWASP "Session Management Cheat Sheet"). Signed in, it carries only a random session
  token (``sid``); the subject and the CSRF token live in the database row of that session
  (:mod:`tandau.services.primaries.sessions`, read through :class:`~tandau.web.session_store.SessionStore`,
  cached a few seconds per process), so sign-out, a password change or an administrator can revoke it.
  Signed out, it carries only the CSRF token of the sign-in form. No name, no ballot, no selection. The
  middleware puts ``sub`` and ``csrf`` into the request's session dict after checking the row, so routes
  and the ballot lane read them as before; a ``sub`` inside a cookie is never trusted. Flags: ``HttpOnly``,
  ``SameSite=Lax``, ``Path=/``, and ``Secure`` outside development.
- CSRF: a synchroniser token stored in the signed session (OWASP "CSRF Prevention Cheat Sheet"). Every
  POST/PUT/PATCH/DELETE must carry it, in the form field ``csrf_token`` or the header ``X-CSRF-Token``;
  :func:`verify_csrf` is attached to every router by :func:`tandau.web.app.create_app`, so no route can forget.
- Fast lanes: :class:`SessionMiddleware` offers a request to the lanes it was given (``create_app`` gives
  :mod:`tandau.web.ballot_lane`: the plain success of ``POST /api/v1/contests/{id}/ballots`` answered without
  the framework) before the app; a lane passes on whatever it does not answer.
- Headers: ``Content-Security-Policy`` (self only, no inline script), ``X-Content-Type-Options``,
  ``Referrer-Policy``, ``X-Frame-Options``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandau.web.session_store import SessionStore


class Lane(Protocol):
    """A fast path run inside the session middleware (it sees the decoded session) before the app."""

    def wants(self, scope: Scope) -> bool: ...

    async def serve(self, scope: Scope, receive: Receive, send: Send, session: dict[str, Any]) -> Receive | None:
        """None when the lane answered; otherwise the ``receive`` to give the app (body replayed)."""

SESSION_COOKIE = "tandau_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_SALT = "tandau.session"
DEFAULT_MAX_AGE = 8 * 3600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = (
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                 b"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


class CsrfError(Exception):
    """A state-changing request without the session's CSRF token (answered 403)."""


@lru_cache(maxsize=8)
def serializer(secret_key: str) -> URLSafeTimedSerializer:
    """One serializer per key (building it derives the signing key: not per request)."""
    return URLSafeTimedSerializer(secret_key, salt=SESSION_SALT)


def encode_session(secret_key: str, data: dict[str, Any]) -> str:
    """The cookie value for session ``data`` (tests and the load benchmark pre-issue sessions with it).

    >>> decode_session("k" * 32, encode_session("k" * 32, {"sub": "m1"}), max_age=60)
    {'sub': 'm1'}
    """
    return str(serializer(secret_key).dumps(data))


def decode_session(secret_key: str, value: str, *, max_age: int) -> dict[str, Any]:
    """The session in a cookie value; empty when the signature is wrong or it expired."""
    try:
        data = serializer(secret_key).loads(value, max_age=max_age)
    except (BadSignature, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Session(dict[str, Any]):
    """The request's session; remembers whether a route changed it."""

    modified = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def clear(self) -> None:
        self.modified = True
        super().clear()


class SessionMiddleware:
    """Pure ASGI: decodes the signed cookie, resolves a session token through ``store`` into
    ``scope["session"]`` (``sid``, ``sub``, ``csrf``), and writes the cookie back when the session changed
    (a revoked or unknown token clears it)."""

    def __init__(self, app: ASGIApp, *, secret_key: str, secure: bool, max_age: int = DEFAULT_MAX_AGE,
                 lanes: Sequence[Lane] = (), store: SessionStore | None = None) -> None:
        self.app = app
        self.lanes = tuple(lanes)
        self.secret_key = secret_key
        self.max_age = max_age
        self.secure = secure
        self.store = store
        self.flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")

    async def _session(self, raw: str | None) -> Session:
        data = decode_session(self.secret_key, raw, max_age=self.max_age) if raw else {}
        token = data.get("sid")
        if isinstance(token, str) and token:
            info = await self.store.resolve(token) if self.store is not None else None
            if info is None:  # revoked, expired or unknown: signed out, and the cookie is cleared
                session = Session()
                session.modified = True
                return session
            return Session({"sid": token, "sub": info.subject_id, "csrf": info.csrf})
        csrf = data.get("csrf")  # signed out: only the sign-in form's CSRF token, never a subject
        return Session({"csrf": csrf} if isinstance(csrf, str) and csrf else {})

    def cookie_payload(self, session: dict[str, Any]) -> dict[str, Any]:
        """What the cookie holds: the session token when signed in, else the CSRF token (never ``sub``)."""
        if isinstance(session.get("sid"), str):
            return {"sid": session["sid"]}
        return {k: v for k, v in session.items() if k not in ("sub", "sid")}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = _cookie(scope, SESSION_COOKIE)
        session = await self._session(raw)
        scope["session"] = session
        scope["session_cookie_secure"] = self.secure

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, header in SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.append(name.decode(), header.decode())
                if session.modified:
                    payload = self.cookie_payload(session)
                    if payload:
                        cookie = encode_session(self.secret_key, payload)
                        headers.append("set-cookie", f"{SESSION_COOKIE}={cookie}; Max-Age={self.max_age}{self.flags}")
                    else:
                        headers.append("set-cookie", f"{SESSION_COOKIE}=; Max-Age=0{self.flags}")
            await send(message)

        for lane in self.lanes:
            if lane.wants(scope):
                passed_on = await lane.serve(scope, receive, send_wrapper, session)
                if passed_on is None:
                    return
                receive = passed_on
                break
        await self.app(scope, receive, send_wrapper)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return str(v)
    return None


def session_of(request: Request) -> Session:
    session = request.scope.get("session")
    if not isinstance(session, Session):
        raise RuntimeError("SessionMiddleware is not installed")
    return session


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (so the sign-in form is protected too)."""
    session = session_of(request)
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def session_store(request: Request) -> SessionStore:
    store = getattr(request.app.state, "session_store", None)
    if not isinstance(store, SessionStore):
        raise RuntimeError("the app has no session store (create_app sets app.state.session_store)")
    return store


def sign_in(request: Request, subject_id: str) -> None:
    """Create a server-side session for ``subject_id`` with a new CSRF token (no fixation across sign-in);
    the cookie will carry only its token. Call from a sync route (it writes the database)."""
    session = session_of(request)
    old = session.get("sid")
    store = session_store(request)
    if isinstance(old, str) and old:
        store.revoke(old)
    token, info = store.create(subject_id)
    session.clear()
    session["sid"] = token
    session["sub"] = subject_id
    session["csrf"] = info.csrf


def sign_out(request: Request) -> None:
    """Revoke the server-side session (an old copy of the cookie opens nothing) and clear the cookie."""
    session = session_of(request)
    token = session.get("sid")
    if isinstance(token, str) and token:
        session_store(request).revoke(token)
    session.clear()


def current_session_hash(request: Request) -> str | None:
    """The id hash of the request's server-side session (None when signed out)."""
    from tandau.services.primaries.sessions import token_hash

    token = session_of(request).get("sid")
    return token_hash(token) if isinstance(token, str) and token else None


async def verify_csrf(request: Request) -> None:
    """Router dependency: refuse a state-changing request whose token does not match the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session_of(request).get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    # bytes, not str: compare_digest refuses non-ASCII strings (a header is latin-1, the token ASCII)
    if (not isinstance(expected, str) or not given
            or not hmac.compare_digest(expected.encode(), given.encode("latin-1", "replace"))):
        raise CsrfError()
