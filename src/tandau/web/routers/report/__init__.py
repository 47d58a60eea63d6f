"""The congress report's faces: the pages (``/report``, ``/report/regions/{region}``, ``/report.pdf``) and the JSON
API (``/api/v1/report/congress``). ``router`` holds them all (one entry of :data:`tandau.web.app.ROUTERS`)."""

from fastapi import APIRouter

from tandau.web.routers.report import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)
