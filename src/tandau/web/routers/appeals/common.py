"""What the appeals pages share: the keys derived from ``TANDAU_SECRET_KEY``, the form's per-address limit and
the labels of the service's ids."""

from __future__ import annotations

from fastapi import Request

from tandau.services.appeals import data, deadlines
from tandau.services.appeals.intake import Keys
from tandau.web.i18n import N_
from tandau.web.routers.voter import client_address

LABELS: dict[str, str] = {
    "received": N_("received"), "in_progress": N_("in progress"), "extended": N_("extended"),
    "redirected": N_("redirected to a state body"), "answered": N_("answered"), "closed": N_("closed"),
    "resolved": N_("resolved"), "explained": N_("explained"), "refused": N_("refused"),
    "web": N_("website"), "office": N_("party office"), "phone": N_("phone"), "import": N_("import"),
    "deputy": N_("a deputy"), "branch": N_("a branch"), "state_body": N_("a state body"),
    "receive": N_("received"), "route": N_("routed"), "extend": N_("extended"), "redirect": N_("redirected"),
    "answer": N_("answered"), "close": N_("closed"), "satisfaction": N_("satisfaction"),
    "escalate": N_("escalated"),
}


def secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key.get_secret_value())


def keys(request: Request) -> Keys:
    """The receipt and applicant keys."""
    return Keys.of(secret(request))


def export_key(request: Request) -> bytes:
    return data.export_key(secret(request))


def per_hour(request: Request) -> int:
    """Appeals one address may send per hour (``app.state.appeals_per_hour`` when set: tests use it)."""
    limit = getattr(request.app.state, "appeals_per_hour", None)
    return limit if isinstance(limit, int) and limit > 0 else deadlines.per_hour()


def address(request: Request) -> str:
    return client_address(request)
