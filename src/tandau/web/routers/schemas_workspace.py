"""Pydantic schemas of the staff workspace API (``/api/v1/workspace``); the OpenAPI schema is built from them.

A formed list is passed through as the list engine stored it: keys of the result, its entries, the candidates
left off and the rule checks beyond the documented ones (e.g. a structured reason: code, parameters, text)
appear as they are (``additionalProperties``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tandau.services.workspace import DEFAULT_OTHER, DEFAULT_SHARES, MAX_DRAWS, OUR_PARTY
from tandau.web.routers.schemas import MemberId
from tandau.web.text_input import Text

SimMethod = Literal["hare", "droop", "dhondt", "sainte-lague"]  # = tandau.services.workspace.SIM_METHODS
Share = Annotated[float, Field(ge=0, le=1)]


def _utc(moment: datetime) -> datetime:
    """The store keeps UTC; SQLite hands it back without a zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


class RuleVerdict(BaseModel):
    rule: str = Field(description="the rule's label, as in `rules` of the overview")
    ok: bool | None = Field(description="null: the rule was not checked on this council's list")


class CouncilSummary(BaseModel):
    """One council of the overview: its list's compliance with each rule and its composition."""

    id: str
    name: str
    level: str
    region: str
    kato: str | None
    seats: int = Field(description="seats the party is likely to win (the list is formed for them)")
    length: int = Field(description="places on the list")
    error: str | None = Field(description="why no list meets every rule (null: a list was formed)")
    compliant: bool
    compliance: list[RuleVerdict]
    women: int
    youth: int = Field(description="candidates under 35 on the list")
    moved: int = Field(description="candidates not at their primary rank")
    kendall_tau: int


class RuleSummary(BaseModel):
    rule: str
    meeting: int = Field(description="councils whose list meets the rule")
    checked: int = Field(description="councils whose list was checked against the rule")


class OverviewPublic(BaseModel):
    """Every council the user may read (after the filters), as on the national overview page."""

    region: str | None
    level: str | None
    regions: list[str] = Field(description="regions with a council the user may read (filter choices)")
    levels: list[str]
    rules: list[str]
    compliant: int
    per_rule: list[RuleSummary]
    councils: list[CouncilSummary]


class CouncilPublic(BaseModel):
    id: str
    name: str
    level: str
    region: str
    kato: str | None
    status: str


class PersonPublic(BaseModel):
    id: str
    name: str
    sex: str
    votes: int = Field(description="primary votes (the contest's published count)")
    tags: list[str]
    birth_date: date | None
    age: int | None = Field(description="age on election day")


class RankingRowPublic(PersonPublic):
    """A candidate of the primary ranking (most votes first, ties in nomination order) beside the list."""

    vote_rank: int
    order: int = Field(description="nomination order (breaks ties of votes)")
    place: int | None = Field(description="place on the proposed list (null: not on it)")
    excluded: bool
    pinned: int | None = Field(description="the place staff pinned the candidate at")


class EntryPublic(PersonPublic):
    """A place of the proposed list with its move and reason; further keys of the engine pass through."""

    model_config = ConfigDict(extra="allow")

    position: int
    vote_rank: int
    move: str = Field(description="same, up, down or pin")
    reason: str | None = Field(description="why the candidate is here rather than at their primary rank")
    rule: str | None = Field(description="origin of the rule that moved the candidate (or pin)")


class LeftOffPublic(PersonPublic):
    """A candidate the list leaves off; further keys of the engine pass through."""

    model_config = ConfigDict(extra="allow")

    vote_rank: int


class CheckPublic(BaseModel):
    """One rule's check on the list; further keys of the engine pass through."""

    model_config = ConfigDict(extra="allow")

    label: str
    origin: str
    ok: bool
    detail: str
    enforced: bool = Field(description="false: the rule only warns")


class MetricsPublic(BaseModel):
    kendall_tau: int = Field(description="pairs of candidates in the other order than the vote")
    max_demotion: int
    moved: int


class TiePublic(BaseModel):
    votes: int
    ids: list[str]
    policy: str


class PinPublic(BaseModel):
    candidate: str
    place: int


class CouncilListPublic(BaseModel):
    """The council list builder: primary ranking, proposed list with moves and reasons, each rule's check;
    further keys of the stored result (e.g. structured twins of ``warnings`` and ``error``) pass through."""

    model_config = ConfigDict(extra="allow")

    council: CouncilPublic
    rules: str = Field(description="the rule presets the list is formed under")
    length: int
    seats: int
    election_date: date
    editable: bool = Field(description="whether the user may change this list")
    pins: list[PinPublic]
    exclude: list[str]
    updated_at: UtcDatetime
    updated_by: str
    error: str | None = Field(description="why no list meets every rule (null: a list was formed)")
    compliant: bool
    women: int
    youth: int
    metrics: MetricsPublic | None
    ranking: list[RankingRowPublic]
    entries: list[EntryPublic]
    left_off: list[LeftOffPublic]
    checks: list[CheckPublic]
    warnings: list[str]
    ties: list[TiePublic]


class ListChange(BaseModel):
    """One change of the list, as on the list builder page; the list is recomputed at once."""

    op: Literal["pin", "unpin", "exclude", "include", "reset"]
    candidate: MemberId | None = Field(default=None, description="not for reset")
    place: int | None = Field(default=None, ge=1, description="pin only: the place, from 1")


class SeatsCreate(BaseModel):
    """The seat simulator's inputs; shares are fractions of all votes (0.54 for 54%)."""

    shares: dict[Text, Share] | None = Field(
        default=None,
        description=f"party → expected vote share; `{OUR_PARTY}` is the party's list; "
        "null: the illustrative national shares",
        examples=[DEFAULT_SHARES],
    )
    other: Share = Field(default=DEFAULT_OTHER, description="others and against all (counts in the threshold base)")
    method: SimMethod = "hare"
    threshold: float = Field(default=0.05, ge=0, lt=1, description="share of all votes a party needs for seats")
    draws: int = Field(default=4_000, ge=100, le=MAX_DRAWS, description="simulated elections")
    seed: int = Field(default=1, ge=0, description="seed of the random draws (same seed, same answer)")


class PartySeats(BaseModel):
    party: str
    share: float
    mean: float = Field(description="expected seats")
    pmf: list[float] = Field(description="probability of winning 0, 1, …, `seats` seats")


class PositionChance(BaseModel):
    place: int
    id: str
    name: str
    woman: bool
    young: bool
    probability: float = Field(
        description="chance that the place is elected (Monte Carlo estimate; 0 beyond the seats of the council)"
    )


class CompositionPublic(BaseModel):
    women_share: float | None = Field(
        description="expected share of women among the party's deputies (null: the party never wins a seat)"
    )
    youth_share: float | None
    expected_women: float
    expected_youth: float
    list_women: float = Field(description="share of women on the list")
    list_youth: float


class SeatsPublic(BaseModel):
    """Seats per party, each list place's chance of election, the elected composition (Monte Carlo)."""

    council: CouncilPublic
    seats: int
    method: str
    threshold: float
    other: float
    draws: int
    seed: int
    our_party: str
    parties: list[PartySeats]
    positions: list[PositionChance]
    composition: CompositionPublic
