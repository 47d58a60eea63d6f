"""Election programmes in Chromium: a programme created from the list page, a commitment added and changed in the
editor (with the quality checks' findings shown), commitments drafted from the territory's stored development
programme (the editor's HTMX action: a proposal edited and added as a new version), the diff of two versions,
submitted, returned with reasons and commented in kk/ru, the accessibility audit, screenshots of the editor, the
draft and the programme's page.

The server runs on a small database of its own (staff, a cycle, the SYNTHETIC development programme of the region
the programme is for), not on the session's demo: building the demo took about half of this issue's test time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import NODE_MODULES, axe_violations, serving, shot

CYCLE = "e2e-2023"
REGION = "100000000"  # the council M-10's territory


@pytest.fixture(scope="module")
def served(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """(base URL, app) of an SQLite database with the central office, a cycle elected on 19 March 2023 (term
    2023-03-20 .. 2028-03-19) and the region's SYNTHETIC development programme stored through the import service."""
    from tandau.core.programmes.synthetic_dev import synthetic_development
    from tandau.io.development_csv import kz_units
    from tandau.services.primaries import auth
    from tandau.services.primaries.access import Actor, Role
    from tandau.services.programmes import development
    from tandau.settings import Settings
    from tandau.store.models import Cycle
    from tandau.web.app import create_app
    from tests.integration.primaries.conftest import CENTRAL, empty_database
    from tests.integration.web.conftest import SECRET

    tmp: Path = tmp_path_factory.mktemp("e2e-programmes")
    for db in empty_database("sqlite", tmp):
        with db.Session() as s:
            auth.grant_role(s, CENTRAL, "central", Role.CENTRAL)
            s.add(Cycle(id=CYCLE, name="Maslikhat elections 2023", election_date=date(2023, 3, 19), system="kz-2023"))
            s.commit()
            # the region's values are its districts' and cities' aggregated: generate them all, about 1,300 rows
            data = synthetic_development([u for u in kz_units() if u.territory[:2] == REGION[:2]], seed=7)
            development.store(s, Actor.central(), data, file="SYNTHETIC.csv", sha256="0" * 64, synthetic=True,
                              now=datetime(2026, 3, 1, tzinfo=UTC))
        app = create_app(Settings(environment="development", secret_key=SECRET), database_url=db.url,
                         bulletin_dir=tmp / "bulletins", node_modules=NODE_MODULES)
        with serving(app) as url:
            yield url, app
        app.state.engine.dispose()


def _sign_in(page: Any, served: tuple[str, Any], who: str) -> str:
    from tandau.web.security import SESSION_COOKIE
    from tests.integration.web.conftest import issue_cookie

    base, app = served
    cookie, _ = issue_cookie(app, who)
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
    return base


def _fill(page: Any, prefix: str, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.fill(f"#{prefix}-{field}", value)


def _saved(page: Any, version: int) -> None:
    """Wait until the editor shows ``version`` (HTMX swaps the editor in place; without it the page reloads)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"document.querySelector('#editor input[name=base_version]')?.value === '{version}'")


def test_e2e_programme_editor_and_workflow(page: Any, served: tuple[str, Any]) -> None:
    url = _sign_in(page, served, "central")
    page.goto(f"{url}/programmes?lang=ru")
    assert page.locator("h1").inner_text() == "Предвыборные программы"
    cycle = CYCLE
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
    # draft from the region's stored development programme: HTMX swaps the proposals into the editor
    page.locator("#draft-button").click()
    page.wait_for_selector("#draft .proposed")
    assert "Предложено по программе развития" in page.locator("#draft h2").inner_text()
    first = page.locator("#draft details.proposed").first
    first.locator("summary").click()
    prefix = first.get_attribute("id")  # d-M-10-NN: the proposal's form fields are d-M-10-NN-<field>
    assert "базовое значение" in first.locator(".explanation").inner_text()
    baseline, target = page.input_value(f"#{prefix}-baseline"), page.input_value(f"#{prefix}-target")
    deadline = page.input_value(f"#{prefix}-deadline")
    assert baseline and target and baseline != target and "2023-03-20" <= deadline <= "2028-03-19"
    shot(page, "programmes-draft-ru")
    assert axe_violations(page) == []
    page.fill(f"#{prefix}-budget_kzt", "500 000 000")  # the person edits the proposal, then adds it
    page.select_option(f"#{prefix}-funding", "local")
    first.locator("form.commitment-form button[type=submit]").click()
    _saved(page, 4)
    added = prefix.removeprefix("d-")
    assert page.locator(f"#c-{added}").count() == 1 and page.locator("#editor > details").count() == 2
    assert page.locator(f"#c-{added} .findings").count() == 0 or "C07" not in page.locator(
        f"#c-{added} .findings").inner_text()
    assert "M-10" in page.locator(f"#draft #{prefix} summary").inner_text()  # now marked as already in it
    page.goto(f"{url}/programmes/M-10-{cycle}?before=2&after=3&lang=ru")
    diff = page.locator("#diff").inner_text()
    assert "Бюджет, тенге" in diff and "12000000000" in diff
    page.locator("form.step button[type=submit]").first.click()  # submit
    page.wait_for_load_state("networkidle")
    page.fill("#reason", "Укажите источник по каждому селу")
    page.locator("form.step:has(#reason) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{url}/programmes/M-10-{cycle}?lang=kk")
    assert "қайтарылды" in page.locator("dl").first.inner_text()
    page.fill("#comment-body", "Ауылдардың тізімін қосыңыз")
    page.locator("form[action$='/comments'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Ауылдардың тізімін қосыңыз" in page.locator("#comments + p, #comments ~ ol").last.inner_text()
    shot(page, "programmes-programme-kk")
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
