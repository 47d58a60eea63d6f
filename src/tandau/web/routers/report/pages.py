"""The congress report's pages: ``/report`` (the national report with links to every annex; a branch secretary
sees the links to their region's annex), ``/report/regions/{region}`` and ``/report.pdf?lang=&cycle=&region=``.
The service checks ``REPORT_VIEW``; these routes render."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from tandau.errors import InputError
from tandau.io.report_pdf import congress_pdf, region_label
from tandau.services.jobs import get_kind, may_submit
from tandau.services.primaries.access import Action, require, territories
from tandau.services.report import congress_report
from tandau.store.models import Cycle
from tandau.web import charts, report_html
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import language, make_gettext
from tandau.web.routers import staff_assets
from tandau.web.templating import render

router = APIRouter()
LANGS = ("kk", "ru", "en")


def _common(request: Request) -> dict[str, object]:
    return {"charts": charts, "charts_ready": staff_assets.available(request)}


@router.get("/report", include_in_schema=False)
def report_page(request: Request, session: SessionDep, user: CurrentUser, cycle: str | None = None) -> Response:
    lang = language(request)
    _ = make_gettext(lang)
    scopes = territories(user, Action.REPORT_VIEW)
    if not scopes:
        require(user, Action.REPORT_VIEW, None)
    cycles = sorted(session.scalars(select(Cycle.id)))
    if None in scopes:
        data = report_html.view(congress_report(session, user, cycle or None), lang)
        annexes = data["annexes"]
    else:
        data = None
        regions = sorted({s[:2] for s in scopes if s})
        annexes = [{"region": r, "name": region_label(r, lang, _)} for r in regions]
    return render(request, "report/page.html", _common(request) | {
        "r": data, "annexes": annexes, "cycles": cycles, "cycle_param": cycle or "",
        "can_build": may_submit(user, get_kind("report.congress"))})


@router.get("/report/regions/{region}", include_in_schema=False)
def annex_page(request: Request, session: SessionDep, user: CurrentUser, region: str,
               cycle: str | None = None) -> Response:
    lang = language(request)
    data = report_html.view(congress_report(session, user, cycle or None, region=region), lang)
    return render(request, "report/annex.html", _common(request) | {"r": data, "annex": data["annexes"][0]})


@router.get("/report.pdf", include_in_schema=False)
def report_pdf(request: Request, session: SessionDep, user: CurrentUser, lang: str | None = None,
               cycle: str | None = None, region: str | None = None) -> Response:
    chosen = lang or language(request)
    if chosen not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, got {chosen!r}", parameter="lang")
    report = congress_report(session, user, cycle or None, region=region or None)
    name = f"congress-report-{report.cycle_id}{'-' + region if region else ''}-{chosen}.pdf"
    return Response(congress_pdf(report, chosen), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
