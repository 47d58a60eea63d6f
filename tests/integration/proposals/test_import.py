"""Import of proposals collected offline: a good CSV and XLSX file, every bad row and column named, nothing written
while there is a problem, a file sent twice adds nothing, territory of the importer, the page and the API; the
CLI (import, group, dashboard); the demo's synthetic proposals."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from tandau.cli.main import app as cli_app
from tandau.services.primaries import audit
from tandau.services.proposals.demo import prepare_proposals
from tandau.store.proposals_models import Proposal, ProposalLink

from .conftest import ACTORS, DISTRICT, PROGRAMME, WebClient

GOOD = (
    "id,text,territory,age,channel,submitted_at,lang,theme\n"
    f"F-1,Отремонтируйте дорогу в селе Каскелен,193600000,18-28,forum,2026-03-01,ru,\n"
    f"F-2,Мектепке спорт залын салыңыздар,{DISTRICT},16,office,2026-03-02T10:30,,\n"
    f"F-3,Нужен новый парк у реки для всех,{DISTRICT},60+,phone,2026-03-03,,ecology\n"
).encode()
BAD = (
    "id,text,territory,age,channel,submitted_at\n"
    f"B-1,Хорошее предложение про дорогу,{DISTRICT},35_59,office,2026-03-01\n"
    "B-2,short,751299999,old,fax,yesterday\n"
    f"B-1,Ещё одно предложение про дорогу,{DISTRICT},35_59,office,2099-01-01\n"
).encode()


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Text", "Territory", "Age", "Channel", "Submitted_at"])
    sheet.append(["X-1", "Постройте детский сад в микрорайоне", DISTRICT, 30, "office", datetime(2026, 3, 5)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(app: FastAPI) -> int:
    with app.state.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Proposal)) or 0)


def test_api_import_good_bad_and_twice(client: WebClient, app: FastAPI) -> None:
    client.login("central")
    r = client.api("POST", "/api/v1/proposals/import", files={"file": ("bad.csv", BAD, "text/csv")},
                   data={"dry_run": "false"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "import_rejected"
    problems = {(d["row"], d["column"]) for d in r.json()["error"]["details"]}
    assert problems == {(3, "text"), (3, "territory"), (3, "age"), (3, "channel"), (3, "submitted_at"),
                        (4, "id"), (4, "submitted_at")}
    assert {"code": "proposal_channel", "params": {"value": "fax"}}.items() <= next(
        d for d in r.json()["error"]["details"] if d["column"] == "channel").items()
    assert _count(app) == 0
    r = client.api("POST", "/api/v1/proposals/import", files={"file": ("good.csv", GOOD, "text/csv")},
                   data={"dry_run": "true"})
    assert r.status_code == 200 and (r.json()["applied"], r.json()["added"], r.json()["classified"]) == (False, 3, 2)
    assert _count(app) == 0
    r = client.api("POST", "/api/v1/proposals/import", files={"file": ("good.csv", GOOD, "text/csv")})
    assert r.status_code == 200 and r.json()["applied"] and r.json()["added"] == 3
    rows = {p["external_id"]: p for p in client.get("/api/v1/proposals").json()["proposals"]}
    assert (rows["F-1"]["age_group"], rows["F-1"]["channel"], rows["F-1"]["theme"]) == ("18_28", "forum", "roads")
    assert (rows["F-2"]["age_group"], rows["F-2"]["lang"], rows["F-2"]["theme"]) == ("under_18", "kk", "education")
    assert (rows["F-3"]["theme"], rows["F-3"]["theme_by_person"], rows["F-3"]["contact"]) == ("ecology", True, None)
    assert rows["F-2"]["submitted_at"].startswith("2026-03-02T10:30")
    again = client.api("POST", "/api/v1/proposals/import", files={"file": ("good.csv", GOOD, "text/csv")})
    assert again.status_code == 400 and {d["column"] for d in again.json()["error"]["details"]} == {"id"}
    assert _count(app) == 3
    with app.state.sessions() as s:
        entry = [e for e in audit.entries(s) if e.action == "proposal.import"]
        assert len(entry) == 1 and entry[0].details["added"] == 3 and "Каскелен" not in json.dumps(entry[0].details)
    r = client.api("POST", "/api/v1/proposals/import", files={"file": ("k.xlsx", _xlsx(), "application/octet-stream")})
    assert r.status_code == 200 and r.json()["added"] == 1
    rows = {p["external_id"]: p for p in client.get("/api/v1/proposals").json()["proposals"]}
    assert rows["X-1"]["age_group"] == "29_34"


def test_import_is_scoped_and_the_page_lists_problems(client: WebClient, app: FastAPI) -> None:
    client.login("sec-almaty")
    r = client.api("POST", "/api/v1/proposals/import", files={"file": ("good.csv", GOOD, "text/csv")})
    assert r.status_code == 400 and {(d["row"], d["column"]) for d in r.json()["error"]["details"]} == {
        (2, "territory")}
    assert _count(app) == 0
    client.login("observer")
    assert client.api("POST", "/api/v1/proposals/import",
                      files={"file": ("good.csv", GOOD, "text/csv")}).status_code == 403
    assert client.get("/proposals/import").status_code == 403
    client.login("mod-almaty")
    page = client.form("/proposals/import", {"action": "check"}, files={"file": ("bad.csv", BAD, "text/csv")})
    assert page.status_code == 400 and 'data-row="3" data-column="channel"' in page.text
    assert "Unknown channel “fax”: web, office, forum, phone or import." in page.text
    page = client.form("/proposals/import?lang=kk", {"action": "check"}, files={"file": ("bad.csv", BAD, "text/csv")})
    assert "Белгісіз арна «fax»" in page.text and "B-1 идентификаторы 2-жолда да бар." in page.text
    page = client.form("/proposals/import?lang=ru", {"action": "import"},
                       files={"file": ("nocols.csv", b"id;text\n1;x\n", "text/csv")})
    assert page.status_code == 400 and "missing column" in page.text and "Файл отклонён" in page.text
    ok = client.form("/proposals/import", {"action": "import"}, files={"file": ("k.xlsx", _xlsx(), "x")})
    assert ok.status_code == 200 and 'data-import="applied"' in ok.text and _count(app) == 1


def test_cli_import_group_dashboard(app: FastAPI, tmp_path: Path, proposals_db: object) -> None:
    url = str(app.state.engine.url.render_as_string(hide_password=False))
    if "postgresql" in url:
        from tests.integration.web.conftest import database_url_of

        url = database_url_of(proposals_db)  # type: ignore[arg-type]
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    runner = CliRunner()
    r = runner.invoke(cli_app, ["proposals", "import", str(good), "--db", url, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["applied"] is False and _count(app) == 0
    r = runner.invoke(cli_app, ["proposals", "import", str(good), "--db", url])
    assert r.exit_code == 0 and json.loads(r.stdout)["added"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD)
    r = runner.invoke(cli_app, ["proposals", "import", str(bad), "--db", url])
    assert r.exit_code == 2 and "row 3" in r.output and "channel" in r.output
    r = runner.invoke(cli_app, ["proposals", "group", "--db", url])
    assert r.exit_code == 0 and json.loads(r.stdout) == {"changed": 0}
    r = runner.invoke(cli_app, ["proposals", "dashboard", "--db", url])
    body = json.loads(r.stdout)
    assert (body["total"], body["under_35"], body["by_theme"]["ecology"]) == (3, 2, {"60_plus": 1})


def test_demo_proposals(app: FastAPI, tmp_path: Path) -> None:
    with app.state.sessions() as s:
        done = prepare_proposals(s, ACTORS["central"], tmp_path, seed=7, now=datetime(2026, 12, 1, tzinfo=UTC),
                                 count=1500, secret_key=app.state.settings.secret_key.get_secret_value())
        # answered only where a stored programme covers the proposal's territory (here Almaty city's), else not
        # taken up: 24 answers in all
        assert done.proposals == 1500 and done.hidden == 18 and done.answered + done.not_taken == 24
        assert done.answered == 3 and s.scalar(select(func.count()).select_from(ProposalLink).where(
            ProposalLink.commitment_id.startswith(f"{PROGRAMME}/"))) == 3
        assert done.near_duplicates > 20 and done.groups > 10 and len(done.receipts) == 5
        assert s.scalar(select(func.count()).select_from(Proposal).where(Proposal.synthetic.is_(False))) == 0
        langs: dict[str, int] = dict(s.execute(select(Proposal.lang, func.count()).group_by(Proposal.lang)).all())
        assert set(langs) == {"kk", "ru"} and min(langs.values()) > 400
        channels = {c for (c,) in s.execute(select(Proposal.channel).distinct())}
        ages = {a for (a,) in s.execute(select(Proposal.age_group).distinct())}
        assert len(channels) == 5 and len(ages) == 5
        regions = {k[:2] for (k,) in s.execute(select(Proposal.kato).distinct())}
        assert len(regions) == 20
        assert len([e for e in audit.entries(s) if e.action.startswith("proposal.")]) == 18 + 4 + 18 + 6
    client = WebClient(app, base_url="http://testserver")
    with client:
        client.login(None)
        found = client.get(f"/api/v1/proposals/receipt/{done.receipts[0]}")
        assert found.status_code == 200 and found.json()["text"]
