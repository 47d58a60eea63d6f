"""Appeals' data out of the system: the pseudonymised export, and the retention purge of personal data.

**Export** (``APPEAL_EXPORT``: the central office, a secretary for their territory): a CSV of the appeals the
reader may export, without the applicant's name, contact or the text (which often names people), the applicant
replaced by a keyed hash (HMAC-SHA256 of the stored applicant hash under an export key derived from
``TANDAU_SECRET_KEY``): the same applicant has the same pseudonym in every export, and nobody can go from the
pseudonym to the person without the server's secret. Audited (``appeal.export``: how many rows, which scope).

**Purge** (``APPEAL_ADMIN``: the central office; ``tandau appeals purge``): the personal data of every case closed
``retention_years`` (default 5) or more before the given day are removed: the applicant's name, contact and hash,
the text, the extension reason, the answer and the notes of its steps. What remains (territory, theme, dates,
status, outcome, satisfaction) keeps the statistics. Audited (``appeal.purge``: the cut-off and the ids).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tandau.core.appeals.deadlines import add_months
from tandau.core.appeals.terms import Terms
from tandau.services.appeals import deadlines
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, require, territories
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import kato_prefix
from tandau.store.appeals_models import Appeal, AppealStep

COLUMNS = ("id", "received_on", "channel", "territory", "theme", "confidence", "lang", "applicant", "route_kind",
           "status", "due_on", "extended", "outcome", "answered_on", "on_time", "satisfaction", "repeat_of",
           "escalated", "closed_on")


def export_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), b"tandau.appeals.export", hashlib.sha256).digest()


def pseudonym(key: bytes, applicant_hash: str | None) -> str:
    """The export's pseudonym of an applicant (16 hex digits; empty when the applicant is unknown)."""
    if not applicant_hash:
        return ""
    return hmac.new(key, applicant_hash.encode("ascii"), hashlib.sha256).hexdigest()[:16]


def export_csv(session: Session, actor: Actor, *, key: bytes, territory: str | None = None,
               since: date | None = None, until: date | None = None, now: datetime | None = None) -> str:
    """The pseudonymised CSV of the appeals ``actor`` may export (see the module)."""
    scopes = territories(actor, Action.APPEAL_EXPORT)
    if not scopes:
        raise PermissionDeniedError(actor.subject_id, Action.APPEAL_EXPORT.value, None)
    query = select(Appeal).order_by(Appeal.received_at, Appeal.id)
    if None not in scopes:
        query = query.where(or_(*(Appeal.kato.startswith(kato_prefix(k)) for k in scopes if k is not None)))
    if territory:
        require(actor, Action.APPEAL_EXPORT, territory.strip())
        query = query.where(Appeal.kato.startswith(kato_prefix(territory.strip())))
    if since:
        query = query.where(Appeal.received_on >= since)
    if until:
        query = query.where(Appeal.received_on <= until)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for a in session.scalars(query.execution_options(yield_per=2000)):
        count += 1
        on_time = "" if a.answered_on is None else str(a.answered_on <= a.due_on).lower()
        writer.writerow((a.id, a.received_on.isoformat(), a.channel, a.kato, a.theme or "",
                         "" if a.confidence is None else a.confidence, a.lang, pseudonym(key, a.applicant_hash),
                         a.route_kind or "", a.status, a.due_on.isoformat(),
                         str(a.extension_reason is not None).lower(),
                         a.outcome or "", a.answered_on.isoformat() if a.answered_on else "", on_time,
                         a.satisfaction or "", a.repeat_of or "", str(a.escalated).lower(),
                         deadlines.local_date(a.closed_at).isoformat() if a.closed_at else ""))
    moment = deadlines.now_utc(now)
    audit.append(session, actor=actor.subject_id, action="appeal.export", target=territory or "scope", now=moment,
                 details={"rows": count, "territory": territory, "since": since and since.isoformat(),
                          "until": until and until.isoformat()})
    session.commit()
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Purge:
    """What a purge removed: the cut-off (cases closed on or before it) and the appeals."""

    closed_on_or_before: date
    ids: tuple[str, ...]


def purge(session: Session, actor: Actor, *, before: date | None = None, terms: Terms | None = None,
          now: datetime | None = None) -> Purge:
    """Remove the personal data of the cases closed ``retention_years`` or more before ``before`` (today in
    Almaty by default) and commit (see the module)."""
    require(actor, Action.APPEAL_ADMIN, None)
    terms = terms or deadlines.terms_from()
    moment = deadlines.now_utc(now)
    day = before or deadlines.local_date(moment)
    cutoff = add_months(day, -12 * terms.retention_years)
    limit = datetime.combine(cutoff + timedelta(days=1), time(0, 0), tzinfo=deadlines.ALMATY)
    ids = tuple(session.scalars(select(Appeal.id).where(Appeal.status == "closed", Appeal.closed_at < limit,
                                                        Appeal.purged_at.is_(None)).order_by(Appeal.id)))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session.execute(update(Appeal).where(Appeal.id.in_(chunk)).values(
            applicant_name=None, applicant_contact=None, applicant_hash=None, text="", extension_reason=None,
            outcome_reason=None, purged_at=moment, updated_at=moment))
        session.execute(update(AppealStep).where(AppealStep.appeal_id.in_(chunk)).values(note=""))
    audit.append(session, actor=actor.subject_id, action="appeal.purge", target=cutoff.isoformat(), now=moment,
                 details={"closed_on_or_before": cutoff.isoformat(), "retention_years": terms.retention_years,
                          "count": len(ids), "ids": list(ids)})
    session.commit()
    return Purge(cutoff, ids)
