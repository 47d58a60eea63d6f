"""Staff pages over HTTP: who may see and change what, HTMX recompute, exports, languages, charts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tandau.settings import Settings
from tandau.web import charts
from tandau.web.app import create_app
from tests.integration.web.conftest import SECRET, WebClient
from tests.integration.workspace.conftest import World

PAGES = ["/staff", "/staff?region=Abai%20Region", "/staff/lists/M-10", "/staff/simulator?contest=M-10&draws=200",
         "/staff/primaries?contest=M-10", "/staff/lists/M-10/export.csv"]
# who may GET the staff pages: every staff role; a member is refused; anonymous is sent to sign in
ROLES = {"central": 200, "secretary": 200, "observer": 200, "M0000001": 403, None: 303}


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[WebClient]:
    app = create_app(Settings(environment="development", secret_key=SECRET), database_url=f"sqlite:///{world.db}")
    with WebClient(app, follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize("subject", list(ROLES))
def test_workspace_web_authorization_matrix(client: WebClient, subject: str | None) -> None:
    client.login(subject)
    for url in PAGES:
        got = client.get(url).status_code
        assert got == ROLES[subject] or (subject is None and got in (303, 401)), (subject, url, got)


NATIONAL = "KZ-MAJILIS"
NATIONAL_PAGES = [f"/staff/lists/{NATIONAL}", f"/staff/lists/{NATIONAL}/export.csv",
                  f"/staff/simulator?contest={NATIONAL}&draws=200", f"/staff/primaries?contest={NATIONAL}"]


@pytest.mark.parametrize(("subject", "status"), [("central", 200), ("observer", 200), ("secretary", 403)])
def test_workspace_web_reading_is_scoped_to_the_secretarys_territory(
    client: WebClient, subject: str, status: int
) -> None:
    """The Abai Region secretary reads the councils of the region, not the Majilis list (as in the API)."""
    client.login(subject)
    for url in NATIONAL_PAGES:
        assert client.get(url).status_code == status, (subject, url)
    if subject == "secretary":
        assert client.form(f"/staff/lists/{NATIONAL}", {"op": "reset"}).status_code == 403
    overview = client.get("/staff?lang=en").text
    assert (f"/staff/lists/{NATIONAL}" in overview) is (subject != "secretary")
    assert "/staff/lists/M-10" in overview


def test_workspace_web_pin_with_htmx_and_without(client: WebClient, world: World) -> None:
    client.login("secretary")
    page = client.get("/staff/lists/M-10?lang=en").text
    assert "Primary ranking" in page and "Proposed list" in page
    from tandau.services import workspace_lists
    from tandau.services.primaries.access import Actor

    with world.Session() as s:
        view = workspace_lists.builder_view(s, Actor.central(), "M-10")
    outsider = next(r.person["id"] for r in view.ranking if r.place is None and not r.excluded)
    partial = client.form("/staff/lists/M-10", {"op": "pin", "candidate": outsider, "place": "2"},
                          headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text and "Pinned by staff" in partial.text
    plain = client.form("/staff/lists/M-10", {"op": "reset"})
    assert plain.status_code == 303 and plain.headers["location"] == "/staff/lists/M-10"
    no_token = client.post("/staff/lists/M-10", data={"op": "reset"})
    assert no_token.status_code == 403
    client.login("observer")
    assert client.form("/staff/lists/M-10", {"op": "reset"}).status_code == 403


def test_workspace_web_languages_and_exports(client: WebClient) -> None:
    client.login("central")
    assert "Обзор по стране" in client.get("/staff?lang=ru").text
    assert "Ел бойынша шолу" in client.get("/staff?lang=kk").text
    assert "National overview" in client.get("/staff?lang=en").text
    xlsx = client.get("/staff/lists/M-10/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["content-disposition"].endswith('list-M-10.xlsx"')
    assert client.get("/staff/lists/M-10/export.pdf").content.startswith(b"%PDF")
    assert client.get("/staff/lists/M-10/export.docx").status_code >= 400


def test_workspace_web_chart_specs_are_embedded_and_labelled(client: WebClient) -> None:
    client.login("central")
    html = client.get("/staff/simulator?contest=M-10&draws=200&lang=kk").text
    assert html.count('class="vega-chart"') == 3
    assert "Күтілетін мандаттар" in html  # an axis title, translated
    assert "<script>" not in html  # CSP: no inline script


def test_workspace_charts_every_axis_titled() -> None:
    t = str
    specs = [
        charts.compliance_by_region([{"region": "A", "councils": 2, "compliant": 1}], t),
        charts.seats_by_party({"a": 1.0}, {}, t),
        charts.position_chances([{"place": 1, "name": "X", "probability": 0.5, "woman": True, "young": False}], t),
        charts.composition(0.4, 0.3, 0.5, 0.2, t),
        charts.turnout_by_territory([{"name": "A", "share": 0.5, "voted": 1, "eligible": 2}], t),
        charts.primary_votes([{"name": "X", "votes": 3, "elected": True, "rank": 1}], t),
    ]
    for spec in specs:
        assert spec["title"]["text"] and spec["description"]
        for channel in ("x", "y"):
            assert spec["encoding"][channel]["title"], (spec["title"], channel)
        assert "</" not in charts.to_json({"a": "</script>"}).replace("<\\/", "")
        json.dumps(spec)


@pytest.mark.skipif(shutil.which("node") is None or not (Path(__file__).parents[3] / "node_modules/vega").is_dir(),
                    reason="node or node_modules missing (npm ci)")
def test_workspace_chart_static_svg() -> None:
    svg = charts.render_svg(charts.seats_by_party({"a": 3.0, "b": 1.0}, {"a": "A", "b": "B"}, str))
    assert svg.startswith("<svg") and "Expected seats" in svg


def test_workspace_every_staff_string_translated() -> None:
    from tandau.web.i18n import catalogue, extract_messages

    web = Path(charts.__file__).parent
    mine = [web / "charts.py", web / "routers" / "staff.py", web / "templates" / "staff"]
    messages = extract_messages(mine)
    assert len(messages) > 100
    for lang in ("kk", "ru"):
        table = catalogue(lang)
        missing = [m for m in messages if not table.get(m)]
        assert not missing, (lang, missing[:5])


def test_workspace_macros_that_translate_are_imported_with_context() -> None:
    """A macro imported without context sees the global identity gettext, not the request's language."""
    import re

    from tandau.web.templating import TEMPLATES_DIR

    imports = re.compile(r'{%-?\s*from\s+"([^"]+)"\s+import\s+([^%]+?)\s*-?%}')
    for template in TEMPLATES_DIR.rglob("*.html"):
        for source, names in imports.findall(template.read_text(encoding="utf-8")):
            if "_(" in (TEMPLATES_DIR / source).read_text(encoding="utf-8"):
                assert names.rstrip().endswith("with context"), (template.name, source)


def test_workspace_chart_actions_in_the_page_language(client: WebClient) -> None:
    client.login("central")
    page = client.get("/staff?lang=kk").text
    assert 'data-svg="SVG ретінде сақтау"' in page and "Save as SVG" not in page


def test_workspace_known_tags_in_the_page_language(client: WebClient, world: World) -> None:
    from tandau.web.labels import KNOWN_TAGS, tag_label

    for tag in KNOWN_TAGS:
        for lang in ("kk", "ru"):
            assert tag_label(tag, lang) != tag, (tag, lang)
        assert tag_label(tag, "en") == tag
    assert tag_label("veteran", "ru") == "veteran"  # a party's own tag is shown as written
    client.login("central")
    page = client.get("/staff/lists/M-10?lang=ru").text
    assert "предприниматель" in page and "entrepreneur" not in page


def test_results_page_chooses_a_council_then_its_contest(client: WebClient, world: World) -> None:
    """The first chooser lists each council once (a city maslikhat elected in districts only by its first district's
    contest, named as the council); the second the chosen council's contests: 3,148 options at full size took 2.7 s."""
    import re

    from sqlalchemy import select

    from tandau.store.models import Contest

    with world.Session() as s:
        published = s.scalars(select(Contest).where(Contest.status == "published")).all()
    councils = {c.council_id or c.id for c in published}
    semey = sorted(c.id for c in published if c.council_id == "M-1010")
    assert len(semey) > 1 and all(c.district_id for c in published if c.council_id == "M-1010")
    client.login("central")
    page = client.get("/staff/primaries?contest=M-10&lang=en").text
    first = re.search(r'<select id="p-contest" name="contest">(.*?)</select>', page, re.S)
    assert first is not None
    options = re.findall(r'<option value="([^"]+)"', first.group(1))
    assert len(options) == len(set(options)) == len(councils) < len(published)
    assert semey[0] in options and not set(semey[1:]) & set(options)
    assert ">Semey City Maslikhat</option>" in first.group(1)  # the council's name, not its district's
    district_page = client.get(f"/staff/primaries?contest={semey[1]}&lang=ru").text
    second = re.search(r'<select id="p-district" name="contest">(.*?)</select>', district_page, re.S)
    assert second is not None
    assert re.findall(r'<option value="([^"]+)"', second.group(1)) == semey
    assert f'<option value="{semey[1]}" selected>' in second.group(1)
    assert f'<option value="{semey[0]}" selected>Маслихат города Семей</option>' in district_page
    majilis = client.get("/staff/primaries?contest=KZ-MAJILIS&lang=en").text  # the national list's districts too
    second = re.search(r'<select id="p-district" name="contest">(.*?)</select>', majilis, re.S)
    assert second is not None and 'value="KZ-MAJILIS" selected' in second.group(1)
    assert sum(1 for c in published if c.council_id == "KZ-MAJILIS") == second.group(1).count("<option") - 1
