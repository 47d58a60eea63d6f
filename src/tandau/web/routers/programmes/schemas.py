"""Request and response models of the programmes' JSON API (``/api/v1/programmes``) and of the open data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from tandau.web.text_input import STORABLE

Short = Annotated[str, Field(max_length=200), STORABLE]
Id = Annotated[str, Field(max_length=64), STORABLE]
Text = Annotated[str, Field(max_length=4000), STORABLE]
Note = Annotated[str, Field(max_length=20_000), STORABLE]
Kato = Annotated[str, Field(max_length=9), STORABLE]
Number = Annotated[str, Field(max_length=40), STORABLE]
Section = Literal["water", "utilities", "roads", "housing", "health", "education", "jobs", "agriculture", "social",
                  "culture_sport", "ecology", "safety", "governance", "other"]
StateProgramme = Literal["", "auyl-el-besigi", "clean-water", "enbek", "housing"]


class CommitmentIn(BaseModel):
    """A commitment as stored (docs/programmes.md): numbers as decimal text, empty where the checks report it."""

    commitment: Id = Field(description="stable id within the programme (W-1, roads.2)")
    section: Section = "other"
    territory: Kato = Field(default="", description="9-digit KATO code inside the programme's territory")
    text_kk: Text = ""
    text_ru: Text = ""
    text_en: Text = ""
    indicator: Short = ""
    unit: Short = ""
    baseline: Number | None = None
    baseline_year: int | None = Field(default=None, ge=1991, le=2100)
    target: Number | None = None
    deadline: date | None = None
    direction: Literal["increase", "decrease"] = "increase"
    kind: Literal["cumulative", "level"] = "cumulative"
    budget_kzt: Number | None = None
    funding: Literal["", "republican", "local", "other"] = Field(default="", description="the budget's source")
    funding_source: Short = ""
    responsible: Short = ""
    development_indicator: Short = Field(default="", description="the territorial development programme's "
                                                                 "indicator it comes from")
    state_programme: StateProgramme = Field(default="", description="the state programme it serves (the control "
                                                                    "module's preset ids)")
    proposals: list[Id] = Field(default_factory=list, max_length=200, description="ids of the proposals it answers")
    deputies: list[Id] = Field(default_factory=list, max_length=50, description="ids of the council's active "
                               "deputies responsible for it (M-75-L03)")


class CommitmentOut(CommitmentIn):
    territory: str
    deadline: date | None = None


class ProgrammeCreate(BaseModel):
    cycle: Id = Field(description="the electoral cycle's id")
    council: Id | None = Field(default=None, description="the council's id (M-5910, KZ-MAJILIS); or give wing")
    wing: Literal["youth"] | None = Field(default=None, description="a wing's national programme")
    commitments: list[CommitmentIn] = Field(default_factory=list)
    note: Note = ""


class CommitmentsPut(BaseModel):
    commitments: list[CommitmentIn]
    note: Note = ""
    base_version: int | None = Field(default=None, description="the version edited: refused (409) if the "
                                                                "programme has moved on since")


class DeputiesPut(BaseModel):
    deputies: list[Id] = Field(max_length=50, description="ids of the council's active deputies responsible for "
                                                          "the commitment (empty: none)")


class StepCreate(BaseModel):
    step: Literal["submit", "return", "approve", "publish"]
    reason: Note = Field(default="", description="required to return a programme (the reasons)")


class CommentCreate(BaseModel):
    body: Note
    commitment: Id | None = Field(default=None, description="the commitment it is about, if one")


class FindingPublic(BaseModel):
    commitment: str
    code: str = Field(description="C01-C10 (docs/programmes.md)")
    severity: str
    detail: str = Field(description="English text")
    data: dict[str, object]


class VersionPublic(BaseModel):
    number: int
    author: str
    note: str
    created_at: datetime
    errors: int
    notices: int


class StepPublic(BaseModel):
    step: str
    from_status: str | None
    to_status: str
    version: int
    reason: str
    actor: str
    at: datetime


class CommentPublic(BaseModel):
    id: int
    version: int
    commitment: str | None
    body: str
    author: str
    created_at: datetime


class ProgrammePublic(BaseModel):
    id: str
    cycle: str
    kind: str = Field(description="council or wing")
    owner: str = Field(description="the council's id or the wing's")
    territory: str = Field(description="9-digit KATO code, or KZ: the whole country")
    title_kk: str
    title_ru: str
    status: str = Field(description="draft, submitted, returned, approved or published")
    version: int
    updated_at: datetime
    updated_by: str
    published_at: datetime | None


class ProgrammeDetailPublic(ProgrammePublic):
    commitments: list[dict[str, object]]
    findings: list[FindingPublic]
    versions: list[VersionPublic]
    comments: list[CommentPublic]
    steps: list[StepPublic]
    next_steps: list[str] = Field(description="the workflow steps the caller may take now")


class FieldChangePublic(BaseModel):
    field: str
    before: object
    after: object


class ChangePublic(BaseModel):
    commitment: str
    fields: list[FieldChangePublic]


class DiffPublic(BaseModel):
    before: int
    after: int
    added: list[dict[str, object]]
    removed: list[dict[str, object]]
    changed: list[ChangePublic]
    unchanged: int


class TargetPublic(BaseModel):
    programme: str
    indicator: str
    region: str
    unit: str
    kind: str
    direction: str
    baseline: str
    baseline_date: date
    target: str
    deadline: date
    budget_kzt: str | None
    source: str
    added: int = Field(description="target versions added by the import (0: already stored)")


class SectionDocument(BaseModel):
    section: str
    name: dict[str, str] = Field(description="kk, ru and en names of the theme")
    commitments: list[dict[str, object]]


class ProgrammeDocument(BaseModel):
    """One published programme as open data (schema ``tandau-programme/1``)."""

    schema_: str = Field(alias="schema", description="tandau-programme/1")
    id: str
    cycle: str
    kind: str
    council: str | None
    wing: str | None
    territory: str
    title: dict[str, str]
    status: str
    version: int
    published_at: str | None
    commitments: int
    budget_kzt: str = Field(description="the commitments' budgets summed, KZT")
    sections: list[SectionDocument]


class CycleDocument(BaseModel):
    """Every published programme of a cycle (schema ``tandau-programmes/1``)."""

    schema_: str = Field(alias="schema", description="tandau-programmes/1")
    cycle: str
    generated_at: str
    programmes: list[ProgrammeDocument]


# ---- territorial development programmes and drafting from them ---------------------------------------------------

class DevValuePublic(BaseModel):
    year: int
    value: str = Field(description="exact decimal text")
    version: int = Field(description="1, or higher when a later import changed the value")


class DevSeriesPublic(BaseModel):
    """One indicator of a territory's development programme: its baseline and plan values."""

    programme: str
    indicator: str
    names: dict[str, str] = Field(description="the indicator's name in kk, ru and en (its id when unknown)")
    unit: str
    section: str
    direction: Literal["increase", "decrease"]
    synthetic: bool = Field(description="SYNTHETIC values (the demo's), not real figures")
    source: str
    baseline: DevValuePublic
    plan: list[DevValuePublic]


class DevTerritoryPublic(BaseModel):
    territory: str
    last_import: datetime | None
    series: list[DevSeriesPublic]


class DevImportPublic(BaseModel):
    """What an import did: ``import_id`` is null when every value was already stored (nothing written)."""

    file: str
    sha256: str
    rows: int
    added: int
    changed: int = Field(description="values changed: each a new version, the earlier one kept")
    unchanged: int
    territories: list[str]
    import_id: int | None


class DraftCommitmentPublic(CommitmentOut):
    explanation: str = Field(description="why it is proposed: the indicator, its numbers, the term, the proposals")
    replaces: str | None = Field(default=None, description="the programme's commitment on the same development "
                                                           "indicator, replaced only when the person confirms")


class DraftSectionPublic(BaseModel):
    section: str
    proposals: int = Field(description="how many of the territory's proposals ask for this section")
    note: str | None = None
    commitments: list[DraftCommitmentPublic]


class DraftPublic(BaseModel):
    programme: str
    term_start: date
    term_end: date
    proposals: int
    sections: list[DraftSectionPublic]
    skipped: list[str]
