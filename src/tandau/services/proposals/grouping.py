"""Near-duplicate groups of the stored proposals (:mod:`tandau.core.proposal_groups`), computed again after an
import, in the demo and by ``tandau intake group``; a proposal sent through the form joins its nearest
neighbour's group at once (:func:`tandau.services.proposals.intake.duplicate_group`).

Hidden proposals take part in no group. A group is named after its oldest member (by submission, then id).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandau.core import proposal_groups
from tandau.store.proposals_models import Proposal


def regroup(session: Session, katos: Iterable[str] | None = None) -> int:
    """Recompute the groups (of the proposals of ``katos`` only, when given) in the caller's transaction; how many
    proposals changed group."""
    query = select(Proposal.id, Proposal.kato, Proposal.text, Proposal.status, Proposal.duplicate_group,
                   Proposal.submitted_at)
    rows = []
    if katos is None:
        rows = list(session.execute(query))
    else:
        wanted = sorted(set(katos))
        for start in range(0, len(wanted), 500):
            rows += list(session.execute(query.where(Proposal.kato.in_(wanted[start:start + 500]))))
    rows.sort(key=lambda r: (r.submitted_at, r.id))
    items = [proposal_groups.Item(r.id, r.kato, r.text) for r in rows if r.status != "hidden"]
    groups = proposal_groups.group(items)
    changes = [{"id": r.id, "duplicate_group": groups.get(r.id)} for r in rows if groups.get(r.id) != r.duplicate_group]
    if changes:
        session.execute(update(Proposal), changes)
    return len(changes)
