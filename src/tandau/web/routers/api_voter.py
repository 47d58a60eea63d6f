"""API for everyone: session, contests, ballots, published results, tracking codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, FastAPI, Header, Request
from starlette.responses import Response

from tandau.services.operations.events import ballot_accepted
from tandau.services.primaries import ballot_fast, ballot_sync, publish, read, voting
from tandau.services.primaries import sessions as sessions_service
from tandau.services.primaries.errors import NotEligibleError
from tandau.store.models import Contest
from tandau.web import stored_files
from tandau.web.deps import CurrentUser, OptionalUser, SessionDep, SignedSubject, roles_of, voter_actor
from tandau.web.errors import SignInRequired
from tandau.web.routers import schemas as s
from tandau.web.routers.voter import authenticate, change_own_password, request_code_quietly
from tandau.web.security import csrf_token, session_store, sign_in, sign_out

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": s.ErrorPublic} for code in (400, 401, 403, 404, 409, 422, 429)
}


@asynccontextmanager
async def ballot_writer(app: FastAPI) -> AsyncIterator[None]:
    """Lifespan: on PostgreSQL, the one-round-trip ballot writer of this process (its own small pool of
    autocommit connections on the app's database); closed at shutdown. Without a lifespan (or on SQLite)
    ballots take the reference path."""
    writer = ballot_fast.writer_for(app.state.engine.url)
    if writer is not None:
        await writer.warm()
    app.state.ballot_writer = writer
    try:
        yield
    finally:
        app.state.ballot_writer = None
        if writer is not None:
            await writer.close()


router = APIRouter(responses=ERRORS, lifespan=ballot_writer)


def contest_public(c: Contest) -> s.ContestPublic:
    return s.ContestPublic(
        id=c.id, cycle_id=c.cycle_id, name=c.name, level=c.level, region=c.region, kato=c.kato, rule=c.rule,
        ballot_form=c.ballot_form, seats=c.seats, max_marks=c.max_marks, opens_at=c.opens_at,
        closes_at=c.closes_at, status=c.status, revote=c.revote, seed_commitment=c.seed_commitment,
        key_id=c.key_id,
    )


@router.get("/session", tags=["session"])
def get_session_info(request: Request, user: OptionalUser) -> s.SessionPublic:
    """Who is signed in, and the CSRF token to send as ``X-CSRF-Token`` on every state-changing call."""
    return s.SessionPublic(subject=user.subject_id if user else None,
                           roles=sorted(roles_of(user)) if user else [], csrf_token=csrf_token(request))


@router.post("/session", tags=["session"])
def create_session(request: Request, session: SessionDep, body: s.SignInCreate) -> s.SessionPublic:
    """Sign in with a password or a one-time code; sets the session cookie and a new CSRF token."""
    actor = authenticate(request, session, body.member_id, body.secret)
    sign_in(request, actor.subject_id)
    return s.SessionPublic(subject=actor.subject_id, roles=sorted(roles_of(actor)), csrf_token=csrf_token(request))


@router.delete("/session", status_code=204, tags=["session"])
def delete_session(request: Request) -> Response:
    sign_out(request)
    return Response(status_code=204)


@router.post("/session/code", status_code=202, tags=["session"], response_model=s.CodeIssued)
def request_code(request: Request, session: SessionDep, body: s.CodeCreate) -> s.CodeIssued:
    """Issue a one-time code and send it to the member's contact, e-mail or SMS in the request's language.
    Always 202 with the same body, whether the member exists or not, and also when nothing was sent (no
    contact a configured sender reaches, ``TANDAU_OTP_MAX_LIVE_CODES`` live codes already, a failed delivery:
    each logged on the server), so the answer does not reveal the roll. ``development_code`` only in
    development with the console sender."""
    sent = request_code_quietly(request, session, body.member_id.strip())
    development = request.app.state.settings.environment == "development"
    return s.CodeIssued(development_code=sent.shown_code if sent is not None and development else None)


@router.post("/session/password", tags=["session"], responses={429: {"model": s.ErrorPublic}})
def change_password(request: Request, session: SessionDep, user: CurrentUser, body: s.PasswordChange
                    ) -> s.PasswordChanged:
    """Change the signed-in subject's own password (the current one is checked and throttled like a
    sign-in); every other session of the subject is revoked, this one stays. 401 ``authentication_failed``
    for a wrong current password, 400 ``invalid_input`` for a new password under 10 characters."""
    revoked = change_own_password(request, session, user.subject_id, body.current_password, body.new_password)
    return s.PasswordChanged(sessions_revoked=revoked)


@router.post("/access/{subject_id}/revoke-sessions", tags=["session"])
def revoke_sessions(request: Request, session: SessionDep, user: CurrentUser, subject_id: str,
                    body: s.SessionsRevoke | None = None) -> s.SessionsRevoked:
    """Central office: sign a subject out everywhere (a stolen cookie, a lost phone); audited
    (``session.revoke``). Other app processes drop their cached copy within ``TANDAU_SESSION_CACHE_SECONDS``."""
    count = sessions_service.revoke_by_administrator(session, user, subject_id,
                                                     reason=body.reason if body is not None else None)
    session_store(request).forget_subject(subject_id)
    return s.SessionsRevoked(subject=subject_id, sessions_revoked=count)


@router.get("/contests", tags=["contests"])
def list_contests(session: SessionDep, user: OptionalUser, status: str | None = None) -> list[s.ContestPublic]:
    """Every contest past its draft (optionally of one status); drafts only for staff of their territory
    (central office, observers, the territory's secretary)."""
    rows = read.visible_contests(session, user, statuses=[status] if status else None)
    return [contest_public(c) for c in rows]


@router.get("/contests/{contest_id}", tags=["contests"])
def get_contest(session: SessionDep, user: OptionalUser, contest_id: str) -> s.ContestDetail:
    """A contest and its registered candidates as the public sees them: name, territory, sex, under 29 and
    under 35 on election day, and an opaque candidate id (never a birth date or member id). A draft is 404
    for anyone but staff of its territory."""
    contest, cands = read.contest_with_candidates(session, user, contest_id)
    return s.ContestDetail(
        **contest_public(contest).model_dump(),
        candidates=[s.CandidatePublic(id=c.id, name=c.name, territory=c.territory, sex=c.sex, under_29=c.under_29,
                                      under_35=c.under_35, position=c.position) for c in cands],
    )


@router.get("/me/contests", tags=["voting"])
def my_contests(session: SessionDep, user: CurrentUser) -> list[s.VoterContestPublic]:
    """The contests the signed-in member may vote in, and whether they have voted."""
    try:
        items = voting.contests_for_member(session, user.subject_id)
    except NotEligibleError:
        items = []
    return [s.VoterContestPublic(contest=contest_public(v.contest), has_voted=v.has_voted, accepting=v.accepting)
            for v in items]


@router.post("/contests/{contest_id}/ballots", status_code=201, tags=["voting"])
async def cast_ballot(request: Request, subject: SignedSubject, contest_id: str, body: s.BallotCreate,
                      idempotency_key: Annotated[str | None, Header(min_length=16, max_length=64)] = None,
                      ) -> s.ReceiptPublic:
    """Cast the signed-in member's ballot (candidates by their public ids); the answer holds the tracking code
    (shown once, never stored with the member). The ballot is sealed to the contest's election key on arrival.
    A second ballot is 409 ``already_voted``, unless the contest allows re-voting (the last ballot counts). A
    retry with the same ``Idempotency-Key`` header gets the first answer again and replaces nothing."""
    writer: ballot_fast.AsyncBallotWriter | None = getattr(request.app.state, "ballot_writer", None)
    if idempotency_key is not None:  # the reference path keeps the key's receipt
        receipt = await to_thread.run_sync(_cast_sync, request, subject, contest_id, body.selection, False,
                                           idempotency_key, limiter=_ballot_limiter(request.app))
        return s.ReceiptPublic(contest_id=receipt.contest_id, tracker=receipt.tracker)
    if writer is not None:  # one guarded statement; None means "some check failed": ask the reference path
        tracker = await writer.cast(subject, contest_id, body.selection, now=voting.server_time())
        if tracker is not None:
            ballot_accepted("fast")
            return s.ReceiptPublic(contest_id=contest_id, tracker=tracker)
    lean = writer is None  # without the async writer (SQLite, no lifespan) try the lean sync path first
    receipt = await to_thread.run_sync(_cast_sync, request, subject, contest_id, body.selection, lean,
                                       limiter=_ballot_limiter(request.app))
    return s.ReceiptPublic(contest_id=receipt.contest_id, tracker=receipt.tracker)


def _ballot_limiter(app: FastAPI) -> CapacityLimiter | None:
    """On SQLite one ballot thread at a time: writers queue here and are woken at once, instead of in
    SQLite's busy handler, which polls the write lock with sleeps of up to 100 ms. None: the default pool."""
    if app.state.engine.dialect.name != "sqlite":
        return None
    limiter: CapacityLimiter | None = getattr(app.state, "sqlite_ballot_limiter", None)
    if limiter is None:
        limiter = app.state.sqlite_ballot_limiter = CapacityLimiter(1)
    return limiter


def _cast_sync(request: Request, subject: str, contest_id: str, selection: list[str], lean: bool,
               idempotency_key: str | None = None) -> voting.Receipt:
    """The lean guarded write (:mod:`~tandau.services.primaries.ballot_sync`) when ``lean``; when it does not
    accept the ballot, the reference path, which answers exactly (401, 403, 404, 409, 400...)."""
    app = request.app
    with app.state.sessions() as session:
        if lean:
            cache: ballot_fast.ContestCache | None = getattr(app.state, "ballot_cache", None)
            if cache is None:
                cache = app.state.ballot_cache = ballot_fast.ContestCache()
            tracker = ballot_sync.cast(session, cache, subject, contest_id, selection, now=voting.server_time())
            if tracker is not None:
                ballot_accepted("lean")
                return voting.Receipt(contest_id, tracker)
        actor = voter_actor(session, subject)
        request.state.actor = actor
        if actor is None:
            raise SignInRequired()
        return voting.cast_ballot(session, actor, contest_id, selection, idempotency_key=idempotency_key)


@router.get("/contests/{contest_id}/results", tags=["results"])
def results(session: SessionDep, contest_id: str) -> s.ResultPublic:
    """The published result; candidates are named by their public ids (``names``: id -> name)."""
    result = read.public_result(session, None, contest_id)
    return s.ResultPublic(contest_id=contest_id, ballots=result["ballots"], elected=result["elected"],
                          ranking=result["ranking"], women=result["women"], youth=result["youth"],
                          bulletin_sha256=result["bulletin_sha256"], names=result["names"])


@router.get("/contests/{contest_id}/bulletin", tags=["results"],
            responses={200: {"content": {"application/x-ndjson": {}}}})
def bulletin(request: Request, session: SessionDep, contest_id: str) -> Response:
    """The published bulletin-board file (``tandau-bulletin/1``), byte for byte; ``tandau verify`` recounts it."""
    info = read.bulletin_file(session, contest_id, store=stored_files.store(request),
                              legacy_dir=request.app.state.bulletin_dir)
    return stored_files.file_response(request, session, info, media_type="application/x-ndjson")


@router.get("/verify", tags=["results"])
def verify(session: SessionDep, contest: str, tracker: str) -> s.TrackerCheck:
    """Whether a tracking code is in the published bulletin board of a contest: ``status`` is ``counted``,
    ``replaced`` (the member voted again later; only the last ballot counts) or null."""
    status = publish.tracker_status(session, contest, tracker)
    return s.TrackerCheck(contest_id=contest, tracker=tracker, published=status == "counted", status=status)
