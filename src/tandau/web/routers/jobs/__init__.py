"""Background jobs' faces (issue 15, item 2): the page ``/jobs`` with progress that refreshes and a cancel button,
and the JSON API ``/api/v1/jobs``. The service (:mod:`tandau.services.jobs`) authorises; these routes render."""

from fastapi import APIRouter

from tandau.web.routers.jobs import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)
