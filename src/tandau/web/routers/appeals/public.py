"""Public appeal pages (no account): the form ``/appeals/new`` (region, then city or district, as the proposals'
form), the receipt shown once, and ``/appeals/receipt`` (where an appeal stands, by its receipt code; the
applicant rates the answer there)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.appeals import intake, read, workflow
from tandau.services.appeals.intake import AppealForm, TooManyAppealsError
from tandau.services.primaries.errors import NotFoundError
from tandau.web.deps import OptionalUser, SessionDep
from tandau.web.i18n import language
from tandau.web.routers.appeals import common
from tandau.web.routers.proposals import common as places
from tandau.web.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]


def _form(request: Request, region: str, values: dict[str, str]) -> dict[str, Any]:
    return places.region_choice(region, language(request)) | {
        "values": values, "min_text": intake.MIN_TEXT, "max_text": intake.MAX_TEXT, "max_name": intake.MAX_NAME}


@router.get("/appeals/new", include_in_schema=False)
def new_form(request: Request, user: OptionalUser, region: str = "") -> Response:
    return render(request, "appeals/new.html", _form(request, region, {}))


@router.post("/appeals/new", include_in_schema=False)
def submit_form(request: Request, session: SessionDep, user: OptionalUser, text: FormText = "",
                region: FormText = "", territory: FormText = "", name: FormText = "", contact: FormText = "",
                website: FormText = "") -> Response:
    values = {"text": text, "territory": territory, "name": name, "contact": contact}
    try:
        appeal, code = intake.submit(session, AppealForm(text, territory or region, name, contact, "", website),
                                     keys=common.keys(request), address=common.address(request),
                                     per_hour=common.per_hour(request))
    except TooManyAppealsError as exc:
        return places.limit_page(request, "appeals/limit.html", exc)
    except InputError as exc:
        context = _form(request, region, values) | {"error": exc.problem, "field": exc.parameter}
        return render(request, "appeals/new.html", context, status_code=400)
    page = render(request, "appeals/thanks.html", {"code": code, "a": read.public_view(appeal)})
    page.headers["Cache-Control"] = "no-store"
    return page


@router.get("/appeals/receipt", include_in_schema=False)
def receipt_page(request: Request, session: SessionDep, user: OptionalUser, code: str = "") -> Response:
    found, missing = None, False
    if code.strip():
        try:
            found = read.public_view(intake.by_receipt(session, common.keys(request).receipt, code))
        except NotFoundError:
            missing = True
    page = render(request, "appeals/receipt.html", {"code": code, "a": found, "missing": missing,
                                                     "labels": common.LABELS}, status_code=404 if missing else 200)
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/appeals/receipt", include_in_schema=False)
def rate_page(request: Request, session: SessionDep, user: OptionalUser, code: FormText = "",
              satisfaction: FormText = "") -> Response:
    appeal = intake.by_receipt(session, common.keys(request).receipt, code)
    workflow.rate(session, appeal, satisfaction)
    response = RedirectResponse(f"/appeals/receipt?code={quote(code.strip())}", status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response
