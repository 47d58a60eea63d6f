"""JSON logs: one object per line with the request's id, route template, status and duration, and nothing
that identifies a member or reveals a ballot, checked on real ballot requests."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandau.web.logs import JsonFormatter, PersonalDataFilter, json_handler, mask
from tests.integration.primaries.conftest import World

from .conftest import CITY, WebClient, cast, make_app


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The JSON handler's output (the app installs it on the root logger); logging restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    access = logging.getLogger("uvicorn.access")
    saved_access = (list(access.handlers), access.propagate, access.disabled)
    stream = io.StringIO()
    yield stream
    root.handlers, _ = saved[0], root.setLevel(saved[1])
    access.handlers, access.propagate, access.disabled = saved_access


def _redirect(stream: io.StringIO) -> None:
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "tandau-json")
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)


def test_ballot_requests_log_json_without_personal_data(web_world: World, tmp_path: Path, frozen_time: object,
                                                        captured: io.StringIO) -> None:
    app = make_app(web_world.db, tmp_path, log_format="json")
    _redirect(captured)
    with WebClient(app, base_url="http://testserver") as c:
        candidates = c.get(f"/api/v1/contests/{CITY}").json()["candidates"]
        answers = [cast(c, "m1"), cast(c, "m1"), cast(c, "m7", marks=1)]
        given = c.get("/healthz", headers={"X-Request-ID": "probe-0123456789"})
    app.state.engine.dispose()
    assert [a.status_code for a in answers] == [201, 409, 201]
    assert given.headers["x-request-id"] == "probe-0123456789"  # the proxy's id comes back
    assert "x-request-id" not in answers[0].headers  # a made-up one stays in the logs
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]  # every line is one JSON object
    route = "/api/v1/contests/{contest_id}/ballots"
    ballots = [x for x in lines if x["logger"] == "tandau.access" and x.get("route") == route]
    assert [x["status"] for x in ballots] == [201, 409, 201]
    for x in ballots:
        assert {"time", "level", "message", "request_id", "method", "duration_ms"} <= set(x)
        assert x["method"] == "POST" and x["duration_ms"] >= 0
    assert len({x["request_id"] for x in ballots}) == 3
    assert any(x.get("request_id") == "probe-0123456789" and x.get("route") == "/healthz" for x in lines)
    assert sum(x["message"].startswith("ballot accepted") for x in lines) == 2
    text = captured.getvalue()
    trackers = [a.json()["tracker"] for a in answers if a.status_code == 201]
    secrets_ = [*trackers, *(c["id"] for c in candidates), "Aigerim", "+7701"]
    assert not [s for s in secrets_ if s in text]
    assert not re.search(r"\bm[17]\b", text), text  # the members who voted


def test_the_filter_masks_what_a_message_or_traceback_carries() -> None:
    stream = io.StringIO()
    handler = json_handler(stream)
    logger = logging.getLogger("tandau.test.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("member %s (contact %s) selection=%s", "b000123", "aigerim@mail.kz", ["c1", "c4"],
                       extra={"member": "b000123", "tracker": "0123-4567-89AB-CDEF"})
        try:
            raise ValueError("subject 'b000123' sent 0123-4567-89AB-CDEF from +7 701 000 00 01, IIN 900101300123")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "member [masked] (contact [contact]) selection=[selection]"
    assert set(first) == {"time", "level", "logger", "message"}  # extra fields are not written
    assert "ValueError" in second["exception"]
    for secret in ("b000123", "0123-4567-89AB-CDEF", "701 000", "900101300123", "aigerim", "c4"):
        assert secret not in stream.getvalue()


@pytest.mark.parametrize(("raw", "masked"), [
    ("sent to aigerim@mail.kz", "sent to [contact]"),
    ("code 0123-4567-89ab-cdef ok", "code [tracker] ok"),
    ('{"selection": ["a", "b"]}', '{"selection": [selection]}'),
    ("ranking [c2, c1]", "ranking [selection]"),
    ("member=m12 voted", "member=[masked] voted"),
    ("GET /results/{contest_id} 200", "GET /results/{contest_id} 200"),  # an access line is left as it is
])
def test_mask(raw: str, masked: str) -> None:
    assert mask(raw) == masked


def test_formatter_without_filter_keeps_the_message() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain %s", ("text",), None)
    assert PersonalDataFilter().filter(record)
    assert json.loads(JsonFormatter().format(record))["message"] == "plain text"
