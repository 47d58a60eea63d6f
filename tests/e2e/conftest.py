"""Browser tests in Debian's Chromium through Playwright, against a live server on a small demo database.

They skip with the reason when Chromium, Playwright or ``node_modules`` (npm packages) is missing, and fail
instead under ``CI=true``. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tandau.services.demo import DemoAccount
from tests.conftest import SmallDemo

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
ARTIFACTS = REPO / "tests" / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET = "e2e-secret-key-that-is-long-enough-0123456789"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not (NODE_MODULES / "vega-embed").is_dir() or not (NODE_MODULES / "axe-core").is_dir():
        return f"npm packages are missing in {NODE_MODULES} (run npm ci at the repository root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


@pytest.fixture(scope="session")
def browser_ready() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires the browser tests to run")
        pytest.skip(reason)


@dataclass
class Live:
    url: str
    accounts: dict[str, DemoAccount]
    db: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port (its base URL), stopped on exit."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(browser_ready: None, small_demo: SmallDemo) -> Iterator[Live]:
    """The session's small demo (tests/conftest.py: one region and the Majilis, voting through the service)
    served by uvicorn in a thread."""
    from tandau.settings import Settings
    from tandau.web.app import create_app

    work, report = small_demo.work, small_demo.report
    app = create_app(Settings(environment="development", secret_key=SECRET),
                     database_url=f"sqlite:///{small_demo.db}", bulletin_dir=work / "bulletins",
                     node_modules=NODE_MODULES)
    # staff under their logins, the demo's members who have not voted in the practice contest as member1, member2...
    # (numbered among themselves: the demo's staff accounts now include a key holder)
    members = [a for a in report.accounts if a.role == "member"]
    accounts = {a.login: a for a in report.accounts if a.role != "member"}
    accounts |= {f"member{i}": a for i, a in enumerate(members, start=1)}
    with serving(app) as url:
        yield Live(url, accounts, small_demo.db)


@pytest.fixture(scope="module")
def browser(browser_ready: None) -> Iterator[Any]:
    """The Chromium of one test module. Playwright's sync API runs an event loop in this thread while it is open:
    modules take turns (one at a time, none starting its own), and the last one closes it before the tests that
    run ``asyncio.run`` themselves (tests/integration/operations)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@contextlib.contextmanager
def opened(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a context of its own (``options``: more of the context's, such as a ``storage_state``), its
    console errors collected in ``page.console_errors``; the context closed on exit."""
    # bypass_csp only so that the test can inject axe-core; the app's own scripts obey the policy
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="ru-RU",
                                  **options)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.console_errors = errors
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with opened(browser) as pg:
        yield pg


def signed_in_state(browser: Any, live: Live, login: str) -> dict[str, Any]:
    """What a browser keeps after ``login`` signs in through the form (Playwright's storage state: the session
    cookie), for the tests of a module that act as one account: each test opens its page with it instead of
    signing in again (a sign-in is an argon2 verification and three page loads)."""
    account = live.accounts[login]
    with opened(browser) as pg:
        sign_in(pg, live, account.login, account.password)
        return dict(pg.context.storage_state())


def sign_in(page: Any, live: Live, login: str, password: str) -> None:
    page.goto(f"{live.url}/signin")
    page.fill("#member_id", login)
    page.fill("#secret", password)
    follow(page, page.locator("form:has(#secret) button[type=submit]"))


def follow(page: Any, target: Any) -> None:
    """Click ``target`` (a form's submit button, a link) and wait until the page it leads to has loaded: a form's
    POST, its redirect and the page redirected to. Not ``networkidle``, which waits a further 500 ms with no request
    (on every step of a test): tests wait for that only where a page fetches after loading (charts) before they
    read it or audit it."""
    with page.expect_navigation():
        target.click()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    # the top of the page, up to 2,400 px: long candidate tables would make the image unreadable
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": min(height, 2400)})
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG 2 A/AA violations reported by axe-core (injected from node_modules)."""
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]
