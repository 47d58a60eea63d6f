"""Appeals through the services: intake with receipt, theme and due date in working days, routing, extension
(once, at most two months), redirect (the 3-working-day rule), answer, close, satisfaction, repeats, escalation,
reminders, personal data by role, audit, pseudonymised export and the retention purge."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tandau.errors import InputError
from tandau.services.appeals import data, intake, oversight, read, workflow
from tandau.services.appeals.intake import AppealForm, TooManyAppealsError
from tandau.services.primaries.errors import NotFoundError, PermissionDeniedError, StateError
from tandau.store.appeals_models import Appeal, AppealStep
from tandau.store.models import audit_log
from tests.integration.primaries.conftest import Db

from .conftest import ACTORS, CITY, DISTRICT, KEYS, NOW

ROAD = "Во дворе дома 5 по улице Абая разбита дорога, прошу отремонтировать"


def _web(db: Db, text: str = ROAD, *, contact: str = "+7 701 123 45 67", address: str = "10.0.0.1",
         now: datetime = NOW) -> tuple[Appeal, str]:
    with db.Session() as s:
        appeal, code = intake.submit(s, AppealForm(text, DISTRICT, "Айгерим Садыкова", contact), keys=KEYS,
                                     address=address, now=now)
        s.expunge(appeal)
        return appeal, code


def test_intake_receipt_theme_and_due_date(appeals_db: Db) -> None:
    appeal, code = _web(appeals_db)
    assert appeal.status == "received" and appeal.channel == "web" and appeal.theme == "roads"
    assert appeal.received_on == date(2026, 3, 2)
    # 15 working days: 8 March (a Sunday) carried over to the 9th, Nauryz 21-23 March carried over to the 24th-25th
    assert appeal.due_on == date(2026, 3, 27)
    with appeals_db.Session() as s:
        assert intake.by_receipt(s, KEYS.receipt, code.lower().replace("-", " ")).id == appeal.id
        stored = s.get_one(Appeal, appeal.id)
        assert stored.receipt_hash is not None and code.replace("-", "") not in stored.receipt_hash
        with pytest.raises(NotFoundError):
            intake.by_receipt(s, KEYS.receipt, "0000-0000-0000")
        entry = s.execute(select(audit_log).where(audit_log.c.action == "appeal.receive")).one()
        assert entry.target == appeal.id and "Садыкова" not in entry.details


def test_intake_refusals_and_the_limit(appeals_db: Db) -> None:
    with appeals_db.Session() as s:
        with pytest.raises(InputError) as short:
            intake.submit(s, AppealForm("коротко", DISTRICT), keys=KEYS, address="a", now=NOW)
        assert short.value.parameter == "text"
        with pytest.raises(InputError) as where:
            intake.submit(s, AppealForm(ROAD, "751299999"), keys=KEYS, address="a", now=NOW)
        assert where.value.parameter == "territory"
        with pytest.raises(InputError):
            intake.submit(s, AppealForm(ROAD, DISTRICT, honeypot="x"), keys=KEYS, address="a", now=NOW)
        for _ in range(2):
            intake.submit(s, AppealForm(ROAD, DISTRICT), keys=KEYS, address="b", per_hour=2, now=NOW)
        with pytest.raises(TooManyAppealsError) as limited:
            intake.submit(s, AppealForm(ROAD, DISTRICT), keys=KEYS, address="b", per_hour=2, now=NOW)
        assert 3500 < limited.value.retry_after <= 3600
        s.rollback()
        intake.submit(s, AppealForm(ROAD, DISTRICT), keys=KEYS, address="b", per_hour=2, now=NOW + timedelta(hours=1))
        assert s.scalar(select(Appeal.id).where(Appeal.channel == "web").limit(1)) is not None


def test_staff_entry_is_scoped(appeals_db: Db) -> None:
    with appeals_db.Session() as s:
        appeal, _ = intake.register(s, ACTORS["handler-a"], AppealForm(ROAD, DISTRICT, "Имя", ""), "office",
                                    keys=KEYS, now=NOW)
        assert appeal.channel == "office"
        for who in ("sec-region", "observer", "deputy-1"):
            with pytest.raises(PermissionDeniedError):
                intake.register(s, ACTORS[who], AppealForm(ROAD, DISTRICT), "phone", keys=KEYS, now=NOW)
        with pytest.raises(InputError):
            intake.register(s, ACTORS["central"], AppealForm(ROAD, DISTRICT), "web", keys=KEYS, now=NOW)


def test_route_extend_answer_close_rate(appeals_db: Db) -> None:
    appeal, code = _web(appeals_db)
    later = NOW + timedelta(days=1)
    with appeals_db.Session() as s:
        with pytest.raises(PermissionDeniedError):  # a handler does not route
            workflow.route(s, ACTORS["handler-a"], appeal.id, "branch", CITY, handler="handler-a", now=later)
        with pytest.raises(InputError):  # an observer cannot be a handler
            workflow.route(s, ACTORS["sec-almaty"], appeal.id, "branch", CITY, handler="observer", now=later)
        workflow.route(s, ACTORS["sec-almaty"], appeal.id, "branch", CITY, handler="handler-a", now=later)
        with pytest.raises(PermissionDeniedError):  # not hers
            workflow.answer(s, ACTORS["handler-b"], appeal.id, "resolved", "Сделано", now=later)
        with pytest.raises(InputError) as far:  # beyond two months from 2 March
            workflow.extend(s, ACTORS["handler-a"], appeal.id, date(2026, 5, 4), "нужна экспертиза", now=later)
        assert "2026-05-02" in far.value.problem
        with pytest.raises(InputError):  # a reason is required
            workflow.extend(s, ACTORS["handler-a"], appeal.id, date(2026, 4, 30), " ", now=later)
        extended = workflow.extend(s, ACTORS["handler-a"], appeal.id, date(2026, 5, 2), "нужна экспертиза",
                                   now=later)
        assert extended.status == "extended" and extended.due_on == date(2026, 5, 2)
        step = s.scalars(select(AppealStep).where(AppealStep.step == "extend")).one()
        assert "tell the applicant by 2026-03-06" in step.detail  # 3 working days from 3 March
        with pytest.raises(StateError):  # once only
            workflow.extend(s, ACTORS["handler-a"], appeal.id, date(2026, 5, 1), "ещё", now=later)
        with pytest.raises(StateError):  # not answered yet
            workflow.rate(s, s.get_one(Appeal, appeal.id), 5)
        with pytest.raises(InputError):  # refusal needs its reason
            workflow.answer(s, ACTORS["handler-a"], appeal.id, "refused", "", now=later)
        answered = workflow.answer(s, ACTORS["handler-a"], appeal.id, "resolved", "Дорогу отремонтируют", now=later)
        assert answered.answered_on == date(2026, 3, 3)
        found = intake.by_receipt(s, KEYS.receipt, code)
        with pytest.raises(InputError):
            workflow.rate(s, found, 6)
        workflow.rate(s, found, 4)
        workflow.close(s, ACTORS["handler-a"], appeal.id, now=later)
        assert s.get_one(Appeal, appeal.id).status == "closed"
        actions = [r.action for r in s.execute(select(audit_log).order_by(audit_log.c.seq))]
        assert actions == ["appeal.receive", "appeal.route", "appeal.extend", "appeal.answer", "appeal.satisfaction",
                           "appeal.close"]


def test_redirect_within_three_working_days_or_flagged(appeals_db: Db) -> None:
    first, _ = _web(appeals_db)
    second, _ = _web(appeals_db, "Прошу проверить начисление пенсии моей матери", contact="x@example.kz")
    with appeals_db.Session() as s:
        on_time = workflow.redirect(s, ACTORS["sec-almaty"], first.id, "Министерство транспорта",
                                    now=NOW + timedelta(days=3))  # 5 March: the third working day
        assert on_time.status == "redirected" and on_time.outcome == "redirected"
        late = workflow.redirect(s, ACTORS["sec-almaty"], second.id, "ЕНПФ", now=NOW + timedelta(days=4))
        details = [r.detail for r in s.scalars(select(AppealStep).where(AppealStep.step == "redirect")
                                               .order_by(AppealStep.id))]
        assert details == ["to Министерство транспорта; due by 2026-03-05",
                           "to ЕНПФ; due by 2026-03-05; LATE"]
        assert late.status == "redirected"


def test_repeats_by_applicant_and_by_territory(appeals_db: Db) -> None:
    first, _ = _web(appeals_db)
    again, _ = _web(appeals_db, "Разбита дорога во дворе дома 5, улица Абая. Повторно прошу",
                    now=NOW + timedelta(days=20))
    other, _ = _web(appeals_db, "Во дворе дома 5 по улице Абая разбита дорога, прошу отремонтировать!",
                    contact="+7 777 000 00 00", address="2", now=NOW + timedelta(days=30))
    stranger, _ = _web(appeals_db, "Нужна новая школа в микрорайоне", contact="+7 777 000 00 00", address="3",
                       now=NOW + timedelta(days=31))
    outside, _ = _web(appeals_db, now=NOW + timedelta(days=200), address="4")
    assert again.repeat_of == first.id and other.repeat_of in (first.id, again.id)
    assert stranger.repeat_of is None and outside.repeat_of is None
    with appeals_db.Session() as s:
        assert again.id in read.detail(s, ACTORS["central"], first.id, now=NOW).repeats


def test_personal_data_only_for_the_cases_handlers(appeals_db: Db) -> None:
    appeal, _ = _web(appeals_db)
    with appeals_db.Session() as s:
        workflow.route(s, ACTORS["sec-almaty"], appeal.id, "deputy", "deputy-1", now=NOW)
        seen = {who: read.detail(s, actor, appeal.id, now=NOW).applicant_name
                for who, actor in ACTORS.items() if who not in ("sec-region", "keyholder")}
        assert seen == {"central": "Айгерим Садыкова", "sec-almaty": "Айгерим Садыкова", "deputy-1": "Айгерим Садыкова",
                        "handler-a": None, "handler-b": None, "observer": None}
        for who in ("sec-region", "keyholder"):
            with pytest.raises(PermissionDeniedError):
                read.detail(s, ACTORS[who], appeal.id, now=NOW)
        assert [r.appeal.id for r in read.queue(s, ACTORS["deputy-1"], handler="deputy-1", now=NOW).rows] == [appeal.id]
        assert read.queue(s, ACTORS["sec-region"], now=NOW).total == 0
        with pytest.raises(PermissionDeniedError):
            read.queue(s, ACTORS["keyholder"], now=NOW)


def test_escalation_reminders_and_dashboard(appeals_db: Db) -> None:
    early, _ = _web(appeals_db, address="1")  # due 27 March
    soon, _ = _web(appeals_db, "Прошу установить светофор у школы номер 12", address="2", contact="",
                   now=NOW + timedelta(days=22))  # 24 March: due 14 April
    with appeals_db.Session() as s:
        day = datetime(2026, 3, 26, 4, 0, tzinfo=NOW.tzinfo)
        assert [(r.appeal.id, r.working_days_left) for r in oversight.reminders(s, ACTORS["central"], now=day)] == [
            (early.id, 1)]
        with pytest.raises(PermissionDeniedError):
            oversight.escalate_overdue(s, ACTORS["sec-almaty"], now=day)
        after = datetime(2026, 3, 30, 4, 0, tzinfo=NOW.tzinfo)
        run = oversight.escalate_overdue(s, ACTORS["central"], now=after)
        assert run.escalated == (early.id,) and oversight.escalate_overdue(s, ACTORS["central"], now=after).already == 1
        workflow.answer(s, ACTORS["central"], soon.id, "explained", "Разъяснено", now=after)
        workflow.rate(s, s.get_one(Appeal, soon.id), 5)
        board = read.dashboard(s, ACTORS["sec-almaty"], now=after)
        (line,) = board.regions
        assert (line.region, line.total, line.open, line.overdue, line.escalated, line.answered, line.on_time) == (
            "750000000", 2, 1, 1, 1, 1, 1)
        assert line.satisfaction == 5.0 and board.by_outcome == {"explained": 1}
        assert board.by_month == {"2026-03": 2}
        assert read.queue(s, ACTORS["central"], now=after).rows[0].appeal.id == early.id


def test_export_is_pseudonymised_and_purge_after_retention(appeals_db: Db) -> None:
    first, _ = _web(appeals_db, address="1")
    second, _ = _web(appeals_db, "Прошу установить светофор у школы номер 12", address="2")
    key = data.export_key("k")
    with appeals_db.Session() as s:
        with pytest.raises(PermissionDeniedError):
            data.export_csv(s, ACTORS["handler-a"], key=key)
        text = data.export_csv(s, ACTORS["sec-almaty"], key=key, now=NOW)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["id"] for r in rows) == sorted([first.id, second.id])
        assert "Садыкова" not in text and "701" not in text and "Абая" not in text
        assert rows[0]["applicant"] == rows[1]["applicant"] != ""  # the same contact, the same pseudonym
        workflow.answer(s, ACTORS["central"], first.id, "resolved", "Сделано", now=NOW)
        workflow.close(s, ACTORS["central"], first.id, now=NOW)
        with pytest.raises(PermissionDeniedError):
            data.purge(s, ACTORS["sec-almaty"], before=date(2031, 3, 2))
        assert data.purge(s, ACTORS["central"], before=date(2031, 3, 1), now=NOW).ids == ()
        done = data.purge(s, ACTORS["central"], before=date(2031, 3, 2), now=NOW)
        assert done.ids == (first.id,)
        purged = s.get_one(Appeal, first.id)
        assert (purged.applicant_name, purged.applicant_contact, purged.text, purged.outcome_reason) == (
            None, None, "", None)
        assert purged.outcome == "resolved" and s.get_one(Appeal, second.id).applicant_name is not None
        targets = s.scalars(select(audit_log.c.target).where(audit_log.c.action == "appeal.purge")
                            .order_by(audit_log.c.seq)).all()
        assert targets == ["2026-03-01", "2026-03-02"]  # cases closed on or before the day, five years earlier
