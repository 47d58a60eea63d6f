"""The secretariat's list of contests a page at a time (issue 15: 3,148 contests at the national size): Previous/Next
through every contest the reader may manage, with the count."""

from __future__ import annotations

import re

import pytest

from tandau.web.routers import admin
from tests.integration.web.conftest import WebClient


def _ids(html: str) -> list[str]:
    return re.findall(r'<td><a href="/admin/contests/([^"]+)">', html)


def test_the_secretariat_pages_through_its_contests(client: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    client.login("central")
    whole = _ids(client.get("/admin").text)
    assert len(whole) >= 2 and "Contests 1 to" not in client.get("/admin").text  # one page: no pager
    monkeypatch.setattr(admin, "PAGE_CONTESTS", 1)
    first = client.get("/admin?lang=en").text
    assert _ids(first) == whole[:1] and f"Contests 1 to 1 of {len(whole)}" in first
    assert 'href="/admin?offset=1" rel="next"' in first and 'rel="prev"' not in first
    collected = []
    for offset in range(len(whole)):
        html = client.get(f"/admin?offset={offset}").text
        collected += _ids(html)
        assert ('rel="prev"' in html) is (offset > 0) and ('rel="next"' in html) is (offset < len(whole) - 1)
    assert collected == whole
    assert f"Голосования с 1 по 1 из {len(whole)}" in client.get("/admin?lang=ru").text
    assert f"{len(whole)} сайлаудың 1–1 аралығы" in client.get("/admin?lang=kk").text
