"""Import of proposals collected offline (office, forum, phone, paper): a CSV or XLSX upload, all or nothing.

Who (``PROPOSAL_IMPORT``): the central office anywhere, secretaries and moderators for rows of their territory
(a row outside it is a problem of its ``territory`` column). The file is read as a whole (:mod:`tandau.io.
proposals_import`); every problem is listed with its row and column and nothing is written while there is one
(:class:`~tandau.services.primaries.errors.ImportRejectedError`, at most 1,000 listed). A row whose ``id`` was
imported before is refused too, so a file sent twice adds nothing. A dry run (``apply=False``) checks and counts.

Imported proposals have no receipt code and no contact (the file does not carry them); rows without a theme are
classified (:mod:`.themes`), their territories' near-duplicate groups computed again, and one audit entry
``proposal.import`` records the file's name, SHA-256 and counts, never its contents.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.io import proposals_import
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, allowed_somewhere, is_allowed
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.imports import MAX_BYTES, UploadTooLargeError, clean_name, imported_ids, refuse_problems
from tandau.services.proposals import grouping, themes
from tandau.store.proposals_models import Proposal


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import did (``applied``) or would do."""

    file: str
    sha256: str
    applied: bool
    added: int
    classified: int
    regrouped: int = 0


def require_import(actor: Actor) -> None:
    """Refuse who may import proposals nowhere (before the upload is read)."""
    if not allowed_somewhere(actor, Action.PROPOSAL_IMPORT):
        raise PermissionDeniedError(actor.subject_id, Action.PROPOSAL_IMPORT.value, None)


def upload(session: Session, actor: Actor, name: str | None, data: bytes, *, apply: bool,
           limit: int = MAX_BYTES, now: datetime | None = None, synthetic: bool = False) -> ImportOutcome:
    """Check (``apply=False``) or import an upload of proposals (see the module's docstring)."""
    require_import(actor)
    file = clean_name(name)
    if len(data) > limit:
        raise UploadTooLargeError(file, limit)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    rows, problems = proposals_import.parse(data, file, themes.theme_codes(), now=moment)
    for row in rows:
        if not is_allowed(actor, Action.PROPOSAL_IMPORT, row.kato):
            problems.append(InputError(f"territory {row.kato} is outside what you may import", file=file,
                                       row=row.row, column="territory", code="proposal_outside",
                                       params={"value": row.kato}))
    known = imported_ids(session, Proposal.external_id, [r.id for r in rows])
    problems += [InputError(f"id {r.id!r} was imported before", file=file, row=r.row, column="id",
                            code="proposal_id_imported", params={"value": r.id}) for r in rows if r.id in known]
    refuse_problems(problems)
    if not rows:
        raise InputError("the file has no proposal rows", file=file, row=2)
    sha256 = hashlib.sha256(data).hexdigest()
    missing = [r for r in rows if r.theme is None]
    if not apply:
        return ImportOutcome(file, sha256, False, len(rows), len(missing))
    predicted = dict(zip((r.id for r in missing), themes.classify([r.text for r in missing]), strict=True))
    for r in rows:
        theme, confidence = (r.theme, None) if r.theme is not None else predicted[r.id]
        session.add(Proposal(id="p-" + secrets.token_hex(5), external_id=r.id, receipt_hash=None, text=r.text,
                             kato=r.kato, age_group=r.age_group, channel=r.channel,
                             lang=r.lang or themes.detect_language(r.text), theme=theme, confidence=confidence,
                             theme_by_person=r.theme is not None, contact=None, status="new", synthetic=synthetic,
                             submitted_at=r.submitted_at, updated_at=moment))
    session.flush()
    regrouped = grouping.regroup(session, {r.kato for r in rows})
    audit.append(session, actor=actor.subject_id, action="proposal.import", target=file, now=moment, details={
        "file": file, "sha256": sha256, "added": len(rows), "classified": len(missing)})
    session.commit()
    return ImportOutcome(file, sha256, True, len(rows), len(missing), regrouped)
