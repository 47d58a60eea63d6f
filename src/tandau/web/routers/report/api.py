"""The congress report's JSON API: ``GET /api/v1/report/congress?cycle=&region=`` (``REPORT_VIEW``: the national
report to the central office and observers; ``region`` gives one region's annex, what a branch secretary reads)."""

from __future__ import annotations

from fastapi import APIRouter

from tandau.services.report import congress_report
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.report.schemas import CongressReportPublic, report_public

router = APIRouter()


@router.get("/api/v1/report/congress", response_model=CongressReportPublic, tags=["report"])
def congress_api(session: SessionDep, user: CurrentUser, cycle: str | None = None,
                 region: str | None = None) -> CongressReportPublic:
    """The congress report on ``cycle`` (default: the latest), every figure recomputed from the database."""
    return report_public(congress_report(session, user, cycle or None, region=region or None))
