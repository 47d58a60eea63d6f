"""Gettext catalogues of Kazakh, Russian and English, read from ``src/tandau/locale/<lang>/LC_MESSAGES/*.po``
(every ``.po`` file of a language merged; no compiled ``.mo`` files), and locale-aware numbers and dates (Babel,
CLDR data).

Outside the web layer so every face translates with the same tables: the pages (:mod:`tandau.web.i18n`
re-exports these and adds the request's language), the CLI and the background jobs that render documents
(:mod:`tandau.io.report_pdf`). An empty ``msgstr`` falls back to the English msgid; a string translated later is
marked ``N_("Text")``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from gettext import c2py
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
FALLBACK = "ru"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

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
    renderers of structured messages (:mod:`tandau.io.reasons`, :mod:`tandau.web.problems`)."""

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


# Locale-aware formatting (Babel, CLDR data); the pages use them as Jinja filters.


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
