"""Pydantic models of the deputies' JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tandau.web.text_input import STORABLE

Short = Annotated[str, Field(max_length=200), STORABLE]
Reason = Annotated[str, Field(max_length=2000), STORABLE]


class DeputyPublic(BaseModel):
    id: str
    council_id: str
    kato: str | None = Field(description="the council's territory (KATO); null: the Majilis")
    person_id: str = Field(description="the member or list id ('' when not known)")
    name: str
    sex: str | None
    mandate: Literal["list", "district"]
    district_id: str
    position: int | None = Field(description="position on the registered list (list mandates)")
    term_start: date
    term_end: date
    status: Literal["active", "vacated"]
    vacated_on: date | None
    vacated_reason: str | None
    succeeds: str | None = Field(description="the deputy this one succeeded")


class DecisionPublic(BaseModel):
    id: int
    council_id: str
    deputy_id: str | None
    kind: str = Field(description="list_allocation | list_mandates | district_winners | vacancy | succession | "
                                  "by_election")
    summary: str
    data: dict[str, object]
    at: datetime
    actor: str


class ActivityPublic(BaseModel):
    kind: str
    day: date
    details: str
    attended: bool | None
    choice: str | None
    answered_on: date | None
    people: int | None


class SummaryPublic(BaseModel):
    sessions: int
    sessions_attended: int
    votes: int
    votes_cast: int
    inquiries: int
    inquiries_answered: int
    receptions: int
    people_received: int
    reports: int


class OwnedCommitmentPublic(BaseModel):
    programme: str = Field(description="the programme's id (M-75-2023)")
    programme_status: str
    commitment: str = Field(description="the commitment's id in the programme")
    text: str = Field(description="its wording (Russian, else Kazakh, else English)")
    series: list[str] | None = Field(description="[programme, indicator, region] of its control series; null: not "
                                                 "made a control target")
    status: str | None = Field(description="the control board's status today: on_track, at_risk, off_track, "
                                           "achieved; null: no target or not assessed")


class OwnedPublic(BaseModel):
    commitments: list[OwnedCommitmentPublic] = Field(description="the programme commitments that name the deputy")
    control_cases: list[list[str]] = Field(description="[id, title] of the control cases the deputy owns")
    appeals: list[list[str]] = Field(description="[id, title] of the appeals the deputy handled")


class DeputyDetailPublic(DeputyPublic):
    council_name: str
    party: str
    decisions: list[DecisionPublic]
    activity: list[ActivityPublic]
    summary: SummaryPublic
    owned: OwnedPublic


class FactionPublic(BaseModel):
    council_id: str
    name: str
    kato: str | None
    party: str
    election_day: date
    term_end: date
    seats: int
    list_seats: int
    party_list_seats: int
    mandate_rule: str
    list_source: str
    votes: list[tuple[str, int]]
    other_valid_votes: int
    deputies: list[DeputyPublic]
    former: list[DeputyPublic]
    decisions: list[DecisionPublic]


class VacancyCreate(BaseModel):
    reason: Reason = Field(description="why the mandate ended (resignation, death, appointment, court...)")
    on: date = Field(description="the day the mandate ended")


class VacancyPublic(BaseModel):
    vacated: DeputyPublic
    successor: DeputyPublic | None = Field(description="the list successor (null: a district seat, or the list "
                                                       "is exhausted)")
    succession: dict[str, object] | None


class ByElectionCreate(BaseModel):
    district: Short = Field(description="the district id (M-75-D07) or its number")
    winner: Short
    party: Short = Field(default="", description="the winner's party; empty: self-nominated")
    person_id: Short = ""
    sex: Literal["F", "M"] | None = None
    birth_date: date | None = None
    day: date = Field(description="the by-election's day")


class AkimCreate(BaseModel):
    kato: Short = Field(description="9-digit KATO code of the territory")
    name: Short
    person_id: Short = ""
    appointed_at: date


class AkimEnd(BaseModel):
    left_at: date


class AkimPublic(BaseModel):
    id: str
    kato: str
    person_id: str
    name: str
    appointed_at: date
    left_at: date | None


class ImportPublic(BaseModel):
    council_id: str
    deputies: list[DeputyPublic]
    steps: list[str]


class ActivityImportPublic(BaseModel):
    stored: int
    per_kind: dict[str, int]
    sha256: str
