"""Control data uploaded and imported by a background job (``control.import``): the central office's page
``/control/import`` (a form; the answer opens the job's page, ``/jobs/{id}``) and ``POST /api/v1/control/import``.

The files (``multipart/form-data``, one field per kind of file, as ``tandau control import``'s options) are kept in
the files store with the job (:func:`tandau.services.jobs.uploads.submit_control_import`), so any worker reads
them; the answer is 202 Accepted with the job (``Location: /api/v1/jobs/{id}``), whose ``result`` lists each file's
rows read and added, or whose ``error`` names the first bad file, row and column (nothing imported). Only the
central office imports (the policy's ``CONTROL_IMPORT``, checked before anything is kept).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.jobs.uploads import CONTROL_FILES, require_control_import, submit_control_import
from tandau.services.primaries.imports import UploadTooLargeError
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import language
from tandau.web.problems import problem_text
from tandau.web.routers.jobs.api import JobPublic, public
from tandau.web.routers.schemas import ErrorPublic
from tandau.web.templating import render
from tandau.web.uploads import chosen_file, upload_limit

router = APIRouter()


Upload = UploadFile | None


def control_files(
    targets: Annotated[Upload, File(description="TARGETS.csv or .xlsx: target versions to add")] = None,
    reports: Annotated[Upload, File(description="REPORTS.csv or .xlsx: report rows to add")] = None,
    budget: Annotated[Upload, File(description="datapackage.json of a Fiscal Data Package (with reports)")] = None,
    budget_data: Annotated[Upload, File(description="the CSV the datapackage.json names")] = None,
    releases: Annotated[Upload, File(description="RELEASES.jsonl (.gz accepted): OCDS compiled releases")] = None,
    link_rules: Annotated[Upload, File(description="RULES.csv: the link rules in force from now")] = None,
    links: Annotated[Upload, File(description="LINKS.csv corrected: its manual rows kept")] = None,
) -> dict[str, Upload]:
    """The multipart fields of a control import, one per kind of file (a form and the API share them)."""
    return {"targets": targets, "reports": reports, "budget": budget, "budget_data": budget_data,
            "releases": releases, "link_rules": link_rules, "links": links}


ControlFiles = Annotated[dict[str, Upload], Depends(control_files)]


def _files(request: Request, given: dict[str, Upload]) -> dict[str, tuple[str | None, bytes]]:
    limit = upload_limit(request)
    return {part: chosen_file(upload, limit) for part, upload in given.items()
            if upload is not None and upload.filename}


@router.post("/api/v1/control/import", tags=["control"], status_code=202, response_model=JobPublic,
             responses={202: {"description": "The job that imports the files: follow it at the ``Location`` header, "
                              "``/api/v1/jobs/{id}``.",
                              "headers": {"Location": {"description": "/api/v1/jobs/{id}",
                                                       "schema": {"type": "string"}}}},
                        413: {"model": ErrorPublic}})
def import_api(request: Request, session: SessionDep, user: CurrentUser, files: ControlFiles) -> Response:
    """Import control data in the background, all or nothing (central office): 202 with the job."""
    require_control_import(user)  # refused before a file is read
    job = submit_control_import(session, user, _files(request, files), limit=upload_limit(request))
    return JSONResponse(jsonable_encoder(public(job)), status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


def _page(request: Request, *, problem: InputError | None = None, status_code: int = 200) -> Response:
    return render(request, "control/import.html", {"parts": CONTROL_FILES, "problem": problem,
                                                   "too_large": isinstance(problem, UploadTooLargeError),
                                                   "limit_mib": upload_limit(request) / 2**20,
                                                   "say_problem": problem_text(language(request))},
                  status_code=status_code)


@router.get("/control/import", include_in_schema=False)
def import_page(request: Request, user: CurrentUser) -> Response:
    require_control_import(user)
    return _page(request)


@router.post("/control/import", include_in_schema=False)
def import_form(request: Request, session: SessionDep, user: CurrentUser, files: ControlFiles) -> Response:
    """Keep the chosen files and queue the import; the job's page follows its progress."""
    require_control_import(user)  # refused before a file is read
    try:
        job = submit_control_import(session, user, _files(request, files), limit=upload_limit(request))
    except InputError as exc:  # no file, a budget package without its reports or CSV, a file too large
        return _page(request, problem=exc, status_code=413 if isinstance(exc, UploadTooLargeError) else 400)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
