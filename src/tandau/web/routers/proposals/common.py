"""What the proposals pages share: the receipts' key, the per-address limit and its page, the labels of the
service's ids and the territory's regions and districts by name in the page's language (the appeals' forms use
these too: :func:`region_choice`, :func:`limit_page`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fastapi import Request
from starlette.responses import Response

from tandau.core.territory_kato import kato_code
from tandau.io.territory import load_kz
from tandau.services.primaries.kato import kato_prefix
from tandau.services.primaries.throttle import ThrottledError
from tandau.services.proposals import receipts, themes
from tandau.web.i18n import N_, language
from tandau.web.routers.voter import client_address
from tandau.web.templating import render

LABELS: dict[str, str] = {
    "new": N_("received, under consideration"), "hidden": N_("hidden by moderation"),
    "merged": N_("merged with a similar proposal"), "answered": N_("answered by the programme"),
    "not_taken": N_("not taken up"),
    "abuse": N_("abuse"), "personal_data": N_("personal data"), "spam": N_("spam"), "off_topic": N_("off topic"),
    "under_18": N_("under 18"), "18_28": N_("18–28"), "29_34": N_("29–34"), "35_59": N_("35–59"),
    "60_plus": N_("60 and over"),
    "web": N_("website"), "office": N_("party office"), "forum": N_("forum"), "phone": N_("phone"),
    "import": N_("import"),
    "kk": N_("Kazakh"), "ru": N_("Russian"), "mixed": N_("mixed"), "unknown": N_("unknown"),
    "hide": N_("hidden"), "restore": N_("restored"), "merge": N_("merged"), "theme": N_("theme changed"),
    "answer": N_("answered"),
}


def receipt_key(request: Request) -> bytes:
    """The receipts' HMAC key (derived from ``TANDAU_SECRET_KEY``)."""
    return receipts.derive_key(request.app.state.settings.secret_key.get_secret_value())


def per_hour(request: Request) -> int:
    """Proposals one address may send per hour (``app.state.proposals_per_hour`` when set: tests use it)."""
    limit = getattr(request.app.state, "proposals_per_hour", None)
    return limit if isinstance(limit, int) and limit > 0 else receipts.DEFAULT_PER_HOUR


def address(request: Request) -> str:
    """The client address the limit counts (as the sign-in throttle: the peer uvicorn reports)."""
    return client_address(request)


@cache
def _units() -> tuple[tuple[str, str, str | None, object], ...]:
    """(9-digit KATO, kind, parent region's KATO, unit) of every unit of the 2023 territory but the country."""
    out = []
    for u in load_kz("2023").units:
        if u.kind == "country":
            continue
        parent = None if u.kind in ("region", "republican_city") else kato_code(u.id[:2], "region")
        out.append((kato_code(u.id, u.kind), u.kind, parent, u))
    return tuple(out)


def _name(unit: object, lang: str) -> str:
    return str(unit.name if lang == "en" else unit.name_in(lang))  # type: ignore[attr-defined]


def regions(lang: str) -> list[tuple[str, str]]:
    """(KATO, name) of every region and city of republican significance, by name."""
    return sorted(((k, _name(u, lang)) for k, kind, parent, u in _units() if parent is None), key=lambda x: x[1])


def districts(region: str, lang: str) -> list[tuple[str, str]]:
    """(KATO, name) of the cities and districts of ``region``, by name."""
    return sorted(((k, _name(u, lang)) for k, kind, parent, u in _units() if parent == region),
                  key=lambda x: x[1])


def region_choice(region: str, lang: str) -> dict[str, Any]:
    """The region picker's values of a form: every region, ``region`` (empty unless it is one) and its districts."""
    choices = regions(lang)
    region = region if region in dict(choices) else ""
    return {"regions": choices, "region": region, "districts": districts(region, lang) if region else []}


def limit_page(request: Request, template: str, exc: ThrottledError) -> Response:
    """A public form's page of its per-address limit: 429, the minutes to wait and ``Retry-After``."""
    page = render(request, template, {"minutes": max(1, (exc.retry_after + 59) // 60)}, status_code=429)
    page.headers["Retry-After"] = str(exc.retry_after)
    return page


def place_namer(request: Request) -> Callable[[str], str]:
    """A territory's name by its KATO code in the page's language (the code when unknown)."""
    lang = language(request)
    names = {k: _name(u, lang) for k, _kind, _parent, u in _units()}

    def name(kato: str) -> str:
        found = names.get(kato)
        if found is None:
            return kato
        region = kato[:2] + "0000000"
        return found if region == kato or region not in names else f"{found} ({names[region]})"

    return name


def theme_namer(request: Request) -> Callable[[str | None], str]:
    """A theme's name in the page's language."""
    lang = language(request)
    return lambda code: themes.theme_name(code, lang)


def prefix_of(kato: str) -> str:
    """The KATO prefix a territory's page covers."""
    return kato_prefix(kato)
