"""The control board (``/control``) and a region's page (``/control/regions/{region}``), and their JSON API
(``/api/v1/control/board``, ``/api/v1/control/regions/{region}``). The services compute and scope
(:mod:`tandau.services.control.board`, :mod:`~.procurement`); these routes parse, call and present.

The as-of date defaults to the end of the latest reported period (the board "as of the latest data"); any day
may be asked with ``?as_of=YYYY-MM-DD``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from tandau.core.control.programmes import NATIONAL
from tandau.errors import InputError
from tandau.io import control_text
from tandau.services.control import board as boards
from tandau.services.control.data import latest_period
from tandau.services.control.export import board_json, region_json
from tandau.services.control.procurement import region_procurement
from tandau.services.primaries.access import Action, is_allowed
from tandau.services.primaries.kato import kato_prefix
from tandau.web import charts, charts_control, places
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.i18n import language, translator
from tandau.web.routers import staff_assets
from tandau.web.routers.control.schemas import BoardPublic, RegionPublic
from tandau.web.templating import render

router = APIRouter()


def _as_of(session: Session, value: str | None) -> date:
    if value is None or not value.strip():
        return latest_period(session) or date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"expected a day such as 2025-06-30, got {value!r}", parameter="as_of") from None


def region_label(request: Request) -> Callable[[str], str]:
    """A region's name in the page's language (``KZ``: the whole country)."""
    lang = language(request)
    _ = translator(request)

    def name(code: str) -> str:
        if code == NATIONAL:
            return _("Kazakhstan")
        prefix = kato_prefix(code)
        return places.territory_name(prefix, prefix, lang)

    return name


def _common(request: Request) -> dict[str, Any]:
    return {"region_name": region_label(request), "lang": language(request), "text": control_text,
            "charts": charts, "charts_ready": staff_assets.available(request)}


# ---- pages -------------------------------------------------------------------------------------------------------

@router.get("/control", include_in_schema=False)
def board_page(request: Request, session: SessionDep, user: CurrentUser, as_of: str | None = None) -> Response:
    day = _as_of(session, as_of)
    board = boards.control_board(session, user, day)
    return render(request, "control/board.html", _common(request) | {
        "b": board, "as_of": day, "may_import": is_allowed(user, Action.CONTROL_IMPORT, None)})


def _series_context(request: Request, view: boards.RegionView) -> list[dict[str, Any]]:
    _ = translator(request)
    out = []
    for s in view.series:
        t, a = s.target, s.assessment
        points = [(r.period_end, r.actual) for r in s.reports]
        title = f"{control_text.programme_name(t.programme, _)}: {control_text.indicator_name(t.indicator, _)}"
        # past the deadline (or reported up to it) there is nothing left to forecast: no band
        ahead = view.as_of < t.deadline and not (points and points[-1][0] >= t.deadline)
        spec = charts_control.trajectory(points, baseline=t.baseline, baseline_date=t.start, target=t.target,
                                         deadline=t.deadline, forecast=a.forecast if ahead else None,
                                         forecast_low=a.forecast_low if ahead else None,
                                         forecast_high=a.forecast_high if ahead else None, as_of=view.as_of,
                                         unit=control_text.unit_name(t.unit, _), title=title, _=_,
                                         lang=language(request))
        rows = charts_control.table_rows(points, baseline=t.baseline, baseline_date=t.start, target=t.target,
                                         deadline=t.deadline)
        out.append({"s": s, "t": t, "a": a, "title": title, "spec": spec, "rows": rows, "ahead": ahead,
                    "ref": f"{t.programme}/{t.indicator}/{t.region}"})
    return out


@router.get("/control/regions/{region}", include_in_schema=False)
def region_page(request: Request, session: SessionDep, user: CurrentUser, region: str, as_of: str | None = None,
                programme: str | None = None) -> Response:
    day = _as_of(session, as_of)
    view = boards.region_view(session, user, region, day, programme=programme or None)
    procurement = region_procurement(session, user, region) if region != NATIONAL else None
    kato = None if region == NATIONAL else region
    context = _common(request) | {
        "view": view, "as_of": day, "region": region, "programme": programme or "",
        "series": _series_context(request, view), "procurement": procurement,
        "may_open": is_allowed(user, Action.CASE_OPEN, kato), "kato": kato or ""}
    return render(request, "control/region.html", context)


# ---- JSON API ----------------------------------------------------------------------------------------------------

@router.get("/api/v1/control/board", tags=["control"])
def board_api(session: SessionDep, user: CurrentUser, as_of: str | None = None) -> BoardPublic:
    """Regions × programmes at ``as_of`` (default: the end of the latest reported period): the worst status of
    each cell, the regions' ranks, the programme flags and the caller's overdue cases; scoped to the regions the
    caller may see (the national series KZ to national viewers only)."""
    return BoardPublic.model_validate(board_json(boards.control_board(session, user, _as_of(session, as_of))))


@router.get("/api/v1/control/regions/{region}", tags=["control"])
def region_api(session: SessionDep, user: CurrentUser, region: str, as_of: str | None = None,
               programme: str | None = None) -> RegionPublic:
    """One region (9-digit KATO code, or KZ): every series with its target in force, the reports known at
    ``as_of``, its assessment and flags, and the region's procurement red flags with the processes they concern."""
    day = _as_of(session, as_of)
    view = boards.region_view(session, user, region, day, programme=programme or None)
    procurement = region_procurement(session, user, region) if region != NATIONAL else None
    return RegionPublic.model_validate(region_json(view, procurement))
