"""Secrecy through the web layer: no response or log line links a member to a ballot or a selection."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from tandau.web.security import SESSION_COOKIE, decode_session

from .conftest import SECRET, WebClient


def test_no_member_ballot_link_in_responses_cookies_or_logs(
    client: WebClient, frozen_time: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.login("m1")
    r = client.api("POST", "/api/v1/contests/almaty-city/ballots", json={"selection": ["m4"]})
    tracker = r.json()["tracker"]
    assert set(r.json()) == {"contest_id", "tracker"}
    # the session cookie holds no ballot, no tracker, no selection
    cookie = client.cookies.get(SESSION_COOKIE)
    if cookie:
        assert set(decode_session(SECRET, cookie, max_age=60)) <= {"sid", "csrf"}  # a random token, no subject
    # nothing the member can fetch later returns the tracker again
    for path in ("/api/v1/me/contests", "/contests", "/contests/almaty-city/ballot", "/api/v1/session"):
        assert tracker not in client.get(path).text
    # staff views show counts, never who chose what
    client.login("central")
    for path in ("/api/v1/contests/almaty-city/turnout", "/admin/contests/almaty-city/turnout",
                 "/admin/contests/almaty-city"):
        assert tracker not in client.get(path).text
    logged = caplog.text
    assert tracker not in logged
    for record in caplog.records:
        msg = record.getMessage()
        assert not ("m1" in msg and ("m4" in msg or tracker in msg)), msg
