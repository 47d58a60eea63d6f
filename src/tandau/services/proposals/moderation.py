"""Moderation and linking of proposals: hide (with a reason), restore, merge into another, change the theme; link
to programme commitments (answered) or mark as not taken up (with the reason).

Who (:data:`~tandau.services.primaries.access.POLICY`): moderation (``PROPOSAL_MODERATE``) is the moderators' of the
proposal's territory and the central office's; linking (``PROPOSAL_LINK``) the secretaries' of the territory and
the central office's. Every act is a row of ``proposal_actions`` and an entry of the hash-chained audit log
(``proposal.hide``, ``proposal.restore``, ``proposal.merge``, ``proposal.theme``, ``proposal.answer``,
``proposal.not_taken``), the free text of a note by its SHA-256 only.

Statuses: ``new`` → ``hidden`` (abuse, personal data, spam, off topic; hidden from every public page, and the
proposer reads the reason with the receipt), ``merged`` (into another proposal: the public page says "merged with
p-…"), ``answered`` (by one or more commitment ids), ``not_taken`` (with the reason). A hidden proposal is
restored to ``new`` before anything else is done with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries import audit
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.programmes import references
from tandau.services.proposals import rules, themes
from tandau.store.proposals_models import Proposal, ProposalAction, ProposalLink

OPERATIONS = ("hide", "restore", "merge", "theme")
LINK_STATUSES = ("answered", "not_taken")


def get(session: Session, proposal_id: str) -> Proposal:
    """The proposal ``proposal_id`` (:class:`NotFoundError` if none)."""
    found = session.get(Proposal, proposal_id)
    if found is None:
        raise NotFoundError("proposal", proposal_id)
    return found


def visible(session: Session, actor: Actor, proposal_id: str) -> Proposal:
    """The proposal, if ``actor`` may read the proposals of its territory."""
    proposal = get(session, proposal_id)
    require(actor, Action.PROPOSAL_VIEW, proposal.kato)
    return proposal


def may_see_contact(actor: Actor | None, kato: str) -> bool:
    """Contacts are shown to who may moderate the territory's proposals (moderators, the central office)."""
    return actor is not None and is_allowed(actor, Action.PROPOSAL_MODERATE, kato)


def _record(session: Session, actor: Actor, proposal: Proposal, action: str, detail: str, note: str,
            moment: datetime, extra: dict[str, object]) -> None:
    session.add(ProposalAction(proposal_id=proposal.id, action=action, detail=detail[:200], note=note, at=moment,
                               actor=actor.subject_id))
    proposal.updated_at = moment
    audit.append(session, actor=actor.subject_id, action=f"proposal.{action}", target=proposal.id, now=moment,
                 details={"kato": proposal.kato, "status": proposal.status, **extra,
                          "note_sha256": hashlib.sha256(note.encode("utf-8")).hexdigest()})


def _note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > rules.MAX_REASON:
        raise InputError(f"a note has at most {rules.MAX_REASON} characters", parameter="note")
    return text


def moderate(session: Session, actor: Actor, proposal_id: str, op: str, *, reason: str | None = None,
             into: str | None = None, theme: str | None = None, note: str | None = None,
             now: datetime | None = None) -> Proposal:
    """One act of moderation (``hide`` with ``reason``, ``restore``, ``merge`` ``into`` another proposal,
    ``theme``), audited, committed."""
    proposal = visible(session, actor, proposal_id)
    require(actor, Action.PROPOSAL_MODERATE, proposal.kato)
    rules.check_choice(op, OPERATIONS, "op")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    text = _note(note)
    if op != "restore" and proposal.status == "hidden" and op != "theme":
        raise StateError(f"proposal {proposal.id} is hidden: restore it first")
    if op == "hide":
        why = rules.check_choice(reason, rules.HIDE_REASONS, "reason")
        proposal.status, proposal.hidden_reason = "hidden", why
        _record(session, actor, proposal, "hide", why, text, moment, {"reason": why})
    elif op == "restore":
        if proposal.status != "hidden":
            raise StateError(f"proposal {proposal.id} is {proposal.status}, not hidden: nothing to restore")
        proposal.status, proposal.hidden_reason = "new", None
        _record(session, actor, proposal, "restore", "", text, moment, {})
    elif op == "merge":
        target = _merge_target(session, actor, proposal, (into or "").strip())
        proposal.status, proposal.merged_into = "merged", target.id
        _record(session, actor, proposal, "merge", target.id, text, moment, {"into": target.id})
    else:
        code = rules.check_choice((theme or "").strip(), themes.theme_codes(), "theme")
        before = proposal.theme
        proposal.theme, proposal.confidence, proposal.theme_by_person = code, None, True
        _record(session, actor, proposal, "theme", code, text, moment, {"from": before, "to": code})
    session.commit()
    return proposal


def _merge_target(session: Session, actor: Actor, proposal: Proposal, into: str) -> Proposal:
    if not into:
        raise InputError("name the proposal to merge into", parameter="into")
    if into == proposal.id:
        raise InputError("a proposal cannot be merged into itself", parameter="into")
    target = session.get(Proposal, into)
    if target is None or not is_allowed(actor, Action.PROPOSAL_VIEW, target.kato):
        raise InputError(f"no proposal {into!r} that you may read", parameter="into")
    if target.status in ("hidden", "merged"):
        raise StateError(f"proposal {target.id} is {target.status}: merge into the proposal it stands for")
    return target


def link(session: Session, actor: Actor, proposal_id: str, status: str, *, commitments: Sequence[str] = (),
         reason: str | None = None, now: datetime | None = None) -> Proposal:
    """Answer a proposal by programme commitments (``answered``; each named ``PROGRAMME/COMMITMENT`` and found in
    that programme's current version (:mod:`tandau.services.programmes.references`); they replace any earlier
    ones) or mark it not taken up with the reason (``not_taken``); audited, committed."""
    proposal = visible(session, actor, proposal_id)
    require(actor, Action.PROPOSAL_LINK, proposal.kato)
    rules.check_choice(status, LINK_STATUSES, "status")
    if proposal.status in ("hidden", "merged"):
        raise StateError(f"proposal {proposal.id} is {proposal.status}: it is answered through "
                         + ("the moderation first" if proposal.status == "hidden" else f"{proposal.merged_into}"))
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    session.execute(delete(ProposalLink).where(ProposalLink.proposal_id == proposal.id))
    if status == "answered":
        ids = list(dict.fromkeys(c.strip() for c in commitments if c.strip()))
        if not ids:
            raise InputError("name at least one commitment id", parameter="commitments")
        if any(len(c) > rules.MAX_COMMITMENT for c in ids):
            raise InputError(f"a commitment id has at most {rules.MAX_COMMITMENT} characters",
                             parameter="commitments")
        ids = [r.ref for r in references.resolve(session, ids)]  # PROGRAMME/COMMITMENT, each must exist
        for commitment in ids:
            session.add(ProposalLink(proposal_id=proposal.id, commitment_id=commitment, linked_at=moment,
                                     linked_by=actor.subject_id))
        proposal.status, proposal.not_taken_reason = "answered", None
        _record(session, actor, proposal, "answer", ", ".join(ids), "", moment, {"commitments": ids})
    else:
        why = _note(reason)
        if not why:
            raise InputError("say why the proposal is not taken up", parameter="reason")
        proposal.status, proposal.not_taken_reason = "not_taken", why
        _record(session, actor, proposal, "not_taken", "", why, moment, {})
    session.commit()
    return proposal


def commitments_of(session: Session, ids: Sequence[str]) -> dict[str, list[str]]:
    """Proposal id -> its commitment ids (in the order linked)."""
    found: dict[str, list[str]] = {}
    if not ids:
        return found
    for chunk in range(0, len(ids), 500):
        rows = session.execute(select(ProposalLink.proposal_id, ProposalLink.commitment_id)
                               .where(ProposalLink.proposal_id.in_(ids[chunk:chunk + 500]))
                               .order_by(ProposalLink.id)).all()
        for pid, cid in rows:
            found.setdefault(pid, []).append(cid)
    return found


def history(session: Session, actor: Actor, proposal_id: str) -> list[ProposalAction]:
    """Every act on a proposal, oldest first, for who may read it."""
    visible(session, actor, proposal_id)
    return list(session.scalars(select(ProposalAction).where(ProposalAction.proposal_id == proposal_id)
                                .order_by(ProposalAction.id)))
