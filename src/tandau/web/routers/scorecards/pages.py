"""Staff pages: scorecards by kind (``/deputies/scorecards``: the formula beside every score, the "not
comparable" mark, each figure a link to the records behind it) and awards (``/deputies/awards``: a branch
nominates, the central office reviews; ``/deputies/awards/{id}`` with its certificate). Every form carries the
CSRF token; the services decide who may do what."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tandau.core.scorecards import COMPONENTS, MIN_RECORDS, RECEPTIONS_PER_QUARTER, SUBJECT_KINDS, explain
from tandau.core.scorecards.awards import AWARDS, NOMINATION_STATUSES
from tandau.errors import InputError
from tandau.services.awards import nominations
from tandau.services.primaries.access import Action, allowed_somewhere
from tandau.services.scorecards.compute import PERIOD_DAYS, page
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import N_, language
from tandau.web.templating import render

router = APIRouter()
PAGE_CARDS = 200  # a page shows at most this many subjects (Previous/Next); the territory filter narrows them
FormText = Annotated[str, Form()]

LABELS: dict[str, str] = {
    "deputy": N_("Deputies"), "faction": N_("Factions"), "branch": N_("Branches"), "akim": N_("Akims"),
    "attendance": N_("Attendance"), "inquiries": N_("Inquiries answered"), "receptions": N_("Receptions held"),
    "appeals_on_time": N_("Appeals answered on time"), "satisfaction": N_("Satisfaction"),
    "cases_resolved": N_("Control cases resolved"), "commitments": N_("Commitments on track"),
    "nominated": N_("nominated"), "approved": N_("approved"), "rejected": N_("rejected"),
}

# the formula's rates and the notes of the service, as the page says them (translated in the template)
TEXTS: tuple[str, ...] = (
    N_("sessions attended"), N_("sessions"), N_("inquiries answered"), N_("inquiries sent"),
    N_("receptions held (capped at the expectation)"), N_("receptions expected (1 per quarter of mandate)"),
    N_("appeals answered on time"), N_("appeals answered"), N_("mean rating minus 1, over 4 (ratings 1 to 5)"),
    N_("appeals rated"), N_("control cases resolved or closed"), N_("control cases owned"),
    N_("commitments on track or achieved"), N_("commitments owned (control targets)"),
    N_("no deputies' activity for this kind of subject"),
)


def _day(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"expected a day such as 2026-04-30, got {value!r}", parameter="as_of") from None


@router.get("/deputies/scorecards", include_in_schema=False)
def scorecards_page(request: Request, session: SessionDep, user: CurrentUser, kind: str = "deputy",
                    as_of: str = "", territory: str = "", offset: int = 0) -> Response:
    chosen = kind if kind in SUBJECT_KINDS else "deputy"
    shown = page(session, user, kind=chosen, as_of=_day(as_of), territory=territory.strip() or None,
                 offset=max(0, offset), limit=PAGE_CARDS)
    query = urlencode({k: v for k, v in (("kind", chosen), ("territory", territory), ("as_of", as_of)) if v})
    return render(request, "scorecards/list.html", {
        "cards": shown.cards, "total": shown.total, "offset": shown.offset, "page_size": PAGE_CARDS,
        "query": query, "territory": territory, "kind": chosen,
        "kinds": SUBJECT_KINDS, "labels": LABELS, "components": COMPONENTS,
        "explain": explain, "min_records": MIN_RECORDS, "per_quarter": RECEPTIONS_PER_QUARTER,
        "period_days": PERIOD_DAYS, "as_of": as_of})


@router.get("/deputies/awards", include_in_schema=False)
def awards_page(request: Request, session: SessionDep, user: CurrentUser, status: str = "") -> Response:
    rows = nominations.list_nominations(session, user, status=status if status in NOMINATION_STATUSES else None)
    return render(request, "scorecards/awards.html", {
        "rows": rows, "status": status, "statuses": NOMINATION_STATUSES, "labels": LABELS, "awards": AWARDS,
        "lang": language(request), "may_nominate": allowed_somewhere(user, Action.AWARD_NOMINATE)})


@router.post("/deputies/awards", include_in_schema=False)
def nominate_page(session: SessionDep, user: CurrentUser, member_id: FormText, award: FormText,
                  branch_kato: FormText, activity: FormText, member_name: FormText = "", links: FormText = ""
                  ) -> Response:
    row = nominations.nominate(session, user, member_id=member_id, member_name=member_name, award=award,
                               branch_kato=branch_kato, activity=activity, links=links.splitlines())
    return RedirectResponse(f"/deputies/awards/{row.id}", status_code=303)


@router.get("/deputies/awards/{nomination_id}", include_in_schema=False)
def award_page(request: Request, session: SessionDep, user: CurrentUser, nomination_id: str) -> Response:
    row = nominations.get(session, user, nomination_id)
    return render(request, "scorecards/award.html", {
        "n": row, "links": nominations.links_of(row), "labels": LABELS, "awards": AWARDS, "lang": language(request),
        "may_review": row.status == "nominated" and allowed_somewhere(user, Action.AWARD_REVIEW)})


@router.post("/deputies/awards/{nomination_id}/review", include_in_schema=False)
def review_page(session: SessionDep, user: CurrentUser, nomination_id: str, decision: FormText,
                reason: FormText = "") -> Response:
    nominations.review(session, user, nomination_id, decision, reason=reason)
    return RedirectResponse(f"/deputies/awards/{nomination_id}", status_code=303)


@router.get("/deputies/awards/{nomination_id}/certificate.pdf", include_in_schema=False)
def certificate_page(request: Request, session: SessionDep, user: CurrentUser, nomination_id: str,
                     lang: str = "") -> Response:
    row = nominations.certified(session, user, nomination_id)
    chosen = lang if lang in ("kk", "ru") else ("ru" if language(request) == "ru" else "kk")
    return Response(nominations.certificate_pdf(row, chosen), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="award-{row.id}-{chosen}.pdf"'})
