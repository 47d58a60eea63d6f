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

from tandau.core.report import SECTION_IDS, Annex, Chart, CongressReport, Section, Table
from tandau.services.primaries.access import Action, Actor, is_allowed, require
from tandau.services.report.common import NATIONAL, get_cycle, latest_cycle, region_of
from tandau.services.report.deputies import appeals_sections, awards_sections, deputies_sections
from tandau.services.report.lists import lists_sections, seats_sections
from tandau.services.report.primaries import primaries_sections
from tandau.services.report.programmes import control_sections, programmes_sections

__all__ = ["congress_report", "latest_cycle", "readable_regions", "region_of"]


def readable_regions(actor: Actor, regions: list[str]) -> list[str]:
    """The annexes ``actor`` may read among ``regions`` (2-digit prefixes)."""
    return [r for r in regions if is_allowed(actor, Action.REPORT_VIEW, r + "0000000")]


#: the figures tabulated by region in a national section (section id -> figure keys)
BY_REGION: dict[str, tuple[str, ...]] = {
    "seats": ("seats.elected", "seats.women", "seats.young", "seats.women_on_lists", "seats.young_on_lists"),
    "programmes": ("programmes.programmes", "programmes.published", "programmes.commitments", "proposals.received",
                   "proposals.answered", "proposals.answered_share"),
    "control": ("control.series", "control.on_track_share", "control.flags", "control.cases_opened",
                "control.cases_resolved"),
    "deputies": ("deputies.active", "deputies.women", "deputies.young", "deputies.vacated", "deputies.activity"),
    "appeals": ("appeals.received", "appeals.answered", "appeals.on_time", "appeals.rated", "appeals.satisfaction"),
    "awards": ("awards.nominations", "awards.approved", "awards.pending"),
}
#: the share charted by region under the table
CHARTED = {"seats": "seats.women", "control": "control.on_track_share", "deputies": "deputies.women",
           "appeals": "appeals.on_time", "programmes": "proposals.answered_share"}


def _by_region(national: Section, regional: dict[str, Section]) -> Section:
    """``national`` with a table (and a chart) of its main figures by region, taken from the regions' sections."""
    keys = BY_REGION.get(national.id)
    if not keys or not national.figures:
        return national
    labels = {f.key: f for f in national.figures}
    rows = []
    for region in sorted(regional):
        figures = {f.key: f for f in regional[region].figures}
        if figures:
            rows.append((region, *(figures[k].value if k in figures else None for k in keys)))
    if not rows:
        return national
    means = frozenset(i + 1 for i, k in enumerate(keys) if labels[k].kind == "mean")
    table = Table("By region", ("Region", *(labels[k].label for k in keys)), tuple(rows), "region", means=means)
    charts = national.charts
    if national.id in CHARTED:
        i = keys.index(CHARTED[national.id]) + 1
        charts = (*charts, Chart(labels[CHARTED[national.id]].label,
                                 tuple((str(r[0]), float(r[i] or 0.0)) for r in rows), True, "region"))
    return Section(national.id, national.figures, (*national.tables, table), charts, national.notes)


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
        deputies, appeals, awards_sections(session)]
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
    national = () if region is not None else tuple(_by_region(s, by) for s, by in parts)
    day = None if cycle.election_date is None else cycle.election_date.isoformat()
    return CongressReport(cycle.id, cycle.name, day, cycle.system, as_of, national, annexes)
