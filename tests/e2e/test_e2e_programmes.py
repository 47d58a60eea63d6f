"""Election programmes in Chromium: a programme created from the list page, a commitment added and changed in the
editor (with the quality checks' findings shown), the diff of two versions, submitted, returned with reasons and
commented in kk/ru, the accessibility audit, screenshots of the editor and of the programme's page."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Live, axe_violations, shot, sign_in


def _fill(page: Any, prefix: str, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.fill(f"#{prefix}-{field}", value)


def _saved(page: Any, version: int) -> None:
    """Wait until the editor shows ``version`` (HTMX swaps the editor in place; without it the page reloads)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"document.querySelector('#editor input[name=base_version]')?.value === '{version}'")


def test_e2e_programme_editor_and_workflow(page: Any, live: Live) -> None:
    central = live.accounts["central"]
    sign_in(page, live, central.login, central.password)
    page.goto(f"{live.url}/programmes?lang=ru")
    assert page.locator("h1").inner_text() == "Предвыборные программы"
    cycle = "e2e-2023"  # the demo has a programme for every council of its own cycle already: a cycle of our own
    page.fill("#new-cycle", str(cycle))
    page.fill("#council", "M-10")
    page.locator("form[action='/programmes'][method=post] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/programmes/M-10-{cycle}")
    page.goto(f"{page.url}/edit?lang=ru")
    _fill(page, "new", {"commitment": "W-1", "text_ru": "Обеспечить сёла области чистой питьевой водой",
                        "text_kk": "Облыстың ауылдарын таза ауыз сумен қамтамасыз ету",
                        "indicator": "rural_water_access", "unit": "%", "baseline": "88,5", "baseline_year": "2022",
                        "target": "100", "deadline": "2027-12-31", "responsible": "Управление энергетики и ЖКХ"})
    page.select_option("#new-section", "water")
    page.select_option("#new-state_programme", "clean-water")
    page.locator("form.commitment-form:has(#new-commitment) button[type=submit]").click()
    _saved(page, 2)
    # no budget yet: C07 is shown on the commitment in the editor
    assert page.locator("#c-W-1 .findings li").count() >= 1 and "C07" in page.locator("#c-W-1 .findings").inner_text()
    shot(page, "programmes-editor-ru")
    assert axe_violations(page) == []
    page.fill("#W-1-budget_kzt", "12 000 000 000")
    page.select_option("#W-1-funding", "republican")
    page.locator("#c-W-1 form.commitment-form button[type=submit]").click()
    _saved(page, 3)
    assert "C07" not in page.locator("#c-W-1 .findings").inner_text()  # C10 (no link) is a notice
    page.goto(f"{live.url}/programmes/M-10-{cycle}?before=2&after=3&lang=ru")
    diff = page.locator("#diff").inner_text()
    assert "Бюджет, тенге" in diff and "12000000000" in diff
    page.locator("form.step button[type=submit]").first.click()  # submit
    page.wait_for_load_state("networkidle")
    page.fill("#reason", "Укажите источник по каждому селу")
    page.locator("form.step:has(#reason) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live.url}/programmes/M-10-{cycle}?lang=kk")
    assert "қайтарылды" in page.locator("dl").first.inner_text()
    page.fill("#comment-body", "Ауылдардың тізімін қосыңыз")
    page.locator("form[action$='/comments'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Ауылдардың тізімін қосыңыз" in page.locator("#comments + p, #comments ~ ol").last.inner_text()
    shot(page, "programmes-programme-kk")
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
