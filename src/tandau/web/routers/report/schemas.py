"""Pydantic models of the congress report's JSON API."""

from __future__ import annotations

from pydantic import BaseModel

from tandau.core.report import CongressReport, Section


class FigurePublic(BaseModel):
    key: str
    label: str
    value: int | float | None
    counts: str
    kind: str


class TablePublic(BaseModel):
    title: str
    header: list[str]
    first: str
    rows: list[list[str | int | float | None]]


class ChartPublic(BaseModel):
    title: str
    first: str
    shares: bool
    bars: list[tuple[str, float]]


class SectionPublic(BaseModel):
    id: str
    notes: list[str]
    figures: list[FigurePublic]
    tables: list[TablePublic]
    charts: list[ChartPublic]


class AnnexPublic(BaseModel):
    region: str
    sections: list[SectionPublic]


class CongressReportPublic(BaseModel):
    """The report: national ``sections`` (empty when only a region was asked) and ``annexes``; every figure with
    its stable key, value and what it counts (English)."""

    cycle: str
    cycle_name: str
    election_date: str | None
    system: str
    control_as_of: str | None
    sections: list[SectionPublic]
    annexes: list[AnnexPublic]


def section_public(s: Section) -> SectionPublic:
    return SectionPublic(
        id=s.id, notes=list(s.notes),
        figures=[FigurePublic(key=f.key, label=f.label, value=f.value, counts=f.counts_text, kind=f.kind)
                 for f in s.figures],
        tables=[TablePublic(title=t.title, header=list(t.header), first=t.first, rows=[list(r) for r in t.rows])
                for t in s.tables],
        charts=[ChartPublic(title=c.title, first=c.first, shares=c.shares, bars=list(c.bars)) for c in s.charts])


def report_public(r: CongressReport) -> CongressReportPublic:
    return CongressReportPublic(
        cycle=r.cycle_id, cycle_name=r.cycle_name, election_date=r.election_date, system=r.system,
        control_as_of=r.control_as_of, sections=[section_public(s) for s in r.sections],
        annexes=[AnnexPublic(region=a.region, sections=[section_public(s) for s in a.sections]) for a in r.annexes])
