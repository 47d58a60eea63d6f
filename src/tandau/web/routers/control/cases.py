"""Control cases: the case board and a case's page (``/control/cases``), and their JSON API
(``/api/v1/control/cases``). The service (:mod:`tandau.services.control.cases`) checks every permission and
writes the audit log; these routes parse, call it and present.

Evidence uploads are refused by who may not act on the case before the file is read, and over
``TANDAU_CASE_FILE_MAX_BYTES`` (``app.state.case_file_max_bytes`` when set: tests use a small one) after reading at
most one byte more than the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.control import cases
from tandau.services.primaries.access import Action, Actor
from tandau.services.primaries.kato import kato_prefix
from tandau.store.control_models import ControlCase, ControlCaseStep
from tandau.web import places, stored_files
from tandau.web.deps import CurrentUser, SessionDep, territories
from tandau.web.i18n import N_, language
from tandau.web.templating import render
from tandau.web.text_input import STORABLE

router = APIRouter()

# what the pages say for the service's ids (translated in the templates)
LABELS: dict[str, str] = {
    "open": N_("open"), "inquiry_sent": N_("inquiry sent"), "answer_received": N_("answer received"),
    "escalated": N_("escalated to the central office"), "resolved": N_("resolved"), "closed": N_("closed"),
    "confirmed": N_("confirmed"), "not_confirmed": N_("not confirmed"),
    "flag": N_("red flag"), "signal": N_("citizen's signal"), "deputy": N_("deputy"),
    "programme": N_("programme"), "procurement": N_("procurement"), "commission": N_("control commission"),
}
STEP_LABELS: dict[str, str] = {
    "open": N_("Case opened"), "send_inquiry": N_("Send an inquiry"), "record_answer": N_("Record the answer"),
    "resolve": N_("Resolve"), "escalate": N_("Escalate to the central office"), "close": N_("Close the case"),
}

FormText = Annotated[str, Form()]
# the multipart ``file`` part (the size limit of any form body: tandau.web.uploads.BodyLimitMiddleware)
UploadField = Annotated[UploadFile | None, File(description="the evidence file: PDF, PNG, JPEG, XLSX, CSV or text")]


def file_limit(request: Request) -> int:
    """The size limit of an evidence file, in bytes."""
    limit = getattr(request.app.state, "case_file_max_bytes", None)
    if isinstance(limit, int) and limit > 0:
        return limit
    settings = getattr(request.app.state, "settings", None)
    return int(getattr(settings, "case_file_max_bytes", cases.DEFAULT_MAX_BYTES))


def _read_upload(request: Request, upload: UploadField) -> tuple[str, bytes]:
    if upload is None or not upload.filename:
        raise InputError("choose a file to attach", parameter="file")
    upload.file.seek(0)
    return upload.filename, upload.file.read(file_limit(request) + 1)


def _day(value: str | None, parameter: str = "due") -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"expected a day such as 2026-04-30, got {value!r}", parameter=parameter) from None


def _place(request: Request) -> Callable[[str], str]:
    """A case's territory by name in the page's language (the unit of its KATO prefix; the code if unknown)."""
    lang = language(request)

    def name(kato: str) -> str:
        prefix = kato_prefix(kato)
        return places.territory_name(prefix, prefix, lang)

    return name


def _download(request: Request, session: Session, user: Actor, case_id: str, file_id: str) -> Response:
    row = cases.read_file(session, user, case_id, file_id, store=stored_files.store(request))
    disposition = f"attachment; filename*=UTF-8''{quote(row.name)}"
    return Response(row.content, media_type=row.media_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "no-store"})


# ---- pages -------------------------------------------------------------------------------------------------------

@router.get("/control/cases", include_in_schema=False)
def board(request: Request, session: SessionDep, user: CurrentUser, status: str | None = None,
          territory: str | None = None) -> Response:
    rows = cases.list_cases(session, user, status=status or None, territory=territory or None)
    context = {"rows": rows, "status": status or "", "territory": territory or "", "statuses": cases.STATUSES,
               "overdue": sum(r.overdue for r in rows), "may_open": bool(territories(user, Action.CASE_OPEN)),
               "sources": cases.SOURCES, "flag_kinds": cases.FLAG_KINDS, "owner_kinds": cases.OWNER_KINDS,
               "labels": LABELS, "place": _place(request)}
    return render(request, "control/cases.html", context)


@router.post("/control/cases", include_in_schema=False)
def open_page(session: SessionDep, user: CurrentUser, title: FormText, source: FormText, kato: FormText = "",
              description: FormText = "", flag_kind: FormText = "", flag_code: FormText = "", flag_ref: FormText = "",
              owner_kind: FormText = "commission", owner: FormText = "", due: FormText = "") -> Response:
    case = cases.open_case(session, user, cases.CaseRequest(
        title=title, kato=kato, source=source, description=description, flag_kind=flag_kind or None,
        flag_code=flag_code or None, flag_ref=flag_ref or None, owner_kind=owner_kind, owner=owner or None,
        due=_day(due)))
    return RedirectResponse(f"/control/cases/{case.id}", status_code=303)


@router.get("/control/cases/{case_id}", include_in_schema=False)
def case_page(request: Request, session: SessionDep, user: CurrentUser, case_id: str) -> Response:
    found = cases.detail(session, user, case_id)
    return render(request, "control/case.html", {"d": found, "c": found.case, "outcomes": cases.OUTCOMES,
                                                     "labels": LABELS, "step_labels": STEP_LABELS,
                                                     "place": _place(request)})


@router.post("/control/cases/{case_id}/step", include_in_schema=False)
def step_page(session: SessionDep, user: CurrentUser, case_id: str, step: FormText, note: FormText = "",
              outcome: FormText = "", due: FormText = "") -> Response:
    cases.take_step(session, user, case_id, step, note=note, outcome=outcome or None, due=_day(due))
    return RedirectResponse(f"/control/cases/{case_id}", status_code=303)


@router.post("/control/cases/{case_id}/files", include_in_schema=False)
def attach_page(request: Request, session: SessionDep, user: CurrentUser, case_id: str,
                file: UploadField = None) -> Response:
    cases.require_attach(session, user, case_id)
    name, data = _read_upload(request, file)
    cases.attach(session, user, case_id, name, data, limit=file_limit(request), store=stored_files.store(request))
    return RedirectResponse(f"/control/cases/{case_id}", status_code=303)


@router.get("/control/cases/{case_id}/files/{file_id}", include_in_schema=False)
def download_page(request: Request, session: SessionDep, user: CurrentUser, case_id: str, file_id: str) -> Response:
    return _download(request, session, user, case_id, file_id)


# ---- JSON API ----------------------------------------------------------------------------------------------------

Short = Annotated[str, Field(max_length=200), STORABLE]
Long = Annotated[str, Field(max_length=cases.MAX_NOTE), STORABLE]
Code = Annotated[str, Field(max_length=16), STORABLE]


class CaseCreate(BaseModel):
    title: Short = Field(description="what the case is about")
    kato: Short | None = Field(default=None, description="9-digit KATO code of the territory; null: the whole country")
    source: Literal["flag", "signal", "deputy"]
    description: Long = ""
    flag_kind: Literal["programme", "procurement"] | None = Field(default=None, description="with source flag")
    flag_code: Code | None = Field(default=None, description="the flag's code, e.g. P04 or R018 (source flag)")
    flag_ref: Short | None = Field(default=None, description="the series or process (ocid) it fired on (source flag)")
    owner_kind: Literal["commission", "deputy"] = Field(default="commission",
                                                        description="the control commission of the territory, "
                                                        "or a deputy")
    owner: Short | None = Field(default=None, description="the deputy's name (owner_kind deputy)")
    due: date | None = Field(default=None, description="deadline of the first step (default: 10 days)")


class StepCreate(BaseModel):
    step: Literal["send_inquiry", "record_answer", "resolve", "escalate", "close"]
    note: Long = Field(default="", description="required to resolve (the resolution note) and to escalate")
    outcome: Literal["confirmed", "not_confirmed"] | None = Field(default=None, description="resolve only")
    due: date | None = Field(default=None, description="deadline of the next step (default per status)")


class StepPublic(BaseModel):
    step: str
    from_status: str | None
    to_status: str
    note: str
    due_at: datetime | None
    at: datetime
    actor: str


class FilePublic(BaseModel):
    id: str
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


class CasePublic(BaseModel):
    id: str
    title: str
    description: str
    kato: str | None
    source: str
    flag_kind: str | None
    flag_code: str | None
    flag_ref: str | None
    owner_kind: str
    owner: str
    status: str
    outcome: str | None
    resolution: str | None
    due_at: datetime | None
    overdue: bool
    opened_at: datetime
    opened_by: str
    updated_at: datetime


class CaseDetailPublic(CasePublic):
    steps: list[StepPublic]
    files: list[FilePublic]
    next_steps: list[str] = Field(description="the steps the caller may take now")


def _case_public(case: ControlCase, overdue: bool) -> dict[str, object]:
    return {k: getattr(case, k) for k in ("id", "title", "description", "kato", "source", "flag_kind", "flag_code",
                                          "flag_ref", "owner_kind", "owner", "status", "outcome", "resolution",
                                          "due_at", "opened_at", "opened_by", "updated_at")} | {"overdue": overdue}


def _step_public(s: ControlCaseStep) -> StepPublic:
    return StepPublic(step=s.step, from_status=s.from_status, to_status=s.to_status, note=s.note, due_at=s.due_at,
                      at=s.at, actor=s.actor)


def _detail_public(session: Session, user: Actor, case_id: str) -> CaseDetailPublic:
    d = cases.detail(session, user, case_id)
    return CaseDetailPublic.model_validate(_case_public(d.case, d.overdue) | {
        "steps": [_step_public(s) for s in d.steps], "files": [_file_public(f) for f in d.files],
        "next_steps": list(d.next_steps)})


def _file_public(f: cases.FileInfo) -> FilePublic:
    return FilePublic(id=f.id, name=f.name, media_type=f.media_type, size=f.size, sha256=f.sha256,
                      uploaded_at=f.uploaded_at, uploaded_by=f.uploaded_by)


@router.get("/api/v1/control/cases", tags=["control"])
def list_api(session: SessionDep, user: CurrentUser, status: str | None = None, territory: str | None = None,
             overdue: bool | None = None) -> list[CasePublic]:
    """The cases the caller may read, overdue first (filters: ``status``, ``territory`` KATO prefix, ``overdue``)."""
    rows = cases.list_cases(session, user, status=status or None, territory=territory or None, overdue=overdue)
    return [CasePublic.model_validate(_case_public(r.case, r.overdue)) for r in rows]


@router.post("/api/v1/control/cases", tags=["control"], status_code=201)
def open_api(session: SessionDep, user: CurrentUser, body: CaseCreate) -> CaseDetailPublic:
    """Open a case (a control-commission member or secretary of the territory, the central office)."""
    case = cases.open_case(session, user, cases.CaseRequest(**body.model_dump()))
    return _detail_public(session, user, case.id)


@router.get("/api/v1/control/cases/{case_id}", tags=["control"])
def case_api(session: SessionDep, user: CurrentUser, case_id: str) -> CaseDetailPublic:
    """A case with its history, evidence files (without their bytes) and the caller's next allowed steps."""
    return _detail_public(session, user, case_id)


@router.post("/api/v1/control/cases/{case_id}/steps", tags=["control"])
def step_api(session: SessionDep, user: CurrentUser, case_id: str, body: StepCreate) -> CaseDetailPublic:
    """Take a step; a step the case's status does not allow is 409 ``conflict`` naming the allowed ones."""
    cases.take_step(session, user, case_id, body.step, note=body.note, outcome=body.outcome, due=body.due)
    return _detail_public(session, user, case_id)


@router.post("/api/v1/control/cases/{case_id}/files", tags=["control"], status_code=201)
def attach_api(request: Request, session: SessionDep, user: CurrentUser, case_id: str,
               file: UploadField = None) -> FilePublic:
    """Attach an evidence file (multipart ``file``): PDF, PNG, JPEG, XLSX, CSV or plain text, checked by content;
    over the size limit 413 ``file_too_large``, another type 400 ``invalid_input``."""
    cases.require_attach(session, user, case_id)
    name, data = _read_upload(request, file)
    info = cases.attach(session, user, case_id, name, data, limit=file_limit(request),
                        store=stored_files.store(request))
    return _file_public(info)


@router.get("/api/v1/control/cases/{case_id}/files/{file_id}", tags=["control"],
            responses={200: {"content": {"application/octet-stream": {}}}})
def download_api(request: Request, session: SessionDep, user: CurrentUser, case_id: str, file_id: str) -> Response:
    """The file's bytes as stored (its checked media type; ``Content-Disposition: attachment``)."""
    return _download(request, session, user, case_id, file_id)

