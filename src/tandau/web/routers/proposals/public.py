"""Public proposal pages (no account): the form ``/proposals/new`` (region, then district: HTMX swaps the district
list, or a plain "show districts" button without JavaScript), the receipt shown once, ``/proposals/receipt``
(a proposal's status by its receipt code) and ``/proposals/t/{kato}`` ("you proposed, the programme answers")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tandau.errors import InputError
from tandau.services.primaries.errors import NotFoundError
from tandau.services.proposals import intake, read, rules
from tandau.services.proposals.receipts import TooManyProposalsError
from tandau.web.deps import OptionalUser, SessionDep
from tandau.web.i18n import N_, language
from tandau.web.routers.proposals import common
from tandau.web.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]
# what the form says about each field the service refuses (translated in the template)
FIELD_PROBLEMS: dict[str, str] = {
    "text": N_("A proposal has 10 to 2,000 characters."),
    "territory": N_("Choose a region and, if you like, a city or district."),
    "age_group": N_("Choose your age group."),
    "lang": N_("Choose Kazakh, Russian, or let the language be detected."),
    "contact": N_("A contact has at most 200 characters."),
    "website": N_("The form was filled in by a program, not a person: nothing was stored."),
}


def _form_context(request: Request, region: str, values: dict[str, str]) -> dict[str, Any]:
    return common.region_choice(region, language(request)) | {
        "values": values, "age_groups": rules.AGE_GROUPS, "labels": common.LABELS, "min_text": rules.MIN_TEXT,
        "max_text": rules.MAX_TEXT, "max_contact": rules.MAX_CONTACT}


@router.get("/proposals", include_in_schema=False)
def index_page(request: Request, user: OptionalUser) -> Response:
    """The public entry: make a proposal, follow one, or read a region's proposals and answers."""
    return render(request, "proposals/index.html", {"regions": common.regions(language(request))})


@router.get("/proposals/new", include_in_schema=False)
def new_form(request: Request, user: OptionalUser, region: str = "") -> Response:
    return render(request, "proposals/new.html", _form_context(request, region, {}))


@router.get("/proposals/districts", include_in_schema=False)
def district_options(request: Request, region: str = "") -> Response:
    """The district field for a region (the HTMX swap of the form)."""
    return render(request, "proposals/_districts.html", _form_context(request, region, {}))


@router.post("/proposals/new", include_in_schema=False)
def submit_form(request: Request, session: SessionDep, user: OptionalUser, text: FormText = "",
                region: FormText = "", territory: FormText = "", age_group: FormText = "", lang: FormText = "",
                contact: FormText = "", website: FormText = "") -> Response:
    values = {"text": text, "territory": territory, "age_group": age_group, "lang": lang, "contact": contact}
    try:
        proposal, code = intake.submit(session, intake.Submission(text, territory or region, age_group, lang,
                                                                  contact, website),
                                       key=common.receipt_key(request), address=common.address(request),
                                       per_hour=common.per_hour(request))
    except TooManyProposalsError as exc:
        return common.limit_page(request, "proposals/limit.html", exc)
    except InputError as exc:
        context = _form_context(request, region, values) | {
            "error": exc.problem, "field": exc.parameter, "field_problem": FIELD_PROBLEMS.get(exc.parameter or "")}
        return render(request, "proposals/new.html", context, status_code=400)
    page = render(request, "proposals/thanks.html", {"code": code, "p": proposal, "place": common.place_namer(request)})
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/proposals/receipt", include_in_schema=False)
def receipt_page(request: Request, session: SessionDep, user: OptionalUser, code: str = "") -> Response:
    found = None
    missing = False
    if code.strip():
        try:
            found = read.public_view(session, intake.by_receipt(session, common.receipt_key(request), code))
        except NotFoundError:
            missing = True
    page = render(request, "proposals/receipt.html", {
        "code": code, "p": found, "missing": missing, "labels": common.LABELS, "place": common.place_namer(request),
        "theme": common.theme_namer(request)}, status_code=404 if missing else 200)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/proposals/t/{kato}", include_in_schema=False)
def territory_page(request: Request, session: SessionDep, user: OptionalUser, kato: str, status: str = "",
                   page: int = 1) -> Response:
    number = max(1, page)
    found = read.territory_page(session, kato, status=status or None, offset=(number - 1) * read.PAGE)
    lang = language(request)
    units = common.districts(rules.region_of(kato), lang) if kato == rules.region_of(kato) else []
    return render(request, "proposals/territory.html", {
        "kato": kato, "page": found, "number": number, "pages": max(1, -(-found.total // read.PAGE)),
        "status": status, "statuses": [s for s in rules.STATUSES if s != "hidden"], "labels": common.LABELS,
        "place": common.place_namer(request), "theme": common.theme_namer(request), "units": units,
        "region": rules.region_of(kato)})
