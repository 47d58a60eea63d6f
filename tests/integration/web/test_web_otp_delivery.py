"""One-time codes through the web faces: delivered by SMS (webhook) or e-mail (SMTP) on loopback servers in
production, never shown on the page there; the same answer whether a code was sent or not (unknown member,
no usable contact, a failed delivery, too many live codes: logged on the server), so the roll is not
revealed; console refused at start-up outside development and kept as today in development; no code or
contact in the logs. Here the code is sent inside the request (``TANDAU_OTP_QUEUE=false``); the queued path, the
default on PostgreSQL, is tested in ``tests/integration/jobs/test_jobs_otp.py``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, select

from tandau.errors import InputError
from tandau.settings import Settings
from tandau.store.models import Member, OneTimeCode
from tandau.web import create_app
from tests.integration.primaries.conftest import Db
from tests.loopback import HttpStub, SmtpStub

from .conftest import SECRET, WebClient, database_url_of, make_app

CODE = re.compile(r"\b(\d{8})\b")


@pytest.fixture
def gateway() -> Iterator[HttpStub]:
    with HttpStub() as stub:
        yield stub


@pytest.fixture
def smtp() -> Iterator[SmtpStub]:
    with SmtpStub() as stub:
        yield stub


def production(db: Db, tmp_path: Path, gateway: HttpStub, smtp: SmtpStub, **values: Any) -> FastAPI:
    conf = Settings(
        environment="production",
        secret_key=SecretStr(SECRET),
        otp_delivery="smtp,webhook",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_security="none",
        smtp_from="Tandau <no-reply@party.kz>",
        sms_webhook_url=gateway.url,
        sms_webhook_token=SecretStr("gw-token-1"),
        otp_delivery_timeout_seconds=3,
        **{"otp_queue": False, **values},  # sent inside the request (the otp.deliver job: tests/integration/jobs)
    )
    return create_app(conf, database_url=database_url_of(db), bulletin_dir=tmp_path / "bulletins")


@pytest.fixture
def prod(web_db: Db, tmp_path: Path, gateway: HttpStub, smtp: SmtpStub) -> Iterator[WebClient]:
    app = production(web_db, tmp_path, gateway, smtp)
    with WebClient(app, base_url="https://testserver", headers={"Accept-Language": "kk"}) as client:
        yield client.login(None)
    app.state.engine.dispose()


def set_contact(db: Db, member: str, contact: str | None) -> None:
    with db.Session() as s:
        row = s.get(Member, member)
        assert row is not None
        row.contact = contact
        s.commit()


def stored_codes(db: Db, member: str) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(OneTimeCode).where(OneTimeCode.subject_id == member)) or 0)


def test_production_sends_an_sms_in_the_page_language_and_never_shows_the_code(
    prod: WebClient, gateway: HttpStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = prod.form("/signin/code", {"member_id": "m3"})
    assert r.status_code == 200 and "бір реттік код көрсетілген байланысқа жіберілді" in r.text
    [posted] = gateway.requests
    assert posted.body["to"] == "+77010000003" and "Tandau жүйесіне кіру коды" in posted.body["text"]
    assert posted.headers["authorization"] == "Bearer gw-token-1"
    code = CODE.search(posted.body["text"])
    assert code is not None and code.group(1) not in r.text and "Әзірлеу режимі" not in r.text
    ok = prod.form("/signin", {"member_id": "m3", "secret": code.group(1)}, follow_redirects=False)
    assert ok.status_code == 303
    assert code.group(1) not in caplog.text and "+77010000003" not in caplog.text
    assert "one-time code sent by webhook to +7********03" in caplog.text


def test_production_sends_an_e_mail_through_the_api(
    prod: WebClient, web_db: Db, smtp: SmtpStub, gateway: HttpStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    set_contact(web_db, "m3", "Dana.Sadykova@mail.kz")
    r = prod.api("POST", "/api/v1/session/code", json={"member_id": "m3"}, headers={"Accept-Language": "ru"})
    assert r.status_code == 202 and r.json() == {"sent": True, "development_code": None}
    assert gateway.requests == []
    [mail] = smtp.mails
    parsed = mail.parsed()
    assert mail.rcpt_to == ["Dana.Sadykova@mail.kz"] and parsed["Subject"] == "Ваш код для входа в Tandau"
    code = CODE.search(parsed.get_content())
    assert code is not None and "Код действует 10 мин" in parsed.get_content()
    signed = prod.api("POST", "/api/v1/session", json={"member_id": "m3", "secret": code.group(1)})
    assert signed.status_code == 200 and signed.json()["subject"] == "m3"
    assert code.group(1) not in caplog.text and "Dana.Sadykova" not in caplog.text


def test_a_failed_delivery_answers_as_a_sent_code_and_leaves_no_code(
    prod: WebClient, web_db: Db, gateway: HttpStub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent = prod.form("/signin/code", {"member_id": "m3"})
    gateway.status = 500
    page = prod.form("/signin/code", {"member_id": "m3"})
    assert page.status_code == 200 and page.text == sent.text  # the same page as a sent code
    api = prod.api("POST", "/api/v1/session/code", json={"member_id": "m3"})
    assert api.status_code == 202 and api.json() == {"sent": True, "development_code": None}
    assert len(gateway.requests) == 3 and stored_codes(web_db, "m3") == 1  # the first one only
    for posted in gateway.requests[1:]:
        code = CODE.search(posted.body["text"])
        assert code is not None and code.group(1) not in caplog.text and code.group(1) not in page.text
        refused = prod.form("/signin", {"member_id": "m3", "secret": code.group(1)}, follow_redirects=False)
        assert refused.status_code == 401
    assert "not delivered by webhook to +7********03 (HTTP 500); the code was voided" in caplog.text
    assert "one-time code not sent: the delivery failed" in caplog.text
    assert "+77010000003" not in caplog.text and "gw-token-1" not in caplog.text


@pytest.mark.parametrize("contact", [None, "see the branch office"])
def test_no_usable_contact_answers_as_a_sent_code_and_sends_nothing(
    prod: WebClient, web_db: Db, gateway: HttpStub, smtp: SmtpStub, contact: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    set_contact(web_db, "m3", contact)
    unknown = prod.form("/signin/code?lang=ru", {"member_id": "nobody"})
    page = prod.form("/signin/code?lang=ru", {"member_id": "m3"})
    assert page.status_code == unknown.status_code == 200
    assert page.text.replace('value="m3"', 'value="nobody"') == unknown.text
    api = prod.api("POST", "/api/v1/session/code", json={"member_id": "m3"})
    assert api.status_code == 202 and api.json() == {"sent": True, "development_code": None}
    assert gateway.requests == [] and smtp.mails == [] and stored_codes(web_db, "m3") == 0
    assert "one-time code not sent: no contact" in caplog.text


def test_unknown_members_get_the_same_answer_and_nothing_is_sent(prod: WebClient, gateway: HttpStub) -> None:
    known = prod.form("/signin/code", {"member_id": "m3"})
    unknown = prod.form("/signin/code", {"member_id": "nobody"})
    assert unknown.status_code == known.status_code == 200
    assert unknown.text.replace('value="nobody"', 'value="m3"') == known.text  # the page tells nothing apart
    assert prod.api("POST", "/api/v1/session/code", json={"member_id": "nobody"}).json() == {
        "sent": True,
        "development_code": None,
    }
    assert len(gateway.requests) == 1


def test_console_is_refused_at_start_up_outside_development(web_db: Db, tmp_path: Path) -> None:
    with pytest.raises(InputError) as refused:
        create_app(
            Settings(environment="production", secret_key=SecretStr(SECRET)),
            database_url=database_url_of(web_db),
            bulletin_dir=tmp_path / "b",
        )
    assert refused.value.parameter == "TANDAU_OTP_DELIVERY"


def test_development_keeps_showing_the_console_code(client: WebClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.login(None)
    page = client.form("/signin/code", {"member_id": "m3"})
    shown = re.search(r"your code is (\d{8})", page.text)
    api = client.api("POST", "/api/v1/session/code", json={"member_id": "m3"}).json()
    assert shown is not None and CODE.fullmatch(api["development_code"] or "")
    assert shown.group(1) not in caplog.text and api["development_code"] not in caplog.text
    assert "+77010000003" not in caplog.text and "one-time code to +7********03 not delivered" in caplog.text


def test_development_with_a_real_sender_does_not_show_the_code(web_db: Db, tmp_path: Path, gateway: HttpStub) -> None:
    app = make_app(
        web_db, tmp_path, otp_delivery="webhook", sms_webhook_url=gateway.url,
        sms_webhook_token=SecretStr("gw-token-1"), otp_queue=False,
    )
    with WebClient(app, base_url="http://testserver", headers={"Accept-Language": "en"}) as client:
        page = client.login(None).form("/signin/code", {"member_id": "m3"})
    app.state.engine.dispose()
    [posted] = gateway.requests
    code = CODE.search(posted.body["text"])
    assert page.status_code == 200 and code is not None and code.group(1) not in page.text
    assert "your code is" not in page.text


def test_requests_beyond_the_live_code_limit_send_nothing_and_answer_as_usual(
    prod: WebClient, gateway: HttpStub
) -> None:
    for _ in range(3):
        assert prod.api("POST", "/api/v1/session/code", json={"member_id": "m3"}).status_code == 202
    api = prod.api("POST", "/api/v1/session/code", json={"member_id": "m3"})
    unknown = prod.api("POST", "/api/v1/session/code", json={"member_id": "nobody"})
    assert api.status_code == unknown.status_code == 202 and api.json() == unknown.json()
    assert "retry-after" not in api.headers
    page = prod.form("/signin/code?lang=ru", {"member_id": "m3"})
    assert page.status_code == 200 and 'role="alert"' not in page.text
    assert len(gateway.requests) == 3
