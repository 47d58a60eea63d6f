"""The programmes' pages (``/programmes``): the list with status and territory filters, a programme's page
(sections in theme order, commitments, lint findings, versions with their diff, comments, history, the workflow
steps as forms), the editor (a form per commitment), and the public page of a published programme (``/p/{id}``,
no sign-in). The services check every permission; these routes parse, call and present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.core.programmes import DIRECTIONS, KINDS, SECTIONS, message
from tandau.errors import InputError
from tandau.services.primaries.access import Action, Actor
from tandau.services.primaries.errors import NotFoundError, StateError
from tandau.services.primaries.kato import kato_prefix
from tandau.services.programmes import drafting, publication, references, responsible, workflow
from tandau.services.programmes.records import (
    FUNDING,
    SECTION_NAMES,
    STATE_PROGRAMMES,
    WINGS,
    parse_record,
    records_from_upload,
    text_in,
    title_in,
)
from tandau.services.programmes.to_control import made_targets, to_control
from tandau.web import places
from tandau.web.deps import CurrentUser, FormDep, OptionalUser, SessionDep, territories
from tandau.web.i18n import N_, language
from tandau.web.templating import render

router = APIRouter()
FormText = Annotated[str, Form()]
UploadField = Annotated[UploadFile | None, File(description="PROGRAMME.csv or .xlsx (docs/programmes.md)")]

LABELS: dict[str, str] = {
    "draft": N_("draft"), "submitted": N_("submitted"), "returned": N_("returned"), "approved": N_("approved"),
    "published": N_("published"), "create": N_("Programme created"), "submit": N_("Submit to the central office"),
    "return": N_("Return with reasons"), "approve": N_("Approve"), "publish": N_("Publish"),
    "increase": N_("increase"), "decrease": N_("decrease"), "cumulative": N_("cumulative"), "level": N_("level"),
    "republican": N_("republican budget"), "local": N_("local budget"), "other": N_("other source"),
    "council": N_("council"), "wing": N_("wing"), "error": N_("error"), "notice": N_("notice"),
    "auyl-el-besigi": N_("Auyl – El Besigi"), "clean-water": N_("Clean drinking water"),
    "enbek": N_("Enbek"), "housing": N_("Housing (Nurly Zher)"),
}
FIELD_LABELS: dict[str, str] = {
    "section": N_("Section"), "territory": N_("Territory"), "text_kk": N_("Text in Kazakh"),
    "text_ru": N_("Text in Russian"), "text_en": N_("Text in English"), "indicator": N_("Indicator"),
    "unit": N_("Unit"), "baseline": N_("Baseline"), "baseline_year": N_("Baseline year"), "target": N_("Target"),
    "deadline": N_("Deadline"), "direction": N_("Direction"), "kind": N_("Kind"), "budget_kzt": N_("Budget, KZT"),
    "funding": N_("Source of funding"), "funding_source": N_("Funding note"), "responsible": N_("Responsible body"),
    "development_indicator": N_("Development programme indicator"), "state_programme": N_("State programme"),
    "proposals": N_("Proposals answered"), "deputies": N_("Responsible deputies"),
}


def _place(request: Request) -> Callable[[str], str]:
    """A territory by name in the page's language (``KZ``: Kazakhstan; the code if unknown)."""
    lang = language(request)

    def name(kato: str) -> str:
        if kato == "KZ":
            return {"kk": "Қазақстан", "ru": "Казахстан"}.get(lang, "Kazakhstan")
        prefix = kato_prefix(kato)
        return places.territory_name(prefix, prefix, lang)

    return name


def _common(request: Request) -> dict[str, Any]:
    lang = language(request)
    return {"labels": LABELS, "field_labels": FIELD_LABELS, "place": _place(request), "text_in": text_in,
            "section_name": lambda s: SECTION_NAMES[s][lang],
            "title": lambda r: title_in(r.kind, r.owner, r.title_kk, r.title_ru, lang)}


def _int(value: str | None, parameter: str) -> int | None:
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit():
        raise InputError(f"expected a version number, got {value!r}", parameter=parameter)
    return int(value)


def _back(programme_id: str, page: str = "") -> RedirectResponse:
    return RedirectResponse(f"/programmes/{programme_id}{page}", status_code=303)


@router.get("/programmes", include_in_schema=False)
def list_page(request: Request, session: SessionDep, user: CurrentUser, status: str | None = None,
              cycle: str | None = None, territory: str | None = None) -> Response:
    rows = workflow.list_programmes(session, user, status=status or None, cycle=cycle or None,
                                    territory=territory or None)
    counts = {s: sum(r.status == s for r in rows) for s in workflow.STATUSES}
    return render(request, "programmes/list.html", _common(request) | {
        "rows": rows, "status": status or "", "cycle": cycle or "", "territory": territory or "",
        "statuses": workflow.STATUSES, "counts": counts, "wings": WINGS,
        "may_create": bool(territories(user, Action.PROGRAMME_EDIT))})


@router.post("/programmes", include_in_schema=False)
def create_page(session: SessionDep, user: CurrentUser, cycle: FormText, council: FormText = "",
                wing: FormText = "", file: UploadField = None) -> Response:
    owner = workflow.owner_of(session, council=council.strip() or None, wing=wing.strip() or None)
    workflow.require_edit(user, owner.kato)
    name = file.filename if file is not None and file.filename else ""
    faction = responsible.faction(session, owner.kind, owner.id)
    records = records_from_upload(name, file.file.read(), faction) if file is not None and name else []
    row = workflow.create(session, user, owner, cycle, records, note=name)
    return _back(row.id)


@router.get("/programmes/{programme_id}", include_in_schema=False)
def programme_page(request: Request, session: SessionDep, user: CurrentUser, programme_id: str,
                   before: str | None = None, after: str | None = None, control: str | None = None) -> Response:
    d = workflow.detail(session, user, programme_id)
    v1, v2 = _int(before, "before"), _int(after, "after")
    changes = workflow.diff(session, user, programme_id, v1, v2) if v1 is not None and v2 is not None else None
    lang = language(request)
    return render(request, "programmes/programme.html", _common(request) | {
        "d": d, "p": d.programme, "sections": publication.sections(list(d.records)),
        "findings": [(f, message(f, lang)) for f in d.findings], "changes": changes, "before": v1, "after": v2,
        "made_target": control if control and any(r["commitment"] == control for r in d.records) else None,
        "targets": made_targets(session, d.records) if d.programme.status in ("approved", "published") else (),
        "may_assign": responsible.may_assign(user, d.programme),
        "answered": references.answered_proposals(session, programme_id)})


@router.post("/programmes/{programme_id}/step", include_in_schema=False)
def step_page(session: SessionDep, user: CurrentUser, programme_id: str, step: FormText,
              reason: FormText = "") -> Response:
    workflow.take_step(session, user, programme_id, step, reason=reason)
    return _back(programme_id)


@router.post("/programmes/{programme_id}/comments", include_in_schema=False)
def comment_page(session: SessionDep, user: CurrentUser, programme_id: str, body: FormText,
                 commitment: FormText = "") -> Response:
    workflow.add_comment(session, user, programme_id, body, commitment=commitment or None)
    return _back(programme_id, "#comments")


@router.post("/programmes/{programme_id}/to-control", include_in_schema=False)
def to_control_page(session: SessionDep, user: CurrentUser, programme_id: str, commitment: FormText) -> Response:
    to_control(session, user, programme_id, commitment)
    return _back(programme_id, "?control=" + quote(commitment))


@router.post("/programmes/{programme_id}/commitments/{commitment}/deputies", include_in_schema=False)
def deputies_page(session: SessionDep, user: CurrentUser, programme_id: str, commitment: str,
                  deputies: FormText = "") -> Response:
    workflow.assign_deputies(session, user, programme_id, commitment, deputies.replace(",", ";").split(";"))
    return _back(programme_id, "#c-" + quote(commitment))


def _editor(request: Request, session: Session, user: Actor, programme_id: str, *, partial: bool = False,
            opened: str | None = None, error: str | None = None, draft: bool = False) -> Response:
    row = workflow.get(session, programme_id)
    workflow.require_edit(user, row.kato)
    d = workflow.detail(session, user, programme_id)
    proposed, draft_error = None, None
    if draft:
        try:
            proposed = drafting.draft_for_programme(session, user, programme_id)
        except (InputError, StateError) as exc:
            draft_error = str(exc)
    by_commitment: dict[str, list[str]] = {}
    lang = language(request)
    for f in d.findings:
        by_commitment.setdefault(f.commitment, []).append(f"{f.code}: {message(f, lang)}")
    name = "programmes/_editor.html" if partial else "programmes/edit.html"
    return render(request, name, _common(request) | {
        "d": d, "p": d.programme, "findings": by_commitment, "sections": SECTIONS, "directions": DIRECTIONS,
        "kinds": KINDS, "funding": FUNDING, "state_programmes": STATE_PROGRAMMES, "opened": opened, "error": error,
        "draft": draft, "proposed_draft": proposed, "draft_error": draft_error,
        "may_draft": row.kind == "council" and row.kato != "KZ"})


def _edit(request: Request, session: Session, user: Actor, programme_id: str, change: Callable[[], str | None],
          anchor: str, *, draft: bool = False) -> Response:
    """Apply an edit; with HTMX answer the editor's fragment (a refusal shown in it; the draft's proposals still
    shown when the edit came from them), else redirect."""
    if request.headers.get("HX-Request") != "true":
        change()
        return _back(programme_id, anchor)
    try:
        opened = change()
    except (InputError, StateError, NotFoundError) as exc:
        session.rollback()
        return _editor(request, session, user, programme_id, partial=True, error=str(exc), draft=draft)
    return _editor(request, session, user, programme_id, partial=True, opened=opened, draft=draft)


@router.get("/programmes/{programme_id}/edit", include_in_schema=False)
def edit_page(request: Request, session: SessionDep, user: CurrentUser, programme_id: str,
              draft: str | None = None) -> Response:
    """The editor; ``draft=1`` adds the commitments proposed from the development programme (with HTMX: the
    editor's fragment only)."""
    return _editor(request, session, user, programme_id, draft=draft == "1",
                   partial=request.headers.get("HX-Request") == "true")


@router.post("/programmes/{programme_id}/commitments", include_in_schema=False)
def put_page(request: Request, session: SessionDep, user: CurrentUser, programme_id: str, form: FormDep) -> Response:
    row = workflow.get(session, programme_id)
    workflow.require_edit(user, row.kato)
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}

    def change() -> str:
        record = parse_record(fields, row.kato)
        workflow.put_commitment(session, user, programme_id, record, replaces=fields.get("replaces") or None,
                                base_version=_int(fields.get("base_version"), "base_version"))
        return str(record["commitment"])

    from_draft = fields.get("from_draft") == "1"
    anchor = ("/edit?draft=1" if from_draft else "/edit") + f"#c-{quote(fields.get('commitment', ''))}"
    return _edit(request, session, user, programme_id, change, anchor, draft=from_draft)


@router.post("/programmes/{programme_id}/commitments/{commitment}/remove", include_in_schema=False)
def remove_page(request: Request, session: SessionDep, user: CurrentUser, programme_id: str, commitment: str,
                base_version: FormText = "") -> Response:
    def change() -> None:
        workflow.remove_commitment(session, user, programme_id, commitment,
                                   base_version=_int(base_version, "base_version"))

    return _edit(request, session, user, programme_id, change, "/edit")


@router.get("/p/{programme_id}.pdf", include_in_schema=False)
def public_pdf(session: SessionDep, programme_id: str, lang: str = "ru") -> Response:
    data = publication.programme_pdf(session, programme_id, lang)
    disposition = f'attachment; filename="{programme_id}-{lang}.pdf"'
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/p/{programme_id}", include_in_schema=False)
def public_page(request: Request, session: SessionDep, user: OptionalUser, programme_id: str) -> Response:
    row, head = publication.published(session, programme_id)
    doc = publication.document(row, head)
    return render(request, "programmes/public.html", _common(request) | {
        "p": row, "doc": doc, "user": user, "pdf": doc["commitments"] > 0,
        "answered": references.answered_proposals(session, programme_id)})
