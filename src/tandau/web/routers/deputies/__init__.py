"""Deputies' faces: the staff pages (deputies by territory, a deputy, a council's faction, akims) and the JSON API
(``/api/v1/deputies``). ``router`` holds them all (one entry of :data:`tandau.web.app.ROUTERS`)."""

from fastapi import APIRouter

from tandau.web.routers.deputies import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)
