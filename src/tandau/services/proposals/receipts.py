"""Receipt codes of proposals and the per-address limit of the public form (the appeals' form uses both: their
codes have the same format under a key of their own, their counter a table of its own).

**Receipts.** A proposer gets a random code of 12 characters from Crockford's base32 alphabet (60 bits; no I, L,
O or U, so it reads aloud and types without confusion), shown once as ``XXXX-XXXX-XXXX``. The database keeps only
``HMAC-SHA256(key, code)`` in a unique column, where ``key`` is derived from ``TANDAU_SECRET_KEY``: the code finds
its proposal with one indexed read, and a copy of the database (a backup, a dump) gives nobody a code, nor a way to
test guesses offline without the server's secret. The price: changing ``TANDAU_SECRET_KEY`` makes the receipts
given before unusable (their proposals stay, and are found on the territory's public page). A code is read without
regard to case, dashes, spaces or the look-alikes ``O``→0 and ``I``/``L``→1.

**Limit.** At most :data:`DEFAULT_PER_HOUR` proposals per client address per hour (the form and the API alike),
counted in ``proposal_rates`` under the keyed hash of the address, so every app process shares the count and no
address is stored; a row is reset once its hour has passed, and deleted by the next proposal from anyone. Over the
limit: :class:`TooManyProposalsError` (429 with ``Retry-After``). Behind a proxy the address is the one uvicorn
reports (docs/security-signin.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from tandau.services.primaries.errors import NotFoundError
from tandau.services.primaries.throttle import ThrottledError
from tandau.store.proposals_models import ProposalRate, RateWindow

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
DEFAULT_PER_HOUR = 5
WINDOW = timedelta(hours=1)
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

_Receipted = TypeVar("_Receipted")


class TooManyProposalsError(ThrottledError):
    """Over the per-address limit of proposals; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.args = (f"too many proposals from this address; try again in {retry_after} s",)


def derive_key(secret_key: str) -> bytes:
    """The receipts' HMAC key, derived from the application's secret key (never the secret itself)."""
    return hmac.new(secret_key.encode("utf-8"), b"tandau.proposals.receipt", hashlib.sha256).digest()


def new_code() -> str:
    """A fresh receipt code, formatted ``XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def canonical(code: str) -> str:
    """A typed code reduced to its 12 characters (upper case, no separators, look-alikes mapped).

    >>> canonical(" abcd-efgh-jkmo "), canonical("ABCDEFGHJKM")
    ('ABCDEFGHJKM0', '')
    """
    text = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_LOOKALIKES)
    return text if len(text) == LENGTH and all(ch in ALPHABET for ch in text) else ""


def code_hash(key: bytes, code: str) -> str | None:
    """The stored form of a receipt code (None for a text that cannot be a code)."""
    text = canonical(code)
    if not text:
        return None
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def _address_key(key: bytes, address: str) -> str:
    return hmac.new(key, b"address\x1f" + address.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _retry_after(row: RateWindow, now: datetime) -> int:
    return max(1, ceil((row.window_start + WINDOW - now).total_seconds()))


def check_in(session: Session, model: type[RateWindow], key: bytes, address: str, per_hour: int, now: datetime,
             too_many: Callable[[int], ThrottledError]) -> None:
    """Raise ``too_many(retry_after)`` when ``address`` has sent ``per_hour`` this hour (counted in ``model``'s
    table). Reads only."""
    row = session.get(model, _address_key(key, address))
    if row is not None and row.count >= per_hour and row.window_start + WINDOW > now:
        raise too_many(_retry_after(row, now))


def count_in(session: Session, model: type[RateWindow], key: bytes, address: str, per_hour: int, now: datetime,
             too_many: Callable[[int], ThrottledError]) -> None:
    """Count one from ``address`` in ``model``'s table in the caller's transaction (``too_many(retry_after)`` over
    the limit); the counters of other addresses whose hour has passed are deleted on the way, so the table holds
    the last hour only. The public forms of proposals and appeals count with it."""
    digest = _address_key(key, address)
    session.execute(delete(model).where(model.window_start <= now - WINDOW, model.key_hash != digest))
    row = session.scalars(select(model).where(model.key_hash == digest).with_for_update()).first()
    if row is None:
        try:
            with session.begin_nested():
                first = model()
                first.key_hash, first.window_start, first.count = digest, now, 1
                session.add(first)
            return
        except IntegrityError:  # a concurrent first one from the same address: count on its row
            row = session.scalars(select(model).where(model.key_hash == digest).with_for_update()).one()
    if row.window_start + WINDOW <= now:
        row.window_start, row.count = now, 0
    if row.count >= per_hour:
        raise too_many(_retry_after(row, now))
    row.count += 1


def check_rate(session: Session, key: bytes, address: str, per_hour: int, now: datetime) -> None:
    """Raise :class:`TooManyProposalsError` when ``address`` has sent ``per_hour`` proposals this hour. Reads only."""
    check_in(session, ProposalRate, key, address, per_hour, now, TooManyProposalsError)


def count_one(session: Session, key: bytes, address: str, per_hour: int, now: datetime) -> None:
    """Count one proposal from ``address`` in the caller's transaction (refused over the limit; :func:`count_in`)."""
    count_in(session, ProposalRate, key, address, per_hour, now, TooManyProposalsError)


def find(session: Session, model: type[_Receipted], column: InstrumentedAttribute[str | None], key: bytes, code: str,
         what: str) -> _Receipted:
    """The row of ``model`` (a proposal, an appeal) a receipt code finds by its keyed hash in ``column``
    (:class:`NotFoundError` naming ``what`` for an unknown or malformed code)."""
    digest = code_hash(key, code)
    found = None if digest is None else session.scalars(select(model).where(column == digest)).first()
    if found is None:
        raise NotFoundError(what, code.strip()[:20])
    return found


def prune(session: Session, *, now: datetime | None = None) -> int:
    """Delete the counters whose hour has passed (housekeeping); how many."""
    moment = now or datetime.now(UTC)
    rows = session.scalars(select(ProposalRate).where(ProposalRate.window_start <= moment - WINDOW)).all()
    for row in rows:
        session.delete(row)
    session.commit()
    return len(rows)
