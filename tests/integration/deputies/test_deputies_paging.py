"""The deputies' staff page a page at a time (issue 15): Previous/Next through every deputy, the count beside them,
the filters kept in the links; the service's pages are slices of the whole list."""

from __future__ import annotations

import re

import pytest

from tandau.services.deputies import read
from tandau.web.routers.deputies import pages
from tests.integration.primaries.conftest import Db
from tests.integration.web.conftest import WebClient

from .conftest import ACTORS


def _ids(html: str) -> list[str]:
    return re.findall(r'<td><a href="/deputies/d/([^"]+)">', html)


def test_the_service_pages_are_slices_of_the_whole(imported: Db) -> None:
    with imported.Session() as s:
        whole = [d.id for d in read.list_deputies(s, ACTORS["central"], status=None)]
        assert len(whole) >= 3
        for offset in range(len(whole) + 1):
            page = read.deputies_page(s, ACTORS["central"], status=None, offset=offset, limit=2)
            assert page.total == len(whole) and [d.id for d in page.rows] == whole[offset:offset + 2]


def test_the_page_links_previous_and_next(client: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    client.login("central")
    whole = _ids(client.get("/deputies?status=&lang=en").text)
    assert len(whole) >= 3 and "Deputies 1 to" not in client.get("/deputies?status=").text  # one page: no pager
    monkeypatch.setattr(pages, "PAGE_ROWS", 2)
    first = client.get("/deputies?status=&lang=en").text
    assert _ids(first) == whole[:2] and f"Deputies 1 to 2 of {len(whole)}" in first and 'rel="prev"' not in first
    assert 'href="/deputies?territory=&amp;council=&amp;status=&amp;offset=2" rel="next"' in first
    collected, offset = [], 0
    while offset < len(whole):
        html = client.get(f"/deputies?status=&offset={offset}").text
        collected += _ids(html)
        assert ('rel="prev"' in html) is (offset > 0)
        offset += 2
    assert collected == whole
    ru = client.get("/deputies?status=&lang=ru").text
    assert f"Депутаты с 1 по 2 из {len(whole)}" in ru and "Далее" in ru
    kk = client.get("/deputies?status=&lang=kk").text
    assert f"{len(whole)} депутаттың 1–2 аралығы" in kk
