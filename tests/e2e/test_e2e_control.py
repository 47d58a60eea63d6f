"""The control board and a region's page in Chromium: traffic lights, a trajectory chart drawn, flags explained in
the page's language, a control case opened from a flag, the accessibility audit, screenshots."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Live, axe_violations, shot, sign_in


def test_e2e_control_board_region_and_case(page: Any, live: Live) -> None:
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    page.goto(f"{live.url}/control?lang=ru")
    assert page.locator("h1").inner_text() == "Панель контроля"
    assert page.locator("table.control-board tbody tr").count() == 21  # Kazakhstan and the 20 regions
    assert page.locator("table.control-board .light.red").count() >= 1
    shot(page, "control-board-ru")
    assert axe_violations(page) == []
    page.locator("table.control-board tbody tr:nth-child(2) th a").click()
    page.wait_for_load_state("networkidle")
    assert "/control/regions/" in page.url
    page.wait_for_selector(".vega-chart svg, .vega-chart canvas", timeout=15_000)
    assert page.locator(".series").count() >= 3  # Abai: no Enbek (it ended before 2022)
    shot(page, "control-region-ru")
    assert axe_violations(page) == []
    page.goto(f"{live.url}/control?lang=kk")
    assert page.locator("h1").inner_text() == "Бақылау тақтасы"
    flagged = page.locator("table.control-board a.light.red").first
    flagged.click()
    page.wait_for_load_state("networkidle")
    page.locator(".flag-list form button").first.click()
    page.wait_for_load_state("networkidle")
    assert "/control/cases/case-" in page.url
    shot(page, "control-case-kk")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
