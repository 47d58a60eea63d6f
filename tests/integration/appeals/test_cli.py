"""``tandau appeals import / escalate / reminders / export / purge`` on a database, and an XLSX import."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from tandau.cli.main import app as cli_app
from tandau.errors import InputError
from tandau.services.appeals import imports
from tandau.services.primaries.errors import ImportRejectedError
from tandau.store.appeals_models import Appeal
from tests.integration.primaries.conftest import Db
from tests.integration.web.conftest import SECRET, database_url_of

from .conftest import ACTORS, KEYS

CSV = ("id,received_at,territory,text,channel,name,contact\n"
       "r1,2024-01-10,751210000,Во дворе дома 5 по улице Абая разбита дорога,office,Иван,+77011234567\n"
       "r2,2024-01-12,751210000,Прошу установить светофор у школы номер 12,phone,Мария,maria@example.kz\n"
       "r3,2024-02-01T10:30,193600000,\"Жол жөндеу керек, ауылдағы көпір құлап жатыр\",,Асан,\n")


def test_cli_import_escalate_reminders_export_purge(appeals_db: Db, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDAU_SECRET_KEY", SECRET)
    from tandau.settings import get_settings

    get_settings.cache_clear()
    url = database_url_of(appeals_db)
    file = tmp_path / "appeals.csv"
    file.write_text(CSV, encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli_app, ["appeals", "import", str(file), "--db", url, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["applied"] is False
    r = runner.invoke(cli_app, ["appeals", "import", str(file), "--db", url])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 3
    r = runner.invoke(cli_app, ["appeals", "import", str(file), "--db", url])
    assert r.exit_code == 2 and "row 2" in r.output and "imported before" in r.output
    r = runner.invoke(cli_app, ["appeals", "escalate", "--db", url])
    assert r.exit_code == 0 and len(json.loads(r.stdout)["escalated"]) == 3  # all long overdue
    r = runner.invoke(cli_app, ["appeals", "reminders", "--db", url])
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    out = tmp_path / "export.csv"
    r = runner.invoke(cli_app, ["appeals", "export", "--out", str(out), "--db", url, "--territory", "750000000"])
    assert r.exit_code == 0 and json.loads(r.stdout)["rows"] == 2
    text = out.read_text(encoding="utf-8")
    assert "Иван" not in text and "maria" not in text and "светофор" not in text
    r = runner.invoke(cli_app, ["appeals", "purge", "--db", url, "--before", "2031-01-01"])
    assert r.exit_code == 0 and json.loads(r.stdout)["purged"] == 0  # none closed
    get_settings.cache_clear()


def test_xlsx_import_and_every_refusal(appeals_db: Db) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "received_at", "territory", "text", "name"])
    sheet.append(["x1", "2026-02-02", "751210000", "Во дворе дома 5 по улице Абая разбита дорога", "Иван"])
    sheet.append(["x2", "2026-02-03", "193600000", "Жол жөндеу керек, ауылдағы көпір құлап жатыр", ""])
    data = io.BytesIO()
    book.save(data)
    with appeals_db.Session() as s:
        with pytest.raises(ImportRejectedError) as outside:  # Almaty region is not the handler's
            imports.upload(s, ACTORS["handler-a"], "a.xlsx", data.getvalue(), apply=True,
                           applicant_key=KEYS.applicant)
        assert [(e.row, e.column) for e in outside.value.errors] == [(3, "territory")]
        with pytest.raises(InputError):
            imports.upload(s, ACTORS["central"], "a.txt", b"x", apply=True, applicant_key=KEYS.applicant)
        done = imports.upload(s, ACTORS["central"], "a.xlsx", data.getvalue(), apply=True,
                              applicant_key=KEYS.applicant)
        assert done.added == 2
        assert s.scalar(select(func.count()).select_from(Appeal).where(Appeal.channel == "import")) == 2


def test_import_links_repeats_against_stored_appeals(app: FastAPI) -> None:
    first = ("id,received_at,territory,text,contact\n"
             "f1,2026-02-02,751210000,Во дворе дома 5 по улице Абая разбита дорога,+77011234567\n")
    second = ("id,received_at,territory,text,contact\n"
              "s1,2026-02-20,751210000,Разбита дорога во дворе дома 5 улица Абая повторно,87011234567\n"
              "s2,2026-02-21,751210000,Во дворе дома 5 по улице Абая разбита дорога!,\n")
    with app.state.sessions() as s:
        imports.upload(s, ACTORS["central"], "1.csv", first.encode(), apply=True, applicant_key=KEYS.applicant)
        done = imports.upload(s, ACTORS["central"], "2.csv", second.encode(), apply=True,
                              applicant_key=KEYS.applicant)
        assert done.repeats == 2
        rows = dict(s.execute(select(Appeal.external_id, Appeal.repeat_of)).all())
        ids = dict(s.execute(select(Appeal.external_id, Appeal.id)).all())
        assert rows["s1"] == ids["f1"] and rows["s2"] in (ids["f1"], ids["s1"])
