"""The deputies' staff pages: ``/deputies`` (scoped by territory; result and activity imports), a deputy
(``/deputies/d/{id}``: mandate, decisions, activity, what they own; the vacancy form), a council's faction
(``/deputies/councils/{id}``: result, faction, former deputies, decisions; the by-election form) and akims
(``/deputies/akims``). Every form carries the CSRF token; the services decide who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from tandau.core.deputies import ACTIVITY_KINDS
from tandau.services.deputies import activity, akims, read, results, vacancy
from tandau.services.primaries.access import Action
from tandau.services.primaries.kato import kato_prefix
from tandau.services.programmes.records import text_in
from tandau.web import places
from tandau.web.deps import CurrentUser, SessionDep, territories
from tandau.web.i18n import N_, language
from tandau.web.routers.deputies.api import day_of, read_upload
from tandau.web.templating import render

router = APIRouter()
PAGE_ROWS = 200  # deputies a page (Previous/Next); the filters narrow them
FormText = Annotated[str, Form()]
UploadField = Annotated[UploadFile | None, File()]

LABELS: dict[str, str] = {
    "active": N_("active"), "vacated": N_("vacated"), "list": N_("party list"),
    "district": N_("single-member district"),
    "session": N_("session"), "vote": N_("vote"), "inquiry": N_("deputy's inquiry"),
    "reception": N_("reception of citizens"), "report_to_voters": N_("report to voters"),
    "list_allocation": N_("list seats allocated"), "list_mandates": N_("list mandates assigned"),
    "district_winners": N_("district winners"), "vacancy": N_("mandate ended"), "succession": N_("successor"),
    "by_election": N_("by-election"), "workspace": N_("formed in the workspace"), "file": N_("imported file"),
    "none": N_("no list"), "for": N_("for"), "against": N_("against"), "abstain": N_("abstained"),
    "absent": N_("absent"), "on_track": N_("on track"), "at_risk": N_("at risk"), "off_track": N_("off track"),
    "achieved": N_("achieved"),
}


def _place(request: Request) -> Callable[[str | None], str]:
    lang = language(request)

    def name(kato: str | None) -> str:
        if kato is None:
            return ""
        prefix = kato_prefix(kato)
        return places.territory_name(prefix, prefix, lang)

    return name


@router.get("/deputies", include_in_schema=False)
def deputies_page(request: Request, session: SessionDep, user: CurrentUser, territory: str | None = None,
                  council: str | None = None, status: str | None = "active", offset: int = 0) -> Response:
    shown = read.deputies_page(session, user, territory=territory or None, council=council or None,
                               status=status or None, offset=offset, limit=PAGE_ROWS)
    query = urlencode({"territory": territory or "", "council": council or "", "status": status or ""})
    context = {"rows": shown.rows, "total": shown.total, "offset": shown.offset, "page_size": PAGE_ROWS,
               "query": query, "councils": read.councils(session, user), "territory": territory or "",
               "council": council or "", "status": status or "", "statuses": read.STATUSES, "labels": LABELS,
               "may_manage": bool(territories(user, Action.DEPUTY_MANAGE)), "place": _place(request),
               "kinds": ACTIVITY_KINDS}
    return render(request, "deputies/list.html", context)


@router.post("/deputies/results", include_in_schema=False)
def results_page(session: SessionDep, user: CurrentUser, council: FormText, party: FormText,
                 election_day: FormText, file: UploadField = None, party_list: UploadField = None) -> Response:
    name, data = read_upload(file) or ("", b"")
    listed = read_upload(party_list, required=False)
    names = results.read_list(listed[1], listed[0]) if listed else None
    results.import_results(session, user, council.strip(), data, name, party=party,
                           election_day=day_of(election_day, "election_day"), party_list=names)
    return RedirectResponse(f"/deputies/councils/{council.strip()}", status_code=303)


@router.post("/deputies/activity", include_in_schema=False)
def activity_page(request: Request, session: SessionDep, user: CurrentUser, file: UploadField = None) -> Response:
    name, data = read_upload(file) or ("", b"")
    done = activity.import_activity(session, user, data, name)
    return render(request, "deputies/imported.html", {"done": done, "labels": LABELS})


@router.get("/deputies/d/{deputy_id}", include_in_schema=False)
def deputy_page(request: Request, session: SessionDep, user: CurrentUser, deputy_id: str) -> Response:
    d = read.deputy_detail(session, user, deputy_id)
    return render(request, "deputies/deputy.html", {"d": d, "dep": d.deputy, "labels": LABELS,
                                                    "place": _place(request), "data": read.decision_data,
                                                    "text_in": text_in})


@router.post("/deputies/d/{deputy_id}/vacancy", include_in_schema=False)
def vacancy_page(session: SessionDep, user: CurrentUser, deputy_id: str, reason: FormText, on: FormText
                 ) -> Response:
    out = vacancy.vacate(session, user, deputy_id, reason=reason, on=day_of(on, "on"))
    target = out.successor.id if out.successor is not None else out.vacated.id
    return RedirectResponse(f"/deputies/d/{target}", status_code=303)


@router.get("/deputies/councils/{council_id}", include_in_schema=False)
def council_page(request: Request, session: SessionDep, user: CurrentUser, council_id: str) -> Response:
    f = read.faction(session, user, council_id)
    return render(request, "deputies/council.html", {"f": f, "c": f.council, "labels": LABELS,
                                                     "place": _place(request)})


@router.post("/deputies/councils/{council_id}/by-election", include_in_schema=False)
def by_election_page(session: SessionDep, user: CurrentUser, council_id: str, district: FormText, winner: FormText,
                     day: FormText, party: FormText = "", person_id: FormText = "", sex: FormText = "") -> Response:
    vacancy.by_election(session, user, council_id, district, winner=winner, party=party, day=day_of(day, "day"),
                        person_id=person_id, sex=sex or None)
    return RedirectResponse(f"/deputies/councils/{council_id}", status_code=303)


@router.get("/deputies/akims", include_in_schema=False)
def akims_page(request: Request, session: SessionDep, user: CurrentUser, territory: str | None = None) -> Response:
    rows = akims.list_akims(session, user, territory=territory or None)
    return render(request, "deputies/akims.html", {"rows": rows, "territory": territory or "",
                                                   "may_manage": bool(territories(user, Action.DEPUTY_MANAGE)),
                                                   "place": _place(request)})


@router.post("/deputies/akims", include_in_schema=False)
def add_akim_page(session: SessionDep, user: CurrentUser, kato: FormText, name: FormText, appointed_at: FormText,
                  person_id: FormText = "") -> Response:
    akims.add_akim(session, user, kato, name, day_of(appointed_at, "appointed_at"), person_id=person_id)
    return RedirectResponse("/deputies/akims", status_code=303)


@router.post("/deputies/akims/{akim_id}/end", include_in_schema=False)
def end_akim_page(session: SessionDep, user: CurrentUser, akim_id: str, left_at: FormText) -> Response:
    akims.end_akim(session, user, akim_id, day_of(left_at, "left_at"))
    return RedirectResponse("/deputies/akims", status_code=303)
