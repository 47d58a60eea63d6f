"""Central office: sign a person out everywhere (a stolen cookie, a lost phone), from the secretariat's pages.

The same service as ``POST /api/v1/access/{subject}/revoke-sessions`` and ``tandau primaries access
revoke-sessions``: every session of the subject is revoked, audited with the reason; other server processes drop
their cached copy within ``TANDAU_SESSION_CACHE_SECONDS``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from tandau.services.primaries import sessions as sessions_service
from tandau.services.primaries.access import Action, require
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.security import session_store
from tandau.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/access")
def access_page(request: Request, user: CurrentUser) -> Response:
    require(user, Action.ROLE_GRANT, None)
    return render(request, "admin/access.html", {})


@router.post("/access/revoke")
def revoke(request: Request, session: SessionDep, user: CurrentUser, subject: Annotated[str, Form()],
           reason: Annotated[str, Form()]) -> Response:
    count = sessions_service.revoke_by_administrator(session, user, subject.strip(), reason=reason.strip() or None)
    session_store(request).forget_subject(subject.strip())
    return render(request, "admin/access.html", {"done": {"subject": subject.strip(), "count": count}})
