"""The JSON API of scorecards (``GET /api/v1/scorecards``) and awards (``/api/v1/awards``). The services check
every permission (``SCORECARD_VIEW``, ``AWARD_NOMINATE``, ``AWARD_REVIEW``) and write the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from tandau.services.awards import nominations
from tandau.services.scorecards.compute import MAX_PAGE, PAGE, as_json, page
from tandau.store.awards_models import AwardNomination
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.text_input import STORABLE

router = APIRouter()
Short = Annotated[str, Field(max_length=200), STORABLE]
Long = Annotated[str, Field(max_length=4000), STORABLE]
Link = Annotated[str, Field(max_length=300), STORABLE]


class NominationCreate(BaseModel):
    member_id: Short
    member_name: Short = ""
    award: Short = Field(description="belsendi-kyzmeti-ushin | letter-of-thanks")
    branch_kato: Short = Field(description="9-digit KATO code of the nominating branch")
    activity: Long
    links: list[Link] = Field(default_factory=list, max_length=20)


class NominationReview(BaseModel):
    decision: Literal["approved", "rejected"]
    reason: Long = ""


class NominationPublic(BaseModel):
    id: str
    member_id: str
    member_name: str
    award: str
    branch_kato: str
    activity: str
    links: list[str]
    status: str
    reason: str | None
    nominated_by: str
    nominated_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None


def nomination_public(row: AwardNomination) -> NominationPublic:
    return NominationPublic(id=row.id, member_id=row.member_id, member_name=row.member_name, award=row.award,
                            branch_kato=row.branch_kato, activity=row.activity, links=nominations.links_of(row),
                            status=row.status, reason=row.reason, nominated_by=row.nominated_by,
                            nominated_at=row.nominated_at, reviewed_by=row.reviewed_by, reviewed_at=row.reviewed_at)


@router.get("/api/v1/scorecards", tags=["scorecards"])
def scorecards_api(session: SessionDep, user: CurrentUser, kind: Short = "", as_of: date | None = None,
                   territory: Short = "",
                   offset: Annotated[int, Query(ge=0, description="skip this many scorecards")] = 0,
                   limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many scorecards")] = PAGE
                   ) -> dict[str, Any]:
    """The scorecards the caller may read, ``limit`` of them from ``offset`` in a stable order (subject kind,
    then council and mandate, region or akim's territory): ``{"scorecards": [{subject, kind, score, comparable,
    components: [{name, value, weight, n, ...}]}], "total", "offset", "limit"}``; every component names the page
    listing its records. ``total`` counts them all: ask again with ``offset + limit`` while it is below ``total``
    (``tandau deputies scorecards`` prints them all)."""
    shown = page(session, user, kind=kind or None, as_of=as_of, territory=territory or None, offset=offset,
                 limit=limit)
    return {**as_json(shown.cards), "total": shown.total, "offset": shown.offset, "limit": limit}


@router.get("/api/v1/awards", tags=["awards"])
def awards_api(session: SessionDep, user: CurrentUser, status: Short = "") -> list[NominationPublic]:
    """The nominations of the caller's branches (all of them for the central office)."""
    return [nomination_public(r) for r in nominations.list_nominations(session, user, status=status or None)]


@router.post("/api/v1/awards", tags=["awards"], status_code=201)
def nominate_api(session: SessionDep, user: CurrentUser, body: NominationCreate) -> NominationPublic:
    """Nominate an active member (a branch in its territory, the central office)."""
    return nomination_public(nominations.nominate(
        session, user, member_id=body.member_id, member_name=body.member_name, award=body.award,
        branch_kato=body.branch_kato, activity=body.activity, links=list(body.links)))


@router.post("/api/v1/awards/{nomination_id}/review", tags=["awards"])
def review_api(session: SessionDep, user: CurrentUser, nomination_id: str, body: NominationReview
               ) -> NominationPublic:
    """Approve or reject (with a reason) a nomination: the central office."""
    return nomination_public(nominations.review(session, user, nomination_id, body.decision, reason=body.reason))


@router.get("/api/v1/awards/{nomination_id}/certificate", tags=["awards"], response_class=Response)
def certificate_api(session: SessionDep, user: CurrentUser, nomination_id: str, lang: Literal["kk", "ru"] = "kk"
                    ) -> Response:
    """The certificate of an approved nomination (PDF, Kazakh or Russian)."""
    row = nominations.certified(session, user, nomination_id)
    return Response(nominations.certificate_pdf(row, lang), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="award-{row.id}-{lang}.pdf"'})
