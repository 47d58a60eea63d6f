"""The web application: JSON API under ``/api/v1``, voter pages, secretary pages, staff workspace.

:func:`create_app` builds a FastAPI app bound to one database; it keeps no state between requests beyond
the engine's connection pool and a few seconds' cache of server-side sessions (their rows live in the
database, the cookie carries a signed token), so several processes can run side by side behind a load
balancer. Routers come from :data:`ROUTERS`; every router is mounted with
:func:`~tandau.web.security.verify_csrf`, so each state-changing request needs the CSRF token, and with
:func:`~tandau.web.text_input.verify_text`, so no parameter carries a character the database cannot store.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any, cast

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from tandau import __version__
from tandau.settings import Settings, get_settings
from tandau.store.engine import make_engine, session_factory
from tandau.store.files import store_of
from tandau.web import ballot_lane, errors, i18n
from tandau.web.logs import configure_json_logging
from tandau.web.metrics import Metrics, OperationsMiddleware
from tandau.web.security import Lane, SessionMiddleware, verify_csrf
from tandau.web.session_store import SessionStore
from tandau.web.templating import make_templates
from tandau.web.text_input import verify_text
from tandau.web.uploads import BodyLimitMiddleware

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
REPO_NODE_MODULES = WEB_DIR.parents[2] / "node_modules"

# (module under tandau.web.routers, required?) — optional modules are skipped when absent
ROUTERS: list[tuple[str, bool]] = [
    ("api", True),
    ("api_staff", True),
    ("api_nominees", True),
    ("voter", True),
    ("admin", True),
    ("staff_nominees", True),
    ("staff", False),
    ("keys", True),
    ("admin_access", True),
    ("staff_chances", True),
    ("control.cases", True),
    ("control.board", True),
    ("control.imports", True),
    ("proposals", True),
    ("programmes", True),
    ("appeals", True),
    ("deputies", True),
    ("scorecards", True),
    ("operations", True),
    ("report", True),
    ("jobs", True),
]


def node_modules_dir() -> Path | None:
    """Where vendored front-end packages live: ``TANDAU_NODE_MODULES``, else ``node_modules`` of the checkout
    or of the working directory (``npm install`` at setup; never committed)."""
    for candidate in (os.environ.get("TANDAU_NODE_MODULES"), REPO_NODE_MODULES, Path.cwd() / "node_modules"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def mount_vendor(app: FastAPI, node_modules: Path | None) -> dict[str, bool]:
    """Serve ``/static/vendor/<pkg>/...`` from ``node_modules/<pkg>/dist`` for every package that has one."""
    served: dict[str, bool] = {}
    if node_modules is None:
        return served
    for dist in sorted(node_modules.glob("*/dist")) + sorted(node_modules.glob("@*/*/dist")):
        name = dist.parent.relative_to(node_modules).as_posix()
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=dist), name=f"vendor-{name}")
        served[name] = True
    return served


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers (routers included, static mounts left out); tests walk it."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts: list[Any] = list(iter_route_contexts(app.routes))
    except ImportError:  # FastAPI before lazy router inclusion: routes are flat
        contexts = list(app.routes)
    table: list[tuple[str, str]] = []
    for route in contexts:
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", None)
        if methods and path:
            table += [(m, path) for m in sorted(methods) if m != "HEAD"]
    return table


_HEAP_FROZEN = False


@asynccontextmanager
async def steady_heap(_app: FastAPI) -> AsyncIterator[None]:
    """Lifespan: once per process, when the first app starts, move every object alive (modules, routes,
    templates, catalogues: about 120,000) out of the garbage collector's reach with :func:`gc.freeze`.
    Otherwise every full collection walks them all: 70-90 ms with nothing to free, during which the worker
    answers no one (seen under ``benchmarks/load_vote.py`` as the longest pauses of the ballot path)."""
    global _HEAP_FROZEN
    if not _HEAP_FROZEN:
        _HEAP_FROZEN = True
        gc.collect()
        gc.freeze()
    resume_local_jobs(_app)
    yield


def resume_local_jobs(app: FastAPI) -> None:
    """On SQLite, jobs run in the app's own thread: at start, take up the queued ones and those a stopped process
    of this host left running. On PostgreSQL the workers run jobs (procrastinate's schema is applied with the first
    submission or by ``tandau worker``); the app only fails the key-share jobs a stopped process of this host left
    running, which nobody else can finish."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    engine = getattr(app.state, "engine", None)
    if engine is None:
        return
    from tandau.services.jobs import transports
    from tandau.services.jobs.transport import fail_orphaned_local

    try:
        if engine.dialect.name == "sqlite":
            transports(engine)[1].recover()
        else:
            fail_orphaned_local(engine)
    except SQLAlchemyError as exc:  # a database not upgraded yet: /readyz says so; the app still starts
        logging.getLogger("tandau.jobs").warning("background jobs not resumed: %s", type(exc).__name__)


def create_app(
    settings: Settings | None = None,
    *,
    database_url: str | None = None,
    bulletin_dir: Path | None = None,
    node_modules: Path | None = None,
) -> FastAPI:
    """A Tandau web app on ``database_url`` (default: ``settings.database_url``).

    Files (published bulletins, case evidence) are in the file store of ``settings``
    (:mod:`tandau.store.files`); ``bulletin_dir`` (default ``TANDAU_BULLETIN_DIR``) is only where bulletins
    published before the store existed may still be found, each stored on its first request.
    ``node_modules`` overrides where vendored libraries are looked up.
    """
    settings = settings or get_settings()
    settings.check_safe()
    i18n.load_catalogues()
    engine = make_engine(database_url or settings.database_url, echo=settings.sql_echo)
    production = settings.environment != "development"
    app = FastAPI(
        title="Tandau",
        version=__version__,
        description="Online primaries of the party: contests, ballots with tracking codes, results.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=steady_heap,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.session_store = SessionStore(app.state.sessions, ttl=settings.session_cache_seconds,
                                           max_age_seconds=settings.session_max_age_seconds)
    app.state.files = store_of(settings)  # bulletins, evidence, job outputs: where every process reads them
    legacy = bulletin_dir or os.environ.get("TANDAU_BULLETIN_DIR")
    app.state.bulletin_dir = Path(legacy) if legacy else None  # read once per bulletin published before 0017
    app.state.templates = make_templates()
    errors.install(app)  # innermost: a 500 page still sees the session and the language
    app.add_middleware(BodyLimitMiddleware)  # inside the language and session middlewares: its 413 page has both
    app.add_middleware(i18n.I18nMiddleware, secure=production)
    # next to outermost (the operations middleware wraps it): decodes the session, then offers a ballot POST to
    # the fast lane before the framework routes it
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key.get_secret_value(), secure=production,
                       max_age=settings.session_max_age_seconds, lanes=[cast(Lane, ballot_lane)],
                       store=app.state.session_store)
    if settings.log_format == "json":
        configure_json_logging()
    app.state.metrics = Metrics()  # this app's own registry
    app.add_middleware(OperationsMiddleware, metrics=app.state.metrics)  # outermost: request id, metrics, logs
    app.state.vendor = mount_vendor(app, node_modules or node_modules_dir())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module_name, required in ROUTERS:
        full = f"tandau.web.routers.{module_name}"
        if not required and find_spec(full) is None:
            continue
        module = import_module(full)
        app.include_router(module.router, dependencies=[Depends(verify_csrf), Depends(verify_text)])
    return app
