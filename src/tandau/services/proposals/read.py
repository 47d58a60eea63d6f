"""Reading proposals: the staff list (scoped), the dashboard (territory × theme × age group, under-35 share), the
public view of one proposal (by its receipt) and the public page of a territory.

Staff read the proposals of the territories where :data:`~tandau.services.primaries.access.POLICY` lets them
(``PROPOSAL_VIEW``: secretaries and moderators their territory, the central office and observers everywhere);
the contact is in a staff row only for who may moderate it (:func:`.moderation.may_see_contact`). The public
views carry no contact, no age group and nothing of a hidden proposal but its status and reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.primaries.access import Action, Actor, territories
from tandau.services.primaries.errors import PermissionDeniedError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.proposals import rules
from tandau.services.proposals.moderation import commitments_of, may_see_contact
from tandau.store.proposals_models import Proposal

PAGE = 50
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class StaffRow:
    """A proposal as staff see it (``contact`` only for who may moderate it, else None)."""

    proposal: Proposal
    contact: str | None
    commitments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PublicProposal:
    """A proposal as anyone sees it: no contact, no age group; a hidden one without its text."""

    id: str
    kato: str
    text: str | None
    lang: str
    theme: str | None
    status: str
    hidden_reason: str | None
    merged_into: str | None
    commitments: tuple[str, ...]
    not_taken_reason: str | None
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: its rows, the total and where it starts."""

    rows: tuple[PublicProposal, ...] | tuple[StaffRow, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Counts of the visible (not hidden) proposals the reader may see."""

    total: int
    under_35: int
    under_29: int
    by_region: dict[str, Counter[str]] = field(default_factory=dict)  # region KATO -> age group -> count
    by_theme: dict[str, Counter[str]] = field(default_factory=dict)  # theme ('' none) -> age group -> count
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (region, theme) -> count
    by_status: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    groups: int = 0  # near-duplicate groups

    @staticmethod
    def share(counts: Counter[str], ages: frozenset[str] = rules.UNDER_35) -> float:
        """The share of ``ages`` in ``counts`` (0 when empty)."""
        total = sum(counts.values())
        return sum(counts[a] for a in ages) / total if total else 0.0


def _scope(actor: Actor) -> ColumnElement[bool] | None:
    """The SQL condition of the proposals ``actor`` may read (None: all); refused for who may read none."""
    scopes = territories(actor, Action.PROPOSAL_VIEW)
    if not scopes:
        raise PermissionDeniedError(actor.subject_id, Action.PROPOSAL_VIEW.value, None)
    if None in scopes:
        return None
    return or_(false(), *(Proposal.kato.startswith(kato_prefix(s)) for s in scopes if s is not None))


def _filters(territory: str | None, status: str | None, theme: str | None, age_group: str | None,
             group: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if territory:
        where.append(Proposal.kato.startswith(kato_prefix(rules.check_territory(territory))))
    if status:
        where.append(Proposal.status == rules.check_choice(status, rules.STATUSES, "status"))
    if theme:
        where.append(Proposal.theme.is_(None) if theme == "none" else Proposal.theme == theme)
    if age_group:
        where.append(Proposal.age_group == rules.check_choice(age_group, rules.AGE_GROUPS, "age_group"))
    if group:
        where.append(Proposal.duplicate_group == group)
    return where


def _window(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InputError(f"offset is 0 or more and limit 1 to {MAX_PAGE}", parameter="limit")
    return offset, limit


def list_proposals(session: Session, actor: Actor, *, territory: str | None = None, status: str | None = None,
                   theme: str | None = None, age_group: str | None = None, group: str | None = None,
                   offset: int = 0, limit: int = PAGE) -> Page:
    """The proposals ``actor`` may read, newest first, filtered."""
    offset, limit = _window(offset, limit)
    where = _filters(territory, status, theme, age_group, group)
    scope = _scope(actor)
    if scope is not None:
        where.append(scope)
    total = session.scalar(select(func.count()).select_from(Proposal).where(*where)) or 0
    found = list(session.scalars(select(Proposal).where(*where).order_by(Proposal.submitted_at.desc(), Proposal.id)
                                 .offset(offset).limit(limit)))
    links = commitments_of(session, [p.id for p in found])
    rows = tuple(StaffRow(p, p.contact if may_see_contact(actor, p.kato) else None, tuple(links.get(p.id, ())))
                 for p in found)
    return Page(rows, total, offset, limit)


def dashboard(session: Session, actor: Actor, *, territory: str | None = None) -> Dashboard:
    """Counts by region, theme and age group of the visible proposals ``actor`` may read (hidden ones left out
    of everything but ``by_status``)."""
    where = _filters(territory, None, None, None, None)
    scope = _scope(actor)
    if scope is not None:
        where.append(scope)
    region = func.substr(Proposal.kato, 1, 2)
    rows = session.execute(select(region, Proposal.theme, Proposal.age_group, Proposal.status, Proposal.channel,
                                  func.count()).where(*where)
                           .group_by(region, Proposal.theme, Proposal.age_group, Proposal.status,
                                     Proposal.channel)).all()
    by_region: dict[str, Counter[str]] = {}
    by_theme: dict[str, Counter[str]] = {}
    cells: Counter[tuple[str, str]] = Counter()
    by_status: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for prefix, theme, age, status, channel, count in rows:
        by_status[status] += count
        if status == "hidden":
            continue
        code = str(prefix) + "0000000"
        by_region.setdefault(code, Counter())[age] += count
        by_theme.setdefault(theme or "", Counter())[age] += count
        cells[(code, theme or "")] += count
        by_channel[channel] += count
    total = sum(by_channel.values())
    ages: Counter[str] = Counter()
    for counts in by_region.values():
        ages.update(counts)
    groups = session.scalar(select(func.count(func.distinct(Proposal.duplicate_group)))
                            .where(*where, Proposal.status != "hidden", Proposal.duplicate_group.is_not(None))) or 0
    return Dashboard(total, sum(ages[a] for a in rules.UNDER_35), sum(ages[a] for a in rules.UNDER_29),
                     dict(sorted(by_region.items())), dict(sorted(by_theme.items())), dict(cells), by_status,
                     by_channel, groups)


def public_view(session: Session, proposal: Proposal, links: tuple[str, ...] | None = None) -> PublicProposal:
    """What anyone may read of ``proposal``."""
    if links is None:
        links = tuple(commitments_of(session, [proposal.id]).get(proposal.id, ()))
    hidden = proposal.status == "hidden"
    return PublicProposal(proposal.id, proposal.kato, None if hidden else proposal.text, proposal.lang,
                          None if hidden else proposal.theme, proposal.status, proposal.hidden_reason,
                          proposal.merged_into, links, proposal.not_taken_reason, proposal.submitted_at)


def territory_page(session: Session, kato: str, *, status: str | None = None, offset: int = 0,
                   limit: int = PAGE) -> Page:
    """The public page of a territory: its proposals and those of every unit inside it, hidden ones left out,
    newest first."""
    code = rules.check_territory(kato, parameter="kato")
    offset, limit = _window(offset, limit)
    where = [Proposal.kato.startswith(kato_prefix(code)), Proposal.status != "hidden"]
    if status:
        if status == "hidden":
            raise InputError("hidden proposals are not public", parameter="status")
        where.append(Proposal.status == rules.check_choice(status, rules.STATUSES, "status"))
    total = session.scalar(select(func.count()).select_from(Proposal).where(*where)) or 0
    found = list(session.scalars(select(Proposal).where(*where).order_by(Proposal.submitted_at.desc(), Proposal.id)
                                 .offset(offset).limit(limit)))
    links = commitments_of(session, [p.id for p in found])
    return Page(tuple(public_view(session, p, tuple(links.get(p.id, ()))) for p in found), total, offset, limit)
