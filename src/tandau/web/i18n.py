"""Languages of the web pages: Kazakh, Russian, English.

Choice of language, first match wins: ``?lang=kk|ru|en`` (remembered in the ``tandau_lang`` cookie for a
year), the cookie, the browser's ``Accept-Language``, then Russian (:data:`FALLBACK`: the language every
regional branch reads; Kazakh and English are one click away on every page).

Catalogues are gettext ``.po`` files, ``src/tandau/locale/<lang>/LC_MESSAGES/*.po``; every ``.po`` file of a
language is merged (``messages.po`` for the primaries, ``staff.po`` for the staff workspace, ...). They are
read with Babel at start-up: no compiled ``.mo`` files. An empty ``msgstr`` falls back to the English msgid.

Templates call ``{{ _("Text") }}`` or ``{{ _("Hello %(name)s", name=n) }}``; Python code takes
``_ = translator(request)`` and calls ``_("Text")``; a string translated later is marked ``N_("Text")``.
:func:`extract_messages` collects every such msgid, so a test can fail on an untranslated one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from gettext import c2py
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LANGUAGES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
FALLBACK = "ru"
LANG_COOKIE = "tandau_lang"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
KEYWORDS: dict[str, Any] = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}

Translate = Callable[..., str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translate it later with ``_``)."""
    return message


@cache
def _load(lang: str, locale_dir: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]], Callable[[int], int]]:
    singles: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    plural_expr = "(n != 1)"
    for po in sorted((locale_dir / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        plural_expr = cat.plural_expr or plural_expr
        for message in cat:
            if not message.id:
                continue
            if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                singles[message.id] = message.string
            elif isinstance(message.id, tuple | list) and isinstance(message.string, tuple | list):
                forms = tuple(str(f) for f in message.string)
                if all(forms):
                    plurals[str(message.id[0])] = forms
                    singles[str(message.id[0])] = forms[0]
    return singles, plurals, c2py(plural_expr)


def catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str]:
    """msgid -> msgstr of every ``.po`` file of ``lang`` merged (empty translations left out; a plural
    message appears under its singular msgid with its first form)."""
    return _load(lang, locale_dir)[0]


_loaded: list[tuple[tuple[str, int, int], ...]] = []  # the files (name, mtime, size) the cached catalogues hold


def load_catalogues() -> None:
    """Read every catalogue now (at start-up), so a broken ``.po`` file stops the server, not a request. Read
    again only when a ``.po`` file changed since the last read of this process (every app a test suite creates
    would otherwise parse some 60 files again: about a second each time)."""
    files = tuple((str(po), po.stat().st_mtime_ns, po.stat().st_size)
                  for lang in LANGUAGES for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")))
    if _loaded == [files]:
        return
    _load.cache_clear()
    _loaded[:] = []
    for lang in LANGUAGES:
        catalogue(lang)
    _loaded.append(files)


def make_gettext(lang: str) -> Translate:
    """``_(msgid, **values)``: the translation in ``lang`` (or the msgid), %-formatted with ``values``."""
    table = catalogue(lang)

    def gettext(message: str, **values: Any) -> str:
        text = table.get(message, message)
        return text % values if values else text

    return gettext


def make_ngettext(lang: str) -> Callable[..., str]:
    """``ngettext(singular, plural, n, **values)`` with the language's plural rule (``Plural-Forms``)."""
    _singles, plurals, rule = _load(lang, LOCALE_DIR)

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        forms = plurals.get(singular)
        fallback = singular if n == 1 else plural
        text = forms[min(rule(n), len(forms) - 1)] if forms else fallback
        return text % {"num": n, **values}

    return ngettext


class Speaker:
    """``gettext`` and ``ngettext`` bound to one language (an unknown one: :data:`FALLBACK`); the base of the
    renderers of structured messages (:mod:`tandau.web.reasons`, :mod:`tandau.web.problems`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else FALLBACK
        self.gettext = make_gettext(self.lang)
        self.ngettext = make_ngettext(self.lang)


# A structured message's renderer: (speaker, parameter values as text, raw parameters) -> the sentence.
MessageRenderer = Callable[[Any, dict[str, Any], Mapping[str, Any]], str]


def message(msgid: str) -> MessageRenderer:
    """The renderer of a message with named ``%(...)s`` placeholders."""
    return lambda say, values, raw: str(say.gettext(msgid, **values))


def plural_message(msgid: str, count: str) -> MessageRenderer:
    """A message whose words agree with the number in parameter ``count`` (Russian: 1 / 2–4 / 5+)."""
    return lambda say, values, raw: str(say.ngettext(msgid, msgid, int(raw[count]), **values))


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


# Locale-aware formatting (Babel, CLDR data); used as Jinja filters.


def fmt_number(value: float | int, lang: str) -> str:
    """
    >>> fmt_number(1234567, "ru") == "1\\xa0234\\xa0567", fmt_number(1234567, "en")
    (True, '1,234,567')
    """
    return format_decimal(value, locale=Locale.parse(lang))


def fmt_percent(value: float, lang: str, digits: int = 1) -> str:
    return format_percent(value, format="#,##0." + "0" * digits + "%", locale=Locale.parse(lang))


def fmt_date(value: date | datetime, lang: str, form: str = "medium") -> str:
    if isinstance(value, datetime):
        return format_datetime(value, format=form, locale=Locale.parse(lang), tzinfo=value.tzinfo)
    return format_date(value, format=form, locale=Locale.parse(lang))


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
