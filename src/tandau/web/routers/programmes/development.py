"""Territorial development programmes and drafting from them: the page of a territory's indicators
(``/programmes/development/{territory}``) with its import form, and the JSON API (``/api/v1/development``, the
draft proposals of a programme at ``/api/v1/programmes/{id}/draft``). The services
(:mod:`tandau.services.programmes.development`, :mod:`tandau.services.programmes.drafting`) check every permission
and do the work; these routes parse, call and present.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.primaries.imports import MAX_BYTES, no_file_chosen
from tandau.services.programmes import development, drafting
from tandau.services.programmes.records import SECTION_NAMES
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import language
from tandau.web.routers.programmes.pages import _common
from tandau.web.routers.programmes.schemas import (
    DevImportPublic,
    DevSeriesPublic,
    DevTerritoryPublic,
    DevValuePublic,
    DraftCommitmentPublic,
    DraftPublic,
    DraftSectionPublic,
)
from tandau.web.templating import render

router = APIRouter()
TAGS: list[str | Any] = ["programmes"]
UploadField = Annotated[UploadFile | None, File(description="DEVELOPMENT.csv or .xlsx (docs/programmes.md)")]


def _upload(file: UploadFile | None) -> tuple[str, bytes]:
    if file is None or not file.filename:
        raise no_file_chosen()
    return file.filename, file.file.read(MAX_BYTES + 1)  # the service refuses what is over the limit


def _plain(value: Any) -> str:
    return f"{value.normalize():f}"


# ---- pages ---------------------------------------------------------------------------------------------------------

@router.get("/programmes/development/{territory}", include_in_schema=False)
def development_page(request: Request, session: SessionDep, user: CurrentUser, territory: str,
                     imported: str | None = None) -> Response:
    view = development.territory_programme(session, user, territory)
    lang = language(request)
    return render(request, "programmes/development.html", _common(request) | {
        "view": view, "territory": territory, "imported": imported, "plain": _plain,
        "name_of": lambda s: s.names.get(lang) or s.names.get("en") or s.indicator,
        "section_names": {k: v[lang] for k, v in SECTION_NAMES.items()}})


@router.post("/programmes/development", include_in_schema=False)
def development_import_page(session: SessionDep, user: CurrentUser, file: UploadField = None) -> Response:
    development.require_import(user)
    name, data = _upload(file)
    out = development.import_upload(session, user, name, data)
    summary = f"{out.added}-{out.changed}-{out.unchanged}"
    return RedirectResponse(f"/programmes/development/{quote(out.territories[0])}?imported={summary}",
                            status_code=303)


# ---- JSON API ------------------------------------------------------------------------------------------------------

@router.get("/api/v1/development/{territory}", tags=TAGS)
def development_api(session: SessionDep, user: CurrentUser, territory: str) -> DevTerritoryPublic:
    """The current development programme of a territory: each indicator's baseline and plan values, with their
    versions (a version above 1: changed by a later import)."""
    view = development.territory_programme(session, user, territory)
    return DevTerritoryPublic(territory=territory, last_import=view.last_import, series=[
        DevSeriesPublic(programme=s.programme, indicator=s.indicator, names=s.names, unit=s.unit, section=s.section,
                        direction="decrease" if s.direction == "decrease" else "increase",
                        synthetic=s.synthetic, source=s.source,
                        baseline=DevValuePublic(year=s.baseline[0], value=_plain(s.baseline[1]),
                                                version=s.baseline[2]),
                        plan=[DevValuePublic(year=y, value=_plain(v), version=n) for y, v, n in s.plan])
        for s in view.series])


@router.post("/api/v1/development/imports", tags=TAGS, status_code=201)
def development_import_api(session: SessionDep, user: CurrentUser, file: UploadField = None) -> DevImportPublic:
    """Import a DEVELOPMENT.csv or .xlsx, all or nothing: new values added, the same values skipped, changed ones a
    new version; bad input (file, row, column) is 422 and nothing is written; audited."""
    development.require_import(user)
    name, data = _upload(file)
    out = development.import_upload(session, user, name, data)
    return DevImportPublic(file=out.file, sha256=out.sha256, rows=out.rows, added=out.added, changed=out.changed,
                           unchanged=out.unchanged, territories=list(out.territories), import_id=out.import_id)


@router.get("/api/v1/programmes/{programme_id}/draft", tags=TAGS)
def draft_api(request: Request, session: SessionDep, user: CurrentUser, programme_id: str,
              lang: str | None = None) -> DraftPublic:
    """Commitments proposed for the programme from its council's territory's stored development programme (baseline
    and target pre-filled, deadline within the council's term, sections ordered by the proposals' themes), each with
    its explanation and the commitment it would replace (``replaces``: only when the person confirms). Nothing is
    written: add a proposal with ``PUT /api/v1/programmes/{id}/commitments``."""
    chosen = lang or language(request)
    if chosen not in ("kk", "ru", "en"):
        raise InputError(f"lang must be kk, ru or en, got {chosen!r}", parameter="lang")
    d = drafting.draft_for_programme(session, user, programme_id)
    return DraftPublic(
        programme=programme_id, term_start=d.draft.term.start, term_end=d.draft.term.end,
        proposals=d.draft.proposals_total, skipped=[n.text(chosen) for n in d.draft.skipped],
        sections=[DraftSectionPublic(
            section=section, proposals=count, note=note.text(chosen) if note else None,
            commitments=[DraftCommitmentPublic.model_validate(
                p.record | {"explanation": p.explanation.text(chosen), "replaces": p.conflict}) for p in items])
            for section, count, note, items in d.sections])
