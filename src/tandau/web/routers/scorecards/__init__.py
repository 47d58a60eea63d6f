"""Scorecards and awards: the staff pages (``/deputies/scorecards``, ``/deputies/awards``) and the JSON API
(``/api/v1/scorecards``, ``/api/v1/awards``). ``router`` holds them all (one entry of
:data:`tandau.web.app.ROUTERS`)."""

from fastapi import APIRouter

from tandau.web.routers.scorecards import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)
