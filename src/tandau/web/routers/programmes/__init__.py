"""Election programmes' faces: the staff pages and the editor, the public page of a published programme, the JSON
API and the open data. ``router`` holds them all (one entry of :data:`tandau.web.app.ROUTERS`)."""

from fastapi import APIRouter

from tandau.web.routers.programmes import api, development, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(development.router)
router.include_router(pages.router)
