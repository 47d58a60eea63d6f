"""Citizens' proposals: public pages (form, receipt, a territory's page), staff pages (dashboard, moderation
queue, a proposal, import) and the JSON API (``/api/v1/proposals``), mounted as one router."""

from fastapi import APIRouter

from tandau.web.routers.proposals import api, public, staff

router = APIRouter()
router.include_router(api.router)
router.include_router(public.router)
router.include_router(staff.router)
