"""Programmes, citizens' proposals and party control in the congress report.

Programmes: the cycle's election programmes (``programmes``) by status and the commitments of each one's current
version. Proposals (not tied to a cycle: every proposal received): answered by commitments, not taken, hidden or
merged. Control: the control board (:func:`tandau.services.control.board.control_board`) at the latest reported
period (the board's own default), its series by status per programme and its flags; control cases opened and
resolved (``resolved`` or ``closed``).
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandau.core.report import Chart, Figure, Section, Table, share
from tandau.services.report.common import NATIONAL, region_of
from tandau.store.models import Cycle

STATUSES = ("draft", "submitted", "returned", "approved", "published")
ON_TRACK = ("on_track", "achieved")
CASE_DONE = ("resolved", "closed")


def _merge(rows: dict[str, list[int]], region: str, values: list[int]) -> None:
    for key in {region, ""}:
        a = rows.setdefault(key, [0] * len(values))
        for i, v in enumerate(values):
            a[i] += v


def programmes_sections(session: Session, cycle: Cycle) -> tuple[Section, dict[str, Section]]:
    from tandau.store.programme_models import ProgrammeRow, ProgrammeVersion
    from tandau.store.proposals_models import Proposal, ProposalLink

    prog: dict[str, list[int]] = {}
    rows = session.execute(select(ProgrammeRow.kato, ProgrammeRow.status, ProgrammeVersion.commitments).outerjoin(
        ProgrammeVersion, (ProgrammeVersion.programme_id == ProgrammeRow.id)
        & (ProgrammeVersion.number == ProgrammeRow.version)).where(ProgrammeRow.cycle_id == cycle.id)).all()
    for kato, status, commitments in rows:
        n = len(json.loads(commitments)) if commitments else 0
        _merge(prog, region_of(kato), [1, status == "published", status == "approved", n,
                                       n if status == "published" else 0])
    props: dict[str, list[int]] = {}
    linked = select(ProposalLink.proposal_id).distinct().subquery()
    for kato, status, n, n_linked in session.execute(
            select(Proposal.kato, Proposal.status, func.count(), func.count(linked.c.proposal_id))
            .outerjoin(linked, linked.c.proposal_id == Proposal.id).group_by(Proposal.kato, Proposal.status)):
        k = int(n)
        _merge(props, region_of(kato), [k, k if status == "answered" else 0, k if status == "not_taken" else 0,
                                        k if status in ("hidden", "merged") else 0, int(n_linked)])

    def section(region: str) -> Section:
        p = prog.get(region, [0] * 5)
        q = props.get(region, [0] * 5)
        considered = q[0] - q[3]
        figures = (
            Figure("programmes.programmes", "Election programmes", p[0], "programmes of the cycle"),
            Figure("programmes.published", "Programmes published", p[1], "programmes of the cycle published"),
            Figure("programmes.approved", "Programmes approved, not yet published", p[2],
                   "programmes of the cycle approved"),
            Figure("programmes.commitments", "Commitments", p[3], "commitments of each programme's current version"),
            Figure("programmes.commitments_published", "Commitments published", p[4],
                   "commitments of the published programmes"),
            Figure("proposals.received", "Proposals received", q[0], "citizens' proposals stored"),
            Figure("proposals.considered", "Proposals considered", considered, "received, less hidden and merged"),
            Figure("proposals.answered", "Proposals answered", q[1], "proposals of status answered"),
            Figure("proposals.answered_share", "Proposals answered (share)", share(q[1], considered),
                   "answered / considered", "share"),
            Figure("proposals.not_taken", "Proposals not taken, with a reason", q[2], "proposals of status not_taken"),
            Figure("proposals.linked", "Proposals linked to commitments", q[4],
                   "proposals with at least one link to a commitment"),
        )
        notes = () if p[0] or q[0] else ("No programme or proposal recorded.",)
        chart = Chart("Proposals", (("Proposals considered", float(considered)), ("Proposals answered", float(q[1])),
                                    ("Proposals not taken, with a reason", float(q[2]))))
        return Section("programmes", figures if not notes else (), (), (chart,) if q[0] else (), notes)

    regions = sorted((set(prog) | set(props)) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}


def control_sections(session: Session) -> tuple[Section, dict[str, Section], str | None]:
    """(national, per region, the as-of day) of the control board and the control cases."""
    from tandau.services.control.board import control_board
    from tandau.services.control.data import latest_period
    from tandau.services.primaries.access import Actor
    from tandau.store.control_models import ControlCase

    as_of = latest_period(session)
    series: dict[str, dict[str, list[int]]] = {}  # region -> programme -> [series, on track, at risk, off, flags]
    if as_of is not None:
        board = control_board(session, Actor.central("congress-report"), as_of)
        for a in board.assessments:
            for key in {region_of(a.region), ""}:
                row = series.setdefault(key, {}).setdefault(a.programme, [0, 0, 0, 0, 0])
                row[0] += 1
                row[1] += a.status in ON_TRACK
                row[2] += a.status == "at_risk"
                row[3] += a.status == "off_track"
        for f in board.flags:
            for key in {region_of(f.region), ""}:
                series.setdefault(key, {}).setdefault(f.programme, [0, 0, 0, 0, 0])[4] += 1
    cases: dict[str, list[int]] = {}
    for kato, status, n in session.execute(select(ControlCase.kato, ControlCase.status, func.count())
                                           .group_by(ControlCase.kato, ControlCase.status)):
        _merge(cases, region_of(kato), [int(n), int(n) if status in CASE_DONE else 0])

    def section(region: str) -> Section:
        by = series.get(region, {})
        t = [sum(v[i] for v in by.values()) for i in range(5)]
        c = cases.get(region, [0, 0])
        figures = (
            Figure("control.series", "Targets followed", t[0], "control series assessed at the as-of day"),
            Figure("control.on_track", "Targets on track", t[1], "series on track or achieved"),
            Figure("control.on_track_share", "Targets on track (share)", share(t[1], t[0]),
                   "on track or achieved / series", "share"),
            Figure("control.at_risk", "Targets at risk", t[2], "series at risk"),
            Figure("control.off_track", "Targets off track", t[3], "series off track"),
            Figure("control.flags", "Red flags", t[4], "programme red flags raised at the as-of day"),
            Figure("control.cases_opened", "Control cases opened", c[0], "control cases stored"),
            Figure("control.cases_resolved", "Control cases resolved", c[1], "cases resolved or closed"),
        )
        rows = tuple((p, v[0], v[1], share(v[1], v[0]), v[2], v[3], v[4]) for p, v in sorted(by.items()))
        tables = (Table("Targets by programme", ("Programme", "Targets followed", "Targets on track",
                                                 "Targets on track (share)", "Targets at risk", "Targets off track",
                                                 "Red flags"), rows, "programme"),) if rows else ()
        charts = (Chart("Targets on track by programme", tuple((r[0], float(r[3] or 0.0)) for r in rows), True,
                        "programme"),) if rows else ()
        notes = () if t[0] or c[0] else ("No control data recorded.",)
        return Section("control", figures if not notes else (), tables, charts, notes)

    regions = sorted((set(series) | set(cases)) - {"", NATIONAL})
    return section(""), {r: section(r) for r in regions}, None if as_of is None else as_of.isoformat()
