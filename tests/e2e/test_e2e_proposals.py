"""Citizens' proposals in Chromium: a citizen on a phone picks a region (HTMX swaps the districts), sends a proposal
and follows it with the receipt; the central office's dashboard draws its chart under the CSP and a moderator
hides a proposal, which leaves the public page. kk/ru, 390 px without sideways scrolling, no serious axe-core
violation. Screenshots: tests/artifacts/proposals-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import NODE_MODULES, axe_violations, serving, shot

DISTRICT = "751210000"


@pytest.fixture(scope="module")
def served(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """(base URL, app) of a staff-only database with 1,500 of the demo's synthetic proposals, on SQLite."""
    from tandau.services.primaries import auth
    from tandau.services.primaries.access import Actor, Role
    from tandau.services.proposals.demo import prepare_proposals
    from tandau.settings import Settings
    from tandau.store.models import RoleGrant
    from tandau.web.app import create_app
    from tests.integration.primaries.conftest import CENTRAL, empty_database
    from tests.integration.web.conftest import SECRET

    tmp: Path = tmp_path_factory.mktemp("e2e-proposals")
    for db in empty_database("sqlite", tmp):
        with db.Session() as s:
            auth.grant_role(s, CENTRAL, "central", Role.CENTRAL)
            s.add(RoleGrant(subject_id="mod-almaty", role=Role.MODERATOR.value, kato="750000000"))
            s.commit()
            prepare_proposals(s, Actor.central(), tmp, seed=5, now=datetime(2026, 11, 30, tzinfo=UTC), count=1500,
                              secret_key=SECRET)
        app = create_app(Settings(environment="development", secret_key=SECRET), database_url=db.url,
                         bulletin_dir=tmp / "bulletins", node_modules=NODE_MODULES)
        with serving(app) as url:
            yield url, app
        app.state.engine.dispose()


@pytest.fixture(scope="module")
def chromium(served: tuple[str, Any], browser: Any) -> Any:
    """The session's browser (tests/e2e/conftest.py), once this module's server runs."""
    return browser


def _page(chromium: Any, served: tuple[str, Any], who: str | None, width: int = 1280) -> Any:
    from tandau.web.security import SESSION_COOKIE
    from tests.integration.web.conftest import issue_cookie

    base, app = served
    context = chromium.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    if who is not None:
        cookie, _ = issue_cookie(app, who)
        context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.console_errors = errors
    return page


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_citizen_sends_a_proposal_and_follows_it(chromium: Any, served: tuple[str, Any], lang: str) -> None:
    base, _app = served
    page = _page(chromium, served, None, width=390)
    page.goto(f"{base}/proposals/new?lang={lang}")
    page.select_option("#region-pick", "750000000")  # HTMX fetches the districts of Almaty
    page.wait_for_selector(f"#territory option[value='{DISTRICT}']", state="attached")
    page.select_option("#territory", DISTRICT)
    page.fill("#text", "Алатау ауданында балалар алаңын салу керек" if lang == "kk"
              else "Постройте детскую площадку в Алатауском районе, дети играют на дороге")
    page.select_option("#age_group", "18_28")
    page.fill("#contact", "+7 700 000 00 00")
    assert _fits(page) and axe_violations(page) == []
    shot(page, f"proposals-form-{lang}")
    page.locator("form[method=post] button[type=submit]").click()
    code = page.locator("[data-receipt]").inner_text()
    assert len(code) == 14 and _fits(page)
    shot(page, f"proposals-receipt-{lang}")
    page.goto(f"{base}/proposals/receipt?code={code}&lang={lang}")
    assert ("қабылданды" if lang == "kk" else "получено") in page.content()
    assert "+7 700 000 00 00" not in page.content()
    assert axe_violations(page) == [] and page.console_errors == []
    page.context.close()


def test_the_dashboard_draws_and_a_moderator_hides(chromium: Any, served: tuple[str, Any]) -> None:
    base, _app = served
    page = _page(chromium, served, "central")
    page.goto(f"{base}/proposals/dashboard?lang=ru")
    page.wait_for_selector(".vega-chart svg, .vega-chart canvas")
    assert axe_violations(page) == [] and page.console_errors == []
    shot(page, "proposals-dashboard")
    page.context.close()
    page = _page(chromium, served, "mod-almaty")
    page.goto(f"{base}/proposals/queue?lang=ru&status=new")
    first = page.locator("tr[data-proposal] a").first
    pid = first.inner_text()
    first.click()
    page.select_option("#reason", "personal_data")
    page.locator("form:has(#reason) button[type=submit]").click()
    page.wait_for_selector("[data-status=hidden]")
    assert axe_violations(page) == []
    shot(page, "proposals-item-hidden")
    page.goto(f"{base}/proposals/t/750000000?lang=ru")
    assert f'id="{pid}"' not in page.content()
    page.context.close()
