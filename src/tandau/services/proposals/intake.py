"""Public intake of proposals: the form at ``/proposals/new`` and ``POST /api/v1/proposals`` (no account).

What is stored is what the form asks for and nothing else: the text (10-2,000 characters), the territory (a
region, city or district of the territory by its KATO code), the age group, the language (detected when not
given), the optional contact (for answering only; shown to moderators and the central office alone), the channel
(``web``) and the moment; plus what the server derives: the theme and its confidence, the near-duplicate group,
and the keyed hash of the receipt code (:mod:`.receipts`). No address, no browser, no cookie is kept with the
proposal; the per-address counter holds only a keyed hash of the address, for an hour.

A filled-in honeypot field (hidden from people, filled in by form robots) refuses the submission, and so does the
limit of proposals per address and hour (:class:`~.receipts.TooManyProposalsError`, 429).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core import proposal_groups
from tandau.errors import InputError
from tandau.services.proposals import receipts, rules, themes
from tandau.store.proposals_models import Proposal

NEIGHBOURS = 5000  # the latest proposals of a territory a new one is compared with


@dataclass(frozen=True, slots=True)
class Submission:
    """What the public form (or the API) sends."""

    text: str
    territory: str
    age_group: str
    lang: str = ""
    contact: str = ""
    honeypot: str = ""


def new_id() -> str:
    """A proposal's id: public, random, short (``p-`` and 10 hex digits)."""
    return "p-" + secrets.token_hex(5)


def check_text(text: str | None, parameter: str = "text") -> str:
    """The proposal's text stripped, if it has 10 to 2,000 characters."""
    value = (text or "").strip()
    if len(value) < rules.MIN_TEXT:
        raise InputError(f"a proposal needs at least {rules.MIN_TEXT} characters", parameter=parameter)
    if len(value) > rules.MAX_TEXT:
        raise InputError(f"a proposal has at most {rules.MAX_TEXT} characters", parameter=parameter)
    return value


def check_lang(lang: str | None, text: str) -> str:
    """The language given (kk or ru), else the one detected in ``text``."""
    value = (lang or "").strip()
    if not value:
        return themes.detect_language(text)
    return rules.check_choice(value, ("kk", "ru"), "lang")


def duplicate_group(session: Session, kato: str, text: str) -> str | None:
    """The near-duplicate group a new proposal of ``kato`` joins (its nearest visible neighbour's group, or that
    neighbour itself as the group's first member); None when it has no near-duplicate."""
    rows = session.execute(select(Proposal.id, Proposal.text, Proposal.duplicate_group)
                           .where(Proposal.kato == kato, Proposal.status != "hidden")
                           .order_by(Proposal.submitted_at.desc()).limit(NEIGHBOURS)).all()
    found = proposal_groups.nearest(text, ((r.id, r.text) for r in rows))
    if found is None:
        return None
    neighbour = next(r for r in rows if r.id == found[0])
    if neighbour.duplicate_group is None:
        session.get_one(Proposal, neighbour.id).duplicate_group = neighbour.id
        return str(neighbour.id)
    return str(neighbour.duplicate_group)


def submit(session: Session, form: Submission, *, key: bytes, address: str,
           per_hour: int = receipts.DEFAULT_PER_HOUR, now: datetime | None = None) -> tuple[Proposal, str]:
    """Store a proposal from the public and commit; the proposal and its receipt code (shown once)."""
    if form.honeypot.strip():
        raise InputError("this form was filled in by a program, not a person; nothing was stored",
                         parameter="website")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    text = check_text(form.text)
    kato = rules.check_territory(form.territory)
    age = rules.check_choice(form.age_group, rules.AGE_GROUPS, "age_group")
    contact = form.contact.strip()
    if len(contact) > rules.MAX_CONTACT:
        raise InputError(f"a contact has at most {rules.MAX_CONTACT} characters", parameter="contact")
    lang = check_lang(form.lang, text)
    receipts.check_rate(session, key, address, per_hour, moment)
    session.rollback()
    theme, confidence = themes.classify([text])[0]
    code = receipts.new_code()
    proposal = Proposal(id=new_id(), receipt_hash=receipts.code_hash(key, code), text=text, kato=kato,
                        age_group=age, channel="web", lang=lang, theme=theme, confidence=confidence,
                        theme_by_person=False, contact=contact or None, status="new", synthetic=False,
                        submitted_at=moment, updated_at=moment)
    proposal.duplicate_group = duplicate_group(session, kato, text)
    receipts.count_one(session, key, address, per_hour, moment)
    session.add(proposal)
    session.commit()
    return proposal, code


def by_receipt(session: Session, key: bytes, code: str) -> Proposal:
    """The proposal of a receipt code (:class:`NotFoundError` for an unknown or malformed code)."""
    return receipts.find(session, Proposal, Proposal.receipt_hash, key, code, "proposal with receipt")
