"""Imports in the browser and through the API: the roll and the nominations of a contest, from CSV or XLSX.

Check first (counts, or every problem as a table naming file, row and column), then import all or nothing;
a size limit; the CSRF token; roles and territories; one audit entry per import with the file's SHA-256.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import func, select

from tandau.services.primaries import audit, contests
from tandau.services.primaries.imports import MAX_BYTES
from tandau.store.models import Member, Nomination
from tests.integration.primaries.conftest import CENTRAL, CLOSES, ELECTION, OPENS, Db

from .conftest import WebClient

ROLL = (
    b"id,name,sex,birth_date,territory,contact\n"
    b"n1,Nurlan,M,1991-02-03,751110000,+77010000011\n"
    b"m1,Aigerim Serikova,F,1990-05-01,751110000,+77010000001\n"
)
BAD_ROLL = (
    b"id,name,sex,birth_date,territory,contact\n"
    b"n1,Nurlan,M,1991-02-03,751110000,\n"
    b"n2,,X,1991-02-30,751110000,\n"
    b"n1,Twice,M,1990-01-01,12345,\n"
)
NOMINATIONS = b"member,nominated_by,organisation\nm3,self,\nm7,organisation,Primary organisation 12\n"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELLS = re.compile(r"<tr><td>(.*?)</td><td class=\"num\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>")


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(db: Db, model: Any) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _entries(db: Db, action: str) -> list[audit.AuditEntry]:
    with db.Session() as s:
        return [e for e in audit.entries(s) if e.action == action]


def _page(client: WebClient, url: str, name: str, content: bytes, **fields: str) -> Any:
    data = {"csrf_token": client.csrf, **fields}
    return client.post(url, data=data, files={"file": (name, content, "text/csv")}, follow_redirects=False)


def _api(client: WebClient, url: str, name: str, content: bytes, mime: str = "text/csv") -> Any:
    return client.api("POST", url, files={"file": (name, content, mime)})


def _problems(text: str) -> list[tuple[str, str, str, str]]:
    return [tuple(html.unescape(c) for c in m) for m in CELLS.findall(text)]  # type: ignore[misc]


@pytest.fixture
def drafts(web_db: Db) -> list[str]:
    """Two draft contests: one in Almaty city (sec-almaty's), one in Almaty region (sec-region's)."""
    with web_db.Session() as s:
        contests.create_cycle(s, CENTRAL, "2026-by", "By-elections 2026", ELECTION)
        for cid, kato, council, level_name in (
            ("city-by", "750000000", "ms-75", "Almaty city by-election"),
            ("region-by", "190000000", "ms-19", "Almaty region by-election"),
        ):
            contests.create_contest(
                s,
                CENTRAL,
                contests.ContestSpec(
                    cid,
                    "2026-by",
                    level_name,
                    "regional",
                    "Almaty",
                    "approval",
                    1,
                    OPENS,
                    CLOSES,
                    council_id=council,
                    kato=kato,
                ),
            )
    return ["city-by", "region-by"]


def test_roll_csv_check_then_import_in_the_browser(client: WebClient, web_db: Db) -> None:
    client.login("central")
    page = client.get("/admin/imports")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrf_token"' in page.text
    assert 'action="/admin/imports/roll"' in page.text
    members, before = _count(web_db, Member), len(_entries(web_db, "roll.import"))

    checked = _page(client, "/admin/imports/roll", "roll.csv", ROLL, action="check")
    assert checked.status_code == 200, checked.text
    assert 'data-import="checked"' in checked.text
    assert '<td data-count="added">1</td>' in checked.text
    assert '<td data-count="updated">1</td>' in checked.text
    assert f'data-sha256="{hashlib.sha256(ROLL).hexdigest()}"' in checked.text
    assert _count(web_db, Member) == members and len(_entries(web_db, "roll.import")) == before

    # the world's contests are open, so both rows change a frozen roll: the central office gives a reason
    assert '<td data-count="frozen">2 (almaty-city, national)</td>' in checked.text
    refused = _page(client, "/admin/imports/roll", "roll.csv", ROLL, action="import")
    assert refused.status_code == 400 and "give the reason" in refused.text
    done = _page(client, "/admin/imports/roll", "roll.csv", ROLL, action="import", reason="yearly roll update")
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/imports?done=")
    shown = client.get(done.headers["location"])
    assert 'data-import="applied"' in shown.text and "roll.csv" in shown.text
    assert '<td data-count="added">1</td>' in shown.text
    assert '<td data-count="frozen">2 (almaty-city, national)</td>' in shown.text
    assert _count(web_db, Member) == members + 1
    with web_db.Session() as s:
        m1 = s.get(Member, "m1")
        assert m1 is not None and m1.name == "Aigerim Serikova"
    entry = _entries(web_db, "roll.import")[-1]
    assert entry.actor == "central" and entry.target == "roll.csv"
    assert dict(entry.details) == {"sha256": hashlib.sha256(ROLL).hexdigest(), "added": 1, "updated": 1,
                                   "frozen": 2, "contests": ["almaty-city", "national"],
                                   "reason": "yearly roll update"}
    assert [e.target for e in _entries(web_db, "roll.change_frozen")] == ["n1", "m1"]
    with web_db.Session() as s:
        assert audit.verify(s).ok
    client.login("sec-almaty")  # another actor's entry is not shown to them
    assert "data-import" not in client.get(done.headers["location"]).text


def test_nominations_xlsx_in_the_browser(client: WebClient, web_db: Db, drafts: list[str]) -> None:
    client.login("sec-almaty")
    page = client.get("/admin/imports?contest=city-by")
    assert '<option value="city-by" selected>' in page.text and 'value="region-by"' not in page.text
    book = _xlsx(
        [
            ["Member", "Nominated_by", "Organisation", "Tags"],
            ["m3", "self", None, "woman"],
            [None, None, None, None],
            ["m7", "organisation", "Primary organisation 12", None],
        ]
    )
    r = client.post(
        "/admin/imports/nominations",
        data={"csrf_token": client.csrf, "contest": "city-by", "action": "import"},
        files={"file": ("noms.xlsx", book, XLSX_TYPE)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    shown = client.get(r.headers["location"])
    assert 'data-count="added">2<' in shown.text and 'href="/admin/contests/city-by"' in shown.text
    with web_db.Session() as s:
        rows = s.scalars(
            select(Nomination).where(Nomination.contest_id == "city-by").order_by(Nomination.position)
        ).all()
        assert [(n.member_id, n.nominated_by, n.tags) for n in rows] == [
            ("m3", "self", "woman"),
            ("m7", "organisation", ""),
        ]
    entry = _entries(web_db, "nomination.import")[-1]
    assert entry.actor == "sec-almaty" and entry.target == "noms.xlsx"
    assert dict(entry.details) == {"sha256": hashlib.sha256(book).hexdigest(), "count": 2, "contests": ["city-by"]}


def test_api_roll_xlsx_and_nominations_csv(client: WebClient, web_db: Db, drafts: list[str]) -> None:
    client.login("central")
    book = _xlsx(
        [
            ["id", "name", "sex", "birth_date", "territory", "contact"],
            ["x1", "Zhanar", "F", "1999-12-31", 191010000, None],
            [1002, "Yerlan", "M", "1988-08-08", "ms-75", "y@example.kz"],
        ]
    )
    dry = _api(client, "/api/v1/roll/import?dry_run=true", "roll.xlsx", book, XLSX_TYPE)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {
        "kind": "roll",
        "file": "roll.xlsx",
        "sha256": hashlib.sha256(book).hexdigest(),
        "applied": False,
        "added": 2,
        "updated": 0,
        "contests": [],
        "frozen": 2,  # the world's contests are open
        "frozen_contests": ["almaty-city", "almaty-region", "national"],
    }
    assert _count(web_db, Member) == 7
    applied = _api(client, "/api/v1/roll/import?reason=new%20members", "roll.xlsx", book, XLSX_TYPE)
    assert applied.status_code == 200 and applied.json()["applied"] is True
    with web_db.Session() as s:
        added = s.get(Member, "1002")
        assert added is not None and added.kato == "750000000"  # a council id gives its territory
    client.login("sec-region")
    noms = _api(client, "/api/v1/contests/region-by/nominations/import", "n.csv", b"member,nominated_by\nx1,self\n")
    assert noms.status_code == 200, noms.text
    assert noms.json()["added"] == 1 and noms.json()["contests"] == ["region-by"]
    assert [e.target for e in _entries(web_db, "nomination.import")] == ["n.csv"]


def test_every_problem_is_listed_with_file_row_and_column(client: WebClient, web_db: Db) -> None:
    client.login("central")
    expected = {("3", "name"), ("3", "sex"), ("3", "birth_date"), ("4", "id"), ("4", "territory")}
    page = _page(client, "/admin/imports/roll", "bad.csv", BAD_ROLL, action="check")
    assert page.status_code == 400 and 'data-error-code="import_rejected"' in page.text
    rows = _problems(page.text)
    assert {(row, column) for _, row, column, _ in rows} == expected
    assert all(file == "bad.csv" for file, *_ in rows)
    assert any("sex must be F or M" in p for *_, p in rows)
    api = _api(client, "/api/v1/roll/import", "bad.csv", BAD_ROLL)
    assert api.status_code == 400
    err = api.json()["error"]
    assert err["code"] == "import_rejected" and set(err) == {"code", "message", "details"}
    assert {(d["row"], d["column"]) for d in err["details"]} == {(int(r), c) for r, c in expected}
    assert all(d["file"] == "bad.csv" and d["problem"] == d["message"] for d in err["details"])
    assert all(d["loc"] == [d["file"], d["row"], d["column"]] for d in err["details"])
    # a missing column is named with its header row
    short = _api(client, "/api/v1/roll/import", "short.csv", b"id,name,sex,birth_date,contact\nq,Q,F,1990-01-01,\n")
    assert short.status_code == 400
    assert short.json()["error"]["details"][0] | {"problem": ""} == {
        "loc": ["short.csv", 1, "territory"],
        "message": short.json()["error"]["details"][0]["message"],
        "file": "short.csv",
        "row": 1,
        "column": "territory",
        "problem": "",
        "code": "missing_columns",
        "params": {"missing": ["territory"], "required": ["id", "name", "sex", "birth_date", "territory", "contact"]},
    }


def test_a_failed_import_writes_nothing(
    client: WebClient, web_db: Db, drafts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client.login("central")
    members, entries = _count(web_db, Member), len(_entries(web_db, "roll.import"))
    r = _page(client, "/admin/imports/roll", "bad.csv", BAD_ROLL, action="import")
    assert r.status_code == 400
    assert _count(web_db, Member) == members and len(_entries(web_db, "roll.import")) == entries
    with web_db.Session() as s:
        assert s.get(Member, "n1") is None  # row 2 was fine, but nothing is imported
    # one ineligible candidate (m5 lives in the region) refuses the whole file
    noms = _api(
        client, "/api/v1/contests/city-by/nominations/import", "n.csv", b"member,nominated_by\nm3,self\nm5,self\n"
    )
    assert noms.status_code == 400
    assert [(d["row"], d["column"]) for d in noms.json()["error"]["details"]] == [(3, "member")]
    assert _count(web_db, Nomination) == 8  # the world's nominations only

    # a failure while writing (after the members were added) rolls the whole import back
    from tandau.services.primaries import roll

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(roll.audit, "append", broken)
    crash = _api(client, "/api/v1/roll/import?reason=update", "roll.csv", ROLL)
    assert crash.status_code == 500 and crash.json()["error"]["code"] == "internal"
    monkeypatch.undo()
    with web_db.Session() as s:
        assert s.get(Member, "n1") is None
        m1 = s.get(Member, "m1")
        assert m1 is not None and m1.name == "Aigerim"
    assert _count(web_db, Member) == members


def test_oversized_file_is_refused_with_a_clear_message(client: WebClient, app: FastAPI, web_db: Db) -> None:
    client.login("central")
    app.state.import_max_bytes = len(ROLL) - 1
    page = _page(client, "/admin/imports/roll", "roll.csv", ROLL, action="import")
    assert page.status_code == 413 and 'data-error-code="file_too_large"' in page.text
    assert "The file is too large; nothing was imported." in page.text
    api = _api(client, "/api/v1/roll/import", "roll.csv", ROLL)
    assert api.status_code == 413
    err = api.json()["error"]
    assert err["code"] == "file_too_large" and "larger than the limit" in err["message"]
    assert err["details"][0]["file"] == "roll.csv"
    assert _count(web_db, Member) == 7
    app.state.import_max_bytes = len(ROLL)
    assert _api(client, "/api/v1/roll/import?dry_run=true", "roll.csv", ROLL).status_code == 200


def test_the_default_limit(client: WebClient) -> None:
    client.login("central")
    big = b"id,name,sex,birth_date,territory,contact\n" + b"x" * MAX_BYTES
    r = _api(client, "/api/v1/roll/import?dry_run=true", "big.csv", big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "file_too_large"


def test_the_csrf_token_is_required(client: WebClient, web_db: Db) -> None:
    client.login("central")
    files = {"file": ("roll.csv", ROLL, "text/csv")}
    for data in ({"action": "import"}, {"action": "import", "csrf_token": "forged"}):
        r = client.post("/admin/imports/roll", data=data, files=files)
        assert r.status_code == 403 and 'data-error-code="csrf"' in r.text
    r = client.post("/api/v1/roll/import", files=files)
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    r = client.post("/api/v1/roll/import", files=files, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    assert _count(web_db, Member) == 7


def test_roles_and_territories(client: WebClient, web_db: Db, drafts: list[str]) -> None:
    client.login(None)
    r = client.get("/admin/imports", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    assert _api(client, "/api/v1/roll/import", "roll.csv", ROLL).json()["error"]["code"] == "not_signed_in"
    for who in ("m1", "observer"):
        client.login(who)
        assert client.get("/admin/imports").status_code == 403
        assert _page(client, "/admin/imports/roll", "roll.csv", ROLL, action="import").status_code == 403
        assert _api(client, "/api/v1/roll/import", "roll.csv", ROLL).json()["error"]["code"] == "forbidden"
        api = _api(client, "/api/v1/contests/city-by/nominations/import", "n.csv", NOMINATIONS)
        assert api.json()["error"]["code"] == "forbidden"

    # secretary of region B (190000000) into region A (Almaty city, 750000000): refused
    client.login("sec-region")
    page = client.get("/admin/imports")
    assert 'value="region-by"' in page.text and 'value="city-by"' not in page.text
    assert "territory 190000000 or under it" in page.text
    r = _page(client, "/admin/imports/nominations", "n.csv", NOMINATIONS, contest="city-by", action="import")
    assert r.status_code == 403 and 'data-error-code="forbidden"' in r.text
    api = _api(client, "/api/v1/contests/city-by/nominations/import", "n.csv", NOMINATIONS)
    assert api.status_code == 403 and api.json()["error"]["code"] == "forbidden"
    roll_a = _api(client, "/api/v1/roll/import", "roll.csv", ROLL)  # Almaty-city members
    assert roll_a.status_code == 400
    assert {(d["row"], d["column"]) for d in roll_a.json()["error"]["details"]} == {
        (2, "territory"),
        (3, "id"),
        (3, "territory"),
    }
    # nor may they pull a member of region A into region B by updating them
    move = _api(
        client,
        "/api/v1/roll/import",
        "move.csv",
        b"id,name,sex,birth_date,territory,contact\nm1,Aigerim,F,1990-05-01,191010000,\n",
    )
    assert move.status_code == 400
    assert "registered in territory 751110000" in move.json()["error"]["details"][0]["problem"]
    # a contest column naming another contest is refused, row by row
    other = _api(
        client,
        "/api/v1/contests/region-by/nominations/import",
        "n.csv",
        b"contest,member,nominated_by\nregion-by,m6,self\ncity-by,m5,self\n",
    )
    assert other.status_code == 400
    assert [(d["row"], d["column"]) for d in other.json()["error"]["details"]] == [(3, "contest")]
    with web_db.Session() as s:
        m1 = s.get(Member, "m1")
        assert m1 is not None and m1.kato == "751110000"
    assert _count(web_db, Nomination) == 8 and not _entries(web_db, "nomination.import")


def test_file_problems_are_explained(client: WebClient) -> None:
    client.login("central")
    cases = [
        ("roll.txt", b"id\n", "unsupported file type '.txt'"),
        ("roll.csv", "id,name\nА,Б\n".encode("cp1251"), "not UTF-8"),
        ("roll.xlsx", b"not a zip", "not a readable XLSX workbook"),
        ("roll.csv", b"", "the file is empty"),
    ]
    for name, content, problem in cases:
        r = _api(client, "/api/v1/roll/import?dry_run=true", name, content)
        assert r.status_code == 400, (name, r.text)
        assert problem in r.json()["error"]["details"][0]["problem"], r.json()
        page = _page(client, "/admin/imports/roll", name, content, action="check")
        assert page.status_code == 400 and problem in html.unescape(page.text)
    nofile = client.post(
        "/admin/imports/roll",
        data={"csrf_token": client.csrf, "action": "check"},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert nofile.status_code == 400 and "choose a CSV or XLSX file" in nofile.text
    # Excel in a Russian or Kazakh locale writes semicolons
    semi = _api(
        client,
        "/api/v1/roll/import?dry_run=true",
        "excel.csv",
        "\ufeffid;name;sex;birth_date;territory;contact\nq1;Қанат;M;1990-01-01;751110000;\n".encode(),
    )
    assert semi.status_code == 200 and semi.json()["added"] == 1


def test_the_page_is_linked_and_translated(client: WebClient) -> None:
    client.login("sec-almaty")
    assert 'href="/admin/imports"' in client.get("/admin").text
    assert "Импорт из файла" in client.get("/admin/imports?lang=ru").text
    kk = client.get("/admin/imports?lang=kk").text
    assert "Файлдан импорттау" in kk and "Партия мүшелерінің тізілімі" in kk
    client.login("observer")
    assert 'href="/admin/imports"' not in client.get("/admin").text


def test_a_form_declared_over_the_limit_is_refused_before_it_is_read(client: WebClient, app: FastAPI) -> None:
    """BodyLimitMiddleware answers 413 from Content-Length alone: the body is never received."""
    from tandau.web.uploads import FORM_OVERHEAD

    client.login("central")
    app.state.import_max_bytes = 1000
    received: list[int] = []

    def body() -> Iterator[bytes]:  # a body the server must not read
        for _ in range(3):
            received.append(1)
            yield b"x" * 1024

    declared = str(1000 + FORM_OVERHEAD + 1)
    headers = {"Content-Type": "multipart/form-data; boundary=b", "Content-Length": declared}
    api = client.request("POST", "/api/v1/roll/import", content=body(),
                         headers={**headers, "X-CSRF-Token": client.csrf})
    assert api.status_code == 413 and api.json()["error"]["code"] == "file_too_large"
    page = client.request("POST", "/admin/imports/roll?lang=ru", content=body(), headers=headers)
    assert page.status_code == 413 and 'data-error-code="file_too_large"' in page.text and "<html" in page.text
    assert received == [], "the middleware read the body"
    # a form within the limit goes through to the route as before
    app.state.import_max_bytes = len(ROLL)
    assert _api(client, "/api/v1/roll/import?dry_run=true", "roll.csv", ROLL).status_code == 200
