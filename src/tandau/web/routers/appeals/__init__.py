"""Public reception appeals: public pages (form, receipt), staff pages (queue, an appeal, dashboard, staff entry)
and the JSON API (``/api/v1/appeals``), mounted as one router."""

from fastapi import APIRouter

from tandau.web.routers.appeals import api, public, staff

router = APIRouter()
router.include_router(api.router)
router.include_router(public.router)
router.include_router(staff.router)
