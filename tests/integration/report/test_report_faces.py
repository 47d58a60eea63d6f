"""The congress report's faces: ``tandau report congress`` (PDF and HTML, bad input refused with nothing written),
the pages, the PDF download and the JSON API, each scoped by ``REPORT_VIEW``."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from pypdf import PdfReader
from typer.testing import CliRunner

from tandau.cli.main import build_app
from tandau.settings import Settings
from tandau.web.app import create_app
from tests.integration.web.conftest import SECRET, WebClient

from .conftest import World

KAZAKH = set("әғқңөұүі")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), ["report", "congress", *args])
    return result.exit_code, result.output


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_cli_writes_the_pdf_in_kazakh_and_the_html(world: World, tmp_path: Path) -> None:
    out, html = tmp_path / "report.pdf", tmp_path / "html"
    code, output = _run("--db", str(world.db), "--lang", "kk", "--out", str(out), "--html", str(html))
    assert code == 0, output
    reader = PdfReader(out)
    assert len(reader.pages) > 20 and reader.outline
    text = _text(out.read_bytes())
    assert set(text.lower()) >= KAZAKH, "Kazakh letters are drawn"
    con = sqlite3.connect(world.db)
    members = con.execute("SELECT count(*) FROM members WHERE status = 'active'").fetchone()[0]
    voters, cast = con.execute("SELECT count(DISTINCT member_id), sum(casts) FROM participation p JOIN contests c "
                               "ON c.id = p.contest_id WHERE c.cycle_id = 'kz-2023'").fetchone()
    con.close()
    for label, n in (("Тізімдегі партия мүшелері", members), ("Дауыс бергендер", voters),
                     ("Берілген бюллетеньдер", cast)):
        assert f"{label}: {format_decimal(n, locale='kk')}" in text, label
    index = (html / "index.html").read_text(encoding="utf-8")
    assert 'lang="kk"' in index and 'data-key="primaries.ballots_cast"' in index
    assert (html / "regions" / "10.html").is_file() and "regions/10.html" in index


def test_cli_states_members_voters_and_ballots_in_russian(world: World, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert _run("--db", str(world.db), "--cycle", "kz-2023", "--lang", "ru", "--out", str(out))[0] == 0
    text = _text(out.read_bytes())
    for label in ("Членов партии в реестре", "Проголосовавших", "Подано бюллетеней"):
        assert label in text


@pytest.mark.parametrize(("args", "named"), [
    (["--lang", "de"], "--lang"),
    (["--lang", "kk", "--cycle", "2099"], "--cycle"),
    (["--lang", "kk", "--out-dir"], None),
])
def test_cli_bad_input_exits_2_and_writes_nothing(world: World, tmp_path: Path, args: list[str],
                                                  named: str | None) -> None:
    out = tmp_path / "r.pdf"
    if args[-1] == "--out-dir":
        args, out, named = args[:-1], tmp_path / "missing" / "r.pdf", "--out"
    code, output = _run("--db", str(world.db), *args, "--out", str(out))
    assert code == 2 and named in output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_refuses_a_missing_database_and_a_file_as_html_folder(world: World, tmp_path: Path) -> None:
    code, output = _run("--db", str(tmp_path / "none.db"), "--lang", "en", "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "--db" in output and not (tmp_path / "none.db").exists()
    (tmp_path / "file").write_text("x")
    code, output = _run("--db", str(world.db), "--lang", "en", "--out", str(tmp_path / "r.pdf"),
                        "--html", str(tmp_path / "file"))
    assert code == 2 and "--html" in output and not (tmp_path / "r.pdf").exists()


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[WebClient]:
    app = create_app(Settings(environment="development", secret_key=SECRET), database_url=f"sqlite:///{world.db}")
    with WebClient(app, follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize(("subject", "national", "annex", "other"), [
    ("central", 200, 200, 200), ("observer", 200, 200, 200), ("secretary", 403, 200, 403),
    ("M0000001", 403, 403, 403)])
def test_pages_and_api_by_role(client: WebClient, subject: str, national: int, annex: int, other: int) -> None:
    client.login(subject)
    assert client.get("/api/v1/report/congress").status_code == national
    if national != 200:  # the download itself: test_api_and_pdf_download
        assert client.get("/report.pdf?lang=kk").status_code == national
    assert client.get("/report/regions/10").status_code == annex
    assert client.get("/api/v1/report/congress?region=10").status_code == annex
    assert client.get("/report/regions/11").status_code == other
    page = client.get("/report?lang=en")
    assert page.status_code == (200 if annex == 200 else 403)
    if annex == 200:
        assert "/report/regions/10" in page.text
        assert ('data-key="primaries.members"' in page.text) is (national == 200)


def test_api_and_pdf_download(client: WebClient, world: World) -> None:
    client.login("central")
    body = client.get("/api/v1/report/congress?cycle=kz-2023").json()
    figures = {f["key"]: f for s in body["sections"] for f in s["figures"]}
    assert figures["primaries.members"]["value"] > 0 and figures["primaries.members"]["counts"]
    assert {a["region"] for a in body["annexes"]} >= {"10"}
    assert client.get("/api/v1/report/congress?cycle=nope").status_code == 400
    # the download of one region's annex (the national PDF is the CLI's tests': the same renderer, twice the pages)
    pdf = client.get("/report.pdf?lang=ru&region=10")
    assert pdf.headers["content-type"] == "application/pdf" and "Подано бюллетеней" in _text(pdf.content)
    assert pdf.headers["content-disposition"].endswith('-10-ru.pdf"')
    assert client.get("/report.pdf?lang=de").status_code == 400
    page = client.get("/report/regions/10?lang=kk").text
    assert "Абай облысы" in page and "Өңірлік қосымша" in page
