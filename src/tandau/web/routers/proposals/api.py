"""JSON API of proposals (``/api/v1/proposals``, tag ``proposals``): public intake and receipts; the staff list,
dashboard, moderation, links and import. The services decide who may do what (``PROPOSAL_*`` of
:data:`~tandau.services.primaries.access.POLICY`) and what each reader sees (contacts only for moderators and the
central office); these routes parse, call them and shape the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tandau.services.primaries.access import Actor
from tandau.services.proposals import imports, intake, moderation, read, rules
from tandau.store.proposals_models import Proposal
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.proposals import common
from tandau.web.text_input import STORABLE
from tandau.web.uploads import UploadField, chosen_file

router = APIRouter()
Short = Annotated[str, Field(max_length=200), STORABLE]
Long = Annotated[str, Field(max_length=rules.MAX_TEXT), STORABLE]


class ProposalCreate(BaseModel):
    text: Long = Field(description="10 to 2,000 characters")
    territory: Annotated[str, Field(max_length=9), STORABLE] = Field(
        description="9-digit KATO code of a region, city or district")
    age_group: Literal["under_18", "18_28", "29_34", "35_59", "60_plus"]
    lang: Literal["", "kk", "ru"] = Field(default="", description="empty: detected")
    contact: Short = Field(default="", description="optional; only to answer; never public")
    website: Short = Field(default="", description="honeypot: leave empty")


class ReceiptPublic(BaseModel):
    id: str
    receipt: str = Field(description="the receipt code, shown only in this answer")
    status: str
    theme: str | None


class PublicProposal(BaseModel):
    id: str
    kato: str
    text: str | None = Field(description="null for a hidden proposal")
    lang: str
    theme: str | None
    status: Literal["new", "hidden", "merged", "answered", "not_taken"]
    hidden_reason: str | None
    merged_into: str | None
    commitments: list[str]
    not_taken_reason: str | None
    submitted_at: datetime


class StaffProposal(BaseModel):
    id: str
    external_id: str | None
    kato: str
    text: str
    lang: str
    age_group: str
    channel: str
    theme: str | None
    confidence: float | None
    theme_by_person: bool
    status: str
    hidden_reason: str | None
    merged_into: str | None
    not_taken_reason: str | None
    commitments: list[str]
    duplicate_group: str | None
    synthetic: bool
    submitted_at: datetime
    contact: str | None = Field(description="only for moderators and the central office; null for others")


class ProposalList(BaseModel):
    total: int
    offset: int
    limit: int
    proposals: list[StaffProposal]


class AgeCounts(BaseModel):
    key: str = Field(description="a region's KATO code or a theme code ('' not classified)")
    total: int
    ages: dict[str, int]
    under_35_share: float


class DashboardPublic(BaseModel):
    total: int = Field(description="proposals that are not hidden")
    under_35: int
    under_29: int
    groups: int = Field(description="near-duplicate groups")
    by_status: dict[str, int]
    by_channel: dict[str, int]
    by_region: list[AgeCounts]
    by_theme: list[AgeCounts]
    cells: list[dict[str, str | int]] = Field(description="{region, theme, count}")


class ModerationCreate(BaseModel):
    op: Literal["hide", "restore", "merge", "theme"]
    reason: Literal["abuse", "personal_data", "spam", "off_topic"] | None = Field(default=None,
                                                                                  description="hide")
    into: Short | None = Field(default=None, description="merge: the proposal it merges into")
    theme: Annotated[str, Field(max_length=32), STORABLE] | None = Field(default=None, description="theme code")
    note: Long = ""


class LinkCreate(BaseModel):
    status: Literal["answered", "not_taken"]
    commitments: list[Annotated[str, Field(max_length=rules.MAX_COMMITMENT), STORABLE]] = Field(
        default_factory=list, max_length=50, description="answered: the commitment ids")
    reason: Long = Field(default="", description="not_taken: why")


class ImportPublic(BaseModel):
    file: str
    sha256: str
    applied: bool
    added: int
    classified: int


def _staff(p: Proposal, contact: str | None, links: tuple[str, ...]) -> StaffProposal:
    return StaffProposal(id=p.id, external_id=p.external_id, kato=p.kato, text=p.text, lang=p.lang,
                         age_group=p.age_group, channel=p.channel, theme=p.theme, confidence=p.confidence,
                         theme_by_person=p.theme_by_person, status=p.status, hidden_reason=p.hidden_reason,
                         merged_into=p.merged_into, not_taken_reason=p.not_taken_reason, commitments=list(links),
                         duplicate_group=p.duplicate_group, synthetic=p.synthetic, submitted_at=p.submitted_at,
                         contact=contact)


def _one(session: Session, user: Actor, proposal: Proposal) -> StaffProposal:
    links = tuple(moderation.commitments_of(session, [proposal.id]).get(proposal.id, ()))
    contact = proposal.contact if moderation.may_see_contact(user, proposal.kato) else None
    return _staff(proposal, contact, links)


@router.post("/api/v1/proposals", tags=["proposals"], status_code=201)
def submit_api(request: Request, session: SessionDep, body: ProposalCreate) -> ReceiptPublic:
    """Send a proposal (anyone, no account; the same rules as the form: sizes, a valid territory, at most 5 per
    address and hour: 429 ``too_many_attempts`` with ``Retry-After``). The receipt code is in this answer only."""
    proposal, code = intake.submit(session, intake.Submission(body.text, body.territory, body.age_group, body.lang,
                                                              body.contact, body.website),
                                   key=common.receipt_key(request), address=common.address(request),
                                   per_hour=common.per_hour(request))
    return ReceiptPublic(id=proposal.id, receipt=code, status=proposal.status, theme=proposal.theme)


@router.get("/api/v1/proposals/receipt/{code}", tags=["proposals"])
def receipt_api(request: Request, session: SessionDep, code: str) -> PublicProposal:
    """A proposal by its receipt code (anyone): its status and answer; never a contact or an age group."""
    view = read.public_view(session, intake.by_receipt(session, common.receipt_key(request), code))
    return PublicProposal(id=view.id, kato=view.kato, text=view.text, lang=view.lang, theme=view.theme,
                          status=view.status,  # type: ignore[arg-type]
                          hidden_reason=view.hidden_reason, merged_into=view.merged_into,
                          commitments=list(view.commitments), not_taken_reason=view.not_taken_reason,
                          submitted_at=view.submitted_at)


@router.get("/api/v1/proposals", tags=["proposals"])
def list_api(session: SessionDep, user: CurrentUser, territory: str | None = None, status: str | None = None,
             theme: str | None = None, age_group: str | None = None, group: str | None = None, offset: int = 0,
             limit: int = read.PAGE) -> ProposalList:
    """The proposals the caller may read (their territory; everywhere for the central office and observers),
    newest first; filters: ``territory`` (KATO, with everything under it), ``status``, ``theme`` (``none``: not
    classified), ``age_group``, ``group`` (a near-duplicate group)."""
    page = read.list_proposals(session, user, territory=territory or None, status=status or None,
                               theme=theme or None, age_group=age_group or None, group=group or None,
                               offset=offset, limit=limit)
    rows = [_staff(r.proposal, r.contact, r.commitments) for r in page.rows if isinstance(r, read.StaffRow)]
    return ProposalList(total=page.total, offset=page.offset, limit=page.limit, proposals=rows)


@router.get("/api/v1/proposals/dashboard", tags=["proposals"])
def dashboard_api(session: SessionDep, user: CurrentUser, territory: str | None = None) -> DashboardPublic:
    """Counts of the proposals the caller may read by region, theme and age group, with the under-35 share."""
    b = read.dashboard(session, user, territory=territory or None)

    def counts(key: str, ages: dict[str, int]) -> AgeCounts:
        full = {a: int(ages.get(a, 0)) for a in rules.AGE_GROUPS}
        total = sum(full.values())
        share = sum(full[a] for a in rules.UNDER_35) / total if total else 0.0
        return AgeCounts(key=key, total=total, ages=full, under_35_share=round(share, 4))

    return DashboardPublic(
        total=b.total, under_35=b.under_35, under_29=b.under_29, groups=b.groups, by_status=dict(b.by_status),
        by_channel=dict(b.by_channel), by_region=[counts(k, dict(v)) for k, v in b.by_region.items()],
        by_theme=[counts(k, dict(v)) for k, v in b.by_theme.items()],
        cells=[{"region": r, "theme": t, "count": n} for (r, t), n in sorted(b.cells.items())])


@router.post("/api/v1/proposals/{proposal_id}/moderation", tags=["proposals"])
def moderate_api(session: SessionDep, user: CurrentUser, proposal_id: str, body: ModerationCreate) -> StaffProposal:
    """Hide (with a reason), restore, merge into another proposal, or change the theme (moderators of the
    territory, the central office); audited."""
    proposal = moderation.moderate(session, user, proposal_id, body.op, reason=body.reason, into=body.into,
                                   theme=body.theme, note=body.note)
    return _one(session, user, proposal)


@router.post("/api/v1/proposals/{proposal_id}/links", tags=["proposals"])
def link_api(session: SessionDep, user: CurrentUser, proposal_id: str, body: LinkCreate) -> StaffProposal:
    """Answer by programme commitments (``answered``, the ids replace earlier ones) or ``not_taken`` with the
    reason (secretaries of the territory, the central office); audited."""
    proposal = moderation.link(session, user, proposal_id, body.status, commitments=body.commitments,
                               reason=body.reason)
    return _one(session, user, proposal)


@router.post("/api/v1/proposals/import", tags=["proposals"])
def import_api(session: SessionDep, user: CurrentUser, file: UploadField = None,
               dry_run: Annotated[bool, Form()] = False) -> ImportPublic:
    """Import a CSV or XLSX file of proposals collected offline (multipart ``file``; ``dry_run`` checks only):
    all or nothing, every problem named by row and column (400 ``import_rejected``)."""
    imports.require_import(user)
    name, data = chosen_file(file)
    outcome = imports.upload(session, user, name, data, apply=not dry_run)
    return ImportPublic(file=outcome.file, sha256=outcome.sha256, applied=outcome.applied, added=outcome.added,
                        classified=outcome.classified)
