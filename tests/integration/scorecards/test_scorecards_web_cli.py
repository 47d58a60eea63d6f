"""Pages in kk/ru/en (the formula and the "not comparable" mark beside the scores, links to the records), the API,
authorization, CSRF, and the command line (JSON shape, CSV, bad input: exit 2, nothing written)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from pypdf import PdfReader
from sqlalchemy import select
from typer.testing import CliRunner

from tandau.cli.main import app as cli
from tandau.store.awards_models import AwardNomination
from tests.integration.web.conftest import WebClient

from .conftest import seeded

ACTIVITY = "Сайлау учаскесінде бақылау жүргізді, 40 азаматты қабылдады"


@pytest.mark.parametrize(("lang", "words"), [("en", ["Scorecards", "not comparable", "The formula"]),
                                             ("ru", ["Оценочные карты", "несопоставимо", "Формула"]),
                                             ("kk", ["Көрсеткіштер картасы", "салыстыруға келмейді", "Формула"])])
def test_scorecard_pages_in_three_languages(reader: WebClient, lang: str, words: list[str]) -> None:
    reader.login("central")
    r = reader.get("/deputies/scorecards?kind=deputy&as_of=2026-03-31", headers={"Accept-Language": lang})
    assert r.status_code == 200
    for word in words:
        assert word in r.text, word
    assert "score = (2 × 0.750 [attendance]" in r.text
    assert 'href="/deputies/d/M-75-L01"' in r.text and 'href="/appeals/queue?handler=p1"' in r.text
    for kind, link in (("faction", "/control/cases?territory=750000000"), ("branch", "/appeals/queue?territory="),
                       ("akim", "status=redirected")):
        page = reader.get(f"/deputies/scorecards?kind={kind}&as_of=2026-03-31", headers={"Accept-Language": lang})
        assert page.status_code == 200 and link in page.text.replace("&amp;", "&")


def test_scorecards_api_and_scope(reader: WebClient) -> None:
    reader.login("central")
    page = reader.get("/deputies/scorecards?kind=deputy&as_of=2026-03-31&territory=190000000")
    assert "M-19-L01" in page.text and "M-75-L01" not in page.text
    body = reader.get("/api/v1/scorecards?territory=750000000&kind=faction&as_of=2026-03-31").json()
    assert [c["subject"] for c in body["scorecards"]] == ["M-75"]
    reader.login("sec-region")
    body = reader.get("/api/v1/scorecards?as_of=2026-03-31").json()
    assert {c["subject"] for c in body["scorecards"]} == {"M-19-L01", "M-19"}
    reader.login("keyholder")
    assert reader.get("/api/v1/scorecards").status_code == 403
    assert reader.get("/deputies/scorecards").status_code == 403
    reader.login("central")
    assert reader.get("/api/v1/scorecards?kind=senator").status_code == 400


def test_award_pages_nominate_review_certificate(client: WebClient) -> None:
    client.login("sec-almaty")
    form = {"member_id": "m1", "award": "belsendi-kyzmeti-ushin", "branch_kato": "750000000",
            "activity": ACTIVITY, "links": "/deputies/d/M-75-L01\n"}
    assert client.post("/deputies/awards", data=form, follow_redirects=False).status_code in (400, 403)  # no CSRF
    r = client.form("/deputies/awards", form, follow_redirects=False)
    assert r.status_code == 303
    page = r.headers["location"]
    ident = page.rsplit("/", 1)[1]
    assert client.form(f"{page}/review", {"decision": "approved"}).status_code == 403
    client.login("central")
    for lang, word in (("kk", "Ұсыныс"), ("ru", "Представление к награде"), ("en", "Nomination")):
        assert word in client.get(page, headers={"Accept-Language": lang}).text
    assert client.get(f"{page}/certificate.pdf").status_code == 409
    assert client.form(f"{page}/review", {"decision": "approved"}, follow_redirects=False).status_code == 303
    pdf = client.get(f"{page}/certificate.pdf?lang=kk")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "Әлия Қанатқызы" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    listed = client.get("/api/v1/awards").json()
    assert [(n["id"], n["status"]) for n in listed] == [(ident, "approved")]
    assert client.get(f"/api/v1/awards/{ident}/certificate?lang=ru").status_code == 200
    client.login("sec-region")
    assert client.get(page).status_code == 403
    client.login("observer")
    assert client.get("/deputies/awards").status_code == 403
    assert client.api("POST", "/api/v1/awards", json={**form, "links": []}).status_code == 403


def test_cli(tmp_path: Path) -> None:
    for db in seeded(tmp_path):
        run = CliRunner()
        out = run.invoke(cli, ["deputies", "scorecards", "--db", db.url, "--format", "json", "--as-of",
                               "2026-03-31"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        assert set(data) == {"scorecards"}
        first = next(c for c in data["scorecards"] if c["subject"] == "M-75-L01")
        assert {"subject", "kind", "score", "comparable", "components"} <= set(first)
        assert first["kind"] == "deputy" and first["score"] == 0.7031 and first["comparable"] is True
        assert {"name", "value", "weight", "n"} <= set(first["components"][0])
        assert {c["kind"] for c in data["scorecards"]} == {"deputy", "faction", "branch", "akim"}
        rows = list(csv.DictReader(io.StringIO(run.invoke(cli, ["deputies", "scorecards", "--db", db.url,
                                                                "--format", "csv", "--as-of", "2026-03-31"]).stdout)))
        assert len(rows) == 7 * len(data["scorecards"])
        bad = run.invoke(cli, ["deputies", "scorecards", "--db", db.url, "--format", "xml"])
        assert bad.exit_code == 2 and bad.stdout == ""
        bad = run.invoke(cli, ["deputies", "scorecards", "--db", db.url, "--kind", "senator"])
        assert bad.exit_code == 2 and bad.stdout == ""
        made = run.invoke(cli, ["deputies", "awards", "nominate", "m1", "--award", "letter-of-thanks", "--branch",
                                "750000000", "--activity", ACTIVITY, "--link", "/deputies/d/M-75-L01", "--db",
                                db.url, "--json"])
        assert made.exit_code == 0, made.output
        ident = json.loads(made.stdout)["id"]
        target = tmp_path / "cert.pdf"
        early = run.invoke(cli, ["deputies", "awards", "certificate", ident, "--out", str(target), "--db", db.url])
        assert early.exit_code == 2 and not target.exists()
        assert run.invoke(cli, ["deputies", "awards", "review", ident, "--decision", "approved", "--db",
                                db.url]).exit_code == 0
        done = run.invoke(cli, ["deputies", "awards", "certificate", ident, "--lang", "ru", "--out", str(target),
                                "--db", db.url])
        assert done.exit_code == 0, done.output
        assert "Благодарственное письмо" in PdfReader(str(target)).pages[0].extract_text()
        assert run.invoke(cli, ["deputies", "awards", "certificate", ident, "--lang", "en", "--out",
                                str(tmp_path / "x.pdf"), "--db", db.url]).exit_code == 2
        assert not (tmp_path / "x.pdf").exists()
        with db.Session() as s:
            assert s.scalars(select(AwardNomination.status)).one() == "approved"


def test_every_figure_links_to_a_page_that_lists_its_records(client: WebClient, app: FastAPI, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tandau.services.control.data import import_control

    from .conftest import ACTORS
    from .test_scorecards_formula import REPORTS, TARGETS

    (tmp_path / "T.csv").write_text(TARGETS, encoding="utf-8")
    (tmp_path / "R.csv").write_text(REPORTS, encoding="utf-8")
    with app.state.sessions() as s:
        import_control(s, ACTORS["central"], targets=tmp_path / "T.csv", reports=tmp_path / "R.csv",
                       now=datetime(2026, 3, 1, tzinfo=UTC))
        s.commit()
    client.login("central")
    cards = client.get("/api/v1/scorecards?as_of=2026-03-31").json()["scorecards"]
    links = {c["records"] for card in cards for c in card["components"] if c["records"]}
    assert len(links) >= 8
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
