"""Staff pages in Kazakh and Russian carry the list engine's reasons in that language, not in English.

The builder's moves and reasons, rule names, per-rule compliance and warnings, the overview's rule columns, and a
refused pin or exclusion's diagnosis (HTMX recompute) are rendered from the engine's codes (tandau.io.reasons).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest

from tandau.services import workspace_lists
from tandau.services.primaries.access import Actor
from tandau.settings import Settings
from tandau.web.app import create_app
from tests.integration.web.conftest import SECRET, WebClient
from tests.integration.workspace.conftest import World

# Words of the engine's English texts (moves, rules, checks, warnings, refusals); none may reach a kk/ru page.
ENGLISH = re.compile(
    r"\b(moved|vote rank|so that|places above|pinned (to|candidates)|rounded|of the list|"
    r"at least|at most|people under|women|men|hold|holds|stretches|comply|complies|bound|"
    r"warning only|relaxation|needs|cannot|no list|the candidates include|seat-safe)\b",
    re.I,
)
# What may stay Latin inside a translated reason: preset ids such as nur-otan-2019, kz-law-2022.
PRESET_ID = re.compile(r"\b[a-z]{2,}(?:-[a-z0-9]+)+\b")
SPAN = re.compile(r"<(span|li|p)\b[^>]*>(.*?)</\1>", re.S)


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[WebClient]:
    app = create_app(Settings(environment="development", secret_key=SECRET), database_url=f"sqlite:///{world.db}")
    with WebClient(app, follow_redirects=False) as c:
        c.login("central")
        yield c


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def _texts(fragment: str, marker: str) -> list[str]:
    """Text of every span/li/p whose opening tag contains ``marker`` (inner tags stripped)."""
    return [
        unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        for m in SPAN.finditer(fragment)
        if marker in m.group(0)[: m.group(0).index(">") + 1]
    ]


def _assert_translated(texts: list[str], lang: str) -> None:
    assert texts
    for text in texts:
        assert not ENGLISH.search(text), (lang, text)
        assert not re.search(r"[A-Za-z]{3,}", PRESET_ID.sub("", text)), (lang, text)
        assert re.search(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text), (lang, text)


def _view(world: World) -> workspace_lists.BuilderView:
    with world.Session() as s:
        return workspace_lists.builder_view(s, Actor.central(), "M-10")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_builder_reasons_rules_and_warnings_are_translated(client: WebClient, world: World, lang: str) -> None:
    assert any(e["why"] and e["why"]["code"] == "moved_up_for_rule" for e in _view(world).stored.result["entries"])
    html = client.get(f"/staff/lists/M-10?lang={lang}").text
    proposed = _section(html, 'id="list-h"', "</section>")
    reasons = _texts(proposed, 'class="reason"')
    assert reasons  # at least the move the engine explained (moved_up_for_rule above)
    _assert_translated(reasons, lang)
    checks = _section(proposed, '<ul class="checks">', "</ul>")
    _assert_translated([t for t in _texts(checks, "<li") if t], lang)
    _assert_translated(_texts(proposed, 'class="notice"'), lang)
    assert 'lang="en"' not in proposed  # nothing left marked as English
    word = {"kk": "әйелдер", "ru": "женщины"}[lang]
    assert word in proposed and {"kk": "көтерілді", "ru": "перемещение вверх"}[lang] in proposed


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_pin_recomputes_with_translated_reasons(client: WebClient, world: World, lang: str) -> None:
    """Pinning an outsider at place 2 (HTMX) pins them and moves the others down: every reason translated."""
    outsider = next(r.person["id"] for r in _view(world).ranking if r.place is None and not r.excluded)
    try:
        partial = client.form(
            f"/staff/lists/M-10?lang={lang}",
            {"op": "pin", "candidate": outsider, "place": "2"},
            headers={"HX-Request": "true"},
        ).text
        codes = {e["why"]["code"] for e in _view(world).stored.result["entries"] if e["why"]}
    finally:
        client.form("/staff/lists/M-10", {"op": "reset"})
    assert {"pinned", "moved_down_for_pins"} <= codes or {"pinned", "moved_down"} <= codes, codes
    reasons = _texts(_section(partial, 'id="list-h"', "</section>"), 'class="reason"')
    assert len(reasons) >= 3
    _assert_translated(reasons, lang)


def test_builder_in_english_shows_the_engines_text(client: WebClient, world: World) -> None:
    with world.Session() as s:
        result = workspace_lists.builder_view(s, Actor.central(), "M-10").stored.result
    html = unescape(client.get("/staff/lists/M-10?lang=en").text)
    for e in result["entries"]:
        if e["reason"]:
            assert e["reason"] in html
    for c in result["checks"]:
        assert f"{c['label']}: {c['detail']}" in re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_overview_rule_names_are_translated(client: WebClient, lang: str) -> None:
    html = client.get(f"/staff?lang={lang}").text
    rules = _section(html, '<ol class="rules">', "</ol>")
    _assert_translated(_texts(rules, "<li"), lang)
    cards = _section(html, 'id="summary-h"', "</section>")
    assert 'lang="en"' not in cards and "of the list" not in cards
    heads = re.findall(r'class="rule-head" title="([^"]+)"', html)
    _assert_translated([unescape(h) for h in heads], lang)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_refused_change_is_diagnosed_in_the_page_language(client: WebClient, world: World, lang: str) -> None:
    """Exclude women one by one until no list meets the rules: the refusal and its diagnosis are translated."""
    with world.Session() as s:
        view = workspace_lists.builder_view(s, Actor.central(), "M-10")
    women = [r.person["id"] for r in view.ranking if r.person["sex"] == "F"]
    refused = None
    try:
        for cid in women:
            r = client.form(
                f"/staff/lists/M-10?lang={lang}", {"op": "exclude", "candidate": cid}, headers={"HX-Request": "true"}
            )
            assert r.status_code == 200
            if 'role="alert"' in r.text:
                refused = r.text
                break
    finally:
        client.form("/staff/lists/M-10", {"op": "reset"})
    assert refused is not None, "excluding every woman never made the list infeasible"
    status = _section(refused, 'id="builder-status"', '<div class="side-by-side">')
    diagnosis = _texts(status, "<li")
    assert diagnosis
    _assert_translated(diagnosis, lang)
    headline = re.sub(r"<[^>]+>", " ", _section(status, "<p>", "</p>"))
    _assert_translated([unescape(headline)], lang)
