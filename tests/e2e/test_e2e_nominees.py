"""Single-member nominees in Chromium: a secretary pins and excludes on the council page, a refused change shows
its diagnosis, the overview; kk/ru/en, no sideways scrolling at 390 px, no serious axe-core violation.

The world is the one of tests/integration/web/test_web_nominees.py (Almaty city council, three districts, two
published), served by uvicorn in a thread. Screenshots: tests/artifacts/nominees-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import NODE_MODULES, axe_violations, serving, shot

COUNCIL = "ms-75"


@pytest.fixture(scope="module")
def served(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, session cookie of sec-almaty) for the nominee world on SQLite."""
    from tandau.settings import Settings
    from tandau.web.app import create_app
    from tests.integration.primaries.conftest import build_world, empty_database
    from tests.integration.web.conftest import SECRET, add_staff, issue_cookie
    from tests.integration.web.test_web_nominees import nominee_world

    tmp: Path = tmp_path_factory.mktemp("e2e-nominees")
    for db in empty_database("sqlite", tmp):
        world = build_world(db, tmp)
        add_staff(db)
        nominee_world(world)
        app = create_app(Settings(environment="development", secret_key=SECRET), database_url=db.url,
                         bulletin_dir=tmp / "bulletins", node_modules=NODE_MODULES)
        cookie, _ = issue_cookie(app, "sec-almaty")
        with serving(app) as url:
            yield url, cookie
        app.state.engine.dispose()


@pytest.fixture(scope="module")
def chromium(served: tuple[str, str], browser: Any) -> Any:
    """The session's browser (tests/e2e/conftest.py), once this module's server runs."""
    return browser


def _page(chromium: Any, served: tuple[str, str], width: int = 1280) -> Any:
    from tandau.web.security import SESSION_COOKIE

    base, cookie = served
    context = chromium.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_secretary_pins_excludes_and_sees_a_refusal(chromium: Any, served: tuple[str, str]) -> None:
    base, _ = served
    page = _page(chromium, served)
    page.goto(f"{base}/staff/nominees/{COUNCIL}?lang=en")
    row = page.locator("#district-ms-75-D02")
    assert "Saule" in row.inner_text() and "so that the council's nominees hold at least 30% women" in row.inner_text()
    assert "the primary is not published yet" in page.locator("#district-ms-75-D03").inner_text()
    assert axe_violations(page) == []
    shot(page, "nominees-council-en")
    page.click("button[aria-label='Pin Aigerim']")
    assert "nominated by the leadership (pinned)" in page.locator("#district-ms-75-D01").inner_text()
    page.click("button[aria-label='Exclude Aigerim']")
    page.click("button[aria-label='Exclude Saule']")
    alert = page.locator("[role=alert]").first.inner_text()
    assert "nothing changed" in alert and "short by 1" in alert
    assert axe_violations(page) == []
    shot(page, "nominees-council-refused-en")
    page.click("text=Reset to the primary winners")
    page.context.close()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_pages_in_kazakh_and_russian_fit_a_phone(chromium: Any, served: tuple[str, str], lang: str) -> None:
    base, _ = served
    page = _page(chromium, served, width=390)
    for path, name in ((f"/staff/nominees/{COUNCIL}", "council"), ("/staff/nominees", "overview")):
        page.goto(f"{base}{path}?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate("document.documentElement.lang") == lang
        assert axe_violations(page) == []
        shot(page, f"nominees-{name}-{lang}-390")
    page.context.close()
