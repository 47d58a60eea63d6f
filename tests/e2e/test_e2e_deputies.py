"""Deputies, scorecards and the congress report in Chromium, on the session's small demo (tests/e2e/conftest.py):
a deputy's page with the programme commitments that name them and their control status, the scorecards page with
its formula and a click-through from a figure to the records behind it, the congress report and one region's
annex; the accessibility audit and screenshots (deputies-deputy-ru, scorecards-deputy-kk, report-congress-ru,
report-annex-kk). The central office signs in through the form once; every test acts as it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tandau.services.deputies.commitments import of_deputy, series_by_deputy
from tandau.store import make_engine, session_factory
from tandau.store.deputies_models import DeputyRow
from tests.e2e.conftest import Live, axe_violations, follow, opened, shot, signed_in_state


@dataclass(frozen=True)
class Deputy:
    id: str
    name: str
    kato: str
    term_start: date
    commitments: int


@pytest.fixture(scope="module")
def deputy(live: Live) -> Deputy:
    """The first demo deputy (of a maslikhat) answering for a commitment made a control target and assessed today
    (the programmes' demo names deputies and makes two commitments of each approved or published programme control
    targets), found with the same service as their page."""
    engine = make_engine(f"sqlite:///{live.db}")
    try:
        with session_factory(engine)() as s:
            named = series_by_deputy(s)
            for row in s.scalars(select(DeputyRow).where(DeputyRow.id.in_(sorted(named)), DeputyRow.status == "active",
                                                         DeputyRow.kato.is_not(None)).order_by(DeputyRow.id)):
                owned = of_deputy(s, row.id, row.council_id, date.today())
                if any(c.status for c in owned):
                    return Deputy(row.id, row.name, str(row.kato), row.term_start, len(owned))
    finally:
        engine.dispose()
    raise AssertionError("no demo deputy answers for a commitment made a control target")


@pytest.fixture(scope="module")
def central(browser: Any, live: Live) -> dict[str, Any]:
    """The central office, signed in through the form once for this module's tests."""
    return signed_in_state(browser, live, "central")


@pytest.fixture
def page(browser: Any, central: dict[str, Any]) -> Iterator[Any]:
    """A page of the central office (every test of this module acts as it)."""
    with opened(browser, storage_state=central) as pg:
        yield pg


def test_e2e_deputy_page(page: Any, live: Live, deputy: Deputy) -> None:
    page.goto(f"{live.url}/deputies/d/{deputy.id}?lang=ru")
    assert page.locator("h1").inner_text() == deputy.name
    rows = page.locator("tr[data-commitment]")
    assert rows.count() == deputy.commitments > 0
    statuses = [s for s in page.locator("tr[data-commitment] td[data-status]").evaluate_all(
        "cells => cells.map(c => c.dataset.status)") if s]
    assert statuses and set(statuses) <= {"on_track", "at_risk", "off_track", "achieved"}
    assert "Статус контроля" in page.locator("#commitments + .table-wrap").inner_text()
    shot(page, "deputies-deputy-ru")
    assert axe_violations(page) == []
    # the commitment's link leads to its programme, at the commitment
    first = rows.first.locator("a").first
    href = first.get_attribute("href")
    follow(page, first)
    assert href and page.url.endswith(href) and page.locator(f"article#c-{href.rsplit('#c-', 1)[1]}").count() == 1
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_e2e_scorecards_formula_and_click_through(page: Any, live: Live, deputy: Deputy) -> None:
    # the demo's activity is the year after election day: the period ending a year after the term began
    as_of = deputy.term_start + timedelta(days=364)
    page.goto(f"{live.url}/deputies/scorecards?lang=kk&kind=deputy&territory={deputy.kato}&as_of={as_of}")
    formula = page.locator("section.formula tbody tr")
    assert formula.count() == 7  # every component with its weight and rate
    card = page.locator(f"article#s-{deputy.id}")
    assert card.count() == 1
    assert card.locator("code").inner_text().startswith("score = (")
    commitments = card.locator("tbody tr").nth(6)
    link = commitments.locator("td").nth(2).locator("a")
    assert link.count() == 1
    n = int(link.inner_text())
    assert n >= 1
    shot(page, "scorecards-deputy-kk")
    assert axe_violations(page) == []
    follow(page, link)  # the figure's records: the deputy's commitments
    assert page.url.endswith(f"/deputies/d/{deputy.id}#commitments")
    assert page.locator("tr[data-commitment]").count() >= n  # every commitment naming them; n: the assessed ones
    page.go_back()
    attendance = page.locator(f"article#s-{deputy.id} tbody tr").first.locator("td").first.locator("a")
    assert attendance.count() == 1
    follow(page, attendance)
    assert page.url.endswith(f"/deputies/d/{deputy.id}")
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_e2e_congress_report_and_annex(page: Any, live: Live) -> None:
    page.goto(f"{live.url}/report?lang=ru")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Отчёт съезду"
    assert page.locator(".report-lead li").count() >= 3
    annexes = page.locator("a[href^='/report/regions/']")
    assert annexes.count() >= 1
    shot(page, "report-congress-ru")
    assert axe_violations(page) == []
    href = annexes.first.get_attribute("href")
    page.goto(f"{live.url}{href}{'&' if '?' in (href or '') else '?'}lang=kk")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Өңірлік қосымша")
    assert page.locator("a[href*='/report.pdf'][href*='region=']").count() == 1
    shot(page, "report-annex-kk")
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
