"""The programmes' JSON API (``/api/v1/programmes``) and the open data (``/api/v1/programmes/published``).

The services (:mod:`tandau.services.programmes`) check every permission, lint, write the audit log and build
the open data; these routes parse, call and shape the answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from tandau.services.primaries.access import Actor
from tandau.services.programmes import publication, workflow
from tandau.services.programmes.records import parse_record
from tandau.services.programmes.to_control import to_control
from tandau.store.programme_models import ProgrammeRow
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.programmes.schemas import (
    CommentCreate,
    CommentPublic,
    CommitmentIn,
    CommitmentsPut,
    CycleDocument,
    DeputiesPut,
    DiffPublic,
    FindingPublic,
    ProgrammeCreate,
    ProgrammeDetailPublic,
    ProgrammeDocument,
    ProgrammePublic,
    StepCreate,
    StepPublic,
    TargetPublic,
    VersionPublic,
)

router = APIRouter()
TAGS: list[str | Any] = ["programmes"]


def _public(row: ProgrammeRow) -> dict[str, Any]:
    return {"id": row.id, "cycle": row.cycle_id, "kind": row.kind, "owner": row.owner, "territory": row.kato,
            "title_kk": row.title_kk, "title_ru": row.title_ru, "status": row.status, "version": row.version,
            "updated_at": row.updated_at, "updated_by": row.updated_by, "published_at": row.published_at}


def _detail(session: Session, user: Actor, programme_id: str) -> ProgrammeDetailPublic:
    d = workflow.detail(session, user, programme_id)
    return ProgrammeDetailPublic.model_validate(_public(d.programme) | {
        "commitments": list(d.records),
        "findings": [FindingPublic.model_validate(f.to_json() | {"detail": f.detail_en}) for f in d.findings],
        "versions": [VersionPublic(number=v.number, author=v.author, note=v.note, created_at=v.created_at,
                                   errors=v.errors, notices=v.notices) for v in d.versions],
        "comments": [CommentPublic(id=c.id, version=c.version, commitment=c.commitment, body=c.body, author=c.author,
                                   created_at=c.created_at) for c in d.comments],
        "steps": [StepPublic(step=s.step, from_status=s.from_status, to_status=s.to_status, version=s.version,
                             reason=s.reason, actor=s.actor, at=s.at) for s in d.steps],
        "next_steps": list(d.next_steps)})


def _records(items: list[CommitmentIn], kato: str) -> list[dict[str, Any]]:
    return [parse_record(item.model_dump(), kato) for item in items]


# ---- open data (no sign-in) -----------------------------------------------------------------------------------

@router.get("/api/v1/programmes/published", tags=TAGS, response_model_by_alias=True)
def published_api(session: SessionDep, cycle: str) -> CycleDocument:
    """Every published programme of the cycle in one document (open data, schema ``tandau-programmes/1``)."""
    return CycleDocument.model_validate(publication.cycle_json(session, cycle))


@router.get("/api/v1/programmes/published/{programme_id}", tags=TAGS, response_model_by_alias=True)
def published_one_api(session: SessionDep, programme_id: str) -> ProgrammeDocument:
    """One published programme (open data, schema ``tandau-programme/1``); a draft is 404."""
    return ProgrammeDocument.model_validate(publication.programme_json(session, programme_id))


# ---- staff -------------------------------------------------------------------------------------------------------

@router.get("/api/v1/programmes", tags=TAGS)
def list_api(session: SessionDep, user: CurrentUser, status: str | None = None, cycle: str | None = None,
             territory: str | None = None) -> list[ProgrammePublic]:
    """The programmes the caller may read (filters: ``status``, ``cycle``, ``territory`` KATO or ``KZ``)."""
    rows = workflow.list_programmes(session, user, status=status or None, cycle=cycle or None,
                                    territory=territory or None)
    return [ProgrammePublic.model_validate(_public(r)) for r in rows]


@router.post("/api/v1/programmes", tags=TAGS, status_code=201)
def create_api(session: SessionDep, user: CurrentUser, body: ProgrammeCreate) -> ProgrammeDetailPublic:
    """Create a council's or a wing's programme in draft (the branch's secretary or the central office)."""
    owner = workflow.owner_of(session, council=body.council, wing=body.wing)
    workflow.require_edit(user, owner.kato)
    records = _records(body.commitments, owner.kato)
    row = workflow.create(session, user, owner, body.cycle, records, note=body.note)
    return _detail(session, user, row.id)


@router.get("/api/v1/programmes/{programme_id}", tags=TAGS)
def detail_api(session: SessionDep, user: CurrentUser, programme_id: str) -> ProgrammeDetailPublic:
    """A programme with its current commitments, findings, versions, comments, steps and next steps."""
    return _detail(session, user, programme_id)


@router.put("/api/v1/programmes/{programme_id}/commitments", tags=TAGS)
def save_api(session: SessionDep, user: CurrentUser, programme_id: str, body: CommitmentsPut
             ) -> ProgrammeDetailPublic:
    """Save the whole list of commitments as a new version (linted); only in draft or returned."""
    row = workflow.get(session, programme_id)
    workflow.require_edit(user, row.kato)
    workflow.save(session, user, programme_id, _records(body.commitments, row.kato), note=body.note,
                  base_version=body.base_version)
    return _detail(session, user, programme_id)


@router.put("/api/v1/programmes/{programme_id}/commitments/{commitment}/deputies", tags=TAGS)
def deputies_api(session: SessionDep, user: CurrentUser, programme_id: str, commitment: str, body: DeputiesPut
                 ) -> ProgrammeDetailPublic:
    """Name the commitment's responsible deputies (active deputies of the council's faction) in any status: a new
    version that changes only them."""
    workflow.assign_deputies(session, user, programme_id, commitment, body.deputies)
    return _detail(session, user, programme_id)


@router.post("/api/v1/programmes/{programme_id}/steps", tags=TAGS)
def step_api(session: SessionDep, user: CurrentUser, programme_id: str, body: StepCreate) -> ProgrammeDetailPublic:
    """Submit, return (with reasons), approve or publish; a step the status does not allow is 409."""
    workflow.take_step(session, user, programme_id, body.step, reason=body.reason)
    return _detail(session, user, programme_id)


@router.post("/api/v1/programmes/{programme_id}/comments", tags=TAGS, status_code=201)
def comment_api(session: SessionDep, user: CurrentUser, programme_id: str, body: CommentCreate) -> CommentPublic:
    """Comment on the current version (and one of its commitments)."""
    c = workflow.add_comment(session, user, programme_id, body.body, commitment=body.commitment)
    return CommentPublic(id=c.id, version=c.version, commitment=c.commitment, body=c.body, author=c.author,
                         created_at=c.created_at)


@router.get("/api/v1/programmes/{programme_id}/diff", tags=TAGS)
def diff_api(session: SessionDep, user: CurrentUser, programme_id: str, before: int, after: int) -> DiffPublic:
    """Commitments added, removed and changed (field by field) from version ``before`` to ``after``."""
    d = workflow.diff(session, user, programme_id, before, after)
    return DiffPublic(before=before, after=after, added=[dict(r) for r in d.added],
                      removed=[dict(r) for r in d.removed], unchanged=d.unchanged,
                      changed=[{"commitment": c.commitment,  # type: ignore[misc]
                                "fields": [{"field": f.field, "before": f.before, "after": f.after}
                                           for f in c.fields]} for c in d.changed])


@router.post("/api/v1/programmes/{programme_id}/commitments/{commitment}/control-target", tags=TAGS,
             status_code=201)
def to_control_api(session: SessionDep, user: CurrentUser, programme_id: str, commitment: str) -> TargetPublic:
    """Make the commitment a control target (the central office; an approved or published programme)."""
    made = to_control(session, user, programme_id, commitment)
    t = made.target
    return TargetPublic(programme=t.programme, indicator=t.indicator, region=t.region, unit=t.unit, kind=t.kind,
                        direction=t.direction, baseline=str(t.baseline), baseline_date=t.baseline_date,
                        target=str(t.target), deadline=t.deadline,
                        budget_kzt=None if t.budget_kzt is None else str(t.budget_kzt), source=t.source,
                        added=sum(i.added for i in made.summary.imported))
