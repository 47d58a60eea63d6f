"""Drafting a programme from the development programme stored in the database (issue 13, item 3): the drafting
core (:func:`tandau.core.programmes.drafting.draft`, the one source of its rules) fed with the territory's current
development values (:mod:`.development`) and the themes of the voters' proposals stored for the territory and its
children (hidden ones not counted).

For the editor, :func:`draft_for_programme` proposes commitments for a programme in ``draft`` or ``returned``: each
proposal is a complete record (baseline and target pre-filled, deadline within the council's term) with its
explanation, and, when the programme already has a commitment on the same development indicator, that commitment's
id. Nothing is written here: the person edits a proposal and adds it (a new version, audited, by
:func:`~tandau.services.programmes.workflow.put_commitment`); a proposal that would replace an existing commitment
replaces it only when the person confirms it (the form's ``replaces``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.core.programmes import Term
from tandau.core.programmes.drafting import DraftProgramme, Note, draft, theme_counts
from tandau.errors import InputError
from tandau.services.primaries.access import Actor
from tandau.services.primaries.errors import StateError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.programmes import workflow
from tandau.services.programmes.development import current_set
from tandau.services.programmes.records import NATIONAL, record_of
from tandau.store.proposals_models import Proposal


def proposal_counts(session: Session, territory: str) -> dict[str, int]:
    """How many of the stored proposals of ``territory`` (itself and its children) ask for each theme; hidden
    proposals (abuse, personal data) are not counted."""
    rows = session.execute(select(Proposal.kato, Proposal.theme).where(
        Proposal.kato.startswith(kato_prefix(territory)), Proposal.status != "hidden",
        Proposal.theme.is_not(None)))
    return theme_counts(((k, str(t)) for k, t in rows), territory)


def draft_stored(session: Session, territory: str, term: Term,
                 counts: Mapping[str, int] | None = None) -> DraftProgramme:
    """The draft for the council of ``territory`` from its stored development programme; ``counts`` (the
    proposals' themes) default to the stored proposals'. No development programme stored: refused."""
    data = current_set(session, [territory])
    if not data.indicators:
        raise StateError(f"no development programme is stored for territory {territory}: import its DEVELOPMENT.csv "
                         "first (tandau programmes development import)")
    return draft(territory, term, data, proposal_counts(session, territory) if counts is None else counts)


@dataclass(frozen=True, slots=True)
class Proposed:
    """A proposed commitment for the editor: its record, why (:class:`Note`), and the id of the programme's
    commitment on the same development indicator, if any (replaced only when the person confirms)."""

    record: dict[str, Any]
    explanation: Note
    conflict: str | None


@dataclass(frozen=True, slots=True)
class ProgrammeDraft:
    """What the editor proposes: sections in the order of the proposals' counts, skipped series with why."""

    draft: DraftProgramme
    sections: tuple[tuple[str, int, Note | None, tuple[Proposed, ...]], ...]

    @property
    def proposed(self) -> tuple[Proposed, ...]:
        return tuple(p for s in self.sections for p in s[3])


def draft_for_programme(session: Session, actor: Actor, programme_id: str) -> ProgrammeDraft:
    """Proposals for the programme ``programme_id`` from its council's territory (see the module's docstring):
    only for who may edit it, while it is editable, for a council's programme whose cycle has an election date."""
    row = workflow.get(session, programme_id)
    workflow.require_edit(actor, row.kato)
    if row.status not in workflow.EDITABLE:
        raise StateError(f"programme {row.id} is {row.status}: commitments are drafted only in draft or returned")
    if row.kind != "council" or row.kato == NATIONAL:
        raise InputError("a national programme (the Majilis, a wing) has no territorial development programme: "
                         "write its commitments yourself", parameter="programme")
    term = workflow.term_of(session, row.cycle_id)
    if term is None:
        raise StateError(f"cycle {row.cycle_id} has no election date: the council's term is unknown")
    result = draft_stored(session, row.kato, term)
    existing = workflow.records_of(workflow.current(session, row))
    taken = {str(r["commitment"]) for r in existing}
    by_indicator = {str(r.get("development_indicator") or ""): str(r["commitment"]) for r in existing}
    sections = []
    for s in result.sections:
        items = []
        for d in s.commitments:
            record = record_of(d.commitment)
            conflict = by_indicator.get(d.commitment.development_indicator)
            cid = conflict or str(record["commitment"])
            n = len(taken)
            while conflict is None and cid in taken:  # another commitment holds the draft's id: a free number
                n += 1
                cid = f"{d.commitment.commitment.rsplit('-', 1)[0]}-{n:02d}"
            taken.add(cid)
            record["commitment"] = cid
            items.append(Proposed(record, d.explanation, conflict))
        sections.append((s.section, s.proposals, s.note, tuple(items)))
    return ProgrammeDraft(result, tuple(sections))
