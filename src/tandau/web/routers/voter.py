"""Voter pages: sign in, my contests, the ballot, the receipt with the tracking code, results, /verify.

Everything works without JavaScript: plain forms posted to the server (each with the CSRF token), one
page per step. The receipt is shown once, in the answer to the ballot POST, and never stored with the
member (``Cache-Control: no-store``).
"""

from __future__ import annotations

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.primaries import auth, delivery, publish, read, throttle, voting
from tandau.services.primaries.access import Actor
from tandau.services.primaries.errors import AuthenticationError, NotEligibleError, NotFoundError, TooManyCodesError
from tandau.web import stored_files
from tandau.web.deps import CurrentUser, FormDep, OptionalUser, SessionDep
from tandau.web.i18n import N_, language, make_gettext, translator
from tandau.web.security import current_session_hash, session_store, sign_in, sign_out
from tandau.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

CODE_LENGTH = auth.CODE_DIGITS


def _safe_next(target: str | None) -> str:
    """Only local paths after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/contests"


@router.get("/")
def home(request: Request, user: OptionalUser) -> Response:
    return render(request, "voter/home.html")


@router.get("/signin")
def signin_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    return render(request, "voter/signin.html", {"next": _safe_next(next)})


def client_address(request: Request) -> str:
    """The address the throttle counts: the peer as the server reports it (behind a proxy, uvicorn's
    ``--proxy-headers`` with ``--forwarded-allow-ips`` naming the proxy puts the client's address here)."""
    return request.client.host if request.client is not None else "unknown"


def authenticate(request: Request, session: SessionDep, member_id: str, secret: str) -> Actor:
    """Password (at least 10 characters) or one-time code (8 digits): the form tells them apart by shape.
    Throttled per (address, id) and per address before any hashing (429 ``too_many_attempts``)."""
    settings = request.app.state.settings
    return auth.sign_in_throttled(session, member_id, secret, address=client_address(request),
                                  limits=throttle.Limits.of(settings), max_attempts=settings.otp_max_attempts)


@router.post("/signin")
def signin(
    request: Request,
    session: SessionDep,
    member_id: Annotated[str, Form()],
    secret: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/contests",
) -> Response:
    actor = authenticate(request, session, member_id, secret)
    sign_in(request, actor.subject_id)
    return RedirectResponse(_safe_next(next), status_code=303)


def send_code(request: Request, session: SessionDep, member_id: str) -> delivery.Sent | None:
    """Issue and send a one-time code (:mod:`~tandau.services.primaries.delivery`) in the reader's language, or
    queue its sending (``TANDAU_OTP_QUEUE``); None for an unknown member (the same answer as a sent code, so the
    roll is not revealed)."""
    settings = request.app.state.settings
    try:
        return delivery.send_code(session, member_id, delivery.delivery_for(settings),
                                  make_gettext(language(request)), ttl_seconds=settings.otp_ttl_seconds,
                                  max_live=settings.otp_max_live_codes, lang=language(request))
    except AuthenticationError:
        return None


def request_code_quietly(request: Request, session: SessionDep, member_id: str) -> delivery.Sent | None:
    """Issue and send a code; None, logged, when nothing was sent (unknown member, no reachable contact,
    too many live codes, a failed delivery), so the answer is the same for a member and for a stranger."""
    try:
        return send_code(request, session, member_id)
    except delivery.NoContactError:
        log.warning("one-time code not sent: no contact that a configured sender reaches")
    except delivery.SendFailedError:
        log.warning("one-time code not sent: the delivery failed")
    except TooManyCodesError:
        log.info("one-time code not sent: the member holds the most live codes allowed")
    return None


@router.post("/signin/code")
def request_code(request: Request, session: SessionDep, member_id: Annotated[str, Form()]) -> Response:
    """Issue a one-time code and send it to the member's contact (e-mail or SMS, see ``TANDAU_OTP_DELIVERY``).
    The page says the same whether or not anything was sent (the roll is not revealed); in development the
    console sender keeps the code on the server and the page shows it, so the flow can be tried."""
    context: dict[str, object] = {"next": "/contests", "member_id": member_id.strip()}
    sent = request_code_quietly(request, session, member_id.strip())
    development = request.app.state.settings.environment == "development"
    shown = sent.shown_code if sent is not None and development else None
    return render(request, "voter/signin.html", {**context, "code_sent": True, "dev_code": shown})


@router.post("/signout")
def signout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/password")
def password_form(request: Request, user: CurrentUser) -> Response:
    return render(request, "voter/password.html", {})


@router.post("/password")
def password_change(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
) -> Response:
    """Change one's own password; every other session of the member is signed out."""
    _ = translator(request)
    try:
        revoked = change_own_password(request, session, user.subject_id, current_password, new_password)
    except InputError as exc:
        return render(request, "voter/password.html", {"problem": exc.problem}, status_code=400)
    except AuthenticationError:
        return render(request, "voter/password.html", {"problem": _(WRONG_PASSWORD)}, status_code=401)
    return render(request, "voter/password.html", {"changed": True, "revoked": revoked})


WRONG_PASSWORD = N_("The current password is not right.")


def change_own_password(request: Request, session: SessionDep, subject_id: str, current: str, new: str) -> int:
    """:func:`~tandau.services.primaries.auth.change_password` for the signed-in subject, keeping this session;
    how many other sessions were signed out."""
    keep = current_session_hash(request)
    revoked = auth.change_password(session, subject_id, current, new, address=client_address(request),
                                   limits=throttle.Limits.of(request.app.state.settings), keep_session=keep)
    session_store(request).forget_subject(subject_id, keep=keep)
    return revoked


@router.get("/contests")
def my_contests(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    try:
        items = voting.contests_for_member(session, user.subject_id)
    except NotEligibleError:
        items = []
    return render(request, "voter/contests.html", {"items": items})


@router.get("/contests/{contest_id}/ballot")
def ballot_form(request: Request, session: SessionDep, user: CurrentUser, contest_id: str) -> Response:
    contest, cands = read.contest_with_candidates(session, user, contest_id)
    mine = {v.contest.id: v for v in _mine(session, user.subject_id)}
    if contest_id not in mine:
        raise NotFoundError("contest for you", contest_id)
    response = render(request, "voter/ballot.html", {"contest": contest, "candidates": cands,
                                                     "view": mine[contest_id],
                                                     "idempotency_key": secrets.token_urlsafe(24)})
    # the page's idempotency key opens the receipt kept for a retry: not to be kept by the browser
    response.headers["cache-control"] = "no-store"
    return response


def _mine(session: SessionDep, member_id: str) -> list[voting.VoterContest]:
    try:
        return voting.contests_for_member(session, member_id)
    except NotEligibleError:
        return []


def selection_from_form(form: FormData, ballot_form: str) -> list[str]:
    """Approval: the checked ``selection`` boxes. Ranked: ``rank_<candidate>`` selects, ordered by number;
    a number used twice is refused."""
    if ballot_form == "approval":
        return [str(v) for v in form.getlist("selection")]
    ranks: dict[int, str] = {}
    for key, value in form.multi_items():
        if not key.startswith("rank_") or not str(value).strip():
            continue
        try:
            rank = int(str(value))
        except ValueError:
            raise InputError(f"a rank is a number, got {value!r}", parameter=key) from None
        if rank in ranks:
            raise InputError(f"rank {rank} is given twice", parameter=key)
        ranks[rank] = key.removeprefix("rank_")
    return [ranks[r] for r in sorted(ranks)]


@router.post("/contests/{contest_id}/ballot")
def cast(request: Request, session: SessionDep, user: CurrentUser, form: FormDep, contest_id: str) -> Response:
    contest, cands = read.contest_with_candidates(session, user, contest_id)
    session.rollback()
    try:
        selection = selection_from_form(form, contest.ballot_form)  # public candidate ids, as the page shows
        idem = form.get("idempotency_key")  # the page's own key: a double submission gets the same receipt
        receipt = voting.cast_ballot(session, user, contest_id, selection,
                                     idempotency_key=idem if isinstance(idem, str) and 16 <= len(idem) <= 64 else None)
    except InputError as exc:
        _ = translator(request)
        view = next((v for v in _mine(session, user.subject_id) if v.contest.id == contest_id), None)
        chosen = [str(v) for v in form.getlist("selection")]
        context = {"contest": contest, "candidates": cands, "view": view, "problem": exc.problem,
                   "chosen": chosen, "message": _("Please check your ballot.")}
        return render(request, "voter/ballot.html", context, status_code=400)
    response = render(request, "voter/receipt.html", {"contest": contest, "tracker": receipt.tracker})
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/verify")
def verify(request: Request, session: SessionDep, user: OptionalUser, contest: str | None = None,
           tracker: str | None = None) -> Response:
    published = read.all_contests(session, statuses=["published"])
    found: bool | None = None
    status: str | None = None
    if contest and tracker:
        status = publish.tracker_status(session, contest, tracker)
        found = status == "counted"
    return render(request, "voter/verify.html", {"published": published, "contest_id": contest,
                                                 "tracker": tracker or "", "found": found, "status": status})


@router.get("/results")
def results_index(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return render(request, "voter/results_index.html",
                  {"contests": read.all_contests(session, statuses=["published"])})


@router.get("/results/{contest_id}")
def results(request: Request, session: SessionDep, user: OptionalUser, contest_id: str) -> Response:
    contest = read.visible_contest(session, user, contest_id)
    result = read.public_result(session, user, contest_id)
    header = read.bulletin_header(session, contest_id, store=stored_files.store(request),
                                  legacy_dir=request.app.state.bulletin_dir)
    counts = read.public_counts((header.get("declared") or {}).get("counts") or {}, session, contest_id)
    return render(request, "voter/results.html", {"contest": contest, "result": result,
                                                  "names": result["names"], "counts": counts})


@router.get("/results/{contest_id}/bulletin.jsonl")
def bulletin(request: Request, session: SessionDep, contest_id: str) -> Response:
    info = read.bulletin_file(session, contest_id, store=stored_files.store(request),
                              legacy_dir=request.app.state.bulletin_dir)
    return stored_files.file_response(request, session, info, media_type="application/x-ndjson", headers={
        "content-disposition": f'attachment; filename="{contest_id}.jsonl"'})
