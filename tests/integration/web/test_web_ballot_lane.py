"""The ballot fast lane (:mod:`tandau.web.ballot_lane`): it answers only the plain success (201) and
``already_voted`` (409); everything else goes on, body replayed, to the ordinary route, whose answer it must
not change. Each case is sent twice, with the lane on and with it off (``ballot_lane.wants`` answering
False), and the two answers are compared: status, JSON body and every header. A spy on
``ballot_lane.serve`` records whether the lane answered or passed the request on.

On PostgreSQL the lane uses the app's own one-statement writer (started by the lifespan). On SQLite the app
has no writer (the lane then passes everything on unread: :func:`test_without_a_writer_the_lane_passes_
everything_on`), so the other tests install :class:`SyncWriter`, the lean guarded write of
:mod:`~tandau.services.primaries.ballot_sync` behind the writer's interface, so that the lane's own logic
(reading, checking, replaying, answering) runs on both databases.

The contests are sealed to the cycle's election key: an accepted ballot is a row of ``sealed_ballots``
(nothing reaches ``ballots`` while voting runs); the tests open the boxes with the key to check what was cast.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text

from tandau.core.tally.tracking import is_tracking_code
from tandau.services.primaries import ballot_sync, contests, nominations, voting
from tandau.services.primaries.ballot_fast import ContestCache
from tandau.store import Ballot, Participation
from tandau.store.models import SealedBallot
from tandau.web import ballot_lane
from tandau.web.i18n import LANG_COOKIE
from tandau.web.security import SECURITY_HEADERS, SESSION_COOKIE, encode_session
from tests.integration.primaries.conftest import CENTRAL, OPENS, Db, Opened, World

from .conftest import WebClient, issue_cookie

URL = "/api/v1/contests/{}/ballots"
CITY = URL.format("almaty-city")  # approval, at most 2 marks; candidates m1, m2, m4; voters m1-m4 and m7
NATIONAL = URL.format("national")  # approval, at most 3 marks; candidates m1, m2, m3; every member votes
REPLAY_TIMEOUT_S = 5  # bound on each read of a replayed body


class SyncWriter:
    """The writer's interface (tracker, None, or AlreadyVotedError) over the lean synchronous guarded write."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.cache = ContestCache()

    async def cast(self, member_id: str, contest_id: str, selection: Sequence[str], *, now: datetime) -> str | None:
        def run() -> str | None:
            with self.app.state.sessions() as session:
                return ballot_sync.cast(session, self.cache, member_id, contest_id, selection, now=now)

        return await anyio.to_thread.run_sync(run)


@dataclass
class Lane:
    """A client whose lane can be switched off, and what the lane did with each request it was offered."""

    client: WebClient
    app: FastAPI
    world: World
    enabled: bool = True
    outcomes: list[str] = field(default_factory=list)  # "answered" | "passed" | "raised", one per offer

    def post(
        self,
        member: str | None,
        url: str = CITY,
        *,
        body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        csrf: bool = True,
    ) -> Any:
        """A ballot POST as the browser's script sends it (JSON, the session's token in X-CSRF-Token)."""
        self.client.login(member)
        sent = {
            "Content-Type": "application/json",
            **({"X-CSRF-Token": self.client.csrf} if csrf else {}),
            **(headers or {}),
        }
        return self.client.post(url, content=json.dumps(body).encode() if content is None else content, headers=sent)

    def both(self, send: Callable[[], Any]) -> tuple[Any, Any, list[str]]:
        """The answer with the lane on, the answer with it off, and what the lane did (lane on only)."""
        self.outcomes.clear()
        fast = send()
        offered = list(self.outcomes)
        self.enabled = False
        try:
            slow = send()
        finally:
            self.enabled = True
        assert self.outcomes == offered, "the lane was consulted while switched off"
        return fast, slow, offered

    def both_voters(self, members: Sequence[str], send: Callable[[str], Any]) -> tuple[Any, Any, list[str]]:
        """:meth:`both` for requests that change state: the lane-on request as ``members[0]``, the other
        as ``members[1]`` (in the same situation)."""
        voters = iter(members)
        return self.both(lambda: send(next(voters)))

    @property
    def db(self) -> Db:
        return self.world.db

    def count(self, table: type[Any]) -> int:
        with self.db.Session() as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

    def ballots(self) -> int:
        """The number of ballots accepted: sealed rows (none in the plain table while voting runs)."""
        assert self.count(Ballot) == 0, "a ballot was written in clear"
        return self.count(SealedBallot)

    def opened(self) -> list[Opened]:
        """Every sealed ballot, opened with the cycle's key."""
        return self.world.sealed()


def _headers(response: Any) -> list[tuple[str, str]]:
    return sorted((k.lower(), v) for k, v in response.headers.multi_items())


def assert_security_headers(response: Any) -> None:
    for name, value in SECURITY_HEADERS:
        assert response.headers.get(name.decode()) == value.decode(), name


def assert_same(fast: Any, slow: Any) -> None:
    """Same status, same JSON body, same headers (the security headers among them)."""
    assert fast.status_code == slow.status_code, (fast.text, slow.text)
    assert fast.headers.get("content-type") == "application/json", fast.text
    assert fast.json() == slow.json()
    assert _headers(fast) == _headers(slow)
    assert_security_headers(fast)


@contextmanager
def open_lane(app: FastAPI, world: World, monkeypatch: pytest.MonkeyPatch, **client_kw: Any) -> Iterator[Lane]:
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}, **client_kw) as client:
        if world.db.backend == "sqlite":
            assert app.state.ballot_writer is None
            app.state.ballot_writer = SyncWriter(app)
        else:
            assert app.state.ballot_writer is not None, "the lifespan did not start the PostgreSQL writer"
        lane = Lane(client, app, world)
        real_wants, real_serve = ballot_lane.wants, ballot_lane.serve

        async def serve(*args: Any) -> Any:
            try:
                passed_on = await real_serve(*args)
            except BaseException:
                lane.outcomes.append("raised")
                raise
            if passed_on is None:
                lane.outcomes.append("answered")
                return None
            lane.outcomes.append("passed")

            async def bounded() -> Any:  # a replay that lost the body would make the test client wait forever
                with anyio.fail_after(REPLAY_TIMEOUT_S):
                    return await passed_on()

            return bounded

        monkeypatch.setattr(ballot_lane, "wants", lambda scope: lane.enabled and real_wants(scope))
        monkeypatch.setattr(ballot_lane, "serve", serve)
        yield lane


@pytest.fixture
def lane(app: FastAPI, web_world: World, frozen_time: datetime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lane]:
    with open_lane(app, web_world, monkeypatch) as opened:
        yield opened


# ---- what the lane answers ---------------------------------------------------------------------------------


def test_success_and_already_voted_are_answered_by_the_lane_like_the_route(lane: Lane) -> None:
    fast, slow, offered = lane.both_voters(["m1", "m2"], lambda m: lane.post(m, body={"selection": ["m2", "m1"]}))
    assert offered == ["answered"]
    assert fast.status_code == slow.status_code == 201
    assert set(fast.json()) == {"contest_id", "tracker"} and fast.json()["contest_id"] == "almaty-city"
    assert is_tracking_code(fast.json()["tracker"]) and is_tracking_code(slow.json()["tracker"])
    assert {**fast.json(), "tracker": ""} == {**slow.json(), "tracker": ""}
    assert _headers(fast) == _headers(slow)  # trackers have one length, so even content-length agrees
    assert_security_headers(fast)
    assert fast.headers["content-language"] == "en" and fast.headers["vary"] == "Accept-Language"
    assert fast.headers["content-type"] == "application/json" and "set-cookie" not in fast.headers
    accepted = {fast.json()["tracker"], slow.json()["tracker"]}

    fast, slow, offered = lane.both_voters(["m1", "m2"], lambda m: lane.post(m, body={"selection": ["m4"]}))
    assert offered == ["answered"]
    assert fast.status_code == 409 and fast.json()["error"]["code"] == "already_voted"
    assert_same(fast, slow)
    opened = lane.opened()
    assert {b.tracker for b in opened} == accepted
    assert sorted(b.selection for b in opened) == ['["m1", "m2"]', '["m1", "m2"]']
    assert sorted(b.member_id for b in opened) == ["m1", "m2"]
    with lane.db.Session() as s:
        assert sorted(s.scalars(select(Participation.member_id))) == ["m1", "m2"]

    # the language of the answer: Accept-Language, then the language cookie, as the route's middleware does
    fast, slow, offered = lane.both_voters(
        ["m3", "m4"],
        lambda m: lane.post(
            m, NATIONAL, body={"selection": ["m1"]}, headers={"Accept-Language": "de, kk-KZ;q=0.9, ru;q=0.8"}
        ),
    )
    assert offered == ["answered"] and fast.status_code == 201
    assert fast.headers["content-language"] == slow.headers["content-language"] == "kk"

    def with_cookie(member: str) -> Any:
        lane.client.login(member)
        lane.client.cookies.set(LANG_COOKIE, "ru", domain="testserver.local")
        return lane.client.post(NATIONAL, json={"selection": ["m1"]}, headers={"X-CSRF-Token": lane.client.csrf})

    fast, slow, offered = lane.both_voters(["m3", "m4"], with_cookie)
    assert offered == ["answered"] and fast.status_code == 409
    assert fast.headers["content-language"] == "ru"
    assert_same(fast, slow)
    assert lane.ballots() == lane.count(Participation) == 4


# ---- what the lane passes on -------------------------------------------------------------------------------

# (member, contest, JSON body) -> the route's (status, code); each fails one rule, the lane must pass it on
REFUSED: dict[str, tuple[str, str, Any, int, str]] = {
    "not eligible (lives in Almaty region)": ("m5", "almaty-city", {"selection": ["m1"]}, 403, "not_eligible"),
    "too many marks": ("m1", "almaty-city", {"selection": ["m1", "m2", "m4"]}, 400, "invalid_input"),
    "empty ballot": ("m1", "almaty-city", {"selection": []}, 400, "invalid_input"),
    "candidate twice": ("m1", "almaty-city", {"selection": ["m1", "m1"]}, 400, "invalid_input"),
    "unknown candidate": ("m1", "almaty-city", {"selection": ["m9"]}, 400, "invalid_input"),
    "candidate of another contest": ("m1", "almaty-city", {"selection": ["m5"]}, 400, "invalid_input"),
    "unknown contest": ("m1", "nope", {"selection": ["m1"]}, 404, "not_found"),
    "staff, not a member": ("central", "almaty-city", {"selection": ["m1"]}, 403, "forbidden"),
    "no such subject": ("ghost", "almaty-city", {"selection": ["m1"]}, 401, "not_signed_in"),
    "selection not a list": ("m1", "almaty-city", {"selection": "m1"}, 422, "validation"),
    "selection null": ("m1", "almaty-city", {"selection": None}, 422, "validation"),
    "non-string selection": ("m1", "almaty-city", {"selection": [1]}, 422, "validation"),
    "mixed selection": ("m1", "almaty-city", {"selection": ["m1", None]}, 422, "validation"),
    "nested selection": ("m1", "almaty-city", {"selection": [["m1"]]}, 422, "validation"),
    "no selection key": ("m1", "almaty-city", {}, 422, "validation"),
    "body is a list": ("m1", "almaty-city", [{"selection": ["m1"]}], 422, "validation"),
    "body is a string": ("m1", "almaty-city", "m1", 422, "validation"),
    "body is null": ("m1", "almaty-city", None, 422, "validation"),
}
# raw bodies that are not a JSON ballot -> the route's (status, code)
RAW: dict[str, tuple[bytes, int, str]] = {
    "not JSON": (b'{"selection": ["m1"]', 422, "validation"),
    "empty body": (b"", 422, "validation"),
    "not UTF-8": (b'{"selection": ["\xff"]}', 400, "bad_request"),
    "NaN": (b'{"selection": NaN}', 422, "validation"),
    "trailing garbage": (b'{"selection": ["m1"]} x', 422, "validation"),
}


def test_refusals_and_odd_bodies_are_passed_on_and_answered_by_the_route(lane: Lane) -> None:
    for case, (member, contest, body, status, code) in REFUSED.items():
        fast, slow, offered = lane.both(lambda: lane.post(member, URL.format(contest), body=body))  # noqa: B023
        assert offered == ["passed"], case
        assert fast.status_code == status and fast.json()["error"]["code"] == code, (case, fast.text)
        assert_same(fast, slow)
        if code == "invalid_input":  # the route saw the replayed body: its details name the selection
            assert fast.json()["error"]["details"][0]["loc"] == ["selection"], case
    for case, (content, status, code) in RAW.items():
        fast, slow, offered = lane.both(lambda: lane.post("m1", content=content))  # noqa: B023
        assert offered == ["passed"], case
        assert fast.status_code == status and fast.json()["error"]["code"] == code, (case, fast.text)
        assert_same(fast, slow)
    assert lane.ballots() == lane.count(Participation) == 0


def test_requests_without_a_valid_session_or_token_are_passed_on(lane: Lane) -> None:
    ballot = {"selection": ["m1"]}
    lane.client.login("m2")
    token_of_m2 = lane.client.csrf
    cases: list[tuple[Callable[[], Any], int, str]] = [
        (lambda: lane.post("m1", body=ballot, csrf=False), 403, "csrf"),  # no X-CSRF-Token
        (lambda: lane.post("m1", body=ballot, headers={"X-CSRF-Token": "wrong"}), 403, "csrf"),
        (lambda: lane.post("m1", body=ballot, headers={"X-CSRF-Token": ""}), 403, "csrf"),
        (lambda: lane.post("m1", body=ballot, headers={"X-CSRF-Token": token_of_m2}), 403, "csrf"),  # not its own
        (lambda: lane.post(None, body=ballot), 401, "not_signed_in"),  # a session with a token, no subject
    ]
    for send, status, code in cases:
        fast, slow, offered = lane.both(send)
        assert offered == ["passed"]
        assert fast.status_code == status and fast.json()["error"]["code"] == code, fast.text
        assert_same(fast, slow)
    # no session cookie at all, and a session signed with another key
    for cookie in (None, encode_session("another-secret-" + "y" * 32, {"sub": "m1", "csrf": "t"})):

        def send(cookie: str | None = cookie) -> Any:
            lane.client.cookies.clear()
            if cookie is not None:
                lane.client.cookies.set(SESSION_COOKIE, cookie, domain="testserver.local")
            return lane.client.post(CITY, json=ballot, headers={"X-CSRF-Token": "t"})

        fast, slow, offered = lane.both(send)
        assert offered == ["passed"]
        assert fast.status_code == 403 and fast.json()["error"]["code"] == "csrf"
        assert_same(fast, slow)
    assert lane.ballots() == 0


def test_requests_the_route_accepts_but_the_lane_does_not_answer(lane: Lane) -> None:
    """A query string (never offered to the lane), an extra field, a body over MAX_BODY (read, then replayed
    whole): the route accepts each, as it would without the lane."""
    fast, slow, offered = lane.both_voters(
        ["m1", "m2"], lambda m: lane.post(m, CITY + "?x=1", body={"selection": ["m4"]})
    )
    assert offered == [] and fast.status_code == slow.status_code == 201
    fast, slow, offered = lane.both_voters(["m3", "m4"], lambda m: lane.post(m, body={"selection": ["m4"], "x": 1}))
    assert offered == ["passed"] and fast.status_code == slow.status_code == 201
    padded = json.dumps({"selection": ["m2"]}).encode() + b" " * (ballot_lane.MAX_BODY + 10)
    fast, slow, offered = lane.both_voters(["m1", "m2"], lambda m: lane.post(m, NATIONAL, content=padded))
    assert offered == ["passed"] and fast.status_code == slow.status_code == 201, fast.text
    assert sorted(b.selection for b in lane.opened()) == ['["m2"]'] * 2 + ['["m4"]'] * 4
    refused = json.dumps({"selection": ["m9"]}).encode() + b" " * (ballot_lane.MAX_BODY + 10)
    fast, slow, offered = lane.both(lambda: lane.post("m3", NATIONAL, content=refused))
    assert offered == ["passed"] and fast.status_code == 400
    assert fast.json()["error"]["details"][0]["message"] == "not a candidate in this contest: m9"
    assert_same(fast, slow)
    assert lane.ballots() == lane.count(Participation) == 6


def test_contest_and_candidate_changes_are_passed_on(lane: Lane, monkeypatch: pytest.MonkeyPatch) -> None:
    # ballots first, so that the writer has both contests in its cache when they change
    assert lane.post("m7", body={"selection": ["m4"]}).status_code == 201
    assert lane.post("m7", NATIONAL, body={"selection": ["m3"]}).status_code == 201
    with lane.db.Session() as s:
        nominations.withdraw(s, CENTRAL, "almaty-city", "m4", "personal reasons")
        s.execute(text("UPDATE members SET status = 'suspended' WHERE id = 'm3'"))
        s.commit()
    lane.outcomes.clear()
    fast, slow, offered = lane.both(lambda: lane.post("m1", body={"selection": ["m4"]}))  # withdrawn
    assert offered == ["passed"] and fast.status_code == 400 and fast.json()["error"]["code"] == "invalid_input"
    assert_same(fast, slow)
    fast, slow, offered = lane.both(lambda: lane.post("m3", body={"selection": ["m1"]}))  # suspended
    # a suspended member holds no grant: the route answers as for a worthless session
    assert offered == ["passed"] and fast.status_code == 401 and fast.json()["error"]["code"] == "not_signed_in"
    assert_same(fast, slow)

    with lane.db.Session() as s:
        contests.close_contest(s, CENTRAL, "almaty-city", early=True)
    for member in ("m1", "m7"):  # m7 voted before the close: the route says closed, not already voted
        fast, slow, offered = lane.both(lambda: lane.post(member, body={"selection": ["m1"]}))  # noqa: B023
        assert offered == ["passed"]
        assert fast.status_code == 409 and fast.json()["error"]["code"] == "conflict", fast.text
        assert_same(fast, slow)

    before = OPENS - timedelta(hours=1)
    monkeypatch.setattr(voting, "utcnow", lambda: before)
    monkeypatch.setattr(contests, "utcnow", lambda: before)
    for member in ("m1", "m7"):
        fast, slow, offered = lane.both(lambda: lane.post(member, NATIONAL, body={"selection": ["m1"]}))  # noqa: B023
        assert offered == ["passed"]
        assert fast.status_code == 409 and fast.json()["error"]["code"] == "conflict", fast.text
        assert_same(fast, slow)
    assert lane.ballots() == lane.count(Participation) == 2


def _asgi_post(lane: Lane, path: str, member: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drive the app with the given request messages (body chunks, a disconnect...) in the client's event loop
    (the writer's); the messages the app sent back."""
    value, token = issue_cookie(lane.app, member)  # a server-side session, as a sign-in makes it
    cookie = f"{SESSION_COOKIE}={value}"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"cookie", cookie.encode()),
            (b"x-csrf-token", token.encode()),
            (b"content-type", b"application/json"),
            (b"accept-language", b"en"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    pending = list(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    async def run() -> None:
        await lane.app(scope, receive, send)

    assert lane.client.portal is not None
    lane.client.portal.call(run)
    assert not pending, "the app did not read every message of the request"
    return sent


def _chunks(body: bytes, parts: int) -> list[dict[str, Any]]:
    size = -(-len(body) // parts)
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]


def _answer(sent: list[dict[str, Any]]) -> tuple[int, Any]:
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))


def test_chunked_bodies_are_read_whole_and_replayed_from_where_the_lane_stopped(lane: Lane) -> None:
    status, body = _answer(_asgi_post(lane, CITY, "m1", _chunks(b'{"selection": ["m4", "m2"]}', 4)))
    assert (status, lane.outcomes) == (201, ["answered"]) and is_tracking_code(body["tracker"])
    # past MAX_BODY the lane stops after 3 of the 8 chunks; the route gets those and then the other 5
    long = json.dumps({"selection": ["m4"]}).encode() + b" " * (2 * ballot_lane.MAX_BODY)
    status, body = _answer(_asgi_post(lane, CITY, "m2", _chunks(long, 8)))
    assert (status, lane.outcomes[1:]) == (201, ["passed"]), body
    refused = json.dumps({"selection": ["m9"]}).encode() + b" " * (2 * ballot_lane.MAX_BODY)
    status, body = _answer(_asgi_post(lane, CITY, "m3", _chunks(refused, 8)))
    assert status == 400 and body["error"]["details"][0]["message"] == "not a candidate in this contest: m9"
    assert sorted(b.selection for b in lane.opened()) == ['["m2", "m4"]', '["m4"]']
    # a client that goes away in the middle of the body: the same as without the lane, nothing written
    gone: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"selection": ', "more_body": True},
        {"type": "http.disconnect"},
    ]
    lane.outcomes.clear()
    with_lane = _asgi_post(lane, CITY, "m4", list(gone))
    assert lane.outcomes == ["passed"]
    lane.enabled = False
    without = _asgi_post(lane, CITY, "m4", list(gone))
    assert [(m["type"], m.get("status")) for m in with_lane] == [(m["type"], m.get("status")) for m in without]
    assert lane.ballots() == lane.count(Participation) == 2


def test_without_a_writer_the_lane_passes_everything_on(lane: Lane) -> None:
    """SQLite in production: no writer; the lane passes on unread and the route's lean path accepts."""
    lane.app.state.ballot_writer = None
    fast, slow, offered = lane.both_voters(["m1", "m2"], lambda m: lane.post(m, body={"selection": ["m1"]}))
    assert offered == ["passed"] and fast.status_code == slow.status_code == 201
    fast, slow, offered = lane.both_voters(["m1", "m2"], lambda m: lane.post(m, body={"selection": ["m1"]}))
    assert offered == ["passed"] and fast.status_code == 409
    assert_same(fast, slow)
    assert lane.ballots() == lane.count(Participation) == 2


# ---- where the lane and the route disagreed before (bugs found by these tests, fixed) ------------------------


def test_an_exception_in_the_writer_is_passed_on_to_the_route(
    app: FastAPI, web_world: World, frozen_time: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_lane(app, web_world, monkeypatch, raise_server_exceptions=False) as lane:

        async def broken(*args: Any, **kw: Any) -> str | None:
            raise RuntimeError("the database went away")

        monkeypatch.setattr(app.state.ballot_writer, "cast", broken)
        fast, slow, offered = lane.both(lambda: lane.post("m1", body={"selection": ["m1"]}))
        assert slow.status_code == 500 and slow.json()["error"]["code"] == "internal"
        assert offered == ["passed"]
        assert_same(fast, slow)


def test_a_body_that_is_not_declared_json_is_passed_on(lane: Lane) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):

        def send(member: str, content_type: str | None = content_type) -> Any:
            lane.client.login(member)
            headers = {"X-CSRF-Token": lane.client.csrf, **({"Content-Type": content_type} if content_type else {})}
            return lane.client.post(CITY, content=b'{"selection": ["m1"]}', headers=headers)

        fast, slow, offered = lane.both_voters(["m1", "m2"], send)
        assert slow.status_code == 422 and slow.json()["error"]["code"] == "validation"
        assert offered == ["passed"], content_type
        assert_same(fast, slow)
    assert lane.ballots() == 0


def test_repeated_headers_are_read_as_the_route_reads_them(lane: Lane) -> None:
    def token_twice(member: str) -> Any:
        lane.client.login(member)
        return lane.client.post(
            CITY,
            content=b'{"selection": ["m1"]}',
            headers=[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", "wrong"),
                ("X-CSRF-Token", lane.client.csrf),
            ],
        )

    def language_twice(member: str) -> Any:
        lane.client.login(member)
        return lane.client.post(
            NATIONAL,
            content=b'{"selection": ["m1"]}',
            headers=[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", lane.client.csrf),
                ("Accept-Language", "kk"),
                ("Accept-Language", "ru"),
            ],
        )

    fast, slow, _ = lane.both_voters(["m3", "m4"], language_twice)
    assert slow.status_code == 201 and slow.headers["content-language"] == "kk"
    language_agrees = fast.headers["content-language"] == slow.headers["content-language"]
    fast, slow, _ = lane.both_voters(["m1", "m2"], token_twice)
    assert slow.status_code == 403 and slow.json()["error"]["code"] == "csrf"
    assert fast.status_code == 403, "the lane accepted a ballot whose first X-CSRF-Token is wrong"
    assert language_agrees, "the lane answered in another language than the route"


@pytest.mark.parametrize("web_backend", ["sqlite"])  # a bug of the route's CSRF check, not of a database
def test_a_non_ascii_token_is_a_csrf_refusal(lane: Lane) -> None:
    lane.client.login("m1")
    fast, slow, offered = lane.both(
        lambda: lane.client.post(
            CITY,
            content=b'{"selection": ["m1"]}',
            headers=[("Content-Type", "application/json"), ("X-CSRF-Token", "\xe9t\xe9".encode("latin-1"))],
        )
    )
    assert offered == ["passed"]
    assert_same(fast, slow)
    assert fast.status_code == 403 and fast.json()["error"]["code"] == "csrf"
