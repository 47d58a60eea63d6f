"""Voter pages: sign in, my contests, the ballot, the receipt with the tracking code, results, /verify.

Everything works without JavaScript: plain forms posted to the server (each with the CSRF token), one
page per step. The receipt is shown once, in the answer to the ballot POST, and never stored with the
member (``Cache-Control: no-store``).
"""

from __future__ import annotations

from math import ceil
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from tandau.errors import InputError
from tandau.services.primaries import auth, delivery, publish, voting
from tandau.services.primaries.access import Actor
from tandau.services.primaries.errors import AuthenticationError, NotEligibleError, NotFoundError, TooManyCodesError
from tandau.web import queries
from tandau.web.deps import CurrentUser, FormDep, OptionalUser, SessionDep
from tandau.web.i18n import N_, language, make_gettext, translator
from tandau.web.security import sign_in, sign_out
from tandau.web.templating import render

router = APIRouter(include_in_schema=False)

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


def authenticate(request: Request, session: SessionDep, member_id: str, secret: str) -> Actor:
    """Password (at least 10 characters) or one-time code (8 digits): the form tells them apart by shape."""
    settings = request.app.state.settings
    secret = secret.strip()
    if secret.isdigit() and len(secret) == CODE_LENGTH:
        return auth.sign_in_code(session, member_id.strip(), secret, max_attempts=settings.otp_max_attempts)
    return auth.sign_in_password(session, member_id.strip(), secret)


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


# what the member reads when no code could be sent (translated in otp.po)
NO_CONTACT = N_("No e-mail address or mobile number that we can send a code to is on file for this member "
                "number. Please ask your party branch to update your contact, or sign in with your password.")
TOO_MANY = N_("Several codes were sent to this member number a short while ago. Please use the last one, or "
              "ask for a new code in %(minutes)s min.")
NOT_SENT = N_("The one-time code could not be sent just now. Please try again in a few minutes, or sign in "
              "with your password.")


def send_code(request: Request, session: SessionDep, member_id: str) -> delivery.Sent | None:
    """Issue and send a one-time code (:mod:`~tandau.services.primaries.delivery`) in the reader's language;
    None for an unknown member (the same answer as a sent code, so the roll is not revealed)."""
    settings = request.app.state.settings
    try:
        return delivery.send_code(session, member_id, delivery.delivery_for(settings),
                                  make_gettext(language(request)), ttl_seconds=settings.otp_ttl_seconds,
                                  max_live=settings.otp_max_live_codes)
    except AuthenticationError:
        return None


@router.post("/signin/code")
def request_code(request: Request, session: SessionDep, member_id: Annotated[str, Form()]) -> Response:
    """Issue a one-time code and send it to the member's contact (e-mail or SMS, see ``TANDAU_OTP_DELIVERY``);
    in development the console sender keeps it on the server and the page shows it, so the flow can be tried."""
    _ = translator(request)
    context: dict[str, object] = {"next": "/contests", "member_id": member_id.strip()}
    try:
        sent = send_code(request, session, member_id.strip())
    except delivery.NoContactError:
        return render(request, "voter/signin.html", {**context, "problem": _(NO_CONTACT)}, status_code=409)
    except delivery.SendFailedError:
        return render(request, "voter/signin.html", {**context, "problem": _(NOT_SENT)}, status_code=503)
    except TooManyCodesError as exc:
        minutes = max(1, ceil(exc.retry_after / 60))
        page = render(request, "voter/signin.html", {**context, "problem": _(TOO_MANY, minutes=minutes)},
                      status_code=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    development = request.app.state.settings.environment == "development"
    shown = sent.shown_code if sent is not None and development else None
    return render(request, "voter/signin.html", {**context, "code_sent": True, "dev_code": shown})


@router.post("/signout")
def signout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/contests")
def my_contests(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    try:
        items = voting.contests_for_member(session, user.subject_id)
    except NotEligibleError:
        items = []
    return render(request, "voter/contests.html", {"items": items})


@router.get("/contests/{contest_id}/ballot")
def ballot_form(request: Request, session: SessionDep, user: CurrentUser, contest_id: str) -> Response:
    contest, cands = queries.ballot_candidates(session, contest_id)
    mine = {v.contest.id: v for v in _mine(session, user.subject_id)}
    if contest_id not in mine:
        raise NotFoundError("contest for you", contest_id)
    return render(request, "voter/ballot.html", {"contest": contest, "candidates": cands, "view": mine[contest_id]})


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
    contest, cands = queries.ballot_candidates(session, contest_id)
    session.rollback()
    try:
        selection = selection_from_form(form, contest.ballot_form)
        receipt = voting.cast_ballot(session, user, contest_id, selection)
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
    published = queries.all_contests(session, statuses=["published"])
    found: bool | None = None
    if contest and tracker:
        found = publish.tracker_published(session, contest, tracker)
    return render(request, "voter/verify.html", {"published": published, "contest_id": contest,
                                                 "tracker": tracker or "", "found": found})


@router.get("/results")
def results_index(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return render(request, "voter/results_index.html",
                  {"contests": queries.all_contests(session, statuses=["published"])})


@router.get("/results/{contest_id}")
def results(request: Request, session: SessionDep, user: OptionalUser, contest_id: str) -> Response:
    contest, _cands = queries.ballot_candidates(session, contest_id)
    result = publish.published_result(session, contest_id)
    if result is None:
        raise NotFoundError("published result of contest", contest_id)
    header = queries.bulletin_header(session, contest_id, request.app.state.bulletin_dir)
    counts = (header.get("declared") or {}).get("counts") or {}
    return render(request, "voter/results.html", {"contest": contest, "result": result,
                                                  "names": queries.names(session, contest_id), "counts": counts})


@router.get("/results/{contest_id}/bulletin.jsonl")
def bulletin(request: Request, session: SessionDep, contest_id: str) -> Response:
    data = queries.bulletin_bytes(session, contest_id, request.app.state.bulletin_dir)
    return Response(data, media_type="application/x-ndjson", headers={
        "content-disposition": f'attachment; filename="{contest_id}.jsonl"'})
