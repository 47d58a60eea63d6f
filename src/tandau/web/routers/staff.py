"""Staff workspace pages: national overview, council list builder, seat simulator, primaries results.

Routes parse, call a service (:mod:`tandau.services.workspace`, :mod:`tandau.services.workspace_lists`,
:mod:`tandau.services.exports`) and render; they never compute. Pins and exclusions are POST forms with the CSRF
token; with HTMX the list is recomputed in place, without JavaScript the page reloads (303). Reading is scoped
like the workspace API (:func:`tandau.services.workspace_access.can_read`): the central office and observers see
every council, a branch secretary the councils inside their territory (the overview lists only those; another
council's pages answer 403).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.errors import InfeasibleError, InputError
from tandau.io.reasons import explainer
from tandau.services import council_nominees, exports, workspace, workspace_access, workspace_lists, workspace_store
from tandau.services.control.cases import overdue_count
from tandau.services.primaries.access import Actor
from tandau.web import charts, places
from tandau.web.deps import FormDep, SessionDep, StaffUser
from tandau.web.i18n import N_, language, translator
from tandau.web.routers import staff_assets
from tandau.web.templating import render

router = APIRouter(prefix="/staff", include_in_schema=False)
router.include_router(staff_assets.router, prefix="")

LEVELS = {"national": N_("National (Majilis)"), "regional": N_("Regional"), "city": N_("City"),
          "district": N_("District")}
PARTIES = {workspace.OUR_PARTY: N_("Our party"), "party-b": N_("Party B"), "party-c": N_("Party C"),
           "party-d": N_("Party D"), "party-e": N_("Party E")}
def _common(request: Request, title: str) -> dict[str, Any]:
    """Every staff page's context; ``say`` renders the list engine's reasons in the page's language."""
    return {"title": title, "charts_ready": staff_assets.available(request), "levels": LEVELS, "charts": charts,
            "say": explainer(language(request))}


@router.get("")
@router.get("/")
def overview(request: Request, session: SessionDep, user: StaffUser, region: str | None = None,
             level: str | None = None) -> Response:
    _, lang = translator(request), language(request)
    scoped = workspace_access.overview(session, user, region=region or None, level=level or None)
    data = places.overview_in(replace(scoped.overview, rows=scoped.rows, regions=scoped.regions), lang)
    by_region = places.by_region_in(data, lang)
    spec = charts.compliance_by_region([{**r, "region": places.region_name(r["region"], lang)} for r in by_region], _)
    title = _("Region: %(name)s", name=places.region_name(region, lang)) if region else _("National overview")
    context = {**_common(request, title), "data": data, "by_region": by_region, "spec": spec,
               "overdue_cases": overdue_count(session, user)}
    return render(request, "staff/overview.html", context)


def _builder(request: Request, session: Session, user: Actor, contest_id: str, *, error: str | None = None,
             error_details: list[str] | None = None, partial: bool = False, status: int = 200) -> Response:
    _ = translator(request)
    workspace_access.readable_council(session, user, contest_id)
    view = workspace_lists.builder_view(session, user, contest_id)
    title = _("List builder: %(name)s", name=places.council_name(view.contest, language(request)))
    context = {**_common(request, title), "view": view, "result": view.stored.result, "error": error,
               "error_details": error_details or [],
               "nominees_cycle": council_nominees.nominees_cycle(session, view.contest.council_id,
                                                                 view.contest.cycle_id)}
    name = "staff/_builder_body.html" if partial else "staff/builder.html"
    return render(request, name, context, status_code=status)


@router.get("/lists/{contest_id}")
def builder(request: Request, session: SessionDep, user: StaffUser, contest_id: str) -> Response:
    return _builder(request, session, user, contest_id)


@router.post("/lists/{contest_id}")
def change(request: Request, session: SessionDep, user: StaffUser, contest_id: str, form: FormDep) -> Response:
    """Pin, unpin, exclude, include or reset, then recompute; an infeasible change leaves the list as it was."""
    _ = translator(request)
    workspace_access.readable_council(session, user, contest_id)
    op = str(form.get("op", ""))
    candidate = str(form.get("candidate", "")) or None
    htmx = request.headers.get("HX-Request") == "true"
    try:
        if op == "pin":
            try:
                place = int(str(form.get("place", "")))
            except ValueError:
                raise InputError(_("Give the place as a whole number"), parameter="place") from None
            workspace_lists.change_list(session, user, contest_id, pin=(candidate or "", place))
        elif op == "unpin":
            workspace_lists.change_list(session, user, contest_id, unpin=candidate)
        elif op == "exclude":
            workspace_lists.change_list(session, user, contest_id, exclude=candidate)
        elif op == "include":
            workspace_lists.change_list(session, user, contest_id, include=candidate)
        elif op == "reset":
            workspace_lists.change_list(session, user, contest_id, reset=True)
        else:
            raise InputError(f"unknown operation {op!r}", parameter="op")
    except InfeasibleError as exc:
        session.rollback()
        summary, details = explainer(language(request)).refusal(exc)
        message = _("No list meets every rule with this change; the list is unchanged.") + " " + summary
        return _builder(request, session, user, contest_id, error=message, error_details=details, partial=htmx,
                        status=200 if htmx else 409)
    if htmx:
        return _builder(request, session, user, contest_id, partial=True)
    return RedirectResponse(f"/staff/lists/{contest_id}", status_code=303)


@router.get("/lists/{contest_id}/export.{fmt}")
def export(request: Request, session: SessionDep, user: StaffUser, contest_id: str, fmt: str) -> Response:
    contest = workspace_access.readable_council(session, user, contest_id)
    out = exports.export_list(session, contest_id, fmt, exports.labels_in(language(request)),
                              council_name=places.council_name(contest, language(request)))
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{out.filename}"'})


def _float(value: str | None, default: float, parameter: str) -> float:
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value.replace(",", ".").rstrip("%")) / (100 if value.strip().endswith("%") else 1)
    except ValueError:
        raise InputError(f"not a number: {value!r}", parameter=parameter) from None
    if not math.isfinite(number):  # "nan", "inf", "1e400": no share, threshold or number of draws
        raise InputError(f"not a finite number: {value!r}", parameter=parameter)
    return number


@router.get("/simulator")
def simulator(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Vote shares in (percent), seats, chances per list place and the elected composition out."""
    _ = translator(request)
    q = request.query_params
    formed = [c for c in workspace.published_contests(session, lists_only=True)
              if workspace_access.can_read(user, c) and workspace_store.load(session, c.id)]
    contest_id = q.get("contest") or (formed[0].id if formed else None)
    formed = places.in_order(formed, language(request))  # the chooser, by names in the page's language
    if contest_id is None:
        raise InputError(_("No list has been formed yet"), parameter="contest")
    workspace_access.readable_council(session, user, contest_id)
    shares = {p: _float(q.get(f"share_{p}"), 100 * v, f"share_{p}") / 100 for p, v in workspace.DEFAULT_SHARES.items()}
    other = _float(q.get("other"), 100 * workspace.DEFAULT_OTHER, "other") / 100
    threshold = _float(q.get("threshold"), 5.0, "threshold") / 100
    draws = int(_float(q.get("draws"), 4000, "draws"))
    method = q.get("method") or "hare"
    sim = workspace.simulate_council(session, contest_id, shares, other=other, method=method, threshold=threshold,
                                     draws=draws)
    stored = workspace_store.load(session, contest_id)
    entries = stored.result["entries"] if stored else []
    n = max(len(entries), 1)
    list_women = sum(e["sex"] == "F" for e in entries) / n
    list_youth = sum(e["age"] is not None and e["age"] < 35 for e in entries) / n
    labels = {p: _(v) for p, v in PARTIES.items()}
    specs = [
        charts.seats_by_party(sim.seats_mean, labels, _),
        charts.position_chances(sim.positions, _),
        charts.composition(list_women, list_youth, sim.women_share, sim.youth_share, _),
    ]
    context = {**_common(request, _("Seat simulator")), "sim": sim, "formed": formed, "labels": labels,
               "specs": specs, "methods": workspace.SIM_METHODS, "list_women": list_women, "list_youth": list_youth}
    return render(request, "staff/simulator.html", context)


@router.get("/primaries")
def primaries(request: Request, session: SessionDep, user: StaffUser, contest: str | None = None) -> Response:
    """Published results of a contest and turnout one territorial level down. Two choosers: the councils (each
    once), then the chosen council's contests (its list and its single-member districts)."""
    _ = translator(request)
    councils = [c for c in workspace.published_councils(session) if workspace_access.can_read(user, c)]
    chosen = contest or (councils[0].id if councils else None)
    councils = places.in_order(councils, language(request))  # by names in the page's language
    if chosen is None:
        raise InputError(_("No contest has been published yet"), parameter="contest")
    workspace_access.readable_council(session, user, chosen)
    view = workspace.primaries_view(session, user, chosen)
    council = workspace.council_key(view.contest)
    of_council = [c for c in workspace.published_of_council(session, council) if workspace_access.can_read(user, c)]
    lang = language(request)
    rows = [{"name": places.territory_name(t.code, t.name, lang), "share": t.share, "voted": t.voted,
             "eligible": t.eligible} for t in view.turnout]
    specs = [charts.turnout_by_territory(rows, _), charts.primary_votes(view.ranking, _)]
    context = {**_common(request, _("Primaries: results and turnout")), "view": view, "councils": councils,
               "council": council,
               "of_council": of_council if len(of_council) > 1 else [], "specs": specs}
    return render(request, "staff/primaries.html", context)
