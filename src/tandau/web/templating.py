"""Jinja2 templates with the i18n extension, per-request language, CSRF token and Babel formatting filters.

Every template gets, from :func:`_context`: ``_``/``gettext``/``ngettext`` in the request's language,
``lang``, ``languages``, ``csrf_token``, ``user`` (the signed-in :class:`~tandau.services.primaries.access.Actor`
or None, set by :func:`tandau.web.deps.optional_actor`), ``vendor`` (which vendored libraries are served)
and ``request``. Filters: ``number``, ``percent``, ``date``, ``datetime``. Globals: ``council_name``,
``region_name``, ``territory_name`` (:mod:`tandau.web.places`: council and region names in the page's language).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.responses import HTMLResponse

from tandau.web import i18n, labels, modules, places
from tandau.web.security import csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _context(request: Request) -> dict[str, Any]:
    lang = i18n.language(request)
    return {
        "_": i18n.make_gettext(lang),
        "gettext": i18n.make_gettext(lang),
        "ngettext": i18n.make_ngettext(lang),
        "lang": lang,
        "languages": i18n.LANGUAGES,
        "csrf_token": csrf_token(request),
        "user": getattr(request.state, "actor", None),
        "vendor": getattr(request.app.state, "vendor", {}),
    }


@pass_context
def _number(ctx: Context, value: float | int) -> str:
    return i18n.fmt_number(value, ctx.get("lang", i18n.FALLBACK))


@pass_context
def _percent(ctx: Context, value: float, digits: int = 1) -> str:
    return i18n.fmt_percent(value, ctx.get("lang", i18n.FALLBACK), digits)


@pass_context
def _date(ctx: Context, value: date | datetime | None, form: str = "medium") -> str:
    return "" if value is None else i18n.fmt_date(value, ctx.get("lang", i18n.FALLBACK), form)


def make_templates(extra_dirs: list[Path] | None = None) -> Jinja2Templates:
    """The template engine: ``web/templates`` (plus ``extra_dirs``), autoescaped, i18n extension on."""
    env = Environment(
        loader=FileSystemLoader([TEMPLATES_DIR, *(extra_dirs or [])]),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    identity = i18n.make_gettext("en")
    env.install_gettext_callables(identity, i18n.make_ngettext("en"), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(number=_number, percent=_percent, date=_date, datetime=_date)
    places.install(env)
    labels.install(env)
    modules.install(env)
    env.trim_blocks = True
    env.lstrip_blocks = True
    return Jinja2Templates(env=env, context_processors=[_context])


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """Render template ``name`` for ``request`` (the app's engine, with the per-request context)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
