"""The staff workspace and the member's vote in a real browser: sign in, vote, tracking code, pin and recompute,
language switch, seat simulator, charts drawn, accessibility audit, screenshots of every main page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import Live, axe_violations, shot, sign_in

pytestmark = pytest.mark.usefixtures("browser_ready")


def _charts_drawn(page: Any) -> int:
    page.wait_for_selector(".vega-chart.drawn svg", timeout=15_000)
    return int(page.locator(".vega-chart.drawn svg").count())


def test_e2e_member_votes_and_sees_tracking_code(page: Any, live: Live) -> None:
    member = live.accounts["member1"]
    sign_in(page, live, member.login, member.password)
    page.goto(f"{live.url}/contests/PRACTICE/ballot")
    shot(page, "member-ballot")
    page.locator("input[name=selection]").first.check()
    page.locator("form[action$='/ballot'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", text), text[:400]
    shot(page, "member-receipt")
    assert axe_violations(page) == []


def test_e2e_secretary_pins_and_list_recomputes(page: Any, live: Live) -> None:
    sec = live.accounts["secretary"]
    sign_in(page, live, sec.login, sec.password)
    page.goto(f"{live.url}/staff/lists/M-10")
    assert page.locator("table.list tbody tr").count() > 0
    shot(page, "list-builder")
    # pin the best-voted candidate who is not on the list at place 1
    row = page.locator("table.ranking tbody tr", has_text=re.compile("не в списке|not on the list")).first
    name = row.locator("th").inner_text()
    row.locator("input.place").fill("1")
    row.locator("button[value=pin]").click()
    first = page.locator("table.list tbody tr").first
    first.locator("strong.pin").wait_for()
    assert name in first.inner_text()
    # the others moved down carry their reason
    assert page.locator("table.list tbody tr.move-down .reason").count() >= 1
    assert page.locator("table.list tbody tr.move-pin").count() == 1
    shot(page, "list-builder-pinned")
    assert axe_violations(page) == []


def test_e2e_overview_language_switch_and_drill_down(page: Any, live: Live) -> None:
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    page.goto(f"{live.url}/staff?lang=en")
    assert page.locator("h1").inner_text() == "National overview"
    page.goto(f"{live.url}/staff?lang=kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text() == "Ел бойынша шолу"
    page.goto(f"{live.url}/staff")  # remembered in the cookie
    assert page.locator("h1").inner_text() == "Ел бойынша шолу"
    assert _charts_drawn(page) >= 1
    shot(page, "overview-kk")
    assert axe_violations(page) == []
    page.locator("table.councils tbody a[href*='region=']").first.click()
    page.wait_for_load_state("networkidle")
    assert "region=" in page.url
    page.goto(f"{live.url}/staff?lang=ru")
    assert page.locator("h1").inner_text() == "Обзор по стране"


def test_e2e_seat_simulator(page: Any, live: Live) -> None:
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    page.goto(f"{live.url}/staff/simulator?contest=M-10&lang=en")
    page.fill("#share-our-party", "35")
    page.fill("#s-draws", "1000")
    page.locator("form.simulator button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "share_our-party=35" in page.url
    assert _charts_drawn(page) == 3
    assert page.locator("#results table tbody tr").count() == 5
    shot(page, "seat-simulator")
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_e2e_primaries_results_and_phone_width(page: Any, live: Live) -> None:
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    page.goto(f"{live.url}/staff/primaries?contest=KZ-MAJILIS&lang=ru")
    assert _charts_drawn(page) == 2
    shot(page, "primaries-results")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.url}/staff/lists/M-10")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone: {width}px"
    shot(page, "list-builder-phone")
