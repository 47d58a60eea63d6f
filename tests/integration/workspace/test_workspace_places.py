"""Council and region names in the page's language: staff, admin and voter pages, chart labels and exports
(Abai Region world of the demo under kz-2023, North Kazakhstan under kz-2021 for city and district lists;
contests store English names)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tandau.settings import Settings
from tandau.store.models import Member
from tandau.web import places
from tandau.web.app import create_app
from tandau.web.templating import TEMPLATES_DIR
from tests.integration.web.conftest import SECRET, WebClient
from tests.integration.workspace.conftest import World

# under kz-2023 the overview lists the list contests: Abai Region's list half and the Majilis (its city and
# district maslikhats are elected in single-member districts: their names show on the turnout and admin pages)

STAFF_PAGES = ["/staff", "/staff?region=Abai%20Region", "/staff/lists/M-10", "/staff/simulator?contest=M-10&draws=200",
               "/staff/primaries?contest=M-10", "/staff/primaries?contest=KZ-MAJILIS"]
ENGLISH = ["Abai Regional Maslikhat", "Abai Region", "Semey City Maslikhat", "District Maslikhat",
           "Majilis of the Parliament"]
# what each page shows (besides the absence of every ENGLISH name); "/staff/lists/M-10" shows the region too
EXPECTED = {
    "kk": {"/staff": ["Абай облыстық мәслихаты", "Абай облысы", "Қазақстан Республикасы Парламентінің Мәжілісі"],
           "/staff?region=Abai%20Region": ["Өңір: Абай облысы", "Абай облыстық мәслихаты"],
           "/staff/lists/M-10": ["Абай облыстық мәслихаты", "Абай облысы"],
           "/staff/simulator?contest=M-10&draws=200": ["Абай облыстық мәслихаты",
                                                       "Қазақстан Республикасы Парламентінің Мәжілісі"],
           "/staff/primaries?contest=M-10": ["Абай облыстық мәслихаты", "Семей қалалық мәслихаты"],
           "/staff/primaries?contest=KZ-MAJILIS": ["Қазақстан Республикасы Парламентінің Мәжілісі", "Абай облысы",
                                                   "Ақмола облысы"]},
    "ru": {"/staff": ["Маслихат области Абай", "область Абай", "Мажилис Парламента Республики Казахстан"],
           "/staff?region=Abai%20Region": ["Регион: область Абай", "Маслихат области Абай"],
           "/staff/lists/M-10": ["Маслихат области Абай", "область Абай"],
           "/staff/simulator?contest=M-10&draws=200": ["Маслихат области Абай",
                                                       "Мажилис Парламента Республики Казахстан"],
           "/staff/primaries?contest=M-10": ["Маслихат области Абай", "Маслихат города Семей"],
           "/staff/primaries?contest=KZ-MAJILIS": ["Мажилис Парламента Республики Казахстан", "область Абай",
                                                   "Акмолинская область"]},
}


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[WebClient]:
    app = create_app(Settings(environment="development", secret_key=SECRET), database_url=f"sqlite:///{world.db}")
    with WebClient(app, follow_redirects=False) as c:
        yield c


def shown(html: str) -> str:
    """The page without the form values and links that carry the stored English names as keys (chart data kept)."""
    return unescape(re.sub(r'\s(?:value|href)="[^"]*"', "", html))


def get(client: WebClient, url: str, lang: str) -> str:
    response = client.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    assert response.status_code == 200, (url, lang, response.status_code)
    return shown(response.text)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_staff_pages_name_councils_and_regions_in_the_page_language(client: WebClient, lang: str) -> None:
    client.login("central")
    for url, expected in EXPECTED[lang].items():
        page = get(client, url, lang)
        missing = [name for name in expected if name not in page]
        assert not missing, (url, lang, missing)
        english = [name for name in ENGLISH if name in page]
        assert not english, (url, lang, english)


def test_chart_labels_are_localized(client: WebClient) -> None:
    client.login("central")
    page = client.get("/staff?lang=kk").text
    specs = [json.loads(unescape(s)) for s in re.findall(r'data-spec="([^"]*)"', page)]
    regions = {v["region"] for spec in specs for v in spec["data"]["values"] if "region" in v}
    assert regions == {"Абай облысы"}
    turnout = client.get("/staff/primaries?contest=M-10&lang=ru").text
    labels = {v.get("territory") for s in re.findall(r'data-spec="([^"]*)"', turnout)
              for v in json.loads(unescape(s))["data"]["values"]} - {None}
    assert "Маслихат города Семей" in labels and not any(re.search("[A-Za-z]", str(t)) for t in labels)


def test_english_pages_keep_the_stored_names(client: WebClient) -> None:
    client.login("central")
    overview = get(client, "/staff", "en")
    listed = ["Abai Regional Maslikhat", "Abai Region", "Majilis of the Parliament"]
    assert all(name in overview for name in listed), [n for n in listed if n not in overview]
    assert "Маслихат" not in overview and "мәслихат" not in overview
    turnout = get(client, "/staff/primaries?contest=M-10", "en")
    assert "Semey City Maslikhat" in turnout and "District Maslikhat" in turnout and "мәслихат" not in turnout
    assert "List builder: Abai Regional Maslikhat" in get(client, "/staff/lists/M-10", "en")
    assert "Region: Abai Region" in get(client, "/staff?region=Abai%20Region", "en")


@pytest.fixture(scope="module")
def client_2021(world_2021: World) -> Iterator[WebClient]:
    app = create_app(Settings(environment="development", secret_key=SECRET),
                     database_url=f"sqlite:///{world_2021.db}")
    with WebClient(app, follow_redirects=False) as c:
        yield c


def test_overview_rows_follow_the_page_language(client_2021: WebClient) -> None:
    """Regions and councils are ordered by their names in the page's language (level first): the all-list
    cycle of 2021, where city and district maslikhats have lists."""
    client_2021.login("central")
    page = get(client_2021, "/staff", "ru")
    table = page[page.index('class="councils"'):]
    names = re.findall(r'<th scope="row"><a>([^<]+)</a></th>', table)
    assert names[0] == "Мажилис Парламента Республики Казахстан"
    assert names[1] == "Северо-Казахстанский областной маслихат", names[:3]
    assert "Маслихат города Петропавловск" in names, names
    districts = [n for n in names if n.endswith("районный маслихат")]
    assert districts == sorted(districts) and len(districts) >= 3
    english = get(client_2021, "/staff", "en")
    assert "Petropavl City Maslikhat" in english and "District Maslikhat" in english


def test_exports_carry_the_localized_council_name(client: WebClient) -> None:
    client.login("central")
    book = load_workbook(io.BytesIO(client.get("/staff/lists/M-10/export.xlsx?lang=kk").content))
    assert book.active is not None and book.active["A1"].value == "Абай облыстық мәслихаты"
    book = load_workbook(io.BytesIO(client.get("/staff/lists/M-10/export.xlsx?lang=en").content))
    assert book.active is not None and book.active["A1"].value == "Abai Regional Maslikhat"
    assert client.get("/staff/lists/M-10/export.pdf?lang=ru").content.startswith(b"%PDF")


def test_admin_pages_in_the_page_language(client: WebClient) -> None:
    client.login("central")
    index = get(client, "/admin", "ru")
    assert "Маслихат области Абай" in index and "Маслихат города Семей" in index
    assert "Regional Maslikhat" not in index and "City Maslikhat" not in index
    contest = get(client, "/admin/contests/kz-2023-M-1010-D01", "kk")
    assert "Семей қалалық мәслихаты" in contest and "Semey" not in contest
    turnout = get(client, "/admin/contests/M-10/turnout", "kk")
    assert "Абай облыстық мәслихаты" in turnout
    assert "Abai Regional Maslikhat" in get(client, "/admin", "en")


def test_voter_pages_in_the_page_language(client: WebClient, world: World) -> None:
    with world.Session() as s:
        member = s.scalars(select(Member.id).where(Member.kato.like("1010%")).order_by(Member.id)).first()
    assert member is not None
    client.login(member)
    expected = {"kk": ["Семей қалалық мәслихаты", "Абай облыстық мәслихаты",
                       "Қазақстан Республикасы Парламентінің Мәжілісі"],
                "ru": ["Маслихат города Семей", "Маслихат области Абай", "Мажилис Парламента Республики Казахстан"],
                "en": ["Semey City Maslikhat", "Abai Regional Maslikhat", "Majilis of the Parliament"]}
    for lang, names in expected.items():
        page = get(client, "/contests", lang)
        assert all(n in page for n in names), (lang, [n for n in names if n not in page])
        if lang != "en":
            assert not [n for n in ENGLISH if n in page], lang
    results = get(client, "/results", "kk")
    assert "Семей қалалық мәслихаты" in results and "City Maslikhat" not in results
    assert "<h1>Абай облыстық мәслихаты</h1>" in get(client, "/results/M-10", "kk")


def test_unknown_contests_and_regions_keep_the_stored_text() -> None:
    contest = {"id": "almaty-city", "council_id": "ms-75", "name": "Almaty city maslikhat"}
    assert places.council_name(contest, "kk") == "Almaty city maslikhat"
    assert places.council_name({"id": "M-75", "name": "whatever"}, "ru") == "Маслихат города Алматы"
    old, new = {"id": "M-71", "name": "Nur-Sultan City Maslikhat"}, {"id": "M-71", "name": "Astana City Maslikhat"}
    assert places.council_name(old, "ru") == "Маслихат города Нур-Султан"  # the layout whose English name matches
    assert places.council_name(new, "ru") == "Маслихат города Астаны"
    assert places.council_name(new, "en") == "Astana City Maslikhat"
    assert places.region_name("Almaty region", "ru") == "Алматинская область"
    assert places.region_name("Almaty", "kk") == "Алматы қаласы"
    assert places.region_name("Atlantis", "kk") == "Atlantis"
    assert places.region_name(None, "kk") == ""
    assert places.territory_name("1010", "Semey City Maslikhat", "kk") == "Семей қалалық мәслихаты"
    assert places.territory_name("10", "Abai Region", "ru") == "область Абай"
    assert places.territory_name("1010", "1010", "ru") == "г. Семей"  # no contest names it: the territory's unit
    assert places.territory_name("1010", "1010", "en") == "Semey"
    assert places.territory_name("9999", "9999", "ru") == "9999"  # nowhere in the territory
    assert places.territory_name("1010", "Kurchatov City Maslikhat", "ru") == "Kurchatov City Maslikhat"  # not 1010's


def test_templates_show_contest_and_region_names_through_the_helpers() -> None:
    """No template prints a stored contest name or region directly; macros that use the helpers (which read the
    page's language from the context) are imported with context."""
    direct = re.compile(r"{{\s*[\w.]*(?:contest\.name|\.region)\s*}}")
    helpers = ("council_name(", "region_name(", "territory_name(")
    imports = re.compile(r'{%-?\s*from\s+"([^"]+)"\s+import\s+([^%]+?)\s*-?%}')
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not direct.findall(text), (template.name, direct.findall(text))
        for source, names in imports.findall(text):
            if any(h in Path(TEMPLATES_DIR / source).read_text(encoding="utf-8") for h in helpers):
                assert names.rstrip().endswith("with context"), (template.name, source)


def test_turnout_rows_without_a_contest_are_named_from_the_territory(client: WebClient) -> None:
    """The small world has contests in Abai Region only; Majilis voters elsewhere are counted under their
    region, named from the territory (KATO 11 is Akmola Region), never as a bare code."""
    client.login("central")
    for lang, akmola in (("en", "Akmola Region"), ("ru", "Акмолинская область"), ("kk", "Ақмола облысы")):
        page = client.get(f"/staff/primaries?contest=KZ-MAJILIS&lang={lang}").text
        assert f'<th scope="row">{akmola}</th>' in page and '<th scope="row">11</th>' not in page, lang


def test_a_district_contest_is_named_with_its_district_in_every_language() -> None:
    from tandau.web.places import council_name

    row = {"name": "Semey City Maslikhat, district 3", "council_id": "M-1010", "district_id": "M-1010-D03"}
    assert council_name(row, "en") == "Semey City Maslikhat, district 3"
    assert council_name(row, "ru") == "Маслихат города Семей, избирательный округ № 3"
    assert council_name(row, "kk") == "Семей қалалық мәслихаты, № 3 сайлау округі"
    assert council_name({**row, "district_id": ""}, "ru") == "Маслихат города Семей"


def test_district_councils_read_in_kazakh_not_as_the_russian_fallback(client: WebClient) -> None:
    """Every district and city of the territory has the KATO classifier's Kazakh name (kato_names.csv): Abai
    Region's district maslikhats read "Аягөз аудандық мәслихаты", never "Мәслихат (Аягозский район)"."""
    client.login("central")
    turnout = get(client, "/staff/primaries?contest=M-10", "kk")
    assert "Аягөз аудандық мәслихаты" in turnout and "Курчатов қалалық мәслихаты" in turnout
    assert "Мәслихат (" not in turnout and "район)" not in turnout
    contest = get(client, "/admin/contests/kz-2023-M-1036-D01", "kk")
    assert "Аягөз аудандық мәслихаты" in contest and "Аягоз" not in contest
    assert places.council_name({"id": "M-1036", "name": "Ayagoz District Maslikhat"}, "kk") == \
        "Аягөз аудандық мәслихаты"
    assert places.territory_name("1036", "1036", "kk") == "Аягөз ауданы"
