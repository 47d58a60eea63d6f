"""Bulk import of appeals (CSV or XLSX, :mod:`tandau.io.appeals_import`): all or nothing, fast.

Who (``APPEAL_INTAKE``): the central office anywhere, secretaries and appeal handlers for rows of their territory
(a row outside it is a problem of its ``territory`` column). Every problem is listed with its row and column and
nothing is written while there is one (:class:`~tandau.services.primaries.errors.ImportRejectedError`); a row
whose ``id`` was imported before is refused, so a file sent twice adds nothing. ``apply=False`` checks only.

The rows are classified in one batch, their due dates computed once per day of receipt, their repeats found in one
pass over the file and the earlier appeals of its territories and applicants within the repeat window
(:func:`tandau.core.appeals.repeats.link_batch`), and they are written with multi-row inserts (one ``receive``
step each) and one audit entry ``appeal.import`` (the file's name, SHA-256 and counts, never its contents).
Imported appeals have no receipt code: the office that received them answers the applicant.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from tandau.core.appeals import repeats
from tandau.core.appeals.terms import Terms
from tandau.errors import InputError
from tandau.io import appeals_import
from tandau.services.appeals import deadlines
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, is_allowed
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.imports import MAX_BYTES, UploadTooLargeError, clean_name, imported_ids, refuse_problems
from tandau.services.proposals import themes
from tandau.store.appeals_models import Appeal, AppealStep

CHUNK = 5000
# Core tables: a multi-row insert without the ORM's per-row bookkeeping (no primary keys are read back)
APPEALS, STEPS = cast(Table, Appeal.__table__), cast(Table, AppealStep.__table__)
BULK_MAX_BYTES = 64 * 1024 * 1024  # the CLI's limit (50,000 appeals are ~15 MB); the web form keeps MAX_BYTES


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import did (``applied``) or would do."""

    file: str
    sha256: str
    applied: bool
    added: int
    repeats: int = 0


def require_import(actor: Actor) -> None:
    """Refuse who may register appeals nowhere (before the upload is read)."""
    if not allowed_somewhere(actor, Action.APPEAL_INTAKE):
        raise PermissionDeniedError(actor.subject_id, Action.APPEAL_INTAKE.value, None)


def _priors(session: Session, rows: list[appeals_import.AppealRow], hashes: set[str], since: date,
            ) -> list[repeats.Prior]:
    katos = sorted({r.kato for r in rows})
    columns = (Appeal.id, Appeal.kato, Appeal.applicant_hash, Appeal.text, Appeal.received_on)
    found: dict[str, repeats.Prior] = {}
    for key, values in ((Appeal.kato, katos), (Appeal.applicant_hash, sorted(hashes))):
        for start in range(0, len(values), 500):
            for r in session.execute(select(*columns).where(key.in_(values[start:start + 500]),
                                                            Appeal.received_on >= since)):
                found[r.id] = repeats.Prior(r.id, r.kato, r.applicant_hash, r.text, r.received_on)
    return list(found.values())


def upload(session: Session, actor: Actor, name: str | None, data: bytes, *, apply: bool, applicant_key: bytes,
           terms: Terms | None = None, limit: int = MAX_BYTES, now: datetime | None = None, synthetic: bool = False,
           progress: Callable[[str], None] | None = None) -> ImportOutcome:
    """Check (``apply=False``) or import an upload of appeals (see the module's docstring)."""
    require_import(actor)
    file = clean_name(name)
    if len(data) > limit:
        raise UploadTooLargeError(file, limit)
    moment = deadlines.now_utc(now)
    terms = terms or deadlines.terms_from()
    rows, problems = appeals_import.parse(data, file, now=moment)
    allowed: dict[str, bool] = {}
    for row in rows:
        if row.kato not in allowed:
            allowed[row.kato] = is_allowed(actor, Action.APPEAL_INTAKE, row.kato)
        if not allowed[row.kato]:
            problems.append(InputError(f"territory {row.kato} is outside what you may register", file=file,
                                       row=row.row, column="territory"))
    known = imported_ids(session, Appeal.external_id, [r.id for r in rows])
    problems += [InputError(f"id {r.id!r} was imported before", file=file, row=r.row, column="id")
                 for r in rows if r.id in known]
    refuse_problems(problems)
    if not rows:
        raise InputError("the file has no appeal rows", file=file, row=2)
    sha256 = hashlib.sha256(data).hexdigest()
    if not apply:
        return ImportOutcome(file, sha256, False, len(rows))
    records = records_of(session, rows, actor=actor.subject_id, file=file, applicant_key=applicant_key, terms=terms,
                         moment=moment, synthetic=synthetic, progress=progress)
    write(session, records, actor=actor.subject_id, detail=f"import {file}", moment=moment, progress=progress)
    linked = sum(1 for x in records if x["repeat_of"])
    audit.append(session, actor=actor.subject_id, action="appeal.import", target=file, now=moment, details={
        "file": file, "sha256": sha256, "added": len(records), "repeats": linked})
    session.commit()
    return ImportOutcome(file, sha256, True, len(records), linked)


def records_of(session: Session, rows: list[appeals_import.AppealRow], *, actor: str, file: str,
               applicant_key: bytes, terms: Terms, moment: datetime, synthetic: bool = False,
               progress: Callable[[str], None] | None = None) -> list[dict[str, object]]:
    """The table rows of valid import rows: classified in one batch, due dates once per day of receipt, repeats
    linked in one pass (see the module). Nothing is written."""
    if progress:
        progress("classifying")
    predicted = themes.classify([r.text for r in rows])
    dues: dict[date, date] = {}
    records: list[dict[str, object]] = []
    for r, (theme, confidence) in zip(rows, predicted, strict=True):
        received = deadlines.local_date(r.received_at)
        if received not in dues:
            dues[received] = deadlines.working_days_after(received, terms.answer_days).day
        records.append({
            "id": "a-" + secrets.token_hex(5), "external_id": r.id, "receipt_hash": None, "channel": r.channel,
            "received_at": r.received_at.astimezone(moment.tzinfo), "received_on": received, "kato": r.kato,
            "theme": theme, "confidence": confidence, "lang": r.lang or themes.detect_language(r.text),
            "text": r.text, "applicant_name": r.name or None, "applicant_contact": r.contact or None,
            "applicant_hash": deadlines.applicant_hash(applicant_key, r.name, r.contact), "route_kind": None,
            "route_to": None, "handler": None, "status": "received", "due_on": dues[received],
            "extension_reason": None, "outcome": None, "outcome_reason": None, "answered_on": None,
            "satisfaction": None, "repeat_of": None, "escalated": False, "closed_at": None, "purged_at": None,
            "synthetic": synthetic, "updated_at": moment})
    if progress:
        progress("finding repeats")
    since = min(dues) - timedelta(days=terms.repeat_window_days)
    hashes = {str(x["applicant_hash"]) for x in records if x["applicant_hash"]}
    items = _priors(session, rows, hashes, since) + [
        repeats.Prior(str(x["id"]), str(x["kato"]), str(x["applicant_hash"]) if x["applicant_hash"] else None,
                      str(x["text"]), x["received_on"]) for x in records]  # type: ignore[arg-type]
    matches = repeats.link_batch(items, window=terms.repeat_window_days)
    for x in records:
        match = matches.get(str(x["id"]))
        if match is not None:
            x["repeat_of"] = match.of
    return records


def write(session: Session, records: list[dict[str, object]], *, actor: str, detail: str, moment: datetime,
          progress: Callable[[str], None] | None = None) -> None:
    """Insert the rows with multi-row inserts, one ``receive`` step each (in the caller's transaction)."""
    if progress:
        progress("writing")
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        session.execute(insert(APPEALS), chunk)
        session.execute(insert(STEPS), [
            {"appeal_id": x["id"], "step": "receive", "detail": f"{detail}; due {x['due_on']}"[:200],
             "note": "", "at": x["received_at"], "actor": actor} for x in chunk])
