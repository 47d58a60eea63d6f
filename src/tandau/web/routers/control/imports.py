"""``POST /api/v1/control/import``: control data uploaded and imported by a background job (``control.import``).

The files (``multipart/form-data``, one field per kind of file, as ``tandau control import``'s options) are kept in
the files store with the job (:func:`tandau.services.jobs.uploads.submit_control_import`), so any worker reads
them; the answer is 202 Accepted with the job (``Location: /api/v1/jobs/{id}``), whose ``result`` lists each file's
rows read and added, or whose ``error`` names the first bad file, row and column (nothing imported). Only the
central office imports (the policy's ``CONTROL_IMPORT``, checked before anything is kept).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from tandau.services.jobs.uploads import require_control_import, submit_control_import
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.jobs.api import JobPublic, public
from tandau.web.routers.schemas import ErrorPublic
from tandau.web.uploads import chosen_file, upload_limit

router = APIRouter()


Upload = UploadFile | None


@router.post("/api/v1/control/import", tags=["control"], status_code=202, response_model=JobPublic,
             responses={202: {"description": "The job that imports the files: follow it at the ``Location`` header, "
                              "``/api/v1/jobs/{id}``.",
                              "headers": {"Location": {"description": "/api/v1/jobs/{id}",
                                                       "schema": {"type": "string"}}}},
                        413: {"model": ErrorPublic}})
def import_api(
    request: Request, session: SessionDep, user: CurrentUser,
    targets: Annotated[Upload, File(description="TARGETS.csv or .xlsx: target versions to add")] = None,
    reports: Annotated[Upload, File(description="REPORTS.csv or .xlsx: report rows to add")] = None,
    budget: Annotated[Upload, File(description="datapackage.json of a Fiscal Data Package (with reports)")] = None,
    budget_data: Annotated[Upload, File(description="the CSV the datapackage.json names")] = None,
    releases: Annotated[Upload, File(description="RELEASES.jsonl (.gz accepted): OCDS compiled releases")] = None,
    link_rules: Annotated[Upload, File(description="RULES.csv: the link rules in force from now")] = None,
    links: Annotated[Upload, File(description="LINKS.csv corrected: its manual rows kept")] = None,
) -> Response:
    """Import control data in the background, all or nothing (central office): 202 with the job."""
    require_control_import(user)  # refused before a file is read
    limit = upload_limit(request)
    given = {"targets": targets, "reports": reports, "budget": budget, "budget_data": budget_data,
             "releases": releases, "link_rules": link_rules, "links": links}
    files = {part: chosen_file(upload, limit) for part, upload in given.items()
             if upload is not None and upload.filename}
    job = submit_control_import(session, user, files, limit=limit)
    return JSONResponse(jsonable_encoder(public(job)), status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})
