"""The ballot fast lane: ``POST /api/v1/contests/{id}/ballots`` answered before the framework's routing.

Under load most of the server's CPU went to the framework (route matching over every router, dependency
solving, response models), not to the ballot. :class:`~tandau.web.security.SessionMiddleware`, the
outermost middleware, has already decoded the signed session; ``create_app`` gives it this lane, so it hands
a ballot POST to :func:`serve` first. The lane answers ONLY the plain success: a session with a subject, the
session's CSRF token in ``X-CSRF-Token`` (of repeated headers the first, as Starlette reads them), a body
declared ``application/json`` holding ``{"selection": [<strings>]}``, no query string, no ``Idempotency-Key``
(the route keeps the receipt for a retry), and the
one-statement writer of :mod:`tandau.services.primaries.ballot_fast` accepting the ballot (201) or meeting
the participation key (409 ``already_voted``, which the database raises only after every other rule
passed, so the route would answer the same). Anything else (no writer, bad token, odd body, any check
failing, an exception) is passed on, body replayed, to the ordinary route, which gives the answer and the
error shape it always gave. Both answers carry the same body and headers as the route's (the security
headers come from the session middleware).
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from tandau.services.operations.events import ballot_accepted
from tandau.services.primaries import voting
from tandau.services.primaries.errors import AlreadyVotedError
from tandau.web.i18n import LANG_COOKIE, negotiate

PATH = re.compile(r"/api/v1/contests/([^/]+)/ballots")
MAX_BODY = 64 * 1024


def wants(scope: Scope) -> bool:
    """Whether the request is a ballot POST the lane may try."""
    return scope["method"] == "POST" and not scope.get("query_string") and PATH.fullmatch(scope["path"]) is not None


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """Request headers by name; of a repeated header the FIRST, as Starlette's ``Headers.get`` reads it."""
    headers: dict[bytes, bytes] = {}
    for name, value in scope.get("headers", ()):
        headers.setdefault(name, value)
    return headers


def _declared_json(headers: dict[bytes, bytes]) -> bool:
    """Whether the body is declared JSON (``application/json`` or ``+json``), as the route requires."""
    media = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def _language(headers: dict[bytes, bytes]) -> str:
    cookie = None
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        k, _, v = part.strip().partition("=")
        if k == LANG_COOKIE:
            cookie = v
    accept = headers.get(b"accept-language")
    return negotiate(None, cookie, accept.decode("latin-1") if accept is not None else None)


async def _read_body(receive: Receive) -> tuple[bytes | None, list[Message]]:
    """The whole body (None after a disconnect or past MAX_BODY) and the messages read, for replay."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None, messages  # a disconnect: the framework sees it on replay
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if size > MAX_BODY:
            return None, messages
        if not message.get("more_body", False):
            return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _selection(body: bytes) -> list[str] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"selection"}:
        return None
    selection = data["selection"]
    if not isinstance(selection, list) or not all(isinstance(c, str) for c in selection):
        return None
    return selection


async def serve(scope: Scope, receive: Receive, send: Send, session: dict[str, Any]) -> Receive | None:
    """None when the lane answered; otherwise the ``receive`` to give the framework (body replayed)."""
    writer = getattr(scope["app"].state, "ballot_writer", None) if "app" in scope else None
    subject, token = session.get("sub"), session.get("csrf")
    headers = _headers(scope)
    given = headers.get(b"x-csrf-token")
    if (writer is None or b"idempotency-key" in headers
            or not isinstance(subject, str) or not subject or not isinstance(token, str) or not token
            or given is None or not hmac.compare_digest(token.encode(), given) or not _declared_json(headers)):
        return receive
    body, messages = await _read_body(receive)
    replay = _replay(messages, receive)
    selection = None if body is None else _selection(body)
    match = PATH.fullmatch(scope["path"])
    if selection is None or match is None:
        return replay
    contest_id = match.group(1)
    try:
        tracker = await writer.cast(subject, contest_id, selection, now=voting.server_time())
    except AlreadyVotedError as exc:  # the database checked every other rule first: the route's answer too
        from tandau.web.errors import classify, details_of  # (errors imports the session middleware)

        status, code = classify(exc)
        await _answer(send, status, {"error": {"code": code, "message": str(exc), "details": details_of(exc)}},
                      headers)
        return None
    except Exception:  # e.g. the database went away: the route answers (its JSON 500, or 201 once it is back)
        voting.log.warning("ballot fast lane: the writer failed; the request goes to the route", exc_info=False)
        return replay
    if tracker is None:
        return replay
    ballot_accepted("fast")
    await _answer(send, 201, {"contest_id": contest_id, "tracker": tracker}, headers)
    return None


async def _answer(send: Send, status: int, content: dict[str, Any], headers: dict[bytes, bytes]) -> None:
    """A JSON answer rendered like the route's (JSONResponse) with the language headers of I18nMiddleware."""
    payload = JSONResponse(content).body
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-length", str(len(payload)).encode()),
        (b"content-type", b"application/json"),
        (b"vary", b"Accept-Language"),
        (b"content-language", _language(headers).encode()),
    ]})
    await send({"type": "http.response.body", "body": bytes(payload)})
