"""Delivery of one-time sign-in codes to the member's contact, by a registry of senders.

``TANDAU_OTP_DELIVERY`` lists sender ids (:data:`SENDERS`) in order; the first one that serves the channel of
the member's contact sends. The channel follows the contact's form (:func:`parse_contact`): an e-mail address
goes by e-mail, a phone number by SMS.

- ``console`` (development only; refused at start-up elsewhere): delivers nothing and logs that a code went
  to the masked contact; the page may then show the code.
- ``smtp``: e-mail with :mod:`smtplib` (STARTTLS or implicit TLS with the certificate checked, optional login).
- ``webhook``: an SMS gateway, ``POST {"to": phone, "text": message}`` with a bearer token; anything but a
  2xx answer (redirects included) is a failure.

A code is stored before it is sent and deleted when sending fails (:func:`auth.issue_code`), so a failure
leaves no valid code behind. With ``TANDAU_OTP_QUEUE`` (by default on PostgreSQL) a sender that delivers is
used by the background job ``otp.deliver`` (:mod:`tandau.services.jobs.kinds.otp`: the code sealed in the job,
retried, voided when undeliverable) and the request answers at once; the console sender is always inline.
Logs name the sender and the masked contact, never the code, the full contact or the member.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from enum import StrEnum
from math import ceil
from typing import Any, ClassVar, Protocol

from argon2 import PasswordHasher
from pydantic import SecretStr
from sqlalchemy.orm import Session

from tandau import __version__
from tandau.errors import TandauError
from tandau.services.primaries import auth
from tandau.services.primaries.errors import AuthenticationError
from tandau.settings import Settings
from tandau.store.models import Member

log = logging.getLogger(__name__)

Translate = Callable[..., str]


class Channel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"


# --- contacts ---------------------------------------------------------------------------------------------

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_PHONE_NOISE = re.compile(r"[\s\-().]")


@dataclass(frozen=True)
class Contact:
    """A usable contact: its channel and its normalised address (kept out of ``repr``, so out of logs)."""

    channel: Channel
    address: str = field(repr=False)

    @property
    def masked(self) -> str:
        """For logs: enough to tell contacts apart, not enough to reach anyone.

        >>> Contact(Channel.EMAIL, "aigerim@mail.kz").masked, Contact(Channel.PHONE, "+77010000003").masked
        ('a***@m***.kz', '+7********03')
        """
        if self.channel is Channel.EMAIL:
            local, domain = self.address.rsplit("@", 1)
            return f"{local[0]}***@{domain[0]}***.{domain.rsplit('.', 1)[1]}"
        return self.address[:2] + "*" * (len(self.address) - 4) + self.address[-2:]


def _email(raw: str) -> str | None:
    local, at, domain = raw.rpartition("@")
    if not at or len(raw) > 254 or not _LOCAL_PART.fullmatch(local):
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    if not (labels[-1].isalpha() or labels[-1].startswith("xn--")):
        return None
    return f"{local}@{ascii_domain}"


def _phone(raw: str) -> str | None:
    digits = _PHONE_NOISE.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        number = digits[1:]
        ok = number.isascii() and number.isdigit() and 8 <= len(number) <= 15 and number[0] != "0"
        return "+" + number if ok else None
    if not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits) == 11 and digits[0] in "78":  # Kazakhstan (and Russia): trunk prefix 8 or country code 7
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "7":  # Kazakh national number without the country code
        return "+7" + digits
    return None


def parse_contact(raw: str | None) -> Contact | None:
    """The contact of the roll's ``contact`` column, or None when it is neither an e-mail address nor a
    phone number that can be dialled (a Kazakh number may omit the country code or use the trunk prefix 8).

    >>> parse_contact(" Aigerim@Mail.KZ "), parse_contact("8 (701) 000-00-03"), parse_contact("n/a")
    (Contact(channel=<Channel.EMAIL: 'email'>), Contact(channel=<Channel.PHONE: 'phone'>), None)
    >>> parse_contact("8 (701) 000-00-03").address
    '+77010000003'
    """
    text = (raw or "").strip()
    if not text or any(c in text for c in "\r\n\0"):
        return None
    if "@" in text:
        address = _email(text)
        return Contact(Channel.EMAIL, address) if address else None
    number = _phone(text)
    return Contact(Channel.PHONE, number) if number else None


# --- messages ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """What is sent: the e-mail subject (unused by SMS) and the text, which holds the code (not in ``repr``)."""

    subject: str
    text: str = field(repr=False)


def compose(_: Translate, channel: Channel, code: str, minutes: int) -> Message:
    """The message in the member's language (``_`` translates, see :mod:`tandau.web.i18n`); SMS stays short."""
    subject = _("Your Tandau sign-in code")
    if channel is Channel.PHONE:
        return Message(
            subject,
            _("Tandau sign-in code: %(code)s. Valid for %(minutes)s min. Do not share it.", code=code, minutes=minutes),
        )
    lines = (
        _("Your one-time code for signing in to the Tandau primaries: %(code)s", code=code),
        _("It is valid for %(minutes)s min and can be used once. Do not share it with anyone.", minutes=minutes),
        _("If you did not ask for a code, ignore this message."),
    )
    return Message(subject, "\n\n".join(lines) + "\n")


# --- errors -----------------------------------------------------------------------------------------------


class DeliveryError(TandauError):
    """A one-time code that was not delivered; nothing valid was left behind."""


class NoContactError(DeliveryError):
    """The member has no contact that a configured sender can reach; no code was stored or sent."""

    def __init__(self) -> None:
        super().__init__(
            "no e-mail address or phone number on file that the configured senders can reach; no code was sent"
        )


class SendFailedError(DeliveryError):
    """The sender failed; ``reason`` is the error's type or status (never a server's text, which may echo the
    address)."""

    def __init__(self, sender: str, reason: str) -> None:
        self.sender = sender
        self.reason = reason
        super().__init__(f"the {sender} sender could not deliver the one-time code ({reason}); the code was voided")


# --- senders ----------------------------------------------------------------------------------------------


class Sender(Protocol):
    id: ClassVar[str]
    delivers: ClassVar[bool]  # False: nothing leaves the server (console)

    def send(self, contact: Contact, message: Message) -> None: ...


class ConsoleSender:
    """Development: logs that a code was issued to the masked contact and delivers nothing."""

    id: ClassVar[str] = "console"
    delivers: ClassVar[bool] = False

    def send(self, contact: Contact, message: Message) -> None:
        log.info(
            "console sender (development): one-time code to %s not delivered; the sign-in page shows it", contact.masked
        )


def _tls(ca_file: str | None) -> ssl.SSLContext:
    """Certificate and host name checked; ``ca_file`` replaces the system's CAs (a private relay)."""
    return ssl.create_default_context(cafile=ca_file)


def _reason(exc: BaseException) -> str:
    """Type and status of a failure, without the server's text."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


@dataclass(frozen=True)
class SmtpSender:
    """E-mail through an SMTP server (RFC 5321), STARTTLS (RFC 3207) or implicit TLS (RFC 8314)."""

    host: str
    port: int
    security: str  # starttls | ssl | none
    from_address: str
    user: str | None = None
    password: SecretStr | None = None
    timeout: float = 10.0
    ca_file: str | None = None
    id: ClassVar[str] = "smtp"
    delivers: ClassVar[bool] = True

    def mail(self, contact: Contact, message: Message) -> EmailMessage:
        mail = EmailMessage()
        domain = parseaddr(self.from_address)[1].rpartition("@")[2] or None
        mail["From"] = self.from_address
        mail["To"] = contact.address
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(usegmt=True)
        mail["Message-ID"] = make_msgid(domain=domain)
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(message.text, cte="quoted-printable")  # 7-bit safe for any relay
        return mail

    def send(self, contact: Contact, message: Message) -> None:
        mail = self.mail(contact, message)
        try:
            client: smtplib.SMTP
            if self.security == "ssl":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=_tls(self.ca_file))
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=_tls(self.ca_file))
                if self.user is not None and self.password is not None:
                    client.login(self.user, self.password.get_secret_value())
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailedError(self.id, _reason(exc)) from None


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: never re-send the code elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True)
class WebhookSender:
    """SMS through an operator's gateway: ``POST`` JSON ``{"to": "+7...", "text": ...}`` with a bearer token."""

    url: str
    token: SecretStr
    timeout: float = 10.0
    id: ClassVar[str] = "webhook"
    delivers: ClassVar[bool] = True

    def send(self, contact: Contact, message: Message) -> None:
        body = json.dumps({"to": contact.address, "text": message.text}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token.get_secret_value()}",
                "User-Agent": f"tandau/{__version__}",
            },
        )
        opener = urllib.request.build_opener(_RefuseRedirects())
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                status = answer.status
                answer.read(65536)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SendFailedError(self.id, f"HTTP {exc.code}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise SendFailedError(self.id, _reason(exc)) from None
        if not 200 <= status < 300:
            raise SendFailedError(self.id, f"HTTP {status}")


# --- registry ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SenderSpec:
    id: str
    name: str
    channels: frozenset[Channel]
    build: Callable[[Settings], Sender]


SENDERS: dict[str, SenderSpec] = {}
SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def register(
    sender_id: str, *, name: str, channels: Iterable[Channel]
) -> Callable[[Callable[[Settings], Sender]], Callable[[Settings], Sender]]:
    """Register a sender factory under a stable id (the value of ``TANDAU_OTP_DELIVERY``)."""

    def decorate(build: Callable[[Settings], Sender]) -> Callable[[Settings], Sender]:
        SENDERS[sender_id] = SenderSpec(sender_id, name, frozenset(channels), build)
        return build

    return decorate


@register("console", name="Log only (development)", channels=(Channel.EMAIL, Channel.PHONE))
def _console(settings: Settings) -> Sender:
    return ConsoleSender()


@register("smtp", name="E-mail (SMTP)", channels=(Channel.EMAIL,))
def _smtp(settings: Settings) -> Sender:
    return SmtpSender(
        host=settings.smtp_host or "",
        port=settings.smtp_port or SMTP_PORTS[settings.smtp_security],
        security=settings.smtp_security,
        from_address=settings.smtp_from or "",
        user=settings.smtp_user,
        password=settings.smtp_password,
        timeout=settings.otp_delivery_timeout_seconds,
        ca_file=settings.smtp_ca_file,
    )


@register("webhook", name="SMS gateway (HTTP webhook)", channels=(Channel.PHONE,))
def _webhook(settings: Settings) -> Sender:
    return WebhookSender(
        url=settings.sms_webhook_url or "",
        token=settings.sms_webhook_token or SecretStr(""),
        timeout=settings.otp_delivery_timeout_seconds,
    )


@dataclass(frozen=True)
class Delivery:
    """The senders chosen by the settings, in order; ``reveal_codes`` only in development."""

    routes: tuple[tuple[frozenset[Channel], Sender], ...]
    reveal_codes: bool = False
    queue: bool | None = False  # through the otp.deliver job; None: when the database is PostgreSQL
    secret: SecretStr | None = field(default=None, repr=False)  # seals a queued code (TANDAU_SECRET_KEY)

    def queued(self, session: Session, sender: Sender) -> bool:
        """Whether a code for ``sender`` goes through the job (never for the console sender: nothing to send,
        and the page can only show a code it has)."""
        if not sender.delivers or self.secret is None:
            return False
        return self.queue if self.queue is not None else session.get_bind().dialect.name == "postgresql"

    def sender_for(self, contact: Contact) -> Sender | None:
        """The first sender that serves the contact's channel (None: no configured sender reaches it)."""
        return next((sender for channels, sender in self.routes if contact.channel in channels), None)


def delivery_for(settings: Settings) -> Delivery:
    """The senders of ``settings.otp_delivery`` (checked by :meth:`Settings.check_safe` at start-up)."""
    routes = tuple((SENDERS[i].channels, SENDERS[i].build(settings)) for i in settings.otp_senders)
    return Delivery(routes, reveal_codes=settings.environment == "development", queue=settings.otp_queue,
                    secret=settings.secret_key)


# --- the use case -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """A code on its way: the channel, the masked contact, and the code itself only when it may be shown
    (console sender in development)."""

    channel: Channel
    masked: str
    sender: str
    shown_code: str | None = field(default=None, repr=False)
    job: str | None = None  # the otp.deliver job that sends it (queued), None when sent inline


def send_code(
    session: Session,
    member_id: str,
    delivery: Delivery,
    _: Translate,
    *,
    ttl_seconds: int = 600,
    now: datetime | None = None,
    hasher: PasswordHasher | None = None,
    max_live: int = 3,
    lang: str = "ru",
) -> Sent:
    """Issue a one-time code for an active member and send it to their contact, in the language of ``_``.

    Raises :class:`AuthenticationError` for an unknown or inactive member (nothing sent), :class:`NoContactError`
    when no configured sender reaches the contact (nothing stored), :class:`SendFailedError` when sending failed
    (the stored code is deleted), :class:`TooManyCodesError` when the member already holds ``max_live``
    unexpired codes (nothing stored or sent). When ``delivery`` queues (:meth:`Delivery.queued`) the code is
    stored with an ``otp.deliver`` job that sends it in ``lang`` and nothing is sent here."""
    member = session.get(Member, member_id)
    active = member is not None and member.status == "active"
    contact = parse_contact(member.contact) if member is not None else None
    session.rollback()  # end the read; issue_code stores the code in its own transaction
    if not active:
        raise AuthenticationError()
    sender = delivery.sender_for(contact) if contact is not None else None
    if sender is None or contact is None:
        log.info("one-time code not sent: no contact that the configured senders reach")
        raise NoContactError()
    minutes = max(1, ceil(ttl_seconds / 60))

    def deliver(code: str) -> None:
        sender.send(contact, compose(_, contact.channel, code, minutes))

    if delivery.queued(session, sender) and delivery.secret is not None:
        from tandau.services.jobs.kinds.otp import submit_delivery

        jobs: list[str] = []
        secret = delivery.secret
        auth.issue_code(session, member_id, ttl_seconds=ttl_seconds, now=now, hasher=hasher, max_live=max_live,
                        queue=lambda s, row_id, code: jobs.append(submit_delivery(s, row_id, code, lang, secret)))
        log.info("one-time code to %s queued for %s (job %s)", contact.masked, sender.id, jobs[0])
        return Sent(contact.channel, contact.masked, sender.id, None, jobs[0])

    try:
        code = auth.issue_code(session, member_id, ttl_seconds=ttl_seconds, now=now, hasher=hasher, deliver=deliver,
                               max_live=max_live)
    except SendFailedError as exc:
        log.warning(
            "one-time code not delivered by %s to %s (%s); the code was voided", exc.sender, contact.masked, exc.reason
        )
        raise
    if sender.delivers:
        log.info("one-time code sent by %s to %s", sender.id, contact.masked)
    shown = code if delivery.reveal_codes and not sender.delivers else None
    return Sent(contact.channel, contact.masked, sender.id, shown)
