"""The congress report (issue 14, item 6): the national report on a cycle, every figure recomputed from the
database, with an annex per region (docs/report.md).

:func:`congress_report` builds a :class:`~tandau.core.report.CongressReport`: the national sections (primaries,
lists, seats and the elected, programmes and proposals, control, deputies, appeals, awards) and one annex per
region with the same sections over the region. Reading is authorised by ``Action.REPORT_VIEW``: the central office
and observers read everything; a branch secretary reads their region's annex only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tandau.core.report import SECTION_IDS, Annex, CongressReport, Section
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.report.common import NATIONAL, get_cycle, latest_cycle, region_of
from tandau.services.report.deputies import AWARDS, appeals_sections, deputies_sections
from tandau.services.report.lists import lists_sections, seats_sections
from tandau.services.report.primaries import primaries_sections
from tandau.services.report.programmes import control_sections, programmes_sections

__all__ = ["congress_report", "latest_cycle", "readable_regions", "region_of"]


def readable_regions(actor: Actor, regions: list[str]) -> list[str]:
    """The annexes ``actor`` may read among ``regions`` (2-digit prefixes)."""
    return [r for r in regions if is_allowed(actor, Action.REPORT_VIEW, r + "0000000")]


def congress_report(session: Session, actor: Actor, cycle_id: str | None = None, *, region: str | None = None,
                    today: date | None = None) -> CongressReport:
    """The report on ``cycle_id`` (default: the latest). ``region`` (a 2-digit KATO prefix): only that region's
    annex, no national sections (what a branch secretary reads); else the national report with every annex the
    actor may read (the national sections need the whole country)."""
    if region is None:
        require(actor, Action.REPORT_VIEW, None)
    else:
        from tandau.errors import InputError

        if len(region) != 2 or not region.isdigit():
            raise InputError(f"a region is a 2-digit KATO prefix such as 10, got {region!r}", parameter="region")
        require(actor, Action.REPORT_VIEW, region + "0000000")
    cycle = get_cycle(session, cycle_id)
    primaries = primaries_sections(session, cycle)
    lists_national, lists_regions, lists_raw = lists_sections(session, cycle)
    seats = seats_sections(session, cycle, lists_raw)
    programmes = programmes_sections(session, cycle)
    control_national, control_regions, as_of = control_sections(session)
    deputies = deputies_sections(session, today or date.today())
    appeals = appeals_sections(session)
    parts: list[tuple[Section, dict[str, Section]]] = [
        primaries, (lists_national, lists_regions), seats, programmes, (control_national, control_regions),
        deputies, appeals, (AWARDS, {})]
    regions = sorted({r for _, by in parts for r in by} - {NATIONAL})
    if region is not None:
        if region not in regions:
            from tandau.errors import InputError

            raise InputError(f"no data of region {region} in cycle {cycle.id}; regions: {', '.join(regions)}",
                             parameter="region")
        regions = [region]
    annexes = tuple(Annex(r, tuple(by.get(r) or Section(sid, notes=("Nothing recorded for this region.",))
                                   for sid, (_, by) in zip(SECTION_IDS, parts, strict=True)))
                    for r in readable_regions(actor, regions))
    national = () if region is not None else tuple(s for s, _ in parts)
    day = None if cycle.election_date is None else cycle.election_date.isoformat()
    return CongressReport(cycle.id, cycle.name, day, cycle.system, as_of, national, annexes)
