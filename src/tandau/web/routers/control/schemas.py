"""Response models of the control board's JSON API (the shapes of :mod:`tandau.services.control.export`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CellPublic(BaseModel):
    programme: str
    status: str | None = Field(description="the worst status of the cell's series: off_track, at_risk, on_track, "
                                           "achieved; null when the region has no series of the programme")
    series: int
    flags: int


class RowPublic(BaseModel):
    region: str = Field(description="9-digit KATO code, or KZ for the national series")
    rank: int | None = Field(description="the region's place by mean probability of meeting its targets on time")
    mean_p: float | None
    cells: list[CellPublic]


class FlagDetail(BaseModel):
    reason: str
    first_date: str = Field(description="the first date the flag fired")
    data: dict[str, Any] = Field(description="the data that fired it")
    text: str = Field(description="English explanation (the pages show it in kk, ru or en)")


class FlagPublic(BaseModel):
    code: str = Field(description="P01-P09")
    programme: str
    indicator: str
    region: str
    detail: FlagDetail
    params: dict[str, Any]


class BoardPublic(BaseModel):
    as_of: str
    programmes: list[str]
    rows: list[RowPublic]
    flags: list[FlagPublic]
    overdue_cases: int = Field(description="control cases past their deadline that the caller may read")


class TargetPublic(BaseModel):
    programme: str
    indicator: str
    region: str
    unit: str
    kind: str
    direction: str
    baseline: float
    baseline_date: str
    target: float
    deadline: str
    budget_kzt: float | None
    source: str
    frequency: str
    revised_at: str | None
    start: str = Field(description="where the series starts (a region created on 8 June 2022 starts then)")


class ReportPublic(BaseModel):
    period_end: str
    actual: float
    allocated_kzt: float | None
    adjusted_kzt: float | None
    contracted_kzt: float | None
    paid_kzt: float | None
    reported_at: str | None


class AssessmentPublic(BaseModel):
    programme: str
    indicator: str
    region: str
    target: float
    deadline: str
    actual: float
    required_pace: float | None = Field(description="per day, to reach the target by the deadline")
    actual_pace: float | None = Field(description="per day, over the last 365 days")
    forecast: float
    forecast_low: float = Field(description="lower bound of the 80% interval at the deadline")
    forecast_high: float
    p_on_time: float
    status: str


class SeriesPublic(BaseModel):
    target: TargetPublic
    reports: list[ReportPublic] = Field(description="known at the as-of date (latest revision of each period)")
    assessment: AssessmentPublic
    flags: list[FlagPublic]


class ProcessPublic(BaseModel):
    ocid: str
    buyer_id: str
    buyer_name: str
    region: str | None
    title: str
    amount: float | None
    currency: str | None
    programme: str | None = Field(description="the programme item the process is linked to, if any")
    indicator: str | None


class FindingPublic(BaseModel):
    code: str = Field(description="Cardinal's indicator code, R003-R058")
    group: str = Field(description="OCID, Buyer, ProcuringEntity or Tenderer")
    id: str
    value: float
    processes: list[ProcessPublic]


class ProcurementPublic(BaseModel):
    processes: int = Field(description="contracting processes of the region")
    findings: list[FindingPublic]
    meta: dict[str, dict[str, float | None]] = Field(description="quartiles and fences (Cardinal's Meta)")


class RegionPublic(BaseModel):
    region: str
    as_of: str
    series: list[SeriesPublic]
    procurement: ProcurementPublic | None = Field(description="null for KZ")
