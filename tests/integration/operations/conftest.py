"""Fixtures of the operations tests: the web layer's world, app and client (tests/integration/web/conftest.py)
and a helper that casts one ballot through the JSON API."""

from __future__ import annotations

from typing import Any

from tests.integration.web.conftest import (  # noqa: F401 - fixtures used by name
    WebClient,
    app,
    client,
    frozen_time,
    make_app,
    web_backend,
    web_db,
    web_world,
)

CITY = "almaty-city"  # approval, up to 2 marks; candidates m1, m2, m4; voters include m1, m2, m4, m7


def cast(web: WebClient, member: str, marks: int = 2) -> Any:
    """``member`` signs in and approves the first ``marks`` candidates of the city contest; the answer."""
    web.login(member)
    candidates = web.get(f"/api/v1/contests/{CITY}").json()["candidates"]
    selection = [c["id"] for c in candidates[:marks]]
    return web.api("POST", f"/api/v1/contests/{CITY}/ballots", json={"selection": selection})
