"""Prometheus metrics of one app, and the outermost middleware that measures every request.

Each app owns a :class:`~prometheus_client.CollectorRegistry` (never the global one), so several apps in one
process (tests) do not clash. Labels are bounded and carry no personal data: the HTTP method, the route
*template* (``/api/v1/contests/{contest_id}/ballots``, never a contest code or a member id) and the status.

With several worker processes (``tandau serve --workers N``) each process counts its own requests: set
``PROMETHEUS_MULTIPROC_DIR`` to an empty directory writable by the service (emptied at every start) and
``/metrics`` then sums every worker's files (prometheus-client's multiprocess mode; docs/deployment.md).
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import secrets
import time
from ipaddress import ip_address
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandau.services.operations.events import listening
from tandau.web import ballot_lane
from tandau.web.logs import REQUEST_ID

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"  # a path no route answers: never the raw path (it is whatever a client typed)
BALLOT_ROUTE = "/api/v1/contests/{contest_id}/ballots"  # what the fast lane answers before routing
STATIC_ROUTE = "/static/{path}"  # files: one series for all of them
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
access_log = logging.getLogger("tandau.access")


class Metrics:
    """The app's registry and its four families."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("tandau_http_requests", "HTTP requests answered, by method, route template and status",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("tandau_http_request_duration_seconds",
                                 "time from the request's arrival to the end of its answer, by route template",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.ballots = Counter("tandau_ballots_accepted", "ballots committed, by path (fast, lean, reference)",
                               ["path"], registry=self.registry)
        self.job_queue = Gauge("tandau_job_queue_depth", "background jobs waiting for a runner (queued, including "
                               "retries waiting for their next attempt), read from the jobs table at each scrape",
                               registry=self.registry, multiprocess_mode="max")
        self.job_queue.set(0)

    def ballot(self, path: str) -> None:
        self.ballots.labels(path=path).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format of every family: this process's, or every worker's in multiprocess mode."""
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST


def metrics_allowed(client_host: str | None, authorization: str | None, token: str | None) -> bool:
    """A client on this machine (loopback), or one presenting ``Authorization: Bearer <token>``.

    >>> metrics_allowed("127.0.0.1", None, None), metrics_allowed("10.0.0.5", None, "t" * 32)
    (True, False)
    >>> metrics_allowed("10.0.0.5", "Bearer " + "t" * 32, "t" * 32)
    True
    """
    if token and authorization:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    if not client_host:
        return False
    try:
        return ip_address(client_host.strip("[]")).is_loopback
    except ValueError:
        return False


class RouteTemplates:
    """The full template of each route (prefixes of included routers added), read once from the app's routes.

    FastAPI's lazy router inclusion leaves ``scope["route"]`` holding the route as its own router declared it
    (``/contests/{contest_id}/ballots``), without the ``/api/v1`` prefix it was included under."""

    def __init__(self) -> None:
        self._by_route: dict[int, list[tuple[str, re.Pattern[str]]]] | None = None

    def _build(self, app: Any) -> dict[int, list[tuple[str, re.Pattern[str]]]]:
        from starlette.routing import compile_path

        by_route: dict[int, list[tuple[str, re.Pattern[str]]]] = {}
        try:
            from fastapi.routing import iter_route_contexts
        except ImportError:  # FastAPI before lazy inclusion: scope["route"].path is already the full template
            return by_route
        for context in iter_route_contexts(app.routes):
            original, path = getattr(context, "original_route", None), getattr(context, "path_format", None)
            if original is not None and isinstance(path, str):
                by_route.setdefault(id(original), []).append((path, compile_path(path)[0]))
        return by_route

    def __call__(self, scope: Scope) -> str:
        """The template of the route that answered (``/results/{contest_id}``), never the raw path."""
        route = scope.get("route")
        if route is not None:
            if self._by_route is None and "app" in scope:
                self._by_route = self._build(scope["app"])
            found = (self._by_route or {}).get(id(route), [])
            for template, regex in found:
                if len(found) == 1 or regex.fullmatch(scope.get("path", "")):
                    return template
            path = getattr(route, "path", None)
            if isinstance(path, str) and path:
                return path
        raw = scope.get("path", "")
        if scope.get("method") == "POST" and ballot_lane.PATH.fullmatch(raw):
            return BALLOT_ROUTE
        if raw.startswith("/static/"):
            return STATIC_ROUTE
        return UNMATCHED


def _given_request_id(scope: Scope) -> str | None:
    """The proxy's ``X-Request-ID`` (8-64 letters, digits, ``.``, ``_``, ``-``), else None."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = str(value.decode("latin-1"))
            return given if _REQUEST_ID.fullmatch(given) else None
    return None


class OperationsMiddleware:
    """Outermost: a request id (the proxy's ``X-Request-ID``, echoed back, or a random one), the metrics,
    the ballot listener, and one access line per request (logger ``tandau.access``: method, route template,
    status, duration)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.route_template = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = _given_request_id(scope)
        rid = given or secrets.token_hex(8)
        status = 500  # the answer never started: the server's own 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if given is not None:  # echoed to the proxy that set it; a made-up id stays in the logs
                    message["headers"] = [*message.get("headers", ()), (b"x-request-id", given.encode())]
            await send(message)

        token = REQUEST_ID.set(rid)
        try:
            with listening(self.metrics.ballot):
                await self.app(scope, receive, send_and_note)
        finally:
            self._record(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope.get("method", "GET")
        method = method if method in METHODS else "OTHER"
        route = self.route_template(scope)
        self.metrics.requests.labels(method=method, route=route, status=str(status)).inc()
        self.metrics.latency.labels(method=method, route=route).observe(seconds)
        extra: dict[str, Any] = {"method": method, "route": route, "status": status,
                                 "duration_ms": round(seconds * 1000, 2)}
        access_log.info("%s %s %s", method, route, status, extra=extra)
