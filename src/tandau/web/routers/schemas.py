"""Pydantic schemas of the JSON API (``XCreate`` in, ``XPublic`` out); the OpenAPI schema is built from them.

Every string that comes in is :data:`~tandau.web.text_input.Text` (no NUL, no half surrogate pair)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from tandau.services.primaries.nominations import MAX_TEXT
from tandau.web.text_input import STORABLE, Text

MemberId = Annotated[str, Field(min_length=1, max_length=64), STORABLE]
Reason = Annotated[str, Field(min_length=1, max_length=2000), STORABLE]


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
    member_id: MemberId
    secret: Annotated[str, Field(min_length=1, max_length=200), STORABLE] = Field(
        description="password, or the 8-digit one-time code")


class CodeCreate(BaseModel):
    member_id: MemberId


class CodeIssued(BaseModel):
    sent: bool = True
    development_code: str | None = Field(default=None, description="only in development (no SMS gateway)")


class PasswordChange(BaseModel):
    current_password: Annotated[str, Field(min_length=1, max_length=200), STORABLE]
    new_password: Annotated[str, Field(min_length=1, max_length=200), STORABLE] = Field(
        description="at least 10 characters")


class PasswordChanged(BaseModel):
    changed: bool = True
    sessions_revoked: int = Field(description="other sessions of the subject signed out")


class SessionsRevoke(BaseModel):
    reason: Text | None = Field(default=None, max_length=MAX_TEXT)


class SessionsRevoked(BaseModel):
    subject: str
    sessions_revoked: int


class CandidatePublic(BaseModel):
    """A candidate as the public sees them: what the party's rules need, never a birth date or member id."""

    id: str = Field(description="the candidate's opaque id in this contest (not the member id)")
    name: str
    territory: str = Field(description="KATO code of residence")
    sex: str
    under_29: bool | None = Field(description="under 29 on the cycle's election day (null: no election date)")
    under_35: bool | None = Field(description="under 35 on the cycle's election day (null: no election date)")
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
    revote: bool = Field(default=False, description="members may vote again; the last ballot counts")
    seed_commitment: str | None = Field(
        default=None, description="SHA-256 of the tie-break seed, published when voting opened; the seed is "
        "revealed on the bulletin board, and `tandau verify --commitment` checks it")
    key_id: str | None = Field(default=None,
                               description="the election key the ballots are sealed to (GET /api/v1/keys)")


class ContestDetail(ContestPublic):
    candidates: list[CandidatePublic]


class VoterContestPublic(BaseModel):
    contest: ContestPublic
    has_voted: bool
    accepting: bool


class BallotCreate(BaseModel):
    selection: list[Text] = Field(description="approval: the marked candidate ids; ranked: ids in order of preference")


class ReceiptPublic(BaseModel):
    contest_id: str
    tracker: str


class TrackerCheck(BaseModel):
    contest_id: str
    tracker: str
    published: bool
    status: str | None = Field(default=None, description="counted | replaced (a later ballot of the same member "
                               "counted instead) | null (not on the bulletin)")


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
    member_id: MemberId
    nominated_by: Text = Field(default="self", description="self or organisation")
    organisation: Annotated[str, Field(max_length=MAX_TEXT), STORABLE] | None = None
    tags: list[Text] = Field(default_factory=list, description=f"at most {MAX_TEXT} characters joined with commas")

    @field_validator("tags")
    @classmethod
    def _tags_fit(cls, tags: list[str]) -> list[str]:
        """The tags are stored joined with commas, in a column of MAX_TEXT characters."""
        if len(",".join(sorted(set(tags)))) > MAX_TEXT:
            raise ValueError(f"tags longer than {MAX_TEXT} characters together")
        return tags


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
    reason: Reason


class ExtendCreate(BaseModel):
    closes_at: datetime
    reason: Reason


class CloseCreate(BaseModel):
    early: bool = False


class PublishCreate(BaseModel):
    seed: int | None = Field(default=None, description="only for a contest opened before seed commitments")
    lot_on_tie: bool = Field(default=False, description="central office: decide a tie the policy refuses by lot "
                             "on the seed committed at opening (audited)")


class ImportPublic(BaseModel):
    """What an import did (``applied``) or, for a dry run (``?dry_run=true``), would do."""

    kind: str = Field(description="roll or nominations")
    file: str
    sha256: str = Field(description="SHA-256 of the uploaded bytes (recorded in the audit log when applied)")
    applied: bool
    added: int = Field(description="members added, or nominations registered")
    updated: int = Field(description="members updated (0 for nominations)")
    contests: list[str] = Field(default_factory=list)
    frozen: int = Field(default=0, description="roll rows changing the frozen roll of an open or closed contest")
    frozen_contests: list[str] = Field(default_factory=list, description="the contests whose roll they change")
