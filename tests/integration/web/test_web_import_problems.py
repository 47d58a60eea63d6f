"""Import and eligibility problems in the page's language: the problems table of /admin/imports and the refusal
of a nomination on the contest page say them in Kazakh and Russian (tandau.web.problems, locale/*/problems.po);
the API's details carry each problem's code and parameters beside the English text, and the English message of
every code rebuilds the service's text word for word."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import update

from tandau.errors import InputError
from tandau.services.primaries import _tabular, contests, imports, nominations
from tandau.services.primaries.access import Actor, Grant, Role
from tandau.services.primaries.errors import ImportRejectedError
from tandau.services.primaries.problems import CODES
from tandau.store.models import Member
from tandau.web.problems import ProblemText
from tests.integration.primaries.conftest import CENTRAL, CLOSES, ELECTION, OPENS, Db

from .conftest import WebClient

BAD_ROLL = (
    b"id,name,sex,birth_date,territory,contact\n"
    b"n1,Nurlan,M,1991-02-03,751110000,\n"
    b"n2,,X,1991-02-30,751110000,\n"
    b"n1,Twice,M,1990-01-01,12345,\n"
    b"n3,Future,F,2999-01-01,751110000,\n"
)
BAD_NOMINATIONS = (
    b"contest,member,nominated_by,organisation\n"
    b"city-by,m5,self,\n"  # lives in Almaty region
    b"city-by,zz,self,\n"  # not on the roll
    b",m7,boss,\n"
    b",m1,organisation,\n"
    b"city-by,m5,self,\n"  # the same as row 2
    b"national-by,m3,self,\n"  # another contest
    b",m2,self,\n"  # suspended
)
ROW = re.compile(r"<tr><td>(.*?)</td><td class=\"num\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>")
LATIN = re.compile(r"[A-Za-z]{2,}")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# what stays as it is in every language: the file's own words (column names and values) and format names
KEPT = ("nominated_by", "organisation", "self", "boss", "zz", "Twice", "Nurlan", "Future", "city-by", "national-by",
        "CSV", "UTF", "XLSX", "csv", "xlsx")


@pytest.fixture
def drafts(web_db: Db) -> list[str]:
    """Draft contests: a maslikhat in Almaty city, the national list, and one of a cycle without an election
    date; m2 suspended from the party."""
    with web_db.Session() as s:
        contests.create_cycle(s, CENTRAL, "2026-by", "By-elections 2026", ELECTION)
        contests.create_cycle(s, CENTRAL, "undated", "Not yet called", None)
        for cid, cycle, level, kato, council in (("city-by", "2026-by", "regional", "750000000", "ms-75"),
                                                 ("national-by", "2026-by", "national", None, None),
                                                 ("undated-by", "undated", "regional", "750000000", "ms-75")):
            spec = contests.ContestSpec(cid, cycle, cid, level, "Almaty", "approval", 1, OPENS, CLOSES,
                                        council_id=council, kato=kato)
            contests.create_contest(s, CENTRAL, spec)
        s.execute(update(Member).where(Member.id == "m2").values(status="suspended"))
        s.commit()
    return ["city-by", "national-by"]


def _post(client: WebClient, url: str, name: str, content: bytes, **fields: str) -> Any:
    return client.post(url, data={"csrf_token": client.csrf, "action": "check", **fields},
                       files={"file": (name, content, "text/csv")})


def _api(client: WebClient, url: str, name: str, content: bytes) -> Any:
    return client.api("POST", url, files={"file": (name, content, "text/csv")})


def _table(text: str) -> dict[tuple[str, str], list[str]]:
    """(row, column) -> the problems shown there (HTML of the problem cell, unescaped)."""
    out: dict[tuple[str, str], list[str]] = {}
    for _file, row, column, shown in ROW.findall(text):
        out.setdefault((row, column), []).append(html.unescape(shown))
    return out


def _translated(shown: list[str]) -> None:
    for text in shown:
        assert 'lang="en"' not in text, text
        rest = text
        for word in KEPT:
            rest = rest.replace(word, "")
        assert not LATIN.search(rest), text
        assert CYRILLIC.search(text), text


ROLL_EXPECTED = {
    "ru": {
        ("3", "name"): "не указаны фамилия и имя",
        ("3", "sex"): "пол должен быть F или M, указано «X»",
        ("3", "birth_date"): "дата рождения должна быть в формате ГГГГ-ММ-ДД, указано «1991-02-30»",
        ("4", "id"): "номер члена партии «n1» уже встречается в строке 2",
        ("4", "territory"): "территория должна быть 9-значным кодом КАТО или идентификатором известного маслихата, "
        "указано «12345»",
        ("5", "birth_date"): "дата рождения 2999-01-01 ещё не наступила",
    },
    "kk": {
        ("3", "name"): "аты-жөні толтырылмаған",
        ("3", "sex"): "жынысы F немесе M болуы керек, көрсетілгені: «X»",
        ("3", "birth_date"): "туған күні ЖЖЖЖ-АА-КК пішімінде болуы керек, көрсетілгені: «1991-02-30»",
        ("4", "id"): "партия мүшесінің «n1» нөмірі 2-жолда бұрыннан бар",
        ("4", "territory"): "аумақ 9 таңбалы ӘАОЖ коды немесе белгілі мәслихаттың идентификаторы болуы керек, "
        "көрсетілгені: «12345»",
        ("5", "birth_date"): "туған күні 2999-01-01 — әлі келмеген күн",
    },
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_bad_roll_is_explained_in_the_page_language(client: WebClient, lang: str) -> None:
    client.login("central")
    page = _post(client, f"/admin/imports/roll?lang={lang}", "bad.csv", BAD_ROLL)
    assert page.status_code == 400 and 'data-error-code="import_rejected"' in page.text
    assert f'lang="{lang}"' in page.text
    shown = _table(page.text)
    assert {k: v[0] for k, v in shown.items()} == ROLL_EXPECTED[lang]
    _translated([p for ps in shown.values() for p in ps])


def test_the_english_page_shows_the_services_text(client: WebClient) -> None:
    client.login("central")
    shown = _table(_post(client, "/admin/imports/roll?lang=en", "bad.csv", BAD_ROLL).text)
    assert shown[("3", "sex")] == ["sex must be F or M, got 'X'"]
    assert shown[("4", "id")] == ["member id 'n1' already appears in row 2"]
    assert not any('lang="en"' in p for ps in shown.values() for p in ps)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_nomination_and_eligibility_problems_in_the_page_language(client: WebClient, drafts: list[str],
                                                                   lang: str) -> None:
    client.login("sec-almaty")
    page = _post(client, f"/admin/imports/nominations?lang={lang}", "n.csv", BAD_NOMINATIONS, contest="city-by")
    assert page.status_code == 400, page.text
    shown = _table(page.text)
    assert set(shown) == {("2", "member"), ("3", "member"), ("4", "nominated_by"), ("5", "organisation"),
                          ("6", "member"), ("7", "contest"), ("8", "member")}
    _translated([p for ps in shown.values() for p in ps])
    expected = {
        "ru": {
            ("2", "member"): "проживает на территории 191010000 — вне территории маслихата 750000000",
            ("3", "member"): "члена партии «zz» нет в реестре членов партии",
            ("4", "nominated_by"): "в столбце nominated_by должно быть self или organisation, указано «boss»",
            ("5", "organisation"): "укажите первичную партийную организацию, которая выдвигает кандидата",
            ("6", "member"): "то же выдвижение, что и в строке 2",
            ("7", "contest"): "в строке указано голосование «national-by», а импорт идёт в голосование «city-by»",
            ("8", "member"): "членство в партии приостановлено",
        },
        "kk": {
            ("2", "member"): "191010000 аумағында тұрады — бұл мәслихаттың 750000000 аумағынан тыс",
            ("3", "member"): "мүшелер тізілімінде «zz» партия мүшесі жоқ",
            ("4", "nominated_by"): "nominated_by бағанында self немесе organisation болуы керек, көрсетілгені: «boss»",
            ("5", "organisation"): "кандидатты ұсынатын бастауыш партия ұйымын көрсетіңіз",
            ("6", "member"): "2-жолдағы ұсынумен бірдей",
            ("7", "contest"): "жолда «national-by» сайлауы көрсетілген, ал импорт «city-by» сайлауына жасалуда",
            ("8", "member"): "партиядағы мүшелігі тоқтатыла тұрған",
        },
    }[lang]
    assert {k: v[0] for k, v in shown.items()} == expected


def test_a_form_sent_without_a_file_is_told_so_in_the_page_language(client: WebClient) -> None:
    client.login("central")
    page = client.post("/admin/imports/roll?lang=kk", data={"csrf_token": client.csrf, "action": "check"},
                       files={"file": ("", b"", "application/octet-stream")})
    assert page.status_code == 400
    assert "жүктеу үшін CSV немесе XLSX файлын таңдаңыз" in page.text
    assert "choose a CSV or XLSX file to upload" not in page.text


def test_a_problem_without_a_code_is_shown_in_english_marked_as_such() -> None:
    from tandau.web.problems import ProblemText

    for lang in ("kk", "ru"):
        shown = ProblemText(lang)(InputError("a problem only a newer service knows"))
        assert '<span lang="en">a problem only a newer service knows</span>' in str(shown), shown


def test_api_details_carry_code_and_params(client: WebClient, drafts: list[str]) -> None:
    client.login("central")
    roll = _api(client, "/api/v1/roll/import", "bad.csv", BAD_ROLL).json()["error"]
    got = {(d["row"], d["column"]): (d["code"], d["params"]) for d in roll["details"]}
    assert got == {
        (3, "name"): ("name_empty", {}),
        (3, "sex"): ("sex_invalid", {"value": "X"}),
        (3, "birth_date"): ("birth_date_invalid", {"value": "1991-02-30"}),
        (4, "id"): ("id_repeated", {"id": "n1", "row": 2}),
        (4, "territory"): ("territory_invalid", {"value": "12345"}),
        (5, "birth_date"): ("birth_date_future", {"date": "2999-01-01"}),
    }
    assert all({"file", "row", "column", "problem", "loc", "message"} <= set(d) for d in roll["details"])
    noms = _api(client, "/api/v1/contests/city-by/nominations/import", "n.csv", BAD_NOMINATIONS).json()["error"]
    assert [(d["row"], d["code"]) for d in noms["details"]] == [
        (2, "residence"), (3, "member_unknown"), (4, "nominator_invalid"), (5, "organisation_missing"),
        (6, "nomination_repeated"), (7, "contest_mismatch"), (8, "membership_inactive")]
    assert noms["details"][0]["params"] == {"territory": "191010000", "council_territory": "750000000"}
    # a refused nomination: every failed rule with its code (m7 is 22 on election day; the Majilis asks 25)
    refused = client.api("POST", "/api/v1/contests/national-by/nominations",
                         json={"member_id": "m7", "nominated_by": "self"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_eligible"
    (detail,) = refused.json()["error"]["details"]
    assert detail["code"] == "age_under"
    assert detail["params"] == {"age": 22, "date": "2026-03-15", "minimum": 25}
    assert detail["message"] == "age 22 on election day 2026-03-15 is under 25"
    # a problem of the file itself, and one without a code
    empty = _api(client, "/api/v1/roll/import", "roll.csv", b"").json()["error"]["details"]
    assert [(d["code"], d["params"]) for d in empty] == [("empty_file", {})]


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "sex", "birth_date", "territory", "contact"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_english_messages_rebuild_the_services_text(client: WebClient, app: FastAPI, web_db: Db, drafts: list[str],
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over real problems of every registered code (as the API gives them, parameters through JSON, and a few
    the web cannot reach, from the services): the English message of the code with the parameters is the
    service's text, so the parameters carry everything the sentence says."""
    say = ProblemText("en")
    seen: set[str] = set()

    def check(details: list[dict[str, Any]]) -> None:
        assert details
        for d in details:
            assert d["code"] in CODES, d
            assert say.render(d["code"], d["params"]) == (d["problem"] if "problem" in d else d["message"]), d
            seen.add(d["code"])

    header = b"id,name,sex,birth_date,territory,contact\n"
    uploads = [
        ("/api/v1/roll/import", "bad.csv", BAD_ROLL),
        ("/api/v1/roll/import", "short.csv", b"id,name,sex\n1,a,F\n"),
        ("/api/v1/roll/import", "roll.txt", b"id\n"),
        ("/api/v1/roll/import", "roll", b"id\n"),
        ("/api/v1/roll/import", "roll.csv", "id,name\nА,Б\n".encode("cp1251")),
        ("/api/v1/roll/import", "roll.csv", b'id\n"' + b"a" * 140_000),
        ("/api/v1/roll/import", "roll.xlsx", b"not a zip"),
        ("/api/v1/roll/import", "roll.xlsx", _zip_without_workbook()),
        ("/api/v1/roll/import", "roll.csv", b""),
        ("/api/v1/roll/import", "roll.csv", header),
        ("/api/v1/roll/import", "nul.csv", header + b"m\x009,A,F,1990-01-01,751110000,\n"),
        ("/api/v1/roll/import", "long.csv", header + b"x" * 65 + b"," + b"y" * 201 + b",F,1990-01-01,ms-75,"
         + b"z" * 201 + b"\n" + b",Nameless,F,1990-01-01,ms-75,\n"),
        ("/api/v1/contests/city-by/nominations/import", "n.csv", BAD_NOMINATIONS),
        ("/api/v1/contests/city-by/nominations/import", "n.csv", b"member,nominated_by\n"),
        ("/api/v1/contests/city-by/nominations/import", "t.csv",
         b"member,nominated_by,organisation,tags\nm1,organisation," + b"o" * 201 + b"," + b"t" * 201 + b"\n"),
        ("/api/v1/contests/almaty-city/nominations/import", "open.csv", b"member,nominated_by\nm7,self\nm1,self\n"),
        ("/api/v1/contests/undated-by/nominations/import", "u.csv", b"member,nominated_by\nm1,self\n"),
    ]
    client.login("central")
    for url, name, content in uploads:
        r = client.api("POST", url, files={"file": (name, content, "text/csv")})
        assert r.status_code == 400, (name, r.text)
        check(r.json()["error"]["details"])
    for contest, member in (("nowhere", "m1"), ("national-by", "m7")):
        refused = client.api("POST", f"/api/v1/contests/{contest}/nominations", json={"member_id": member})
        assert refused.status_code == 403
        check(refused.json()["error"]["details"])
    monkeypatch.setattr(imports, "MAX_REPORTED", 2)
    check(_api(client, "/api/v1/roll/import", "bad.csv", BAD_ROLL).json()["error"]["details"])
    monkeypatch.undo()
    app.state.import_max_bytes = 10
    check(_api(client, "/api/v1/roll/import", "bad.csv", BAD_ROLL).json()["error"]["details"])
    app.state.import_max_bytes = None
    no_file = client.api("POST", "/api/v1/roll/import", files={"file": ("", b"", "text/csv")})
    assert no_file.status_code in (400, 422), no_file.text
    if no_file.status_code == 400:
        check(no_file.json()["error"]["details"])
    client.login("sec-region")
    check(_api(client, "/api/v1/roll/import", "roll.csv", header + b"m1,A,F,1990-05-01,191010000,\n"
               b"q,B,F,1990-05-01,751110000,\n").json()["error"]["details"])
    client.login("sec-almaty")  # the contests are open: their roll is frozen
    check(_api(client, "/api/v1/roll/import", "frozen.csv", header + b"m1,Aigerim,F,1990-05-01,751110000,+77019999999\n"
               ).json()["error"]["details"])
    # beyond the web's reach: a missing file, a workbook that unpacks too large, a contest of another territory
    found: list[InputError] = []
    for attempt in (
        lambda: _tabular.read_table(tmp_path / "none.csv", ("id",)),
        lambda: _tabular.parse_table(_workbook(), "big.xlsx", ("id",)),
    ):
        monkeypatch.setattr(_tabular, "MAX_XLSX_UNPACKED", 100)
        with pytest.raises(InputError) as info:
            attempt()
        found.append(info.value)
    secretary = Actor("sec-region", (Grant(Role.SECRETARY, "190000000"),))
    table = _tabular.parse_table(b"contest,member,nominated_by\ncity-by,m5,self\n", "n.csv", nominations.COLUMNS)
    with web_db.Session() as s, pytest.raises(ImportRejectedError) as rejected:
        nominations.import_nomination_table(s, secretary, table)
    found += rejected.value.errors
    check([{"code": e.code, "params": e.params, "problem": e.problem} for e in found])
    assert seen == set(CODES)


@pytest.mark.parametrize(("lang", "headline", "reason"), [
    ("ru", "Члена партии m5 нельзя выдвинуть в голосовании «city-by».",
     "проживает на территории 191010000 — вне территории маслихата 750000000"),
    ("kk", "m5 партия мүшесін «city-by» сайлауына ұсыну мүмкін емес.",
     "191010000 аумағында тұрады — бұл мәслихаттың 750000000 аумағынан тыс"),
    ("en", "Member m5 cannot be nominated in contest 'city-by'.",
     "lives in 191010000, outside the council's territory 750000000"),
])
def test_a_refused_nomination_on_the_contest_page(client: WebClient, drafts: list[str], lang: str, headline: str,
                                                  reason: str) -> None:
    client.login("sec-almaty")
    r = client.form(f"/admin/contests/city-by/nominations?lang={lang}", {"member_id": "m5"})
    assert r.status_code == 403 and 'data-error-code="not_eligible"' in r.text
    text = html.unescape(r.text)
    assert headline in text and f"<li>{reason}</li>" in text
    assert "lives in" not in text or lang == "en"
