"""Staff workspace API under ``/api/v1/workspace``: overview, council list builder, seat simulator, export.

The JSON face of the ``/staff`` pages, on the same services (:mod:`tandau.services.workspace_access` scopes
them to the user). Staff roles only (``StaffUser``: 403 for members and candidates, 401 without a session);
reading a council is for the central office and observers everywhere and for a secretary inside their
territory; changing a list for the central office and a secretary of the territory (audited). The list change
and the simulation are POSTs and need the ``X-CSRF-Token`` header. Errors in the one shape of
:mod:`tandau.web.errors`.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tandau.services import workspace_access as wa
from tandau.services.workspace import OUR_PARTY, CouncilRow
from tandau.services.workspace_lists import BuilderView
from tandau.store.models import Contest
from tandau.web.deps import SessionDep, StaffUser
from tandau.web.i18n import language
from tandau.web.routers import schemas_workspace as s
from tandau.web.routers.api_voter import ERRORS

router = APIRouter(prefix="/api/v1/workspace", responses=ERRORS, tags=["workspace"])

EXPORT_MEDIA: dict[str, dict[str, object]] = {
    "text/csv": {},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
}


@router.get("/councils")
def councils(
    session: SessionDep, user: StaffUser, region: str | None = None, level: str | None = None
) -> s.OverviewPublic:
    """Every council with a formed list that the user may read, with its compliance per rule (the
    ``/staff`` overview). ``region``: a region's name; ``level``: national, regional, city or district."""
    data = wa.overview(session, user, region=region or None, level=level or None)
    rules = data.overview.rules
    return s.OverviewPublic(
        region=data.overview.region,
        level=data.overview.level,
        regions=list(data.regions),
        levels=list(data.overview.levels),
        rules=list(rules),
        compliant=data.compliant,
        per_rule=[s.RuleSummary(rule=r, meeting=m, checked=c) for r, m, c in data.per_rule()],
        councils=[_summary(row, data.kato[row.contest_id], rules) for row in data.rows],
    )


@router.get("/councils/{council_id}/list")
def council_list(session: SessionDep, user: StaffUser, council_id: str) -> s.CouncilListPublic:
    """The primary ranking beside the proposed list: each place's move and reason, each rule's check."""
    return _list(wa.council_list(session, user, council_id))


@router.post("/councils/{council_id}/list")
def change_list(session: SessionDep, user: StaffUser, council_id: str, body: s.ListChange) -> s.CouncilListPublic:
    """Pin a candidate at a place, unpin, exclude, include again or reset to the vote; the list is recomputed,
    stored and audited (``list.change``, ``list.reset``). A change that no list meeting every rule allows is
    refused with 409 ``conflict`` and the engine's diagnosis; the stored list stays as it was."""
    view = wa.change(session, user, council_id, body.op, candidate=body.candidate, place=body.place)
    return _list(view)


@router.post("/councils/{council_id}/seats")
def seats(session: SessionDep, user: StaffUser, council_id: str, body: s.SeatsCreate) -> s.SeatsPublic:
    """Simulate the council's election with the formed list: seats per party, each place's chance of election,
    the expected share of women and under-35s among the party's deputies (reading only: observers too)."""
    out = wa.simulate(
        session,
        user,
        council_id,
        body.shares,
        other=body.other,
        method=body.method,
        threshold=body.threshold,
        draws=body.draws,
        seed=body.seed,
    )
    sim = out.sim
    return s.SeatsPublic(
        council=_council(sim.contest),
        seats=sim.seats,
        method=sim.method,
        threshold=sim.threshold,
        other=sim.other,
        draws=sim.draws,
        seed=sim.seed,
        our_party=OUR_PARTY,
        parties=[
            s.PartySeats(party=p, share=sim.shares[p], mean=mean, pmf=sim.seats_pmf[p])
            for p, mean in sim.seats_mean.items()
        ],
        positions=[s.PositionChance.model_validate(pos) for pos in out.positions],
        composition=s.CompositionPublic(
            women_share=_finite(sim.women_share),
            youth_share=_finite(sim.youth_share),
            expected_women=sim.expected_women,
            expected_youth=sim.expected_youth,
            list_women=out.list_women,
            list_youth=out.list_youth,
        ),
    )


@router.get(
    "/councils/{council_id}/export",
    response_class=Response,
    responses={200: {"content": EXPORT_MEDIA, "description": "the list for registration"}},
)
def export(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    council_id: str,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    """The proposed list for registration, as on the page (CSV: UTF-8 with BOM; XLSX), headers in the
    request's language."""
    from tandau.services.exports import labels_in

    out = wa.export(session, user, council_id, fmt, labels_in(language(request)))
    return Response(
        out.content,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
    )


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _council(c: Contest) -> s.CouncilPublic:
    return s.CouncilPublic(id=c.id, name=c.name, level=c.level, region=c.region, kato=c.kato, status=c.status)


def _summary(row: CouncilRow, kato: str | None, rules: tuple[str, ...]) -> s.CouncilSummary:
    return s.CouncilSummary(
        id=row.contest_id,
        name=row.name,
        level=row.level,
        region=row.region,
        kato=kato,
        seats=row.seats,
        length=row.length,
        error=row.error,
        compliant=row.compliant,
        compliance=[s.RuleVerdict(rule=r, ok=ok) for r, ok in zip(rules, row.compliance, strict=True)],
        women=row.women,
        youth=row.youth,
        moved=row.moved,
        kendall_tau=row.kendall_tau,
    )


def _list(view: BuilderView) -> s.CouncilListPublic:
    stored, result = view.stored, view.stored.result
    checks = [s.CheckPublic.model_validate(c) for c in result.get("checks", [])]
    passed_on = {k: v for k, v in result.items() if k not in s.CouncilListPublic.model_fields}
    return s.CouncilListPublic(
        **passed_on,
        council=_council(view.contest),
        rules=stored.rules,
        length=stored.length,
        seats=stored.seats,
        election_date=view.election_date,
        editable=view.editable,
        pins=[s.PinPublic(candidate=c, place=p) for c, p in stored.pins],
        exclude=list(stored.exclude),
        updated_at=stored.updated_at,
        updated_by=stored.updated_by,
        error=result.get("error"),
        compliant=result.get("error") is None and all(c.ok for c in checks),
        women=int(result.get("women", 0)),
        youth=int(result.get("youth", 0)),
        metrics=s.MetricsPublic.model_validate(result["metrics"]) if result.get("metrics") else None,
        ranking=[
            s.RankingRowPublic.model_validate(
                {**r.person, "vote_rank": r.vote_rank, "place": r.place, "excluded": r.excluded, "pinned": r.pinned}
            )
            for r in view.ranking
        ],
        entries=[s.EntryPublic.model_validate(e) for e in result.get("entries", [])],
        left_off=[s.LeftOffPublic.model_validate(e) for e in result.get("left_off", [])],
        checks=checks,
        warnings=list(result.get("warnings", [])),
        ties=[s.TiePublic.model_validate(t) for t in result.get("ties", [])],
    )
