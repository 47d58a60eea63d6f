"""``otp.deliver``: a one-time code sent by a background job. The job row holds no plain code (sealed under the
secret key), the job sends through the configured sender in the requested language, a failing sender is tried
again and the code is voided after the last attempt, a used, expired or voided code is not sent, a box sealed
under another key voids the code, and the kind is refused by hand (service, CLI, page, API) with its arguments
hidden on every face. On PostgreSQL a procrastinate worker sends it."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr
from sqlalchemy import func, select, text
from typer.testing import CliRunner

import tandau.services.primaries.delivery as delivery_module
from tandau.errors import InputError
from tandau.services.jobs import get_job, list_jobs, run_job, submit, transports, wait_for
from tandau.services.jobs.kinds import otp
from tandau.services.jobs.registry import REDACTED
from tandau.services.primaries import audit, auth
from tandau.services.primaries.delivery import Channel, Contact, Delivery, Message, SendFailedError, send_code
from tandau.settings import Settings
from tandau.store.jobs_models import Job
from tandau.store.models import Member, OneTimeCode
from tandau.web.i18n import make_gettext

from ..primaries.conftest import CENTRAL, Db

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
SECRET = SecretStr("otp-job-test-" + secrets.token_urlsafe(32))
CODE = re.compile(r"\b(\d{8})\b")


@dataclass
class FakeSender:
    """Records what it sends; the first ``fail`` sends fail as a gateway timeout would."""

    fail: int = 0
    sent: list[tuple[str, Message]] = field(default_factory=list)
    id: ClassVar[str] = "fake"
    delivers: ClassVar[bool] = True

    def send(self, contact: Contact, message: Message) -> None:
        if self.fail > 0:
            self.fail -= 1
            raise SendFailedError(self.id, "TimeoutError")
        self.sent.append((contact.address, message))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSender:
    sender = FakeSender()
    conf = Settings(environment="development", secret_key=SECRET)
    monkeypatch.setattr(otp, "_settings", lambda: conf)  # the worker's settings: the same secret key
    monkeypatch.setattr(delivery_module, "delivery_for", lambda settings: queued(sender))
    return sender


def queued(sender: FakeSender, queue: bool | None = True) -> Delivery:
    return Delivery(((frozenset(Channel), sender),), queue=queue, secret=SECRET)


def add_member(db: Db, member_id: str = "m1", contact: str = "+77010000001") -> None:
    with db.Session() as s:
        s.add(Member(id=member_id, name="Aigerim", sex="F", birth_date=date(1990, 5, 1), kato="751110000",
                     contact=contact, status="active"))
        s.commit()


def issue_queued(db: Db, member_id: str = "m1", lang: str = "en", secret: SecretStr = SECRET) -> tuple[str, str]:
    """A code stored with its job recorded but not handed to a runner (the test runs it): (code, job id)."""
    jobs: list[str] = []
    with db.Session() as s:
        code = auth.issue_code(s, member_id, hasher=FAST, queue=lambda tx, row_id, c: jobs.append(
            otp.submit_delivery(tx, row_id, c, lang, secret, dispatch=False)))
    return code, jobs[0]


def make_due(db: Db, job_id: str) -> None:
    with db.Session() as s:
        row = s.get(Job, job_id)
        assert row is not None and row.next_attempt_at is not None
        row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        s.commit()


def live_codes(db: Db, member_id: str = "m1") -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(OneTimeCode)
                            .where(OneTimeCode.subject_id == member_id)) or 0)


def row_text(db: Db, job_id: str) -> str:
    """Every column of the job's row, as a database reader sees it."""
    with db.Session() as s:
        found = s.execute(text("SELECT * FROM jobs WHERE id = :id"), {"id": job_id}).mappings().one()
    return json.dumps({k: str(v) for k, v in found.items()})


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_queued_code_is_sealed_in_its_job_and_sent_in_the_language_asked(db: Db, fake: FakeSender) -> None:
    add_member(db)
    with db.Session() as s:
        sent = send_code(s, "m1", delivery_module.delivery_for(Settings()), make_gettext("kk"), hasher=FAST,
                         lang="kk")
    assert sent.job is not None and sent.shown_code is None and sent.masked == "+7********01"
    assert transports(db.engine)[1].idle(20)
    [(address, message)] = fake.sent
    code = CODE.findall(message.text)[0]
    assert address == "+77010000001" and "Tandau жүйесіне кіру коды" in message.text
    stored = row_text(db, sent.job)
    assert code not in stored and "sealed" in stored and "+77010000001" not in stored and "m1" not in stored
    with db.Session() as s:
        job = get_job(s, CENTRAL, sent.job)
        assert (job.status, job.attempts, job.arguments, job.requested_by) == ("succeeded", 1, REDACTED,
                                                                              "tandau:sign-in")
        assert job.result == {"sent": True, "channel": "phone", "sender": "fake"}
        assert list_jobs(s, CENTRAL) == []  # internal kinds: hidden unless asked for
        assert [j.arguments for j in list_jobs(s, CENTRAL, internal=True)] == [REDACTED]
        assert [j.id for j in list_jobs(s, CENTRAL, kind="otp.deliver")] == [sent.job]
        assert not [e for e in audit.entries(s) if e.action == "job.submit"]  # not an administrative act
        assert auth.sign_in_code(s, "m1", code, hasher=FAST).subject_id == "m1"  # the code sent is the one kept


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_failing_sender_is_tried_again_and_the_code_voided_after_the_last_attempt(db: Db, fake: FakeSender) -> None:
    add_member(db)
    fake.fail = 1  # one failure, then delivered
    _code, job_id = issue_queued(db)
    assert run_job(db.engine, job_id) == "queued"
    with db.Session() as s:
        row = s.get(Job, job_id)
        assert row is not None and row.next_attempt_at is not None
        assert (row.next_attempt_at - row.updated_at).total_seconds() == otp.RETRY.base
        assert row.error == "Undelivered: the fake sender could not deliver the one-time code (TimeoutError)"
    make_due(db, job_id)
    assert run_job(db.engine, job_id) == "succeeded" and len(fake.sent) == 1 and live_codes(db) == 1
    fake.fail = 99  # never delivered
    _code, job_id = issue_queued(db)
    for _ in range(1, otp.RETRY.max_attempts):
        assert run_job(db.engine, job_id) == "queued" and live_codes(db) == 2  # still valid while it is retried
        make_due(db, job_id)
    assert run_job(db.engine, job_id) == "failed"
    with db.Session() as s:
        failed = get_job(s, CENTRAL, job_id)
    assert failed.attempts == otp.RETRY.max_attempts and "the code was voided" in (failed.error or "")
    assert live_codes(db) == 1 and len(fake.sent) == 1  # the undelivered code is gone, the delivered one stays


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_used_expired_or_voided_code_is_not_sent_and_another_key_voids_it(db: Db, fake: FakeSender) -> None:
    add_member(db)
    used_code, used = issue_queued(db)
    with db.Session() as s:
        auth.sign_in_code(s, "m1", used_code, hasher=FAST)
    _code, expired = issue_queued(db)
    with db.Session() as s:
        s.execute(OneTimeCode.__table__.update().where(OneTimeCode.used == 0)  # type: ignore[attr-defined]
                  .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        s.commit()
    for job_id in (used, expired):
        assert run_job(db.engine, job_id) == "succeeded"
        with db.Session() as s:
            assert get_job(s, CENTRAL, job_id).result == {"sent": False,
                                                         "reason": "the code was used, expired or voided"}
    assert fake.sent == []
    with db.Session() as s:
        s.execute(OneTimeCode.__table__.delete())  # type: ignore[attr-defined]
        s.commit()
    _code, other_key = issue_queued(db, secret=SecretStr("another-key-" + secrets.token_urlsafe(32)))
    assert live_codes(db) == 1
    assert run_job(db.engine, other_key) == "failed"  # cannot be mended by trying again
    with db.Session() as s:
        assert "TANDAU_SECRET_KEY" in (get_job(s, CENTRAL, other_key).error or "")
    assert live_codes(db) == 0 and fake.sent == []


def test_sealing_binds_the_code_to_its_row() -> None:
    sealed = otp.seal(SECRET, "row-1", "12345678")
    assert otp.unseal(SECRET, "row-1", sealed) == "12345678" and sealed != otp.seal(SECRET, "row-1", "12345678")
    for key, row, box in ((SECRET, "row-2", sealed), (SecretStr("x" * 40), "row-1", sealed),
                          (SECRET, "row-1", sealed[:-4] + "AAAA"), (SECRET, "row-1", "not base64!")):
        with pytest.raises(otp.SealError):
            otp.unseal(key, row, box)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_kind_is_never_submitted_by_hand(db: Db, fake: FakeSender) -> None:
    arguments = {"code_id": "x", "lang": "en", "sealed": "y"}
    with db.Session() as s, pytest.raises(InputError, match="started by Tandau itself"):
        submit(s, CENTRAL, "otp.deliver", arguments)
    with db.Session() as s, pytest.raises(InputError, match="not an internal job kind"):
        submit(s, CENTRAL, "test.steps", {"n": 1}, internal=True)
    from tandau.cli.main import build_app

    refused = CliRunner().invoke(build_app(), ["jobs", "submit", "otp.deliver", "code_id=x", "--db", db.url])
    assert refused.exit_code == 2 and "started by Tandau itself" in refused.output
    add_member(db)
    _code, job_id = issue_queued(db)
    shown = CliRunner().invoke(build_app(), ["jobs", "show", job_id, "--db", db.url, "--format", "json"])
    assert json.loads(shown.output)["arguments"] == REDACTED and "sealed" not in shown.output
    with db.Session() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_on_postgresql_the_code_is_queued_by_default_and_a_worker_sends_it(db: Db, fake: FakeSender) -> None:
    from tandau.services.jobs.worker import run_worker

    add_member(db)
    stop = threading.Event()
    worker = threading.Thread(target=lambda: asyncio.run(run_worker(
        db.engine, heartbeat=0.5, stalled_after=3.0, poll=0.2, stop_when=stop)), daemon=True)
    worker.start()
    try:
        with db.Session() as s:
            sent = send_code(s, "m1", queued(fake, queue=None), make_gettext("ru"), hasher=FAST, lang="ru")
            assert sent.job is not None
            done = wait_for(s, CENTRAL, sent.job, timeout=20)
    finally:
        stop.set()
        worker.join(15)
    assert not worker.is_alive()
    assert done.status == "succeeded" and len(fake.sent) == 1
    code = CODE.findall(fake.sent[0][1].text)[0]
    assert "Код для входа в Tandau" in fake.sent[0][1].text and code not in row_text(db, sent.job)


def test_inline_stays_the_default_on_sqlite_and_for_the_console_sender() -> None:
    class Bound:
        def __init__(self, name: str) -> None:
            self.dialect = type("D", (), {"name": name})()

    class FakeSession:
        def __init__(self, name: str) -> None:
            self.bind = Bound(name)

        def get_bind(self) -> Any:
            return self.bind

    auto, console = queued(FakeSender(), queue=None), delivery_module.ConsoleSender()
    pg, lite = FakeSession("postgresql"), FakeSession("sqlite")
    assert auto.queued(pg, FakeSender()) and not auto.queued(lite, FakeSender())  # type: ignore[arg-type]
    assert not auto.queued(pg, console) and not queued(FakeSender(), queue=True).queued(pg, console)  # type: ignore[arg-type]
    assert not queued(FakeSender(), queue=False).queued(pg, FakeSender())  # type: ignore[arg-type]



def test_the_web_flow_queues_the_code_and_answers_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Production on SQLite with ``TANDAU_OTP_QUEUE=true`` and the SMS gateway: the page and the API answer at
    once as they do inline (nothing shown), the job sends the SMS in the page's language; staff see the job with
    its arguments hidden, and neither the page nor the API submits the kind."""
    from tandau.web import create_app
    from tests.integration.web.conftest import SECRET as WEB_SECRET
    from tests.integration.web.conftest import WebClient, add_staff
    from tests.loopback import HttpStub

    from ..primaries.conftest import empty_database

    with HttpStub() as gateway:
        for db in empty_database("sqlite", tmp_path):
            add_member(db)
            add_staff(db)
            conf = Settings(environment="production", secret_key=SecretStr(WEB_SECRET), otp_delivery="webhook",
                            sms_webhook_url=gateway.url, sms_webhook_token=SecretStr("gw-token-1"),
                            otp_delivery_timeout_seconds=3, otp_queue=True)
            monkeypatch.setattr(otp, "_settings", lambda conf=conf: conf)
            app = create_app(conf, database_url=db.url, bulletin_dir=tmp_path / "bulletins")
            with WebClient(app, base_url="https://testserver", headers={"Accept-Language": "kk"}) as client:
                page = client.login(None).form("/signin/code", {"member_id": "m1"})
                stranger = client.form("/signin/code", {"member_id": "nobody"})
                answer = client.api("POST", "/api/v1/session/code", json={"member_id": "m1"},
                                    headers={"Accept-Language": "en"})
                assert transports(app.state.engine)[1].idle(20)  # the app's own in-process runner
                assert page.status_code == stranger.status_code == 200
                assert "бір реттік код көрсетілген байланысқа жіберілді" in page.text
                assert page.text.replace("m1", "") == stranger.text.replace("nobody", "")  # the roll not revealed
                assert answer.status_code == 202 and answer.json().get("development_code") is None
                texts = sorted(p.body["text"] for p in gateway.requests)
                assert len(texts) == 2 and "Tandau жүйесіне кіру коды" in texts[1] and texts[0].startswith(
                    "Tandau sign-in code")
                assert not any(code in page.text + answer.text for t in texts for code in CODE.findall(t))
                staff = client.login("central")
                assert staff.get("/api/v1/jobs").json() == []  # hidden by default
                listed = staff.get("/api/v1/jobs?internal=true").json()
                assert [j["kind"] for j in listed] == ["otp.deliver"] * 2
                assert all(j["arguments"] == REDACTED and j["status"] == "succeeded" for j in listed)
                assert "otp.deliver" not in staff.get("/jobs").text
                jobs_page = staff.get("/jobs?internal=true").text + staff.get(f"/jobs/{listed[0]['id']}").text
                assert "sealed" not in jobs_page and "redacted" in jobs_page and "otp.deliver" in jobs_page
                assert 'value="otp.deliver"' not in staff.get("/jobs").text  # not offered on the form
                by_hand = {"kind": "otp.deliver", "arguments": {"code_id": "x", "lang": "en", "sealed": "y"}}
                refused = staff.api("POST", "/api/v1/jobs", json=by_hand)
                assert refused.status_code == 400 and "started by Tandau itself" in refused.text
                form = staff.form("/jobs", {"kind": "otp.deliver", "arguments": "code_id=x"})
                assert form.status_code == 400
            app.state.engine.dispose()

