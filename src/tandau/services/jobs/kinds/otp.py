"""``otp.deliver``: a one-time sign-in code sent by a background job (issue 15, item 2) instead of inside the
sign-in request, so a slow SMTP relay or SMS gateway holds no web worker and a failed send is tried again.

The code's row (:class:`~tandau.store.models.OneTimeCode`, only its argon2 hash) and the job commit together
(:func:`submit_delivery` inside :func:`tandau.services.primaries.auth.issue_code`). The job's arguments hold the
row id, the language and the code itself *sealed*: :class:`nacl.secret.SecretBox` (XSalsa20-Poly1305) under a key
derived from ``TANDAU_SECRET_KEY`` by BLAKE2b personalised for this use, over ``row id:code`` so a sealed code
cannot be moved to another row. A reader of the database (or of a backup) sees no code; the app and the workers
must share the secret key (docs/deployment.md). The kind is internal: never submitted by hand, its arguments never
shown and not audited (a code asked for at sign-in is not an administrative act, and was not audited before).

The run: open the box; the row still there, unused, unexpired and the member active, else it finishes with
nothing sent; the message composed in the requested language, the remaining minutes in it; sent by the configured
sender of the member's contact. A failed send is tried again after a short back-off (:data:`RETRY`, well under
the shortest lifetime of a code); after the last attempt, or on any error that trying again cannot mend, the code
is deleted, so no undelivered code stays valid (as the synchronous path does). Sending twice is harmless (the
same code again), so a retry after a crash simply sends.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from math import ceil
from typing import Any

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox
from pydantic import SecretStr
from sqlalchemy import delete
from sqlalchemy.orm import Session

from tandau.core.jobs import RetryPolicy
from tandau.errors import TandauError
from tandau.io.catalogues import LANGUAGES, N_, make_gettext
from tandau.services.jobs.registry import register
from tandau.services.jobs.runner import Context
from tandau.services.primaries.access import Action, Actor
from tandau.settings import Settings, get_settings
from tandau.store.models import Member, OneTimeCode

log = logging.getLogger(__name__)
KIND = "otp.deliver"
RETRY = RetryPolicy(max_attempts=3, base=2.0, cap=10.0)  # waits 2 s then 4 s: done well within a code's 30 s minimum
REQUESTER = Actor("tandau:sign-in", ())  # who the jobs page names: the sign-in service, not the member
_PERSON = b"tandau-otp-job"


class SealError(TandauError):
    """A sealed code that does not open (another ``TANDAU_SECRET_KEY``, or altered): nothing can be sent."""

    def __init__(self) -> None:
        super().__init__("the sealed one-time code does not open with this process's TANDAU_SECRET_KEY (the app and "
                         "the workers must share it); the code was voided")


class Undelivered(Exception):
    """A send failed; tried again until the attempts are used (not a TandauError, which fails at once)."""


def _box(secret: SecretStr) -> SecretBox:
    key = hashlib.blake2b(secret.get_secret_value().encode(), digest_size=SecretBox.KEY_SIZE, person=_PERSON)
    return SecretBox(key.digest())


def seal(secret: SecretStr, code_id: str, code: str) -> str:
    """``code`` for the row ``code_id``, sealed under ``secret`` (URL-safe base64; a fresh random nonce each time).

    >>> sealed = seal(SecretStr("k" * 40), "row1", "12345678")
    >>> "12345678" in sealed, unseal(SecretStr("k" * 40), "row1", sealed)
    (False, '12345678')
    """
    return base64.urlsafe_b64encode(_box(secret).encrypt(f"{code_id}:{code}".encode())).decode("ascii")


def unseal(secret: SecretStr, code_id: str, sealed: str) -> str:
    """The code that :func:`seal` sealed for ``code_id``; :class:`SealError` for another key, row or an altered box."""
    try:
        plain = _box(secret).decrypt(base64.urlsafe_b64decode(sealed.encode("ascii"))).decode()
    except (CryptoError, ValueError):
        raise SealError() from None
    row, _, code = plain.partition(":")
    if row != code_id:
        raise SealError()
    return code


def submit_delivery(session: Session, code_id: str, code: str, lang: str, secret: SecretStr, *,
                    dispatch: bool = True) -> str:
    """Queue the delivery of the code of row ``code_id`` (added to ``session``, not committed yet) in ``lang``;
    the submission commits the row and the job together. The job's id."""
    from tandau.services.jobs import submit

    language = lang if lang in LANGUAGES else "ru"
    arguments = {"code_id": code_id, "lang": language, "sealed": seal(secret, code_id, code)}
    return submit(session, REQUESTER, KIND, arguments, dispatch=dispatch, internal=True).id


def void(session: Session, code_id: str) -> None:
    """Delete the code: an undelivered code must not stay valid."""
    session.rollback()
    session.execute(delete(OneTimeCode).where(OneTimeCode.id == code_id))
    session.commit()


def _settings() -> Settings:
    """This process's settings (the worker's ``TANDAU_*``: its secret key and senders)."""
    return get_settings()


@register(KIND, title=N_("Send a one-time sign-in code"), action=Action.JOB_SUBMIT,
          arguments=("code_id", "lang", "sealed"), retry=RETRY, internal=True)
def deliver(context: Context) -> Mapping[str, Any]:
    code_id = str(context.arguments["code_id"])
    last = context.attempt >= context.kind.retry.max_attempts
    try:
        return _deliver(context, code_id)
    except TandauError:  # cannot be mended by trying again: void the code now
        with context.session() as s:
            void(s, code_id)
        raise
    except Undelivered as exc:
        if not last:
            raise
        with context.session() as s:
            void(s, code_id)
        raise Undelivered(f"{exc}; no attempt left, the code was voided") from None
    except Exception:
        if last:
            with context.session() as s:
                void(s, code_id)
        raise


def _deliver(context: Context, code_id: str) -> Mapping[str, Any]:
    from tandau.services.primaries.delivery import SendFailedError, compose, delivery_for, parse_contact

    settings = _settings()
    code = unseal(settings.secret_key, code_id, str(context.arguments["sealed"]))
    lang = str(context.arguments.get("lang") or "ru")
    now = datetime.now(UTC)
    with context.session() as s:
        row = s.get(OneTimeCode, code_id)
        member = None if row is None else s.get(Member, row.subject_id)
        expires = None if row is None else row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC)
        live = row is not None and not row.used and expires is not None and expires > now
        contact = parse_contact(member.contact) if live and member is not None and member.status == "active" else None
        s.rollback()
    if not live or expires is None:
        return {"sent": False, "reason": "the code was used, expired or voided"}
    sender = None if contact is None else delivery_for(settings).sender_for(contact)
    if contact is None or sender is None:
        with context.session() as s:
            void(s, code_id)
        return {"sent": False, "reason": "no active member with a contact a configured sender reaches; voided"}
    minutes = max(1, ceil((expires - now).total_seconds() / 60))
    try:
        sender.send(contact, compose(make_gettext(lang), contact.channel, code, minutes))
    except SendFailedError as exc:
        log.warning("one-time code not delivered by %s to %s (%s), attempt %d of %d", exc.sender, contact.masked,
                    exc.reason, context.attempt, context.kind.retry.max_attempts)
        raise Undelivered(f"the {exc.sender} sender could not deliver the one-time code ({exc.reason})") from None
    log.info("one-time code sent by %s to %s (job %s)", sender.id, contact.masked, context.job_id)
    return {"sent": True, "channel": contact.channel.value, "sender": sender.id}
