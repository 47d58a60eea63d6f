"""Candidate tags in the page's language.

Tags are data (the nomination's ``tags`` column: free words such as ``disability`` or ``entrepreneur``), but the
tags the rules and the demo know are shown translated; any other tag is shown as written. Templates use the
``tag`` filter: ``{{ p.tags | map("tag") | join(", ") }}``.
"""

from __future__ import annotations

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from tandau.web.i18n import FALLBACK, N_, make_gettext

KNOWN_TAGS: dict[str, str] = {
    "disability": N_("disability"),
    "entrepreneur": N_("entrepreneur"),
    "media": N_("media"),
    "repatriate": N_("repatriate"),
    "youth": N_("youth"),
    "women": N_("women"),
}


def tag_label(tag: str, lang: str) -> str:
    """``tag`` in ``lang`` when it is a known tag, else as written."""
    known = KNOWN_TAGS.get(tag.strip().casefold())
    return make_gettext(lang)(known) if known is not None else tag


@pass_context
def _tag(ctx: Context, tag: str) -> str:
    lang = ctx.get("lang")
    return tag_label(str(tag), lang if isinstance(lang, str) else FALLBACK)


def install(env: Environment) -> None:
    """Register the ``tag`` filter."""
    env.filters["tag"] = _tag
