"""Territorial development programmes in the database (issue 13, items 2-3): the import (all or nothing, the same
values skipped, a changed value a new version, conflicts with what is stored refused with their row, scoped to the
territory, audited), ``tandau programmes development import`` and ``draft --db``, the territory's page (kk/ru/en)
and the JSON API (in the OpenAPI document), and the editor's "draft from the development programme": proposals
with their explanation, each added as a new version, nothing replaced without the person's confirmation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

from tandau.cli.main import app as cli
from tandau.errors import InputError
from tandau.io.development_csv import read_development_rows
from tandau.services.primaries import audit
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.programmes import development, workflow
from tandau.services.programmes.drafting import draft_for_programme
from tandau.services.programmes.records import council_owner
from tandau.store.development_models import DevelopmentImport, DevelopmentValue
from tests.integration.primaries.conftest import Db, empty_database

from .conftest import ACTORS, CYCLE, NOW, STAFF, WebClient, make_app

DISTRICT, REGION = "593200000", "590000000"  # Aiyrtau District (council M-5932) of North Kazakhstan Region
DEVELOPMENT = """territory,programme,indicator,unit,year,value,kind,section,source
593200000,DP-5932,roads_good,%,2022,61.5,baseline,,test
593200000,DP-5932,roads_good,%,2025,70,plan,,test
593200000,DP-5932,roads_good,%,2027,80,plan,,test
593200000,DP-5932,kindergarten_places,places,2022,1200,baseline,,test
593200000,DP-5932,kindergarten_places,places,2027,1500,plan,,test
593200000,DP-5932,bus_routes,pcs,2022,4,baseline,roads,test
593200000,DP-5932,bus_routes,pcs,2029,9,plan,roads,test
590000000,DP-59,roads_good,%,2022,58,baseline,,test
590000000,DP-59,roads_good,%,2027,75,plan,,test
"""


def _file(tmp: Path, text: str, name: str = "DEVELOPMENT.csv") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _values(db: Db) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(DevelopmentValue)) or 0)


def test_import_versions_conflicts_scope_and_audit(pdb: Db, tmp_path: Path) -> None:
    central, north, city = ACTORS["central"], ACTORS["sec-north"], ACTORS["sec-almaty"]
    path = _file(tmp_path, DEVELOPMENT)
    with pdb.Session() as s:
        with pytest.raises(PermissionDeniedError):  # Almaty's secretary may not import North Kazakhstan's
            development.import_file(s, city, path, now=NOW)
        with pytest.raises(PermissionDeniedError):  # an observer imports nowhere
            development.import_file(s, ACTORS["observer"], path, now=NOW)
        first = development.import_file(s, north, path, now=NOW)
        assert (first.added, first.changed, first.unchanged, first.territories) == (9, 0, 0, (REGION, DISTRICT))
        again = development.import_file(s, central, path, now=NOW)  # the same values: skipped, nothing written
        assert (again.added, again.changed, again.unchanged, again.written) == (0, 0, 9, False)
        # 80 -> 82 for 2027 (and 70.0 is 70: unchanged): a new version, the earlier value kept
        changed = _file(tmp_path, DEVELOPMENT.replace("2027,80,plan", "2027,82,plan").replace(",70,", ",70.0,"),
                        "AMENDED.csv")
        out = development.import_file(s, central, changed, now=NOW)
        assert (out.added, out.changed, out.unchanged) == (0, 1, 8)
        data, meta = development.territory_values(s, north, DISTRICT)
        key = (DISTRICT, "DP-5932", "roads_good", 2027, "plan")
        assert (meta[key].value, meta[key].version) == (82, 2) and len(data.indicators) == 7
        old = s.scalars(select(DevelopmentValue).where(DevelopmentValue.version == 1,
                                                       DevelopmentValue.indicator == "roads_good",
                                                       DevelopmentValue.year == 2027,
                                                       DevelopmentValue.territory == DISTRICT)).one()
        assert (old.value, old.superseded_by) == ("80", out.import_id)
        with pytest.raises(PermissionDeniedError):
            development.territory_values(s, city, DISTRICT)
        assert [i.added for i in s.scalars(select(DevelopmentImport).order_by(DevelopmentImport.id))] == [9, 0]
        entries = [e for e in audit.entries(s) if e.action == "development.import"]
        assert [e.details["changed"] for e in entries] == [0, 1] and entries[0].actor == "sec-north"
        assert audit.verify(s).ok
    # conflicts with what is stored, and bad rows: named by file, row and column; nothing written
    cases = [
        ("593200000,DP-5932,roads_good,%,2023,60,baseline,,x\n", 2, "kind", "a second baseline"),
        ("593200000,DP-5932,roads_good,km,2028,90,plan,,x\n", 2, "unit", "differs"),
        ("593200000,DP-5932,kindergarten_places,places,2021,1,plan,,x\n", 2, "year", "not after the baseline"),
        ("593200000,DP-5932,roads_good,%,2028,9O,plan,,x\n", 2, "value", ""),
        ("593200000,DP-5932," + "x" * 101 + ",%,2022,1,baseline,,x\n", 2, "indicator", "longer than 100"),
    ]
    for body, row, column, words in cases:
        bad = _file(tmp_path, DEVELOPMENT.splitlines()[0] + "\n" + body, "BAD.csv")
        before = _values(pdb)
        with pdb.Session() as s, pytest.raises(InputError) as caught:
            development.import_file(s, central, bad, now=NOW)
        assert (caught.value.row, caught.value.column) == (row, column) and words in str(caught.value), body
        assert caught.value.file is not None and "BAD.csv" in caught.value.file
        assert _values(pdb) == before


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Db, FastAPI, Path]]:
    """One SQLite database for the CLI, the pages and the editor (module scope: built once)."""
    from tandau.services.primaries import auth
    from tandau.store.models import Cycle
    from tests.integration.primaries.conftest import CENTRAL

    tmp = tmp_path_factory.mktemp("development")
    for db in empty_database("sqlite", tmp):
        with db.Session() as s:
            for subject, (role, kato) in STAFF.items():
                auth.grant_role(s, CENTRAL, subject, role, kato)
            s.add(Cycle(id=CYCLE, name="Maslikhat elections 2023", election_date=date(2023, 3, 19), system="kz-2023"))
            s.commit()
        application = make_app(db, tmp)
        yield db, application, tmp
        application.state.engine.dispose()


@pytest.fixture
def client(world: tuple[Db, FastAPI, Path]) -> Iterator[WebClient]:
    with WebClient(world[1], base_url="http://testserver", headers={"Accept-Language": "en"}) as c:
        yield c


def test_cli_import_show_and_draft_from_the_database(world: tuple[Db, FastAPI, Path]) -> None:
    db, _, tmp = world
    runner = CliRunner()
    bad = _file(tmp, DEVELOPMENT + "593200000,DP-5932,roads_good,%,2031,x,plan,,t\n", "BROKEN.csv")
    r = runner.invoke(cli, ["programmes", "development", "import", str(bad), "--db", db.url, "--actor", "t"])
    assert r.exit_code == 2 and "BROKEN.csv" in r.output and "row 11" in r.output and "value" in r.output
    assert _values(db) == 0
    good = _file(tmp, DEVELOPMENT)
    r = runner.invoke(cli, ["programmes", "development", "import", str(good), "--db", db.url, "--actor", "t"])
    assert r.exit_code == 0 and "9 added" in r.output, r.output
    r = runner.invoke(cli, ["programmes", "development", "import", str(good), "--db", db.url])
    assert r.exit_code == 0 and "9 unchanged; nothing written" in r.output, r.output
    r = runner.invoke(cli, ["programmes", "development", "show", "--territory", DISTRICT, "--db", db.url])
    shown = json.loads(r.output)["values"]
    assert len(shown) == 7 and {v["version"] for v in shown} == {1}
    term = "--term", "2023-03-20..2028-03-19"
    from_db = runner.invoke(cli, ["programmes", "draft", "--territory", DISTRICT, *term, "--db", db.url,
                                  "--format", "json"])
    from_file = runner.invoke(cli, ["programmes", "draft", "--territory", DISTRICT, *term, "--development",
                                    str(good), "--format", "json"])
    assert from_db.exit_code == 0 and json.loads(from_db.output) == json.loads(from_file.output)
    drafted = json.loads(from_db.output)
    commitments = [c for s in drafted["sections"] for c in s["commitments"]]
    assert [(c["indicator"], c["baseline"], c["target"], c["deadline"]) for c in commitments] == [
        ("roads_good", "61.5", "80", "2027-12-31"), ("kindergarten_places", "1200", "1500", "2027-12-31")]
    assert "bus_routes" in " ".join(drafted["skipped"])  # its only plan year (2029) is after the term
    r = runner.invoke(cli, ["programmes", "draft", "--territory", DISTRICT, *term])
    assert r.exit_code == 2 and "--development FILE or --db" in r.output
    r = runner.invoke(cli, ["programmes", "draft", "--territory", "591000000", *term, "--db", db.url])
    assert r.exit_code == 2 and "no development programme is stored for territory 591000000" in r.output


def test_page_api_and_who_may_reach_them(client: WebClient, world: tuple[Db, FastAPI, Path]) -> None:
    db = world[0]
    client.login("sec-north")
    r = client.api("POST", "/api/v1/development/imports",
                   files={"file": ("DEVELOPMENT.csv", DEVELOPMENT.encode(), "text/csv")})
    assert r.status_code == 201 and r.json()["territories"] == [REGION, DISTRICT], r.text
    r = client.api("POST", "/api/v1/development/imports",
                   files={"file": ("BAD.csv", b"territory,programme\n1,2\n", "text/csv")})
    assert r.status_code == 400 and "missing column" in r.text
    r = client.post("/api/v1/development/imports", files={"file": ("D.csv", DEVELOPMENT.encode(), "text/csv")})
    assert r.status_code == 403  # no CSRF token
    api = client.get(f"/api/v1/development/{DISTRICT}").json()
    roads = next(s for s in api["series"] if s["indicator"] == "roads_good")
    assert roads["baseline"] == {"year": 2022, "value": "61.5", "version": 1}
    assert [p["year"] for p in roads["plan"]] == [2025, 2027] and roads["names"]["kk"].startswith("Жақсы")
    texts = {"kk": "Даму бағдарламасы", "ru": "Программа развития", "en": "Development programme"}
    for lang, title in texts.items():
        page = client.get(f"/programmes/development/{DISTRICT}?lang={lang}")
        assert page.status_code == 200 and title in page.text and "bus_routes" in page.text
    assert 'action="/programmes/development"' in page.text and "csrf_token" in page.text
    amended = DEVELOPMENT.replace("2027,1500,plan", "2027,1550,plan").encode()  # the page's import form
    r = client.form("/programmes/development", {}, files={"file": ("AMENDED.csv", amended, "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/programmes/development/{REGION}?imported=0-1-8"
    page = client.get(f"/programmes/development/{DISTRICT}?imported=0-1-8&lang=en")
    assert "changed (new version) 1" in page.text and "1550 <span class=\"hint\">v2</span>" in page.text
    client.login("observer")  # reads, without the import form
    page = client.get(f"/programmes/development/{DISTRICT}")
    assert page.status_code == 200 and 'action="/programmes/development"' not in page.text
    for who, status in (("sec-almaty", 403), ("keyholder", 403), (None, 401)):
        client.login(who)
        assert client.get(f"/api/v1/development/{DISTRICT}").status_code == status, who
        r = client.api("POST", "/api/v1/development/imports",
                       files={"file": ("D.csv", DEVELOPMENT.encode(), "text/csv")})
        assert r.status_code == status, who
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/development/{territory}", "/api/v1/development/imports",
                 "/api/v1/programmes/{programme_id}/draft"):
        assert path in spec["paths"], path
    assert _values(db) == 10  # nine, and the amended value's second version


def test_editor_drafts_from_the_development_programme(client: WebClient, world: tuple[Db, FastAPI, Path]) -> None:
    db, _, tmp = world
    with db.Session() as s:
        development.import_file(s, ACTORS["central"], _file(tmp, DEVELOPMENT), now=NOW)
        pid = workflow.create(s, ACTORS["sec-north"], council_owner("M-5932"), CYCLE, now=NOW).id
    client.login("sec-north")
    hx = {"HX-Request": "true"}
    r = client.get(f"/programmes/{pid}/edit?lang=ru")
    assert 'id="draft-button"' in r.text and 'id="draft"' not in r.text
    r = client.get(f"/programmes/{pid}/edit?draft=1&lang=ru", headers=hx)
    assert r.status_code == 200 and r.text.startswith('<div id="editor">') and 'id="draft"' in r.text
    assert "базовое значение 61,5 % в 2022" in r.text and 'id="d-M-5932-01-target" name="target" value="80"' in r.text
    with db.Session() as s:
        proposals = draft_for_programme(s, ACTORS["sec-north"], pid).proposed
    first = proposals[0].record
    form = {k: ("; ".join(v) if isinstance(v, list) else ("" if v is None else str(v))) for k, v in first.items()}
    form |= {"csrf_token": client.csrf, "base_version": "1", "from_draft": "1", "budget_kzt": "250000000"}
    r = client.post(f"/programmes/{pid}/commitments", data=form, headers=hx)  # edited (a budget), then added
    assert r.status_code == 200 and 'id="draft"' in r.text
    assert "уже в программе как M-5932-01" in r.text and 'name="replaces" value="M-5932-01"' in r.text
    with db.Session() as s:
        row = workflow.get(s, pid)
        head = workflow.current(s, row)
        assert row.version == 2 and [r["budget_kzt"] for r in workflow.records_of(head)] == ["250000000"]
        again = draft_for_programme(s, ACTORS["sec-north"], pid).proposed[0]
        assert (again.conflict, again.record["commitment"]) == ("M-5932-01", "M-5932-01")
    # the same proposal again without the confirmation: refused, nothing overwritten
    r = client.post(f"/programmes/{pid}/commitments", data=form | {"base_version": "2", "target": "85"}, headers=hx)
    assert "appears twice" in r.text
    r = client.post(f"/programmes/{pid}/commitments",
                    data=form | {"base_version": "2", "target": "85", "replaces": "M-5932-01"}, headers=hx)
    with db.Session() as s:
        head = workflow.current(s, workflow.get(s, pid))
        assert head.number == 3 and [r["target"] for r in workflow.records_of(head)] == ["85"]
        versions = [e for e in audit.entries(s) if e.action == "programme.version" and e.target == pid]
        assert len(versions) == 3 and audit.verify(s).ok
    client.login("sec-almaty")  # scoped to territory
    assert client.get(f"/programmes/{pid}/edit?draft=1").status_code == 403
    assert client.get(f"/api/v1/programmes/{pid}/draft").status_code == 403
    client.login("sec-north")
    api = client.get(f"/api/v1/programmes/{pid}/draft?lang=kk").json()
    assert api["term_start"] == "2023-03-20" and api["sections"][0]["commitments"][0]["replaces"] == "M-5932-01"
    assert "базалық мәні" in api["sections"][0]["commitments"][0]["explanation"]


def test_the_draft_is_the_core_draft_of_the_stored_values(pdb: Db, tmp_path: Path) -> None:
    """One source of truth: drafting from the database is the core's draft of the same rows."""
    from tandau.core.programmes import Term
    from tandau.core.programmes.drafting import draft
    from tandau.services.programmes.drafting import draft_stored

    data, _ = read_development_rows(_file(tmp_path, DEVELOPMENT))
    term = Term(date(2023, 3, 20), date(2028, 3, 19))
    with pdb.Session() as s:
        development.store(s, ACTORS["central"], data, file="D.csv", sha256="0" * 64, now=NOW)
        assert draft_stored(s, DISTRICT, term, {}) == draft(DISTRICT, term, data, {})
