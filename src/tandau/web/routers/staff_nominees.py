"""Staff pages of single-member nominees: a council's districts (primary winner, nominee, departure and its
reason, pin and exclude) and the national overview of the nominees' composition by council and region.

Routes parse, call :mod:`tandau.services.council_nominees` and render; they never compute. Changes are plain
POST forms with the CSRF token (the page reloads: 303); a change no selection can satisfy answers 409 with the
engine's diagnosis in the page's language and stores nothing. Reading and changing are authorised by the service
(``Action.WORKSPACE_VIEW`` / ``WORKSPACE_EDIT`` on the council's territory).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.services import council_nominees as cn
from tandau.services.primaries.access import Actor
from tandau.web import places
from tandau.web.deps import FormDep, SessionDep, StaffUser
from tandau.web.i18n import N_, language, translator
from tandau.web.nominee_reasons import nominee_explainer
from tandau.web.routers import staff_assets
from tandau.web.templating import render

router = APIRouter(prefix="/staff/nominees", include_in_schema=False)

PROBLEMS = {"no_contest": N_("no primary contest in this district"),
            "not_published": N_("the primary is not published yet"),
            "no_candidates": N_("no candidate in the published primary")}
LEVELS = {"national": N_("National (Majilis)"), "regional": N_("Regional"), "city": N_("City"),
          "district": N_("District")}


def _common(request: Request, title: str) -> dict[str, Any]:
    return {"title": title, "charts_ready": staff_assets.available(request), "levels": LEVELS,
            "problems": PROBLEMS, "say": nominee_explainer(language(request))}


@router.get("")
def overview(request: Request, session: SessionDep, user: StaffUser, cycle: str | None = None,
             region: str | None = None) -> Response:
    _ = translator(request)
    data = cn.overview(session, user, cycle or None, region=region or None)
    lang = language(request)
    # regions and councils in the alphabetical order of the page's language, as the other staff pages
    data = replace(data, regions=tuple(sorted(data.regions, key=lambda r: places.region_name(r.region, lang))),
                   councils=tuple(sorted(data.councils, key=lambda c: (places.region_name(c.council.region, lang),
                                                                       places.council_name(c.council, lang)))))
    title = (_("Nominees: %(name)s", name=places.region_name(region, lang)) if region
             else _("Single-member nominees"))
    return render(request, "staff/nominees_overview.html", {**_common(request, title), "data": data})


def _council(request: Request, session: Session, user: Actor, council_id: str, cycle: str | None, *,
             error: str | None = None, details: list[str] | None = None, status: int = 200) -> Response:
    _ = translator(request)
    view = cn.council_nominees(session, user, cycle, council_id)
    title = _("Nominees: %(name)s", name=places.council_name(view.council, language(request)))
    context = {**_common(request, title), "view": view, "error": error, "error_details": details or []}
    return render(request, "staff/nominees_council.html", context, status_code=status)


@router.get("/{council_id}")
def council(request: Request, session: SessionDep, user: StaffUser, council_id: str,
            cycle: str | None = None) -> Response:
    return _council(request, session, user, council_id, cycle or None)


@router.post("/{council_id}")
def change(request: Request, session: SessionDep, user: StaffUser, council_id: str, form: FormDep) -> Response:
    """Pin a district's nominee, unpin, exclude, include again or reset; a refused change stores nothing."""
    _ = translator(request)
    cycle = str(form.get("cycle", "")) or None
    try:
        view = cn.change(session, user, cycle, council_id, str(form.get("op", "")),
                         district=str(form.get("district", "")) or None,
                         candidate=str(form.get("candidate", "")) or None)
    except cn.NomineeChangeRefusedError as exc:
        session.rollback()
        summary, details = nominee_explainer(language(request)).refusal(exc.refusal)
        message = _("No choice of nominees meets every rule with this change; nothing changed.") + " " + \
            summary[:1].upper() + summary[1:]
        return _council(request, session, user, council_id, cycle, error=message, details=details, status=409)
    return RedirectResponse(f"/staff/nominees/{council_id}?cycle={view.cycle.id}", status_code=303)
