"""JSON API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``); errors in the one shape of
:mod:`tandau.web.errors`. State-changing calls need the ``X-CSRF-Token`` header (``GET /api/v1/session``
hands it out)."""

from __future__ import annotations

from fastapi import APIRouter

from tandau.web.routers import api_admin, api_voter

router = APIRouter(prefix="/api/v1")
router.include_router(api_voter.router)
router.include_router(api_admin.router)
