"""Languages of the web pages: Kazakh, Russian, English.

Choice of language, first match wins: ``?lang=kk|ru|en`` (remembered in the ``tandau_lang`` cookie for a
year), the cookie, the browser's ``Accept-Language``, then Russian (:data:`FALLBACK`: the language every
regional branch reads; Kazakh and English are one click away on every page).

Catalogues are gettext ``.po`` files, ``src/tandau/locale/<lang>/LC_MESSAGES/*.po``, read by
:mod:`tandau.io.catalogues` (re-exported here, so the CLI and the background jobs translate with the same
tables); every ``.po`` file of a language is merged (``messages.po`` for the primaries, ``staff.po`` for the staff
workspace, ...). They are read with Babel at start-up: no compiled ``.mo`` files. An empty ``msgstr`` falls back
to the English msgid.

Templates call ``{{ _("Text") }}`` or ``{{ _("Hello %(name)s", name=n) }}``; Python code takes
``_ = translator(request)`` and calls ``_("Text")``; a string translated later is marked ``N_("Text")``.
:func:`extract_messages` collects every such msgid, so a test can fail on an untranslated one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandau.io.catalogues import (
    FALLBACK,
    LANGUAGES,
    LOCALE_DIR,
    N_,
    MessageRenderer,
    Speaker,
    Translate,
    catalogue,
    fmt_date,
    fmt_number,
    fmt_percent,
    load_catalogues,
    make_gettext,
    make_ngettext,
    message,
    plural_message,
)

__all__ = [
    "FALLBACK", "KEYWORDS", "LANGUAGES", "LANG_COOKIE", "LOCALE_DIR", "N_", "I18nMiddleware", "MessageRenderer",
    "Speaker", "Translate", "catalogue", "extract_messages", "fmt_date", "fmt_number", "fmt_percent", "language",
    "load_catalogues", "make_gettext", "make_ngettext", "message", "negotiate", "plural_message", "translator",
]

LANG_COOKIE = "tandau_lang"
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def negotiate(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The language for a request.

    >>> negotiate(None, None, "kk-KZ,kk;q=0.9,ru;q=0.8"), negotiate("en", "kk", None), negotiate(None, None, "de")
    ('kk', 'en', 'ru')
    """
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    if accept:
        weighted: list[tuple[float, str]] = []
        for part in accept.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            weighted.append((weight, tag.strip().lower().split("-")[0]))
        for _, lang in sorted(weighted, key=lambda w: -w[0]):
            if lang in LANGUAGES:
                return lang
    return FALLBACK


class I18nMiddleware:
    """Pure ASGI: puts the language in ``request.state.lang``; ``?lang=`` also sets the cookie."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.flags = "; Path=/; Max-Age=31536000; SameSite=Lax" + ("; Secure" if secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        query = request.query_params.get("lang")
        lang = negotiate(query, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
        scope.setdefault("state", {})["lang"] = lang

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if query in LANGUAGES:
                    headers.append("set-cookie", f"{LANG_COOKIE}={lang}{self.flags}")
                headers.add_vary_header("Accept-Language")
                if "content-language" not in headers:
                    headers["content-language"] = lang
            await send(message)

        await self.app(scope, receive, send_wrapper)


def language(request: Request) -> str:
    """The language chosen for ``request`` (see :func:`negotiate`)."""
    lang = getattr(request.state, "lang", None)
    return lang if lang in LANGUAGES else FALLBACK


def translator(request: Request) -> Translate:
    """``_`` for Python code: ``_ = translator(request); _("Contest closed")``."""
    return make_gettext(language(request))


def extract_messages(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Every msgid used in ``paths`` (``.py`` and ``.html`` files under them) -> where it is used."""
    from babel.messages.extract import extract
    from jinja2.ext import babel_extract

    found: dict[str, list[str]] = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".py", ".html"))
        for path in files:
            method: Any = "python" if path.suffix == ".py" else babel_extract
            with path.open("rb") as fh:
                for lineno, message, _comments, _context in extract(method, fh, keywords=KEYWORDS):
                    msgid = message[0] if isinstance(message, tuple) else message  # plural: the singular
                    if msgid:
                        found.setdefault(msgid, []).append(f"{path.name}:{lineno}")
    return found
