"""References to programme commitments from other modules: ``PROGRAMME_ID/COMMITMENT`` (``M-5910-2023/K-03``).

A citizen's proposal is answered by commitments (issue 13, item 6: "you proposed, the programme answers"); the
reference names the programme, so a commitment id, unique only within its programme, is never ambiguous. A
reference is resolved against the programme's current version: an unknown programme or commitment is refused
with what would be valid, so a proposal never points at nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.programmes.workflow import current, records_of
from tandau.store.programme_models import ProgrammeRow


@dataclass(frozen=True, slots=True)
class CommitmentRef:
    """A resolved reference: the programme, the commitment's record in its current version, and whether the
    programme is published (its public page exists)."""

    ref: str
    programme_id: str
    commitment: str
    record: Mapping[str, Any]
    published: bool


def split(ref: str, parameter: str = "commitments") -> tuple[str, str]:
    """``PROGRAMME_ID/COMMITMENT`` → its two parts (refused when either is missing)."""
    programme, sep, commitment = ref.strip().partition("/")
    if not sep or not programme.strip() or not commitment.strip():
        raise InputError(f"a commitment is named PROGRAMME/COMMITMENT (e.g. M-5910-2023/K-03), got {ref!r}",
                         parameter=parameter)
    return programme.strip(), commitment.strip()


def resolve(session: Session, refs: Iterable[str], parameter: str = "commitments") -> tuple[CommitmentRef, ...]:
    """Every reference resolved against the programmes' current versions, in order (see the module)."""
    out: list[CommitmentRef] = []
    for ref in refs:
        programme_id, commitment = split(ref, parameter)
        row = session.get(ProgrammeRow, programme_id)
        if row is None or row.version == 0:
            raise InputError(f"no programme {programme_id!r} with commitments (in {ref!r})", parameter=parameter)
        records = {str(r.get("commitment")): r for r in records_of(current(session, row))}
        if commitment not in records:
            listed = ", ".join(sorted(records)[:8])
            raise InputError(f"programme {programme_id} has no commitment {commitment!r} (it has {listed}"
                             f"{', ...' if len(records) > 8 else ''})", parameter=parameter)
        out.append(CommitmentRef(f"{programme_id}/{commitment}", programme_id, commitment, records[commitment],
                                 row.status == "published"))
    return tuple(out)


def commitments_for(session: Session, territory: str, *, limit: int = 50) -> list[str]:
    """References of the commitments of the programmes whose territory covers ``territory`` (a 9-digit KATO
    code): its own council's, its district's or city's, its region's; the most local first, current versions, at
    most ``limit`` (the choices offered when answering a proposal)."""
    covering = [territory[:n].ljust(9, "0") for n in (6, 4, 2)]
    rows = {row.kato: row for row in session.scalars(select(ProgrammeRow).where(ProgrammeRow.kato.in_(covering),
                                                                                ProgrammeRow.version > 0))}
    out: list[str] = []
    for kato in dict.fromkeys(covering):
        row = rows.get(kato)
        if row is not None:
            out += [f"{row.id}/{r.get('commitment')}" for r in records_of(current(session, row))]
    return out[:limit]


def answered_proposals(session: Session, programme_id: str) -> dict[str, list[str]]:
    """The citizens' proposals each commitment of a programme answers (commitment id → proposal ids), from the
    proposals' links: one source of truth for "you proposed, the programme answers"."""
    from tandau.store.proposals_models import ProposalLink

    out: dict[str, list[str]] = {}
    prefix = f"{programme_id}/"
    query = select(ProposalLink.commitment_id, ProposalLink.proposal_id).where(
        ProposalLink.commitment_id.startswith(prefix, autoescape=True)).order_by(ProposalLink.proposal_id)
    for ref, proposal in session.execute(query):
        out.setdefault(ref[len(prefix):], []).append(proposal)
    return out
