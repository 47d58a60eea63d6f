"""Single-member nominees in the staff workspace API (``/api/v1/workspace/nominees``): the national overview,
a council's districts and nominees, and the leadership's pins and exclusions.

The JSON face of the ``/staff/nominees`` pages on the same service (:mod:`tandau.services.council_nominees`):
staff roles only; reading a council is for the central office and observers everywhere and for a secretary
inside their territory (``Action.WORKSPACE_VIEW``), changing for the central office and a secretary of the
territory (``Action.WORKSPACE_EDIT``, audited). The POST needs the ``X-CSRF-Token`` header. A change that no
selection can satisfy answers 409 ``conflict`` with the engine's diagnosis, and nothing is stored.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tandau.services import council_nominees as cn
from tandau.web.deps import SessionDep, StaffUser
from tandau.web.routers.api_voter import ERRORS
from tandau.web.text_input import Text

router = APIRouter(prefix="/api/v1/workspace/nominees", responses=ERRORS, tags=["workspace"])


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class PersonPublic(Open):
    id: str
    name: str
    sex: Literal["F", "M"]
    birth_date: str
    age: int = Field(description="age on the cycle's election day")
    tags: list[str]
    votes: int = Field(description="votes in the district's published primary")
    rank: int = Field(description="primary rank: votes, equal votes in the published count's order (1: winner)")
    share: str = Field(description="share of the district's votes, rounded")


class RankedPublic(PersonPublic):
    excluded: bool


class DistrictPublic(Open):
    district: str
    number: int
    name: str
    contest: str | None = Field(description="the district's primary (null: none created)")
    status: str | None
    problem: Literal["no_contest", "not_published", "no_candidates"] | None = Field(
        description="why the district has no nominee (null: it has one, or the selection was refused)")
    ranking: list[RankedPublic]
    winner: str | None
    nominee: PersonPublic | None
    departure: bool
    pinned: str | None = Field(description="the member pinned here by the leadership")
    reason: str | None = Field(description="why the nominee is not the winner, in English")
    why: dict[str, Any] | None = Field(description="the same as a structured reason {code, params, text}")


class CouncilRef(BaseModel):
    id: str
    name: str
    level: str
    region: str
    kato: str | None


class PinPublic(BaseModel):
    district: str
    candidate: str


class RefusalPublic(Open):
    text: str
    summary: dict[str, Any]
    details: list[dict[str, Any]]


class CouncilNomineesPublic(Open):
    cycle: str
    council: CouncilRef
    election_date: str
    rules: str
    districts: list[DistrictPublic]
    nominated: int
    missing: int = Field(description="districts without a nominee: no contest, not published, no candidate")
    departures: int
    women: int
    youth: int = Field(description="nominees under 35 on election day")
    checks: list[dict[str, Any]]
    refusal: RefusalPublic | None
    pins: list[PinPublic]
    exclude: list[str]
    editable: bool
    updated_at: str | None
    updated_by: str | None


class NomineeChange(BaseModel):
    op: Literal["pin", "unpin", "exclude", "include", "reset"]
    cycle: Text | None = Field(None, max_length=64, description="default: the latest cycle with district contests")
    district: Text | None = Field(None, max_length=64, description="pin, unpin: the district")
    candidate: Text | None = Field(None, max_length=64, description="pin, exclude, include: the member id")


class CouncilCount(BaseModel):
    id: str
    name: str
    level: str
    region: str
    kato: str | None
    districts: int
    nominated: int
    missing: int
    women: int
    youth: int
    departures: int
    refused: bool
    compliant: bool = Field(description="every district nominated and every enforced rule met")


class RegionCount(BaseModel):
    region: str
    councils: int
    districts: int
    nominated: int
    missing: int
    women: int
    youth: int
    departures: int


class NomineesOverviewPublic(BaseModel):
    cycle: str | None
    cycles: list[str]
    region: str | None
    councils: list[CouncilCount]
    regions: list[RegionCount]
    total: RegionCount


@router.get("")
def overview(session: SessionDep, user: StaffUser, cycle: str | None = None,
             region: str | None = None) -> NomineesOverviewPublic:
    """Every readable council with district primaries in the cycle (default: the latest): districts, nominees,
    districts without one, women, under-35s and departures from the primary winners; totals by region."""
    return NomineesOverviewPublic.model_validate(cn.overview(session, user, cycle or None,
                                                             region=region or None).to_json())


@router.get("/{council_id}")
def council(session: SessionDep, user: StaffUser, council_id: str, cycle: str | None = None) -> CouncilNomineesPublic:
    """A council's districts in order: the primary ranking, the winner, the nominee and, for a departure, the
    reason; the rules' checks over the nominees, or the refusal with its diagnosis."""
    return CouncilNomineesPublic.model_validate(cn.council_nominees(session, user, cycle or None,
                                                                    council_id).to_json())


@router.post("/{council_id}")
def change(session: SessionDep, user: StaffUser, council_id: str, body: NomineeChange) -> CouncilNomineesPublic:
    """Pin the leadership's nominee in a district, unpin, exclude a candidate, include them again, or reset;
    recomputed, stored and audited (``nominees.change``, ``nominees.reset``)."""
    view = cn.change(session, user, body.cycle, council_id, body.op, district=body.district,
                     candidate=body.candidate)
    return CouncilNomineesPublic.model_validate(view.to_json())
