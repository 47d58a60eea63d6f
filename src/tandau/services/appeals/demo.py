"""The demo's public reception: SYNTHETIC appeals over the year before ``now`` (issue 14, item 3).

Every appeal, applicant and answer here is made up by this module (texts from the proposals demo's kk/ru fragments,
names from short lists, phones in the +7 700 range). Appeals are spread over the real territory by population,
over a year (fewer at weekends), over the four channels; about 5% are sent again by the same applicant within
weeks (repeats). They go through the import path (classified, due dates on the calendar, repeats linked, bulk
inserts); their synthetic history (routing, extensions, redirects, answers with outcomes, closing, satisfaction)
is written in bulk and recorded as one audit entry ``appeal.demo``; a few recent appeals are then routed and
answered through the audited services, and :func:`~.oversight.escalate_overdue` escalates the open appeals past
their due date, so the dashboards show every state. Receipt codes of five web appeals are returned to try.
"""

from __future__ import annotations

import random
import time as clock
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tandau.core.appeals.terms import extension_limit
from tandau.io.appeals_import import AppealRow
from tandau.services.appeals import deadlines, imports, oversight, workflow
from tandau.services.primaries import audit
from tandau.services.primaries.access import Actor
from tandau.services.proposals import receipts
from tandau.services.proposals.demo import _territories, _text, _variant
from tandau.services.proposals.demo_texts import NEEDS
from tandau.store.appeals_models import Appeal

CHANNEL_WEIGHTS = {"web": 45, "office": 25, "phone": 20, "import": 10}
REPEATS = 0.05
FIRST = ("Айгерим", "Ерлан", "Асель", "Нурлан", "Динара", "Серик", "Мария", "Иван", "Гульнара", "Бауыржан",
         "Ольга", "Арман", "Жанар", "Дмитрий", "Сауле", "Тимур")
LAST = ("Садыкова", "Ахметов", "Касымова", "Жумабаев", "Ким", "Иванов", "Сергеева", "Нургалиев", "Омарова",
        "Петров", "Абдрахманова", "Искаков")
BODIES = ("Акимат района", "Министерство труда и социальной защиты населения", "Департамент полиции",
          "Министерство здравоохранения", "Управление образования области", "Министерство транспорта")
ANSWERS = {"resolved": "Вопрос решён: работы включены в план акимата.",
           "explained": "Дан разъяснительный ответ о порядке и сроках.",
           "refused": "Отказано: вопрос уже рассмотрен судом."}


@dataclass(frozen=True, slots=True)
class DemoAppeals:
    """What :func:`prepare_appeals` made."""

    appeals: int
    repeats: int
    answered: int
    redirected: int
    extended: int
    closed: int
    escalated: int
    receipts: tuple[str, ...]
    seconds: float


def _rows(rng: random.Random, count: int, now: datetime) -> list[AppealRow]:
    codes, weights = _territories()
    themes = sorted(NEEDS)
    start = now - timedelta(days=365)
    rows: list[AppealRow] = []
    for index in range(count):
        if rows and rng.random() < REPEATS:
            base = rows[-rng.randrange(1, min(len(rows), 400) + 1)]
            moment = min(now - timedelta(minutes=5), base.received_at + timedelta(days=rng.randint(3, 60),
                                                                                   minutes=rng.randint(0, 600)))
            lang = base.lang or "ru"
            rows.append(AppealRow(index + 2, f"demo-{index + 1}", moment, base.kato, _variant(rng, base.text, lang),
                                  base.channel, base.name, base.contact, lang))
            continue
        while True:
            moment = start + timedelta(seconds=rng.randrange(int((now - start).total_seconds()) - 600))
            if moment.weekday() < 5 or rng.random() < 0.25:
                break
        lang = "kk" if rng.random() < 0.45 else "ru"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        phone = f"+7 700 {rng.randrange(1000):03d} {rng.randrange(100):02d} {rng.randrange(100):02d}"
        contact = phone if rng.random() < 0.85 else ""
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        rows.append(AppealRow(index + 2, f"demo-{index + 1}", moment, rng.choices(codes, weights)[0],
                              _text(rng, rng.choice(themes), lang), channel, name, contact, lang))
    rows.sort(key=lambda r: r.received_at)
    return rows


def _history(rng: random.Random, records: list[dict[str, object]], now: datetime) -> dict[str, int]:
    """Give the older appeals a synthetic history in place; counts by kind."""
    today = deadlines.local_date(now)
    counts = dict.fromkeys(("answered", "redirected", "extended", "closed", "rated"), 0)
    for x in records:
        received, due = x["received_on"], x["due_on"]
        assert isinstance(received, type(today)) and isinstance(due, type(today))
        kato = str(x["kato"])
        age = (today - received).days
        if age < 2:
            continue
        x["route_kind"], x["route_to"] = ("branch", kato[:2] + "0000000") if rng.random() < 0.8 else (
            "deputy", f"demo-deputy-{kato[:4]}")
        x["status"] = "in_progress"
        if rng.random() < 0.04 and age >= 3:
            x.update(status="redirected", outcome="redirected", route_kind="state_body", route_to=rng.choice(BODIES),
                     answered_on=deadlines.working_days_after(received, rng.choice((1, 2, 3, 3, 5))).day)
            counts["redirected"] += 1
        else:
            if rng.random() < 0.06:
                limit = extension_limit(received, deadlines.terms_from())
                x.update(status="extended", extension_reason="Требуется выезд на место и заключение акимата.",
                         due_on=min(limit, due + timedelta(days=rng.randint(10, 30))))
                counts["extended"] += 1
            target = x["due_on"]
            assert isinstance(target, type(today))
            late = rng.random() < 0.12
            answered = target + timedelta(days=rng.randint(1, 12)) if late else received + timedelta(
                days=rng.randint(2, max(2, (target - received).days)))
            if answered >= today or rng.random() < 0.02:
                continue  # still open (some of them overdue)
            outcome = rng.choices(("resolved", "explained", "refused"), (45, 45, 10))[0]
            x.update(status="answered", outcome=outcome, outcome_reason=ANSWERS[outcome], answered_on=answered)
            counts["answered"] += 1
        if rng.random() < 0.45:
            x["satisfaction"] = rng.choices((1, 2, 3, 4, 5), (8, 10, 20, 32, 30))[0]
            counts["rated"] += 1
        done = x["answered_on"]
        if isinstance(done, type(today)) and (today - done).days > 20 and rng.random() < 0.85:
            x.update(status="closed", closed_at=now - timedelta(days=(today - done).days - 10))
            counts["closed"] += 1
    return counts


def prepare_appeals(session: Session, central: Actor, work_dir: Path, *, seed: int, now: datetime,
                    count: int = 50_000, secret_key: str | None = None) -> DemoAppeals:
    """Make ``count`` SYNTHETIC appeals of the year before ``now`` and commit (see the module); ~20 s for 50,000."""
    started = clock.perf_counter()
    if secret_key is None:
        from tandau.settings import get_settings

        secret_key = get_settings().secret_key.get_secret_value()
    rng = random.Random(seed)
    moment = now.astimezone(deadlines.now_utc(now).tzinfo)
    terms = deadlines.terms_from()
    keys_receipt, keys_applicant = deadlines.receipt_key(secret_key), deadlines.applicant_key(secret_key)
    rows = _rows(rng, count, moment)
    work_dir.mkdir(parents=True, exist_ok=True)
    records = imports.records_of(session, rows, actor=central.subject_id, file="demo", applicant_key=keys_applicant,
                                 terms=terms, moment=moment, synthetic=True)
    for x, r in zip(records, rows, strict=True):
        x["external_id"] = None if r.channel == "web" else r.id
    counts = _history(rng, records, moment)
    codes: list[str] = []
    for x in records:
        if x["channel"] == "web" and len(codes) < 5 and x["status"] != "received":
            code = receipts.new_code()
            x["receipt_hash"] = receipts.code_hash(keys_receipt, code)
            codes.append(code)
    imports.write(session, records, actor=central.subject_id, detail="demo (SYNTHETIC)", moment=moment)
    repeats = sum(1 for x in records if x["repeat_of"])
    audit.append(session, actor=central.subject_id, action="appeal.demo", target="demo", now=moment, details={
        "synthetic": True, "appeals": len(records), "repeats": repeats} | counts)
    session.commit()
    _steps(session, records)
    recent = session.scalars(select(Appeal.id).where(Appeal.status == "received", Appeal.synthetic.is_(True))
                             .order_by(Appeal.received_at).limit(12)).all()
    for index, appeal_id in enumerate(recent):
        if index % 3 == 0:
            continue
        workflow.route(session, central, appeal_id, "branch", session.get_one(Appeal, appeal_id).kato[:2] + "0000000",
                       now=moment)
        if index % 3 == 2:
            workflow.answer(session, central, appeal_id, "explained", ANSWERS["explained"], now=moment)
    run = oversight.escalate_overdue(session, central, now=moment)
    return DemoAppeals(len(records), repeats, counts["answered"], counts["redirected"], counts["extended"],
                       counts["closed"], len(run.escalated), tuple(codes), clock.perf_counter() - started)


def _steps(session: Session, records: list[dict[str, object]]) -> None:
    """The steps of the synthetic history (one per act, dated), so an appeal's page tells its story."""
    rows: list[dict[str, object]] = []
    for x in records:
        if x["status"] == "received":
            continue
        at = x["received_at"]
        assert isinstance(at, datetime)
        rows.append({"appeal_id": x["id"], "step": "route", "detail": f"{x['route_kind']} {x['route_to']}"[:200],
                     "note": "", "at": at + timedelta(hours=20), "actor": "demo"})
        if x["extension_reason"]:
            rows.append({"appeal_id": x["id"], "step": "extend", "detail": f"-> {x['due_on']}", "note":
                         x["extension_reason"], "at": at + timedelta(days=5), "actor": "demo"})
        if x["outcome"]:
            rows.append({"appeal_id": x["id"], "step": "redirect" if x["outcome"] == "redirected" else "answer",
                         "detail": str(x["outcome"]), "note": x["outcome_reason"] or "",
                         "at": at + timedelta(days=6), "actor": "demo"})
    for start in range(0, len(rows), imports.CHUNK):
        session.execute(insert(imports.STEPS), rows[start:start + imports.CHUNK])
    session.commit()
