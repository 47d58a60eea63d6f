"""Public reception appeals in Chromium: an appeal sent through the public form (region, then district) and
followed by its receipt code; the central office routes it, extends it (refused beyond two months, then within),
answers it; the appeal's page with its applicant, "redirect by", history; the accessibility audit and screenshots
(appeals-appeal-ru, appeals-dashboard-ru, appeals-receipt-kk)."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Live, axe_violations, follow, shot, sign_in

TEXT = "Во дворе дома 12 по улице Абая третий год разбита дорога, машины скорой помощи не проезжают"


def _step(page: Any, step: str) -> None:
    follow(page, page.locator(f"form[data-step={step}] button[type=submit]"))


def test_e2e_appeal_case_page(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/appeals/new?lang=ru&region=750000000")
    assert page.locator("h1").inner_text() == "Написать в общественную приёмную"
    page.select_option("#territory", "751210000")
    page.fill("#text", TEXT)
    page.fill("#name", "Айгерим Садыкова (SYNTHETIC)")
    page.fill("#contact", "+7 700 000 12 34")
    follow(page, page.locator("form[action='/appeals/new'][method=post] button[type=submit]"))
    code = page.locator("[data-receipt]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    # the demo's own appeals are in the queue too: this one is found by its receipt
    mine = page.evaluate(f"fetch('/api/v1/appeals/receipt/{code}').then(r => r.json())")
    appeal_id, due = mine["id"], mine["due_on"]
    page.goto(f"{live.url}/appeals/a/{appeal_id}?lang=ru")
    assert "Айгерим Садыкова" in page.locator("[data-applicant]").inner_text()
    assert page.locator("[data-redirect-by]").count() == 1
    page.fill("#route-to", "750000000")
    _step(page, "route")
    assert page.locator("[data-status]").get_attribute("data-status") == "in_progress"
    limit = page.locator("#extend-due").get_attribute("max")
    page.evaluate("document.querySelector('#extend-due').removeAttribute('max')")
    page.fill("#extend-due", "2099-01-01")
    page.fill("#extend-reason", "Нужен выезд на место")
    _step(page, "extend")
    assert page.locator("[data-failed-step=extend]").count() == 1  # refused beyond two months, on the same page
    page.goto(f"{live.url}/appeals/a/{appeal_id}?lang=ru")
    page.fill("#extend-due", str(limit))
    page.fill("#extend-reason", "Нужен выезд на место и заключение акимата")
    _step(page, "extend")
    assert page.locator("[data-due]").get_attribute("data-due") == limit and limit != due
    page.fill("#answer-text", "Ремонт двора включён в план акимата на весну")
    _step(page, "answer")
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "resolved"
    assert page.locator("[data-history]").count() == 4  # received, routed, extended, answered
    shot(page, "appeals-appeal-ru")
    assert axe_violations(page) == []
    page.goto(f"{live.url}/appeals/dashboard?lang=ru")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-region='750000000']").count() == 1
    shot(page, "appeals-dashboard-ru")
    assert axe_violations(page) == []
    page.goto(f"{live.url}/appeals/receipt?lang=kk&code={code}")
    assert page.locator("[data-status]").get_attribute("data-status") == "answered"
    page.select_option("#satisfaction", "4")
    follow(page, page.locator("form[action='/appeals/receipt'][method=post] button[type=submit]"))
    assert "4 / 5" in page.content()
    shot(page, "appeals-receipt-kk")
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
