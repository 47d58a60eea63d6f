"""Staff pages of proposals (module "Proposals" of the navigation): the dashboard, the moderation queue, a
proposal's page (moderation and linking forms, CSRF) and the import page. The services check every permission
and write the audit log; these routes parse, call them and present."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tandau.services.primaries.access import Action, allowed_somewhere
from tandau.services.primaries.imports import MAX_BYTES
from tandau.services.programmes import references
from tandau.services.proposals import imports, moderation, read, rules, themes
from tandau.web import charts, uploads
from tandau.web.deps import CurrentUser, SessionDep, allowed
from tandau.web.i18n import N_, translator
from tandau.web.routers import staff_assets
from tandau.web.routers.proposals import charts as proposal_charts
from tandau.web.routers.proposals import common
from tandau.web.templating import render
from tandau.web.uploads import UploadField

router = APIRouter()
FormText = Annotated[str, Form()]
# the import's problems by code (tandau.io.proposals_import), said in the page's language with their values
IMPORT_PROBLEMS: dict[str, str] = {
    "proposal_id_empty": N_("The id is empty."),
    "proposal_id_long": N_("An id has at most %(limit)s characters."),
    "proposal_id_twice": N_("Id %(value)s is also on row %(other)s."),
    "proposal_id_imported": N_("Id %(value)s was imported before."),
    "proposal_text_size": N_("A proposal has 10 to 2,000 characters; this one has %(length)s."),
    "proposal_territory": N_("“%(value)s” is not the 9-digit KATO code of a region, city or district."),
    "proposal_outside": N_("Territory %(value)s is outside what you may import."),
    "proposal_age": N_("“%(value)s” is not an age group (under_18, 18_28, 29_34, 35_59, 60_plus) or whole years."),
    "proposal_channel": N_("Unknown channel “%(value)s”: web, office, forum, phone or import."),
    "proposal_future": N_("%(value)s is in the future."),
    "proposal_moment": N_("“%(value)s” is not a date such as 2026-03-01 or a moment such as 2026-03-01T10:30."),
    "proposal_lang": N_("Unknown language “%(value)s”: kk, ru, or empty (detected)."),
    "proposal_theme": N_("Unknown theme “%(value)s”."),
}


def _common(request: Request) -> dict[str, Any]:
    return {"labels": common.LABELS, "place": common.place_namer(request), "theme": common.theme_namer(request),
            "themes": themes.theme_codes(), "age_groups": rules.AGE_GROUPS, "statuses": rules.STATUSES,
            "hide_reasons": rules.HIDE_REASONS, "charts": charts, "charts_ready": staff_assets.available(request)}


@router.get("/proposals/dashboard", include_in_schema=False)
def dashboard_page(request: Request, session: SessionDep, user: CurrentUser, territory: str = "") -> Response:
    board = read.dashboard(session, user, territory=territory or None)
    _ = translator(request)
    place = common.place_namer(request)
    regions = [{"kato": k, "name": place(k), "ages": dict(v), "total": sum(v.values()),
                "under_35": read.Dashboard.share(v)} for k, v in board.by_region.items()]
    regions.sort(key=lambda r: str(r["name"]))
    spec = proposal_charts.by_region(regions, _, lambda age: common.LABELS[age]) if regions else None
    return render(request, "proposals/dashboard.html", _common(request) | {
        "b": board, "regions": regions, "spec": spec, "territory": territory, "share": read.Dashboard.share,
        "may_import": allowed_somewhere(user, Action.PROPOSAL_IMPORT)})


@router.get("/proposals/queue", include_in_schema=False)
def queue_page(request: Request, session: SessionDep, user: CurrentUser, territory: str = "", status: str = "new",
               theme: str = "", age_group: str = "", group: str = "", page: int = 1) -> Response:
    number = max(1, page)
    found = read.list_proposals(session, user, territory=territory or None, status=status or None,
                                theme=theme or None, age_group=age_group or None, group=group or None,
                                offset=(number - 1) * read.PAGE)
    filters = {"territory": territory, "status": status, "theme": theme, "age_group": age_group, "group": group}
    return render(request, "proposals/queue.html", _common(request) | {
        "page": found, "number": number, "pages": max(1, -(-found.total // read.PAGE)), "f": filters})


@router.get("/proposals/item/{proposal_id}", include_in_schema=False)
def item_page(request: Request, session: SessionDep, user: CurrentUser, proposal_id: str) -> Response:
    proposal = moderation.visible(session, user, proposal_id)
    links = moderation.commitments_of(session, [proposal.id]).get(proposal.id, [])
    group = [] if proposal.duplicate_group is None else list(read.list_proposals(
        session, user, group=proposal.duplicate_group, limit=read.MAX_PAGE).rows)
    return render(request, "proposals/item.html", _common(request) | {
        "p": proposal, "links": links, "history": moderation.history(session, user, proposal_id), "group": group,
        "contact": proposal.contact if moderation.may_see_contact(user, proposal.kato) else None,
        "may_moderate": allowed(user, Action.PROPOSAL_MODERATE, proposal.kato),
        "may_link": allowed(user, Action.PROPOSAL_LINK, proposal.kato),
        "offered": references.commitments_for(session, proposal.kato)})


@router.post("/proposals/item/{proposal_id}/moderation", include_in_schema=False)
def moderate_page(session: SessionDep, user: CurrentUser, proposal_id: str, op: FormText, reason: FormText = "",
                  into: FormText = "", theme: FormText = "", note: FormText = "") -> Response:
    moderation.moderate(session, user, proposal_id, op, reason=reason or None, into=into or None,
                        theme=theme or None, note=note)
    return RedirectResponse(f"/proposals/item/{proposal_id}", status_code=303)


@router.post("/proposals/item/{proposal_id}/links", include_in_schema=False)
def link_page(session: SessionDep, user: CurrentUser, proposal_id: str, status: FormText,
              commitments: FormText = "", reason: FormText = "") -> Response:
    moderation.link(session, user, proposal_id, status, commitments=commitments.replace(";", ",").split(","),
                    reason=reason)
    return RedirectResponse(f"/proposals/item/{proposal_id}", status_code=303)


def _import_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    return render(request, "proposals/import.html", _common(request) | {
        "limit_mib": MAX_BYTES // 2**20, "messages": IMPORT_PROBLEMS} | context, status_code=status_code)


@router.get("/proposals/import", include_in_schema=False)
def import_form(request: Request, user: CurrentUser) -> Response:
    imports.require_import(user)
    return _import_page(request)


@router.post("/proposals/import", include_in_schema=False)
def import_page(request: Request, session: SessionDep, user: CurrentUser, file: UploadField = None,
                action: FormText = "check") -> Response:
    imports.require_import(user)
    return uploads.import_page(file, partial(_import_page, request), lambda name, data: imports.upload(
        session, user, name, data, apply=action == "import"))
