"""Operations endpoints: ``/healthz`` (the process answers), ``/readyz`` (the database is reachable and at the
Alembic head), ``/metrics`` (Prometheus text format, for loopback clients or the bearer token).

Outside ``/api/v1`` and left out of the OpenAPI document; none of them reads a member, a ballot or a session.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from tandau import __version__
from tandau.services.operations.readiness import check_ready
from tandau.web.metrics import Metrics, metrics_allowed

router = APIRouter(tags=["operations"], include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz")
def healthz() -> JSONResponse:
    """The process is alive and answers (no database access: a slow database must not get it restarted)."""
    return JSONResponse({"status": "ok", "version": __version__}, headers=NO_STORE)


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """200 when the database answers and its schema is at the head; else 503 with the reason."""
    state = await run_in_threadpool(check_ready, request.app.state.engine)
    if state.ready:
        return JSONResponse({"status": "ready", "revision": state.revision}, headers=NO_STORE)
    return JSONResponse({"status": "not_ready", "reason": state.reason, "message": state.message},
                        status_code=503, headers=NO_STORE)


def _queue_depth(request: Request) -> float:
    """The jobs waiting for a runner (one indexed count); NaN when the database does not answer, so the scrape
    still shows every other family."""
    from sqlalchemy.exc import SQLAlchemyError

    from tandau.services.jobs import queue_depth

    try:
        with request.app.state.sessions() as session:
            return float(queue_depth(session))
    except SQLAlchemyError:
        return float("nan")


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """The app's metrics, to a loopback client or with ``Authorization: Bearer TANDAU_METRICS_TOKEN``;
    anyone else gets the 404 of an unknown path (the endpoint's existence is not revealed)."""
    token = request.app.state.settings.metrics_token
    allowed = metrics_allowed(request.client.host if request.client else None,
                              request.headers.get("authorization"),
                              None if token is None else token.get_secret_value())
    if not allowed:
        raise HTTPException(404)
    registry: Metrics = request.app.state.metrics
    registry.job_queue.set(_queue_depth(request))
    body, media_type = registry.exposition()
    return Response(body, media_type=media_type, headers=NO_STORE)
