"""The deputies responsible for a programme's commitments (issue 14, item 2: a deputy's page lists "the programme
commitments and control cases they own"; item 4: their scorecard counts "commitments delivered on time").

A commitment names its deputies by id (``deputies``: ``M-75-L03``), set in the editor, the JSON API or the
``deputies`` column of PROGRAMME.csv. Who may be named: an **active** deputy of the programme's council's faction
(the party's mandates of that council, :class:`~tandau.store.deputies_models.DeputyRow`); a wing's programme has no
faction. A deputy already named on the same commitment in the current version stays valid after their mandate
ends (the record keeps who answered for it), but is never newly named. Checked in one place for every way in
(:func:`check`, called by the workflow on every saved version); a file is checked row by row against
:func:`faction` first, so its errors name the row and the column. After the election the faction shares out the
commitments of a programme already approved or published: the workflow's ``assign_deputies`` changes only a
commitment's deputies, as a new version in any status (:func:`may_assign`: who may edit the programme).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries.access import Action, Actor, is_allowed
from tandau.store.deputies_models import DeputyRow
from tandau.store.programme_models import ProgrammeRow


def faction(session: Session, kind: str, owner: str) -> frozenset[str]:
    """The ids of the active deputies of a programme's council (a wing's programme: none)."""
    if kind != "council":
        return frozenset()
    return frozenset(session.scalars(select(DeputyRow.id).where(DeputyRow.council_id == owner,
                                                                DeputyRow.status == "active")))


def may_assign(actor: Actor | None, row: ProgrammeRow) -> bool:
    """Whether ``actor`` may name the deputies of a council programme's commitments (in any status:
    :func:`tandau.services.programmes.workflow.assign_deputies`)."""
    scope = None if row.kato == "KZ" else row.kato
    return actor is not None and row.kind == "council" and is_allowed(actor, Action.PROGRAMME_EDIT, scope)


def check(session: Session, kind: str, owner: str, records: Sequence[Mapping[str, Any]],
          previous: Sequence[Mapping[str, Any]] = ()) -> None:
    """Refuse a record naming a deputy who is not an active deputy of the council's faction (unless the same
    commitment already named them in ``previous``, the current version)."""
    named = [(str(r["commitment"]), [str(d) for d in r.get("deputies") or ()]) for r in records]
    if not any(ids for _, ids in named):
        return
    active = faction(session, kind, owner)
    kept = {str(r["commitment"]): set(r.get("deputies") or ()) for r in previous}
    for cid, ids in named:
        for ident in ids:
            if ident not in active and ident not in kept.get(cid, set()):
                known = ", ".join(sorted(active)[:6]) or "none are recorded"
                raise InputError(f"commitment {cid}: unknown deputy {ident!r}: not an active deputy of the faction "
                                 f"of {owner} (its deputies: {known}{', ...' if len(active) > 6 else ''})",
                                 parameter="deputies")
