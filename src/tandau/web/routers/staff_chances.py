"""The seat simulator for single-member districts: each nominee's chance, the districts the party may win, and
the women and under-35s expected among its district deputies (page and JSON API; the service computes)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from tandau.errors import InputError
from tandau.services import district_chances as dc
from tandau.web import places
from tandau.web.deps import SessionDep, StaffUser
from tandau.web.i18n import language, translator
from tandau.web.routers import staff_assets
from tandau.web.routers.staff import PARTIES  # the simulator's party labels (a constant)
from tandau.web.templating import render

router = APIRouter()


def _number(value: str | None, default: float, parameter: str) -> float:
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"not a number: {value!r}", parameter=parameter) from None
    if not math.isfinite(number):
        raise InputError(f"not a finite number: {value!r}", parameter=parameter)
    return number


def _inputs(q: Any) -> dict[str, Any]:
    """The simulator's inputs from the query (percent and percentage points on the page)."""
    rivals = {p: _number(q.get(f"share_{p}"), 100 * v, f"share_{p}") / 100
              for p, v in dc.DEFAULT_SHARES.items() if p != dc.OUR_PARTY}
    return {"share": _number(q.get("share"), 100 * dc.DEFAULT_SHARES[dc.OUR_PARTY], "share") / 100,
            "rivals": rivals, "sigma": _number(q.get("sigma"), 8.0, "sigma") / 100,
            "swing": _number(q.get("swing"), 3.0, "swing") / 100, "draws": int(_number(q.get("draws"), 4000, "draws")),
            "seed": int(_number(q.get("seed"), 1, "seed"))}


@router.get("/staff/nominees/{council_id}/chances", include_in_schema=False)
def chances_page(request: Request, session: SessionDep, user: StaffUser, council_id: str,
                 cycle: str | None = None) -> Response:
    _ = translator(request)
    sim = dc.simulate_districts(session, user, cycle or None, council_id, **_inputs(request.query_params))
    name = places.council_name(sim.nominees.council, language(request))
    context = {"title": _("District chances: %(name)s", name=name), "council_label": name, "sim": sim,
               "charts_ready": staff_assets.available(request), "our_party": dc.OUR_PARTY,
               "labels": {p: _(v) for p, v in PARTIES.items()}}
    return render(request, "staff/district_chances.html", context)


class DistrictChancePublic(BaseModel):
    district: str
    number: int
    nominee: str | None = Field(description="the nominee's public id in the district's primary")
    name: str | None
    chance: float | None = Field(description="probability that the party's nominee wins the district")


class DistrictChancesPublic(BaseModel):
    council: str
    cycle: str
    share: float
    rivals: dict[str, float]
    sigma: float
    swing: float
    draws: int
    seed: int
    districts: list[DistrictChancePublic]
    expected_seats: float
    expected_women: float
    expected_young: float = Field(description="expected deputies under 35 on election day")
    seats_pmf: list[float] = Field(description="probability that the party wins k districts, k = 0, 1, ...")


@router.get("/api/v1/workspace/nominees/{council_id}/chances", tags=["workspace"])
def chances_api(request: Request, session: SessionDep, user: StaffUser, council_id: str,
                cycle: str | None = None) -> DistrictChancesPublic:
    """Each nominee's chance of winning their district from expected vote shares (query: ``share``,
    ``share_<party>`` in percent, ``sigma`` and ``swing`` in percentage points, ``draws``, ``seed``)."""
    sim = dc.simulate_districts(session, user, cycle or None, council_id, **_inputs(request.query_params))
    return DistrictChancesPublic(
        council=council_id, cycle=sim.nominees.cycle.id, share=sim.share, rivals=sim.rivals, sigma=sim.sigma,
        swing=sim.swing, draws=sim.draws, seed=sim.seed,
        districts=[DistrictChancePublic(district=r.district_id, number=r.number,
                                        nominee=None if r.nominee is None else r.nominee.id,
                                        name=None if r.nominee is None else r.nominee.name, chance=r.chance)
                   for r in sim.rows],
        expected_seats=sim.expected_seats, expected_women=sim.expected_women, expected_young=sim.expected_young,
        seats_pmf=list(sim.seats_pmf))
