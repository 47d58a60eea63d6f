"""Delivery of one-time codes: contacts, the sender registry, start-up checks, SMTP and the SMS webhook
against servers on loopback, the failure paths (no half-state), translations, and logs without secrets."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import tandau.services.primaries.delivery as delivery_module
from tandau.errors import InputError
from tandau.services.primaries import auth
from tandau.services.primaries.delivery import (
    SENDERS,
    Channel,
    Delivery,
    Message,
    NoContactError,
    SendFailedError,
    SmtpSender,
    WebhookSender,
    compose,
    delivery_for,
    parse_contact,
    send_code,
)
from tandau.services.primaries.errors import AuthenticationError
from tandau.settings import OTP_SENDERS, Settings
from tandau.store import Base, make_engine, session_factory
from tandau.store.models import Member, OneTimeCode
from tandau.web.i18n import catalogue, extract_messages, make_gettext
from tests.loopback import HttpStub, SmtpStub, closed_port, self_signed

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
SECRET = "delivery-test-" + secrets.token_urlsafe(32)  # random: production refuses a published key
CODE = re.compile(r"\b(\d{8})\b")
EMAIL_TEXT = Message("Your Tandau sign-in code", "Your code: 12345678\n")


def settings(**values: Any) -> Settings:
    return Settings(**{"environment": "development", "secret_key": SecretStr(SECRET), **values})


def webhook_settings(url: str, **values: Any) -> Settings:
    return settings(
        otp_delivery="webhook",
        sms_webhook_url=url,
        sms_webhook_token=SecretStr("gw-token-1"),
        otp_delivery_timeout_seconds=2,
        **values,
    )


# --- contacts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "channel", "address"),
    [
        ("aigerim@mail.kz", Channel.EMAIL, "aigerim@mail.kz"),
        ("  First.Last+otp@Party.KZ ", Channel.EMAIL, "First.Last+otp@party.kz"),
        ("member@партия.қаз", Channel.EMAIL, "member@xn--80aqtfk3f.xn--80ao21a"),
        ("+7 701 000 00 03", Channel.PHONE, "+77010000003"),
        ("8 (701) 000-00-03", Channel.PHONE, "+77010000003"),
        ("87010000003", Channel.PHONE, "+77010000003"),
        ("77010000003", Channel.PHONE, "+77010000003"),
        ("7010000003", Channel.PHONE, "+77010000003"),
        ("0044 20 7946 0958", Channel.PHONE, "+442079460958"),
    ],
)
def test_usable_contacts_and_their_channel(raw: str, channel: Channel, address: str) -> None:
    contact = parse_contact(raw)
    assert contact is not None and contact.channel is channel and contact.address == address


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "n/a",
        "aigerim@",
        "@mail.kz",
        "aigerim@localhost",
        "a b@mail.kz",
        "a..b@mail.kz",
        "12345",
        "+0123456789",
        "+7 701 abc",
        "a@mail.kz\r\nBcc: x@evil.kz",
        "8701\n0000003",
        "Айгерим@mail.kz",
    ],
)
def test_unusable_contacts(raw: str | None) -> None:
    assert parse_contact(raw) is None


def test_a_contact_never_shows_its_address_in_logs_or_repr() -> None:
    for raw in ("aigerim.nurlanovna@mail.kz", "+77010000003"):
        contact = parse_contact(raw)
        assert contact is not None
        assert raw not in contact.masked and raw not in repr(contact)
        assert contact.masked[0] == raw[0] and contact.masked[-2:] == raw[-2:]


# --- registry and settings ------------------------------------------------------------------------------


def test_the_registry_and_the_settings_name_the_same_senders() -> None:
    assert tuple(SENDERS) == OTP_SENDERS
    assert SENDERS["smtp"].channels == {Channel.EMAIL} and SENDERS["webhook"].channels == {Channel.PHONE}
    assert SENDERS["console"].channels == {Channel.EMAIL, Channel.PHONE}


def test_unknown_or_repeated_senders_are_refused() -> None:
    with pytest.raises(ValidationError, match="valid: console, smtp, webhook"):
        settings(otp_delivery="pigeon")
    with pytest.raises(ValidationError, match="twice"):
        settings(otp_delivery="smtp, smtp")
    assert settings(otp_delivery=" SMTP , webhook").otp_senders == ("smtp", "webhook")


def test_the_first_sender_that_serves_the_channel_sends() -> None:
    both = delivery_for(settings(otp_delivery="smtp,console", smtp_host="127.0.0.1", smtp_from="t@party.kz"))
    email, phone = parse_contact("a@mail.kz"), parse_contact("+77010000003")
    assert email is not None and phone is not None
    assert [getattr(both.sender_for(c), "id", None) for c in (email, phone)] == ["smtp", "console"]
    only_mail = delivery_for(settings(otp_delivery="smtp", smtp_host="127.0.0.1", smtp_from="t@party.kz"))
    assert only_mail.sender_for(phone) is None


PRODUCTION_WEBHOOK = {
    "environment": "production",
    "otp_delivery": "webhook",
    "sms_webhook_url": "https://sms.example.kz/send",
    "sms_webhook_token": SecretStr("t"),
}


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"environment": "production"}, "TANDAU_OTP_DELIVERY"),  # the default console sender
        ({**PRODUCTION_WEBHOOK, "otp_delivery": "webhook,console"}, "TANDAU_OTP_DELIVERY"),
        ({"otp_delivery": "smtp", "smtp_from": "t@party.kz"}, "TANDAU_SMTP_HOST"),
        ({"otp_delivery": "smtp", "smtp_host": "mail.party.kz"}, "TANDAU_SMTP_FROM"),
        (
            {"otp_delivery": "smtp", "smtp_host": "mail.party.kz", "smtp_from": "t@party.kz\r\nBcc: x@y.kz"},
            "TANDAU_SMTP_FROM",
        ),
        (
            {"otp_delivery": "smtp", "smtp_host": "mail.party.kz", "smtp_from": "t@party.kz", "smtp_user": "u"},
            "TANDAU_SMTP_USER",
        ),
        ({"otp_delivery": "webhook", "sms_webhook_token": SecretStr("t")}, "TANDAU_SMS_WEBHOOK_URL"),
        ({"otp_delivery": "webhook", "sms_webhook_url": "ftp://sms.example.kz"}, "TANDAU_SMS_WEBHOOK_URL"),
        ({"otp_delivery": "webhook", "sms_webhook_url": "https://sms.example.kz"}, "TANDAU_SMS_WEBHOOK_TOKEN"),
        ({**PRODUCTION_WEBHOOK, "sms_webhook_url": "http://sms.example.kz/send"}, "TANDAU_SMS_WEBHOOK_URL"),
        (
            {
                "environment": "production",
                "otp_delivery": "smtp",
                "smtp_host": "mail.party.kz",
                "smtp_from": "t@party.kz",
                "smtp_security": "none",
            },
            "TANDAU_SMTP_SECURITY",
        ),
    ],
)
def test_start_up_refuses_incomplete_or_unsafe_delivery(values: dict[str, Any], parameter: str) -> None:
    with pytest.raises(InputError) as caught:
        settings(**values).check_safe()
    assert caught.value.parameter == parameter


@pytest.mark.parametrize(
    "values",
    [
        {},  # development: console
        PRODUCTION_WEBHOOK,
        {**PRODUCTION_WEBHOOK, "sms_webhook_url": "http://127.0.0.1:9000/send"},  # a gateway on this machine
        {
            "environment": "production",
            "otp_delivery": "smtp,webhook",
            "smtp_host": "localhost",
            "smtp_from": "Tandau <no-reply@party.kz>",
            "smtp_security": "none",
            **{k: v for k, v in PRODUCTION_WEBHOOK.items() if k.startswith("sms")},
        },
    ],
)
def test_start_up_accepts_complete_delivery(values: dict[str, Any]) -> None:
    settings(**values).check_safe()


# --- messages -------------------------------------------------------------------------------------------


def test_every_message_text_is_translated() -> None:
    used = extract_messages([Path(delivery_module.__file__)])
    assert len(used) == 5
    for lang in ("kk", "ru"):
        assert not [m for m in used if m not in catalogue(lang)], lang


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Valid for 10 min"), ("ru", "Действует 10 мин"), ("kk", "10 мин жарамды")]
)
def test_the_sms_is_short_and_in_the_members_language(lang: str, words: str) -> None:
    sms = compose(make_gettext(lang), Channel.PHONE, "12345678", 10)
    assert "12345678" in sms.text and words in sms.text and len(sms.text) <= 100
    assert "12345678" not in repr(sms)


# --- SMTP -----------------------------------------------------------------------------------------------


def smtp_sender(port: int, **values: Any) -> SmtpSender:
    return SmtpSender(
        **{
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "from_address": "Tandau <no-reply@party.kz>",
            "timeout": 3.0,
            **values,
        }
    )


def test_smtp_delivers_a_translated_e_mail() -> None:
    contact = parse_contact("aigerim@mail.kz")
    assert contact is not None
    message = compose(make_gettext("ru"), Channel.EMAIL, "12345678", 10)
    with SmtpStub() as server:
        smtp_sender(server.port).send(contact, message)
    [mail] = server.mails
    assert mail.rcpt_to == ["aigerim@mail.kz"] and mail.mail_from == "no-reply@party.kz" and not mail.tls
    parsed = mail.parsed()
    assert parsed["Subject"] == "Ваш код для входа в Tandau" and parsed["To"] == "aigerim@mail.kz"
    assert parsed["Auto-Submitted"] == "auto-generated" and parsed["Message-ID"].endswith("@party.kz>")
    body = parsed.get_content()
    assert "12345678" in body and "Код действует 10 мин" in body
    assert max(len(line) for line in mail.data.split(b"\r\n")) <= 78 and mail.data.isascii()  # 7-bit clean


@pytest.fixture
def certificate(tmp_path: Path) -> Any:
    made = self_signed(tmp_path)
    if made is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    return made


def test_smtp_starttls_with_login(certificate: Any) -> None:
    cert, server_tls = certificate
    contact = parse_contact("aigerim@mail.kz")
    assert contact is not None
    with SmtpStub(tls=server_tls, users={"tandau": "pa55word"}) as server:
        smtp_sender(
            server.port, security="starttls", user="tandau", password=SecretStr("pa55word"), ca_file=str(cert)
        ).send(contact, EMAIL_TEXT)
        # the certificate is checked: without the test CA the handshake fails and nothing is sent
        with pytest.raises(SendFailedError, match="SSLCertVerificationError"):
            smtp_sender(server.port, security="starttls", user="tandau", password=SecretStr("pa55word")).send(
                contact, EMAIL_TEXT
            )
        with pytest.raises(SendFailedError, match="SMTPAuthenticationError 535"):
            smtp_sender(
                server.port, security="starttls", user="tandau", password=SecretStr("wrong"), ca_file=str(cert)
            ).send(contact, EMAIL_TEXT)
    [mail] = server.mails
    assert mail.tls and mail.user == "tandau"


def test_smtp_implicit_tls(certificate: Any) -> None:
    cert, server_tls = certificate
    contact = parse_contact("aigerim@mail.kz")
    assert contact is not None
    with SmtpStub(tls=server_tls, implicit_tls=True) as server:
        smtp_sender(server.port, security="ssl", ca_file=str(cert)).send(contact, EMAIL_TEXT)
    assert [m.tls for m in server.mails] == [True]


def test_smtp_refuses_to_go_on_in_clear_when_starttls_is_missing() -> None:
    contact = parse_contact("aigerim@mail.kz")
    assert contact is not None
    with SmtpStub() as server, pytest.raises(SendFailedError, match="SMTPNotSupportedError"):
        smtp_sender(server.port, security="starttls").send(contact, EMAIL_TEXT)
    assert server.mails == []


def test_smtp_failures_name_no_address() -> None:
    contact = parse_contact("aigerim@mail.kz")
    assert contact is not None
    with pytest.raises(SendFailedError, match="ConnectionRefusedError"):
        smtp_sender(closed_port()).send(contact, EMAIL_TEXT)
    with SmtpStub(reject_rcpt=True) as server, pytest.raises(SendFailedError) as refused:
        smtp_sender(server.port).send(contact, EMAIL_TEXT)
    assert refused.value.reason == "SMTPRecipientsRefused" and "aigerim" not in str(refused.value)


# --- webhook --------------------------------------------------------------------------------------------


def test_webhook_posts_json_with_the_bearer_token() -> None:
    contact = parse_contact("8 701 000 00 03")
    assert contact is not None
    sms = compose(make_gettext("kk"), Channel.PHONE, "12345678", 10)
    with HttpStub() as gateway:
        WebhookSender(gateway.url, SecretStr("gw-token-1"), timeout=2).send(contact, sms)
    [posted] = gateway.requests
    assert posted.path == "/sms/send" and posted.body == {"to": "+77010000003", "text": sms.text}
    assert posted.headers["authorization"] == "Bearer gw-token-1"
    assert posted.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"status": 500}, "HTTP 500"),
        ({"status": 401}, "HTTP 401"),
        ({"status": 302, "location": "http://127.0.0.1:1/elsewhere"}, "HTTP 302"),  # never re-sent elsewhere
        ({"status": 204, "delay": 1.5}, "TimeoutError"),
    ],
)
def test_webhook_failures(answer: dict[str, Any], reason: str) -> None:
    contact = parse_contact("+77010000003")
    assert contact is not None
    with HttpStub(**answer) as gateway, pytest.raises(SendFailedError) as failed:
        WebhookSender(gateway.url, SecretStr("t"), timeout=0.5).send(contact, EMAIL_TEXT)
    assert failed.value.reason == reason and len(gateway.requests) == 1


def test_webhook_down() -> None:
    contact = parse_contact("+77010000003")
    assert contact is not None
    with pytest.raises(SendFailedError, match="ConnectionRefusedError"):
        WebhookSender(f"http://127.0.0.1:{closed_port()}/send", SecretStr("t"), timeout=1).send(contact, EMAIL_TEXT)


# --- the use case: issue, send, or void -----------------------------------------------------------------


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'otp.db'}")
    Base.metadata.create_all(engine)
    with session_factory(engine)() as s:
        for mid, contact, status in (
            ("m1", "+7 701 000 00 01", "active"),
            ("m2", "aigerim@mail.kz", "active"),
            ("m3", None, "active"),
            ("m4", "ask the branch", "active"),
            ("m5", "+77010000005", "expelled"),
        ):
            s.add(
                Member(
                    id=mid,
                    name=mid,
                    sex="F",
                    birth_date=date(1990, 1, 1),
                    kato="751110000",
                    contact=contact,
                    status=status,
                )
            )
        s.commit()
        yield s
    engine.dispose()


def codes_of(session: Session, member: str) -> int:
    return int(
        session.scalar(select(func.count()).select_from(OneTimeCode).where(OneTimeCode.subject_id == member)) or 0
    )


def test_a_sent_code_signs_in_and_stays_out_of_the_logs(session: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with HttpStub() as gateway:
        sent = send_code(
            session, "m1", delivery_for(webhook_settings(gateway.url)), make_gettext("ru"), ttl_seconds=300, hasher=FAST
        )
    assert sent.channel is Channel.PHONE and sent.sender == "webhook" and sent.shown_code is None
    [posted] = gateway.requests
    found = CODE.search(posted.body["text"])
    assert found is not None and "Действует 5 мин" in posted.body["text"]
    assert codes_of(session, "m1") == 1
    assert auth.sign_in_code(session, "m1", found.group(1), hasher=FAST).subject_id == "m1"
    assert found.group(1) not in caplog.text and "+77010000001" not in caplog.text and "m1" not in caplog.text
    assert "one-time code sent by webhook to +7********01" in caplog.text


@pytest.mark.parametrize("gateway_up", [True, False])  # a 500 answer (the text reached it), or nobody there
def test_a_failed_delivery_leaves_no_valid_code(
    session: Session, caplog: pytest.LogCaptureFixture, gateway_up: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    with HttpStub(status=500) as gateway:
        url = gateway.url if gateway_up else f"http://127.0.0.1:{closed_port()}/send"
        with pytest.raises(SendFailedError):
            send_code(session, "m1", delivery_for(webhook_settings(url)), make_gettext("en"), hasher=FAST)
    assert codes_of(session, "m1") == 0
    assert len(gateway.requests) == int(gateway_up)
    for posted in gateway.requests:  # the gateway got the code but failed: that code no longer signs in
        code = CODE.search(posted.body["text"])
        assert code is not None and code.group(1) not in caplog.text
        with pytest.raises(AuthenticationError):
            auth.sign_in_code(session, "m1", code.group(1), hasher=FAST)
    assert "not delivered by webhook to +7********01" in caplog.text and "the code was voided" in caplog.text
    assert "+77010000001" not in caplog.text and "gw-token-1" not in caplog.text


@pytest.mark.parametrize("member", ["m3", "m4", "m2"])  # no contact, not a contact, e-mail without smtp
def test_no_usable_contact_sends_and_stores_nothing(session: Session, member: str) -> None:
    with HttpStub() as gateway, pytest.raises(NoContactError, match="no e-mail address or phone number"):
        send_code(session, member, delivery_for(webhook_settings(gateway.url)), make_gettext("en"), hasher=FAST)
    assert gateway.requests == [] and codes_of(session, member) == 0


@pytest.mark.parametrize("member", ["nobody", "m5"])
def test_unknown_or_inactive_members_get_nothing(session: Session, member: str) -> None:
    with HttpStub() as gateway, pytest.raises(AuthenticationError):
        send_code(session, member, delivery_for(webhook_settings(gateway.url)), make_gettext("en"), hasher=FAST)
    assert gateway.requests == [] and codes_of(session, member) == 0


def test_console_keeps_the_code_for_the_development_page_only(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sent = send_code(session, "m2", delivery_for(settings()), make_gettext("en"), hasher=FAST)
    assert sent.shown_code is not None and sent.shown_code not in caplog.text and "aigerim" not in caplog.text
    assert "console sender (development): one-time code to a***@m***.kz not delivered" in caplog.text
    # the same sender outside development (never configured so, but defended): the code is not handed out
    hidden = Delivery(delivery_for(settings()).routes, reveal_codes=False)
    assert send_code(session, "m2", hidden, make_gettext("en"), hasher=FAST).shown_code is None
