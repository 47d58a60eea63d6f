"""Pydantic schemas of the JSON API (``XCreate`` in, ``XPublic`` out); the OpenAPI schema is built from them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. not_found, forbidden, already_voted, csrf")
    message: str
    details: list[dict[str, object]] = Field(default_factory=list)


class ErrorPublic(BaseModel):
    """The one error shape of the API."""

    error: ErrorBody


class SessionPublic(BaseModel):
    subject: str | None
    roles: list[str]
    csrf_token: str


class SignInCreate(BaseModel):
    member_id: str = Field(min_length=1, max_length=64)
    secret: str = Field(min_length=1, max_length=200, description="password, or the 8-digit one-time code")


class CodeCreate(BaseModel):
    member_id: str = Field(min_length=1, max_length=64)


class CodeIssued(BaseModel):
    sent: bool = True
    development_code: str | None = Field(default=None, description="only in development (no SMS gateway)")


class CandidatePublic(BaseModel):
    id: str
    name: str
    sex: str
    position: int


class ContestPublic(BaseModel):
    id: str
    cycle_id: str
    name: str
    level: str
    region: str
    kato: str | None
    rule: str
    ballot_form: str
    seats: int
    max_marks: int | None
    opens_at: datetime
    closes_at: datetime
    status: str


class ContestDetail(ContestPublic):
    candidates: list[CandidatePublic]


class VoterContestPublic(BaseModel):
    contest: ContestPublic
    has_voted: bool
    accepting: bool


class BallotCreate(BaseModel):
    selection: list[str] = Field(description="approval: the marked candidate ids; ranked: ids in order of preference")


class ReceiptPublic(BaseModel):
    contest_id: str
    tracker: str


class TrackerCheck(BaseModel):
    contest_id: str
    tracker: str
    published: bool


class ResultPublic(BaseModel):
    contest_id: str
    ballots: int
    elected: list[str]
    ranking: list[str]
    women: list[str]
    youth: list[str]
    bulletin_sha256: str
    names: dict[str, str]


class TurnoutRow(BaseModel):
    territory: str
    voted: int
    eligible: int


class TurnoutPublic(BaseModel):
    contest_id: str
    voted: int
    eligible: int
    by_territory: list[TurnoutRow]


class NominationCreate(BaseModel):
    member_id: str
    nominated_by: str = Field(default="self", description="self or organisation")
    organisation: str | None = None
    tags: list[str] = Field(default_factory=list)


class NominationPublic(BaseModel):
    member_id: str
    name: str
    sex: str
    nominated_by: str
    organisation: str | None
    status: str
    reason: str | None
    position: int


class ReasonCreate(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class ExtendCreate(BaseModel):
    closes_at: datetime
    reason: str = Field(min_length=1, max_length=2000)


class CloseCreate(BaseModel):
    early: bool = False


class PublishCreate(BaseModel):
    seed: int | None = None


class ImportPublic(BaseModel):
    """What an import did (``applied``) or, for a dry run (``?dry_run=true``), would do."""

    kind: str = Field(description="roll or nominations")
    file: str
    sha256: str = Field(description="SHA-256 of the uploaded bytes (recorded in the audit log when applied)")
    applied: bool
    added: int = Field(description="members added, or nominations registered")
    updated: int = Field(description="members updated (0 for nominations)")
    contests: list[str] = Field(default_factory=list)
