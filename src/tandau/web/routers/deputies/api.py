"""The deputies' JSON API (``/api/v1/deputies``): deputies scoped by territory, a deputy, a council's faction,
result import, vacancies and by-elections, akims, activity import. The services check every permission
(``DEPUTY_VIEW``, ``DEPUTY_MANAGE`` of access.POLICY) and write the audit log; these routes parse and present."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from sqlalchemy.orm import Session

from tandau.errors import InputError
from tandau.services.deputies import activity, akims, read, results, vacancy
from tandau.services.primaries.access import Actor
from tandau.services.primaries.imports import UploadTooLargeError, no_file_chosen
from tandau.services.programmes.records import text_in
from tandau.store.deputies_models import Akim, DeputyRow, SeatDecision
from tandau.web.deps import CurrentUser, SessionDep
from tandau.web.routers.deputies.schemas import (
    ActivityImportPublic,
    ActivityPublic,
    AkimCreate,
    AkimEnd,
    AkimPublic,
    ByElectionCreate,
    DecisionPublic,
    DeputyDetailPublic,
    DeputyPublic,
    FactionPublic,
    ImportPublic,
    OwnedCommitmentPublic,
    OwnedPublic,
    SummaryPublic,
    VacancyCreate,
    VacancyPublic,
)

router = APIRouter()
MAX_BYTES = 5 * 2**20
UploadField = Annotated[UploadFile | None, File(description="a CSV or XLSX file")]
FormText = Annotated[str, Form()]


def read_upload(upload: UploadFile | None, *, required: bool = True) -> tuple[str, bytes] | None:
    """The name and bytes of an uploaded file (at most :data:`MAX_BYTES`)."""
    if upload is None or not upload.filename:
        if required:
            raise no_file_chosen()
        return None
    upload.file.seek(0)
    data = upload.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadTooLargeError(upload.filename, MAX_BYTES)
    return upload.filename, data


def day_of(text: str, parameter: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"expected a day such as 2023-03-19, got {text!r}", parameter=parameter) from None


def deputy_public(d: DeputyRow) -> DeputyPublic:
    return DeputyPublic.model_validate(d, from_attributes=True)


def decision_public(d: SeatDecision) -> DecisionPublic:
    return DecisionPublic(id=d.id, council_id=d.council_id, deputy_id=d.deputy_id, kind=d.kind, summary=d.summary,
                          data=read.decision_data(d), at=d.at, actor=d.actor)


def akim_public(a: Akim) -> AkimPublic:
    return AkimPublic.model_validate(a, from_attributes=True)


def faction_public(session: Session, user: Actor, council_id: str) -> FactionPublic:
    f = read.faction(session, user, council_id)
    c = f.council
    return FactionPublic(council_id=c.council_id, name=c.name, kato=c.kato, party=c.party,
                         election_day=c.election_day, term_end=c.term_end, seats=c.seats, list_seats=c.list_seats,
                         party_list_seats=c.party_list_seats, mandate_rule=c.mandate_rule, list_source=c.list_source,
                         votes=list(f.votes), other_valid_votes=c.other_valid_votes,
                         deputies=[deputy_public(d) for d in f.deputies], former=[deputy_public(d) for d in f.former],
                         decisions=[decision_public(d) for d in f.decisions])


@router.get("/api/v1/deputies", tags=["deputies"])
def list_api(session: SessionDep, user: CurrentUser, territory: str | None = None, council: str | None = None,
             status: str | None = "active") -> list[DeputyPublic]:
    """The deputies of the territories the caller may view (filters: ``territory`` KATO, ``council``,
    ``status`` active | vacated | empty for both)."""
    rows = read.list_deputies(session, user, territory=territory or None, council=council or None,
                              status=status or None)
    return [deputy_public(d) for d in rows]


@router.get("/api/v1/deputies/akims", tags=["deputies"])
def akims_api(session: SessionDep, user: CurrentUser, territory: str | None = None) -> list[AkimPublic]:
    """The akims of the territories the caller may view, with their appointment dates."""
    return [akim_public(a) for a in akims.list_akims(session, user, territory=territory or None)]


@router.post("/api/v1/deputies/akims", tags=["deputies"], status_code=201)
def add_akim_api(session: SessionDep, user: CurrentUser, body: AkimCreate) -> AkimPublic:
    """Record a territory's akim (a secretary of the territory, the central office)."""
    return akim_public(akims.add_akim(session, user, body.kato, body.name, body.appointed_at,
                                     person_id=body.person_id))


@router.post("/api/v1/deputies/akims/{akim_id}/end", tags=["deputies"])
def end_akim_api(session: SessionDep, user: CurrentUser, akim_id: str, body: AkimEnd) -> AkimPublic:
    """Record the day an akim left office."""
    return akim_public(akims.end_akim(session, user, akim_id, body.left_at))


@router.post("/api/v1/deputies/activity/import", tags=["deputies"], status_code=201)
def activity_api(session: SessionDep, user: CurrentUser, file: UploadField = None) -> ActivityImportPublic:
    """Import activity records (ACTIVITY.csv/.xlsx), all or nothing; problems are 400 ``import_rejected`` with
    every row and column."""
    name, data = read_upload(file) or ("", b"")
    done = activity.import_activity(session, user, data, name)
    return ActivityImportPublic(stored=done.stored, per_kind=done.per_kind, sha256=done.sha256)


@router.get("/api/v1/deputies/councils/{council_id}", tags=["deputies"])
def faction_api(session: SessionDep, user: CurrentUser, council_id: str) -> FactionPublic:
    """A council's imported result, the party's faction (and former deputies) and every seat decision."""
    return faction_public(session, user, council_id)


@router.post("/api/v1/deputies/councils/{council_id}/results", tags=["deputies"], status_code=201)
def results_api(session: SessionDep, user: CurrentUser, council_id: str, party: FormText, election_day: FormText,
                system: FormText = "kz-2023", file: UploadField = None,
                party_list: Annotated[UploadFile | None, File(description="the party's LIST.csv when the workspace "
                                                                         "has no formed list")] = None
                ) -> ImportPublic:
    """Import a council's official result (multipart ``file`` = RESULTS.csv/.xlsx, optional ``party_list``)."""
    name, data = read_upload(file) or ("", b"")
    listed = read_upload(party_list, required=False)
    names = results.read_list(listed[1], listed[0]) if listed else None
    done = results.import_results(session, user, council_id, data, name, party=party,
                                  election_day=day_of(election_day, "election_day"), system=system,
                                  party_list=names)
    return ImportPublic(council_id=council_id, deputies=[deputy_public(d) for d in done.deputies],
                        steps=list(done.steps))


@router.post("/api/v1/deputies/councils/{council_id}/by-elections", tags=["deputies"], status_code=201)
def by_election_api(session: SessionDep, user: CurrentUser, council_id: str, body: ByElectionCreate
                    ) -> FactionPublic:
    """Enter a by-election's result; a winner of the council's party joins the faction."""
    vacancy.by_election(session, user, council_id, body.district, winner=body.winner, party=body.party, day=body.day,
                        person_id=body.person_id, sex=body.sex, birth_date=body.birth_date)
    return faction_public(session, user, council_id)


@router.get("/api/v1/deputies/{deputy_id}", tags=["deputies"])
def deputy_api(session: SessionDep, user: CurrentUser, deputy_id: str) -> DeputyDetailPublic:
    """A deputy: mandate, seat decisions, activity with its summary, and what they own in other modules."""
    d = read.deputy_detail(session, user, deputy_id)
    s = d.summary
    return DeputyDetailPublic.model_validate(deputy_public(d.deputy).model_dump() | {
        "council_name": d.council.name, "party": d.council.party,
        "decisions": [decision_public(x) for x in d.decisions],
        "activity": [ActivityPublic.model_validate(a, from_attributes=True) for a in d.activity],
        "summary": SummaryPublic(**{k: getattr(s, k) for k in SummaryPublic.model_fields}),
        "owned": OwnedPublic(commitments=[OwnedCommitmentPublic(
            programme=c.programme_id, programme_status=c.programme_status, commitment=c.commitment,
            text=text_in(c.record, "ru"), series=None if c.series is None else list(c.series), status=c.status)
            for c in d.owned.commitments],
                             control_cases=[list(x) for x in d.owned.control_cases],
                             appeals=[list(x) for x in d.owned.appeals])})


@router.post("/api/v1/deputies/{deputy_id}/vacancy", tags=["deputies"])
def vacancy_api(session: SessionDep, user: CurrentUser, deputy_id: str, body: VacancyCreate) -> VacancyPublic:
    """Record that a deputy left; a list mandate passes to the next eligible name (the 30% quota kept)."""
    out = vacancy.vacate(session, user, deputy_id, reason=body.reason, on=body.on)
    return VacancyPublic(vacated=deputy_public(out.vacated),
                         successor=None if out.successor is None else deputy_public(out.successor),
                         succession=None if out.succession is None else out.succession.as_data())
